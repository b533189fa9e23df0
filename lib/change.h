/* SPDX-License-Identifier: ISC */
/*
 * Changes of a destination's finding, as alert events.  Compares the
 * last conclusive finding (ok, blackhole or unreachable) with a new one;
 * an "error" finding (a local fault) says nothing about the path and
 * produces no event.
 */
#ifndef CHANGE_H
#define CHANGE_H

#include <jansson.h>

#include "result.h"

#define CHANGE_MAX	3	/* events one step can produce */

enum change_kind {
	CHANGE_BLACKHOLE_DETECTED = 1,
	CHANGE_BLACKHOLE_CLEARED,
	CHANGE_PMTU_CHANGED,
	CHANGE_UNREACHABLE,
	CHANGE_REACHABLE,
	/* Some of several equal-cost paths black-hole (alarming). */
	CHANGE_PARTIAL_BLACKHOLE,
	/* Equal-cost paths now differ in their PMTU. */
	CHANGE_MULTIPATH_MTU_DIFFERS,
};

struct change {
	enum change_kind kind;
	char		 destination[RESULT_DESTLEN];
	int		 family;	/* AF_INET / AF_INET6 */
	int		 pmtu;		/* <= 0: null */
	int		 previous_pmtu;	/* <= 0: null */
	int		 hop;		/* black hole hop; < 0: null */
	struct addr	 address;	/* black hole hop's address */
	int64_t		 at_ms;		/* the new finding's updated_at */
	int		 confirmed;	/* a second run at once agreed */
};

/*
 * Whether an event needs attention (a black hole, an unreachable
 * destination, a PMTU that went down): such events are raised only once
 * a second run confirms them.
 */
int		 change_alarming(const struct change *);

/* Whether a finding is conclusive (may be a comparison base). */
int		 change_conclusive(const struct result *);

/*
 * Events for the step prev -> cur, in the order reachable, pmtu_changed,
 * blackhole_detected/cleared, unreachable.  prev NULL: the first
 * finding, which reports only what needs attention (unreachable,
 * blackhole_detected).  Returns how many were written to out.
 */
int		 change_detect(const struct result *prev,
		    const struct result *cur, struct change out[CHANGE_MAX]);

/* {"event","destination","family","pmtu","previous_pmtu","hop",
 *  "address","at","confirmed"} */
json_t		*change_to_json(const struct change *);
const char	*change_kind_name(enum change_kind);

#endif
