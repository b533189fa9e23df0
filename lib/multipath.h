/* SPDX-License-Identifier: ISC */
/*
 * Enumerating equal-cost paths: flows are measured one after another
 * (each keeps its identity, lib/flow.h) and grouped into paths by the
 * hops their walk saw and by their PMTU.  Flows are added until, with k
 * paths seen, enough flows were tried that a (k + 1)-th path, were it
 * there and taken as often as the others, would have been seen with 95 %
 * probability (the stopping rule of the Multipath Detection Algorithm,
 * Augustin, Friedman and Teixeira, "Multipath tracing with Paris
 * traceroute", E2EMON 2007), or until the flows allowed are spent.
 */
#ifndef MULTIPATH_H
#define MULTIPATH_H

#include "addr.h"

#define MULTIPATH_MAXHOPS	32	/* hops compared per path */

/* What one flow found. */
struct multipath_flow {
	unsigned		 flow;		/* its index (lib/flow.h) */
	int			 pmtu;		/* <= 0: unknown */
	int			 blackhole;	/* its search ended in one */
	int			 bh_hop;	/* < 0: unknown */
	unsigned		 nhops;		/* 0: not walked */
	const struct addr	*hops;		/* unset: no answer at that TTL */
};

/* One distinct path and the flows that took it. */
struct multipath_path {
	unsigned	 flow;		/* the first flow that took it */
	unsigned	 flows;		/* how many of the flows tried */
	int		 pmtu;
	int		 blackhole;
	int		 bh_hop;
	unsigned	 nhops;
	struct addr	 hops[MULTIPATH_MAXHOPS];
};

struct multipath;

/* max_flows: at most this many flows (1 .. FLOW_MAX).  NULL: no memory. */
struct multipath	*multipath_new(unsigned max_flows);
void			 multipath_free(struct multipath *);

/*
 * Flows needed to say, at 95 %, that there is no path beyond the k seen
 * (k >= 1): the smallest n with (k + 1) (k / (k + 1))^n <= 0.05.
 */
unsigned	 multipath_needed(unsigned k);

/*
 * The known path whose hops a walk repeats (an unanswered TTL on either
 * side matches any address), or -1.  A flow that repeats a known path
 * needs no size search of its own.
 */
int		 multipath_match(const struct multipath *,
		    const struct addr *hops, unsigned nhops);
/* Counts a flow; returns the index of its path, or -1 (no room). */
int		 multipath_add(struct multipath *, const struct multipath_flow *);

/* Whether to try another flow. */
int		 multipath_more(const struct multipath *);
/* Whether the flows tried reached the 95 % confidence. */
int		 multipath_confident(const struct multipath *);
unsigned	 multipath_flows_tried(const struct multipath *);
unsigned	 multipath_npaths(const struct multipath *);
const struct multipath_path *multipath_path(const struct multipath *,
		    unsigned i);
/* The smallest PMTU of the paths, <= 0 if none known. */
int		 multipath_min_pmtu(const struct multipath *);
/*
 * Where the paths part: the TTL of the first hop whose address differs
 * between two walked paths, and the hop before it (the router that
 * spreads the flows; 0 is this host).  -1 when the walks never differ.
 */
int		 multipath_diverge(const struct multipath *, unsigned *before);
/*
 * The first index where two hop lists name different routers (a silent
 * hop matches any), or -1 where they never do.
 */
int		 multipath_hops_part(const struct addr *, unsigned,
		    const struct addr *, unsigned);

#endif
