/* SPDX-License-Identifier: ISC */
/* Configured destinations: schedule, resolve, measure, record. */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "conf.h"
#include "log.h"
#include "sched.h"
#include "store.h"
#include "pmtud.h"
#include "saver.h"
#include "measure.h"
#include "monitor.h"

/* Scheduled measurements running at once; more wait for their turn. */
#define MONITOR_MAX_RUNNING	256

struct mdest {
	struct conf_dest	 cd;
	struct monitor		*m;
	unsigned		 key;		/* index, scheduler key */
	struct measure		*measure;	/* running */
};

/*
 * Destinations live in slots indexed by their scheduler key; each is its
 * own allocation, so callbacks holding one survive the array growing.
 */
struct monitor {
	struct pmtud	*env;
	struct mdest	**slots;		/* NULL: free */
	unsigned	 nslots;
	unsigned	 free_hint;		/* no free slot below this */
	unsigned	 count;			/* slots in use */
	unsigned	 running;
	struct event	*timer;
};

static void	 monitor_timer_cb(evutil_socket_t, short, void *);
static void	 monitor_kick(struct monitor *);

struct monitor *
monitor_new(struct pmtud *env)
{
	struct monitor	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->env = env;
	if ((m->timer = evtimer_new(env->base, monitor_timer_cb, m)) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

/* Ends what a destination has running and frees its slot. */
static void
mdest_stop(struct mdest *d)
{
	if (d->measure != NULL)
		d->m->running--;
	measure_cancel(d->measure);
	d->measure = NULL;
}

static void
mdest_measured_cb(const struct measure_done *done, void *arg)
{
	struct mdest		*d = arg;
	struct monitor		*m = d->m;
	const struct result	*res = done->result;
	enum sched_outcome	 o;

	d->measure = NULL;
	m->running--;
	if (res->state == RESULT_UNREACHABLE || res->state == RESULT_ERROR)
		o = SCHED_FAILED;
	else
		o = done->events > 0 || done->confirming ? SCHED_CHANGED :
		    SCHED_SAME;
	sched_done(m->env->sched, d->key, o, clock_mono_ms());
	monitor_kick(m);
}

static void
mdest_start(struct mdest *d)
{
	struct monitor		*m = d->m;
	struct measure_req	 mr;

	memset(&mr, 0, sizeof(mr));
	mr.destination = d->cd.name;
	mr.family = d->cd.family;
	mr.method = d->cd.method;
	mr.port = d->cd.port;
	mr.walk = d->cd.walk;
	mr.flows = d->cd.flows;
	d->measure = measure_start(m->env, &mr, mdest_measured_cb, d);
	if (d->measure == NULL) {
		log_warnx("%s: out of memory", d->cd.name);
		sched_done(m->env->sched, d->key, SCHED_FAILED,
		    clock_mono_ms());
		return;
	}
	m->running++;
}

/* Starts what is due, then sleeps until the next one comes due. */
static void
monitor_kick(struct monitor *m)
{
	struct timeval	 tv;
	uint64_t	 now, wake = 0;
	unsigned	 key;

	evtimer_del(m->timer);
	for (;;) {
		now = clock_mono_ms();
		if (m->running >= MONITOR_MAX_RUNNING)
			return;		/* mdest_finished() kicks again */
		if (!sched_due(m->env->sched, now, &key, &wake))
			break;
		if (key < m->nslots && m->slots[key] != NULL)
			mdest_start(m->slots[key]);
	}
	if (wake == 0)
		return;
	wake = wake > now ? wake - now : 0;
	tv.tv_sec = wake / 1000;
	tv.tv_usec = (wake % 1000) * 1000;
	evtimer_add(m->timer, &tv);
}

static void
monitor_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	monitor_kick(arg);
}

static int
mdest_add(struct monitor *m, const struct conf_dest *cd, uint64_t interval)
{
	struct mdest	**ns, *d;
	unsigned	 i;

	for (i = m->free_hint; i < m->nslots && m->slots[i] != NULL; i++)
		;
	if (i == m->nslots) {
		ns = reallocarray(m->slots, m->nslots ? m->nslots * 2 : 64,
		    sizeof(*ns));
		if (ns == NULL)
			return -1;
		m->slots = ns;
		memset(ns + m->nslots, 0, m->nslots ? m->nslots * sizeof(*ns) :
		    64 * sizeof(*ns));
		m->nslots = m->nslots ? m->nslots * 2 : 64;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	d->cd = *cd;
	d->m = m;
	d->key = i;
	if (sched_add(m->env->sched, i, interval, clock_mono_ms()) == -1) {
		free(d);
		return -1;
	}
	m->slots[i] = d;
	m->free_hint = i + 1;
	m->count++;
	return 0;
}

static void
mdest_remove(struct monitor *m, struct mdest *d)
{
	mdest_stop(d);
	sched_remove(m->env->sched, d->key);
	/* Forget what was found, under any family it was stored with. */
	if (d->cd.family != 0)
		store_remove(m->env->store, d->cd.name, d->cd.family);
	else {
		store_remove(m->env->store, d->cd.name, AF_INET);
		store_remove(m->env->store, d->cd.name, AF_INET6);
	}
	saver_dirty(m->env->saver);
	m->slots[d->key] = NULL;
	if (d->key < m->free_hint)
		m->free_hint = d->key;
	m->count--;
	free(d);
}

static int
cmp_key(const char *n1, int f1, const char *n2, int f2)
{
	int	 c;

	if ((c = strcmp(n1, n2)) != 0)
		return c;
	return f1 < f2 ? -1 : f1 > f2;
}

static int
cmp_mdest(const void *a, const void *b)
{
	const struct mdest	*x = *(struct mdest *const *)a;
	const struct mdest	*y = *(struct mdest *const *)b;

	return cmp_key(x->cd.name, x->cd.family, y->cd.name, y->cd.family);
}

static int
cmp_cdest(const void *a, const void *b)
{
	const struct conf_dest	*x = *(const struct conf_dest *const *)a;
	const struct conf_dest	*y = *(const struct conf_dest *const *)b;

	return cmp_key(x->name, x->family, y->name, y->family);
}

/* Both sides sorted, then merged: a reload of 100,000 is n log n. */
static int
monitor_merge(struct monitor *m, const struct conf *c,
    struct mdest **old, unsigned nold, const struct conf_dest **nw)
{
	uint64_t	 interval;
	unsigned	 i = 0;
	size_t		 j = 0;
	int		 cmp, rc = 0;

	while (i < nold || j < c->ndests) {
		if (i == nold)
			cmp = 1;
		else if (j == c->ndests)
			cmp = -1;
		else
			cmp = cmp_key(old[i]->cd.name, old[i]->cd.family,
			    nw[j]->name, nw[j]->family);
		if (cmp < 0) {
			mdest_remove(m, old[i++]);
			continue;
		}
		interval = nw[j]->interval_ms ? nw[j]->interval_ms :
		    c->interval_ms;
		if (cmp == 0) {
			old[i]->cd = *nw[j];
			sched_add(m->env->sched, old[i]->key, interval,
			    clock_mono_ms());
			i++;
		} else if (mdest_add(m, nw[j], interval) == -1)
			rc = -1;
		j++;
	}
	return rc;
}

int
monitor_configure(struct monitor *m, const struct conf *c)
{
	struct mdest		**old;
	const struct conf_dest	**nw;
	unsigned		 i, nold = 0;
	size_t			 j;
	int			 rc;

	old = calloc(m->count + 1, sizeof(*old));
	nw = calloc(c->ndests + 1, sizeof(*nw));
	if (old == NULL || nw == NULL) {
		free(old);
		free(nw);
		return -1;
	}
	for (i = 0; i < m->nslots; i++)
		if (m->slots[i] != NULL)
			old[nold++] = m->slots[i];
	for (j = 0; j < c->ndests; j++)
		nw[j] = &c->dests[j];
	qsort(old, nold, sizeof(*old), cmp_mdest);
	qsort(nw, c->ndests, sizeof(*nw), cmp_cdest);
	rc = monitor_merge(m, c, old, nold, nw);
	free(old);
	free(nw);
	monitor_kick(m);
	return rc;
}

unsigned
monitor_count(const struct monitor *m)
{
	return m->count;
}

void
monitor_free(struct monitor *m)
{
	unsigned	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nslots; i++) {
		if (m->slots[i] != NULL) {
			mdest_stop(m->slots[i]);
			free(m->slots[i]);
		}
	}
	event_free(m->timer);
	free(m->slots);
	free(m);
}
