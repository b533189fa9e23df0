/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/change.c. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "change.h"

#define T_PREV		1795418600000LL
#define T_2026		1795418629123LL	/* 2026-11-23T07:23:49.123Z */

#define OK	RESULT_OK
#define UNR	RESULT_UNREACHABLE
#define ERR	RESULT_ERROR
#define BH	RESULT_BLACKHOLE
#define DET	CHANGE_BLACKHOLE_DETECTED
#define CLR	CHANGE_BLACKHOLE_CLEARED
#define PMTU	CHANGE_PMTU_CHANGED
#define DOWN	CHANGE_UNREACHABLE
#define UP	CHANGE_REACHABLE
#define PBH	RESULT_PARTIAL_BLACKHOLE
#define PART	CHANGE_PARTIAL_BLACKHOLE
#define DIFF	CHANGE_MULTIPATH_MTU_DIFFERS

/* A finding, as much of it as matters here. */
struct spec {
	enum result_state state;	/* 0: no finding (prev NULL) */
	int		 pmtu;
	int		 found;		/* blackhole.found */
	unsigned	 hop;
	const char	*address;	/* blackhole.address; NULL: unset */
};

struct want {
	enum change_kind kind;
	int		 pmtu;
	int		 previous_pmtu;
	int		 hop;
	const char	*address;	/* NULL: unset */
};

struct row {
	const char	*name;
	struct spec	 prev, cur;
	int		 n;
	struct want	 ev[CHANGE_MAX];
};

#define NONE	{ 0, 0, 0, 0, NULL }
#define SOK(p)	{ OK, p, 0, 0, NULL }
#define SUNR	{ UNR, -1, 0, 0, NULL }
#define SERR	{ ERR, -1, 0, 0, NULL }
#define SBH(p, h, a)	{ BH, p, 1, h, a }
#define SPB(p, h, a)	{ PBH, p, 1, h, a }

static const struct row rows[] = {
	/* first finding: only what needs attention */
	{ "first ok", NONE, SOK(1500), 0, { { 0 } } },
	{ "first unreachable", NONE, SUNR, 1,
	    { { DOWN, 0, 0, -1, NULL } } },
	{ "first blackhole", NONE, SBH(1400, 1, "198.18.1.2"), 1,
	    { { DET, 1400, 0, 1, "198.18.1.2" } } },
	{ "first error", NONE, SERR, 0, { { 0 } } },
	/* an error base is no base */
	{ "error then unreachable", SERR, SUNR, 1,
	    { { DOWN, 0, 0, -1, NULL } } },
	{ "error then ok", SERR, SOK(1500), 0, { { 0 } } },
	{ "error then blackhole", SERR, SBH(1400, 2, "198.18.2.1"), 1,
	    { { DET, 1400, 0, 2, "198.18.2.1" } } },
	/* both reachable */
	{ "ok same", SOK(1500), SOK(1500), 0, { { 0 } } },
	{ "ok lower", SOK(1500), SOK(1400), 1,
	    { { PMTU, 1400, 1500, -1, NULL } } },
	{ "ok higher", SOK(1280), SOK(9000), 1,
	    { { PMTU, 9000, 1280, -1, NULL } } },
	{ "ok unknown both", SOK(-1), SOK(0), 0, { { 0 } } },
	{ "ok to unknown", SOK(1500), SOK(-1), 1,
	    { { PMTU, 0, 1500, -1, NULL } } },
	{ "ok to blackhole, lower", SOK(1500), SBH(1400, 1, "198.18.1.2"), 2,
	    { { PMTU, 1400, 1500, -1, NULL },
	      { DET, 1400, 1500, 1, "198.18.1.2" } } },
	{ "ok to blackhole, same", SOK(1400), SBH(1400, 3, "198.18.3.1"), 1,
	    { { DET, 1400, 1400, 3, "198.18.3.1" } } },
	{ "ok to blackhole at this host", SOK(1400), SBH(1400, 0, NULL), 1,
	    { { DET, 1400, 1400, 0, NULL } } },
	{ "ok to blackhole not located", SOK(1400),
	    { BH, 1400, 0, 5, "198.18.5.5" }, 1,
	    { { DET, 1400, 1400, -1, NULL } } },
	{ "blackhole to ok, higher", SBH(1400, 1, "198.18.1.2"), SOK(1500), 2,
	    { { PMTU, 1500, 1400, -1, NULL },
	      { CLR, 1500, 1400, 1, "198.18.1.2" } } },
	{ "blackhole to ok, same", SBH(1400, 2, "198.18.2.1"), SOK(1400), 1,
	    { { CLR, 1400, 1400, 2, "198.18.2.1" } } },
	{ "blackhole moved", SBH(1400, 1, "198.18.1.2"),
	    SBH(1400, 2, "198.18.2.1"), 0, { { 0 } } },
	{ "blackhole moved, lower", SBH(1400, 1, "198.18.1.2"),
	    SBH(1300, 2, "198.18.2.1"), 1,
	    { { PMTU, 1300, 1400, -1, NULL } } },
	{ "blackhole same", SBH(1400, 1, "198.18.1.2"),
	    SBH(1400, 1, "198.18.1.2"), 0, { { 0 } } },
	/* losing the path */
	{ "ok to unreachable", SOK(1500), SUNR, 1,
	    { { DOWN, 0, 1500, -1, NULL } } },
	{ "blackhole to unreachable", SBH(1400, 1, "198.18.1.2"), SUNR, 1,
	    { { DOWN, 0, 1400, -1, NULL } } },
	{ "unreachable stays", SUNR, SUNR, 0, { { 0 } } },
	/* finding it again */
	{ "unreachable to ok", SUNR, SOK(1500), 1,
	    { { UP, 1500, 0, -1, NULL } } },
	{ "unreachable to blackhole", SUNR, SBH(1400, 1, "198.18.1.2"), 2,
	    { { UP, 1400, 0, -1, NULL },
	      { DET, 1400, 0, 1, "198.18.1.2" } } },
	/* some of several paths black-hole */
	{ "first partial blackhole", NONE, SPB(1400, 2, "198.18.12.2"), 1,
	    { { PART, 1400, 0, 2, "198.18.12.2" } } },
	{ "ok to partial blackhole", SOK(1500), SPB(1400, 2, "198.18.12.2"),
	    2, { { PMTU, 1400, 1500, -1, NULL },
	      { PART, 1400, 1500, 2, "198.18.12.2" } } },
	{ "partial blackhole stays", SPB(1400, 2, "198.18.12.2"),
	    SPB(1400, 2, "198.18.12.2"), 0, { { 0 } } },
	{ "partial blackhole to ok", SPB(1400, 2, "198.18.12.2"), SOK(1400),
	    1, { { CLR, 1400, 1400, 2, "198.18.12.2" } } },
	{ "partial to whole blackhole", SPB(1400, 2, "198.18.12.2"),
	    SBH(1400, 2, "198.18.12.2"), 1,
	    { { DET, 1400, 1400, 2, "198.18.12.2" } } },
	{ "blackhole to partial", SBH(1400, 2, "198.18.12.2"),
	    SPB(1400, 2, "198.18.12.2"), 1,
	    { { PART, 1400, 1400, 2, "198.18.12.2" } } },
	{ "partial blackhole to unreachable", SPB(1400, 2, "198.18.12.2"),
	    SUNR, 1, { { DOWN, 0, 1400, -1, NULL } } },
	/* local faults say nothing */
	{ "ok to error", SOK(1500), SERR, 0, { { 0 } } },
	{ "blackhole to error", SBH(1400, 1, "198.18.1.2"), SERR, 0,
	    { { 0 } } },
	{ "unreachable to error", SUNR, SERR, 0, { { 0 } } },
};

static void
make(struct result *r, const struct spec *s, int64_t at)
{
	result_init(r, "gw.example");
	r->family = AF_INET;
	assert_int_equal(addr_parse(&r->address, "198.18.3.2"), 0);
	r->state = s->state;
	r->pmtu = s->pmtu;
	r->updated_at_ms = at;
	r->blackhole.found = s->found;
	r->blackhole.hop = s->hop;
	if (s->address != NULL)
		assert_int_equal(addr_parse(&r->blackhole.address,
		    s->address), 0);
}

static void
check_event(const char *name, int i, const struct change *c,
    const struct want *w)
{
	char	 buf[ADDR_STRLEN];

	if (c->kind != w->kind || c->pmtu != w->pmtu ||
	    c->previous_pmtu != w->previous_pmtu || c->hop != w->hop)
		print_error("row \"%s\" event %d: kind %d pmtu %d prev %d "
		    "hop %d\n", name, i, c->kind, c->pmtu, c->previous_pmtu,
		    c->hop);
	assert_int_equal(c->kind, w->kind);
	assert_int_equal(c->pmtu, w->pmtu);
	assert_int_equal(c->previous_pmtu, w->previous_pmtu);
	assert_int_equal(c->hop, w->hop);
	if (w->address == NULL)
		assert_false(addr_isset(&c->address));
	else {
		assert_true(addr_isset(&c->address));
		assert_string_equal(addr_ntop(&c->address, buf, sizeof(buf)),
		    w->address);
	}
	assert_string_equal(c->destination, "gw.example");
	assert_int_equal(c->family, AF_INET);
	assert_int_equal(c->at_ms, T_2026);
}

static void
test_table(void **state)
{
	struct result	 prev, cur;
	struct change	 out[CHANGE_MAX];
	size_t		 i;
	int		 j, n;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		make(&prev, &r->prev, T_PREV);
		make(&cur, &r->cur, T_2026);
		memset(out, 0xa5, sizeof(out));
		n = change_detect(r->prev.state != 0 ? &prev : NULL, &cur,
		    out);
		if (n != r->n)
			print_error("row \"%s\": %d events, want %d\n",
			    r->name, n, r->n);
		assert_int_equal(n, r->n);
		for (j = 0; j < n; j++)
			check_event(r->name, j, &out[j], &r->ev[j]);
	}
}

/* Paths that differ in their PMTU: once, when they start to. */
static void
test_multipath_mtu_differs(void **state)
{
	struct result_path	 paths[2];
	struct result		 prev, cur;
	struct change		 out[CHANGE_MAX], c;
	const struct spec	 ok1500 = SOK(1500), ok1400 = SOK(1400);
	int			 n;

	(void)state;
	memset(paths, 0, sizeof(paths));
	paths[0].pmtu = 1400;
	paths[1].pmtu = 1500;
	make(&prev, &ok1500, T_PREV);
	make(&cur, &ok1400, T_2026);
	assert_int_equal(result_set_paths(&cur, paths, 2), 0);
	n = change_detect(&prev, &cur, out);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].kind, PMTU);
	assert_int_equal(out[1].kind, DIFF);
	assert_int_equal(out[1].pmtu, 1400);
	assert_false(change_alarming(&out[1]));
	assert_string_equal(change_kind_name(DIFF), "multipath_mtu_differs");
	c.kind = PART;
	assert_true(change_alarming(&c));
	assert_string_equal(change_kind_name(PART), "partial_blackhole");
	/* Still differing: nothing new. */
	make(&prev, &ok1400, T_PREV);
	assert_int_equal(result_set_paths(&prev, paths, 2), 0);
	assert_int_equal(change_detect(&prev, &cur, out), 0);
	/* A first finding says so too. */
	assert_int_equal(change_detect(NULL, &cur, out), 1);
	assert_int_equal(out[0].kind, DIFF);
	result_clear(&prev);
	result_clear(&cur);
}

static void
test_destination_and_family_from_cur(void **state)
{
	struct result	 prev, cur;
	struct change	 out[CHANGE_MAX];
	char		 buf[ADDR_STRLEN];

	(void)state;
	result_init(&prev, "old.example");
	prev.family = AF_INET6;
	prev.state = RESULT_BLACKHOLE;
	prev.pmtu = 1400;
	prev.updated_at_ms = 5;
	prev.blackhole.found = 1;
	prev.blackhole.hop = 4;
	assert_int_equal(addr_parse(&prev.blackhole.address,
	    "2001:db8:4::1"), 0);
	result_init(&cur, "2001:db8:3::2");
	cur.family = AF_INET6;
	cur.state = RESULT_OK;
	cur.pmtu = 1280;
	cur.updated_at_ms = 0;

	assert_int_equal(change_detect(&prev, &cur, out), 2);
	assert_int_equal(out[0].kind, CHANGE_PMTU_CHANGED);
	assert_int_equal(out[1].kind, CHANGE_BLACKHOLE_CLEARED);
	assert_string_equal(out[1].destination, "2001:db8:3::2");
	assert_int_equal(out[1].family, AF_INET6);
	assert_int_equal(out[1].pmtu, 1280);
	assert_int_equal(out[1].previous_pmtu, 1400);
	assert_int_equal(out[1].hop, 4);
	assert_string_equal(addr_ntop(&out[1].address, buf, sizeof(buf)),
	    "2001:db8:4::1");
	assert_int_equal(out[1].at_ms, 0);
}

static void
test_cur_null_or_bogus(void **state)
{
	struct result	 prev, cur;
	struct change	 out[CHANGE_MAX];

	(void)state;
	result_init(&prev, "198.18.3.2");
	prev.state = RESULT_OK;
	prev.pmtu = 1500;
	assert_int_equal(change_detect(&prev, NULL, out), 0);
	assert_int_equal(change_detect(NULL, NULL, out), 0);
	result_init(&cur, "198.18.3.2");
	cur.state = 0;
	assert_int_equal(change_detect(&prev, &cur, out), 0);
	cur.state = 99;
	assert_int_equal(change_detect(&prev, &cur, out), 0);
	/* a bogus base counts as none */
	cur.state = RESULT_UNREACHABLE;
	prev.state = 77;
	assert_int_equal(change_detect(&prev, &cur, out), 1);
	assert_int_equal(out[0].kind, CHANGE_UNREACHABLE);
	assert_int_equal(out[0].previous_pmtu, 0);
}

static void
test_conclusive(void **state)
{
	struct result	 r;

	(void)state;
	assert_int_equal(change_conclusive(NULL), 0);
	result_init(&r, "198.18.3.2");
	assert_int_equal(change_conclusive(&r), 0);	/* init: error */
	r.state = RESULT_OK;
	assert_int_equal(change_conclusive(&r), 1);
	r.state = RESULT_BLACKHOLE;
	assert_int_equal(change_conclusive(&r), 1);
	r.state = RESULT_UNREACHABLE;
	assert_int_equal(change_conclusive(&r), 1);
	r.state = RESULT_ERROR;
	assert_int_equal(change_conclusive(&r), 0);
	r.state = 0;
	assert_int_equal(change_conclusive(&r), 0);
	r.state = RESULT_PARTIAL_BLACKHOLE;
	assert_int_equal(change_conclusive(&r), 1);
	r.state = RESULT_PARTIAL_BLACKHOLE + 1;
	assert_int_equal(change_conclusive(&r), 0);
}

static void
test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(change_kind_name(CHANGE_BLACKHOLE_DETECTED),
	    "blackhole_detected");
	assert_string_equal(change_kind_name(CHANGE_BLACKHOLE_CLEARED),
	    "blackhole_cleared");
	assert_string_equal(change_kind_name(CHANGE_PMTU_CHANGED),
	    "pmtu_changed");
	assert_string_equal(change_kind_name(CHANGE_UNREACHABLE),
	    "unreachable");
	assert_string_equal(change_kind_name(CHANGE_REACHABLE), "reachable");
	assert_null(change_kind_name(0));
	assert_null(change_kind_name(CHANGE_MULTIPATH_MTU_DIFFERS + 1));
	assert_null(change_kind_name((enum change_kind)-1));
}

static char *
dump(const struct change *c)
{
	json_t	*j;
	char	*s;

	j = change_to_json(c);
	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT);
	assert_non_null(s);
	json_decref(j);
	return s;
}

static void
test_json_detected(void **state)
{
	struct change	 c;
	char		*s;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.kind = CHANGE_BLACKHOLE_DETECTED;
	snprintf(c.destination, sizeof(c.destination), "198.18.3.2");
	c.family = AF_INET;
	c.pmtu = 1400;
	c.previous_pmtu = 1500;
	c.hop = 1;
	assert_int_equal(addr_parse(&c.address, "198.18.1.2"), 0);
	c.at_ms = T_2026;
	s = dump(&c);
	assert_string_equal(s, "{\"event\":\"blackhole_detected\","
	    "\"destination\":\"198.18.3.2\",\"family\":4,\"pmtu\":1400,"
	    "\"previous_pmtu\":1500,\"hop\":1,\"address\":\"198.18.1.2\","
	    "\"at\":\"2026-11-23T07:23:49.123Z\",\"confirmed\":false}");
	free(s);
}

static void
test_json_nulls(void **state)
{
	struct change	 c;
	char		*s;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.kind = CHANGE_UNREACHABLE;
	snprintf(c.destination, sizeof(c.destination), "v6.example");
	c.family = AF_INET6;
	c.pmtu = -1;
	c.previous_pmtu = 0;
	c.hop = -1;
	c.at_ms = -1;
	s = dump(&c);
	assert_string_equal(s, "{\"event\":\"unreachable\","
	    "\"destination\":\"v6.example\",\"family\":6,\"pmtu\":null,"
	    "\"previous_pmtu\":null,\"hop\":null,\"address\":null,"
	    "\"at\":null,\"confirmed\":false}");
	free(s);

	/* hop 0 (this host) is a value, not null; the epoch is a time */
	c.kind = CHANGE_BLACKHOLE_CLEARED;
	c.family = 0;
	c.pmtu = 1280;
	c.previous_pmtu = 1280;
	c.hop = 0;
	assert_int_equal(addr_parse(&c.address, "2001:db8::1"), 0);
	c.at_ms = 0;
	s = dump(&c);
	assert_string_equal(s, "{\"event\":\"blackhole_cleared\","
	    "\"destination\":\"v6.example\",\"family\":null,\"pmtu\":1280,"
	    "\"previous_pmtu\":1280,\"hop\":0,"
	    "\"address\":\"2001:db8::1\","
	    "\"at\":\"1970-01-01T00:00:00.000Z\",\"confirmed\":false}");
	free(s);
}

static void
test_json_bad(void **state)
{
	struct change	 c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.hop = -1;
	c.at_ms = -1;
	c.kind = 0;
	assert_null(change_to_json(&c));
	c.kind = 42;
	assert_null(change_to_json(&c));
	/* a destination that is not UTF-8 cannot be encoded */
	c.kind = CHANGE_REACHABLE;
	snprintf(c.destination, sizeof(c.destination), "bad\xff");
	assert_null(change_to_json(&c));
	/* a time past year 9999 cannot be formatted */
	snprintf(c.destination, sizeof(c.destination), "ok.example");
	c.at_ms = INT64_MAX;
	assert_null(change_to_json(&c));
}

/* Events from change_detect() encode as they should, end to end. */
static void
test_detect_to_json(void **state)
{
	struct result	 prev, cur;
	struct change	 out[CHANGE_MAX];
	char		*s;
	static const struct spec p = SOK(1500);
	static const struct spec q = SBH(1400, 1, "198.18.1.2");

	(void)state;
	make(&prev, &p, T_PREV);
	make(&cur, &q, T_2026);
	assert_int_equal(change_detect(&prev, &cur, out), 2);
	s = dump(&out[0]);
	assert_string_equal(s, "{\"event\":\"pmtu_changed\","
	    "\"destination\":\"gw.example\",\"family\":4,\"pmtu\":1400,"
	    "\"previous_pmtu\":1500,\"hop\":null,\"address\":null,"
	    "\"at\":\"2026-11-23T07:23:49.123Z\",\"confirmed\":false}");
	free(s);
	s = dump(&out[1]);
	assert_string_equal(s, "{\"event\":\"blackhole_detected\","
	    "\"destination\":\"gw.example\",\"family\":4,\"pmtu\":1400,"
	    "\"previous_pmtu\":1500,\"hop\":1,\"address\":\"198.18.1.2\","
	    "\"at\":\"2026-11-23T07:23:49.123Z\",\"confirmed\":false}");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_multipath_mtu_differs),
		cmocka_unit_test(test_destination_and_family_from_cur),
		cmocka_unit_test(test_cur_null_or_bogus),
		cmocka_unit_test(test_conclusive),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_json_detected),
		cmocka_unit_test(test_json_nulls),
		cmocka_unit_test(test_json_bad),
		cmocka_unit_test(test_detect_to_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
