/* One measurement: route look-up, search, fallback, result. */
#include <sys/types.h>
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
#include "search.h"
#include "job.h"

struct job_probe {
	unsigned	 token;
	uint32_t	 slot;
};

struct job {
	struct pmtud		*env;
	struct result		 res;
	struct addr		 src;
	enum pkt_proto		 proto;
	int			 fallback;	/* may still try UDP */
	int			 told;		/* an ICMP error ended it */
	unsigned		 local_mtu;
	unsigned		 probes_before;	/* sent by an earlier method */
	struct search		*search;
	struct event		*timer;
	uint64_t		 started;
	int			 finished;
	struct job_probe	*probes;
	size_t			 nprobes;
	size_t			 probes_cap;
	job_done_cb		 cb;
	void			*arg;
};

static void	 job_step(struct job *);
static void	 job_timer_cb(evutil_socket_t, short, void *);
static void	 job_answer_cb(void *, unsigned, const struct pkt_reply *);

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
	if (j->timer)
		event_free(j->timer);
	free(j->probes);
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

	j->finished = 1;
	job_forget_all(j);
	j->res.state = state;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(j->res.error, sizeof(j->res.error), fmt, ap);
		va_end(ap);
	}
	j->res.duration_ms = clock_mono_ms() - j->started;
	j->res.updated_at_ms = clock_wall_ms();
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

static int
job_search_start(struct job *j, enum pkt_proto proto)
{
	struct search_params	 sp;

	memset(&sp, 0, sizeof(sp));
	sp.family = j->res.family;
	sp.local_mtu = j->local_mtu;
	search_free(j->search);
	if ((j->search = search_new(&sp)) == NULL)
		return -1;
	j->proto = proto;
	return 0;
}

static void
job_send(struct job *j, const struct search_probe *sp, uint64_t now)
{
	uint32_t	 slot;
	int		 error;

	error = prober_send(j->env->prober, j->proto, &j->src,
	    &j->res.address, sp->size, 0, j, sp->token, job_answer_cb, &slot);
	if (error == 0 && job_remember(j, sp->token, slot) == -1) {
		prober_forget(j->env->prober, slot, j);
		error = ENOMEM;
	}
	if (error != 0) {
		log_debug("%s: sending %u bytes: %s", j->res.destination,
		    sp->size, strerror(error));
		search_on_send_error(j->search, sp->token, error, now);
	}
}

/* The search is over: fall back to UDP, or report. */
static void
job_search_done(struct job *j)
{
	struct search_result	 sr;

	search_result(j->search, &sr);
	job_forget_all(j);
	j->res.probes_sent = j->probes_before + sr.probes_sent;
	if (sr.state == SEARCH_UNREACHABLE && j->fallback && !j->told) {
		j->fallback = 0;
		j->probes_before += sr.probes_sent;
		if (job_search_start(j, PKT_UDP) == 0) {
			log_debug("%s: no echo answer, trying UDP",
			    j->res.destination);
			job_step(j);
			return;
		}
	}
	switch (sr.state) {
	case SEARCH_OK:
		j->res.pmtu = sr.pmtu;
		j->res.method = j->proto;
		job_finish(j, RESULT_OK, NULL);
		break;
	case SEARCH_UNREACHABLE:
		if (!j->told)
			snprintf(j->res.error, sizeof(j->res.error),
			    "no answer to any probe");
		job_finish(j, RESULT_UNREACHABLE, NULL);
		break;
	case SEARCH_ERROR:
		job_finish(j, RESULT_ERROR, "sending probes: %s",
		    strerror(sr.error));
		break;
	}
}

static void
job_step(struct job *j)
{
	struct search_probe	 sp;
	struct timeval		 tv;
	uint64_t		 now, wake;

	for (;;) {
		now = clock_mono_ms();
		switch (search_next(j->search, now, &sp, &wake)) {
		case SEARCH_SEND:
			job_send(j, &sp, now);
			continue;
		case SEARCH_WAIT:
			wake = wake > now ? wake - now : 0;
			tv.tv_sec = wake / 1000;
			tv.tv_usec = (wake % 1000) * 1000;
			evtimer_add(j->timer, &tv);
			return;
		case SEARCH_DONE:
			job_search_done(j);
			return;
		}
	}
}

static void
job_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	struct job	*j = arg;

	(void)fd;
	(void)events;
	if (!j->finished) {
		job_step(j);
		return;
	}
	j->cb(&j->res, j->arg);
	job_free(j);
}

static void
job_told(struct job *j, const struct pkt_reply *r, const char *what)
{
	char	 from[ADDR_STRLEN];

	j->told = 1;
	snprintf(j->res.error, sizeof(j->res.error),
	    "%s (ICMP type %d code %d from %s)", what, r->type, r->code,
	    addr_ntop(&r->from, from, sizeof(from)));
}

static void
job_answer_cb(void *owner, unsigned token, const struct pkt_reply *r)
{
	struct job	*j = owner;
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
	evtimer_del(j->timer);
	job_step(j);
}

static int
job_route(struct job *j)
{
	struct route_info	 ri;
	int			 error;

	error = route_lookup(j->env->route, &j->res.address, &ri);
	if (error != 0) {
		job_finish(j, error == ENETUNREACH || error == EHOSTUNREACH ?
		    RESULT_UNREACHABLE : RESULT_ERROR, "no route: %s",
		    strerror(error));
		return -1;
	}
	j->src = ri.src;
	/* A loopback device is 65536; an IP packet stops at 65535. */
	j->local_mtu = ri.mtu > PKT_MAX ? PKT_MAX : ri.mtu;
	j->res.local_mtu = j->local_mtu;
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

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->timer = evtimer_new(env->base, job_timer_cb, j)) == NULL) {
		free(j);
		return NULL;
	}
	j->env = env;
	j->cb = cb;
	j->arg = arg;
	j->started = clock_mono_ms();
	result_init(&j->res, jp->destination);
	j->res.address = jp->address;
	j->res.family = jp->address.family;
	if (!prober_has_family(env->prober, j->res.family)) {
		job_finish(j, RESULT_ERROR, "IPv%d probing is not available",
		    addr_family_num(j->res.family));
		return j;
	}
	if (job_route(j) == -1)
		return j;
	j->fallback = jp->method == 0;
	if (job_search_start(j, jp->method == PKT_UDP ? PKT_UDP : PKT_ICMP)) {
		job_finish(j, RESULT_ERROR, "cannot start a search");
		return j;
	}
	job_step(j);
	return j;
}

void
job_cancel(struct job *j)
{
	if (j != NULL)
		job_free(j);
}
