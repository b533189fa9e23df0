/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/flow.c: a family of flows and telling them apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "flow.h"

static const struct flow bases[] = {
	{ .sport = 0x8000 },
	{ .sport = 0xffff, .echo_id = 0xfff0, .echo_cksum = 0xffff,
	    .label = 0xfffff },
	{ .sport = 0x1234, .echo_id = 0x4321, .echo_cksum = 0x0001,
	    .label = 0x12345 },
};

static void
test_derive(void **state)
{
	struct flow	 f, g;
	size_t		 b;
	unsigned	 n, m;

	(void)state;
	for (b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
		for (n = 0; n < FLOW_MAX; n++) {
			flow_derive(&bases[b], n, &f);
			assert_int_equal(f.index, n);
			assert_int_equal(f.ifindex, 0);
			assert_true(f.sport & 0x8000);
			assert_true(f.dport >= 33434);
			assert_true(f.label != 0 && f.label <= 0xfffff);
			assert_true(f.echo_cksum != 0 &&
			    f.echo_cksum != 0xffff);
			assert_int_equal(flow_index_echo(&bases[b], f.echo_id),
			    n);
			assert_int_equal(flow_index_udp(&bases[b], f.sport), n);
			flow_derive(&bases[b], n + FLOW_MAX, &g);
			assert_int_equal(g.index, n);
			/* Every hashed field differs between two flows. */
			for (m = 0; m < n; m++) {
				flow_derive(&bases[b], m, &g);
				assert_int_not_equal(f.sport, g.sport);
				assert_int_not_equal(f.dport, g.dport);
				assert_int_not_equal(f.echo_id, g.echo_id);
				assert_int_not_equal(f.label, g.label);
			}
		}
}

static void
test_index_strangers(void **state)
{
	const struct flow	*b = &bases[2];

	(void)state;
	/* Low source ports are never ours; ids outside the family neither. */
	assert_int_equal(flow_index_udp(b, 0x1234), -1);
	assert_int_equal(flow_index_udp(b, 53), -1);
	assert_int_equal(flow_index_udp(b, 0x8000 | (0x1234 + FLOW_MAX)), -1);
	assert_int_equal(flow_index_udp(b, 0x8000 | (0x1234 - 1)), -1);
	assert_int_equal(flow_index_echo(b, 0x4321 - 1), -1);
	assert_int_equal(flow_index_echo(b, 0x4321 + FLOW_MAX), -1);
	assert_int_equal(flow_index_echo(&bases[1], 0xfff0 + 15), 15);
	assert_int_equal(flow_index_echo(&bases[1], 0x002f), 63);
	assert_int_equal(flow_index_echo(&bases[1], 0x0030), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_index_strangers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
