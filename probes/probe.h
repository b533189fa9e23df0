/* SPDX-License-Identifier: ISC */
/*
 * Raw-socket probe drivers: one socket per (family, protocol).  Probes
 * leave with DF set (no fragmentation on IPv6) at the size asked, even
 * above a smaller PMTU the kernel has cached for the destination
 * (IP_PMTUDISC_PROBE), so the search sees the path, not the cache.
 */
#ifndef PROBE_H
#define PROBE_H

#include <net/if.h>

#include "pkt.h"

struct probe_sock;

/*
 * PKT_ICMP sockets send echo requests and receive every ICMP answer
 * (echo replies and errors about ICMP and UDP probes alike); PKT_UDP
 * sockets only send.  NULL with errno set on failure.
 */
struct probe_sock	*probe_open(int family, enum pkt_proto);
void			 probe_close(struct probe_sock *);
int			 probe_fd(const struct probe_sock *);

/* Sends p with hop limit ttl (0: the system default).  0 or an errno. */
int			 probe_send(struct probe_sock *,
			    const struct pkt_probe *, int ttl);

/*
 * Reads one packet from an ICMP socket.  1: parsed into r.  0: nothing
 * to read.  -1: read but not usable; *why says why (PKT_IGN_*), or
 * PKT_OK with errno set when the read itself failed.
 */
int			 probe_recv(struct probe_sock *, struct pkt_reply *r,
			    enum pkt_ignore *why);

/* What the kernel's routing table says about a destination. */
struct route_info {
	struct addr	 src;		/* source address it would use */
	unsigned	 ifindex;
	char		 ifname[IF_NAMESIZE];
	unsigned	 mtu;		/* egress interface MTU */
	int		 local;		/* dst is this host's own address */
};

/*
 * Egress interface, its MTU and source address for one flow of dst,
 * asked over netlink (RTM_GETROUTE) with the flow's protocol and ports
 * (an ICMP echo as its type) and on IPv6 its flow label (0: none), so
 * that a multipath route answers with the next hop that flow's hash
 * picks.  0, or an errno (ENETUNREACH, EHOSTUNREACH, ...) as the kernel
 * answered.  The kernel may route a raw socket's packet of that flow
 * elsewhere (it hashes an IPv4 echo's type, which the look-up leaves
 * out; older kernels ignore the label): the probes are pinned to the
 * egress interface given (pkt_probe.ifindex), which keeps the two in
 * agreement.
 */
struct route;
struct route	*route_open(void);
void		 route_close(struct route *);
int		 route_lookup_flow(struct route *, const struct addr *dst,
		    enum pkt_proto, uint16_t sport, uint16_t dport,
		    uint32_t label, struct route_info *);

#endif
