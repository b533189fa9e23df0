/* SPDX-License-Identifier: ISC */
/*
 * A destination's history as a ring that grows by doubling up to
 * HISTORY_MAX: most paths never change, so most histories hold one
 * entry, and a fleet of destinations should not pay for 64 each.
 */
#include <sys/socket.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "text.h"

#define HISTORY_MAXPMTU	65535
#define HISTORY_MAXHOP	255

struct history {
	struct history_entry	*e;
	size_t			 cap;
	size_t			 n;
	size_t			 head;		/* the oldest entry */
	struct history_summary	 sum;
};

struct history *
history_new(void)
{
	struct history	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->sum.first_seen_ms = -1;
	h->sum.last_seen_ms = -1;
	return h;
}

void
history_free(struct history *h)
{
	if (h == NULL)
		return;
	free(h->e);
	free(h);
}

static struct history_entry *
at(const struct history *h, size_t i)
{
	return &h->e[(h->head + i) % h->cap];
}

struct history *
history_copy(const struct history *src)
{
	struct history	*h;
	size_t		 i;

	if ((h = history_new()) == NULL)
		return NULL;
	h->sum = src->sum;
	if (src->n == 0)
		return h;
	if ((h->e = calloc(src->cap, sizeof(*h->e))) == NULL) {
		history_free(h);
		return NULL;
	}
	h->cap = src->cap;
	for (i = 0; i < src->n; i++)
		h->e[i] = *at(src, i);
	h->n = src->n;
	return h;
}

/* Doubles the ring, oldest entry first again; -1 at the limit or OOM. */
static int
grow(struct history *h)
{
	struct history_entry	*e;
	size_t			 cap, i;

	if (h->cap >= HISTORY_MAX)
		return -1;
	cap = h->cap == 0 ? 2 : h->cap * 2;
	if (cap > HISTORY_MAX)
		cap = HISTORY_MAX;
	if ((e = calloc(cap, sizeof(*e))) == NULL)
		return -1;
	for (i = 0; i < h->n; i++)
		e[i] = *at(h, i);
	free(h->e);
	h->e = e;
	h->cap = cap;
	h->head = 0;
	return 0;
}

static void
fold(struct history_summary *s, const struct history_entry *old)
{
	if (s->count++ == 0)
		s->first_seen_ms = old->first_seen_ms;
	s->last_seen_ms = old->last_seen_ms;
}

/* Appends ent, folding the oldest entry away when there is no room. */
static int
append(struct history *h, const struct history_entry *ent)
{
	if (h->n == h->cap && grow(h) == -1) {
		if (h->cap == 0)
			return 0;	/* out of memory, nothing kept */
		fold(&h->sum, at(h, 0));
		h->head = (h->head + 1) % h->cap;
		h->n--;
	}
	*at(h, h->n) = *ent;
	h->n++;
	return 1;
}

/* The path state a finding shows. */
static void
entry_of(const struct result *r, int64_t now_ms, struct history_entry *ent)
{
	memset(ent, 0, sizeof(*ent));
	ent->pmtu = r->pmtu > 0 ? r->pmtu : 0;
	ent->local_mtu = r->local_mtu > 0 ? r->local_mtu : 0;
	ent->state = r->state;
	ent->hop = -1;
	if ((r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE) && r->blackhole.found &&
	    r->blackhole.hop >= 0) {
		ent->hop = r->blackhole.hop;
		ent->hop_address = r->blackhole.address;
	}
	ent->paths = r->npaths > 0 ? r->npaths : 1;
	ent->first_seen_ms = now_ms;
	ent->last_seen_ms = now_ms;
}

/* An unknown hop (not walked) agrees with any. */
static int
same_path(const struct history_entry *a, const struct history_entry *b)
{
	if (a->pmtu != b->pmtu || a->local_mtu != b->local_mtu ||
	    a->state != b->state || a->paths != b->paths)
		return 0;
	if (a->hop < 0 || b->hop < 0)
		return 1;
	return a->hop == b->hop && addr_eq(&a->hop_address, &b->hop_address);
}

int
history_note(struct history *h, const struct result *r, int64_t now_ms)
{
	struct history_entry	 ent, *last;
	char			 tbuf[32];

	if (r->state != RESULT_OK && r->state != RESULT_BLACKHOLE &&
	    r->state != RESULT_PARTIAL_BLACKHOLE &&
	    r->state != RESULT_UNREACHABLE)
		return 0;
	/* A time the JSON form cannot carry would spoil the state file. */
	if (result_time_format(now_ms, tbuf, sizeof(tbuf)) == -1)
		return 0;
	entry_of(r, now_ms, &ent);
	if (h->n > 0 && same_path(last = at(h, h->n - 1), &ent)) {
		if (now_ms > last->last_seen_ms)
			last->last_seen_ms = now_ms;
		if (last->hop < 0 && ent.hop >= 0) {
			last->hop = ent.hop;
			last->hop_address = ent.hop_address;
		}
		return 0;
	}
	return append(h, &ent);
}

size_t
history_count(const struct history *h)
{
	return h->n;
}

const struct history_entry *
history_entry(const struct history *h, size_t i)
{
	if (i >= h->n)
		return NULL;
	return at(h, i);
}

const struct history_summary *
history_summary(const struct history *h)
{
	return &h->sum;
}

uint64_t
history_changes(const struct history *h)
{
	uint64_t	 made = h->sum.count + h->n;

	return made > 0 ? made - 1 : 0;
}

int64_t
history_since(const struct history *h)
{
	if (h->n == 0)
		return -1;
	return at(h, h->n - 1)->first_seen_ms;
}

/* JSON. */

/* json_object_set_new() that remembers a failure. */
static void
set(json_t *o, const char *key, json_t *v, int *failed)
{
	if (o == NULL || v == NULL || json_object_set_new(o, key, v) == -1) {
		json_decref(v);
		*failed = 1;
	}
}

static json_t *
time_json(int64_t ms)
{
	char	 buf[32];

	if (result_time_format(ms, buf, sizeof(buf)) == -1)
		return NULL;
	return json_string(buf);
}

static json_t *
int_or_null(int v)
{
	return v > 0 ? json_integer(v) : json_null();
}

static json_t *
entry_json(const struct history_entry *e)
{
	char	 abuf[ADDR_STRLEN];
	json_t	*o;
	int	 failed = 0;

	o = json_object();
	set(o, "first_seen", time_json(e->first_seen_ms), &failed);
	set(o, "last_seen", time_json(e->last_seen_ms), &failed);
	set(o, "pmtu", int_or_null(e->pmtu), &failed);
	set(o, "local_mtu", int_or_null(e->local_mtu), &failed);
	set(o, "state", result_state_name(e->state) != NULL ?
	    json_string(result_state_name(e->state)) : NULL, &failed);
	set(o, "hop", e->hop >= 0 ? json_integer(e->hop) : json_null(),
	    &failed);
	set(o, "hop_address", addr_isset(&e->hop_address) ?
	    json_string(addr_ntop(&e->hop_address, abuf, sizeof(abuf))) :
	    json_null(), &failed);
	set(o, "paths", json_integer(e->paths), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
history_entries_json(const struct history *h, int64_t since_ms)
{
	json_t			*a;
	const struct history_entry *e;
	size_t			 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < h->n; i++) {
		e = at(h, i);
		if (e->last_seen_ms < since_ms)
			continue;
		if (json_array_append_new(a, entry_json(e)) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *
history_summary_json(const struct history *h, int64_t since_ms)
{
	json_t	*o;
	int	 failed = 0;

	if (h->sum.count == 0 || h->sum.last_seen_ms < since_ms)
		return json_null();
	o = json_object();
	set(o, "count", json_integer((json_int_t)h->sum.count), &failed);
	set(o, "first_seen", time_json(h->sum.first_seen_ms), &failed);
	set(o, "last_seen", time_json(h->sum.last_seen_ms), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* A required RFC 3339 time. */
static int
get_time(const json_t *o, const char *key, int64_t *ms, char *err,
    size_t errlen)
{
	const json_t	*v = json_object_get(o, key);

	if (!json_is_string(v))
		return text_error(err, errlen, "\"%s\" must be a string", key);
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    result_time_parse(json_string_value(v), ms) == -1)
		return text_error(err, errlen, "\"%s\" is not an RFC 3339 UTC "
		    "time", key);
	return 0;
}

/* An optional integer in [min, max]; null and absent leave *out. */
static int
get_int(const json_t *o, const char *key, json_int_t min, json_int_t max,
    json_int_t *out, char *err, size_t errlen)
{
	const json_t	*v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return text_error(err, errlen, "\"%s\" must be an integer "
		    "%lld..%lld or null", key, (long long)min, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

static int
get_state(const json_t *o, enum result_state *st, char *err, size_t errlen)
{
	const json_t	*v = json_object_get(o, "state");

	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v) ||
	    result_state_parse(json_string_value(v), st) == -1 ||
	    *st == RESULT_ERROR)
		return text_error(err, errlen, "\"state\" must be \"ok\", "
		    "\"blackhole\" or \"unreachable\"");
	return 0;
}

static int
get_hop_address(const json_t *o, struct addr *a, char *err, size_t errlen)
{
	const json_t	*v = json_object_get(o, "hop_address");

	memset(a, 0, sizeof(*a));
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v) ||
	    addr_parse(a, json_string_value(v)) == -1)
		return text_error(err, errlen, "\"hop_address\" must be an IP "
		    "address or null");
	return 0;
}

static int
entry_from_json(const json_t *o, struct history_entry *e, char *err,
    size_t errlen)
{
	json_int_t	 pmtu = 0, local = 0, hop = -1, paths = 1;

	memset(e, 0, sizeof(*e));
	if (!json_is_object(o))
		return text_error(err, errlen, "not an object");
	if (get_time(o, "first_seen", &e->first_seen_ms, err, errlen) == -1 ||
	    get_time(o, "last_seen", &e->last_seen_ms, err, errlen) == -1 ||
	    get_int(o, "pmtu", 1, HISTORY_MAXPMTU, &pmtu, err, errlen) == -1 ||
	    get_int(o, "local_mtu", 1, INT_MAX, &local, err, errlen) == -1 ||
	    get_int(o, "hop", 0, HISTORY_MAXHOP, &hop, err, errlen) == -1 ||
	    get_int(o, "paths", 0, UINT_MAX, &paths, err, errlen) == -1 ||
	    get_state(o, &e->state, err, errlen) == -1 ||
	    get_hop_address(o, &e->hop_address, err, errlen) == -1)
		return -1;
	if (e->last_seen_ms < e->first_seen_ms)
		return text_error(err, errlen, "\"last_seen\" is before "
		    "\"first_seen\"");
	if (hop < 0 && addr_isset(&e->hop_address))
		return text_error(err, errlen, "\"hop_address\" without "
		    "\"hop\"");
	e->pmtu = (int)pmtu;
	e->local_mtu = (int)local;
	e->hop = (int)hop;
	e->paths = (unsigned)paths;
	return 0;
}

static int
summary_from_json(const json_t *o, struct history_summary *s, char *err,
    size_t errlen)
{
	json_int_t	 count = 0;

	s->count = 0;
	s->first_seen_ms = s->last_seen_ms = -1;
	if (o == NULL || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return text_error(err, errlen, "history summary: not an object "
		    "or null");
	if (get_int(o, "count", 1, INT64_MAX, &count, err, errlen) == -1 ||
	    count == 0) {
		return text_error(err, errlen, "history summary: \"count\" "
		    "must be a positive integer");
	}
	if (get_time(o, "first_seen", &s->first_seen_ms, err, errlen) == -1 ||
	    get_time(o, "last_seen", &s->last_seen_ms, err, errlen) == -1)
		return -1;
	s->count = (uint64_t)count;
	return 0;
}

int
history_from_json(struct history *h, const json_t *entries,
    const json_t *summary, char *err, size_t errlen)
{
	struct history		*nh;
	struct history_entry	 e;
	char			 why[128];
	const json_t		*v;
	size_t			 i;

	if (entries != NULL && !json_is_null(entries) &&
	    !json_is_array(entries))
		return text_error(err, errlen, "\"history\" must be an array");
	if ((nh = history_new()) == NULL)
		return text_error(err, errlen, "out of memory");
	if (summary_from_json(summary, &nh->sum, err, errlen) == -1) {
		history_free(nh);
		return -1;
	}
	json_array_foreach(entries, i, v) {
		if (entry_from_json(v, &e, why, sizeof(why)) == -1) {
			history_free(nh);
			return text_error(err, errlen, "history entry %zu: %s",
			    i + 1, why);
		}
		if (append(nh, &e) == 0) {
			history_free(nh);
			return text_error(err, errlen, "out of memory");
		}
	}
	/* Swap contents: h stays the caller's pointer. */
	free(h->e);
	*h = *nh;
	free(nh);
	return 0;
}

/* Text. */

static void
mtu_text(int v, char *buf, size_t len)
{
	if (v > 0)
		snprintf(buf, len, "%d", v);
	else
		snprintf(buf, len, "-");
}

/* "a → b" when they differ, else "b". */
static void
pair(char *buf, size_t len, size_t *off, const char *pre, const char *a,
    const char *b)
{
	if (a != NULL && strcmp(a, b) != 0)
		text_append(buf, len, off, "%s%s \xe2\x86\x92 %s", pre, a, b);
	else
		text_append(buf, len, off, "%s%s", pre, b);
}

static void
hop_text(const struct history_entry *e, char *buf, size_t len)
{
	char	 abuf[ADDR_STRLEN];

	if ((e->state != RESULT_BLACKHOLE &&
	    e->state != RESULT_PARTIAL_BLACKHOLE) || e->hop < 0)
		snprintf(buf, len, "hop ?");
	else if (!addr_isset(&e->hop_address))
		snprintf(buf, len, "hop %d", e->hop);
	else
		snprintf(buf, len, "hop %d (%s)", e->hop,
		    addr_ntop(&e->hop_address, abuf, sizeof(abuf)));
}

void
history_format(const struct history_entry *prev,
    const struct history_entry *cur, char *buf, size_t len)
{
	char	 a[64], b[64];
	size_t	 off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	mtu_text(cur->pmtu, b, sizeof(b));
	if (prev != NULL)
		mtu_text(prev->pmtu, a, sizeof(a));
	pair(buf, len, &off, "", prev != NULL ? a : NULL, b);
	pair(buf, len, &off, "  ", prev != NULL ?
	    result_state_name(prev->state) : NULL,
	    result_state_name(cur->state));
	if (prev == NULL || prev->local_mtu != cur->local_mtu) {
		mtu_text(cur->local_mtu, b, sizeof(b));
		if (prev != NULL)
			mtu_text(prev->local_mtu, a, sizeof(a));
		pair(buf, len, &off, "  local ", prev != NULL ? a : NULL, b);
	}
	if (cur->state == RESULT_BLACKHOLE ||
	    cur->state == RESULT_PARTIAL_BLACKHOLE) {
		hop_text(cur, b, sizeof(b));
		/* A black hole that moved shows where it was. */
		if (prev != NULL && prev->state == RESULT_BLACKHOLE &&
		    prev->hop >= 0 && cur->hop >= 0) {
			hop_text(prev, a, sizeof(a));
			pair(buf, len, &off, "  ", a, b);
		} else
			text_append(buf, len, &off, "  %s", b);
	}
	if (prev != NULL && prev->paths != cur->paths && prev->paths > 0 &&
	    cur->paths > 0)
		text_append(buf, len, &off, "  paths %u \xe2\x86\x92 %u",
		    prev->paths, cur->paths);
}
