/* SPDX-License-Identifier: ISC */
/*
 * Metrics for monitoring systems: the Prometheus text exposition, served
 * over HTTP at /metrics when metrics-listen is set (libevent's evhttp)
 * and through the control socket's "metrics" command.
 *
 * evhttp accepts the connections itself and only lets us make each one's
 * bufferevent, so that is where a connection is noticed: its descriptor
 * and peer are looked at once the accept is done (the admit event), and
 * one over the caps (in all, from one address) is shut down at once.
 * Each connection has an absolute deadline for its request, however
 * slowly the bytes trickle in (evhttp's own timeout starts again with
 * every byte), and another for taking the reply.  Shutting the socket
 * down makes evhttp see the end and free the connection; whether a
 * descriptor is still the connection it was is told by its inode.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "log.h"
#include "metrics.h"
#include "alert.h"
#include "version.h"
#include "pmtud.h"
#include "prober.h"
#include "accept_pause.h"

#define METRICS_REQUEST_S	10	/* from accept to a whole request */
#define METRICS_REPLY_S		60	/* for the reply to be taken */
#define METRICS_IDLE_S		10	/* evhttp's own, between bytes */
#define METRICS_LOG_MS		10000	/* repeated lines this often */

struct metrics_http;

/* A connection evhttp accepted. */
struct mconn {
	TAILQ_ENTRY(mconn)	 entry;
	struct metrics_http	*mh;
	struct bufferevent	*bev;		/* held until admitted */
	evutil_socket_t		 fd;		/* -1 until admitted */
	dev_t			 dev;		/* which socket fd is */
	ino_t			 ino;
	struct sockaddr_storage	 peer;
	struct event		*deadline;
	int			 replying;	/* a request is answered */
};

struct metrics_http {
	struct pmtud		*env;
	struct evhttp		*http;
	struct accept_pause	*pause;		/* out of descriptors */
	struct event		*admit;		/* after evhttp's accepts */
	TAILQ_HEAD(, mconn)	 conns;
	unsigned		 nconns;	/* admitted ones */
	unsigned		 max_clients;
	unsigned		 max_per_addr;
	struct log_limit	 full_log;	/* all taken */
	struct log_limit	 share_log;	/* one address's taken */
	struct log_limit	 slow_log;
};

/*
 * evhttp makes itself the listener's callback argument, so its error
 * callback finds the server here (there is one).
 */
static struct metrics_http	*metrics_server;

char *
pmtud_metrics(struct pmtud *env, size_t *len)
{
	struct metrics_counters	 mc;
	int			 i;

	memset(&mc, 0, sizeof(mc));
	mc.probes_sent = prober_sent(env->prober);
	for (i = 0; i < PKT_IGN_MAX; i++)
		mc.icmp_ignored[i] = prober_ignored(env->prober, i);
	mc.findings = env->findings;
	mc.alert_coalesced = alert_coalesced(env->alert);
	mc.uptime_s = (clock_mono_ms() - env->started_ms) / 1000.0;
	mc.version = PMTUD_VERSION;
	return metrics_render(env->store, &mc, clock_wall_ms(), len);
}

static const char *
peer_ntop(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void	*a;

	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	else if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	else
		a = NULL;
	if (a == NULL || inet_ntop(ss->ss_family, a, buf, len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* The same source address, whatever the port. */
static int
peer_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		    &((const struct sockaddr_in *)b)->sin_addr,
		    sizeof(struct in_addr)) == 0;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr,
		    sizeof(struct in6_addr)) == 0;
	return 0;
}

static void
conn_free(struct mconn *mc)
{
	struct metrics_http	*mh = mc->mh;

	TAILQ_REMOVE(&mh->conns, mc, entry);
	if (mc->fd != -1)
		mh->nconns--;
	if (mc->bev != NULL)
		bufferevent_decref(mc->bev);
	event_free(mc->deadline);
	free(mc);
}

/* Whether mc's descriptor is still its socket (evhttp has not closed it). */
static int
conn_alive(const struct mconn *mc)
{
	struct stat	 st;

	return mc->fd != -1 && fstat(mc->fd, &st) == 0 &&
	    st.st_dev == mc->dev && st.st_ino == mc->ino;
}

/* Forgets the connections evhttp has closed. */
static void
conn_sweep(struct metrics_http *mh)
{
	struct mconn	*mc, *next;

	for (mc = TAILQ_FIRST(&mh->conns); mc != NULL; mc = next) {
		next = TAILQ_NEXT(mc, entry);
		if (mc->fd != -1 && !conn_alive(mc))
			conn_free(mc);
	}
}

static void
conn_arm(struct mconn *mc, int seconds)
{
	struct timeval	 tv = { seconds, 0 };

	evtimer_add(mc->deadline, &tv);
}

/* Too slow, with the request or the reply: evhttp sees the end. */
static void
conn_deadline_cb(evutil_socket_t fd, short events, void *arg)
{
	struct mconn		*mc = arg;
	struct metrics_http	*mh = mc->mh;
	char			 abuf[INET6_ADDRSTRLEN];

	(void)fd;
	(void)events;
	if (conn_alive(mc)) {
		log_warnx_limited(&mh->slow_log, clock_mono_ms(),
		    "metrics: %s took over %d s to %s; closing it",
		    peer_ntop(&mc->peer, abuf, sizeof(abuf)),
		    mc->replying ? METRICS_REPLY_S : METRICS_REQUEST_S,
		    mc->replying ? "take a reply" : "send a request");
		(void)shutdown(mc->fd, SHUT_RDWR);
	}
	conn_free(mc);
}

/* The one mc whose socket carries req, or NULL. */
static struct mconn *
conn_of(struct metrics_http *mh, struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	struct mconn			*mc;
	evutil_socket_t			 fd;

	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL ||
	    (fd = bufferevent_getfd(bev)) == -1)
		return NULL;
	TAILQ_FOREACH(mc, &mh->conns, entry)
		if (mc->fd == fd && conn_alive(mc))
			return mc;
	return NULL;
}

/* Whether mc, just accepted, is within the caps. */
static int
conn_allowed(struct metrics_http *mh, const struct mconn *mc)
{
	const struct mconn	*o;
	unsigned		 same = 0;
	char			 abuf[INET6_ADDRSTRLEN];

	if (mh->nconns >= mh->max_clients) {
		log_warnx_limited(&mh->full_log, clock_mono_ms(),
		    "metrics: %u clients already; turning %s away",
		    mh->nconns, peer_ntop(&mc->peer, abuf, sizeof(abuf)));
		return 0;
	}
	TAILQ_FOREACH(o, &mh->conns, entry)
		if (o->fd != -1 && peer_eq(&o->peer, &mc->peer))
			same++;
	if (same >= mh->max_per_addr) {
		log_warnx_limited(&mh->share_log, clock_mono_ms(),
		    "metrics: %u clients from %s already; turning one away",
		    same, peer_ntop(&mc->peer, abuf, sizeof(abuf)));
		return 0;
	}
	return 1;
}

/* Looks at one new connection: counted with a deadline, or shut. */
static void
conn_admit(struct metrics_http *mh, struct mconn *mc)
{
	bufferevent_event_cb	 eventcb;
	struct stat		 st;
	socklen_t		 len = sizeof(mc->peer);
	evutil_socket_t		 fd;

	/* evhttp frees a bufferevent by clearing its callbacks first. */
	bufferevent_getcb(mc->bev, NULL, NULL, &eventcb, NULL);
	fd = bufferevent_getfd(mc->bev);
	bufferevent_decref(mc->bev);
	mc->bev = NULL;
	if (eventcb == NULL || fd == -1 || fstat(fd, &st) == -1 ||
	    getpeername(fd, (struct sockaddr *)&mc->peer, &len) == -1) {
		conn_free(mc);		/* gone already */
		return;
	}
	if (!conn_allowed(mh, mc)) {
		(void)shutdown(fd, SHUT_RDWR);
		conn_free(mc);
		return;
	}
	mc->fd = fd;
	mc->dev = st.st_dev;
	mc->ino = st.st_ino;
	mh->nconns++;
	conn_arm(mc, METRICS_REQUEST_S);
}

static void
admit_cb(evutil_socket_t fd, short events, void *arg)
{
	struct metrics_http	*mh = arg;
	struct mconn		*mc, *next;

	(void)fd;
	(void)events;
	conn_sweep(mh);
	for (mc = TAILQ_FIRST(&mh->conns); mc != NULL; mc = next) {
		next = TAILQ_NEXT(mc, entry);
		if (mc->bev != NULL)
			conn_admit(mh, mc);
	}
}

/*
 * evhttp's hook for a new connection's bufferevent: ours, held until
 * the admit event has seen the descriptor evhttp gives it.
 */
static struct bufferevent *
conn_new_cb(struct event_base *base, void *arg)
{
	struct metrics_http	*mh = arg;
	struct bufferevent	*bev;
	struct mconn		*mc;

	if ((bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)) ==
	    NULL)
		return NULL;
	if ((mc = calloc(1, sizeof(*mc))) == NULL ||
	    (mc->deadline = evtimer_new(base, conn_deadline_cb, mc)) == NULL) {
		free(mc);
		log_warnx("metrics: out of memory for a client");
		return bev;	/* served, but neither counted nor timed */
	}
	accept_pause_accepted(mh->pause);
	mc->mh = mh;
	mc->fd = -1;
	mc->bev = bev;
	bufferevent_incref(bev);
	TAILQ_INSERT_TAIL(&mh->conns, mc, entry);
	event_active(mh->admit, EV_TIMEOUT, 0);
	return bev;
}

/* The reply is out: the next request on this connection has its time. */
static void
reply_done_cb(struct evhttp_request *req, void *arg)
{
	struct mconn	*mc;

	if ((mc = conn_of(arg, req)) != NULL) {
		mc->replying = 0;
		conn_arm(mc, METRICS_REQUEST_S);
	}
}

/* A whole request came in time: now the reply has its own. */
static void
request_started(struct metrics_http *mh, struct evhttp_request *req)
{
	struct mconn	*mc;

	if ((mc = conn_of(mh, req)) != NULL) {
		mc->replying = 1;
		conn_arm(mc, METRICS_REPLY_S);
	}
	evhttp_request_set_on_complete_cb(req, reply_done_cb, mh);
}

static void
metrics_request_cb(struct evhttp_request *req, void *arg)
{
	struct metrics_http	*mh = arg;
	struct evbuffer		*body;
	char			*text;
	size_t			 len;

	request_started(mh, req);
	/* Other methods never get here: evhttp_set_allowed_methods(). */
	if ((text = pmtud_metrics(mh->env, &len)) == NULL ||
	    (body = evbuffer_new()) == NULL) {
		free(text);
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	evbuffer_add(body, text, len);
	free(text);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", METRICS_CONTENT_TYPE);
	evhttp_send_reply(req, 200, "OK", body);
	evbuffer_free(body);
}

static void
other_request_cb(struct evhttp_request *req, void *arg)
{
	request_started(arg, req);
	evhttp_send_error(req, 404, "see /metrics");
}

/* "127.0.0.1:9798", "[::1]:9798", "localhost:9798" */
static int
split_hostport(const char *hp, char *host, size_t len, unsigned *port)
{
	const char	*colon;
	size_t		 n;
	char		*end;
	long		 p;

	if ((colon = strrchr(hp, ':')) == NULL)
		return -1;
	n = colon - hp;
	if (n >= 2 && hp[0] == '[' && hp[n - 1] == ']') {
		hp++;
		n -= 2;
	}
	if (n == 0 || n >= len)
		return -1;
	memcpy(host, hp, n);
	host[n] = '\0';
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

/* accept() failed (out of descriptors, most likely): pause, not spin. */
static void
accept_error_cb(struct evconnlistener *l, void *arg)
{
	(void)l;
	(void)arg;		/* evhttp's */
	if (metrics_server != NULL)
		accept_pause_failed(metrics_server->pause,
		    EVUTIL_SOCKET_ERROR());
}

void
metrics_close(struct pmtud *env)
{
	struct metrics_http	*mh = env->http;

	if (mh == NULL)
		return;
	/* Our references first: evhttp frees what it has after them. */
	while (!TAILQ_EMPTY(&mh->conns))
		conn_free(TAILQ_FIRST(&mh->conns));
	if (mh->http != NULL)
		evhttp_free(mh->http);
	if (mh->admit != NULL)
		event_free(mh->admit);
	accept_pause_free(mh->pause);
	free(mh);
	env->http = NULL;
	metrics_server = NULL;
}

int
metrics_listen(struct pmtud *env, const char *hostport, unsigned max_clients,
    unsigned max_per_addr)
{
	struct metrics_http		*mh;
	struct evhttp_bound_socket	*bound;
	struct evconnlistener		*l;
	char				 host[256];
	unsigned			 port;

	if (split_hostport(hostport, host, sizeof(host), &port) == -1) {
		log_warnx("metrics-listen %s: want HOST:PORT", hostport);
		return -1;
	}
	if ((mh = calloc(1, sizeof(*mh))) == NULL) {
		log_warnx("metrics-listen: out of memory");
		return -1;
	}
	mh->env = env;
	TAILQ_INIT(&mh->conns);
	mh->max_clients = max_clients;
	mh->max_per_addr = max_per_addr;
	mh->full_log = (struct log_limit)LOG_LIMIT_INIT(METRICS_LOG_MS);
	mh->share_log = (struct log_limit)LOG_LIMIT_INIT(METRICS_LOG_MS);
	mh->slow_log = (struct log_limit)LOG_LIMIT_INIT(METRICS_LOG_MS);
	env->http = mh;
	if ((mh->admit = event_new(env->base, -1, 0, admit_cb, mh)) == NULL ||
	    (mh->http = evhttp_new(env->base)) == NULL) {
		log_warnx("metrics-listen: out of memory");
		metrics_close(env);
		return -1;
	}
	evhttp_set_allowed_methods(mh->http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_cb(mh->http, "/metrics", metrics_request_cb, mh);
	evhttp_set_gencb(mh->http, other_request_cb, mh);
	evhttp_set_bevcb(mh->http, conn_new_cb, mh);
	/* Scrapes are small; slow or idle clients must not linger. */
	evhttp_set_timeout(mh->http, METRICS_IDLE_S);
	evhttp_set_max_headers_size(mh->http, 8192);
	evhttp_set_max_body_size(mh->http, 0);
	if ((bound = evhttp_bind_socket_with_handle(mh->http, host,
	    port)) == NULL) {
		log_warn("metrics-listen %s", hostport);
		metrics_close(env);
		return -1;
	}
	l = evhttp_bound_socket_get_listener(bound);
	if ((mh->pause = accept_pause_new(env->base, l, "metrics")) == NULL) {
		log_warnx("metrics-listen: out of memory");
		metrics_close(env);
		return -1;
	}
	metrics_server = mh;
	evconnlistener_set_error_cb(l, accept_error_cb);
	log_info("metrics at http://%s/metrics", hostport);
	return 0;
}

void
metrics_set_limits(struct pmtud *env, unsigned max_clients,
    unsigned max_per_addr)
{
	if (env->http == NULL)
		return;
	env->http->max_clients = max_clients;
	env->http->max_per_addr = max_per_addr;
}
