/* SPDX-License-Identifier: ISC */
/* Destination names to addresses, without blocking the event loop. */
#ifndef RESOLVE_H
#define RESOLVE_H

#include "addr.h"

struct evdns_base;
struct event_base;
struct resolve;

/* error is NULL on success, else a message; called from the loop. */
typedef void (*resolve_cb)(const char *error, const struct addr *,
    void *arg);

/*
 * Resolves name (or takes it as a numeric address) for family AF_INET,
 * AF_INET6 or 0 (the resolver's first answer).  NULL only when out of
 * memory; the callback always comes later, from the loop.
 */
struct resolve	*resolve_start(struct event_base *, struct evdns_base *,
		    const char *name, int family, resolve_cb, void *arg);
/* No callback after this. */
void		 resolve_cancel(struct resolve *);
/* After evdns_base_free(): frees what still waited for evdns. */
void		 resolve_shutdown(void);

#endif
