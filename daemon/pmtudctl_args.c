/* SPDX-License-Identifier: ISC */
/*
 * A command's options and destination, read by the command's row: an
 * option the row does not list is refused by getopt, naming the command.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "pmtudctl.h"

#define MAX_TIMEOUT_S		86400.0

/* Taken by every command. */
static const struct option every_cmd[] = {
	{ "socket",	required_argument,	NULL, 's' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ NULL,		0,			NULL, 0 }
};

/* The row's long options and every_cmd's in one list; NULL: no memory. */
static struct option *
options_merge(const struct option *own)
{
	struct option	*all;
	size_t		 n = 0, m = 0;

	while (own != NULL && own[n].name != NULL)
		n++;
	while (every_cmd[m].name != NULL)
		m++;
	if ((all = calloc(n + m + 1, sizeof(*all))) == NULL)
		return NULL;
	if (n > 0)
		memcpy(all, own, n * sizeof(*all));
	memcpy(all + n, every_cmd, m * sizeof(*all));
	return all;
}

/* Returns -1 (message printed) or 0. */
static int
parse_timeout(const char *s, int *ms)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(d) ||
	    d <= 0 || d > MAX_TIMEOUT_S) {
		warnx("bad timeout \"%s\": want seconds, more than 0 and "
		    "at most %.0f", s, MAX_TIMEOUT_S);
		return -1;
	}
	/* Round up by hand: 0.0001 s must not become 0. */
	d *= 1000;
	*ms = (int)d;
	if (*ms < d)
		(*ms)++;
	return 0;
}

/* One option getopt accepted for the command.  1: help printed. */
static int
option_take(struct pmtudctl *c, int ch, char *arg)
{
	switch (ch) {
	case 'h':
		printf("usage: pmtudctl %s\n", c->cmd->usage);
		return 1;
	case '4':
	case '6':
		c->family = ch - '0';
		return 0;
	case 'j':
		c->json = 1;
		return 0;
	case 't':
		return parse_timeout(arg, &c->timeout_ms);
	case 's':
		c->socket = arg;
		return 0;
	}
	if (ch == '?' || ch == ':' || ch < 0 || ch > UCHAR_MAX)
		return -1;	/* getopt said why */
	c->opt[ch] = arg != NULL ? arg : "";
	return 0;
}

static int
dest_take(struct pmtudctl *c, int nargs, char **args)
{
	const char	*name = c->cmd->name;

	if (c->cmd->dest == PMTUDCTL_DEST_REQUIRED && nargs != 1) {
		warnx("%s takes one destination", name);
		return -1;
	}
	if (c->cmd->dest == PMTUDCTL_DEST_OPTIONAL && nargs > 1) {
		warnx("%s takes at most one destination", name);
		return -1;
	}
	if (c->cmd->dest == PMTUDCTL_DEST_NONE && nargs > 0) {
		warnx("%s takes no destination", name);
		return -1;
	}
	c->dest = nargs > 0 ? args[0] : NULL;
	if (c->dest != NULL &&
	    (c->dest[0] == '\0' || strlen(c->dest) >= CTL_DESTLEN)) {
		warnx("destination must be 1 to %d bytes", CTL_DESTLEN - 1);
		return -1;
	}
	return 0;
}

int
pmtudctl_args(struct pmtudctl *c, int argc, char **argv)
{
	static char	 label[64];
	struct option	*longopts;
	char		 shortopts[16];
	int		 ch, rc = 0;

	if ((longopts = options_merge(c->cmd->longopts)) == NULL) {
		warn(NULL);
		return -1;
	}
	snprintf(shortopts, sizeof(shortopts), "%sh", c->cmd->shortopts);
	/* getopt's messages name the command. */
	snprintf(label, sizeof(label), "%s %s", program_invocation_short_name,
	    c->cmd->name);
	argv[0] = label;
	optind = 0;	/* glibc: start over, permuting operands last */
	while (rc == 0 &&
	    (ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		rc = option_take(c, ch, optarg);
	free(longopts);
	if (rc != 0)
		return rc;
	return dest_take(c, argc - optind, argv + optind);
}

int
pmtudctl_usage_error(const struct pmtudctl *c)
{
	fprintf(stderr, "usage: pmtudctl %s\n", c->cmd->usage);
	return c->cmd->usage_exit != NULL ? c->cmd->usage_exit() : EX_USAGE;
}

int
pmtudctl_opt_long(const struct pmtudctl *c, int ch, const char *what,
    long min, long max, long *v)
{
	const char	*s = c->opt[ch];
	char		*end;

	*v = 0;
	if (s == NULL)
		return 0;
	errno = 0;
	*v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || *v < min ||
	    *v > max) {
		warnx("bad %s \"%s\"", what, s);
		return -1;
	}
	return 0;
}
