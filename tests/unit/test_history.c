/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/history.c. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"

#define T0	1795418629000LL		/* 2026-11-23T07:23:49.000Z */
#define ARROW	"\xe2\x86\x92"

static struct result
mk(enum result_state state, int pmtu, int local, int64_t at)
{
	struct result	 r;

	result_init(&r, "198.18.3.2");
	assert_int_equal(addr_parse(&r.address, "198.18.3.2"), 0);
	r.family = AF_INET;
	r.state = state;
	r.pmtu = pmtu;
	r.local_mtu = local;
	r.updated_at_ms = at;
	return r;
}

/* A black hole at hop (-1: not walked) with that hop's address. */
static struct result
mkbh(int pmtu, int hop, const char *addr, int64_t at)
{
	struct result	 r = mk(RESULT_BLACKHOLE, pmtu, 1500, at);

	r.blackhole.found = 1;
	r.blackhole.hop = hop;
	if (addr != NULL)
		assert_int_equal(addr_parse(&r.blackhole.address, addr), 0);
	return r;
}

static int
note(struct history *h, const struct result *r)
{
	return history_note(h, r, r->updated_at_ms);
}

static char *
dumps(json_t *j)
{
	char	*s;

	assert_non_null(j);
	assert_non_null(s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY));
	json_decref(j);
	return s;
}

static void
test_empty(void **state)
{
	struct history	*h;
	char		*s;

	(void)state;
	assert_non_null(h = history_new());
	assert_int_equal(history_count(h), 0);
	assert_null(history_entry(h, 0));
	assert_int_equal(history_since(h), -1);
	assert_int_equal(history_changes(h), 0);
	assert_int_equal(history_summary(h)->count, 0);
	s = dumps(history_entries_json(h, -1));
	assert_string_equal(s, "[]");
	free(s);
	s = dumps(history_summary_json(h, -1));
	assert_string_equal(s, "null");
	free(s);
	history_free(h);
	history_free(NULL);
}

/* The same path again only moves last_seen on. */
static void
test_unchanged_extends(void **state)
{
	struct history			*h;
	const struct history_entry	*e;
	struct result			 r;

	(void)state;
	assert_non_null(h = history_new());
	r = mk(RESULT_OK, 1500, 1500, T0);
	assert_int_equal(note(h, &r), 1);
	r.updated_at_ms = T0 + 600000;
	r.probes_sent = 9;		/* not part of the path state */
	r.duration_ms = 77;
	assert_int_equal(note(h, &r), 0);
	assert_int_equal(history_count(h), 1);
	assert_non_null(e = history_entry(h, 0));
	assert_int_equal(e->first_seen_ms, T0);
	assert_int_equal(e->last_seen_ms, T0 + 600000);
	assert_int_equal(e->pmtu, 1500);
	assert_int_equal(e->local_mtu, 1500);
	assert_int_equal(e->state, RESULT_OK);
	assert_int_equal(e->hop, -1);
	assert_false(addr_isset(&e->hop_address));
	assert_int_equal(e->paths, 1);
	assert_int_equal(history_since(h), T0);
	assert_int_equal(history_changes(h), 0);
	/* A clock stepped back does not move last_seen backwards. */
	r.updated_at_ms = T0 + 1000;
	assert_int_equal(note(h, &r), 0);
	assert_int_equal(history_entry(h, 0)->last_seen_ms, T0 + 600000);
	history_free(h);
}

/* Each tracked value on its own makes a new entry. */
static void
test_each_change(void **state)
{
	struct history			*h;
	const struct history_entry	*e;
	struct result			 r;

	(void)state;
	assert_non_null(h = history_new());
	r = mk(RESULT_OK, 1500, 1500, T0);
	assert_int_equal(note(h, &r), 1);
	r = mk(RESULT_OK, 1420, 1500, T0 + 1);		/* pmtu */
	assert_int_equal(note(h, &r), 1);
	r = mk(RESULT_OK, 1420, 9000, T0 + 2);		/* local MTU */
	assert_int_equal(note(h, &r), 1);
	r = mkbh(1420, 1, "198.18.1.2", T0 + 3);	/* state */
	r.local_mtu = 9000;
	assert_int_equal(note(h, &r), 1);
	r = mkbh(1420, 2, "198.18.2.2", T0 + 4);	/* hop */
	r.local_mtu = 9000;
	assert_int_equal(note(h, &r), 1);
	r = mkbh(1420, 2, "198.18.2.9", T0 + 5);	/* hop's address */
	r.local_mtu = 9000;
	assert_int_equal(note(h, &r), 1);
	r = mk(RESULT_UNREACHABLE, 0, 9000, T0 + 6);	/* reachability */
	assert_int_equal(note(h, &r), 1);
	r = mk(RESULT_UNREACHABLE, -1, 9000, T0 + 7);	/* null is null */
	assert_int_equal(note(h, &r), 0);
	assert_int_equal(history_count(h), 7);
	assert_int_equal(history_changes(h), 6);
	assert_int_equal(history_since(h), T0 + 6);
	e = history_entry(h, 4);
	assert_int_equal(e->state, RESULT_BLACKHOLE);
	assert_int_equal(e->hop, 2);
	assert_int_equal(e->first_seen_ms, T0 + 4);
	assert_int_equal(e->last_seen_ms, T0 + 4);
	e = history_entry(h, 6);
	assert_int_equal(e->pmtu, 0);
	assert_int_equal(e->hop, -1);
	assert_int_equal(e->last_seen_ms, T0 + 7);
	/* A black hole in a result that is not in state blackhole is no
	 * black hole. */
	r = mk(RESULT_OK, 1500, 9000, T0 + 8);
	r.blackhole.found = 1;
	r.blackhole.hop = 3;
	assert_int_equal(note(h, &r), 1);
	assert_int_equal(history_entry(h, 7)->hop, -1);
	history_free(h);
}

/* Errors are local faults, not path states; timeless findings either. */
static void
test_not_noted(void **state)
{
	struct history	*h;
	struct result	 r;

	(void)state;
	assert_non_null(h = history_new());
	r = mk(RESULT_ERROR, 0, 0, T0);
	assert_int_equal(note(h, &r), 0);
	assert_int_equal(history_count(h), 0);
	r = mk(RESULT_OK, 1500, 1500, T0);
	assert_int_equal(note(h, &r), 1);
	r = mk(RESULT_ERROR, 0, 0, T0 + 5000);
	snprintf(r.error, sizeof(r.error), "no route");
	assert_int_equal(note(h, &r), 0);
	/* Not even last_seen moves: an error says nothing of the path. */
	assert_int_equal(history_entry(h, 0)->last_seen_ms, T0);
	r = mk(RESULT_OK, 1400, 1500, -1);
	assert_int_equal(note(h, &r), 0);
	r.updated_at_ms = 253402300800000LL;	/* year 10000 */
	assert_int_equal(note(h, &r), 0);
	r.state = 0;
	r.updated_at_ms = T0 + 1;
	assert_int_equal(note(h, &r), 0);
	assert_int_equal(history_count(h), 1);
	history_free(h);
}

/* A hop not walked agrees with any hop; a walked one fills it in. */
static void
test_unknown_hop(void **state)
{
	struct history			*h;
	const struct history_entry	*e;
	struct result			 r;

	(void)state;
	assert_non_null(h = history_new());
	r = mkbh(1400, -1, NULL, T0);
	assert_int_equal(note(h, &r), 1);
	assert_int_equal(history_entry(h, 0)->hop, -1);
	r = mkbh(1400, 1, "198.18.1.2", T0 + 10);
	assert_int_equal(note(h, &r), 0);
	e = history_entry(h, 0);
	assert_int_equal(e->hop, 1);
	assert_true(addr_isset(&e->hop_address));
	assert_int_equal(e->last_seen_ms, T0 + 10);
	r = mkbh(1400, -1, NULL, T0 + 20);
	assert_int_equal(note(h, &r), 0);
	assert_int_equal(history_entry(h, 0)->hop, 1);
	/* Hop 0 (this host's link) is a known hop. */
	r = mkbh(1400, 0, NULL, T0 + 30);
	assert_int_equal(note(h, &r), 1);
	assert_int_equal(history_entry(h, 1)->hop, 0);
	assert_int_equal(history_count(h), 2);
	history_free(h);
}

/* Past HISTORY_MAX the oldest entries fold into the summary. */
static void
test_wrap_and_summary(void **state)
{
	struct history			*h, *c;
	const struct history_entry	*e;
	const struct history_summary	*s;
	struct result			 r;
	int				 i, total = HISTORY_MAX + 10;

	(void)state;
	assert_non_null(h = history_new());
	for (i = 0; i < total; i++) {
		r = mk(RESULT_OK, 1300 + i, 1500, T0 + i * 1000);
		assert_int_equal(note(h, &r), 1);
		/* Seen again: last_seen of entry i is T0 + i * 1000 + 500. */
		r.updated_at_ms += 500;
		assert_int_equal(note(h, &r), 0);
		assert_int_equal(history_count(h),
		    i + 1 < HISTORY_MAX ? (size_t)i + 1 : HISTORY_MAX);
	}
	assert_int_equal(history_count(h), HISTORY_MAX);
	assert_null(history_entry(h, HISTORY_MAX));
	s = history_summary(h);
	assert_int_equal(s->count, 10);
	assert_int_equal(s->first_seen_ms, T0);
	assert_int_equal(s->last_seen_ms, T0 + 9 * 1000 + 500);
	/* Oldest first, in order, across the wrap. */
	for (i = 0; i < HISTORY_MAX; i++) {
		e = history_entry(h, (size_t)i);
		assert_int_equal(e->pmtu, 1300 + 10 + i);
		assert_int_equal(e->first_seen_ms, T0 + (10 + i) * 1000);
		assert_int_equal(e->last_seen_ms, T0 + (10 + i) * 1000 + 500);
	}
	assert_int_equal(history_changes(h), total - 1);
	assert_int_equal(history_since(h), T0 + (total - 1) * 1000);
	/* Extending works on the wrapped ring's last entry. */
	r = mk(RESULT_OK, 1300 + total - 1, 1500, T0 + 999999);
	assert_int_equal(note(h, &r), 0);
	assert_int_equal(history_entry(h, HISTORY_MAX - 1)->last_seen_ms,
	    T0 + 999999);
	/* A copy is deep and in order. */
	assert_non_null(c = history_copy(h));
	history_free(h);
	assert_int_equal(history_count(c), HISTORY_MAX);
	assert_int_equal(history_summary(c)->count, 10);
	assert_int_equal(history_entry(c, 0)->pmtu, 1310);
	r = mk(RESULT_OK, 9000, 9000, T0 + 2000000);
	assert_int_equal(note(c, &r), 1);
	assert_int_equal(history_summary(c)->count, 11);
	assert_int_equal(history_entry(c, 0)->pmtu, 1311);
	assert_int_equal(history_entry(c, HISTORY_MAX - 1)->pmtu, 9000);
	history_free(c);
}

/* Three entries: ok, a black hole at hop 1, unreachable. */
static struct history *
three(void)
{
	struct history	*h;
	struct result	 r;

	assert_non_null(h = history_new());
	r = mk(RESULT_OK, 1500, 1500, T0);
	note(h, &r);
	r.updated_at_ms = T0 + 60000;
	note(h, &r);
	r = mkbh(1420, 1, "198.18.1.2", T0 + 120000);
	note(h, &r);
	r = mk(RESULT_UNREACHABLE, 0, 1500, T0 + 180123);
	note(h, &r);
	return h;
}

static const char three_json[] =
    "[{\"first_seen\":\"2026-11-23T07:23:49.000Z\","
    "\"last_seen\":\"2026-11-23T07:24:49.000Z\",\"pmtu\":1500,"
    "\"local_mtu\":1500,\"state\":\"ok\",\"hop\":null,\"hop_address\":null,"
    "\"paths\":1},"
    "{\"first_seen\":\"2026-11-23T07:25:49.000Z\","
    "\"last_seen\":\"2026-11-23T07:25:49.000Z\",\"pmtu\":1420,"
    "\"local_mtu\":1500,\"state\":\"blackhole\",\"hop\":1,"
    "\"hop_address\":\"198.18.1.2\",\"paths\":1},"
    "{\"first_seen\":\"2026-11-23T07:26:49.123Z\","
    "\"last_seen\":\"2026-11-23T07:26:49.123Z\",\"pmtu\":null,"
    "\"local_mtu\":1500,\"state\":\"unreachable\",\"hop\":null,"
    "\"hop_address\":null,\"paths\":1}]";

static void
test_json_exact(void **state)
{
	struct history	*h;
	char		*s;

	(void)state;
	h = three();
	s = dumps(history_entries_json(h, -1));
	assert_string_equal(s, three_json);
	free(s);
	/* since: entries last seen at or after it. */
	s = dumps(history_entries_json(h, T0 + 60000));
	assert_string_equal(s, three_json);
	free(s);
	s = dumps(history_entries_json(h, T0 + 60001));
	assert_non_null(strstr(s, "\"pmtu\":1420"));
	assert_null(strstr(s, "\"pmtu\":1500"));
	free(s);
	s = dumps(history_entries_json(h, T0 + 180124));
	assert_string_equal(s, "[]");
	free(s);
	history_free(h);
}

/* Entries and summary, to JSON and back: the same history. */
static void
test_json_round_trip(void **state)
{
	struct history	*h, *back;
	struct result	 r;
	json_t		*e, *s;
	char		*a, *b, err[128];
	int		 i;

	(void)state;
	assert_non_null(h = history_new());
	for (i = 0; i < HISTORY_MAX + 3; i++) {
		r = i % 2 ? mkbh(1400, i % 3, "2001:db8:1::2", T0 + i) :
		    mk(RESULT_OK, 1500, 1500, T0 + i);
		if (i % 2) {
			r.family = AF_INET6;
			assert_int_equal(addr_parse(&r.address,
			    "2001:db8:3::2"), 0);
		}
		note(h, &r);
	}
	e = history_entries_json(h, -1);
	s = history_summary_json(h, -1);
	assert_non_null(e);
	assert_non_null(s);
	assert_true(json_is_object(s));
	assert_non_null(back = history_new());
	assert_int_equal(history_from_json(back, e, s, err, sizeof(err)), 0);
	assert_int_equal(history_count(back), HISTORY_MAX);
	assert_int_equal(history_summary(back)->count, 3);
	assert_int_equal(history_changes(back), history_changes(h));
	assert_int_equal(history_since(back), history_since(h));
	a = dumps(e);
	b = dumps(history_entries_json(back, -1));
	assert_string_equal(a, b);
	free(a);
	free(b);
	a = dumps(s);
	b = dumps(history_summary_json(back, -1));
	assert_string_equal(a, b);
	assert_string_equal(a, "{\"count\":3,"
	    "\"first_seen\":\"2026-11-23T07:23:49.000Z\","
	    "\"last_seen\":\"2026-11-23T07:23:49.002Z\"}");
	free(a);
	free(b);
	/* The summary of entries folded before since is left out. */
	a = dumps(history_summary_json(back, T0 + 3));
	assert_string_equal(a, "null");
	free(a);
	history_free(back);
	history_free(h);
}

/* Absent (older state files), null and empty all load as empty. */
static void
test_from_json_absent(void **state)
{
	struct history	*h;
	json_t		*empty = json_array(), *null = json_null();
	char		 err[128];

	(void)state;
	h = three();
	assert_int_equal(history_from_json(h, NULL, NULL, err, sizeof(err)),
	    0);
	assert_int_equal(history_count(h), 0);
	history_free(h);
	h = three();
	assert_int_equal(history_from_json(h, null, null, err, sizeof(err)),
	    0);
	assert_int_equal(history_count(h), 0);
	assert_int_equal(history_summary(h)->count, 0);
	history_free(h);
	h = three();
	assert_int_equal(history_from_json(h, empty, NULL, err, sizeof(err)),
	    0);
	assert_int_equal(history_count(h), 0);
	assert_int_equal(history_since(h), -1);
	history_free(h);
	json_decref(empty);
	json_decref(null);
}

/* More entries than kept (an edited file): the oldest are folded. */
static void
test_from_json_too_many(void **state)
{
	struct history	*h;
	json_t		*a, *e;
	char		 err[128], t[32];
	int		 i;

	(void)state;
	assert_non_null(a = json_array());
	for (i = 0; i < HISTORY_MAX + 6; i++) {
		assert_int_equal(result_time_format(T0 + i * 1000, t,
		    sizeof(t)), 0);
		e = json_pack("{s:s,s:s,s:i,s:n,s:s}", "first_seen", t,
		    "last_seen", t, "pmtu", 1300 + i, "local_mtu", "state",
		    "ok");
		assert_non_null(e);
		json_array_append_new(a, e);
	}
	e = json_pack("{s:i,s:s,s:s}", "count", 5, "first_seen",
	    "2026-01-01T00:00:00.000Z", "last_seen",
	    "2026-01-02T00:00:00.000Z");
	assert_non_null(h = history_new());
	assert_int_equal(history_from_json(h, a, e, err, sizeof(err)), 0);
	assert_int_equal(history_count(h), HISTORY_MAX);
	assert_int_equal(history_summary(h)->count, 11);
	assert_int_equal(history_summary(h)->last_seen_ms, T0 + 5000);
	assert_int_equal(history_entry(h, 0)->pmtu, 1306);
	/* Absent "paths" is one path; absent "hop" none. */
	assert_int_equal(history_entry(h, 0)->paths, 1);
	assert_int_equal(history_entry(h, 0)->hop, -1);
	assert_int_equal(history_entry(h, 0)->local_mtu, 0);
	assert_int_equal(history_changes(h), 11 + HISTORY_MAX - 1);
	json_decref(a);
	json_decref(e);
	history_free(h);
}

struct bad {
	const char	*entries;	/* JSON; NULL: absent */
	const char	*summary;
	const char	*message;
};

#define GOOD_E	"\"first_seen\":\"2026-11-23T07:23:49.000Z\"," \
	"\"last_seen\":\"2026-11-23T07:23:50.000Z\",\"state\":\"ok\""
#define GOOD_S	"\"count\":2,\"first_seen\":\"2026-11-23T07:23:49.000Z\"," \
	"\"last_seen\":\"2026-11-23T07:23:50.000Z\""

static const struct bad bads[] = {
	{ "{}", NULL, "\"history\" must be an array" },
	{ "7", NULL, "\"history\" must be an array" },
	{ "[7]", NULL, "history entry 1: not an object" },
	{ "[{" GOOD_E "},{}]", NULL,
	    "history entry 2: \"first_seen\" must be a string" },
	{ "[{\"first_seen\":\"yesterday\"}]", NULL,
	    "history entry 1: \"first_seen\" is not an RFC 3339 UTC time" },
	{ "[{\"first_seen\":\"2026-11-23T07:23:49.000Z\"}]", NULL,
	    "history entry 1: \"last_seen\" must be a string" },
	{ "[{\"first_seen\":\"2026-11-23T07:23:49.000Z\","
	    "\"last_seen\":\"2026-11-23T07:23:48.999Z\",\"state\":\"ok\"}]",
	    NULL, "history entry 1: \"last_seen\" is before \"first_seen\"" },
	{ "[{" GOOD_E ",\"pmtu\":0}]", NULL,
	    "history entry 1: \"pmtu\" must be an integer 1..65535 or null" },
	{ "[{" GOOD_E ",\"pmtu\":\"1500\"}]", NULL,
	    "history entry 1: \"pmtu\" must be an integer 1..65535 or null" },
	{ "[{" GOOD_E ",\"local_mtu\":-1}]", NULL,
	    "history entry 1: \"local_mtu\" must be an integer 1..2147483647 "
	    "or null" },
	{ "[{" GOOD_E ",\"hop\":256}]", NULL,
	    "history entry 1: \"hop\" must be an integer 0..255 or null" },
	{ "[{" GOOD_E ",\"paths\":-1}]", NULL,
	    "history entry 1: \"paths\" must be an integer 0..4294967295 or "
	    "null" },
	{ "[{\"first_seen\":\"2026-11-23T07:23:49.000Z\","
	    "\"last_seen\":\"2026-11-23T07:23:50.000Z\",\"state\":\"error\"}]",
	    NULL, "history entry 1: \"state\" must be \"ok\", \"blackhole\" "
	    "or \"unreachable\"" },
	{ "[{\"first_seen\":\"2026-11-23T07:23:49.000Z\","
	    "\"last_seen\":\"2026-11-23T07:23:50.000Z\"}]",
	    NULL, "history entry 1: \"state\" must be \"ok\", \"blackhole\" "
	    "or \"unreachable\"" },
	{ "[{" GOOD_E ",\"hop_address\":\"r1.example\",\"hop\":1}]", NULL,
	    "history entry 1: \"hop_address\" must be an IP address or null" },
	{ "[{" GOOD_E ",\"hop_address\":\"198.18.1.2\"}]", NULL,
	    "history entry 1: \"hop_address\" without \"hop\"" },
	{ NULL, "[]", "history summary: not an object or null" },
	{ NULL, "{}", "history summary: \"count\" must be a positive integer" },
	{ NULL, "{\"count\":0}",
	    "history summary: \"count\" must be a positive integer" },
	{ NULL, "{\"count\":-3}",
	    "history summary: \"count\" must be a positive integer" },
	{ NULL, "{\"count\":1}", "\"first_seen\" must be a string" },
	{ "[]", "{" GOOD_S ",\"last_seen\":5}",
	    "\"last_seen\" must be a string" },
};

/* Refused with a reason, and the history left as it was. */
static void
test_from_json_errors(void **state)
{
	struct history	*h;
	json_error_t	 jerr;
	json_t		*e, *s;
	char		 err[160], *before, *after;
	size_t		 i;

	(void)state;
	h = three();
	before = dumps(history_entries_json(h, -1));
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		e = s = NULL;
		if (bads[i].entries != NULL)
			assert_non_null(e = json_loads(bads[i].entries,
			    JSON_DECODE_ANY, &jerr));
		if (bads[i].summary != NULL)
			assert_non_null(s = json_loads(bads[i].summary,
			    JSON_DECODE_ANY, &jerr));
		err[0] = '\0';
		if (history_from_json(h, e, s, err, sizeof(err)) != -1)
			fail_msg("case %zu accepted", i);
		assert_string_equal(err, bads[i].message);
		json_decref(e);
		json_decref(s);
	}
	after = dumps(history_entries_json(h, -1));
	assert_string_equal(before, after);
	assert_int_equal(history_count(h), 3);
	free(before);
	free(after);
	history_free(h);
}

static void
test_format(void **state)
{
	struct history	*h;
	struct result	 r;
	char		 buf[256];

	(void)state;
	h = three();
	history_format(NULL, history_entry(h, 0), buf, sizeof(buf));
	assert_string_equal(buf, "1500  ok  local 1500");
	history_format(history_entry(h, 0), history_entry(h, 1), buf,
	    sizeof(buf));
	assert_string_equal(buf, "1500 " ARROW " 1420  ok " ARROW
	    " blackhole  hop 1 (198.18.1.2)");
	history_format(history_entry(h, 1), history_entry(h, 2), buf,
	    sizeof(buf));
	assert_string_equal(buf, "1420 " ARROW " -  blackhole " ARROW
	    " unreachable");
	/* The black hole moves; the local MTU changes. */
	r = mkbh(1420, 3, "198.18.3.1", T0 + 200000);
	note(h, &r);
	history_format(history_entry(h, 2), history_entry(h, 3), buf,
	    sizeof(buf));
	assert_string_equal(buf, "- " ARROW " 1420  unreachable " ARROW
	    " blackhole  hop 3 (198.18.3.1)");
	r = mkbh(1420, 1, "198.18.1.2", T0 + 300000);
	r.local_mtu = 9000;
	note(h, &r);
	history_format(history_entry(h, 3), history_entry(h, 4), buf,
	    sizeof(buf));
	assert_string_equal(buf, "1420  blackhole  local 1500 " ARROW " 9000"
	    "  hop 3 (198.18.3.1) " ARROW " hop 1 (198.18.1.2)");
	r = mkbh(1420, -1, NULL, T0 + 400000);
	r.local_mtu = 1500;
	note(h, &r);
	history_format(history_entry(h, 4), history_entry(h, 5), buf,
	    sizeof(buf));
	assert_string_equal(buf, "1420  blackhole  local 9000 " ARROW " 1500"
	    "  hop ?");
	/* Short buffers are cut and terminated. */
	history_format(history_entry(h, 0), history_entry(h, 1), buf, 6);
	assert_string_equal(buf, "1500 ");
	history_format(NULL, history_entry(h, 0), buf, 1);
	assert_string_equal(buf, "");
	history_format(NULL, history_entry(h, 0), buf, 0);
	history_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unchanged_extends),
		cmocka_unit_test(test_each_change),
		cmocka_unit_test(test_not_noted),
		cmocka_unit_test(test_unknown_hop),
		cmocka_unit_test(test_wrap_and_summary),
		cmocka_unit_test(test_json_exact),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_from_json_absent),
		cmocka_unit_test(test_from_json_too_many),
		cmocka_unit_test(test_from_json_errors),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
