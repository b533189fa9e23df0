/* SPDX-License-Identifier: ISC */
/*
 * Least privilege: pmtud needs raw sockets and nothing else.  Once they
 * are open, a root start switches to an unprivileged user, and any start
 * keeps at most CAP_NET_RAW (effective, permitted; the bounding set too
 * where it may be changed), with no ambient or inheritable capabilities
 * and no way to gain more (no_new_privs).
 */
#ifndef PRIV_H
#define PRIV_H

#include <sys/types.h>

/*
 * Drops to user (NULL: stay the user we are, only shed capabilities).
 * Start-up code: a failure is fatal.
 */
void	 priv_drop(const char *user);
/* The user and group a root start will run as; -1 if there is none. */
int	 priv_lookup(const char *user, uid_t *uid, gid_t *gid);

#endif
