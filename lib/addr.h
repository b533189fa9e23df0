/* SPDX-License-Identifier: ISC */
/* An IPv4 or IPv6 host address, independent of sockets. */
#ifndef ADDR_H
#define ADDR_H

#include <netinet/in.h>
#include <stddef.h>

#define ADDR_STRLEN	INET6_ADDRSTRLEN

struct addr {
	int	family;		/* AF_INET, AF_INET6, or 0 when unset */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	} u;
};

/* Numeric address only (no name lookup). 0 on success, -1 if not an address. */
int		 addr_parse(struct addr *, const char *);
/* Writes the numeric form into buf (ADDR_STRLEN bytes); returns buf. */
const char	*addr_ntop(const struct addr *, char *buf, size_t len);
int		 addr_eq(const struct addr *, const struct addr *);
int		 addr_isset(const struct addr *);
/* 4 or 6 for AF_INET/AF_INET6, 0 otherwise. */
int		 addr_family_num(int family);

#endif
