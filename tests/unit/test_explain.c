/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/explain.c: every table row, the ESP padding steps,
 * ranking, advice, and the JSON and text forms. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain.h"

#define V4	AF_INET
#define V6	AF_INET6

/*
 * One table row: a path MTU it gives exactly, and where it must rank.
 * A row is not first only when an earlier candidate is exact with an
 * equal or better score: a well-known value beats an arithmetic
 * coincidence, and equal scores keep table order.
 */
struct rowcase {
	const char	*name;		/* the row under test */
	int		 family, local, pmtu;
	unsigned	 n;		/* candidates listed */
	unsigned	 index;		/* the row's rank */
	int		 score;
	int		 well_known;
	const char	*arith;
	const char	*first;		/* top candidate (index > 0) */
};

#define ESP4	"IPsec ESP tunnel AES-CBC + HMAC-SHA256"
#define ESP6	"IPsec ESP tunnel over IPv6 AES-CBC + HMAC-SHA256"
#define ESP4_PARTS "new IPv4 20 + ESP 8 + IV 16 + trailer 2 + ICV 16"
#define LINK(m)	"a link or tunnel of " #m " bytes on the path"

static const struct rowcase rowcases[] = {
	/* encapsulations; near candidates fill n (see test_ranking) */
	{ "PPPoE", V4, 1500, 1492, 1, 0, 100, 1,
	    "1500 - 8 (PPPoE 6 + PPP 2) = 1492", NULL },
	{ "PPPoE over L2TP (NTT FLET'S)", V4, 1500, 1454, 5, 0, 100, 1,
	    "1500 - 46 (IP 20 + UDP 8 + PPP 2 + L2TP 16) = 1454", NULL },
	{ "DS-Lite", V4, 1500, 1460, 3, 0, 100, 1,
	    "1500 - 40 (IPv6 40) = 1460", NULL },
	{ "DS-Lite with encapsulation limit", V4, 1500, 1452, 5, 0, 100, 1,
	    "1500 - 48 (IPv6 40 + encapsulation limit 8) = 1452", NULL },
	/* tied with DS-Lite (both well known at 1460): table order */
	{ "MAP-E", V4, 1500, 1460, 3, 1, 100, 1,
	    "1500 - 40 (IPv6 40) = 1460", "DS-Lite" },
	{ "GRE over IPv4", V4, 1500, 1476, 2, 0, 80, 0,
	    "1500 - 24 (IPv4 20 + GRE 4) = 1476", NULL },
	{ "GRE over IPv6", V4, 1500, 1456, 4, 0, 80, 0,
	    "1500 - 44 (IPv6 40 + GRE 4) = 1456", NULL },
	{ "IPIP / 6in4", V4, 1500, 1480, 1, 0, 80, 0,
	    "1500 - 20 (IPv4 20) = 1480", NULL },
	/* on an IPv6 path, as DS-Lite and MAP-E carry IPv4 only */
	{ "IPv4/IPv6 in IPv6", V6, 1500, 1460, 1, 0, 80, 0,
	    "1500 - 40 (IPv6 40) = 1460", NULL },
	{ "IPv4/IPv6 in IPv6 with encapsulation limit", V6, 1500, 1452, 4,
	    0, 80, 0, "1500 - 48 (IPv6 40 + encapsulation limit 8) = 1452",
	    NULL },
	{ "VXLAN / Geneve over IPv4", V4, 1500, 1450, 5, 0, 80, 0,
	    "1500 - 50 (IPv4 20 + UDP 8 + VXLAN 8 + Ethernet 14) = 1450",
	    NULL },
	{ "VXLAN / Geneve over IPv6", V4, 1500, 1430, 2, 0, 80, 0,
	    "1500 - 70 (IPv6 40 + UDP 8 + VXLAN 8 + Ethernet 14) = 1430",
	    NULL },
	{ "WireGuard over IPv4", V4, 1500, 1440, 1, 0, 80, 0,
	    "1500 - 60 (IPv4 20 + UDP 8 + WireGuard 32) = 1440", NULL },
	{ "WireGuard over IPv6", V4, 1500, 1420, 3, 0, 100, 1,
	    "1500 - 80 (IPv6 40 + UDP 8 + WireGuard 32) = 1420", NULL },
	{ ESP4, V4, 1500, 1438, 2, 0, 100, 1,
	    "1500 - 62 (" ESP4_PARTS ") = 1438", NULL },
	{ ESP6, V4, 1500, 1406, 1, 0, 80, 0,
	    "1500 - 94 (new IPv6 40 + ESP 8 + IV 16 + trailer 2 + ICV 16"
	    " + 12 unused: inner + 2 padded to 16) = 1406", NULL },
	{ "DTLS VPN client", V4, 1500, 1427, 2, 0, 80, 0,
	    "1500 - 73 (DTLS 57 + vendor header 16, measured) = 1427", NULL },
	{ "TLS VPN client (over TCP)", V4, 1500, 1418, 3, 0, 80, 0,
	    "1500 - 82 (TLS over TCP 82, measured) = 1418", NULL },
	/* links */
	{ "IPv6 minimum link MTU (RFC 8200)", V6, 1500, 1280, 1, 0, 100, 1,
	    LINK(1280), NULL },
	{ "mobile carrier link", V4, 1500, 1300, 1, 0, 100, 1, LINK(1300),
	    NULL },
	{ "DTLS VPN client TUN default (Linux)", V4, 1500, 1370, 1, 0, 100,
	    1, LINK(1370), NULL },
	{ "DTLS VPN client TUN default (Windows)", V4, 1500, 1380, 1, 0, 100,
	    1, LINK(1380), NULL },
	/* tied with WireGuard over IPv6: encapsulations come first */
	{ "WireGuard interface at its default MTU", V4, 1500, 1420, 3, 1,
	    100, 1, LINK(1420), "WireGuard over IPv6" },
	/* a jumbo host toward the Internet */
	{ "Ethernet", V4, 9001, 1500, 1, 0, 100, 1, LINK(1500), NULL },
	/* 9001 follows as a near candidate, 1 byte above */
	{ "jumbo frames (advised for research networks)", V4, 65536, 9000,
	    2, 0, 100, 1, LINK(9000), NULL },
	{ "jumbo frames (AWS EC2 inside a VPC)", V4, 65536, 9001, 1, 0, 100,
	    1, LINK(9001), NULL },
	{ "jumbo frames (research network, e.g. SINET)", V6, 65536, 9140, 1,
	    0, 100, 1, LINK(9140), NULL },
};
#define NROWCASES	(sizeof(rowcases) / sizeof(rowcases[0]))

static void
run(int family, int local, int pmtu, struct explain *x)
{
	struct explain_input in;
	char		 err[256] = "";

	memset(&in, 0, sizeof(in));
	in.family = family;
	in.local_mtu = local;
	in.pmtu = pmtu;
	assert_int_equal(explain_path(&in, x, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void
test_row(void **state)
{
	const struct rowcase *r = *state;
	const struct explain_candidate *c;
	struct explain	 x;
	unsigned	 i;

	run(r->family, r->local, r->pmtu, &x);
	assert_int_equal(x.n, r->n);
	assert_true(r->index < x.n);
	c = &x.c[r->index];
	assert_string_equal(c->name, r->name);
	assert_true(c->exact);
	assert_int_equal(c->difference, 0);
	assert_int_equal(c->mtu, r->pmtu);
	assert_int_equal(c->score, r->score);
	assert_int_equal(c->well_known, r->well_known);
	assert_string_equal(c->arithmetic, r->arith);
	if (c->kind == EXPLAIN_ENCAP) {
		assert_int_equal(c->underlay, r->local);
		assert_int_equal(c->overhead, r->local - r->pmtu);
	} else {
		assert_int_equal(c->kind, EXPLAIN_LINK);
		assert_int_equal(c->underlay, -1);
		assert_int_equal(c->overhead, -1);
	}
	if (r->index > 0)
		assert_string_equal(x.c[0].name, r->first);
	/* only exact candidates at least as good rank above it */
	for (i = 0; i < r->index; i++) {
		assert_true(x.c[i].exact);
		assert_true(x.c[i].score >= c->score);
	}
	/* ranked by score, best first */
	for (i = 1; i < x.n; i++)
		assert_true(x.c[i - 1].score >= x.c[i].score);
}

/* Every row of both tables has its case above. */
static void
test_every_row_tested(void **state)
{
	const struct explain_encap *e;
	const struct explain_link *l;
	size_t	 ne, nl, i, j, found;

	(void)state;
	e = explain_encaps(&ne);
	l = explain_links(&nl);
	assert_int_equal(ne + nl, NROWCASES);
	for (i = 0; i < ne + nl; i++) {
		const char *name = i < ne ? e[i].name : l[i - ne].name;

		for (found = 0, j = 0; j < NROWCASES; j++)
			if (strcmp(rowcases[j].name, name) == 0)
				found++;
		assert_int_equal(found, 1);
	}
}

/* The largest inner packet, by trying every size: (inner + 2) rounded
 * up to 16, plus new IP 20, ESP 8, IV 16 and ICV 16, fits the underlay. */
static int
ref_inner(int underlay)
{
	int	 i;

	for (i = underlay; i > 0; i--)
		if ((i + 2 + 15) / 16 * 16 + 20 + 8 + 16 + 16 <= underlay)
			return i;
	return -1;
}

static const struct explain_encap *
row_named(const char *name)
{
	const struct explain_encap *e;
	size_t	 n, i;

	e = explain_encaps(&n);
	for (i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0)
			return &e[i];
	fail_msg("no row %s", name);
	return NULL;
}

static void
test_esp_every_underlay(void **state)
{
	const struct explain_encap *esp = row_named(ESP4);
	struct explain_advice a;
	struct explain	 x;
	char		 want[EXPLAIN_TEXTLEN];
	unsigned	 i, hits;
	int		 u, inner, unused, steps = 0, prev = -1;

	(void)state;
	for (u = 1400; u <= 1500; u++) {
		inner = ref_inner(u);
		assert_int_equal(explain_esp_inner(esp, u), inner);
		if (inner != prev)
			steps++;
		prev = inner;

		assert_int_equal(explain_advise(u, V4, &a, NULL, 0), 0);
		assert_int_equal(a.ipsec_inner_mtu, inner);
		assert_int_equal(a.ipsec_tcp_mss_v4, inner - 40);
		assert_int_equal(a.ipsec_tcp_mss_v6, inner - 60);

		unused = u - 62 - inner;
		if (unused > 0)
			snprintf(want, sizeof(want), "%d - %d (" ESP4_PARTS
			    " + %d unused: inner + 2 padded to 16) = %d", u,
			    u - inner, unused, inner);
		else
			snprintf(want, sizeof(want), "%d - 62 (" ESP4_PARTS
			    ") = %d", u, inner);
		run(V4, u, inner, &x);
		for (hits = 0, i = 0; i < x.n; i++) {
			if (strcmp(x.c[i].name, ESP4) != 0)
				continue;
			hits++;
			assert_true(x.c[i].exact);
			assert_int_equal(x.c[i].underlay, u);
			assert_int_equal(x.c[i].overhead, u - inner);
			assert_string_equal(x.c[i].arithmetic, want);
		}
		assert_int_equal(hits, 1);
	}
	/* 1400..1500: inner 1326, 1342, ..., 1438 */
	assert_int_equal(steps, 8);
	assert_int_equal(ref_inner(1400), 1326);
}

static void
test_esp_documented_steps(void **state)
{
	static const struct { int underlay, inner, mss; } steps[] = {
		{ 1500, 1438, 1398 }, { 1499, 1422, 1382 },
		{ 1484, 1422, 1382 }, { 1483, 1406, 1366 },
		{ 1468, 1406, 1366 }, { 1467, 1390, 1350 },
		{ 1452, 1390, 1350 }, { 1451, 1374, 1334 },
	};
	const struct explain_encap *esp = row_named(ESP4);
	const struct explain_encap *esp6 = row_named(ESP6);
	struct explain_advice a;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(explain_esp_inner(esp, steps[i].underlay),
		    steps[i].inner);
		assert_int_equal(explain_advise(steps[i].underlay, V4, &a,
		    NULL, 0), 0);
		assert_int_equal(a.ipsec_inner_mtu, steps[i].inner);
		assert_int_equal(a.ipsec_tcp_mss_v4, steps[i].mss);
	}
	/* over IPv6 the new header is 40: 1500 - 80 = 1420 -> 1408 - 2 */
	assert_int_equal(explain_esp_inner(esp6, 1500), 1406);
	assert_int_equal(explain_esp_inner(esp6, 1280), 1198);
	/* too small for one block */
	assert_int_equal(explain_esp_inner(esp, 75), -1);
	assert_int_equal(explain_esp_inner(esp, 76), 14);
}

/* Exact before near; well known before coincidence; ties in order. */
static void
test_ranking(void **state)
{
	struct explain	 x;

	(void)state;
	/* an IPv4 path at 1460: two well-known rows, then the generic */
	run(V4, 1500, 1460, &x);
	assert_int_equal(x.n, 3);
	assert_string_equal(x.c[0].name, "DS-Lite");
	assert_string_equal(x.c[1].name, "MAP-E");
	assert_string_equal(x.c[2].name, "IPv4/IPv6 in IPv6");
	assert_int_equal(x.c[2].score, 80);
	assert_false(x.c[2].well_known);

	/* near candidates after the exact one, by difference */
	run(V4, 1500, 1454, &x);
	assert_int_equal(x.n, 5);
	assert_string_equal(x.c[0].name, "PPPoE over L2TP (NTT FLET'S)");
	assert_string_equal(x.c[1].name, "GRE over IPv6");
	assert_false(x.c[1].exact);
	assert_int_equal(x.c[1].difference, 2);
	assert_int_equal(x.c[1].score, 32);
	assert_string_equal(x.c[2].name, "DS-Lite");
	assert_int_equal(x.c[2].difference, 6);
	assert_int_equal(x.c[2].score, 16);
	assert_true(x.c[2].well_known);
	assert_string_equal(x.c[3].name, "MAP-E");
	assert_string_equal(x.c[4].name, "IPv4/IPv6 in IPv6");

	/* at most EXPLAIN_MAX: 1452 has seven, the last two fall off */
	run(V4, 1500, 1452, &x);
	assert_int_equal(x.n, EXPLAIN_MAX);
	assert_string_equal(x.c[0].name, "DS-Lite with encapsulation limit");
	assert_string_equal(x.c[1].name,
	    "IPv4/IPv6 in IPv6 with encapsulation limit");
	assert_string_equal(x.c[2].name, "PPPoE over L2TP (NTT FLET'S)");
	assert_string_equal(x.c[3].name, "GRE over IPv6");
	assert_string_equal(x.c[4].name, "DS-Lite");
	assert_int_equal(x.c[4].difference, 8);
	assert_int_equal(x.c[4].score, 8);

	/* 9 bytes is not near: only PPPoE at 1492 could be */
	run(V4, 1500, 1483, &x);
	assert_int_equal(x.n, 0);
	run(V4, 1500, 1484, &x);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.c[0].name, "PPPoE");
	assert_int_equal(x.c[0].difference, 8);

	/* below the PMTU is impossible, never near: 1493 > PPPoE 1492 */
	run(V4, 1500, 1493, &x);
	assert_int_equal(x.n, 0);
}

static void
test_nothing_matches(void **state)
{
	struct explain	 x;
	char		 buf[1024];

	(void)state;
	run(V4, 1500, 1337, &x);
	assert_int_equal(x.n, 0);
	assert_string_equal(x.summary, "PMTU 1337: no known encapsulation "
	    "explains it (local_mtu - pmtu = 1500 - 1337 = 163 bytes)");
	explain_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "PMTU 1337: no known encapsulation "
	    "explains it (local_mtu - pmtu = 1500 - 1337 = 163 bytes)\n");

	/* a 1280 IPv4 path: the IPv6 minimum does not apply */
	run(V4, 1500, 1280, &x);
	assert_int_equal(x.n, 0);
}

static void
test_near_only(void **state)
{
	struct explain	 x;
	char		 buf[1024];

	(void)state;
	run(V4, 1500, 1490, &x);
	assert_int_equal(x.n, 1);
	assert_false(x.c[0].exact);
	explain_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "PMTU 1490: no known encapsulation "
	    "explains it exactly (local_mtu - pmtu = 1500 - 1490 = 10 bytes)\n"
	    "  near: PPPoE: 1500 - 8 (PPPoE 6 + PPP 2) = 1492, 2 bytes above "
	    "the PMTU\n");

	run(V4, 1500, 1491, &x);
	explain_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "PMTU 1491: no known encapsulation "
	    "explains it exactly (local_mtu - pmtu = 1500 - 1491 = 9 bytes)\n"
	    "  near: PPPoE: 1500 - 8 (PPPoE 6 + PPP 2) = 1492, 1 byte above "
	    "the PMTU\n");
}

static void
test_pmtu_is_local(void **state)
{
	struct explain	 x;
	char		 buf[1024];

	(void)state;
	run(V4, 1500, 1500, &x);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.c[0].kind, EXPLAIN_NONE);
	assert_string_equal(x.c[0].name, "no encapsulation");
	assert_true(x.c[0].exact);
	assert_int_equal(x.c[0].overhead, 0);
	assert_string_equal(x.c[0].arithmetic,
	    "the path carries the local MTU 1500");
	explain_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "PMTU 1500 = local 1500: no encapsulation: "
	    "the path carries the local MTU\n");

	/* jumbo end to end */
	run(V6, 9000, 9000, &x);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.summary, "PMTU 9000 = local 9000: no "
	    "encapsulation: the path carries the local MTU");

	/* loopback: 65536, and no IP packet is larger than 65535 */
	run(V6, 65536, 65535, &x);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.c[0].kind, EXPLAIN_NONE);
}

static void
test_v6_minimum(void **state)
{
	struct explain	 x;
	char		 buf[1024];

	(void)state;
	run(V6, 1500, 1280, &x);
	assert_int_equal(x.n, 1);
	explain_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "PMTU 1280: IPv6 minimum link MTU "
	    "(RFC 8200): a link or tunnel of 1280 bytes on the path (exact)\n");
}

static void
test_jumbo(void **state)
{
	struct explain	 x;

	(void)state;
	/* VXLAN over a 9000 underlay */
	run(V4, 9000, 8950, &x);
	assert_int_equal(x.n, 5);
	assert_string_equal(x.c[0].name, "VXLAN / Geneve over IPv4");
	assert_true(x.c[0].exact);
	assert_int_equal(x.c[0].underlay, 9000);
	assert_int_equal(x.c[0].score, 80);
	assert_string_equal(x.c[0].arithmetic,
	    "9000 - 50 (IPv4 20 + UDP 8 + VXLAN 8 + Ethernet 14) = 8950");
	assert_string_equal(x.c[1].name, "DS-Lite with encapsulation limit");
	assert_int_equal(x.c[1].mtu, 8952);
	assert_string_equal(x.c[2].name,
	    "IPv4/IPv6 in IPv6 with encapsulation limit");
	assert_string_equal(x.c[3].name, "PPPoE over L2TP (NTT FLET'S)");
	assert_int_equal(x.c[3].difference, 4);
	assert_string_equal(x.c[4].name, "GRE over IPv6");
	assert_int_equal(x.c[4].difference, 6);

	/* a jumbo host: the tunnel runs over a 1500 link further on */
	run(V4, 9001, 1450, &x);
	assert_int_equal(x.n, 5);
	assert_string_equal(x.c[0].name, "VXLAN / Geneve over IPv4");
	assert_int_equal(x.c[0].underlay, 1500);
	assert_int_equal(x.c[0].score, 79);	/* assumed, not measured */
	assert_string_equal(x.summary, "PMTU 1450 = Ethernet 1500 - 50: "
	    "VXLAN / Geneve over IPv4: IPv4 20 + UDP 8 + VXLAN 8 + "
	    "Ethernet 14 = 50 (exact)");

	/* a well-known value over 1500 still beats a coincidence */
	run(V4, 9001, 1492, &x);
	assert_string_equal(x.c[0].name, "PPPoE");
	assert_int_equal(x.c[0].score, 99);
}

static void
test_format(void **state)
{
	struct explain_input in;
	struct explain	 x;
	char		 buf[2048];

	(void)state;
	memset(&in, 0, sizeof(in));
	in.family = V4;
	in.local_mtu = 1500;
	in.pmtu = 1454;
	in.hop = 2;
	in.hop_mtu = 1454;
	assert_int_equal(addr_parse(&in.hop_address, "198.18.2.1"), 0);
	assert_int_equal(explain_path(&in, &x, NULL, 0), 0);
	explain_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "PMTU 1454 = local 1500 - 46: PPPoE over "
	    "L2TP (NTT FLET'S): IP 20 + UDP 8 + PPP 2 + L2TP 16 = 46 (exact)\n"
	    "  the MTU drops on the link into hop 2 (198.18.2.1)\n");

	/* several exact; the first drop is not yet the PMTU */
	memset(&in, 0, sizeof(in));
	in.family = V4;
	in.local_mtu = 1500;
	in.pmtu = 1460;
	in.hop = 3;
	in.hop_mtu = 1480;
	assert_int_equal(addr_parse(&in.hop_address, "2001:db8::3"), 0);
	assert_int_equal(explain_path(&in, &x, NULL, 0), 0);
	explain_format(&x, buf, sizeof(buf));
	assert_string_equal(buf,
	    "PMTU 1460 = local 1500 - 40: DS-Lite: IPv6 40 (exact)\n"
	    "  or MAP-E: 1500 - 40 (IPv6 40) = 1460 (exact)\n"
	    "  or IPv4/IPv6 in IPv6: 1500 - 40 (IPv6 40) = 1460 (exact)\n"
	    "  the MTU drops on the link into hop 3 (2001:db8::3), to 1480\n");

	/* a hop that gave no address */
	memset(&in.hop_address, 0, sizeof(in.hop_address));
	in.hop_mtu = 0;
	assert_int_equal(explain_path(&in, &x, NULL, 0), 0);
	explain_format(&x, buf, sizeof(buf));
	assert_non_null(strstr(buf,
	    "\n  the MTU drops on the link into hop 3 (address unknown)\n"));

	/* truncation keeps a terminated prefix */
	explain_format(&x, buf, 10);
	assert_string_equal(buf, "PMTU 1460");
	buf[0] = 'x';
	explain_format(&x, buf, 0);
	assert_int_equal(buf[0], 'x');
}

static char *
dump(json_t *j)
{
	char	*s;

	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_non_null(s);
	return s;
}

static void
test_json(void **state)
{
	struct explain_input in;
	struct explain	 x;
	char		*s;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.family = V4;
	in.local_mtu = 1500;
	in.pmtu = 1492;
	in.hop = 1;
	assert_int_equal(addr_parse(&in.hop_address, "198.18.1.1"), 0);
	assert_int_equal(explain_path(&in, &x, NULL, 0), 0);
	s = dump(explain_to_json(&x));
	assert_string_equal(s, "{\"local_mtu\":1500,\"pmtu\":1492,"
	    "\"family\":4,\"summary\":\"PMTU 1492 = local 1500 - 8: PPPoE: "
	    "PPPoE 6 + PPP 2 = 8 (exact)\",\"drop\":{\"hop\":1,"
	    "\"address\":\"198.18.1.1\",\"mtu\":null},\"candidates\":["
	    "{\"name\":\"PPPoE\",\"kind\":\"encapsulation\",\"overhead\":8,"
	    "\"underlay\":1500,\"mtu\":1492,\"difference\":0,\"exact\":true,"
	    "\"well_known\":true,\"score\":100,\"arithmetic\":"
	    "\"1500 - 8 (PPPoE 6 + PPP 2) = 1492\"}]}");
	free(s);

	/* a link: no overhead, no underlay; no walk: drop null */
	run(V6, 1500, 1280, &x);
	s = dump(explain_to_json(&x));
	assert_string_equal(s, "{\"local_mtu\":1500,\"pmtu\":1280,"
	    "\"family\":6,\"summary\":\"PMTU 1280: IPv6 minimum link MTU "
	    "(RFC 8200): a link or tunnel of 1280 bytes on the path "
	    "(exact)\",\"drop\":null,\"candidates\":[{\"name\":\"IPv6 "
	    "minimum link MTU (RFC 8200)\",\"kind\":\"link\",\"overhead\":"
	    "null,\"underlay\":null,\"mtu\":1280,\"difference\":0,\"exact\":"
	    "true,\"well_known\":true,\"score\":100,\"arithmetic\":\"a link "
	    "or tunnel of 1280 bytes on the path\"}]}");
	free(s);

	/* nothing: an empty list */
	run(V4, 1500, 1337, &x);
	s = dump(explain_to_json(&x));
	assert_string_equal(s, "{\"local_mtu\":1500,\"pmtu\":1337,"
	    "\"family\":4,\"summary\":\"PMTU 1337: no known encapsulation "
	    "explains it (local_mtu - pmtu = 1500 - 1337 = 163 bytes)\","
	    "\"drop\":null,\"candidates\":[]}");
	free(s);
}

static void
expect_bad(int family, int local, int pmtu, int hop, const char *msg)
{
	struct explain_input in;
	struct explain	 x;
	char		 err[256] = "";

	memset(&in, 0, sizeof(in));
	in.family = family;
	in.local_mtu = local;
	in.pmtu = pmtu;
	in.hop = hop;
	memset(&x, 0x55, sizeof(x));
	assert_int_equal(explain_path(&in, &x, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
	assert_int_equal(x.n, 0);
	assert_string_equal(x.summary, "");
	/* no err buffer: still refused, nothing written */
	assert_int_equal(explain_path(&in, &x, NULL, 0), -1);
}

static void
test_bad_input(void **state)
{
	struct explain	 x;
	char		 err[256];

	(void)state;
	expect_bad(V4, 1500, 0, 0, "PMTU 0 is not in 1..65535");
	expect_bad(V4, 1500, -5, 0, "PMTU -5 is not in 1..65535");
	expect_bad(V4, 1500, 1501, 0, "PMTU 1501 is above the local MTU 1500");
	expect_bad(V4, 65536, 65536, 0, "PMTU 65536 is not in 1..65535");
	expect_bad(0, 1500, 1400, 0, "family must be AF_INET or AF_INET6, "
	    "not 0");
	expect_bad(V6, 1500, 1279, 0, "PMTU 1279 is below the IPv6 minimum "
	    "1280");
	expect_bad(V4, 1500, 67, 0, "PMTU 67 is below the IPv4 minimum 68");
	expect_bad(V4, 0, 1400, 0, "local MTU 0 is not in 1..65536");
	expect_bad(V4, 65537, 1400, 0, "local MTU 65537 is not in 1..65536");
	expect_bad(V4, 1500, 1400, -1, "hop -1 (MTU 0) is negative");
	assert_int_equal(explain_path(NULL, &x, err, sizeof(err)), -1);
	assert_string_equal(err, "no input");

	/* the smallest IPv4 path is fine */
	run(V4, 1500, 68, &x);
	assert_int_equal(x.n, 0);
}

static void
test_from_result(void **state)
{
	struct result_hop hops[3];
	struct result	 r;
	struct explain	 x;
	char		 err[256] = "";

	(void)state;
	result_init(&r, "198.18.3.2");
	assert_int_equal(explain_result(&r, &x, err, sizeof(err)), -1);
	assert_string_equal(err, "the finding has no PMTU or local MTU to "
	    "explain");

	r.family = V4;
	r.local_mtu = 1500;
	r.pmtu = 1454;
	memset(hops, 0, sizeof(hops));
	hops[0].ttl = 1;
	hops[0].mtu = 1500;
	assert_int_equal(addr_parse(&hops[0].address, "198.18.1.1"), 0);
	hops[1].ttl = 2;		/* silent: no address, no MTU */
	hops[2].ttl = 3;
	hops[2].mtu = 1454;
	assert_int_equal(addr_parse(&hops[2].address, "198.18.3.1"), 0);
	assert_int_equal(result_set_hops(&r, hops, 3), 0);
	r.walked = 1;
	assert_int_equal(explain_result(&r, &x, err, sizeof(err)), 0);
	assert_int_equal(x.in.hop, 3);
	assert_int_equal(x.in.hop_mtu, 1454);
	assert_true(addr_eq(&x.in.hop_address, &hops[2].address));
	assert_string_equal(x.c[0].name, "PPPoE over L2TP (NTT FLET'S)");

	/* not walked: hop unknown */
	r.walked = 0;
	assert_int_equal(explain_result(&r, &x, err, sizeof(err)), 0);
	assert_int_equal(x.in.hop, 0);
	result_clear(&r);
}

struct tunwant {
	const char	*name;
	int		 overhead, mtu, v6;
};

static void
expect_advice(int pmtu, int family, int mss4, int mss6, int wg,
    const char *ipsec, int inner, int imss4, int imss6,
    const struct tunwant *t, unsigned nt)
{
	struct explain_advice a;
	unsigned	 i;

	assert_int_equal(explain_advise(pmtu, family, &a, NULL, 0), 0);
	assert_int_equal(a.pmtu, pmtu);
	assert_int_equal(a.family, family);
	assert_int_equal(a.tcp_mss_v4, mss4);
	assert_int_equal(a.tcp_mss_v6, mss6);
	assert_int_equal(a.wireguard_mtu, wg);
	if (ipsec == NULL)
		assert_null(a.ipsec_name);
	else
		assert_string_equal(a.ipsec_name, ipsec);
	assert_int_equal(a.ipsec_inner_mtu, inner);
	assert_int_equal(a.ipsec_tcp_mss_v4, imss4);
	assert_int_equal(a.ipsec_tcp_mss_v6, imss6);
	assert_int_equal(a.ntunnels, nt);
	for (i = 0; i < nt; i++) {
		assert_string_equal(a.tunnels[i].name, t[i].name);
		assert_int_equal(a.tunnels[i].overhead, t[i].overhead);
		assert_int_equal(a.tunnels[i].mtu, t[i].mtu);
		assert_int_equal(a.tunnels[i].carries_ipv6, t[i].v6);
	}
}

#define NT(t)	(sizeof(t) / sizeof(t[0]))

static void
test_advise(void **state)
{
	static const struct tunwant t1500[] = {
		{ "GRE over IPv4", 24, 1476, 1 },
		{ "IPIP / 6in4", 20, 1480, 1 },
		{ "VXLAN / Geneve over IPv4", 50, 1450, 1 },
		{ "WireGuard over IPv4", 60, 1440, 1 },
		{ ESP4, 62, 1438, 1 },
		{ "DTLS VPN client", 73, 1427, 1 },
		{ "TLS VPN client (over TCP)", 82, 1418, 1 },
	}, t1492[] = {
		{ "GRE over IPv4", 24, 1468, 1 },
		{ "IPIP / 6in4", 20, 1472, 1 },
		{ "VXLAN / Geneve over IPv4", 50, 1442, 1 },
		{ "WireGuard over IPv4", 60, 1432, 1 },
		{ ESP4, 70, 1422, 1 },
		{ "DTLS VPN client", 73, 1419, 1 },
		{ "TLS VPN client (over TCP)", 82, 1410, 1 },
	}, t1454[] = {
		{ "GRE over IPv4", 24, 1430, 1 },
		{ "IPIP / 6in4", 20, 1434, 1 },
		{ "VXLAN / Geneve over IPv4", 50, 1404, 1 },
		{ "WireGuard over IPv4", 60, 1394, 1 },
		{ ESP4, 64, 1390, 1 },
		{ "DTLS VPN client", 73, 1381, 1 },
		{ "TLS VPN client (over TCP)", 82, 1372, 1 },
	}, t1280[] = {
		{ "GRE over IPv6", 44, 1236, 0 },
		{ "IPv4/IPv6 in IPv6", 40, 1240, 0 },
		{ "IPv4/IPv6 in IPv6 with encapsulation limit", 48, 1232, 0 },
		{ "VXLAN / Geneve over IPv6", 70, 1210, 0 },
		{ "WireGuard over IPv6", 80, 1200, 0 },
		{ ESP6, 82, 1198, 0 },
		{ "DTLS VPN client", 73, 1207, 0 },
		{ "TLS VPN client (over TCP)", 82, 1198, 0 },
	}, t600[] = {
		{ "GRE over IPv4", 24, 576, 0 },
		{ "IPIP / 6in4", 20, 580, 0 },
	};

	(void)state;
	expect_advice(1500, V4, 1460, -1, 1440, ESP4, 1438, 1398, 1378,
	    t1500, NT(t1500));
	expect_advice(1492, V4, 1452, -1, 1432, ESP4, 1422, 1382, 1362,
	    t1492, NT(t1492));
	expect_advice(1454, V4, 1414, -1, 1394, ESP4, 1390, 1350, 1330,
	    t1454, NT(t1454));
	expect_advice(1280, V6, -1, 1220, 1200, ESP6, 1198, 1158, -1,
	    t1280, NT(t1280));
	/* only rows of at least 576 are listed: no WireGuard, no ESP */
	expect_advice(600, V4, 560, -1, -1, NULL, -1, -1, -1, t600, NT(t600));
	expect_advice(68, V4, 28, -1, -1, NULL, -1, -1, -1, NULL, 0);
}

static void
test_advise_bad(void **state)
{
	struct explain_advice a;
	char		 err[256];

	(void)state;
	assert_int_equal(explain_advise(67, V4, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "PMTU 67 is not in 68..65535 for IPv4");
	assert_int_equal(a.ntunnels, 0);
	assert_int_equal(a.tcp_mss_v4, -1);
	assert_int_equal(explain_advise(1279, V6, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "PMTU 1279 is not in 1280..65535 for IPv6");
	assert_int_equal(explain_advise(65536, V4, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "PMTU 65536 is not in 68..65535 for IPv4");
	assert_int_equal(explain_advise(0, V4, &a, err, sizeof(err)), -1);
	assert_int_equal(explain_advise(1500, 0, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "family must be AF_INET or AF_INET6, not 0");
	assert_int_equal(explain_advise(1500, 0, &a, NULL, 0), -1);
}

static void
test_advice_format(void **state)
{
	struct explain_advice a;
	char		 buf[2048];

	(void)state;
	assert_int_equal(explain_advise(1454, V4, &a, NULL, 0), 0);
	explain_advice_format(&a, buf, sizeof(buf));
	assert_string_equal(buf,
	    "TCP MSS clamp (IPv4): 1414\n"
	    "WireGuard interface: 1394\n"
	    ESP4 ": inner MTU 1390, TCP MSS 1350 (1330 for IPv6 inside)\n"
	    "Tunnel interface MTUs over this path:\n"
	    "  GRE over IPv4: 1430\n"
	    "  IPIP / 6in4: 1434\n"
	    "  VXLAN / Geneve over IPv4: 1404\n"
	    "  WireGuard over IPv4: 1394\n"
	    "  " ESP4 ": 1390\n"
	    "  DTLS VPN client: 1381\n"
	    "  TLS VPN client (over TCP): 1372\n");

	assert_int_equal(explain_advise(1280, V6, &a, NULL, 0), 0);
	explain_advice_format(&a, buf, sizeof(buf));
	assert_string_equal(buf,
	    "TCP MSS clamp (IPv6): 1220\n"
	    "WireGuard interface: 1200\n"
	    ESP6 ": inner MTU 1198, TCP MSS 1158\n"
	    "Tunnel interface MTUs over this path:\n"
	    "  GRE over IPv6: 1236 (IPv4 only: below 1280)\n"
	    "  IPv4/IPv6 in IPv6: 1240 (IPv4 only: below 1280)\n"
	    "  IPv4/IPv6 in IPv6 with encapsulation limit: 1232 "
	    "(IPv4 only: below 1280)\n"
	    "  VXLAN / Geneve over IPv6: 1210 (IPv4 only: below 1280)\n"
	    "  WireGuard over IPv6: 1200 (IPv4 only: below 1280)\n"
	    "  " ESP6 ": 1198 (IPv4 only: below 1280)\n"
	    "  DTLS VPN client: 1207 (IPv4 only: below 1280)\n"
	    "  TLS VPN client (over TCP): 1198 (IPv4 only: below 1280)\n");

	assert_int_equal(explain_advise(68, V4, &a, NULL, 0), 0);
	explain_advice_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "TCP MSS clamp (IPv4): 28\n");
}

static void
test_advice_json(void **state)
{
	struct explain_advice a;
	char		*s;

	(void)state;
	assert_int_equal(explain_advise(1280, V6, &a, NULL, 0), 0);
	s = dump(explain_advice_to_json(&a));
	assert_string_equal(s, "{\"pmtu\":1280,\"family\":6,"
	    "\"tcp_mss_v4\":null,\"tcp_mss_v6\":1220,\"wireguard_mtu\":1200,"
	    "\"ipsec\":{\"name\":\"" ESP6 "\",\"inner_mtu\":1198,"
	    "\"tcp_mss_v4\":1158,\"tcp_mss_v6\":null},\"tunnels\":["
	    "{\"name\":\"GRE over IPv6\",\"overhead\":44,\"mtu\":1236,"
	    "\"carries_ipv6\":false},"
	    "{\"name\":\"IPv4/IPv6 in IPv6\",\"overhead\":40,\"mtu\":1240,"
	    "\"carries_ipv6\":false},"
	    "{\"name\":\"IPv4/IPv6 in IPv6 with encapsulation limit\","
	    "\"overhead\":48,\"mtu\":1232,\"carries_ipv6\":false},"
	    "{\"name\":\"VXLAN / Geneve over IPv6\",\"overhead\":70,"
	    "\"mtu\":1210,\"carries_ipv6\":false},"
	    "{\"name\":\"WireGuard over IPv6\",\"overhead\":80,\"mtu\":1200,"
	    "\"carries_ipv6\":false},"
	    "{\"name\":\"" ESP6 "\",\"overhead\":82,\"mtu\":1198,"
	    "\"carries_ipv6\":false},"
	    "{\"name\":\"DTLS VPN client\",\"overhead\":73,\"mtu\":1207,"
	    "\"carries_ipv6\":false},"
	    "{\"name\":\"TLS VPN client (over TCP)\",\"overhead\":82,"
	    "\"mtu\":1198,\"carries_ipv6\":false}]}");
	free(s);

	assert_int_equal(explain_advise(68, V4, &a, NULL, 0), 0);
	s = dump(explain_advice_to_json(&a));
	assert_string_equal(s, "{\"pmtu\":68,\"family\":4,\"tcp_mss_v4\":28,"
	    "\"tcp_mss_v6\":null,\"wireguard_mtu\":null,\"ipsec\":null,"
	    "\"tunnels\":[]}");
	free(s);
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_every_row_tested),
		cmocka_unit_test(test_esp_every_underlay),
		cmocka_unit_test(test_esp_documented_steps),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_nothing_matches),
		cmocka_unit_test(test_near_only),
		cmocka_unit_test(test_pmtu_is_local),
		cmocka_unit_test(test_v6_minimum),
		cmocka_unit_test(test_jumbo),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_from_result),
		cmocka_unit_test(test_advise),
		cmocka_unit_test(test_advise_bad),
		cmocka_unit_test(test_advice_format),
		cmocka_unit_test(test_advice_json),
	};
	struct CMUnitTest tests[NROWCASES + sizeof(fixed) / sizeof(fixed[0])];
	size_t	 i, n = 0;

	/* one named test per table row */
	for (i = 0; i < NROWCASES; i++) {
		memset(&tests[n], 0, sizeof(tests[n]));
		tests[n].name = rowcases[i].name;
		tests[n].test_func = test_row;
		tests[n].initial_state = (void *)(uintptr_t)&rowcases[i];
		n++;
	}
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("explain", tests, n, NULL, NULL);
}
