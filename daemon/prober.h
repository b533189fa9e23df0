/* SPDX-License-Identifier: ISC */
/*
 * The prober owns the raw sockets and every probe in flight.  Each probe
 * goes with the flow identity its owner chose (lib/flow.h), so the
 * probes of one flow follow one path, and a random cookie.  An ICMP echo
 * is found again by its sequence, a UDP probe (whose ports are the
 * flow's) by its cookie.  The prober reads the ICMP sockets
 * (icmp_read_cb), matches each answer strictly against the probe it
 * names and hands it to that probe's owner.  Anything else is counted
 * by reason and dropped.
 */
#ifndef PROBER_H
#define PROBER_H

#include <stdint.h>

#include "flow.h"
#include "pkt.h"

struct event_base;
struct prober;

/* An answer to probe `token` of `owner`. */
typedef void (*prober_answer_cb)(void *owner, unsigned token,
    const struct pkt_reply *);

struct prober	*prober_new(struct event_base *);
void		 prober_free(struct prober *);
/* Whether probes of this family can be sent at all (IPv6 may be off). */
int		 prober_has_family(const struct prober *, int family);

/* Flow n (mod FLOW_MAX) of this prober's family of flows. */
void		 prober_flow(const struct prober *, unsigned n, struct flow *);

/*
 * Sends one probe of flow f.  Returns 0 and sets *slot (for prober_forget), or an
 * errno value from the socket (EMSGSIZE, EPERM, ENETUNREACH, ...).
 */
int		 prober_send(struct prober *, enum pkt_proto,
		    const struct flow *f, const struct addr *src, const struct addr *dst,
		    unsigned size, int ttl, void *owner, unsigned token,
		    prober_answer_cb, uint32_t *slot);
/* The owner no longer wants answers to this probe. */
void		 prober_forget(struct prober *, uint32_t slot, void *owner);

/* Probes sent so far. */
uint64_t	 prober_sent(const struct prober *);
/* Answers ignored so far, by PKT_IGN_* reason. */
uint64_t	 prober_ignored(const struct prober *, enum pkt_ignore);

#endif
