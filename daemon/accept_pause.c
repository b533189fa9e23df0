/* SPDX-License-Identifier: ISC */
/* Pausing a listener whose accept() fails; see accept_pause.h. */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "log.h"
#include "pmtud.h"
#include "accept_pause.h"

#define PAUSE_MIN_MS	100
#define PAUSE_MAX_MS	1000
#define PAUSE_LOG_MS	10000

struct accept_pause {
	struct evconnlistener	*listener;
	struct event		*timer;
	const char		*what;
	unsigned		 delay_ms;	/* the next pause */
	int			 paused;
	struct log_limit	 log;
};

static void
pause_end(struct accept_pause *ap)
{
	ap->paused = 0;
	evconnlistener_enable(ap->listener);
}

static void
pause_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	pause_end(arg);
}

struct accept_pause *
accept_pause_new(struct event_base *base, struct evconnlistener *l,
    const char *what)
{
	struct accept_pause	*ap;

	if ((ap = calloc(1, sizeof(*ap))) == NULL)
		return NULL;
	if ((ap->timer = evtimer_new(base, pause_timer_cb, ap)) == NULL) {
		free(ap);
		return NULL;
	}
	ap->listener = l;
	ap->what = what;
	ap->delay_ms = PAUSE_MIN_MS;
	ap->log = (struct log_limit)LOG_LIMIT_INIT(PAUSE_LOG_MS);
	return ap;
}

void
accept_pause_failed(struct accept_pause *ap, int err)
{
	struct timeval	 tv;

	log_warnx_limited(&ap->log, clock_mono_ms(), "%s: accept: %s; "
	    "not accepting for %u ms", ap->what, strerror(err), ap->delay_ms);
	evconnlistener_disable(ap->listener);
	ap->paused = 1;
	tv.tv_sec = ap->delay_ms / 1000;
	tv.tv_usec = (ap->delay_ms % 1000) * 1000;
	evtimer_add(ap->timer, &tv);
	ap->delay_ms = ap->delay_ms * 2 < PAUSE_MAX_MS ? ap->delay_ms * 2 :
	    PAUSE_MAX_MS;
}

void
accept_pause_accepted(struct accept_pause *ap)
{
	if (ap != NULL)
		ap->delay_ms = PAUSE_MIN_MS;
}

void
accept_pause_resume(struct accept_pause *ap)
{
	if (ap == NULL || !ap->paused)
		return;
	evtimer_del(ap->timer);
	pause_end(ap);
}

void
accept_pause_free(struct accept_pause *ap)
{
	if (ap == NULL)
		return;
	event_free(ap->timer);
	free(ap);
}
