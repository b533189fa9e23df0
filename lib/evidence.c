/* SPDX-License-Identifier: ISC */
/*
 * The black-hole evidence rule (see evidence.h).
 *
 * Losses above P are kept in a ring with the time they were sent and
 * the time they were given up; losses at or below P only count against
 * the reference probes.  When P rises, the losses at sizes now
 * confirmed move to the references' count.  A late answer takes its
 * loss back, from the ring or from the references' count.  While P may
 * yet be taken back, losses above the size answered before it stay in
 * the ring too, so that they can move back above P.
 */
#include <math.h>
#include <stdlib.h>

#include "evidence.h"

#define EVIDENCE_LOSSES	128	/* silent losses remembered */

struct loss {
	unsigned	 size;
	uint64_t	 sent;
	uint64_t	 at;
	int		 stale;		/* before silence was refuted */
};

struct evidence {
	unsigned	 p;		/* largest size answered, 0 none */
	unsigned	 p_prev;	/* P before the answer that set it */
	unsigned	 p_answers;	/* answers at P */
	int		 retracted;	/* an answer was taken back */
	unsigned	 bound;		/* smallest size ICMP fails, 0 none */
	unsigned	 ref_sent;
	unsigned	 ref_lost;
	struct loss	 losses[EVIDENCE_LOSSES];
	unsigned	 nlosses;	/* total ever; ring index mod size */

	int		 confirming;
	unsigned	 target;	/* P + 1 when it began */
	uint64_t	 since;
	unsigned	 rounds;
	unsigned	 answered;	/* references answered in it */
	int		 pending;	/* the round's P + 1 is out */
	uint64_t	 round_sent;
};

struct evidence *
evidence_new(void)
{
	return calloc(1, sizeof(struct evidence));
}

void
evidence_free(struct evidence *ev)
{
	free(ev);
}

static unsigned
nkept(const struct evidence *ev)
{
	return ev->nlosses < EVIDENCE_LOSSES ? ev->nlosses : EVIDENCE_LOSSES;
}

/* Silent losses above P and below any ICMP bound: count, earliest. */
static unsigned
silent_above(const struct evidence *ev, unsigned only, uint64_t *first)
{
	const struct loss	*l;
	unsigned		 i, n = 0;

	for (i = 0; i < nkept(ev); i++) {
		l = &ev->losses[i];
		if (l->size <= ev->p || (ev->bound != 0 &&
		    l->size >= ev->bound) || l->stale ||
		    (only != 0 && l->size != only))
			continue;
		if (first != NULL && (n == 0 || l->at < *first))
			*first = l->at;
		n++;
	}
	return n;
}

/*
 * Probes at P + 1 sent since the confirmation began that vanished.  By
 * the time sent, not lost: the search's last try at P + 1 is lost at the
 * very moment that begins the confirmation.  With now, only those
 * silent for timeout by then (the timeout may have grown since they were
 * given up); *last: when the latest of them will have been.
 */
static unsigned
fresh_losses(const struct evidence *ev, const uint64_t *now,
    uint64_t timeout, uint64_t *last)
{
	const struct loss	*l;
	unsigned		 i, n = 0;

	for (i = 0; i < nkept(ev); i++) {
		l = &ev->losses[i];
		if (l->size != ev->target || l->stale || l->sent < ev->since)
			continue;
		if (last != NULL && l->sent + timeout > *last)
			*last = l->sent + timeout;
		if (now == NULL || l->sent + timeout <= *now)
			n++;
	}
	return n;
}

static double
loss_rate(const struct evidence *ev)
{
	double	 p = (ev->ref_lost + 2.0) / (ev->ref_sent + 2.0);

	return p < 1.0 ? p : 1.0;
}

/* Would lost fresh losses be unlikely enough under the loss bound? */
static int
unlikely(const struct evidence *ev, unsigned lost)
{
	return lost >= EVIDENCE_MIN_LOST &&
	    pow(loss_rate(ev), lost) <= EVIDENCE_CHANCE;
}

/*
 * P rose to size: probes that vanished at sizes now confirmed were
 * plain loss after all, so they count against the references.
 */
static void
confirmed(struct evidence *ev, unsigned size)
{
	unsigned	i;

	for (i = 0; i < nkept(ev); i++)
		if (ev->losses[i].size > ev->p && ev->losses[i].size <= size) {
			ev->ref_sent++;
			ev->ref_lost++;
		}
}

/* P rests on one answer above a smaller size answered: it may be
 * taken back (once a search, so that a destination that went away is
 * not followed all the way down). */
static int
retractable(const struct evidence *ev)
{
	return !ev->retracted && ev->p_prev > 0 && ev->p_answers == 1;
}

/*
 * A late answer: its probe was no loss.  1 if that loss had counted
 * against the references (the answer resolves it), 0 if it was a
 * silence above P (the answer is news).
 */
static int
unlose(struct evidence *ev, unsigned size, uint64_t sent)
{
	unsigned	i;

	for (i = 0; i < nkept(ev); i++)
		if (ev->losses[i].size == size && ev->losses[i].sent == sent) {
			ev->losses[i].size = 0;		/* gone */
			if (size > ev->p)
				return 0;
			break;
		}
	/* Below P: it was (or became) a lost reference. */
	if (size <= ev->p && ev->ref_lost > 0) {
		ev->ref_lost--;
		return 1;
	}
	return 0;
}

void
evidence_answer(struct evidence *ev, unsigned size, uint64_t sent, int late,
    uint64_t now)
{
	(void)now;
	if (!late || !unlose(ev, size, sent))
		ev->ref_sent++;
	/* Even late, an answer at P shows the destination is there. */
	if (ev->confirming && size == ev->p && ev->p < ev->target)
		ev->answered++;
	if (size > ev->p) {
		confirmed(ev, size);
		ev->p_prev = ev->p;
		ev->p = size;
		ev->p_answers = 0;
	}
	if (size == ev->p)
		ev->p_answers++;
	if (ev->confirming && size >= ev->target)
		ev->pending = 0;
}

void
evidence_lost(struct evidence *ev, unsigned size, uint64_t sent,
    uint64_t now)
{
	struct loss	*l;

	if (size <= ev->p) {
		ev->ref_sent++;
		ev->ref_lost++;
		if (size <= ev->p_prev || !retractable(ev))
			return;
	}
	l = &ev->losses[ev->nlosses++ % EVIDENCE_LOSSES];
	l->size = size;
	l->sent = sent;
	l->at = now;
	l->stale = 0;
	if (ev->pending && size == ev->target && sent >= ev->round_sent)
		ev->pending = 0;
}

void
evidence_bound(struct evidence *ev, unsigned size)
{
	ev->bound = size;
	if (ev->confirming && size <= ev->target)
		ev->pending = 0;
}

void
evidence_refuted(struct evidence *ev)
{
	unsigned	i;

	for (i = 0; i < nkept(ev); i++)
		ev->losses[i].stale = 1;
}

void
evidence_confirm(struct evidence *ev, uint64_t now)
{
	ev->confirming = 1;
	ev->target = ev->p + 1;
	ev->since = now;
	ev->rounds = 0;
	ev->answered = 0;
	ev->pending = 0;
}

/* With the rounds used up: when no verdict is all there is. */
static uint64_t
settled_at(const struct evidence *ev, uint64_t last)
{
	/* A destination is not called gone before its references had
	 * the span to answer: rounds paced by a timeout the RTT outgrew
	 * run out sooner. */
	if (ev->answered == 0 && ev->since + EVIDENCE_SPAN_MS > last)
		return ev->since + EVIDENCE_SPAN_MS;
	return last;
}

/*
 * Spread the rounds so that the last can complete the span.  With the
 * rounds used up, the verdict waits for the last of them to fall silent
 * for the present timeout.
 */
uint64_t
evidence_round_out_at(const struct evidence *ev, uint64_t timeout,
    unsigned out)
{
	uint64_t	 first = 0, at;
	unsigned	 lost;

	if (out == 0)
		return evidence_round_at(ev, timeout);
	if (ev->rounds >= EVIDENCE_MAX_ROUNDS)
		return UINT64_MAX;
	lost = fresh_losses(ev, NULL, timeout, NULL) + out;
	if (unlikely(ev, lost))
		return UINT64_MAX;	/* those out would do: wait */
	silent_above(ev, 0, &first);
	if (!unlikely(ev, lost + 1))
		return 0;
	at = first + EVIDENCE_SPAN_MS;
	return at > timeout ? at - timeout : 0;
}

uint64_t
evidence_round_at(const struct evidence *ev, uint64_t timeout)
{
	uint64_t	 first = 0, last = 0, at;
	unsigned	 lost;

	lost = fresh_losses(ev, NULL, timeout, &last);
	if (ev->rounds >= EVIDENCE_MAX_ROUNDS)
		return settled_at(ev, last);
	silent_above(ev, 0, &first);
	if (!unlikely(ev, lost + 1))
		return 0;
	/* One more loss would do, but for the span: wait for it. */
	at = first + EVIDENCE_SPAN_MS;
	return at > timeout ? at - timeout : 0;
}

int
evidence_round(struct evidence *ev, uint64_t now)
{
	if (!ev->confirming || ev->rounds >= EVIDENCE_MAX_ROUNDS)
		return -1;
	ev->rounds++;
	ev->pending = 1;
	ev->round_sent = now;
	return 0;
}

enum evidence_verdict
evidence_verdict(const struct evidence *ev, uint64_t now, uint64_t timeout)
{
	uint64_t	 first = 0, last = 0;
	unsigned	 lost;

	if (!ev->confirming)
		return EVIDENCE_CONTINUE;
	if (ev->p >= ev->target)
		return EVIDENCE_LOSS;
	if (ev->bound != 0 && ev->bound <= ev->target)
		return EVIDENCE_ICMP;
	if (ev->pending)
		return EVIDENCE_CONTINUE;
	silent_above(ev, 0, &first);
	lost = fresh_losses(ev, &now, timeout, &last);
	if (unlikely(ev, lost) && now >= first + EVIDENCE_SPAN_MS)
		return EVIDENCE_BLACKHOLE;
	if (ev->rounds >= EVIDENCE_MAX_ROUNDS && settled_at(ev, last) <= now) {
		if (ev->answered > 0)
			return EVIDENCE_NONE;
		return retractable(ev) ? EVIDENCE_RETRACT : EVIDENCE_GONE;
	}
	return EVIDENCE_CONTINUE;
}

unsigned
evidence_retract(struct evidence *ev)
{
	unsigned	i;

	/* Its losses were losses above P after all. */
	for (i = 0; i < nkept(ev); i++)
		if (ev->losses[i].size > ev->p_prev &&
		    ev->losses[i].size <= ev->p && ev->ref_lost > 0) {
			ev->ref_sent--;
			ev->ref_lost--;
		}
	if (ev->ref_sent > ev->ref_lost)
		ev->ref_sent--;		/* the answer itself */
	ev->p = ev->p_prev;
	ev->p_prev = 0;
	ev->p_answers = 0;
	ev->retracted = 1;
	ev->confirming = 0;
	return ev->p;
}

void
evidence_report(const struct evidence *ev, uint64_t now,
    struct evidence_report *r)
{
	uint64_t	 first = 0;

	r->lost = silent_above(ev, ev->p + 1, NULL);
	r->lost_above = silent_above(ev, 0, &first);
	r->span_ms = r->lost_above > 0 && now > first ?
	    (unsigned)(now - first) : 0;
	r->ref_sent = ev->ref_sent;
	r->ref_lost = ev->ref_lost;
}
