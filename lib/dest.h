/* SPDX-License-Identifier: ISC */
/*
 * Destination names as the configuration file and the control protocol
 * take them: a numeric IPv4 or IPv6 address, or an RFC 1123 host name.
 * One check for both, so that nothing the configuration would refuse
 * (quotes, "$(...)", ";") reaches a log line, an alert command's
 * environment or an event's JSON through a control request.
 */
#ifndef DEST_H
#define DEST_H

#include <stddef.h>

#define DEST_MAXNAME	253	/* a host name's length, dots included */
#define DEST_MAXLABEL	63

/*
 * 0 if name is an address or a host name; -1 if not, with the reason
 * ("a label starts or ends with '-'", ...) in err unless err is NULL.
 */
int	dest_valid(const char *name, char *err, size_t errlen);

#endif
