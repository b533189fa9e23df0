/* SPDX-License-Identifier: ISC */
/* pmtudctl reload: have the daemon read its configuration again. */
#include "pmtudctl.h"

static int	 reload_exec(struct pmtudctl *);

const struct pmtudctl_cmd pmtudctl_cmd_reload = {
	.name = "reload",
	.shortopts = "",
	.longopts = NULL,
	.dest = PMTUDCTL_DEST_NONE,
	.usage = "reload [--timeout SECONDS]   "
	    "(read the configuration again)",
	.exec = reload_exec,
};

static int
reload_exec(struct pmtudctl *c)
{
	struct ctl_request	 req;

	pmtudctl_request(c, CTL_CMD_RELOAD, &req);
	return pmtudctl_show(c, &req, NULL);
}
