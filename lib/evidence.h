/* SPDX-License-Identifier: ISC */
/*
 * The black-hole evidence rule (RFC 2923: loss is not a black hole), as
 * a pure state machine: no clock, times are passed in (ms, monotonic).
 *
 * P is the largest size the destination answered at.  When a search
 * ends with P confirmed and P + 1 failed by silence alone (no too-big
 * bounds it), it confirms: rounds of a probe at P + 1 and a reference
 * probe at P, until
 *   - P + 1 is answered: it was loss (EVIDENCE_LOSS); or
 *   - a too-big comes for P + 1: ICMP works (EVIDENCE_ICMP); or
 *   - at least EVIDENCE_MIN_LOST probes at P + 1 vanished during the
 *     confirmation itself (the search's own losses chose P + 1, so they
 *     are no unbiased evidence), the chance of that under an upper bound
 *     of the loss rate the reference probes show is at most
 *     EVIDENCE_CHANCE, and the silence above P spans EVIDENCE_SPAN_MS (a
 *     router that rate-limits its ICMP errors to one a second would have
 *     spoken): a black hole (EVIDENCE_BLACKHOLE); or
 *   - EVIDENCE_MAX_ROUNDS rounds pass without either: P stands, no
 *     verdict (EVIDENCE_NONE), or, if not one reference at P was
 *     answered in the confirmation, not even late, and EVIDENCE_SPAN_MS
 *     have passed since it began, the destination itself went away
 *     (EVIDENCE_GONE); but if P rests on a single answer above a smaller
 *     size answered before, that answer is taken back instead
 *     (EVIDENCE_RETRACT, once a search): a forger on the path can answer
 *     one probe at P + 1, which ends a confirmation as loss, but not
 *     every probe at P after that.
 * The loss rate's bound is (lost + 2) / (sent + 2) over probes at or
 * below P, including those that vanished at sizes confirmed later: a
 * few clean samples are no proof of a lossless path, and on a lossy one
 * P + 1 must vanish many times in a row.
 *
 * The rule is fed every outcome of the whole search, not only of the
 * confirmation: the answers and losses below P make the loss-rate
 * bound, and the silence above P began with the search's first loss
 * there.
 *
 * What a verdict costs.  A round lasts one timeout T, the search's RTO
 * (2 RTT on a steady path, at least its rto_min), since its P + 1 must
 * go unanswered that long; rounds go back to back (on a slow path the
 * search lets them overlap, an RTT apart: evidence_round_out_at()).  A black hole takes
 * at least EVIDENCE_MIN_LOST rounds: 4 T after the search's own
 * max_tries T at P + 1, more when the references are few or lossy (with
 * 10 clean answers below P, 5 rounds; each lost reference adds some).
 * The one fixed-time requirement is EVIDENCE_SPAN_MS: no black-hole
 * verdict comes sooner than that after the first silence above P,
 * however short the RTT; the round that would complete the proof is
 * held back to end just then.  On a fast path the span is all the cost
 * (1500 to 1400 at RTT 10 ms: 1.9 s in all); on a slow one the
 * timeouts are (at RTT 300 ms, 1500 fails at 3 x 900 ms, three more
 * sizes at 3 x 600 ms, and five rounds take 600 ms each: 13.5 s in
 * all).  No verdict takes EVIDENCE_MAX_ROUNDS rounds, and calling the
 * destination gone EVIDENCE_SPAN_MS at least.  A probe counts as
 * vanished only once unanswered for the present T since it went: when
 * a late answer raised T, losses given up under the shorter one wait.
 */
#ifndef EVIDENCE_H
#define EVIDENCE_H

#include <stdint.h>

#define EVIDENCE_MIN_LOST	4
#define EVIDENCE_CHANCE		0.0001
#define EVIDENCE_SPAN_MS	1500
#define EVIDENCE_MAX_ROUNDS	24

struct evidence;

enum evidence_verdict {
	EVIDENCE_CONTINUE,	/* no verdict yet */
	EVIDENCE_LOSS,		/* P + 1 (or above) answered: it was loss */
	EVIDENCE_ICMP,		/* a too-big for P + 1: ICMP works */
	EVIDENCE_BLACKHOLE,	/* sizes above P vanish */
	EVIDENCE_NONE,		/* rounds used up, no verdict */
	EVIDENCE_GONE,		/* ... and no reference was answered */
	EVIDENCE_RETRACT,	/* ... at a P answered once: take it back */
};

struct evidence_report {
	unsigned	 lost;		/* vanished probes at P + 1 */
	unsigned	 lost_above;	/* vanished probes above P */
	unsigned	 ref_sent;	/* probes at or below P, resolved */
	unsigned	 ref_lost;	/* ... that went unanswered */
	unsigned	 span_ms;	/* first vanished above P to now */
};

struct evidence	*evidence_new(void);
void		 evidence_free(struct evidence *);

/*
 * What the search saw, each probe by its size and the time it was sent.
 * A loss at a size the search later confirms was loss below P after
 * all.  late: the probe had been reported lost before its answer came;
 * the answer takes that loss back (an RTT that rose is no loss).
 */
void		 evidence_answer(struct evidence *, unsigned size,
		    uint64_t sent, int late, uint64_t now);
void		 evidence_lost(struct evidence *, unsigned size, uint64_t sent,
		    uint64_t now);
/* ICMP (or the local MTU) says size and above fail. */
void		 evidence_bound(struct evidence *, unsigned size);
/* An answer refuted a silent failure: silence so far is no evidence. */
void		 evidence_refuted(struct evidence *);

/* P + 1 failed by silence alone: the confirmation begins. */
void		 evidence_confirm(struct evidence *, uint64_t now);
/*
 * When the next round should go: early enough that its P + 1, lost
 * after timeout ms, could complete the span, or 0 (now).  With the
 * rounds used up: when the last P + 1 will have been silent for timeout
 * (the verdict waits for it).
 */
uint64_t	 evidence_round_at(const struct evidence *, uint64_t timeout);
/*
 * The same while out rounds' P + 1 are still out (a slow path's rounds
 * overlap): when one more may go, as if those were lost, or UINT64_MAX
 * if they would do (or the rounds are up).
 */
uint64_t	 evidence_round_out_at(const struct evidence *, uint64_t timeout,
		    unsigned out);
/* A round's probe at P + 1 goes now.  0, or -1 if the rounds are up. */
int		 evidence_round(struct evidence *, uint64_t now);
/*
 * The verdict so far; EVIDENCE_CONTINUE while the round's P + 1 is
 * still out.  timeout: the search's present one; a probe counts as
 * vanished only once it has been unanswered that long since it went,
 * so losses given up under a shorter timeout before the RTT rose wait
 * for their late answers.
 */
enum evidence_verdict evidence_verdict(const struct evidence *, uint64_t now,
		    uint64_t timeout);
void		 evidence_report(const struct evidence *, uint64_t now,
		    struct evidence_report *);
/*
 * After EVIDENCE_RETRACT: P goes back to the size answered before it,
 * whose P + 1 (at most the old P) the search then confirms anew; the
 * old P's losses count above P again.  Returns the new P.
 */
unsigned	 evidence_retract(struct evidence *);

#endif
