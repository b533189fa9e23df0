/* SPDX-License-Identifier: ISC */
/*
 * The probe fuzz_pkt matches answers against, chosen by the first byte
 * of the input, so the fuzzer can steer between families, protocols and
 * sizes.  tests/fuzz/mkseeds.c builds its seed answers from the same
 * probes, which is what lets a seed reach PKT_OK in pkt_match().
 * Addresses come from 198.18.0.0/15 and 2001:db8::/32 only.
 */
#ifndef FUZZ_PROBE_H
#define FUZZ_PROBE_H

#include <sys/socket.h>

#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "pkt.h"

#define FUZZ_V6		0x01	/* else IPv4 */
#define FUZZ_UDP	0x02	/* else ICMP echo */
#define FUZZ_SIZEIDX(s)	(((s) >> 2) & 3)
#define FUZZ_SRC	0x10	/* the probe knows its source address */
#define FUZZ_FROM_HOP	0x20	/* v6: the answer comes from a router */
#define FUZZ_FROM_NONE	0x40	/* v6: the sender is not known */

#define FUZZ_SRC4	"198.18.0.2"
#define FUZZ_DST4	"198.19.3.2"
#define FUZZ_HOP4	"198.18.1.1"
#define FUZZ_SRC6	"2001:db8::2"
#define FUZZ_DST6	"2001:db8:3::2"
#define FUZZ_HOP6	"2001:db8:1::1"

#define FUZZ_ICMP_ID	0x4d54
#define FUZZ_ICMP_SEQ	0x0102
#define FUZZ_UDP_SPORT	40123
#define FUZZ_UDP_DPORT	33434

static const uint8_t fuzz_cookie[PKT_COOKIE_LEN] = {
	'p', 'm', 't', 'u', 'd', 0x00, 0xf2, 0x7a
};

/* Sizes at the edges: minimum MTUs, the usual 1500 and the IP maximum. */
static inline unsigned
fuzz_probe_size(uint8_t sel)
{
	static const unsigned v4[] = { 1500, 576, PKT_MIN_V4, PKT_MAX };
	static const unsigned v6[] = { 1500, PKT_MIN_V6, 9000, PKT_MAX };

	return ((sel & FUZZ_V6) ? v6[FUZZ_SIZEIDX(sel)] :
	    v4[FUZZ_SIZEIDX(sel)]);
}

/* Returns 0, or -1 if an address does not parse (a broken build). */
static inline int
fuzz_probe(uint8_t sel, struct pkt_probe *p)
{
	int	v6 = sel & FUZZ_V6;

	memset(p, 0, sizeof(*p));
	p->family = v6 ? AF_INET6 : AF_INET;
	p->proto = (sel & FUZZ_UDP) ? PKT_UDP : PKT_ICMP;
	if (addr_parse(&p->dst, v6 ? FUZZ_DST6 : FUZZ_DST4) == -1)
		return (-1);
	if ((sel & FUZZ_SRC) &&
	    addr_parse(&p->src, v6 ? FUZZ_SRC6 : FUZZ_SRC4) == -1)
		return (-1);
	p->id = p->proto == PKT_UDP ? FUZZ_UDP_SPORT : FUZZ_ICMP_ID;
	p->seq = p->proto == PKT_UDP ? FUZZ_UDP_DPORT : FUZZ_ICMP_SEQ;
	memcpy(p->cookie, fuzz_cookie, sizeof(p->cookie));
	p->size = fuzz_probe_size(sel);
	return (0);
}

/* The v6 sender (the kernel strips the IPv6 header); NULL for none. */
static inline const struct addr *
fuzz_from6(uint8_t sel, struct addr *from)
{
	if (sel & FUZZ_FROM_NONE)
		return (NULL);
	if (addr_parse(from, (sel & FUZZ_FROM_HOP) ? FUZZ_HOP6 :
	    FUZZ_DST6) == -1)
		return (NULL);
	return (from);
}

#endif
