/* SPDX-License-Identifier: ISC */
/*
 * The one way in for a measurement, from a client or the monitor: the
 * name is resolved, requests for the same target share one job, the
 * result is recorded once (store, change events, state file) and each
 * request gets it under the name it asked for.
 */
#ifndef MEASURE_H
#define MEASURE_H

#include "method.h"

struct pmtud;
struct result;
struct measure;

struct measure_req {
	const char	*destination;	/* a name or an address */
	int		 family;	/* AF_INET, AF_INET6, 0: any */
	enum method	 method;
	unsigned	 port;		/* METHOD_TCP; 0: 443 */
	int		 walk;		/* walk the path after the search */
	unsigned	 flows;		/* flows to try at most; 0: 1 */
	/*
	 * A client asked: its probes go first, and a name that does not
	 * resolve is an error for the client, not a finding to keep.
	 */
	int		 on_demand;
};

struct measure_done {
	/*
	 * The recorded result; NULL when an on-demand request failed.  Not
	 * recorded yet while confirming: a second run is on to confirm it.
	 */
	const struct result	*result;
	int			 confirming;
	const char		*error;		/* then: why */
	int			 unresolved;	/* ... the name did not resolve */
	int			 events;	/* change events it made */
};

/* Called once, from the event loop, never from inside measure_start(). */
typedef void (*measure_done_cb)(const struct measure_done *, void *arg);

/* NULL only when out of memory. */
struct measure	*measure_start(struct pmtud *, const struct measure_req *,
		    measure_done_cb, void *arg);
/* No callback after this; the job stops when nobody else waits for it. */
void		 measure_cancel(struct measure *);
/* Stops what runs still without anyone waiting (confirming runs). */
void		 measure_shutdown(void);

#endif
