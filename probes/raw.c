/* SPDX-License-Identifier: ISC */
/* Raw ICMP/ICMPv6 and UDP sockets that send probes and read answers. */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <linux/filter.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define PROBE_RCVBUF	(1024 * 1024)

/*
 * Linux's raw ICMP filter option, declared here since the kernel's own
 * declaration cannot be included beside <netinet/ip_icmp.h>.
 */
#ifndef ICMP_FILTER
#define ICMP_FILTER	1
struct icmp_filter {
	uint32_t	 data;
};
#endif

/* From <linux/in6.h>, which cannot be included beside <netinet/in.h>. */
#ifndef IPV6_FLOWINFO_SEND
#define IPV6_FLOWINFO_SEND	33
#endif
#define PROBE_LABEL_MASK	0x000fffffU

struct probe_sock {
	int		 fd;
	int		 family;
	enum pkt_proto	 proto;
	uint8_t		 buf[PKT_MAX + 1];
};

static int
setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

/* Only the ICMP types that can answer a probe reach us. */
static int
icmp_filter(int fd, int family)
{
	if (family == AF_INET) {
		struct icmp_filter f;

		f.data = ~((1U << ICMP_ECHOREPLY) | (1U << ICMP_DEST_UNREACH) |
		    (1U << ICMP_TIME_EXCEEDED));
		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	} else {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f,
		    sizeof(f));
	}
}

/* A raw UDP socket gets a copy of every UDP packet; it only sends. */
static int
drop_all(int fd)
{
	struct sock_filter	 insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog	 prog = { 1, &insn };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

static int
set_df(int fd, int family)
{
	if (family == AF_INET)
		return setopt(fd, IPPROTO_IP, IP_MTU_DISCOVER,
		    IP_PMTUDISC_PROBE);
	if (setopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER,
	    IPV6_PMTUDISC_PROBE) == -1 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, 1) == -1)
		return -1;
	/*
	 * The flow label goes in each destination's sin6_flowinfo.  Linux
	 * takes it as it is unless some socket leases labels exclusively.
	 */
	return setopt(fd, IPPROTO_IPV6, IPV6_FLOWINFO_SEND, 1);
}

static int
configure(struct probe_sock *ps)
{
	int	 fd = ps->fd;

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 || set_df(fd, ps->family))
		return -1;
	if (ps->proto == PKT_UDP) {
		if (drop_all(fd) == -1)
			return -1;
		/* The kernel fills the mandatory IPv6 UDP checksum. */
		if (ps->family == AF_INET6 &&
		    setopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, 6) == -1)
			return -1;
		return 0;
	}
	/* Best effort: a small buffer only costs answers under load. */
	(void)setopt(fd, SOL_SOCKET, SO_RCVBUF, PROBE_RCVBUF);
	return icmp_filter(fd, ps->family);
}

struct probe_sock *
probe_open(int family, enum pkt_proto proto)
{
	struct probe_sock	*ps;
	int			 ipproto, saved;

	if ((family != AF_INET && family != AF_INET6) ||
	    (proto != PKT_ICMP && proto != PKT_UDP)) {
		errno = EINVAL;
		return NULL;
	}
	if (proto == PKT_UDP)
		ipproto = IPPROTO_UDP;
	else
		ipproto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return NULL;
	ps->family = family;
	ps->proto = proto;
	if ((ps->fd = socket(family, SOCK_RAW, ipproto)) == -1 ||
	    configure(ps) == -1) {
		saved = errno;
		probe_close(ps);
		errno = saved;
		return NULL;
	}
	return ps;
}

void
probe_close(struct probe_sock *ps)
{
	if (ps == NULL)
		return;
	if (ps->fd != -1)
		close(ps->fd);
	free(ps);
}

int
probe_fd(const struct probe_sock *ps)
{
	return ps->fd;
}

static socklen_t
to_sockaddr(const struct addr *a, uint32_t label,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->u.v6;
		sin6->sin6_flowinfo = htonl(label & PROBE_LABEL_MASK);
		return sizeof(*sin6);
	}
}

/* The hop limit, per packet, so concurrent walks never share one. */
static size_t
cmsg_ttl(struct cmsghdr *cm, int family, int ttl)
{
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	cm->cmsg_level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	cm->cmsg_type = family == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
	memcpy(CMSG_DATA(cm), &ttl, sizeof(int));
	return CMSG_SPACE(sizeof(int));
}

/*
 * The egress interface the flow's own route gave: a multipath route
 * then sends the flow where the look-up said, whatever the kernel's
 * hash of a raw socket's packet (which has no ports) would pick.
 */
static size_t
cmsg_ifindex(struct cmsghdr *cm, int family, unsigned ifindex)
{
	struct in_pktinfo	 pi;
	struct in6_pktinfo	 pi6;

	if (family == AF_INET) {
		memset(&pi, 0, sizeof(pi));
		pi.ipi_ifindex = ifindex;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		return CMSG_SPACE(sizeof(pi));
	}
	memset(&pi6, 0, sizeof(pi6));
	pi6.ipi6_ifindex = ifindex;
	cm->cmsg_len = CMSG_LEN(sizeof(pi6));
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
	return CMSG_SPACE(sizeof(pi6));
}

int
probe_send(struct probe_sock *ps, const struct pkt_probe *p, int ttl)
{
	struct sockaddr_storage	 ss;
	struct msghdr		 msg;
	struct iovec		 iov;
	union {
		char		 buf[CMSG_SPACE(sizeof(int)) +
				    CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr	 align;
	}			 ctl;
	size_t			 off = 0;
	ssize_t			 len, n;

	if (p->family != ps->family || p->proto != ps->proto)
		return EINVAL;
	if ((len = pkt_build(p, ps->buf, sizeof(ps->buf))) == -1)
		return EMSGSIZE;
	iov.iov_base = ps->buf;
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &ss;
	msg.msg_namelen = to_sockaddr(&p->dst, p->label, &ss);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	memset(&ctl, 0, sizeof(ctl));
	if (ttl > 0)
		off += cmsg_ttl((struct cmsghdr *)(ctl.buf + off), ps->family,
		    ttl);
	if (p->ifindex != 0)
		off += cmsg_ifindex((struct cmsghdr *)(ctl.buf + off),
		    ps->family, p->ifindex);
	if (off > 0) {
		msg.msg_control = ctl.buf;
		msg.msg_controllen = off;
	}
	if ((n = sendmsg(ps->fd, &msg, 0)) == -1)
		return errno;
	return n == len ? 0 : EIO;
}

int
probe_recv(struct probe_sock *ps, struct pkt_reply *r,
    enum pkt_ignore *why)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct addr		 from;
	ssize_t			 n;

	*why = PKT_OK;
	n = recvfrom(ps->fd, ps->buf, sizeof(ps->buf), MSG_TRUNC,
	    (struct sockaddr *)&ss, &sslen);
	if (n == -1)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	if ((size_t)n > sizeof(ps->buf)) {
		*why = PKT_IGN_MALFORMED;
		return -1;
	}
	if (ps->family == AF_INET)
		*why = pkt_parse4(ps->buf, n, r);
	else {
		if (ss.ss_family != AF_INET6) {
			*why = PKT_IGN_MALFORMED;
			return -1;
		}
		memset(&from, 0, sizeof(from));
		from.family = AF_INET6;
		from.u.v6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
		*why = pkt_parse6(ps->buf, n, &from, r);
	}
	return *why == PKT_OK ? 1 : -1;
}
