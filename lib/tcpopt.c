/* SPDX-License-Identifier: ISC */
/*
 * SYN-ACKs as a raw TCP socket delivers them: an IPv4 packet from its IP
 * header, or (IPv6) a TCP segment from its TCP header.  Every length
 * field is checked against the bytes actually received before it is
 * used; anything that is not a well-formed SYN-ACK is refused.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "addr.h"
#include "tcpopt.h"

#define IP4_HDR_MIN	20
#define IP4_OFFMASK	0x1fff	/* fragment offset bits */
#define PROTO_TCP	6

#define TCP_HDR_MIN	20
#define TCP_F_FIN	0x01
#define TCP_F_SYN	0x02
#define TCP_F_RST	0x04
#define TCP_F_ACK	0x10

#define OPT_EOL		0
#define OPT_NOP		1
#define OPT_MSS		2
#define OPT_MSS_LEN	4

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int
tcpopt_mss(const uint8_t *opts, size_t len, unsigned *mss)
{
	size_t	i, olen;
	int	seen = 0;

	*mss = 0;
	for (i = 0; i < len; i += olen) {
		if (opts[i] == OPT_EOL)
			break;
		if (opts[i] == OPT_NOP) {
			olen = 1;
			continue;
		}
		if (len - i < 2)
			return -1;
		olen = opts[i + 1];
		if (olen < 2 || olen > len - i)
			return -1;
		if (opts[i] != OPT_MSS)
			continue;
		/* Two MSS options leave it unclear which one the stack took. */
		if (olen != OPT_MSS_LEN || seen)
			return -1;
		seen = 1;
		*mss = get16(opts + i + 2);
	}
	return 0;
}

/* The TCP header and options in seg[0..len); addresses are the caller's. */
static int
parse_tcp(const uint8_t *seg, size_t len, struct tcp_synack *r)
{
	size_t		hlen;
	uint8_t		flags;
	unsigned	mss;

	if (len < TCP_HDR_MIN)
		return -1;
	hlen = (size_t)(seg[12] >> 4) * 4;
	if (hlen < TCP_HDR_MIN || hlen > len)
		return -1;
	flags = seg[13];
	/* ECE, CWR, PSH, URG may ride along; a reset or FIN may not. */
	if ((flags & (TCP_F_SYN | TCP_F_ACK)) != (TCP_F_SYN | TCP_F_ACK) ||
	    (flags & (TCP_F_RST | TCP_F_FIN)) != 0)
		return -1;
	if (tcpopt_mss(seg + TCP_HDR_MIN, hlen - TCP_HDR_MIN, &mss) == -1)
		return -1;
	r->sport = get16(seg);
	r->dport = get16(seg + 2);
	r->mss = mss;
	return 0;
}

int
tcpopt_synack4(const uint8_t *buf, size_t len, struct tcp_synack *r)
{
	struct tcp_synack	t;
	size_t			ihl, tot;

	if (len < IP4_HDR_MIN || buf[0] >> 4 != 4)
		return -1;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < IP4_HDR_MIN || ihl > len)
		return -1;
	tot = get16(buf + 2);
	/* Bytes past the total length (link padding) are not the segment. */
	if (tot < ihl || tot > len)
		return -1;
	if (buf[9] != PROTO_TCP || (get16(buf + 6) & IP4_OFFMASK) != 0)
		return -1;
	memset(&t, 0, sizeof(t));
	if (parse_tcp(buf + ihl, tot - ihl, &t) == -1)
		return -1;
	t.src.family = AF_INET;
	memcpy(&t.src.u.v4, buf + 12, sizeof(t.src.u.v4));
	t.dst.family = AF_INET;
	memcpy(&t.dst.u.v4, buf + 16, sizeof(t.dst.u.v4));
	*r = t;
	return 0;
}

int
tcpopt_synack6(const uint8_t *buf, size_t len, const struct addr *from,
    struct tcp_synack *r)
{
	struct tcp_synack	t;

	if (from == NULL || from->family != AF_INET6)
		return -1;
	memset(&t, 0, sizeof(t));
	if (parse_tcp(buf, len, &t) == -1)
		return -1;
	t.src = *from;
	*r = t;
	return 0;
}
