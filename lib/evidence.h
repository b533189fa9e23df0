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
 *     answered in the confirmation, the destination itself went away
 *     (EVIDENCE_GONE).
 * The loss rate's bound is (lost + 2) / (sent + 2) over probes at or
 * below P, including those that vanished at sizes confirmed later: a
 * few clean samples are no proof of a lossless path, and on a lossy one
 * P + 1 must vanish many times in a row.
 *
 * The rule is fed every outcome of the whole search, not only of the
 * confirmation: the answers and losses below P make the loss-rate
 * bound, and the silence above P began with the search's first loss
 * there.
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
 * What the search saw.  late: the probe had been reported lost before
 * its answer came.  A loss at a size the search later confirms was loss
 * below P after all.
 */
void		 evidence_answer(struct evidence *, unsigned size, int late,
		    uint64_t now);
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
 * after timeout ms, could complete the span, or 0 (now).
 */
uint64_t	 evidence_round_at(const struct evidence *, uint64_t timeout);
/* A round's probe at P + 1 goes now.  0, or -1 if the rounds are up. */
int		 evidence_round(struct evidence *, uint64_t now);
/*
 * The verdict so far; EVIDENCE_CONTINUE while the round's P + 1 is
 * still out.
 */
enum evidence_verdict evidence_verdict(const struct evidence *, uint64_t now);
void		 evidence_report(const struct evidence *, uint64_t now,
		    struct evidence_report *);

#endif
