/* SPDX-License-Identifier: ISC */
/*
 * The scheduler for monitored destinations, and the global probe budget.
 * Pure: the caller passes the time (ms, monotonic) and a seed.
 *
 * Each destination (a small integer key chosen by the caller) comes due
 * on its interval, jittered by +-10% so that destinations added
 * together drift apart.  After a finding:
 *   - unchanged and conclusive: next = interval (jittered);
 *   - changed (any alert event): next = min(interval, SCHED_RECHECK_MS),
 *     to confirm the new state soon;
 *   - failed (unreachable or error): retry after SCHED_RETRY_MS, doubled
 *     each consecutive failure, capped at the interval.
 * First probes of destinations added at once are spread over
 * min(interval, SCHED_SPREAD_MS), or less when the budget needs less
 * (SCHED_PROBES_EST probes a destination), so a fleet does not start
 * in a burst and a handful does not wait.
 *
 * The budget is a token bucket of max_pps tokens a second holding at
 * most max(SCHED_BURST, max_pps / 100) tokens (10 ms worth): every probe
 * packet takes one.  Urgent probes
 * (on-demand requests) may borrow up to max_pps tokens ahead (the bucket
 * goes negative); routine ones wait until a token is there.  So on-demand
 * requests go first and the long-run rate stays within max_pps.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_RECHECK_MS	(60 * 1000)
#define SCHED_RETRY_MS		(30 * 1000)
#define SCHED_SPREAD_MS		(60 * 1000)
#define SCHED_BURST		2
#define SCHED_PROBES_EST	8	/* a typical search and walk */

struct sched;

enum sched_outcome {
	SCHED_SAME = 1,		/* conclusive, nothing changed */
	SCHED_CHANGED,		/* an alert event came of it */
	SCHED_FAILED,		/* unreachable or error */
};

struct sched	*sched_new(unsigned max_pps, uint64_t seed);
void		 sched_free(struct sched *);
int		 sched_set_pps(struct sched *, unsigned max_pps);

/*
 * Adds key (unique; re-adding an existing key changes its interval but
 * keeps its due time).  Its first probe is spread as described.  0 or
 * -1 (out of memory, interval 0).
 */
int		 sched_add(struct sched *, unsigned key, uint64_t interval_ms,
		    uint64_t now);
/* Removes key; a running one is simply not rescheduled. 0 or -1. */
int		 sched_remove(struct sched *, unsigned key);
size_t		 sched_count(const struct sched *);

/*
 * The next key due at or before now that is not running: 1 with *key
 * set (it is now running), or 0 with *wake set to when the earliest
 * comes due (0 when nothing is scheduled or all are running).
 */
int		 sched_due(struct sched *, uint64_t now, unsigned *key,
		    uint64_t *wake);
/* A running key's finding is in: reschedule it (see above). */
int		 sched_done(struct sched *, unsigned key,
		    enum sched_outcome, uint64_t now);
/* Makes key due now (e.g. reloaded with a new address); 0 or -1. */
int		 sched_poke(struct sched *, unsigned key, uint64_t now);
/* When key comes due next (0 if running or unknown). */
uint64_t	 sched_next_at(const struct sched *, unsigned key);

/*
 * Takes one probe token.  0: send now.  Otherwise the milliseconds to
 * wait before asking again.  urgent: may borrow (see above).
 */
uint64_t	 sched_take(struct sched *, uint64_t now, int urgent);
/*
 * What sched_take() would return, without taking: a caller asks before
 * committing to a probe, so a probe is never registered and then held.
 */
uint64_t	 sched_wait(struct sched *, uint64_t now, int urgent);

#endif
