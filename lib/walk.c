/* SPDX-License-Identifier: ISC */
/*
 * The path walk state machine (see walk.h for the algorithm).
 *
 * At most two probes are in flight, both at the current hop's TTL: the
 * candidate size and a control probe of size P.  The control is started
 * when a candidate above P is first lost: its answer proves the hop was
 * answering at that moment, so a size that then vanishes really is too
 * big and not just eaten by a time-exceeded rate limit.  Moving to a new
 * hop or a new candidate forgets the probes in flight, so their tokens
 * become stale and late answers change nothing.
 */
#include <sys/socket.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "walk.h"

struct walk_slot {
	int		 busy;
	unsigned	 token;
	unsigned	 size;
	uint64_t	 sent;
	uint64_t	 deadline;
};

struct walk {
	struct walk_params p;
	struct walk_hop	 hops[WALK_MAXHOPS];
	unsigned	 nhops;
	int		 done;
	unsigned	 next_token;
	unsigned	 sent;
	unsigned	 silent_run;	/* hops in a row with no answer */

	/* The current hop (hops[nhops - 1]). */
	unsigned	 bound;		/* B */
	unsigned	 lo;		/* largest size answered, 0 none */
	unsigned	 hi;		/* smallest size known to vanish */
	unsigned	 cand;		/* size being probed */
	unsigned	 cand_lost;
	int		 cand_need;	/* send (again) */
	int		 ctl_started;
	int		 ctl_ok;	/* the control got an answer */
	unsigned	 ctl_lost;
	int		 ctl_need;
	struct walk_slot cs;		/* candidate in flight */
	struct walk_slot ks;		/* control in flight */

	/* Asking a silent hop before the destination again (at P). */
	int		 back;
	struct walk_hop	 dest;		/* the destination's hop meanwhile */
};

static void	next_cand(struct walk *);

unsigned
walk_tries(unsigned sent, unsigned lost)
{
	/* Rule of succession: a loss in few probes says little. */
	double		 rate = (lost + 1.0) / (sent + 2.0);
	unsigned	 n = 2;

	if (lost == 0)
		return n;	/* no loss seen: the path's answers arrive */
	while (n < WALK_MAXTRIES && pow(rate, n) > WALK_MISS_CHANCE)
		n++;
	return n;
}

struct walk *
walk_new(const struct walk_params *params)
{
	struct walk		*w;
	struct walk_params	 p;

	if (params == NULL)
		return NULL;
	p = *params;
	if (p.family != AF_INET && p.family != AF_INET6)
		return NULL;
	if (p.max_hops == 0)
		p.max_hops = 30;
	if (p.max_tries == 0)
		p.max_tries = 2;
	if (p.gap_limit == 0)
		p.gap_limit = 5;
	if (p.rto_ms == 0)
		p.rto_ms = 500;
	if (p.pmtu < pkt_min_mtu(p.family) || p.pmtu > p.local_mtu ||
	    p.local_mtu > PKT_MAX || p.max_hops > WALK_MAXHOPS)
		return NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->p = p;
	w->next_token = 1;
	w->bound = p.local_mtu;
	return w;
}

void
walk_free(struct walk *w)
{
	free(w);
}

static struct walk_hop *
cur(struct walk *w)
{
	return &w->hops[w->nhops - 1];
}

static void
set_cand(struct walk *w, unsigned size)
{
	w->cand = size;
	w->cand_lost = 0;
	w->cand_need = 1;
	w->ctl_started = w->ctl_ok = w->ctl_need = 0;
	w->ctl_lost = 0;
	memset(&w->cs, 0, sizeof(w->cs));
	memset(&w->ks, 0, sizeof(w->ks));
}

static void
start_hop(struct walk *w)
{
	struct walk_hop	*h = &w->hops[w->nhops++];

	memset(h, 0, sizeof(*h));
	h->ttl = w->nhops;
	h->rtt_us = -1;
	w->lo = 0;
	w->hi = w->bound + 1;
	if (w->p.blackhole && w->bound > w->p.pmtu + 1)
		set_cand(w, w->p.pmtu + 1);
	else
		set_cand(w, w->bound);
}

static void
finish(struct walk *w)
{
	w->done = 1;
	memset(&w->cs, 0, sizeof(w->cs));
	memset(&w->ks, 0, sizeof(w->ks));
}

/* The silent hop asked again is settled: the destination stays after it. */
static void
back_end(struct walk *w)
{
	w->back = 0;
	w->hops[w->nhops++] = w->dest;
	finish(w);
}

/* The current hop is over, known (mtu != 0) or not. */
static void
end_hop(struct walk *w, unsigned mtu)
{
	struct walk_hop	*h = cur(w);

	if (w->back) {
		/* Asked at P only: exact if P is the bound, else unknown. */
		h->mtu = mtu == w->bound ? mtu : 0;
		back_end(w);
		return;
	}
	h->mtu = mtu;
	if (mtu != 0)
		w->bound = mtu;	/* MTUs never grow along the path */
	if (addr_isset(&h->address))
		w->silent_run = 0;
	else
		w->silent_run++;
	if (w->nhops >= w->p.max_hops || w->silent_run >= w->p.gap_limit)
		finish(w);
	else
		start_hop(w);
}

/* Pick the next size to try at this hop, or settle it. */
static void
next_cand(struct walk *w)
{
	if (w->hi <= w->lo + 1)
		end_hop(w, w->lo);
	else if (w->p.blackhole && w->lo == w->p.pmtu + 1 &&
	    w->cand == w->p.pmtu + 1)
		set_cand(w, w->bound);	/* reached it: now the bound */
	else if (w->lo == w->p.pmtu)
		set_cand(w, w->lo + 1);	/* usually vanishes: mtu = P */
	else
		set_cand(w, w->lo + (w->hi - w->lo) / 2);
}

/* Tries for the candidate: a size above P may have fewer (big_tries). */
static unsigned
cand_tries(const struct walk *w)
{
	return w->cand > w->p.pmtu && w->p.big_tries != 0 ?
	    w->p.big_tries : w->p.max_tries;
}

/* After a loss: decide once the candidate has had all its tries. */
static void
resolve(struct walk *w)
{
	if (w->cand_lost < cand_tries(w) || w->cs.busy || w->cand_need)
		return;
	if (w->cand > w->p.pmtu && w->ctl_ok) {
		/* The hop answered P meanwhile: cand really vanished. */
		w->hi = w->cand;
		next_cand(w);
	} else if (w->cand <= w->p.pmtu || w->ctl_lost >= w->p.max_tries)
		end_hop(w, 0);
}

static void
cand_lost(struct walk *w, int all)
{
	w->cs.busy = 0;
	w->cand_lost = all ? cand_tries(w) : w->cand_lost + 1;
	if (w->cand_lost < cand_tries(w))
		w->cand_need = 1;
	if (w->cand > w->p.pmtu && !w->ctl_started) {
		/* Silent hop or vanishing size?  Ask at P at once. */
		w->ctl_started = 1;
		w->ctl_need = 1;
	}
	resolve(w);
}

static void
ctl_lost(struct walk *w, int all)
{
	w->ks.busy = 0;
	w->ctl_lost = all ? w->p.max_tries : w->ctl_lost + 1;
	if (w->ctl_lost < w->p.max_tries && !w->ctl_ok)
		w->ctl_need = 1;
	resolve(w);
}

static void
expire(struct walk *w, uint64_t now)
{
	if (!w->done && w->cs.busy && w->cs.deadline <= now)
		cand_lost(w, 0);
	if (!w->done && w->ks.busy && w->ks.deadline <= now)
		ctl_lost(w, 0);
}

static void
send_probe(struct walk *w, struct walk_slot *s, unsigned size, uint64_t now,
    struct walk_probe *out)
{
	s->busy = 1;
	s->token = w->next_token++;
	s->size = size;
	s->sent = now;
	s->deadline = now + (uint64_t)w->p.rto_ms * 1000;
	w->sent++;
	out->token = s->token;
	out->size = size;
	out->ttl = cur(w)->ttl;
}

enum walk_step
walk_next(struct walk *w, uint64_t now_us, struct walk_probe *out,
    uint64_t *wake_us)
{
	if (!w->done && w->nhops == 0)
		start_hop(w);
	expire(w, now_us);
	if (w->done)
		return WALK_DONE;
	if (w->cand_need && !w->cs.busy) {
		w->cand_need = 0;
		send_probe(w, &w->cs, w->cand, now_us, out);
		return WALK_SEND;
	}
	if (w->ctl_need && !w->ks.busy) {
		w->ctl_need = 0;
		send_probe(w, &w->ks, w->p.pmtu, now_us, out);
		return WALK_SEND;
	}
	if (w->cs.busy && w->ks.busy)
		*wake_us = w->cs.deadline < w->ks.deadline ?
		    w->cs.deadline : w->ks.deadline;
	else if (w->cs.busy)
		*wake_us = w->cs.deadline;
	else if (w->ks.busy)
		*wake_us = w->ks.deadline;
	else {
		/* Nothing to learn and nothing to wait for: never hang. */
		finish(w);
		return WALK_DONE;
	}
	return WALK_WAIT;
}

/* The probe a token names, if it is still in flight. */
static struct walk_slot *
slot(struct walk *w, unsigned token)
{
	if (w->done || token == 0)
		return NULL;
	if (w->cs.busy && w->cs.token == token)
		return &w->cs;
	if (w->ks.busy && w->ks.token == token)
		return &w->ks;
	return NULL;
}

/* Someone at this TTL answered probe s: note who, and the first RTT. */
static void
heard(struct walk *w, const struct walk_slot *s, const struct addr *from,
    uint64_t now)
{
	struct walk_hop	*h = cur(w);
	uint64_t	 rtt;

	if (!addr_isset(&h->address) && from != NULL)
		h->address = *from;	/* first address wins */
	if (h->rtt_us < 0) {
		rtt = now > s->sent ? now - s->sent : 0;
		h->rtt_us = rtt > INT_MAX ? INT_MAX : (int)rtt;
	}
	if (s->size > w->lo)
		w->lo = s->size;
}

int
walk_on_time_exceeded(struct walk *w, unsigned token,
    const struct addr *from, uint64_t now_us)
{
	struct walk_slot	*s;

	if ((s = slot(w, token)) == NULL || from == NULL)
		return -1;
	heard(w, s, from, now_us);
	s->busy = 0;
	if (s == &w->ks) {
		w->ctl_ok = 1;
		w->ctl_need = 0;
		resolve(w);
	} else
		next_cand(w);
	return 0;
}

/*
 * The destination answered at the current hop.  A silent hop just
 * before it may have been the destination itself, its answers lost:
 * ask there again at P, so that loss never moves the destination out.
 */
static void
dest_found(struct walk *w)
{
	if (w->nhops < 2 || addr_isset(&w->hops[w->nhops - 2].address)) {
		finish(w);
		return;
	}
	w->dest = *cur(w);
	w->back = 1;
	w->nhops--;
	w->lo = 0;
	w->hi = w->p.pmtu + 1;
	set_cand(w, w->p.pmtu);
}

int
walk_on_reply(struct walk *w, unsigned token, const struct addr *from,
    uint64_t now_us)
{
	struct walk_slot	*s;
	struct walk_hop		*h;

	if ((s = slot(w, token)) == NULL || from == NULL)
		return -1;
	heard(w, s, from, now_us);
	/*
	 * The destination: P + 1 is known to vanish end to end, so an
	 * answer at P settles it too.  Nothing above B reaches it.
	 */
	h = cur(w);
	h->destination = 1;
	if (w->back)
		h->mtu = w->dest.mtu;	/* the same destination, nearer */
	else
		h->mtu = w->lo < w->bound ? w->lo : w->bound;
	w->back = 0;
	dest_found(w);
	return 0;
}

int
walk_on_too_big(struct walk *w, unsigned token, unsigned mtu,
    const struct addr *from, uint64_t now_us)
{
	struct walk_slot	*s;

	(void)from;
	(void)now_us;
	if ((s = slot(w, token)) == NULL)
		return -1;
	/* Implausible (RFC 5927) or contradicting an answer: ignore. */
	if (mtu < w->p.pmtu || mtu >= s->size || mtu < w->lo)
		return 0;
	w->bound = mtu;
	w->hi = mtu + 1;
	if (w->lo == mtu)
		end_hop(w, mtu);
	else
		set_cand(w, mtu);
	return 0;
}

int
walk_on_unreach(struct walk *w, unsigned token, const struct addr *from,
    uint64_t now_us)
{
	struct walk_slot	*s;

	if ((s = slot(w, token)) == NULL || from == NULL)
		return -1;
	heard(w, s, from, now_us);
	if (w->back)
		back_end(w);	/* the destination answered beyond */
	else
		finish(w);
	return 0;
}

int
walk_on_send_error(struct walk *w, unsigned token, int err, uint64_t now_us)
{
	struct walk_slot	*s;

	(void)err;
	(void)now_us;
	if ((s = slot(w, token)) == NULL)
		return -1;
	/* A failed send fails again: no retries at this size. */
	if (s == &w->ks)
		ctl_lost(w, 1);
	else
		cand_lost(w, 1);
	return 0;
}

int
walk_done(const struct walk *w)
{
	return w->done;
}

unsigned
walk_probes_sent(const struct walk *w)
{
	return w->sent;
}

const struct walk_hop *
walk_hops(const struct walk *w, unsigned *nhops)
{
	if (nhops != NULL)
		*nhops = w->nhops;
	return w->hops;
}

unsigned
walk_blackhole_hop(const struct walk *w, struct addr *addr)
{
	unsigned	i;

	for (i = w->nhops; i > 0; i--) {
		if (w->hops[i - 1].mtu > w->p.pmtu) {
			if (addr != NULL)
				*addr = w->hops[i - 1].address;
			return w->hops[i - 1].ttl;
		}
	}
	if (addr != NULL)
		memset(addr, 0, sizeof(*addr));
	return 0;
}
