/* SPDX-License-Identifier: ISC */
/*
 * "Explain the path": which encapsulations turn the local MTU into the
 * path MTU that was found, and what to configure for that path.  Pure
 * and table-driven: the figures come from /work/shared/domain.md (and,
 * where marked in explain.c, from header sizes in the RFCs), so a user
 * can check every number against the arithmetic printed with it.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>
#include <jansson.h>

#include "addr.h"
#include "result.h"

#define EXPLAIN_MAX		5	/* candidates kept: more is noise */
#define EXPLAIN_NEAR		8	/* bytes a near match may leave over */
#define EXPLAIN_PARTSLEN	128
#define EXPLAIN_TEXTLEN		192	/* room for a PARTSLEN sum and more */
#define EXPLAIN_MAXTUNNELS	24	/* >= rows of the encapsulation table */
#define EXPLAIN_STANDARD	1500	/* Ethernet: the other underlay tried */

/*
 * One encapsulation: tunnel MTU = underlay MTU - overhead.  For IPsec
 * ESP (esp set) overhead is the fixed part only; the encrypted part
 * (inner packet + 2) is padded to a multiple of 16, so the largest
 * inner packet is ((underlay - (overhead - 2)) / 16) * 16 - 2.
 */
struct explain_encap {
	const char	*name;
	int		 overhead;
	const char	*parts;		/* the overhead as a sum, for people */
	int		 payload;	/* AF_INET: carries IPv4 only; 0: both */
	int		 outer;		/* underlay family; 0: either */
	int		 tunnel;	/* advise lists it: runs over an IP path
					   (not an ISP access encapsulation) */
	int		 esp;		/* the ESP padding rule applies */
	int		 known[2];	/* MTUs it gives in the field; 0 ends */
};

/* A link MTU seen in real networks, matched as an absolute value. */
struct explain_link {
	const char	*name;
	int		 mtu;
	int		 payload;	/* AF_INET6: only an IPv6 path; 0: both */
};

/* The tables, in ranking order for ties. */
const struct explain_encap *explain_encaps(size_t *n);
const struct explain_link *explain_links(size_t *n);

/* Largest inner packet ESP carries over an underlay; -1 if none. */
int		 explain_esp_inner(const struct explain_encap *, int underlay);

struct explain_input {
	int		 local_mtu;	/* 1..65536 (loopback is 65536) */
	int		 pmtu;		/* >= 68 (IPv4) / 1280 (IPv6), <= local */
	int		 family;	/* AF_INET / AF_INET6: the path's */
	/* From the walk: the first hop whose MTU < local_mtu. */
	int		 hop;		/* 0: unknown */
	struct addr	 hop_address;	/* unset: unknown */
	int		 hop_mtu;	/* that hop's MTU; 0: unknown */
};

enum explain_kind {
	EXPLAIN_NONE = 1,	/* pmtu == local: nothing in between */
	EXPLAIN_ENCAP,		/* underlay - overhead */
	EXPLAIN_LINK,		/* a known link MTU */
};

struct explain_candidate {
	enum explain_kind kind;
	const char	*name;		/* static */
	int		 overhead;	/* underlay - mtu; -1 (null) for a link */
	int		 underlay;	/* local_mtu or 1500; -1 (null): a link */
	int		 mtu;		/* what this candidate gives */
	int		 difference;	/* mtu - pmtu: 0 exact, else bytes the
					   candidate leaves unexplained */
	int		 exact;
	int		 well_known;	/* mtu is a value seen in the field */
	int		 score;
	char		 parts[EXPLAIN_PARTSLEN];	/* "PPPoE 6 + PPP 2" */
	char		 arithmetic[EXPLAIN_TEXTLEN];
			/* "1500 - 8 (PPPoE 6 + PPP 2) = 1492" */
};

struct explain {
	struct explain_input in;
	unsigned	 n;
	struct explain_candidate c[EXPLAIN_MAX];
	char		 summary[2 * EXPLAIN_TEXTLEN];	/* one line */
};

/*
 * Ranks what explains in->pmtu, best first:
 *  - pmtu == local_mtu (or 65535 under a 65536 loopback): the single
 *    candidate "no encapsulation".
 *  - each encapsulation over the local MTU and over 1500 (when local
 *    differs; a jumbo host reaching the Internet), one candidate per
 *    row (its best underlay); each known link MTU below local_mtu.
 *    Rows that cannot carry the path's family are skipped (DS-Lite and
 *    MAP-E carry IPv4 only; the IPv6 minimum is for IPv6 paths).
 *  - exact (mtu == pmtu): score 100 when the value is well known, 80
 *    for an arithmetic coincidence; 1 less over 1500 rather than the
 *    measured local MTU.  Near: pmtu < mtu <= pmtu + 8, score
 *    40 - 4 * difference.  A candidate below pmtu is impossible (the
 *    path carried more than it allows) and is never listed.
 *  - ties keep table order: encapsulations, then links.
 * No candidate: n = 0 and the summary says so with the raw difference
 * ("local_mtu - pmtu = 1500 - 1337 = 163 bytes").
 * Returns 0, or -1 with a message in err for bad input (pmtu <= 0, pmtu
 * above local_mtu or 65535, below the family's minimum, family neither
 * AF_INET nor AF_INET6, hop < 0); then out->n is 0.
 */
int		 explain_path(const struct explain_input *, struct explain *out,
		    char *err, size_t errlen);
/*
 * The same for a finding: its local MTU, PMTU, family and first hop
 * whose MTU is below the local MTU.  -1 (with err) when the finding has
 * no PMTU or local MTU.
 */
int		 explain_result(const struct result *, struct explain *out,
		    char *err, size_t errlen);

/*
 * {"local_mtu","pmtu","family":4|6,"summary",
 *  "drop":{"hop","address"|null,"mtu"|null}|null,
 *  "candidates":[{"name","kind":"none"|"encapsulation"|"link",
 *    "overhead"|null,"underlay"|null,"mtu","difference","exact",
 *    "well_known","score","arithmetic"}...]}
 */
json_t		*explain_to_json(const struct explain *);
/*
 * Lines for people, the first being the summary, e.g.
 * "PMTU 1454 = local 1500 - 46: PPPoE over L2TP (NTT FLET'S): IP 20 +
 *  UDP 8 + PPP 2 + L2TP 16 = 46 (exact)\n"
 * then "  or NAME: ARITHMETIC (exact)\n" for other exact candidates,
 * "  near: NAME: ARITHMETIC, N bytes above the PMTU\n" for near ones
 * only when nothing is exact (the JSON form keeps them all), and
 * "  the MTU drops on the link into hop 2 (198.18.2.1)\n" when the walk says where
 * (", to 1492" added when that hop's MTU is not the PMTU).
 */
void		 explain_format(const struct explain *, char *buf, size_t len);

struct explain_tunnel {
	const char	*name;		/* static */
	int		 overhead;	/* pmtu - mtu */
	int		 mtu;		/* give the tunnel interface this */
	int		 carries_ipv6;	/* mtu >= 1280 and the row carries it */
};

/*
 * Settings for a path of pmtu in family.  -1 means null.  A tunnel row
 * is listed when it runs over this family (outer) and its MTU is at
 * least 576, the size every IPv4 host must reassemble (RFC 791); below
 * 1280 it cannot carry IPv6 (RFC 8200), so carries_ipv6 is 0.
 */
struct explain_advice {
	int		 pmtu;
	int		 family;
	int		 tcp_mss_v4;	/* pmtu - 40 on an IPv4 path */
	int		 tcp_mss_v6;	/* pmtu - 60 on an IPv6 path */
	int		 wireguard_mtu;	/* pmtu - 60 (IPv4) / - 80 (IPv6) */
	const char	*ipsec_name;	/* the ESP row over this family */
	int		 ipsec_inner_mtu;	/* padding-aware; 1500 -> 1438 */
	int		 ipsec_tcp_mss_v4;	/* inner - 40; 1500 -> 1398 */
	int		 ipsec_tcp_mss_v6;	/* inner - 60 when inner >= 1280 */
	unsigned	 ntunnels;
	struct explain_tunnel tunnels[EXPLAIN_MAXTUNNELS];	/* table order */
};

/* 0, or -1 with err (pmtu below the family's minimum or above 65535,
 * family neither AF_INET nor AF_INET6); then out->ntunnels is 0. */
int		 explain_advise(int pmtu, int family,
		    struct explain_advice *out, char *err, size_t errlen);
/*
 * {"pmtu","family":4|6,"tcp_mss_v4","tcp_mss_v6","wireguard_mtu",
 *  "ipsec":{"name","inner_mtu","tcp_mss_v4","tcp_mss_v6"}|null,
 *  "tunnels":[{"name","overhead","mtu","carries_ipv6"}...]}
 */
json_t		*explain_advice_to_json(const struct explain_advice *);
/*
 * "TCP MSS clamp (IPv4): 1414\nWireGuard interface: 1394\n
 *  IPsec ESP tunnel AES-CBC + HMAC-SHA256: inner MTU 1390, TCP MSS 1350
 *  (1330 for IPv6 inside)\nTunnel interface MTUs over this path:\n
 *  "  GRE over IPv4: 1430\n..."
 */
void		 explain_advice_format(const struct explain_advice *,
		    char *buf, size_t len);

#endif
