/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/walk.c, driven by a scripted fake path. */
#include <sys/socket.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "walk.h"

#define MAXITER		500	/* every scripted walk ends well before */
#define MAXLINKS	12
#define MAXPROBES	128
#define MAXEVENTS	64
#define HOP_US		1000	/* RTT to node k is k * HOP_US */
#define T0		1000000	/* the fake clock starts here */

/*
 * Node 0 is this host, node k (1 <= k < nlinks) router k, node nlinks
 * the destination.  Link k joins node k - 1 to node k.  All zero is a
 * well-behaved router.
 */
struct node {
	int		 no_te;		/* never answers time-exceeded */
	unsigned	 te_limit;	/* != 0: only the first te_limit */
	int		 black;		/* drops too-big packets silently */
	int		 unreach;	/* says unreachable instead of forwarding */
};

struct path {
	int		 family;
	unsigned	 local_mtu;
	unsigned	 pmtu;
	unsigned	 max_hops, max_tries, gap_limit;
	unsigned	 links[MAXLINKS];	/* link MTUs, 0 ends */
	struct node	 nodes[MAXLINKS];
	int		 dest_silent;
	uint64_t	 drop;		/* bit n-1: probe n is lost */
	int		 blackhole;	/* the search found one: P + 1 first */
	unsigned	 big_tries;
};

enum ev_kind { EV_TE, EV_REPLY, EV_TOO_BIG, EV_UNREACH };

struct event {
	uint64_t	 at;
	enum ev_kind	 kind;
	unsigned	 token;
	unsigned	 mtu;
	unsigned	 node;
};

struct sim {
	const struct path *p;
	unsigned	 nlinks;
	unsigned	 te_sent[MAXLINKS];
	struct event	 ev[MAXEVENTS];
	size_t		 nev;
};

struct run {
	struct walk_hop	 hops[WALK_MAXHOPS];
	unsigned	 nhops;
	unsigned	 sent;
	struct walk_probe probes[MAXPROBES];
	unsigned	 nprobes;
	int		 stale;		/* answers the walk called stale */
	unsigned	 bh;
	struct addr	 bh_addr;
};

static void
node_addr(const struct sim *sim, unsigned node, struct addr *a)
{
	char	buf[64];
	int	v6 = sim->p->family == AF_INET6;

	if (node == sim->nlinks)
		snprintf(buf, sizeof(buf), v6 ? "2001:db8:1::1" :
		    "198.18.1.1");
	else
		snprintf(buf, sizeof(buf), v6 ? "2001:db8::%u" :
		    "198.18.0.%u", node);
	assert_int_equal(addr_parse(a, buf), 0);
}

static void
push(struct sim *sim, enum ev_kind kind, const struct walk_probe *pr,
    unsigned node, unsigned mtu, uint64_t now)
{
	struct event	e = { .at = now + (uint64_t)node * HOP_US,
			    .kind = kind, .token = pr->token, .mtu = mtu,
			    .node = node };
	size_t		i;

	assert_true(sim->nev < MAXEVENTS);
	for (i = sim->nev; i > 0 && sim->ev[i - 1].at > e.at; i--)
		sim->ev[i] = sim->ev[i - 1];
	sim->ev[i] = e;
	sim->nev++;
}

/* What the path does with one probe: at most one event. */
static void
simulate(struct sim *sim, struct walk *w, const struct walk_probe *pr,
    unsigned n, uint64_t now)
{
	const struct path	*p = sim->p;
	const struct node	*nd;
	unsigned		 k;

	if (p->drop & (1ULL << (n - 1)))
		return;
	for (k = 1; k <= sim->nlinks; k++) {
		nd = &p->nodes[k - 1];	/* sends over link k */
		if (pr->size > p->links[k - 1]) {
			if (k == 1 && !nd->black)
				assert_int_equal(walk_on_send_error(w,
				    pr->token, EMSGSIZE, now), 0);
			else if (!nd->black)
				push(sim, EV_TOO_BIG, pr, k - 1,
				    p->links[k - 1], now);
			return;
		}
		if (k == sim->nlinks) {
			if (!p->dest_silent)
				push(sim, EV_REPLY, pr, k, 0, now);
			return;
		}
		nd = &p->nodes[k];
		if (pr->ttl == k) {
			/* Linux: TTL first, the next link's MTU after. */
			if (!nd->no_te && (nd->te_limit == 0 ||
			    sim->te_sent[k] < nd->te_limit)) {
				sim->te_sent[k]++;
				push(sim, EV_TE, pr, k, 0, now);
			}
			return;
		}
		if (nd->unreach) {
			push(sim, EV_UNREACH, pr, k, 0, now);
			return;
		}
	}
}

static int
deliver(struct sim *sim, struct walk *w, const struct event *e)
{
	struct addr	from;

	node_addr(sim, e->node, &from);
	switch (e->kind) {
	case EV_TE:
		return (walk_on_time_exceeded(w, e->token, &from, e->at));
	case EV_REPLY:
		return (walk_on_reply(w, e->token, &from, e->at));
	case EV_TOO_BIG:
		return (walk_on_too_big(w, e->token, e->mtu, &from, e->at));
	case EV_UNREACH:
		return (walk_on_unreach(w, e->token, &from, e->at));
	}
	return (-2);
}

static struct walk *
new_walk(const struct path *p)
{
	struct walk_params	wp = {
		.family = p->family ? p->family : AF_INET,
		.local_mtu = p->local_mtu, .pmtu = p->pmtu,
		.max_hops = p->max_hops, .max_tries = p->max_tries,
		.gap_limit = p->gap_limit, .blackhole = p->blackhole,
		.big_tries = p->big_tries,
	};

	return (walk_new(&wp));
}

/* walk_next -> simulate -> deliver -> advance the clock, until done. */
static void
run(const struct path *p, struct run *r)
{
	struct sim		 sim = { .p = p };
	struct walk		*w;
	struct walk_probe	 pr;
	const struct walk_hop	*h;
	uint64_t		 now = T0, wake = 0;
	unsigned		 iter;
	int			 rc;

	memset(r, 0, sizeof(*r));
	while (sim.nlinks < MAXLINKS && p->links[sim.nlinks] != 0)
		sim.nlinks++;
	assert_non_null(w = new_walk(p));
	for (iter = 0;; iter++) {
		assert_true(iter < MAXITER);
		switch (walk_next(w, now, &pr, &wake)) {
		case WALK_DONE:
			goto out;
		case WALK_SEND:
			assert_true(r->nprobes < MAXPROBES);
			assert_int_equal(pr.token, r->nprobes + 1);
			r->probes[r->nprobes++] = pr;
			simulate(&sim, w, &pr, r->nprobes, now);
			continue;
		case WALK_WAIT:
			assert_true(wake > now);
			assert_false(walk_done(w));
			break;
		}
		now = sim.nev > 0 && sim.ev[0].at < wake ? sim.ev[0].at : wake;
		while (sim.nev > 0 && sim.ev[0].at <= now) {
			rc = deliver(&sim, w, &sim.ev[0]);
			assert_true(rc == 0 || rc == -1);
			r->stale += rc == -1;
			memmove(sim.ev, sim.ev + 1,
			    --sim.nev * sizeof(sim.ev[0]));
		}
	}
out:
	assert_true(walk_done(w));
	h = walk_hops(w, &r->nhops);
	assert_true(r->nhops <= WALK_MAXHOPS);
	memcpy(r->hops, h, r->nhops * sizeof(*h));
	r->sent = walk_probes_sent(w);
	assert_int_equal(r->sent, r->nprobes);
	r->bh = walk_blackhole_hop(w, &r->bh_addr);
	walk_free(w);
}

/* Hop i (0-based): ttl i + 1, address (NULL: unset), mtu, destination. */
static void
hop_is(const struct run *r, unsigned i, const char *a, unsigned mtu,
    int dest)
{
	const struct walk_hop	*h;
	struct addr		 want;

	assert_true(i < r->nhops);
	h = &r->hops[i];
	assert_int_equal(h->ttl, i + 1);
	if (a == NULL) {
		assert_false(addr_isset(&h->address));
		assert_int_equal(h->rtt_us, -1);
	} else {
		assert_int_equal(addr_parse(&want, a), 0);
		assert_true(addr_eq(&h->address, &want));
		assert_true(h->rtt_us >= 0);
	}
	assert_int_equal(h->mtu, mtu);
	assert_int_equal(h->destination, dest);
}

static void
probe_is(const struct run *r, unsigned n, unsigned size, unsigned ttl)
{
	assert_true(n >= 1 && n <= r->nprobes);
	assert_int_equal(r->probes[n - 1].size, size);
	assert_int_equal(r->probes[n - 1].ttl, ttl);
}

static void
no_blackhole(const struct run *r)
{
	assert_int_equal(r->bh, 0);
	assert_false(addr_isset(&r->bh_addr));
}

static void
blackhole_is(const struct run *r, unsigned hop, const char *a)
{
	struct addr	want;

	assert_int_equal(r->bh, hop);
	assert_int_equal(addr_parse(&want, a), 0);
	assert_true(addr_eq(&r->bh_addr, &want));
}

static void
test_clean_path(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .links = { 1500, 1500, 1500 } };
	struct run	r;
	unsigned	i;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.sent, 3);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, "198.18.1.1", 1500, 1);
	for (i = 0; i < 3; i++) {
		probe_is(&r, i + 1, 1500, i + 1);
		assert_int_equal(r.hops[i].rtt_us, (i + 1) * HOP_US);
	}
	assert_int_equal(r.stale, 0);
	no_blackhole(&r);
}

static void
test_too_big_steps(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1454,
			    .links = { 1500, 1492, 1454, 1500 } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 4);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1492, 0);
	hop_is(&r, 2, "198.18.0.3", 1454, 0);
	hop_is(&r, 3, "198.18.1.1", 1454, 1);
	/* 1500 at TTL 2 draws too-big 1492 from r1, and so on. */
	assert_int_equal(r.sent, 6);
	probe_is(&r, 2, 1500, 2);
	probe_is(&r, 3, 1492, 2);
	probe_is(&r, 4, 1492, 3);
	probe_is(&r, 5, 1454, 3);
	probe_is(&r, 6, 1454, 4);
	assert_int_equal(r.hops[1].rtt_us, 2 * HOP_US);
	/* Where sizes above P stop (here with a too-big, not silently). */
	blackhole_is(&r, 2, "198.18.0.2");
}

static void
test_blackhole_hop1(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1500, 1400 },
			    .nodes = { [1] = { .black = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 2);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.1.1", 1400, 1);
	/* B lost once: its retry and P go out together; P answers. */
	assert_int_equal(r.sent, 4);
	probe_is(&r, 2, 1500, 2);
	probe_is(&r, 3, 1500, 2);
	probe_is(&r, 4, 1400, 2);
	assert_int_equal(r.hops[1].rtt_us, 2 * HOP_US);
	blackhole_is(&r, 1, "198.18.0.1");
}

static void
test_blackhole_far(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1500, 1500, 1500, 1400, 1500 },
			    .nodes = { [3] = { .black = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 5);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, "198.18.0.3", 1500, 0);
	hop_is(&r, 3, "198.18.0.4", 1400, 0);
	hop_is(&r, 4, "198.18.1.1", 1400, 1);
	/* Hop 4: B, B + P, then P + 1 vanishes (twice, with a control). */
	assert_int_equal(r.sent, 10);
	probe_is(&r, 4, 1500, 4);
	probe_is(&r, 5, 1500, 4);
	probe_is(&r, 6, 1400, 4);
	probe_is(&r, 7, 1401, 4);
	probe_is(&r, 8, 1401, 4);
	probe_is(&r, 9, 1400, 4);
	probe_is(&r, 10, 1400, 5);
	blackhole_is(&r, 3, "198.18.0.3");
}

/*
 * Told of a black hole, the walk asks P + 1 first at each hop: where it
 * vanishes is the answer, and the hop's bound follows only where P + 1
 * got through.  Same hops and verdict, fewer silent waits.
 */
static void
test_blackhole_mode(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1500, 1500, 1500, 1400, 1500 },
			    .nodes = { [3] = { .black = 1 } }, .blackhole = 1 };
	struct path	h1 = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1500, 1400 },
			    .nodes = { [1] = { .black = 1 } }, .blackhole = 1 };
	struct run	r;
	unsigned	i, lost = 0;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 5);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, "198.18.0.3", 1500, 0);
	hop_is(&r, 3, "198.18.0.4", 1400, 0);
	hop_is(&r, 4, "198.18.1.1", 1400, 1);
	blackhole_is(&r, 3, "198.18.0.3");
	probe_is(&r, 1, 1401, 1);	/* P + 1 first */
	probe_is(&r, 2, 1500, 1);	/* through: then the bound */
	/* At hop 4 only P + 1 vanishes (twice); no 1500 goes there. */
	for (i = 0; i < r.nprobes; i++)
		lost += r.probes[i].ttl == 4 && r.probes[i].size > 1400;
	assert_int_equal(lost, 2);

	run(&h1, &r);
	assert_int_equal(r.nhops, 2);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.1.1", 1400, 1);
	blackhole_is(&r, 1, "198.18.0.1");

	/* A clean path: one silent P + 1 at a hop is enough. */
	p.big_tries = 1;
	run(&p, &r);
	blackhole_is(&r, 3, "198.18.0.3");
	hop_is(&r, 3, "198.18.0.4", 1400, 0);
	for (i = 0, lost = 0; i < r.nprobes; i++)
		lost += r.probes[i].ttl == 4 && r.probes[i].size > 1400;
	assert_int_equal(lost, 1);
}

static void
test_blackhole_hop0(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1400, 1400 },
			    .nodes = { [0] = { .black = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 2);
	hop_is(&r, 0, "198.18.0.1", 1400, 0);
	hop_is(&r, 1, "198.18.1.1", 1400, 1);
	assert_int_equal(r.sent, 7);
	probe_is(&r, 1, 1500, 1);
	probe_is(&r, 2, 1500, 1);
	probe_is(&r, 3, 1400, 1);
	probe_is(&r, 4, 1401, 1);
	probe_is(&r, 5, 1401, 1);
	probe_is(&r, 6, 1400, 1);
	probe_is(&r, 7, 1400, 2);
	/* Hop 1's RTT is from P's own send time, not B's. */
	assert_int_equal(r.hops[0].rtt_us, HOP_US);
	no_blackhole(&r);
}

static void
test_silent_router(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .links = { 1500, 1500, 1500, 1500 },
			    .nodes = { [2] = { .no_te = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 4);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, NULL, 0, 0);
	hop_is(&r, 2, "198.18.0.3", 1500, 0);
	hop_is(&r, 3, "198.18.1.1", 1500, 1);
	/* B == P: no control probe, just one retry. */
	assert_int_equal(r.sent, 5);
	probe_is(&r, 2, 1500, 2);
	probe_is(&r, 3, 1500, 2);
	probe_is(&r, 4, 1500, 3);
	no_blackhole(&r);
}

static void
test_silent_router_behind_blackhole(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1500, 1400, 1400 },
			    .nodes = { [1] = { .black = 1 },
			    [2] = { .no_te = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, NULL, 0, 0);
	hop_is(&r, 2, "198.18.1.1", 1400, 1);
	/*
	 * Hop 2: B, B + P, P again; hop 3 starts at B unchanged; the
	 * destination answers there, so hop 2 is asked at P twice more.
	 */
	assert_int_equal(r.sent, 10);
	probe_is(&r, 5, 1400, 2);
	probe_is(&r, 6, 1500, 3);
	probe_is(&r, 9, 1400, 2);
	probe_is(&r, 10, 1400, 2);
	blackhole_is(&r, 1, "198.18.0.1");
}

static void
test_gap_resets(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .gap_limit = 2,
			    .links = { 1500, 1500, 1500, 1500, 1500 },
			    .nodes = { [1] = { .no_te = 1 },
			    [3] = { .no_te = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 5);
	hop_is(&r, 0, NULL, 0, 0);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, NULL, 0, 0);
	hop_is(&r, 3, "198.18.0.4", 1500, 0);
	hop_is(&r, 4, "198.18.1.1", 1500, 1);
	assert_int_equal(r.sent, 7);
}

static void
test_bisect(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1300,
			    .links = { 1500, 1400, 1300 },
			    .nodes = { [1] = { .black = 1 },
			    [2] = { .black = 1 } } };
	static const unsigned vanish[] = { 1450, 1425, 1412, 1406, 1403,
			    1401 };
	struct run	r;
	unsigned	i, n;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1400, 0);
	hop_is(&r, 2, "198.18.1.1", 1300, 1);
	probe_is(&r, 2, 1500, 2);
	probe_is(&r, 3, 1500, 2);
	probe_is(&r, 4, 1300, 2);
	probe_is(&r, 5, 1301, 2);	/* answers: a narrower link later */
	probe_is(&r, 6, 1400, 2);	/* (1301 + 1500) / 2, answers */
	for (i = 0, n = 7; i < 6; i++, n += 3) {
		probe_is(&r, n, vanish[i], 2);
		probe_is(&r, n + 1, vanish[i], 2);
		probe_is(&r, n + 2, 1300, 2);
	}
	probe_is(&r, 25, 1400, 3);	/* hop 3 starts at hop 2's MTU */
	probe_is(&r, 26, 1400, 3);
	probe_is(&r, 27, 1300, 3);
	assert_int_equal(r.sent, 27);
	blackhole_is(&r, 2, "198.18.0.2");
}

/* Tries grow with the loss the search saw, from 2 to WALK_MAXTRIES. */
static void
test_tries_follow_loss(void **state)
{
	(void)state;
	assert_int_equal(walk_tries(0, 0), 2);
	assert_int_equal(walk_tries(8, 0), 2);
	assert_int_equal(walk_tries(30, 1), 2);	/* 1/16: 0.4 % per hop */
	assert_int_equal(walk_tries(6, 1), 3);	/* 1/4: 6.3 %, 1.6 % */
	assert_int_equal(walk_tries(6, 2), 4);	/* 3/8: 5.3 %, 2.0 % */
	assert_int_equal(walk_tries(2, 1), 5);	/* 1/2: 6.3 %, 3.1 % */
	assert_int_equal(walk_tries(6, 6), WALK_MAXTRIES);
	assert_int_equal(walk_tries(3, 9), WALK_MAXTRIES); /* nonsense */
}

/* A hop that answers a fourth try is named when four are allowed. */
static void
test_more_tries(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .links = { 1500, 1500, 1500 },
			    .drop = 7 << 1 };
	struct run	r;

	(void)state;
	p.max_tries = walk_tries(6, 2);
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, "198.18.1.1", 1500, 1);
	assert_int_equal(r.sent, 6);
	probe_is(&r, 5, 1500, 2);
}

/*
 * The destination's answers lost at its own TTL and the next: it
 * answers at TTL 4, and the silent hops before it are asked again until
 * it answers nearer, so it is named at TTL 2, where it is.
 */
static void
test_dest_answers_lost(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .links = { 1500, 1500 }, .drop = 0xf << 1 };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 2);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.1.1", 1500, 1);
	assert_int_equal(r.sent, 8);
	probe_is(&r, 6, 1500, 4);
	probe_is(&r, 7, 1500, 3);
	probe_is(&r, 8, 1500, 2);
}

/* A router's answers lost: asked again after the destination, named. */
static void
test_te_lost_then_asked_again(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .links = { 1500, 1500, 1500 }, .drop = 3 << 1 };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, "198.18.1.1", 1500, 1);
	assert_int_equal(r.sent, 5);
	probe_is(&r, 4, 1500, 3);
	probe_is(&r, 5, 1500, 2);
}

static void
test_te_lost_once(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .links = { 1500, 1500, 1500 }, .drop = 1 << 1 };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, "198.18.1.1", 1500, 1);
	assert_int_equal(r.sent, 4);
	probe_is(&r, 2, 1500, 2);
	probe_is(&r, 3, 1500, 2);
	/* From the retry's own send time. */
	assert_int_equal(r.hops[1].rtt_us, 2 * HOP_US);
}

static void
test_control_lost_once(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1500, 1400 },
			    .nodes = { [1] = { .black = 1 } },
			    .drop = 1 << 3 };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 2);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.1.1", 1400, 1);
	assert_int_equal(r.sent, 5);
	probe_is(&r, 4, 1400, 2);
	probe_is(&r, 5, 1400, 2);
	blackhole_is(&r, 1, "198.18.0.1");
}

static void
test_rate_limited_clean(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1454,
			    .links = { 1500, 1492, 1454, 1500 },
			    .nodes = { [1] = { .te_limit = 1 },
			    [2] = { .te_limit = 1 }, [3] = { .te_limit = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 4);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1492, 0);
	hop_is(&r, 2, "198.18.0.3", 1454, 0);
	hop_is(&r, 3, "198.18.1.1", 1454, 1);
	assert_int_equal(r.sent, 6);
}

/* A rate limit may cost a hop its MTU, never give it a wrong one. */
static void
test_rate_limited_bisect(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1300,
			    .links = { 1500, 1400, 1300 },
			    .nodes = { [1] = { .black = 1 },
			    [2] = { .black = 1 } } };
	struct run	r;
	unsigned	limit, known = 0;

	(void)state;
	for (limit = 1; limit <= 12; limit++) {
		p.nodes[2].te_limit = limit;
		run(&p, &r);
		assert_int_equal(r.nhops, 3);
		hop_is(&r, 0, "198.18.0.1", 1500, 0);
		hop_is(&r, 2, "198.18.1.1", 1300, 1);
		assert_true(r.hops[1].mtu == 0 || r.hops[1].mtu == 1400);
		if (r.hops[1].mtu == 0) {
			assert_int_equal(known, 0);
			blackhole_is(&r, 1, "198.18.0.1");
		} else {
			known++;
			blackhole_is(&r, 2, "198.18.0.2");
		}
		if (limit == 2) {
			/* Answered P and 1301, then went quiet. */
			hop_is(&r, 1, "198.18.0.2", 0, 0);
			probe_is(&r, 6, 1400, 2);
			probe_is(&r, 7, 1400, 2);
			probe_is(&r, 8, 1300, 2);
			probe_is(&r, 9, 1300, 2);
			/* Hop 3 starts again at B. */
			probe_is(&r, 10, 1500, 3);
			assert_int_equal(r.sent, 12);
		}
	}
	/* P, 1301, 1400 and one control per vanished size: 9. */
	assert_int_equal(known, 4);
}

static void
test_destination_hop1(void **state)
{
	struct path	p = { .local_mtu = 9000, .pmtu = 9000,
			    .links = { 9000 } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 1);
	hop_is(&r, 0, "198.18.1.1", 9000, 1);
	assert_int_equal(r.sent, 1);
	probe_is(&r, 1, 9000, 1);
	no_blackhole(&r);
}

static void
test_ipv6(void **state)
{
	struct path	p = { .family = AF_INET6, .local_mtu = 1500,
			    .pmtu = 1280, .links = { 1500, 1280, 1500 },
			    .nodes = { [1] = { .black = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 0, "2001:db8::1", 1500, 0);
	hop_is(&r, 1, "2001:db8::2", 1280, 0);
	hop_is(&r, 2, "2001:db8:1::1", 1280, 1);
	assert_int_equal(r.sent, 8);
	blackhole_is(&r, 1, "2001:db8::1");
}

static void
test_max_hops(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .max_hops = 5, .dest_silent = 1,
			    .links = { 1500, 1500, 1500 } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 5);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, NULL, 0, 0);
	hop_is(&r, 3, NULL, 0, 0);
	hop_is(&r, 4, NULL, 0, 0);
	assert_int_equal(r.sent, 8);
	probe_is(&r, 8, 1500, 5);
}

static void
test_max_hops_limit(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .max_hops = WALK_MAXHOPS, .gap_limit = 100,
			    .max_tries = 1, .dest_silent = 1,
			    .links = { 1500 } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, WALK_MAXHOPS);
	assert_int_equal(r.sent, WALK_MAXHOPS);
	hop_is(&r, WALK_MAXHOPS - 1, NULL, 0, 0);
}

static void
test_gap_limit(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .gap_limit = 2, .dest_silent = 1,
			    .links = { 1500, 1500 } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, NULL, 0, 0);
	hop_is(&r, 2, NULL, 0, 0);
	assert_int_equal(r.sent, 5);
}

static void
test_default_gap(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .dest_silent = 1, .links = { 1500, 1500 } };
	struct run	r;

	(void)state;
	run(&p, &r);
	/* Default gap_limit 5, max_tries 2. */
	assert_int_equal(r.nhops, 6);
	assert_int_equal(r.sent, 11);
}

static void
test_unreach(void **state)
{
	struct path	p = { .local_mtu = 1500, .pmtu = 1500,
			    .links = { 1500, 1500, 1500 },
			    .nodes = { [2] = { .unreach = 1 } } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 3);
	hop_is(&r, 0, "198.18.0.1", 1500, 0);
	hop_is(&r, 1, "198.18.0.2", 1500, 0);
	hop_is(&r, 2, "198.18.0.2", 0, 0);
	assert_int_equal(r.sent, 3);
}

static void
test_send_error(void **state)
{
	/* The route is narrower than the interface: EMSGSIZE above 1400. */
	struct path	p = { .local_mtu = 1500, .pmtu = 1400,
			    .links = { 1400, 1400 } };
	struct run	r;

	(void)state;
	run(&p, &r);
	assert_int_equal(r.nhops, 2);
	hop_is(&r, 0, "198.18.0.1", 1400, 0);
	hop_is(&r, 1, "198.18.1.1", 1400, 1);
	/* A failed size is not retried; P still gets its control. */
	assert_int_equal(r.sent, 5);
	probe_is(&r, 1, 1500, 1);
	probe_is(&r, 2, 1400, 1);
	probe_is(&r, 3, 1401, 1);
	probe_is(&r, 4, 1400, 1);
	probe_is(&r, 5, 1400, 2);
	no_blackhole(&r);
}

static struct walk *
manual(unsigned local, unsigned pmtu)
{
	struct walk_params	wp = { .family = AF_INET, .local_mtu = local,
				    .pmtu = pmtu };
	struct walk		*w;

	assert_non_null(w = walk_new(&wp));
	return (w);
}

static void
next_send(struct walk *w, uint64_t now, unsigned token, unsigned size,
    unsigned ttl)
{
	struct walk_probe	pr;
	uint64_t		wake;

	assert_int_equal(walk_next(w, now, &pr, &wake), WALK_SEND);
	assert_int_equal(pr.token, token);
	assert_int_equal(pr.size, size);
	assert_int_equal(pr.ttl, ttl);
}

static void
next_wait(struct walk *w, uint64_t now, uint64_t want)
{
	struct walk_probe	pr;
	uint64_t		wake = 0;

	assert_int_equal(walk_next(w, now, &pr, &wake), WALK_WAIT);
	assert_int_equal(wake, want);
}

static void
test_stale_tokens(void **state)
{
	struct walk		*w = manual(1500, 1500);
	struct walk_probe	 pr;
	struct addr		 r1, r2, dst;
	const struct walk_hop	*h;
	unsigned		 n;
	uint64_t		 wake;

	(void)state;
	assert_int_equal(addr_parse(&r1, "198.18.0.1"), 0);
	assert_int_equal(addr_parse(&r2, "198.18.0.2"), 0);
	assert_int_equal(addr_parse(&dst, "198.18.1.1"), 0);
	assert_int_equal(walk_on_time_exceeded(w, 1, &r1, T0), -1);
	next_send(w, T0, 1, 1500, 1);
	next_wait(w, T0, T0 + 500000);		/* default RTO 500 ms */
	assert_int_equal(walk_on_time_exceeded(w, 0, &r1, T0), -1);
	assert_int_equal(walk_on_time_exceeded(w, 2, &r1, T0), -1);
	assert_int_equal(walk_on_time_exceeded(w, 1, NULL, T0), -1);
	assert_int_equal(walk_on_time_exceeded(w, 1, &r1, T0 + 300), 0);
	/* Answered: no longer outstanding. */
	assert_int_equal(walk_on_time_exceeded(w, 1, &r2, T0 + 400), -1);
	assert_int_equal(walk_on_reply(w, 1, &dst, T0 + 400), -1);
	assert_int_equal(walk_on_too_big(w, 1, 1500, &r1, T0 + 400), -1);
	assert_int_equal(walk_on_unreach(w, 1, &r1, T0 + 400), -1);
	assert_int_equal(walk_on_send_error(w, 1, EPERM, T0 + 400), -1);
	next_send(w, T0 + 1000, 2, 1500, 2);
	/* Lost at its deadline: a later answer is stale. */
	next_send(w, T0 + 501000, 3, 1500, 2);
	assert_int_equal(walk_on_time_exceeded(w, 2, &r2, T0 + 501100), -1);
	h = walk_hops(w, &n);
	assert_int_equal(n, 2);
	assert_false(addr_isset(&h[1].address));
	assert_int_equal(h[1].rtt_us, -1);
	assert_true(addr_eq(&h[0].address, &r1));
	assert_int_equal(h[0].rtt_us, 300);
	assert_int_equal(h[0].mtu, 1500);
	assert_int_equal(walk_on_reply(w, 3, &dst, T0 + 501900), 0);
	assert_true(walk_done(w));
	assert_int_equal(walk_next(w, T0 + 502000, &pr, &wake), WALK_DONE);
	assert_int_equal(walk_on_reply(w, 3, &dst, T0 + 502000), -1);
	assert_int_equal(walk_on_time_exceeded(w, 4, &r1, T0 + 502000), -1);
	h = walk_hops(w, &n);
	assert_int_equal(n, 2);
	assert_true(addr_eq(&h[1].address, &dst));
	assert_int_equal(h[1].rtt_us, 900);
	assert_int_equal(h[1].mtu, 1500);
	assert_int_equal(h[1].destination, 1);
	assert_int_equal(walk_probes_sent(w), 3);
	walk_free(w);
}

static void
test_too_big_range(void **state)
{
	struct walk		*w = manual(1500, 1400);
	struct addr		 r1;
	const struct walk_hop	*h;
	unsigned		 n;

	(void)state;
	assert_int_equal(addr_parse(&r1, "198.18.0.1"), 0);
	next_send(w, T0, 1, 1500, 1);
	assert_int_equal(walk_on_too_big(w, 1, 1399, &r1, T0 + 10), 0);
	assert_int_equal(walk_on_too_big(w, 1, 0, &r1, T0 + 10), 0);
	assert_int_equal(walk_on_too_big(w, 1, 1500, &r1, T0 + 10), 0);
	assert_int_equal(walk_on_too_big(w, 1, 9000, &r1, T0 + 10), 0);
	assert_int_equal(walk_on_too_big(w, 7, 1450, &r1, T0 + 10), -1);
	/* Nothing changed: the probe is still in flight. */
	next_wait(w, T0 + 20, T0 + 500000);
	h = walk_hops(w, &n);
	assert_int_equal(n, 1);
	assert_false(addr_isset(&h[0].address));
	/* In range: B drops to it and it is probed at once. */
	assert_int_equal(walk_on_too_big(w, 1, 1400, &r1, T0 + 30), 0);
	h = walk_hops(w, &n);
	assert_false(addr_isset(&h[0].address));	/* settles nothing */
	assert_int_equal(h[0].mtu, 0);
	assert_int_equal(walk_on_time_exceeded(w, 1, &r1, T0 + 40), -1);
	next_send(w, T0 + 40, 2, 1400, 1);
	assert_int_equal(walk_on_time_exceeded(w, 2, &r1, T0 + 90), 0);
	next_send(w, T0 + 100, 3, 1400, 2);
	h = walk_hops(w, &n);
	assert_int_equal(h[0].mtu, 1400);
	assert_int_equal(h[0].rtt_us, 50);
	assert_int_equal(walk_probes_sent(w), 3);
	walk_free(w);
}

/* Two routers at one TTL (ECMP): the first address stays the hop's. */
static void
test_first_address_wins(void **state)
{
	struct walk		*w = manual(1500, 1400);
	struct addr		 a, b;
	const struct walk_hop	*h;
	unsigned		 n;

	(void)state;
	assert_int_equal(addr_parse(&a, "198.18.0.1"), 0);
	assert_int_equal(addr_parse(&b, "198.18.0.9"), 0);
	next_send(w, T0, 1, 1500, 1);
	next_send(w, T0 + 500000, 2, 1500, 1);
	next_send(w, T0 + 500000, 3, 1400, 1);
	next_wait(w, T0 + 500000, T0 + 1000000);
	assert_int_equal(walk_on_time_exceeded(w, 3, &a, T0 + 500700), 0);
	h = walk_hops(w, &n);
	assert_int_equal(h[0].mtu, 0);		/* B may still answer */
	assert_int_equal(walk_on_time_exceeded(w, 2, &b, T0 + 500900), 0);
	h = walk_hops(w, &n);
	assert_int_equal(n, 2);
	assert_true(addr_eq(&h[0].address, &a));
	assert_int_equal(h[0].rtt_us, 700);
	assert_int_equal(h[0].mtu, 1500);
	next_send(w, T0 + 501000, 4, 1500, 2);
	walk_free(w);
}

/* At the destination, P answering settles it: P + 1 is never sent. */
static void
test_destination_settles_at_p(void **state)
{
	struct walk		*w = manual(1500, 1400);
	struct walk_probe	 pr;
	struct addr		 r1, dst;
	const struct walk_hop	*h;
	unsigned		 n;
	uint64_t		 wake;

	(void)state;
	assert_int_equal(addr_parse(&r1, "198.18.0.1"), 0);
	assert_int_equal(addr_parse(&dst, "198.18.1.1"), 0);
	next_send(w, T0, 1, 1500, 1);
	assert_int_equal(walk_on_time_exceeded(w, 1, &r1, T0 + 100), 0);
	next_send(w, T0 + 100, 2, 1500, 2);
	next_send(w, T0 + 500100, 3, 1500, 2);
	next_send(w, T0 + 500100, 4, 1400, 2);
	assert_int_equal(walk_on_reply(w, 4, &dst, T0 + 500300), 0);
	assert_true(walk_done(w));
	assert_int_equal(walk_next(w, T0 + 500300, &pr, &wake), WALK_DONE);
	/* B's retry is no longer outstanding. */
	assert_int_equal(walk_on_reply(w, 3, &dst, T0 + 500400), -1);
	h = walk_hops(w, &n);
	assert_int_equal(n, 2);
	assert_int_equal(h[1].mtu, 1400);
	assert_int_equal(h[1].destination, 1);
	assert_int_equal(h[1].rtt_us, 200);
	assert_int_equal(walk_probes_sent(w), 4);
	walk_free(w);
}

static void
test_new_rejects(void **state)
{
	struct walk_params	p = { .family = AF_INET, .local_mtu = 1500,
				    .pmtu = 1400 };
	struct walk_params	bad;
	struct walk		*w;

	(void)state;
	assert_null(walk_new(NULL));
	bad = p;
	bad.family = 0;
	assert_null(walk_new(&bad));
	bad.family = AF_UNIX;
	assert_null(walk_new(&bad));
	bad = p;
	bad.pmtu = 1501;			/* above local_mtu */
	assert_null(walk_new(&bad));
	bad.pmtu = 67;				/* below the IPv4 minimum */
	assert_null(walk_new(&bad));
	bad.pmtu = 0;
	assert_null(walk_new(&bad));
	bad = p;
	bad.family = AF_INET6;
	bad.pmtu = 1279;			/* below the IPv6 minimum */
	assert_null(walk_new(&bad));
	bad = p;
	bad.local_mtu = 65536;
	assert_null(walk_new(&bad));
	bad = p;
	bad.max_hops = WALK_MAXHOPS + 1;
	assert_null(walk_new(&bad));

	/* The edges are fine. */
	bad = p;
	bad.local_mtu = bad.pmtu = 68;
	bad.max_hops = WALK_MAXHOPS;
	assert_non_null(w = walk_new(&bad));
	walk_free(w);
	bad = p;
	bad.family = AF_INET6;
	bad.pmtu = 1280;
	bad.local_mtu = 65535;
	assert_non_null(w = walk_new(&bad));
	assert_int_equal(walk_probes_sent(w), 0);
	assert_false(walk_done(w));
	walk_free(w);
	walk_free(NULL);
}

static void
test_custom_rto(void **state)
{
	struct walk_params	p = { .family = AF_INET, .local_mtu = 1500,
				    .pmtu = 1500, .rto_ms = 40 };
	struct walk		*w;

	(void)state;
	assert_non_null(w = walk_new(&p));
	next_send(w, T0, 1, 1500, 1);
	next_wait(w, T0 + 5, T0 + 40000);
	next_send(w, T0 + 40000, 2, 1500, 1);
	next_wait(w, T0 + 40000, T0 + 80000);
	walk_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_path),
		cmocka_unit_test(test_too_big_steps),
		cmocka_unit_test(test_blackhole_hop1),
		cmocka_unit_test(test_blackhole_far),
		cmocka_unit_test(test_blackhole_mode),
		cmocka_unit_test(test_blackhole_hop0),
		cmocka_unit_test(test_silent_router),
		cmocka_unit_test(test_silent_router_behind_blackhole),
		cmocka_unit_test(test_gap_resets),
		cmocka_unit_test(test_bisect),
		cmocka_unit_test(test_tries_follow_loss),
		cmocka_unit_test(test_more_tries),
		cmocka_unit_test(test_dest_answers_lost),
		cmocka_unit_test(test_te_lost_then_asked_again),
		cmocka_unit_test(test_te_lost_once),
		cmocka_unit_test(test_control_lost_once),
		cmocka_unit_test(test_rate_limited_clean),
		cmocka_unit_test(test_rate_limited_bisect),
		cmocka_unit_test(test_destination_hop1),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_max_hops),
		cmocka_unit_test(test_max_hops_limit),
		cmocka_unit_test(test_gap_limit),
		cmocka_unit_test(test_default_gap),
		cmocka_unit_test(test_unreach),
		cmocka_unit_test(test_send_error),
		cmocka_unit_test(test_stale_tokens),
		cmocka_unit_test(test_too_big_range),
		cmocka_unit_test(test_first_address_wins),
		cmocka_unit_test(test_destination_settles_at_p),
		cmocka_unit_test(test_new_rejects),
		cmocka_unit_test(test_custom_rto),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
