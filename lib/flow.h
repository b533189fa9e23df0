/* SPDX-License-Identifier: ISC */
/*
 * A flow identity: the header fields routers hash to pick one of several
 * equal-cost paths.  Every probe of one flow carries the same identity
 * (Paris traceroute's rule), so one search and its walk see one path;
 * flows that differ may take different paths.  What tells the probes of
 * one flow apart stays out of the hashed fields: the ICMP echo sequence
 * (the checksum is held constant by two payload bytes) and the cookie in
 * the payload.
 */
#ifndef FLOW_H
#define FLOW_H

#include <stdint.h>

#define FLOW_MAX	64	/* flows per destination */

struct flow {
	unsigned	 index;		/* 0 .. FLOW_MAX - 1 */
	uint16_t	 sport;		/* UDP source port, high bit set */
	uint16_t	 dport;		/* UDP destination port */
	uint16_t	 echo_id;	/* ICMP echo identifier */
	uint16_t	 echo_cksum;	/* ICMP checksum of every echo request */
	uint32_t	 label;		/* IPv6 flow label: 20 bits, never 0 */
	unsigned	 ifindex;	/* egress the kernel's route gave this
					   flow; 0: the kernel picks per probe */
};

/*
 * Flow n of a family of flows whose flow 0 is base (random per daemon);
 * its ifindex is 0.
 * Flows of one family are told apart by flow_index_*().
 */
void	 flow_derive(const struct flow *base, unsigned n, struct flow *);
/* The index of the flow with this echo id / UDP source port, or -1. */
int	 flow_index_echo(const struct flow *base, uint16_t echo_id);
int	 flow_index_udp(const struct flow *base, uint16_t sport);

#endif
