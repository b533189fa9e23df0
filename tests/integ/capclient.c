/* SPDX-License-Identifier: ISC */
/*
 * capclient: greedy but well-formed control clients for
 * tests/integ/test_caps.sh, each counting the replies it gets.
 *
 *   capclient probes SOCK N DEST WAIT
 *	One connection asks N probes of DEST at once (IPv4, no walk), and
 *	reads for WAIT seconds.
 *   capclient serial SOCK N PREFIX
 *	One connection asks N probes one after another, each once the
 *	last is answered, of PREFIX.(i / 250).(i % 250 + 1).
 *   capclient watchers SOCK N WAIT
 *	N connections each ask to watch; read for WAIT seconds.
 *   capclient conns SOCK N WAIT
 *	N connections each ask the version; read for WAIT seconds.
 *
 * Prints "ok O busy B other X closed C" (C: connections the daemon
 * closed), then holds its connections until SIGTERM or 60 s ($CAP_HOLD
 * seconds if set).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOLD_S	60

static volatile sig_atomic_t stop;
static unsigned	 nok, nbusy, nother, nclosed;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
dial(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
classify(const char *line)
{
	if (strstr(line, "\"code\":\"busy\"") != NULL)
		nbusy++;
	else if (strstr(line, "\"ok\":true") != NULL)
		nok++;
	else
		nother++;
}

struct conn {
	int	 fd;
	size_t	 len;
	char	 buf[8192];
};

/* Reads what is there; counts whole lines.  -1 once the peer closed. */
static int
conn_read(struct conn *c)
{
	char	*nl, *p;
	ssize_t	 n;

	n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len,
	    MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		nclosed++;
		return -1;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	p = c->buf;
	while ((nl = strchr(p, '\n')) != NULL) {
		*nl = '\0';
		classify(p);
		p = nl + 1;
	}
	c->len -= (size_t)(p - c->buf);
	memmove(c->buf, p, c->len);
	/* A line too long to hold is no reply we count: drop it. */
	if (c->len == sizeof(c->buf) - 1)
		c->len = 0;
	return 0;
}

/* Reads every connection until wait seconds pass or until seen lines. */
static void
pump(struct conn *cs, int n, double wait, unsigned until)
{
	struct pollfd	*pfd;
	double		 end = now_s() + wait;
	int		 i;

	if ((pfd = calloc(n, sizeof(*pfd))) == NULL)
		exit(2);
	while (!stop && now_s() < end &&
	    (until == 0 || nok + nbusy + nother < until)) {
		for (i = 0; i < n; i++) {
			pfd[i].fd = cs[i].fd;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, n, 100) <= 0)
			continue;
		for (i = 0; i < n; i++)
			if (cs[i].fd != -1 && pfd[i].revents)
				(void)conn_read(&cs[i]);
	}
	free(pfd);
}

/*
 * Sends a request.  A connection the daemon turned away may be closed
 * already: what it said before closing is still there to read.
 */
static void
say(struct conn *c, const char *line)
{
	if (c->fd != -1)
		(void)send(c->fd, line, strlen(line), MSG_NOSIGNAL);
}

static void
report_and_hold(struct conn *cs, int n)
{
	const char	*hold = getenv("CAP_HOLD");
	double		 end = now_s() + (hold != NULL ? atof(hold) : HOLD_S);

	printf("ok %u busy %u other %u closed %u\n", nok, nbusy, nother,
	    nclosed);
	fflush(stdout);
	while (!stop && now_s() < end)
		pump(cs, n, 0.5, 0);
	(void)cs;
}

static struct conn *
connect_all(const char *sock, int n)
{
	struct conn	*cs;
	int		 i;

	if ((cs = calloc(n, sizeof(*cs))) == NULL)
		exit(2);
	for (i = 0; i < n; i++)
		if ((cs[i].fd = dial(sock)) == -1)
			nclosed++;
	return cs;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct conn	*cs;
	char		 line[256];
	int		 i, n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 4)
		goto usage;
	n = atoi(argv[3]);
	if (argc == 6 && strcmp(argv[1], "probes") == 0) {
		cs = connect_all(argv[2], 1);
		for (i = 1; i <= n; i++) {
			snprintf(line, sizeof(line), "{\"id\":%d,\"cmd\":"
			    "\"probe\",\"destination\":\"%s\",\"family\":4,"
			    "\"walk\":false}\n", i, argv[4]);
			say(&cs[0], line);
		}
		pump(cs, 1, atof(argv[5]), 0);
		report_and_hold(cs, 1);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "serial") == 0) {
		cs = connect_all(argv[2], 1);
		for (i = 0; i < n && cs[0].fd != -1 && !stop; i++) {
			snprintf(line, sizeof(line), "{\"id\":%d,\"cmd\":"
			    "\"probe\",\"destination\":\"%s.%d.%d\","
			    "\"family\":4,\"walk\":false}\n", i, argv[4],
			    i / 250, i % 250 + 1);
			say(&cs[0], line);
			pump(cs, 1, 30, (unsigned)i + 1);
		}
		printf("ok %u busy %u other %u closed %u\n", nok, nbusy,
		    nother, nclosed);
		return 0;
	}
	if (argc == 5 && (strcmp(argv[1], "watchers") == 0 ||
	    strcmp(argv[1], "conns") == 0)) {
		cs = connect_all(argv[2], n);
		snprintf(line, sizeof(line), "{\"cmd\":\"%s\"}\n",
		    strcmp(argv[1], "watchers") == 0 ? "watch" : "version");
		for (i = 0; i < n; i++)
			say(&cs[i], line);
		pump(cs, n, atof(argv[4]), 0);
		report_and_hold(cs, n);
		return 0;
	}
usage:
	fprintf(stderr, "usage: capclient probes SOCK N DEST WAIT\n"
	    "       capclient serial SOCK N PREFIX\n"
	    "       capclient watchers SOCK N WAIT\n"
	    "       capclient conns SOCK N WAIT\n");
	return 2;
}
