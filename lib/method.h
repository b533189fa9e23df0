/* SPDX-License-Identifier: ISC */
/*
 * How a destination is measured: the one vocabulary of the config file,
 * the control protocol, pmtudctl, the job and the result.
 *   auto  ICMP echo, then UDP when echo gets no answer
 *   icmp  ICMP echo only
 *   udp   UDP to a closed port only
 *   tcp   as auto, then a TCP handshake for the MSS
 * A result's method is the probe method that answered: icmp or udp, or
 * METHOD_AUTO when none did (shown as null).
 */
#ifndef METHOD_H
#define METHOD_H

#include "pkt.h"

enum method {
	METHOD_AUTO = 0,
	METHOD_ICMP,
	METHOD_UDP,
	METHOD_TCP,
};

#define METHOD_CHOICES	"auto, icmp, udp or tcp"

/* "auto", "icmp", "udp", "tcp"; NULL for a value out of range. */
const char	*method_name(enum method);
/* 0, or -1 for anything but those four names exactly. */
int		 method_parse(const char *, enum method *);
/* The probes a method sends first: PKT_UDP for udp, else PKT_ICMP. */
enum pkt_proto	 method_proto(enum method);
/* The method a probe protocol stands for in a result. */
enum method	 method_of_proto(enum pkt_proto);

#endif
