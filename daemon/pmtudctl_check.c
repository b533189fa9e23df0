/* SPDX-License-Identifier: ISC */
/*
 * Commands about one destination's finding: check (judged for
 * Nagios-style monitoring) and explain (what the PMTU means, what to
 * configure).  A destination with no finding yet is probed first (if
 * this user may); for check, anything that keeps us from knowing is
 * UNKNOWN.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ctl.h"
#include "report.h"
#include "result.h"
#include "pmtudctl.h"

#define CHECK_PROBE_TIMEOUT_MS	60000

static int64_t
wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * One request, one reply.  1: *result set; 0: an error reply, in err;
 * -1: no reply worth reading, -2: no daemon to ask (why in err->message;
 * exchange() has told stderr already).
 */
static int
ask(struct opts *o, enum ctl_cmd cmd, json_t **result, struct ctl_error *err)
{
	struct ctl_request	 req;
	struct reader		 r;
	json_t			*id = NULL;
	char			*line;
	size_t			 len;
	int			 rc = -1;

	memset(&req, 0, sizeof(req));
	memset(&r, 0, sizeof(r));
	memset(err, 0, sizeof(*err));
	req.cmd = cmd;
	snprintf(req.destination, sizeof(req.destination), "%s", o->dest);
	req.family = o->family;
	r.fd = -1;
	line = ctl_request_line(1, &req);
	r.max = CTL_MAX_LINE;
	r.buf = malloc(r.max + 1);
	if (line == NULL || r.buf == NULL)
		snprintf(err->message, sizeof(err->message), "out of memory");
	else if ((rc = exchange(o, line, &r, &len)) != 0) {
		snprintf(err->message, sizeof(err->message), "%s %s",
		    rc == EXIT_NOCONNECT ? "cannot connect to" :
		    "no valid reply from", o->socket);
		rc = rc == EXIT_NOCONNECT ? -2 : -1;
	} else if ((rc = ctl_reply_parse(r.buf, len, &id, result,
	    err)) != 1 && rc != 0)
		rc = -1;
	json_decref(id);
	if (r.fd != -1)
		close(r.fd);
	free(r.buf);
	free(line);
	return rc;
}

/* The stored finding, or a fresh one when there is none. */
static int
ask_finding(struct opts *o, json_t **j, struct ctl_error *err)
{
	int	 rc;

	rc = ask(o, CTL_CMD_STATUS, j, err);
	if (rc == 0 && strcmp(err->code, CTL_E_NOT_FOUND) == 0) {
		o->timeout_ms = CHECK_PROBE_TIMEOUT_MS;
		rc = ask(o, CTL_CMD_PROBE, j, err);
	}
	return rc;
}

int
explain_run(struct opts *o)
{
	struct ctl_error	 err;
	struct result		 res;
	json_t			*j = NULL, *part;
	char			 line[1024], text[8192], why[512];
	int			 rc;

	if ((rc = ask_finding(o, &j, &err)) != 1) {
		if (rc == 0)
			warnx("%s: %s", err.code, err.message);
		return rc == -2 ? EXIT_NOCONNECT : EXIT_FAILED;
	}
	if (result_from_json(j, &res, why, sizeof(why)) == -1) {
		warnx("invalid result from pmtud: %s", why);
		json_decref(j);
		return EXIT_FAILED;
	}
	if (o->json) {
		part = json_pack("{s:O?,s:O?}", "explain",
		    json_object_get(j, "explain"), "advise",
		    json_object_get(j, "advise"));
		print_json_value(part);
		json_decref(part);
	} else {
		result_format(&res, line, sizeof(line));
		report_explain_text(&res, text, sizeof(text));
		printf("%s\n%s", line, text[0] ? text :
		    "no PMTU is known, so there is nothing to explain\n");
	}
	result_clear(&res);
	json_decref(j);
	return EXIT_SUCCESS;
}

int
check_run(struct opts *o)
{
	struct check_params	 p;
	struct ctl_error	 err;
	struct result		 res;
	json_t			*j = NULL;
	char			 buf[640], why[512];
	enum check_status	 st;
	int			 rc;

	rc = ask_finding(o, &j, &err);
	if (rc == 1 && result_from_json(j, &res, why, sizeof(why)) == 0) {
		memset(&p, 0, sizeof(p));
		p.min_mtu = o->min_mtu;
		p.warn_mtu = o->warn_mtu;
		p.max_age_ms = (int64_t)o->max_age_s * 1000;
		st = check_result(&res, &p, wall_ms(), buf, sizeof(buf));
		result_clear(&res);
	} else {
		if (rc == 0)
			snprintf(why, sizeof(why), "%s: %s", err.code,
			    err.message);
		else if (rc < 0)
			snprintf(why, sizeof(why), "%s", err.message);
		st = check_unknown(why, buf, sizeof(buf));
	}
	json_decref(j);
	printf("%s\n", buf);
	return (int)st;
}
