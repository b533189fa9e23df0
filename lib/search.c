/* SPDX-License-Identifier: ISC */
/*
 * The path MTU search state machine (see search.h for the algorithm).
 *
 * Every probe sent is kept in a small table by token: in flight until its
 * deadline, then "lost" but still known, so that a late answer can be
 * used.  Probes that can no longer tell anything new (size < lo, == lo
 * but for the confirmation's references and a round's probes still out,
 * whose answers count as references) are dropped and their tokens
 * become unknown.  Sizes above lo stay known, those a too-big was sent
 * for too: an answer to any of them refutes what said they fail.
 *
 * Too-bigs are claims: each says that sizes from its bound up fail,
 * and hi_icmp is the smallest bound of those not refuted (or the local
 * one).  An answer at or above a claim's bound refutes it; the next
 * claim then bounds the search.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "pkt.h"
#include "rtt.h"
#include "search.h"

#define SEARCH_TABLE	64	/* at most 2 * ROUND_MAX in flight */
/*
 * No answer within a fifth of the first timeout (but rto_min at least):
 * check reachability beside the first probe's retries.
 */
#define EARLY_REACH_DIV	5
#define SEARCH_CLAIMS	16	/* too-big claims kept */
/* Unreachable answers to probes sent this far apart (one timeout at
 * least, none answered in between) end the search. */
#define UNREACH_MIN	2
/* A slow path's round: at most this many probes out at once. */
#define ROUND_MAX	12

/* The reachability probe at min_mtu, while no size is confirmed. */
enum reach_state {
	REACH_NONE,		/* not needed (yet) */
	REACH_ACTIVE,		/* reachability still unknown: probing */
	REACH_FAILED,
};

struct search_ent {
	unsigned	 token;
	unsigned	 size;
	uint64_t	 sent;
	int		 lost;		/* timed out, no answer */
	int		 ref;		/* a confirmation's reference */
	unsigned	 told;		/* bound a too-big set for it, 0 none */
	int		 unreach;	/* an unreachable came for it */
	int		 round;		/* sent in a round (round_plan()) */
	int		 once;		/* its size fails at its first loss */
};

/* What too-bigs said: sizes from bound up fail; hint: try it next. */
struct search_claim {
	unsigned	 bound;
	unsigned	 hint;
	unsigned	 n;		/* too-bigs that said so */
	unsigned	 silent;	/* probes at bound gone unanswered */
};

struct search {
	struct search_params p;
	unsigned	 lo;		/* largest confirmed size, 0 none */
	unsigned	 hi;		/* smallest size known to fail */
	unsigned	 hi_icmp;	/* hi from ICMP / local MTU only */
	unsigned	 hi_local;	/* ... from the local MTU (EMSGSIZE) */
	unsigned	 hint;		/* size a too-big named, 0 none */
	unsigned	 check;		/* probe hi to settle it, 0 no */
	/* Too-bigs were refuted, or two disagreed about one probe (one
	 * router drops a packet, one says so): settling takes max_tries
	 * probes. */
	int		 doubt;
	struct search_claim claims[SEARCH_CLAIMS];
	size_t		 nclaims;

	/* An answer was taken back (retract()): is the destination there
	 * at the size the search fell back to?  max_tries probes at lo. */
	int		 recheck;
	unsigned	 recheck_tries;
	unsigned	 recheck_flight;

	unsigned	 unreach_n;	/* unreachables since an answer */
	uint64_t	 unreach_first;	/* ... their probes' first send */
	uint64_t	 unreach_last;	/* ... and last */

	unsigned	 cand;		/* size being probed, 0 none */
	unsigned	 cand_tries;
	unsigned	 cand_lost;
	unsigned	 cand_flight;	/* token of its probe in flight */

	enum reach_state reach;		/* probe at min_mtu */
	unsigned	 reach_tries;
	unsigned	 reach_lost;
	unsigned	 reach_flight;

	/* hi == lo + 1 by silence alone: rounds of lo + 1 and a reference
	 * probe at lo, until the evidence rule gives its verdict. */
	struct evidence	*ev;
	int		 confirming;
	int		 round_open;
	int		 round_confirm;	/* lo + 1 sent this round */
	int		 round_ref;	/* reference sent this round */
	unsigned	 ref_flight;	/* its token while in flight */
	uint64_t	 first_sent;
	uint64_t	 now;		/* time of the latest event */

	unsigned	 next_token;
	struct rtt	*rtt;
	/*
	 * The first answer's RTT may include neighbour or route resolution
	 * (its probe went on a cold path): if it made the timeout longer
	 * than rto_init, the one used before any answer, while other probes
	 * wait on it, one probe at the size it confirmed measures the path
	 * again.  (Not always: a destination that limits its answers has
	 * none to spare.)
	 */
	int		 remeasure;
	unsigned	 measure_flight;	/* that probe, while out */
	/*
	 * A slow path (the timeout after the first answers above
	 * rto_min): sizes go in rounds of several at once, each failing
	 * at its first loss, and the confirmation's rounds overlap.
	 */
	int		 slow;
	unsigned	 queue[ROUND_MAX];	/* the round's sizes to send */
	size_t		 nqueue;
	uint64_t	 round_at;	/* the last confirmation round went */

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
		return NULL;
	p = *params;
	if (p.family != AF_INET && p.family != AF_INET6)
		return NULL;
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
		return NULL;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->ev = evidence_new()) == NULL ||
	    (s->rtt = rtt_new(p.rto_init_ms, p.rto_min_ms,
	    p.rto_max_ms)) == NULL) {
		search_free(s);
		return NULL;
	}
	s->p = p;
	s->hi = s->hi_icmp = s->hi_local = p.local_mtu + 1;
	s->cand = p.local_mtu;
	s->next_token = 1;
	s->res.state = SEARCH_OK;
	return s;
}

void
search_free(struct search *s)
{
	if (s == NULL)
		return;
	evidence_free(s->ev);
	rtt_free(s->rtt);
	free(s);
}

static struct search_ent *
find(struct search *s, unsigned token)
{
	size_t	i;

	for (i = 0; i < s->ntab; i++)
		if (s->tab[i].token == token)
			return &s->tab[i];
	return NULL;
}

static void
drop(struct search *s, struct search_ent *e)
{
	size_t	i = e - s->tab;

	if (e->token == s->cand_flight)
		s->cand_flight = 0;
	if (e->token == s->reach_flight)
		s->reach_flight = 0;
	if (e->token == s->ref_flight)
		s->ref_flight = 0;
	if (e->token == s->recheck_flight)
		s->recheck_flight = 0;
	if (e->token == s->measure_flight)
		s->measure_flight = 0;
	memmove(e, e + 1, (s->ntab - i - 1) * sizeof(*e));
	s->ntab--;
}

/* Forget probes whose answer could no longer change anything. */
static void
drop_irrelevant(struct search *s)
{
	struct search_ent	*e;
	size_t			 i = 0;

	while (i < s->ntab) {
		e = &s->tab[i];
		/* A reference's late answer still shows the destination
		 * is there, and takes back its loss. */
		/* A round's answer below lo still counts against the loss
		 * rate (evidence.h): kept until it comes or times out. */
		/* While the RTT is measured again, one at lo is a sample. */
		if ((e->size < s->lo && (!e->round || e->lost)) ||
		    (e->size == s->lo && !e->ref && !e->round &&
		    !s->remeasure && s->measure_flight == 0))
			drop(s, e);
		else
			i++;
	}
}

/* hi_icmp: the local bound, or the smallest claim's; hi follows down. */
static void
bound_update(struct search *s)
{
	size_t	i;

	s->hi_icmp = s->hi_local;
	for (i = 0; i < s->nclaims; i++)
		if (s->claims[i].bound < s->hi_icmp)
			s->hi_icmp = s->claims[i].bound;
	if (s->hi > s->hi_icmp)
		s->hi = s->hi_icmp;
	evidence_bound(s->ev, s->hi_icmp);
}

static void
claim_add(struct search *s, unsigned bound, unsigned hint)
{
	struct search_claim	*c;
	size_t			 i, widest = 0;

	for (i = 0; i < s->nclaims; i++) {
		if (s->claims[i].bound == bound) {
			s->claims[i].n++;
			if (s->claims[i].hint == 0)
				s->claims[i].hint = hint;
			return;
		}
		if (s->claims[i].bound > s->claims[widest].bound)
			widest = i;
	}
	if (s->nclaims < SEARCH_CLAIMS)
		c = &s->claims[s->nclaims++];
	else if (s->claims[widest].bound > bound)
		c = &s->claims[widest];	/* it bounds the least */
	else
		return;
	c->bound = bound;
	c->hint = hint;
	c->n = 1;
	c->silent = 0;
	for (i = 0; i < s->ntab; i++)
		if (s->tab[i].size == bound && s->tab[i].lost)
			c->silent++;
}

/* A probe of this size went unanswered for a whole timeout. */
static void
claims_settle(struct search *s, unsigned size)
{
	size_t	i;

	for (i = 0; i < s->nclaims; i++)
		if (s->claims[i].bound == size)
			s->claims[i].silent++;
}

/* An answer at size: every claim it contradicts was false.  1 if any. */
static int
claims_refute(struct search *s, unsigned size)
{
	size_t	i = 0;
	int	any = 0;

	while (i < s->nclaims) {
		if (s->claims[i].bound > size) {
			i++;
			continue;
		}
		s->res.too_big_refuted += s->claims[i].n;
		s->claims[i] = s->claims[--s->nclaims];
		s->doubt = any = 1;
	}
	return any;
}

/* The size to try next for the claim that bounds the search now. */
static unsigned
claims_hint(const struct search *s)
{
	size_t	i;

	for (i = 0; i < s->nclaims; i++)
		if (s->claims[i].bound == s->hi_icmp)
			return s->claims[i].hint;
	return 0;
}

static void
finish(struct search *s, enum search_state state)
{
	s->done = 1;
	s->res.state = state;
	if (s->res.probes_sent > 0 && s->now > s->first_sent)
		s->res.elapsed_ms = (unsigned)(s->now - s->first_sent);
}

static void
set_cand(struct search *s, unsigned size)
{
	s->cand = size;
	s->cand_tries = s->cand_lost = 0;
	s->cand_flight = 0;
}

static uint64_t
rto(const struct search *s)
{
	return rtt_rto(s->rtt);
}

/* Probes in flight that wait for an answer (no too-big came). */
static int
in_flight(const struct search *s)
{
	size_t	i;

	for (i = 0; i < s->ntab; i++)
		if (!s->tab[i].lost && !s->tab[i].told)
			return 1;
	return 0;
}

static void
rtt_answer(struct search *s, uint64_t sample)
{
	int	first = !rtt_measured(s->rtt);

	rtt_sample(s->rtt, sample);
	if (first && rto(s) > s->p.rto_init_ms)
		s->remeasure = 1;
	else if (!first && (s->remeasure || s->measure_flight != 0) &&
	    rto(s) <= s->p.rto_init_ms) {
		/* Another answer already measured the warm path: the
		 * first one's delay no longer weighs (rtt.h). */
		s->remeasure = 0;
		s->measure_flight = 0;
	}
}

static void	confirm_check(struct search *);

/*
 * hi rests on too-bigs alone (not on silence, nor on the local MTU):
 * a forger on the path can send one for a probe it lets pass, but it
 * cannot stop the answer.  hi is settled once a probe at exactly hi
 * went unanswered for a whole timeout; until then, 1: one is on its
 * way, or asked for.
 */
static int
unsettled(struct search *s)
{
	size_t			 i;
	int			 waiting = 0;
	unsigned		 need = 1;

	if (s->hi >= s->hi_local || s->hi < s->hi_icmp)
		return 0;
	if (s->doubt)
		need = s->p.max_tries;
	for (i = 0; i < s->nclaims; i++)
		if (s->claims[i].bound == s->hi && s->claims[i].silent >= need)
			return 0;
	for (i = 0; i < s->ntab; i++)
		if (s->tab[i].size == s->hi && !s->tab[i].lost)
			waiting = 1;
	if (!waiting)
		s->check = s->hi;
	return 1;
}

/* A size failed by silence (after one try in a round, else max_tries). */
static void
size_failed(struct search *s, unsigned size)
{
	if (size <= s->lo || s->confirming)
		return;
	if (size < s->hi)
		s->hi = size;
	if (s->res.silent_fail == 0 || size < s->res.silent_fail)
		s->res.silent_fail = size;
}

/*
 * Search in rounds?  Once the first answers show a timeout above
 * rto_min, and for as long as no too-big came (those name the size to
 * try: one probe does).  Not while the RTT is measured again.
 */
static int
rounds(struct search *s)
{
	if (s->lo == 0 || s->res.too_big != 0 || s->remeasure ||
	    s->measure_flight != 0)
		return 0;
	if (!s->slow && rto(s) > s->p.rto_min_ms)
		s->slow = 1;
	return s->slow;
}

/* Link MTUs seen often, the Internet's first: a round tries these. */
static const unsigned common_mtu[] = { 1500, 1492, 1480, 1472, 1460, 1454,
    1440, 1420, 1400, 1380, 1360, 1280, 9000, 4470, 4352, 2002, 1006, 576 };

static void
round_add(struct search *s, unsigned size, unsigned top, size_t cap)
{
	size_t	i;

	if (size <= s->lo || size >= top || size < s->p.min_mtu ||
	    s->nqueue >= cap)
		return;
	for (i = 0; i < s->nqueue; i++)
		if (s->queue[i] == size)
			return;
	s->queue[s->nqueue++] = size;
}

/*
 * A round over (lo, top): lo + 1 (which the confirmation would probe:
 * on a black hole its first loss is on the way), the common MTUs there,
 * and an even spread for the rest; every size, if they fit.
 */
static void
round_plan(struct search *s, unsigned top, size_t cap)
{
	unsigned	 size, m, i;

	if (cap > ROUND_MAX)
		cap = ROUND_MAX;
	if (top - s->lo - 1 <= cap) {
		for (size = top - 1; size > s->lo; size--)
			round_add(s, size, top, cap);
		return;
	}
	round_add(s, s->hint, top, cap);
	s->hint = 0;
	if (s->lo > s->p.min_mtu)
		round_add(s, s->lo + 1, top, cap);
	for (i = 0; i < sizeof(common_mtu) / sizeof(common_mtu[0]); i++)
		round_add(s, common_mtu[i], top, cap);
	m = cap - s->nqueue;
	for (i = m; i >= 1; i--)
		round_add(s, s->lo + (unsigned)((uint64_t)(top - s->lo) * i /
		    (m + 1)), top, cap);
}

/*
 * The next round, once none is out above lo: over (lo, hi), or below
 * the smallest size still out there (the local MTU's first probe),
 * which may yet answer.  At most ROUND_MAX probes out above lo (and
 * the last round's below it, whose answers count as references).
 */
static void
round_next(struct search *s)
{
	struct search_ent	*e;
	unsigned		 top = s->hi;
	size_t			 i, out = 0;

	if (s->cand != 0) {
		/* The probe at the local MTU fails at its first loss too. */
		if ((e = find(s, s->cand_flight)) != NULL)
			e->once = 1;
		if (s->cand_lost > 0)
			size_failed(s, s->cand);
		set_cand(s, 0);
		top = s->hi;
	}
	if (s->nqueue > 0)
		return;
	for (i = 0; i < s->ntab; i++) {
		e = &s->tab[i];
		if (e->lost || e->told || e->size <= s->lo)
			continue;
		out++;
		if (e->size >= s->hi)
			continue;
		if (e->round)
			return;		/* the round is out */
		if (e->size < top)
			top = e->size;
	}
	if (out < ROUND_MAX && top > s->lo + 1)
		round_plan(s, top, ROUND_MAX - out);
}

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
	if (s->recheck)
		return;
	if (s->cand != 0 && (s->cand <= s->lo || s->cand >= s->hi))
		set_cand(s, 0);
	if (s->lo > 0 && s->hi <= s->lo + 1) {
		if (s->hi < s->hi_icmp) {
			/* Only silence says lo + 1 fails: make sure.  (Its
			 * references measure the RTT too.) */
			s->confirming = 1;
			s->remeasure = 0;
			s->nqueue = 0;
			evidence_confirm(s->ev, s->now);
			set_cand(s, s->hi);
			return;
		}
		if (!unsettled(s))
			finish(s, SEARCH_OK);
		return;
	}
	if (rounds(s)) {
		round_next(s);
		return;
	}
	if (s->cand != 0)
		return;
	if (s->hint > s->lo && s->hint < s->hi && s->hint >= s->p.min_mtu) {
		set_cand(s, s->hint);
		s->hint = 0;
	} else if (s->lo > 0)
		set_cand(s, (s->lo + s->hi) / 2);
	else if (s->reach == REACH_ACTIVE)
		return;		/* is the destination there at all? */
	else if (s->reach == REACH_NONE && s->hi > s->p.min_mtu)
		s->reach = REACH_ACTIVE;
	else if (s->reach == REACH_FAILED || !unsettled(s))
		finish(s, SEARCH_UNREACHABLE);	/* silence, or "too big" */
}

static void
cand_lost(struct search *s)
{
	s->cand_flight = 0;
	s->cand_lost++;
	if (s->confirming)
		return;		/* confirm_check() decides */
	if (s->lo == 0 && s->reach == REACH_NONE && s->cand != s->p.min_mtu)
		s->reach = REACH_ACTIVE;
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
reach_lost(struct search *s)
{
	s->reach_flight = 0;
	if (++s->reach_lost < s->p.max_tries)
		return;
	s->reach = REACH_FAILED;
	if (s->lo == 0)
		finish(s, SEARCH_UNREACHABLE);
}

static void
blackhole_verdict(struct search *s)
{
	struct evidence_report	 r;

	evidence_report(s->ev, s->now, &r);
	s->res.blackhole = 1;
	s->res.bh_lost = r.lost;
	s->res.bh_lost_above = r.lost_above;
	s->res.bh_span_ms = r.span_ms;
	finish(s, SEARCH_OK);
}

/*
 * Not one reference at lo answered, and lo rests on one answer above a
 * smaller size answered before: that answer is taken back (a forger on
 * the path can answer one probe, not every one).  lo falls back, its
 * size failed by silence, and the search goes on below it once an
 * answer at the new lo shows the destination is there at all; if none
 * comes (recheck_lost()), it went away.
 */
static void
retract(struct search *s)
{
	unsigned	 was = s->lo;

	s->lo = evidence_retract(s->ev);
	if (was < s->hi)
		s->hi = was;
	if (s->res.silent_fail == 0 || was < s->res.silent_fail)
		s->res.silent_fail = was;
	s->confirming = 0;
	s->round_open = 0;
	s->ref_flight = 0;
	s->hint = 0;
	set_cand(s, 0);
	s->recheck = 1;
	s->recheck_tries = 0;
	s->recheck_flight = 0;
}

static void
recheck_lost(struct search *s)
{
	s->recheck_flight = 0;
	if (s->recheck_tries >= s->p.max_tries)
		finish(s, SEARCH_UNREACHABLE);
}

/* The confirmation of lo + 1: what the evidence says so far. */
static void
confirm_check(struct search *s)
{
	switch (evidence_verdict(s->ev, s->now, rto(s))) {
	case EVIDENCE_CONTINUE:
		break;
	case EVIDENCE_LOSS:
		/* An answer above lo: it was loss; search on. */
		s->confirming = 0;
		set_cand(s, 0);
		break;
	case EVIDENCE_ICMP:
		/* A too-big bounds lo + 1: settled like any (choose()). */
		s->confirming = 0;
		break;
	case EVIDENCE_BLACKHOLE:
		blackhole_verdict(s);
		break;
	case EVIDENCE_NONE:
		finish(s, SEARCH_OK);
		break;
	case EVIDENCE_GONE:
		/* Not one reference at lo answered: the destination went
		 * away, and what lo was once is no finding now. */
		finish(s, SEARCH_UNREACHABLE);
		break;
	case EVIDENCE_RETRACT:
		retract(s);
		break;
	}
}

static void
expire(struct search *s, uint64_t now)
{
	size_t	i;

	for (i = 0; i < s->ntab && !s->done; i++) {
		if (s->tab[i].lost || s->tab[i].sent + rto(s) > now)
			continue;
		s->tab[i].lost = 1;
		claims_settle(s, s->tab[i].size);
		/* A too-big came: no silence (unless it was for a size
		 * already answered). */
		if (!s->tab[i].told || s->tab[i].size <= s->lo)
			evidence_lost(s->ev, s->tab[i].size, s->tab[i].sent,
			    now);
		if (s->tab[i].token == s->cand_flight)
			cand_lost(s);
		else if (s->tab[i].token == s->reach_flight)
			reach_lost(s);
		else if (s->tab[i].token == s->ref_flight)
			s->ref_flight = 0;	/* the round may close */
		else if (s->tab[i].token == s->recheck_flight)
			recheck_lost(s);
		else if (s->tab[i].token == s->measure_flight)
			s->measure_flight = 0;
		if (s->tab[i].once && !s->tab[i].told)
			size_failed(s, s->tab[i].size);
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
		/*
		 * Forget the oldest lost probe at or above hi_icmp (its
		 * answer could only refute a too-big, and it is late),
		 * else the oldest lost one; in-flight ones stay.
		 */
		for (i = 0; i < s->ntab - 1 && (!s->tab[i].lost ||
		    s->tab[i].size < s->hi_icmp); i++)
			;
		if (i == s->ntab - 1)
			for (i = 0; i < s->ntab - 1 && !s->tab[i].lost; i++)
				;
		drop(s, &s->tab[i]);
	}
	e = &s->tab[s->ntab++];
	memset(e, 0, sizeof(*e));
	e->token = s->next_token++;
	e->size = size;
	e->sent = now;
	if (s->res.probes_sent == 0)
		s->first_sent = now;	/* 0 is a time too */
	s->res.probes_sent++;
	out->token = e->token;
	out->size = size;
	return e->token;
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
		if (!waiting || s->tab[i].sent + rto(s) < *wake)
			*wake = s->tab[i].sent + rto(s);
		waiting = 1;
	}
	return waiting;
}

/*
 * On a slow path the next round need not wait for the last one's lo + 1
 * to time out: it goes an RTT (rto_min at least) after it, unless
 * those out would do.  When; UINT64_MAX: not before they are settled.
 */
static uint64_t
overlap_at(const struct search *s)
{
	uint64_t	 at, pace;
	unsigned	 out = 0;
	size_t		 i;

	if (!s->slow || !s->round_confirm || !s->round_ref)
		return UINT64_MAX;
	for (i = 0; i < s->ntab; i++)
		if (s->tab[i].size == s->cand && !s->tab[i].lost &&
		    !s->tab[i].told)
			out++;
	if (out == 0 || out >= ROUND_MAX / 2)
		return UINT64_MAX;
	at = evidence_round_out_at(s->ev, rto(s), out);
	if (at == UINT64_MAX)
		return at;
	pace = rtt_srtt(s->rtt);
	if (pace < s->p.rto_min_ms)
		pace = s->p.rto_min_ms;
	return at > s->round_at + pace ? at : s->round_at + pace;
}

/* A confirmation round: lo + 1, then a reference at lo. */
static enum search_step
confirm_next(struct search *s, uint64_t now, struct search_probe *out,
    uint64_t *wake)
{
	uint64_t	 at, lap = UINT64_MAX;

	if (s->round_open && s->cand_flight == 0 && s->ref_flight == 0)
		s->round_open = 0;
	if (s->round_open && (lap = overlap_at(s)) <= now &&
	    evidence_round(s->ev, now) == 0) {
		s->round_confirm = s->round_ref = 0;
		s->round_at = now;
	}
	if (!s->round_open) {
		if ((at = evidence_round_at(s->ev, rto(s))) > now) {
			*wake = at;
			return SEARCH_WAIT;
		}
		if (evidence_round(s->ev, now) == 0) {
			s->round_open = 1;
			s->round_confirm = s->round_ref = 0;
			s->round_at = now;
		}
	}
	if (s->round_open) {
		/*
		 * lo + 1 first: a destination that rate-limits its answers
		 * gives the next one to lo + 1, which can only refute; in a
		 * black hole lo + 1 never reaches it, so this costs nothing.
		 * (Alternating, rounds one rto apart alias with a 1/s
		 * limiter: every answer went to the reference.)
		 */
		if (!s->round_confirm) {
			s->round_confirm = 1;
			s->cand_flight = send_probe(s, s->cand, now, out);
			return SEARCH_SEND;
		}
		if (!s->round_ref) {
			s->round_ref = 1;
			s->ref_flight = send_probe(s, s->lo, now, out);
			s->tab[s->ntab - 1].ref = 1;
			return SEARCH_SEND;
		}
	}
	if (earliest(s, wake)) {
		if (lap > now && lap < *wake)
			*wake = lap;
		return SEARCH_WAIT;
	}
	finish(s, SEARCH_OK);
	return SEARCH_DONE;
}

/* No answer yet, nor a reachability probe: one may be due. */
static int
early_reach(const struct search *s)
{
	return s->lo == 0 && s->reach == REACH_NONE &&
	    !rtt_measured(s->rtt) && s->res.probes_sent != 0 &&
	    s->cand != s->p.min_mtu;
}

static uint64_t
early_reach_at(const struct search *s)
{
	uint64_t	 d = rto(s) / EARLY_REACH_DIV;

	return s->first_sent + (d > s->p.rto_min_ms ? d : s->p.rto_min_ms);
}

enum search_step
search_next(struct search *s, uint64_t now, struct search_probe *out,
    uint64_t *wake)
{
	unsigned	size;
	int		waiting;

	s->now = now;
	expire(s, now);
	if (s->done)
		return SEARCH_DONE;
	if (s->res.probes_sent >= s->p.max_probes) {
		/* Answers too scarce to go on: say what is known. */
		s->res.incomplete = 1;
		finish(s, s->lo > 0 ? SEARCH_OK : SEARCH_UNREACHABLE);
		return SEARCH_DONE;
	}
	if (s->confirming)
		return confirm_next(s, now, out, wake);
	if (s->recheck && s->recheck_flight == 0 &&
	    s->recheck_tries < s->p.max_tries) {
		s->recheck_tries++;
		s->recheck_flight = send_probe(s, s->lo, now, out);
		s->tab[s->ntab - 1].ref = 1;	/* known, late or not */
		return SEARCH_SEND;
	}
	if (early_reach(s) && now >= early_reach_at(s))
		s->reach = REACH_ACTIVE;
	if (s->remeasure) {
		s->remeasure = 0;
		if (s->lo > 0) {
			s->measure_flight = send_probe(s, s->lo, now, out);
			return SEARCH_SEND;
		}
	}
	if (s->check != 0 && s->check == s->hi) {
		/* Settles hi (unsettled()): one probe, no retries. */
		(void)send_probe(s, s->check, now, out);
		s->check = 0;
		return SEARCH_SEND;
	}
	s->check = 0;
	while (s->nqueue > 0) {
		size = s->queue[0];
		memmove(s->queue, s->queue + 1, --s->nqueue *
		    sizeof(s->queue[0]));
		if (size <= s->lo || size >= s->hi)
			continue;
		(void)send_probe(s, size, now, out);
		s->tab[s->ntab - 1].round = s->tab[s->ntab - 1].once = 1;
		return SEARCH_SEND;
	}
	if (s->cand != 0 && s->cand_flight == 0 &&
	    s->cand_tries < s->p.max_tries) {
		s->cand_tries++;
		s->cand_flight = send_probe(s, s->cand, now, out);
		return SEARCH_SEND;
	}
	if (s->lo == 0 && s->reach == REACH_ACTIVE && s->reach_flight == 0 &&
	    s->reach_tries < s->p.max_tries) {
		s->reach_tries++;
		s->reach_flight = send_probe(s, s->p.min_mtu, now, out);
		return SEARCH_SEND;
	}
	waiting = earliest(s, wake);
	if (early_reach(s)) {
		if (!waiting || early_reach_at(s) < *wake)
			*wake = early_reach_at(s);
		waiting = 1;
	}
	if (waiting)
		return SEARCH_WAIT;
	/* Nothing left to learn; not expected, but never hang. */
	finish(s, s->lo > 0 ? SEARCH_OK : SEARCH_UNREACHABLE);
	return SEARCH_DONE;
}

static struct search_ent *
answered(struct search *s, unsigned token)
{
	if (s->done || token == 0)
		return NULL;
	return find(s, token);
}

int
search_on_reply(struct search *s, unsigned token, uint64_t now)
{
	struct search_ent	*e;
	unsigned		 size;
	uint64_t		 sent;
	int			 late, refuted;

	if ((e = answered(s, token)) == NULL)
		return -1;
	s->now = now;
	size = e->size;
	late = e->lost;
	sent = e->sent;
	rtt_answer(s, now > sent ? now - sent : 0);
	drop(s, e);
	evidence_answer(s->ev, size, sent, late, now);
	s->unreach_n = 0;	/* the destination is there */
	if (s->recheck) {
		/* ... and, unless it answers above, what was taken back
		 * was false. */
		s->recheck = 0;
		if (size <= s->lo)
			s->res.reply_refuted++;
	}
	if (size > s->lo)
		s->lo = size;
	if (s->res.silent_fail != 0 && size >= s->res.silent_fail)
		s->res.silent_fail = 0;
	if (s->lo >= s->hi) {
		/*
		 * An answer beat a timeout or a too-big: the too-bigs it
		 * contradicts were forged or stale, the others stand; if
		 * it beat silence, silence so far is no black-hole
		 * evidence.
		 */
		if (s->hi < s->hi_icmp)
			evidence_refuted(s->ev);
		refuted = claims_refute(s, s->lo);
		s->hi = s->hi_local;
		bound_update(s);
		if (refuted)
			s->hint = claims_hint(s);
	}
	drop_irrelevant(s);
	if (s->remeasure && !in_flight(s))
		s->remeasure = 0;
	choose(s);
	return 0;
}

/*
 * A too-big for e: sizes from bound up fail, says a router (or one who
 * sees the probes go by).  The probe stays known: its answer would
 * refute the claim.  mtu: what it named, 0 if nothing usable.
 */
static void
too_big(struct search *s, struct search_ent *e, unsigned mtu)
{
	unsigned	 size = e->size, bound = size, hint = 0;

	if (e->token == s->cand_flight)
		s->cand_flight = 0;
	if (mtu < s->p.min_mtu || mtu >= size)
		mtu = 0;	/* implausible: RFC 5927 */
	if (mtu != 0 && mtu >= s->lo) {
		bound = mtu + 1;
		hint = mtu;
	} else if (mtu == 0 && pkt_plateau_below(size) > s->lo)
		hint = pkt_plateau_below(size);
	/* (mtu < lo contradicted an answer we had: only "size fails".) */
	if (e->told != 0 && e->told != bound)
		s->doubt = 1;	/* one of the two is false */
	e->told = bound;
	/* A round's sizes failed at one loss: with routers that speak,
	 * the bisection goes on from their bound, three tries a size. */
	if (s->slow && s->hi < s->hi_icmp)
		s->hi = s->hi_icmp;
	if (bound <= s->lo) {
		/* For a size answered: refuted already. */
		s->res.too_big_refuted++;
		s->doubt = 1;
	} else {
		claim_add(s, bound, hint);
		if (bound < s->hi)
			s->hint = hint;
		bound_update(s);
	}
	choose(s);
}

int
search_on_too_big(struct search *s, unsigned token, unsigned mtu,
    uint64_t now)
{
	struct search_ent	*e;

	if ((e = answered(s, token)) == NULL)
		return -1;
	s->now = now;
	s->res.too_big++;
	too_big(s, e, mtu);
	return 0;
}

/*
 * One unreachable is no proof (anyone who sees a probe can send one):
 * the probe goes on as if unanswered, and it takes UNREACH_MIN of them,
 * for probes sent a timeout apart at least and no answer in between.
 */
int
search_on_unreach(struct search *s, unsigned token, uint64_t now)
{
	struct search_ent	*e;

	if ((e = answered(s, token)) == NULL)
		return -1;
	s->now = now;
	if (e->unreach)
		return 0;	/* one probe, one piece of evidence */
	e->unreach = 1;
	s->res.unreach++;
	if (s->unreach_n++ == 0)
		s->unreach_first = s->unreach_last = e->sent;
	else if (e->sent < s->unreach_first)
		s->unreach_first = e->sent;
	else if (e->sent > s->unreach_last)
		s->unreach_last = e->sent;
	if (s->unreach_n >= UNREACH_MIN &&
	    s->unreach_last - s->unreach_first >= rto(s)) {
		s->res.told = 1;
		finish(s, SEARCH_UNREACHABLE);
	}
	return 0;
}

int
search_on_send_error(struct search *s, unsigned token, int err,
    uint64_t now)
{
	struct search_ent	*e;
	unsigned		 h;

	(void)now;
	if ((e = answered(s, token)) == NULL)
		return -1;
	if (err == EMSGSIZE) {
		/* Our own interface: no claim, a bound. */
		if (e->size < s->hi_local)
			s->hi_local = e->size;
		if ((h = pkt_plateau_below(e->size)) > s->lo)
			s->hint = h;
		drop(s, e);
		bound_update(s);
		choose(s);
	} else {
		s->res.error = err;
		finish(s, SEARCH_ERROR);
	}
	return 0;
}

int
search_done(const struct search *s)
{
	return s->done;
}

void
search_result(const struct search *s, struct search_result *r)
{
	struct evidence_report	 ev;

	*r = s->res;
	/* While running, pmtu is the best confirmed so far. */
	r->pmtu = s->res.state == SEARCH_OK ? s->lo : 0;
	r->srtt_ms = rtt_srtt(s->rtt);
	r->rto_ms = rtt_rto(s->rtt);
	if (!s->done && r->probes_sent > 0 && s->now > s->first_sent)
		r->elapsed_ms = (unsigned)(s->now - s->first_sent);
	evidence_report(s->ev, s->now, &ev);
	r->control_sent = ev.ref_sent;
	r->control_lost = ev.ref_lost;
}

const char *
search_state_name(enum search_state st)
{
	switch (st) {
	case SEARCH_OK:
		return "ok";
	case SEARCH_UNREACHABLE:
		return "unreachable";
	case SEARCH_ERROR:
		return "error";
	}
	return "unknown";
}
