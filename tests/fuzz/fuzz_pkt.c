/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes the ICMP/ICMPv6 answer parser and matcher, the code that reads
 * packets from anyone on the path.  Byte 0 picks the probe (see
 * fuzz_probe.h), the rest is the packet: a raw IPv4 packet, or an
 * ICMPv6 message as the kernel hands it over.  Beyond memory safety it
 * checks what pkt.h promises: an accepted answer really quotes the probe
 * and names a plausible MTU (RFC 5927).
 */
#include <sys/socket.h>

#include <string.h>

#include "addr.h"
#include "pkt.h"

#include "fuzz.h"
#include "fuzz_probe.h"

#define NSEL	128	/* selectors that differ (bit 7 is unused) */

/*
 * Builds each probe once: pkt_build must accept every one of them, and a
 * 64 KB probe rebuilt on every input would slow the fuzzer down tenfold.
 */
static void
check_build(uint8_t sel, const struct pkt_probe *p)
{
	static uint8_t	 built[NSEL];
	static uint8_t	 buf[PKT_MAX];
	ssize_t		 n;
	size_t		 hl;

	if (built[sel % NSEL])
		return;
	built[sel % NSEL] = 1;
	hl = p->family == AF_INET ? PKT_IP4_HDR : PKT_IP6_HDR;
	n = pkt_build(p, buf, sizeof(buf));
	FUZZ_ASSERT(n == (ssize_t)(p->size - hl));
	FUZZ_ASSERT(memcmp(buf + PKT_L4_HDR, p->cookie, PKT_COOKIE_LEN) == 0);
	if (p->family == AF_INET && p->proto == PKT_ICMP)
		FUZZ_ASSERT(pkt_cksum(buf, (size_t)n) == 0);
	/* One byte short of room must be refused, not overrun. */
	FUZZ_ASSERT(pkt_build(p, buf, (size_t)n - 1) == -1);
}

/* What a parsed answer must look like whether it matches or not. */
static void
check_reply(const struct pkt_probe *p, const struct pkt_reply *r)
{
	FUZZ_ASSERT(r->family == p->family);
	FUZZ_ASSERT(r->kind >= PKT_ECHO_REPLY && r->kind <= PKT_UNREACH);
	FUZZ_ASSERT(r->proto == PKT_ICMP || r->proto == PKT_UDP);
	FUZZ_ASSERT(r->type >= 0 && r->type <= 255);
	FUZZ_ASSERT(r->code >= 0 && r->code <= 255);
	FUZZ_ASSERT(r->kind == PKT_TOO_BIG || r->mtu == 0);
	FUZZ_ASSERT(r->qsize <= PKT_MAX + PKT_IP6_HDR);
	if (r->kind == PKT_ECHO_REPLY) {
		FUZZ_ASSERT(r->proto == PKT_ICMP);
		FUZZ_ASSERT(addr_eq(&r->qdst, &r->from) ||
		    (!addr_isset(&r->qdst) && !addr_isset(&r->from)));
	} else {
		FUZZ_ASSERT(r->qdst.family == p->family);
		FUZZ_ASSERT(r->qsrc.family == p->family);
	}
}

/* PKT_OK from pkt_match: the answer is provably to this probe. */
static void
check_match(const struct pkt_probe *p, const struct pkt_reply *r)
{
	FUZZ_ASSERT(r->proto == p->proto);
	FUZZ_ASSERT(r->id == p->id && r->seq == p->seq);
	FUZZ_ASSERT(memcmp(r->cookie, p->cookie, PKT_COOKIE_LEN) == 0);
	FUZZ_ASSERT(addr_eq(&r->qdst, &p->dst));
	FUZZ_ASSERT(!addr_isset(&r->qsrc) || !addr_isset(&p->src) ||
	    addr_eq(&r->qsrc, &p->src));
	FUZZ_ASSERT(r->qsize == p->size);
	if (r->kind == PKT_ECHO_REPLY || r->kind == PKT_PORT_UNREACH)
		FUZZ_ASSERT(addr_eq(&r->from, &p->dst));
	if (r->kind == PKT_TOO_BIG) {
		if (r->mtu == 0)
			FUZZ_ASSERT(p->family == AF_INET);
		else
			FUZZ_ASSERT(r->mtu >= pkt_min_mtu(p->family) &&
			    r->mtu < p->size);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_probe	 p;
	struct pkt_reply	 r;
	struct addr		 from;
	const struct addr	*fromp;
	enum pkt_ignore		 e, m;
	uint8_t			 sel;

	if (size < 1)
		return (0);
	sel = data[0];
	FUZZ_ASSERT(fuzz_probe(sel, &p) == 0);
	check_build(sel, &p);

	/* data + 1 ends where the input ends, so ASan sees any over-read. */
	memset(&r, 0xa5, sizeof(r));
	if (p.family == AF_INET)
		e = pkt_parse4(data + 1, size - 1, &r);
	else {
		fromp = fuzz_from6(sel, &from);
		e = pkt_parse6(data + 1, size - 1, fromp, &r);
	}
	FUZZ_ASSERT((unsigned)e < PKT_IGN_MAX);
	FUZZ_ASSERT(strcmp(pkt_ignore_name(e), "invalid") != 0);
	if (e != PKT_OK)
		return (0);
	check_reply(&p, &r);

	m = pkt_match(&p, &r);
	FUZZ_ASSERT(m == PKT_OK || m == PKT_IGN_MISMATCH ||
	    m == PKT_IGN_COOKIE || m == PKT_IGN_MTU);
	if (m == PKT_OK)
		check_match(&p, &r);
	return (0);
}
