/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for daemon/tcpcheck.c, built in here since daemon objects
 * are not linked into unit tests; its SYN-ACK sockets are the real
 * probes/tcp.c, linked in.  Real handshakes over loopback only,
 * to listeners this test opens with a chosen TCP_MAXSEG so their
 * SYN-ACKs advertise it.  Needs root (raw sockets).  Every event loop
 * run is bounded by event_base_loopexit.
 */
#include "../../daemon/tcpcheck.c"

#include <arpa/inet.h>
#include <linux/filter.h>

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#define LOOP_MAX_MS	5000	/* bound on any loop run */
#define AFTER_CB_MS	200	/* keep running to catch a second callback */

struct ctx {
	struct event_base	*base;
	struct tcpcheck		*tc;
	int			 calls;
	struct tcpcheck_result	 f;
};

static void
check_cb(const struct tcpcheck_result *f, void *arg)
{
	struct ctx	*c = arg;
	struct timeval	 tv = { 0, AFTER_CB_MS * 1000 };

	c->calls++;
	c->f = *f;
	event_base_loopexit(c->base, &tv);
}

static void
run(struct ctx *c, unsigned ms)
{
	struct timeval	tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	event_base_loopexit(c->base, &tv);
	assert_int_not_equal(event_base_dispatch(c->base), -1);
}

static int
setup(void **state)
{
	struct ctx	*c;

	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->base = event_base_new();
	assert_non_null(c->base);
	c->tc = tcpcheck_new(c->base);
	if (c->tc == NULL)
		fail_msg("tcpcheck_new: %s (run as root)", strerror(errno));
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	tcpcheck_free(c->tc);
	event_base_free(c->base);
	free(c);
	return 0;
}

static struct addr
loopback(int family)
{
	struct addr	a;

	assert_int_equal(addr_parse(&a, family == AF_INET ? "127.0.0.1" :
	    "::1"), 0);
	return a;
}

static socklen_t
sockaddr_of(int family, unsigned port, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_loopback;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

/* A loopback socket on a free port; listening (with mss) if backlog >= 0. */
static int
open_server(int family, int mss, int backlog, unsigned *port)
{
	struct sockaddr_storage	ss;
	socklen_t		slen;
	int			fd;

	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_not_equal(fd, -1);
	if (mss > 0)
		assert_int_equal(setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss,
		    sizeof(mss)), 0);
	slen = sockaddr_of(family, 0, &ss);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, slen), 0);
	if (backlog >= 0)
		assert_int_equal(listen(fd, backlog), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &slen), 0);
	*port = ntohs(family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	assert_true(*port > 0);
	return fd;
}

static void
wait_fd(int fd, short events)
{
	struct pollfd	pfd = { fd, events, 0 };

	assert_int_equal(poll(&pfd, 1, LOOP_MAX_MS), 1);
}

/*
 * The server side of a finished check: the connection was closed with a
 * FIN (read gives 0), not a reset.  Writing to it then draws a reset
 * from our side, more non-SYN-ACK traffic for the filter to keep out.
 */
static void
expect_clean_close(int lfd)
{
	char	byte;
	int	afd;

	wait_fd(lfd, POLLIN);
	afd = accept(lfd, NULL, NULL);
	assert_int_not_equal(afd, -1);
	wait_fd(afd, POLLIN);
	assert_int_equal(recv(afd, &byte, 1, 0), 0);
	(void)send(afd, "x", 1, MSG_NOSIGNAL);
	(void)send(afd, "y", 1, MSG_NOSIGNAL);
	close(afd);
}

/* Whatever sits in a raw socket got through the filter: SYN-ACKs only. */
static void
expect_only_synacks(struct tcpprobe *tp)
{
	struct tcp_synack	sa;
	int			rv;

	while ((rv = tcpprobe_read(tp, &sa)) != -1)
		assert_int_equal(rv, 1);
	assert_int_equal(errno, EAGAIN);
}

static void
mss_check(struct ctx *c, int family, int mss)
{
	struct addr		 dst = loopback(family);
	struct tcpcheck_req	*req;
	unsigned		 port;
	int			 lfd;

	lfd = open_server(family, mss, 8, &port);
	req = tcpcheck_start(c->tc, &dst, port, 3000, check_cb, c);
	assert_non_null(req);
	/* Never called back from inside tcpcheck_start. */
	assert_int_equal(c->calls, 0);
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->f.error, 0);
	assert_int_equal(c->f.peer_mss, (unsigned)mss);
	/* Less TCP options such as timestamps; never above the peer's. */
	assert_true(c->f.tcp_mss <= (unsigned)mss);
	assert_true(c->f.tcp_mss > 1000);
	assert_true(TAILQ_EMPTY(&c->tc->reqs));
	expect_clean_close(lfd);
	close(lfd);
	expect_only_synacks(family == AF_INET ? c->tc->tp4 : c->tc->tp6);
}

static void
test_mss_v4(void **state)
{
	mss_check(*state, AF_INET, 1200);
}

static void
test_mss_v6(void **state)
{
	mss_check(*state, AF_INET6, 1180);
}

/* Two at once on one tcpcheck: each gets the SYN-ACK of its own peer. */
static void
test_concurrent(void **state)
{
	struct ctx	*c = *state, c2;
	struct addr	 dst = loopback(AF_INET);
	unsigned	 p1, p2;
	int		 l1, l2, i;

	memset(&c2, 0, sizeof(c2));
	c2.base = c->base;
	l1 = open_server(AF_INET, 1100, 8, &p1);
	l2 = open_server(AF_INET, 1300, 8, &p2);
	assert_non_null(tcpcheck_start(c->tc, &dst, p1, 3000, check_cb, c));
	assert_non_null(tcpcheck_start(c->tc, &dst, p2, 3000, check_cb,
	    &c2));
	for (i = 0; i < 3 && c->calls + c2.calls < 2; i++)
		run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c2.calls, 1);
	assert_int_equal(c->f.error, 0);
	assert_int_equal(c->f.peer_mss, 1100);
	assert_int_equal(c2.f.error, 0);
	assert_int_equal(c2.f.peer_mss, 1300);
	close(l1);
	close(l2);
}

static void
refused(struct ctx *c, int family)
{
	struct addr	dst = loopback(family);
	unsigned	port;
	int		fd;

	/* Bound but not listening: the SYN draws a reset. */
	fd = open_server(family, 0, -1, &port);
	assert_non_null(tcpcheck_start(c->tc, &dst, port, 3000, check_cb,
	    c));
	assert_int_equal(c->calls, 0);
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->f.error, ECONNREFUSED);
	assert_int_equal(c->f.peer_mss, 0);
	assert_int_equal(c->f.tcp_mss, 0);
	close(fd);
}

static void
test_refused_v4(void **state)
{
	refused(*state, AF_INET);
}

static void
test_refused_v6(void **state)
{
	refused(*state, AF_INET6);
}

static void
test_cancel(void **state)
{
	struct ctx		*c = *state;
	struct addr		 dst = loopback(AF_INET);
	struct tcpcheck_req	*req;
	unsigned		 port;
	int			 lfd;

	lfd = open_server(AF_INET, 1200, 8, &port);
	req = tcpcheck_start(c->tc, &dst, port, 3000, check_cb, c);
	assert_non_null(req);
	tcpcheck_cancel(req);
	assert_true(TAILQ_EMPTY(&c->tc->reqs));
	tcpcheck_cancel(NULL);
	run(c, 300);
	assert_int_equal(c->calls, 0);
	close(lfd);
}

/* Freed with checks queued or in flight: no callback, nothing leaks. */
static void
test_free_pending(void **state)
{
	struct ctx	*c = *state;
	struct addr	 dst = loopback(AF_INET), none;
	unsigned	 port;
	int		 lfd;

	memset(&none, 0, sizeof(none));
	lfd = open_server(AF_INET, 1200, 8, &port);
	assert_non_null(tcpcheck_start(c->tc, &dst, port, 3000, check_cb,
	    c));
	assert_non_null(tcpcheck_start(c->tc, &none, port, 3000, check_cb,
	    c));
	tcpcheck_free(c->tc);
	c->tc = NULL;
	run(c, 300);
	assert_int_equal(c->calls, 0);
	close(lfd);
}

static void
synack(struct tcp_synack *sa, const struct addr *src, unsigned sport,
    unsigned dport, unsigned mss)
{
	memset(sa, 0, sizeof(*sa));
	sa->src = *src;
	sa->sport = (uint16_t)sport;
	sa->dport = (uint16_t)dport;
	sa->mss = mss;
}

/*
 * A listener with backlog 0 holds one unaccepted connection; then its
 * accept queue is full and Linux drops further SYNs, so the check's
 * connect never completes.  Meanwhile only a SYN-ACK that matches
 * address and both ports is taken as the peer's.
 */
static void
test_timeout(void **state)
{
	struct ctx		*c = *state;
	struct addr		 dst = loopback(AF_INET), other;
	struct tcpcheck_req	*req;
	struct sockaddr_storage	 ss;
	struct tcp_synack	 sa;
	socklen_t		 slen;
	unsigned		 port;
	int			 lfd, filler;

	assert_int_equal(addr_parse(&other, "127.0.0.2"), 0);
	lfd = open_server(AF_INET, 1200, 0, &port);
	filler = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_not_equal(filler, -1);
	slen = sockaddr_of(AF_INET, port, &ss);
	assert_int_equal(connect(filler, (struct sockaddr *)&ss, slen), 0);

	req = tcpcheck_start(c->tc, &dst, port, 300, check_cb, c);
	assert_non_null(req);
	assert_int_not_equal(req->lport, 0);
	synack(&sa, &other, port, req->lport, 1111);
	deliver(c->tc, &sa);
	synack(&sa, &dst, port + 1, req->lport, 1112);
	deliver(c->tc, &sa);
	synack(&sa, &dst, port, (uint16_t)(req->lport + 1), 1113);
	deliver(c->tc, &sa);
	assert_int_equal(req->synack_seen, 0);
	assert_int_equal(req->f.peer_mss, 0);
	synack(&sa, &dst, port, req->lport, 1234);
	deliver(c->tc, &sa);
	/* A later retransmission does not replace the first. */
	synack(&sa, &dst, port, req->lport, 1235);
	deliver(c->tc, &sa);
	assert_int_equal(req->state, TC_CONNECTING);

	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->f.error, ETIMEDOUT);
	/* What the SYN-ACK said stays reported; no connection, no MSS. */
	assert_int_equal(c->f.peer_mss, 1234);
	assert_int_equal(c->f.tcp_mss, 0);
	close(filler);
	close(lfd);
}

/* Either outcome may win a 1 ms race; the callback still comes once. */
static void
test_tiny_timeout(void **state)
{
	struct ctx	*c = *state;
	struct addr	 dst = loopback(AF_INET);
	unsigned	 port;
	int		 lfd;

	lfd = open_server(AF_INET, 1200, 8, &port);
	assert_non_null(tcpcheck_start(c->tc, &dst, port, 1, check_cb, c));
	assert_int_equal(c->calls, 0);
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	if (c->f.error == 0)
		assert_int_equal(c->f.peer_mss, 1200);
	else {
		assert_int_equal(c->f.error, ETIMEDOUT);
		assert_int_equal(c->f.tcp_mss, 0);
	}
	close(lfd);
}

/* Keeps every packet out of the v4 raw socket: no SYN-ACK copy comes. */
static void
blind_v4(struct ctx *c)
{
	struct sock_filter	insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog	prog = { 1, &insn };

	assert_int_equal(setsockopt(tcpprobe_fd(c->tc->tp4), SOL_SOCKET,
	    SO_ATTACH_FILTER, &prog, sizeof(prog)), 0);
}

/* Drives the connect completion by hand, as the loop would. */
static struct tcpcheck_req *
connect_blind(struct ctx *c, const struct addr *dst, unsigned port)
{
	struct tcpcheck_req	*req;

	blind_v4(c);
	req = tcpcheck_start(c->tc, dst, port, 3000, check_cb, c);
	assert_non_null(req);
	wait_fd(req->fd, POLLOUT);
	io_cb(req->fd, EV_WRITE, req);
	assert_int_equal(req->state, TC_GRACE);
	assert_true(req->f.tcp_mss > 1000 && req->f.tcp_mss <= 1200);
	return req;
}

/* Connected, SYN-ACK never seen: success after the grace, MSS unknown. */
static void
test_grace_expires(void **state)
{
	struct ctx	*c = *state;
	struct addr	 dst = loopback(AF_INET);
	unsigned	 port;
	int		 lfd;

	lfd = open_server(AF_INET, 1200, 8, &port);
	(void)connect_blind(c, &dst, port);
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->f.error, 0);
	assert_int_equal(c->f.peer_mss, 0);
	assert_true(c->f.tcp_mss > 1000 && c->f.tcp_mss <= 1200);
	expect_clean_close(lfd);
	close(lfd);
}

/* A SYN-ACK copy arriving during the grace ends it at once. */
static void
test_grace_synack(void **state)
{
	struct ctx		*c = *state;
	struct addr		 dst = loopback(AF_INET);
	struct tcpcheck_req	*req;
	struct tcp_synack	 sa;
	unsigned		 port;
	int			 lfd;

	lfd = open_server(AF_INET, 1200, 8, &port);
	req = connect_blind(c, &dst, port);
	synack(&sa, &dst, port, req->lport, 1300);
	deliver(c->tc, &sa);
	assert_int_equal(req->state, TC_DONE);
	assert_int_equal(req->fd, -1);
	assert_int_equal(c->calls, 0);
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->f.error, 0);
	assert_int_equal(c->f.peer_mss, 1300);
	expect_clean_close(lfd);
	close(lfd);
}

static void
test_bad_requests(void **state)
{
	struct ctx	*c = *state;
	struct addr	 dst6 = loopback(AF_INET6), dst4 = loopback(AF_INET);
	struct addr	 none;

	/* As if the IPv6 raw socket could not be opened. */
	event_free(c->tc->ev6);
	c->tc->ev6 = NULL;
	tcpprobe_close(c->tc->tp6);
	c->tc->tp6 = NULL;
	assert_non_null(tcpcheck_start(c->tc, &dst6, 443, 3000, check_cb, c));
	assert_int_equal(c->calls, 0);
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->f.error, EAFNOSUPPORT);
	assert_int_equal(c->f.peer_mss, 0);
	assert_int_equal(c->f.tcp_mss, 0);

	memset(&none, 0, sizeof(none));
	c->calls = 0;
	assert_non_null(tcpcheck_start(c->tc, &none, 443, 3000, check_cb, c));
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->f.error, EAFNOSUPPORT);

	c->calls = 0;
	assert_non_null(tcpcheck_start(c->tc, &dst4, 0, 3000, check_cb, c));
	assert_non_null(tcpcheck_start(c->tc, &dst4, 65536, 3000, check_cb,
	    c));
	assert_int_equal(c->calls, 0);
	run(c, LOOP_MAX_MS);
	assert_int_equal(c->calls, 2);
	assert_int_equal(c->f.error, EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mss_v4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mss_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused_v4, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused_v6, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_pending, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tiny_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_grace_expires, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_grace_synack, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
