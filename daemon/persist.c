/* SPDX-License-Identifier: ISC */
/* The state file behind the store: load, coalesced saves, retries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "state.h"
#include "store.h"
#include "pmtud.h"
#include "persist.h"

#define PERSIST_DELAY_MS	1000	/* coalesce changes this long, */
#define PERSIST_DUTY		20	/* and 20 times what a save takes */
#define PERSIST_RETRY_MS	60000	/* after a failed save */

struct persist {
	struct pmtud	*env;
	char		*path;
	struct event	*timer;
	int		 dirty;
	int		 failing;	/* the last save failed */
	unsigned	 last_ms;	/* how long the last save took */
};

static void
persist_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	persist_flush(arg);
}

static void
persist_arm(struct persist *p, unsigned ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (!evtimer_pending(p->timer, NULL))
		evtimer_add(p->timer, &tv);
}

static void
persist_load(struct persist *p)
{
	char	 err[1024], aside[4096];
	size_t	 loaded = 0, skipped = 0;

	if (state_load(p->env->store, p->path, &loaded, &skipped, err,
	    sizeof(err)) == -1) {
		if (state_move_aside(p->path, clock_wall_ms(), aside,
		    sizeof(aside)) == 0)
			log_warnx("%s; moved aside to %s, starting afresh",
			    err, aside);
		else
			log_warn("%s; cannot move it aside either", err);
		return;
	}
	if (skipped > 0)
		log_warnx("%s (%zu bad results skipped)", err, skipped);
	if (loaded > 0)
		log_info("%s: %zu results loaded", p->path, loaded);
}

struct persist *
persist_new(struct pmtud *env, const char *path)
{
	struct persist	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->path = strdup(path)) == NULL ||
	    (p->timer = evtimer_new(env->base, persist_timer_cb, p)) ==
	    NULL) {
		if (p != NULL)
			free(p->path);
		free(p);
		return NULL;
	}
	p->env = env;
	persist_load(p);
	return p;
}

void
persist_dirty(struct persist *p)
{
	if (p == NULL)
		return;
	p->dirty = 1;
	/* A big store is saved less often: at most 5% of the time. */
	persist_arm(p, p->failing ? PERSIST_RETRY_MS :
	    p->last_ms * PERSIST_DUTY > PERSIST_DELAY_MS ?
	    p->last_ms * PERSIST_DUTY : PERSIST_DELAY_MS);
}

int
persist_flush(struct persist *p)
{
	char		 err[1024];
	uint64_t	 t0;
	int		 rc;

	if (p == NULL || !p->dirty)
		return 0;
	evtimer_del(p->timer);
	t0 = clock_mono_ms();
	rc = state_save(p->env->store, p->path, clock_wall_ms(), err,
	    sizeof(err));
	p->last_ms = clock_mono_ms() - t0;
	if (rc == -1) {
		/* Once per failing spell, not every minute. */
		if (!p->failing)
			log_warnx("%s; results are kept in memory, retrying "
			    "every %d s", err, PERSIST_RETRY_MS / 1000);
		p->failing = 1;
		persist_arm(p, PERSIST_RETRY_MS);
		return -1;
	}
	if (p->failing)
		log_info("%s: saved again", p->path);
	p->failing = 0;
	p->dirty = 0;
	return 0;
}

void
persist_free(struct persist *p)
{
	if (p == NULL)
		return;
	event_free(p->timer);
	free(p->path);
	free(p);
}
