/* SPDX-License-Identifier: ISC */
/*
 * The probe budget (see budget.h).  It counts milli-tokens so the
 * arithmetic is integer-exact: max_pps tokens a second is max_pps
 * milli-tokens a millisecond.
 */
#include <stdint.h>
#include <stdlib.h>

#include "budget.h"

#define MILLI		1000

struct budget {
	unsigned	 pps;
	int64_t		 tokens;	/* milli-tokens; negative: borrowed */
	uint64_t	 last;		/* when tokens were last brought up */
	int		 started;	/* last is set */
};

/*
 * The bucket holds 10 ms worth of tokens, at least BUDGET_BURST: a high
 * budget is then reachable with millisecond timers, and still no burst
 * lasts longer than 10 ms.
 */
static int64_t
burst(const struct budget *b)
{
	unsigned	 n = b->pps / 100;

	return (int64_t)(n > BUDGET_BURST ? n : BUDGET_BURST) * MILLI;
}

struct budget *
budget_new(unsigned max_pps)
{
	struct budget	*b;

	if (max_pps == 0)
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->pps = max_pps;
	b->tokens = burst(b);
	return b;
}

void
budget_free(struct budget *b)
{
	free(b);
}

int
budget_set_pps(struct budget *b, unsigned max_pps)
{
	if (b == NULL || max_pps == 0)
		return -1;
	b->pps = max_pps;
	return 0;
}

/*
 * Brings the balance up to now.  A clock going back counts as no time
 * passed, and last stays where it was so that time is not paid twice.
 */
static void
fill(struct budget *b, uint64_t now)
{
	const int64_t	 cap = burst(b);
	uint64_t	 dt, room;

	if (!b->started) {
		b->started = 1;
		b->last = now;
		return;
	}
	if (now <= b->last)
		return;
	dt = now - b->last;
	b->last = now;
	if (b->tokens >= cap)
		return;
	room = (uint64_t)(cap - b->tokens);
	/* dt * pps <= room here, so neither overflows nor passes cap */
	if (dt > room / b->pps)
		b->tokens = cap;
	else
		b->tokens += (int64_t)(dt * b->pps);
}

/* Ms until a take would succeed, 0 if now; takes it when asked to. */
static uint64_t
try_take(struct budget *b, uint64_t now, int urgent, int take)
{
	int64_t	 floor, need;

	if (b == NULL)
		return UINT64_MAX;
	fill(b, now);
	/* the balance a take needs beforehand */
	floor = urgent ? MILLI - (int64_t)b->pps * MILLI : MILLI;
	if (b->tokens >= floor) {
		if (take)
			b->tokens -= MILLI;
		return 0;
	}
	need = floor - b->tokens;
	return ((uint64_t)need + b->pps - 1) / b->pps;
}

uint64_t
budget_take(struct budget *b, uint64_t now, int urgent)
{
	return try_take(b, now, urgent, 1);
}

uint64_t
budget_wait(struct budget *b, uint64_t now, int urgent)
{
	return try_take(b, now, urgent, 0);
}
