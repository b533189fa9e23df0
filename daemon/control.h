/* The control socket: JSON requests in, JSON replies out, one per line. */
#ifndef CONTROL_H
#define CONTROL_H

struct pmtud;
struct control;

/* Listens on path (replacing a stale socket); NULL with a logged reason. */
struct control	*control_new(struct pmtud *, const char *path);
/* Sends an event line to every watching client (an alert sink). */
void		 control_broadcast(const char *line, void *arg);
/* Closes every client and cancels what they asked for. */
void		 control_free(struct control *);

#endif
