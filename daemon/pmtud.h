/* SPDX-License-Identifier: ISC */
/* What the daemon's modules share: one owner for each resource. */
#ifndef PMTUD_H
#define PMTUD_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct evdns_base;
struct prober;
struct route;
struct store;
struct control;
struct alert;
struct saver;
struct sched;
struct budget;
struct monitor;
struct metrics_http;
struct tcpcheck;

struct pmtud {
	struct event_base	*base;		/* the one event base */
	struct evdns_base	*dns;
	struct prober		*prober;
	struct route		*route;
	struct store		*store;
	struct control		*control;
	struct alert		*alert;
	struct saver		*saver;
	struct sched		*sched;		/* when destinations are due */
	struct budget		*budget;	/* for every probe packet */
	struct monitor		*monitor;	/* configured destinations */
	struct metrics_http	*http;		/* metrics-listen, or NULL */
	struct tcpcheck		*tcpcheck;	/* NULL: no TCP checks */
	uint64_t		 findings;	/* recorded since start */
	uint64_t		 started_ms;	/* monotonic */
};

/*
 * Reads the configuration file again (SIGHUP, or the reload command).
 * 0, or -1 with the reason in err: the old configuration stays.
 */
int		 pmtud_reload(struct pmtud *, char *err, size_t errlen);

/* The Prometheus exposition of everything (daemon/metrics_http.c). */
char		*pmtud_metrics(struct pmtud *, size_t *len);
/*
 * Serves it at /metrics on HOST:PORT to at most max_clients connections
 * at once, max_per_addr of them from one address; 0 or -1 (logged).
 */
int		 metrics_listen(struct pmtud *, const char *hostport,
		    unsigned max_clients, unsigned max_per_addr);
/* New caps (a reload); connections beyond them stay until they end. */
void		 metrics_set_limits(struct pmtud *, unsigned max_clients,
		    unsigned max_per_addr);
void		 metrics_close(struct pmtud *);

/* Milliseconds on the monotonic clock (timers) and Unix epoch (results). */
uint64_t	 clock_mono_ms(void);
uint64_t	 clock_mono_us(void);
int64_t		 clock_wall_ms(void);

#endif
