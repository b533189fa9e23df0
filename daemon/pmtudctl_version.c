/* SPDX-License-Identifier: ISC */
/* pmtudctl version: the daemon's version and ours. */
#include <err.h>
#include <stdio.h>

#include "version.h"
#include "pmtudctl.h"

static int	 version_exec(struct pmtudctl *);

static const struct option version_options[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_version = {
	.name = "version",
	.shortopts = "",
	.longopts = version_options,
	.dest = PMTUDCTL_DEST_NONE,
	.usage = "version [--json] [--timeout SECONDS]",
	.exec = version_exec,
};

static int
version_print(const json_t *result, int json)
{
	json_t	*v;

	v = json_object_get(result, "version");
	if (!json_is_string(v)) {
		warnx("invalid reply from pmtud: no \"version\"");
		return -1;
	}
	if (json)
		return pmtudctl_print_json(result, JSON_INDENT(2));
	fputs("pmtud ", stdout);
	pmtudctl_print_clean(json_string_value(v));
	printf("pmtudctl %s\n", PMTUD_VERSION);
	return 0;
}

static int
version_exec(struct pmtudctl *c)
{
	struct ctl_request	 req;

	pmtudctl_request(c, CTL_CMD_VERSION, &req);
	return pmtudctl_show(c, &req, version_print);
}
