/* What the daemon's modules share: one owner for each resource. */
#ifndef PMTUD_H
#define PMTUD_H

#include <stdint.h>

struct event_base;
struct evdns_base;
struct prober;
struct route;
struct store;
struct control;
struct alert;
struct persist;
struct sched;
struct monitor;

struct pmtud {
	struct event_base	*base;		/* the one event base */
	struct evdns_base	*dns;
	struct prober		*prober;
	struct route		*route;
	struct store		*store;
	struct control		*control;
	struct alert		*alert;
	struct persist		*persist;
	struct sched		*sched;		/* probe budget, schedule */
	struct monitor		*monitor;	/* configured destinations */
};

/* Milliseconds on the monotonic clock (timers) and Unix epoch (results). */
uint64_t	 clock_mono_ms(void);
uint64_t	 clock_mono_us(void);
int64_t		 clock_wall_ms(void);

#endif
