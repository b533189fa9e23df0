/* SPDX-License-Identifier: ISC */
/* Route look-ups over rtnetlink: egress interface, its MTU, source. */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define ROUTE_BUFLEN	8192
/*
 * RTA_FLOWLABEL, the IPv6 flow label a look-up hashes (an enum in newer
 * <linux/rtnetlink.h>).  Kernels that do not know it ignore it.
 */
#define ROUTE_RTA_FLOWLABEL	31
#define ROUTE_LABEL_MASK	0x000fffffU

struct route {
	int		 fd;
	uint32_t	 seq;
};

struct route *
route_open(void)
{
	struct route	*rt;
	struct timeval	 tv = { 1, 0 };

	if ((rt = calloc(1, sizeof(*rt))) == NULL)
		return NULL;
	rt->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (rt->fd == -1) {
		free(rt);
		return NULL;
	}
	/* The kernel answers at once; the timeout only guards a bug. */
	(void)setsockopt(rt->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return rt;
}

void
route_close(struct route *rt)
{
	if (rt == NULL)
		return;
	close(rt->fd);
	free(rt);
}

/* What the kernel's hash sees of a flow. */
struct route_flow {
	uint8_t		 proto;
	uint16_t	 sport;		/* network order */
	uint16_t	 dport;
	uint32_t	 label;		/* network order; 0: none */
};

/* Appends an attribute to the request in buf (room: size bytes). */
static void
route_attr(char *buf, size_t size, int type, const void *data, size_t len)
{
	struct nlmsghdr	*nh = (struct nlmsghdr *)buf;
	struct rtattr	 rta;
	size_t		 off = NLMSG_ALIGN(nh->nlmsg_len);

	if (off + RTA_SPACE(len) > size)
		return;
	rta.rta_type = type;
	rta.rta_len = RTA_LENGTH(len);
	memcpy(buf + off, &rta, sizeof(rta));
	memcpy(buf + off + RTA_LENGTH(0), data, len);
	nh->nlmsg_len = off + RTA_SPACE(len);
}

static int
route_ask(struct route *rt, const struct addr *dst,
    const struct route_flow *fl)
{
	struct {
		struct nlmsghdr	 nh;
		struct rtmsg	 rtm;
		char		 attr[RTA_SPACE(sizeof(struct in6_addr)) +
				    RTA_SPACE(1) + 2 * RTA_SPACE(2) +
				    RTA_SPACE(4)];
	}		 req;
	size_t		 alen;

	alen = dst->family == AF_INET ? sizeof(dst->u.v4) : sizeof(dst->u.v6);
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rtm));
	req.nh.nlmsg_type = RTM_GETROUTE;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++rt->seq;
	req.rtm.rtm_family = dst->family;
	req.rtm.rtm_dst_len = alen * 8;
	route_attr((char *)&req, sizeof(req), RTA_DST, &dst->u, alen);
	if (fl->proto != 0) {
		route_attr((char *)&req, sizeof(req), RTA_IP_PROTO, &fl->proto, 1);
		route_attr((char *)&req, sizeof(req), RTA_SPORT, &fl->sport, 2);
		route_attr((char *)&req, sizeof(req), RTA_DPORT, &fl->dport, 2);
	}
	if (dst->family == AF_INET6 && fl->label != 0)
		route_attr((char *)&req, sizeof(req), ROUTE_RTA_FLOWLABEL,
		    &fl->label, 4);
	if (send(rt->fd, &req, req.nh.nlmsg_len, 0) == -1)
		return errno;
	return 0;
}

static void
route_attrs(const struct nlmsghdr *nh, int family, struct route_info *ri)
{
	const struct rtmsg	*rtm = NLMSG_DATA(nh);
	const struct rtattr	*rta = RTM_RTA(rtm);
	int			 len = RTM_PAYLOAD(nh);
	size_t			 alen;

	alen = family == AF_INET ? sizeof(ri->src.u.v4) :
	    sizeof(ri->src.u.v6);
	ri->local = rtm->rtm_type == RTN_LOCAL;
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == RTA_OIF &&
		    RTA_PAYLOAD(rta) >= sizeof(int))
			memcpy(&ri->ifindex, RTA_DATA(rta), sizeof(int));
		else if (rta->rta_type == RTA_PREFSRC &&
		    RTA_PAYLOAD(rta) == alen) {
			ri->src.family = family;
			memcpy(&ri->src.u, RTA_DATA(rta), alen);
		}
	}
}

/* Reads until the answer to our sequence number. */
static int
route_answer(struct route *rt, int family, struct route_info *ri)
{
	char			 buf[ROUTE_BUFLEN];
	struct nlmsghdr		*nh;
	struct nlmsgerr		*ne;
	ssize_t			 n;
	int			 len;

	for (;;) {
		if ((n = recv(rt->fd, buf, sizeof(buf), 0)) == -1)
			return errno == EAGAIN ? ETIMEDOUT : errno;
		len = n;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		    nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != rt->seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				ne = NLMSG_DATA(nh);
				return ne->error ? -ne->error : EPROTO;
			}
			if (nh->nlmsg_type != RTM_NEWROUTE)
				return EPROTO;
			route_attrs(nh, family, ri);
			return ri->ifindex ? 0 : ENETUNREACH;
		}
	}
}

static int
iface_mtu(int fd, struct route_info *ri)
{
	struct ifreq	 ifr;

	if (if_indextoname(ri->ifindex, ri->ifname) == NULL)
		return errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ri->ifname, sizeof(ifr.ifr_name));
	if (ioctl(fd, SIOCGIFMTU, &ifr) == -1)
		return errno;
	ri->mtu = ifr.ifr_mtu;
	return 0;
}

static int
route_get(struct route *rt, const struct addr *dst,
    const struct route_flow *fl, struct route_info *ri)
{
	int	 error;

	memset(ri, 0, sizeof(*ri));
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return EAFNOSUPPORT;
	if ((error = route_ask(rt, dst, fl)) != 0 ||
	    (error = route_answer(rt, dst->family, ri)) != 0)
		return error;
	return iface_mtu(rt->fd, ri);
}

int
route_lookup_flow(struct route *rt, const struct addr *dst,
    enum pkt_proto proto, uint16_t sport, uint16_t dport, uint32_t label,
    struct route_info *ri)
{
	struct route_flow	 fl;

	memset(&fl, 0, sizeof(fl));
	fl.label = htonl(label & ROUTE_LABEL_MASK);
	if (proto == PKT_UDP) {
		fl.proto = IPPROTO_UDP;
		fl.sport = htons(sport);
		fl.dport = htons(dport);
	} else {
		/*
		 * A raw socket's echo is routed with its ICMP type and code
		 * where the ports would be: type in the first byte.  Linux
		 * answers an ICMP look-up from an echo it builds, whose hash
		 * takes no ports, so the answer can name another next hop
		 * than the echo's own: the caller pins the echo to it.
		 */
		fl.proto = dst->family == AF_INET ? IPPROTO_ICMP :
		    IPPROTO_ICMPV6;
		fl.dport = htons(dst->family == AF_INET ? 8 << 8 : 128 << 8);
	}
	return route_get(rt, dst, &fl, ri);
}
