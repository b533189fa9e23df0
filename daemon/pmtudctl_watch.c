/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl watch: the daemon's alert events, one JSON object a line, as
 * they come, until the daemon goes away or --count events were printed.
 */
#include <err.h>
#include <limits.h>
#include <stdio.h>

#include "pmtudctl.h"

/* Watchers wait for events without end. */
#define FOREVER		(1LL << 62)

static int	 watch_exec(struct pmtudctl *);

static const struct option watch_options[] = {
	{ "count",	required_argument,	NULL, 'c' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_watch = {
	.name = "watch",
	.shortopts = "",
	.longopts = watch_options,
	.dest = PMTUDCTL_DEST_NONE,
	.usage = "watch [--count N] [--timeout SECONDS]   "
	    "(events as JSON lines)",
	.exec = watch_exec,
};

/* After the reply: every event line as it comes; 0 (count 0: all). */
static int
watch_events(struct pmtudctl_conn *conn, long count)
{
	json_t		*ev;
	json_error_t	 jerr;
	ssize_t		 n;
	long		 seen = 0;

	conn->deadline = FOREVER;
	while (count == 0 || seen < count) {
		if ((n = pmtudctl_line(conn, 1)) == -2)
			return EXIT_SUCCESS;	/* the daemon went away */
		if (n < 0)
			return EXIT_FAILED;
		ev = json_loadb(conn->buf, (size_t)n, 0, &jerr);
		if (!json_is_object(ev) ||
		    !json_is_string(json_object_get(ev, "event"))) {
			warnx("invalid event from pmtud");
			json_decref(ev);
			return EXIT_FAILED;
		}
		pmtudctl_print_json(ev, JSON_COMPACT);
		json_decref(ev);
		fflush(stdout);
		seen++;
	}
	return EXIT_SUCCESS;
}

static int
watch_exec(struct pmtudctl *c)
{
	struct pmtudctl_conn	 conn;
	struct ctl_request	 req;
	struct ctl_error	 err;
	json_t			*result = NULL;
	long			 count;
	int			 rc;

	if (pmtudctl_opt_long(c, 'c', "count", 1, LONG_MAX, &count) == -1)
		return pmtudctl_usage_error(c);
	pmtudctl_request(c, CTL_CMD_WATCH, &req);
	if ((rc = pmtudctl_open(&conn, c, &req)) == 0)
		rc = pmtudctl_answer(&conn, &result, &err);
	if ((rc = pmtudctl_exit_status(rc, &err, &result)) == EXIT_SUCCESS)
		rc = watch_events(&conn, count);
	json_decref(result);
	pmtudctl_close(&conn);
	return rc;
}
