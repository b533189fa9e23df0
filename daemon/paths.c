/* SPDX-License-Identifier: ISC */
/*
 * Measuring several flows of one target.  Flows run one after another,
 * never at once: two searches of one destination would compete for the
 * same routers' ICMP allowance and read each other's silence as loss.
 * The paths are told apart by their hops and PMTU (lib/multipath.c).
 *
 * Flow 0 runs a whole job (search and walk).  A further flow is traced
 * first: a walk with small probes, for its hops.  If they repeat a
 * known path, it needs no size search of its own, only a check that
 * the path's PMTU P holds (P passes, P + 1 does not); otherwise, or if
 * P does not hold, it runs a whole job too.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "log.h"
#include "multipath.h"
#include "pmtud.h"
#include "prober.h"
#include "paths.h"

#define PATHS_UDP_RTO_MIN	1000	/* ms */

enum paths_stage {
	PATHS_WHOLE,		/* search and walk */
	PATHS_TRACE,		/* the hops only */
	PATHS_CHECK,		/* whether a known path's PMTU holds */
};

struct paths {
	struct pmtud		*env;
	struct job_params	 params;
	unsigned		 flows;		/* at most this many */
	unsigned		 started;	/* flows run so far */
	enum paths_stage	 stage;		/* of the flow running */
	struct job		*job;
	struct result		 trace;		/* its hops, while checked */
	int			 known;		/* the path they repeat */
	unsigned		 rtt_ms;	/* flow 0's, for traces */
	struct multipath	*mp;
	struct result		 first;		/* flow 0's result */
	int			 hops_pmtu;	/* the PMTU its hops are of */
	struct result_blackhole	 bh;		/* another flow's black hole */
	job_done_cb		 cb;
	void			*arg;
};

static void	 paths_job_done_cb(const struct result *, void *);

static void
paths_free(struct paths *p)
{
	multipath_free(p->mp);
	result_clear(&p->first);
	result_clear(&p->trace);
	free(p);
}

static const char *
paths_stage_name(enum paths_stage stage)
{
	switch (stage) {
	case PATHS_WHOLE:
		return "search and walk";
	case PATHS_TRACE:
		return "trace";
	case PATHS_CHECK:
		return "check";
	}
	return "?";
}

/*
 * Hops a trace need go: the longest known path's routers.  Not the
 * destination: its answers are what a UDP flow's check needs, and it
 * rate-limits them.
 */
static unsigned
paths_trace_hops(const struct paths *p)
{
	const struct multipath_path	*mpp;
	unsigned			 i, n = 0;

	for (i = 0; i < multipath_npaths(p->mp); i++) {
		mpp = multipath_path(p->mp, i);
		if (mpp->nhops > n)
			n = mpp->nhops;
	}
	return n;
}

/* Runs the present flow's stage. */
static int
paths_run(struct paths *p, enum paths_stage stage)
{
	struct job_params	 jp = p->params;

	jp.flow = p->started - 1;
	/*
	 * A UDP probe's answer is a port unreachable, which destinations
	 * rate-limit (Linux: a burst of 6, then one a second): the flows
	 * before this one spent the allowance, so a probe unanswered may
	 * only have come too soon.  Its retry waits for the next.
	 */
	if (jp.flow > 0 && p->params.method == METHOD_UDP)
		jp.rto_min_ms = PATHS_UDP_RTO_MIN;
	if (stage != PATHS_WHOLE) {
		jp.walk = 0;
		if (stage == PATHS_TRACE)
			jp.trace_hops = paths_trace_hops(p);
		jp.rtt_ms = p->rtt_ms;
	}
	if (stage == PATHS_CHECK)
		jp.expect_pmtu = multipath_path(p->mp, p->known)->pmtu;
	p->stage = stage;
	if ((p->job = job_start(p->env, &jp, paths_job_done_cb, p)) == NULL)
		return -1;
	return 0;
}

/* The next flow: traced first once walks gave routers to match. */
static int
paths_next(struct paths *p)
{
	p->started++;
	return paths_run(p, p->started == 1 || !p->first.walked ||
	    paths_trace_hops(p) == 0 ? PATHS_WHOLE : PATHS_TRACE);
}

struct paths *
paths_start(struct pmtud *env, const struct job_params *jp, unsigned flows,
    job_done_cb cb, void *arg)
{
	struct paths	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->env = env;
	p->params = *jp;
	p->flows = flows < 1 ? 1 : flows > FLOW_MAX ? FLOW_MAX : flows;
	p->cb = cb;
	p->arg = arg;
	result_init(&p->first, "");
	result_init(&p->trace, "");
	if ((p->flows > 1 && (p->mp = multipath_new(p->flows)) == NULL) ||
	    paths_next(p) == -1) {
		paths_free(p);
		return NULL;
	}
	return p;
}

void
paths_cancel(struct paths *p)
{
	if (p == NULL)
		return;
	job_cancel(p->job);
	paths_free(p);
}

void
paths_hurry(struct paths *p)
{
	p->params.urgent = 1;
	job_hurry(p->job);
}

/*
 * What one flow's job found, for lib/multipath; hops by TTL.  Only the
 * routers count: the destination rate-limits its errors, so its walk
 * answer comes at whatever TTL it could answer first, and two flows of
 * one path would differ only in that.
 */
static void
paths_flow(const struct result *res, unsigned flow, struct addr *hops,
    struct multipath_flow *f)
{
	unsigned	 i, ttl;

	memset(f, 0, sizeof(*f));
	memset(hops, 0, MULTIPATH_MAXHOPS * sizeof(*hops));
	f->flow = flow;
	f->pmtu = res->pmtu;
	f->blackhole = res->state == RESULT_BLACKHOLE;
	f->bh_hop = res->blackhole.found ? res->blackhole.hop : -1;
	f->hops = hops;
	for (i = 0; res->walked && i < res->nhops; i++) {
		ttl = res->hops[i].ttl;
		if (ttl < 1 || ttl > MULTIPATH_MAXHOPS)
			continue;
		if (addr_eq(&res->hops[i].address, &res->address))
			continue;
		hops[ttl - 1] = res->hops[i].address;
		if (ttl > f->nhops && addr_isset(&res->hops[i].address))
			f->nhops = ttl;
	}
}

/* The identity of flow n, as far as the method and family hash it. */
static void
paths_identity(const struct paths *p, unsigned n, struct result_path *rp)
{
	struct flow	 f;

	prober_flow(p->env->prober, n, &f);
	if (p->first.method == METHOD_UDP) {
		rp->sport = f.sport;
		rp->dport = f.dport;
	} else
		rp->echo_id = f.echo_id;
	if (p->first.family == AF_INET6)
		rp->label = f.label;
}

/* The paths into flow 0's result; -1: out of memory. */
static int
paths_conclude(struct paths *p)
{
	struct result_path		 rps[RESULT_MAXPATHS];
	const struct multipath_path	*mpp;
	struct result			*r = &p->first;
	unsigned			 i, n, nbh = 0;

	n = multipath_npaths(p->mp);
	if (n > RESULT_MAXPATHS)
		n = RESULT_MAXPATHS;
	memset(rps, 0, sizeof(rps));
	for (i = 0; i < n; i++) {
		mpp = multipath_path(p->mp, i);
		paths_identity(p, mpp->flow, &rps[i]);
		rps[i].pmtu = mpp->pmtu;
		rps[i].blackhole = mpp->blackhole;
		rps[i].bh_hop = mpp->bh_hop;
		rps[i].flows = mpp->flows;
		rps[i].nhops = mpp->nhops > RESULT_PATHHOPS ? RESULT_PATHHOPS :
		    mpp->nhops;
		memcpy(rps[i].hops, mpp->hops, rps[i].nhops *
		    sizeof(rps[i].hops[0]));
		nbh += mpp->blackhole != 0;
	}
	if (result_set_paths(r, rps, n) == -1)
		return -1;
	r->flows_tried = multipath_flows_tried(p->mp);
	r->confident = multipath_confident(p->mp);
	if (multipath_min_pmtu(p->mp) > 0)
		r->pmtu = multipath_min_pmtu(p->mp);
	if (nbh > 0 && nbh < n) {
		r->state = RESULT_PARTIAL_BLACKHOLE;
		if (!r->blackhole.found)
			r->blackhole = p->bh;
	} else if (nbh > 0)
		r->state = RESULT_BLACKHOLE;
	return 0;
}

/* Whether a flow's finding says something about its path. */
static int
paths_usable(const struct result *res)
{
	return res->state == RESULT_OK || res->state == RESULT_BLACKHOLE;
}

/* Flow 0's result is the finding's. */
static int
paths_first(struct paths *p, const struct result *res)
{
	unsigned	 i;

	if (result_copy(&p->first, res) == -1)
		return -1;
	p->hops_pmtu = res->pmtu;
	/* The method that answered; one TCP check (flow 0's) is enough. */
	p->params.method = res->method;
	for (i = 0; res->walked && i < res->nhops; i++)
		if (res->hops[i].rtt_us > 0 &&
		    (unsigned)res->hops[i].rtt_us / 1000 > p->rtt_ms)
			p->rtt_ms = res->hops[i].rtt_us / 1000;
	return 0;
}

/* A further flow's run adds to the finding's cost. */
static void
paths_account(struct paths *p, const struct result *res)
{
	p->first.probes_sent += res->probes_sent;
	p->first.updated_at_ms = res->updated_at_ms;
	if (res->duration_ms > 0)
		p->first.duration_ms += res->duration_ms;
}

/*
 * The known path whose PMTU a traced flow may share, or -1: its walk
 * repeats that path's routers, TTL for TTL (a silent TTL matches any),
 * and its egress carries the path's PMTU.  The destination need not
 * have answered the trace (it rate-limits its errors): the check that
 * follows asks it.
 */
static int
paths_known(const struct paths *p, const struct result *res)
{
	const struct multipath_path	*mpp;
	struct multipath_flow		 f;
	struct addr			 hops[MULTIPATH_MAXHOPS];
	int				 k;

	if (res->state != RESULT_OK)
		return -1;
	paths_flow(res, p->started - 1, hops, &f);
	if ((k = multipath_match(p->mp, f.hops, f.nhops)) < 0)
		return -1;
	mpp = multipath_path(p->mp, (unsigned)k);
	if (f.nhops > mpp->nhops || mpp->pmtu <= 0 ||
	    mpp->pmtu > res->local_mtu)
		return -1;
	return k;
}

/* A whole job's flow: its hops and PMTU, and its walk for the finding. */
static int
paths_whole_done(struct paths *p, const struct result *res)
{
	struct multipath_flow	 f;
	struct addr		 hops[MULTIPATH_MAXHOPS];

	if (!paths_usable(res))
		return 0;
	if (res->blackhole.found && !p->bh.found)
		p->bh = res->blackhole;
	paths_flow(res, p->started - 1, hops, &f);
	multipath_add(p->mp, &f);
	/*
	 * The finding's hops are the narrowest path's, so that they show
	 * the hop behind its PMTU (pmtudctl explain).
	 */
	if (res->walked && res->pmtu > 0 && (p->hops_pmtu <= 0 ||
	    res->pmtu < p->hops_pmtu)) {
		if (result_set_hops(&p->first, res->hops, res->nhops) == -1)
			return -1;
		p->first.walked = 1;
		p->hops_pmtu = res->pmtu;
	}
	return 0;
}

/*
 * A checked flow: if the known path's PMTU holds, the flow took that
 * path (its traced hops, that PMTU and black hole); 0 if it did not.
 */
static int
paths_check_done(struct paths *p, const struct result *res)
{
	const struct multipath_path	*mpp;
	struct multipath_flow		 f;
	struct addr			 hops[MULTIPATH_MAXHOPS];

	mpp = multipath_path(p->mp, (unsigned)p->known);
	if (!paths_usable(res) || res->pmtu != mpp->pmtu)
		return 0;
	paths_flow(&p->trace, p->started - 1, hops, &f);
	f.pmtu = res->pmtu;
	f.blackhole = res->state == RESULT_BLACKHOLE;
	f.bh_hop = mpp->bh_hop;
	multipath_add(p->mp, &f);
	return 1;
}

/*
 * What runs next for the flow that just finished a stage: its check or
 * its whole job (1), or nothing (0: the flow is counted); -1 out of
 * memory.
 */
static int
paths_stage_done(struct paths *p, const struct result *res)
{
	switch (p->stage) {
	case PATHS_TRACE:
		if ((p->known = paths_known(p, res)) < 0)
			return paths_run(p, PATHS_WHOLE) == -1 ? -1 : 1;
		if (result_copy(&p->trace, res) == -1)
			return -1;
		return paths_run(p, PATHS_CHECK) == -1 ? -1 : 1;
	case PATHS_CHECK:
		result_clear(&p->trace);
		if (paths_check_done(p, res))
			return 0;
		log_debug("%s: flow %u does not keep its path's PMTU %d",
		    res->destination, p->started - 1,
		    multipath_path(p->mp, (unsigned)p->known)->pmtu);
		return paths_run(p, PATHS_WHOLE) == -1 ? -1 : 1;
	case PATHS_WHOLE:
		return paths_whole_done(p, res);
	}
	return 0;
}

static void
paths_job_done_cb(const struct result *res, void *arg)
{
	struct paths	*p = arg;
	int		 rc;

	p->job = NULL;		/* it frees itself after this */
	if (p->mp != NULL)
		log_debug("%s: flow %u %s: %s, pmtu %d, %u probes, %lld ms",
		    res->destination, p->started - 1,
		    paths_stage_name(p->stage), result_state_name(res->state),
		    res->pmtu, res->probes_sent, (long long)res->duration_ms);
	if (p->mp == NULL || (p->started == 1 && !paths_usable(res))) {
		p->cb(res, p->arg);
		paths_free(p);
		return;
	}
	if (p->started == 1) {
		if (paths_first(p, res) == -1)
			goto fail;
	} else
		paths_account(p, res);
	if ((rc = paths_stage_done(p, res)) == -1)
		goto fail;
	if (rc == 1)
		return;
	if (p->started < p->flows && multipath_more(p->mp)) {
		if (paths_next(p) == 0)
			return;
		log_warnx("%s: out of memory for flow %u", res->destination,
		    p->started);
	}
	if (paths_conclude(p) == -1)
		goto fail;
	p->cb(&p->first, p->arg);
	paths_free(p);
	return;
fail:
	log_warnx("%s: out of memory for its paths", res->destination);
	p->cb(res, p->arg);
	paths_free(p);
}
