/* SPDX-License-Identifier: ISC */
/*
 * Changes of a destination's finding, as alert events.  Pure: the
 * caller keeps the last conclusive finding and hands both in.
 */
#include <sys/socket.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "change.h"

static const char *const kind_names[] = {
	[CHANGE_BLACKHOLE_DETECTED] = "blackhole_detected",
	[CHANGE_BLACKHOLE_CLEARED] = "blackhole_cleared",
	[CHANGE_PMTU_CHANGED] = "pmtu_changed",
	[CHANGE_UNREACHABLE] = "unreachable",
	[CHANGE_REACHABLE] = "reachable",
	[CHANGE_PARTIAL_BLACKHOLE] = "partial_blackhole",
	[CHANGE_MULTIPATH_MTU_DIFFERS] = "multipath_mtu_differs",
};
#define NKINDS	(sizeof(kind_names) / sizeof(kind_names[0]))

const char *
change_kind_name(enum change_kind k)
{
	if ((unsigned)k >= NKINDS || kind_names[k] == NULL)
		return NULL;
	return kind_names[k];
}

int
change_conclusive(const struct result *r)
{
	if (r == NULL)
		return 0;
	return r->state == RESULT_OK || r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE ||
	    r->state == RESULT_UNREACHABLE;
}

/* A path that carries packets, black hole or not. */
static int
reachable(const struct result *r)
{
	return r->state == RESULT_OK || r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE;
}

/* Whether r's equal-cost paths have PMTUs that differ. */
static int
mtus_differ(const struct result *r)
{
	unsigned	 i;

	for (i = 1; r->paths != NULL && i < r->npaths; i++)
		if (r->paths[i].pmtu != r->paths[0].pmtu)
			return 1;
	return 0;
}

/* Every unknown PMTU looks the same, so -1 -> 0 is no change. */
static int
pmtu_of(const struct result *r)
{
	return r->pmtu > 0 ? r->pmtu : 0;
}

/* The event's common part; hop and address start out null. */
static void
change_base(struct change *c, enum change_kind kind,
    const struct result *prev, const struct result *cur)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	snprintf(c->destination, sizeof(c->destination), "%s",
	    cur->destination);
	c->family = cur->family;
	c->pmtu = pmtu_of(cur);
	c->previous_pmtu = prev != NULL && reachable(prev) ? pmtu_of(prev) : 0;
	c->hop = -1;
	c->at_ms = cur->updated_at_ms;
}

/* Where the black hole of r is; null when r does not say. */
static void
change_where(struct change *c, const struct result *r)
{
	if ((r->state != RESULT_BLACKHOLE &&
	    r->state != RESULT_PARTIAL_BLACKHOLE) || !r->blackhole.found)
		return;
	if (r->blackhole.hop <= INT_MAX)
		c->hop = (int)r->blackhole.hop;
	c->address = r->blackhole.address;
}

int
change_detect(const struct result *prev, const struct result *cur,
    struct change out[CHANGE_MAX])
{
	int	 n = 0;

	if (!change_conclusive(cur))
		return 0;
	/* An inconclusive base says nothing: as if this were the first. */
	if (!change_conclusive(prev))
		prev = NULL;

	if (prev == NULL) {
		if (cur->state == RESULT_UNREACHABLE)
			change_base(&out[n++], CHANGE_UNREACHABLE, prev, cur);
		else if (cur->state == RESULT_BLACKHOLE ||
		    cur->state == RESULT_PARTIAL_BLACKHOLE) {
			change_base(&out[n], cur->state == RESULT_BLACKHOLE ?
			    CHANGE_BLACKHOLE_DETECTED :
			    CHANGE_PARTIAL_BLACKHOLE, prev, cur);
			change_where(&out[n++], cur);
		}
		if (mtus_differ(cur))
			change_base(&out[n++], CHANGE_MULTIPATH_MTU_DIFFERS,
			    prev, cur);
		return n;
	}

	if (!reachable(cur)) {
		if (reachable(prev))
			change_base(&out[n++], CHANGE_UNREACHABLE, prev, cur);
		return n;
	}

	if (!reachable(prev))
		change_base(&out[n++], CHANGE_REACHABLE, prev, cur);
	else if (pmtu_of(prev) != pmtu_of(cur))
		change_base(&out[n++], CHANGE_PMTU_CHANGED, prev, cur);

	if (cur->state == RESULT_BLACKHOLE &&
	    prev->state != RESULT_BLACKHOLE) {
		change_base(&out[n], CHANGE_BLACKHOLE_DETECTED, prev, cur);
		change_where(&out[n++], cur);
	} else if (cur->state == RESULT_PARTIAL_BLACKHOLE &&
	    prev->state != RESULT_PARTIAL_BLACKHOLE) {
		change_base(&out[n], CHANGE_PARTIAL_BLACKHOLE, prev, cur);
		change_where(&out[n++], cur);
	} else if (cur->state == RESULT_OK &&
	    (prev->state == RESULT_BLACKHOLE ||
	    prev->state == RESULT_PARTIAL_BLACKHOLE)) {
		change_base(&out[n], CHANGE_BLACKHOLE_CLEARED, prev, cur);
		change_where(&out[n++], prev);
	}
	if (mtus_differ(cur) && !mtus_differ(prev))
		change_base(&out[n++], CHANGE_MULTIPATH_MTU_DIFFERS, prev, cur);
	return n;
}

/* json_object_set_new() that remembers a failure instead of returning. */
static void
set(json_t *o, const char *key, json_t *v, int *failed)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		*failed = 1;
}

int
change_alarming(const struct change *c)
{
	return c->kind == CHANGE_BLACKHOLE_DETECTED ||
	    c->kind == CHANGE_PARTIAL_BLACKHOLE ||
	    c->kind == CHANGE_UNREACHABLE || (c->kind == CHANGE_PMTU_CHANGED &&
	    c->previous_pmtu > 0 && c->pmtu > 0 && c->pmtu < c->previous_pmtu);
}

json_t *
change_to_json(const struct change *c)
{
	json_t		*o;
	const char	*name;
	char		 abuf[ADDR_STRLEN], tbuf[32];
	int		 fam, failed = 0;

	if ((name = change_kind_name(c->kind)) == NULL)
		return NULL;
	if ((o = json_object()) == NULL)
		return NULL;

	set(o, "event", json_string(name), &failed);
	set(o, "destination", json_string(c->destination), &failed);
	fam = addr_family_num(c->family);
	set(o, "family", fam != 0 ? json_integer(fam) : json_null(), &failed);
	set(o, "pmtu", c->pmtu > 0 ? json_integer(c->pmtu) : json_null(),
	    &failed);
	set(o, "previous_pmtu", c->previous_pmtu > 0 ?
	    json_integer(c->previous_pmtu) : json_null(), &failed);
	set(o, "hop", c->hop >= 0 ? json_integer(c->hop) : json_null(),
	    &failed);
	set(o, "address", addr_isset(&c->address) ?
	    json_string(addr_ntop(&c->address, abuf, sizeof(abuf))) :
	    json_null(), &failed);
	if (c->at_ms >= 0) {
		if (result_time_format(c->at_ms, tbuf, sizeof(tbuf)) == -1)
			failed = 1;
		else
			set(o, "at", json_string(tbuf), &failed);
	} else
		set(o, "at", json_null(), &failed);
	set(o, "confirmed", json_boolean(c->confirmed), &failed);

	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}
