/* SPDX-License-Identifier: ISC */
/*
 * What a multipath finding means for people: where its paths part (the
 * router that spreads flows over them), which of them is narrower than
 * the others and where its MTU drops, and which loses big packets.
 */
#ifndef EXPLAIN_PATHS_H
#define EXPLAIN_PATHS_H

#include <jansson.h>

#include "addr.h"
#include "result.h"

#define EXPLAIN_PATHS_MAX	RESULT_MAXPATHS

struct explain_path_note {
	int		 pmtu;		/* <= 0: unknown */
	struct addr	 via;		/* its router where the paths part;
					   unset: unknown */
	int		 narrower;	/* pmtu below the widest path's */
	int		 drop;		/* the finding's walk is this path's:
					   its MTU drops at drop_hop */
	int		 blackhole;
	int		 bh_hop;	/* < 0: unknown */
	struct addr	 bh_address;	/* unset: unknown */
};

struct explain_paths {
	unsigned	 npaths;
	/* The paths part after hop part_hop (0: this host), at part_address;
	 * part_hop < 0: their walks never differ (told apart by MTU). */
	int		 part_hop;
	struct addr	 part_address;
	int		 min_pmtu;
	int		 max_pmtu;
	/* Where the narrowest path's MTU drops, from its walk (the finding's
	 * hops); drop_hop 0: unknown. */
	int		 drop_hop;
	struct addr	 drop_address;
	int		 drop_mtu;
	struct explain_path_note paths[EXPLAIN_PATHS_MAX];
};

/* 0, or -1 when the finding has fewer than two paths (nothing to say). */
int		 explain_paths(const struct result *, struct explain_paths *);
/*
 * {"paths","part":{"after_hop","address"|null}|null,"min_pmtu",
 *  "max_pmtu","narrower":[{"pmtu","via"|null,"drop":{"hop","address"
 *  |null,"mtu"|null}|null}...],"blackholes":[{"via"|null,"hop"|null,
 *  "address"|null}...]}
 */
json_t		*explain_paths_to_json(const struct explain_paths *);
/*
 * "2 paths part after hop 1 (198.18.1.2): 1400 via 198.18.12.2,
 *  1500 via 198.18.11.2\n  the path via 198.18.12.2 carries 1400, the
 *  others up to 1500: its MTU drops on the link into hop 3 (...)\n"
 */
void		 explain_paths_format(const struct explain_paths *,
		    char *buf, size_t len);

#endif
