/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl history DEST: the changes of DEST's path, oldest first, one a
 * line for people (local time), or one JSON object a line with --json.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "history.h"
#include "result.h"
#include "pmtudctl.h"

static int	 history_exec(struct pmtudctl *);

static const struct option history_options[] = {
	{ "since",	required_argument,	NULL, 'S' },
	{ "json",	no_argument,		NULL, 'j' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_history = {
	.name = "history",
	.shortopts = "46",
	.longopts = history_options,
	.dest = PMTUDCTL_DEST_REQUIRED,
	.usage = "history DEST [-4|-6] [--since DURATION|TIME] [--json] "
	    "[--timeout SECONDS]",
	.exec = history_exec,
};

/* The request from the options; -1: bad usage (said why). */
static int
history_request(const struct pmtudctl *c, struct ctl_request *req)
{
	const char	*since = c->opt['S'];

	pmtudctl_request(c, CTL_CMD_HISTORY, req);
	if (since == NULL)
		return 0;
	if (conf_duration(since, &req->since_age_ms) == 0)
		req->since = CTL_SINCE_AGE;
	else if (result_time_parse(since, &req->since_at_ms) == 0)
		req->since = CTL_SINCE_TIME;
	else {
		warnx("bad --since \"%s\": a duration (30s, 90m, 12h, 7d) or "
		    "an RFC 3339 UTC time", since);
		return -1;
	}
	return 0;
}

/* "2026-12-03 21:07" in local time, as people read their logs. */
static void
local_minute(int64_t ms, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, len, "?");
}

/* NDJSON: each entry on its own line, with whose it is. */
static int
print_lines(const json_t *result)
{
	const json_t	*entries = json_object_get(result, "history");
	json_t		*e, *line;
	size_t		 i;
	int		 rc = 0;

	json_array_foreach(entries, i, e) {
		if ((line = json_deep_copy(e)) == NULL ||
		    json_object_set(line, "destination",
		    json_object_get(result, "destination")) == -1 ||
		    json_object_set(line, "family",
		    json_object_get(result, "family")) == -1 ||
		    pmtudctl_print_json(line, JSON_COMPACT) == -1)
			rc = -1;
		json_decref(line);
		if (rc == -1)
			return -1;
	}
	return 0;
}

static void
print_summary(const struct history_summary *s)
{
	char	 a[32], b[32];

	if (s->count == 0)
		return;
	local_minute(s->first_seen_ms, a, sizeof(a));
	local_minute(s->last_seen_ms, b, sizeof(b));
	printf("(%llu older %s, %s to %s, not kept)\n",
	    (unsigned long long)s->count, s->count == 1 ? "state" : "states",
	    a, b);
}

static void
print_text(const struct history *h, const char *dest)
{
	const struct history_entry	*e, *prev = NULL;
	char				 when[32], line[512];
	size_t				 i;

	print_summary(history_summary(h));
	if (history_count(h) == 0)
		printf("%s: no path state recorded\n", dest);
	for (i = 0; (e = history_entry(h, i)) != NULL; i++) {
		local_minute(e->first_seen_ms, when, sizeof(when));
		history_format(prev, e, line, sizeof(line));
		printf("%s  %s\n", when, line);
		prev = e;
	}
}

/* What the daemon sent, without control bytes for the terminal. */
static void
clean_copy(const char *s, char *buf, size_t len)
{
	size_t	 i;

	snprintf(buf, len, "%s", s);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
}

static int
history_print(const json_t *result, int json)
{
	struct history	*h;
	const char	*dest;
	char		 err[256];

	if (json)
		return print_lines(result);
	if ((h = history_new()) == NULL) {
		warnx("out of memory");
		return -1;
	}
	dest = json_string_value(json_object_get(result, "destination"));
	if (dest == NULL || history_from_json(h,
	    json_object_get(result, "history"),
	    json_object_get(result, "summary"), err, sizeof(err)) == -1) {
		warnx("invalid history from pmtud: %s", dest == NULL ?
		    "no \"destination\"" : err);
		history_free(h);
		return -1;
	}
	clean_copy(dest, err, sizeof(err));
	print_text(h, err);
	history_free(h);
	return 0;
}

static int
history_exec(struct pmtudctl *c)
{
	struct ctl_request	 req;

	if (history_request(c, &req) == -1)
		return pmtudctl_usage_error(c);
	return pmtudctl_show(c, &req, history_print);
}
