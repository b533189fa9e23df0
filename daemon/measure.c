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

#include "alert.h"
#include "change.h"
#include "log.h"
#include "store.h"
#include "pmtud.h"
#include "saver.h"
#include "job.h"
#include "resolve.h"
#include "measure.h"

struct target {
	TAILQ_ENTRY(target)	 entry;
	TAILQ_HEAD(, measure)	 waiters;
	struct job_params	 params;
	struct job		*job;		/* NULL once it reported */
};

struct measure {
	TAILQ_ENTRY(measure)	 entry;		/* in its target's waiters */
	struct pmtud		*env;
	struct target		*target;	/* NULL while resolving */
	struct resolve		*rs;
	struct measure_req	 req;		/* destination points below */
	char			 destination[RESULT_DESTLEN];
	int			 events;
	measure_done_cb		 cb;
	void			*arg;
};

/*
 * Findings of destinations only ever probed on demand are kept, for the
 * asker and for status, but bounded: at most this many, none older.
 */
#define MEASURE_KEEP_ON_DEMAND	1024
#define MEASURE_ON_DEMAND_AGE_MS (24 * 60 * 60 * 1000LL)
#define MEASURE_PRUNE_EVERY_MS	(60 * 1000)

static TAILQ_HEAD(, target) targets = TAILQ_HEAD_INITIALIZER(targets);

static void	 measure_job_done_cb(const struct result *, void *);

/*
 * Stores res, emits an alert for every change it makes and marks the
 * state file for saving.  Returns how many alert events it made.
 */
static int
measure_record(struct pmtud *env, const struct result *res)
{
	static uint64_t		 pruned_at;
	const struct result	*now;
	struct result		 base;
	struct change		 ev[CHANGE_MAX];
	uint64_t		 mono = clock_mono_ms();
	size_t			 gone;
	int			 i, n, have;

	/* Compared with the last conclusive finding: errors say nothing. */
	have = store_base(env->store, res->destination, res->family,
	    &base) == 0;
	n = change_detect(have ? &base : NULL, res, ev);
	env->findings++;
	if (store_put(env->store, res) == -1)
		log_warnx("%s: cannot store the result", res->destination);
	/* Nobody watches a path only asked about once: the asker saw it. */
	now = store_get(env->store, res->destination, res->family);
	if (now != NULL && now->on_demand)
		n = 0;
	for (i = 0; i < n; i++)
		alert_emit(env->alert, &ev[i]);
	if (store_on_demand(env->store) > MEASURE_KEEP_ON_DEMAND * 5 / 4 ||
	    mono - pruned_at >= MEASURE_PRUNE_EVERY_MS) {
		pruned_at = mono;
		gone = store_prune(env->store, MEASURE_KEEP_ON_DEMAND,
		    clock_wall_ms() - MEASURE_ON_DEMAND_AGE_MS);
		if (gone > 0)
			log_info("forgot %zu findings of destinations only "
			    "probed on demand (at most %d are kept, none older "
			    "than a day)", gone, MEASURE_KEEP_ON_DEMAND);
	}
	saver_dirty(env->saver);
	return n;
}

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
		done.events = measure_record(m->env, &res);
	}
	m->cb(&done, m->arg);
	measure_free(m);
}

static int
target_matches(const struct target *t, const struct job_params *jp)
{
	return t->job != NULL && addr_eq(&t->params.address, &jp->address) &&
	    t->params.method == jp->method && t->params.port == jp->port &&
	    t->params.walk == jp->walk;
}

static struct target *
target_find(const struct job_params *jp)
{
	struct target	*t;

	TAILQ_FOREACH(t, &targets, entry)
		if (target_matches(t, jp))
			return t;
	return NULL;
}

static struct target *
target_start(struct pmtud *env, const struct job_params *jp)
{
	struct target	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	TAILQ_INIT(&t->waiters);
	t->params = *jp;
	if ((t->job = job_start(env, jp, measure_job_done_cb, t)) == NULL) {
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
	if ((t = target_find(&jp)) != NULL) {
		if (jp.urgent)
			job_hurry(t->job);
	} else if ((t = target_start(m->env, &jp)) == NULL) {
		measure_fail(m, "out of memory", 0);
		return;
	}
	m->target = t;
	TAILQ_INSERT_TAIL(&t->waiters, m, entry);
}

/* A request asked under the same name earlier in the list, if any. */
static struct measure *
measure_same_name(struct target *t, struct measure *m)
{
	struct measure	*p;

	TAILQ_FOREACH(p, &t->waiters, entry) {
		if (p == m)
			return NULL;
		if (strcmp(p->destination, m->destination) == 0)
			return p;
	}
	return NULL;
}

/* Whether every request under m's name came from a client. */
static int
measure_only_on_demand(struct target *t, struct measure *m)
{
	struct measure	*p;

	TAILQ_FOREACH(p, &t->waiters, entry)
		if (!p->req.on_demand &&
		    strcmp(p->destination, m->destination) == 0)
			return 0;
	return 1;
}

/*
 * The job reported: record the result once for each name it was asked
 * under, then give every request the result under its own name.
 */
static void
measure_job_done_cb(const struct result *res, void *arg)
{
	struct target		*t = arg;
	struct measure		*m, *p;
	struct measure_done	 done;
	const struct result	*stored;
	struct result		 named;

	t->job = NULL;		/* it frees itself after this */
	TAILQ_REMOVE(&targets, t, entry);
	named = *res;
	TAILQ_FOREACH(m, &t->waiters, entry) {
		if ((p = measure_same_name(t, m)) != NULL) {
			m->events = p->events;
			continue;
		}
		memcpy(named.destination, m->destination,
		    sizeof(named.destination));
		named.on_demand = measure_only_on_demand(t, m);
		m->events = measure_record(m->env, &named);
	}
	while ((m = TAILQ_FIRST(&t->waiters)) != NULL) {
		memcpy(named.destination, m->destination,
		    sizeof(named.destination));
		named.on_demand = measure_only_on_demand(t, m);
		TAILQ_REMOVE(&t->waiters, m, entry);
		m->target = NULL;
		memset(&done, 0, sizeof(done));
		/* As recorded, with what the store keeps beside it. */
		stored = store_get(m->env->store, m->destination,
		    named.family);
		done.result = stored != NULL && stored->updated_at_ms ==
		    named.updated_at_ms ? stored : &named;
		done.events = m->events;
		m->cb(&done, m->arg);
		measure_free(m);
	}
	free(t);
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
		/* The last one gone: nobody wants the result. */
		if (TAILQ_EMPTY(&t->waiters) && t->job != NULL) {
			TAILQ_REMOVE(&targets, t, entry);
			job_cancel(t->job);
			free(t);
		}
	}
	measure_free(m);
}
