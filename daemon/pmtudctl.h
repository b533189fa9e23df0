/* SPDX-License-Identifier: ISC */
/* pmtudctl's pieces, shared by its command files. */
#ifndef PMTUDCTL_H
#define PMTUDCTL_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "ctl.h"

#define EXIT_FAILED		1	/* the request failed */
#define EXIT_NOCONNECT		2	/* no daemon to ask */
/* A metrics reply carries the whole exposition on one line. */
#define METRICS_MAX_LINE	(256 * 1024 * 1024)

struct opts {
	const char	*socket;
	enum ctl_cmd	 cmd;
	const char	*dest;		/* NULL if none */
	int		 family;	/* 0, 4 or 6 */
	enum method	 method;
	int		 json;
	int		 timeout_ms;	/* 0: the command's default */
	int		 no_walk;	/* probe --no-walk */
	long		 port;		/* probe --method tcp --port */
	long		 count;		/* watch --count: stop after N events */
	int		 state;		/* status --state filter, RESULT_* */
	int		 check;		/* check: status judged */
	int		 explain;	/* explain: status explained */
	int		 min_mtu;	/* check --min-mtu */
	int		 warn_mtu;	/* check --warn-mtu */
	long		 max_age_s;	/* check --max-age */
};

/* Lines from the socket; what follows a newline is kept for next time. */
struct reader {
	int		 fd;
	char		*buf;		/* max + 1 bytes */
	size_t		 max;		/* longest line accepted */
	size_t		 have;
	size_t		 used;		/* the last line handed out */
};

void	 warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
long long now_ms(void);
/* Sends a request line and reads the reply line; an exit status. */
int	 exchange(const struct opts *, const char *request, struct reader *,
	    size_t *len);
/* pmtudctl check DEST: a Nagios-style verdict; its exit status. */
int	 check_run(struct opts *);
/* pmtudctl explain DEST: what the PMTU means and what to set. */
int	 explain_run(struct opts *);
/* Prints any JSON value, indented. */
void	 print_json_value(const json_t *);

#endif
