/* SPDX-License-Identifier: ISC */
/*
 * Several flows of one target, one after another: flow 0's job as ever,
 * then further flows (each with an identity of its own, lib/flow.h),
 * traced and, where they repeat a known path, only checked against its
 * PMTU, until the paths seen are enumerated with 95 % confidence or the
 * flows asked for are spent (lib/multipath.h).  The result is flow 0's, with the
 * paths, the smallest PMTU of them and partial_blackhole when only some
 * of them black-hole.  With one flow it is just the job.
 */
#ifndef PATHS_H
#define PATHS_H

#include "job.h"

struct paths;

/* flows: at most this many (1 .. FLOW_MAX).  NULL only out of memory. */
struct paths	*paths_start(struct pmtud *, const struct job_params *,
		    unsigned flows, job_done_cb, void *arg);
/* Stops the runs; the callback is not called. */
void		 paths_cancel(struct paths *);
void		 paths_hurry(struct paths *);

#endif
