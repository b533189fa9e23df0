/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl metrics: the daemon's Prometheus exposition as it is, for a
 * scraper's text file or a terminal; with --json the reply's result.
 */
#include <err.h>
#include <stdio.h>

#include "pmtudctl.h"

/* A metrics reply carries the whole exposition on one line. */
#define METRICS_MAX_LINE	(256 * 1024 * 1024)

static int	 metrics_exec(struct pmtudctl *);

static const struct option metrics_options[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_metrics = {
	.name = "metrics",
	.shortopts = "",
	.longopts = metrics_options,
	.dest = PMTUDCTL_DEST_NONE,
	.usage = "metrics [--json] [--timeout SECONDS]   "
	    "(Prometheus text format)",
	.exec = metrics_exec,
};

static int
metrics_print(const json_t *result, int json)
{
	json_t	*v = json_object_get(result, "text");

	if (!json_is_string(v)) {
		warnx("invalid reply from pmtud: no \"text\"");
		return -1;
	}
	if (json)
		return pmtudctl_print_json(result, JSON_INDENT(2));
	fwrite(json_string_value(v), 1, json_string_length(v), stdout);
	return 0;
}

static int
metrics_exec(struct pmtudctl *c)
{
	struct ctl_request	 req;

	c->max_line = METRICS_MAX_LINE;
	pmtudctl_request(c, CTL_CMD_METRICS, &req);
	return pmtudctl_show(c, &req, metrics_print);
}
