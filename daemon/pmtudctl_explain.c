/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl explain DEST: the finding and what it means, what to
 * configure.  A destination with no finding yet is probed first (if
 * this user may).
 */
#include <err.h>
#include <stdio.h>

#include "report.h"
#include "result.h"
#include "pmtudctl.h"

static int	 explain_exec(struct pmtudctl *);

static const struct option explain_options[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_explain = {
	.name = "explain",
	.shortopts = "46",
	.longopts = explain_options,
	.dest = PMTUDCTL_DEST_REQUIRED,
	.usage = "explain DEST [-4|-6] [--json] [--timeout SECONDS]",
	.exec = explain_exec,
};

/* The finding's "explain" and "advise" members. */
static void
explain_json(const json_t *j)
{
	json_t	*part;

	part = json_pack("{s:O?,s:O?}", "explain",
	    json_object_get(j, "explain"), "advise",
	    json_object_get(j, "advise"));
	pmtudctl_print_json(part, JSON_INDENT(2));
	json_decref(part);
}

static void
explain_text(const struct result *res)
{
	char	 line[1024], text[8192];

	result_format(res, line, sizeof(line));
	report_explain_text(res, text, sizeof(text));
	printf("%s\n%s", line, text[0] ? text :
	    "no PMTU is known, so there is nothing to explain\n");
}

static int
explain_exec(struct pmtudctl *c)
{
	struct ctl_error	 err;
	struct result		 res;
	json_t			*j = NULL;
	char			 why[512];
	int			 rc;

	rc = pmtudctl_finding(c, &j, &err);
	if ((rc = pmtudctl_exit_status(rc, &err, &j)) != EXIT_SUCCESS)
		return rc;
	if (result_from_json(j, &res, why, sizeof(why)) == -1) {
		warnx("invalid result from pmtud: %s", why);
		json_decref(j);
		return EXIT_FAILED;
	}
	if (c->json)
		explain_json(j);
	else
		explain_text(&res);
	result_clear(&res);
	json_decref(j);
	return EXIT_SUCCESS;
}
