/* SPDX-License-Identifier: ISC */
/*
 * TCP segments as a raw socket sees them, reduced to what the MSS check
 * needs: is it a SYN-ACK, between which ports, and what MSS option it
 * carries.  Pure parsing, strictly bounded.
 */
#ifndef TCPOPT_H
#define TCPOPT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct tcp_synack {
	struct addr	 src;		/* v4: from the IP header; v6: as given */
	struct addr	 dst;		/* v4 only; v6: unset */
	uint16_t	 sport;
	uint16_t	 dport;
	unsigned	 mss;		/* 0: no MSS option */
};

/*
 * v4: buf is the whole IPv4 packet; v6: buf starts at the TCP header and
 * from is the sender.  0 for a well-formed SYN-ACK (r filled), -1 for
 * anything else (not TCP, not SYN+ACK, truncated, bad data offset, bad
 * option lengths).
 */
int	 tcpopt_synack4(const uint8_t *buf, size_t len, struct tcp_synack *r);
int	 tcpopt_synack6(const uint8_t *buf, size_t len, const struct addr *from,
	    struct tcp_synack *r);
/* The MSS option in a TCP options area; 0 if none, -1 if malformed. */
int	 tcpopt_mss(const uint8_t *opts, size_t len, unsigned *mss);

#endif
