/* SPDX-License-Identifier: ISC */
/*
 * Probe packets: building them, parsing what the raw sockets return, and
 * matching ICMP answers strictly against the probe they quote (RFC 5927).
 *
 * A probe is identified by (proto, id, seq) and carries an 8-byte random
 * cookie as the first payload bytes.  ICMP echo: id = echo identifier,
 * seq = echo sequence.  UDP: id = source port, seq = destination port.
 * An ICMP error must quote at least the transport header and the cookie;
 * shorter quotes are rejected as truncated.
 */
#ifndef PKT_H
#define PKT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"

#define PKT_COOKIE_LEN	8
#define PKT_IP4_HDR	20
#define PKT_IP6_HDR	40
#define PKT_L4_HDR	8	/* ICMP echo header and UDP header alike */
#define PKT_MIN_V4	68	/* RFC 791 */
#define PKT_MIN_V6	1280	/* RFC 8200 */
#define PKT_MAX		65535

enum pkt_proto {
	PKT_ICMP = 1,		/* ICMP or ICMPv6 echo request */
	PKT_UDP = 2,		/* UDP to a closed high port */
};

struct pkt_probe {
	int		 family;	/* AF_INET or AF_INET6 */
	enum pkt_proto	 proto;
	struct addr	 src;		/* may be unset: then not checked */
	struct addr	 dst;
	uint16_t	 id;
	uint16_t	 seq;
	uint8_t		 cookie[PKT_COOKIE_LEN];
	unsigned	 size;		/* whole IP packet, header included */
	/*
	 * The flow: ICMP echo requests carry checksum cksum whatever their
	 * sequence, cookie and size when hold_cksum is set (two payload
	 * bytes after the cookie absorb the difference; an ICMPv6 one needs
	 * src); label is the IPv6 flow label (0: the kernel's choice).
	 */
	int		 hold_cksum;
	uint16_t	 cksum;
	uint32_t	 label;
	unsigned	 ifindex;	/* leave by this interface; 0: any */
};

/* Where the two bytes that hold an echo's checksum lie, from its start. */
#define PKT_CKSUM_FIX	(PKT_L4_HDR + PKT_COOKIE_LEN)

/* What a received packet says, once parsed. */
enum pkt_kind {
	PKT_ECHO_REPLY = 1,	/* destination answered an ICMP probe */
	PKT_PORT_UNREACH,	/* destination answered a UDP probe */
	PKT_TOO_BIG,		/* frag needed (v4 3/4) or packet too big (v6 2) */
	PKT_TIME_EXCEEDED,	/* a hop answered: TTL / hop limit exceeded */
	PKT_UNREACH,		/* any other destination unreachable code */
};

struct pkt_reply {
	enum pkt_kind	 kind;
	int		 family;
	struct addr	 from;		/* sender of the ICMP message */
	int		 type;
	int		 code;
	uint32_t	 mtu;		/* PKT_TOO_BIG: announced MTU, 0 if none */
	/* The probe this answers, from the echo or the quoted packet. */
	enum pkt_proto	 proto;
	struct addr	 qsrc;		/* unset for echo replies */
	struct addr	 qdst;		/* for echo replies: == from */
	uint16_t	 id;
	uint16_t	 seq;
	uint8_t		 cookie[PKT_COOKIE_LEN];
	unsigned	 qsize;		/* size of the probe as quoted/echoed */
};

/* Why a packet was not taken as an answer; counted by reason. */
enum pkt_ignore {
	PKT_OK = 0,
	PKT_IGN_SHORT,		/* too short for the headers it claims */
	PKT_IGN_MALFORMED,	/* bad IP version, header length, lengths */
	PKT_IGN_CHECKSUM,	/* ICMPv4 checksum wrong */
	PKT_IGN_TYPE,		/* an ICMP type we do not use */
	PKT_IGN_NOT_OURS,	/* quotes a packet that is not a probe */
	PKT_IGN_TRUNCATED,	/* quote too short to carry the cookie */
	PKT_IGN_MISMATCH,	/* addresses, protocol or ids differ */
	PKT_IGN_COOKIE,		/* cookie differs */
	PKT_IGN_MTU,		/* announced MTU implausible */
	PKT_IGN_UNKNOWN,	/* matches no probe in flight */
	PKT_IGN_MAX
};

/*
 * Fills buf with what goes to a raw socket after the IP header (the
 * kernel adds that): ICMP/ICMPv6 echo or UDP header, cookie, padding,
 * so the IP packet is p->size bytes.  ICMPv4 checksum is computed;
 * ICMPv6 is left to the kernel; UDP checksum is computed over the
 * pseudo-header when p->src is set, else 0 (v4: "no checksum"; v6:
 * the driver has the kernel fill it via IPV6_CHECKSUM).
 * Returns the length written or -1 if size or buflen does not fit.
 */
ssize_t		 pkt_build(const struct pkt_probe *, uint8_t *buf, size_t buflen);

/*
 * Parses one packet as a raw socket returns it.  v4: buf starts with the
 * IPv4 header.  v6: buf starts with the ICMPv6 header (the kernel strips
 * the IPv6 header) and from is the sender.  Fills r on PKT_OK.
 */
enum pkt_ignore	 pkt_parse4(const uint8_t *buf, size_t len,
		    struct pkt_reply *r);
enum pkt_ignore	 pkt_parse6(const uint8_t *buf, size_t len,
		    const struct addr *from, struct pkt_reply *r);

/*
 * Is r an answer to p?  Checks protocol, id, seq, addresses (quoted dst,
 * quoted src when both known, echo sender), cookie, the quoted size, and
 * for PKT_TOO_BIG that the MTU is 0 or min <= mtu < p->size.
 * Only PKT_ECHO_REPLY and PKT_PORT_UNREACH must come from p->dst.
 */
enum pkt_ignore	 pkt_match(const struct pkt_probe *, const struct pkt_reply *);

const char	*pkt_ignore_name(enum pkt_ignore);	/* "short", "checksum", ... */
unsigned	 pkt_min_mtu(int family);		/* 68 or 1280 */
/* Largest RFC 1191 plateau strictly below size, 0 if none. */
unsigned	 pkt_plateau_below(unsigned size);
uint16_t	 pkt_cksum(const void *, size_t);

#endif
