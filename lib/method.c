/* SPDX-License-Identifier: ISC */
#include <stddef.h>
#include <string.h>

#include "method.h"

static const char *const method_names[] = {
	[METHOD_AUTO] = "auto",
	[METHOD_ICMP] = "icmp",
	[METHOD_UDP] = "udp",
	[METHOD_TCP] = "tcp",
};

const char *
method_name(enum method m)
{
	if ((unsigned)m >= sizeof(method_names) / sizeof(method_names[0]))
		return NULL;
	return method_names[m];
}

int
method_parse(const char *s, enum method *m)
{
	unsigned	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
		if (strcmp(s, method_names[i]) == 0) {
			*m = i;
			return 0;
		}
	return -1;
}

enum pkt_proto
method_proto(enum method m)
{
	return m == METHOD_UDP ? PKT_UDP : PKT_ICMP;
}

enum method
method_of_proto(enum pkt_proto proto)
{
	return proto == PKT_UDP ? METHOD_UDP : proto == PKT_ICMP ?
	    METHOD_ICMP : METHOD_AUTO;
}
