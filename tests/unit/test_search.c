/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/search.c, driven by a scripted fake network. */
#include <sys/socket.h>

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "evidence.h"
#include "search.h"

#define MAXSTEPS	20000	/* every simulated search ends well before */
#define MAXPROBES	4096
#define MAXEVENTS	256
#define NSEEDS		50

enum icmp_mode {
	ICMP_MTU,	/* routers send too-big with the right MTU */
	ICMP_ZERO,	/* too-big with MTU 0 (old routers) */
	ICMP_NONE,	/* black hole: big packets vanish */
	ICMP_WRONG,	/* too-big naming an MTU >= the probe size */
};

/* A token bucket in fake time: rate per second, burst; rate 0: no limit. */
struct bucket {
	unsigned	 rate;
	unsigned	 burst;
	uint64_t	 milli;		/* thousandths of a token */
	uint64_t	 last;
	int		 started;
};

struct path {
	int		 family;
	unsigned	 local_mtu;
	unsigned	 max_tries;	/* 0: default */
	unsigned	 hops[8];	/* link MTUs past the host, 0 ends */
	enum icmp_mode	 icmp;
	unsigned	 rtt;		/* ms, for every answer */
	uint64_t	 drop;		/* bit n-1: probe n is lost */
	int		 drop_all;
	int		 unreach;	/* destination says unreachable */
	unsigned	 if_mtu;	/* != 0: sendto EMSGSIZE above this */
	int		 send_errno;	/* != 0: every sendto fails so */
	uint64_t	 t0;		/* fake time of the first call */
	/* Random-looking loss, from a seeded LCG: percent of probes lost
	 * on the way out, percent of answers (or too-bigs) on the way back. */
	uint64_t	 seed;
	unsigned	 loss_out;
	unsigned	 loss_back;
	/* Rate limits, per second with a burst: too-bigs, answers. */
	unsigned	 tb_rate, tb_burst;
	unsigned	 echo_rate, echo_burst;
	/* The first vanish_n[i] probes of size vanish_size[i] vanish. */
	unsigned	 vanish_size[2];
	unsigned	 vanish_n[2];
	/* Timing.  Probes sent before t0 + nd wait there (neighbour
	 * discovery); those sent from t0 + rtt2_at on take rtt2, if set;
	 * jitter: each RTT is drawn +-jitter percent, so answers may pass
	 * each other.  rto_min: the search's, 0 for its default. */
	unsigned	 nd;
	unsigned	 rtt2, rtt2_at;
	unsigned	 jitter;
	unsigned	 rto_min;
	/*
	 * A forger on the path (RFC 5927's on-path attacker): it sees every
	 * probe go by, lets it pass and answers half an RTT after it went,
	 * quoting it exactly.  A too-big naming forge_mtu for every probe
	 * above it; an unreachable for the first forge_unreach probes; an
	 * echo reply to the first forge_reply_n probes of forge_reply_size.
	 */
	unsigned	 forge_mtu;
	unsigned	 forge_unreach;
	unsigned	 forge_reply_size, forge_reply_n;
	unsigned	 forge_reply_skip;	/* ... after letting these by */
	/* The destination goes away: from gone_at on (ms from t0), a
	 * router answers every probe with an unreachable (gone 1), or
	 * nothing does (gone 2). */
	int		 gone;
	unsigned	 gone_at;
};

/* family, local MTU, max_tries, ICMP behaviour, RTT, hop MTUs... */
#define PATH(f, l, t, i, r, ...)					\
	.family = (f), .local_mtu = (l), .max_tries = (t), .icmp = (i),	\
	.rtt = (r), .hops = { __VA_ARGS__ }

enum ev_kind { EV_REPLY, EV_TOO_BIG, EV_UNREACH };

struct event {
	uint64_t	 at;
	enum ev_kind	 kind;
	unsigned	 token;
	unsigned	 mtu;
	unsigned	 size;
	int		 forged;
};

struct run {
	struct search_result res;
	unsigned	 sizes[MAXPROBES];	/* in send order */
	uint64_t	 times[MAXPROBES];	/* ... sent at, from t0 */
	unsigned	 nsizes;
	unsigned	 steps;
	uint64_t	 end;		/* fake ms from t0 to SEARCH_DONE */
	int		 late;		/* answers it called unknown */
	int		 late_min;	/* ... of those, at the minimum size */
	unsigned	 epoch;		/* sizes[] from here count for tries */
	unsigned	 last_rounds;	/* ... since it last rose: rounds */
	unsigned	 tries;
	/* What the search has been told, to check it never probes a
	 * size it already knows the answer for. */
	unsigned	 confirmed;
	unsigned	 icmp_hi;
};

struct sim {
	const struct path *p;
	struct event	 ev[MAXEVENTS];
	size_t		 nev;
	uint64_t	 rng;
	struct bucket	 tb, echo;
	unsigned	 vanished[2];
	unsigned	 forged_unreach, forged_replies, forge_skipped;
};

static void
push(struct sim *sim, const struct event *e)
{
	size_t	i;

	assert_true(sim->nev < MAXEVENTS);
	/* Keep sorted by time; equal times stay in send order. */
	for (i = sim->nev; i > 0 && sim->ev[i - 1].at > e->at; i--)
		sim->ev[i] = sim->ev[i - 1];
	sim->ev[i] = *e;
	sim->nev++;
}

/* Knuth's MMIX LCG; the high bits are the good ones. */
static unsigned
percent(struct sim *sim)
{
	sim->rng = sim->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((sim->rng >> 33) % 100);
}

static int
take(struct bucket *b, uint64_t now)
{
	if (b->rate == 0)
		return (1);
	if (!b->started) {
		b->started = 1;
		b->milli = b->burst * 1000ull;
		b->last = now;
	}
	/* ms times tokens per second is thousandths of a token. */
	b->milli += (now - b->last) * b->rate;
	if (b->milli > b->burst * 1000ull)
		b->milli = b->burst * 1000ull;
	b->last = now;
	if (b->milli < 1000)
		return (0);
	b->milli -= 1000;
	return (1);
}

static int
vanishes(struct sim *sim, unsigned size)
{
	unsigned	i;

	for (i = 0; i < 2; i++)
		if (sim->p->vanish_size[i] == size &&
		    sim->vanished[i] < sim->p->vanish_n[i]) {
			sim->vanished[i]++;
			return (1);
		}
	return (0);
}

/* When the answer to (or too-big for) a probe sent at now comes back. */
static uint64_t
arrival(struct sim *sim, uint64_t now)
{
	const struct path	*p = sim->p;
	unsigned		 rtt = p->rtt;

	if (now < p->t0 + p->nd)
		now = p->t0 + p->nd;
	if (p->rtt2 != 0 && now >= p->t0 + p->rtt2_at)
		rtt = p->rtt2;
	if (p->jitter != 0)
		rtt = rtt * (100 - p->jitter +
		    percent(sim) * (2 * p->jitter + 1) / 100) / 100;
	return (now + rtt);
}

/* What the forger on the path makes of a probe going by. */
static void
forge(struct sim *sim, const struct search_probe *pr, uint64_t now)
{
	const struct path	*p = sim->p;
	struct event		 e = { now + p->rtt / 2, EV_TOO_BIG, pr->token,
				    p->forge_mtu, pr->size, 1 };

	if (p->forge_mtu != 0 && pr->size > p->forge_mtu)
		push(sim, &e);
	e.kind = EV_UNREACH;
	if (sim->forged_unreach < p->forge_unreach) {
		sim->forged_unreach++;
		push(sim, &e);
	}
	e.kind = EV_REPLY;
	if (pr->size == p->forge_reply_size &&
	    sim->forge_skipped++ >= p->forge_reply_skip &&
	    sim->forged_replies < p->forge_reply_n) {
		sim->forged_replies++;
		push(sim, &e);
	}
}

/* Where does a probe of this size die, and what does the sender hear? */
static void
transmit(struct sim *sim, const struct search_probe *pr, unsigned n,
    uint64_t now)
{
	const struct path	*p = sim->p;
	struct event		 e = { 0, EV_REPLY, pr->token, 0, pr->size, 0 };
	size_t			 i;
	int			 lost_out, lost_back;

	forge(sim, pr, now);
	/* Draw both every time, so one seed gives one loss pattern. */
	lost_out = percent(sim) < p->loss_out;
	lost_back = percent(sim) < p->loss_back;
	e.at = arrival(sim, now);
	if (p->gone && now >= p->t0 + p->gone_at) {
		e.kind = EV_UNREACH;
		if (p->gone == 1)
			push(sim, &e);
		return;
	}
	if (p->drop_all || (n <= 64 && (p->drop >> (n - 1) & 1)) ||
	    lost_out || vanishes(sim, pr->size))
		return;
	for (i = 0; i < 8 && p->hops[i] != 0; i++) {
		if (pr->size <= p->hops[i])
			continue;
		switch (p->icmp) {
		case ICMP_NONE:
			return;
		case ICMP_MTU:
			e.mtu = p->hops[i];
			break;
		case ICMP_ZERO:
			e.mtu = 0;
			break;
		case ICMP_WRONG:
			e.mtu = pr->size + 100;
			break;
		}
		e.kind = EV_TOO_BIG;
		if (take(&sim->tb, now) && !lost_back)
			push(sim, &e);
		return;
	}
	if (p->unreach)
		e.kind = EV_UNREACH;
	if (take(&sim->echo, now) && !lost_back)
		push(sim, &e);
}

/*
 * An answer at or above a size that had failed by silence (max_tries
 * probes, none answered) shows silence lies on this path: the search
 * forgets every silent failure and may probe those sizes again.
 */
static void
answered_after_silence(struct run *run, unsigned size)
{
	unsigned	i, j, same;

	for (i = run->epoch; i < run->nsizes; i++) {
		if (run->sizes[i] > size)
			continue;
		/* A slow path's round: one loss is a failure, and an
		 * answer above a size still unconfirmed refutes it. */
		if (run->sizes[i] > run->confirmed && run->sizes[i] < size) {
			run->epoch = run->nsizes;
			return;
		}
		for (j = run->epoch, same = 0; j < run->nsizes; j++)
			same += run->sizes[j] == run->sizes[i];
		if (same >= run->tries) {
			run->epoch = run->nsizes;
			return;
		}
	}
}

static void
deliver(struct search *s, struct run *run, const struct event *e)
{
	int	rv = -1;

	switch (e->kind) {
	case EV_REPLY:
		rv = search_on_reply(s, e->token, e->at);
		if (rv == 0)
			answered_after_silence(run, e->size);
		if (rv == 0 && e->size > run->confirmed) {
			run->confirmed = e->size;
			run->last_rounds = 0;
		}
		break;
	case EV_TOO_BIG:
		rv = search_on_too_big(s, e->token, e->mtu, e->at);
		if (rv == 0 && !e->forged && e->size < run->icmp_hi)
			run->icmp_hi = e->size;
		break;
	case EV_UNREACH:
		rv = search_on_unreach(s, e->token, e->at);
		break;
	}
	if (rv != 0 && !e->forged) {
		run->late++;
		run->late_min += e->size == (e->size < 1280 ? 68u : 1280u) &&
		    e->kind == EV_REPLY;
	}
}

static void
check_probe(const struct path *p, struct run *run, unsigned size,
    unsigned min, unsigned tries)
{
	unsigned	i, same = 0;

	assert_true(size >= min && size <= p->local_mtu);
	/* Never at a size ICMP (or sendto) rejected, unless a forger
	 * makes too-bigs doubtful. */
	assert_true(size < run->icmp_hi || p->forge_mtu != 0);
	for (i = run->epoch; i < run->nsizes; i++)
		same += run->sizes[i] == size;
	if (run->confirmed != 0 && size <= run->confirmed + 1) {
		/* Confirming a silent failure at lo + 1: reference probes at
		 * lo (never below), and lo + 1 again, once a round. */
		assert_true(size >= run->confirmed);
		assert_true(same < tries + EVIDENCE_MAX_ROUNDS);
		return;
	}
	/* Never below a confirmed size, never more than max_tries times
	 * one size. */
	assert_true(size > run->confirmed);
	/* (One more: a slow path's round may have tried it once before a
	 * too-big made the bisection take over.) */
	assert_true(same <= tries);
}

static void
sent(struct sim *sim, struct search *s, struct run *run,
    const struct search_probe *pr, uint64_t now)
{
	const struct path	*p = sim->p;
	unsigned		 min = p->family == AF_INET6 ? 1280 : 68;
	struct search_result	 now_res;

	/* The search took back an answer (forged, never repeated): it
	 * confirms less than it did, and its rounds begin again. */
	search_result(s, &now_res);
	if (now_res.pmtu < run->confirmed) {
		run->confirmed = now_res.pmtu;
		run->last_rounds = 0;
		run->epoch = run->nsizes;
	}
	check_probe(p, run, pr->size, min, run->tries);
	assert_true(run->nsizes < MAXPROBES);
	/* A confirmation round: the confirmed size right after the next. */
	if (run->confirmed != 0 && pr->size == run->confirmed &&
	    run->nsizes > 0 && run->sizes[run->nsizes - 1] == pr->size + 1)
		run->last_rounds++;
	run->times[run->nsizes] = now - p->t0;
	run->sizes[run->nsizes++] = pr->size;
	if (p->send_errno != 0) {
		assert_int_equal(search_on_send_error(s, pr->token,
		    p->send_errno, now), 0);
		return;
	}
	if (p->if_mtu != 0 && pr->size > p->if_mtu) {
		assert_int_equal(search_on_send_error(s, pr->token, EMSGSIZE,
		    now), 0);
		if (pr->size < run->icmp_hi)
			run->icmp_hi = pr->size;
		return;
	}
	transmit(sim, pr, run->nsizes, now);
}

/*
 * What every result must satisfy, whatever the path.  rounds: the
 * confirmation rounds at the final pmtu (one reference probe each); in a
 * verdict every round's pmtu + 1 vanished (an answer refutes), and only
 * those losses are evidence: the bisection's chose pmtu + 1.
 */
static void
check_result(const struct search_result *r, unsigned rounds)
{
	double	rate;

	assert_true(r->control_lost <= r->control_sent);
	if (!r->blackhole) {
		assert_int_equal(r->bh_lost, 0);
		assert_int_equal(r->bh_lost_above, 0);
		assert_int_equal(r->bh_span_ms, 0);
		return;
	}
	/* A black hole is a finding about a path that works below it. */
	assert_int_equal(r->state, SEARCH_OK);
	assert_true(r->pmtu > 0);
	assert_int_equal(r->silent_fail, r->pmtu + 1);
	assert_true(rounds >= EVIDENCE_MIN_LOST &&
	    rounds <= EVIDENCE_MAX_ROUNDS);
	/* bh_lost counts the bisection's losses at pmtu + 1 too. */
	assert_true(r->bh_lost >= rounds + 1);
	assert_true(r->bh_lost_above >= r->bh_lost);
	assert_true(r->bh_span_ms >= EVIDENCE_SPAN_MS);
	/* The bound on the loss rate, from the reference probes. */
	rate = (r->control_lost + 2.0) / (r->control_sent + 2.0);
	assert_true(pow(rate, rounds) <= EVIDENCE_CHANCE);
}

/* The event loop a daemon would run, against the simulated path. */
static void
simulate(const struct path *p, struct run *run)
{
	/* No probe cap here: these runs measure the rule itself;
	 * test_max_probes covers the cap. */
	struct search_params	 sp = { .family = p->family,
				    .local_mtu = p->local_mtu,
				    .max_tries = p->max_tries,
				    .rto_min_ms = p->rto_min,
				    .max_probes = 1000000 };
	struct sim		 sim = { .p = p };
	struct search		*s;
	struct search_probe	 pr;
	uint64_t		 now = p->t0, wake = 0;
	enum search_step	 step;

	memset(run, 0, sizeof(*run));
	/* splitmix64 of the seed: neighbouring seeds, unrelated runs. */
	sim.rng = p->seed + 0x9e3779b97f4a7c15ull;
	sim.rng = (sim.rng ^ (sim.rng >> 30)) * 0xbf58476d1ce4e5b9ull;
	sim.rng = (sim.rng ^ (sim.rng >> 27)) * 0x94d049bb133111ebull;
	sim.rng ^= sim.rng >> 31;
	sim.tb.rate = p->tb_rate;
	sim.tb.burst = p->tb_burst;
	sim.echo.rate = p->echo_rate;
	sim.echo.burst = p->echo_burst;
	run->icmp_hi = p->local_mtu + 1;
	run->tries = p->max_tries ? p->max_tries : 3;
	assert_non_null(s = search_new(&sp));
	for (run->steps = 0; run->steps < MAXSTEPS; run->steps++) {
		step = search_next(s, now, &pr, &wake);
		if (step == SEARCH_DONE)
			break;
		if (step == SEARCH_SEND) {
			sent(&sim, s, run, &pr, now);
			continue;
		}
		assert_int_equal(step, SEARCH_WAIT);
		assert_true(wake > now);
		now = wake;
		if (sim.nev > 0 && sim.ev[0].at < now)
			now = sim.ev[0].at;
		while (sim.nev > 0 && sim.ev[0].at <= now) {
			deliver(s, run, &sim.ev[0]);
			memmove(sim.ev, sim.ev + 1,
			    --sim.nev * sizeof(sim.ev[0]));
		}
	}
	assert_true(run->steps < MAXSTEPS);
	assert_true(search_done(s));
	run->end = now - p->t0;
	search_result(s, &run->res);
	assert_int_equal(run->res.probes_sent, run->nsizes);
	check_result(&run->res, run->last_rounds);
	/* Finished means finished: nothing more to send. */
	assert_int_equal(search_next(s, now + 100000, &pr, &wake),
	    SEARCH_DONE);
	search_free(s);
}

static void
assert_sizes(const struct run *run, const unsigned *want, unsigned n)
{
	unsigned	i;

	for (i = 0; i < n && i < run->nsizes; i++)
		if (run->sizes[i] != want[i])
			break;
	if (i < n || n != run->nsizes) {
		/* Say what it sent, not only where it differs. */
		print_message("sent:");
		for (i = 0; i < run->nsizes; i++)
			print_message(" %u@%llu", run->sizes[i],
			    (unsigned long long)run->times[i]);
		print_message("\n");
	}
	assert_int_equal(run->nsizes, n);
	for (i = 0; i < n; i++)
		assert_int_equal(run->sizes[i], want[i]);
}

#define SIZES(run, ...) do {						\
	static const unsigned w_[] = { __VA_ARGS__ };			\
	assert_sizes((run), w_, sizeof(w_) / sizeof(w_[0]));		\
} while (0)

static void
test_clean_1500(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.probes_sent, 1);
	assert_int_equal(r.res.too_big, 0);
	assert_int_equal(r.res.silent_fail, 0);
	assert_int_equal(r.res.srtt_ms, 10);
	assert_int_equal(r.res.error, 0);
}

static void
test_pppoe_1492(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1492, 1500) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1492);
	/*
	 * The too-big's 1492 answers; 1493 settles its claim that 1493
	 * fails (a too-big again, and no answer in a timeout: 100 ms after
	 * it went, rto_min).  Before issue 12: 2 probes, 20 ms.
	 */
	assert_int_equal(r.res.probes_sent, 3);
	assert_int_equal(r.res.too_big, 2);
	assert_int_equal(r.res.too_big_refuted, 0);
	SIZES(&r, 1500, 1492, 1493);
	assert_int_equal(r.times[2], 20);
	assert_int_equal(r.end, 120);
}

static void
test_flets_1454(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1492, 1454, 1500) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1454);
	/* One probe more, at the end only (was 3 probes, 30 ms). */
	assert_int_equal(r.res.probes_sent, 4);
	assert_int_equal(r.res.too_big, 3);
	SIZES(&r, 1500, 1492, 1454, 1455);
	assert_int_equal(r.end, 130);
}

static void
test_too_big_mtu_zero(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 10, 1492) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1492);
	/* Plateau 1492 first, then bisection proves nothing above passes. */
	SIZES(&r, 1500, 1492, 1496, 1494, 1493);
	assert_int_equal(r.res.too_big, 4);
	assert_int_equal(r.res.silent_fail, 0);
}

static void
test_too_big_zero_jumbo(void **state)
{
	struct path	p = { PATH(AF_INET, 65535, 0, ICMP_ZERO, 10,
			    9000, 1500) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	SIZES(&r, 65535, 32000, 17914, 8166, 4352, 2002, 1492,
	    1747, 1619, 1555, 1523, 1507, 1499, 1503, 1501, 1500);
	assert_int_equal(r.res.too_big, 13);
}

static void
test_black_hole(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.silent_fail, 1401);
	assert_int_equal(r.res.too_big, 0);
	/*
	 * No answer by 200 ms: the reachability probe at 68 goes.  Its
	 * answer (RTT 10) makes rto 100, so the 1500 sent at 0 is lost at
	 * once and
	 * retried at 210 and 310.  Bisection then fails 1410, 1404 and
	 * 1401 three times each; 1400 answers at 1390 and the confirmation
	 * of 1401 begins, with 9 answers and no loss below.  Its three
	 * losses at 1401 are no evidence: rounds of 1401 and a reference at
	 * 1400, 100 ms apart.  After r rounds, r fresh losses against a
	 * loss bound of (0 + 2) / (9 + r + 2): (2/15)^4 = 3.2e-4 is not
	 * below 1e-4, (2/16)^5 = 3.1e-5 is.  By then the silence above
	 * 1400, from 210 (the first 1500 lost), spans 1680 ms.
	 */
	SIZES(&r, 1500, 68, 1500, 1500, 784, 1142, 1321, 1410, 1410, 1410,
	    1365, 1387, 1398, 1404, 1404, 1404, 1401, 1401, 1401, 1399, 1400,
	    1401, 1400, 1401, 1400, 1401, 1400, 1401, 1400, 1401, 1400);
	assert_int_equal(r.times[20], 1380);
	assert_int_equal(r.times[21], 1390);
	assert_int_equal(r.times[22], 1390);
	assert_int_equal(r.times[29], 1790);
	assert_int_equal(r.end, 1890);
	assert_int_equal(r.last_rounds, 5);
	assert_int_equal(r.res.blackhole, 1);
	/* 3 in the bisection, 5 in the confirmation. */
	assert_int_equal(r.res.bh_lost, 8);
	/* 1500, 1410, 1404 three times each, 1401 eight times. */
	assert_int_equal(r.res.bh_lost_above, 17);
	assert_int_equal(r.res.bh_span_ms, 1890 - 210);
	/* Every answer: 68, 784, ..., 1399, 1400 and 5 references. */
	assert_int_equal(r.res.control_sent, 14);
	assert_int_equal(r.res.control_lost, 0);
	assert_int_equal(r.late, 0);
}

/* More lost probes than the token table holds: old ones are forgotten,
 * the search still ends right. */
static void
test_black_hole_many_tries(void **state)
{
	struct path	p = { PATH(AF_INET, 65535, 7, ICMP_NONE, 10,
			    9000, 1500) };
	struct run	r;
	unsigned	i, fails = 0, at1501 = 0;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.silent_fail, 1501);
	for (i = 0; i < r.nsizes; i++) {
		fails += r.sizes[i] > 1500;
		at1501 += r.sizes[i] == 1501;
	}
	/*
	 * Ten sizes failed (65535 ... 1501), 7 tries each, more than the
	 * 64-entry table holds.  8 answers (68, 1090, 1345, 1473, 1489,
	 * 1497, 1499, 1500) before the confirmation of 1501: after r rounds
	 * the bound is 2 / (8 + r + 2), and (2/14)^4 = 4.2e-4, (2/15)^5 =
	 * 4.2e-5: five rounds, as max_tries has no part in them.
	 */
	assert_int_equal(fails, 10 * 7 + 5);
	assert_int_equal(at1501, 7 + 5);
	assert_int_equal(r.last_rounds, 5);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.res.bh_lost, 7 + 5);
	assert_int_equal(r.res.bh_lost_above, 10 * 7 + 5);
	assert_int_equal(r.res.control_sent, 8 + 5);
	assert_int_equal(r.res.control_lost, 0);
}

static void
test_jumbo_9000(void **state)
{
	struct path	p = { PATH(AF_INET, 9000, 0, ICMP_MTU, 10,
			    9000, 1500, 9000) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	SIZES(&r, 9000, 1500, 1501);
}

static void
test_ip_max(void **state)
{
	struct path	p = { PATH(AF_INET6, 65535, 0, ICMP_MTU, 1, 65535) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.pmtu, 65535);
	assert_int_equal(r.res.probes_sent, 1);
}

static void
test_v6_min(void **state)
{
	struct path	p = { PATH(AF_INET6, 1500, 0, ICMP_MTU, 10,
			    1500, 1280) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1280);
	SIZES(&r, 1500, 1280, 1281);
}

static void
test_v6_min_mtu_zero(void **state)
{
	struct path	p = { PATH(AF_INET6, 1500, 0, ICMP_ZERO, 10, 1280) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1280);
	/* Plateau 1006 is below the IPv6 minimum: reachability probe
	 * instead. */
	SIZES(&r, 1500, 1492, 1280, 1386, 1333, 1306, 1293, 1286, 1283,
	    1281);
}

static void
test_local_is_min(void **state)
{
	struct path	p6 = { PATH(AF_INET6, 1280, 0, ICMP_MTU, 10, 1280) };
	struct path	p4 = { PATH(AF_INET, 68, 0, ICMP_MTU, 10, 1500) };
	struct path	dead = { PATH(AF_INET6, 1280, 0, ICMP_MTU, 10, 1280),
			    .drop_all = 1 };
	struct run	r;

	(void)state;
	simulate(&p6, &r);
	assert_int_equal(r.res.pmtu, 1280);
	SIZES(&r, 1280);
	simulate(&p4, &r);
	assert_int_equal(r.res.pmtu, 68);
	SIZES(&r, 68);
	/* The first size is the reachability size: no second probe there. */
	simulate(&dead, &r);
	assert_int_equal(r.res.state, SEARCH_UNREACHABLE);
	assert_int_equal(r.res.pmtu, 0);
	SIZES(&r, 1280, 1280, 1280);
}

static void
test_first_probe_lost(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .drop = 1 };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	/* The early reachability probe at 200 answers at 210: rto 100, so
	 * the lost 1500 is retried at once, and answers. */
	SIZES(&r, 1500, 68, 1500);
	assert_int_equal(r.times[2], 210);
	assert_int_equal(r.end, 220);
	assert_int_equal(r.res.silent_fail, 0);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.late, 0);
}

static void
test_all_lost(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .drop_all = 1 };
	struct path	p2 = { PATH(AF_INET6, 9000, 2, ICMP_MTU, 10, 1500),
			    .drop_all = 1 };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_UNREACHABLE);
	assert_int_equal(r.res.pmtu, 0);
	/* Reachability probe at 200, then each retried as its rto_init
	 * runs out. */
	SIZES(&r, 1500, 68, 1500, 68, 1500, 68);
	assert_int_equal(r.times[3], 1200);
	assert_int_equal(r.end, 3200);		/* the third 68 lost */
	assert_int_equal(r.res.silent_fail, 1500);
	assert_int_equal(r.res.srtt_ms, 0);
	assert_int_equal(r.res.blackhole, 0);
	simulate(&p2, &r);
	assert_int_equal(r.res.state, SEARCH_UNREACHABLE);
	SIZES(&r, 9000, 1280, 9000, 1280);
	assert_int_equal(r.end, 2200);
}

static void
test_unreach(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .unreach = 1 };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_UNREACHABLE);
	assert_int_equal(r.res.told, 1);
	assert_int_equal(r.res.pmtu, 0);
	/*
	 * Every probe is answered unreachable, 10 ms after it went.  The
	 * first (1500 at 0) and the reachability probe (68 at 200) are
	 * not a timeout (rto_init, 1000) apart; 1500's retry at 1000 is:
	 * two of them, so unreachable at 1010.  (Before issue 12: after
	 * the first, 1 probe, 10 ms.)
	 */
	SIZES(&r, 1500, 68, 1500);
	assert_int_equal(r.res.unreach, 3);
	assert_int_equal(r.end, 1010);
}

static void
test_emsgsize(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .if_mtu = 1480 };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1480);
	/* Not a too-big message: not counted as one. */
	assert_int_equal(r.res.too_big, 0);
	assert_int_equal(r.res.silent_fail, 0);
	SIZES(&r, 1500, 1492, 1006, 1249, 1370, 1431, 1461, 1476, 1484,
	    1480, 1482, 1481);
}

static void
test_send_error(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .send_errno = EPERM };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_ERROR);
	assert_int_equal(r.res.error, EPERM);
	assert_int_equal(r.res.pmtu, 0);
	assert_int_equal(r.res.probes_sent, 1);
}

static void
test_forged_mtu_ignored(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_WRONG, 10, 1492) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	/* mtu >= size is taken as no MTU at all: the plateau path. */
	assert_int_equal(r.res.pmtu, 1492);
	SIZES(&r, 1500, 1492, 1496, 1494, 1493);
}

/* Many paths, loss patterns and ICMP behaviours: invariants only. */
static void
test_bisection_bounds(void **state)
{
	static const unsigned	 links[] = { 68, 296, 576, 1006, 1280,
				    1300, 1367, 1383, 1400, 1420, 1452, 1454,
				    1460, 1492, 1499, 1500, 9000 };
	static const unsigned	 locals[] = { 1500, 9000, 65535 };
	static const enum icmp_mode modes[] = { ICMP_MTU, ICMP_ZERO,
				    ICMP_NONE, ICMP_WRONG };
	struct path		 p;
	struct run		 r;
	size_t			 i, j, k;
	unsigned		 pmtu;
	int			 hole;
	uint64_t		 x = 0x9e3779b97f4a7c15ull;

	(void)state;
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
	for (j = 0; j < sizeof(locals) / sizeof(locals[0]); j++)
	for (k = 0; k < 8; k++) {
		memset(&p, 0, sizeof(p));
		p.family = AF_INET;
		p.local_mtu = locals[j];
		p.hops[0] = 1500 < p.local_mtu ? 9000 : 1500;
		p.hops[1] = links[i];
		p.icmp = modes[k % 4];
		p.rtt = 5 + 20 * k;
		if (k >= 4) {
			/* About one probe in eight lost, deterministic. */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			p.drop = x & (x >> 1) & (x >> 2);
		}
		simulate(&p, &r);
		pmtu = links[i] < p.hops[0] ? links[i] : p.hops[0];
		/* A black hole: big packets vanish below the local MTU. */
		hole = p.icmp == ICMP_NONE && pmtu < p.local_mtu;
		if (p.drop == 0 && links[i] <= p.hops[0]) {
			assert_int_equal(r.res.state, SEARCH_OK);
			assert_int_equal(r.res.pmtu, links[i]);
		} else if (r.res.state == SEARCH_OK)
			assert_true(r.res.pmtu <= pmtu);
		/* With drops too (bursts of 3 and more), every black hole
		 * is found and every verdict is at the real pmtu; on random
		 * loss the rule can err (see test_random_loss_2000). */
		assert_int_equal(r.res.blackhole, hole);
		if (r.res.blackhole)
			assert_int_equal(r.res.pmtu, pmtu);
		if (p.drop == 0) {
			/* Every answer in time: only the early
			 * reachability probe's can come late, when a
			 * bigger size answered first. */
			assert_int_equal(r.late, r.late_min);
			assert_true(r.late_min <= 1);
		}
	}
}

/* Step by hand, with exact times. */
static struct search *
manual(int family, unsigned local)
{
	struct search_params	 sp = { .family = family,
				    .local_mtu = local };
	struct search		*s;

	assert_non_null(s = search_new(&sp));
	return (s);
}

static void
expect_send(struct search *s, uint64_t now, unsigned size, unsigned token)
{
	struct search_probe	pr = { 0, 0 };
	uint64_t		wake = 0;

	assert_int_equal(search_next(s, now, &pr, &wake), SEARCH_SEND);
	assert_int_equal(pr.size, size);
	assert_int_equal(pr.token, token);
}

static void
expect_wait(struct search *s, uint64_t now, uint64_t want)
{
	struct search_probe	pr;
	uint64_t		wake = 0;

	assert_int_equal(search_next(s, now, &pr, &wake), SEARCH_WAIT);
	assert_int_equal(wake, want);
}

static void
test_late_reply(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;

	(void)state;
	expect_send(s, 0, 1500, 1);
	/* No answer yet: the reachability probe goes 200 ms after the first
	 * probe (time 0 is a time like any other), long before 1000. */
	expect_wait(s, 0, 200);
	expect_wait(s, 199, 200);
	expect_send(s, 200, 68, 2);
	expect_wait(s, 200, 1000);		/* 1500, at rto_init */
	assert_int_equal(search_on_reply(s, 2, 210), 0);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 68);	/* best so far */
	assert_int_equal(res.srtt_ms, 10);
	assert_int_equal(res.rto_ms, 100);	/* rto_min */
	/* With rto 100 the 1500 sent at 0 is overdue at once. */
	expect_send(s, 210, 1500, 3);
	expect_wait(s, 210, 310);
	expect_send(s, 310, 1500, 4);
	expect_wait(s, 310, 410);
	expect_send(s, 410, 784, 5);		/* 1500 failed */
	search_result(s, &res);
	assert_int_equal(res.silent_fail, 1500);
	assert_int_equal(res.pmtu, 68);
	/* The very first 1500 was only slow: it counts, and beats the
	 * timeouts; 784 then tells nothing and is forgotten. */
	assert_int_equal(search_on_reply(s, 1, 450), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1500);
	assert_int_equal(res.silent_fail, 0);
	assert_int_equal(res.probes_sent, 5);
	assert_int_equal(res.elapsed_ms, 450);
	/* The late answer's 450 ms is the largest sample: not in srtt, but
	 * the newest, so rto is 2 * 450 at once. */
	assert_int_equal(res.srtt_ms, 10);
	assert_int_equal(res.rto_ms, 900);
	/* A late answer to a lost probe is not a black hole verdict. */
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(search_on_reply(s, 5, 460), -1);
	assert_int_equal(search_on_reply(s, 4, 460), -1);
	search_free(s);
}

static void
test_late_reply_reopens(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 wake;

	(void)state;
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 1400, 5), 0);
	expect_send(s, 5, 1400, 2);
	assert_int_equal(search_on_reply(s, 2, 15), 0);	/* rto 100 */
	/*
	 * 1400 answered and 1401 is the too-big's bound: a probe at 1401
	 * settles it once a timeout passes with no answer.  The too-big
	 * again changes nothing: a forger would send it as well.
	 */
	assert_false(search_done(s));
	expect_send(s, 15, 1401, 3);
	expect_wait(s, 15, 100);		/* 1500 is still known */
	expect_wait(s, 100, 115);
	assert_int_equal(search_on_too_big(s, 3, 1400, 20), 0);
	expect_wait(s, 20, 115);
	assert_int_equal(search_next(s, 115, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.too_big, 2);
	assert_int_equal(res.too_big_refuted, 0);
	assert_int_equal(res.probes_sent, 3);
	assert_int_equal(res.elapsed_ms, 115);
	search_free(s);
	/* Start over for a silent case. */

	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	/* mtu 0: 1492 next */
	assert_int_equal(search_on_too_big(s, 1, 0, 5), 0);
	expect_send(s, 5, 1492, 2);
	expect_send(s, 1005, 1492, 3);	/* lost once; reachability follows */
	expect_send(s, 1005, 68, 4);
	assert_int_equal(search_on_reply(s, 4, 1015), 0);
	expect_send(s, 2005, 1492, 5);
	expect_send(s, 2105, 780, 6);		/* 1492 failed silently */
	expect_wait(s, 2105, 2205);
	/* 1492's first probe answers after all: hi goes back to the ICMP
	 * bound 1500 and the search carries on above 1492. */
	assert_int_equal(search_on_reply(s, 2, 2110), 0);
	assert_false(search_done(s));
	expect_send(s, 2110, 1496, 7);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1492);
	assert_int_equal(res.silent_fail, 0);
	assert_int_equal(search_on_reply(s, 6, 2111), -1);	/* dropped */
	assert_int_equal(search_on_too_big(s, 7, 1494, 2120), 0);
	expect_send(s, 2120, 1494, 8);
	assert_int_equal(search_on_reply(s, 8, 2130), 0);
	/* 1495 settles the too-big; 2105 ms is the larger sample of three
	 * and out of srtt, so the timeout is rto_min. */
	expect_send(s, 2130, 1495, 9);
	expect_wait(s, 2130, 2210);		/* 1496's */
	expect_wait(s, 2210, 2230);
	assert_int_equal(search_next(s, 2230, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1494);
	assert_int_equal(res.too_big, 2);
	assert_int_equal(res.probes_sent, 9);
	search_free(s);

	/* Here the too-big bound is below the local MTU: a late answer
	 * goes back to it, not further. */
	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 1497, 5), 0);
	expect_send(s, 5, 1497, 2);
	expect_send(s, 1005, 1497, 3);
	expect_send(s, 1005, 68, 4);
	assert_int_equal(search_on_reply(s, 4, 1015), 0);
	expect_send(s, 2005, 1497, 5);
	expect_send(s, 2105, 782, 6);
	assert_int_equal(search_on_reply(s, 3, 2106), 0);
	expect_send(s, 2106, 1498, 7);		/* settles the too-big */
	assert_int_equal(search_next(s, 2106 + 2202, &pr, &wake),
	    SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1497);
	assert_int_equal(res.probes_sent, 7);
	search_free(s);
}

static void
test_unknown_token(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;

	(void)state;
	assert_int_equal(search_on_reply(s, 1, 0), -1);	/* not sent */
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_reply(s, 0, 1), -1);
	assert_int_equal(search_on_reply(s, 2, 1), -1);
	assert_int_equal(search_on_reply(s, 999, 1), -1);
	assert_int_equal(search_on_too_big(s, 7, 1400, 1), -1);
	assert_int_equal(search_on_unreach(s, 7, 1), -1);
	assert_int_equal(search_on_send_error(s, 7, EPERM, 1), -1);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 0);
	assert_int_equal(res.too_big, 0);
	assert_int_equal(res.probes_sent, 1);
	assert_int_equal(res.srtt_ms, 0);
	expect_wait(s, 1, 200);		/* the early reachability probe */
	assert_int_equal(search_on_reply(s, 1, 20), 0);
	assert_true(search_done(s));
	/* Done: even a known token is now late. */
	assert_int_equal(search_on_reply(s, 1, 21), -1);
	assert_int_equal(search_on_too_big(s, 1, 1400, 21), -1);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1500);
	search_free(s);
}

static void
test_too_big_checks(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;

	(void)state;
	/* mtu below the minimum is implausible too: plateau instead. */
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 50, 1), 0);
	expect_send(s, 1, 1492, 2);
	/* mtu == size is not "smaller": plateau below 1492. */
	assert_int_equal(search_on_too_big(s, 2, 1492, 2), 0);
	expect_send(s, 2, 1006, 3);
	assert_int_equal(search_on_reply(s, 3, 12), 0);
	expect_send(s, 12, 1249, 4);
	/* A too-big naming an MTU below a confirmed size is not believed
	 * beyond "1249 fails". */
	assert_int_equal(search_on_too_big(s, 4, 900, 13), 0);
	expect_send(s, 13, 1127, 5);
	search_result(s, &res);
	assert_int_equal(res.too_big, 3);
	assert_int_equal(res.pmtu, 1006);
	search_free(s);
}

/* A too-big for an earlier try settles the retry still in flight. */
static void
test_late_too_big(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 wake;

	(void)state;
	expect_send(s, 0, 1500, 1);
	expect_send(s, 200, 68, 2);		/* early reachability */
	expect_send(s, 1000, 1500, 3);		/* 1500 timed out */
	expect_wait(s, 1000, 1200);		/* 68's deadline */
	assert_int_equal(search_on_too_big(s, 1, 1400, 1005), 0);
	expect_send(s, 1005, 1400, 4);
	/* 1500's retry stays known: its too-big is the same claim again
	 * (an answer would refute it). */
	assert_int_equal(search_on_too_big(s, 3, 1400, 1006), 0);
	expect_wait(s, 1006, 1200);		/* the reachability probe */
	assert_int_equal(search_on_reply(s, 2, 1010), 0);
	/*
	 * RTT 810, the first: rto 810 + 4 * 405 = 2430, and 1400's deadline
	 * moves with it, from 1005 + 1000 to 1005 + 2430.  That is above
	 * rto_min, and 68 went on a cold path: it goes again, to measure.
	 */
	search_result(s, &res);
	assert_int_equal(res.rto_ms, 2430);
	expect_send(s, 1010, 68, 5);
	expect_wait(s, 1010, 1000 + 2430);	/* 1500's retry */
	expect_wait(s, 1011, 1000 + 2430);
	assert_int_equal(search_on_reply(s, 5, 1012), 0);
	/* RTT 2: 810 is the larger of two, out of srtt, and rto is back
	 * at rto_min: 1400, sent at 1005, is due at 1105. */
	search_result(s, &res);
	assert_int_equal(res.srtt_ms, 2);
	assert_int_equal(res.rto_ms, 100);
	expect_wait(s, 1012, 1100);		/* 1500's retry */
	expect_wait(s, 1100, 1105);
	expect_send(s, 1105, 1400, 6);
	/* Its first try was only slow: a late answer counts.  1401 then
	 * settles the too-bigs' claim, after the timeout the samples 810,
	 * 2 and 105 give: srtt 53, rttvar 51, 257 ms. */
	assert_int_equal(search_on_reply(s, 4, 1110), 0);
	expect_send(s, 1110, 1401, 7);
	expect_wait(s, 1110, 1367);
	assert_int_equal(search_next(s, 1367, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.too_big, 2);
	assert_int_equal(res.too_big_refuted, 0);
	assert_int_equal(res.silent_fail, 0);
	assert_int_equal(res.probes_sent, 7);
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(res.elapsed_ms, 1367);
	search_free(s);
}

/*
 * A path whose first packets waited a second on neighbour discovery
 * (RTT 300 ms): the first answer's delay is no measure, but the retry
 * of the reachability probe, sent once the path was warm, answers in
 * one RTT before the probe sent to measure again does.  That answer is
 * the measure: the rounds start at once.
 */
static void
test_warm_answer_measures(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 wake;

	(void)state;
	expect_send(s, 0, 1500, 1);
	expect_send(s, 200, 68, 2);		/* early reachability */
	expect_send(s, 1000, 1500, 3);		/* 1500 timed out */
	expect_send(s, 1200, 68, 4);		/* and 68 */
	assert_int_equal(search_on_reply(s, 2, 1450), 0);
	expect_send(s, 1450, 68, 5);		/* 1250 ms: measure again */
	assert_int_equal(search_on_reply(s, 4, 1500), 0);
	/* 300 ms: 1250 is the larger of two, out of srtt. */
	search_result(s, &res);
	assert_int_equal(res.srtt_ms, 300);
	assert_int_equal(search_next(s, 1500, &pr, &wake), SEARCH_SEND);
	assert_int_not_equal(pr.size, 68);	/* a round, not a wait */
	assert_true(pr.size > 68 && pr.size < 1500);
	search_free(s);
}

/*
 * Too-bigs are claims, and answers refute them.  A forger on the path
 * quotes each probe with a too-big naming 600 and lets it pass; the
 * router at 1400 says so for what it drops.
 */
static void
test_too_big_refuted_manual(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 wake;

	(void)state;
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 600, 2), 0);	/* forged */
	expect_send(s, 2, 600, 2);
	/* The router's, for the same probe: a second claim, kept. */
	assert_int_equal(search_on_too_big(s, 1, 1400, 5), 0);
	assert_int_equal(search_on_reply(s, 2, 10), 0);
	/* 600 answered: 601 settles the claim, or refutes it. */
	expect_send(s, 10, 601, 3);
	assert_int_equal(search_on_too_big(s, 3, 600, 12), 0);
	assert_int_equal(search_on_reply(s, 3, 20), 0);
	/* Refuted, both 600s: the router's 1400 bounds the search now,
	 * and its MTU is the next size. */
	search_result(s, &res);
	assert_int_equal(res.too_big_refuted, 2);
	assert_int_equal(res.pmtu, 601);
	expect_send(s, 20, 1400, 4);
	/* Naming less than what answered: only "1400 fails", refuted. */
	assert_int_equal(search_on_too_big(s, 4, 600, 22), 0);
	assert_int_equal(search_on_reply(s, 4, 30), 0);
	expect_send(s, 30, 1401, 5);
	assert_int_equal(search_on_too_big(s, 5, 600, 32), 0);
	assert_int_equal(search_on_too_big(s, 5, 1400, 35), 0);
	/*
	 * Too-bigs were refuted: they are in doubt, and 1401 fails only
	 * as silence would, after three tries without an answer in a
	 * timeout (rto_min).  1500 went at 0: its timeout passed first.
	 */
	expect_wait(s, 35, 100);
	expect_wait(s, 100, 130);
	expect_send(s, 130, 1401, 6);
	expect_wait(s, 130, 230);
	expect_send(s, 230, 1401, 7);
	expect_wait(s, 230, 330);
	assert_int_equal(search_next(s, 330, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.too_big, 6);
	assert_int_equal(res.too_big_refuted, 3);
	assert_int_equal(res.probes_sent, 7);
	assert_int_equal(res.elapsed_ms, 330);
	search_free(s);

	/* Two too-bigs that disagree about one probe: one is false, and
	 * 1401 takes three tries too. */
	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 1400, 2), 0);
	assert_int_equal(search_on_too_big(s, 1, 1300, 3), 0);
	expect_send(s, 3, 1300, 2);
	assert_int_equal(search_on_reply(s, 2, 10), 0);
	expect_send(s, 10, 1301, 3);
	expect_wait(s, 10, 100);
	expect_send(s, 110, 1301, 4);
	expect_send(s, 210, 1301, 5);
	assert_int_equal(search_next(s, 310, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1300);
	assert_int_equal(res.too_big_refuted, 0);
	search_free(s);

	/* A clean path: the forged too-big's own probe answers. */
	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 1400, 2), 0);
	expect_send(s, 2, 1400, 2);
	assert_int_equal(search_on_reply(s, 1, 10), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1500);
	assert_int_equal(res.too_big_refuted, 1);
	assert_int_equal(res.elapsed_ms, 10);
	search_free(s);
}

static void
test_emsgsize_manual(void **state)
{
	struct search		*s = manual(AF_INET6, 9000);
	struct search_result	 res;

	(void)state;
	expect_send(s, 0, 9000, 1);
	assert_int_equal(search_on_send_error(s, 1, EMSGSIZE, 0), 0);
	expect_send(s, 0, 8166, 2);
	assert_int_equal(search_on_send_error(s, 2, EMSGSIZE, 0), 0);
	expect_send(s, 0, 4352, 3);
	search_result(s, &res);
	assert_int_equal(res.too_big, 0);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(search_on_send_error(s, 3, EACCES, 0), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_ERROR);
	assert_int_equal(res.error, EACCES);
	assert_int_equal(res.pmtu, 0);
	assert_string_equal(search_state_name(res.state), "error");
	search_free(s);
}

static void
test_rto(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;

	(void)state;
	expect_send(s, 0, 1500, 1);
	search_result(s, &res);
	assert_int_equal(res.rto_ms, 1000);		/* rto_init */
	expect_wait(s, 0, 200);			/* early reachability */
	assert_int_equal(search_on_too_big(s, 1, 0, 10), 0);
	expect_send(s, 10, 1492, 2);
	/* A too-big is not an RTT sample, nor an answer: the reachability
	 * probe still goes at 200. */
	expect_wait(s, 10, 200);
	expect_send(s, 200, 68, 3);
	expect_wait(s, 200, 1000);		/* 1500's: still known */
	assert_int_equal(search_on_reply(s, 2, 910), 0);
	/* The first sample, 900: rto 3 * 900, more than the initial 1000.
	 * The reachability probe at 68 < lo tells nothing now: forgotten. */
	search_result(s, &res);
	assert_int_equal(res.srtt_ms, 900);
	assert_int_equal(res.rto_ms, 2700);
	assert_int_equal(search_on_reply(s, 3, 911), -1);
	expect_send(s, 910, 1496, 4);
	expect_wait(s, 910, 0 + 2700);		/* 1500's */
	assert_int_equal(search_on_too_big(s, 4, 0, 1210), 0);
	expect_send(s, 1210, 1494, 5);		/* bisecting 1492..1496 */
	expect_wait(s, 1210, 2700);		/* 1500's */
	assert_int_equal(search_on_reply(s, 5, 1510), 0);
	/* 300: the 900 is the larger of two and out of srtt; rto is
	 * 2 * 300 now, and 1495 waits that long, not 2700. */
	search_result(s, &res);
	assert_int_equal(res.srtt_ms, 300);
	assert_int_equal(res.rto_ms, 600);
	expect_send(s, 1510, 1495, 6);
	expect_wait(s, 1510, 2110);
	/* An answer at 400 ms lifts the timeout to 800 at once (srtt is
	 * the mean of 300 and 400).  1496, whose too-big bounds 1495, went
	 * unanswered for 600 ms already: settled. */
	assert_int_equal(search_on_reply(s, 6, 1910), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.srtt_ms, 350);
	assert_int_equal(res.rto_ms, 800);
	assert_int_equal(res.pmtu, 1495);
	search_free(s);

	/* Fast paths hit rto_min. */
	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 0, 1), 0);
	expect_send(s, 1, 1492, 2);
	assert_int_equal(search_on_reply(s, 2, 3), 0);
	expect_send(s, 3, 1496, 3);
	expect_wait(s, 3, 100);		/* 1500's, still known */
	expect_wait(s, 100, 103);
	search_free(s);

	/* Slow ones rto_max.  Nothing else waits: no second measure. */
	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 0, 1), 0);
	expect_send(s, 1, 1492, 2);
	assert_int_equal(search_on_reply(s, 2, 2501), 0);
	expect_send(s, 2501, 1496, 3);
	expect_wait(s, 2501, 3000);		/* 1500's */
	expect_wait(s, 3000, 2501 + 3000);
	search_free(s);

	/*
	 * The first answer waited on neighbour discovery: 68, sent at 200,
	 * answered at 1000, rto 3 * 800 and 9000 waiting on it.  68 goes
	 * again, answers in 1 ms, and the timeout is rto_min: 9000, sent at
	 * 0, is overdue.
	 */
	s = manual(AF_INET, 9000);
	expect_send(s, 0, 9000, 1);
	expect_send(s, 200, 68, 2);
	assert_int_equal(search_on_reply(s, 2, 1000), 0);
	search_result(s, &res);
	assert_int_equal(res.rto_ms, 2400);
	expect_send(s, 1000, 68, 3);
	expect_wait(s, 1000, 2400);		/* 9000's deadline */
	assert_int_equal(search_on_reply(s, 3, 1001), 0);
	search_result(s, &res);
	assert_int_equal(res.srtt_ms, 1);
	assert_int_equal(res.rto_ms, 100);
	expect_send(s, 1001, 9000, 4);
	expect_wait(s, 1001, 1101);
	search_free(s);
}

static void
test_params(void **state)
{
	struct search_params	 sp;
	struct search		*s;

	(void)state;
	assert_null(search_new(NULL));
	memset(&sp, 0, sizeof(sp));
	sp.family = AF_INET;
	sp.local_mtu = 67;
	assert_null(search_new(&sp));
	sp.local_mtu = 65536;
	assert_null(search_new(&sp));
	sp.family = AF_INET6;
	sp.local_mtu = 1279;
	assert_null(search_new(&sp));
	sp.family = 0;
	sp.local_mtu = 1500;
	assert_null(search_new(&sp));
	sp.family = AF_UNIX;
	assert_null(search_new(&sp));
	sp.family = AF_INET;
	sp.min_mtu = 1501;
	assert_null(search_new(&sp));
	sp.min_mtu = 0;
	sp.rto_min_ms = 500;
	sp.rto_max_ms = 400;
	assert_null(search_new(&sp));

	/* Explicit parameters are used as given. */
	memset(&sp, 0, sizeof(sp));
	sp.family = AF_INET;
	sp.local_mtu = 1500;
	sp.min_mtu = 576;
	sp.max_tries = 1;
	sp.rto_init_ms = 50;
	assert_non_null(s = search_new(&sp));
	expect_send(s, 0, 1500, 1);
	expect_wait(s, 0, 50);
	expect_send(s, 50, 576, 2);	/* one try only: reachability at 576 */
	expect_wait(s, 50, 100);
	assert_int_equal(search_on_reply(s, 2, 60), 0);
	expect_send(s, 60, 1038, 3);
	search_free(s);

	assert_string_equal(search_state_name(SEARCH_OK), "ok");
	assert_string_equal(search_state_name(SEARCH_UNREACHABLE),
	    "unreachable");
	assert_string_equal(search_state_name((enum search_state)42),
	    "unknown");
}

/* A search whose whole range is lo + 1 over a reachability size. */
static struct search *
manual_range(unsigned min, unsigned local)
{
	struct search_params	 sp = { .family = AF_INET,
				    .local_mtu = local, .min_mtu = min };
	struct search		*s;

	assert_non_null(s = search_new(&sp));
	return (s);
}

/* 1401 vanishes, 1400 answers: reach the confirmation of 1401 at 410. */
static struct search *
to_confirmation(void)
{
	struct search		*s = manual_range(1400, 1401);
	struct search_result	 res;

	expect_send(s, 0, 1401, 1);
	expect_send(s, 200, 1400, 2);		/* early reachability probe */
	assert_int_equal(search_on_reply(s, 2, 210), 0);
	expect_send(s, 210, 1401, 3);		/* rto 100: 1 is late */
	expect_wait(s, 210, 310);
	expect_send(s, 310, 1401, 4);
	expect_wait(s, 310, 410);
	/* 1401 failed three times, by silence alone: confirm it.  A round
	 * is lo + 1, then the reference at lo. */
	expect_send(s, 410, 1401, 5);
	expect_send(s, 410, 1400, 6);
	expect_wait(s, 410, 510);
	search_result(s, &res);
	assert_false(search_done(s));
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.silent_fail, 1401);
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(res.control_sent, 1);
	assert_int_equal(res.control_lost, 0);
	return (s);
}

/*
 * A confirmation round at time at: 1401 (token tok), the reference at
 * 1400 (tok + 1), answered 10 ms later unless lost; 1401 vanishes.
 */
static void
confirm_round(struct search *s, uint64_t at, unsigned tok, int answered)
{
	expect_send(s, at, 1401, tok);
	expect_send(s, at, 1400, tok + 1);
	expect_wait(s, at, at + 100);
	if (answered) {
		assert_int_equal(search_on_reply(s, tok + 1, at + 10), 0);
		expect_wait(s, at + 10, at + 100);
	}
}

static void
test_confirm_steps(void **state)
{
	struct search		*s = to_confirmation();
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 wake;
	unsigned		 r;

	(void)state;
	assert_int_equal(search_on_reply(s, 6, 420), 0);
	expect_wait(s, 420, 510);
	/*
	 * The bisection's three losses chose 1401: no evidence.  After r
	 * rounds (1401 lost, the reference answered) the loss bound is
	 * (0 + 2) / (1 + r + 2): (2/7)^4 = 6.7e-3, (2/8)^5 = 9.8e-4,
	 * (2/9)^6 = 1.2e-4, none below 1e-4, nor would one more loss be
	 * until round 6, so rounds go back to back.  (Counting the
	 * bisection's losses, (2/7)^8 = 4.4e-5 would hold round 5 back for
	 * the span; counting the loss that began the confirmation at 410,
	 * round 6.)
	 */
	for (r = 2; r <= 6; r++) {
		confirm_round(s, 410 + 100 * (r - 1), 5 + 2 * (r - 1), 1);
		search_result(s, &res);
		assert_int_equal(res.blackhole, 0);
		assert_int_equal(res.control_sent, 1 + r);
	}
	/*
	 * 1010: six lost.  (2/9)^7 = 2.7e-5: one more loss would do, but
	 * the silence above 1400 began at 210 (1401 sent at 0): round 7
	 * waits so that its 1401 expires at 210 + 1500 = 1710.
	 */
	expect_wait(s, 1010, 1610);
	expect_wait(s, 1300, 1610);
	search_result(s, &res);
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(res.bh_lost, 0);
	confirm_round(s, 1610, 17, 1);
	assert_int_equal(search_next(s, 1710, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.silent_fail, 1401);
	assert_int_equal(res.probes_sent, 18);
	assert_int_equal(res.blackhole, 1);
	/* (2/10)^7 = 1.3e-5; all ten losses at 1401 are reported. */
	assert_int_equal(res.bh_lost, 3 + 7);
	assert_int_equal(res.bh_lost_above, 10);
	assert_int_equal(res.bh_span_ms, 1500);
	assert_int_equal(res.control_sent, 8);
	assert_int_equal(res.control_lost, 0);
	assert_int_equal(res.too_big, 0);
	assert_int_equal(search_on_reply(s, 17, 1720), -1);
	search_free(s);
}

/* A lost reference counts as loss, and the rounds go on: one round more
 * than in test_confirm_steps. */
static void
test_confirm_control_lost(void **state)
{
	struct search		*s = to_confirmation();
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 wake;
	unsigned		 r;

	(void)state;
	/* 510: both lost.  (1 + 2) / (2 + 2) = 0.75: far from proof, and
	 * the round is over, so the next goes at once. */
	expect_send(s, 510, 1401, 7);
	search_result(s, &res);
	assert_int_equal(res.control_sent, 2);
	assert_int_equal(res.control_lost, 1);
	expect_send(s, 510, 1400, 8);
	assert_int_equal(search_on_reply(s, 8, 520), 0);
	expect_wait(s, 520, 610);
	/* After r rounds, the bound is (1 + 2) / (1 + r + 2): (3/9)^7 =
	 * 4.6e-4, so round 7 goes at once; (3/10)^7 = 2.2e-4 is no proof,
	 * but (3/10)^8 = 6.6e-5 would be: round 8 waits for the span. */
	for (r = 3; r <= 7; r++)
		confirm_round(s, 410 + 100 * (r - 1), 5 + 2 * (r - 1), 1);
	expect_wait(s, 1110, 1610);
	search_result(s, &res);
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(res.control_sent, 8);
	assert_int_equal(res.control_lost, 1);
	confirm_round(s, 1610, 19, 1);
	assert_int_equal(search_next(s, 1710, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.blackhole, 1);
	/* (3/11)^8 = 3.3e-5 */
	assert_int_equal(res.bh_lost, 3 + 8);
	assert_int_equal(res.bh_span_ms, 1500);
	assert_int_equal(res.control_sent, 9);
	assert_int_equal(res.control_lost, 1);
	assert_int_equal(res.probes_sent, 20);
	search_free(s);
}

/* lo + 1 answers in round 2: it was loss, and lo + 1 is the local MTU. */
static void
test_confirm_refuted_manual(void **state)
{
	struct search		*s = to_confirmation();
	struct search_result	 res;

	(void)state;
	expect_send(s, 510, 1401, 7);
	expect_send(s, 510, 1400, 8);
	assert_int_equal(search_on_reply(s, 7, 530), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1401);
	assert_int_equal(res.silent_fail, 0);
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(res.bh_lost, 0);
	assert_int_equal(res.bh_span_ms, 0);
	/* The four vanished 1401s were loss after all; so was reference 6. */
	assert_int_equal(res.control_lost, 5);
	assert_int_equal(res.control_sent, 7);
	assert_int_equal(search_on_reply(s, 8, 531), -1);
	search_free(s);
}

/* A too-big for lo + 1 during confirmation: ICMP works, no black hole. */
static void
test_confirm_too_big_manual(void **state)
{
	struct search		*s = to_confirmation();
	struct search_result	 res;

	(void)state;
	assert_int_equal(search_on_too_big(s, 5, 1400, 420), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(res.too_big, 1);
	assert_int_equal(res.probes_sent, 6);
	search_free(s);
}

/* Nothing answers after lo, not even the references at lo: 24 rounds, no
 * verdict, and the destination is reported gone (unreachable), not lo. */
static void
test_confirm_rounds_exhausted(void **state)
{
	struct search		*s = to_confirmation();
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 now = 410, wake = 0;
	unsigned		 i, sent = 0, big = 0;
	enum search_step	 step;

	(void)state;
	for (i = 0; i < 1000; i++) {
		step = search_next(s, now, &pr, &wake);
		if (step == SEARCH_DONE)
			break;
		if (step == SEARCH_SEND) {
			/* Every round: lo + 1 first, both at one time. */
			assert_int_equal(pr.size, sent % 2 ? 1400 : 1401);
			big += pr.size == 1401;
			sent++;
			continue;
		}
		assert_int_equal(step, SEARCH_WAIT);
		/* Reference loss bound (r + 2) / (r + 3) after r rounds:
		 * never proof, so no round waits for the span: back to
		 * back. */
		assert_int_equal(wake, now + 100);
		now = wake;
	}
	assert_true(search_done(s));
	/* Rounds 2..24 here (round 1 went in to_confirmation()). */
	assert_int_equal(sent, 2 * 23);
	assert_int_equal(big, 23);
	assert_int_equal(now, 410 + 24 * 100);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_UNREACHABLE);
	assert_int_equal(res.pmtu, 0);
	assert_int_equal(res.blackhole, 0);
	assert_int_equal(res.bh_lost, 0);
	assert_int_equal(res.silent_fail, 1401);
	assert_int_equal(res.probes_sent, 6 + 2 * 23);
	assert_int_equal(res.control_sent, 25);
	assert_int_equal(res.control_lost, 24);
	search_free(s);
}

/* Black hole at 1400 behind a 1500 link, no loss: found, and fast. */
static void
test_blackhole_found(void **state)
{
	static const unsigned	 rtts[] = { 1, 10, 50, 150, 300 };
	static const uint64_t	 ends[] = { 1809, 1890, 1750, 2000, 3800 };
	static const unsigned	 rounds[] = { 5, 5, 6, 6, 6 };
	struct path		 p4 = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
				    1500, 1400) };
	struct path		 p6 = { PATH(AF_INET6, 1500, 0, ICMP_NONE, 10,
				    1500, 1400) };
	struct path		 p;
	struct run		 r;
	size_t			 i;

	(void)state;
	/* v4 step by step: see test_black_hole. */
	simulate(&p4, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.res.bh_lost, 8);
	assert_int_equal(r.res.bh_span_ms, 1680);
	assert_int_equal(r.res.control_lost, 0);
	assert_int_equal(r.end, 1890);
	/*
	 * v6: reachability probe at 1280; bisection fails 1445, 1417, 1403
	 * and 1401 three times each, 1400 answers at 1650.  Only 5 answers
	 * by then (1280, 1390, 1396, 1399, 1400): (2/12)^5 = 1.3e-4 just
	 * misses, (2/13)^6 = 1.3e-5 does: six rounds, the last 1401
	 * expiring at 1650 + 6 * 100.
	 */
	simulate(&p6, &r);
	SIZES(&r, 1500, 1280, 1500, 1500, 1390, 1445, 1445, 1445, 1417, 1417,
	    1417, 1403, 1403, 1403, 1396, 1399, 1401, 1401, 1401, 1400,
	    1401, 1400, 1401, 1400, 1401, 1400, 1401, 1400, 1401, 1400,
	    1401, 1400);
	assert_int_equal(r.times[20], 1650);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.last_rounds, 6);
	assert_int_equal(r.res.bh_lost, 3 + 6);
	/* 1500, 1445, 1417, 1403 three times each, 1401 nine times. */
	assert_int_equal(r.res.bh_lost_above, 21);
	assert_int_equal(r.res.bh_span_ms, 2250 - 210);
	assert_int_equal(r.res.control_sent, 5 + 6);
	assert_int_equal(r.res.control_lost, 0);
	assert_int_equal(r.res.silent_fail, 1401);
	assert_int_equal(r.end, 2250);
	assert_int_equal(r.late, 0);
	/*
	 * Any RTT; a clock that does not start at 0 changes nothing.
	 * RTT 1 and 10: rto stays at rto_min 100, every step is 1 or 10 ms
	 * sooner or later (1809: with the path walk, pmtud is done within
	 * 3 s); the same 9 answers come before the confirmation, so always
	 * 5 rounds.  RTT 50, 150, 300: rto 3 * RTT after the first answer
	 * (above rto_min: a slow path), so the search goes in rounds (see
	 * test_slow_black_hole): 5 answers before the confirmation, 6
	 * rounds, an RTT apart.  (Sequentially, with three tries a size:
	 * 2350, 6750 and 13500 ms.)
	 */
	for (i = 0; i < sizeof(rtts) / sizeof(rtts[0]); i++) {
		p = p4;
		p.rtt = rtts[i];
		p.t0 = 123456789;
		simulate(&p, &r);
		assert_int_equal(r.res.pmtu, 1400);
		assert_int_equal(r.res.blackhole, 1);
		assert_int_equal(r.last_rounds, rounds[i]);
		assert_int_equal(r.res.bh_lost, rounds[i] + (i < 2 ? 3 : 1));
		assert_int_equal(r.res.control_sent, i < 2 ? 14 : 11);
		assert_int_equal(r.res.control_lost, 0);
		assert_int_equal(r.times[1], 200);
		assert_int_equal(r.end, ends[i]);
		assert_int_equal(r.res.elapsed_ms, ends[i]);
	}
}

/*
 * Everything up to 65534 passes, 65535 vanishes: 17 clean answers (68
 * and 16 bisection steps) before the confirmation of 65535 begins at
 * 570.  Here EVIDENCE_MIN_LOST binds: after three rounds, (2/22)^3 = 7.5e-4
 * is no proof but (2/22)^4 = 6.8e-5 would be, so round 4 waits for the
 * span (65535 first lost at 210): sent at 1610, and four fresh losses,
 * the least the rule takes, are the verdict.  (Three would take 39
 * clean answers first, (2/43)^3 < 1e-4: no bisection gives that many.)
 */
static void
test_blackhole_min_lost(void **state)
{
	struct path	p = { PATH(AF_INET, 65535, 0, ICMP_NONE, 10, 65534) };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	SIZES(&r, 65535, 68, 65535, 65535, 32801, 49168, 57351, 61443, 63489,
	    64512, 65023, 65279, 65407, 65471, 65503, 65519, 65527, 65531,
	    65533, 65534, 65535, 65534, 65535, 65534, 65535, 65534, 65535,
	    65534);
	assert_int_equal(r.times[20], 570);
	assert_int_equal(r.times[24], 770);
	assert_int_equal(r.times[26], 1610);
	assert_int_equal(r.end, 1710);
	assert_int_equal(r.res.pmtu, 65534);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.last_rounds, EVIDENCE_MIN_LOST);
	assert_int_equal(r.res.bh_lost, 3 + 4);
	assert_int_equal(r.res.bh_lost_above, 7);
	assert_int_equal(r.res.bh_span_ms, 1500);
	assert_int_equal(r.res.control_sent, 17 + 4);
	assert_int_equal(r.res.control_lost, 0);
}

/* The same drop through a router that sends too-big: no black hole. */
static void
test_icmp_works(void **state)
{
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1400) };
	struct path	mtu6 = { PATH(AF_INET6, 1500, 0, ICMP_MTU, 10,
			    1500, 1400) };
	struct path	zero = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 10,
			    1500, 1400) };
	struct run	r;

	(void)state;
	simulate(&mtu, &r);
	SIZES(&r, 1500, 1400, 1401);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.too_big, 2);
	simulate(&mtu6, &r);
	SIZES(&r, 1500, 1400, 1401);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 0);
	/* MTU 0: every failure is a too-big, so hi is never silent. */
	simulate(&zero, &r);
	SIZES(&r, 1500, 1492, 1006, 1249, 1370, 1431, 1400, 1415, 1407,
	    1403, 1401);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.too_big, 7);
	assert_int_equal(r.res.silent_fail, 0);
	assert_int_equal(r.res.control_sent, 4);
	assert_int_equal(r.res.control_lost, 0);
}

struct tally {
	unsigned	 ok, unreach, found, blackhole, exact, probes;
	unsigned	 wrong;		/* a verdict at another size */
	unsigned	 exhausted;	/* OK at pmtu, all rounds, no verdict */
	uint64_t	 end;		/* fake ms to the end, summed */
	uint64_t	 found_end;	/* ... over the runs that found it */
};

/* Seeds 1 to n of p with loss_out / loss_back percent loss. */
static void
lossy(struct path *p, unsigned out, unsigned back, unsigned n,
    struct tally *t)
{
	struct run	r;
	unsigned	seed, want = p->hops[1] ? p->hops[1] : p->hops[0];

	memset(t, 0, sizeof(*t));
	p->loss_out = out;
	p->loss_back = back;
	for (seed = 1; seed <= n; seed++) {
		p->seed = seed;
		simulate(p, &r);
		t->probes += r.res.probes_sent;
		t->blackhole += r.res.blackhole;
		t->end += r.end;
		if (r.res.state == SEARCH_UNREACHABLE) {
			/* Only when no probe was ever answered. */
			assert_int_equal(r.confirmed, 0);
			assert_int_equal(r.res.pmtu, 0);
			t->unreach++;
			continue;
		}
		assert_int_equal(r.res.state, SEARCH_OK);
		/* Loss can only make the search give up early. */
		assert_true(r.res.pmtu <= want);
		t->ok++;
		t->exact += r.res.pmtu == want;
		t->wrong += r.res.pmtu != want && r.res.blackhole;
		if (r.res.pmtu == want && r.res.blackhole) {
			t->found++;
			t->found_end += r.end;
		}
		t->exhausted += r.res.pmtu == want && !r.res.blackhole &&
		    r.last_rounds == EVIDENCE_MAX_ROUNDS;
	}
}

/*
 * 25% loss each way (so 44% of probes go unanswered) on paths without a
 * black hole: for each of NSEEDS seeds, the exact pmtu and no verdict.
 * Probes per search, mean over the 50 seeds: 4.6 on the clean path,
 * 7.2 with a too-big naming 1400 (6.2 before 1401 settled its claim),
 * 25.5 with too-bigs naming nothing.
 * Over 2000 seeds: test_random_loss_2000.
 */
static void
test_random_loss(void **state)
{
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500) };
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1400) };
	struct path	zero = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 10,
			    1500, 1400) };
	struct tally	t;

	(void)state;
	lossy(&clean, 25, 25, NSEEDS, &t);
	assert_int_equal(t.exact, NSEEDS);
	assert_int_equal(t.blackhole, 0);
	assert_int_equal(t.probes, 228);
	lossy(&mtu, 25, 25, NSEEDS, &t);
	assert_int_equal(t.exact, NSEEDS);
	assert_int_equal(t.blackhole, 0);
	assert_int_equal(t.probes, 362);
	lossy(&zero, 25, 25, NSEEDS, &t);
	assert_int_equal(t.exact, NSEEDS);
	assert_int_equal(t.blackhole, 0);
	assert_int_equal(t.probes, 1275);
}

/*
 * The same loss on a real black hole at 1400, over the 50 seeds.  v4:
 * 46 find it (pmtu 1400, black hole), 4 end unreachable (the three
 * reachability probes at 68 all lost: 0.44^3 = 8.4% a run), none at
 * another size; 56 probes a search.  v6: the same, 50 probes.
 */
static void
test_random_loss_black_hole(void **state)
{
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400) };
	struct path	hole6 = { PATH(AF_INET6, 1500, 0, ICMP_NONE, 10,
			    1500, 1400) };
	struct tally	t;

	(void)state;
	lossy(&hole, 25, 25, NSEEDS, &t);
	assert_int_equal(t.found, 46);
	assert_int_equal(t.exact, t.ok);
	assert_int_equal(t.wrong, 0);
	assert_int_equal(t.unreach, 4);
	assert_int_equal(t.probes, 2817);
	lossy(&hole6, 25, 25, NSEEDS, &t);
	assert_int_equal(t.found, 46);
	assert_int_equal(t.exact, t.ok);
	assert_int_equal(t.wrong, 0);
	assert_int_equal(t.unreach, 4);
	assert_int_equal(t.probes, 2486);
}

/*
 * 2000 seeds of 25% loss each way.  The evidence rule must give no
 * false verdict on any of them: not on a clean path, not behind a
 * router whose too-bigs (naming 1400, or nothing) are lost as often
 * as anything.  Runs that end unreachable lost every probe before the
 * first answer (0.8%, 1.5%, 2.2%); all others find the pmtu.
 * On the real black hole, 91.4% (v4) and 91.35% (v6) find it, after
 * 4453 and 4177 ms of fake time on average (12450 at most) and 64 and
 * 56 probes; 8.6% end unreachable (all three reachability probes lost); one v6
 * run ends at 1400 after 24 rounds without a verdict; none ends at
 * another size.
 * (The rule is not perfect: over 100000 seeds, 6, 3 and 18 false
 * verdicts on the three paths, and 14 and 5 at a wrong size on the
 * black hole, each after a size that passes vanished 8 to 14 times in
 * a row, 5 to 11 of them in the confirmation, while the reference probes
 * looked cleaner than the path.  At those rates these 2000 seeds would
 * see about 0.5 false verdicts in all.)
 */
static void
test_random_loss_2000(void **state)
{
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500) };
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1400) };
	struct path	zero = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 10,
			    1500, 1400) };
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400) };
	struct path	hole6 = { PATH(AF_INET6, 1500, 0, ICMP_NONE, 10,
			    1500, 1400) };
	struct tally	t;

	(void)state;
	lossy(&clean, 25, 25, 2000, &t);
	assert_int_equal(t.blackhole, 0);
	assert_int_equal(t.exact, t.ok);
	assert_int_equal(t.unreach, 16);
	lossy(&mtu, 25, 25, 2000, &t);
	assert_int_equal(t.blackhole, 0);
	assert_int_equal(t.exact, t.ok);
	assert_int_equal(t.unreach, 30);
	lossy(&zero, 25, 25, 2000, &t);
	assert_int_equal(t.blackhole, 0);
	assert_int_equal(t.exact, t.ok);
	assert_int_equal(t.unreach, 44);
	lossy(&hole, 25, 25, 2000, &t);
	assert_int_equal(t.wrong, 0);
	assert_int_equal(t.found, 1828);
	assert_int_equal(t.exact, t.ok);
	assert_int_equal(t.unreach, 172);
	assert_int_equal(t.found_end / t.found, 4453);
	lossy(&hole6, 25, 25, 2000, &t);
	assert_int_equal(t.wrong, 0);
	assert_int_equal(t.found, 1827);
	assert_int_equal(t.exact, t.ok);
	assert_int_equal(t.exhausted, 1);
	assert_int_equal(t.unreach, 172);
	assert_int_equal(t.found_end / t.found, 4177);
}

/*
 * 60% loss each way (84% unanswered) on the black hole: every search
 * ends, none with a verdict.  Over the 50 seeds: 30 end unreachable
 * (all reachability probes lost), 15 at 1400 after 24 rounds without a verdict,
 * 5 at a smaller size, where 1401 etc. failed by loss.
 */
static void
test_heavy_loss(void **state)
{
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400) };
	struct tally	t;

	(void)state;
	lossy(&hole, 60, 60, NSEEDS, &t);
	assert_int_equal(t.ok + t.unreach, NSEEDS);
	assert_int_equal(t.unreach, 30);
	assert_int_equal(t.exhausted, 15);
	assert_int_equal(t.exact, 15);
	assert_int_equal(t.blackhole, 0);
}

/* Paths whose routers rate-limit too-big, or whose destination its
 * answers, over many MTUs, RTTs and local MTUs: never a black hole. */
static void
limited(unsigned tb_rate, unsigned tb_burst, unsigned echo_rate,
    unsigned echo_burst, unsigned *maxprobes)
{
	static const unsigned	 links[] = { 576, 1006, 1280, 1300, 1400,
				    1420, 1452, 1454, 1460, 1491, 1492, 1499,
				    1500, 9000 };
	static const unsigned	 locals[] = { 1500, 9000, 65535 };
	static const enum icmp_mode modes[] = { ICMP_MTU, ICMP_ZERO };
	struct path		 p;
	struct run		 r;
	size_t			 i, j, k, m;

	*maxprobes = 0;
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
	for (j = 0; j < sizeof(locals) / sizeof(locals[0]); j++)
	for (k = 0; k < sizeof(modes) / sizeof(modes[0]); k++)
	for (m = 0; m < 4; m++) {
		memset(&p, 0, sizeof(p));
		p.family = AF_INET;
		p.local_mtu = locals[j];
		p.hops[0] = p.local_mtu > 1500 ? 9000 : 1500;
		p.hops[1] = links[i];
		if (links[i] > p.hops[0])
			continue;
		p.icmp = modes[k];
		p.rtt = 5 + 13 * m;
		p.tb_rate = tb_rate;
		p.tb_burst = tb_burst;
		p.echo_rate = echo_rate;
		p.echo_burst = echo_burst;
		simulate(&p, &r);
		assert_int_equal(r.res.state, SEARCH_OK);
		assert_int_equal(r.res.pmtu, links[i]);
		assert_int_equal(r.res.blackhole, 0);
		if (r.res.probes_sent > *maxprobes)
			*maxprobes = r.res.probes_sent;
	}
}

/* A router that sends at most 2 too-bigs a second (burst 2). */
static void
test_too_big_rate_limited(void **state)
{
	struct path	zj = { PATH(AF_INET, 65535, 0, ICMP_ZERO, 10,
			    9000, 1500), .tb_rate = 2, .tb_burst = 2 };
	struct path	z = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 10,
			    1500, 1400), .tb_rate = 2, .tb_burst = 2 };
	struct run	r;
	unsigned	maxprobes;

	(void)state;
	simulate(&zj, &r);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.probes_sent, 31);
	/*
	 * A token every 500 ms: 1431, 1407 and 1401 fail by silence, 1415
	 * and 1403 get their too-big at the third try.  With 1400 answered
	 * at 360 and 1401 failed at 1380, the confirmation of 1401 begins;
	 * its rounds go back to back, as fewer than four fresh losses are
	 * no proof, and the third round's 1401 (at 1580) finds the router
	 * with a token again: too-big, no verdict.
	 */
	simulate(&z, &r);
	SIZES(&r, 1500, 1492, 1006, 1249, 1370, 1431, 1431, 1431, 1400, 1415,
	    1415, 1415, 1407, 1407, 1407, 1403, 1403, 1403, 1401, 1401, 1401,
	    1401, 1400, 1401, 1400, 1401, 1400);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.too_big, 5);
	assert_int_equal(r.times[21], 1380);
	assert_int_equal(r.times[25], 1580);
	assert_int_equal(r.end, 1590);
	assert_int_equal(r.late, 1);		/* the last reference */
	/* Over 328 paths: at most 51 probes (65535 down to 576, MTU 0,
	 * three rounds), or 50 (65535 down to 1499, six rounds) at one
	 * too-big a second.  (That was 56, down to 576, before a too-big
	 * for a size that had failed by silence still counted.) */
	limited(2, 2, 0, 0, &maxprobes);
	assert_int_equal(maxprobes, 51);
	limited(1, 1, 0, 0, &maxprobes);
	assert_int_equal(maxprobes, 50);
}

/*
 * A destination that answers at most once a second after a burst of 6
 * (as Linux does for UDP port unreachable): silence says little, the
 * search refutes it one size at a time.  Slow, never a black hole.
 */
static void
test_echo_rate_limited(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 10,
			    1500, 1491), .echo_rate = 1, .echo_burst = 6 };
	struct run	r;
	unsigned	maxprobes;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1491);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.probes_sent, 230);
	assert_int_equal(r.end, 15030);
	/* At worst 454 probes, 30 s (65535 down to 1491, MTU 0). */
	limited(0, 0, 1, 6, &maxprobes);
	assert_int_equal(maxprobes, 454);
	/* No burst: 2276 probes, 169 s, on that same path. */
	limited(0, 0, 1, 1, &maxprobes);
	assert_int_equal(maxprobes, 2276);
}

/* 1500 vanishes 3 times (hi 1500), 1499 3 times (hi 1499, by silence
 * alone): the confirmation's 1499 answers, the search goes on to 1500. */
static void
test_confirm_refuted(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .vanish_size = { 1500, 1499 },
			    .vanish_n = { 3, 3 } };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	SIZES(&r, 1500, 68, 1500, 1500, 784, 1142, 1321, 1410, 1455, 1477,
	    1488, 1494, 1497, 1498, 1499, 1499, 1499, 1499, 1498, 1500);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.silent_fail, 0);
	/* The six vanished probes were loss: their sizes passed. */
	assert_int_equal(r.res.control_lost, 6);
	/* The first round at 810, no wait: 1499 answers at 820. */
	assert_int_equal(r.times[17], 810);
	assert_int_equal(r.end, 830);
	assert_int_equal(r.late, 1);		/* the reference at 1498 */
	/*
	 * Only the first three 1500s vanish (an outage at the start), on a
	 * slow path, searched in rounds: the ladder, then every size from
	 * 1493 to 1499 at once.  1500 failed at its first loss, and the
	 * confirmation's first two rounds lose it again; no evidence yet
	 * (the bound needs more answers), and the third's 1500 answers.
	 * (Sequentially: 1500 three times, 1499 answered at 1500 ms, and
	 * one round.)
	 */
	p.rtt = 145;
	p.vanish_n[1] = 0;
	simulate(&p, &r);
	SIZES(&r, 1500, 68, 1492, 1480, 1472, 1460, 1454, 1440, 1420, 1400,
	    1380, 1360, 1280, 1499, 1498, 1497, 1496, 1495, 1494, 1493, 1500,
	    1499, 1500, 1499, 1500, 1499);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.blackhole, 0);
	/* 1500's last loss (sent at 780) was due as it answered. */
	assert_int_equal(r.res.control_lost, 2);
	/*
	 * The rule's edge, on a path that loses nothing else: 11 answers,
	 * no loss, when the confirmation of 1499 begins at 810.  After r
	 * rounds the bound is 2 / (11 + r + 2): (2/17)^4 = 1.9e-4 is no
	 * proof, (2/17)^5 = 2.2e-5 would be, so round 5 waits for the span
	 * (the first 1500 was lost at 210): sent at 1610.  1499 vanishing
	 * 7 times (3 + 4) is loss: the fifth round's 1499 answers.
	 */
	p.rtt = 10;
	p.vanish_n[1] = 7;
	simulate(&p, &r);
	SIZES(&r, 1500, 68, 1500, 1500, 784, 1142, 1321, 1410, 1455, 1477,
	    1488, 1494, 1497, 1498, 1499, 1499, 1499, 1499, 1498, 1499, 1498,
	    1499, 1498, 1499, 1498, 1499, 1498, 1500);
	assert_int_equal(r.times[25], 1610);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.control_lost, 3 + 7);
	assert_int_equal(r.end, 1630);
	/* 8 times (3 + 5) is a verdict: (2/18)^5 = 1.7e-5. */
	p.vanish_n[1] = 8;
	simulate(&p, &r);
	assert_int_equal(r.nsizes, 27);
	assert_int_equal(r.res.pmtu, 1498);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.last_rounds, 5);
	assert_int_equal(r.res.bh_lost, 8);
	assert_int_equal(r.res.bh_lost_above, 3 + 8);
	assert_int_equal(r.res.bh_span_ms, 1500);
	assert_int_equal(r.res.control_sent, 16);
	assert_int_equal(r.res.control_lost, 0);
	assert_int_equal(r.end, 1710);
}

/* 1401 vanishes three times, then meets its too-big during the
 * confirmation: ICMP works, no black hole. */
static void
test_confirm_too_big(void **state)
{
	struct path	p = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 10,
			    1500, 1400), .vanish_size = { 1401 },
			    .vanish_n = { 3 } };
	struct run	r;

	(void)state;
	simulate(&p, &r);
	SIZES(&r, 1500, 1492, 1006, 1249, 1370, 1431, 1400, 1415, 1407, 1403,
	    1401, 1401, 1401, 1401, 1400);
	/* 1401 failed at 400; the first round goes at once. */
	assert_int_equal(r.times[13], 400);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.too_big, 7);
	assert_int_equal(r.end, 410);
	assert_int_equal(r.late, 1);		/* the reference at 1400 */
}

/*
 * The first answers wait a second on neighbour discovery, then the path
 * answers within a millisecond: the rest of the search goes at rto_min
 * (50, as pmtud asks), not at a timeout the slow first answer set.
 * Black hole at 1400: it takes the 1 s and the EVIDENCE_SPAN_MS of
 * silence above 1400 the rule needs, and no more: 2500 ms (37013 and
 * 52334 with RFC 6298's estimator, whose timeout stayed near 2 s).
 */
static void
test_late_first_answer(void **state)
{
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 0,
			    1500, 1400), .rto_min = 50, .nd = 1000 };
	struct path	hole6 = { PATH(AF_INET6, 1500, 0, ICMP_NONE, 0,
			    1500, 1400), .rto_min = 50, .nd = 1000 };
	struct path	zero = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 0,
			    1500, 1400), .rto_min = 50, .nd = 1000,
			    .drop = 1 << 4 };
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 0, 1500),
			    .rto_min = 50, .nd = 1200 };
	struct run	r;

	(void)state;
	simulate(&hole, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 1);
	/* 1500, 68 at 200, both held until 1000; 68 answers (RTT 800, rto
	 * 2400) while 1500 waits on it: 68 again, RTT 0, rto 50. */
	assert_int_equal(r.sizes[2], 68);
	assert_int_equal(r.times[2], 1000);
	assert_true(r.res.elapsed_ms <= hole.nd + EVIDENCE_SPAN_MS + 50);
	assert_int_equal(r.res.elapsed_ms, 2500);
	assert_int_equal(r.res.probes_sent, 32);	/* 31 with no wait */
	assert_int_equal(r.res.rto_ms, 50);
	simulate(&hole6, &r);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.res.elapsed_ms, 2500);
	assert_int_equal(r.res.probes_sent, 33);
	/* Too-bigs, and the fifth probe lost: retried after rto_min, not
	 * 2.7 s (RFC 6298: 3700 ms in all).  The last too-big's probe,
	 * 1401, settles its claim after rto_min more (1050 before issue
	 * 12). */
	simulate(&zero, &r);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.res.elapsed_ms, 1100);
	assert_int_equal(r.res.probes_sent, 13);
	/* Held past rto_init: 1500 timed out at 1000 and went again, but
	 * its first answer, late, is an answer. */
	simulate(&clean, &r);
	SIZES(&r, 1500, 68, 1500);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.elapsed_ms, 1200);
	assert_int_equal(r.late, 2);		/* after the end */
}

/*
 * The RTT rises from 20 to rtt2 ms at any moment of the search (every
 * 10 ms from 0 to 3 s): the answers that come late are answers, the
 * timeout rises with them, and no run ends at another size, in a false
 * verdict or unreachable.  The real black hole is found after a rise to
 * 300 ms; after a rise to a second or more, a few runs end with no
 * verdict (24 rounds at the old timeout pass before the first late
 * answer comes), never a false one.  (RFC 6298, dropping the probes
 * above a silent failure and calling a destination whose references
 * answered late gone: 20 to 1000 ms ended 6 runs on the too-big path
 * unreachable, 20 to 1600 ms 36 on the black hole.)
 */
static void
rises(struct path base, unsigned rtt2)
{
	int		hole = base.icmp == ICMP_NONE;
	struct path	p;
	struct run	r;
	unsigned	at, want = base.hops[1] ? base.hops[1] : base.hops[0];

	for (at = 0; at <= 3000; at += 10) {
		p = base;
		p.rtt2 = rtt2;
		p.rtt2_at = at;
		simulate(&p, &r);
		assert_int_equal(r.res.state, SEARCH_OK);
		assert_int_equal(r.res.pmtu, want);
		if (!hole || rtt2 <= 300)
			assert_int_equal(r.res.blackhole, hole);
		assert_int_equal(r.res.incomplete, 0);
	}
}

static void
test_rtt_rises(void **state)
{
	struct path	zero = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 20,
			    1500, 1400), .rto_min = 50 };
	struct path	zero9k = { PATH(AF_INET, 9000, 0, ICMP_ZERO, 20,
			    9000, 1400), .rto_min = 50 };
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 20,
			    1500, 1400), .rto_min = 50, .drop = 1 << 1 };
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 20,
			    1500), .rto_min = 50 };
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 20,
			    1500, 1400), .rto_min = 50 };
	struct path	hole6 = { PATH(AF_INET6, 9000, 0, ICMP_NONE, 20,
			    9000, 1400), .rto_min = 50 };
	static const unsigned	 rtt2[] = { 300, 1000, 1500 };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(rtt2) / sizeof(rtt2[0]); i++) {
		rises(zero, rtt2[i]);
		rises(zero9k, rtt2[i]);
		rises(mtu, rtt2[i]);
		rises(clean, rtt2[i]);
		rises(hole, rtt2[i]);
		rises(hole6, rtt2[i]);
	}
}

/*
 * Every RTT drawn +-50% (answers pass each other), at 50 and 300 ms:
 * the exact pmtu on every path, the black hole found on every seed and
 * no verdict on the others.
 */
static void
test_jitter(void **state)
{
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 0, 1500),
			    .rto_min = 50, .jitter = 50 };
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 0, 1500, 1400),
			    .rto_min = 50, .jitter = 50 };
	struct path	zero = { PATH(AF_INET, 9000, 0, ICMP_ZERO, 0,
			    9000, 1400), .rto_min = 50, .jitter = 50 };
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 0,
			    1500, 1400), .rto_min = 50, .jitter = 50 };
	struct path	hole6 = { PATH(AF_INET6, 9000, 0, ICMP_NONE, 0,
			    9000, 1400), .rto_min = 50, .jitter = 50 };
	struct path	*paths[] = { &clean, &mtu, &zero, &hole, &hole6 };
	static const unsigned	 rtts[] = { 50, 300 };
	struct tally	t;
	size_t		i, j;
	unsigned	n = 4 * NSEEDS;

	(void)state;
	for (i = 0; i < sizeof(rtts) / sizeof(rtts[0]); i++)
	for (j = 0; j < sizeof(paths) / sizeof(paths[0]); j++) {
		paths[j]->rtt = rtts[i];
		lossy(paths[j], 0, 0, n, &t);
		assert_int_equal(t.exact, n);
		assert_int_equal(t.blackhole,
		    paths[j]->icmp == ICMP_NONE ? n : 0);
		assert_int_equal(t.found, t.blackhole);
	}
}

static void
test_unreach_manual(void **state)
{
	struct search		*s = manual(AF_INET6, 1500);
	struct search_result	 res;
	struct search_probe	 pr;
	uint64_t		 wake;

	(void)state;
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 1400, 5), 0);
	expect_send(s, 5, 1400, 2);
	expect_send(s, 1005, 1400, 3);
	expect_send(s, 1005, 1280, 4);
	assert_int_equal(search_on_reply(s, 4, 1010), 0);
	/* One unreachable is no proof, nor is a second for the same
	 * probe: 1400 goes on as unanswered, and is retried. */
	assert_int_equal(search_on_unreach(s, 3, 1020), 0);
	assert_int_equal(search_on_unreach(s, 3, 1021), 0);
	expect_wait(s, 1021, 1105);
	expect_send(s, 1105, 1400, 5);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1280);
	assert_int_equal(res.unreach, 1);
	/* One for the retry, sent a timeout (rto_min) later: proof. */
	assert_int_equal(search_on_unreach(s, 5, 1110), 0);
	assert_int_equal(search_next(s, 1110, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_UNREACHABLE);
	assert_int_equal(res.told, 1);
	assert_int_equal(res.pmtu, 0);
	assert_int_equal(res.probes_sent, 5);
	assert_int_equal(res.too_big, 1);
	assert_int_equal(res.unreach, 2);
	assert_string_equal(search_state_name(res.state), "unreachable");
	search_free(s);

	/*
	 * An answer between two unreachables takes the first back: 1500 at
	 * 0 and its retry at 210 would be proof, but 68 answered at 210.
	 */
	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_unreach(s, 1, 10), 0);
	expect_wait(s, 10, 200);
	expect_send(s, 200, 68, 2);
	assert_int_equal(search_on_reply(s, 2, 210), 0);
	expect_send(s, 210, 1500, 3);
	assert_int_equal(search_on_unreach(s, 3, 220), 0);
	assert_false(search_done(s));
	expect_send(s, 310, 1500, 4);
	assert_int_equal(search_on_unreach(s, 4, 320), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_UNREACHABLE);
	assert_int_equal(res.told, 1);
	assert_int_equal(res.unreach, 3);
	search_free(s);
}

/* A path that never answers above 1300 and rarely at all: the search
 * stops at max_probes with the largest confirmed size. */
static void
test_max_probes(void **state)
{
	struct search_params	 sp;
	struct search		*s;
	struct search_probe	 pr;
	struct search_result	 r;
	uint64_t		 now = 0, wake = 0;
	int			 iter = 0;

	(void)state;
	memset(&sp, 0, sizeof(sp));
	sp.family = AF_INET;
	sp.local_mtu = 1500;
	sp.max_probes = 10;
	s = search_new(&sp);
	assert_non_null(s);
	while (iter++ < 1000) {
		enum search_step st = search_next(s, now, &pr, &wake);

		if (st == SEARCH_DONE)
			break;
		if (st == SEARCH_SEND) {
			if (pr.size <= 1300)
				search_on_reply(s, pr.token, now);
			continue;
		}
		now = wake;
	}
	search_result(s, &r);
	assert_int_equal(r.probes_sent, 10);
	assert_int_equal(r.incomplete, 1);
	assert_int_equal(r.state, SEARCH_OK);
	assert_true(r.pmtu >= 68 && r.pmtu <= 1300);
	assert_int_equal(r.blackhole, 0);
	search_free(s);
}

/*
 * Issue 12: a forger on a router sees the probes and sends a too-big
 * naming 600 (1280 for IPv6) for each, quoting it exactly, while the
 * probes go on to the destination.  The pmtu is the path's, not 600:
 * the forger cannot stop the answers, and they refute its claims.
 */
static void
test_forged_too_big(void **state)
{
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1400), .forge_mtu = 600 };
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .forge_mtu = 600 };
	struct path	mtu6 = { PATH(AF_INET6, 1500, 0, ICMP_MTU, 10,
			    1500, 1400), .forge_mtu = 1280 };
	struct path	zero = { PATH(AF_INET, 9000, 0, ICMP_ZERO, 10,
			    9000, 1400), .forge_mtu = 600 };
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400), .forge_mtu = 600 };
	struct path	low = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1400), .forge_mtu = 60 };
	struct path	min6 = { PATH(AF_INET6, 1280, 0, ICMP_MTU, 10, 1500),
			    .forge_mtu = 1000 };
	struct run	r;

	(void)state;
	/*
	 * The forged 600 for 1500 comes at 5, before the router's 1400:
	 * 600 answers, and 601, sent to settle that claim, answers too.
	 * The router's claim bounds the search then, and its 1400 is the
	 * next size; the forger's too-big for it (naming less than what
	 * answered: "1400 fails") is refuted by its answer at 35.  Too-bigs
	 * are in doubt now: 1401 settles the router's claim only after
	 * three tries unanswered for rto_min each.  (Before issue 12:
	 * pmtu 600, 2 probes.)
	 */
	simulate(&mtu, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	SIZES(&r, 1500, 600, 601, 1400, 1000, 1401, 1401, 1401);
	assert_int_equal(r.res.too_big_refuted, 3);
	assert_int_equal(r.res.too_big, 10);
	assert_int_equal(r.res.blackhole, 0);
	assert_int_equal(r.end, 335);
	/* No narrow link: 1500's own answer refutes the claim at once. */
	simulate(&clean, &r);
	assert_int_equal(r.res.pmtu, 1500);
	SIZES(&r, 1500, 600);
	assert_int_equal(r.res.too_big_refuted, 1);
	assert_int_equal(r.end, 10);
	simulate(&mtu6, &r);
	assert_int_equal(r.res.pmtu, 1400);
	assert_true(r.res.too_big_refuted >= 1);
	/* Routers naming nothing: every size the forger claims fails
	 * answers or gets the router's too-big. */
	simulate(&zero, &r);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.probes_sent, 23);
	assert_int_equal(r.res.too_big_refuted, 6);
	/* Too-bigs that name nothing usable, for every size down to the
	 * smallest (the reachability probe's too): still not unreachable. */
	simulate(&low, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	simulate(&min6, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1280);
	SIZES(&r, 1280);
	assert_int_equal(r.res.too_big_refuted, 1);
	/*
	 * A real black hole at 1400 behind the forger: the pmtu is right,
	 * but the forger's too-bigs for 1401 are what a router that
	 * speaks would send, so there is no black-hole verdict.
	 */
	simulate(&hole, &r);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 0);
	assert_true(r.res.too_big_refuted >= 1);
}

/*
 * The forger on a lossy path (25% each way; the forger loses nothing):
 * a claim stands when the answers that would refute it are lost, so
 * loss is the forger's ally.  Over the 50 seeds, never above the path's
 * 1400: 21 end at 1400, 10 at the forged 600 (its first claim, settled
 * by one probe at 601 whose answer was lost, before anything put
 * too-bigs in doubt), 19 in between.  (Over 1000 seeds: 35% exact, 24%
 * at 600; 41% at 600 without the doubt, i.e. with one probe always.)
 */
static void
test_forged_too_big_lossy(void **state)
{
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1400), .forge_mtu = 600 };
	struct run	r;
	unsigned	seed, exact = 0, forged = 0, unreach = 0;

	(void)state;
	mtu.loss_out = mtu.loss_back = 25;
	for (seed = 1; seed <= NSEEDS; seed++) {
		mtu.seed = seed;
		simulate(&mtu, &r);
		if (r.res.state == SEARCH_UNREACHABLE) {
			unreach++;
			continue;
		}
		assert_true(r.res.pmtu <= 1400);
		exact += r.res.pmtu == 1400;
		forged += r.res.pmtu == 600;
	}
	assert_int_equal(exact, 21);
	assert_int_equal(forged, 10);
	assert_int_equal(unreach, 0);
}

/*
 * The cost on honest paths: one probe more (at the too-big's MTU + 1)
 * and one timeout, never more, over the paths test_bisection_bounds
 * walks with routers that name the MTU.
 */
static void
test_too_big_cost(void **state)
{
	static const unsigned	 links[] = { 576, 1006, 1280, 1400, 1452,
				    1492, 1499 };
	static const unsigned	 locals[] = { 1500, 9000, 65535 };
	struct path		 p;
	struct run		 r;
	size_t			 i, j;
	unsigned		 extra;

	(void)state;
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
	for (j = 0; j < sizeof(locals) / sizeof(locals[0]); j++) {
		memset(&p, 0, sizeof(p));
		p.family = AF_INET;
		p.local_mtu = locals[j];
		p.hops[0] = 1500 < p.local_mtu ? 9000 : 1500;
		p.hops[1] = links[i];
		p.icmp = ICMP_MTU;
		p.rtt = 10;
		simulate(&p, &r);
		assert_int_equal(r.res.pmtu, links[i]);
		/*
		 * local, (9000,) the link, and the link + 1 unless that
		 * is the size the link's too-big came for: one probe more
		 * than before, or none.
		 */
		extra = links[i] + 1 < p.hops[0];
		assert_int_equal(r.res.probes_sent,
		    (p.hops[0] < locals[j]) + 2 + extra);
		if (extra)
			assert_int_equal(r.sizes[r.nsizes - 1], links[i] + 1);
		assert_int_equal(r.res.too_big_refuted, 0);
		/* Answers at 10 ms a size; then the timeout (rto_min) of
		 * the last probe, or of the one the too-big came for. */
		assert_int_equal(r.end, (r.nsizes - 2 + extra) * 10 + 100);
	}
}

/*
 * One unreachable, forged while the probe goes on, must not end the
 * search: the pmtu is exact.  (Before issue 12: unreachable after one
 * probe.)
 */
static void
test_forged_unreach(void **state)
{
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .forge_unreach = 1 };
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10,
			    1500, 1400), .forge_unreach = 1 };
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400), .forge_unreach = 1 };
	struct path	many = { PATH(AF_INET, 1500, 0, ICMP_MTU, 10, 1500),
			    .forge_unreach = 1000 };
	struct run	r;

	(void)state;
	simulate(&clean, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.unreach, 1);
	assert_int_equal(r.res.told, 0);
	SIZES(&r, 1500);
	simulate(&mtu, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	/* Black hole: as in test_black_hole, to the probe. */
	simulate(&hole, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.res.probes_sent, 31);
	assert_int_equal(r.end, 1890);
	/* One for every probe: each answer takes the last one back. */
	simulate(&many, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
}

/*
 * The destination goes away during the black hole's confirmation (at
 * 1500 ms), and a router says so for every probe sent from then on.  Unreachable once
 * two unreachables came for probes a timeout apart.
 */
static void
test_gone(void **state)
{
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400), .gone = 1, .gone_at = 1500 };
	struct run	r;

	(void)state;
	simulate(&hole, &r);
	assert_int_equal(r.res.state, SEARCH_UNREACHABLE);
	assert_int_equal(r.res.told, 1);
	assert_int_equal(r.res.pmtu, 0);
	assert_int_equal(r.res.blackhole, 0);
	/* Rounds at 1590 and 1690 (1401 and 1400 each) are answered
	 * unreachable: the two at 1600 went at one time, no proof; the
	 * next, 100 ms (rto_min) later, is. */
	assert_int_equal(r.end, 1700);
	assert_int_equal(r.res.unreach, 3);
	assert_int_equal(r.times[r.nsizes - 1], 1690);

	/*
	 * Gone without a word, from the first round on (1400 answered at
	 * 1390): 24 rounds with no reference at 1400 answered.  1400 rests
	 * on one answer above 1399 (the bisection's before it), so it is
	 * taken back, but 1399 does not answer either, three times:
	 * unreachable, and no answer counted as refuted.
	 */
	hole.gone = 2;
	hole.gone_at = 1385;
	simulate(&hole, &r);
	assert_int_equal(r.res.state, SEARCH_UNREACHABLE);
	assert_int_equal(r.res.told, 0);
	assert_int_equal(r.res.reply_refuted, 0);
	assert_int_equal(r.sizes[r.nsizes - 1], 1399);
	assert_int_equal(r.sizes[r.nsizes - 3], 1399);
	assert_int_equal(r.sizes[r.nsizes - 4], 1400);
}

/*
 * A real black hole at 1400; a forger on the path answers one probe at
 * 1401 (it has the cookie; nothing tells its answer from the real
 * one).  It was loss, the search goes on above 1401, and every size
 * there vanishes, every reference at 1401 too: the one answer is taken
 * back after the confirmation's rounds, and the black hole is found at
 * the true 1400.  (Before issue 12: unreachable, the 24 rounds'
 * references at 1401 all lost.)
 */
static void
test_forged_reply_black_hole(void **state)
{
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 10,
			    1500, 1400), .forge_reply_size = 1401,
			    .forge_reply_n = 1 };
	struct run	r;

	(void)state;
	/* The bisection's first 1401 is answered: 1402 fails three
	 * times, and 24 rounds of 1402 and a reference at 1401 vanish.
	 * Back to 1398, the largest size answered before, which answers
	 * again (the destination is there); 1399 and 1400 answer, and
	 * five rounds find the black hole. */
	simulate(&hole, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.res.reply_refuted, 1);
	assert_int_equal(r.res.silent_fail, 1401);
	assert_int_equal(r.last_rounds, 5);
	assert_int_equal(r.res.control_lost, 0);
	assert_int_equal(r.res.probes_sent, 81);
	assert_int_equal(r.end, 4305);
	/* The first confirmation round's 1401 answered instead: the
	 * bisection goes up from 1401, its refutation brings 1400 back
	 * and the black hole is found there. */
	hole.forge_reply_skip = 3;
	simulate(&hole, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1400);
	assert_int_equal(r.res.blackhole, 1);
	assert_int_equal(r.res.reply_refuted, 1);
	assert_int_equal(r.res.control_lost, 0);
	assert_int_equal(r.res.probes_sent, 100);
	assert_int_equal(r.end, 6105);
	/* An answer at 1401 every time cannot be told from a path that
	 * carries 1401: pmtu above 1400, no black hole at 1400. */
	hole.forge_reply_skip = 0;
	hole.forge_reply_n = 1000;
	simulate(&hole, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_true(r.res.pmtu > 1400);
}

/*
 * Issue 11: a hop-1 black hole (1500 local, 1400 beyond, silent) on a
 * slow path.  Once the first answer (the reachability probe's) shows a
 * timeout above rto_min, the common MTUs below 1500 go at once: 1400
 * answers and 1420 fails at its first loss; then 1401 to 1419 in one
 * round (12 at most: lo + 1 and a spread), and 1401's confirmation, its
 * rounds an RTT apart.  Within 1.5 s (the span) + 7 RTT and a little:
 * at RTT 0 the span is all the cost (1800 ms, as before), at RTT 50,
 * 150 and 300: 1750, 2000 and 3800 ms (sequentially 2350, 6750 and
 * 13500).  36 probes (31).
 */
static void
test_slow_black_hole(void **state)
{
	static const unsigned	 rtts[] = { 0, 50, 150, 300 };
	static const uint64_t	 mtu_end[] = { 100, 250, 750, 1200 };
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 0,
			    1500, 1400) };
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_NONE, 0, 1500) };
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 0,
			    1500, 1400) };
	struct run	r;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(rtts) / sizeof(rtts[0]); i++) {
		hole.rtt = clean.rtt = mtu.rtt = rtts[i];
		simulate(&hole, &r);
		assert_int_equal(r.res.state, SEARCH_OK);
		assert_int_equal(r.res.pmtu, 1400);
		assert_int_equal(r.res.blackhole, 1);
		assert_true(r.res.elapsed_ms <= EVIDENCE_SPAN_MS +
		    7 * rtts[i] + 300);
		assert_int_equal(r.res.probes_sent, i == 0 ? 31 : 36);
		/* A clean path: the first probe answers, done (beside the
		 * reachability probe, at 200 ms without an answer). */
		simulate(&clean, &r);
		assert_int_equal(r.res.pmtu, 1500);
		assert_int_equal(r.res.probes_sent, rtts[i] > 200 ? 2 : 1);
		assert_int_equal(r.end, rtts[i]);
		/* Too-bigs: no round, the times as before (the reachability probe
		 * goes at 200 ms when no too-big came by then). */
		simulate(&mtu, &r);
		assert_int_equal(r.res.pmtu, 1400);
		assert_int_equal(r.res.blackhole, 0);
		assert_true(r.res.probes_sent <= 4);
		assert_int_equal(r.end, mtu_end[i]);
	}
}

/*
 * The rounds on lossy slow paths (25% each way, 500 seeds, RTT 150 and
 * 300), where a size fails at one loss: no false verdict, none at
 * another size, and every search that ends OK ends at the path's MTU,
 * as sequentially (the same runs end unreachable: every probe lost
 * before the first answer).  The black hole is found in 455 runs of
 * 456 (one ends at 1400 without a verdict), 456 sequentially; after
 * 4.0 and 7.2 s on average (13.1 and 25.5 s sequentially), about 61
 * probes a search as before.  The clean path takes 11 probes where it
 * took 5 (the first 1500 lost, a round goes).
 */
static void
test_slow_loss(void **state)
{
	struct path	clean = { PATH(AF_INET, 1500, 0, ICMP_MTU, 0, 1500) };
	struct path	mtu = { PATH(AF_INET, 1500, 0, ICMP_MTU, 0,
			    1500, 1400) };
	struct path	zero = { PATH(AF_INET, 1500, 0, ICMP_ZERO, 0,
			    1500, 1400) };
	struct path	hole = { PATH(AF_INET, 1500, 0, ICMP_NONE, 0,
			    1500, 1400) };
	struct path	*paths[] = { &clean, &mtu, &zero, &hole };
	static const unsigned	 ok[2][4] = { { 494, 489, 481, 456 },
				    { 494, 489, 483, 456 } };
	struct tally	t;
	size_t		i, j;

	(void)state;
	for (i = 0; i < 2; i++)
	for (j = 0; j < 4; j++) {
		paths[j]->rtt = i ? 300 : 150;
		lossy(paths[j], 25, 25, 500, &t);
		assert_int_equal(t.ok, ok[i][j]);
		assert_int_equal(t.exact, t.ok);
		assert_int_equal(t.wrong, 0);
		if (paths[j] != &hole)
			assert_int_equal(t.blackhole, 0);
		else
			assert_int_equal(t.found, 455);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_probes),
		cmocka_unit_test(test_clean_1500),
		cmocka_unit_test(test_pppoe_1492),
		cmocka_unit_test(test_flets_1454),
		cmocka_unit_test(test_too_big_mtu_zero),
		cmocka_unit_test(test_too_big_zero_jumbo),
		cmocka_unit_test(test_black_hole),
		cmocka_unit_test(test_black_hole_many_tries),
		cmocka_unit_test(test_jumbo_9000),
		cmocka_unit_test(test_ip_max),
		cmocka_unit_test(test_v6_min),
		cmocka_unit_test(test_v6_min_mtu_zero),
		cmocka_unit_test(test_local_is_min),
		cmocka_unit_test(test_first_probe_lost),
		cmocka_unit_test(test_all_lost),
		cmocka_unit_test(test_unreach),
		cmocka_unit_test(test_emsgsize),
		cmocka_unit_test(test_send_error),
		cmocka_unit_test(test_forged_mtu_ignored),
		cmocka_unit_test(test_bisection_bounds),
		cmocka_unit_test(test_late_reply),
		cmocka_unit_test(test_late_reply_reopens),
		cmocka_unit_test(test_unknown_token),
		cmocka_unit_test(test_too_big_checks),
		cmocka_unit_test(test_late_too_big),
		cmocka_unit_test(test_warm_answer_measures),
		cmocka_unit_test(test_too_big_refuted_manual),
		cmocka_unit_test(test_emsgsize_manual),
		cmocka_unit_test(test_rto),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_unreach_manual),
		cmocka_unit_test(test_confirm_steps),
		cmocka_unit_test(test_confirm_control_lost),
		cmocka_unit_test(test_confirm_refuted_manual),
		cmocka_unit_test(test_confirm_too_big_manual),
		cmocka_unit_test(test_confirm_rounds_exhausted),
		cmocka_unit_test(test_blackhole_found),
		cmocka_unit_test(test_blackhole_min_lost),
		cmocka_unit_test(test_icmp_works),
		cmocka_unit_test(test_random_loss),
		cmocka_unit_test(test_random_loss_black_hole),
		cmocka_unit_test(test_random_loss_2000),
		cmocka_unit_test(test_heavy_loss),
		cmocka_unit_test(test_too_big_rate_limited),
		cmocka_unit_test(test_echo_rate_limited),
		cmocka_unit_test(test_confirm_refuted),
		cmocka_unit_test(test_confirm_too_big),
		cmocka_unit_test(test_late_first_answer),
		cmocka_unit_test(test_rtt_rises),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_forged_too_big),
		cmocka_unit_test(test_too_big_cost),
		cmocka_unit_test(test_forged_too_big_lossy),
		cmocka_unit_test(test_forged_unreach),
		cmocka_unit_test(test_forged_reply_black_hole),
		cmocka_unit_test(test_gone),
		cmocka_unit_test(test_slow_black_hole),
		cmocka_unit_test(test_slow_loss),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
