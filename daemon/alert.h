/* SPDX-License-Identifier: ISC */
/*
 * Alert events out of the daemon: each goes to the log, to the control
 * server's subscribers (the sink) and to the configured alert command,
 * which runs as /bin/sh -c COMMAND with the event in its environment
 * (PMTUD_EVENT, PMTUD_DESTINATION, PMTUD_FAMILY, PMTUD_PMTU,
 * PMTUD_PREVIOUS_PMTU, PMTUD_HOP, PMTUD_ADDRESS, PMTUD_AT,
 * PMTUD_FIRST_AT; "" for null; besides them only PATH) and as one JSON
 * line on stdin.  Each command is a process group that holds its slot
 * until all of it is gone (the daemon becomes the subreaper of what
 * commands leave behind).  Events that wait for the command are
 * coalesced per destination, family and kind pair (first_at: the first
 * of them).  Nothing here blocks the event loop.
 */
#ifndef ALERT_H
#define ALERT_H

#include <stdint.h>

struct event_base;
struct change;
struct alert;

/* The control server's broadcast; json_line ends in '\n'. */
typedef void	(*alert_sink_cb)(const char *json_line, void *arg);

/*
 * command NULL or "": none.  timeout_ms 0: the default, 10 s; what is
 * left of a command's process group then gets SIGTERM, and SIGKILL 2 s
 * later.  NULL with a logged reason.
 */
struct alert	*alert_new(struct event_base *, const char *command,
		    uint64_t timeout_ms);
void		 alert_set_sink(struct alert *, alert_sink_cb, void *arg);
/*
 * For configuration reloads: running commands finish as they were;
 * queued events go to the new command (dropped when there is none).
 * 0, or -1 out of memory (the old command stays).
 */
int		 alert_set_command(struct alert *, const char *command,
		    uint64_t timeout_ms);
/*
 * Log, sink, command: at most 8 commands at once; the rest wait, one
 * event per destination, family and kind pair (blackhole_detected /
 * blackhole_cleared, unreachable / reachable, pmtu_changed), and at most
 * 256 pmtu_changed.
 */
void		 alert_emit(struct alert *, const struct change *);
/* Terminates running commands (SIGTERM, then SIGKILL) and reaps them. */
void		 alert_free(struct alert *);
/* Commands running now. */
unsigned	 alert_running(const struct alert *);
/* Queued events replaced by a later one, since the start. */
uint64_t	 alert_coalesced(const struct alert *);

#endif
