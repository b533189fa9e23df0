/* SPDX-License-Identifier: ISC */
/* The finding for one destination and family, and its JSON form. */
#ifndef RESULT_H
#define RESULT_H

#include <stdint.h>
#include <jansson.h>

#include "addr.h"
#include "method.h"
#include "pkt.h"

#define RESULT_DESTLEN	256
#define RESULT_ERRLEN	256
#define RESULT_MAXHOPS	64

enum result_state {
	RESULT_OK = 1,
	RESULT_UNREACHABLE,
	RESULT_ERROR,
	RESULT_BLACKHOLE,
	/* Of several equal-cost paths, some black-hole and some do not. */
	RESULT_PARTIAL_BLACKHOLE,
};

#define RESULT_MAXPATHS		16	/* paths kept per result */
#define RESULT_PATHHOPS		32	/* hops kept per path */

/*
 * One of several equal-cost paths, as one flow saw it (lib/multipath.h).
 * The flow identity fields that do not apply are 0.
 */
struct result_path {
	uint16_t	 sport;		/* UDP ports */
	uint16_t	 dport;
	uint16_t	 echo_id;	/* ICMP echo identifier */
	uint32_t	 label;		/* IPv6 flow label */
	int		 pmtu;		/* <= 0: null */
	int		 blackhole;	/* its search ended in one */
	int		 bh_hop;	/* < 0: null */
	unsigned	 flows;		/* how many of the flows tried took it */
	unsigned	 nhops;
	struct addr	 hops[RESULT_PATHHOPS];	/* unset: null */
};

/* One hop of the path walk. */
struct result_hop {
	unsigned	 ttl;
	struct addr	 address;	/* unset: null (no answer) */
	int		 rtt_us;	/* < 0: null */
	unsigned	 mtu;		/* largest packet that reached it; 0: null */
};

/* Where big packets vanish, and why we believe it. */
struct result_blackhole {
	int		 found;		/* 0: "blackhole": null */
	int		 hop;		/* last hop that answered an oversized
					   probe; 0: this host; < 0: null
					   (not walked) */
	struct addr	 address;	/* that hop's address; unset: null */
	unsigned	 lost_size;	/* smallest size seen to vanish */
	/* evidence */
	unsigned	 lost;		/* probes at lost_size, all vanished */
	unsigned	 lost_above;	/* probes above the PMTU that vanished */
	unsigned	 control_sent;	/* probes at or below the PMTU */
	unsigned	 control_lost;	/* ... that went unanswered */
	unsigned	 span_ms;	/* from first to last vanished probe */
};

/* The TCP MSS check: a handshake's view of the segment size. */
struct result_tcp {
	int		 checked;	/* 0: "tcp": null */
	unsigned	 port;
	unsigned	 peer_mss;	/* the SYN-ACK's MSS option; 0: null */
	unsigned	 tcp_mss;	/* the segment size used; 0: null */
	unsigned	 mss_allowed;	/* what the PMTU allows; 0: null */
	int		 clamped;	/* peer_mss below mss_allowed */
	char		 error[96];	/* "": null */
};

/* Unknown values are stored as given below and emitted as JSON null. */
struct result {
	char		 destination[RESULT_DESTLEN];	/* as requested */
	struct addr	 address;	/* unset: null */
	int		 family;	/* AF_INET, AF_INET6; 0: null */
	int		 pmtu;		/* <= 0: null */
	int		 local_mtu;	/* <= 0: null */
	enum result_state state;
	enum method	 method;	/* icmp or udp; METHOD_AUTO: null */
	unsigned	 probes_sent;
	int64_t		 duration_ms;	/* < 0: null */
	int64_t		 updated_at_ms;	/* Unix epoch ms; < 0: null */
	char		 error[RESULT_ERRLEN];	/* "": null */
	/* Kept by the store across findings (see store_put()). */
	int		 previous_pmtu;	/* the PMTU before it last changed;
					   <= 0: null */
	uint64_t	 probes_total;	/* probes of every finding so far */
	uint64_t	 findings;	/* findings made so far */
	int64_t		 since_ms;	/* when the present path state began
					   (lib/history.h); < 0: null */
	/*
	 * Only ever measured on demand, never by the monitor: such a
	 * destination is kept in a bounded set that ages (store_prune()).
	 */
	int		 on_demand;
	int		 walked;	/* 0: "hops": null */
	unsigned	 nhops;
	struct result_hop *hops;	/* owned; see result_copy() */
	struct result_blackhole blackhole;
	struct result_tcp tcp;
	/*
	 * Several flows measured (--flows): the distinct paths they took,
	 * how many flows were tried and whether that many make it 95 % sure
	 * no path was missed.  NULL: "paths": null (one flow asked).
	 */
	unsigned	 npaths;
	struct result_path *paths;	/* owned; see result_copy() */
	unsigned	 flows_tried;
	int		 confident;
};

/* All unknown: pmtu, local_mtu, duration, updated_at, since null, state
 * error. */
void		 result_init(struct result *, const char *destination);
/* Frees the hops and paths; the result is then as after result_init(r, ""). */
void		 result_clear(struct result *);
/* A deep copy into dst (not cleared first); 0 or -1 out of memory. */
int		 result_copy(struct result *dst, const struct result *src);
/* Replaces r's paths with a copy of n paths (NULL, 0: none); 0 or -1. */
int		 result_set_paths(struct result *, const struct result_path *,
		    unsigned n);
/* Replaces r's hops with a copy of n hops; 0 or -1. */
int		 result_set_hops(struct result *, const struct result_hop *,
		    unsigned n);

/*
 * {"destination","address","family":4|6,"pmtu","local_mtu","state",
 *  "method":"icmp"|"udp","probes_sent","duration_ms",
 *  "updated_at":"2026-11-23T07:23:49.123Z","error",
 *  "previous_pmtu","probes_total","findings","since",
 *  "hops":[{"ttl","address","rtt_ms","mtu"}...]|null,
 *  "blackhole":{"hop","address","lost_size","evidence":{...}}|null,
 *  "tcp":{...}|null,
 *  "paths":[{"flow":{"sport","dport","id","label"},"pmtu",
 *  "state":"ok"|"blackhole","blackhole_hop","hops":[address|null...],
 *  "flows"}...]|null,"flows_tried"|null,"confident"|null}
 */
json_t		*result_to_json(const struct result *);
/*
 * Strict: every field of the right type; 0 or -1 with a message in err.
 * "previous_pmtu", "probes_total", "findings", "since", "hops" and
 * "blackhole" may be absent (findings saved before they existed).  On success out owns new hops: result_clear() it.
 */
int		 result_from_json(const json_t *, struct result *,
		    char *err, size_t errlen);
/* One line for people, e.g.
 * "198.18.3.2  pmtu 1454  local 1500  ok  icmp  4 probes  12 ms";
 * a name is shown as "name (address)"; unknown numbers as "-". */
void		 result_format(const struct result *, char *buf, size_t len);

/* An address as a JSON string, null when unset (lib/result_path.c). */
json_t		*result_addr_json(const struct addr *);
/* The walk and black-hole parts of the JSON form (lib/result_path.c). */
json_t		*result_hops_to_json(const struct result *);
json_t		*result_blackhole_to_json(const struct result *);
/* {"port","peer_mss","tcp_mss","mss_allowed","mss_clamped","error"}|null */
json_t		*result_tcp_to_json(const struct result *);
/* The paths part (lib/result_paths.c): "paths", "flows_tried" and
 * "confident" set in o; 0 or -1. */
int		 result_paths_to_json(const struct result *, json_t *o);
/* Reads them (all optional) into r; 0 or -1. */
int		 result_paths_from_json(const json_t *, struct result *r,
		    char *err, size_t errlen);
/*
 * Where the paths part: the index into their hops (TTL - 1) of the first
 * hop at which two of them name different routers, or -1.
 */
int		 result_paths_part(const struct result *);
/* "  (2 paths: 1400 via 198.18.1.2, 1500 via 198.18.2.2)" */
void		 result_paths_format(const struct result *, char *buf,
		    size_t len, size_t *off);
/* Reads "hops" and "blackhole" (both optional) into r; 0 or -1. */
int		 result_path_from_json(const json_t *, struct result *r,
		    char *err, size_t errlen);

const char	*result_state_name(enum result_state);
int		 result_state_parse(const char *, enum result_state *);
/* RFC 3339 UTC with milliseconds; 0 or -1. */
int		 result_time_format(int64_t ms, char *buf, size_t len);
int		 result_time_parse(const char *, int64_t *ms);

#endif
