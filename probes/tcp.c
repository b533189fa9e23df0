/* SPDX-License-Identifier: ISC */
/* Raw TCP sockets filtered down to SYN-ACKs, for the TCP MSS check. */
#include <sys/types.h>
#include <sys/socket.h>

#include <linux/filter.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcp.h"

#define TCPPROBE_BUFLEN	65536	/* a whole IPv4 packet always fits */
#define TCPPROBE_FLUSH	4096	/* bound on segments queued before the filter */

struct tcpprobe {
	int		 fd;
	int		 family;
	uint8_t		 buf[TCPPROBE_BUFLEN];
};

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

struct tcpprobe *
tcpprobe_open(int family)
{
	struct tcpprobe	*tp;
	uint8_t		 junk[64];
	int		 i, saved;

	if (family != AF_INET && family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if ((tp = calloc(1, sizeof(*tp))) == NULL)
		return NULL;
	tp->family = family;
	tp->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (tp->fd == -1 || attach_filter(tp->fd, family) == -1) {
		saved = errno;
		tcpprobe_close(tp);
		errno = saved;
		return NULL;
	}
	/* Segments queued before the filter was in place. */
	for (i = 0; i < TCPPROBE_FLUSH; i++)
		if (recv(tp->fd, junk, sizeof(junk), MSG_TRUNC) == -1)
			break;
	return tp;
}

void
tcpprobe_close(struct tcpprobe *tp)
{
	if (tp == NULL)
		return;
	if (tp->fd != -1)
		close(tp->fd);
	free(tp);
}

int
tcpprobe_fd(const struct tcpprobe *tp)
{
	return tp->fd;
}

int
tcpprobe_read(struct tcpprobe *tp, struct tcp_synack *sa)
{
	struct sockaddr_in6	 sin6;
	struct addr		 from;
	socklen_t		 slen = sizeof(sin6);
	ssize_t			 n;
	int			 rv;

	n = recvfrom(tp->fd, tp->buf, sizeof(tp->buf), 0,
	    (struct sockaddr *)&sin6, &slen);
	if (n == -1)
		return -1;
	if (tp->family == AF_INET)
		rv = tcpopt_synack4(tp->buf, (size_t)n, sa);
	else {
		memset(&from, 0, sizeof(from));
		from.family = AF_INET6;
		from.u.v6 = sin6.sin6_addr;
		rv = slen >= sizeof(sin6) ?
		    tcpopt_synack6(tp->buf, (size_t)n, &from, sa) : -1;
	}
	return rv == 0 ? 1 : 0;
}
