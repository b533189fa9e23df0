/* SPDX-License-Identifier: ISC */
/* pmtudctl's output: findings as lines for people, or as JSON. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "result.h"
#include "pmtudctl.h"

/* Whatever the daemon says goes to a terminal: no control bytes. */
void
pmtudctl_print_clean(const char *s)
{
	for (; *s != '\0'; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	putchar('\n');
}

int
pmtudctl_print_json(const json_t *j, size_t flags)
{
	char	*s;

	if ((s = json_dumps(j, flags | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(6))) == NULL) {
		warnx("out of memory");
		return -1;
	}
	puts(s);
	free(s);
	return 0;
}

/* "  since 2026-12-03 21:07": when the path's present state began,
 * in local time like the history's lines. */
static void
append_since(int64_t ms, char *line, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);
	size_t		 n = strlen(line);

	if (localtime_r(&t, &tm) == NULL || n + 1 >= len)
		return;
	strftime(line + n, len - n, "  since %Y-%m-%d %H:%M", &tm);
}

static int
print_result(const json_t *j, int json, size_t flags, int since)
{
	struct result	 r;
	char		 err[256], line[1024];

	if (result_from_json(j, &r, err, sizeof(err)) == -1) {
		warnx("invalid result from pmtud: %s", err);
		return -1;
	}
	result_format(&r, line, sizeof(line));
	if (since && r.since_ms >= 0)
		append_since(r.since_ms, line, sizeof(line));
	result_clear(&r);
	if (json)
		return pmtudctl_print_json(j, flags);
	pmtudctl_print_clean(line);
	return 0;
}

int
pmtudctl_print_result(const json_t *j, int json, size_t flags)
{
	return print_result(j, json, flags, 0);
}

int
pmtudctl_print_status(const json_t *j, int json, size_t flags)
{
	return print_result(j, json, flags, 1);
}

int
pmtudctl_print_finding(const json_t *j, int json)
{
	return print_result(j, json, JSON_INDENT(2), 0);
}

int
pmtudctl_print_status_finding(const json_t *j, int json)
{
	return print_result(j, json, JSON_INDENT(2), 1);
}

int
pmtudctl_show(const struct pmtudctl *c, const struct ctl_request *req,
    int (*print)(const json_t *, int))
{
	json_t	*result;
	int	 rc;

	if ((rc = pmtudctl_call(c, req, &result)) != EXIT_SUCCESS)
		return rc;
	if (print != NULL && print(result, c->json) == -1)
		rc = EXIT_FAILED;
	json_decref(result);
	return rc;
}
