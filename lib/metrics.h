/* SPDX-License-Identifier: ISC */
/*
 * pmtud's findings and counters in the Prometheus text exposition format
 * (version 0.0.4): one metric family after another, each with its # HELP
 * and # TYPE lines and its samples together, as the format requires.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"
#include "store.h"

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* The daemon's own counters, since it started. */
struct metrics_counters {
	uint64_t	 probes_sent;
	uint64_t	 icmp_ignored[PKT_IGN_MAX];	/* by reason, see
						   pkt_ignore_name(); [PKT_OK]
						   is not shown */
	uint64_t	 findings;
	uint64_t	 alert_coalesced;	/* queued alert events replaced
						   by a later one */
	double		 uptime_s;
	const char	*version;	/* NULL: PMTUD_VERSION */
};

/*
 * Writes the whole exposition into a malloc'd NUL-terminated buffer and
 * its length (without the NUL) into *len unless len is NULL; NULL out of
 * memory.  A NULL store is an empty one, NULL counters are all zero.
 * now_ms is not shown today (Prometheus stamps each scrape itself); it
 * is taken so that ages can be added without changing callers.
 */
char		*metrics_render(const struct store *,
		    const struct metrics_counters *, int64_t now_ms,
		    size_t *len);

#endif
