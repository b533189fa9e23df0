/* SPDX-License-Identifier: ISC */
/*
 * Raw TCP sockets that see only SYN-ACKs, one per family: a BPF filter
 * keeps every other segment out, since a raw TCP socket would otherwise
 * get a copy of every TCP segment the host receives.  Each read is
 * reduced to sender, ports and advertised MSS (lib/tcpopt.c).
 */
#ifndef TCPPROBE_H
#define TCPPROBE_H

#include "tcpopt.h"

struct tcpprobe;

/* Needs CAP_NET_RAW; NULL with errno set on failure. */
struct tcpprobe	*tcpprobe_open(int family);
void		 tcpprobe_close(struct tcpprobe *);
int		 tcpprobe_fd(const struct tcpprobe *);

/*
 * Reads one segment.  1: a SYN-ACK, parsed into sa.  0: read, but not a
 * well-formed SYN-ACK.  -1: nothing read, errno set (EAGAIN: the socket
 * is empty).
 */
int		 tcpprobe_read(struct tcpprobe *, struct tcp_synack *sa);

#endif
