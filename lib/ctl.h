/* SPDX-License-Identifier: ISC */
/*
 * The control protocol: one JSON object per line each way over a stream
 * Unix socket.
 *   request  {"id":1,"cmd":"probe","destination":"198.18.3.2",
 *             "family":4,"method":"auto"}
 *   reply    {"id":1,"ok":true,"result":{...}}
 *            {"id":1,"ok":false,"error":{"code":"bad_request",
 *                                         "message":"..."}}
 * "id" is optional and echoed as given (any JSON scalar; null if absent).
 *
 * Listings ("status" without a destination) stream: one reply line per
 * finding, {"id":1,"ok":true,"result":{...}}, then a closing line
 * {"id":1,"ok":true,"end":true,"count":N}, so a large store never makes
 * one giant reply.  "state" and "family" filter a listing.
 *
 * "history" (destination required) answers with one object: the
 * destination's log of path states, bounded (lib/history.h), so it
 * needs no listing.  "since" is a duration back from now ("90m", "2d")
 * or an RFC 3339 UTC time.
 */
#ifndef CTL_H
#define CTL_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "method.h"

#define CTL_MAX_LINE	65536	/* a longer line closes the connection */
#define CTL_DESTLEN	256

enum ctl_cmd {
	CTL_CMD_PROBE = 1,	/* destination required */
	CTL_CMD_STATUS,		/* destination optional */
	CTL_CMD_VERSION,
	CTL_CMD_WATCH,		/* subscribe to alert events */
	CTL_CMD_METRICS,	/* the Prometheus exposition */
	CTL_CMD_RELOAD,		/* read the configuration again */
	CTL_CMD_HISTORY,	/* a destination's changes; destination
				   required */
};

/* Error codes sent in replies. */
#define CTL_E_BAD_JSON		"bad_json"
#define CTL_E_BAD_REQUEST	"bad_request"
#define CTL_E_UNKNOWN_CMD	"unknown_command"
#define CTL_E_NOT_FOUND		"not_found"
#define CTL_E_RESOLVE		"resolve_failed"
#define CTL_E_INTERNAL		"internal"
#define CTL_E_DENIED		"permission_denied"
#define CTL_E_BUSY		"busy"		/* a cap reached: try later */

/* What "since" says, if anything. */
enum ctl_since {
	CTL_SINCE_NONE = 0,
	CTL_SINCE_AGE,		/* a duration back from now */
	CTL_SINCE_TIME,		/* an RFC 3339 UTC time */
};

struct ctl_error {
	char		 code[32];
	char		 message[256];
};

struct ctl_request {
	json_t		*id;		/* own reference, NULL if absent */
	enum ctl_cmd	 cmd;
	char		 destination[CTL_DESTLEN];	/* "" if absent */
	int		 family;	/* 0 (any), 4 or 6 */
	enum method	 method;
	unsigned	 port;		/* tcp: 0 means 443 */
	int		 no_walk;	/* probe: "walk": false */
	unsigned	 flows;		/* probe: flows to try, 1 .. FLOW_MAX;
					   0: absent (1) */
	int		 state;		/* status filter: 0 any, RESULT_* */
	enum ctl_since	 since;		/* history: "since", if given */
	int64_t		 since_at_ms;	/* CTL_SINCE_TIME: Unix epoch ms */
	uint64_t	 since_age_ms;	/* CTL_SINCE_AGE: back from now */
};

/*
 * Parses one line (without its newline).  Returns 0 on success.  On
 * failure returns -1 with err filled and req->id set when the id could
 * be read, so the error reply can carry it.  Always call
 * ctl_request_clear() afterwards.
 */
int		 ctl_request_parse(const char *line, size_t len,
		    struct ctl_request *req, struct ctl_error *err);
void		 ctl_request_clear(struct ctl_request *);
/* A request as a line ending in '\n'; malloc'd, NULL on failure. */
char		*ctl_request_line(long long id, const struct ctl_request *);

/* Replies as lines ending in '\n'; malloc'd.  ok steals result. */
char		*ctl_reply_ok(const json_t *id, json_t *result);
char		*ctl_reply_err(const json_t *id, const char *code,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The closing line of a listing: {"id":..,"ok":true,"end":true,
 * "count":N} plus the members of extra (stolen; may be NULL), e.g. the
 * daemon's counters of ICMP it ignored.
 */
char		*ctl_reply_end(const json_t *id, unsigned long long count,
		    json_t *extra);

/*
 * Client side: parses a reply line.  Returns 1 for ok (*result set, a new
 * reference), 2 for the end of a listing (*result is the count as a JSON
 * integer), 0 for an error reply (err filled), -1 if the line is not a
 * valid reply (err filled).  *id gets a new reference or NULL.
 */
int		 ctl_reply_parse(const char *line, size_t len, json_t **id,
		    json_t **result, struct ctl_error *err);

const char	*ctl_cmd_name(enum ctl_cmd);

#endif
