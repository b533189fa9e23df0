/* SPDX-License-Identifier: ISC */
/*
 * pmtud.conf: one setting per line, '#' starts a comment.
 *
 *   socket PATH                 control socket
 *   socket-group NAME           group allowed to send probes (0660 socket)
 *   state FILE                  results store file
 *   interval DURATION           default re-probe interval (10m)
 *   max-pps N                   global probe budget, packets per second
 *   alert-command COMMAND...    run for every event (rest of the line)
 *   alert-timeout DURATION      kill the alert command after this (10s)
 *   metrics-listen HOST:PORT    Prometheus /metrics over HTTP
 *   on-demand-events yes|no     alert events for unconfigured destinations
 *   metrics-max-clients N       HTTP connections at once (64)
 *   metrics-max-clients-per-address N   from one address (8)
 *   destination NAME [family 4|6] [method auto|icmp|udp|tcp]
 *               [interval DURATION] [port N] [walk yes|no] [flows N]
 *
 * DURATION is a whole number with an optional unit s, m, h or d
 * (seconds without).  Errors name the file and line.
 */
#ifndef CONF_H
#define CONF_H

#include "method.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_NAMELEN	256

struct conf_dest {
	char		 name[CONF_NAMELEN];
	int		 family;	/* 0, AF_INET or AF_INET6 */
	enum method	 method;
	uint64_t	 interval_ms;	/* 0: the global interval */
	unsigned	 port;		/* tcp only; 0: 443 */
	int		 walk;		/* 1 (default) or 0 */
	unsigned	 flows;		/* 1 (default) .. FLOW_MAX */
	unsigned	 line;		/* where it was configured */
};

struct conf {
	char		 socket[108];		/* sun_path size */
	char		 socket_group[64];	/* "": none */
	char		 state[PATH_MAX];
	uint64_t	 interval_ms;
	unsigned	 max_pps;
	char		 alert_command[1024];	/* "": none */
	uint64_t	 alert_timeout_ms;
	char		 metrics_listen[128];	/* "": off */
	unsigned	 metrics_max_clients;
	unsigned	 metrics_max_per_addr;	/* from one address */
	/*
	 * Alert events for destinations only probed on demand, not
	 * configured (off: the asker sees the result; nobody is paged).
	 */
	int		 on_demand_events;
	struct conf_dest *dests;
	size_t		 ndests;
};

/* Enough for some 500,000 destination lines. */
#define CONF_MAXFILE		(16 * 1024 * 1024)

#define CONF_DEFAULT_SOCKET	"/run/pmtud/pmtud.sock"
#define CONF_DEFAULT_STATE	"/var/lib/pmtud/state.json"
#define CONF_DEFAULT_INTERVAL	(10 * 60 * 1000)
#define CONF_DEFAULT_PPS	100
#define CONF_DEFAULT_ALERT_TIMEOUT (10 * 1000)
#define CONF_DEFAULT_METRICS_CLIENTS	64
#define CONF_DEFAULT_METRICS_PER_ADDR	8

/* Built-in defaults, no destinations. */
void		 conf_init(struct conf *);
void		 conf_clear(struct conf *);
/*
 * Parses text (len bytes, need not end in NUL or newline) named file in
 * messages.  On error returns -1, leaves *c as conf_init() made it, and
 * writes "FILE:LINE: message" to err.
 */
int		 conf_parse(const char *text, size_t len, const char *file,
		    struct conf *c, char *err, size_t errlen);
/* Reads and parses a file; errors as conf_parse (or "FILE: strerror"). */
int		 conf_load(const char *path, struct conf *c, char *err,
		    size_t errlen);
/* "10m" and the like; 0 or -1. */
int		 conf_duration(const char *, uint64_t *ms);
/* The destination named name with family, or NULL. */
const struct conf_dest *conf_find(const struct conf *, const char *name,
		    int family);

#endif
