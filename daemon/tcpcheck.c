/*
 * The TCP MSS check.  A normal non-blocking connect does the handshake;
 * a raw TCP socket per family sees a copy of the SYN-ACK, from which the
 * peer's MSS option is read, since the kernel keeps that value to
 * itself.  A BPF filter keeps everything but SYN-ACKs out of the raw
 * sockets: without it they would get a copy of every TCP segment the
 * host receives.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "tcpcheck.h"
#include "tcpopt.h"

#define TC_GRACE_MS	100	/* wait for a SYN-ACK copy once connected */
#define TC_BATCH	64	/* raw packets read per wake-up */
#define TC_RAWBUF	65536	/* a whole IPv4 packet always fits */

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
	struct tcp_finding	 f;
	tcpcheck_cb		 cb;
	void			*arg;
};

struct tcpcheck {
	struct event_base	*base;
	int			 fd4;
	int			 fd6;		/* -1: no IPv6 checks */
	struct event		*ev4;
	struct event		*ev6;
	uint8_t			*buf;
	TAILQ_HEAD(, tcpcheck_req) reqs;
};

static void
ms_to_tv(unsigned ms, struct timeval *tv)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

/*
 * v4 raw sockets deliver from the IP header, so the TCP header starts
 * after 4 * IHL; v6 ones deliver from the TCP header.  Pass SYN+ACK
 * without RST or FIN, as tcpopt does.
 */
static int
attach_filter(int fd, int family)
{
	struct sock_filter	 f4[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 13),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x17),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x12, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter	 f6[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 13),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x17),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x12, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog	 prog;

	if (family == AF_INET) {
		prog.len = sizeof(f4) / sizeof(f4[0]);
		prog.filter = f4;
	} else {
		prog.len = sizeof(f6) / sizeof(f6[0]);
		prog.filter = f6;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

static int
raw_open(int family)
{
	uint8_t	junk[64];
	int	fd, i, saved;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (fd == -1)
		return -1;
	if (attach_filter(fd, family) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* Segments queued before the filter was in place. */
	for (i = 0; i < 4096; i++)
		if (recv(fd, junk, sizeof(junk), MSG_TRUNC) == -1)
			break;
	return fd;
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
	struct tcp_finding	 f = req->f;
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
	struct sockaddr_in6	 sin6;
	struct tcp_synack	 sa;
	struct addr		 from;
	socklen_t		 slen;
	ssize_t			 n;
	int			 fd, i, rv;

	fd = family == AF_INET ? tc->fd4 : tc->fd6;
	for (i = 0; i < TC_BATCH; i++) {
		slen = sizeof(sin6);
		n = recvfrom(fd, tc->buf, TC_RAWBUF, 0,
		    (struct sockaddr *)&sin6, &slen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("tcpcheck: IPv%d raw socket",
				    addr_family_num(family));
			return;
		}
		if (family == AF_INET)
			rv = tcpopt_synack4(tc->buf, (size_t)n, &sa);
		else {
			memset(&from, 0, sizeof(from));
			from.family = AF_INET6;
			from.u.v6 = sin6.sin6_addr;
			rv = slen >= sizeof(sin6) ?
			    tcpopt_synack6(tc->buf, (size_t)n, &from, &sa) : -1;
		}
		if (rv == 0)
			deliver(tc, &sa);
	}
}

static void
raw_cb(evutil_socket_t fd, short events, void *arg)
{
	struct tcpcheck	*tc = arg;

	(void)events;
	raw_read(tc, fd == tc->fd4 ? AF_INET : AF_INET6);
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

	if ((family == AF_INET && req->tc->fd4 == -1) ||
	    (family == AF_INET6 && req->tc->fd6 == -1) ||
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
raw_event(struct tcpcheck *tc, int fd, struct event **evp)
{
	if ((*evp = event_new(tc->base, fd, EV_READ | EV_PERSIST, raw_cb,
	    tc)) == NULL || event_add(*evp, NULL) == -1) {
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
	tc->fd6 = -1;
	TAILQ_INIT(&tc->reqs);
	if ((tc->buf = malloc(TC_RAWBUF)) == NULL) {
		free(tc);
		return NULL;
	}
	if ((tc->fd4 = raw_open(AF_INET)) == -1)
		goto fail;
	if ((tc->fd6 = raw_open(AF_INET6)) == -1)
		log_warn("tcpcheck: IPv6 raw TCP socket; no IPv6 TCP checks");
	if (raw_event(tc, tc->fd4, &tc->ev4) == -1 ||
	    (tc->fd6 != -1 && raw_event(tc, tc->fd6, &tc->ev6) == -1))
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
	if (tc->fd4 != -1)
		close(tc->fd4);
	if (tc->fd6 != -1)
		close(tc->fd6);
	free(tc->buf);
	free(tc);
}
