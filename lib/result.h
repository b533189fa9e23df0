/* The finding for one destination and family, and its JSON form. */
#ifndef RESULT_H
#define RESULT_H

#include <stdint.h>
#include <jansson.h>

#include "addr.h"
#include "pkt.h"

#define RESULT_DESTLEN	256
#define RESULT_ERRLEN	256

enum result_state {
	RESULT_OK = 1,
	RESULT_UNREACHABLE,
	RESULT_ERROR,
	RESULT_BLACKHOLE,
};

/* Unknown values are stored as given below and emitted as JSON null. */
struct result {
	char		 destination[RESULT_DESTLEN];	/* as requested */
	struct addr	 address;	/* unset: null */
	int		 family;	/* AF_INET, AF_INET6; 0: null */
	int		 pmtu;		/* <= 0: null */
	int		 local_mtu;	/* <= 0: null */
	enum result_state state;
	enum pkt_proto	 method;	/* 0: null */
	unsigned	 probes_sent;
	int64_t		 duration_ms;	/* < 0: null */
	int64_t		 updated_at_ms;	/* Unix epoch ms; < 0: null */
	char		 error[RESULT_ERRLEN];	/* "": null */
};

/* All unknown: pmtu, local_mtu, duration, updated_at null, state error. */
void		 result_init(struct result *, const char *destination);

/*
 * {"destination","address","family":4|6,"pmtu","local_mtu","state",
 *  "method":"icmp"|"udp","probes_sent","duration_ms",
 *  "updated_at":"2026-11-23T07:23:49.123Z","error"}
 */
json_t		*result_to_json(const struct result *);
/* Strict: every field of the right type; 0 or -1 with a message in err. */
int		 result_from_json(const json_t *, struct result *,
		    char *err, size_t errlen);
/* One line for people, e.g.
 * "198.18.3.2  pmtu 1454  local 1500  ok  icmp  4 probes  12 ms";
 * a name is shown as "name (address)"; unknown numbers as "-". */
void		 result_format(const struct result *, char *buf, size_t len);

const char	*result_state_name(enum result_state);
int		 result_state_parse(const char *, enum result_state *);
/* RFC 3339 UTC with milliseconds; 0 or -1. */
int		 result_time_format(int64_t ms, char *buf, size_t len);
int		 result_time_parse(const char *, int64_t *ms);

#endif
