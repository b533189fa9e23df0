/* SPDX-License-Identifier: ISC */
/*
 * One run of a measurement against one address: asks the kernel for the
 * egress interface, runs the search (ICMP echo, falling back to UDP for
 * METHOD_AUTO and METHOD_TCP when the destination ignores echo), walks
 * the path hop by hop, checks TCP's view for METHOD_TCP, and reports a
 * result.  Requests reach it through daemon/measure.c, which shares one
 * job among requests for the same target.
 */
#ifndef JOB_H
#define JOB_H

#include "addr.h"
#include "method.h"
#include "result.h"

struct pmtud;
struct job;

#define JOB_TCP_PORT	443	/* METHOD_TCP without a port */

struct job_params {
	struct addr	 address;
	enum method	 method;
	unsigned	 port;		/* METHOD_TCP: 0 means JOB_TCP_PORT */
	int		 walk;		/* walk the path after the search */
	int		 urgent;	/* on demand: ahead of scheduled ones */
	unsigned	 flow;		/* which of the prober's flows */
	/*
	 * For a further flow of a destination whose paths are partly known
	 * (daemon/paths.c).  trace_hops: no search, only a walk of that
	 * many hops at most with probes of a size every path carries, for
	 * the hops (the result's pmtu stays unknown); 0: no trace.  expect_pmtu: the search only asks whether the PMTU of
	 * the known path this flow's hops repeat holds here, with sizes P
	 * and P + 1 (the result's pmtu is P when it does).  rtt_ms: the
	 * path's RTT, for a trace's timeouts (no search measured it).
	 */
	unsigned	 trace_hops;
	unsigned	 expect_pmtu;
	unsigned	 rtt_ms;
	/* The search's shortest timeout (0: the job's own). */
	unsigned	 rto_min_ms;
};

/*
 * Called once, from the event loop, never from inside job_start().  The
 * result's destination is its address; the job is freed after the
 * callback returns.
 */
typedef void (*job_done_cb)(const struct result *, void *arg);

/* NULL only when out of memory. */
struct job	*job_start(struct pmtud *, const struct job_params *,
		    job_done_cb, void *arg);
/* Stops a job; its callback is not called. */
void		 job_cancel(struct job *);
/* An on-demand request now waits for this job too: its probes go first. */
void		 job_hurry(struct job *);

#endif
