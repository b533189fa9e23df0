/* SPDX-License-Identifier: ISC */
/*
 * Probe packets: build them, parse what comes back, and accept an ICMP
 * answer only when it provably quotes one of our probes (RFC 5927).
 *
 * Parsing never trusts a length field beyond the bytes actually received:
 * every read is checked against the buffer length first.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "addr.h"
#include "pkt.h"

#define ICMP_ECHOREPLY4		0
#define ICMP_UNREACH4		3
#define ICMP_UNREACH4_PORT	3
#define ICMP_UNREACH4_NEEDFRAG	4
#define ICMP_ECHO4		8
#define ICMP_TIMXCEED4		11
#define ICMP_TIMXCEED4_REASS	1

#define ICMP6_UNREACH		1
#define ICMP6_UNREACH_PORT	4
#define ICMP6_TOOBIG		2
#define ICMP6_TIMXCEED		3
#define ICMP6_ECHO		128
#define ICMP6_ECHOREPLY		129

#define IP4_OFFMASK		0x1fff	/* fragment offset bits */
#define PROTO_ICMP4		1
#define PROTO_UDP		17
#define PROTO_ICMP6		58

/* Bytes of a quote we need past the quoted IP header. */
#define QUOTE_L4		(PKT_L4_HDR + PKT_COOKIE_LEN)

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/*
 * RFC 1071 sum in native 16-bit words: one's-complement addition does
 * not care about byte order, so the folded result stored back with
 * memcpy is right on any host.  64 bits cannot overflow for any length
 * we can hold.
 */
static uint64_t
cksum_add(uint64_t sum, const void *buf, size_t len)
{
	const uint8_t	*b = buf;
	uint16_t	 w;
	uint8_t		 last[2];

	for (; len >= 2; b += 2, len -= 2) {
		memcpy(&w, b, sizeof(w));
		sum += w;
	}
	if (len == 1) {
		/* The odd byte is the high-order byte of a zero-padded word. */
		last[0] = b[0];
		last[1] = 0;
		memcpy(&w, last, sizeof(w));
		sum += w;
	}
	return sum;
}

static uint16_t
cksum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Returns the checksum as it must lie in memory: memcpy it into the
 * header field (it is already in network byte order there).  Over a
 * message that carries a correct checksum the result is 0.
 */
uint16_t
pkt_cksum(const void *buf, size_t len)
{
	return cksum_fold(cksum_add(0, buf, len));
}

static size_t
ip_hdr_len(int family)
{
	switch (family) {
	case AF_INET:
		return PKT_IP4_HDR;
	case AF_INET6:
		return PKT_IP6_HDR;
	default:
		return 0;
	}
}

/* UDP checksum over the pseudo-header (RFC 768, RFC 8200 8.1). */
static uint16_t
udp_cksum(const struct pkt_probe *p, const uint8_t *udp, size_t len)
{
	uint8_t		 ph[40];
	size_t		 phlen;
	uint16_t	 c;

	memset(ph, 0, sizeof(ph));
	if (p->family == AF_INET) {
		memcpy(ph, &p->src.u.v4, 4);
		memcpy(ph + 4, &p->dst.u.v4, 4);
		ph[9] = PROTO_UDP;
		put16(ph + 10, (uint16_t)len);
		phlen = 12;
	} else {
		memcpy(ph, &p->src.u.v6, 16);
		memcpy(ph + 16, &p->dst.u.v6, 16);
		put16(ph + 34, (uint16_t)len);	/* 32-bit length, < 65536 */
		ph[39] = PROTO_UDP;
		phlen = 40;
	}
	c = cksum_fold(cksum_add(cksum_add(0, ph, phlen), udp, len));
	/* 0 means "no checksum" in v4 and is forbidden in v6: send ones. */
	if (c == 0)
		c = 0xffff;
	return c;
}

/* The ICMPv6 pseudo-header's sum (RFC 8200 8.1), for a held checksum. */
static uint64_t
icmp6_pseudo(const struct pkt_probe *p, size_t len)
{
	uint8_t		 ph[40];

	memset(ph, 0, sizeof(ph));
	memcpy(ph, &p->src.u.v6, 16);
	memcpy(ph + 16, &p->dst.u.v6, 16);
	put16(ph + 34, (uint16_t)len);
	ph[39] = PROTO_ICMP6;
	return cksum_add(0, ph, sizeof(ph));
}

/*
 * Sets the two payload bytes at PKT_CKSUM_FIX so the echo's checksum
 * comes out as p->cksum (RFC 1624 arithmetic): routers that hash the
 * first bytes of the ICMP header then see one flow.  The checksum field
 * is 0 in buf; ICMPv6 leaves it so, as the kernel fills it.
 */
static void
echo_hold_cksum(const struct pkt_probe *p, uint8_t *buf, size_t len)
{
	uint64_t	 sum = 0;
	uint16_t	 want, s, w;

	if (len < PKT_CKSUM_FIX + 2)
		return;
	if (p->family == AF_INET6) {
		if (!addr_isset(&p->src))
			return;
		sum = icmp6_pseudo(p, len);
	}
	memset(buf + PKT_CKSUM_FIX, 0, 2);
	s = (uint16_t)~cksum_fold(cksum_add(sum, buf, len));
	put16((uint8_t *)&want, p->cksum);
	/* want = ~(s + w), so w = ~want - s = ~want + ~s. */
	w = (uint16_t)~cksum_fold((uint64_t)(uint16_t)~want +
	    (uint16_t)~s);
	memcpy(buf + PKT_CKSUM_FIX, &w, sizeof(w));
}

/*
 * buf: transport header, cookie, then padding where byte i of buf is
 * i & 0xff, so a quote can be checked against what we sent.
 */
ssize_t
pkt_build(const struct pkt_probe *p, uint8_t *buf, size_t buflen)
{
	size_t		 hl, len, i;
	uint16_t	 c;

	if ((hl = ip_hdr_len(p->family)) == 0)
		return -1;
	if (p->proto != PKT_ICMP && p->proto != PKT_UDP)
		return -1;
	if (p->dst.family != p->family ||
	    (addr_isset(&p->src) && p->src.family != p->family))
		return -1;
	if (p->size < hl + PKT_L4_HDR + PKT_COOKIE_LEN || p->size > PKT_MAX)
		return -1;
	len = p->size - hl;
	if (len > buflen)
		return -1;

	memset(buf, 0, PKT_L4_HDR);
	memcpy(buf + PKT_L4_HDR, p->cookie, PKT_COOKIE_LEN);
	for (i = PKT_L4_HDR + PKT_COOKIE_LEN; i < len; i++)
		buf[i] = i & 0xff;

	if (p->proto == PKT_ICMP) {
		buf[0] = p->family == AF_INET ? ICMP_ECHO4 : ICMP6_ECHO;
		put16(buf + 4, p->id);
		put16(buf + 6, p->seq);
		if (p->hold_cksum)
			echo_hold_cksum(p, buf, len);
		/* ICMPv6 covers a pseudo-header: the kernel fills it. */
		if (p->family == AF_INET) {
			c = pkt_cksum(buf, len);
			memcpy(buf + 2, &c, sizeof(c));
		}
	} else {
		put16(buf, p->id);
		put16(buf + 2, p->seq);
		put16(buf + 4, (uint16_t)len);
		if (addr_isset(&p->src)) {
			c = udp_cksum(p, buf, len);
			memcpy(buf + 6, &c, sizeof(c));
		}
	}
	return (ssize_t)len;
}

/* Echo reply: identifiers and cookie straight from the ICMP message. */
static enum pkt_ignore
parse_echo(const uint8_t *icmp, size_t len, struct pkt_reply *r)
{
	if (len < PKT_L4_HDR + PKT_COOKIE_LEN)
		return PKT_IGN_SHORT;
	r->kind = PKT_ECHO_REPLY;
	r->proto = PKT_ICMP;
	r->id = get16(icmp + 4);
	r->seq = get16(icmp + 6);
	memcpy(r->cookie, icmp + PKT_L4_HDR, PKT_COOKIE_LEN);
	r->qdst = r->from;
	return PKT_OK;
}

/* The quoted transport header and cookie; r->proto is already set. */
static enum pkt_ignore
parse_quoted_l4(const uint8_t *t, size_t len, int echotype,
    struct pkt_reply *r)
{
	if (len < QUOTE_L4)
		return PKT_IGN_TRUNCATED;
	if (r->proto == PKT_ICMP) {
		/* Only an echo request can be a probe of ours. */
		if (t[0] != echotype || t[1] != 0)
			return PKT_IGN_NOT_OURS;
		r->id = get16(t + 4);
		r->seq = get16(t + 6);
	} else {
		r->id = get16(t);
		r->seq = get16(t + 2);
	}
	memcpy(r->cookie, t + PKT_L4_HDR, PKT_COOKIE_LEN);
	return PKT_OK;
}

static enum pkt_ignore
parse_quote4(const uint8_t *q, size_t len, struct pkt_reply *r)
{
	size_t	hl;

	if (len < 1)
		return PKT_IGN_TRUNCATED;
	if (q[0] >> 4 != 4)
		return PKT_IGN_MALFORMED;
	hl = (size_t)(q[0] & 0x0f) * 4;
	if (hl < PKT_IP4_HDR)
		return PKT_IGN_MALFORMED;
	if (len < hl)
		return PKT_IGN_TRUNCATED;
	/* A later fragment carries no transport header to check. */
	if (get16(q + 6) & IP4_OFFMASK)
		return PKT_IGN_NOT_OURS;
	switch (q[9]) {
	case PROTO_ICMP4:
		r->proto = PKT_ICMP;
		break;
	case PROTO_UDP:
		r->proto = PKT_UDP;
		break;
	default:
		return PKT_IGN_NOT_OURS;
	}
	r->qsize = get16(q + 2);
	r->qsrc.family = r->qdst.family = AF_INET;
	memcpy(&r->qsrc.u.v4, q + 12, 4);
	memcpy(&r->qdst.u.v4, q + 16, 4);
	return parse_quoted_l4(q + hl, len - hl, ICMP_ECHO4, r);
}

static enum pkt_ignore
parse_quote6(const uint8_t *q, size_t len, struct pkt_reply *r)
{
	if (len < 1)
		return PKT_IGN_TRUNCATED;
	if (q[0] >> 4 != 6)
		return PKT_IGN_MALFORMED;
	if (len < PKT_IP6_HDR)
		return PKT_IGN_TRUNCATED;
	/* Our probes carry no extension headers, so none is walked. */
	switch (q[6]) {
	case PROTO_ICMP6:
		r->proto = PKT_ICMP;
		break;
	case PROTO_UDP:
		r->proto = PKT_UDP;
		break;
	default:
		return PKT_IGN_NOT_OURS;
	}
	r->qsize = (unsigned)get16(q + 4) + PKT_IP6_HDR;
	r->qsrc.family = r->qdst.family = AF_INET6;
	memcpy(&r->qsrc.u.v6, q + 8, 16);
	memcpy(&r->qdst.u.v6, q + 24, 16);
	return parse_quoted_l4(q + PKT_IP6_HDR, len - PKT_IP6_HDR,
	    ICMP6_ECHO, r);
}

/* ICMPv4 message of len bytes (at least the 8-byte header). */
static enum pkt_ignore
parse_icmp4(const uint8_t *icmp, size_t len, struct pkt_reply *r)
{
	switch (icmp[0]) {
	case ICMP_ECHOREPLY4:
		return parse_echo(icmp, len, r);
	case ICMP_UNREACH4:
		if (icmp[1] == ICMP_UNREACH4_NEEDFRAG) {
			r->kind = PKT_TOO_BIG;
			r->mtu = get16(icmp + 6);
		} else if (icmp[1] == ICMP_UNREACH4_PORT)
			r->kind = PKT_PORT_UNREACH;
		else
			r->kind = PKT_UNREACH;
		break;
	case ICMP_TIMXCEED4:
		/* Reassembly timeout says nothing about the path. */
		if (icmp[1] == ICMP_TIMXCEED4_REASS)
			return PKT_IGN_TYPE;
		r->kind = PKT_TIME_EXCEEDED;
		break;
	default:
		return PKT_IGN_TYPE;
	}
	return parse_quote4(icmp + PKT_L4_HDR, len - PKT_L4_HDR, r);
}

enum pkt_ignore
pkt_parse4(const uint8_t *buf, size_t len, struct pkt_reply *out)
{
	struct pkt_reply	 r;
	enum pkt_ignore		 e;
	size_t			 hl, tot;

	if (len < PKT_IP4_HDR)
		return PKT_IGN_SHORT;
	if (buf[0] >> 4 != 4)
		return PKT_IGN_MALFORMED;
	hl = (size_t)(buf[0] & 0x0f) * 4;
	if (hl < PKT_IP4_HDR)
		return PKT_IGN_MALFORMED;
	if (hl > len)
		return PKT_IGN_SHORT;
	if (buf[9] != PROTO_ICMP4)
		return PKT_IGN_MALFORMED;
	/* The kernel hands over whole packets: a longer claim is a lie. */
	tot = get16(buf + 2);
	if (tot < hl || tot > len)
		return PKT_IGN_MALFORMED;
	if (tot - hl < PKT_L4_HDR)
		return PKT_IGN_SHORT;
	if (pkt_cksum(buf + hl, tot - hl) != 0)
		return PKT_IGN_CHECKSUM;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.from.family = AF_INET;
	memcpy(&r.from.u.v4, buf + 12, 4);
	r.type = buf[hl];
	r.code = buf[hl + 1];
	if ((e = parse_icmp4(buf + hl, tot - hl, &r)) != PKT_OK)
		return e;
	if (r.kind == PKT_ECHO_REPLY)
		r.qsize = (unsigned)tot;
	*out = r;
	return PKT_OK;
}

/*
 * The kernel has verified the ICMPv6 checksum already.  A from that is
 * NULL or not IPv6 leaves r->from unset, so nothing that must come from
 * the destination can match.
 */
enum pkt_ignore
pkt_parse6(const uint8_t *buf, size_t len, const struct addr *from,
    struct pkt_reply *out)
{
	struct pkt_reply	 r;
	enum pkt_ignore		 e;

	if (len < PKT_L4_HDR)
		return PKT_IGN_SHORT;
	memset(&r, 0, sizeof(r));
	r.family = AF_INET6;
	if (from != NULL && from->family == AF_INET6)
		r.from = *from;
	r.type = buf[0];
	r.code = buf[1];
	switch (buf[0]) {
	case ICMP6_ECHOREPLY:
		if ((e = parse_echo(buf, len, &r)) != PKT_OK)
			return e;
		r.qsize = (unsigned)len + PKT_IP6_HDR;
		*out = r;
		return PKT_OK;
	case ICMP6_UNREACH:
		r.kind = buf[1] == ICMP6_UNREACH_PORT ? PKT_PORT_UNREACH :
		    PKT_UNREACH;
		break;
	case ICMP6_TOOBIG:
		r.kind = PKT_TOO_BIG;
		r.mtu = get32(buf + 4);
		break;
	case ICMP6_TIMXCEED:
		/* Code 1 is fragment reassembly time exceeded. */
		if (buf[1] != 0)
			return PKT_IGN_TYPE;
		r.kind = PKT_TIME_EXCEEDED;
		break;
	default:
		return PKT_IGN_TYPE;
	}
	if ((e = parse_quote6(buf + PKT_L4_HDR, len - PKT_L4_HDR, &r)) !=
	    PKT_OK)
		return e;
	*out = r;
	return PKT_OK;
}

/* v4 routers may send 0 (pre-RFC 1191); RFC 8201 always names an MTU. */
static int
mtu_plausible(const struct pkt_probe *p, uint32_t mtu)
{
	if (mtu == 0)
		return p->family == AF_INET;
	return mtu >= pkt_min_mtu(p->family) && mtu < p->size;
}

enum pkt_ignore
pkt_match(const struct pkt_probe *p, const struct pkt_reply *r)
{
	if (r->family != p->family || r->proto != p->proto ||
	    r->id != p->id || r->seq != p->seq)
		return PKT_IGN_MISMATCH;
	if (memcmp(r->cookie, p->cookie, PKT_COOKIE_LEN) != 0)
		return PKT_IGN_COOKIE;
	if (!addr_eq(&r->qdst, &p->dst))
		return PKT_IGN_MISMATCH;
	if (addr_isset(&r->qsrc) && addr_isset(&p->src) &&
	    !addr_eq(&r->qsrc, &p->src))
		return PKT_IGN_MISMATCH;
	/* Only the destination itself echoes or refuses the port. */
	if ((r->kind == PKT_ECHO_REPLY || r->kind == PKT_PORT_UNREACH) &&
	    !addr_eq(&r->from, &p->dst))
		return PKT_IGN_MISMATCH;
	if (r->qsize != p->size)
		return PKT_IGN_MISMATCH;
	if (r->kind == PKT_TOO_BIG && !mtu_plausible(p, r->mtu))
		return PKT_IGN_MTU;
	return PKT_OK;
}

const char *
pkt_ignore_name(enum pkt_ignore e)
{
	static const char *const names[PKT_IGN_MAX] = {
		[PKT_OK] = "ok",
		[PKT_IGN_SHORT] = "short",
		[PKT_IGN_MALFORMED] = "malformed",
		[PKT_IGN_CHECKSUM] = "checksum",
		[PKT_IGN_TYPE] = "type",
		[PKT_IGN_NOT_OURS] = "not_ours",
		[PKT_IGN_TRUNCATED] = "truncated",
		[PKT_IGN_MISMATCH] = "mismatch",
		[PKT_IGN_COOKIE] = "cookie",
		[PKT_IGN_MTU] = "mtu",
		[PKT_IGN_UNKNOWN] = "unknown",
	};

	if ((unsigned)e >= PKT_IGN_MAX)
		return "invalid";
	return names[e];
}

unsigned
pkt_min_mtu(int family)
{
	switch (family) {
	case AF_INET:
		return PKT_MIN_V4;
	case AF_INET6:
		return PKT_MIN_V6;
	default:
		return 0;
	}
}

unsigned
pkt_plateau_below(unsigned size)
{
	/* RFC 1191 section 7, largest first. */
	static const unsigned plateaus[] = {
		65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508,
		296, 68,
	};
	size_t	i;

	for (i = 0; i < sizeof(plateaus) / sizeof(plateaus[0]); i++)
		if (plateaus[i] < size)
			return plateaus[i];
	return 0;
}
