/* SPDX-License-Identifier: ISC */
/* The control socket: JSON requests in, JSON replies out, one per line. */
#ifndef CONTROL_H
#define CONTROL_H

struct pmtud;
struct control;

/* Listens on path (replacing a stale socket); NULL with a logged reason. */
struct control	*control_new(struct pmtud *, const char *path);
#include <sys/types.h>

/*
 * Members of this group (and root, and the daemon's own user) may send
 * probes; any peer that can connect may read.
 */
void		 control_set_group(struct control *, gid_t);
/* Sends an event line to every watching client (an alert sink). */
void		 control_broadcast(const char *line, void *arg);
/* Closes every client and cancels what they asked for. */
void		 control_free(struct control *);

#endif
