/* SPDX-License-Identifier: ISC */
/* The finding for one destination and family, and its JSON form. */
#include <sys/socket.h>

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "result.h"
#include "text.h"

#define RESULT_MAXPMTU	65535	/* the IP maximum */

static const char *const state_names[] = {
	[RESULT_OK] = "ok",
	[RESULT_UNREACHABLE] = "unreachable",
	[RESULT_ERROR] = "error",
	[RESULT_BLACKHOLE] = "blackhole",
	[RESULT_PARTIAL_BLACKHOLE] = "partial_blackhole",
};
#define NSTATES	(sizeof(state_names) / sizeof(state_names[0]))

void
result_init(struct result *r, const char *destination)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->destination, sizeof(r->destination), "%s",
	    destination != NULL ? destination : "");
	r->state = RESULT_ERROR;
	r->duration_ms = -1;
	r->updated_at_ms = -1;
	r->since_ms = -1;
}

const char *
result_state_name(enum result_state s)
{
	if ((unsigned)s >= NSTATES || state_names[s] == NULL)
		return NULL;
	return state_names[s];
}

int
result_state_parse(const char *s, enum result_state *out)
{
	size_t	 i;

	for (i = 0; i < NSTATES; i++) {
		if (state_names[i] != NULL && strcmp(s, state_names[i]) == 0) {
			*out = (enum result_state)i;
			return 0;
		}
	}
	return -1;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

int
result_time_format(int64_t ms, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t;
	int		 n;

	if (ms < 0)
		return -1;
	t = (time_t)(ms / 1000);
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return -1;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	if (n < 0 || (size_t)n >= len)
		return -1;
	return 0;
}

/* Exactly n decimal digits at s. */
static int
get_digits(const char *s, int n, int *out)
{
	int	 i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" only: UTC is what we write, and an
 * offset would mean somebody else's clock convention crept in.  Leap
 * seconds (:60) are refused because timegm() would silently move them.
 */
int
result_time_parse(const char *s, int64_t *ms)
{
	struct tm	 tm;
	time_t		 t;
	int		 y, mo, d, h, mi, sec, frac = 0, digits = 0;
	const char	*p;

	if (strlen(s) < 20 ||
	    get_digits(s, 4, &y) == -1 || s[4] != '-' ||
	    get_digits(s + 5, 2, &mo) == -1 || s[7] != '-' ||
	    get_digits(s + 8, 2, &d) == -1 ||
	    (s[10] != 'T' && s[10] != 't') ||
	    get_digits(s + 11, 2, &h) == -1 || s[13] != ':' ||
	    get_digits(s + 14, 2, &mi) == -1 || s[16] != ':' ||
	    get_digits(s + 17, 2, &sec) == -1)
		return -1;
	p = s + 19;
	if (*p == '.') {
		/* Up to nanoseconds; anything below a millisecond is cut. */
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (digits < 3)
				frac = frac * 10 + (*p - '0');
		}
		if (digits == 0 || digits > 9)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if ((*p != 'Z' && *p != 'z') || p[1] != '\0')
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000 + frac;
	return 0;
}

/* json_object_set_new() that remembers a failure instead of returning. */
static void
set(json_t *o, const char *key, json_t *v, int *failed)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		*failed = 1;
}

/* An RFC 3339 time, or null for a negative one. */
static void
set_time(json_t *o, const char *key, int64_t ms, int *failed)
{
	char	 tbuf[32];

	if (ms < 0)
		set(o, key, json_null(), failed);
	else if (result_time_format(ms, tbuf, sizeof(tbuf)) == -1)
		*failed = 1;
	else
		set(o, key, json_string(tbuf), failed);
}

json_t *
result_to_json(const struct result *r)
{
	json_t		*o;
	const char	*state;
	char		 abuf[ADDR_STRLEN];
	int		 fam, failed = 0;

	/* An out-of-range state or method is a bug; do not dress it up. */
	if ((state = result_state_name(r->state)) == NULL)
		return NULL;
	if (r->method != METHOD_AUTO && r->method != METHOD_ICMP &&
	    r->method != METHOD_UDP)
		return NULL;
	if ((o = json_object()) == NULL)
		return NULL;

	set(o, "destination", json_string(r->destination), &failed);
	set(o, "address", addr_isset(&r->address) ?
	    json_string(addr_ntop(&r->address, abuf, sizeof(abuf))) :
	    json_null(), &failed);
	fam = addr_family_num(r->family);
	set(o, "family", fam != 0 ? json_integer(fam) : json_null(), &failed);
	set(o, "pmtu", r->pmtu > 0 ? json_integer(r->pmtu) : json_null(),
	    &failed);
	set(o, "local_mtu", r->local_mtu > 0 ?
	    json_integer(r->local_mtu) : json_null(), &failed);
	set(o, "state", json_string(state), &failed);
	set(o, "method", r->method != METHOD_AUTO ?
	    json_string(method_name(r->method)) : json_null(), &failed);
	set(o, "probes_sent", json_integer(r->probes_sent), &failed);
	set(o, "duration_ms", r->duration_ms >= 0 ?
	    json_integer(r->duration_ms) : json_null(), &failed);
	set_time(o, "updated_at", r->updated_at_ms, &failed);
	set(o, "error", r->error[0] != '\0' ? json_string(r->error) :
	    json_null(), &failed);
	set(o, "previous_pmtu", r->previous_pmtu > 0 ?
	    json_integer(r->previous_pmtu) : json_null(), &failed);
	set(o, "probes_total", json_integer(r->probes_total), &failed);
	set(o, "findings", json_integer(r->findings), &failed);
	set_time(o, "since", r->since_ms, &failed);
	set(o, "on_demand", json_boolean(r->on_demand), &failed);
	set(o, "hops", result_hops_to_json(r), &failed);
	set(o, "blackhole", result_blackhole_to_json(r), &failed);
	set(o, "tcp", result_tcp_to_json(r), &failed);
	if (!failed && result_paths_to_json(r, o) == -1)
		failed = 1;

	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * Looks up key in o.  Returns 1 with *v set for a non-null value, 0 for
 * null (only if nullable), -1 with a message otherwise.
 */
static int
field(const json_t *o, const char *key, int type, int nullable,
    json_t **v, char *err, size_t errlen)
{
	static const char *const names[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string", [JSON_INTEGER] = "an integer",
	};

	*v = json_object_get(o, key);
	if (*v == NULL)
		return text_error(err, errlen, "missing \"%s\"", key);
	if (json_is_null(*v) && nullable)
		return 0;
	if (json_typeof(*v) != (json_type)type)
		return text_error(err, errlen, "\"%s\" must be %s%s", key,
		    names[type], nullable ? " or null" : "");
	return 1;
}

/* A string field without embedded NULs that fits in size bytes. */
static int
field_str(const json_t *o, const char *key, int nullable, char *buf,
    size_t size, char *err, size_t errlen)
{
	json_t	*v;
	int	 rc;
	size_t	 n;

	buf[0] = '\0';
	if ((rc = field(o, key, JSON_STRING, nullable, &v, err, errlen)) <= 0)
		return rc;
	n = json_string_length(v);
	if (memchr(json_string_value(v), '\0', n) != NULL)
		return text_error(err, errlen, "\"%s\" contains a NUL byte",
		    key);
	if (n >= size)
		return text_error(err, errlen,
		    "\"%s\" is longer than %zu bytes",
		    key, size - 1);
	memcpy(buf, json_string_value(v), n + 1);
	return 1;
}

/* An integer field in [min, max]; *out untouched for null. */
static int
field_int(const json_t *o, const char *key, int nullable, json_int_t min,
    json_int_t max, json_int_t *out, char *err, size_t errlen)
{
	json_t		*v;
	json_int_t	 n;
	int		 rc;

	if ((rc = field(o, key, JSON_INTEGER, nullable, &v, err, errlen)) <= 0)
		return rc;
	n = json_integer_value(v);
	if (n < min || n > max)
		return text_error(err, errlen,
		    "\"%s\" %lld out of range %lld..%lld",
		    key, (long long)n, (long long)min, (long long)max);
	*out = n;
	return 1;
}

static int
get_address(const json_t *o, struct result *r, char *err, size_t errlen)
{
	char		 buf[RESULT_DESTLEN];
	json_t		*v;
	json_int_t	 fam = 0;
	int		 rc;

	if ((rc = field_str(o, "address", 1, buf, sizeof(buf), err,
	    errlen)) == -1)
		return -1;
	if (rc == 1 && addr_parse(&r->address, buf) == -1)
		return text_error(err, errlen,
		    "\"address\" is not an IP address: "
		    "\"%.64s\"", buf);
	if ((rc = field(o, "family", JSON_INTEGER, 1, &v, err, errlen)) == -1)
		return -1;
	if (rc == 1) {
		fam = json_integer_value(v);
		if (fam != 4 && fam != 6)
			return text_error(err, errlen,
			    "\"family\" must be 4, 6 "
			    "or null, not %lld", (long long)fam);
	}
	r->family = fam == 4 ? AF_INET : fam == 6 ? AF_INET6 : 0;
	if (addr_isset(&r->address) && r->family != r->address.family)
		return text_error(err, errlen, "\"family\" %s does not match "
		    "\"address\" %s", fam == 0 ? "null" : fam == 4 ? "4" : "6",
		    buf);
	return 0;
}

static int
get_numbers(const json_t *o, struct result *r, char *err, size_t errlen)
{
	json_int_t	 n;

	n = 0;
	if (field_int(o, "pmtu", 1, 1, RESULT_MAXPMTU, &n, err, errlen) == -1)
		return -1;
	r->pmtu = (int)n;
	/* An interface MTU may exceed the IP maximum (lo: 65536). */
	n = 0;
	if (field_int(o, "local_mtu", 1, 1, INT_MAX, &n, err, errlen) == -1)
		return -1;
	r->local_mtu = (int)n;
	n = 0;
	if (field_int(o, "probes_sent", 0, 0, UINT_MAX, &n, err,
	    errlen) == -1)
		return -1;
	r->probes_sent = (unsigned)n;
	n = -1;
	if (field_int(o, "duration_ms", 1, 0, INT64_MAX, &n, err,
	    errlen) == -1)
		return -1;
	r->duration_ms = n;
	return 0;
}

static int
get_words(const json_t *o, struct result *r, char *err, size_t errlen)
{
	char		 buf[64];
	enum method	 m;
	int		 rc;

	if (field_str(o, "state", 0, buf, sizeof(buf), err, errlen) == -1)
		return -1;
	if (result_state_parse(buf, &r->state) == -1)
		return text_error(err, errlen, "\"state\" unknown: \"%s\"",
		    buf);
	if ((rc = field_str(o, "method", 1, buf, sizeof(buf), err,
	    errlen)) == -1)
		return -1;
	if (rc == 1) {
		if (method_parse(buf, &m) == -1 || (m != METHOD_ICMP &&
		    m != METHOD_UDP))
			return text_error(err, errlen,
			    "\"method\" unknown: \"%s\"",
			    buf);
		r->method = m;
	}
	if ((rc = field_str(o, "updated_at", 1, buf, sizeof(buf), err,
	    errlen)) == -1)
		return -1;
	if (rc == 1 && result_time_parse(buf, &r->updated_at_ms) == -1)
		return text_error(err, errlen,
		    "\"updated_at\" is not an RFC 3339 "
		    "UTC time: \"%s\"", buf);
	return 0;
}

/* The store's bookkeeping: optional, for files written before it. */
static int
get_history(const json_t *o, struct result *r, char *err, size_t errlen)
{
	char		 buf[64];
	json_t		*v;
	json_int_t	 n;
	int		 rc;

	if (json_object_get(o, "previous_pmtu") != NULL) {
		n = 0;
		if (field_int(o, "previous_pmtu", 1, 1, RESULT_MAXPMTU, &n,
		    err, errlen) == -1)
			return -1;
		r->previous_pmtu = (int)n;
	}
	if (json_object_get(o, "probes_total") != NULL) {
		if (field_int(o, "probes_total", 0, 0, INT64_MAX, &n, err,
		    errlen) == -1)
			return -1;
		r->probes_total = (uint64_t)n;
	}
	if (json_object_get(o, "findings") != NULL) {
		if (field_int(o, "findings", 0, 0, INT64_MAX, &n, err,
		    errlen) == -1)
			return -1;
		r->findings = (uint64_t)n;
	}
	if (json_object_get(o, "since") != NULL) {
		if ((rc = field_str(o, "since", 1, buf, sizeof(buf), err,
		    errlen)) == -1)
			return -1;
		if (rc == 1 && result_time_parse(buf, &r->since_ms) == -1)
			return text_error(err, errlen, "\"since\" is not an "
			    "RFC 3339 UTC time: \"%s\"", buf);
	}
	if ((v = json_object_get(o, "on_demand")) != NULL) {
		if (!json_is_boolean(v))
			return text_error(err, errlen,
			    "\"on_demand\" must be true or false");
		r->on_demand = json_is_true(v);
	}
	return 0;
}

int
result_from_json(const json_t *o, struct result *out, char *err,
    size_t errlen)
{
	struct result	 r;

	if (!json_is_object(o))
		return text_error(err, errlen, "result must be a JSON object");
	result_init(&r, "");
	if (field_str(o, "destination", 0, r.destination,
	    sizeof(r.destination), err, errlen) == -1)
		return -1;
	if (r.destination[0] == '\0')
		return text_error(err, errlen, "\"destination\" is empty");
	if (get_address(o, &r, err, errlen) == -1 ||
	    get_numbers(o, &r, err, errlen) == -1 ||
	    get_words(o, &r, err, errlen) == -1 ||
	    field_str(o, "error", 1, r.error, sizeof(r.error), err,
	    errlen) == -1 ||
	    get_history(o, &r, err, errlen) == -1 ||
	    result_path_from_json(o, &r, err, errlen) == -1 ||
	    result_paths_from_json(o, &r, err, errlen) == -1) {
		free(r.hops);
		free(r.paths);
		return -1;
	}
	*out = r;
	return 0;
}

/* Appends to buf like snprintf, keeping track of the end. */
static void
append_num(char *buf, size_t len, size_t *off, const char *pre,
    long long n, const char *post)
{
	if (n < 0)
		text_append(buf, len, off, "%s-%s", pre, post);
	else
		text_append(buf, len, off, "%s%lld%s", pre, n, post);
}

static void
format_tcp(const struct result_tcp *t, char *buf, size_t len, size_t *off)
{
	if (t->error[0] != '\0') {
		text_append(buf, len, off, "  tcp/%u: %s", t->port, t->error);
		return;
	}
	append_num(buf, len, off, "  tcp mss ",
	    t->tcp_mss ? (long long)t->tcp_mss : -1, "");
	append_num(buf, len, off, " (peer ",
	    t->peer_mss ? (long long)t->peer_mss : -1, "");
	if (t->clamped)
		text_append(buf, len, off, ", clamped below %u",
		    t->mss_allowed);
	text_append(buf, len, off, ")");
}

void
result_format(const struct result *r, char *buf, size_t len)
{
	char		 abuf[ADDR_STRLEN];
	const char	*state;
	size_t		 off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!addr_isset(&r->address))
		text_append(buf, len, &off, "%s", r->destination);
	else {
		addr_ntop(&r->address, abuf, sizeof(abuf));
		if (r->destination[0] == '\0' ||
		    strcmp(r->destination, abuf) == 0)
			text_append(buf, len, &off, "%s", abuf);
		else
			text_append(buf, len, &off, "%s (%s)", r->destination,
			    abuf);
	}
	append_num(buf, len, &off, "  pmtu ", r->pmtu > 0 ? r->pmtu : -1, "");
	if (r->npaths > 1)
		result_paths_format(r, buf, len, &off);
	append_num(buf, len, &off, "  local ",
	    r->local_mtu > 0 ? r->local_mtu : -1, "");
	state = result_state_name(r->state);
	text_append(buf, len, &off, "  %s", state != NULL ? state : "?");
	text_append(buf, len, &off, "  %s", r->method == METHOD_ICMP ||
	    r->method == METHOD_UDP ? method_name(r->method) : "-");
	text_append(buf, len, &off, "  %u %s", r->probes_sent,
	    r->probes_sent == 1 ? "probe" : "probes");
	append_num(buf, len, &off, "  ", r->duration_ms, " ms");
	if (r->blackhole.found && r->blackhole.hop >= 0)
		text_append(buf, len, &off, "  black hole at hop %d (%s)",
		    r->blackhole.hop, addr_ntop(&r->blackhole.address, abuf,
		    sizeof(abuf)));
	if (r->tcp.checked)
		format_tcp(&r->tcp, buf, len, &off);
	if (r->error[0] != '\0')
		text_append(buf, len, &off, "  (%s)", r->error);
}
