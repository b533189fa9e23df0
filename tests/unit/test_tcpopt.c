/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for lib/tcpopt.c.  SYN-ACKs are built byte by byte here as
 * Linux sends them, and every parse runs on a heap copy of exactly the
 * given length so ASan reports any read past the end.
 */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "tcpopt.h"

#define SRC4	"198.18.0.1"
#define DST4	"198.19.0.2"
#define SRC6	"2001:db8::1"

#define F_FIN	0x01
#define F_SYN	0x02
#define F_RST	0x04
#define F_PSH	0x08
#define F_ACK	0x10
#define F_ECE	0x40
#define F_CWR	0x80
#define F_SYNACK (F_SYN | F_ACK)

#define SPORT	443
#define DPORT	40123

/* What Linux puts in a SYN-ACK: MSS, SACK-permitted, timestamps, wscale. */
static const uint8_t linux_opts[] = {
	0x02, 0x04, 0x05, 0xb4,			/* MSS 1460 */
	0x04, 0x02,				/* SACK permitted */
	0x08, 0x0a, 0x11, 0x22, 0x33, 0x44,	/* timestamps */
	0x00, 0x00, 0x00, 0x00,
	0x01,					/* NOP */
	0x03, 0x03, 0x07			/* window scale 7 */
};

struct seg {
	uint8_t	buf[128];
	size_t	len;
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

/* A TCP header with the given options at p; returns its length. */
static size_t
put_tcp(uint8_t *p, uint8_t flags, const uint8_t *opts, size_t optlen)
{
	size_t	hlen = 20 + optlen;

	assert_true(hlen % 4 == 0 && hlen <= 60);
	memset(p, 0, 20);
	put16(p, SPORT);
	put16(p + 2, DPORT);
	p[4] = 0x12;			/* sequence number */
	p[11] = 0x01;			/* acknowledgment number */
	p[12] = (uint8_t)(hlen / 4) << 4;
	p[13] = flags;
	put16(p + 14, 65160);		/* window */
	if (optlen > 0)
		memcpy(p + 20, opts, optlen);
	return hlen;
}

static void
synack4(struct seg *s, uint8_t flags, const uint8_t *opts, size_t optlen)
{
	struct addr	src = A(SRC4), dst = A(DST4);
	size_t		tlen;

	memset(s, 0, sizeof(*s));
	s->buf[0] = 0x45;
	s->buf[6] = 0x40;		/* DF */
	s->buf[8] = 63;
	s->buf[9] = 6;
	memcpy(s->buf + 12, &src.u.v4, 4);
	memcpy(s->buf + 16, &dst.u.v4, 4);
	tlen = put_tcp(s->buf + 20, flags, opts, optlen);
	s->len = 20 + tlen;
	put16(s->buf + 2, (uint16_t)s->len);
}

static void
synack6(struct seg *s, uint8_t flags, const uint8_t *opts, size_t optlen)
{
	memset(s, 0, sizeof(*s));
	s->len = put_tcp(s->buf, flags, opts, optlen);
}

/* Parses a heap copy of exactly len bytes. */
static int
parse4(const uint8_t *p, size_t len, struct tcp_synack *r)
{
	uint8_t	*copy = malloc(len ? len : 1);
	int	 rv;

	assert_non_null(copy);
	memcpy(copy, p, len);
	rv = tcpopt_synack4(copy, len, r);
	free(copy);
	return rv;
}

static int
parse6(const uint8_t *p, size_t len, const struct addr *from,
    struct tcp_synack *r)
{
	uint8_t	*copy = malloc(len ? len : 1);
	int	 rv;

	assert_non_null(copy);
	memcpy(copy, p, len);
	rv = tcpopt_synack6(copy, len, from, r);
	free(copy);
	return rv;
}

static int
mss_of(const uint8_t *opts, size_t len, unsigned *mss)
{
	uint8_t	*copy = malloc(len ? len : 1);
	int	 rv;

	assert_non_null(copy);
	if (len > 0)
		memcpy(copy, opts, len);
	rv = tcpopt_mss(copy, len, mss);
	free(copy);
	return rv;
}

static int
opts4(uint8_t flags, const uint8_t *opts, size_t optlen, unsigned *mss)
{
	struct seg		s;
	struct tcp_synack	r;
	int			rv;

	synack4(&s, flags, opts, optlen);
	memset(&r, 0, sizeof(r));
	r.mss = 0xdead;
	rv = parse4(s.buf, s.len, &r);
	*mss = r.mss;
	return rv;
}

static void
test_linux_synack4(void **state)
{
	struct seg		s;
	struct tcp_synack	r;
	struct addr		src = A(SRC4), dst = A(DST4);

	(void)state;
	synack4(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	assert_int_equal(s.len, 60);
	memset(&r, 0xff, sizeof(r));
	assert_int_equal(parse4(s.buf, s.len, &r), 0);
	assert_int_equal(r.src.family, AF_INET);
	assert_true(addr_eq(&r.src, &src));
	assert_int_equal(r.dst.family, AF_INET);
	assert_true(addr_eq(&r.dst, &dst));
	assert_int_equal(r.sport, SPORT);
	assert_int_equal(r.dport, DPORT);
	assert_int_equal(r.mss, 1460);
}

static void
test_linux_synack6(void **state)
{
	struct seg		s;
	struct tcp_synack	r;
	struct addr		from = A(SRC6);

	(void)state;
	synack6(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	assert_int_equal(s.len, 40);
	memset(&r, 0xff, sizeof(r));
	assert_int_equal(parse6(s.buf, s.len, &from, &r), 0);
	assert_int_equal(r.src.family, AF_INET6);
	assert_true(addr_eq(&r.src, &from));
	assert_int_equal(r.dst.family, 0);
	assert_int_equal(r.sport, SPORT);
	assert_int_equal(r.dport, DPORT);
	assert_int_equal(r.mss, 1460);
}

static void
test_no_mss(void **state)
{
	static const uint8_t	none[] = {
		0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2
	};
	struct seg		s;
	struct tcp_synack	r;
	struct addr		from = A(SRC6);
	unsigned		mss;

	(void)state;
	assert_int_equal(opts4(F_SYNACK, none, sizeof(none), &mss), 0);
	assert_int_equal(mss, 0);
	/* No options at all. */
	assert_int_equal(opts4(F_SYNACK, NULL, 0, &mss), 0);
	assert_int_equal(mss, 0);
	synack6(&s, F_SYNACK, none, sizeof(none));
	r.mss = 77;
	assert_int_equal(parse6(s.buf, s.len, &from, &r), 0);
	assert_int_equal(r.mss, 0);
}

static void
test_mss_not_first(void **state)
{
	static const uint8_t	late[] = {
		0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2,
		0x04, 0x02, 0x02, 0x04, 0x04, 0xb0	/* MSS 1200 */
		, 0x01, 0x00
	};
	unsigned		mss;

	(void)state;
	assert_int_equal(opts4(F_SYNACK, late, sizeof(late), &mss), 0);
	assert_int_equal(mss, 1200);
	assert_int_equal(mss_of(late, sizeof(late), &mss), 0);
	assert_int_equal(mss, 1200);
}

static void
test_mss_values(void **state)
{
	static const uint8_t	low[] = { 0x02, 0x04, 0x00, 0x58 };
	static const uint8_t	high[] = { 0x02, 0x04, 0xff, 0xff };
	static const uint8_t	zero[] = { 0x02, 0x04, 0x00, 0x00 };
	unsigned		mss;

	(void)state;
	assert_int_equal(mss_of(low, sizeof(low), &mss), 0);
	assert_int_equal(mss, 88);
	assert_int_equal(mss_of(high, sizeof(high), &mss), 0);
	assert_int_equal(mss, 65535);
	/* An MSS of 0 is no usable MSS; it reads as "none". */
	assert_int_equal(mss_of(zero, sizeof(zero), &mss), 0);
	assert_int_equal(mss, 0);
}

static void
test_end_of_list(void **state)
{
	/* After end-of-list only padding follows, whatever it holds. */
	static const uint8_t	eol_first[] = {
		0x00, 0x02, 0x04, 0x05, 0xb4, 0x00, 0x00, 0x00
	};
	static const uint8_t	eol_junk[] = {
		0x02, 0x04, 0x05, 0x78, 0x00, 0x09, 0x00, 0xff
	};
	unsigned		mss;

	(void)state;
	assert_int_equal(opts4(F_SYNACK, eol_first, sizeof(eol_first), &mss),
	    0);
	assert_int_equal(mss, 0);
	assert_int_equal(opts4(F_SYNACK, eol_junk, sizeof(eol_junk), &mss),
	    0);
	assert_int_equal(mss, 1400);
	/* Only NOPs, and an empty area. */
	assert_int_equal(mss_of((const uint8_t *)"\x01\x01\x01\x01", 4, &mss),
	    0);
	assert_int_equal(mss, 0);
	mss = 5;
	assert_int_equal(mss_of(NULL, 0, &mss), 0);
	assert_int_equal(mss, 0);
}

static void
test_bad_option_lengths(void **state)
{
	static const uint8_t	len0[] = { 0x01, 0x08, 0x00, 0x01 };
	static const uint8_t	len1[] = { 0x01, 0x08, 0x01, 0x01 };
	static const uint8_t	too_long[] = {
		0x02, 0x04, 0x05, 0xb4, 0x08, 0x0a, 0, 0
	};
	static const uint8_t	mss3[] = { 0x02, 0x03, 0x05, 0x01 };
	static const uint8_t	mss5[] = {
		0x02, 0x05, 0x05, 0xb4, 0x00, 0x01, 0x01, 0x01
	};
	static const uint8_t	mss_cut[] = { 0x01, 0x01, 0x02, 0x04 };
	static const uint8_t	no_len[] = { 0x01, 0x01, 0x01, 0x03 };
	static const uint8_t	dup[] = {
		0x02, 0x04, 0x05, 0xb4, 0x02, 0x04, 0x04, 0xb0
	};
	static const uint8_t	len0_mss_after[] = {
		0x04, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x01, 0x01
	};
	const struct {
		const uint8_t	*o;
		size_t		 n;
	} bad[] = {
		{ len0, sizeof(len0) },
		{ len1, sizeof(len1) },
		{ too_long, sizeof(too_long) },
		{ mss3, sizeof(mss3) },
		{ mss5, sizeof(mss5) },
		{ mss_cut, sizeof(mss_cut) },
		{ no_len, sizeof(no_len) },
		{ dup, sizeof(dup) },
		{ len0_mss_after, sizeof(len0_mss_after) },
	};
	struct seg		s;
	struct tcp_synack	r;
	struct addr		from = A(SRC6);
	unsigned		mss;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mss_of(bad[i].o, bad[i].n, &mss), -1);
		assert_int_equal(opts4(F_SYNACK, bad[i].o, bad[i].n, &mss),
		    -1);
		/* Refused packets leave the result alone. */
		assert_int_equal(mss, 0xdead);
		synack6(&s, F_SYNACK, bad[i].o, bad[i].n);
		assert_int_equal(parse6(s.buf, s.len, &from, &r), -1);
	}
}

static void
test_truncated4(void **state)
{
	struct seg		s, t;
	struct tcp_synack	r;
	size_t			len;

	(void)state;
	synack4(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	/* Cut short with the IP total length still claiming all of it. */
	for (len = 0; len < s.len; len++)
		assert_int_equal(parse4(s.buf, len, &r), -1);
	/* Cut short with a total length that agrees with the cut. */
	for (len = 0; len < s.len; len++) {
		t = s;
		put16(t.buf + 2, (uint16_t)len);
		assert_int_equal(parse4(t.buf, len, &r), -1);
	}
	assert_int_equal(parse4(s.buf, s.len, &r), 0);
}

static void
test_truncated6(void **state)
{
	struct seg		s;
	struct tcp_synack	r;
	struct addr		from = A(SRC6);
	size_t			len;

	(void)state;
	synack6(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	for (len = 0; len < s.len; len++)
		assert_int_equal(parse6(s.buf, len, &from, &r), -1);
	assert_int_equal(parse6(s.buf, s.len, &from, &r), 0);
	assert_int_equal(r.mss, 1460);
}

static void
test_data_offset(void **state)
{
	struct seg		s, t;
	struct tcp_synack	r;
	struct addr		from = A(SRC6);

	(void)state;
	synack4(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	/* 60 bytes of TCP header claimed, 40 present. */
	t = s;
	t.buf[20 + 12] = 15 << 4;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	/* Below the minimum of 5 words. */
	t = s;
	t.buf[20 + 12] = 4 << 4;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	t.buf[20 + 12] = 0;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	/* A shorter offset is fine: the rest is then payload, not options. */
	t = s;
	t.buf[20 + 12] = 5 << 4;
	assert_int_equal(parse4(t.buf, t.len, &r), 0);
	assert_int_equal(r.mss, 0);

	synack6(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	t = s;
	t.buf[12] = 11 << 4;
	assert_int_equal(parse6(t.buf, t.len, &from, &r), -1);
	t.buf[12] = 4 << 4;
	assert_int_equal(parse6(t.buf, t.len, &from, &r), -1);
}

static void
test_flags(void **state)
{
	const struct {
		uint8_t	flags;
		int	rv;
	} cases[] = {
		{ F_SYNACK, 0 },
		{ F_SYNACK | F_ECE, 0 },
		{ F_SYNACK | F_ECE | F_CWR, 0 },
		{ F_SYNACK | F_PSH, 0 },
		{ F_SYN, -1 },			/* a SYN without ACK */
		{ F_ACK, -1 },
		{ F_RST | F_ACK, -1 },
		{ F_SYNACK | F_RST, -1 },
		{ F_SYNACK | F_FIN, -1 },
		{ F_FIN | F_ACK, -1 },
		{ 0, -1 },
		{ 0xff, -1 },
	};
	struct seg		s;
	struct tcp_synack	r;
	struct addr		from = A(SRC6);
	unsigned		mss;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(opts4(cases[i].flags, linux_opts,
		    sizeof(linux_opts), &mss), cases[i].rv);
		assert_int_equal(mss, cases[i].rv == 0 ? 1460 : 0xdead);
		synack6(&s, cases[i].flags, linux_opts, sizeof(linux_opts));
		assert_int_equal(parse6(s.buf, s.len, &from, &r),
		    cases[i].rv);
	}
}

static void
test_ip4_header(void **state)
{
	struct seg		s, t;
	struct tcp_synack	r;

	(void)state;
	synack4(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	/* Not TCP. */
	t = s;
	t.buf[9] = 17;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	t.buf[9] = 1;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	/* Not version 4. */
	t = s;
	t.buf[0] = 0x65;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	/* Header length below 20 or beyond the packet. */
	t = s;
	t.buf[0] = 0x44;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	t.buf[0] = 0x40;
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	t.buf[0] = 0x4f;
	assert_int_equal(parse4(t.buf, 40, &r), -1);
	/* Total length shorter than the header, or longer than received. */
	t = s;
	put16(t.buf + 2, 19);
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	put16(t.buf + 2, 0);
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	put16(t.buf + 2, (uint16_t)(s.len + 1));
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	/* A non-first fragment; the first one is fine. */
	t = s;
	put16(t.buf + 6, 0x0001);
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	put16(t.buf + 6, 0x1fff);
	assert_int_equal(parse4(t.buf, t.len, &r), -1);
	put16(t.buf + 6, 0x2000);	/* MF, offset 0 */
	assert_int_equal(parse4(t.buf, t.len, &r), 0);
	assert_int_equal(r.mss, 1460);
}

static void
test_ip4_padding_and_options(void **state)
{
	struct seg		s, t;
	struct tcp_synack	r;
	struct addr		src = A(SRC4);

	(void)state;
	synack4(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	/* Link padding after the total length is not part of the segment. */
	t = s;
	memset(t.buf + t.len, 0xee, 6);
	assert_int_equal(parse4(t.buf, t.len + 6, &r), 0);
	assert_int_equal(r.mss, 1460);

	/* Four bytes of IP options (NOPs) move the TCP header. */
	memset(&t, 0, sizeof(t));
	memcpy(t.buf, s.buf, 20);
	t.buf[0] = 0x46;
	memset(t.buf + 20, 0x01, 4);
	memcpy(t.buf + 24, s.buf + 20, s.len - 20);
	t.len = s.len + 4;
	put16(t.buf + 2, (uint16_t)t.len);
	assert_int_equal(parse4(t.buf, t.len, &r), 0);
	assert_true(addr_eq(&r.src, &src));
	assert_int_equal(r.sport, SPORT);
	assert_int_equal(r.dport, DPORT);
	assert_int_equal(r.mss, 1460);
	/* Truncated anywhere, with or without a matching total length. */
	s = t;
	for (t.len = 0; t.len < s.len; t.len++) {
		assert_int_equal(parse4(t.buf, t.len, &r), -1);
		put16(t.buf + 2, (uint16_t)t.len);
		assert_int_equal(parse4(t.buf, t.len, &r), -1);
		put16(t.buf + 2, (uint16_t)s.len);
	}
}

static void
test_v6_sender(void **state)
{
	struct seg		s;
	struct tcp_synack	r;
	struct addr		v4 = A(SRC4);

	(void)state;
	synack6(&s, F_SYNACK, linux_opts, sizeof(linux_opts));
	assert_int_equal(parse6(s.buf, s.len, NULL, &r), -1);
	assert_int_equal(parse6(s.buf, s.len, &v4, &r), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_synack4),
		cmocka_unit_test(test_linux_synack6),
		cmocka_unit_test(test_no_mss),
		cmocka_unit_test(test_mss_not_first),
		cmocka_unit_test(test_mss_values),
		cmocka_unit_test(test_end_of_list),
		cmocka_unit_test(test_bad_option_lengths),
		cmocka_unit_test(test_truncated4),
		cmocka_unit_test(test_truncated6),
		cmocka_unit_test(test_data_offset),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_ip4_header),
		cmocka_unit_test(test_ip4_padding_and_options),
		cmocka_unit_test(test_v6_sender),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
