/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl status [DEST]: the last finding for DEST, or every finding,
 * one a line, as the daemon streams its listing.
 */
#include <err.h>
#include <stdio.h>

#include "result.h"
#include "pmtudctl.h"

static int	 status_exec(struct pmtudctl *);

static const struct option status_options[] = {
	{ "state",	required_argument,	NULL, 'S' },
	{ "json",	no_argument,		NULL, 'j' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_status = {
	.name = "status",
	.shortopts = "46",
	.longopts = status_options,
	.dest = PMTUDCTL_DEST_OPTIONAL,
	.usage = "status [DEST] [-4|-6] [--state STATE] [--json] "
	    "[--timeout SECONDS]",
	.exec = status_exec,
};

/* The request from the options; -1: bad usage (said why). */
static int
status_request(const struct pmtudctl *c, struct ctl_request *req)
{
	const char		*state = c->opt['S'];
	enum result_state	 st;

	pmtudctl_request(c, CTL_CMD_STATUS, req);
	if (state == NULL)
		return 0;
	if (result_state_parse(state, &st) == -1) {
		warnx("bad state \"%s\": ok, blackhole, partial_blackhole, "
		    "unreachable or error",
		    state);
		return -1;
	}
	if (c->dest != NULL) {
		warnx("--state goes with status without a destination");
		return -1;
	}
	req->state = st;
	return 0;
}

/* One line of a listing: 1 a finding printed, 0 the end, -1 failed. */
static int
listing_line(const struct pmtudctl *c, const char *line, size_t len)
{
	struct ctl_error	 err;
	json_t			*res;
	int			 rc;

	rc = pmtudctl_reply(line, len, &res, &err);
	if (rc == 1 &&
	    pmtudctl_print_status(res, c->json, JSON_COMPACT) == -1)
		rc = -2;
	json_decref(res);
	if (rc == 0)
		warnx("%s: %s", err.code, err.message);
	else if (rc == -1)
		warnx("invalid reply from pmtud: %s", err.message);
	return rc == 1 ? 1 : rc == 2 ? 0 : -1;
}

static int
status_listing(const struct pmtudctl *c, const struct ctl_request *req)
{
	struct pmtudctl_conn	 conn;
	ssize_t			 n;
	int			 rc;

	if ((rc = pmtudctl_open(&conn, c, req)) != 0) {
		pmtudctl_close(&conn);
		return pmtudctl_exit_status(rc, NULL, NULL);
	}
	n = pmtudctl_line(&conn, 0);
	/* The timeout bounds the first line, then all the others. */
	conn.deadline = pmtudctl_now_ms() + conn.timeout_ms;
	rc = -1;
	while (n >= 0 && (rc = listing_line(c, conn.buf, (size_t)n)) == 1)
		n = pmtudctl_line(&conn, 0);
	pmtudctl_close(&conn);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILED;
}

static int
status_exec(struct pmtudctl *c)
{
	struct ctl_request	 req;

	if (status_request(c, &req) == -1)
		return pmtudctl_usage_error(c);
	if (c->dest == NULL)
		return status_listing(c, &req);
	return pmtudctl_show(c, &req, pmtudctl_print_status_finding);
}
