/* SPDX-License-Identifier: ISC */
/*
 * The global probe budget: a token bucket.  Pure: the caller passes the
 * time (ms, monotonic).
 *
 * The bucket fills at max_pps tokens a second and holds at most
 * max(BUDGET_BURST, max_pps / 100) tokens (10 ms worth): every probe
 * packet takes one.  Urgent probes (on-demand requests) may borrow up
 * to max_pps tokens ahead (the bucket goes negative); routine ones wait
 * until a token is there.  So on-demand requests go first and the
 * long-run rate stays within max_pps.
 */
#ifndef BUDGET_H
#define BUDGET_H

#include <stdint.h>

#define BUDGET_BURST	2

struct budget;

/* NULL if max_pps is 0 or out of memory.  Starts full. */
struct budget	*budget_new(unsigned max_pps);
void		 budget_free(struct budget *);
/*
 * The balance is kept as it is; time since the last take accrues at the
 * new rate, which is close enough for a configuration reload.  0, or -1
 * if max_pps is 0.
 */
int		 budget_set_pps(struct budget *, unsigned max_pps);

/*
 * Takes one probe token.  0: send now.  Otherwise the milliseconds to
 * wait before asking again.  urgent: may borrow (see above).
 */
uint64_t	 budget_take(struct budget *, uint64_t now, int urgent);
/*
 * What budget_take() would return, without taking: a caller asks before
 * committing to a probe, so a probe is never registered and then held.
 */
uint64_t	 budget_wait(struct budget *, uint64_t now, int urgent);

#endif
