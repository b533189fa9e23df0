/* SPDX-License-Identifier: ISC */
/*
 * A destination's history: a bounded log of the path states it has had,
 * one entry per change, oldest first.  An entry is a state of the path
 * (PMTU, local MTU, state, black-hole hop, path count) with the times it
 * was first and last seen; a finding that shows the same state only
 * moves last_seen on.  When the log is full the oldest entry is folded
 * into a summary (how many, from when to when), so nothing goes missing
 * without a trace.
 *
 * Findings in state "error" are local faults (no route, a socket that
 * failed), not states of the path: they make no entry, and status shows
 * them.  A finding without a time is not noted either.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "addr.h"
#include "result.h"

#define HISTORY_MAX	64	/* entries kept; older ones are summarized */

struct history_entry {
	int		 pmtu;		/* <= 0: null */
	int		 local_mtu;	/* <= 0: null */
	enum result_state state;	/* ok, blackhole, unreachable */
	int		 hop;		/* black hole hop; < 0: null */
	struct addr	 hop_address;	/* unset: null */
	unsigned	 paths;		/* distinct paths seen: 1 today */
	int64_t		 first_seen_ms;
	int64_t		 last_seen_ms;
};

/* The entries folded away: how many, the first one's first_seen, the
 * last one's last_seen. */
struct history_summary {
	uint64_t	 count;		/* 0: none */
	int64_t		 first_seen_ms;
	int64_t		 last_seen_ms;
};

struct history;

/* Empty; NULL out of memory. */
struct history	*history_new(void);
void		 history_free(struct history *);
/* A deep copy; NULL out of memory. */
struct history	*history_copy(const struct history *);

/*
 * Notes a finding made at now_ms: extends the last entry when the path
 * looks as it did, appends an entry when anything tracked changed.  A
 * black hole whose hop is unknown (the path was not walked) agrees with
 * any hop; a known hop fills in an unknown one.  Returns 1 when an entry
 * was appended, 0 otherwise (nothing changed, an error finding, no time,
 * or out of memory with nothing kept).
 */
int		 history_note(struct history *, const struct result *,
		    int64_t now_ms);

/* Entries kept, at most HISTORY_MAX. */
size_t		 history_count(const struct history *);
/* Entry i, 0 the oldest; NULL past the end. */
const struct history_entry *history_entry(const struct history *, size_t i);
const struct history_summary *history_summary(const struct history *);
/*
 * Changes made so far, summarized ones included: every entry but the
 * first one ever (a first finding is not a change).
 */
uint64_t	 history_changes(const struct history *);
/* When the present state began: the last entry's first_seen; -1 none. */
int64_t		 history_since(const struct history *);

/*
 * [{"first_seen","last_seen","pmtu","local_mtu","state","hop",
 *   "hop_address","paths"},...] oldest first, the entries last seen at
 * or after since_ms (-1: all).  NULL out of memory.
 */
json_t		*history_entries_json(const struct history *,
		    int64_t since_ms);
/* {"changes","first_seen","last_seen"} of the folded entries, or null
 * when there are none or they end before since_ms. */
json_t		*history_summary_json(const struct history *,
		    int64_t since_ms);
/*
 * Replaces h's contents with entries (an array, oldest first) and
 * summary (an object or null; either may be NULL: absent).  Strict, like
 * result_from_json(); entries beyond HISTORY_MAX are folded into the
 * summary.  0, or -1 with a message in err and h unchanged.
 */
int		 history_from_json(struct history *, const json_t *entries,
		    const json_t *summary, char *err, size_t errlen);

/*
 * One change for people: "1500 → 1420  ok → blackhole  hop 1
 * (198.18.1.2)"; prev NULL for the first entry.  Values that did not
 * change are shown once; the local MTU and the path count only when
 * they changed (or first).
 */
void		 history_format(const struct history_entry *prev,
		    const struct history_entry *cur, char *buf, size_t len);

#endif
