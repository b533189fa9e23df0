/* SPDX-License-Identifier: ISC */
/*
 * A finding judged the way Nagios, Icinga and Sensu checks report: one
 * line of text and an exit status, with performance data after '|'.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

enum check_status {
	CHECK_OK = 0,
	CHECK_WARNING = 1,
	CHECK_CRITICAL = 2,
	CHECK_UNKNOWN = 3,
};

struct check_params {
	int		 min_mtu;	/* below: CRITICAL; 0 none */
	int		 warn_mtu;	/* below: WARNING; 0 none */
	int64_t		 max_age_ms;	/* older: WARNING; 0 none */
};

/*
 * CRITICAL: a black hole, an unreachable destination, or a PMTU below
 * min_mtu.  WARNING: a PMTU below warn_mtu, or a finding older than
 * max_age_ms.  UNKNOWN: an "error" finding (nothing is known of the
 * path).  OK otherwise.  Writes the line (no newline) into buf.
 */
enum check_status check_result(const struct result *,
		    const struct check_params *, int64_t now_ms, char *buf,
		    size_t len);
/* A line for when there is no finding to judge: UNKNOWN. */
enum check_status check_unknown(const char *why, char *buf, size_t len);
const char	*check_status_name(enum check_status);

#endif
