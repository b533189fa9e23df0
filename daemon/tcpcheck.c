/* SPDX-License-Identifier: ISC */
/*
 * The TCP MSS check.  A normal non-blocking connect does the handshake;
 * a raw TCP socket per family (probes/tcp.c) sees a copy of the SYN-ACK,
 * from which the peer's MSS option is read, since the kernel keeps that
 * value to itself.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "tcp.h"
#include "tcpcheck.h"

#define TC_GRACE_MS	100	/* wait for a SYN-ACK copy once connected */
#define TC_BATCH	64	/* raw packets read per wake-up */

enum tc_state {
	TC_CONNECTING,
	TC_GRACE,		/* connected, SYN-ACK copy not yet seen */
	TC_DONE			/* callback queued */
};

struct tcpcheck_req {
	TAILQ_ENTRY(tcpcheck_req) entry;
	struct tcpcheck		*tc;
	enum tc_state		 state;
	struct addr		 dst;
	uint16_t		 port;
	uint16_t		 lport;		/* ours, known before the SYN */
	int			 fd;
	int			 synack_seen;
	struct event		*io_ev;		/* connect completion */
	struct event		*timeout_ev;
	struct event		*grace_ev;
	struct event		*done_ev;
	struct tcpcheck_result	 f;
	tcpcheck_cb		 cb;
	void			*arg;
};

struct tcpcheck {
	struct event_base	*base;
	struct tcpprobe		*tp4;
	struct tcpprobe		*tp6;		/* NULL: no IPv6 checks */
	struct event		*ev4;
	struct event		*ev6;
	TAILQ_HEAD(, tcpcheck_req) reqs;
};

static void
ms_to_tv(unsigned ms, struct timeval *tv)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

/* Drains the connection so that close() sends a FIN, not a reset. */
static void
conn_close(struct tcpcheck_req *req)
{
	struct linger	lg = { 0, 0 };
	char		junk[512];
	int		i;

	if (req->fd == -1)
		return;
	for (i = 0; i < 16; i++)
		if (recv(req->fd, junk, sizeof(junk), MSG_DONTWAIT) <= 0)
			break;
	(void)setsockopt(req->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(req->fd);
	req->fd = -1;
}

static void
ev_free(struct event *ev)
{
	if (ev != NULL)
		event_free(ev);
}

static void
req_free(struct tcpcheck_req *req)
{
	TAILQ_REMOVE(&req->tc->reqs, req, entry);
	conn_close(req);
	ev_free(req->io_ev);
	ev_free(req->timeout_ev);
	ev_free(req->grace_ev);
	ev_free(req->done_ev);
	free(req);
}

/* Closes at once; the callback follows from the loop. */
static void
req_finish(struct tcpcheck_req *req, int error)
{
	struct timeval	now = { 0, 0 };

	req->f.error = error;
	req->state = TC_DONE;
	conn_close(req);
	if (req->io_ev != NULL)
		event_del(req->io_ev);
	event_del(req->timeout_ev);
	event_del(req->grace_ev);
	event_add(req->done_ev, &now);
}

static void
done_cb(evutil_socket_t fd, short events, void *arg)
{
	struct tcpcheck_req	*req = arg;
	struct tcpcheck_result	 f = req->f;
	tcpcheck_cb		 cb = req->cb;
	void			*cbarg = req->arg;

	(void)fd;
	(void)events;
	/* Gone before the callback, which may free the whole tcpcheck. */
	req_free(req);
	cb(&f, cbarg);
}

static void
deliver(struct tcpcheck *tc, const struct tcp_synack *sa)
{
	struct tcpcheck_req	*req;

	TAILQ_FOREACH(req, &tc->reqs, entry) {
		if (req->state == TC_DONE || req->port != sa->sport ||
		    req->lport != sa->dport || !addr_eq(&req->dst, &sa->src))
			continue;
		/* A retransmitted SYN-ACK says nothing new. */
		if (!req->synack_seen) {
			req->synack_seen = 1;
			req->f.peer_mss = sa->mss;
		}
		if (req->state == TC_GRACE)
			req_finish(req, 0);
		return;
	}
}

static void
raw_read(struct tcpcheck *tc, int family)
{
	struct tcpprobe		*tp;
	struct tcp_synack	 sa;
	int			 i, rv;

	tp = family == AF_INET ? tc->tp4 : tc->tp6;
	for (i = 0; i < TC_BATCH; i++) {
		if ((rv = tcpprobe_read(tp, &sa)) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("tcpcheck: IPv%d raw socket",
				    addr_family_num(family));
			return;
		}
		if (rv == 1)
			deliver(tc, &sa);
	}
}

static void
raw_cb(evutil_socket_t fd, short events, void *arg)
{
	struct tcpcheck	*tc = arg;

	(void)events;
	raw_read(tc, fd == tcpprobe_fd(tc->tp4) ? AF_INET : AF_INET6);
}

static void
connected(struct tcpcheck_req *req)
{
	struct timeval	tv;
	int		mss;
	socklen_t	len = sizeof(mss);

	if (getsockopt(req->fd, IPPROTO_TCP, TCP_MAXSEG, &mss, &len) == 0 &&
	    mss > 0)
		req->f.tcp_mss = (unsigned)mss;
	/* The copy normally arrived before the handshake finished. */
	if (!req->synack_seen)
		raw_read(req->tc, req->dst.family);
	if (req->synack_seen) {
		req_finish(req, 0);
		return;
	}
	req->state = TC_GRACE;
	ms_to_tv(TC_GRACE_MS, &tv);
	event_add(req->grace_ev, &tv);
}

static void
io_cb(evutil_socket_t fd, short events, void *arg)
{
	struct tcpcheck_req	*req = arg;
	int			 err = 0;
	socklen_t		 len = sizeof(err);

	(void)events;
	if (req->state != TC_CONNECTING)
		return;
	event_del(req->io_ev);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0)
		req_finish(req, err);
	else
		connected(req);
}

static void
timeout_cb(evutil_socket_t fd, short events, void *arg)
{
	struct tcpcheck_req	*req = arg;

	(void)fd;
	(void)events;
	/* Connected but no SYN-ACK copy yet: the handshake itself worked. */
	req_finish(req, req->state == TC_GRACE ? 0 : ETIMEDOUT);
}

/* Socket, local port, non-blocking connect; errno on failure. */
static int
req_connect(struct tcpcheck_req *req)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 slen;
	int			 family = req->dst.family;

	if ((family == AF_INET && req->tc->tp4 == NULL) ||
	    (family == AF_INET6 && req->tc->tp6 == NULL) ||
	    (family != AF_INET && family != AF_INET6))
		return EAFNOSUPPORT;
	req->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (req->fd == -1)
		return errno;
	/* The wildcard and port 0: the port must be known before the SYN. */
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = family;
	slen = family == AF_INET ? sizeof(*sin) : sizeof(*sin6);
	if (bind(req->fd, (struct sockaddr *)&ss, slen) == -1 ||
	    getsockname(req->fd, (struct sockaddr *)&ss, &slen) == -1)
		return errno;
	req->lport = ntohs(family == AF_INET ? sin->sin_port :
	    sin6->sin6_port);
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = req->dst.u.v4;
		sin->sin_port = htons(req->port);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = req->dst.u.v6;
		sin6->sin6_port = htons(req->port);
	}
	if (connect(req->fd, (struct sockaddr *)&ss, slen) == -1 &&
	    errno != EINPROGRESS)
		return errno;
	return 0;
}

static struct tcpcheck_req *
req_new(struct tcpcheck *tc, const struct addr *dst, unsigned port,
    tcpcheck_cb cb, void *arg)
{
	struct tcpcheck_req	*req;

	if ((req = calloc(1, sizeof(*req))) == NULL)
		return NULL;
	req->tc = tc;
	req->state = TC_CONNECTING;
	req->dst = *dst;
	req->port = (uint16_t)port;
	req->fd = -1;
	req->cb = cb;
	req->arg = arg;
	req->timeout_ev = evtimer_new(tc->base, timeout_cb, req);
	req->grace_ev = evtimer_new(tc->base, timeout_cb, req);
	req->done_ev = evtimer_new(tc->base, done_cb, req);
	TAILQ_INSERT_TAIL(&tc->reqs, req, entry);
	if (req->timeout_ev == NULL || req->grace_ev == NULL ||
	    req->done_ev == NULL) {
		tcpcheck_cancel(req);
		return NULL;
	}
	return req;
}

struct tcpcheck_req *
tcpcheck_start(struct tcpcheck *tc, const struct addr *dst, unsigned port,
    unsigned timeout_ms, tcpcheck_cb cb, void *arg)
{
	struct tcpcheck_req	*req;
	struct timeval		 tv;
	int			 err;

	if ((req = req_new(tc, dst, port, cb, arg)) == NULL)
		return NULL;
	if (port == 0 || port > 65535) {
		req_finish(req, EINVAL);
		return req;
	}
	if ((err = req_connect(req)) != 0) {
		req_finish(req, err);
		return req;
	}
	req->io_ev = event_new(tc->base, req->fd, EV_WRITE, io_cb, req);
	if (req->io_ev == NULL) {
		tcpcheck_cancel(req);
		return NULL;
	}
	event_add(req->io_ev, NULL);
	ms_to_tv(timeout_ms, &tv);
	event_add(req->timeout_ev, &tv);
	return req;
}

void
tcpcheck_cancel(struct tcpcheck_req *req)
{
	if (req != NULL)
		req_free(req);
}

static int
raw_event(struct tcpcheck *tc, struct tcpprobe *tp, struct event **evp)
{
	if ((*evp = event_new(tc->base, tcpprobe_fd(tp), EV_READ | EV_PERSIST,
	    raw_cb, tc)) == NULL || event_add(*evp, NULL) == -1) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

struct tcpcheck *
tcpcheck_new(struct event_base *base)
{
	struct tcpcheck	*tc;
	int		 saved;

	if ((tc = calloc(1, sizeof(*tc))) == NULL)
		return NULL;
	tc->base = base;
	TAILQ_INIT(&tc->reqs);
	if ((tc->tp4 = tcpprobe_open(AF_INET)) == NULL)
		goto fail;
	if ((tc->tp6 = tcpprobe_open(AF_INET6)) == NULL)
		log_warn("tcpcheck: IPv6 raw TCP socket; no IPv6 TCP checks");
	if (raw_event(tc, tc->tp4, &tc->ev4) == -1 ||
	    (tc->tp6 != NULL && raw_event(tc, tc->tp6, &tc->ev6) == -1))
		goto fail;
	return tc;
fail:
	saved = errno;
	tcpcheck_free(tc);
	errno = saved;
	return NULL;
}

void
tcpcheck_free(struct tcpcheck *tc)
{
	if (tc == NULL)
		return;
	while (!TAILQ_EMPTY(&tc->reqs))
		tcpcheck_cancel(TAILQ_FIRST(&tc->reqs));
	ev_free(tc->ev4);
	ev_free(tc->ev6);
	tcpprobe_close(tc->tp4);
	tcpprobe_close(tc->tp6);
	free(tc);
}
