/* SPDX-License-Identifier: ISC */
/*
 * Round-trip time and retransmission timeout (RTO) of one path, from
 * the answers' delays: pure, the caller passes each sample (ms).
 *
 * The RTO follows the path's present RTT.  RFC 6298's smoothed mean and
 * mean deviation remember a single outlier for dozens of samples: a
 * first probe that waited a second on neighbour discovery kept every
 * later timeout at seconds on a path that answered in microseconds.
 * Here they are taken over the last RTT_WINDOW samples less the largest
 * of them, so one late answer has no weight once another came, and a
 * single outlier is gone after RTT_WINDOW more.  The newest sample
 * counts on its own too: an RTT that rises raises the RTO at once, so
 * that it is not read as loss.  So:
 *
 *   srtt   = mean of the window less its largest sample
 *            (the only sample, while there is one)
 *   rttvar = their mean deviation from srtt (half the only sample)
 *   rto    = max(srtt + 4 * rttvar, 2 * srtt, 2 * newest sample),
 *            within [rto_min, rto_max]; rto_init before any sample.
 */
#ifndef RTT_H
#define RTT_H

#include <stdint.h>

#define RTT_WINDOW	4

struct rtt;

/* NULL if rto_min > rto_max or out of memory. */
struct rtt	*rtt_new(unsigned rto_init, unsigned rto_min, unsigned rto_max);
void		 rtt_free(struct rtt *);
void		 rtt_sample(struct rtt *, uint64_t ms);
int		 rtt_measured(const struct rtt *);	/* any sample yet */
unsigned	 rtt_srtt(const struct rtt *);		/* 0 before any */
unsigned	 rtt_rto(const struct rtt *);

#endif
