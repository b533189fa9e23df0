/* SPDX-License-Identifier: ISC */
/*
 * Where a result goes once measured: the store, change events to the
 * alerts, the state file.  Events that need attention (change_alarming)
 * are raised only for what a second run confirmed.
 */
#ifndef RECORD_H
#define RECORD_H

struct pmtud;
struct result;

enum record_how {
	RECORD_AS_IS,		/* no confirmation was needed */
	RECORD_CONFIRMED,	/* a second run agreed: events say so */
	RECORD_UNCONFIRMED,	/* a second run disagreed: no alarms */
};

/* Stores res and raises its events; returns how many it raised. */
int	 record_result(struct pmtud *, const struct result *,
	    enum record_how);
/* Whether recording res would raise an event that needs attention. */
int	 record_alarming(struct pmtud *, const struct result *);

#endif
