/* SPDX-License-Identifier: ISC */
/*
 * The path walk, as a pure state machine like the search: TTL-stepped
 * probes that give every hop's address and MTU (the largest packet that
 * reached it), and locate a black hole.  It runs after the search, so
 * it knows the path MTU P and, for a black hole, that sizes above P
 * vanish.  Hop MTUs never grow along the path: hop t starts at hop
 * t-1's MTU (the local MTU for hop 1).
 *
 * At each hop t, with bound B:
 *  - send B at TTL t: a time-exceeded from hop t gives mtu(t) = B; a
 *    too-big naming m (P <= m < B) lowers B to m and tries again; an
 *    answer from the destination ends the walk (its mtu is B, which is
 *    then P).
 *  - if B goes unanswered and B > P, a probe of size P at TTL t tells
 *    whether hop t answers at all.  If it does, B vanished before hop t:
 *    mtu(t) is in [P, B), found by trying P + 1 first (usually the
 *    answer: it vanishes, so mtu(t) = P) and bisecting otherwise.
 *  - a hop that answers nothing is reported with no address and no MTU,
 *    and the walk goes on with B unchanged.
 * Unanswered probes are retried max_tries times, spaced by the RTO.
 * The walk stops at the destination, at max_hops, or after gap_limit
 * silent hops in a row.  When the destination answers right after a
 * silent hop, that hop is asked at P again (max_tries more): it may
 * have been the destination, its answers lost, or a router whose
 * answers were.
 */
#ifndef WALK_H
#define WALK_H

#include <stdint.h>

#include "addr.h"

#define WALK_MAXHOPS	64

struct walk;

struct walk_params {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned	 local_mtu;	/* size of the first probe at hop 1 */
	unsigned	 pmtu;		/* P: passes end to end (confirmed) */
	unsigned	 max_hops;	/* 0: 30 */
	unsigned	 max_tries;	/* 0: 2, per size and hop */
	unsigned	 gap_limit;	/* 0: 5 silent hops in a row */
	unsigned	 rto_ms;	/* 0: 500; the caller passes the
					   search's measured RTO */
	/*
	 * The search found a black hole: sizes above pmtu vanish somewhere,
	 * so each hop is asked P + 1 first (where it vanishes is what the
	 * walk is for), then its bound.
	 */
	int		 blackhole;
	/*
	 * Tries for a size above pmtu (0: max_tries).  The search's own
	 * reference probes measure the path's loss: where none was lost,
	 * one silent probe above P is taken as vanished.
	 */
	unsigned	 big_tries;
};

struct walk_probe {
	unsigned	 token;
	unsigned	 size;
	unsigned	 ttl;
};

struct walk_hop {
	unsigned	 ttl;
	struct addr	 address;	/* unset: no answer */
	int		 rtt_us;	/* first answer's RTT; -1: none */
	unsigned	 mtu;		/* 0: unknown */
	int		 destination;	/* the destination itself answered */
};

enum walk_step {
	WALK_SEND,
	WALK_WAIT,
	WALK_DONE,
};

/*
 * Tries per size and hop at the loss the search's reference probes saw
 * (lost of sent): enough that a hop that answers is missed with a
 * chance under WALK_MISS_CHANCE: 2 where none was lost, up to
 * WALK_MAXTRIES.
 */
#define WALK_MAXTRIES		6
#define WALK_MISS_CHANCE	0.05
unsigned	 walk_tries(unsigned sent, unsigned lost);

/* NULL if params are unusable (pmtu > local_mtu, pmtu < minimum). */
struct walk	*walk_new(const struct walk_params *);
void		 walk_free(struct walk *);

/* Time in microseconds (hop RTTs are often well below 1 ms). */
enum walk_step	 walk_next(struct walk *, uint64_t now_us,
		    struct walk_probe *out, uint64_t *wake_us);

/* 0, or -1 for an unknown or stale token (ignored by the caller). */
int		 walk_on_time_exceeded(struct walk *, unsigned token,
		    const struct addr *from, uint64_t now_us);
int		 walk_on_reply(struct walk *, unsigned token,
		    const struct addr *from, uint64_t now_us);
int		 walk_on_too_big(struct walk *, unsigned token, unsigned mtu,
		    const struct addr *from, uint64_t now_us);
/* Destination unreachable from some hop: the walk ends there. */
int		 walk_on_unreach(struct walk *, unsigned token,
		    const struct addr *from, uint64_t now_us);
/* sendto() failed: the hop is recorded as silent for this size. */
int		 walk_on_send_error(struct walk *, unsigned token, int err,
		    uint64_t now_us);

int		 walk_done(const struct walk *);
unsigned	 walk_probes_sent(const struct walk *);
/* The hops so far, in TTL order (hop 1 first). */
const struct walk_hop *walk_hops(const struct walk *, unsigned *nhops);
/*
 * Where big packets vanish: the last hop whose MTU is above P (it
 * answered an oversized probe), or 0 when none did (this host or its
 * first link drops them).  Returns that hop number; *addr gets its
 * address (unset for hop 0).
 */
unsigned	 walk_blackhole_hop(const struct walk *, struct addr *addr);

#endif
