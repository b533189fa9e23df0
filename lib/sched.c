/* SPDX-License-Identifier: ISC */
/*
 * The scheduler for monitored destinations.
 *
 * Entries live in an array indexed by key; the waiting ones (not
 * running) are also in a binary min-heap ordered by (due, key), and
 * each entry knows its heap slot, so add, remove, poke, due and done
 * are all O(log n).  Ties on the due time go to the smaller key so the
 * order is fully determined.
 *
 * Randomness (jitter and the first-probe spread) comes from a private
 * xorshift64* seeded by sched_new, so a given seed gives the same
 * schedule every time.
 *
 * Spread: keys are added one at a time, so how many make up a "batch"
 * is unknown; instead each new key's first probe is at a uniformly
 * random offset in [0, window) from now, which spreads a fleet evenly
 * over that window on average.  The window is min(interval,
 * SCHED_SPREAD_MS) but no longer than the budget needs for the keys so
 * far (SCHED_PROBES_EST probes each at max_pps): a handful of
 * destinations start within a second, a fleet over a minute.
 *
 * A key poked while running is due again as soon as its finding is in.
 * Keys must be below SCHED_KEY_LIMIT; max_pps must be at least 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

/* Keys index an array; this bounds its size (the daemon needs ~200k). */
#define SCHED_KEY_LIMIT	(1u << 21)
#define SCHED_SEED0	0x9e3779b97f4a7c15ULL

enum ent_state {
	ENT_NONE = 0,
	ENT_WAITING,		/* in the heap */
	ENT_RUNNING,		/* handed out by sched_due, not in the heap */
};

struct ent {
	uint64_t	 due;
	uint64_t	 interval;
	uint32_t	 slot;		/* heap index while waiting */
	uint16_t	 fails;		/* consecutive failures */
	uint8_t		 state;
	uint8_t		 poked;		/* poked while running */
};

struct slot {
	uint64_t	 due;
	uint32_t	 key;
};

struct sched {
	struct ent	*ents;
	size_t		 nents;		/* allocated */
	size_t		 count;		/* known keys */
	struct slot	*heap;
	size_t		 nheap;
	size_t		 heapcap;
	uint64_t	 rng;
	unsigned	 pps;		/* the budget's, for the spread */
};

static uint64_t
rng_next(struct sched *s)
{
	uint64_t x = s->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	s->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n); n > 0.  The modulo bias is far below a ms. */
static uint64_t
rng_below(struct sched *s, uint64_t n)
{
	return rng_next(s) % n;
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* v +-10%, uniformly, in whole ms. */
static uint64_t
jitter(struct sched *s, uint64_t v)
{
	uint64_t j = v / 10;

	if (j == 0)
		return v;
	return v - j + rng_below(s, 2 * j + 1);
}

static int
slot_less(const struct slot *a, const struct slot *b)
{
	return a->due < b->due || (a->due == b->due && a->key < b->key);
}

static void
heap_put(struct sched *s, size_t i, struct slot v)
{
	s->heap[i] = v;
	s->ents[v.key].slot = (uint32_t)i;
}

static void
heap_up(struct sched *s, size_t i)
{
	struct slot v = s->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!slot_less(&v, &s->heap[p]))
			break;
		heap_put(s, i, s->heap[p]);
		i = p;
	}
	heap_put(s, i, v);
}

static void
heap_down(struct sched *s, size_t i)
{
	struct slot v = s->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap && slot_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!slot_less(&s->heap[c], &v))
			break;
		heap_put(s, i, s->heap[c]);
		i = c;
	}
	heap_put(s, i, v);
}

/* Room for one more waiting key. */
static int
heap_reserve(struct sched *s)
{
	struct slot *h;
	size_t n;

	if (s->nheap < s->heapcap)
		return 0;
	n = s->heapcap ? s->heapcap * 2 : 64;
	if ((h = reallocarray(s->heap, n, sizeof(*h))) == NULL)
		return -1;
	s->heap = h;
	s->heapcap = n;
	return 0;
}

/* Puts key in the heap at due; room must be reserved. */
static void
heap_push(struct sched *s, unsigned key, uint64_t due)
{
	struct slot v = { due, key };
	struct ent *e = &s->ents[key];

	e->due = due;
	e->state = ENT_WAITING;
	s->heap[s->nheap++] = v;
	heap_up(s, s->nheap - 1);
}

static void
heap_delete(struct sched *s, size_t i)
{
	if (--s->nheap == i)
		return;
	heap_put(s, i, s->heap[s->nheap]);
	if (i > 0 && slot_less(&s->heap[i], &s->heap[(i - 1) / 2]))
		heap_up(s, i);
	else
		heap_down(s, i);
}

/* A waiting key's new, earlier due time. */
static void
heap_earlier(struct sched *s, unsigned key, uint64_t due)
{
	struct ent *e = &s->ents[key];

	e->due = due;
	s->heap[e->slot].due = due;
	heap_up(s, e->slot);
}

static struct ent *
lookup(const struct sched *s, unsigned key)
{
	if (s == NULL || key >= s->nents || s->ents[key].state == ENT_NONE)
		return NULL;
	return &s->ents[key];
}

/* Makes ents[key] exist, zeroed when new. */
static int
ents_grow(struct sched *s, unsigned key)
{
	struct ent *e;
	size_t n;

	if (key < s->nents)
		return 0;
	if (key >= SCHED_KEY_LIMIT)
		return -1;
	n = s->nents ? s->nents : 64;
	while (n <= key)
		n *= 2;
	if (n > SCHED_KEY_LIMIT)
		n = SCHED_KEY_LIMIT;
	if ((e = reallocarray(s->ents, n, sizeof(*e))) == NULL)
		return -1;
	memset(e + s->nents, 0, (n - s->nents) * sizeof(*e));
	s->ents = e;
	s->nents = n;
	return 0;
}

struct sched *
sched_new(unsigned max_pps, uint64_t seed)
{
	struct sched *s;

	if (max_pps == 0)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->rng = seed != 0 ? seed : SCHED_SEED0;
	s->pps = max_pps;
	return s;
}

void
sched_free(struct sched *s)
{
	if (s == NULL)
		return;
	free(s->ents);
	free(s->heap);
	free(s);
}

int
sched_set_pps(struct sched *s, unsigned max_pps)
{
	if (s == NULL || max_pps == 0)
		return -1;
	s->pps = max_pps;
	return 0;
}

static uint64_t
spread_window(const struct sched *s, uint64_t interval_ms)
{
	uint64_t	 need;

	need = ((uint64_t)s->count + 1) * SCHED_PROBES_EST * 1000 / s->pps;
	if (need == 0)
		need = 1;
	return min_u64(min_u64(interval_ms, SCHED_SPREAD_MS), need);
}

int
sched_add(struct sched *s, unsigned key, uint64_t interval_ms, uint64_t now)
{
	struct ent *e;
	uint64_t off;

	if (s == NULL || interval_ms == 0)
		return -1;
	if ((e = lookup(s, key)) != NULL) {
		e->interval = interval_ms;
		return 0;
	}
	if (ents_grow(s, key) == -1 || heap_reserve(s) == -1)
		return -1;
	e = &s->ents[key];
	memset(e, 0, sizeof(*e));
	e->interval = interval_ms;
	off = rng_below(s, spread_window(s, interval_ms));
	heap_push(s, key, sat_add(now, off));
	s->count++;
	return 0;
}

int
sched_remove(struct sched *s, unsigned key)
{
	struct ent *e;

	if ((e = lookup(s, key)) == NULL)
		return -1;
	if (e->state == ENT_WAITING)
		heap_delete(s, e->slot);
	memset(e, 0, sizeof(*e));
	s->count--;
	return 0;
}

size_t
sched_count(const struct sched *s)
{
	return s != NULL ? s->count : 0;
}

int
sched_due(struct sched *s, uint64_t now, unsigned *key, uint64_t *wake)
{
	struct slot top;

	if (s == NULL || key == NULL || s->nheap == 0) {
		if (wake != NULL)
			*wake = 0;
		return 0;
	}
	top = s->heap[0];
	if (top.due > now) {
		if (wake != NULL)
			*wake = top.due;
		return 0;
	}
	heap_delete(s, 0);
	s->ents[top.key].state = ENT_RUNNING;
	*key = top.key;
	return 1;
}

/* How long after a finding the key is due again, before jitter. */
static uint64_t
next_delay(struct ent *e, enum sched_outcome o)
{
	uint64_t b;
	unsigned i;

	switch (o) {
	case SCHED_SAME:
		e->fails = 0;
		return e->interval;
	case SCHED_CHANGED:
		e->fails = 0;
		return min_u64(e->interval, SCHED_RECHECK_MS);
	case SCHED_FAILED:
		if (e->fails < UINT16_MAX)
			e->fails++;
		b = SCHED_RETRY_MS;
		for (i = 1; i < e->fails && b < e->interval; i++)
			b = b > UINT64_MAX / 2 ? UINT64_MAX : b * 2;
		return min_u64(b, e->interval);
	}
	return 0;
}

int
sched_done(struct sched *s, unsigned key, enum sched_outcome o, uint64_t now)
{
	struct ent *e;
	uint64_t d;

	if ((e = lookup(s, key)) == NULL || e->state != ENT_RUNNING)
		return -1;
	if (o != SCHED_SAME && o != SCHED_CHANGED && o != SCHED_FAILED)
		return -1;
	if (heap_reserve(s) == -1)
		return -1;
	d = jitter(s, next_delay(e, o));
	if (e->poked) {
		e->poked = 0;
		d = 0;
	}
	heap_push(s, key, sat_add(now, d));
	return 0;
}

int
sched_poke(struct sched *s, unsigned key, uint64_t now)
{
	struct ent *e;

	if ((e = lookup(s, key)) == NULL)
		return -1;
	if (e->state == ENT_RUNNING)
		e->poked = 1;
	else if (now < e->due)
		heap_earlier(s, key, now);
	return 0;
}

uint64_t
sched_next_at(const struct sched *s, unsigned key)
{
	const struct ent *e;

	if ((e = lookup(s, key)) == NULL || e->state != ENT_WAITING)
		return 0;
	return e->due;
}
