/* SPDX-License-Identifier: ISC */
/*
 * The TCP MSS check: a real handshake to DEST:PORT, reporting the MSS
 * the peer advertised in its SYN-ACK (seen on a raw TCP socket that
 * only lets SYN-ACKs through) and the segment size the connection then
 * uses (TCP_MAXSEG).  The connection is closed cleanly at once.
 */
#ifndef TCPCHECK_H
#define TCPCHECK_H

#include <stdint.h>

#include "addr.h"

struct event_base;
struct tcpcheck;
struct tcpcheck_req;

struct tcpcheck_result {
	int		 error;		/* 0, or errno (ECONNREFUSED,
					   ETIMEDOUT, EHOSTUNREACH, ...) */
	unsigned	 peer_mss;	/* from the SYN-ACK; 0: not seen or
					   no MSS option */
	unsigned	 tcp_mss;	/* TCP_MAXSEG once connected; 0 */
};

typedef void (*tcpcheck_cb)(const struct tcpcheck_result *, void *arg);

/* Opens the SYN-ACK sockets (needs CAP_NET_RAW); NULL with errno. */
struct tcpcheck	*tcpcheck_new(struct event_base *);
void		 tcpcheck_free(struct tcpcheck *);
/*
 * Starts one check; the callback comes once, from the event loop, within
 * timeout_ms.  NULL only when out of memory.
 */
struct tcpcheck_req *tcpcheck_start(struct tcpcheck *, const struct addr *dst,
		    unsigned port, unsigned timeout_ms, tcpcheck_cb, void *arg);
/* No callback after this; the connection is closed. */
void		 tcpcheck_cancel(struct tcpcheck_req *);

#endif
