/* SPDX-License-Identifier: ISC */
/*
 * One measurement of one destination address: asks the kernel for the
 * egress interface, runs the search (ICMP echo, falling back to UDP in
 * auto mode when the destination ignores echo), then walks the path hop
 * by hop, and reports a result.
 */
#ifndef JOB_H
#define JOB_H

#include "addr.h"
#include "result.h"

struct pmtud;
struct job;

struct job_params {
	const char	*destination;	/* as requested: a name or address */
	struct addr	 address;
	int		 method;	/* 0 auto, PKT_ICMP, PKT_UDP */
	int		 walk;		/* walk the path after the search */
	int		 urgent;	/* on demand: ahead of scheduled ones */
	int		 tcp;		/* then a TCP handshake for the MSS */
	unsigned	 port;		/* its port; 0: 443 */
};

/* Called once, from the event loop, never from inside job_start(). */
typedef void (*job_done_cb)(const struct result *, void *arg);

struct job	*job_start(struct pmtud *, const struct job_params *,
		    job_done_cb, void *arg);
/* Stops a job; its callback is not called. */
void		 job_cancel(struct job *);

#endif
