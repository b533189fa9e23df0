/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/rtt.c: the timeout follows the present RTT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rtt.h"

static struct rtt *
fresh(void)
{
	struct rtt	*r;

	assert_non_null(r = rtt_new(1000, 50, 3000));
	return (r);
}

static void
test_new(void **state)
{
	struct rtt	*r;

	(void)state;
	assert_null(rtt_new(1000, 500, 400));
	r = fresh();
	assert_false(rtt_measured(r));
	assert_int_equal(rtt_srtt(r), 0);
	assert_int_equal(rtt_rto(r), 1000);	/* rto_init */
	rtt_sample(r, 0);			/* 0 ms is a sample too */
	assert_true(rtt_measured(r));
	assert_int_equal(rtt_srtt(r), 0);
	assert_int_equal(rtt_rto(r), 50);	/* rto_min */
	rtt_free(r);
	rtt_free(NULL);
}

/* The first sample: RFC 6298's srtt = R, rttvar = R / 2, rto = 3 R. */
static void
test_first(void **state)
{
	struct rtt	*r = fresh();

	(void)state;
	rtt_sample(r, 100);
	assert_int_equal(rtt_srtt(r), 100);
	assert_int_equal(rtt_rto(r), 300);
	rtt_sample(r, 2000);			/* rto_max wins */
	assert_int_equal(rtt_rto(r), 3000);
	rtt_free(r);
}

/* A steady RTT: no deviation, rto = 2 srtt, at least rto_min. */
static void
test_steady(void **state)
{
	struct rtt	*r = fresh();
	unsigned	 i;

	(void)state;
	for (i = 0; i < 3 * RTT_WINDOW; i++)
		rtt_sample(r, 150);
	assert_int_equal(rtt_srtt(r), 150);
	assert_int_equal(rtt_rto(r), 300);
	for (i = 0; i < RTT_WINDOW; i++)
		rtt_sample(r, 10);
	assert_int_equal(rtt_srtt(r), 10);
	assert_int_equal(rtt_rto(r), 50);
	rtt_free(r);
}

/*
 * One late answer (a probe that waited on neighbour discovery) among
 * fast ones: it rules the timeout only while it is the newest sample,
 * and is gone from the window after RTT_WINDOW more.
 */
static void
test_outlier(void **state)
{
	struct rtt	*r = fresh();
	unsigned	 i;

	(void)state;
	rtt_sample(r, 1000);
	assert_int_equal(rtt_rto(r), 3000);
	rtt_sample(r, 1);
	assert_int_equal(rtt_srtt(r), 1);
	assert_int_equal(rtt_rto(r), 50);
	/* Mid-window too. */
	for (i = 0; i < RTT_WINDOW; i++)
		rtt_sample(r, 20);
	rtt_sample(r, 900);
	assert_int_equal(rtt_rto(r), 1800);
	rtt_sample(r, 20);
	assert_int_equal(rtt_srtt(r), 20);
	assert_int_equal(rtt_rto(r), 50);
	rtt_free(r);
}

/*
 * An RTT that rises, 20 to 300 ms: the first slow answer lifts the
 * timeout above 300 at once, and it stays there.
 */
static void
test_rise(void **state)
{
	struct rtt	*r = fresh();
	unsigned	 i;

	(void)state;
	for (i = 0; i < RTT_WINDOW; i++)
		rtt_sample(r, 20);
	assert_int_equal(rtt_rto(r), 50);
	for (i = 0; i < 2 * RTT_WINDOW; i++) {
		rtt_sample(r, 300);
		assert_true(rtt_rto(r) >= 600);
	}
	assert_int_equal(rtt_srtt(r), 300);
	assert_int_equal(rtt_rto(r), 600);
	rtt_free(r);
}

/*
 * Spread samples: mean and mean deviation of the window less its
 * largest.  400, 100, 300, 200: srtt 200, rttvar 66, rto 464; then the
 * newest (500) pushes it to 1000.
 */
static void
test_spread(void **state)
{
	struct rtt	*r = fresh();

	(void)state;
	rtt_sample(r, 400);
	rtt_sample(r, 100);
	rtt_sample(r, 300);
	rtt_sample(r, 200);
	assert_int_equal(rtt_srtt(r), 200);
	assert_int_equal(rtt_rto(r), 200 + 4 * 66);
	rtt_sample(r, 500);	/* 400 leaves, 500 is the largest */
	assert_int_equal(rtt_srtt(r), 200);
	assert_int_equal(rtt_rto(r), 1000);
	rtt_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_first),
		cmocka_unit_test(test_steady),
		cmocka_unit_test(test_outlier),
		cmocka_unit_test(test_rise),
		cmocka_unit_test(test_spread),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
