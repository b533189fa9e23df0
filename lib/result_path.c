/* SPDX-License-Identifier: ISC */
/*
 * A result's path: walk hops, black hole and TCP check, their memory and
 * JSON.
 */
#include <sys/socket.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "text.h"

void
result_clear(struct result *r)
{
	free(r->hops);
	free(r->paths);
	result_init(r, "");
}

int
result_set_hops(struct result *r, const struct result_hop *hops, unsigned n)
{
	struct result_hop	*copy = NULL;

	if (n > RESULT_MAXHOPS)
		n = RESULT_MAXHOPS;
	if (n > 0) {
		if ((copy = calloc(n, sizeof(*copy))) == NULL)
			return -1;
		memcpy(copy, hops, n * sizeof(*copy));
	}
	free(r->hops);
	r->hops = copy;
	r->nhops = n;
	return 0;
}

int
result_copy(struct result *dst, const struct result *src)
{
	*dst = *src;
	dst->hops = NULL;
	dst->nhops = 0;
	dst->paths = NULL;
	dst->npaths = 0;
	if (result_set_paths(dst, src->paths, src->npaths) == -1)
		return -1;
	if (result_set_hops(dst, src->hops, src->nhops) == -1) {
		free(dst->paths);
		dst->paths = NULL;
		return -1;
	}
	return 0;
}

json_t *
result_addr_json(const struct addr *a)
{
	char	 buf[ADDR_STRLEN];

	if (!addr_isset(a))
		return json_null();
	return json_string(addr_ntop(a, buf, sizeof(buf)));
}

static json_t *
hop_json(const struct result_hop *h)
{
	return json_pack("{s:I,s:o,s:o,s:o}",
	    "ttl", (json_int_t)h->ttl,
	    "address", result_addr_json(&h->address),
	    "rtt_ms", h->rtt_us >= 0 ? json_real(h->rtt_us / 1000.0) :
	    json_null(),
	    "mtu", h->mtu > 0 ? json_integer(h->mtu) : json_null());
}

json_t *
result_hops_to_json(const struct result *r)
{
	json_t		*a;
	unsigned	 i;

	if (!r->walked)
		return json_null();
	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < r->nhops; i++) {
		if (json_array_append_new(a, hop_json(&r->hops[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *
result_blackhole_to_json(const struct result *r)
{
	const struct result_blackhole *b = &r->blackhole;

	if (!b->found)
		return json_null();
	return json_pack("{s:o,s:o,s:I,s:{s:I,s:I,s:I,s:I,s:I}}",
	    "hop", b->hop >= 0 ? json_integer(b->hop) : json_null(),
	    "address", result_addr_json(&b->address),
	    "lost_size", (json_int_t)b->lost_size,
	    "evidence",
	    "lost", (json_int_t)b->lost,
	    "lost_above", (json_int_t)b->lost_above,
	    "control_sent", (json_int_t)b->control_sent,
	    "control_lost", (json_int_t)b->control_lost,
	    "span_ms", (json_int_t)b->span_ms);
}

json_t *
result_tcp_to_json(const struct result *r)
{
	const struct result_tcp	*t = &r->tcp;

	if (!t->checked)
		return json_null();
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}",
	    "port", (json_int_t)t->port,
	    "peer_mss", t->peer_mss ? json_integer(t->peer_mss) : json_null(),
	    "tcp_mss", t->tcp_mss ? json_integer(t->tcp_mss) : json_null(),
	    "mss_allowed", t->mss_allowed ? json_integer(t->mss_allowed) :
	    json_null(),
	    "mss_clamped", t->peer_mss && t->mss_allowed ?
	    json_boolean(t->clamped) : json_null(),
	    "error", t->error[0] ? json_string(t->error) : json_null());
}

/* An optional address: null or absent leaves a unset. */
static int
get_addr(const json_t *v, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || addr_parse(a, json_string_value(v)) == -1)
		return -1;
	return 0;
}

static int
get_uint(const json_t *v, unsigned max, unsigned *out)
{
	json_int_t	 n;

	if (!json_is_integer(v))
		return -1;
	n = json_integer_value(v);
	if (n < 0 || n > max)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int
get_hop(const json_t *o, int family, struct result_hop *h)
{
	json_t	*rtt, *mtu;
	double	 ms;

	memset(h, 0, sizeof(*h));
	if (!json_is_object(o) ||
	    get_uint(json_object_get(o, "ttl"), 255, &h->ttl) == -1 ||
	    h->ttl == 0 || get_addr(json_object_get(o, "address"),
	    &h->address) == -1 ||
	    (addr_isset(&h->address) && h->address.family != family))
		return -1;
	rtt = json_object_get(o, "rtt_ms");
	h->rtt_us = -1;
	if (rtt != NULL && !json_is_null(rtt)) {
		if (!json_is_number(rtt) || (ms = json_number_value(rtt)) < 0 ||
		    ms > INT_MAX / 1000)
			return -1;
		h->rtt_us = (int)(ms * 1000 + 0.5);
	}
	mtu = json_object_get(o, "mtu");
	if (mtu != NULL && !json_is_null(mtu) && get_uint(mtu, 65535,
	    &h->mtu) == -1)
		return -1;
	return 0;
}

static int
get_hops(const json_t *v, struct result *r, char *err, size_t errlen)
{
	struct result_hop	 hops[RESULT_MAXHOPS];
	size_t			 i, n;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return text_error(err, errlen,
		    "\"hops\" must be an array or null");
	if ((n = json_array_size(v)) > RESULT_MAXHOPS)
		return text_error(err, errlen,
		    "\"hops\" has %zu entries, more than "
		    "%d", n, RESULT_MAXHOPS);
	for (i = 0; i < n; i++)
		if (get_hop(json_array_get(v, i), r->family, &hops[i]) == -1)
			return text_error(err, errlen,
			    "\"hops\" entry %zu is not a "
			    "valid hop", i + 1);
	r->walked = 1;
	if (result_set_hops(r, hops, n) == -1)
		return text_error(err, errlen, "out of memory");
	return 0;
}

static int
get_blackhole(const json_t *v, struct result *r, char *err, size_t errlen)
{
	struct result_blackhole	*b = &r->blackhole;
	json_t			*e;

	json_t			*hop;
	unsigned		 n = 0;

	memset(b, 0, sizeof(*b));
	if (v == NULL || json_is_null(v))
		return 0;
	e = json_object_get(v, "evidence");
	hop = json_object_get(v, "hop");
	if (!json_is_object(v) || !json_is_object(e) ||
	    (!json_is_null(hop) && get_uint(hop, 255, &n) == -1) ||
	    get_addr(json_object_get(v, "address"), &b->address) == -1 ||
	    get_uint(json_object_get(v, "lost_size"), 65535,
	    &b->lost_size) == -1 ||
	    get_uint(json_object_get(e, "lost"), UINT_MAX, &b->lost) == -1 ||
	    get_uint(json_object_get(e, "lost_above"), UINT_MAX,
	    &b->lost_above) == -1 ||
	    get_uint(json_object_get(e, "control_sent"), UINT_MAX,
	    &b->control_sent) == -1 ||
	    get_uint(json_object_get(e, "control_lost"), UINT_MAX,
	    &b->control_lost) == -1 ||
	    get_uint(json_object_get(e, "span_ms"), UINT_MAX,
	    &b->span_ms) == -1)
		return text_error(err, errlen, "\"blackhole\" is not a valid "
		    "black hole object");
	b->hop = json_is_null(hop) ? -1 : (int)n;
	b->found = 1;
	return 0;
}

/* An optional unsigned: null or absent is 0. */
static int
get_opt_uint(const json_t *v, unsigned max, unsigned *out)
{
	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	return get_uint(v, max, out);
}

/*
 * The check's error must fit whole: cutting it could split a UTF-8
 * character, and json_string() then refuses it, so the result could
 * never be written again (state file, replies).  No NUL either.
 */
static int
tcp_error_ok(const json_t *e, size_t size)
{
	if (e == NULL || json_is_null(e))
		return 1;
	return json_is_string(e) && json_string_length(e) < size &&
	    strlen(json_string_value(e)) == json_string_length(e);
}

static int
get_tcp(const json_t *v, struct result *r, char *err, size_t errlen)
{
	struct result_tcp	*t = &r->tcp;
	json_t			*e, *c;

	memset(t, 0, sizeof(*t));
	if (v == NULL || json_is_null(v))
		return 0;
	e = json_object_get(v, "error");
	c = json_object_get(v, "mss_clamped");
	if (!json_is_object(v) ||
	    get_uint(json_object_get(v, "port"), 65535, &t->port) == -1 ||
	    t->port == 0 ||
	    get_opt_uint(json_object_get(v, "peer_mss"), 65535,
	    &t->peer_mss) == -1 ||
	    get_opt_uint(json_object_get(v, "tcp_mss"), 65535,
	    &t->tcp_mss) == -1 ||
	    get_opt_uint(json_object_get(v, "mss_allowed"), 65535,
	    &t->mss_allowed) == -1 ||
	    (c != NULL && !json_is_null(c) && !json_is_boolean(c)) ||
	    !tcp_error_ok(e, sizeof(t->error)))
		return text_error(err, errlen,
		    "\"tcp\" is not a valid TCP check");
	t->clamped = json_is_true(c);
	if (json_is_string(e))
		snprintf(t->error, sizeof(t->error), "%s",
		    json_string_value(e));
	t->checked = 1;
	return 0;
}

int
result_path_from_json(const json_t *o, struct result *r, char *err,
    size_t errlen)
{
	if (get_tcp(json_object_get(o, "tcp"), r, err, errlen) == -1)
		return -1;
	if (get_blackhole(json_object_get(o, "blackhole"), r, err,
	    errlen) == -1)
		return -1;
	return get_hops(json_object_get(o, "hops"), r, err, errlen);
}
