/* SPDX-License-Identifier: ISC */
/*
 * The path MTU search state machine (see search.h for the algorithm).
 *
 * Every probe sent is kept in a small table by token: in flight until its
 * deadline, then "lost" but still known, so that a late answer can be
 * used.  Probes that can no longer tell anything new (size <= lo, or
 * >= an ICMP-derived hi) are dropped and their tokens become unknown.
 */
#include <sys/socket.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "search.h"

#define SEARCH_TABLE	64	/* at most 2 in flight; the rest lost */
#define SEARCH_LOSSES	128	/* silent losses remembered */
#define EARLY_CTL_MS	200	/* no answer yet: check reachability */

/*
 * The black-hole evidence rule (RFC 2923; loss is not a black hole).
 * When the search ends with P confirmed and P + 1 failed by silence
 * alone (no too-big bounds it), it first confirms: P + 1 again,
 * interleaved with control probes at P, until
 *   - P + 1 is answered: it was loss, the search goes on; or
 *   - a too-big comes for P + 1: ICMP works, no black hole; or
 *   - at least BH_MIN_LOST probes at P + 1 vanished during the
 *     confirmation itself (the bisection's losses chose P + 1, so they
 *     are no unbiased evidence), the chance of that under an upper
 *     bound of the loss rate the control probes show is below
 *     BH_CHANCE, and the silence above P spans BH_SPAN_MS (a router that
 *     rate-limits its ICMP errors to one a second would have spoken):
 *     a black hole; or
 *   - BH_MAX_ROUNDS rounds pass without either: P stands, no verdict.
 * The loss rate's bound is (lost + 2) / (sent + 2) over probes at or
 * below the confirmed size, including those that vanished at sizes
 * confirmed later: a few clean samples are no proof of a lossless path,
 * and on a lossy one P + 1 must vanish many times in a row.
 */
#define BH_MIN_LOST	4
#define BH_CHANCE	0.0001
#define BH_SPAN_MS	1500
#define BH_MAX_ROUNDS	24

enum ctl_state {
	CTL_NONE,		/* not needed (yet) */
	CTL_ACTIVE,		/* reachability still unknown: probing */
	CTL_FAILED,
};

struct search_ent {
	unsigned	 token;
	unsigned	 size;
	uint64_t	 sent;
	int		 lost;		/* timed out, no answer */
};

struct search_loss {
	unsigned	 size;
	uint64_t	 sent;
	uint64_t	 at;
	int		 stale;		/* before silence was refuted */
};

struct search {
	struct search_params p;
	unsigned	 lo;		/* largest confirmed size, 0 none */
	unsigned	 hi;		/* smallest size known to fail */
	unsigned	 hi_icmp;	/* hi from ICMP / local MTU only */
	unsigned	 hint;		/* size a too-big named, 0 none */

	unsigned	 cand;		/* size being probed, 0 none */
	unsigned	 cand_tries;
	unsigned	 cand_lost;
	unsigned	 cand_flight;	/* token of its probe in flight */

	enum ctl_state	 ctl;		/* control probe, min_mtu */
	unsigned	 ctl_tries;
	unsigned	 ctl_lost;
	unsigned	 ctl_flight;

	int		 confirming;	/* hi == lo + 1 by silence: verify */
	uint64_t	 conf_since;	/* when it began */
	unsigned	 conf_rounds;
	unsigned	 conf_flight;	/* control probe at lo in flight */
	unsigned	 conf_answered;	/* controls answered this time */
	int		 round_open;
	int		 round_big;	/* lo + 1 sent this round */
	int		 round_ctl;	/* control sent this round */
	uint64_t	 first_sent;
	uint64_t	 now;		/* time of the latest event */
	unsigned	 ctl_sent;	/* probes at sizes <= lo, resolved */
	unsigned	 ctl_lost2;	/* ... that went unanswered */
	struct search_loss losses[SEARCH_LOSSES];
	unsigned	 nlosses;	/* total ever; ring index mod size */

	unsigned	 next_token;
	int		 have_rtt;
	uint64_t	 srtt, rttvar, rto;

	int		 done;
	struct search_result res;

	struct search_ent tab[SEARCH_TABLE];
	size_t		 ntab;
};

struct search *
search_new(const struct search_params *params)
{
	struct search		*s;
	struct search_params	 p;

	if (params == NULL)
		return (NULL);
	p = *params;
	if (p.family != AF_INET && p.family != AF_INET6)
		return (NULL);
	if (p.min_mtu == 0)
		p.min_mtu = pkt_min_mtu(p.family);
	if (p.max_tries == 0)
		p.max_tries = 3;
	if (p.rto_init_ms == 0)
		p.rto_init_ms = 1000;
	if (p.rto_min_ms == 0)
		p.rto_min_ms = 100;
	if (p.rto_max_ms == 0)
		p.rto_max_ms = 3000;
	if (p.max_probes == 0)
		p.max_probes = 300;
	if (p.local_mtu < p.min_mtu || p.local_mtu > PKT_MAX ||
	    p.rto_min_ms > p.rto_max_ms)
		return (NULL);

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	s->p = p;
	s->hi = s->hi_icmp = p.local_mtu + 1;
	s->cand = p.local_mtu;
	s->next_token = 1;
	s->rto = p.rto_init_ms;
	s->res.state = SEARCH_OK;
	return (s);
}

void
search_free(struct search *s)
{
	free(s);
}

static struct search_ent *
find(struct search *s, unsigned token)
{
	size_t	i;

	for (i = 0; i < s->ntab; i++)
		if (s->tab[i].token == token)
			return (&s->tab[i]);
	return (NULL);
}

static void
drop(struct search *s, struct search_ent *e)
{
	size_t	i = e - s->tab;

	if (e->token == s->cand_flight)
		s->cand_flight = 0;
	if (e->token == s->ctl_flight)
		s->ctl_flight = 0;
	if (e->token == s->conf_flight)
		s->conf_flight = 0;
	memmove(e, e + 1, (s->ntab - i - 1) * sizeof(*e));
	s->ntab--;
}

/* Forget probes whose answer could no longer change anything. */
static void
drop_irrelevant(struct search *s, int above_hi)
{
	size_t	i = 0;

	while (i < s->ntab) {
		if (s->tab[i].size <= s->lo ||
		    (above_hi && s->tab[i].size >= s->hi))
			drop(s, &s->tab[i]);
		else
			i++;
	}
}

static void
finish(struct search *s, enum search_state state)
{
	s->done = 1;
	s->res.state = state;
}

static void
set_cand(struct search *s, unsigned size)
{
	s->cand = size;
	s->cand_tries = s->cand_lost = 0;
	s->cand_flight = 0;
}

/* RFC 6298, in whole milliseconds. */
static void
rtt_sample(struct search *s, uint64_t r)
{
	uint64_t	d;

	if (!s->have_rtt) {
		s->srtt = r;
		s->rttvar = r / 2;
		s->have_rtt = 1;
	} else {
		d = s->srtt > r ? s->srtt - r : r - s->srtt;
		s->rttvar = (3 * s->rttvar + d) / 4;
		s->srtt = (7 * s->srtt + r) / 8;
	}
	s->rto = s->srtt + 4 * s->rttvar;
	if (s->rto < 2 * s->srtt)
		s->rto = 2 * s->srtt;
	/* rto_max wins: a caller's bound on waiting is a hard one. */
	if (s->rto < s->p.rto_min_ms)
		s->rto = s->p.rto_min_ms;
	if (s->rto > s->p.rto_max_ms)
		s->rto = s->p.rto_max_ms;
}

static void	confirm_check(struct search *);

/* Decide what to probe next after any event. */
static void
choose(struct search *s)
{
	if (s->done)
		return;
	if (s->confirming) {
		confirm_check(s);
		if (s->confirming || s->done)
			return;
	}
	if (s->cand != 0 && (s->cand <= s->lo || s->cand >= s->hi))
		set_cand(s, 0);
	if (s->lo > 0 && s->hi <= s->lo + 1) {
		if (s->hi < s->hi_icmp) {
			/* Only silence says lo + 1 fails: make sure. */
			s->confirming = 1;
			s->conf_rounds = 0;
			s->conf_answered = 0;
			s->conf_since = s->now;
			set_cand(s, s->hi);
			return;
		}
		finish(s, SEARCH_OK);
		return;
	}
	if (s->cand != 0)
		return;
	if (s->hint > s->lo && s->hint < s->hi && s->hint >= s->p.min_mtu) {
		set_cand(s, s->hint);
		s->hint = 0;
	} else if (s->lo > 0)
		set_cand(s, (s->lo + s->hi) / 2);
	else if (s->ctl == CTL_ACTIVE)
		return;		/* is the destination there at all? */
	else if (s->ctl == CTL_NONE && s->hi > s->p.min_mtu)
		s->ctl = CTL_ACTIVE;
	else
		finish(s, SEARCH_UNREACHABLE);
}

static void
cand_lost(struct search *s)
{
	s->cand_flight = 0;
	s->cand_lost++;
	if (s->confirming)
		return;		/* confirm_check() decides */
	if (s->lo == 0 && s->ctl == CTL_NONE && s->cand != s->p.min_mtu)
		s->ctl = CTL_ACTIVE;
	if (s->cand_lost < s->p.max_tries)
		return;
	/* Silence, max_tries times: RFC 8899 takes that as too big. */
	if (s->cand < s->hi)
		s->hi = s->cand;
	if (s->res.silent_fail == 0 || s->cand < s->res.silent_fail)
		s->res.silent_fail = s->cand;
	set_cand(s, 0);
}

static void
ctl_lost(struct search *s)
{
	s->ctl_flight = 0;
	if (++s->ctl_lost < s->p.max_tries)
		return;
	s->ctl = CTL_FAILED;
	if (s->lo == 0)
		finish(s, SEARCH_UNREACHABLE);
}

/* A probe went unanswered: loss evidence, or black-hole evidence. */
static void
note_loss(struct search *s, unsigned size, uint64_t sent, uint64_t now)
{
	struct search_loss	*l;

	if (size <= s->lo) {
		s->ctl_sent++;
		s->ctl_lost2++;
		return;
	}
	l = &s->losses[s->nlosses++ % SEARCH_LOSSES];
	l->size = size;
	l->sent = sent;
	l->at = now;
	l->stale = 0;
}

/* Silent losses above lo and below any ICMP bound: count, earliest. */
static unsigned
silent_above(const struct search *s, unsigned only, uint64_t *first)
{
	const struct search_loss	*l;
	unsigned			 i, n = 0, have;

	have = s->nlosses < SEARCH_LOSSES ? s->nlosses : SEARCH_LOSSES;
	for (i = 0; i < have; i++) {
		l = &s->losses[i];
		if (l->size <= s->lo || l->size >= s->hi_icmp || l->stale ||
		    (only != 0 && l->size != only))
			continue;
		if (first != NULL && (n == 0 || l->at < *first))
			*first = l->at;
		n++;
	}
	return n;
}

/*
 * lo rose to newlo: probes that vanished at sizes now confirmed were
 * plain loss after all, so they count against the control probes.
 */
static void
losses_confirmed(struct search *s, unsigned newlo)
{
	unsigned	i, have;

	have = s->nlosses < SEARCH_LOSSES ? s->nlosses : SEARCH_LOSSES;
	for (i = 0; i < have; i++)
		if (s->losses[i].size > s->lo && s->losses[i].size <= newlo) {
			s->ctl_sent++;
			s->ctl_lost2++;
		}
}

/* An answer refuted a silent failure: what silence said so far is no
 * evidence of a black hole (still loss, should its size be confirmed). */
static void
losses_stale(struct search *s)
{
	unsigned	i;

	for (i = 0; i < s->nlosses && i < SEARCH_LOSSES; i++)
		s->losses[i].stale = 1;
}

static double
loss_rate(const struct search *s)
{
	double	 p = (s->ctl_lost2 + 2.0) / (s->ctl_sent + 2.0);

	return p < 1.0 ? p : 1.0;
}

/*
 * Probes at size sent since the confirmation began that vanished.  By
 * the time sent, not lost: the bisection's last try at size is lost at
 * the very moment that begins the confirmation.
 */
static unsigned
fresh_losses(const struct search *s, unsigned size)
{
	unsigned	i, n = 0, have;

	have = s->nlosses < SEARCH_LOSSES ? s->nlosses : SEARCH_LOSSES;
	for (i = 0; i < have; i++)
		if (s->losses[i].size == size && !s->losses[i].stale &&
		    s->losses[i].sent >= s->conf_since)
			n++;
	return n;
}

static void
blackhole_verdict(struct search *s, unsigned lost, uint64_t first)
{
	s->res.blackhole = 1;
	s->res.bh_lost = lost;
	s->res.bh_lost_above = silent_above(s, 0, NULL);
	s->res.bh_span_ms = (unsigned)(s->now - first);
	finish(s, SEARCH_OK);
}

/* The confirmation of lo + 1 (see BH_* above). */
static void
confirm_check(struct search *s)
{
	unsigned	 size = s->lo + 1, lost;
	uint64_t	 first = 0;

	if (s->lo >= s->cand || s->hi > s->lo + 1) {
		/* An answer above lo: it was loss; search on. */
		s->confirming = 0;
		set_cand(s, 0);
		return;
	}
	if (s->hi_icmp <= size) {
		/* A too-big for lo + 1: ICMP works after all. */
		s->confirming = 0;
		finish(s, SEARCH_OK);
		return;
	}
	if (s->cand_flight != 0)
		return;
	silent_above(s, 0, &first);
	lost = fresh_losses(s, size);
	if (lost >= BH_MIN_LOST && pow(loss_rate(s), lost) <= BH_CHANCE &&
	    s->now >= first + BH_SPAN_MS)
		blackhole_verdict(s, silent_above(s, size, NULL), first);
	else if (s->conf_rounds >= BH_MAX_ROUNDS)
		/*
		 * No verdict either way; but if not one control at lo was
		 * answered, the destination itself went away: what lo was
		 * once is no finding now.
		 */
		finish(s, s->conf_answered > 0 ? SEARCH_OK :
		    SEARCH_UNREACHABLE);
}

/* When the next confirmation round may go: spread to cover the span. */
static uint64_t
confirm_at(const struct search *s)
{
	unsigned	 lost;
	uint64_t	 first = 0, at;

	silent_above(s, 0, &first);
	lost = fresh_losses(s, s->lo + 1);
	if (lost + 1 < BH_MIN_LOST ||
	    pow(loss_rate(s), lost + 1) > BH_CHANCE)
		return 0;
	/* One more loss would do, but for the span: wait for it. */
	at = first + BH_SPAN_MS;
	return at > s->rto ? at - s->rto : 0;
}

static void
expire(struct search *s, uint64_t now)
{
	size_t	i;

	for (i = 0; i < s->ntab && !s->done; i++) {
		if (s->tab[i].lost || s->tab[i].sent + s->rto > now)
			continue;
		s->tab[i].lost = 1;
		note_loss(s, s->tab[i].size, s->tab[i].sent, now);
		if (s->tab[i].token == s->cand_flight)
			cand_lost(s);
		else if (s->tab[i].token == s->ctl_flight)
			ctl_lost(s);
		else if (s->tab[i].token == s->conf_flight)
			s->conf_flight = 0;	/* the round may close */
	}
	choose(s);
}

static unsigned
send_probe(struct search *s, unsigned size, uint64_t now,
    struct search_probe *out)
{
	struct search_ent	*e;
	size_t			 i;

	if (s->ntab == SEARCH_TABLE) {
		/* Forget the oldest lost probe; in-flight ones stay. */
		for (i = 0; i < s->ntab - 1 && !s->tab[i].lost; i++)
			;
		drop(s, &s->tab[i]);
	}
	e = &s->tab[s->ntab++];
	e->token = s->next_token++;
	e->size = size;
	e->sent = now;
	e->lost = 0;
	if (s->res.probes_sent == 0)
		s->first_sent = now;	/* 0 is a time too */
	s->res.probes_sent++;
	out->token = e->token;
	out->size = size;
	return (e->token);
}

/* The earliest deadline of a probe in flight; 0 if none. */
static int
earliest(const struct search *s, uint64_t *wake)
{
	size_t	 i;
	int	 waiting = 0;

	for (i = 0; i < s->ntab; i++) {
		if (s->tab[i].lost)
			continue;
		if (!waiting || s->tab[i].sent + s->rto < *wake)
			*wake = s->tab[i].sent + s->rto;
		waiting = 1;
	}
	return waiting;
}

/* A confirmation round: lo + 1, then a control at lo. */
static enum search_step
confirm_next(struct search *s, uint64_t now, struct search_probe *out,
    uint64_t *wake)
{
	uint64_t	 at;

	if (s->round_open && s->cand_flight == 0 && s->conf_flight == 0)
		s->round_open = 0;
	if (!s->round_open && s->conf_rounds < BH_MAX_ROUNDS) {
		if ((at = confirm_at(s)) > now) {
			*wake = at;
			return (SEARCH_WAIT);
		}
		s->conf_rounds++;
		s->round_open = 1;
		s->round_big = s->round_ctl = 0;
	}
	if (s->round_open) {
		/*
		 * lo + 1 first: a destination that rate-limits its answers
		 * gives the next one to lo + 1, which can only refute; in a
		 * black hole lo + 1 never reaches it, so this costs nothing.
		 * (Alternating, rounds one rto apart alias with a 1/s
		 * limiter: every answer went to the control.)
		 */
		if (!s->round_big) {
			s->round_big = 1;
			s->cand_flight = send_probe(s, s->cand, now, out);
			return (SEARCH_SEND);
		}
		if (!s->round_ctl) {
			s->round_ctl = 1;
			s->conf_flight = send_probe(s, s->lo, now, out);
			return (SEARCH_SEND);
		}
	}
	if (earliest(s, wake))
		return (SEARCH_WAIT);
	finish(s, SEARCH_OK);
	return (SEARCH_DONE);
}

enum search_step
search_next(struct search *s, uint64_t now, struct search_probe *out,
    uint64_t *wake)
{
	int	waiting;

	s->now = now;
	expire(s, now);
	if (s->done)
		return (SEARCH_DONE);
	if (s->res.probes_sent >= s->p.max_probes) {
		/* Answers too scarce to go on: say what is known. */
		s->res.incomplete = 1;
		finish(s, s->lo > 0 ? SEARCH_OK : SEARCH_UNREACHABLE);
		return (SEARCH_DONE);
	}
	if (s->confirming)
		return (confirm_next(s, now, out, wake));
	if (s->lo == 0 && s->ctl == CTL_NONE && !s->have_rtt &&
	    s->res.probes_sent != 0 && now >= s->first_sent + EARLY_CTL_MS &&
	    s->cand != s->p.min_mtu)
		s->ctl = CTL_ACTIVE;
	if (s->cand != 0 && s->cand_flight == 0 &&
	    s->cand_tries < s->p.max_tries) {
		s->cand_tries++;
		s->cand_flight = send_probe(s, s->cand, now, out);
		return (SEARCH_SEND);
	}
	if (s->lo == 0 && s->ctl == CTL_ACTIVE && s->ctl_flight == 0 &&
	    s->ctl_tries < s->p.max_tries) {
		s->ctl_tries++;
		s->ctl_flight = send_probe(s, s->p.min_mtu, now, out);
		return (SEARCH_SEND);
	}
	waiting = earliest(s, wake);
	if (s->lo == 0 && s->ctl == CTL_NONE && !s->have_rtt &&
	    s->res.probes_sent != 0 && s->cand != s->p.min_mtu) {
		if (!waiting || s->first_sent + EARLY_CTL_MS < *wake)
			*wake = s->first_sent + EARLY_CTL_MS;
		waiting = 1;
	}
	if (waiting)
		return (SEARCH_WAIT);
	/* Nothing left to learn; not expected, but never hang. */
	finish(s, s->lo > 0 ? SEARCH_OK : SEARCH_UNREACHABLE);
	return (SEARCH_DONE);
}

static struct search_ent *
answered(struct search *s, unsigned token)
{
	if (s->done || token == 0)
		return (NULL);
	return (find(s, token));
}

int
search_on_reply(struct search *s, unsigned token, uint64_t now)
{
	struct search_ent	*e;
	unsigned		 size;

	if ((e = answered(s, token)) == NULL)
		return (-1);
	s->now = now;
	if (token == s->conf_flight)
		s->conf_answered++;
	size = e->size;
	rtt_sample(s, now > e->sent ? now - e->sent : 0);
	drop(s, e);
	s->ctl_sent++;
	if (size > s->lo) {
		losses_confirmed(s, size);
		s->lo = size;
	}
	if (s->res.silent_fail != 0 && size >= s->res.silent_fail)
		s->res.silent_fail = 0;
	if (s->lo >= s->hi) {
		/* A late answer beat a timeout: only ICMP bounds stand,
		 * and silence so far is no black-hole evidence. */
		s->hi = s->hi_icmp;
		losses_stale(s);
		if (s->hi <= s->lo)
			s->hi = s->hi_icmp = s->p.local_mtu + 1;
	}
	drop_irrelevant(s, 0);
	choose(s);
	return (0);
}

/* Size e->size does not pass; mtu is what a router said, 0 if nothing. */
static void
too_big(struct search *s, struct search_ent *e, unsigned mtu)
{
	unsigned	size = e->size, h;

	drop(s, e);
	if (mtu < s->p.min_mtu || mtu >= size)
		mtu = 0;	/* implausible: RFC 5927 */
	if (size < s->hi_icmp)
		s->hi_icmp = size;
	if (size < s->hi)
		s->hi = size;
	if (mtu != 0 && mtu >= s->lo) {
		if (mtu + 1 < s->hi_icmp)
			s->hi_icmp = mtu + 1;
		if (mtu + 1 < s->hi)
			s->hi = mtu + 1;
		s->hint = mtu;
	} else if (mtu == 0) {
		h = pkt_plateau_below(size);
		if (h > s->lo)
			s->hint = h;
	}
	/* mtu < lo contradicts an answer we had: keep only "size fails". */
	drop_irrelevant(s, 1);
	choose(s);
}

int
search_on_too_big(struct search *s, unsigned token, unsigned mtu,
    uint64_t now)
{
	struct search_ent	*e;

	if ((e = answered(s, token)) == NULL)
		return (-1);
	s->now = now;
	s->res.too_big++;
	too_big(s, e, mtu);
	return (0);
}

int
search_on_unreach(struct search *s, unsigned token, uint64_t now)
{
	(void)now;
	if (answered(s, token) == NULL)
		return (-1);
	finish(s, SEARCH_UNREACHABLE);
	return (0);
}

int
search_on_send_error(struct search *s, unsigned token, int err,
    uint64_t now)
{
	struct search_ent	*e;

	(void)now;
	if ((e = answered(s, token)) == NULL)
		return (-1);
	if (err == EMSGSIZE)
		too_big(s, e, 0);
	else {
		s->res.error = err;
		finish(s, SEARCH_ERROR);
	}
	return (0);
}

int
search_done(const struct search *s)
{
	return (s->done);
}

void
search_result(const struct search *s, struct search_result *r)
{
	*r = s->res;
	/* While running, pmtu is the best confirmed so far. */
	r->pmtu = s->res.state == SEARCH_OK ? s->lo : 0;
	r->srtt_ms = s->have_rtt ? (unsigned)s->srtt : 0;
	r->rto_ms = (unsigned)s->rto;
	r->control_sent = s->ctl_sent;
	r->control_lost = s->ctl_lost2;
}

const char *
search_state_name(enum search_state st)
{
	switch (st) {
	case SEARCH_OK:
		return ("ok");
	case SEARCH_UNREACHABLE:
		return ("unreachable");
	case SEARCH_ERROR:
		return ("error");
	}
	return ("unknown");
}
