/* Unit tests for lib/search.c, driven by a scripted fake network. */
#include <sys/socket.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "search.h"

#define MAXSTEPS	200	/* every scripted search ends well before */
#define MAXPROBES	128
#define MAXEVENTS	64

enum icmp_mode {
	ICMP_MTU,	/* routers send too-big with the right MTU */
	ICMP_ZERO,	/* too-big with MTU 0 (old routers) */
	ICMP_NONE,	/* black hole: big packets vanish */
	ICMP_WRONG,	/* too-big naming an MTU >= the probe size */
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
};

struct run {
	struct search_result res;
	unsigned	 sizes[MAXPROBES];	/* in send order */
	unsigned	 nsizes;
	unsigned	 steps;
	int		 late;		/* answers it called unknown */
	/* What the search has been told, to check it never probes a
	 * size it already knows the answer for. */
	unsigned	 confirmed;
	unsigned	 icmp_hi;
};

struct sim {
	const struct path *p;
	struct event	 ev[MAXEVENTS];
	size_t		 nev;
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

/* Where does a probe of this size die, and what does the sender hear? */
static void
transmit(struct sim *sim, const struct search_probe *pr, unsigned n,
    uint64_t now)
{
	const struct path	*p = sim->p;
	struct event		 e = { now + p->rtt, EV_REPLY, pr->token, 0,
				    pr->size };
	size_t			 i;

	if (p->drop_all || (n <= 64 && (p->drop >> (n - 1) & 1)))
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
		push(sim, &e);
		return;
	}
	if (p->unreach)
		e.kind = EV_UNREACH;
	push(sim, &e);
}

static void
deliver(struct search *s, struct run *run, const struct event *e)
{
	int	rv = -1;

	switch (e->kind) {
	case EV_REPLY:
		rv = search_on_reply(s, e->token, e->at);
		if (rv == 0 && e->size > run->confirmed)
			run->confirmed = e->size;
		break;
	case EV_TOO_BIG:
		rv = search_on_too_big(s, e->token, e->mtu, e->at);
		if (rv == 0 && e->size < run->icmp_hi)
			run->icmp_hi = e->size;
		break;
	case EV_UNREACH:
		rv = search_on_unreach(s, e->token, e->at);
		break;
	}
	if (rv != 0)
		run->late++;
}

static void
check_probe(const struct path *p, struct run *run, unsigned size,
    unsigned min, unsigned tries)
{
	unsigned	i, same = 0;

	assert_true(size >= min && size <= p->local_mtu);
	/* Never below or at a confirmed size, never at a size ICMP (or
	 * sendto) rejected, never more than max_tries times one size. */
	assert_true(size > run->confirmed);
	assert_true(size < run->icmp_hi);
	for (i = 0; i < run->nsizes; i++)
		same += run->sizes[i] == size;
	assert_true(same < tries);
}

static void
sent(struct sim *sim, struct search *s, struct run *run,
    const struct search_probe *pr, uint64_t now)
{
	const struct path	*p = sim->p;
	unsigned		 min = p->family == AF_INET6 ? 1280 : 68;

	check_probe(p, run, pr->size, min, p->max_tries ? p->max_tries : 3);
	assert_true(run->nsizes < MAXPROBES);
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

/* The event loop a daemon would run, against the scripted path. */
static void
simulate(const struct path *p, struct run *run)
{
	struct search_params	 sp = { .family = p->family,
				    .local_mtu = p->local_mtu,
				    .max_tries = p->max_tries };
	struct sim		 sim = { .p = p };
	struct search		*s;
	struct search_probe	 pr;
	uint64_t		 now = 0, wake = 0;
	enum search_step	 step;

	memset(run, 0, sizeof(*run));
	run->icmp_hi = p->local_mtu + 1;
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
	search_result(s, &run->res);
	assert_int_equal(run->res.probes_sent, run->nsizes);
	/* Finished means finished: nothing more to send. */
	assert_int_equal(search_next(s, now + 100000, &pr, &wake),
	    SEARCH_DONE);
	search_free(s);
}

static void
assert_sizes(const struct run *run, const unsigned *want, unsigned n)
{
	unsigned	i;

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
	assert_int_equal(r.res.probes_sent, 2);
	assert_int_equal(r.res.too_big, 1);
	SIZES(&r, 1500, 1492);
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
	assert_int_equal(r.res.probes_sent, 3);
	assert_int_equal(r.res.too_big, 2);
	SIZES(&r, 1500, 1492, 1454);
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
	/* 1500 lost once brings the control probe at 68 along. */
	SIZES(&r, 1500, 1500, 68, 1500, 784, 1142, 1321, 1410, 1410, 1410,
	    1365, 1387, 1398, 1404, 1404, 1404, 1401, 1401, 1401, 1399, 1400);
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
	unsigned	i, fails = 0;

	(void)state;
	simulate(&p, &r);
	assert_int_equal(r.res.state, SEARCH_OK);
	assert_int_equal(r.res.pmtu, 1500);
	assert_int_equal(r.res.silent_fail, 1501);
	for (i = 0; i < r.nsizes; i++)
		fails += r.sizes[i] > 1500;
	assert_true(fails > 64);
	assert_int_equal(fails % 7, 0);
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
	SIZES(&r, 9000, 1500);
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
	SIZES(&r, 1500, 1280);
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
	/* Plateau 1006 is below the IPv6 minimum: control probe instead. */
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
	/* The first size is the control size: no duplicate control. */
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
	SIZES(&r, 1500, 1500, 68);
	assert_int_equal(r.res.silent_fail, 0);
	/* The control's answer came after the search had finished. */
	assert_int_equal(r.late, 1);
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
	SIZES(&r, 1500, 1500, 68, 1500, 68, 68);
	assert_int_equal(r.res.silent_fail, 1500);
	assert_int_equal(r.res.srtt_ms, 0);
	simulate(&p2, &r);
	assert_int_equal(r.res.state, SEARCH_UNREACHABLE);
	SIZES(&r, 9000, 9000, 1280, 1280);
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
	assert_int_equal(r.res.pmtu, 0);
	assert_int_equal(r.res.probes_sent, 1);
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
		if (p.drop == 0 && links[i] <= p.hops[0]) {
			assert_int_equal(r.res.state, SEARCH_OK);
			assert_int_equal(r.res.pmtu, links[i]);
		} else if (r.res.state == SEARCH_OK)
			assert_true(r.res.pmtu <= links[i] &&
			    r.res.pmtu <= p.hops[0]);
		/* Every answer in time: none can come late. */
		if (p.drop == 0)
			assert_int_equal(r.late, 0);
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
	expect_wait(s, 0, 1000);
	expect_wait(s, 999, 1000);
	expect_send(s, 1000, 1500, 2);
	expect_send(s, 1000, 68, 3);
	expect_wait(s, 1000, 2000);
	assert_int_equal(search_on_reply(s, 3, 1010), 0);
	search_result(s, &res);
	assert_int_equal(res.pmtu, 68);	/* best so far */
	assert_int_equal(res.srtt_ms, 10);
	expect_wait(s, 1010, 2000);
	expect_send(s, 2000, 1500, 4);
	expect_wait(s, 2000, 2100);		/* rto now rto_min */
	expect_send(s, 2100, 784, 5);		/* 1500 failed */
	search_result(s, &res);
	assert_int_equal(res.silent_fail, 1500);
	/* The very first 1500 was only slow: it counts, and beats the
	 * timeouts; 784 then tells nothing and is forgotten. */
	assert_int_equal(search_on_reply(s, 1, 2150), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1500);
	assert_int_equal(res.silent_fail, 0);
	assert_int_equal(res.probes_sent, 5);
	assert_int_equal(res.srtt_ms, (7 * 10 + 2150) / 8);
	assert_int_equal(search_on_reply(s, 5, 2160), -1);
	assert_int_equal(search_on_reply(s, 4, 2160), -1);
	search_free(s);
}

static void
test_late_reply_reopens(void **state)
{
	struct search		*s = manual(AF_INET, 1500);
	struct search_result	 res;

	(void)state;
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 1400, 5), 0);
	expect_send(s, 5, 1400, 2);
	assert_int_equal(search_on_reply(s, 2, 15), 0);	/* rto 100 */
	/* Done: 1400 is the ICMP bound. Start over for a silent case. */
	assert_true(search_done(s));
	search_free(s);

	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	/* mtu 0: 1492 next */
	assert_int_equal(search_on_too_big(s, 1, 0, 5), 0);
	expect_send(s, 5, 1492, 2);
	expect_send(s, 1005, 1492, 3);	/* lost once; control follows */
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
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_OK);
	assert_int_equal(res.pmtu, 1494);
	assert_int_equal(res.too_big, 2);
	assert_int_equal(res.probes_sent, 8);
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
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1497);
	assert_int_equal(res.probes_sent, 6);
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
	expect_wait(s, 1, 1000);
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

	(void)state;
	expect_send(s, 0, 1500, 1);
	expect_send(s, 1000, 1500, 2);
	expect_send(s, 1000, 68, 3);
	assert_int_equal(search_on_too_big(s, 1, 1400, 1005), 0);
	expect_send(s, 1005, 1400, 4);
	/* 1500 is known too big: its retry is forgotten, not waited on. */
	assert_int_equal(search_on_reply(s, 2, 1006), -1);
	assert_int_equal(search_on_too_big(s, 2, 1400, 1006), -1);
	expect_wait(s, 1005, 2000);		/* the control */
	assert_int_equal(search_on_reply(s, 3, 1010), 0);
	expect_wait(s, 1010, 2005);		/* 1400 */
	assert_int_equal(search_on_reply(s, 4, 1015), 0);
	assert_true(search_done(s));
	search_result(s, &res);
	assert_int_equal(res.pmtu, 1400);
	assert_int_equal(res.too_big, 1);
	assert_int_equal(res.silent_fail, 0);
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
	expect_wait(s, 0, 1000);			/* rto_init */
	assert_int_equal(search_on_too_big(s, 1, 0, 10), 0);
	expect_send(s, 10, 1492, 2);
	expect_wait(s, 10, 1010);	/* too-big is not an RTT sample */
	assert_int_equal(search_on_reply(s, 2, 910), 0);
	/* srtt 900, rttvar 450: rto 2700, more than the initial 1000. */
	expect_send(s, 910, 1496, 3);
	expect_wait(s, 910, 910 + 2700);
	assert_int_equal(search_on_too_big(s, 3, 0, 1210), 0);
	expect_send(s, 1210, 1494, 4);		/* bisecting 1492..1496 */
	expect_wait(s, 1210, 1210 + 2700);
	assert_int_equal(search_on_reply(s, 4, 1510), 0);
	/* sample 300: rttvar (3*450+600)/4 = 487, srtt (7*900+300)/8 = 825 */
	search_result(s, &res);
	assert_int_equal(res.srtt_ms, 825);
	expect_send(s, 1510, 1495, 5);
	expect_wait(s, 1510, 1510 + 825 + 4 * 487);
	search_free(s);

	/* Fast paths hit rto_min, slow ones rto_max. */
	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 0, 1), 0);
	expect_send(s, 1, 1492, 2);
	assert_int_equal(search_on_reply(s, 2, 3), 0);
	expect_send(s, 3, 1496, 3);
	expect_wait(s, 3, 103);
	search_free(s);

	s = manual(AF_INET, 1500);
	expect_send(s, 0, 1500, 1);
	assert_int_equal(search_on_too_big(s, 1, 0, 1), 0);
	expect_send(s, 1, 1492, 2);
	assert_int_equal(search_on_reply(s, 2, 2501), 0);
	expect_send(s, 2501, 1496, 3);
	expect_wait(s, 2501, 2501 + 3000);
	search_free(s);

	/* A steady RTT shrinks rttvar, but rto stays >= 2 * srtt. */
	s = manual(AF_INET, 9000);
	expect_send(s, 0, 9000, 1);
	assert_int_equal(search_on_too_big(s, 1, 0, 0), 0);
	expect_send(s, 0, 8166, 2);
	assert_int_equal(search_on_reply(s, 2, 400), 0);
	expect_send(s, 400, 8583, 3);
	expect_wait(s, 400, 400 + 1200);	/* 400 + 4 * 200 */
	assert_int_equal(search_on_reply(s, 3, 800), 0);
	expect_send(s, 800, 8791, 4);
	expect_wait(s, 800, 800 + 1000);	/* 400 + 4 * 150 */
	assert_int_equal(search_on_reply(s, 4, 1200), 0);
	expect_send(s, 1200, 8895, 5);
	expect_wait(s, 1200, 1200 + 848);	/* 400 + 4 * 112 */
	assert_int_equal(search_on_reply(s, 5, 1600), 0);
	expect_send(s, 1600, 8947, 6);
	expect_wait(s, 1600, 1600 + 800);	/* not 400 + 4 * 84 */
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
	expect_send(s, 50, 576, 2);	/* one try only: control at 576 */
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
	assert_int_equal(search_on_unreach(s, 3, 1020), 0);
	assert_int_equal(search_next(s, 1020, &pr, &wake), SEARCH_DONE);
	search_result(s, &res);
	assert_int_equal(res.state, SEARCH_UNREACHABLE);
	assert_int_equal(res.pmtu, 0);
	assert_int_equal(res.probes_sent, 4);
	assert_int_equal(res.too_big, 1);
	assert_string_equal(search_state_name(res.state), "unreachable");
	search_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test(test_emsgsize_manual),
		cmocka_unit_test(test_rto),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_unreach_manual),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
