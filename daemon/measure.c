/* SPDX-License-Identifier: ISC */
/*
 * The front door for measurements.  A request is resolved, then joins
 * the target (address and how to measure it) that is already being
 * measured, or starts a job for it.  Requests for the same target wait
 * for one job instead of starting another: two searches of one path
 * would compete for the same routers' ICMP allowance and read each
 * other's silence as a black hole.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "pmtud.h"
#include "job.h"
#include "paths.h"
#include "record.h"
#include "resolve.h"
#include "measure.h"

/* A name a target was asked under, and what recording under it made. */
struct target_name {
	char		 name[RESULT_DESTLEN];
	int		 on_demand;	/* only clients asked under it */
	int		 events;
};

/*
 * A first run that would page someone (change_alarming) is run again at
 * once; its result is recorded only when the second run has reported,
 * as confirmed when both agree.  The requests get the first result.
 */
struct target {
	TAILQ_ENTRY(target)	 entry;
	TAILQ_HEAD(, measure)	 waiters;
	struct pmtud		*env;
	struct job_params	 params;
	struct paths		*job;		/* NULL once it reported */
	unsigned		 flows;		/* at most this many flows */
	int			 confirming;	/* the second run is on */
	struct result		 first;		/* ... of this result */
	struct target_name	*names;
	size_t			 nnames;
};

struct measure {
	TAILQ_ENTRY(measure)	 entry;		/* in its target's waiters */
	struct pmtud		*env;
	struct target		*target;	/* NULL while resolving */
	struct resolve		*rs;
	struct measure_req	 req;		/* destination points below */
	char			 destination[RESULT_DESTLEN];
	measure_done_cb		 cb;
	void			*arg;
};

static TAILQ_HEAD(, target) targets = TAILQ_HEAD_INITIALIZER(targets);

static void	 measure_job_done_cb(const struct result *, void *);

static void
measure_free(struct measure *m)
{
	resolve_cancel(m->rs);
	free(m);
}

/*
 * No job could be run for m.  A client is told why; for the monitor the
 * reason is a finding like any other, so status shows it.
 */
static void
measure_fail(struct measure *m, const char *why, int unresolved)
{
	struct measure_done	 done;
	struct result		 res;

	memset(&done, 0, sizeof(done));
	if (m->req.on_demand) {
		done.error = why;
		done.unresolved = unresolved;
	} else {
		result_init(&res, m->destination);
		res.family = m->req.family;
		res.on_demand = m->req.on_demand;
		res.state = RESULT_ERROR;
		res.updated_at_ms = clock_wall_ms();
		/* A long name may cut the reason short; the name stays. */
		if (snprintf(res.error, sizeof(res.error), "%s%s%s%s",
		    unresolved ? "cannot resolve " : "",
		    unresolved ? m->destination : "",
		    unresolved ? ": " : "", why) < 0)
			res.error[0] = '\0';
		done.result = &res;
		done.events = record_result(m->env, &res, RECORD_AS_IS);
	}
	m->cb(&done, m->arg);
	measure_free(m);
}

static int
target_matches(const struct target *t, const struct job_params *jp,
    unsigned flows)
{
	return t->job != NULL && addr_eq(&t->params.address, &jp->address) &&
	    t->params.method == jp->method && t->params.port == jp->port &&
	    t->params.walk == jp->walk && t->flows == flows;
}

static struct target *
target_find(const struct job_params *jp, unsigned flows)
{
	struct target	*t;

	TAILQ_FOREACH(t, &targets, entry)
		if (target_matches(t, jp, flows))
			return t;
	return NULL;
}

static struct target *
target_start(struct pmtud *env, const struct job_params *jp, unsigned flows)
{
	struct target	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	TAILQ_INIT(&t->waiters);
	t->env = env;
	t->params = *jp;
	t->flows = flows;
	result_init(&t->first, "");
	if ((t->job = paths_start(env, jp, flows, measure_job_done_cb, t)) ==
	    NULL) {
		free(t);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&targets, t, entry);
	return t;
}

static void
measure_resolved_cb(const char *error, const struct addr *a, void *arg)
{
	struct measure		*m = arg;
	struct job_params	 jp;
	struct target		*t;
	unsigned		 flows;

	m->rs = NULL;
	if (error != NULL) {
		if (!m->req.on_demand)
			log_warnx("%s: cannot resolve: %s", m->destination,
			    error);
		measure_fail(m, error, 1);
		return;
	}
	memset(&jp, 0, sizeof(jp));
	jp.address = *a;
	jp.method = m->req.method;
	if (jp.method == METHOD_TCP)
		jp.port = m->req.port ? m->req.port : JOB_TCP_PORT;
	jp.walk = m->req.walk;
	jp.urgent = m->req.on_demand;
	flows = m->req.flows > 0 ? m->req.flows : 1;
	if ((t = target_find(&jp, flows)) != NULL) {
		if (jp.urgent)
			paths_hurry(t->job);
	} else if ((t = target_start(m->env, &jp, flows)) == NULL) {
		measure_fail(m, "out of memory", 0);
		return;
	}
	m->target = t;
	TAILQ_INSERT_TAIL(&t->waiters, m, entry);
}

static void
target_free(struct target *t)
{
	result_clear(&t->first);
	free(t->names);
	free(t);
}

static struct target_name *
target_name_find(struct target *t, const char *name)
{
	size_t	 i;

	for (i = 0; i < t->nnames; i++)
		if (strcmp(t->names[i].name, name) == 0)
			return &t->names[i];
	return NULL;
}

/*
 * Adds the waiters' names to those the target was asked under; a name
 * is on demand only while no scheduled request used it.  -1: no memory.
 */
static int
target_collect_names(struct target *t)
{
	struct target_name	*n, *nn;
	struct measure		*m;

	TAILQ_FOREACH(m, &t->waiters, entry) {
		if ((n = target_name_find(t, m->destination)) != NULL) {
			n->on_demand = n->on_demand && m->req.on_demand;
			continue;
		}
		nn = reallocarray(t->names, t->nnames + 1, sizeof(*nn));
		if (nn == NULL)
			return -1;
		t->names = nn;
		n = &t->names[t->nnames++];
		memset(n, 0, sizeof(*n));
		snprintf(n->name, sizeof(n->name), "%s", m->destination);
		n->on_demand = m->req.on_demand;
	}
	return 0;
}

static void
target_name_result(const struct target_name *n, const struct result *res,
    struct result *named)
{
	*named = *res;		/* shares res's hops: not to be cleared */
	memcpy(named->destination, n->name, sizeof(named->destination));
	named->on_demand = n->on_demand;
}

static int
target_alarming(struct target *t, const struct result *res)
{
	struct result	 named;
	size_t		 i;

	for (i = 0; i < t->nnames; i++) {
		target_name_result(&t->names[i], res, &named);
		if (record_alarming(t->env, &named))
			return 1;
	}
	return 0;
}

/* Each request gets res under its own name, as recorded if it was. */
static void
target_deliver(struct target *t, const struct result *res)
{
	const struct result	*stored;
	struct target_name	*n, none = { "", 1, 0 };
	struct measure_done	 done;
	struct result		 named;
	struct measure		*m;

	while ((m = TAILQ_FIRST(&t->waiters)) != NULL) {
		if ((n = target_name_find(t, m->destination)) == NULL)
			n = &none;	/* out of memory for names */
		snprintf(none.name, sizeof(none.name), "%s", m->destination);
		target_name_result(n, res, &named);
		TAILQ_REMOVE(&t->waiters, m, entry);
		m->target = NULL;
		memset(&done, 0, sizeof(done));
		stored = store_get(t->env->store, m->destination,
		    named.family);
		done.result = stored != NULL && stored->updated_at_ms ==
		    named.updated_at_ms ? stored : &named;
		done.events = n->events;
		done.confirming = t->confirming && t->job != NULL;
		m->cb(&done, m->arg);
		measure_free(m);
	}
}

/* The first run would page someone: run again before recording it. */
static int
target_confirm(struct target *t, const struct result *res)
{
	if (result_copy(&t->first, res) == -1)
		return -1;
	if ((t->job = paths_start(t->env, &t->params, t->flows,
	    measure_job_done_cb, t)) == NULL)
		return -1;
	t->confirming = 1;
	log_info("%s: %s; running again to confirm", t->first.destination,
	    result_state_name(res->state));
	target_deliver(t, res);
	return 0;
}

static int
target_agrees(const struct result *a, const struct result *b)
{
	return a->state == b->state && a->pmtu == b->pmtu &&
	    a->blackhole.found == b->blackhole.found &&
	    a->npaths == b->npaths;
}

/*
 * A job reported.  Unless it needs confirming, the result is recorded
 * once for each name the target was asked under, and every request gets
 * it under its own name.
 */
static void
measure_job_done_cb(const struct result *res, void *arg)
{
	struct target		*t = arg;
	struct result		 named;
	enum record_how		 how = RECORD_AS_IS;
	size_t			 i;

	t->job = NULL;		/* it frees itself after this */
	if (target_collect_names(t) == -1)
		log_warnx("%s: out of memory for its names",
		    res->destination);
	if (!t->confirming && target_alarming(t, res) &&
	    target_confirm(t, res) == 0)
		return;
	TAILQ_REMOVE(&targets, t, entry);
	if (t->confirming)
		how = target_agrees(&t->first, res) ? RECORD_CONFIRMED :
		    RECORD_UNCONFIRMED;
	for (i = 0; i < t->nnames; i++) {
		target_name_result(&t->names[i], res, &named);
		t->names[i].events = record_result(t->env, &named, how);
	}
	target_deliver(t, res);
	target_free(t);
}

struct measure *
measure_start(struct pmtud *env, const struct measure_req *req,
    measure_done_cb cb, void *arg)
{
	struct measure	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->env = env;
	m->req = *req;
	snprintf(m->destination, sizeof(m->destination), "%s",
	    req->destination);
	m->req.destination = m->destination;
	m->cb = cb;
	m->arg = arg;
	m->rs = resolve_start(env->base, env->dns, m->destination,
	    req->family, measure_resolved_cb, m);
	if (m->rs == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
measure_cancel(struct measure *m)
{
	struct target	*t;

	if (m == NULL)
		return;
	if ((t = m->target) != NULL) {
		TAILQ_REMOVE(&t->waiters, m, entry);
		/*
		 * The last one gone: nobody wants the result, unless it is
		 * to be confirmed, then recorded.
		 */
		if (TAILQ_EMPTY(&t->waiters) && t->job != NULL &&
		    !t->confirming) {
			TAILQ_REMOVE(&targets, t, entry);
			paths_cancel(t->job);
			target_free(t);
		}
	}
	measure_free(m);
}

void
measure_shutdown(void)
{
	struct target	*t;

	while ((t = TAILQ_FIRST(&targets)) != NULL) {
		TAILQ_REMOVE(&targets, t, entry);
		paths_cancel(t->job);
		target_free(t);
	}
}
