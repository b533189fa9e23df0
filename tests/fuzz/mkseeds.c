/* SPDX-License-Identifier: ISC */
/*
 * Writes the seed corpus of fuzz_pkt: real answers to the probes of
 * fuzz_probe.h, built the way routers and hosts build them (frag-needed,
 * packet-too-big, time-exceeded, echo replies, port unreachable), plus
 * the near misses the parser must refuse (truncated quotes, bad
 * checksums, foreign cookies, lying lengths).  Each file is the selector
 * byte followed by the packet.
 *   usage: mkseeds DIR
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "pkt.h"

#include "fuzz_probe.h"

#define ANS_MAX		(PKT_MAX + 1)
#define QUOTE_ALL	((size_t)-1)
#define V4_QUOTE	(576 - PKT_IP4_HDR - PKT_L4_HDR)	/* RFC 1812 */
#define V6_QUOTE	(PKT_MIN_V6 - PKT_IP6_HDR - PKT_L4_HDR)	/* RFC 4443 */

/* ICMP types and codes; lib/pkt.c keeps its own. */
#define T4_ECHOREPLY	0
#define T4_UNREACH	3
#define T4_ECHO		8
#define T4_TIMXCEED	11
#define T6_UNREACH	1
#define T6_TOOBIG	2
#define T6_TIMXCEED	3
#define T6_ECHO		128
#define T6_ECHOREPLY	129

static const char	*outdir;
static uint8_t		 ans[ANS_MAX];
static uint8_t		 probe[PKT_MAX];	/* the probe as sent */

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (v >> 8) & 0xff;
	p[1] = v & 0xff;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static int
seed(const char *name, uint8_t sel, const uint8_t *buf, size_t len)
{
	char	 path[PATH_MAX];
	int	 fd, ok;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1) {
		fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	ok = write(fd, &sel, 1) == 1 &&
	    write(fd, buf, len) == (ssize_t)len;
	if (close(fd) == -1 || !ok) {
		fprintf(stderr, "mkseeds: %s: write failed\n", path);
		return (-1);
	}
	return (0);
}

/* Recomputes the checksum of the ICMPv4 message after the header. */
static void
icmp4_cksum(uint8_t *pkt, size_t len)
{
	uint16_t	c;

	memset(pkt + PKT_IP4_HDR + 2, 0, 2);
	c = pkt_cksum(pkt + PKT_IP4_HDR, len - PKT_IP4_HDR);
	memcpy(pkt + PKT_IP4_HDR + 2, &c, 2);
}

/* An IPv4 header as the kernel hands it to a raw socket. */
static void
ip4(uint8_t *h, const struct addr *src, const struct addr *dst,
    unsigned total, int proto)
{
	uint16_t	c;

	memset(h, 0, PKT_IP4_HDR);
	h[0] = 0x45;
	put16(h + 2, total);
	put16(h + 6, 0x4000);		/* DF */
	h[8] = 64;
	h[9] = proto;
	memcpy(h + 12, &src->u.v4, 4);
	memcpy(h + 16, &dst->u.v4, 4);
	c = pkt_cksum(h, PKT_IP4_HDR);
	memcpy(h + 10, &c, 2);
}

static void
ip6(uint8_t *h, const struct addr *src, const struct addr *dst,
    unsigned payload, int next)
{
	memset(h, 0, PKT_IP6_HDR);
	h[0] = 0x60;
	put16(h + 4, payload);
	h[6] = next;
	h[7] = 64;
	memcpy(h + 8, &src->u.v6, 16);
	memcpy(h + 24, &dst->u.v6, 16);
}

/*
 * The probe of sel as it left this host, IP header included, into q;
 * returns its length.  The source is the probe's when set, else ours.
 */
static size_t
sent(uint8_t sel, struct pkt_probe *p, uint8_t *q)
{
	struct addr	src;
	ssize_t		n;
	size_t		hl;

	if (fuzz_probe(sel, p) == -1)
		abort();
	if (addr_isset(&p->src))
		src = p->src;
	else if (addr_parse(&src, p->family == AF_INET ? FUZZ_SRC4 :
	    FUZZ_SRC6) == -1)
		abort();
	hl = p->family == AF_INET ? PKT_IP4_HDR : PKT_IP6_HDR;
	if ((n = pkt_build(p, q + hl, PKT_MAX - hl)) == -1)
		abort();
	if (p->family == AF_INET)
		ip4(q, &src, &p->dst, p->size,
		    p->proto == PKT_UDP ? 17 : 1);
	else
		ip6(q, &src, &p->dst, (unsigned)n,
		    p->proto == PKT_UDP ? 17 : 58);
	return (hl + (size_t)n);
}

/*
 * An ICMPv4 error from "from" quoting qlen bytes of q (at most what the
 * probe had); word is bytes 4-7 of the ICMP header.
 */
static size_t
err4(const char *from, int type, int code, uint32_t word,
    const uint8_t *q, size_t have, size_t qlen)
{
	struct addr	a, to;
	size_t		icmp;

	if (qlen > have)
		qlen = have;
	if (addr_parse(&a, from) == -1 || addr_parse(&to, FUZZ_SRC4) == -1)
		abort();
	icmp = PKT_L4_HDR + qlen;
	ip4(ans, &a, &to, (unsigned)(PKT_IP4_HDR + icmp), 1);
	memset(ans + PKT_IP4_HDR, 0, PKT_L4_HDR);
	ans[PKT_IP4_HDR] = type;
	ans[PKT_IP4_HDR + 1] = code;
	put32(ans + PKT_IP4_HDR + 4, word);
	memcpy(ans + PKT_IP4_HDR + PKT_L4_HDR, q, qlen);
	icmp4_cksum(ans, PKT_IP4_HDR + icmp);
	return (PKT_IP4_HDR + icmp);
}

/* An ICMPv6 error as the raw socket returns it (no IPv6 header). */
static size_t
err6(int type, int code, uint32_t word, const uint8_t *q, size_t have,
    size_t qlen)
{
	if (qlen > have)
		qlen = have;
	memset(ans, 0, PKT_L4_HDR);
	ans[0] = type;
	ans[1] = code;
	put32(ans + 4, word);
	memcpy(ans + PKT_L4_HDR, q, qlen);
	return (PKT_L4_HDR + qlen);
}

/* The destination's echo reply to an ICMP probe. */
static size_t
echo_reply(uint8_t sel)
{
	struct pkt_probe	 p;
	struct addr		 to;
	size_t			 n, hl;

	n = sent(sel, &p, probe);
	if (p.family == AF_INET6) {
		memcpy(ans, probe + PKT_IP6_HDR, n - PKT_IP6_HDR);
		ans[0] = T6_ECHOREPLY;
		return (n - PKT_IP6_HDR);
	}
	hl = PKT_IP4_HDR;
	if (addr_parse(&to, FUZZ_SRC4) == -1)
		abort();
	ip4(ans, &p.dst, &to, (unsigned)n, 1);
	memcpy(ans + hl, probe + hl, n - hl);
	ans[hl] = T4_ECHOREPLY;
	icmp4_cksum(ans, n);
	return (n);
}

static int
seeds_v4(void)
{
	struct pkt_probe	 p;
	size_t			 n, q;
	int			 rc = 0;

	/* Selectors: 0x00 icmp 1500, 0x04 icmp 576, 0x08 icmp 68,
	 * 0x0c icmp 65535, 0x12 udp 1500 with source. */
	n = echo_reply(0x04);
	rc |= seed("v4-echo-reply-576", 0x04, ans, n);
	n = echo_reply(0x08);
	rc |= seed("v4-echo-reply-68", 0x08, ans, n);
	ans[PKT_IP4_HDR] = T4_ECHO;
	icmp4_cksum(ans, n);
	rc |= seed("v4-echo-request", 0x08, ans, n);

	q = sent(0x00, &p, probe);
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1400, probe, q, V4_QUOTE);
	rc |= seed("v4-frag-needed-1400", 0x00, ans, n);
	ans[PKT_IP4_HDR + 2] ^= 0x5a;
	rc |= seed("v4-frag-needed-bad-checksum", 0x00, ans, n);
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 0, probe, q, V4_QUOTE);
	rc |= seed("v4-frag-needed-mtu0", 0x00, ans, n);
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1500, probe, q, 64);
	rc |= seed("v4-frag-needed-mtu-not-below", 0x00, ans, n);
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 60, probe, q, 64);
	rc |= seed("v4-frag-needed-mtu-below-min", 0x00, ans, n);
	/* RFC 792 quotes only 8 bytes past the header: no cookie. */
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1400, probe, q, PKT_IP4_HDR + 8);
	rc |= seed("v4-frag-needed-truncated", 0x00, ans, n);
	n = err4(FUZZ_HOP4, T4_TIMXCEED, 0, 0, probe, q, PKT_IP4_HDR + 16);
	rc |= seed("v4-time-exceeded", 0x00, ans, n);
	n = err4(FUZZ_HOP4, T4_TIMXCEED, 1, 0, probe, q, PKT_IP4_HDR + 16);
	rc |= seed("v4-time-exceeded-reassembly", 0x00, ans, n);
	n = err4(FUZZ_HOP4, T4_UNREACH, 1, 0, probe, q, 64);
	rc |= seed("v4-host-unreachable", 0x00, ans, n);
	/* Lies and foreign quotes. */
	put16(ans + 2, (unsigned)n + 1);
	rc |= seed("v4-total-length-lie", 0x00, ans, n);
	rc |= seed("v4-short", 0x00, ans, PKT_IP4_HDR - 1);
	probe[PKT_IP4_HDR + PKT_L4_HDR] ^= 0xff;
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1400, probe, q, 64);
	rc |= seed("v4-frag-needed-other-cookie", 0x00, ans, n);
	probe[PKT_IP4_HDR + PKT_L4_HDR] ^= 0xff;
	put16(probe + 6, 0x2000 | 185);		/* MF, offset 1480 */
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1400, probe, q, 64);
	rc |= seed("v4-frag-needed-later-fragment", 0x00, ans, n);

	/* Options in the answer's own header and in the quoted one. */
	q = sent(0x00, &p, probe);
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1400, probe, q, 64);
	memmove(ans + PKT_IP4_HDR + 4, ans + PKT_IP4_HDR, n - PKT_IP4_HDR);
	memset(ans + PKT_IP4_HDR, 1, 4);	/* NOPs */
	ans[0] = 0x46;
	put16(ans + 2, (unsigned)n + 4);
	rc |= seed("v4-frag-needed-outer-options", 0x00, ans, n + 4);
	memmove(probe + PKT_IP4_HDR + 4, probe + PKT_IP4_HDR, 60);
	memset(probe + PKT_IP4_HDR, 1, 4);
	probe[0] = 0x46;
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1400, probe, q, 68);
	rc |= seed("v4-frag-needed-quoted-options", 0x00, ans, n);

	q = sent(0x0c, &p, probe);
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 9000, probe, q, PKT_IP4_HDR + 16);
	rc |= seed("v4-frag-needed-64k-to-9000", 0x0c, ans, n);

	q = sent(0x12, &p, probe);
	n = err4(FUZZ_HOP4, T4_UNREACH, 4, 1492, probe, q, V4_QUOTE);
	rc |= seed("v4-udp-frag-needed-1492", 0x12, ans, n);
	n = err4(FUZZ_DST4, T4_UNREACH, 3, 0, probe, q, V4_QUOTE);
	rc |= seed("v4-udp-port-unreachable", 0x12, ans, n);
	n = err4(FUZZ_HOP4, T4_UNREACH, 3, 0, probe, q, V4_QUOTE);
	rc |= seed("v4-udp-port-unreachable-from-hop", 0x12, ans, n);
	return (rc);
}

static int
seeds_v6(void)
{
	struct pkt_probe	 p;
	size_t			 n, q;
	int			 rc = 0;

	/* Selectors: 0x05 icmp 1280 from dst, 0x21 icmp 1500 from a hop,
	 * 0x29 icmp 9000 from a hop, 0x2d icmp 65535 from a hop, 0x33 udp
	 * 1500 with source from a hop, 0x13 the same from dst, 0x41 icmp
	 * 1500 from an unknown sender. */
	n = echo_reply(0x05);
	rc |= seed("v6-echo-reply-1280", 0x05, ans, n);
	rc |= seed("v6-echo-reply-unknown-sender", 0x45, ans, n);
	ans[0] = T6_ECHO;
	rc |= seed("v6-echo-request", 0x05, ans, n);

	q = sent(0x21, &p, probe);
	n = err6(T6_TOOBIG, 0, 1400, probe, q, V6_QUOTE);
	rc |= seed("v6-packet-too-big-1400", 0x21, ans, n);
	n = err6(T6_TOOBIG, 0, 0, probe, q, 96);
	rc |= seed("v6-packet-too-big-mtu0", 0x21, ans, n);
	n = err6(T6_TOOBIG, 0, 1000, probe, q, 96);
	rc |= seed("v6-packet-too-big-below-min", 0x21, ans, n);
	n = err6(T6_TOOBIG, 0, 0x10000 + 1400, probe, q, 96);
	rc |= seed("v6-packet-too-big-mtu-32bit", 0x21, ans, n);
	n = err6(T6_TOOBIG, 0, 1400, probe, q, PKT_IP6_HDR + 8);
	rc |= seed("v6-packet-too-big-truncated", 0x21, ans, n);
	n = err6(T6_TIMXCEED, 0, 0, probe, q, 96);
	rc |= seed("v6-time-exceeded", 0x21, ans, n);
	n = err6(T6_TIMXCEED, 1, 0, probe, q, 96);
	rc |= seed("v6-time-exceeded-reassembly", 0x21, ans, n);
	n = err6(T6_UNREACH, 1, 0, probe, q, 96);
	rc |= seed("v6-admin-prohibited", 0x21, ans, n);
	probe[6] = 6;				/* TCP: not a probe */
	n = err6(T6_TOOBIG, 0, 1400, probe, q, 96);
	rc |= seed("v6-packet-too-big-quotes-tcp", 0x21, ans, n);
	probe[6] = 58;
	probe[0] = 0x45;
	n = err6(T6_TOOBIG, 0, 1400, probe, q, 96);
	rc |= seed("v6-packet-too-big-quotes-v4", 0x21, ans, n);
	rc |= seed("v6-short", 0x21, ans, PKT_L4_HDR - 1);

	q = sent(0x29, &p, probe);
	n = err6(T6_TOOBIG, 0, PKT_MIN_V6, probe, q, 96);
	rc |= seed("v6-packet-too-big-9000-to-1280", 0x29, ans, n);
	q = sent(0x2d, &p, probe);
	n = err6(T6_TOOBIG, 0, 9000, probe, q, PKT_IP6_HDR + 16);
	rc |= seed("v6-packet-too-big-64k-to-9000", 0x2d, ans, n);

	q = sent(0x33, &p, probe);
	n = err6(T6_TOOBIG, 0, 1452, probe, q, V6_QUOTE);
	rc |= seed("v6-udp-packet-too-big-1452", 0x33, ans, n);
	q = sent(0x13, &p, probe);
	n = err6(T6_UNREACH, 4, 0, probe, q, 96);
	rc |= seed("v6-udp-port-unreachable", 0x13, ans, n);
	return (rc);
}

int
main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return (2);
	}
	outdir = argv[1];
	if (seeds_v4() != 0 || seeds_v6() != 0)
		return (1);
	return (0);
}
