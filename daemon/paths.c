/* SPDX-License-Identifier: ISC */
/*
 * Measuring several flows of one target.  Flows run one after another,
 * never at once: two searches of one destination would compete for the
 * same routers' ICMP allowance and read each other's silence as loss.
 * Each further flow runs a whole job (search and walk); the paths are
 * told apart by their hops and PMTU (lib/multipath.c).
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

struct paths {
	struct pmtud		*env;
	struct job_params	 params;
	unsigned		 flows;		/* at most this many */
	unsigned		 started;	/* flows run so far */
	struct job		*job;
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
	free(p);
}

static int
paths_next(struct paths *p)
{
	struct job_params	 jp = p->params;

	jp.flow = p->started;
	if ((p->job = job_start(p->env, &jp, paths_job_done_cb, p)) == NULL)
		return -1;
	p->started++;
	return 0;
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

static void
paths_job_done_cb(const struct result *res, void *arg)
{
	struct paths		*p = arg;
	struct multipath_flow	 f;
	struct addr		 hops[MULTIPATH_MAXHOPS];
	unsigned		 flow = p->started - 1;

	p->job = NULL;		/* it frees itself after this */
	if (p->mp == NULL || (flow == 0 && !paths_usable(res))) {
		p->cb(res, p->arg);
		paths_free(p);
		return;
	}
	if (flow == 0) {
		if (result_copy(&p->first, res) == -1)
			goto fail;
		p->hops_pmtu = res->pmtu;
	} else {
		p->first.probes_sent += res->probes_sent;
		p->first.updated_at_ms = res->updated_at_ms;
		if (res->duration_ms > 0)
			p->first.duration_ms += res->duration_ms;
	}
	if (paths_usable(res)) {
		if (res->blackhole.found && !p->bh.found)
			p->bh = res->blackhole;
		paths_flow(res, flow, hops, &f);
		multipath_add(p->mp, &f);
		/*
		 * The finding's hops are the narrowest path's, so that they
		 * show the hop behind its PMTU (pmtudctl explain).
		 */
		if (res->walked && res->pmtu > 0 && (p->hops_pmtu <= 0 ||
		    res->pmtu < p->hops_pmtu)) {
			if (result_set_hops(&p->first, res->hops,
			    res->nhops) == -1)
				goto fail;
			p->first.walked = 1;
			p->hops_pmtu = res->pmtu;
		}
	}
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
