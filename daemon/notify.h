/* SPDX-License-Identifier: ISC */
/*
 * The service manager's readiness protocol (sd_notify): one datagram to
 * $NOTIFY_SOCKET.  Without that variable it does nothing.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

/* "READY=1", "RELOADING=1", "STOPPING=1", "STATUS=..."; 0 or -1. */
int	 notify_send(const char *state);

#endif
