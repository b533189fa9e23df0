/* SPDX-License-Identifier: ISC */
/* The control socket: JSON requests in, JSON replies out, one per line. */
#ifndef CONTROL_H
#define CONTROL_H

struct pmtud;
struct control;

#include <sys/types.h>

/*
 * Listens on path (replacing a stale socket), a socket of mode 0660 and
 * group gid made by uid (the user the daemon will run as; -1: as it is).
 * Members of that group (and root, and the daemon's own user) may send
 * probes; any peer that can connect may read.  NULL with a logged reason.
 */
struct control	*control_new(struct pmtud *, const char *path, uid_t uid,
		    gid_t gid);
/* Sends an event line to every watching client (an alert sink). */
void		 control_broadcast(const char *line, void *arg);
/* Closes every client and cancels what they asked for. */
void		 control_free(struct control *);

#endif
