/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for daemon/job.c without root or namespaces: the .c is
 * built in here and its neighbours are stubbed.  A fake prober answers
 * from a simulated path (hops, link MTUs, routers that never send
 * "too big", destinations that ignore echo) through the real event
 * loop, so every phase runs as in the daemon: route, search, UDP
 * fallback, restart on a smaller interface MTU, walk, TCP check.
 */
#include "../../daemon/job.c"
#include "../../daemon/clock.c"

#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#define LOOP_MAX_MS	20000	/* bound on any loop run */
#define ANSWER_US	100	/* a fast path */
#define PATH_MAXHOPS	8

/* --- the simulated path -------------------------------------------- */

/*
 * Hop 0 is this host, hops 1..nrouters are routers, hop nrouters + 1 is
 * the destination.  link_mtu[k] is the link from hop k to hop k + 1.
 */
struct fake_path {
	unsigned	 nrouters;
	unsigned	 link_mtu[PATH_MAXHOPS];
	int		 silent[PATH_MAXHOPS];	/* no "too big" from hop k */
	int		 no_te[PATH_MAXHOPS];	/* no "time exceeded" */
	int		 echo;		/* destination answers echo */
	int		 udp;		/* ... and UDP (port unreachable) */
	unsigned	 if_mtu;	/* the interface refuses above this */
	/* Hop gone_at (> 0) says "unreachable" for every probe that gets
	 * there (the destination went away); hop 1 also says so for the
	 * first forged_unreach probes, which go on (a forger). */
	unsigned	 gone_at;
	unsigned	 forged_unreach;
	int		 loop_at;	/* hop that says "time exceeded" */
	unsigned	 dest_one_in;	/* > 1: the destination's answers
					   but every n-th are lost */
	unsigned	 dest_arrivals;
	unsigned	 route_mtu[2];	/* route look-ups: first, then */
	int		 route_err;
	int		 has_v4;
	unsigned	 lookups;
	unsigned	 flow_lookups;
	unsigned	 sent;
	unsigned	 sent_udp;
	unsigned	 size_min;	/* of the probes sent */
	unsigned	 size_max;
};

static struct fake_path path;

struct answer {
	struct answer		*next;
	uint32_t		 slot;
	void			*owner;
	unsigned		 token;
	prober_answer_cb	 cb;
	struct pkt_reply	 r;
	struct event		*ev;
};

static struct answer	*answers;
static uint32_t		 next_slot;
static struct event_base *test_base;

static void
hop_addr(unsigned hop, struct addr *a)
{
	char	 s[32];

	if (hop == path.nrouters + 1)
		snprintf(s, sizeof(s), "198.18.200.2");
	else
		snprintf(s, sizeof(s), "198.18.%u.1", hop);
	assert_int_equal(addr_parse(a, s), 0);
}

static void
answer_unlink(struct answer *a)
{
	struct answer	**p;

	for (p = &answers; *p != NULL; p = &(*p)->next)
		if (*p == a) {
			*p = a->next;
			break;
		}
	event_free(a->ev);
	free(a);
}

static void
answer_due_cb(evutil_socket_t fd, short events, void *arg)
{
	struct answer	*a = arg;
	struct pkt_reply r = a->r;
	void		*owner = a->owner;
	unsigned	 token = a->token;
	prober_answer_cb cb = a->cb;

	(void)fd;
	(void)events;
	answer_unlink(a);
	cb(owner, token, &r);
}

static void
answer_later(void *owner, unsigned token, prober_answer_cb cb,
    uint32_t slot, enum pkt_kind kind, unsigned from_hop, unsigned mtu)
{
	struct answer	*a;
	struct timeval	 tv = { 0, ANSWER_US };

	a = calloc(1, sizeof(*a));
	assert_non_null(a);
	a->slot = slot;
	a->owner = owner;
	a->token = token;
	a->cb = cb;
	a->r.kind = kind;
	a->r.family = AF_INET;
	a->r.mtu = mtu;
	if (kind == PKT_UNREACH) {
		a->r.type = 3;
		a->r.code = 1;		/* host unreachable */
	} else if (kind == PKT_TIME_EXCEEDED)
		a->r.type = 11;
	hop_addr(from_hop, &a->r.from);
	a->ev = evtimer_new(test_base, answer_due_cb, a);
	assert_non_null(a->ev);
	evtimer_add(a->ev, &tv);
	a->next = answers;
	answers = a;
}

/* --- stubs of the job's neighbours --------------------------------- */

int
prober_has_family(const struct prober *p, int family)
{
	(void)p;
	return family == AF_INET && path.has_v4;
}

void
prober_flow(const struct prober *p, unsigned n, struct flow *f)
{
	(void)p;
	memset(f, 0, sizeof(*f));
	f->index = n;
}

int
prober_send(struct prober *p, enum pkt_proto proto, const struct flow *f,
    const struct addr *src, const struct addr *dst, unsigned size, int ttl,
    void *owner, unsigned token, prober_answer_cb cb, uint32_t *slot)
{
	unsigned	 k, dest = path.nrouters + 1;

	(void)p;
	(void)f;
	(void)src;
	(void)dst;
	if (size > path.if_mtu)
		return EMSGSIZE;
	*slot = ++next_slot;
	path.sent++;
	if (path.size_min == 0 || size < path.size_min)
		path.size_min = size;
	if (size > path.size_max)
		path.size_max = size;
	if (proto == PKT_UDP)
		path.sent_udp++;
	if (path.forged_unreach > 0) {
		path.forged_unreach--;
		answer_later(owner, token, cb, *slot, PKT_UNREACH, 1, 0);
	}
	for (k = 1; k <= dest; k++) {
		if ((unsigned)path.gone_at == k) {
			answer_later(owner, token, cb, *slot, PKT_UNREACH, k,
			    0);
			return 0;
		}
		if ((unsigned)path.loop_at == k) {
			answer_later(owner, token, cb, *slot,
			    PKT_TIME_EXCEEDED, k, 0);
			return 0;
		}
		/* Crossing the link from hop k - 1 into hop k. */
		if (size > path.link_mtu[k - 1]) {
			if (!path.silent[k - 1])
				answer_later(owner, token, cb, *slot,
				    PKT_TOO_BIG, k - 1, path.link_mtu[k - 1]);
			return 0;
		}
		if (k == dest) {
			if (path.dest_one_in > 1 &&
			    ++path.dest_arrivals % path.dest_one_in != 0)
				return 0;
			if (proto == PKT_ICMP && path.echo)
				answer_later(owner, token, cb, *slot,
				    PKT_ECHO_REPLY, k, 0);
			else if (proto == PKT_UDP && path.udp)
				answer_later(owner, token, cb, *slot,
				    PKT_PORT_UNREACH, k, 0);
			return 0;
		}
		if (ttl > 0 && (unsigned)ttl == k) {
			if (!path.no_te[k])
				answer_later(owner, token, cb, *slot,
				    PKT_TIME_EXCEEDED, k, 0);
			return 0;
		}
	}
	return 0;
}

void
prober_forget(struct prober *p, uint32_t slot, void *owner)
{
	struct answer	*a, *next;

	(void)p;
	for (a = answers; a != NULL; a = next) {
		next = a->next;
		if (a->slot == slot && a->owner == owner)
			answer_unlink(a);
	}
}

static int
route_answer(struct route *r, const struct addr *dst, struct route_info *ri)
{
	(void)r;
	(void)dst;
	if (path.route_err != 0)
		return path.route_err;
	memset(ri, 0, sizeof(*ri));
	hop_addr(0, &ri->src);
	ri->mtu = path.route_mtu[path.lookups == 0 ? 0 : 1];
	snprintf(ri->ifname, sizeof(ri->ifname), "veth0");
	path.lookups++;
	return 0;
}

/* Every look-up the job makes is one for its flow. */
int
route_lookup_flow(struct route *r, const struct addr *dst,
    enum pkt_proto proto, uint16_t sport, uint16_t dport, uint32_t label,
    struct route_info *ri)
{
	(void)proto;
	(void)sport;
	(void)dport;
	(void)label;
	path.flow_lookups++;
	return route_answer(r, dst, ri);
}

/* The TCP check: the peer advertises tcp_peer_mss after a short wait. */
static unsigned		 tcp_peer_mss;
static unsigned		 tcp_started;

struct tcpcheck_req {
	struct event	*ev;
	tcpcheck_cb	 cb;
	void		*arg;
};

static void
tcp_due_cb(evutil_socket_t fd, short events, void *arg)
{
	struct tcpcheck_req	*q = arg;
	struct tcpcheck_result f;
	tcpcheck_cb		 cb = q->cb;
	void			*cbarg = q->arg;

	(void)fd;
	(void)events;
	memset(&f, 0, sizeof(f));
	f.peer_mss = tcp_peer_mss;
	f.tcp_mss = tcp_peer_mss;
	event_free(q->ev);
	free(q);
	cb(&f, cbarg);
}

struct tcpcheck_req *
tcpcheck_start(struct tcpcheck *tc, const struct addr *dst, unsigned port,
    unsigned timeout_ms, tcpcheck_cb cb, void *arg)
{
	struct tcpcheck_req	*q;
	struct timeval		 tv = { 0, 1000 };

	(void)tc;
	(void)dst;
	(void)timeout_ms;
	assert_int_equal(port, 8443);
	tcp_started++;
	q = calloc(1, sizeof(*q));
	assert_non_null(q);
	q->cb = cb;
	q->arg = arg;
	q->ev = evtimer_new(test_base, tcp_due_cb, q);
	evtimer_add(q->ev, &tv);
	return q;
}

void
tcpcheck_cancel(struct tcpcheck_req *q)
{
	if (q == NULL)
		return;
	event_free(q->ev);
	free(q);
}

/* --- harness ------------------------------------------------------- */

struct ctx {
	struct pmtud	 env;
	int		 calls;
	struct result	 res;
};

static void
done_cb(const struct result *res, void *arg)
{
	struct ctx	*c = arg;

	c->calls++;
	result_clear(&c->res);
	assert_int_equal(result_copy(&c->res, res), 0);
	event_base_loopbreak(c->env.base);
}

/* A clean path of n routers, every link 1500. */
static void
path_reset(unsigned nrouters)
{
	unsigned	 k;

	memset(&path, 0, sizeof(path));
	path.nrouters = nrouters;
	for (k = 0; k <= nrouters; k++)
		path.link_mtu[k] = 1500;
	path.echo = path.udp = path.has_v4 = 1;
	path.if_mtu = path.route_mtu[0] = path.route_mtu[1] = 1500;
}

static int
setup(void **state)
{
	struct ctx	*c;

	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->env.base = test_base = event_base_new();
	assert_non_null(c->env.base);
	c->env.budget = budget_new(100000);
	assert_non_null(c->env.budget);
	result_init(&c->res, "");
	path_reset(3);
	tcp_peer_mss = 0;
	tcp_started = 0;
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	assert_null(answers);		/* every probe forgotten */
	result_clear(&c->res);
	budget_free(c->env.budget);
	event_base_free(c->env.base);
	free(c);
	return 0;
}

static void
run_params(struct ctx *c, const struct job_params *jp)
{
	struct timeval		 tv = { LOOP_MAX_MS / 1000, 0 };
	struct job		*j;

	j = job_start(&c->env, jp, done_cb, c);
	assert_non_null(j);
	assert_int_equal(c->calls, 0);	/* never from inside job_start() */
	event_base_loopexit(c->env.base, &tv);
	assert_int_not_equal(event_base_dispatch(c->env.base), -1);
	assert_int_equal(c->calls, 1);
}

static void
job_params_init(struct job_params *jp, enum method method, int walk)
{
	memset(jp, 0, sizeof(*jp));
	hop_addr(path.nrouters + 1, &jp->address);
	jp->method = method;
	jp->walk = walk;
	jp->urgent = 1;
	if (method == METHOD_TCP)
		jp->port = 8443;
}

static void
run_job(struct ctx *c, enum method method, int walk)
{
	struct job_params	 jp;

	job_params_init(&jp, method, walk);
	run_params(c, &jp);
}

/* --- tests --------------------------------------------------------- */

static void
test_clean_path(void **state)
{
	struct ctx	*c = *state;

	run_job(c, METHOD_AUTO, 0);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1500);
	assert_int_equal(c->res.local_mtu, 1500);
	assert_int_equal(c->res.method, METHOD_ICMP);
	assert_string_equal(c->res.destination, "198.18.200.2");
	assert_int_equal(c->res.walked, 0);
	assert_int_equal(c->res.probes_sent, path.sent);
	assert_int_equal(path.sent_udp, 0);
	assert_false(c->res.blackhole.found);
}

static void
test_too_big_and_walk(void **state)
{
	struct ctx	*c = *state;
	struct addr	 hop2;

	path.link_mtu[2] = 1420;	/* from hop 2 into hop 3 */
	run_job(c, METHOD_ICMP, 1);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1420);
	assert_int_equal(c->res.walked, 1);
	assert_int_equal(c->res.nhops, 4);
	assert_int_equal(c->res.hops[0].mtu, 1500);
	assert_int_equal(c->res.hops[1].mtu, 1500);
	assert_int_equal(c->res.hops[2].mtu, 1420);
	assert_int_equal(c->res.hops[3].mtu, 1420);
	hop_addr(2, &hop2);
	assert_true(addr_eq(&c->res.hops[1].address, &hop2));
	assert_int_equal(c->res.probes_sent, path.sent);
}

static void
test_blackhole_located(void **state)
{
	struct ctx	*c = *state;
	struct addr	 hop1;

	path.link_mtu[1] = 1400;	/* hop 1 cannot forward big ones */
	path.silent[1] = 1;		/* ... and never says so */
	run_job(c, METHOD_AUTO, 1);
	assert_int_equal(c->res.state, RESULT_BLACKHOLE);
	assert_int_equal(c->res.pmtu, 1400);
	assert_true(c->res.blackhole.found);
	assert_int_equal(c->res.blackhole.lost_size, 1401);
	assert_int_equal(c->res.blackhole.hop, 1);
	hop_addr(1, &hop1);
	assert_true(addr_eq(&c->res.blackhole.address, &hop1));
	assert_true(c->res.blackhole.lost >= 1);
}

/*
 * Two answers in three lost: the search sees its references lost, so
 * the walk asks each hop more often and finds the destination at its
 * own TTL, not one beyond after a silent hop (or none, after five).
 */
static void
test_lossy_walk(void **state)
{
	struct ctx	*c = *state;
	struct addr	 dest;

	path.dest_one_in = 3;
	run_job(c, METHOD_ICMP, 1);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1500);
	assert_int_equal(c->res.nhops, path.nrouters + 1);
	hop_addr(path.nrouters + 1, &dest);
	assert_true(addr_eq(&c->res.hops[path.nrouters].address, &dest));
	assert_int_equal(c->res.hops[path.nrouters].mtu, 1500);
}

/* Six silent routers in a row: the walk goes on to the destination. */
static void
test_silent_routers_walked(void **state)
{
	struct ctx	*c = *state;
	struct addr	 a;
	unsigned	 k;

	path_reset(7);
	for (k = 2; k <= 7; k++)
		path.no_te[k] = 1;
	run_job(c, METHOD_ICMP, 1);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.nhops, 8);
	hop_addr(1, &a);
	assert_true(addr_eq(&c->res.hops[0].address, &a));
	for (k = 1; k < 7; k++)
		assert_false(addr_isset(&c->res.hops[k].address));
	hop_addr(8, &a);
	assert_true(addr_eq(&c->res.hops[7].address, &a));
	assert_int_equal(c->res.hops[7].mtu, 1500);
}

static void
test_udp_fallback(void **state)
{
	struct ctx	*c = *state;

	path.echo = 0;
	path.link_mtu[1] = 1480;
	run_job(c, METHOD_AUTO, 0);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.method, METHOD_UDP);
	assert_int_equal(c->res.pmtu, 1480);
	assert_true(path.sent_udp > 0);
	assert_true(path.sent > path.sent_udp);	/* echo was tried first */
	assert_int_equal(c->res.probes_sent, path.sent);
}

static void
test_icmp_only_no_fallback(void **state)
{
	struct ctx	*c = *state;

	path.echo = 0;
	run_job(c, METHOD_ICMP, 0);
	assert_int_equal(c->res.state, RESULT_UNREACHABLE);
	assert_int_equal(path.sent_udp, 0);
	assert_string_equal(c->res.error, "no answer to any probe");
	assert_int_equal(c->res.pmtu, 0);
}

static void
test_no_route(void **state)
{
	struct ctx	*c = *state;

	path.route_err = ENETUNREACH;
	run_job(c, METHOD_AUTO, 1);
	assert_int_equal(c->res.state, RESULT_UNREACHABLE);
	assert_non_null(strstr(c->res.error, "no route"));
	assert_int_equal(path.sent, 0);
}

static void
test_family_unavailable(void **state)
{
	struct ctx	*c = *state;

	path.has_v4 = 0;
	run_job(c, METHOD_AUTO, 1);
	assert_int_equal(c->res.state, RESULT_ERROR);
	assert_string_equal(c->res.error, "IPv4 probing is not available");
	assert_int_equal(path.sent, 0);
}

static void
test_interface_mtu_drops(void **state)
{
	struct ctx	*c = *state;

	/* The route said 1500, but the interface now refuses above 1400. */
	path.if_mtu = 1400;
	path.route_mtu[1] = 1400;
	run_job(c, METHOD_ICMP, 0);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1400);
	assert_int_equal(c->res.local_mtu, 1400);
	/* Each look-up asks for the flow, and only for it. */
	assert_int_equal(path.flow_lookups, 2);
	assert_int_equal(path.lookups, 2);
}

static void
test_tcp_check(void **state)
{
	struct ctx	*c = *state;

	c->env.tcpcheck = (struct tcpcheck *)&path;	/* any non-NULL */
	path.link_mtu[1] = 1400;
	tcp_peer_mss = 1300;
	run_job(c, METHOD_TCP, 0);
	assert_int_equal(tcp_started, 1);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1400);
	assert_true(c->res.tcp.checked);
	assert_int_equal(c->res.tcp.port, 8443);
	assert_int_equal(c->res.tcp.peer_mss, 1300);
	assert_int_equal(c->res.tcp.mss_allowed, 1360);
	assert_true(c->res.tcp.clamped);
}

static void
test_tcp_unavailable(void **state)
{
	struct ctx	*c = *state;

	run_job(c, METHOD_TCP, 0);
	assert_int_equal(tcp_started, 0);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_true(c->res.tcp.checked);
	assert_non_null(strstr(c->res.tcp.error, "not available"));
}

static void
test_cancel(void **state)
{
	struct ctx		*c = *state;
	struct job_params	 jp;
	struct timeval		 tv = { 0, 50000 };
	struct job		*j;

	memset(&jp, 0, sizeof(jp));
	hop_addr(path.nrouters + 1, &jp.address);
	jp.walk = 1;
	j = job_start(&c->env, &jp, done_cb, c);
	assert_non_null(j);
	assert_true(path.sent > 0);
	job_cancel(j);
	event_base_loopexit(c->env.base, &tv);
	assert_int_not_equal(event_base_dispatch(c->env.base), -1);
	assert_int_equal(c->calls, 0);
}

/*
 * The destination went away: hop 2 says "host unreachable" for every
 * probe.  One such message is no proof (anyone on the path can send
 * it); two, for probes a timeout apart, are: unreachable, the message
 * in the error, and no UDP fallback (a router said so).
 */
static void
test_told_unreachable(void **state)
{
	struct ctx	*c = *state;

	path.gone_at = 2;
	run_job(c, METHOD_AUTO, 0);
	assert_int_equal(c->res.state, RESULT_UNREACHABLE);
	assert_int_equal(c->res.pmtu, 0);
	assert_string_equal(c->res.error, "destination unreachable "
	    "(ICMP type 3 code 1 from 198.18.2.1)");
	assert_int_equal(path.sent_udp, 0);
	/* 1500, the reachability probe, 1500 again a timeout later. */
	assert_int_equal(path.sent, 3);
	assert_int_equal(c->res.probes_sent, 3);
}

/* A routing loop: "time exceeded", twice, in the error. */
static void
test_told_time_exceeded(void **state)
{
	struct ctx	*c = *state;

	path.loop_at = 3;
	run_job(c, METHOD_ICMP, 0);
	assert_int_equal(c->res.state, RESULT_UNREACHABLE);
	assert_string_equal(c->res.error, "time exceeded "
	    "(ICMP type 11 code 0 from 198.18.3.1)");
}

/*
 * A forger on the path says "unreachable" for the first probe while it
 * goes on: the destination's answer wins, and the finding carries no
 * trace of the message.
 */
static void
test_forged_unreachable(void **state)
{
	struct ctx	*c = *state;

	path.forged_unreach = 1;
	path.link_mtu[2] = 1420;
	run_job(c, METHOD_AUTO, 0);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1420);
	assert_string_equal(c->res.error, "");
	assert_int_equal(path.sent_udp, 0);
}

/* A trace: hops only, every probe small enough for any link. */
static void
test_trace(void **state)
{
	struct ctx		*c = *state;
	struct job_params	 jp;
	struct addr		 a;
	unsigned		 i;

	path.link_mtu[1] = 1400;
	path.silent[1] = 1;		/* a black hole does not matter */
	job_params_init(&jp, METHOD_ICMP, 0);
	jp.trace_hops = 10;
	run_params(c, &jp);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 0);	/* no search */
	assert_int_equal(c->res.method, METHOD_ICMP);
	assert_false(c->res.blackhole.found);
	assert_true(c->res.walked);
	assert_int_equal(c->res.nhops, 4);
	for (i = 0; i < 4; i++) {
		hop_addr(i + 1, &a);
		assert_int_equal(c->res.hops[i].ttl, i + 1);
		assert_true(addr_eq(&c->res.hops[i].address, &a));
	}
	assert_int_equal(path.size_min, 576);
	assert_int_equal(path.size_max, 576);
	assert_int_equal(c->res.probes_sent, path.sent);
	assert_int_equal(path.sent, 4);
}

/* A trace goes no further than asked. */
static void
test_trace_hops(void **state)
{
	struct ctx		*c = *state;
	struct job_params	 jp;

	job_params_init(&jp, METHOD_UDP, 0);
	jp.trace_hops = 2;
	run_params(c, &jp);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.nhops, 2);
	assert_int_equal(path.sent, 2);
	assert_int_equal(path.sent_udp, 2);
}

/* A check: only P and P + 1 are sent, and P holds. */
static void
test_check_holds(void **state)
{
	struct ctx		*c = *state;
	struct job_params	 jp;

	path.link_mtu[2] = 1400;
	job_params_init(&jp, METHOD_ICMP, 0);
	jp.expect_pmtu = 1400;
	run_params(c, &jp);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1400);
	assert_int_equal(path.size_min, 1400);
	assert_int_equal(path.size_max, 1401);
	assert_true(path.sent <= 4);
	assert_false(c->res.walked);
}

/* ... a larger PMTU shows as P + 1, a smaller one as no answer. */
static void
test_check_differs(void **state)
{
	struct ctx		*c = *state;
	struct job_params	 jp;

	job_params_init(&jp, METHOD_ICMP, 0);
	jp.expect_pmtu = 1400;
	run_params(c, &jp);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1401);
	assert_int_equal(path.size_max, 1401);

	result_clear(&c->res);
	c->calls = 0;
	path_reset(3);
	path.link_mtu[1] = 1300;
	run_params(c, &jp);
	assert_int_not_equal(c->res.state, RESULT_OK);
	assert_int_equal(path.size_min, 1400);
	assert_int_equal(path.size_max, 1401);
}

/* ... and a black hole at P is still one, by the evidence rule. */
static void
test_check_blackhole(void **state)
{
	struct ctx		*c = *state;
	struct job_params	 jp;

	path.link_mtu[1] = 1400;
	path.silent[1] = 1;
	job_params_init(&jp, METHOD_ICMP, 0);
	jp.expect_pmtu = 1400;
	run_params(c, &jp);
	assert_int_equal(c->res.state, RESULT_BLACKHOLE);
	assert_int_equal(c->res.pmtu, 1400);
	assert_int_equal(c->res.blackhole.lost_size, 1401);
	assert_int_equal(path.size_min, 1400);
	assert_int_equal(path.size_max, 1401);
}

/* A P no smaller than the local MTU needs one probe. */
static void
test_check_local(void **state)
{
	struct ctx		*c = *state;
	struct job_params	 jp;

	job_params_init(&jp, METHOD_ICMP, 0);
	jp.expect_pmtu = 1500;
	run_params(c, &jp);
	assert_int_equal(c->res.state, RESULT_OK);
	assert_int_equal(c->res.pmtu, 1500);
	assert_int_equal(path.sent, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_hops, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_holds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_differs, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_blackhole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_local, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clean_path, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_too_big_and_walk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blackhole_located, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_udp_fallback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_icmp_only_no_fallback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_route, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_family_unavailable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_routers_walked,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lossy_walk,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_interface_mtu_drops,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_check, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tcp_unavailable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_told_unreachable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_told_time_exceeded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forged_unreachable,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
