/* SPDX-License-Identifier: ISC */
/* Where a finding's paths part, and which of them differs. */
#include <string.h>

#include "explain_paths.h"
#include "text.h"

/* Hop n (1 ..) of a path's walk; unset when it did not answer. */
static void
path_hop(const struct result_path *p, int n, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (n >= 1 && (unsigned)n <= p->nhops && n <= RESULT_PATHHOPS)
		*a = p->hops[n - 1];
}

/* The narrowest path's walk: the first hop whose MTU is below local. */
static void
paths_drop(const struct result *r, struct explain_paths *x)
{
	unsigned	 i;

	for (i = 0; r->walked && r->hops != NULL && i < r->nhops; i++) {
		if (r->hops[i].mtu == 0 || r->local_mtu <= 0 ||
		    r->hops[i].mtu >= (unsigned)r->local_mtu)
			continue;
		x->drop_hop = (int)r->hops[i].ttl;
		x->drop_address = r->hops[i].address;
		x->drop_mtu = (int)r->hops[i].mtu;
		return;
	}
}

int
explain_paths(const struct result *r, struct explain_paths *x)
{
	const struct result_path	*p;
	struct explain_path_note	*n;
	struct addr			 via;
	unsigned			 i;
	int				 t;

	memset(x, 0, sizeof(*x));
	if (r->npaths < 2 || r->paths == NULL)
		return -1;
	x->npaths = r->npaths > EXPLAIN_PATHS_MAX ? EXPLAIN_PATHS_MAX :
	    r->npaths;
	t = result_paths_part(r);
	x->part_hop = t;	/* hops[t] is TTL t + 1: the hop before is t */
	if (t > 0)
		path_hop(&r->paths[0], t, &x->part_address);
	for (i = 0; i < x->npaths; i++) {
		p = &r->paths[i];
		if (p->pmtu > 0 && (x->min_pmtu <= 0 || p->pmtu < x->min_pmtu))
			x->min_pmtu = p->pmtu;
		if (p->pmtu > x->max_pmtu)
			x->max_pmtu = p->pmtu;
	}
	for (i = 0; i < x->npaths; i++) {
		p = &r->paths[i];
		n = &x->paths[i];
		n->pmtu = p->pmtu;
		if (t >= 0)
			path_hop(p, t + 1, &n->via);
		n->narrower = p->pmtu > 0 && p->pmtu < x->max_pmtu;
		n->blackhole = p->blackhole;
		n->bh_hop = p->bh_hop;
		path_hop(p, p->bh_hop, &n->bh_address);
	}
	if (x->min_pmtu < x->max_pmtu)
		paths_drop(r, x);
	for (i = 0; x->drop_hop > 0 && i < x->npaths; i++) {
		n = &x->paths[i];
		path_hop(&r->paths[i], x->drop_hop, &via);
		n->drop = n->narrower && n->pmtu == x->min_pmtu &&
		    (!addr_isset(&via) || !addr_isset(&x->drop_address) ||
		    addr_eq(&via, &x->drop_address));
	}
	return 0;
}

static json_t *
part_json(const struct explain_paths *x)
{
	if (x->part_hop < 0)
		return json_null();
	return json_pack("{s:i, s:o}", "after_hop", x->part_hop, "address",
	    result_addr_json(&x->part_address));
}

static json_t *
drop_json(const struct explain_paths *x, const struct explain_path_note *n)
{
	if (!n->drop)
		return json_null();
	return json_pack("{s:i, s:o, s:i}", "hop", x->drop_hop, "address",
	    result_addr_json(&x->drop_address), "mtu", x->drop_mtu);
}

json_t *
explain_paths_to_json(const struct explain_paths *x)
{
	const struct explain_path_note	*n;
	json_t				*o, *narrow, *bh;
	unsigned			 i;
	int				 failed = 0;

	narrow = json_array();
	bh = json_array();
	for (i = 0; narrow != NULL && bh != NULL && i < x->npaths; i++) {
		n = &x->paths[i];
		if (n->narrower)
			failed |= json_array_append_new(narrow, json_pack(
			    "{s:i, s:o, s:o}", "pmtu", n->pmtu, "via",
			    result_addr_json(&n->via), "drop", drop_json(x, n)));
		if (n->blackhole)
			failed |= json_array_append_new(bh, json_pack(
			    "{s:o, s:o, s:o}", "via", result_addr_json(&n->via),
			    "hop", n->bh_hop >= 0 ? json_integer(n->bh_hop) :
			    json_null(), "address",
			    result_addr_json(&n->bh_address)));
	}
	if (narrow == NULL || bh == NULL || failed) {
		json_decref(narrow);
		json_decref(bh);
		return NULL;
	}
	o = json_pack("{s:i, s:o, s:i, s:i, s:o, s:o}", "paths", x->npaths,
	    "part", part_json(x), "min_pmtu", x->min_pmtu, "max_pmtu",
	    x->max_pmtu, "narrower", narrow, "blackholes", bh);
	return o;
}

/* "hop 1 (198.18.1.2)", "this host", or "hop 2" when it was silent. */
static void
hop_text(char *buf, size_t len, size_t *off, int hop, const struct addr *a)
{
	char	 abuf[ADDR_STRLEN];

	if (hop == 0) {
		text_append(buf, len, off, "this host");
		return;
	}
	text_append(buf, len, off, "hop %d", hop);
	if (addr_isset(a))
		text_append(buf, len, off, " (%s)",
		    addr_ntop(a, abuf, sizeof(abuf)));
}

static void
via_text(char *buf, size_t len, size_t *off,
    const struct explain_path_note *n)
{
	char	 abuf[ADDR_STRLEN];

	if (addr_isset(&n->via))
		text_append(buf, len, off, "the path via %s",
		    addr_ntop(&n->via, abuf, sizeof(abuf)));
	else
		text_append(buf, len, off, "a path");
}

void
explain_paths_format(const struct explain_paths *x, char *buf, size_t len)
{
	const struct explain_path_note	*n;
	char				 abuf[ADDR_STRLEN];
	size_t				 off = 0;
	unsigned			 i;

	if (len == 0)
		return;
	buf[0] = '\0';
	text_append(buf, len, &off, "%u paths", x->npaths);
	if (x->part_hop >= 0) {
		text_append(buf, len, &off, " part after ");
		hop_text(buf, len, &off, x->part_hop, &x->part_address);
	} else
		text_append(buf, len, &off, " (their walks never differ)");
	text_append(buf, len, &off, ":");
	for (i = 0; i < x->npaths; i++) {
		n = &x->paths[i];
		text_append(buf, len, &off, "%s ", i > 0 ? "," : "");
		if (n->pmtu > 0)
			text_append(buf, len, &off, "%d", n->pmtu);
		else
			text_append(buf, len, &off, "-");
		if (addr_isset(&n->via))
			text_append(buf, len, &off, " via %s",
			    addr_ntop(&n->via, abuf, sizeof(abuf)));
	}
	text_append(buf, len, &off, "\n");
	for (i = 0; i < x->npaths; i++) {
		n = &x->paths[i];
		if (n->narrower) {
			text_append(buf, len, &off, "  ");
			via_text(buf, len, &off, n);
			text_append(buf, len, &off, " carries %d, the widest "
			    "%d", n->pmtu, x->max_pmtu);
			if (n->drop) {
				text_append(buf, len, &off, ": its MTU drops "
				    "on the link into ");
				hop_text(buf, len, &off, x->drop_hop,
				    &x->drop_address);
			}
			text_append(buf, len, &off, "\n");
		}
		if (n->blackhole) {
			text_append(buf, len, &off, "  ");
			via_text(buf, len, &off, n);
			text_append(buf, len, &off, " loses packets above %d "
			    "with no \"too big\"", n->pmtu);
			if (n->bh_hop >= 0) {
				text_append(buf, len, &off, " after ");
				hop_text(buf, len, &off, n->bh_hop,
				    &n->bh_address);
			}
			text_append(buf, len, &off, "\n");
		}
	}
}
