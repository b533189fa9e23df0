/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for lib/pkt.c.  Answers are built byte by byte here, with a
 * checksum written independently of pkt_cksum, and every parse runs on a
 * heap copy of exactly the packet's length so ASan sees any over-read.
 */
#include <sys/socket.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "pkt.h"

#define QMAX	1500		/* largest probe the answer tests quote */
#define ANS_MAX	(QMAX + 64)
#define PSIZE	1400		/* probe size of most tests */

/* Addresses from 198.18.0.0/15 and 2001:db8::/32 only. */
#define SRC4	"198.18.0.1"
#define DST4	"198.19.0.2"
#define RTR4	"198.18.7.7"
#define OTHER4	"198.19.9.9"
#define SRC6	"2001:db8::1"
#define DST6	"2001:db8::2"
#define RTR6	"2001:db8:7::7"
#define OTHER6	"2001:db8::9"

static const uint8_t cookie[PKT_COOKIE_LEN] = {
	0x5a, 0xc3, 0x01, 0xfe, 0x77, 0x00, 0x9d, 0x42
};

struct ans {
	uint8_t		buf[ANS_MAX];
	size_t		len;
	struct addr	from;
};

static struct addr
A(const char *s)
{
	struct addr	a;

	assert_int_equal(addr_parse(&a, s), 0);
	return (a);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* RFC 1071 on big-endian words, independent of pkt_cksum. */
static uint32_t
tadd(uint32_t sum, const uint8_t *b, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i += 2)
		sum += (uint32_t)b[i] << 8 | (i + 1 < len ? b[i + 1] : 0);
	return (sum);
}

static uint16_t
tfin(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (~sum & 0xffff);
}

/* Sum of the UDP pseudo-header for p carrying len bytes of UDP. */
static uint32_t
tpseudo(const struct pkt_probe *p, size_t len)
{
	uint8_t	ph[40];

	memset(ph, 0, sizeof(ph));
	if (p->family == AF_INET) {
		memcpy(ph, &p->src.u.v4, 4);
		memcpy(ph + 4, &p->dst.u.v4, 4);
		ph[9] = 17;
		put16(ph + 10, (uint16_t)len);
		return (tadd(0, ph, 12));
	}
	memcpy(ph, &p->src.u.v6, 16);
	memcpy(ph + 16, &p->dst.u.v6, 16);
	put32(ph + 32, (uint32_t)len);
	ph[39] = 17;
	return (tadd(0, ph, 40));
}

static struct pkt_probe
mkprobe(int family, enum pkt_proto proto, unsigned size)
{
	struct pkt_probe	p;

	memset(&p, 0, sizeof(p));
	p.family = family;
	p.proto = proto;
	p.src = A(family == AF_INET ? SRC4 : SRC6);
	p.dst = A(family == AF_INET ? DST4 : DST6);
	p.id = 40000;
	p.seq = 33434;
	memcpy(p.cookie, cookie, sizeof(cookie));
	p.size = size;
	return (p);
}

static size_t
hdrlen(int family)
{
	return (family == AF_INET ? PKT_IP4_HDR : PKT_IP6_HDR);
}

/* The whole probe as it leaves the host: IP header the kernel adds. */
static size_t
wire_probe(const struct pkt_probe *p, uint8_t *out, size_t outlen)
{
	size_t	hl = hdrlen(p->family);
	ssize_t	n;

	memset(out, 0, hl);
	n = pkt_build(p, out + hl, outlen - hl);
	assert_int_equal(n, (ssize_t)(p->size - hl));
	if (p->family == AF_INET) {
		out[0] = 0x45;
		put16(out + 2, (uint16_t)p->size);
		put16(out + 4, 0x1234);
		put16(out + 6, 0x4000);		/* DF */
		out[8] = 3;
		out[9] = p->proto == PKT_ICMP ? 1 : 17;
		memcpy(out + 12, &p->src.u.v4, 4);
		memcpy(out + 16, &p->dst.u.v4, 4);
		put16(out + 10, tfin(tadd(0, out, 20)));
	} else {
		out[0] = 0x60;
		put16(out + 4, (uint16_t)(p->size - hl));
		out[6] = p->proto == PKT_ICMP ? 58 : 17;
		out[7] = 3;
		memcpy(out + 8, &p->src.u.v6, 16);
		memcpy(out + 24, &p->dst.u.v6, 16);
	}
	return (p->size);
}

/* IPv4 header + ICMP header (rest = bytes 4-7) + body, all checksummed. */
static size_t
wrap4(uint8_t *out, const struct addr *from, const struct addr *to,
    int type, int code, uint32_t rest, const uint8_t *body, size_t blen)
{
	size_t	tot = 20 + 8 + blen;

	assert_true(tot <= ANS_MAX);
	memset(out, 0, 28);
	out[0] = 0x45;
	out[1] = 0xc0;
	put16(out + 2, (uint16_t)tot);
	out[8] = 64;
	out[9] = 1;
	memcpy(out + 12, &from->u.v4, 4);
	memcpy(out + 16, &to->u.v4, 4);
	put16(out + 10, tfin(tadd(0, out, 20)));
	out[20] = type;
	out[21] = code;
	put32(out + 24, rest);
	memcpy(out + 28, body, blen);
	put16(out + 22, tfin(tadd(0, out + 20, 8 + blen)));
	return (tot);
}

/* ICMPv6 as the raw socket returns it: no IPv6 header, sum unchecked. */
static size_t
wrap6(uint8_t *out, int type, int code, uint32_t rest, const uint8_t *body,
    size_t blen)
{
	assert_true(8 + blen <= ANS_MAX);
	out[0] = type;
	out[1] = code;
	put16(out + 2, 0x1dea);
	put32(out + 4, rest);
	memcpy(out + 8, body, blen);
	return (8 + blen);
}

static void
kind_type(int family, enum pkt_kind kind, int *type, int *code)
{
	int	v4 = family == AF_INET;

	switch (kind) {
	case PKT_ECHO_REPLY:
		*type = v4 ? 0 : 129;
		*code = 0;
		break;
	case PKT_PORT_UNREACH:
		*type = v4 ? 3 : 1;
		*code = v4 ? 3 : 4;
		break;
	case PKT_TOO_BIG:
		*type = v4 ? 3 : 2;
		*code = v4 ? 4 : 0;
		break;
	case PKT_TIME_EXCEEDED:
		*type = v4 ? 11 : 3;
		*code = 0;
		break;
	case PKT_UNREACH:
		*type = v4 ? 3 : 1;
		*code = v4 ? 1 : 3;	/* host / address unreachable */
		break;
	}
}

/*
 * The answer of the given kind to p, quoting the first qlen bytes of the
 * wire probe q (echo replies echo q's payload).  Echo replies and port
 * unreachables come from p->dst, everything else from a router.
 */
static void
mkanswer(const struct pkt_probe *p, enum pkt_kind kind, uint32_t mtu,
    const uint8_t *q, size_t qlen, struct ans *a)
{
	const uint8_t	*body = q;
	size_t		 blen = qlen, hl = hdrlen(p->family);
	uint32_t	 rest = 0;
	int		 v4 = p->family == AF_INET, type, code;

	kind_type(p->family, kind, &type, &code);
	if (kind == PKT_ECHO_REPLY || kind == PKT_PORT_UNREACH)
		a->from = p->dst;
	else
		a->from = A(v4 ? RTR4 : RTR6);
	if (kind == PKT_ECHO_REPLY) {
		body = q + hl + PKT_L4_HDR;
		blen = qlen - hl - PKT_L4_HDR;
		rest = (uint32_t)p->id << 16 | p->seq;
	} else if (kind == PKT_TOO_BIG)
		rest = mtu;
	if (v4)
		a->len = wrap4(a->buf, &a->from, &p->src, type, code, rest,
		    body, blen);
	else
		a->len = wrap6(a->buf, type, code, rest, body, blen);
}

/* Parse a heap copy of exactly len bytes: an over-read trips ASan. */
static enum pkt_ignore
parse_exact(int family, const uint8_t *buf, size_t len,
    const struct addr *from, struct pkt_reply *r)
{
	enum pkt_ignore	 e;
	uint8_t		*copy;

	copy = malloc(len);
	assert_true(copy != NULL || len == 0);
	if (len > 0)
		memcpy(copy, buf, len);
	if (family == AF_INET)
		e = pkt_parse4(copy, len, r);
	else
		e = pkt_parse6(copy, len, from, r);
	free(copy);
	return (e);
}

static enum pkt_ignore
parse_ans(int family, const struct ans *a, struct pkt_reply *r)
{
	return (parse_exact(family, a->buf, a->len, &a->from, r));
}

/* Build, answer with the full quote, parse: must be PKT_OK. */
static struct pkt_reply
answer_ok(const struct pkt_probe *p, enum pkt_kind kind, uint32_t mtu)
{
	uint8_t			q[QMAX];
	struct ans		a;
	struct pkt_reply	r;

	wire_probe(p, q, sizeof(q));
	mkanswer(p, kind, mtu, q, p->size, &a);
	memset(&r, 0, sizeof(r));
	assert_int_equal(parse_ans(p->family, &a, &r), PKT_OK);
	return (r);
}

/* --- checksum --- */

static void
test_cksum(void **state)
{
	const uint8_t	rfc[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
			    0xf6, 0xf7 };
	const uint8_t	odd[3] = { 0x01, 0x02, 0x03 };
	uint8_t		msg[10], b[2];
	uint16_t	c;

	(void)state;
	/* RFC 1071 section 3: the sum is 0xddf2, so the checksum 0x220d. */
	c = pkt_cksum(rfc, sizeof(rfc));
	memcpy(b, &c, 2);
	assert_int_equal(b[0], 0x22);
	assert_int_equal(b[1], 0x0d);
	/* Odd length: the last byte is padded with a zero on the right. */
	c = pkt_cksum(odd, sizeof(odd));
	memcpy(b, &c, 2);
	assert_int_equal(b[0], 0xfb);
	assert_int_equal(b[1], 0xfd);
	c = pkt_cksum(odd, 0);
	assert_int_equal(c, 0xffff);
	/* Stored in the message, the message then sums to zero. */
	memcpy(msg, rfc, 8);
	memset(msg + 8, 0, 2);
	c = pkt_cksum(msg, 10);
	memcpy(msg + 8, &c, 2);
	assert_int_equal(pkt_cksum(msg, 10), 0);
	assert_int_equal(tfin(tadd(0, msg, 10)), 0);
}

/* --- building --- */

static void
set_cookie_1to8(struct pkt_probe *p)
{
	int	i;

	for (i = 0; i < PKT_COOKIE_LEN; i++)
		p->cookie[i] = i + 1;
}

static void
test_build_icmp4(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_ICMP, 64);
	uint8_t			buf[64];
	size_t			i;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 44);
	assert_int_equal(buf[0], 8);
	assert_int_equal(buf[1], 0);
	assert_int_equal(buf[4], 0x9c);		/* 40000 */
	assert_int_equal(buf[5], 0x40);
	assert_int_equal(buf[6], 0x82);		/* 33434 */
	assert_int_equal(buf[7], 0x9a);
	assert_memory_equal(buf + 8, cookie, 8);
	for (i = 16; i < 44; i++)
		assert_int_equal(buf[i], i & 0xff);
	assert_int_equal(buf[44], 0xee);	/* nothing past the packet */
	assert_int_equal(tfin(tadd(0, buf, 44)), 0);
	set_cookie_1to8(&p);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 44);
	/* Computed independently (Python) for this exact packet. */
	assert_int_equal(buf[2], 0x31);
	assert_int_equal(buf[3], 0x6b);
}

static void
test_build_icmp6(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET6, PKT_ICMP, 80);
	uint8_t			buf[40];
	size_t			i;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 40);
	assert_int_equal(buf[0], 128);
	assert_int_equal(buf[1], 0);
	assert_int_equal(buf[2], 0);		/* the kernel fills it */
	assert_int_equal(buf[3], 0);
	assert_int_equal(buf[4], 0x9c);
	assert_int_equal(buf[5], 0x40);
	assert_int_equal(buf[6], 0x82);
	assert_int_equal(buf[7], 0x9a);
	assert_memory_equal(buf + 8, cookie, 8);
	for (i = 16; i < 40; i++)
		assert_int_equal(buf[i], i & 0xff);
}

/*
 * An echo with a held checksum carries p->cksum whatever its size,
 * sequence and cookie, and that checksum is right (IPv6: over the
 * pseudo-header the kernel uses, with the next header 58).
 */
static void
check_held(int family)
{
	static const unsigned	 sizes[] = { 1500, 1400, 1281, 1280, 77, 76 };
	static const uint16_t	 seqs[] = { 0, 1, 31999, 0xffff };
	struct pkt_probe	 p;
	uint8_t			 buf[QMAX], ph[40];
	uint32_t		 sum;
	size_t			 si, qi, len;
	ssize_t			 n;

	for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
		for (qi = 0; qi < sizeof(seqs) / sizeof(seqs[0]); qi++) {
			if (family == AF_INET6 && sizes[si] < PKT_MIN_V6)
				continue;
			p = mkprobe(family, PKT_ICMP, sizes[si]);
			p.seq = seqs[qi];
			p.cookie[qi] ^= (uint8_t)(si * 37 + 1);
			p.hold_cksum = 1;
			p.cksum = 0xbeef;
			n = pkt_build(&p, buf, sizeof(buf));
			len = sizes[si] - hdrlen(family);
			assert_int_equal(n, (ssize_t)len);
			/* Cookie and sequence are untouched. */
			assert_int_equal(buf[6] << 8 | buf[7], seqs[qi]);
			assert_memory_equal(buf + 8, p.cookie, 8);
			if (family == AF_INET) {
				assert_int_equal(buf[2] << 8 | buf[3], 0xbeef);
				assert_int_equal(tfin(tadd(0, buf, len)), 0);
				continue;
			}
			/* The kernel fills the field: fill it as it would. */
			assert_int_equal(buf[2] | buf[3], 0);
			put16(buf + 2, 0xbeef);
			memset(ph, 0, sizeof(ph));
			memcpy(ph, &p.src.u.v6, 16);
			memcpy(ph + 16, &p.dst.u.v6, 16);
			put16(ph + 34, (uint16_t)len);
			ph[39] = 58;
			sum = tadd(tadd(0, ph, sizeof(ph)), buf, len);
			assert_int_equal(tfin(sum), 0);
		}
}

static void
test_build_held_cksum(void **state)
{
	struct pkt_probe	p;
	uint8_t			buf[QMAX], plain[QMAX];

	(void)state;
	check_held(AF_INET);
	check_held(AF_INET6);
	/* Too small for the two bytes: built as before, checksum right. */
	p = mkprobe(AF_INET, PKT_ICMP, 37);
	assert_int_equal(pkt_build(&p, plain, sizeof(plain)), 17);
	p.hold_cksum = 1;
	p.cksum = 0xbeef;
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 17);
	assert_memory_equal(buf, plain, 17);
	/* An ICMPv6 echo without a source cannot hold it: left alone. */
	p = mkprobe(AF_INET6, PKT_ICMP, 1280);
	memset(&p.src, 0, sizeof(p.src));
	assert_int_equal(pkt_build(&p, plain, sizeof(plain)), 1240);
	p.hold_cksum = 1;
	p.cksum = 0xbeef;
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 1240);
	assert_memory_equal(buf, plain, 1240);
	/* UDP ignores it. */
	p = mkprobe(AF_INET, PKT_UDP, 64);
	assert_int_equal(pkt_build(&p, plain, sizeof(plain)), 44);
	p.hold_cksum = 1;
	p.cksum = 0xbeef;
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 44);
	assert_memory_equal(buf, plain, 44);
}

static void
test_build_udp4(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_UDP, 64);
	uint8_t			buf[44];
	size_t			i;

	(void)state;
	set_cookie_1to8(&p);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 44);
	assert_int_equal(buf[0], 0x9c);		/* sport = id */
	assert_int_equal(buf[1], 0x40);
	assert_int_equal(buf[2], 0x82);		/* dport = seq */
	assert_int_equal(buf[3], 0x9a);
	assert_int_equal(buf[4], 0);		/* length 44 */
	assert_int_equal(buf[5], 44);
	/* Known vector, computed independently (Python). */
	assert_int_equal(buf[6], 0xac);
	assert_int_equal(buf[7], 0xd8);
	for (i = 0; i < 8; i++)
		assert_int_equal(buf[8 + i], i + 1);
	for (i = 16; i < 44; i++)
		assert_int_equal(buf[i], i);
	assert_int_equal(tfin(tadd(tpseudo(&p, 44), buf, 44)), 0);

	/* Without a source address there is no pseudo-header: 0. */
	memset(&p.src, 0, sizeof(p.src));
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 44);
	assert_int_equal(buf[6], 0);
	assert_int_equal(buf[7], 0);
}

static void
test_build_udp6(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET6, PKT_UDP, 80);
	uint8_t			buf[40];

	(void)state;
	set_cookie_1to8(&p);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 40);
	assert_int_equal(buf[4], 0);
	assert_int_equal(buf[5], 40);
	assert_int_equal(buf[6], 0x2f);		/* known vector (Python) */
	assert_int_equal(buf[7], 0xe9);
	assert_int_equal(tfin(tadd(tpseudo(&p, 40), buf, 40)), 0);

	memset(&p.src, 0, sizeof(p.src));
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 40);
	assert_int_equal(buf[6], 0);
	assert_int_equal(buf[7], 0);
}

/* A sum of zero must go out as 0xffff: steer the id to get one. */
static void
test_build_udp_zero_sum(void **state)
{
	int			 fams[2] = { AF_INET, AF_INET6 }, i;
	struct pkt_probe	 p;
	uint8_t			 buf[100];
	uint16_t		 c0;

	(void)state;
	for (i = 0; i < 2; i++) {
		p = mkprobe(fams[i], PKT_UDP, 120);
		p.id = 0;
		assert_true(pkt_build(&p, buf, sizeof(buf)) > 0);
		c0 = buf[6] << 8 | buf[7];
		assert_int_not_equal(c0, 0xffff);
		/* Adding c0 as the sport makes the sum all ones. */
		p.id = c0;
		assert_true(pkt_build(&p, buf, sizeof(buf)) > 0);
		assert_int_equal(buf[6], 0xff);
		assert_int_equal(buf[7], 0xff);
		assert_int_equal(tfin(tadd(tpseudo(&p, 120 - hdrlen(fams[i])),
		    buf, 120 - hdrlen(fams[i]))), 0);
	}
}

static void
test_build_limits(void **state)
{
	int			 fams[2] = { AF_INET, AF_INET6 };
	enum pkt_proto		 protos[2] = { PKT_ICMP, PKT_UDP };
	struct pkt_probe	 p;
	uint8_t			*big;
	size_t			 hl, min;
	int			 i, j;

	(void)state;
	big = malloc(PKT_MAX);
	assert_non_null(big);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			hl = hdrlen(fams[i]);
			min = hl + 16;
			p = mkprobe(fams[i], protos[j], min - 1);
			assert_int_equal(pkt_build(&p, big, PKT_MAX), -1);
			p.size = 0;
			assert_int_equal(pkt_build(&p, big, PKT_MAX), -1);
			p.size = min;
			assert_int_equal(pkt_build(&p, big, PKT_MAX), 16);
			assert_int_equal(pkt_build(&p, big, 16), 16);
			assert_int_equal(pkt_build(&p, big, 15), -1);
			assert_memory_equal(big + 8, cookie, 8);
			p.size = PKT_MAX;
			assert_int_equal(pkt_build(&p, big, PKT_MAX - hl),
			    (ssize_t)(PKT_MAX - hl));
			assert_int_equal(pkt_build(&p, big, PKT_MAX - hl - 1),
			    -1);
			if (protos[j] == PKT_UDP) {
				assert_int_equal(big[4] << 8 | big[5],
				    PKT_MAX - hl);
				assert_int_equal(tfin(tadd(tpseudo(&p,
				    PKT_MAX - hl), big, PKT_MAX - hl)), 0);
			} else if (fams[i] == AF_INET)
				assert_int_equal(tfin(tadd(0, big,
				    PKT_MAX - hl)), 0);
			assert_int_equal(big[PKT_MAX - hl - 1],
			    (PKT_MAX - hl - 1) & 0xff);
			p.size = PKT_MAX + 1;
			assert_int_equal(pkt_build(&p, big, PKT_MAX), -1);
			p.size = UINT_MAX;
			assert_int_equal(pkt_build(&p, big, PKT_MAX), -1);
		}
	}
	free(big);
}

static void
test_build_bad_probe(void **state)
{
	struct pkt_probe	p;
	uint8_t			buf[200];

	(void)state;
	p = mkprobe(AF_INET, PKT_ICMP, 100);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), 80);
	p.family = AF_UNIX;
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
	p.family = 0;
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
	p = mkprobe(AF_INET, 0, 100);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
	p = mkprobe(AF_INET, 3, 100);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
	/* Destination of the other family, or none. */
	p = mkprobe(AF_INET, PKT_UDP, 100);
	p.dst = A(DST6);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
	memset(&p.dst, 0, sizeof(p.dst));
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
	p = mkprobe(AF_INET6, PKT_UDP, 100);
	p.dst = A(DST4);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
	/* A set source of the other family cannot go in a pseudo-header. */
	p = mkprobe(AF_INET6, PKT_UDP, 100);
	p.src = A(SRC4);
	assert_int_equal(pkt_build(&p, buf, sizeof(buf)), -1);
}

/* --- answers that must be accepted --- */

static void
check_reply(const struct pkt_probe *p, enum pkt_kind kind, uint32_t mtu)
{
	uint8_t			q[QMAX];
	struct ans		a;
	struct pkt_reply	r;
	int			type, code;

	wire_probe(p, q, sizeof(q));
	mkanswer(p, kind, mtu, q, p->size, &a);
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(parse_ans(p->family, &a, &r), PKT_OK);
	kind_type(p->family, kind, &type, &code);
	assert_int_equal(r.kind, kind);
	assert_int_equal(r.family, p->family);
	assert_true(addr_eq(&r.from, &a.from));
	assert_int_equal(r.type, type);
	assert_int_equal(r.code, code);
	assert_int_equal(r.mtu, kind == PKT_TOO_BIG ? mtu : 0);
	assert_int_equal(r.proto, p->proto);
	if (kind == PKT_ECHO_REPLY)
		assert_false(addr_isset(&r.qsrc));
	else
		assert_true(addr_eq(&r.qsrc, &p->src));
	assert_true(addr_eq(&r.qdst, &p->dst));
	assert_int_equal(r.id, p->id);
	assert_int_equal(r.seq, p->seq);
	assert_memory_equal(r.cookie, p->cookie, PKT_COOKIE_LEN);
	assert_int_equal(r.qsize, p->size);
	assert_int_equal(pkt_match(p, &r), PKT_OK);
}

static void
test_roundtrip(void **state)
{
	int			fams[2] = { AF_INET, AF_INET6 };
	enum pkt_proto		protos[2] = { PKT_ICMP, PKT_UDP };
	enum pkt_kind		kinds[5] = { PKT_ECHO_REPLY, PKT_PORT_UNREACH,
				    PKT_TOO_BIG, PKT_TIME_EXCEEDED,
				    PKT_UNREACH };
	struct pkt_probe	p;
	int			i, j, k;

	(void)state;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			for (k = 0; k < 5; k++) {
				/* Only ICMP probes are echoed. */
				if (protos[j] == PKT_UDP &&
				    kinds[k] == PKT_ECHO_REPLY)
					continue;
				p = mkprobe(fams[i], protos[j], PSIZE);
				check_reply(&p, kinds[k], 1300);
				/* Odd sizes and the smallest probe too. */
				p.size = PSIZE - 1;
				check_reply(&p, kinds[k], 1300);
				/*
				 * Below every plausible MTU only a v4 "no
				 * MTU" frag-needed can still match.
				 */
				p.size = hdrlen(fams[i]) + 16;
				if (kinds[k] != PKT_TOO_BIG ||
				    fams[i] == AF_INET)
					check_reply(&p, kinds[k], 0);
			}
}

/* A minimal RFC 792 style quote (IP header + 8 bytes) lacks the cookie. */
static void
test_rfc792_quote_rejected(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_UDP, PSIZE);
	uint8_t			q[QMAX];
	struct ans		a;
	struct pkt_reply	r;

	(void)state;
	wire_probe(&p, q, sizeof(q));
	mkanswer(&p, PKT_TOO_BIG, 1300, q, 28, &a);
	assert_int_equal(parse_ans(AF_INET, &a, &r), PKT_IGN_TRUNCATED);
	mkanswer(&p, PKT_TOO_BIG, 1300, q, 36, &a);
	assert_int_equal(parse_ans(AF_INET, &a, &r), PKT_OK);
	assert_int_equal(pkt_match(&p, &r), PKT_OK);
}

/* --- matching --- */

static size_t
l4off(const struct pkt_probe *p)
{
	return (hdrlen(p->family));
}

/* Answer from a tampered quote; returns the parse result. */
static enum pkt_ignore
tampered(const struct pkt_probe *p, enum pkt_kind kind, size_t off,
    uint8_t xor, struct pkt_reply *r)
{
	uint8_t		q[QMAX];
	struct ans	a;

	wire_probe(p, q, sizeof(q));
	q[off] ^= xor;
	mkanswer(p, kind, 1300, q, p->size, &a);
	memset(r, 0, sizeof(*r));
	return (parse_ans(p->family, &a, r));
}

static void
test_match_fields(void **state)
{
	int			fams[2] = { AF_INET, AF_INET6 };
	enum pkt_proto		protos[2] = { PKT_ICMP, PKT_UDP };
	struct pkt_probe	p;
	struct pkt_reply	r;
	size_t			l4, idoff, seqoff, dstoff, srcoff, szoff;
	int			i, j, v4;

	(void)state;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++) {
			p = mkprobe(fams[i], protos[j], PSIZE);
			v4 = fams[i] == AF_INET;
			l4 = l4off(&p);
			idoff = l4 + (protos[j] == PKT_ICMP ? 4 : 0);
			seqoff = l4 + (protos[j] == PKT_ICMP ? 6 : 2);
			dstoff = v4 ? 16 : 24;
			srcoff = v4 ? 12 : 8;
			szoff = v4 ? 2 : 4;

			assert_int_equal(tampered(&p, PKT_TOO_BIG, l4 + 8,
			    0x01, &r), PKT_OK);
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_COOKIE);
			assert_int_equal(tampered(&p, PKT_TOO_BIG, l4 + 15,
			    0x80, &r), PKT_OK);
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_COOKIE);
			assert_int_equal(tampered(&p, PKT_TOO_BIG, dstoff + 1,
			    0x01, &r), PKT_OK);
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
			assert_int_equal(tampered(&p, PKT_TIME_EXCEEDED,
			    idoff + 1, 0x01, &r), PKT_OK);
			assert_int_equal(r.id, p.id ^ 1);
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
			assert_int_equal(tampered(&p, PKT_TIME_EXCEEDED,
			    seqoff, 0x10, &r), PKT_OK);
			assert_int_equal(r.seq, p.seq ^ 0x1000);
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
			assert_int_equal(tampered(&p, PKT_PORT_UNREACH,
			    szoff + 1, 0x02, &r), PKT_OK);
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);

			/* Quoted source differs: only checked when known. */
			assert_int_equal(tampered(&p, PKT_UNREACH, srcoff + 1,
			    0x01, &r), PKT_OK);
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
			memset(&p.src, 0, sizeof(p.src));
			assert_int_equal(pkt_match(&p, &r), PKT_OK);
			p.src = A(v4 ? SRC4 : SRC6);

			/* Same identifiers, other protocol or family. */
			r = answer_ok(&p, PKT_TOO_BIG, 1300);
			p.proto = protos[1 - j];
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
			p.proto = protos[j];
			p.family = fams[1 - i];
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
			p.family = fams[i];
			/* The probe that was sent with another size. */
			p.size = PSIZE + 1;
			assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
			p.size = PSIZE;
			assert_int_equal(pkt_match(&p, &r), PKT_OK);
		}
}

/* Echo replies and port unreachables must come from the destination. */
static void
test_match_sender(void **state)
{
	int			fams[2] = { AF_INET, AF_INET6 };
	struct pkt_probe	p;
	struct pkt_reply	r;
	int			i;

	(void)state;
	for (i = 0; i < 2; i++) {
		p = mkprobe(fams[i], PKT_UDP, PSIZE);
		r = answer_ok(&p, PKT_PORT_UNREACH, 0);
		r.from = A(fams[i] == AF_INET ? RTR4 : RTR6);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
		/* A router may send the other kinds. */
		r.kind = PKT_UNREACH;
		assert_int_equal(pkt_match(&p, &r), PKT_OK);
		r.kind = PKT_TIME_EXCEEDED;
		assert_int_equal(pkt_match(&p, &r), PKT_OK);

		p = mkprobe(fams[i], PKT_ICMP, PSIZE);
		r = answer_ok(&p, PKT_ECHO_REPLY, 0);
		assert_int_equal(pkt_match(&p, &r), PKT_OK);
		r.from = r.qdst = A(fams[i] == AF_INET ? OTHER4 : OTHER6);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
		r = answer_ok(&p, PKT_ECHO_REPLY, 0);
		r.from = A(fams[i] == AF_INET ? OTHER4 : OTHER6);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
	}
}

/* Reasons come in a fixed order: ids before cookie before addresses. */
static void
test_match_order(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_UDP, PSIZE);
	struct pkt_reply	r, base;

	(void)state;
	base = answer_ok(&p, PKT_TOO_BIG, 1300);
	r = base;
	r.cookie[3] ^= 1;
	r.id++;
	assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
	r = base;
	r.cookie[3] ^= 1;
	r.qdst = A(OTHER4);
	r.mtu = 20;
	assert_int_equal(pkt_match(&p, &r), PKT_IGN_COOKIE);
	r = base;
	r.qsize = 1;
	r.mtu = 20;
	assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
	r = base;
	r.mtu = 20;
	assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
}

static void
test_match_mtu(void **state)
{
	enum pkt_proto		protos[2] = { PKT_ICMP, PKT_UDP };
	struct pkt_probe	p;
	struct pkt_reply	r;
	int			j;

	(void)state;
	for (j = 0; j < 2; j++) {
		p = mkprobe(AF_INET, protos[j], PSIZE);
		/* v4: 0 is an old router's "unknown", allowed. */
		r = answer_ok(&p, PKT_TOO_BIG, 0);
		assert_int_equal(r.mtu, 0);
		assert_int_equal(pkt_match(&p, &r), PKT_OK);
		r = answer_ok(&p, PKT_TOO_BIG, 67);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
		r = answer_ok(&p, PKT_TOO_BIG, 68);
		assert_int_equal(pkt_match(&p, &r), PKT_OK);
		r = answer_ok(&p, PKT_TOO_BIG, PSIZE - 1);
		assert_int_equal(pkt_match(&p, &r), PKT_OK);
		r = answer_ok(&p, PKT_TOO_BIG, PSIZE);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
		r = answer_ok(&p, PKT_TOO_BIG, 65535);
		assert_int_equal(r.mtu, 65535);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
		/* Only bytes 6-7 carry the v4 MTU; 4-5 are unused. */
		r = answer_ok(&p, PKT_TOO_BIG, 0xabcd0000u | 1300);
		assert_int_equal(r.mtu, 1300);
		assert_int_equal(pkt_match(&p, &r), PKT_OK);

		p = mkprobe(AF_INET6, protos[j], PSIZE);
		/* v6: RFC 8201 always names an MTU, so 0 is a forgery. */
		r = answer_ok(&p, PKT_TOO_BIG, 0);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
		r = answer_ok(&p, PKT_TOO_BIG, 1279);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
		r = answer_ok(&p, PKT_TOO_BIG, 1280);
		assert_int_equal(pkt_match(&p, &r), PKT_OK);
		r = answer_ok(&p, PKT_TOO_BIG, PSIZE - 1);
		assert_int_equal(pkt_match(&p, &r), PKT_OK);
		r = answer_ok(&p, PKT_TOO_BIG, PSIZE);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
		/* All 32 bits count: 0x10000500 is not 1280. */
		r = answer_ok(&p, PKT_TOO_BIG, 0x10000500u);
		assert_int_equal(r.mtu, 0x10000500u);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
		r = answer_ok(&p, PKT_TOO_BIG, 0xffffffffu);
		assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
	}
	/* A 1280-byte v6 probe can never be too big. */
	p = mkprobe(AF_INET6, PKT_UDP, 1280);
	r = answer_ok(&p, PKT_TOO_BIG, 1280);
	assert_int_equal(pkt_match(&p, &r), PKT_IGN_MTU);
	/* The MTU is only judged for TOO_BIG. */
	p = mkprobe(AF_INET6, PKT_UDP, PSIZE);
	r = answer_ok(&p, PKT_TIME_EXCEEDED, 0);
	r.mtu = 5;
	assert_int_equal(pkt_match(&p, &r), PKT_OK);
}

/* --- parsing: bad input --- */

static void
test_parse_tiny(void **state)
{
	uint8_t			buf[8] = { 0x45, 0, 0, 0, 0, 0, 0, 0 };
	struct addr		from = A(RTR6);
	struct pkt_reply	r;
	size_t			len;

	(void)state;
	for (len = 0; len < 20; len++) {
		uint8_t	b[20];

		memset(b, 0, sizeof(b));
		b[0] = 0x45;
		b[3] = len;
		b[9] = 1;
		assert_int_equal(parse_exact(AF_INET, b, len, NULL, &r),
		    PKT_IGN_SHORT);
	}
	assert_int_equal(parse_exact(AF_INET6, buf, 0, &from, &r),
	    PKT_IGN_SHORT);
	buf[0] = 129;
	for (len = 1; len < 8; len++)
		assert_int_equal(parse_exact(AF_INET6, buf, len, &from, &r),
		    PKT_IGN_SHORT);
}

static void
test_parse4_outer(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_UDP, 120);
	uint8_t			q[QMAX], b[ANS_MAX + 8];
	struct ans		a;
	struct pkt_reply	r;

	(void)state;
	wire_probe(&p, q, sizeof(q));
	mkanswer(&p, PKT_TOO_BIG, 100, q, p.size, &a);
	assert_int_equal(parse_ans(AF_INET, &a, &r), PKT_OK);
	assert_int_equal(a.len, 148);

	memcpy(b, a.buf, a.len);
	b[0] = 0x65;					/* version 6 */
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_MALFORMED);
	memcpy(b, a.buf, a.len);
	b[0] = 0x44;					/* IHL 4 */
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_MALFORMED);
	b[0] = 0x40;					/* IHL 0 */
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_MALFORMED);
	b[0] = 0x4f;					/* IHL 15: 60 */
	assert_int_equal(parse_exact(AF_INET, b, 59, NULL, &r),
	    PKT_IGN_SHORT);
	memcpy(b, a.buf, a.len);
	b[9] = 17;					/* not ICMP */
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_MALFORMED);

	/* Total length: below the header, above the bytes received. */
	memcpy(b, a.buf, a.len);
	put16(b + 2, 19);
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_MALFORMED);
	put16(b + 2, a.len + 1);
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_MALFORMED);
	put16(b + 2, 0xffff);
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_MALFORMED);
	/* Room for the IP header but not the ICMP header. */
	put16(b + 2, 27);
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_SHORT);
	put16(b + 2, 20);
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_SHORT);

	/* Bytes past the total length are not part of the packet. */
	memcpy(b, a.buf, a.len);
	memset(b + a.len, 0xcc, 8);
	assert_int_equal(parse_exact(AF_INET, b, a.len + 8, NULL, &r),
	    PKT_OK);
	assert_int_equal(r.mtu, 100);

	/* Any flipped bit in the ICMP message fails the checksum. */
	memcpy(b, a.buf, a.len);
	b[a.len - 1] ^= 0x01;
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_CHECKSUM);
	memcpy(b, a.buf, a.len);
	b[22] ^= 0x80;
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_CHECKSUM);
	memcpy(b, a.buf, a.len);
	b[27] = 99;					/* the MTU itself */
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r),
	    PKT_IGN_CHECKSUM);
	/* The outer IP header is not under the ICMP checksum. */
	memcpy(b, a.buf, a.len);
	b[8] = 1;
	assert_int_equal(parse_exact(AF_INET, b, a.len, NULL, &r), PKT_OK);

	/* Outer IP options (IHL 6) are skipped. */
	memcpy(b, a.buf, 20);
	memset(b + 20, 1, 4);
	memcpy(b + 24, a.buf + 20, a.len - 20);
	b[0] = 0x46;
	put16(b + 2, a.len + 4);
	memset(&r, 0, sizeof(r));
	assert_int_equal(parse_exact(AF_INET, b, a.len + 4, NULL, &r), PKT_OK);
	assert_int_equal(r.kind, PKT_TOO_BIG);
	assert_int_equal(r.mtu, 100);
	assert_true(addr_eq(&r.from, &a.from));
	assert_int_equal(pkt_match(&p, &r), PKT_OK);
}

/* v4 ICMP message (type, code, rest) with body and a good checksum. */
static enum pkt_ignore
parse_icmp4_msg(int type, int code, uint32_t rest, const uint8_t *body,
    size_t blen, struct pkt_reply *r)
{
	struct ans	a;
	struct addr	from = A(RTR4), to = A(SRC4);

	a.len = wrap4(a.buf, &from, &to, type, code, rest, body, blen);
	return (parse_exact(AF_INET, a.buf, a.len, NULL, r));
}

static void
test_parse4_types(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_ICMP, 100);
	uint8_t			q[QMAX];
	struct pkt_reply	r;
	int			t;

	(void)state;
	wire_probe(&p, q, sizeof(q));
	/* Unused types, even carrying a perfect quote of a probe. */
	for (t = 0; t < 256; t++) {
		if (t == 0 || t == 3 || t == 11)
			continue;
		assert_int_equal(parse_icmp4_msg(t, 0, 0, q, p.size, &r),
		    PKT_IGN_TYPE);
	}
	/* Echo request (type 8), e.g. our own probe looped back. */
	assert_int_equal(parse_icmp4_msg(8, 0, (uint32_t)p.id << 16 | p.seq,
	    q + 28, p.size - 28, &r), PKT_IGN_TYPE);
	/* Redirect. */
	assert_int_equal(parse_icmp4_msg(5, 1, 0xc6120001, q, p.size, &r),
	    PKT_IGN_TYPE);
	/* Reassembly timeout is ignored; TTL exceeded (any other code) not. */
	assert_int_equal(parse_icmp4_msg(11, 1, 0, q, p.size, &r),
	    PKT_IGN_TYPE);
	assert_int_equal(parse_icmp4_msg(11, 0, 0, q, p.size, &r), PKT_OK);
	assert_int_equal(r.kind, PKT_TIME_EXCEEDED);
	assert_int_equal(parse_icmp4_msg(11, 2, 0, q, p.size, &r), PKT_OK);
	assert_int_equal(r.kind, PKT_TIME_EXCEEDED);
	/* Every unreachable code but 3 and 4 is UNREACH. */
	for (t = 0; t < 16; t++) {
		memset(&r, 0, sizeof(r));
		assert_int_equal(parse_icmp4_msg(3, t, 576, q, p.size, &r),
		    PKT_OK);
		assert_int_equal(r.code, t);
		assert_int_equal(r.kind, t == 3 ? PKT_PORT_UNREACH :
		    t == 4 ? PKT_TOO_BIG : PKT_UNREACH);
		assert_int_equal(r.mtu, t == 4 ? 576 : 0);
	}
	/* Echo reply too short for the cookie. */
	assert_int_equal(parse_icmp4_msg(0, 0, 0, q + 28, 7, &r),
	    PKT_IGN_SHORT);
	assert_int_equal(parse_icmp4_msg(0, 0, 0, q + 28, 0, &r),
	    PKT_IGN_SHORT);
	assert_int_equal(parse_icmp4_msg(0, 0, 0, q + 28, 8, &r), PKT_OK);
	assert_int_equal(r.qsize, 36);
	assert_memory_equal(r.cookie, cookie, 8);
	/* Error with no quote at all. */
	assert_int_equal(parse_icmp4_msg(3, 4, 1300, q, 0, &r),
	    PKT_IGN_TRUNCATED);
}

/* Quote q (qlen bytes) in a v4 frag-needed and parse it. */
static enum pkt_ignore
parse_quote4(const uint8_t *q, size_t qlen, struct pkt_reply *r)
{
	return (parse_icmp4_msg(3, 4, 1300, q, qlen, r));
}

static void
test_parse4_quote(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_ICMP, PSIZE);
	uint8_t			q[QMAX], q2[QMAX];
	struct pkt_reply	r;

	(void)state;
	wire_probe(&p, q, sizeof(q));
	assert_int_equal(parse_quote4(q, p.size, &r), PKT_OK);
	assert_int_equal(pkt_match(&p, &r), PKT_OK);

	memcpy(q2, q, p.size);
	q2[0] = 0x65;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_MALFORMED);
	q2[0] = 0x05;
	assert_int_equal(parse_quote4(q2, 1, &r), PKT_IGN_MALFORMED);
	q2[0] = 0x43;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_MALFORMED);
	q2[0] = 0x40;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_MALFORMED);
	/* A claimed 60-byte header cut short. */
	q2[0] = 0x4f;
	assert_int_equal(parse_quote4(q2, 59, &r), PKT_IGN_TRUNCATED);
	/* ... and complete but then lacking transport bytes. */
	assert_int_equal(parse_quote4(q2, 60 + 15, &r), PKT_IGN_TRUNCATED);

	/* A non-first fragment carries no transport header. */
	memcpy(q2, q, p.size);
	put16(q2 + 6, 0x0001);
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_NOT_OURS);
	put16(q2 + 6, 0x1fff);
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_NOT_OURS);
	/* The first fragment (MF, offset 0) does. */
	put16(q2 + 6, 0x2000);
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_OK);
	assert_int_equal(pkt_match(&p, &r), PKT_OK);

	/* Other quoted protocols. */
	memcpy(q2, q, p.size);
	q2[9] = 6;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_NOT_OURS);
	q2[9] = 58;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_NOT_OURS);
	/* A quoted echo reply, or any ICMP that is not an echo request. */
	memcpy(q2, q, p.size);
	q2[20] = 0;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_NOT_OURS);
	q2[20] = 3;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_NOT_OURS);
	q2[20] = 8;
	q2[21] = 1;
	assert_int_equal(parse_quote4(q2, p.size, &r), PKT_IGN_NOT_OURS);

	/* Quoted IP options (IHL 6) shift the transport header. */
	memcpy(q2, q, 20);
	memset(q2 + 20, 1, 4);
	memcpy(q2 + 24, q + 20, p.size - 20);
	q2[0] = 0x46;
	memset(&r, 0, sizeof(r));
	assert_int_equal(parse_quote4(q2, p.size + 4, &r), PKT_OK);
	assert_int_equal(r.proto, PKT_ICMP);
	assert_int_equal(r.id, p.id);
	assert_int_equal(r.seq, p.seq);
	assert_memory_equal(r.cookie, p.cookie, 8);
	assert_int_equal(parse_quote4(q2, 24 + 15, &r), PKT_IGN_TRUNCATED);
}

static void
test_parse6_types(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET6, PKT_ICMP, 200);
	uint8_t			q[QMAX];
	struct ans		a;
	struct addr		from = A(RTR6);
	struct pkt_reply	r;
	static const int	nd[] = { 133, 134, 135, 136, 137 };
	size_t			i;
	int			t;

	(void)state;
	wire_probe(&p, q, sizeof(q));
	for (t = 0; t < 256; t++) {
		if (t >= 1 && t <= 3)
			continue;
		if (t == 129)
			continue;
		a.len = wrap6(a.buf, t, 0, 0, q, p.size);
		assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from,
		    &r), PKT_IGN_TYPE);
	}
	/* Neighbour discovery, the echo request itself, param problem. */
	for (i = 0; i < sizeof(nd) / sizeof(nd[0]); i++) {
		a.len = wrap6(a.buf, nd[i], 0, 0, q + 48, 24);
		assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from,
		    &r), PKT_IGN_TYPE);
	}
	a.len = wrap6(a.buf, 128, 0, (uint32_t)p.id << 16 | p.seq, q + 48,
	    p.size - 48);
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from, &r),
	    PKT_IGN_TYPE);
	a.len = wrap6(a.buf, 4, 0, 40, q, p.size);
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from, &r),
	    PKT_IGN_TYPE);
	/* Time exceeded: hop limit (0) only, not reassembly (1). */
	a.len = wrap6(a.buf, 3, 1, 0, q, p.size);
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from, &r),
	    PKT_IGN_TYPE);
	a.len = wrap6(a.buf, 3, 0, 0, q, p.size);
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from, &r),
	    PKT_OK);
	assert_int_equal(r.kind, PKT_TIME_EXCEEDED);
	/* Unreachable: code 4 is the port, all others plain UNREACH. */
	for (t = 0; t < 8; t++) {
		a.len = wrap6(a.buf, 1, t, 0, q, p.size);
		assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from,
		    &r), PKT_OK);
		assert_int_equal(r.kind, t == 4 ? PKT_PORT_UNREACH :
		    PKT_UNREACH);
		assert_int_equal(r.code, t);
		assert_int_equal(r.mtu, 0);
	}
	/* Echo reply: 8 bytes of cookie needed. */
	a.len = wrap6(a.buf, 129, 0, 0, q + 48, 7);
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from, &r),
	    PKT_IGN_SHORT);
	a.len = wrap6(a.buf, 129, 0, 0, q + 48, 8);
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from, &r),
	    PKT_OK);
	assert_int_equal(r.qsize, 56);
	assert_true(addr_eq(&r.qdst, &from));
	/* Without a sender, nothing from the destination can match. */
	p = mkprobe(AF_INET6, PKT_ICMP, 200);
	a.len = wrap6(a.buf, 129, 0, (uint32_t)p.id << 16 | p.seq, q + 48,
	    p.size - 48);
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, NULL, &r),
	    PKT_OK);
	assert_false(addr_isset(&r.from));
	assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
	from = p.dst;
	assert_int_equal(parse_exact(AF_INET6, a.buf, a.len, &from, &r),
	    PKT_OK);
	assert_int_equal(pkt_match(&p, &r), PKT_OK);
}

static enum pkt_ignore
parse_quote6(const uint8_t *q, size_t qlen, struct pkt_reply *r)
{
	struct ans	a;
	struct addr	from = A(RTR6);

	a.len = wrap6(a.buf, 2, 0, 1280, q, qlen);
	return (parse_exact(AF_INET6, a.buf, a.len, &from, r));
}

static void
test_parse6_quote(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET6, PKT_ICMP, 1400);
	uint8_t			q[QMAX], q2[QMAX];
	struct pkt_reply	r;
	static const int	nh[] = { 0, 6, 43, 44, 50, 59, 60, 4, 41 };
	size_t			i;

	(void)state;
	wire_probe(&p, q, sizeof(q));
	assert_int_equal(parse_quote6(q, p.size, &r), PKT_OK);
	assert_int_equal(r.mtu, 1280);
	assert_int_equal(pkt_match(&p, &r), PKT_OK);

	memcpy(q2, q, p.size);
	q2[0] = 0x45;
	assert_int_equal(parse_quote6(q2, p.size, &r), PKT_IGN_MALFORMED);
	assert_int_equal(parse_quote6(q2, 1, &r), PKT_IGN_MALFORMED);
	q2[0] = 0x00;
	assert_int_equal(parse_quote6(q2, p.size, &r), PKT_IGN_MALFORMED);
	/* Extension headers and other protocols are not walked. */
	for (i = 0; i < sizeof(nh) / sizeof(nh[0]); i++) {
		memcpy(q2, q, p.size);
		q2[6] = nh[i];
		assert_int_equal(parse_quote6(q2, p.size, &r),
		    PKT_IGN_NOT_OURS);
	}
	/* A quoted echo reply or other ICMPv6. */
	memcpy(q2, q, p.size);
	q2[40] = 129;
	assert_int_equal(parse_quote6(q2, p.size, &r), PKT_IGN_NOT_OURS);
	q2[40] = 2;
	assert_int_equal(parse_quote6(q2, p.size, &r), PKT_IGN_NOT_OURS);
	q2[40] = 128;
	q2[41] = 1;
	assert_int_equal(parse_quote6(q2, p.size, &r), PKT_IGN_NOT_OURS);
	/* A quoted v4 echo request type is not a v6 echo request. */
	q2[40] = 8;
	q2[41] = 0;
	assert_int_equal(parse_quote6(q2, p.size, &r), PKT_IGN_NOT_OURS);
	/* Quoted payload length is what qsize reports. */
	memcpy(q2, q, p.size);
	put16(q2 + 4, 1000);
	assert_int_equal(parse_quote6(q2, p.size, &r), PKT_OK);
	assert_int_equal(r.qsize, 1040);
	assert_int_equal(pkt_match(&p, &r), PKT_IGN_MISMATCH);
}

/* --- truncation --- */

/*
 * Consistent answers (lengths and checksums right) whose quote stops
 * short of IP header + transport header + cookie: TRUNCATED each time.
 */
static void
test_truncated_quotes(void **state)
{
	int			fams[2] = { AF_INET, AF_INET6 };
	enum pkt_proto		protos[2] = { PKT_ICMP, PKT_UDP };
	enum pkt_kind		kinds[4] = { PKT_PORT_UNREACH, PKT_TOO_BIG,
				    PKT_TIME_EXCEEDED, PKT_UNREACH };
	struct pkt_probe	p;
	uint8_t			q[QMAX];
	struct ans		a;
	struct pkt_reply	r;
	size_t			need, qlen;
	int			i, j, k;

	(void)state;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			for (k = 0; k < 4; k++) {
				p = mkprobe(fams[i], protos[j], PSIZE);
				wire_probe(&p, q, sizeof(q));
				need = hdrlen(fams[i]) + 16;
				for (qlen = 0; qlen < need; qlen++) {
					mkanswer(&p, kinds[k], 1300, q, qlen,
					    &a);
					assert_int_equal(parse_ans(fams[i],
					    &a, &r), PKT_IGN_TRUNCATED);
				}
				mkanswer(&p, kinds[k], 1300, q, need, &a);
				assert_int_equal(parse_ans(fams[i], &a, &r),
				    PKT_OK);
				assert_int_equal(pkt_match(&p, &r), PKT_OK);
			}
}

/*
 * Every prefix of a valid packet, in a buffer of exactly that size:
 * ASan fails the test on any over-read.  A v4 prefix always lies about
 * its total length; a v6 prefix is fine once the cookie is in.
 */
static void
test_truncation_bounds(void **state)
{
	enum pkt_proto		protos[2] = { PKT_ICMP, PKT_UDP };
	struct pkt_probe	p;
	uint8_t			q[QMAX];
	struct ans		a;
	struct pkt_reply	r;
	size_t			len;
	int			j;

	(void)state;
	for (j = 0; j < 2; j++) {
		p = mkprobe(AF_INET, protos[j], 120);
		wire_probe(&p, q, sizeof(q));
		mkanswer(&p, PKT_TOO_BIG, 100, q, p.size, &a);
		assert_int_equal(parse_ans(AF_INET, &a, &r), PKT_OK);
		for (len = 0; len < a.len; len++)
			assert_int_not_equal(parse_exact(AF_INET, a.buf, len,
			    NULL, &r), PKT_OK);

		p = mkprobe(AF_INET6, protos[j], 1280);
		wire_probe(&p, q, sizeof(q));
		mkanswer(&p, PKT_TOO_BIG, 1280, q, p.size, &a);
		for (len = 0; len <= a.len; len++) {
			enum pkt_ignore	e;

			e = parse_exact(AF_INET6, a.buf, len, &a.from, &r);
			if (len < 8)
				assert_int_equal(e, PKT_IGN_SHORT);
			else if (len < 8 + 56)
				assert_int_equal(e, PKT_IGN_TRUNCATED);
			else
				assert_int_equal(e, PKT_OK);
		}
	}

	/* Echo replies likewise. */
	p = mkprobe(AF_INET, PKT_ICMP, 120);
	wire_probe(&p, q, sizeof(q));
	mkanswer(&p, PKT_ECHO_REPLY, 0, q, p.size, &a);
	assert_int_equal(parse_ans(AF_INET, &a, &r), PKT_OK);
	for (len = 0; len < a.len; len++)
		assert_int_not_equal(parse_exact(AF_INET, a.buf, len, NULL,
		    &r), PKT_OK);
	p = mkprobe(AF_INET6, PKT_ICMP, 120);
	wire_probe(&p, q, sizeof(q));
	mkanswer(&p, PKT_ECHO_REPLY, 0, q, p.size, &a);
	for (len = 0; len < 16; len++)
		assert_int_equal(parse_exact(AF_INET6, a.buf, len, &a.from,
		    &r), PKT_IGN_SHORT);
	for (len = 16; len <= a.len; len++) {
		assert_int_equal(parse_exact(AF_INET6, a.buf, len, &a.from,
		    &r), PKT_OK);
		assert_int_equal(r.qsize, len + 40);
		/* Only the whole echo matches the probe's size. */
		assert_int_equal(pkt_match(&p, &r), len == a.len ? PKT_OK :
		    PKT_IGN_MISMATCH);
	}
}

/* r is left alone when the packet is refused. */
static void
test_parse_keeps_reply(void **state)
{
	struct pkt_probe	p = mkprobe(AF_INET, PKT_UDP, 120);
	uint8_t			q[QMAX];
	struct ans		a;
	struct pkt_reply	r, before;

	(void)state;
	wire_probe(&p, q, sizeof(q));
	mkanswer(&p, PKT_TOO_BIG, 100, q, 30, &a);
	memset(&r, 0x5c, sizeof(r));
	before = r;
	assert_int_equal(parse_ans(AF_INET, &a, &r), PKT_IGN_TRUNCATED);
	assert_memory_equal(&r, &before, sizeof(r));
}

/* --- names and tables --- */

static void
test_names(void **state)
{
	static const char *const want[PKT_IGN_MAX] = {
		"ok", "short", "malformed", "checksum", "type", "not_ours",
		"truncated", "mismatch", "cookie", "mtu", "unknown",
	};
	int		i;

	(void)state;
	for (i = 0; i < PKT_IGN_MAX; i++)
		assert_string_equal(pkt_ignore_name(i), want[i]);
	assert_string_equal(pkt_ignore_name(PKT_IGN_NOT_OURS), "not_ours");
	assert_string_equal(pkt_ignore_name(PKT_IGN_MAX), "invalid");
	assert_string_equal(pkt_ignore_name(-1), "invalid");
}

static void
test_plateau(void **state)
{
	static const unsigned	table[] = { 65535, 32000, 17914, 8166, 4352,
				    2002, 1492, 1006, 508, 296, 68 };
	size_t			i, n = sizeof(table) / sizeof(table[0]);

	(void)state;
	assert_int_equal(pkt_plateau_below(1500), 1492);
	assert_int_equal(pkt_plateau_below(1492), 1006);
	assert_int_equal(pkt_plateau_below(1493), 1492);
	assert_int_equal(pkt_plateau_below(69), 68);
	assert_int_equal(pkt_plateau_below(68), 0);
	assert_int_equal(pkt_plateau_below(0), 0);
	assert_int_equal(pkt_plateau_below(65536), 65535);
	assert_int_equal(pkt_plateau_below(65535), 32000);
	assert_int_equal(pkt_plateau_below(UINT_MAX), 65535);
	assert_int_equal(pkt_plateau_below(9000), 8166);
	for (i = 0; i < n; i++) {
		assert_int_equal(pkt_plateau_below(table[i] + 1), table[i]);
		assert_int_equal(pkt_plateau_below(table[i]),
		    i + 1 < n ? table[i + 1] : 0);
	}
}

static void
test_min_mtu(void **state)
{
	(void)state;
	assert_int_equal(pkt_min_mtu(AF_INET), 68);
	assert_int_equal(pkt_min_mtu(AF_INET6), 1280);
	assert_int_equal(pkt_min_mtu(AF_UNIX), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cksum),
		cmocka_unit_test(test_build_icmp4),
		cmocka_unit_test(test_build_icmp6),
		cmocka_unit_test(test_build_held_cksum),
		cmocka_unit_test(test_build_udp4),
		cmocka_unit_test(test_build_udp6),
		cmocka_unit_test(test_build_udp_zero_sum),
		cmocka_unit_test(test_build_limits),
		cmocka_unit_test(test_build_bad_probe),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_rfc792_quote_rejected),
		cmocka_unit_test(test_match_fields),
		cmocka_unit_test(test_match_sender),
		cmocka_unit_test(test_match_order),
		cmocka_unit_test(test_match_mtu),
		cmocka_unit_test(test_parse_tiny),
		cmocka_unit_test(test_parse4_outer),
		cmocka_unit_test(test_parse4_types),
		cmocka_unit_test(test_parse4_quote),
		cmocka_unit_test(test_parse6_types),
		cmocka_unit_test(test_parse6_quote),
		cmocka_unit_test(test_truncated_quotes),
		cmocka_unit_test(test_truncation_bounds),
		cmocka_unit_test(test_parse_keeps_reply),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_plateau),
		cmocka_unit_test(test_min_mtu),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
