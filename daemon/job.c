/* SPDX-License-Identifier: ISC */
/*
 * One run: route look-up, search (with UDP fallback), walk, TCP check,
 * result.  The job drives lib/'s state machines with the clock and the
 * prober's answers; each phase's probes are forgotten when it ends, so
 * a late answer never reaches the next phase.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "pmtud.h"
#include "probe.h"
#include "prober.h"
#include "budget.h"
#include "search.h"
#include "walk.h"
#include "tcpcheck.h"
#include "job.h"

#define TCP_TIMEOUT_MS	5000	/* a handshake, even over a slow path */

/*
 * Retransmission timeouts never below these: the measured RTT rules
 * above them.  Routers answer time-exceeded from a slower path than the
 * forwarding one, so the walk waits a little longer.
 */
#define SEARCH_RTO_MIN	50	/* ms */
#define WALK_RTO_MIN	100	/* ms */
#define WALK_RTO_MAX	3000
#define WALK_CLEAN_REFS	8	/* references, none lost: a clean path */
/* A trace's probes: what every IPv4 host reassembles (RFC 791); IPv6's
 * minimum link MTU (RFC 8200). */
#define TRACE_SIZE4	576
#define TRACE_SIZE6	1280

enum job_phase {
	JOB_SEARCH,
	JOB_WALK,
	JOB_TCP,
	JOB_DONE,
};

struct job_probe {
	unsigned	 token;
	uint32_t	 slot;
};

struct job {
	struct pmtud		*env;
	job_done_cb		 cb;
	void			*arg;
	enum job_phase		 phase;
	struct result		 res;
	struct addr		 src;
	struct flow		 flow;		/* every probe's identity */
	enum pkt_proto		 proto;
	int			 fallback;	/* may still try UDP */
	int			 want_walk;
	int			 urgent;
	unsigned		 expect_pmtu;	/* job_params */
	unsigned		 rto_min_ms;	/* the search's */
	unsigned		 restarts;	/* searches begun again */
	unsigned		 tcp_port;	/* 0: no TCP check */
	enum result_state	 concluded;	/* state before the TCP check */
	struct tcpcheck_req	*tcp;
	/* The latest unreachable or time exceeded, said in the error if
	 * the search ends on them (search_result's told). */
	char			 told[RESULT_ERRLEN];
	unsigned		 local_mtu;
	unsigned		 probes_before;	/* sent by earlier phases */
	struct search		*search;
	struct search_result	 sr;
	struct walk		*walk;
	struct event		*timer;
	uint64_t		 started;
	struct job_probe	*probes;
	size_t			 nprobes;
	size_t			 probes_cap;
};

static void	 job_step(struct job *);
static void	 job_wait(struct job *, uint64_t);
static void	 job_timer_cb(evutil_socket_t, short, void *);
static void	 job_answer_cb(void *, unsigned, const struct pkt_reply *);
static int	 job_route(struct job *, enum pkt_proto);
static int	 job_flow_route(struct job *, enum pkt_proto,
		    struct route_info *);

static void
job_forget_all(struct job *j)
{
	size_t	 i;

	for (i = 0; i < j->nprobes; i++)
		prober_forget(j->env->prober, j->probes[i].slot, j);
	j->nprobes = 0;
}

static void
job_free(struct job *j)
{
	job_forget_all(j);
	search_free(j->search);
	walk_free(j->walk);
	tcpcheck_cancel(j->tcp);
	if (j->timer)
		event_free(j->timer);
	free(j->probes);
	result_clear(&j->res);
	free(j);
}

/* Ends the job; the callback runs from the event loop, not from here. */
static void
job_finish(struct job *j, enum result_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
job_finish(struct job *j, enum result_state state, const char *fmt, ...)
{
	struct timeval	 now = { 0, 0 };
	va_list		 ap;

	j->phase = JOB_DONE;
	job_forget_all(j);
	j->res.state = state;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(j->res.error, sizeof(j->res.error), fmt, ap);
		va_end(ap);
	}
	j->res.duration_ms = clock_mono_ms() - j->started;
	j->res.updated_at_ms = clock_wall_ms();
	/* A local fault or a dead end is worth a line in the log. */
	if (state == RESULT_ERROR || (state == RESULT_UNREACHABLE &&
	    j->res.error[0] != '\0'))
		log_warnx("%s (IPv%d): %s: %s", j->res.destination,
		    addr_family_num(j->res.family), result_state_name(state),
		    j->res.error[0] ? j->res.error : "no detail");
	evtimer_add(j->timer, &now);
}

static int
job_remember(struct job *j, unsigned token, uint32_t slot)
{
	struct job_probe	*np;
	size_t			 ncap;

	if (j->nprobes == j->probes_cap) {
		ncap = j->probes_cap ? j->probes_cap * 2 : 8;
		if ((np = reallocarray(j->probes, ncap, sizeof(*np))) == NULL)
			return -1;
		j->probes = np;
		j->probes_cap = ncap;
	}
	j->probes[j->nprobes].token = token;
	j->probes[j->nprobes].slot = slot;
	j->nprobes++;
	return 0;
}

/*
 * Whether the probe budget has a token now; otherwise waits for one.
 * Asked before the state machine commits to a probe, so its timing
 * stays true.
 */
static int
job_paced(struct job *j)
{
	uint64_t	 wait;

	wait = budget_wait(j->env->budget, clock_mono_ms(), j->urgent);
	if (wait == 0)
		return 1;
	job_wait(j, wait * 1000);
	return 0;
}

/* Sends one probe; 0 or an errno for the state machine. */
static int
job_send(struct job *j, unsigned token, unsigned size, unsigned ttl)
{
	uint32_t	 slot;
	int		 error;

	(void)budget_take(j->env->budget, clock_mono_ms(), j->urgent);
	error = prober_send(j->env->prober, j->proto, &j->flow, &j->src,
	    &j->res.address, size, ttl, j, token, job_answer_cb, &slot);
	if (error == 0 && job_remember(j, token, slot) == -1) {
		prober_forget(j->env->prober, slot, j);
		error = ENOMEM;
	}
	if (error != 0)
		log_debug("%s: sending %u bytes (ttl %u): %s",
		    j->res.destination, size, ttl, strerror(error));
	else if (log_getverbose())
		log_debug("%s: +%llu ms: probe %u, %u bytes, ttl %u",
		    j->res.destination, (unsigned long long)(clock_mono_ms() -
		    j->started), token, size, ttl);
	return error;
}

static int
job_search_start(struct job *j, enum pkt_proto proto)
{
	struct search_params	 sp;

	memset(&sp, 0, sizeof(sp));
	sp.family = j->res.family;
	sp.local_mtu = j->local_mtu;
	sp.rto_min_ms = j->rto_min_ms;
	if (j->expect_pmtu >= pkt_min_mtu(j->res.family) &&
	    j->expect_pmtu <= j->local_mtu) {
		sp.min_mtu = j->expect_pmtu;
		if (j->expect_pmtu < j->local_mtu)
			sp.local_mtu = j->expect_pmtu + 1;
	}
	search_free(j->search);
	if ((j->search = search_new(&sp)) == NULL)
		return -1;
	j->told[0] = '\0';
	j->proto = proto;
	j->phase = JOB_SEARCH;
	return 0;
}

static void
job_blackhole(struct job *j, const struct search_result *sr)
{
	struct result_blackhole	*b = &j->res.blackhole;

	b->found = 1;
	b->hop = -1;		/* where: known once the path is walked */
	b->lost_size = sr->pmtu + 1;
	b->lost = sr->bh_lost;
	b->lost_above = sr->bh_lost_above;
	b->control_sent = sr->control_sent;
	b->control_lost = sr->control_lost;
	b->span_ms = sr->bh_span_ms;
}

static void
job_tcp_cb(const struct tcpcheck_result *tf, void *arg)
{
	struct job		*j = arg;
	struct result_tcp	*t = &j->res.tcp;

	j->tcp = NULL;
	t->checked = 1;
	t->port = j->tcp_port;
	t->peer_mss = tf->peer_mss;
	t->tcp_mss = tf->tcp_mss;
	if (j->res.pmtu > 0)
		t->mss_allowed = j->res.pmtu - (j->res.family == AF_INET ?
		    PKT_IP4_HDR + 20 : PKT_IP6_HDR + 20);
	t->clamped = t->peer_mss && t->mss_allowed &&
	    t->peer_mss < t->mss_allowed;
	if (tf->error != 0)
		snprintf(t->error, sizeof(t->error), "%s", strerror(tf->error));
	job_finish(j, j->concluded, NULL);
}

/* The path is known: check TCP's view if asked, then report. */
static void
job_conclude(struct job *j, enum result_state state)
{
	j->concluded = state;
	if (j->tcp_port == 0) {
		job_finish(j, state, NULL);
		return;
	}
	job_forget_all(j);
	j->phase = JOB_TCP;
	if (j->env->tcpcheck == NULL) {
		j->res.tcp.checked = 1;
		j->res.tcp.port = j->tcp_port;
		snprintf(j->res.tcp.error, sizeof(j->res.tcp.error),
		    "TCP checks are not available (no raw TCP socket)");
		job_finish(j, state, NULL);
		return;
	}
	j->tcp = tcpcheck_start(j->env->tcpcheck, &j->res.address,
	    j->tcp_port, TCP_TIMEOUT_MS, job_tcp_cb, j);
	if (j->tcp == NULL)
		job_finish(j, state, "out of memory");
}

/*
 * Each hop is asked once or twice, so a timeout cut to a fast sample
 * loses hops on a jittery path: wait for a slow answer too.
 */
static unsigned
job_walk_rto(unsigned rto, unsigned srtt)
{
	if (rto < 3 * srtt)
		rto = 3 * srtt;
	if (rto < WALK_RTO_MIN)
		rto = WALK_RTO_MIN;
	return rto > WALK_RTO_MAX ? WALK_RTO_MAX : rto;
}

static int
job_walk_begin(struct job *j, const struct walk_params *wp)
{
	if ((j->walk = walk_new(wp)) == NULL)
		return -1;
	j->phase = JOB_WALK;
	return 0;
}

/* The walk after the search, of the path it measured. */
static int
job_walk_start(struct job *j)
{
	struct walk_params	 wp;

	memset(&wp, 0, sizeof(wp));
	wp.family = j->res.family;
	wp.local_mtu = j->local_mtu;
	wp.pmtu = j->sr.pmtu;
	wp.rto_ms = job_walk_rto(j->sr.rto_ms, j->sr.srtt_ms);
	wp.blackhole = j->sr.blackhole;
	/* A lossy path: more tries, or the walk loses the destination. */
	wp.max_tries = walk_tries(j->sr.control_sent, j->sr.control_lost);
	/*
	 * The destination answered P, so silent hops in a row are silent
	 * routers or loss, not the end of the path: walk on until it
	 * answers (max_hops still bounds it).
	 */
	wp.gap_limit = WALK_MAXHOPS;
	/* No reference lost out of many: a lost P + 1 vanished. */
	if (j->sr.blackhole && j->sr.control_lost == 0 &&
	    j->sr.control_sent >= WALK_CLEAN_REFS)
		wp.big_tries = 1;
	return job_walk_begin(j, &wp);
}

/*
 * A trace: the walk alone, every probe of one small size, so that each
 * hop answers whatever its MTU.  Its search-less result has hops and
 * no PMTU.
 */
static int
job_trace_start(struct job *j, const struct job_params *jp)
{
	struct walk_params	 wp;
	unsigned		 size;

	size = j->res.family == AF_INET ? TRACE_SIZE4 : TRACE_SIZE6;
	if (size > j->local_mtu)
		size = j->local_mtu;
	memset(&wp, 0, sizeof(wp));
	wp.family = j->res.family;
	wp.local_mtu = wp.pmtu = size;
	wp.rto_ms = job_walk_rto(0, jp->rtt_ms);
	wp.max_hops = jp->trace_hops;
	return job_walk_begin(j, &wp);
}

/* The search is over: fall back to UDP, walk, or report. */
static void
job_search_done(struct job *j)
{
	search_result(j->search, &j->sr);
	job_forget_all(j);
	j->res.probes_sent = j->probes_before + j->sr.probes_sent;
	if (j->sr.too_big_refuted > 0 || j->sr.reply_refuted > 0)
		log_info("%s: forged or stale ICMP ignored: %u too-big "
		    "refuted by answers, %u answer never repeated",
		    j->res.destination, j->sr.too_big_refuted,
		    j->sr.reply_refuted);
	if (j->sr.state == SEARCH_UNREACHABLE && j->fallback && !j->sr.told) {
		j->fallback = 0;
		j->probes_before += j->sr.probes_sent;
		/* A UDP flow may hash onto another egress. */
		if (job_route(j, PKT_UDP) == -1)
			return;
		if (job_search_start(j, PKT_UDP) == 0) {
			log_debug("%s: no echo answer, trying UDP",
			    j->res.destination);
			job_step(j);
			return;
		}
	}
	switch (j->sr.state) {
	case SEARCH_OK:
		j->res.pmtu = j->sr.pmtu;
		j->res.method = method_of_proto(j->proto);
		if (j->sr.incomplete)
			snprintf(j->res.error, sizeof(j->res.error),
			    "stopped after %u probes, answers too scarce: %u "
			    "is the largest size confirmed; no black-hole "
			    "verdict", j->sr.probes_sent, j->sr.pmtu);
		if (j->sr.blackhole)
			job_blackhole(j, &j->sr);
		j->probes_before = j->res.probes_sent;
		if (j->want_walk && job_walk_start(j) == 0) {
			job_step(j);
			return;
		}
		job_conclude(j, j->sr.blackhole ? RESULT_BLACKHOLE :
		    RESULT_OK);
		break;
	case SEARCH_UNREACHABLE:
		snprintf(j->res.error, sizeof(j->res.error), "%s",
		    j->sr.told ? j->told : "no answer to any probe");
		/* A firewall may pass TCP where probes die: still ask. */
		job_conclude(j, RESULT_UNREACHABLE);
		break;
	case SEARCH_ERROR:
		job_finish(j, RESULT_ERROR, "sending probes: %s",
		    strerror(j->sr.error));
		break;
	}
}

static void
job_walk_done(struct job *j)
{
	const struct walk_hop	*wh;
	struct result_hop	 hops[RESULT_MAXHOPS];
	struct addr		 where;
	unsigned		 i, n;

	wh = walk_hops(j->walk, &n);
	if (n > RESULT_MAXHOPS)
		n = RESULT_MAXHOPS;
	for (i = 0; i < n; i++) {
		hops[i].ttl = wh[i].ttl;
		hops[i].address = wh[i].address;
		hops[i].rtt_us = wh[i].rtt_us;
		hops[i].mtu = wh[i].mtu;
	}
	j->res.walked = 1;
	if (result_set_hops(&j->res, hops, n) == -1)
		j->res.walked = 0;
	j->res.probes_sent = j->probes_before + walk_probes_sent(j->walk);
	if (j->res.blackhole.found) {
		j->res.blackhole.hop = walk_blackhole_hop(j->walk, &where);
		j->res.blackhole.address = where;
	}
	job_conclude(j, j->sr.blackhole ? RESULT_BLACKHOLE : RESULT_OK);
}

static void
job_wait(struct job *j, uint64_t after_us)
{
	struct timeval	 tv;

	tv.tv_sec = after_us / 1000000;
	tv.tv_usec = after_us % 1000000;
	evtimer_add(j->timer, &tv);
}

#define JOB_MAX_RESTARTS	3	/* an MTU that flaps settles no search */

/*
 * A probe the interface refused as too big: its MTU went down since the
 * search began.  Then what the search learned is about another path.
 */
static int
job_mtu_changed(struct job *j)
{
	struct route_info	 ri;
	unsigned		 mtu;

	if (j->restarts >= JOB_MAX_RESTARTS ||
	    job_flow_route(j, j->proto, &ri) != 0)
		return 0;
	mtu = ri.mtu > PKT_MAX ? PKT_MAX : ri.mtu;
	if (mtu == j->local_mtu || mtu < pkt_min_mtu(j->res.family))
		return 0;
	log_info("%s: interface %s MTU is now %u (was %u): starting over",
	    j->res.destination, ri.ifname, ri.mtu, j->local_mtu);
	j->local_mtu = mtu;
	j->res.local_mtu = ri.mtu;
	j->src = ri.src;
	return 1;
}

/* The search again from the start, with the new local MTU. */
static int
job_restart(struct job *j)
{
	struct search_result	 sr;

	search_result(j->search, &sr);
	j->probes_before += sr.probes_sent;
	j->restarts++;
	job_forget_all(j);
	if (job_search_start(j, j->proto) == -1) {
		job_finish(j, RESULT_ERROR, "cannot start a search");
		return -1;
	}
	return 0;
}

static void
job_search_step(struct job *j)
{
	struct search_probe	 sp;
	uint64_t		 now, wake;
	int			 error;

	for (;;) {
		if (!job_paced(j))
			return;
		now = clock_mono_ms();
		switch (search_next(j->search, now, &sp, &wake)) {
		case SEARCH_SEND:
			if ((error = job_send(j, sp.token, sp.size, 0)) == 0)
				continue;
			if (error == EMSGSIZE && job_mtu_changed(j)) {
				if (job_restart(j) == -1)
					return;
				continue;
			}
			search_on_send_error(j->search, sp.token, error, now);
			continue;
		case SEARCH_WAIT:
			job_wait(j, wake > now ? (wake - now) * 1000 : 0);
			return;
		case SEARCH_DONE:
			job_search_done(j);
			return;
		}
	}
}

static void
job_walk_step(struct job *j)
{
	struct walk_probe	 wp;
	uint64_t		 now, wake;
	int			 error;

	for (;;) {
		if (!job_paced(j))
			return;
		now = clock_mono_us();
		switch (walk_next(j->walk, now, &wp, &wake)) {
		case WALK_SEND:
			error = job_send(j, wp.token, wp.size, wp.ttl);
			if (error != 0)
				walk_on_send_error(j->walk, wp.token, error,
				    now);
			continue;
		case WALK_WAIT:
			job_wait(j, wake > now ? wake - now : 0);
			return;
		case WALK_DONE:
			job_walk_done(j);
			return;
		}
	}
}

static void
job_step(struct job *j)
{
	evtimer_del(j->timer);
	if (j->phase == JOB_SEARCH)
		job_search_step(j);
	else if (j->phase == JOB_WALK)
		job_walk_step(j);
}

static void
job_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	struct job	*j = arg;

	(void)fd;
	(void)events;
	if (j->phase != JOB_DONE) {
		job_step(j);
		return;
	}
	j->cb(&j->res, j->arg);
	job_free(j);
}

/* Kept for the error: one message is evidence, not yet the finding. */
static void
job_told(struct job *j, const struct pkt_reply *r, const char *what)
{
	char	 from[ADDR_STRLEN];

	snprintf(j->told, sizeof(j->told),
	    "%s (ICMP type %d code %d from %s)", what, r->type, r->code,
	    addr_ntop(&r->from, from, sizeof(from)));
}

static void
job_search_answer(struct job *j, unsigned token, const struct pkt_reply *r)
{
	uint64_t	 now = clock_mono_ms();

	switch (r->kind) {
	case PKT_ECHO_REPLY:
	case PKT_PORT_UNREACH:
		search_on_reply(j->search, token, now);
		break;
	case PKT_TOO_BIG:
		search_on_too_big(j->search, token, r->mtu, now);
		break;
	case PKT_UNREACH:
		job_told(j, r, "destination unreachable");
		search_on_unreach(j->search, token, now);
		break;
	case PKT_TIME_EXCEEDED:
		/* Probes go with the default hop limit: a routing loop. */
		job_told(j, r, "time exceeded");
		search_on_unreach(j->search, token, now);
		break;
	}
}

static void
job_walk_answer(struct job *j, unsigned token, const struct pkt_reply *r)
{
	uint64_t	 now = clock_mono_us();

	switch (r->kind) {
	case PKT_ECHO_REPLY:
	case PKT_PORT_UNREACH:
		walk_on_reply(j->walk, token, &r->from, now);
		break;
	case PKT_TOO_BIG:
		walk_on_too_big(j->walk, token, r->mtu, &r->from, now);
		break;
	case PKT_UNREACH:
		walk_on_unreach(j->walk, token, &r->from, now);
		break;
	case PKT_TIME_EXCEEDED:
		walk_on_time_exceeded(j->walk, token, &r->from, now);
		break;
	}
}

static void
job_answer_cb(void *owner, unsigned token, const struct pkt_reply *r)
{
	struct job	*j = owner;
	char		 from[ADDR_STRLEN];

	if (log_getverbose())
		log_debug("%s: +%llu ms: answer to probe %u: ICMP type %d "
		    "code %d from %s", j->res.destination,
		    (unsigned long long)(clock_mono_ms() - j->started), token,
		    r->type, r->code, addr_ntop(&r->from, from, sizeof(from)));
	if (j->phase == JOB_SEARCH)
		job_search_answer(j, token, r);
	else if (j->phase == JOB_WALK)
		job_walk_answer(j, token, r);
	else
		return;
	job_step(j);
}

/*
 * The flow's own route: on a multipath route its ports (IPv6: its flow
 * label) pick the next hop, and its probes are pinned there.
 * The kernel's own pick for a raw socket's packet can differ and cannot
 * be asked (it hashes an IPv4 echo with its type, which a look-up
 * leaves out; kernels without RTA_FLOWLABEL look up IPv6 without the
 * label): a probe that left by another interface would face that
 * interface's MTU and carry its source address, not j->src, so that no
 * answer to it would match.
 */
static int
job_flow_route(struct job *j, enum pkt_proto proto, struct route_info *ri)
{
	int	 error;

	error = route_lookup_flow(j->env->route, &j->res.address, proto,
	    j->flow.sport, j->flow.dport,
	    j->res.family == AF_INET6 ? j->flow.label : 0, ri);
	if (error != 0)
		return error;
	/*
	 * This host's own address has one path, by loopback, and Linux
	 * refuses an IPv6 packet to it pinned there (ENETUNREACH).
	 */
	j->flow.ifindex = ri->local ? 0 : ri->ifindex;
	return 0;
}

static int
job_route(struct job *j, enum pkt_proto proto)
{
	struct route_info	 ri;
	int			 error;

	error = job_flow_route(j, proto, &ri);
	if (error != 0) {
		job_finish(j, error == ENETUNREACH || error == EHOSTUNREACH ?
		    RESULT_UNREACHABLE : RESULT_ERROR, "no route: %s",
		    strerror(error));
		return -1;
	}
	j->src = ri.src;
	/* A loopback device is 65536; an IP packet stops at 65535. */
	j->local_mtu = ri.mtu > PKT_MAX ? PKT_MAX : ri.mtu;
	j->res.local_mtu = ri.mtu;
	if (j->local_mtu < pkt_min_mtu(j->res.family)) {
		job_finish(j, RESULT_ERROR, "interface %s MTU %u is below "
		    "the minimum %u", ri.ifname, ri.mtu,
		    pkt_min_mtu(j->res.family));
		return -1;
	}
	return 0;
}

struct job *
job_start(struct pmtud *env, const struct job_params *jp, job_done_cb cb,
    void *arg)
{
	struct job	*j;
	char		 name[ADDR_STRLEN];

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->timer = evtimer_new(env->base, job_timer_cb, j)) == NULL) {
		free(j);
		return NULL;
	}
	j->env = env;
	j->cb = cb;
	j->arg = arg;
	j->want_walk = jp->walk;
	j->urgent = jp->urgent;
	j->expect_pmtu = jp->expect_pmtu;
	j->rto_min_ms = jp->rto_min_ms > SEARCH_RTO_MIN ? jp->rto_min_ms :
	    SEARCH_RTO_MIN;
	prober_flow(env->prober, jp->flow, &j->flow);
	if (jp->method == METHOD_TCP)
		j->tcp_port = jp->port ? jp->port : JOB_TCP_PORT;
	j->started = clock_mono_ms();
	result_init(&j->res, addr_ntop(&jp->address, name, sizeof(name)));
	j->res.address = jp->address;
	j->res.family = jp->address.family;
	if (!prober_has_family(env->prober, j->res.family)) {
		job_finish(j, RESULT_ERROR, "IPv%d probing is not available",
		    addr_family_num(j->res.family));
		return j;
	}
	if (job_route(j, method_proto(jp->method)) == -1)
		return j;
	j->fallback = jp->method == METHOD_AUTO || jp->method == METHOD_TCP;
	if (jp->trace_hops > 0) {
		j->proto = method_proto(jp->method);
		j->res.method = method_of_proto(j->proto);
		if (job_trace_start(j, jp) == -1)
			job_finish(j, RESULT_ERROR, "cannot start a trace");
		else
			job_step(j);
		return j;
	}
	if (job_search_start(j, method_proto(jp->method)) == -1) {
		job_finish(j, RESULT_ERROR, "cannot start a search");
		return j;
	}
	job_step(j);
	return j;
}

void
job_hurry(struct job *j)
{
	j->urgent = 1;
}

void
job_cancel(struct job *j)
{
	if (j != NULL)
		job_free(j);
}
