/* SPDX-License-Identifier: ISC */
/* IPv4 and IPv6 host addresses: parsing, printing, comparing. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "addr.h"

int
addr_parse(struct addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return -1;
	/* inet_pton takes numeric forms only, so no name is ever resolved. */
	if (inet_pton(AF_INET, s, &a->u.v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->u.v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return -1;
}

const char *
addr_ntop(const struct addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (a == NULL || a->family == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, &a->u, buf, len) == NULL)
		snprintf(buf, len, "?");	/* unknown family or buf too small */
	return buf;
}

int
addr_eq(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return 0;
	switch (a->family) {
	case 0:
		return 1;		/* both unset */
	case AF_INET:
		return memcmp(&a->u.v4, &b->u.v4, sizeof(a->u.v4)) == 0;
	case AF_INET6:
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	default:
		return 0;
	}
}

int
addr_isset(const struct addr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

int
addr_family_num(int family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 6;
	default:
		return 0;
	}
}
