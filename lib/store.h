/*
 * The results store: the latest finding per (destination, family).
 * Destinations are matched by the name as requested or by the address.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#include "result.h"

struct store;

struct store	*store_new(void);
void		 store_free(struct store *);
/* Inserts or replaces the finding for (r->destination, r->family). */
int		 store_put(struct store *, const struct result *);
/*
 * The finding for dest (name or address), family AF_INET/AF_INET6 or 0
 * for either (the most recently updated wins).  NULL if none.
 */
const struct result *store_get(const struct store *, const char *dest,
		    int family);
size_t		 store_count(const struct store *);
/* Calls cb for every finding, in insertion order; stops if cb != 0. */
int		 store_foreach(const struct store *,
		    int (*cb)(const struct result *, void *), void *arg);

#endif
