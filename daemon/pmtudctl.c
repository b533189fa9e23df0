/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl: asks a running pmtud over its control socket and prints the
 * answer.  A client only: it never probes or resolves names itself.
 * Here: the global options and the table of commands.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "version.h"
#include "pmtudctl.h"

#define DEFAULT_SOCKET		"/run/pmtud/pmtud.sock"

extern const struct pmtudctl_cmd pmtudctl_cmd_probe;
extern const struct pmtudctl_cmd pmtudctl_cmd_status;
extern const struct pmtudctl_cmd pmtudctl_cmd_history;
extern const struct pmtudctl_cmd pmtudctl_cmd_explain;
extern const struct pmtudctl_cmd pmtudctl_cmd_check;
extern const struct pmtudctl_cmd pmtudctl_cmd_watch;
extern const struct pmtudctl_cmd pmtudctl_cmd_metrics;
extern const struct pmtudctl_cmd pmtudctl_cmd_reload;
extern const struct pmtudctl_cmd pmtudctl_cmd_version;

static const struct pmtudctl_cmd *const commands[] = {
	&pmtudctl_cmd_probe,
	&pmtudctl_cmd_status,
	&pmtudctl_cmd_history,
	&pmtudctl_cmd_explain,
	&pmtudctl_cmd_check,
	&pmtudctl_cmd_watch,
	&pmtudctl_cmd_metrics,
	&pmtudctl_cmd_reload,
	&pmtudctl_cmd_version,
};

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: pmtudctl [--socket PATH] [-h|--help] [--version] "
	    "COMMAND ...\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "       pmtudctl %s\n", commands[i]->usage);
	fprintf(f, "The socket is --socket, else $PMTUD_SOCKET, else "
	    DEFAULT_SOCKET ".\n");
}

static const struct pmtudctl_cmd *
command_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/* Global options, up to the command.  1: done (help, version). */
static int
parse_global(int argc, char **argv, struct pmtudctl *c)
{
	static const struct option longopts[] = {
		{ "socket",	required_argument,	NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			c->socket = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("pmtudctl %s\n", PMTUD_VERSION);
			return 1;
		default:
			return -1;
		}
	}
	return 0;
}

/*
 * 0: go on, 1: done (help, version); bad usage, said why: -1 before the
 * command, -2 in the command's part.
 */
static int
parse_args(int argc, char **argv, struct pmtudctl *c)
{
	const char	*env;
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (argc < 1)
		return -1;
	/* getopt's messages start with our name, as warnx()'s do. */
	argv[0] = program_invocation_short_name;
	if ((rc = parse_global(argc, argv, c)) != 0)
		return rc;
	if (optind >= argc) {
		warnx("no command");
		return -1;
	}
	if ((c->cmd = command_find(argv[optind])) == NULL) {
		warnx("unknown command \"%s\"", argv[optind]);
		return -1;
	}
	if ((rc = pmtudctl_args(c, argc - optind, argv + optind)) != 0)
		return rc == -1 ? -2 : rc;
	if (c->socket == NULL) {
		env = getenv("PMTUD_SOCKET");
		c->socket = env != NULL && *env != '\0' ? env : DEFAULT_SOCKET;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct pmtudctl	 c;
	int		 rc;

	if ((rc = parse_args(argc, argv, &c)) == -1) {
		usage(stderr);
		return EX_USAGE;
	}
	if (rc == -2)
		return pmtudctl_usage_error(&c);
	if (rc == 1)
		return EXIT_SUCCESS;
	rc = c.cmd->exec(&c);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		if (rc == EXIT_SUCCESS)
			rc = EXIT_FAILED;
	}
	return rc;
}
