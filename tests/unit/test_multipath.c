/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/multipath.c: MDA's stopping rule and path grouping. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "flow.h"
#include "multipath.h"

/* r1, then branch A or B, then the join router and the server. */
static struct addr	 via_a[4], via_b[4], via_gap[4];

static void
A(struct addr *a, const char *s)
{
	assert_int_equal(addr_parse(a, s), 0);
}

static int
setup(void **state)
{
	(void)state;
	A(&via_a[0], "198.18.1.2");
	A(&via_a[1], "198.18.11.2");
	A(&via_a[2], "198.18.21.2");
	A(&via_a[3], "198.18.3.2");
	memcpy(via_b, via_a, sizeof(via_b));
	A(&via_b[1], "198.18.12.2");
	A(&via_b[2], "198.18.22.2");
	memcpy(via_gap, via_b, sizeof(via_gap));
	memset(&via_gap[1], 0, sizeof(via_gap[1]));	/* no answer at TTL 2 */
	return 0;
}

static struct multipath_flow
F(unsigned flow, int pmtu, const struct addr *hops, unsigned nhops)
{
	struct multipath_flow	 f;

	memset(&f, 0, sizeof(f));
	f.flow = flow;
	f.pmtu = pmtu;
	f.bh_hop = -1;
	f.hops = hops;
	f.nhops = nhops;
	return f;
}

static void
test_needed(void **state)
{
	unsigned	 k;

	(void)state;
	/* The 95 % table of the MDA paper. */
	assert_int_equal(multipath_needed(1), 6);
	assert_int_equal(multipath_needed(2), 11);
	assert_int_equal(multipath_needed(3), 16);
	assert_int_equal(multipath_needed(4), 21);
	assert_int_equal(multipath_needed(0), 6);
	for (k = 1; k < 16; k++)
		assert_true(multipath_needed(k + 1) > multipath_needed(k));
}

static void
test_one_path(void **state)
{
	struct multipath		*mp;
	struct multipath_flow		 f;
	const struct multipath_path	*p;
	unsigned			 n, before = 99;

	(void)state;
	assert_non_null(mp = multipath_new(16));
	for (n = 0; multipath_more(mp); n++) {
		f = F(n, 1500, via_a, 4);
		assert_int_equal(multipath_add(mp, &f), 0);
	}
	assert_int_equal(n, 6);
	assert_true(multipath_confident(mp));
	assert_int_equal(multipath_flows_tried(mp), 6);
	assert_int_equal(multipath_npaths(mp), 1);
	assert_non_null(p = multipath_path(mp, 0));
	assert_int_equal(p->flows, 6);
	assert_int_equal(p->flow, 0);
	assert_null(multipath_path(mp, 1));
	assert_int_equal(multipath_min_pmtu(mp), 1500);
	assert_int_equal(multipath_diverge(mp, &before), -1);
	assert_int_equal(before, 99);
	multipath_free(mp);
}

static void
test_two_paths(void **state)
{
	struct multipath		*mp;
	struct multipath_flow		 f;
	const struct multipath_path	*p;
	unsigned			 n, before;

	(void)state;
	assert_non_null(mp = multipath_new(FLOW_MAX));
	/* Flows 0 and 3 and 4 ... take B, the others A. */
	for (n = 0; multipath_more(mp); n++) {
		if (n % 3 == 0)
			f = F(n, 1400, via_b, 4);
		else
			f = F(n, 1500, via_a, 4);
		assert_true(multipath_add(mp, &f) >= 0);
	}
	/* Two paths seen: 11 flows settle it. */
	assert_int_equal(n, 11);
	assert_int_equal(multipath_npaths(mp), 2);
	assert_true(multipath_confident(mp));
	p = multipath_path(mp, 0);
	assert_int_equal(p->pmtu, 1400);
	assert_int_equal(p->flow, 0);
	assert_int_equal(p->flows, 4);
	p = multipath_path(mp, 1);
	assert_int_equal(p->pmtu, 1500);
	assert_int_equal(p->flow, 1);
	assert_int_equal(p->flows, 7);
	assert_int_equal(multipath_min_pmtu(mp), 1400);
	/* They part at TTL 2, after r1 (TTL 1). */
	assert_int_equal(multipath_diverge(mp, &before), 2);
	assert_int_equal(before, 1);
	/* A walk with a silent TTL 2 still repeats B; A is not it. */
	assert_int_equal(multipath_match(mp, via_gap, 4), 0);
	assert_int_equal(multipath_match(mp, via_a, 4), 1);
	/* Cut short (rate limits): its missing TTLs match any. */
	assert_int_equal(multipath_match(mp, via_a, 3), 1);
	assert_int_equal(multipath_match(mp, via_a, 0), -1);
	multipath_free(mp);
}

static void
test_grouping(void **state)
{
	struct multipath	*mp;
	struct multipath_flow	 f;

	(void)state;
	assert_non_null(mp = multipath_new(8));
	/* Same hops, another PMTU: another path (a link inside a hop). */
	f = F(0, 1500, via_a, 4);
	assert_int_equal(multipath_add(mp, &f), 0);
	f = F(1, 1400, via_a, 4);
	assert_int_equal(multipath_add(mp, &f), 1);
	/* Not walked: grouped by PMTU alone. */
	f = F(2, 1400, NULL, 0);
	assert_int_equal(multipath_add(mp, &f), 1);
	/* A black hole at the same PMTU is not the same path. */
	f = F(3, 1500, via_a, 4);
	f.blackhole = 1;
	f.bh_hop = 2;
	assert_int_equal(multipath_add(mp, &f), 2);
	assert_int_equal(multipath_path(mp, 2)->bh_hop, 2);
	/* A walk fills in a path first seen without one. */
	multipath_free(mp);
	assert_non_null(mp = multipath_new(8));
	f = F(0, 1400, NULL, 0);
	assert_int_equal(multipath_add(mp, &f), 0);
	f = F(1, 1400, via_b, 4);
	assert_int_equal(multipath_add(mp, &f), 0);
	assert_int_equal(multipath_path(mp, 0)->nhops, 4);
	assert_int_equal(multipath_match(mp, via_b, 4), 0);
	/* A walk cut short (rate limits) is still the same path. */
	f = F(2, 1400, via_b, 3);
	assert_int_equal(multipath_add(mp, &f), 0);
	assert_int_equal(multipath_match(mp, via_b, 2), 0);
	multipath_free(mp);
}

static void
test_budget(void **state)
{
	struct multipath	*mp;
	struct multipath_flow	 f;
	unsigned		 n;

	(void)state;
	/* Three flows allowed: spent before the rule is met. */
	assert_non_null(mp = multipath_new(3));
	for (n = 0; multipath_more(mp); n++) {
		f = F(n, n % 2 ? 1500 : 1400, n % 2 ? via_a : via_b, 4);
		assert_true(multipath_add(mp, &f) >= 0);
	}
	assert_int_equal(n, 3);
	assert_false(multipath_confident(mp));
	assert_int_equal(multipath_add(mp, &f), -1);
	assert_int_equal(multipath_flows_tried(mp), 3);
	multipath_free(mp);
	/* One flow: today's single measurement, never "confident". */
	assert_non_null(mp = multipath_new(0));
	f = F(0, 1500, via_a, 4);
	assert_int_equal(multipath_add(mp, &f), 0);
	assert_false(multipath_more(mp));
	assert_false(multipath_confident(mp));
	multipath_free(mp);
	/* Never more than FLOW_MAX. */
	assert_non_null(mp = multipath_new(FLOW_MAX + 10));
	for (n = 0; n < FLOW_MAX + 5; n++) {
		f = F(n, 1280 + (int)n, NULL, 0);
		(void)multipath_add(mp, &f);
	}
	assert_int_equal(multipath_flows_tried(mp), FLOW_MAX);
	assert_int_equal(multipath_npaths(mp), FLOW_MAX);
	assert_int_equal(multipath_min_pmtu(mp), 1280);
	multipath_free(mp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needed),
		cmocka_unit_test(test_one_path),
		cmocka_unit_test(test_two_paths),
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
