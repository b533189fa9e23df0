/* SPDX-License-Identifier: ISC */
/*
 * delayline: a delay line between two interfaces, for the tests.  This
 * kernel has neither sch_netem nor NFQUEUE, so the delay is made in user
 * space: a packet socket on each interface reads every frame that
 * arrives there and writes it, unchanged, out of the other interface
 * once its time has come.  Run inside a "delay box" namespace spliced
 * into a veth link, it makes that link slow, jittery, lossy or
 * reordering (tests/integ/lib.sh: link_delay).
 *
 *   delayline [options] IF_A IF_B
 *
 * Options taking X[,Y] set X for frames from A to B and Y for B to A
 * (one value: both directions):
 *   --delay MS[,MS]	  one-way delay
 *   --jitter MS[,MS]	  the delay varies by up to +-MS
 *   --normal		  jitter is normal, sigma MS / 2, cut at +-MS
 *			  (default: uniform in [-MS, MS])
 *   --fifo		  jitter never reorders: a frame waits for the last
 *			  one before it (default: frames leave by due time)
 *   --reorder PCT[,PCT]  that share of frames skips the delay and
 *			  overtakes those in the queue
 *   --drop PCT[,PCT]	  that share of frames is dropped
 *   --nd-delay MS[,MS]	  ARP and ICMPv6 neighbour solicitations and
 *			  advertisements wait MS (not the usual delay): a
 *			  slow neighbour resolution.  Only a host without
 *			  an entry waits for it, so it delays the first
 *			  packet towards a neighbour, not the later ones.
 *   --seed N		  random seed (default 1): runs repeat
 *   --limit N		  frames held at most (default 4096); more drop
 *   --max-seconds S	  runs at most S seconds (default 600)
 *
 * It prints "ready" on stderr once both sockets are bound, its counters
 * on SIGUSR1, and its counters at exit: on SIGTERM or SIGINT, at
 * --max-seconds, or when an interface goes away (its namespace or the
 * link's other end was deleted).  Frames keep their size: a virtio-net
 * header on both sockets carries checksum offload and GSO state across,
 * so frames with a checksum left to the hardware arrive intact.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING	23
#endif

#define VNET_LEN	((size_t)sizeof(struct virtio_net_hdr))
#define FRAME_MAX	(65536 + 64)	/* a GSO frame and its header */
#define QUEUE_BYTES	(64UL << 20)	/* bound on memory held */
#define READ_BURST	64		/* frames read per wake-up */
#define RCVBUF		(4 << 20)
#define MS		1000000ULL	/* ns */

enum { AB, BA, NDIR };

struct dl_dir {
	double		 delay_ms, jitter_ms;
	double		 reorder, drop;	/* fractions, 0 to 1 */
	double		 nd_delay_ms;	/* < 0: none */
	/* Counters. */
	uint64_t	 in, passed, dropped, full, errors;
	uint64_t	 reordered, overtook, nd;
	uint64_t	 seq;		/* arrival number of the next frame */
	uint64_t	 top_sent;	/* highest arrival number sent + 1 */
	uint64_t	 last_due;	/* for --fifo */
};

struct dl_frame {
	uint64_t	 due;		/* CLOCK_MONOTONIC, ns */
	uint64_t	 order;		/* ties leave in arrival order */
	uint64_t	 seq;
	int		 dir;
	size_t		 len;		/* vnet header + frame */
	unsigned char	 data[];
};

struct dl {
	const char	*ifname[NDIR];
	int		 fd[NDIR];	/* fd[AB] reads A, writes BA's */
	struct dl_dir	 dir[NDIR];
	int		 normal, fifo;
	uint64_t	 rng;
	size_t		 limit;
	double		 max_seconds;
	struct dl_frame	**heap;
	size_t		 nheap;
	size_t		 bytes;
	uint64_t	 order;
};

static volatile sig_atomic_t	 got_stop, got_usr1;

static void
usage(void)
{
	fprintf(stderr, "usage: delayline [--delay MS[,MS]] "
	    "[--jitter MS[,MS]] [--normal] [--fifo]\n"
	    "\t[--reorder PCT[,PCT]] [--drop PCT[,PCT]] "
	    "[--nd-delay MS[,MS]] [--seed N]\n"
	    "\t[--limit N] [--max-seconds S] IF_A IF_B\n");
	exit(2);
}

static void
signal_cb(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_stop = 1;
}

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* splitmix64: small, and the same sequence for the same seed anywhere. */
static uint64_t
rng_next(struct dl *d)
{
	uint64_t	 z;

	z = (d->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rng_unit(struct dl *d)
{
	return (double)(rng_next(d) >> 11) / 9007199254740992.0;
}

/* The jitter of one frame, in [-j, j]. */
static double
jitter_ms(struct dl *d, double j)
{
	double	 u, v, x;

	if (j <= 0)
		return 0;
	if (!d->normal)
		return (2 * rng_unit(d) - 1) * j;
	/* Box-Muller; sigma j / 2, so 95 % fall inside and the rest is cut. */
	u = 1 - rng_unit(d);
	v = rng_unit(d);
	x = sqrt(-2 * log(u)) * cos(2 * M_PI * v) * j / 2;
	return x < -j ? -j : x > j ? j : x;
}

/* --- the queue: a binary heap by due time ---------------------------- */

static int
frame_before(const struct dl_frame *a, const struct dl_frame *b)
{
	if (a->due != b->due)
		return a->due < b->due;
	return a->order < b->order;
}

static void
heap_push(struct dl *d, struct dl_frame *f)
{
	size_t	 i = d->nheap++, up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!frame_before(f, d->heap[up]))
			break;
		d->heap[i] = d->heap[up];
		i = up;
	}
	d->heap[i] = f;
}

static struct dl_frame *
heap_pop(struct dl *d)
{
	struct dl_frame	*top = d->heap[0], *last;
	size_t		 i = 0, c;

	last = d->heap[--d->nheap];
	for (;;) {
		c = 2 * i + 1;
		if (c >= d->nheap)
			break;
		if (c + 1 < d->nheap && frame_before(d->heap[c + 1],
		    d->heap[c]))
			c++;
		if (!frame_before(d->heap[c], last))
			break;
		d->heap[i] = d->heap[c];
		i = c;
	}
	if (d->nheap > 0)
		d->heap[i] = last;
	return top;
}

/* --- frames ------------------------------------------------------------ */

/* ARP, or an ICMPv6 neighbour solicitation or advertisement. */
static int
frame_is_nd(const unsigned char *p, size_t len)
{
	uint16_t	 type;

	if (len < 14)
		return 0;
	type = (uint16_t)(p[12] << 8 | p[13]);
	if (type == ETHERTYPE_ARP)
		return 1;
	/* IPv6, next header ICMPv6 (ND carries no extension header). */
	if (type != ETHERTYPE_IPV6 || len < 14 + 40 + 1 || p[14 + 6] != 58)
		return 0;
	return p[14 + 40] == 135 || p[14 + 40] == 136;
}

/* When a frame that arrived now leaves; 0 if it is dropped. */
static uint64_t
frame_due(struct dl *d, struct dl_dir *dd, const unsigned char *p,
    size_t len, uint64_t now)
{
	double		 ms;
	uint64_t	 due;

	if (dd->drop > 0 && rng_unit(d) < dd->drop) {
		dd->dropped++;
		return 0;
	}
	if (dd->nd_delay_ms >= 0 && frame_is_nd(p, len)) {
		dd->nd++;
		return now + (uint64_t)(dd->nd_delay_ms * MS);
	}
	if (dd->reorder > 0 && rng_unit(d) < dd->reorder) {
		dd->overtook++;
		return now;
	}
	ms = dd->delay_ms + jitter_ms(d, dd->jitter_ms);
	due = now + (uint64_t)(ms > 0 ? ms * MS : 0);
	if (d->fifo) {
		if (due < dd->last_due)
			due = dd->last_due;
		dd->last_due = due;
	}
	return due;
}

static void
frame_queue(struct dl *d, int dir, const unsigned char *buf, size_t len,
    uint64_t now)
{
	struct dl_dir	*dd = &d->dir[dir];
	struct dl_frame	*f;
	uint64_t	 due, seq = dd->seq++;

	dd->in++;
	if ((due = frame_due(d, dd, buf + VNET_LEN, len - VNET_LEN,
	    now)) == 0)
		return;
	if (d->nheap >= d->limit || d->bytes + len > QUEUE_BYTES ||
	    (f = malloc(sizeof(*f) + len)) == NULL) {
		dd->full++;
		return;
	}
	f->due = due;
	f->order = d->order++;
	f->seq = seq;
	f->dir = dir;
	f->len = len;
	memcpy(f->data, buf, len);
	d->bytes += len;
	heap_push(d, f);
}

/* Writes one frame out; -1 if its interface is gone. */
static int
frame_send(struct dl *d, struct dl_frame *f)
{
	struct dl_dir		*dd = &d->dir[f->dir];
	struct virtio_net_hdr	*vh = (struct virtio_net_hdr *)f->data;
	int			 out = f->dir == AB ? BA : AB;

	/* "Checksum verified" means nothing on the way out. */
	vh->flags &= ~VIRTIO_NET_HDR_F_DATA_VALID;
	if (send(d->fd[out], f->data, f->len, MSG_DONTWAIT) == -1) {
		if (errno == ENXIO || errno == ENODEV || errno == ENETDOWN)
			return -1;
		dd->errors++;
		return 0;
	}
	dd->passed++;
	if (f->seq + 1 < dd->top_sent)
		dd->reordered++;
	else
		dd->top_sent = f->seq + 1;
	return 0;
}

/* Sends every frame that is due; -1 if an interface is gone. */
static int
queue_flush(struct dl *d, uint64_t now)
{
	struct dl_frame	*f;
	int		 rc;

	while (d->nheap > 0 && d->heap[0]->due <= now) {
		f = heap_pop(d);
		d->bytes -= f->len;
		rc = frame_send(d, f);
		free(f);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* Reads what arrived on one side; -1 if the interface is gone. */
static int
side_read(struct dl *d, int dir, unsigned char *buf)
{
	struct sockaddr_ll	 sll;
	socklen_t		 sl;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < READ_BURST; i++) {
		sl = sizeof(sll);
		n = recvfrom(d->fd[dir], buf, FRAME_MAX, MSG_DONTWAIT | MSG_TRUNC,
		    (struct sockaddr *)&sll, &sl);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENETDOWN || errno == ENXIO ||
			    errno == ENODEV)
				return -1;
			/* A frame the header cannot describe: lost. */
			d->dir[dir].in++;
			d->dir[dir].errors++;
			continue;
		}
		/* Our own writes, if the kernel still shows them. */
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if ((size_t)n > FRAME_MAX || (size_t)n < VNET_LEN + 14) {
			d->dir[dir].in++;
			d->dir[dir].errors++;
			continue;
		}
		frame_queue(d, dir, buf, (size_t)n, now_ns());
	}
	return 0;
}

/* --- set-up ------------------------------------------------------------ */

static int
side_open(const char *ifname)
{
	struct sockaddr_ll	 sll;
	unsigned int		 idx;
	int			 fd, one = 1, rcvbuf = RCVBUF;

	if ((idx = if_nametoindex(ifname)) == 0) {
		fprintf(stderr, "delayline: %s: %s\n", ifname,
		    strerror(errno));
		exit(1);
	}
	/* Protocol 0: nothing is received before the bind below. */
	if ((fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)) == -1) {
		perror("delayline: packet socket");
		exit(1);
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one,
	    sizeof(one)) == -1) {
		perror("delayline: PACKET_VNET_HDR");
		exit(1);
	}
	/* Older kernels lack it; PACKET_OUTGOING is filtered as well. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		fprintf(stderr, "delayline: bind %s: %s\n", ifname,
		    strerror(errno));
		exit(1);
	}
	return fd;
}

/* A number in [lo, hi] or usage(). */
static double
parse_num(const char *opt, const char *s, char **end, double lo, double hi)
{
	double	 v;

	errno = 0;
	v = strtod(s, end);
	if (*end == s || errno != 0 || !isfinite(v) || v < lo || v > hi) {
		fprintf(stderr, "delayline: --%s: bad value \"%s\"\n", opt, s);
		usage();
	}
	return v;
}

/* X or X,Y into v[AB], v[BA], each scaled. */
static void
parse_pair(const char *opt, const char *s, double hi, double scale,
    double *ab, double *ba)
{
	char	*end;

	*ab = parse_num(opt, s, &end, 0, hi) * scale;
	*ba = *ab;
	if (*end == ',')
		*ba = parse_num(opt, end + 1, &end, 0, hi) * scale;
	if (*end != '\0') {
		fprintf(stderr, "delayline: --%s: bad value \"%s\"\n", opt, s);
		usage();
	}
}

static void
parse_args(struct dl *d, int argc, char **argv)
{
	struct dl_dir	*a = &d->dir[AB], *b = &d->dir[BA];
	const char	*opt, *val;
	char		*end;
	int		 i;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		opt = argv[i] + 2;
		if (strcmp(opt, "normal") == 0) {
			d->normal = 1;
			continue;
		}
		if (strcmp(opt, "fifo") == 0) {
			d->fifo = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		val = argv[++i];
		if (strcmp(opt, "delay") == 0)
			parse_pair(opt, val, 600000, 1, &a->delay_ms,
			    &b->delay_ms);
		else if (strcmp(opt, "jitter") == 0)
			parse_pair(opt, val, 600000, 1, &a->jitter_ms,
			    &b->jitter_ms);
		else if (strcmp(opt, "reorder") == 0)
			parse_pair(opt, val, 100, 0.01, &a->reorder,
			    &b->reorder);
		else if (strcmp(opt, "drop") == 0)
			parse_pair(opt, val, 100, 0.01, &a->drop, &b->drop);
		else if (strcmp(opt, "nd-delay") == 0)
			parse_pair(opt, val, 600000, 1, &a->nd_delay_ms,
			    &b->nd_delay_ms);
		else if (strcmp(opt, "seed") == 0)
			d->rng = (uint64_t)parse_num(opt, val, &end, 0,
			    9007199254740992.0);
		else if (strcmp(opt, "limit") == 0)
			d->limit = (size_t)parse_num(opt, val, &end, 1,
			    1000000);
		else if (strcmp(opt, "max-seconds") == 0)
			d->max_seconds = parse_num(opt, val, &end, 0.001,
			    86400);
		else
			usage();
	}
	if (argc - i != 2 || strcmp(argv[i], argv[i + 1]) == 0)
		usage();
	d->ifname[AB] = argv[i];
	d->ifname[BA] = argv[i + 1];
}

static void
counters_print(const struct dl *d)
{
	const struct dl_dir	*dd;
	int			 i;

	for (i = 0; i < NDIR; i++) {
		dd = &d->dir[i];
		fprintf(stderr, "%s->%s: in %llu passed %llu dropped %llu "
		    "full %llu errors %llu reordered %llu overtook %llu "
		    "nd_delayed %llu\n", d->ifname[i], d->ifname[NDIR - 1 - i],
		    (unsigned long long)dd->in, (unsigned long long)dd->passed,
		    (unsigned long long)dd->dropped,
		    (unsigned long long)dd->full,
		    (unsigned long long)dd->errors,
		    (unsigned long long)dd->reordered,
		    (unsigned long long)dd->overtook,
		    (unsigned long long)dd->nd);
	}
	fprintf(stderr, "queued %zu\n", d->nheap);
}

static void
signals_setup(sigset_t *waitmask)
{
	struct sigaction	 sa;
	sigset_t		 block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signal_cb;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	/* Blocked but while waiting in ppoll(): no wake-up is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGHUP);
	sigdelset(waitmask, SIGUSR1);
}

/* --- the loop ---------------------------------------------------------- */

/* Why it stopped, for the last line. */
static const char *
run(struct dl *d, const sigset_t *waitmask)
{
	struct pollfd	 pfd[NDIR];
	struct timespec	 ts;
	unsigned char	*buf;
	uint64_t	 now, end, wake;
	int		 i;

	if ((buf = malloc(FRAME_MAX)) == NULL)
		return "out of memory";
	end = now_ns() + (uint64_t)(d->max_seconds * 1e9);
	for (i = 0; i < NDIR; i++) {
		pfd[i].fd = d->fd[i];
		pfd[i].events = POLLIN;
	}
	for (;;) {
		now = now_ns();
		if (queue_flush(d, now) == -1)
			return "interface gone";
		if (now >= end)
			return "time is up";
		if (got_stop)
			return "signal";
		if (got_usr1) {
			got_usr1 = 0;
			counters_print(d);
		}
		wake = end;
		if (d->nheap > 0 && d->heap[0]->due < wake)
			wake = d->heap[0]->due;
		ts.tv_sec = (time_t)((wake - now) / 1000000000ULL);
		ts.tv_nsec = (long)((wake - now) % 1000000000ULL);
		if (ppoll(pfd, NDIR, &ts, waitmask) == -1) {
			if (errno == EINTR)
				continue;
			return "poll failed";
		}
		for (i = 0; i < NDIR; i++) {
			if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				return "interface gone";
			if ((pfd[i].revents & POLLIN) &&
			    side_read(d, i, buf) == -1)
				return "interface gone";
		}
	}
}

int
main(int argc, char **argv)
{
	struct dl	 d;
	sigset_t	 waitmask;
	const char	*why;
	int		 i;

	memset(&d, 0, sizeof(d));
	d.rng = 1;
	d.limit = 4096;
	d.max_seconds = 600;
	for (i = 0; i < NDIR; i++)
		d.dir[i].nd_delay_ms = -1;
	parse_args(&d, argc, argv);
	/* Each seed its own sequence, also seed 0. */
	d.rng ^= 0x5eed5eed5eed5eedULL;
	if ((d.heap = calloc(d.limit, sizeof(*d.heap))) == NULL) {
		perror("delayline");
		return 1;
	}
	signals_setup(&waitmask);
	for (i = 0; i < NDIR; i++)
		d.fd[i] = side_open(d.ifname[i]);
	fprintf(stderr, "ready\n");
	why = run(&d, &waitmask);
	counters_print(&d);
	fprintf(stderr, "stopped: %s\n", why);
	while (d.nheap > 0)
		free(heap_pop(&d));
	free(d.heap);
	return 0;
}
