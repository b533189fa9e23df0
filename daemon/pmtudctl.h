/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl's pieces, shared by its command files.  Each command is one
 * file defining one struct pmtudctl_cmd, listed in the table in
 * pmtudctl.c.
 */
#ifndef PMTUDCTL_H
#define PMTUDCTL_H

#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "ctl.h"

#define EXIT_FAILED		1	/* the request failed */
#define EXIT_NOCONNECT		2	/* no daemon to ask */

struct pmtudctl;

enum pmtudctl_dest {
	PMTUDCTL_DEST_NONE,
	PMTUDCTL_DEST_OPTIONAL,
	PMTUDCTL_DEST_REQUIRED,
};

/*
 * One command.  Its options are refused unless listed here; --socket,
 * --help and --timeout are taken by every command.  The short options
 * -4 and -6 and the long option whose value is 'j' (--json) mean the
 * same to every command that lists them and are read for it; every
 * other option is left in opt[] for exec.
 */
struct pmtudctl_cmd {
	const char		*name;
	const char		*shortopts;	/* getopt's: "46" or "" */
	const struct option	*longopts;	/* a zero row ends; NULL none */
	enum pmtudctl_dest	 dest;
	const char		*usage;		/* what follows "pmtudctl " */
	/* Runs the command; its exit status. */
	int			(*exec)(struct pmtudctl *);
	/* Bad usage, after the usage line: the exit status (NULL: 64). */
	int			(*usage_exit)(void);
};

/* What a command was given. */
struct pmtudctl {
	const struct pmtudctl_cmd *cmd;
	const char	*socket;
	const char	*dest;		/* NULL if none */
	int		 family;	/* 0, 4 or 6 */
	int		 json;
	int		 timeout_ms;	/* 0: the default */
	size_t		 max_line;	/* the longest reply; 0: CTL_MAX_LINE */
	/* The command's own options by getopt value: "" for a flag. */
	const char	*opt[UCHAR_MAX + 1];
};

/* A connection to the daemon and the lines read from it. */
struct pmtudctl_conn {
	const struct pmtudctl *c;
	int		 fd;
	int		 timeout_ms;
	long long	 deadline;	/* monotonic ms */
	char		*buf;		/* max + 1 bytes */
	size_t		 max;		/* longest line accepted */
	size_t		 have;
	size_t		 used;		/* the last line handed out */
};

/* pmtudctl_args.c: a command's options and destination. */
/* -1: bad usage (said why), 0: go on, 1: done (help printed). */
int	 pmtudctl_args(struct pmtudctl *, int argc, char **argv);
/* Bad usage of c's command, said why already: the usage, the status. */
int	 pmtudctl_usage_error(const struct pmtudctl *);
/* Option ch as a number from min to max, "bad what" if not; 0 absent. */
int	 pmtudctl_opt_long(const struct pmtudctl *, int ch, const char *what,
	    long min, long max, long *);

/* pmtudctl_client.c: requests and replies. */
long long pmtudctl_now_ms(void);
/* A request for c's destination and family. */
void	 pmtudctl_request(const struct pmtudctl *, enum ctl_cmd,
	    struct ctl_request *);
/* Connects and sends; 0, -1 (said why) or -2: no daemon (said why). */
int	 pmtudctl_open(struct pmtudctl_conn *, const struct pmtudctl *,
	    const struct ctl_request *);
/*
 * The next line's length (without '\n', in conn->buf); -1 said why;
 * eof_ok: -2 for a clean close between lines.
 */
ssize_t	 pmtudctl_line(struct pmtudctl_conn *, int eof_ok);
/* A reply line: 1 result, 2 end of a listing, 0 error reply, -1 bad. */
int	 pmtudctl_reply(const char *, size_t, json_t **result,
	    struct ctl_error *);
/* The one reply to the request: 1 result, 0 error reply, -1 bad (said). */
int	 pmtudctl_answer(struct pmtudctl_conn *, json_t **result,
	    struct ctl_error *);
void	 pmtudctl_close(struct pmtudctl_conn *);
/*
 * One request, one reply.  1: *result set; 0: an error reply, in err;
 * -1: no reply worth reading, -2: no daemon; both said on stderr and
 * summed up in err->message.
 */
int	 pmtudctl_ask(const struct pmtudctl *, const struct ctl_request *,
	    json_t **result, struct ctl_error *);
/*
 * The exit status for what pmtudctl_ask(), pmtudctl_answer() or
 * pmtudctl_open() returned; an error reply or a result that is not an
 * object is said (and *result dropped).  err and result are read only
 * for 0 and 1.
 */
int	 pmtudctl_exit_status(int rc, const struct ctl_error *,
	    json_t **result);
/* pmtudctl_ask() for an object result: the exit status. */
int	 pmtudctl_call(const struct pmtudctl *, const struct ctl_request *,
	    json_t **result);
/* The destination's stored finding, probed first when there is none. */
int	 pmtudctl_finding(struct pmtudctl *, json_t **result,
	    struct ctl_error *);

/* pmtudctl_print.c: output. */
/* A line from the daemon, control bytes as '?'. */
void	 pmtudctl_print_clean(const char *);
/* Any JSON value with json_dumps() flags; 0 or -1 said why. */
int	 pmtudctl_print_json(const json_t *, size_t flags);
/* A finding: one line, or as JSON with flags if json; 0 or -1. */
int	 pmtudctl_print_result(const json_t *, int json, size_t flags);
/* The same for status: the line ends with since when its state began. */
int	 pmtudctl_print_status(const json_t *, int json, size_t flags);
/* One finding (not a listing's): JSON indented; 0 or -1. */
int	 pmtudctl_print_finding(const json_t *, int json);
int	 pmtudctl_print_status_finding(const json_t *, int json);
/*
 * Asks req and hands the result to print (NULL: nothing to print), which
 * returns 0 or -1 (said why): the exit status.
 */
int	 pmtudctl_show(const struct pmtudctl *, const struct ctl_request *,
	    int (*print)(const json_t *, int json));

#endif
