/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/sched.c, on a fake clock. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sched.h"

#define SEC		1000ULL
#define MIN		(60 * SEC)
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

/* Takes key from the scheduler at now; fails unless exactly key is due. */
static void
take_key(struct sched *s, unsigned want, uint64_t now)
{
	unsigned key = UINT_MAX;
	uint64_t wake = 12345;

	assert_int_equal(sched_due(s, now, &key, &wake), 1);
	assert_int_equal(key, want);
	assert_int_equal(wake, 12345);	/* untouched when a key is due */
}

static void
assert_nothing_due(struct sched *s, uint64_t now, uint64_t want_wake)
{
	unsigned key = 777;
	uint64_t wake = 12345;

	assert_int_equal(sched_due(s, now, &key, &wake), 0);
	assert_int_equal(key, 777);
	assert_int_equal(wake, want_wake);
}

static void
assert_between(uint64_t v, uint64_t lo, uint64_t hi)
{
	assert_in_range(v, lo, hi);
}

static void
test_new_bad(void **state)
{
	struct sched *s;

	(void)state;
	assert_null(sched_new(0, 1));
	s = sched_new(1, 0);		/* seed 0 is allowed */
	assert_non_null(s);
	assert_int_equal(sched_count(s), 0);
	assert_nothing_due(s, T0, 0);
	assert_int_equal(sched_set_pps(s, 0), -1);
	assert_int_equal(sched_set_pps(s, 5), 0);
	assert_int_equal(sched_count(NULL), 0);
	assert_int_equal(sched_set_pps(NULL, 5), -1);
	assert_int_equal(sched_add(NULL, 1, MIN, T0), -1);
	assert_int_equal(sched_remove(NULL, 1), -1);
	assert_int_equal(sched_poke(NULL, 1, T0), -1);
	assert_int_equal(sched_done(NULL, 1, SCHED_SAME, T0), -1);
	assert_int_equal(sched_next_at(NULL, 1), 0);
	sched_free(s);
	sched_free(NULL);
}

static void
test_add_bad(void **state)
{
	struct sched *s = sched_new(100, 1);
	uint64_t at;

	(void)state;
	assert_int_equal(sched_add(s, 3, 0, T0), -1);	/* interval 0 */
	assert_int_equal(sched_count(s), 0);
	assert_int_equal(sched_add(s, UINT_MAX, MIN, T0), -1);	/* huge key */
	assert_int_equal(sched_add(s, 1u << 21, MIN, T0), -1);
	assert_int_equal(sched_count(s), 0);
	assert_int_equal(sched_next_at(s, UINT_MAX), 0);
	assert_int_equal(sched_remove(s, UINT_MAX), -1);
	assert_int_equal(sched_poke(s, UINT_MAX, T0), -1);
	assert_int_equal(sched_done(s, UINT_MAX, SCHED_SAME, T0), -1);

	/* the largest key allowed works */
	assert_int_equal(sched_add(s, (1u << 21) - 1, 1, T0), 0);
	assert_int_equal(sched_next_at(s, (1u << 21) - 1), T0);
	/* a bad interval on re-add changes nothing */
	at = sched_next_at(s, (1u << 21) - 1);
	assert_int_equal(sched_add(s, (1u << 21) - 1, 0, T0 + 5), -1);
	assert_int_equal(sched_next_at(s, (1u << 21) - 1), at);
	assert_int_equal(sched_count(s), 1);
	sched_free(s);
}

/* An interval under 10 ms has no room for jitter or spread: exact. */
static void
test_tiny_interval_exact(void **state)
{
	struct sched *s = sched_new(100, 42);

	(void)state;
	assert_int_equal(sched_add(s, 0, 1, T0), 0);
	assert_int_equal(sched_add(s, 9, 9, T0), 0);
	assert_int_equal(sched_count(s), 2);
	assert_int_equal(sched_next_at(s, 0), T0);	/* spread [0, 1) */
	assert_in_range(sched_next_at(s, 9), T0, T0 + 8);

	take_key(s, 0, T0);
	assert_int_equal(sched_next_at(s, 0), 0);	/* running */
	assert_int_equal(sched_done(s, 0, SCHED_SAME, T0 + 3), 0);
	assert_int_equal(sched_next_at(s, 0), T0 + 4);
	assert_int_equal(sched_done(s, 0, SCHED_SAME, T0 + 3), -1);
	sched_free(s);
}

static void
test_due_order_and_wake(void **state)
{
	struct sched *s = sched_new(100, 7);
	uint64_t at[20], prev, w;
	unsigned k, key, seen[20];
	int n;

	(void)state;
	for (k = 0; k < 20; k++) {
		assert_int_equal(sched_add(s, k, 10 * MIN, T0), 0);
		at[k] = sched_next_at(s, k);
		/* spread over [now, now + min(interval, 60 s)) */
		assert_in_range(at[k], T0, T0 + MIN - 1);
	}
	assert_int_equal(sched_count(s), 20);

	/* before the earliest: nothing, wake at the earliest */
	w = UINT64_MAX;
	for (k = 0; k < 20; k++)
		if (at[k] < w)
			w = at[k];
	if (w > T0)
		assert_nothing_due(s, w - 1, w);

	/* everything due at once comes out in due-time order */
	memset(seen, 0, sizeof(seen));
	prev = 0;
	n = 0;
	while (sched_due(s, T0 + MIN, &key, &w) == 1) {
		assert_in_range(key, 0, 19);
		assert_int_equal(seen[key], 0);
		seen[key] = 1;
		assert_true(at[key] >= prev);
		prev = at[key];
		n++;
	}
	assert_int_equal(n, 20);
	/* all running: nothing scheduled */
	assert_nothing_due(s, UINT64_MAX, 0);
	assert_int_equal(sched_count(s), 20);
	sched_free(s);
}

/* Keys due at the same ms come out smallest key first. */
static void
test_ties_by_key(void **state)
{
	struct sched *s = sched_new(100, 7);
	unsigned k;

	(void)state;
	for (k = 10; k > 0; k--)
		assert_int_equal(sched_add(s, k, 1, T0), 0);
	for (k = 1; k <= 10; k++)
		take_key(s, k, T0);
	assert_nothing_due(s, T0, 0);
	sched_free(s);
}

/* Runs key (due at or before now) and reports outcome o; its next due. */
static uint64_t
cycle(struct sched *s, unsigned key, enum sched_outcome o, uint64_t now)
{
	take_key(s, key, now);
	assert_int_equal(sched_done(s, key, o, now), 0);
	return sched_next_at(s, key) - now;
}

static void
test_jitter_range(void **state)
{
	struct sched *s = sched_new(100, 99);
	uint64_t now = T0 + MIN, d, lo = UINT64_MAX, hi = 0;
	int i, hits[3] = { 0, 0, 0 };

	(void)state;
	assert_int_equal(sched_add(s, 5, 100 * SEC, T0), 0);
	for (i = 0; i < 2000; i++) {
		d = cycle(s, 5, SCHED_SAME, now);
		assert_between(d, 90 * SEC, 110 * SEC);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
		now += d;
	}
	/* the whole +-10% is used, not a sliver of it */
	assert_true(lo < 91 * SEC);
	assert_true(hi > 109 * SEC);
	sched_free(s);

	/* 10 ms +-1: exactly 9, 10 and 11 all come up, nothing else */
	s = sched_new(100, 99);
	assert_int_equal(sched_add(s, 5, 10, T0), 0);
	for (i = 0, now = T0 + 10; i < 300; i++) {
		d = cycle(s, 5, SCHED_SAME, now);
		assert_in_range(d, 9, 11);
		hits[d - 9]++;
		now += d;
	}
	assert_true(hits[0] > 50 && hits[1] > 50 && hits[2] > 50);
	sched_free(s);
}

/* Records the due times a seed gives for a fixed set of operations. */
static void
run_script(uint64_t seed, uint64_t *out, size_t n)
{
	struct sched *s = sched_new(100, seed);
	size_t i;

	for (i = 0; i < n / 2; i++) {
		assert_int_equal(sched_add(s, (unsigned)i, 10 * MIN, T0), 0);
		out[i] = sched_next_at(s, (unsigned)i);
	}
	for (i = 0; i < n / 2; i++) {
		unsigned key;
		uint64_t w;

		assert_int_equal(sched_due(s, T0 + MIN, &key, &w), 1);
		assert_int_equal(sched_done(s, key, SCHED_SAME, T0 + MIN), 0);
		out[n / 2 + i] = sched_next_at(s, key) * 1000003 + key;
	}
	sched_free(s);
}

static void
test_deterministic(void **state)
{
	uint64_t a[200], b[200], c[200];
	size_t i, same = 0;

	(void)state;
	run_script(1234, a, 200);
	run_script(1234, b, 200);
	assert_memory_equal(a, b, sizeof(a));
	run_script(1235, c, 200);
	for (i = 0; i < 200; i++)
		same += a[i] == c[i];
	assert_true(same < 20);
	/* seed 0 means a fixed seed, the same every time */
	run_script(0, a, 200);
	run_script(0, b, 200);
	assert_memory_equal(a, b, sizeof(a));
}

static void
test_spread(void **state)
{
	struct sched *s = sched_new(100, 3);
	uint64_t at, lo = UINT64_MAX, hi = 0;
	unsigned k;

	(void)state;
	/* interval longer than the spread window: within 60 s */
	for (k = 0; k < 1000; k++) {
		assert_int_equal(sched_add(s, k, 10 * MIN, T0), 0);
		at = sched_next_at(s, k);
		assert_in_range(at, T0, T0 + SCHED_SPREAD_MS - 1);
		lo = at < lo ? at : lo;
		hi = at > hi ? at : hi;
	}
	assert_true(lo < T0 + 1 * SEC);
	assert_true(hi > T0 + 59 * SEC);
	/* interval shorter: within the interval */
	for (k = 1000; k < 2000; k++) {
		assert_int_equal(sched_add(s, k, 5 * SEC, T0), 0);
		assert_in_range(sched_next_at(s, k), T0, T0 + 5 * SEC - 1);
	}
	assert_int_equal(sched_count(s), 2000);
	sched_free(s);
}

static void
test_changed(void **state)
{
	struct sched *s = sched_new(100, 5), *s2 = sched_new(100, 6);
	uint64_t now = T0 + MIN;
	int i;

	(void)state;
	assert_int_equal(sched_add(s, 1, 10 * MIN, T0), 0);
	assert_int_equal(sched_add(s2, 2, 30 * SEC, T0), 0);
	for (i = 0; i < 50; i++) {
		/* recheck after min(interval, 60 s) */
		assert_between(cycle(s, 1, SCHED_CHANGED, now), 54 * SEC,
		    66 * SEC);
		assert_between(cycle(s2, 2, SCHED_CHANGED, now), 27 * SEC,
		    33 * SEC);
		now += 2 * MIN;
	}
	assert_between(cycle(s, 1, SCHED_SAME, now), 9 * MIN, 11 * MIN);
	sched_free(s);
	sched_free(s2);
}

static void
test_backoff(void **state)
{
	static const uint64_t want[] = {
		30 * SEC, 60 * SEC, 120 * SEC, 240 * SEC, 480 * SEC,
		600 * SEC, 600 * SEC, 600 * SEC,
	};
	struct sched *s = sched_new(100, 11);
	uint64_t now = T0 + MIN, d;
	size_t i;
	int round;

	(void)state;
	assert_int_equal(sched_add(s, 4, 10 * MIN, T0), 0);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			d = cycle(s, 4, SCHED_FAILED, now);
			assert_between(d, want[i] - want[i] / 10,
			    want[i] + want[i] / 10);
			now += d;
		}
		/* a success resets the count: the next failure is 30 s */
		if (round == 2)
			break;
		now += cycle(s, 4, round == 0 ? SCHED_SAME : SCHED_CHANGED,
		    now);
	}
	/* many more failures in a row stay capped, no overflow */
	for (i = 0; i < 70000; i++) {
		d = cycle(s, 4, SCHED_FAILED, now);
		assert_between(d, 540 * SEC, 660 * SEC);
		now += d;
	}
	sched_free(s);
}

/* Interval under the retry: the first failure already is capped. */
static void
test_backoff_short_interval(void **state)
{
	struct sched *s = sched_new(100, 11);
	uint64_t now = T0 + MIN;
	int i;

	(void)state;
	assert_int_equal(sched_add(s, 4, 20 * SEC, T0), 0);
	for (i = 0; i < 5; i++)
		assert_between(cycle(s, 4, SCHED_FAILED, now + i * MIN),
		    18 * SEC, 22 * SEC);
	assert_int_equal(sched_add(s, 5, 5, T0), 0);
	assert_int_equal(cycle(s, 5, SCHED_FAILED, T0 + MIN), 5);
	sched_free(s);
}

static void
test_done_bad(void **state)
{
	struct sched *s = sched_new(100, 1);

	(void)state;
	assert_int_equal(sched_add(s, 1, 1, T0), 0);
	/* not running yet */
	assert_int_equal(sched_done(s, 1, SCHED_SAME, T0), -1);
	assert_int_equal(sched_next_at(s, 1), T0);
	/* unknown key, inside and outside the array */
	assert_int_equal(sched_done(s, 2, SCHED_SAME, T0), -1);
	assert_int_equal(sched_done(s, 100000, SCHED_SAME, T0), -1);
	take_key(s, 1, T0);
	/* bad outcome: refused, still running */
	assert_int_equal(sched_done(s, 1, 0, T0), -1);
	assert_int_equal(sched_done(s, 1, 99, T0), -1);
	assert_int_equal(sched_next_at(s, 1), 0);
	assert_nothing_due(s, UINT64_MAX, 0);
	assert_int_equal(sched_done(s, 1, SCHED_FAILED, T0), 0);
	assert_int_equal(sched_next_at(s, 1), T0 + 1);
	sched_free(s);
}

static void
test_remove(void **state)
{
	struct sched *s = sched_new(100, 1);

	(void)state;
	assert_int_equal(sched_add(s, 1, 1, T0), 0);
	assert_int_equal(sched_add(s, 2, 1, T0), 0);
	assert_int_equal(sched_add(s, 3, 1, T0), 0);
	assert_int_equal(sched_remove(s, 2), 0);
	assert_int_equal(sched_remove(s, 2), -1);
	assert_int_equal(sched_remove(s, 50), -1);
	assert_int_equal(sched_count(s), 2);
	assert_int_equal(sched_next_at(s, 2), 0);
	take_key(s, 1, T0);
	/* removed while running: forgotten, its finding is refused */
	assert_int_equal(sched_remove(s, 1), 0);
	assert_int_equal(sched_count(s), 1);
	take_key(s, 3, T0);
	assert_nothing_due(s, UINT64_MAX, 0);
	assert_int_equal(sched_done(s, 1, SCHED_SAME, T0), -1);
	assert_int_equal(sched_next_at(s, 1), 0);
	assert_nothing_due(s, UINT64_MAX, 0);
	assert_int_equal(sched_done(s, 3, SCHED_SAME, T0), 0);
	take_key(s, 3, T0 + 1);

	/* removed while running and added again: a new entry, waiting */
	assert_int_equal(sched_remove(s, 3), 0);
	assert_int_equal(sched_add(s, 3, 1, T0 + 10), 0);
	assert_int_equal(sched_next_at(s, 3), T0 + 10);
	assert_int_equal(sched_done(s, 3, SCHED_SAME, T0 + 11), -1);
	assert_int_equal(sched_next_at(s, 3), T0 + 10);
	assert_int_equal(sched_count(s), 1);
	take_key(s, 3, T0 + 10);
	sched_free(s);
}

static void
test_poke(void **state)
{
	struct sched *s = sched_new(100, 1);
	uint64_t at;

	(void)state;
	assert_int_equal(sched_add(s, 1, 1, T0), 0);
	assert_int_equal(sched_add(s, 2, 1, T0 + 50), 0);
	take_key(s, 1, T0);
	assert_int_equal(sched_done(s, 1, SCHED_SAME, T0 + 100 * MIN), 0);
	assert_int_equal(sched_next_at(s, 1), T0 + 100 * MIN + 1);
	assert_nothing_due(s, T0 + 49, T0 + 50);

	/* a waiting key: due now, ahead of others due later */
	assert_int_equal(sched_poke(s, 1, T0 + 20), 0);
	assert_int_equal(sched_next_at(s, 1), T0 + 20);
	assert_nothing_due(s, T0 + 19, T0 + 20);
	take_key(s, 1, T0 + 20);
	/* poking an overdue key does not push it later */
	assert_int_equal(sched_poke(s, 2, T0 + 70), 0);
	assert_int_equal(sched_next_at(s, 2), T0 + 50);
	assert_int_equal(sched_poke(s, 99, T0), -1);

	/* a running key: due as soon as its finding is in */
	assert_int_equal(sched_poke(s, 1, T0 + 30), 0);
	assert_int_equal(sched_next_at(s, 1), 0);
	assert_int_equal(sched_done(s, 1, SCHED_SAME, T0 + 40), 0);
	assert_int_equal(sched_next_at(s, 1), T0 + 40);
	take_key(s, 1, T0 + 40);
	/* only once: the next finding schedules normally */
	assert_int_equal(sched_done(s, 1, SCHED_SAME, T0 + 45), 0);
	assert_int_equal(sched_next_at(s, 1), T0 + 46);

	/* the poked failure still counts toward the backoff */
	assert_int_equal(sched_add(s, 3, 10 * MIN, T0), 0);
	at = sched_next_at(s, 3);
	assert_int_equal(sched_poke(s, 3, T0), 0);
	assert_int_equal(sched_next_at(s, 3), at < T0 ? at : T0);
	take_key(s, 3, T0);
	assert_int_equal(sched_poke(s, 3, T0), 0);
	assert_int_equal(sched_done(s, 3, SCHED_FAILED, T0 + 1), 0);
	assert_int_equal(sched_next_at(s, 3), T0 + 1);
	assert_between(cycle(s, 3, SCHED_FAILED, T0 + 2), 54 * SEC,
	    66 * SEC);
	sched_free(s);
}

static void
test_readd(void **state)
{
	struct sched *s = sched_new(100, 8);
	uint64_t at;

	(void)state;
	assert_int_equal(sched_add(s, 6, 1000, T0), 0);
	at = sched_next_at(s, 6);
	assert_in_range(at, T0, T0 + 999);
	/* re-add: new interval, same due time, one entry */
	assert_int_equal(sched_add(s, 6, 100 * SEC, T0 + 500), 0);
	assert_int_equal(sched_next_at(s, 6), at);
	assert_int_equal(sched_count(s), 1);
	assert_between(cycle(s, 6, SCHED_SAME, T0 + 2000), 90 * SEC,
	    110 * SEC);
	/* re-add while running: still running, new interval applies */
	take_key(s, 6, T0 + 200 * SEC);
	assert_int_equal(sched_add(s, 6, 10, T0 + 200 * SEC), 0);
	assert_int_equal(sched_next_at(s, 6), 0);
	assert_nothing_due(s, UINT64_MAX, 0);
	assert_int_equal(sched_done(s, 6, SCHED_SAME, T0 + 201 * SEC), 0);
	assert_between(sched_next_at(s, 6), T0 + 201 * SEC + 9,
	    T0 + 201 * SEC + 11);
	assert_int_equal(sched_count(s), 1);
	sched_free(s);
}

/* A running key is never handed out again, whatever happens to it. */
static void
test_running_not_due(void **state)
{
	struct sched *s = sched_new(100, 8);
	unsigned key;
	uint64_t w;

	(void)state;
	assert_int_equal(sched_add(s, 1, 1, T0), 0);
	assert_int_equal(sched_add(s, 2, 1, T0 + 5), 0);
	take_key(s, 1, T0 + 10);
	assert_int_equal(sched_poke(s, 1, T0 + 10), 0);
	assert_int_equal(sched_add(s, 1, 1, T0 + 10), 0);
	take_key(s, 2, UINT64_MAX);
	assert_int_equal(sched_due(s, UINT64_MAX, &key, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(sched_done(s, 2, SCHED_SAME, T0 + 20), 0);
	take_key(s, 2, T0 + 21);
	assert_nothing_due(s, UINT64_MAX, 0);
	sched_free(s);
}

/*
 * Random adds, removes, pokes and findings against a model: what
 * sched_due hands out must be the waiting key with the least
 * (due, key), and the model's waiting set must match sched_next_at.
 */
#define MODEL_KEYS	300
/* A running key, or k when none is. */
static unsigned
model_running(const int *st, unsigned k)
{
	unsigned i;

	for (i = 0; i < MODEL_KEYS; i++)
		if (st[(k + i) % MODEL_KEYS] == 2)
			return (k + i) % MODEL_KEYS;
	return k;
}

/* The waiting key with the least (due, key); UINT_MAX when none. */
static unsigned
model_first(struct sched *s, const int *st)
{
	unsigned k, best = UINT_MAX;

	for (k = 0; k < MODEL_KEYS; k++) {
		if (st[k] != 1)
			continue;
		assert_true(sched_next_at(s, k) >= T0);
		if (best == UINT_MAX ||
		    sched_next_at(s, k) < sched_next_at(s, best))
			best = k;
	}
	return best;
}

static void
test_model(void **state)
{
	struct sched *s = sched_new(100, 77);
	int st[MODEL_KEYS];		/* 0 none, 1 waiting, 2 running */
	uint64_t x = 0x1234567, now = T0, w, ival;
	size_t count = 0, maxwait = 0, nwait;
	unsigned key, k, best;
	int i, r;

	(void)state;
	memset(st, 0, sizeof(st));
	for (i = 0; i < 300000; i++) {
		k = (unsigned)(trand(&x) % MODEL_KEYS);
		r = (int)(trand(&x) % 16);
		now += trand(&x) % 20;
		switch (r) {
		case 0:
		case 1:
		case 2:
			/* short and long intervals mix the heap's order */
			ival = trand(&x) % 2 ? 1 + trand(&x) % 500 :
			    1 + trand(&x) % (20 * MIN);
			assert_int_equal(sched_add(s, k, ival, now), 0);
			if (st[k] == 0) {
				st[k] = 1;
				count++;
			}
			break;
		case 3:
			assert_int_equal(sched_remove(s, k), st[k] ? 0 : -1);
			if (st[k]) {
				st[k] = 0;
				count--;
			}
			break;
		case 4:
			assert_int_equal(sched_poke(s, k, now), st[k] ? 0 : -1);
			break;
		case 5:
		case 6:
		case 7:
		case 8:
			k = model_running(st, k);
			assert_int_equal(sched_done(s, k,
			    (enum sched_outcome)(1 + trand(&x) % 3), now),
			    st[k] == 2 ? 0 : -1);
			if (st[k] == 2)
				st[k] = 1;
			break;
		default:
			best = model_first(s, st);
			if (best == UINT_MAX) {
				assert_nothing_due(s, now, 0);
			} else if (sched_next_at(s, best) > now) {
				assert_nothing_due(s, now,
				    sched_next_at(s, best));
			} else {
				assert_int_equal(sched_due(s, now, &key, &w),
				    1);
				assert_int_equal(key, best);
				st[key] = 2;
			}
			break;
		}
		assert_int_equal(sched_count(s), count);
		for (nwait = 0, k = 0; k < MODEL_KEYS; k++)
			nwait += st[k] == 1;
		maxwait = nwait > maxwait ? nwait : maxwait;
	}
	/* the heap was deep enough to matter */
	assert_true(maxwait > 100);
	for (k = 0; k < MODEL_KEYS; k++)
		if (st[k] != 1)
			assert_int_equal(sched_next_at(s, k), 0);
	sched_free(s);
}

/*
 * 100,000 keys, 10 minute interval: following the wake times, each
 * comes due exactly once in [now, now + 0.9 interval) (first probes
 * are within 60 s, the next no sooner than 0.9 interval after that),
 * and at least once, at most twice, by now + 60 s + 1.1 interval.
 */
#define BIG	100000
static void
test_many_keys(void **state)
{
	struct sched *s = sched_new(100, 2024);
	const uint64_t ival = 10 * MIN;
	unsigned char *seen = calloc(BIG, 1);
	uint64_t t = T0, w, iters = 0, events = 0, at;
	unsigned key, k;

	(void)state;
	assert_non_null(seen);
	for (k = 0; k < BIG; k++)
		assert_int_equal(sched_add(s, k, ival, T0), 0);
	assert_int_equal(sched_count(s), BIG);

	while (t < T0 + ival * 9 / 10) {
		assert_true(++iters <= 3 * BIG);	/* bounded */
		if (sched_due(s, t, &key, &w) == 1) {
			assert_in_range(key, 0, BIG - 1);
			assert_int_equal(seen[key], 0);
			seen[key] = 1;
			events++;
			assert_int_equal(sched_done(s, key, SCHED_SAME, t), 0);
			at = sched_next_at(s, key);
			assert_between(at, t + ival * 9 / 10,
			    t + ival * 11 / 10);
			continue;
		}
		assert_true(w > t);
		t = w;
	}
	assert_int_equal(events, BIG);
	for (k = 0; k < BIG; k++)
		assert_int_equal(seen[k], 1);

	/* the second round: everyone again, nobody a third time */
	while (t <= T0 + MIN + ival * 11 / 10) {
		assert_true(++iters <= 6 * BIG);
		if (sched_due(s, t, &key, &w) == 1) {
			assert_int_equal(seen[key], 1);
			seen[key] = 2;
			events++;
			assert_int_equal(sched_done(s, key, SCHED_SAME, t), 0);
			continue;
		}
		t = w;
	}
	assert_int_equal(events, 2 * BIG);

	/* removing them all, in an order unlike the heap's, empties it */
	for (k = 0; k < BIG; k++)
		assert_int_equal(sched_remove(s, (k * 7919) % BIG), 0);
	assert_int_equal(sched_count(s), 0);
	assert_nothing_due(s, UINT64_MAX, 0);
	free(seen);
	sched_free(s);
}

/* A handful of destinations starts within what the budget needs. */
static void
test_spread_small(void **state)
{
	struct sched	*s = sched_new(50, 9);
	unsigned	 k;

	(void)state;
	for (k = 0; k < 3; k++) {
		assert_int_equal(sched_add(s, k, 10 * MIN, T0), 0);
		/* k+1 keys x 8 probes at 50 pps: 160 ms each */
		assert_in_range(sched_next_at(s, k), T0,
		    T0 + (k + 1) * SCHED_PROBES_EST * 1000 / 50 - 1);
	}
	sched_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread_small),
		cmocka_unit_test(test_new_bad),
		cmocka_unit_test(test_add_bad),
		cmocka_unit_test(test_tiny_interval_exact),
		cmocka_unit_test(test_due_order_and_wake),
		cmocka_unit_test(test_ties_by_key),
		cmocka_unit_test(test_jitter_range),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_changed),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_backoff_short_interval),
		cmocka_unit_test(test_done_bad),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_poke),
		cmocka_unit_test(test_readd),
		cmocka_unit_test(test_running_not_due),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_many_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
