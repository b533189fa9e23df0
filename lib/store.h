/* SPDX-License-Identifier: ISC */
/*
 * The results store: the latest finding per (destination, family).
 * Destinations are matched by the name as requested or by the address.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#include "result.h"

struct store;
struct history;

struct store	*store_new(void);
void		 store_free(struct store *);
/*
 * Records a new finding for (r->destination, r->family), replacing the
 * last one.  The store carries the history over: previous_pmtu (the
 * PMTU before it last changed), probes_total and findings, and notes
 * the finding in the destination's log of path states (lib/history.h),
 * from which since comes (null for an error finding); what r says of
 * them is ignored.  0, or -1 for a bad result or out of memory (the old
 * finding stays).
 */
int		 store_put(struct store *, const struct result *);
/* Inserts r exactly as given (history included): loading saved state.
 * Its log of path states is empty. */
int		 store_load(struct store *, const struct result *);
/*
 * store_load() with a copy of the log h (NULL: empty); since is then
 * taken from h when h has entries and r is not an error.
 */
int		 store_load_history(struct store *, const struct result *,
		    const struct history *);
/* Forgets a destination; 0, or -1 if there was none. */
int		 store_remove(struct store *, const char *dest, int family);
/*
 * The last conclusive finding (ok, blackhole, unreachable) for exactly
 * (dest as stored, family), as a base for change detection: state,
 * pmtu, blackhole, updated_at.  0 with *out filled, -1 if none.
 */
int		 store_base(const struct store *, const char *dest,
		    int family, struct result *out);
/*
 * The finding for dest (name or address), family AF_INET/AF_INET6 or 0
 * for either (the most recently updated wins).  NULL if none.
 */
const struct result *store_get(const struct store *, const char *dest,
		    int family);
/*
 * The log of path states behind a finding the store handed out
 * (store_get, store_iter_next, store_foreach); never NULL.  Valid until
 * that finding is replaced or removed.
 */
const struct history *store_result_history(const struct result *);
size_t		 store_count(const struct store *);
/* Findings of destinations only ever measured on demand. */
size_t		 store_on_demand(const struct store *);
/*
 * Bounds those: removes the ones updated before older_than_ms, then the
 * oldest until at most keep are left.  Configured destinations' findings
 * are never removed here.  Returns how many went.
 */
size_t		 store_prune(struct store *, size_t keep,
		    int64_t older_than_ms);
/*
 * A cursor over the findings in insertion order that stays valid while
 * the store changes between steps (a long status listing is sent in
 * pieces): removing the entry it stands on moves it on.
 */
struct store_iter;
struct store_iter *store_iter_new(struct store *);
/* The next finding, or NULL at the end. */
const struct result *store_iter_next(struct store_iter *);
void		 store_iter_free(struct store_iter *);

/* Calls cb for every finding, in insertion order; stops if cb != 0. */
int		 store_foreach(const struct store *,
		    int (*cb)(const struct result *, void *), void *arg);

#endif
