/* SPDX-License-Identifier: ISC */
/* The state file behind the store: load, coalesced saves, retries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "log.h"
#include "statefile.h"
#include "store.h"
#include "pmtud.h"
#include "saver.h"

#define SAVER_DELAY_MS	1000	/* coalesce changes this long, */
#define SAVER_DUTY		20	/* and 20 times what a save takes */
#define SAVER_RETRY_MS	60000	/* after a failed save */

struct saver {
	struct pmtud	*env;
	char		*path;
	struct event	*timer;
	int		 dirty;
	int		 failing;	/* the last save failed */
	unsigned	 last_ms;	/* how long the last save took */
};

static void
saver_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	saver_flush(arg);
}

static void
saver_arm(struct saver *p, unsigned ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (!evtimer_pending(p->timer, NULL))
		evtimer_add(p->timer, &tv);
}

void
saver_load(struct saver *p)
{
	char	 err[1024], aside[4096];
	size_t	 loaded = 0, skipped = 0;

	if (statefile_load(p->env->store, p->path, &loaded, &skipped, err,
	    sizeof(err)) == -1) {
		if (statefile_move_aside(p->path, clock_wall_ms(), aside,
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

struct saver *
saver_new(struct pmtud *env, const char *path)
{
	struct saver	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->path = strdup(path)) == NULL ||
	    (p->timer = evtimer_new(env->base, saver_timer_cb, p)) ==
	    NULL) {
		if (p != NULL)
			free(p->path);
		free(p);
		return NULL;
	}
	p->env = env;
	return p;
}

void
saver_dirty(struct saver *p)
{
	if (p == NULL)
		return;
	p->dirty = 1;
	/* A big store is saved less often: at most 5% of the time. */
	saver_arm(p, p->failing ? SAVER_RETRY_MS :
	    p->last_ms * SAVER_DUTY > SAVER_DELAY_MS ?
	    p->last_ms * SAVER_DUTY : SAVER_DELAY_MS);
}

int
saver_flush(struct saver *p)
{
	char		 err[1024];
	uint64_t	 t0;
	int		 rc;

	if (p == NULL || !p->dirty)
		return 0;
	evtimer_del(p->timer);
	t0 = clock_mono_ms();
	rc = statefile_save(p->env->store, p->path, clock_wall_ms(), err,
	    sizeof(err));
	p->last_ms = clock_mono_ms() - t0;
	if (rc == -1) {
		/* Once per failing spell, not every minute. */
		if (!p->failing)
			log_warnx("%s; results are kept in memory, retrying "
			    "every %d s", err, SAVER_RETRY_MS / 1000);
		p->failing = 1;
		saver_arm(p, SAVER_RETRY_MS);
		return -1;
	}
	if (p->failing)
		log_info("%s: saved again", p->path);
	p->failing = 0;
	p->dirty = 0;
	return 0;
}

void
saver_free(struct saver *p)
{
	if (p == NULL)
		return;
	event_free(p->timer);
	free(p->path);
	free(p);
}
