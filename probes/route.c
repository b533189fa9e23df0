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

static int
route_ask(struct route *rt, const struct addr *dst)
{
	struct {
		struct nlmsghdr	 nh;
		struct rtmsg	 rtm;
		char		 attr[RTA_SPACE(sizeof(struct in6_addr))];
	}		 req;
	struct rtattr	*rta;
	size_t		 alen;

	alen = dst->family == AF_INET ? sizeof(dst->u.v4) : sizeof(dst->u.v6);
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rtm));
	req.nh.nlmsg_type = RTM_GETROUTE;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++rt->seq;
	req.rtm.rtm_family = dst->family;
	req.rtm.rtm_dst_len = alen * 8;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	rta->rta_type = RTA_DST;
	rta->rta_len = RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), &dst->u, alen);
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_SPACE(alen);
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

int
route_lookup(struct route *rt, const struct addr *dst, struct route_info *ri)
{
	int	 error;

	memset(ri, 0, sizeof(*ri));
	if (dst->family != AF_INET && dst->family != AF_INET6)
		return EAFNOSUPPORT;
	if ((error = route_ask(rt, dst)) != 0 ||
	    (error = route_answer(rt, dst->family, ri)) != 0)
		return error;
	return iface_mtu(rt->fd, ri);
}
