/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes the SYN-ACK parser of the TCP MSS check: the segment comes from
 * the destination or anything spoofing it.  Byte 0 picks IPv4 (a whole
 * packet) or IPv6 (a TCP segment, the sender given beside it, or none);
 * the rest is the packet.  An accepted SYN-ACK must really carry the
 * SYN and ACK flags and, when it reports an MSS, an MSS option saying so.
 */
#include <sys/socket.h>

#include <string.h>

#include "addr.h"
#include "tcpopt.h"

#include "fuzz.h"

#define SEL_V6		0x01
#define SEL_NO_FROM	0x02	/* v6: the sender is not known */

#define FROM6		"2001:db8:3::2"

/* Some option in opts[0..len) reads kind 2, length 4, value mss. */
static int
has_mss_option(const uint8_t *opts, size_t len, unsigned mss)
{
	size_t	i;

	for (i = 0; i + 4 <= len; i++)
		if (opts[i] == 2 && opts[i + 1] == 4 &&
		    (unsigned)(opts[i + 2] << 8 | opts[i + 3]) == mss)
			return (1);
	return (0);
}

/* seg is the TCP header of an accepted SYN-ACK, len bytes. */
static void
check_segment(const uint8_t *seg, size_t len, const struct tcp_synack *r)
{
	size_t	hlen;

	FUZZ_ASSERT(len >= 20);
	hlen = (size_t)(seg[12] >> 4) * 4;
	FUZZ_ASSERT(hlen >= 20 && hlen <= len);
	FUZZ_ASSERT((seg[13] & 0x12) == 0x12);	/* SYN, ACK */
	FUZZ_ASSERT((seg[13] & 0x05) == 0);	/* no RST, FIN */
	FUZZ_ASSERT(r->sport == (seg[0] << 8 | seg[1]));
	FUZZ_ASSERT(r->dport == (seg[2] << 8 | seg[3]));
	FUZZ_ASSERT(r->mss <= 65535);
	if (r->mss != 0)
		FUZZ_ASSERT(has_mss_option(seg + 20, hlen - 20, r->mss));
}

static void
fuzz_v4(const uint8_t *buf, size_t len)
{
	struct tcp_synack	r;
	size_t			ihl, tot;

	if (tcpopt_synack4(buf, len, &r) == -1)
		return;
	FUZZ_ASSERT(len >= 20 && buf[0] >> 4 == 4 && buf[9] == 6);
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	tot = (size_t)(buf[2] << 8 | buf[3]);
	FUZZ_ASSERT(ihl >= 20 && ihl <= tot && tot <= len);
	FUZZ_ASSERT(r.src.family == AF_INET && r.dst.family == AF_INET);
	FUZZ_ASSERT(memcmp(&r.src.u.v4, buf + 12, 4) == 0);
	check_segment(buf + ihl, tot - ihl, &r);
}

static void
fuzz_v6(uint8_t sel, const uint8_t *buf, size_t len)
{
	struct tcp_synack	r;
	struct addr		from;
	int			rc;

	FUZZ_ASSERT(addr_parse(&from, FROM6) == 0);
	rc = tcpopt_synack6(buf, len, (sel & SEL_NO_FROM) ? NULL : &from,
	    &r);
	if (sel & SEL_NO_FROM)
		FUZZ_ASSERT(rc == -1);
	if (rc == -1)
		return;
	FUZZ_ASSERT(addr_eq(&r.src, &from));
	check_segment(buf, len, &r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned	mss;
	int		rc;

	if (size < 1)
		return (0);
	if (data[0] & SEL_V6)
		fuzz_v6(data[0], data + 1, size - 1);
	else
		fuzz_v4(data + 1, size - 1);

	/* The options walker alone, on the rest as an options area. */
	rc = tcpopt_mss(data + 1, size - 1, &mss);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT(mss <= 65535);
	if (rc == 0 && mss != 0)
		FUZZ_ASSERT(has_mss_option(data + 1, size - 1, mss));
	return (0);
}
