/* SPDX-License-Identifier: ISC */
/*
 * ctlclient: hostile and careless control clients for
 * tests/integ/test_clients.sh, where socat cannot do it (many sockets at
 * once, watching a socket close without reading it).
 *
 *   ctlclient many SOCK N WAIT HOLD
 *	Connects N clients, then each sends a version request with its
 *	own id; reads for up to WAIT seconds.  Prints "connected C
 *	refused R", then "answered A closed X pending P wrong W", then
 *	"holding" and keeps the sockets open HOLD seconds (or until
 *	SIGTERM).
 *   ctlclient silent SOCK LIMIT
 *	Connects and says nothing.  Prints "closed S" (seconds until the
 *	daemon closed it; "data" first if it sent anything) or "open LIMIT".
 *   ctlclient slow SOCK N LINE LIMIT
 *	Sends LINE N times and never reads.  Prints "sent N", then
 *	"closed S" once the daemon hangs up, or "open LIMIT".
 *   ctlclient greedy SOCK LINE LIMIT
 *	Sends LINE again and again, never reads, until the daemon hangs
 *	up or LIMIT seconds pass.  Prints "sent BYTES LINES" every second
 *	and at the end, with "closed S", "open LIMIT" or (SIGTERM)
 *	"stopped S".
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

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

/* A blocking connection to path, or -1 with errno. */
static int
dial(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = send(fd, buf, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Waits until the peer has hung up (POLLHUP: it closed its end), without
 * reading a byte, for up to limit seconds.  Returns the seconds it took,
 * or -1.
 */
static double
wait_hangup(int fd, double start, double limit)
{
	struct pollfd	 pfd;
	double		 left;

	pfd.fd = fd;
	pfd.events = 0;		/* POLLHUP is reported regardless */
	while (!stop && (left = start + limit - now_s()) > 0) {
		if (poll(&pfd, 1, (int)(left * 1000) + 1) > 0 &&
		    pfd.revents & (POLLHUP | POLLERR))
			return now_s() - start;
	}
	return -1;
}

/* --- many ----------------------------------------------------------- */

struct conn {
	int	 fd;
	int	 state;		/* 0 waiting, 1 answered, 2 closed, 3 wrong */
	size_t	 len;
	char	 buf[512];
};

static void
conn_read(struct conn *c, int id)
{
	char	 want[64];
	ssize_t	 n;

	n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len,
	    MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		c->state = 2;	/* EOF or reset before a whole reply */
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (strchr(c->buf, '\n') == NULL) {
		if (c->len == sizeof(c->buf) - 1)
			c->state = 3;
		return;
	}
	snprintf(want, sizeof(want), "\"id\":%d", id);
	c->state = strstr(c->buf, want) != NULL &&
	    strstr(c->buf, "\"ok\":true") != NULL &&
	    strstr(c->buf, "\"version\"") != NULL ? 1 : 3;
	if (c->state == 3)
		fprintf(stderr, "ctlclient: client %d got: %s", id, c->buf);
}

static int
run_many(const char *path, int n, double wait, double hold)
{
	struct rlimit	 rl;
	struct conn	*cs;
	struct pollfd	*pfds;
	int		 i, connected = 0, refused = 0, np, cnt[4] = { 0 };
	int		*idx;
	char		 line[64];
	double		 end;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = (rlim_t)n + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
			perror("ctlclient: setrlimit");
			return 1;
		}
	}
	if ((cs = calloc((size_t)n, sizeof(*cs))) == NULL ||
	    (pfds = calloc((size_t)n, sizeof(*pfds))) == NULL ||
	    (idx = calloc((size_t)n, sizeof(*idx))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		if ((cs[i].fd = dial(path)) == -1) {
			refused++;
			cs[i].state = 2;
		} else
			connected++;
	}
	printf("connected %d refused %d\n", connected, refused);
	fflush(stdout);
	/* Every client is in before the first one asks. */
	for (i = 0; i < n; i++) {
		if (cs[i].fd == -1)
			continue;
		snprintf(line, sizeof(line), "{\"id\":%d,\"cmd\":\"version\"}\n",
		    i);
		if (write_all(cs[i].fd, line, strlen(line)) == -1)
			cs[i].state = 2;	/* turned away already */
	}
	end = now_s() + wait;
	while (!stop && now_s() < end) {
		for (np = 0, i = 0; i < n; i++) {
			if (cs[i].state != 0)
				continue;
			pfds[np].fd = cs[i].fd;
			pfds[np].events = POLLIN;
			idx[np++] = i;
		}
		if (np == 0)
			break;
		if (poll(pfds, (nfds_t)np, 100) <= 0)
			continue;
		for (i = 0; i < np; i++)
			if (pfds[i].revents)
				conn_read(&cs[idx[i]], idx[i]);
	}
	for (i = 0; i < n; i++)
		cnt[cs[i].state]++;
	/* closed counts the refused connects too. */
	printf("answered %d closed %d pending %d wrong %d\n", cnt[1], cnt[2],
	    cnt[0], cnt[3]);
	printf("holding\n");
	fflush(stdout);
	end = now_s() + hold;
	while (!stop && now_s() < end)
		usleep(50000);
	for (i = 0; i < n; i++)
		if (cs[i].fd != -1)
			close(cs[i].fd);
	return 0;
}

/* --- one client ----------------------------------------------------- */

static int
run_silent(const char *path, double limit)
{
	char	 c;
	double	 start, t;
	int	 fd;
	ssize_t	 n;

	if ((fd = dial(path)) == -1) {
		perror("ctlclient: connect");
		return 1;
	}
	start = now_s();
	printf("connected\n");
	fflush(stdout);
	if ((t = wait_hangup(fd, start, limit)) < 0) {
		printf("open %.0f\n", limit);
		return 0;
	}
	n = recv(fd, &c, 1, MSG_DONTWAIT);
	if (n > 0)
		printf("data\n");
	printf("closed %.1f\n", t);
	return 0;
}

static int
run_slow(const char *path, int count, const char *req, double limit)
{
	char	*line;
	size_t	 len = strlen(req);
	double	 start, t;
	int	 fd, i;

	if ((fd = dial(path)) == -1) {
		perror("ctlclient: connect");
		return 1;
	}
	if ((line = malloc(len + 2)) == NULL)
		return 1;
	memcpy(line, req, len);
	line[len++] = '\n';
	for (i = 0; i < count; i++)
		if (write_all(fd, line, len) == -1)
			break;
	start = now_s();
	printf("sent %d\n", i);
	fflush(stdout);
	if ((t = wait_hangup(fd, start, limit)) < 0)
		printf("open %.0f\n", limit);
	else
		printf("closed %.1f\n", t);
	return 0;
}

static int
run_greedy(const char *path, const char *req, double limit)
{
	struct pollfd	 pfd;
	char		*buf;
	size_t		 len = strlen(req), blen, off = 0;
	unsigned long long bytes = 0;
	double		 start, next, t;
	int		 fd, k, reps = 64;
	ssize_t		 n;

	if ((fd = dial(path)) == -1) {
		perror("ctlclient: connect");
		return 1;
	}
	/* 64 lines a write. */
	blen = (len + 1) * (size_t)reps;
	if ((buf = malloc(blen)) == NULL)
		return 1;
	for (k = 0; k < reps; k++) {
		memcpy(buf + (size_t)k * (len + 1), req, len);
		buf[(size_t)k * (len + 1) + len] = '\n';
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	start = now_s();
	next = start + 1;
	pfd.fd = fd;
	for (;;) {
		t = now_s();
		if (stop || t - start >= limit) {
			printf("sent %llu %llu\n", bytes, bytes / (len + 1));
			if (stop)
				printf("stopped %.1f\n", t - start);
			else
				printf("open %.0f\n", limit);
			return 0;
		}
		if (t >= next) {
			printf("sent %llu %llu\n", bytes, bytes / (len + 1));
			fflush(stdout);
			next += 1;
		}
		n = send(fd, buf + off, blen - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			bytes += (unsigned long long)n;
			off = (off + (size_t)n) % blen;
			continue;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			break;		/* EPIPE, ECONNRESET: hung up */
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 100) > 0 && pfd.revents & (POLLHUP | POLLERR))
			break;
	}
	printf("sent %llu %llu\nclosed %.1f\n", bytes, bytes / (len + 1),
	    now_s() - start);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && strcmp(argv[1], "many") == 0)
		return run_many(argv[2], atoi(argv[3]), atof(argv[4]),
		    atof(argv[5]));
	if (argc == 4 && strcmp(argv[1], "silent") == 0)
		return run_silent(argv[2], atof(argv[3]));
	if (argc == 6 && strcmp(argv[1], "slow") == 0)
		return run_slow(argv[2], atoi(argv[3]), argv[4], atof(argv[5]));
	if (argc == 5 && strcmp(argv[1], "greedy") == 0)
		return run_greedy(argv[2], argv[3], atof(argv[4]));
	fprintf(stderr, "usage: ctlclient many SOCK N WAIT HOLD\n"
	    "       ctlclient silent SOCK LIMIT\n"
	    "       ctlclient slow SOCK N LINE LIMIT\n"
	    "       ctlclient greedy SOCK LINE LIMIT\n");
	return 2;
}
