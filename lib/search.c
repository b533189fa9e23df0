/* SPDX-License-Identifier: ISC */
/*
 * The path MTU search state machine (see search.h for the algorithm).
 *
 * Every probe sent is kept in a small table by token: in flight until its
 * deadline, then "lost" but still known, so that a late answer can be
 * used.  Probes that can no longer tell anything new (size < lo, == lo
 * but for the confirmation's references, >= an ICMP-derived bound) are
 * dropped and their tokens become unknown.  Sizes between lo and hi
 * that failed by silence alone stay known: a late too-big or answer
 * still tells.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "pkt.h"
#include "rtt.h"
#include "search.h"

#define SEARCH_TABLE	64	/* at most 3 in flight; the rest lost */
/*
 * No answer within a fifth of the first timeout (but rto_min at least):
 * check reachability beside the first probe's retries.
 */
#define EARLY_REACH_DIV	5

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
	if ((s->ev = evidence_new()) == NULL ||
	    (s->rtt = rtt_new(p.rto_init_ms, p.rto_min_ms,
	    p.rto_max_ms)) == NULL) {
		search_free(s);
		return (NULL);
	}
	s->p = p;
	s->hi = s->hi_icmp = p.local_mtu + 1;
	s->cand = p.local_mtu;
	s->next_token = 1;
	s->res.state = SEARCH_OK;
	return (s);
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
			return (&s->tab[i]);
	return (NULL);
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
		if (e->size < s->lo || (e->size == s->lo && !e->ref) ||
		    e->size >= s->hi_icmp)
			drop(s, e);
		else
			i++;
	}
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
	return (rtt_rto(s->rtt));
}

static int
in_flight(const struct search *s)
{
	size_t	i;

	for (i = 0; i < s->ntab; i++)
		if (!s->tab[i].lost)
			return (1);
	return (0);
}

static void
rtt_answer(struct search *s, uint64_t sample)
{
	int	first = !rtt_measured(s->rtt);

	rtt_sample(s->rtt, sample);
	if (first && rto(s) > s->p.rto_init_ms)
		s->remeasure = 1;
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
			/* Only silence says lo + 1 fails: make sure.  (Its
			 * references measure the RTT too.) */
			s->confirming = 1;
			s->remeasure = 0;
			evidence_confirm(s->ev, s->now);
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
	else if (s->reach == REACH_ACTIVE)
		return;		/* is the destination there at all? */
	else if (s->reach == REACH_NONE && s->hi > s->p.min_mtu)
		s->reach = REACH_ACTIVE;
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
		s->confirming = 0;
		finish(s, SEARCH_OK);
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
		evidence_lost(s->ev, s->tab[i].size, s->tab[i].sent, now);
		if (s->tab[i].token == s->cand_flight)
			cand_lost(s);
		else if (s->tab[i].token == s->reach_flight)
			reach_lost(s);
		else if (s->tab[i].token == s->ref_flight)
			s->ref_flight = 0;	/* the round may close */
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
	e->ref = 0;
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
		if (!waiting || s->tab[i].sent + rto(s) < *wake)
			*wake = s->tab[i].sent + rto(s);
		waiting = 1;
	}
	return waiting;
}

/* A confirmation round: lo + 1, then a reference at lo. */
static enum search_step
confirm_next(struct search *s, uint64_t now, struct search_probe *out,
    uint64_t *wake)
{
	uint64_t	 at;

	if (s->round_open && s->cand_flight == 0 && s->ref_flight == 0)
		s->round_open = 0;
	if (!s->round_open) {
		if ((at = evidence_round_at(s->ev, rto(s))) > now) {
			*wake = at;
			return (SEARCH_WAIT);
		}
		if (evidence_round(s->ev, now) == 0) {
			s->round_open = 1;
			s->round_confirm = s->round_ref = 0;
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
			return (SEARCH_SEND);
		}
		if (!s->round_ref) {
			s->round_ref = 1;
			s->ref_flight = send_probe(s, s->lo, now, out);
			s->tab[s->ntab - 1].ref = 1;
			return (SEARCH_SEND);
		}
	}
	if (earliest(s, wake))
		return (SEARCH_WAIT);
	finish(s, SEARCH_OK);
	return (SEARCH_DONE);
}

/* No answer yet, nor a reachability probe: one may be due. */
static int
early_reach(const struct search *s)
{
	return (s->lo == 0 && s->reach == REACH_NONE &&
	    !rtt_measured(s->rtt) && s->res.probes_sent != 0 &&
	    s->cand != s->p.min_mtu);
}

static uint64_t
early_reach_at(const struct search *s)
{
	uint64_t	 d = rto(s) / EARLY_REACH_DIV;

	return (s->first_sent + (d > s->p.rto_min_ms ? d : s->p.rto_min_ms));
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
	if (early_reach(s) && now >= early_reach_at(s))
		s->reach = REACH_ACTIVE;
	if (s->remeasure) {
		s->remeasure = 0;
		if (s->lo > 0) {
			(void)send_probe(s, s->lo, now, out);
			return (SEARCH_SEND);
		}
	}
	if (s->cand != 0 && s->cand_flight == 0 &&
	    s->cand_tries < s->p.max_tries) {
		s->cand_tries++;
		s->cand_flight = send_probe(s, s->cand, now, out);
		return (SEARCH_SEND);
	}
	if (s->lo == 0 && s->reach == REACH_ACTIVE && s->reach_flight == 0 &&
	    s->reach_tries < s->p.max_tries) {
		s->reach_tries++;
		s->reach_flight = send_probe(s, s->p.min_mtu, now, out);
		return (SEARCH_SEND);
	}
	waiting = earliest(s, wake);
	if (early_reach(s)) {
		if (!waiting || early_reach_at(s) < *wake)
			*wake = early_reach_at(s);
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
	uint64_t		 sent;
	int			 late;

	if ((e = answered(s, token)) == NULL)
		return (-1);
	s->now = now;
	size = e->size;
	late = e->lost;
	sent = e->sent;
	rtt_answer(s, now > sent ? now - sent : 0);
	drop(s, e);
	evidence_answer(s->ev, size, sent, late, now);
	if (size > s->lo)
		s->lo = size;
	if (s->res.silent_fail != 0 && size >= s->res.silent_fail)
		s->res.silent_fail = 0;
	if (s->lo >= s->hi) {
		/* A late answer beat a timeout: only ICMP bounds stand,
		 * and silence so far is no black-hole evidence. */
		s->hi = s->hi_icmp;
		evidence_refuted(s->ev);
		if (s->hi <= s->lo) {
			s->hi = s->hi_icmp = s->p.local_mtu + 1;
			evidence_bound(s->ev, s->hi_icmp);
		}
	}
	drop_irrelevant(s);
	if (s->remeasure && !in_flight(s))
		s->remeasure = 0;
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
	evidence_bound(s->ev, s->hi_icmp);
	/* mtu < lo contradicts an answer we had: keep only "size fails". */
	drop_irrelevant(s);
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
		return ("ok");
	case SEARCH_UNREACHABLE:
		return ("unreachable");
	case SEARCH_ERROR:
		return ("error");
	}
	return ("unknown");
}
