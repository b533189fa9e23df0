/* SPDX-License-Identifier: ISC */
/*
 * forge: the attacker of tests/integ/test_forged.sh.  From a raw socket
 * in its own namespace it sends ICMP/ICMPv6 errors and echo replies to
 * the client that claim small (or large) path MTUs, each built so that
 * pmtud must ignore it for one known reason (RFC 5927).
 *
 *   forge flood SECONDS RATE C4 S4 C6 S6 O4 O6 SELF4 SELF6
 *	Off the path: quotes echo requests from C to S with made-up ids,
 *	sequences and cookies, and sends malformed quotes of every kind,
 *	RATE rounds a second for SECONDS.
 *   forge tap SECONDS NETNS IFACE C4 S4 C6 S6 O4 O6 SELF4 SELF6
 *	With a view of the path: reads the echo requests C sends (on
 *	IFACE inside NETNS, where it sees the probes) and answers each
 *	with forgeries that quote it exactly, right ids and cookie
 *	included, but are wrong in one respect: the cookie, the MTU, the
 *	quoted size or address, the sender of an echo reply.
 *   forge ptb SECONDS NETNS IFACE MTU4 MTU6 C4 S4 C6 S6 O4 O6 SELF4 SELF6
 *	The same view, and nothing wrong: for every probe larger than
 *	MTU4 (IPv4) or MTU6 (IPv6), a frag-needed / packet-too-big naming
 *	that MTU that quotes it exactly, from SELF.  The probe itself
 *	goes on (the attacker only listens), so the destination answers
 *	what the path carries (issue 12: only those answers tell).
 *
 * O4/O6 is an address of no probe; SELF4/SELF6 the attacker's own.  The
 * packets carry the attacker's own source address, or a destination's
 * where they pose as its echo reply.  At the end it prints one line
 * "KIND COUNT" per kind it sent, "seen N" (tap: probes seen) and
 * "send_errors N"; SIGTERM ends a run early, with the same report.
 *
 * Test code: each forgery of flood and tap is constructed to be invalid;
 * none of them may ever be taken as an answer.  Those of ptb are valid,
 * and false.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define COOKIE		8
#define MAXPKT		2048
#define MAXKINDS	64

struct addrs {
	struct in_addr	 c4, s4, o4, self4;
	struct in6_addr	 c6, s6, o6, self6;
};

struct kind {
	const char	*name;
	unsigned long	 n;
};

static struct kind	 kinds[MAXKINDS];
static int		 nkinds;
static int		 fd4 = -1, fd6 = -1;
static unsigned long	 send_errors;
static volatile sig_atomic_t stop;

static void
count(const char *name)
{
	int	 i;

	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].name, name) == 0) {
			kinds[i].n++;
			return;
		}
	if (nkinds < MAXKINDS) {
		kinds[nkinds].name = name;
		kinds[nkinds].n = 1;
		nkinds++;
	}
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
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
sum_add(uint32_t sum, const uint8_t *b, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t
sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t
rnd32(void)
{
	return (uint32_t)random() << 16 ^ (uint32_t)random();
}

/* --- building ------------------------------------------------------- */

/* An echo request as a probe looks: header, cookie, pattern padding. */
static size_t
mk_echo(uint8_t *b, uint8_t type, uint16_t id, uint16_t seq,
    const uint8_t *cookie, size_t len)
{
	size_t	 i;

	if (len < 8 + COOKIE)
		len = 8 + COOKIE;
	memset(b, 0, 8);
	b[0] = type;
	put16(b + 4, id);
	put16(b + 6, seq);
	memcpy(b + 8, cookie, COOKIE);
	for (i = 8 + COOKIE; i < len; i++)
		b[i] = i & 0xff;
	return len;
}

/* An IPv4 header claiming totlen bytes; version as given (4 normally). */
static void
mk_ip4(uint8_t *b, int version, struct in_addr src, struct in_addr dst,
    uint8_t proto, uint16_t totlen, uint16_t frag)
{
	memset(b, 0, 20);
	b[0] = (uint8_t)(version << 4 | 5);
	put16(b + 2, totlen);
	put16(b + 6, frag);
	b[8] = 64;
	b[9] = proto;
	memcpy(b + 12, &src, 4);
	memcpy(b + 16, &dst, 4);
	put16(b + 10, sum_fold(sum_add(0, b, 20)));
}

static void
mk_ip6(uint8_t *b, int version, const struct in6_addr *src,
    const struct in6_addr *dst, uint8_t nxt, uint16_t plen)
{
	memset(b, 0, 40);
	b[0] = (uint8_t)(version << 4);
	put16(b + 4, plen);
	b[6] = nxt;
	b[7] = 64;
	memcpy(b + 8, src, 16);
	memcpy(b + 24, dst, 16);
}

/* --- sending -------------------------------------------------------- */

static void
xsend4(const char *kind, const uint8_t *pkt, size_t len, struct in_addr dst)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = dst;
	if (sendto(fd4, pkt, len, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == -1) {
		send_errors++;
		return;
	}
	count(kind);
}

static void
xsend6(const char *kind, const uint8_t *pkt, size_t len,
    const struct in6_addr *dst)
{
	struct sockaddr_in6	 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = *dst;
	if (sendto(fd6, pkt, len, 0, (struct sockaddr *)&sin6,
	    sizeof(sin6)) == -1) {
		send_errors++;
		return;
	}
	count(kind);
}

/*
 * ICMPv4 message (type, code, the 4 bytes after the checksum, body)
 * from src to the client; badsum spoils the checksum.
 */
static void
icmp4(const char *kind, const struct addrs *a, struct in_addr src,
    uint8_t type, uint8_t code, uint32_t word, const uint8_t *body,
    size_t blen, int badsum)
{
	uint8_t	 pkt[MAXPKT];
	uint8_t	*m = pkt + 20;
	size_t	 len = 20 + 8 + blen;

	if (len > sizeof(pkt))
		return;
	m[0] = type;
	m[1] = code;
	m[2] = m[3] = 0;
	put32(m + 4, word);
	memcpy(m + 8, body, blen);
	put16(m + 2, sum_fold(sum_add(0, m, 8 + blen)));
	if (badsum)
		m[2] ^= 0x5a;
	mk_ip4(pkt, 4, src, a->c4, 1, (uint16_t)len, 0);
	xsend4(kind, pkt, len, a->c4);
}

static void
icmp6(const char *kind, const struct addrs *a, const struct in6_addr *src,
    uint8_t type, uint8_t code, uint32_t word, const uint8_t *body,
    size_t blen)
{
	uint8_t		 pkt[MAXPKT], ph[40];
	uint8_t		*m = pkt + 40;
	size_t		 mlen = 8 + blen;
	uint32_t	 sum;

	if (40 + mlen > sizeof(pkt))
		return;
	m[0] = type;
	m[1] = code;
	m[2] = m[3] = 0;
	put32(m + 4, word);
	memcpy(m + 8, body, blen);
	memset(ph, 0, sizeof(ph));
	memcpy(ph, src, 16);
	memcpy(ph + 16, &a->c6, 16);
	put32(ph + 32, (uint32_t)mlen);
	ph[39] = 58;
	sum = sum_add(sum_add(0, ph, 40), m, mlen);
	put16(m + 2, sum_fold(sum));
	mk_ip6(pkt, 6, src, &a->c6, 58, (uint16_t)mlen);
	xsend6(kind, pkt, 40 + mlen, &a->c6);
}

/* Quote of an IPv4 packet: its header, then l4 (l4len bytes of it). */
static size_t
quote4(uint8_t *q, int version, struct in_addr src, struct in_addr dst,
    uint8_t proto, uint16_t totlen, uint16_t frag, const uint8_t *l4,
    size_t l4len)
{
	mk_ip4(q, version, src, dst, proto, totlen, frag);
	memcpy(q + 20, l4, l4len);
	return 20 + l4len;
}

static size_t
quote6(uint8_t *q, int version, const struct in6_addr *src,
    const struct in6_addr *dst, uint8_t nxt, uint16_t plen,
    const uint8_t *l4, size_t l4len)
{
	mk_ip6(q, version, src, dst, nxt, plen);
	memcpy(q + 40, l4, l4len);
	return 40 + l4len;
}

/* --- off the path --------------------------------------------------- */

static void
random_cookie(uint8_t *c)
{
	uint32_t	 r1 = rnd32(), r2 = rnd32();

	memcpy(c, &r1, 4);
	memcpy(c + 4, &r2, 4);
}

/* Quotes an echo request of size sz to dst with random everything. */
static size_t
blind_echo4(uint8_t *q, const struct addrs *a, struct in_addr dst,
    uint16_t sz)
{
	uint8_t	 l4[64], cookie[COOKIE];
	size_t	 n;

	random_cookie(cookie);
	n = mk_echo(l4, 8, (uint16_t)rnd32(), (uint16_t)rnd32(), cookie, 48);
	return quote4(q, 4, a->c4, dst, 1, sz, 0x4000, l4, n);
}

static size_t
blind_echo6(uint8_t *q, const struct addrs *a, const struct in6_addr *dst,
    uint16_t sz)
{
	uint8_t	 l4[64], cookie[COOKIE];
	size_t	 n;

	random_cookie(cookie);
	n = mk_echo(l4, 128, (uint16_t)rnd32(), (uint16_t)rnd32(), cookie, 48);
	return quote6(q, 6, &a->c6, dst, 58, (uint16_t)(sz - 40), l4, n);
}

/* A UDP header from a low source port (pmtud's have the high bit set). */
static size_t
udp_low(uint8_t *l4, uint16_t len)
{
	uint8_t	 cookie[COOKIE];

	random_cookie(cookie);
	put16(l4, (uint16_t)(1024 + rnd32() % 30000));
	put16(l4 + 2, 9);
	put16(l4 + 4, len);
	put16(l4 + 6, 0);
	memcpy(l4 + 8, cookie, COOKIE);
	return 16;
}

static void
flood_round4(const struct addrs *a)
{
	static const uint16_t	 mtus[] = { 68, 552, 1280 };
	uint8_t			 q[256], l4[64], cookie[COOKIE];
	uint8_t			 big[MAXPKT];
	size_t			 n;
	uint16_t		 sz = (uint16_t)(1281 + rnd32() % 220);

	n = blind_echo4(q, a, a->s4, sz);
	icmp4("b4_fragneeded", a, a->self4, 3, 4, mtus[rnd32() % 3], q, n, 0);
	n = blind_echo4(q, a, a->s4, sz);
	icmp4("b4_fragneeded_mtu0", a, a->self4, 3, 4, 0, q, n, 0);
	n = blind_echo4(q, a, a->s4, sz);
	icmp4("b4_mtu_not_below", a, a->self4, 3, 4, sz, q, n, 0);
	n = blind_echo4(q, a, a->o4, sz);
	icmp4("b4_other_host", a, a->self4, 3, 4, 552, q, n, 0);
	n = blind_echo4(q, a, a->s4, sz);
	icmp4("b4_hostunreach", a, a->self4, 3, 1, 0, q, n, 0);
	/* Header and the first 8 bytes only: no room for a cookie. */
	n = blind_echo4(q, a, a->s4, sz);
	icmp4("b4_truncated", a, a->self4, 3, 4, 552, q, 28, 0);
	n = udp_low(l4, (uint16_t)(sz - 20));
	n = quote4(q, 4, a->c4, a->s4, 17, sz, 0x4000, l4, n);
	icmp4("b4_udp", a, a->self4, 3, 4, 552, q, n, 0);
	memset(l4, 0, 20);
	put16(l4, 443);
	put16(l4 + 2, 443);
	n = quote4(q, 4, a->c4, a->s4, 6, sz, 0x4000, l4, 24);
	icmp4("b4_tcp", a, a->self4, 3, 4, 552, q, n, 0);
	random_cookie(cookie);
	n = mk_echo(l4, 0, (uint16_t)rnd32(), 1, cookie, 24);
	n = quote4(q, 4, a->c4, a->s4, 1, sz, 0x4000, l4, n);
	icmp4("b4_quotes_reply", a, a->self4, 3, 4, 552, q, n, 0);
	random_cookie(cookie);
	n = mk_echo(l4, 8, (uint16_t)rnd32(), 1, cookie, 24);
	n = quote4(q, 4, a->c4, a->s4, 1, sz, 0x2000 | 100, l4, n);
	icmp4("b4_fragment", a, a->self4, 3, 4, 552, q, n, 0);
	n = blind_echo4(q, a, a->s4, sz);
	q[0] = 0x55;
	icmp4("b4_version", a, a->self4, 3, 4, 552, q, n, 0);
	n = blind_echo4(q, a, a->s4, sz);
	icmp4("b4_reassembly", a, a->self4, 11, 1, 0, q, n, 0);
	n = blind_echo4(q, a, a->s4, sz);
	icmp4("b4_checksum", a, a->self4, 3, 4, 552, q, n, 1);
	/* Echo replies posing as the destination: one too short. */
	random_cookie(cookie);
	n = mk_echo(l4, 0, (uint16_t)rnd32(), (uint16_t)rnd32(), cookie, 16);
	icmp4("b4_short_reply", a, a->s4, 0, 0,
	    (uint32_t)get16(l4 + 4) << 16 | get16(l4 + 6), l4, 0, 0);
	random_cookie(cookie);
	n = mk_echo(big, 0, (uint16_t)rnd32(), (uint16_t)rnd32(), cookie,
	    sz - 20);
	icmp4("b4_echo_reply", a, a->s4, 0, 0,
	    (uint32_t)get16(big + 4) << 16 | get16(big + 6), big + 8, n - 8, 0);
}

static void
flood_round6(const struct addrs *a)
{
	static const uint32_t	 mtus[] = { 1280, 1000, 68 };
	uint8_t			 q[256], l4[64], cookie[COOKIE];
	uint8_t			 big[MAXPKT];
	size_t			 n;
	uint16_t		 sz = (uint16_t)(1281 + rnd32() % 220);

	n = blind_echo6(q, a, &a->s6, sz);
	icmp6("b6_ptb", a, &a->self6, 2, 0, mtus[rnd32() % 3], q, n);
	n = blind_echo6(q, a, &a->s6, sz);
	icmp6("b6_ptb_mtu0", a, &a->self6, 2, 0, 0, q, n);
	n = blind_echo6(q, a, &a->s6, sz);
	icmp6("b6_mtu_not_below", a, &a->self6, 2, 0, sz, q, n);
	n = blind_echo6(q, a, &a->o6, sz);
	icmp6("b6_other_host", a, &a->self6, 2, 0, 1280, q, n);
	n = blind_echo6(q, a, &a->s6, sz);
	icmp6("b6_unreach", a, &a->self6, 1, 3, 0, q, n);
	n = blind_echo6(q, a, &a->s6, sz);
	icmp6("b6_truncated", a, &a->self6, 2, 0, 1280, q, 48);
	n = udp_low(l4, (uint16_t)(sz - 40));
	n = quote6(q, 6, &a->c6, &a->s6, 17, (uint16_t)(sz - 40), l4, n);
	icmp6("b6_udp", a, &a->self6, 2, 0, 1280, q, n);
	memset(l4, 0, 20);
	put16(l4, 443);
	put16(l4 + 2, 443);
	n = quote6(q, 6, &a->c6, &a->s6, 6, (uint16_t)(sz - 40), l4, 24);
	icmp6("b6_tcp", a, &a->self6, 2, 0, 1280, q, n);
	random_cookie(cookie);
	n = mk_echo(l4, 129, (uint16_t)rnd32(), 1, cookie, 24);
	n = quote6(q, 6, &a->c6, &a->s6, 58, (uint16_t)(sz - 40), l4, n);
	icmp6("b6_quotes_reply", a, &a->self6, 2, 0, 1280, q, n);
	n = blind_echo6(q, a, &a->s6, sz);
	q[0] = 0x45;
	icmp6("b6_version", a, &a->self6, 2, 0, 1280, q, n);
	n = blind_echo6(q, a, &a->s6, sz);
	icmp6("b6_reassembly", a, &a->self6, 3, 1, 0, q, n);
	random_cookie(cookie);
	n = mk_echo(l4, 129, (uint16_t)rnd32(), (uint16_t)rnd32(), cookie, 16);
	icmp6("b6_short_reply", a, &a->s6, 129, 0,
	    (uint32_t)get16(l4 + 4) << 16 | get16(l4 + 6), l4, 0);
	random_cookie(cookie);
	n = mk_echo(big, 129, (uint16_t)rnd32(), (uint16_t)rnd32(), cookie,
	    sz - 40);
	icmp6("b6_echo_reply", a, &a->s6, 129, 0,
	    (uint32_t)get16(big + 4) << 16 | get16(big + 6), big + 8, n - 8);
}

/* --- on the path ---------------------------------------------------- */

struct seen {
	int		 family;
	uint16_t	 size;		/* whole IP packet */
	uint16_t	 id, seq;
	uint8_t		 cookie[COOKIE];
	struct in_addr	 dst4;
	struct in6_addr	 dst6;
};

/*
 * The answers to one seen v4 probe.  Each quotes it with its real ids;
 * each is wrong in the one respect its kind names.
 */
static void
tap4(const struct addrs *a, const struct seen *s)
{
	uint8_t		 l4[MAXPKT], q[256], bad[COOKIE];
	size_t		 n, qn;
	uint16_t	 plaus = s->size > 576 ? 576 : 68;

	memcpy(bad, s->cookie, COOKIE);
	bad[0] ^= 0xff;
	bad[7] ^= 0x01;
	/* Quotes carry 40 bytes of the echo: header, cookie, padding. */
	n = mk_echo(l4, 8, s->id, s->seq, s->cookie, 40);

	qn = quote4(q, 4, a->c4, s->dst4, 1, s->size, 0x4000, l4, n);
	icmp4("t4_mtu_below_68", a, a->self4, 3, 4, 67, q, qn, 0);
	icmp4("t4_mtu_not_below", a, a->self4, 3, 4, s->size, q, qn, 0);
	icmp4("t4_mtu_huge", a, a->self4, 3, 4, 65535, q, qn, 0);
	icmp4("t4_truncated", a, a->self4, 3, 4, plaus, q, 28, 0);
	qn = quote4(q, 4, a->c4, s->dst4, 1, (uint16_t)(s->size - 1), 0x4000,
	    l4, n);
	icmp4("t4_wrong_size", a, a->self4, 3, 4, plaus, q, qn, 0);
	qn = quote4(q, 4, a->c4, a->o4, 1, s->size, 0x4000, l4, n);
	icmp4("t4_other_host", a, a->self4, 3, 4, plaus, q, qn, 0);

	n = mk_echo(l4, 8, s->id, s->seq, bad, 40);
	qn = quote4(q, 4, a->c4, s->dst4, 1, s->size, 0x4000, l4, n);
	icmp4("t4_wrong_cookie", a, a->self4, 3, 4, plaus, q, qn, 0);

	/* Echo replies: claim that this size crossed the path. */
	n = mk_echo(l4, 0, s->id, s->seq, bad, s->size - 20);
	icmp4("t4_reply_wrong_cookie", a, s->dst4, 0, 0,
	    (uint32_t)s->id << 16 | s->seq, l4 + 8, n - 8, 0);
	n = mk_echo(l4, 0, s->id, s->seq, s->cookie, s->size - 20);
	icmp4("t4_reply_other_sender", a, a->self4, 0, 0,
	    (uint32_t)s->id << 16 | s->seq, l4 + 8, n - 8, 0);
	icmp4("t4_reply_wrong_size", a, s->dst4, 0, 0,
	    (uint32_t)s->id << 16 | s->seq, l4 + 8, n - 9, 0);
}

static void
tap6(const struct addrs *a, const struct seen *s)
{
	uint8_t		 l4[MAXPKT], q[256], bad[COOKIE];
	size_t		 n, qn;
	uint16_t	 plen = (uint16_t)(s->size - 40);

	memcpy(bad, s->cookie, COOKIE);
	bad[0] ^= 0xff;
	bad[7] ^= 0x01;
	n = mk_echo(l4, 128, s->id, s->seq, s->cookie, 40);

	qn = quote6(q, 6, &a->c6, &s->dst6, 58, plen, l4, n);
	icmp6("t6_mtu_below_1280", a, &a->self6, 2, 0, 1279, q, qn);
	icmp6("t6_mtu_zero", a, &a->self6, 2, 0, 0, q, qn);
	icmp6("t6_mtu_not_below", a, &a->self6, 2, 0, s->size, q, qn);
	icmp6("t6_mtu_huge", a, &a->self6, 2, 0, 0xffffffffU, q, qn);
	icmp6("t6_truncated", a, &a->self6, 2, 0, 1280, q, 48);
	qn = quote6(q, 6, &a->c6, &s->dst6, 58, (uint16_t)(plen - 1), l4, n);
	icmp6("t6_wrong_size", a, &a->self6, 2, 0, 1280, q, qn);
	qn = quote6(q, 6, &a->c6, &a->o6, 58, plen, l4, n);
	icmp6("t6_other_host", a, &a->self6, 2, 0, 1280, q, qn);

	n = mk_echo(l4, 128, s->id, s->seq, bad, 40);
	qn = quote6(q, 6, &a->c6, &s->dst6, 58, plen, l4, n);
	icmp6("t6_wrong_cookie", a, &a->self6, 2, 0, 1280, q, qn);

	n = mk_echo(l4, 129, s->id, s->seq, bad, plen);
	icmp6("t6_reply_wrong_cookie", a, &s->dst6, 129, 0,
	    (uint32_t)s->id << 16 | s->seq, l4 + 8, n - 8);
	n = mk_echo(l4, 129, s->id, s->seq, s->cookie, plen);
	icmp6("t6_reply_other_sender", a, &a->self6, 129, 0,
	    (uint32_t)s->id << 16 | s->seq, l4 + 8, n - 8);
	icmp6("t6_reply_wrong_size", a, &s->dst6, 129, 0,
	    (uint32_t)s->id << 16 | s->seq, l4 + 8, n - 9);
}

/*
 * A too-big for one seen probe, right in every respect but the claim:
 * the MTU it names, for a probe that in fact goes on.
 */
static void
ptb4(const struct addrs *a, const struct seen *s, uint16_t mtu)
{
	uint8_t		 l4[64], q[256];
	size_t		 n, qn;

	if (s->size <= mtu)
		return;
	n = mk_echo(l4, 8, s->id, s->seq, s->cookie, 40);
	qn = quote4(q, 4, a->c4, s->dst4, 1, s->size, 0x4000, l4, n);
	icmp4("p4_ptb", a, a->self4, 3, 4, mtu, q, qn, 0);
}

static void
ptb6(const struct addrs *a, const struct seen *s, uint32_t mtu)
{
	uint8_t		 l4[64], q[256];
	size_t		 n, qn;

	if (s->size <= mtu)
		return;
	n = mk_echo(l4, 128, s->id, s->seq, s->cookie, 40);
	qn = quote6(q, 6, &a->c6, &s->dst6, 58, (uint16_t)(s->size - 40), l4,
	    n);
	icmp6("p6_ptb", a, &a->self6, 2, 0, mtu, q, qn);
}

/* An echo request from the client, as the packet socket hands it over. */
static int
parse_seen(const struct addrs *a, const uint8_t *b, size_t len,
    uint16_t ethertype, struct seen *s)
{
	size_t	 hl;

	memset(s, 0, sizeof(*s));
	if (ethertype == ETH_P_IP) {
		if (len < 20 || b[0] >> 4 != 4)
			return -1;
		hl = (size_t)(b[0] & 0x0f) * 4;
		if (hl < 20 || len < hl + 8 + COOKIE || b[9] != 1 ||
		    (get16(b + 6) & 0x1fff) != 0 ||
		    memcmp(b + 12, &a->c4, 4) != 0 || b[hl] != 8)
			return -1;
		s->family = AF_INET;
		s->size = get16(b + 2);
		memcpy(&s->dst4, b + 16, 4);
	} else if (ethertype == ETH_P_IPV6) {
		hl = 40;
		if (len < hl + 8 + COOKIE || b[0] >> 4 != 6 || b[6] != 58 ||
		    memcmp(b + 8, &a->c6, 16) != 0 || b[hl] != 128)
			return -1;
		s->family = AF_INET6;
		s->size = (uint16_t)(get16(b + 4) + 40);
		memcpy(&s->dst6, b + 24, 16);
	} else
		return -1;
	s->id = get16(b + hl + 4);
	s->seq = get16(b + hl + 6);
	memcpy(s->cookie, b + hl + 8, COOKIE);
	return 0;
}

/* A packet socket on iface inside the namespace netns, then back. */
static int
open_tap(const char *netns, const char *iface)
{
	struct sockaddr_ll	 sll;
	char			 path[256];
	int			 self, other, fd, saved;

	if ((self = open("/proc/self/ns/net", O_RDONLY)) == -1)
		return -1;
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	if ((other = open(path, O_RDONLY)) == -1 ||
	    setns(other, CLONE_NEWNET) == -1) {
		fprintf(stderr, "forge: namespace %s: %s\n", netns,
		    strerror(errno));
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(iface);
	if (fd == -1 || sll.sll_ifindex == 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		saved = errno;
		fprintf(stderr, "forge: packet socket on %s: %s\n", iface,
		    strerror(saved));
		return -1;
	}
	if (setns(self, CLONE_NEWNET) == -1) {
		fprintf(stderr, "forge: back to own namespace: %s\n",
		    strerror(errno));
		return -1;
	}
	close(self);
	close(other);
	return fd;
}

/* --- main ----------------------------------------------------------- */

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
parse_addrs(char **av, struct addrs *a)
{
	if (inet_pton(AF_INET, av[0], &a->c4) != 1 ||
	    inet_pton(AF_INET, av[1], &a->s4) != 1 ||
	    inet_pton(AF_INET6, av[2], &a->c6) != 1 ||
	    inet_pton(AF_INET6, av[3], &a->s6) != 1 ||
	    inet_pton(AF_INET, av[4], &a->o4) != 1 ||
	    inet_pton(AF_INET6, av[5], &a->o6) != 1 ||
	    inet_pton(AF_INET, av[6], &a->self4) != 1 ||
	    inet_pton(AF_INET6, av[7], &a->self6) != 1) {
		fprintf(stderr, "forge: bad address among the arguments\n");
		return -1;
	}
	return 0;
}

static void
report(unsigned long seen)
{
	int	 i;

	for (i = 0; i < nkinds; i++)
		printf("%s %lu\n", kinds[i].name, kinds[i].n);
	printf("seen %lu\n", seen);
	printf("send_errors %lu\n", send_errors);
}

static int
run_flood(double secs, double rate, const struct addrs *a)
{
	struct timespec	 gap;
	double		 end = now_s() + secs;
	long		 ns = (long)(1e9 / rate);

	gap.tv_sec = ns / 1000000000L;
	gap.tv_nsec = ns % 1000000000L;
	while (!stop && now_s() < end) {
		flood_round4(a);
		flood_round6(a);
		nanosleep(&gap, NULL);
	}
	report(0);
	return 0;
}

/* mtu4, mtu6: 0 for tap's flawed forgeries, else ptb's valid ones. */
static int
run_tap(double secs, const char *netns, const char *iface,
    const struct addrs *a, uint16_t mtu4, uint32_t mtu6)
{
	struct sockaddr_ll	 sll;
	socklen_t		 sl;
	struct pollfd		 pfd;
	struct seen		 s;
	uint8_t			 buf[65536];
	unsigned long		 seen = 0;
	double			 end = now_s() + secs, left;
	ssize_t			 n;

	if ((pfd.fd = open_tap(netns, iface)) == -1)
		return 1;
	pfd.events = POLLIN;
	/* Ready: the test waits for this line before it starts probing. */
	printf("tapping %s in %s\n", iface, netns);
	fflush(stdout);
	while (!stop && (left = end - now_s()) > 0) {
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		sl = sizeof(sll);
		n = recvfrom(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&sll, &sl);
		if (n <= 0 || sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (parse_seen(a, buf, (size_t)n, ntohs(sll.sll_protocol),
		    &s) == -1 || s.size > MAXPKT - 100)
			continue;
		seen++;
		if (mtu4 != 0 && s.family == AF_INET)
			ptb4(a, &s, mtu4);
		else if (mtu4 != 0)
			ptb6(a, &s, mtu6);
		else if (s.family == AF_INET)
			tap4(a, &s);
		else
			tap6(a, &s);
	}
	report(seen);
	return 0;
}

int
main(int argc, char **argv)
{
	struct addrs	 a;
	struct sigaction sa;
	double		 secs;
	uint16_t	 mtu4 = 0;
	uint32_t	 mtu6 = 0;

	memset(&a, 0, sizeof(a));
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	if (argc == 12 && strcmp(argv[1], "flood") == 0) {
		if (parse_addrs(argv + 4, &a) == -1)
			return 2;
	} else if (argc == 13 && strcmp(argv[1], "tap") == 0) {
		if (parse_addrs(argv + 5, &a) == -1)
			return 2;
	} else if (argc == 15 && strcmp(argv[1], "ptb") == 0) {
		if (parse_addrs(argv + 7, &a) == -1)
			return 2;
		mtu4 = (uint16_t)atoi(argv[5]);
		mtu6 = (uint32_t)atoi(argv[6]);
		if (mtu4 < 68 || mtu6 < 1280) {
			fprintf(stderr, "forge: MTU4 below 68 or MTU6 below "
			    "1280\n");
			return 2;
		}
	} else {
		fprintf(stderr, "usage: forge flood SECONDS RATE C4 S4 C6 S6 "
		    "O4 O6 SELF4 SELF6\n"
		    "       forge tap SECONDS NETNS IFACE C4 S4 C6 S6 "
		    "O4 O6 SELF4 SELF6\n"
		    "       forge ptb SECONDS NETNS IFACE MTU4 MTU6 C4 S4 C6 "
		    "S6 O4 O6 SELF4 SELF6\n");
		return 2;
	}
	/* IPPROTO_RAW: we write the whole IP header, source included. */
	if ((fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1 ||
	    (fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)) == -1) {
		fprintf(stderr, "forge: raw socket: %s\n", strerror(errno));
		return 1;
	}
	/* SIGTERM ends the run early; the counts are printed all the same. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	secs = atof(argv[2]);
	if (argv[1][0] == 'f')
		return run_flood(secs, atof(argv[3]), &a);
	return run_tap(secs, argv[3], argv[4], &a, mtu4, mtu6);
}
