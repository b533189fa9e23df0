/* SPDX-License-Identifier: ISC */
/*
 * The scheduler for monitored destinations.  Pure: the caller passes the
 * time (ms, monotonic) and a seed.  The probe budget is budget.h's.
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
 * (SCHED_PROBES_EST probes a destination at max_pps), so a fleet does
 * not start in a burst and a handful does not wait.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_RECHECK_MS	(60 * 1000)
#define SCHED_RETRY_MS		(30 * 1000)
#define SCHED_SPREAD_MS		(60 * 1000)
#define SCHED_PROBES_EST	8	/* a typical search and walk */

struct sched;

enum sched_outcome {
	SCHED_SAME = 1,		/* conclusive, nothing changed */
	SCHED_CHANGED,		/* an alert event came of it */
	SCHED_FAILED,		/* unreachable or error */
};

/* max_pps: the probe budget's rate, which sizes the first spread. */
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

#endif
