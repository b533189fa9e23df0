/* SPDX-License-Identifier: ISC */
/*
 * A listener that stops accepting for a while when accept() fails, as
 * it does when the process is out of descriptors (EMFILE, ENFILE): the
 * pending connection keeps the listening socket readable, so without a
 * pause the event loop spins on it.  Accepting starts again after a
 * delay (100 ms, doubling up to 1 s while the failures go on) or at
 * once when the owner has freed a descriptor.  The failures are logged
 * at most once every 10 s.
 */
#ifndef ACCEPT_PAUSE_H
#define ACCEPT_PAUSE_H

struct event_base;
struct evconnlistener;
struct accept_pause;

/* what names the listener in logs ("control", "metrics"); NULL: memory. */
struct accept_pause *accept_pause_new(struct event_base *,
		    struct evconnlistener *, const char *what);
/* From the listener's error callback; err is the accept's errno. */
void		 accept_pause_failed(struct accept_pause *, int err);
/* A connection was accepted: the next pause is short again. */
void		 accept_pause_accepted(struct accept_pause *);
/* A descriptor was freed: accept again now if paused. */
void		 accept_pause_resume(struct accept_pause *);
void		 accept_pause_free(struct accept_pause *);

#endif
