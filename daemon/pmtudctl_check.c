/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl check DEST: the finding judged for Nagios-style monitoring,
 * one line on stdout and the exit status 0 OK, 1 WARNING, 2 CRITICAL or
 * 3 UNKNOWN.  A destination with no finding yet is probed first (if this
 * user may); anything that keeps us from knowing is UNKNOWN.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "result.h"
#include "pmtudctl.h"

static int	 check_exec(struct pmtudctl *);
static int	 check_usage_exit(void);

static const struct option check_options[] = {
	{ "min-mtu",	required_argument,	NULL, 'M' },
	{ "warn-mtu",	required_argument,	NULL, 'w' },
	{ "max-age",	required_argument,	NULL, 'a' },
	{ NULL,		0,			NULL, 0 }
};

const struct pmtudctl_cmd pmtudctl_cmd_check = {
	.name = "check",
	.shortopts = "46",
	.longopts = check_options,
	.dest = PMTUDCTL_DEST_REQUIRED,
	.usage = "check DEST [-4|-6] [--min-mtu N] [--warn-mtu N] "
	    "[--max-age SECONDS]\n"
	    "                [--timeout SECONDS]   "
	    "(exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)",
	.exec = check_exec,
	.usage_exit = check_usage_exit,
};

/* A monitoring system reads stdout and the status, even for bad usage. */
static int
check_usage_exit(void)
{
	printf("PMTUD UNKNOWN - bad usage of pmtudctl check\n");
	return CHECK_UNKNOWN;
}

static int64_t
wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The thresholds from the options; -1: bad usage (said why). */
static int
check_params(const struct pmtudctl *c, struct check_params *p)
{
	long	 min, warn, age;

	if (pmtudctl_opt_long(c, 'M', "number", 1, 65535, &min) == -1 ||
	    pmtudctl_opt_long(c, 'w', "number", 1, 65535, &warn) == -1 ||
	    pmtudctl_opt_long(c, 'a', "number", 1, INT64_MAX / 1000,
	    &age) == -1)
		return -1;
	memset(p, 0, sizeof(*p));
	p->min_mtu = (int)min;
	p->warn_mtu = (int)warn;
	p->max_age_ms = (int64_t)age * 1000;
	return 0;
}

static int
check_exec(struct pmtudctl *c)
{
	struct check_params	 p;
	struct ctl_error	 err;
	struct result		 res;
	json_t			*j = NULL;
	char			 buf[640], why[512];
	enum check_status	 st;
	int			 rc;

	if (check_params(c, &p) == -1)
		return pmtudctl_usage_error(c);
	rc = pmtudctl_finding(c, &j, &err);
	if (rc == 1 && result_from_json(j, &res, why, sizeof(why)) == 0) {
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
