/* SPDX-License-Identifier: ISC */
/*
 * A finding as it is shown: the result, plus what it means ("explain")
 * and what to configure ("advise").  Those two are worked out afresh
 * from the result each time, so they are never stored and never stale.
 */
#ifndef REPORT_H
#define REPORT_H

#include <jansson.h>

#include "result.h"

struct history;

/* result_to_json() with "explain" and "advise" added (null when the
 * finding has no PMTU); NULL out of memory. */
json_t		*report_to_json(const struct result *);
/*
 * A destination's log of path states as the history command shows it:
 * {"destination","address","family","state","since","changes",
 *  "summary":{...}|null,"history":[...]}, the entries last seen at or
 * after since_ms (-1: all; lib/history.h).  NULL out of memory.
 */
json_t		*report_history_json(const struct result *,
		    const struct history *, int64_t since_ms);
/* For people: the explanation, then the advice; "" without a PMTU. */
void		 report_explain_text(const struct result *, char *buf,
		    size_t len);

#endif
