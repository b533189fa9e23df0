/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/budget.c, on a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "budget.h"

#define SEC		1000ULL
#define T0		(1000 * SEC)	/* the fake clock's start */

/* The test's own PRNG for random operation mixes. */
static uint64_t
trand(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dULL;
}

static void
test_new_bad(void **state)
{
	struct budget *b;

	(void)state;
	assert_null(budget_new(0));
	assert_non_null(b = budget_new(1));
	assert_int_equal(budget_set_pps(b, 0), -1);
	assert_int_equal(budget_set_pps(b, 5), 0);
	assert_int_equal(budget_set_pps(NULL, 5), -1);
	assert_int_equal(budget_take(NULL, T0, 0), UINT64_MAX);
	assert_int_equal(budget_wait(NULL, T0, 1), UINT64_MAX);
	budget_free(b);
	budget_free(NULL);
}

/* Routine takes on every ms for span ms from start; how many granted. */
static uint64_t
drain_each_ms(struct budget *b, uint64_t start, uint64_t span)
{
	uint64_t t, n = 0;

	for (t = start; t <= start + span; t++)
		while (budget_take(b, t, 0) == 0)
			n++;
	return n;
}

static void
test_bucket_rate(void **state)
{
	struct budget *b = budget_new(100);
	uint64_t t = T0, n = 0, wait, iters = 0;

	(void)state;
	/*
	 * A full bucket (2) plus one token every 10 ms: over [T0, T0 + 10 s]
	 * that is 2 + 1000, asking again exactly when told to.
	 */
	while (t <= T0 + 10 * SEC) {
		assert_true(++iters < 10000);
		wait = budget_take(b, t, 0);
		if (wait == 0) {
			n++;
			continue;
		}
		/* empty with no fraction: exactly 10 ms at 100 pps */
		assert_int_equal(wait, 10);
		t += wait;
	}
	assert_int_equal(n, 100 * 10 + BUDGET_BURST);
	budget_free(b);

	/* the same, polling every ms */
	b = budget_new(100);
	assert_int_equal(drain_each_ms(b, T0, 10 * SEC),
	    100 * 10 + BUDGET_BURST);
	/* an idle spell refills the burst, no more */
	assert_int_equal(drain_each_ms(b, T0 + 3600 * SEC, 0), BUDGET_BURST);
	budget_free(b);
}

static void
test_bucket_waits(void **state)
{
	struct budget *b = budget_new(3);

	(void)state;
	assert_int_equal(budget_take(b, T0, 0), 0);
	assert_int_equal(budget_take(b, T0, 0), 0);
	/* 3 pps: 3 milli-tokens a ms, 1000 needed: 334 ms, rounded up */
	assert_int_equal(budget_take(b, T0, 0), 334);
	assert_int_equal(budget_take(b, T0 + 333, 0), 1);
	assert_int_equal(budget_take(b, T0 + 334, 0), 0);
	/* 2 milli-tokens left over: 333 ms to the next one */
	assert_int_equal(budget_take(b, T0 + 334, 0), 333);
	assert_int_equal(budget_take(b, T0 + 667, 0), 0);
	/* time going back: nothing accrues, nothing is lost */
	assert_int_equal(budget_take(b, T0 + 100, 0), 333);
	assert_int_equal(budget_take(b, T0 + 667, 0), 333);
	assert_int_equal(budget_take(b, T0 + 999, 0), 1);
	assert_int_equal(budget_take(b, T0 + 1000, 0), 0);
	/* refilling from empty: 666 ms gives 1998, not the cap of 2000 */
	assert_int_equal(budget_take(b, T0 + 1000, 0), 334);
	assert_int_equal(budget_take(b, T0 + 1666, 0), 0);
	assert_int_equal(budget_take(b, T0 + 1666, 0), 1);
	assert_int_equal(budget_take(b, T0 + 1667, 0), 0);
	assert_int_equal(budget_take(b, T0 + 1667, 0), 333);
	/* a huge jump just fills the bucket */
	assert_int_equal(budget_take(b, UINT64_MAX - 1, 0), 0);
	assert_int_equal(budget_take(b, UINT64_MAX - 1, 0), 0);
	assert_int_equal(budget_take(b, UINT64_MAX - 1, 0), 334);
	budget_free(b);
}

static void
test_bucket_urgent(void **state)
{
	struct budget *b = budget_new(100);
	int i;

	(void)state;
	assert_int_equal(budget_take(b, T0, 0), 0);
	assert_int_equal(budget_take(b, T0, 0), 0);
	assert_int_equal(budget_take(b, T0, 0), 10);
	/* urgent ones borrow up to max_pps tokens while routine ones wait */
	for (i = 0; i < 100; i++)
		assert_int_equal(budget_take(b, T0, 1), 0);
	assert_int_equal(budget_take(b, T0, 1), 10);
	/* -100 tokens: a routine take needs 101 more, 1010 ms */
	assert_int_equal(budget_take(b, T0, 0), 1010);
	assert_int_equal(budget_take(b, T0 + 10, 1), 0);
	assert_int_equal(budget_take(b, T0 + 10, 1), 10);
	assert_int_equal(budget_take(b, T0 + 1009, 0), 11);
	assert_int_equal(budget_take(b, T0 + 1019, 0), 1);
	assert_int_equal(budget_take(b, T0 + 1020, 0), 0);
	/* paid back: the balance stays capped at the burst */
	assert_int_equal(drain_each_ms(b, T0 + 100 * SEC, 0), BUDGET_BURST);
	budget_free(b);

	/* at 1 pps an urgent take may borrow just one */
	b = budget_new(1);
	assert_int_equal(budget_take(b, T0, 1), 0);
	assert_int_equal(budget_take(b, T0, 1), 0);
	assert_int_equal(budget_take(b, T0, 1), 0);
	assert_int_equal(budget_take(b, T0, 1), 1000);
	assert_int_equal(budget_take(b, T0, 0), 2000);
	budget_free(b);
}

/* Urgent and routine together: never over max_pps * s + burst + max_pps. */
static void
test_bucket_long_run(void **state)
{
	const unsigned pps = 50;
	struct budget *b = budget_new(pps);
	uint64_t x = 99, t, n = 0, secs;
	int urgent;

	(void)state;
	for (t = T0; t <= T0 + 300 * SEC; t++) {
		urgent = trand(&x) % 4 == 0;
		while (budget_take(b, t, urgent) == 0) {
			n++;
			secs = (t - T0) / SEC + 1;
			assert_true(n <= pps * secs + BUDGET_BURST + pps);
		}
	}
	/* and it does use the whole budget: 50 * 300 accrued + burst */
	assert_true(n >= pps * 300 + BUDGET_BURST);
	assert_true(n <= pps * 300 + BUDGET_BURST + pps);
	budget_free(b);
}

static void
test_bucket_set_pps(void **state)
{
	struct budget *b = budget_new(100);
	int i;

	(void)state;
	assert_int_equal(budget_take(b, T0, 0), 0);
	assert_int_equal(budget_take(b, T0, 0), 0);
	assert_int_equal(budget_take(b, T0, 0), 10);
	assert_int_equal(budget_set_pps(b, 1000), 0);
	assert_int_equal(budget_take(b, T0, 0), 1);
	assert_int_equal(budget_take(b, T0 + 1, 0), 0);
	/* the cap is 10 ms worth at 1000 pps: 10 tokens */
	assert_int_equal(drain_each_ms(b, T0 + 60 * SEC, 0), 10);
	/* borrowed at 1000 pps, then lowered: the debt is kept */
	for (i = 0; i < 1000; i++)
		assert_int_equal(budget_take(b, T0 + 60 * SEC, 1), 0);
	assert_int_equal(budget_set_pps(b, 10), 0);
	/* -1000 tokens at 10 pps: 1001 tokens, 100100 ms */
	assert_int_equal(budget_take(b, T0 + 60 * SEC, 0), 100100);
	/* urgent ones need the balance back above -10 first */
	assert_int_equal(budget_take(b, T0 + 60 * SEC, 1), 99100);
	budget_free(b);
}

static void
test_wait_peeks(void **state)
{
	struct budget	*b;

	(void)state;
	b = budget_new(100);
	assert_int_equal(budget_wait(b, 1000, 0), 0);
	assert_int_equal(budget_wait(b, 1000, 0), 0);	/* nothing taken */
	assert_int_equal(budget_take(b, 1000, 0), 0);
	assert_int_equal(budget_take(b, 1000, 0), 0);
	/* Empty now: both say 10 ms at 100 pps, and agree. */
	assert_int_equal(budget_wait(b, 1000, 0), 10);
	assert_int_equal(budget_take(b, 1000, 0), 10);
	/* Urgent may borrow: waiting says so too. */
	assert_int_equal(budget_wait(b, 1000, 1), 0);
	assert_int_equal(budget_wait(b, 1010, 0), 0);
	assert_int_equal(budget_take(b, 1010, 0), 0);
	budget_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_bad),
		cmocka_unit_test(test_wait_peeks),
		cmocka_unit_test(test_bucket_rate),
		cmocka_unit_test(test_bucket_waits),
		cmocka_unit_test(test_bucket_urgent),
		cmocka_unit_test(test_bucket_long_run),
		cmocka_unit_test(test_bucket_set_pps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
