/* SPDX-License-Identifier: ISC */
/* pmtudctl probe DEST: measure the path MTU now and print the finding. */
#include <err.h>
#include <stdio.h>

#include "flow.h"
#include "method.h"
#include "pmtudctl.h"

#define PROBE_TIMEOUT_MS	60000	/* a search through loss takes long */
#define PROBE_FLOW_MS		30000	/* ... and each further flow */

static int	 probe_exec(struct pmtudctl *);

static const struct option probe_options[] = {
	{ "method",	required_argument,	NULL, 'm' },
	{ "port",	required_argument,	NULL, 'P' },
	{ "no-walk",	no_argument,		NULL, 'W' },
	{ "flows",	required_argument,	NULL, 'F' },
	{ "json",	no_argument,		NULL, 'j' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_probe = {
	.name = "probe",
	.shortopts = "46",
	.longopts = probe_options,
	.dest = PMTUDCTL_DEST_REQUIRED,
	.usage = "probe DEST [-4|-6] [--method auto|icmp|udp|tcp] "
	    "[--port N]\n"
	    "                [--no-walk] [--flows N] [--json] [--timeout SECONDS]",
	.exec = probe_exec,
};

/* The request from the options; -1: bad usage (said why). */
static int
probe_request(const struct pmtudctl *c, struct ctl_request *req)
{
	const char	*method = c->opt['m'];
	long		 port, flows;

	pmtudctl_request(c, CTL_CMD_PROBE, req);
	if (method != NULL && method_parse(method, &req->method) == -1) {
		warnx("bad method \"%s\": want " METHOD_CHOICES, method);
		return -1;
	}
	if (pmtudctl_opt_long(c, 'P', "port", 1, 65535, &port) == -1)
		return -1;
	if (port != 0 && req->method != METHOD_TCP) {
		warnx("--port goes with --method tcp");
		return -1;
	}
	req->port = (unsigned)port;
	req->no_walk = c->opt['W'] != NULL;
	if (pmtudctl_opt_long(c, 'F', "flows", 1, FLOW_MAX, &flows) == -1)
		return -1;
	req->flows = (unsigned)flows;
	return 0;
}

static int
probe_exec(struct pmtudctl *c)
{
	struct ctl_request	 req;

	if (probe_request(c, &req) == -1)
		return pmtudctl_usage_error(c);
	if (c->timeout_ms == 0)
		c->timeout_ms = PROBE_TIMEOUT_MS + (req.flows > 1 ?
		    (req.flows - 1) * PROBE_FLOW_MS : 0);
	return pmtudctl_show(c, &req, pmtudctl_print_finding);
}
