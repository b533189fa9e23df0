/* SPDX-License-Identifier: ISC */
/*
 * "Explain the path" and "advise": pure arithmetic over two tables.
 * Every overhead is from /work/shared/domain.md unless its comment
 * gives the header sizes (from the RFCs) it adds up.
 */
#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "text.h"

#define IP_MAX		65535	/* largest IP packet */
#define LOOPBACK_MTU	65536	/* Linux lo: one more than IP_MAX */
#define V4_MIN		68	/* RFC 791: every link */
#define V4_REASSEMBLE	576	/* RFC 791: every host reassembles this */
#define V6_MIN		1280	/* RFC 8200 */
#define ESP_BLOCK	16	/* AES-CBC block */
#define ESP_TRAILER	2	/* pad length + next header (RFC 4303) */

#define WIREGUARD	"WireGuard"	/* names of the rows advise reports */

#define SCORE_KNOWN	100
#define SCORE_EXACT	80
#define SCORE_NEAR	40

static const struct explain_encap encaps[] = {
	/* RFC 2516: 6-byte PPPoE header; RFC 1661: 2-byte PPP protocol. */
	{ "PPPoE", 8, "PPPoE 6 + PPP 2", 0, 0, 0, 0, { 1492 } },
	{ "PPPoE over L2TP (NTT FLET'S)", 46,
	    "IP 20 + UDP 8 + PPP 2 + L2TP 16", 0, 0, 0, 0, { 1454 } },
	{ "DS-Lite", 40, "IPv6 40", AF_INET, 0, 0, 0, { 1460 } },
	/* RFC 2473 4.1.1: the encapsulation limit option and its padding
	 * fill an 8-byte destination options header. */
	{ "DS-Lite with encapsulation limit", 48,
	    "IPv6 40 + encapsulation limit 8", AF_INET, 0, 0, 0, { 1452 } },
	{ "MAP-E", 40, "IPv6 40", AF_INET, 0, 0, 0, { 1460 } },
	/* RFC 2784: 4-byte GRE header without key or sequence number. */
	{ "GRE over IPv4", 24, "IPv4 20 + GRE 4", 0, AF_INET, 1, 0, { 0 } },
	/* Same GRE header under an IPv6 header of 40 (RFC 8200, 7676). */
	{ "GRE over IPv6", 44, "IPv6 40 + GRE 4", 0, AF_INET6, 1, 0, { 0 } },
	{ "IPIP / 6in4", 20, "IPv4 20", 0, AF_INET, 1, 0, { 0 } },
	{ "IPv4/IPv6 in IPv6", 40, "IPv6 40", 0, AF_INET6, 1, 0, { 0 } },
	{ "IPv4/IPv6 in IPv6 with encapsulation limit", 48,
	    "IPv6 40 + encapsulation limit 8", 0, AF_INET6, 1, 0, { 0 } },
	/* RFC 7348 / RFC 8926: outer IP + UDP 8 + an 8-byte VXLAN or
	 * option-less Geneve header + the inner Ethernet header 14. */
	{ "VXLAN / Geneve over IPv4", 50,
	    "IPv4 20 + UDP 8 + VXLAN 8 + Ethernet 14", 0, AF_INET, 1, 0,
	    { 0 } },
	{ "VXLAN / Geneve over IPv6", 70,
	    "IPv6 40 + UDP 8 + VXLAN 8 + Ethernet 14", 0, AF_INET6, 1, 0,
	    { 0 } },
	/* WireGuard data message: type 4 + receiver 4 + counter 8 +
	 * Poly1305 tag 16 = 32; 60 / 80 with the outer IP and UDP. */
	{ "WireGuard over IPv4", 60, "IPv4 20 + UDP 8 + WireGuard 32",
	    0, AF_INET, 1, 0, { 0 } },
	{ "WireGuard over IPv6", 80, "IPv6 40 + UDP 8 + WireGuard 32",
	    0, AF_INET6, 1, 0, { 1420 } },
	/* Fixed part; the padding is computed (explain_esp_inner()). */
	{ "IPsec ESP tunnel AES-CBC + HMAC-SHA256", 62,
	    "new IPv4 20 + ESP 8 + IV 16 + trailer 2 + ICV 16", 0, AF_INET,
	    1, 1, { 1438, 1390 } },
	/* RFC 4303 over IPv6: only the new IP header grows, to 40. */
	{ "IPsec ESP tunnel over IPv6 AES-CBC + HMAC-SHA256", 82,
	    "new IPv6 40 + ESP 8 + IV 16 + trailer 2 + ICV 16", 0, AF_INET6,
	    1, 1, { 0 } },
	{ "DTLS VPN client", 73, "DTLS 57 + vendor header 16, measured",
	    0, 0, 1, 0, { 0 } },
	{ "TLS VPN client (over TCP)", 82, "TLS over TCP 82, measured",
	    0, 0, 1, 0, { 0 } },
};
#define NENCAPS	(sizeof(encaps) / sizeof(encaps[0]))

_Static_assert(NENCAPS <= EXPLAIN_MAXTUNNELS, "EXPLAIN_MAXTUNNELS too small");

static const struct explain_link links[] = {
	{ "IPv6 minimum link MTU (RFC 8200)", 1280, AF_INET6 },
	{ "mobile carrier link", 1300, 0 },
	{ "DTLS VPN client TUN default (Linux)", 1370, 0 },
	{ "DTLS VPN client TUN default (Windows)", 1380, 0 },
	{ "WireGuard interface at its default MTU", 1420, 0 },
	{ "Ethernet", 1500, 0 },
	{ "jumbo frames (advised for research networks)", 9000, 0 },
	{ "jumbo frames (AWS EC2 inside a VPC)", 9001, 0 },
	{ "jumbo frames (research network, e.g. SINET)", 9140, 0 },
};
#define NLINKS	(sizeof(links) / sizeof(links[0]))

const struct explain_encap *
explain_encaps(size_t *n)
{
	*n = NENCAPS;
	return encaps;
}

const struct explain_link *
explain_links(size_t *n)
{
	*n = NLINKS;
	return links;
}

/* Appends to buf like snprintf, keeping track of the end. */
int
explain_esp_inner(const struct explain_encap *e, int underlay)
{
	int	 room;

	/* Everything but the trailer is fixed; the trailer rides with the
	 * inner packet in the padded, encrypted part. */
	room = underlay - (e->overhead - ESP_TRAILER);
	if (room < ESP_BLOCK)
		return -1;
	return room / ESP_BLOCK * ESP_BLOCK - ESP_TRAILER;
}

/* The MTU a row gives over an underlay; -1 if none. */
static int
encap_mtu(const struct explain_encap *e, int underlay)
{
	if (e->esp)
		return explain_esp_inner(e, underlay);
	return underlay - e->overhead > 0 ? underlay - e->overhead : -1;
}

static int
encap_known(const struct explain_encap *e, int mtu)
{
	size_t	 i;

	for (i = 0; i < sizeof(e->known) / sizeof(e->known[0]) &&
	    e->known[i] != 0; i++)
		if (e->known[i] == mtu)
			return 1;
	return 0;
}

static int
family_min(int family)
{
	return family == AF_INET6 ? V6_MIN : V4_MIN;
}

static const char *
family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static int
check_input(const struct explain_input *in, char *err, size_t errlen)
{
	if (in->family != AF_INET && in->family != AF_INET6) {
		text_error(err, errlen, "family must be AF_INET or AF_INET6, "
		    "not %d", in->family);
		return -1;
	}
	if (in->local_mtu <= 0 || in->local_mtu > LOOPBACK_MTU) {
		text_error(err, errlen, "local MTU %d is not in 1..%d",
		    in->local_mtu, LOOPBACK_MTU);
		return -1;
	}
	if (in->pmtu <= 0 || in->pmtu > IP_MAX) {
		text_error(err, errlen, "PMTU %d is not in 1..%d", in->pmtu,
		    IP_MAX);
		return -1;
	}
	if (in->pmtu > in->local_mtu) {
		text_error(err, errlen, "PMTU %d is above the local MTU %d",
		    in->pmtu, in->local_mtu);
		return -1;
	}
	if (in->pmtu < family_min(in->family)) {
		text_error(err, errlen, "PMTU %d is below the %s minimum %d",
		    in->pmtu, family_name(in->family),
		    family_min(in->family));
		return -1;
	}
	if (in->hop < 0 || in->hop_mtu < 0) {
		text_error(err, errlen, "hop %d (MTU %d) is negative", in->hop,
		    in->hop_mtu);
		return -1;
	}
	return 0;
}

/* Whether a row can be on a path of this family. */
static int
carries(int payload, int family)
{
	return payload == 0 || payload == family;
}

/*
 * Scores a candidate MTU against pmtu; 0 when it is no candidate.
 * Above pmtu by at most EXPLAIN_NEAR it is near: those bytes are left
 * unexplained.  Below pmtu it cannot be: the path carried more.
 */
static int
score_of(int mtu, int pmtu, int local_mtu, int known)
{
	int	 d = mtu - pmtu;

	if (mtu <= 0 || mtu >= local_mtu || d < 0 || d > EXPLAIN_NEAR)
		return 0;
	if (d == 0)
		return known ? SCORE_KNOWN : SCORE_EXACT;
	return SCORE_NEAR - 4 * d;
}

/* The overhead as written for people: the fixed sum, plus for ESP any
 * bytes of the underlay the 16-byte blocks leave unused. */
static void
encap_parts(const struct explain_encap *e, int underlay, int mtu,
    char *buf, size_t len)
{
	int	 unused = underlay - mtu - e->overhead;

	if (e->esp && unused > 0)
		snprintf(buf, len, "%s + %d unused: inner + 2 padded to %d",
		    e->parts, unused, ESP_BLOCK);
	else
		snprintf(buf, len, "%s", e->parts);
}

static void
cand_encap(struct explain_candidate *c, const struct explain_encap *e,
    int underlay, int mtu, int pmtu, int score)
{
	memset(c, 0, sizeof(*c));
	c->kind = EXPLAIN_ENCAP;
	c->name = e->name;
	c->overhead = underlay - mtu;
	c->underlay = underlay;
	c->mtu = mtu;
	c->difference = mtu - pmtu;
	c->exact = mtu == pmtu;
	c->well_known = encap_known(e, mtu);
	c->score = score;
	encap_parts(e, underlay, mtu, c->parts, sizeof(c->parts));
	snprintf(c->arithmetic, sizeof(c->arithmetic), "%d - %d (%s) = %d",
	    underlay, c->overhead, c->parts, mtu);
}

static void
cand_link(struct explain_candidate *c, const struct explain_link *l,
    int pmtu, int score)
{
	memset(c, 0, sizeof(*c));
	c->kind = EXPLAIN_LINK;
	c->name = l->name;
	c->overhead = -1;
	c->underlay = -1;
	c->mtu = l->mtu;
	c->difference = l->mtu - pmtu;
	c->exact = l->mtu == pmtu;
	c->well_known = 1;
	c->score = score;
	snprintf(c->arithmetic, sizeof(c->arithmetic),
	    "a link or tunnel of %d bytes on the path", l->mtu);
}

/* Keeps the best EXPLAIN_MAX; the earlier of equal scores stays first. */
static void
keep(struct explain *x, const struct explain_candidate *c)
{
	unsigned	 i;

	for (i = x->n; i > 0 && x->c[i - 1].score < c->score; i--)
		if (i < EXPLAIN_MAX)
			x->c[i] = x->c[i - 1];
	if (i >= EXPLAIN_MAX)
		return;
	x->c[i] = *c;
	if (x->n < EXPLAIN_MAX)
		x->n++;
}

/* A row's best candidate over the local MTU and the standard 1500. */
static void
try_encap(struct explain *x, const struct explain_encap *e)
{
	const struct explain_input *in = &x->in;
	struct explain_candidate c;
	int	 under[2], nunder = 0, i, mtu, s, best = 0, best_under = 0;

	under[nunder++] = in->local_mtu;
	if (in->local_mtu != EXPLAIN_STANDARD)
		under[nunder++] = EXPLAIN_STANDARD;
	for (i = 0; i < nunder; i++) {
		mtu = encap_mtu(e, under[i]);
		s = score_of(mtu, in->pmtu, in->local_mtu,
		    encap_known(e, mtu));
		/* The measured local MTU beats an assumed 1500. */
		if (s > 0 && i > 0 && s >= SCORE_EXACT)
			s--;
		if (s > best) {
			best = s;
			best_under = under[i];
		}
	}
	if (best == 0)
		return;
	cand_encap(&c, e, best_under, encap_mtu(e, best_under), in->pmtu,
	    best);
	keep(x, &c);
}

static void
try_link(struct explain *x, const struct explain_link *l)
{
	struct explain_candidate c;
	int	 s;

	s = score_of(l->mtu, x->in.pmtu, x->in.local_mtu, 1);
	if (s == 0)
		return;
	cand_link(&c, l, x->in.pmtu, s);
	keep(x, &c);
}

static void
explain_none(struct explain *x)
{
	struct explain_candidate *c = &x->c[0];

	memset(c, 0, sizeof(*c));
	c->kind = EXPLAIN_NONE;
	c->name = "no encapsulation";
	c->underlay = x->in.local_mtu;
	c->mtu = x->in.pmtu;
	c->overhead = c->underlay - c->mtu;
	c->exact = 1;
	c->well_known = 1;
	c->score = SCORE_KNOWN;
	snprintf(c->arithmetic, sizeof(c->arithmetic),
	    "the path carries the local MTU %d", x->in.local_mtu);
	x->n = 1;
}

/* "PMTU 1454 = local 1500 - 46: NAME: PARTS = 46 (exact)" */
static void
summary_exact(const struct explain *x, char *buf, size_t len)
{
	const struct explain_candidate *c = &x->c[0];
	size_t	 off = 0;

	if (c->kind == EXPLAIN_NONE) {
		text_append(buf, len, &off, "PMTU %d = local %d: %s: %s",
		    c->mtu,
		    c->underlay, c->name, "the path carries the local MTU");
		return;
	}
	if (c->kind == EXPLAIN_LINK) {
		text_append(buf, len, &off, "PMTU %d: %s: %s (exact)", c->mtu,
		    c->name, c->arithmetic);
		return;
	}
	text_append(buf, len, &off, "PMTU %d = %s %d - %d: %s: %s", c->mtu,
	    c->underlay == x->in.local_mtu ? "local" : "Ethernet",
	    c->underlay, c->overhead, c->name, c->parts);
	if (strchr(c->parts, '+') != NULL)
		text_append(buf, len, &off, " = %d", c->overhead);
	text_append(buf, len, &off, " (exact)");
}

static void
summarize(struct explain *x)
{
	const struct explain_input *in = &x->in;
	char	*buf = x->summary;
	size_t	 len = sizeof(x->summary), off = 0;

	if (x->n > 0 && x->c[0].exact) {
		summary_exact(x, buf, len);
		return;
	}
	text_append(buf, len, &off, "PMTU %d: no known encapsulation explains "
	    "it%s (local_mtu - pmtu = %d - %d = %d bytes)", in->pmtu,
	    x->n > 0 ? " exactly" : "", in->local_mtu, in->pmtu,
	    in->local_mtu - in->pmtu);
}

int
explain_path(const struct explain_input *in, struct explain *out,
    char *err, size_t errlen)
{
	size_t	 i;

	memset(out, 0, sizeof(*out));
	if (in == NULL) {
		text_error(err, errlen, "no input");
		return -1;
	}
	if (check_input(in, err, errlen) == -1)
		return -1;
	out->in = *in;
	if (in->pmtu == in->local_mtu ||
	    (in->local_mtu == LOOPBACK_MTU && in->pmtu == IP_MAX))
		explain_none(out);
	else {
		for (i = 0; i < NENCAPS; i++)
			if (carries(encaps[i].payload, in->family))
				try_encap(out, &encaps[i]);
		for (i = 0; i < NLINKS; i++)
			if (carries(links[i].payload, in->family))
				try_link(out, &links[i]);
	}
	summarize(out);
	return 0;
}

int
explain_result(const struct result *r, struct explain *out, char *err,
    size_t errlen)
{
	struct explain_input in;
	unsigned	 i;

	memset(out, 0, sizeof(*out));
	if (r == NULL || r->pmtu <= 0 || r->local_mtu <= 0) {
		text_error(err, errlen, "the finding has no PMTU or local MTU "
		    "to explain");
		return -1;
	}
	memset(&in, 0, sizeof(in));
	in.local_mtu = r->local_mtu;
	in.pmtu = r->pmtu;
	in.family = r->family;
	for (i = 0; r->walked && i < r->nhops && r->hops != NULL; i++) {
		if (r->hops[i].mtu == 0 ||
		    r->hops[i].mtu >= (unsigned)r->local_mtu)
			continue;
		in.hop = (int)r->hops[i].ttl;
		in.hop_address = r->hops[i].address;
		in.hop_mtu = (int)r->hops[i].mtu;
		break;
	}
	return explain_path(&in, out, err, errlen);
}

static json_t *
int_or_null(int v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static const char *
kind_name(enum explain_kind k)
{
	switch (k) {
	case EXPLAIN_NONE:
		return "none";
	case EXPLAIN_ENCAP:
		return "encapsulation";
	case EXPLAIN_LINK:
		return "link";
	}
	return "?";
}

static json_t *
candidate_json(const struct explain_candidate *c)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:i, s:i, s:b, s:b, s:i, s:s}",
	    "name", c->name, "kind", kind_name(c->kind),
	    "overhead", int_or_null(c->overhead),
	    "underlay", int_or_null(c->underlay), "mtu", c->mtu,
	    "difference", c->difference, "exact", c->exact,
	    "well_known", c->well_known, "score", c->score,
	    "arithmetic", c->arithmetic);
}

static json_t *
drop_json(const struct explain_input *in)
{
	char	 abuf[ADDR_STRLEN];

	if (in->hop <= 0)
		return json_null();
	return json_pack("{s:i, s:o, s:o}", "hop", in->hop, "address",
	    addr_isset(&in->hop_address) ? json_string(addr_ntop(
	    &in->hop_address, abuf, sizeof(abuf))) : json_null(),
	    "mtu", in->hop_mtu > 0 ? json_integer(in->hop_mtu) : json_null());
}

json_t *
explain_to_json(const struct explain *x)
{
	json_t		*o, *a, *c;
	unsigned	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < x->n; i++) {
		if ((c = candidate_json(&x->c[i])) == NULL ||
		    json_array_append_new(a, c) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	o = json_pack("{s:i, s:i, s:i, s:s, s:o, s:o}",
	    "local_mtu", x->in.local_mtu, "pmtu", x->in.pmtu,
	    "family", addr_family_num(x->in.family), "summary", x->summary,
	    "drop", drop_json(&x->in), "candidates", a);
	return o;
}

void
explain_format(const struct explain *x, char *buf, size_t len)
{
	const struct explain_candidate *c;
	char		 abuf[ADDR_STRLEN];
	size_t		 off = 0;
	unsigned	 i;

	if (len == 0)
		return;
	buf[0] = '\0';
	text_append(buf, len, &off, "%s\n", x->summary);
	for (i = 0; i < x->n; i++) {
		c = &x->c[i];
		if (c->exact && i == 0)
			continue;
		if (c->exact)
			text_append(buf, len, &off, "  or %s: %s (exact)\n",
			    c->name, c->arithmetic);
		else if (!x->c[0].exact)
			text_append(buf, len, &off, "  near: %s: %s, %d byte%s "
			    "above the PMTU\n", c->name, c->arithmetic,
			    c->difference, c->difference == 1 ? "" : "s");
	}
	if (x->in.hop > 0) {
		/* Hop N is the first reached only by smaller packets. */
		text_append(buf, len, &off, "  the MTU drops on the link into "
		    "hop %d (%s)", x->in.hop, addr_isset(&x->in.hop_address) ?
		    addr_ntop(&x->in.hop_address, abuf, sizeof(abuf)) :
		    "address unknown");
		if (x->in.hop_mtu > 0 && x->in.hop_mtu != x->in.pmtu)
			text_append(buf, len, &off, ", to %d", x->in.hop_mtu);
		text_append(buf, len, &off, "\n");
	}
}

static void
advise_tunnel(struct explain_advice *a, const struct explain_encap *e)
{
	struct explain_tunnel *t;
	int	 mtu;

	mtu = encap_mtu(e, a->pmtu);
	if (mtu < V4_REASSEMBLE)
		return;
	t = &a->tunnels[a->ntunnels++];
	t->name = e->name;
	t->overhead = a->pmtu - mtu;
	t->mtu = mtu;
	t->carries_ipv6 = carries(e->payload, AF_INET6) && mtu >= V6_MIN;
	if (strncmp(e->name, WIREGUARD, strlen(WIREGUARD)) == 0)
		a->wireguard_mtu = mtu;
	if (e->esp) {
		a->ipsec_name = e->name;
		a->ipsec_inner_mtu = mtu;
		a->ipsec_tcp_mss_v4 = mtu - 40;
		a->ipsec_tcp_mss_v6 = mtu >= V6_MIN ? mtu - 60 : -1;
	}
}

int
explain_advise(int pmtu, int family, struct explain_advice *out,
    char *err, size_t errlen)
{
	size_t	 i;

	memset(out, 0, sizeof(*out));
	out->tcp_mss_v4 = out->tcp_mss_v6 = out->wireguard_mtu = -1;
	out->ipsec_inner_mtu = out->ipsec_tcp_mss_v4 = -1;
	out->ipsec_tcp_mss_v6 = -1;
	if (family != AF_INET && family != AF_INET6) {
		text_error(err, errlen, "family must be AF_INET or AF_INET6, "
		    "not %d", family);
		return -1;
	}
	if (pmtu < family_min(family) || pmtu > IP_MAX) {
		text_error(err, errlen, "PMTU %d is not in %d..%d for %s", pmtu,
		    family_min(family), IP_MAX, family_name(family));
		return -1;
	}
	out->pmtu = pmtu;
	out->family = family;
	/* TCP 20 + IPv4 20 / IPv6 40 */
	if (family == AF_INET)
		out->tcp_mss_v4 = pmtu - 40;
	else
		out->tcp_mss_v6 = pmtu - 60;
	for (i = 0; i < NENCAPS; i++)
		if (encaps[i].tunnel && (encaps[i].outer == 0 ||
		    encaps[i].outer == family))
			advise_tunnel(out, &encaps[i]);
	return 0;
}

json_t *
explain_advice_to_json(const struct explain_advice *a)
{
	json_t		*tun, *t, *ipsec;
	unsigned	 i;

	if ((tun = json_array()) == NULL)
		return NULL;
	for (i = 0; i < a->ntunnels; i++) {
		t = json_pack("{s:s, s:i, s:i, s:b}", "name",
		    a->tunnels[i].name, "overhead", a->tunnels[i].overhead,
		    "mtu", a->tunnels[i].mtu, "carries_ipv6",
		    a->tunnels[i].carries_ipv6);
		if (t == NULL || json_array_append_new(tun, t) == -1) {
			json_decref(tun);
			return NULL;
		}
	}
	if (a->ipsec_name == NULL)
		ipsec = json_null();
	else
		ipsec = json_pack("{s:s, s:i, s:i, s:o}", "name",
		    a->ipsec_name, "inner_mtu", a->ipsec_inner_mtu,
		    "tcp_mss_v4", a->ipsec_tcp_mss_v4, "tcp_mss_v6",
		    int_or_null(a->ipsec_tcp_mss_v6));
	return json_pack("{s:i, s:i, s:o, s:o, s:o, s:o, s:o}",
	    "pmtu", a->pmtu, "family", addr_family_num(a->family),
	    "tcp_mss_v4", int_or_null(a->tcp_mss_v4),
	    "tcp_mss_v6", int_or_null(a->tcp_mss_v6),
	    "wireguard_mtu", int_or_null(a->wireguard_mtu),
	    "ipsec", ipsec, "tunnels", tun);
}

void
explain_advice_format(const struct explain_advice *a, char *buf,
    size_t len)
{
	const struct explain_tunnel *t;
	size_t		 off = 0;
	unsigned	 i;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (a->tcp_mss_v4 >= 0)
		text_append(buf, len, &off, "TCP MSS clamp (IPv4): %d\n",
		    a->tcp_mss_v4);
	if (a->tcp_mss_v6 >= 0)
		text_append(buf, len, &off, "TCP MSS clamp (IPv6): %d\n",
		    a->tcp_mss_v6);
	if (a->wireguard_mtu >= 0)
		text_append(buf, len, &off, "WireGuard interface: %d\n",
		    a->wireguard_mtu);
	if (a->ipsec_name != NULL) {
		text_append(buf, len, &off, "%s: inner MTU %d, TCP MSS %d",
		    a->ipsec_name, a->ipsec_inner_mtu, a->ipsec_tcp_mss_v4);
		if (a->ipsec_tcp_mss_v6 >= 0)
			text_append(buf, len, &off, " (%d for IPv6 inside)",
			    a->ipsec_tcp_mss_v6);
		text_append(buf, len, &off, "\n");
	}
	if (a->ntunnels == 0)
		return;
	text_append(buf, len, &off, "Tunnel interface MTUs over this path:\n");
	for (i = 0; i < a->ntunnels; i++) {
		t = &a->tunnels[i];
		text_append(buf, len, &off, "  %s: %d%s\n", t->name, t->mtu,
		    t->carries_ipv6 ? "" : " (IPv4 only: below 1280)");
	}
}
