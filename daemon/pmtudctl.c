/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl: asks a running pmtud over its control socket and prints the
 * answer.  A client only: it never probes or resolves names itself.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "pkt.h"
#include "result.h"
#include "version.h"
#include "pmtudctl.h"

static int	 print_json(const json_t *, size_t);

#define DEFAULT_SOCKET		"/run/pmtud/pmtud.sock"
#define PROBE_TIMEOUT_MS	60000	/* a search through loss takes long */
#define OTHER_TIMEOUT_MS	10000
#define MAX_TIMEOUT_S		86400.0
#define REQUEST_ID		1


static char	 progname[] = "pmtudctl";

void
warnx(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pmtudctl [--socket PATH] [-h|--help] [--version] "
	    "COMMAND ...\n"
	    "       pmtudctl probe DEST [-4|-6] [--method auto|icmp|udp|tcp] "
	    "[--port N]\n"
	    "                [--no-walk] [--json] [--timeout SECONDS]\n"
	    "       pmtudctl status [DEST] [-4|-6] [--state STATE] [--json] "
	    "[--timeout SECONDS]\n"
	    "       pmtudctl version [--json] [--timeout SECONDS]\n"
	    "       pmtudctl watch [--count N]   (events as JSON lines)\n"
	    "       pmtudctl metrics             (Prometheus text format)\n"
	    "       pmtudctl reload              (read the configuration again)\n"
	    "       pmtudctl check DEST [-4|-6] [--min-mtu N] [--warn-mtu N] "
	    "[--max-age SECONDS]\n"
	    "                (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)\n"
	    "       pmtudctl explain DEST [-4|-6] [--json]\n"
	    "The socket is --socket, else $PMTUD_SOCKET, else "
	    DEFAULT_SOCKET ".\n");
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
	/* Round up by hand: no libm, and 0.0001 s must not become 0. */
	d *= 1000;
	*ms = (int)d;
	if (*ms < d)
		(*ms)++;
	return 0;
}

static int
parse_method(const char *s, enum method *method)
{
	if (method_parse(s, method) == -1) {
		warnx("bad method \"%s\": want " METHOD_CHOICES, s);
		return -1;
	}
	return 0;
}

/* Global options, up to the command.  1: done (help, version). */
static int
parse_global(int argc, char **argv, struct opts *o)
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
			o->socket = optarg;
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

static int
parse_check_opt(struct opts *o, int ch, const char *arg)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || errno != 0 || v < 1 ||
	    (ch != 'a' && v > 65535)) {
		warnx("bad number \"%s\"", arg);
		return -1;
	}
	if (!o->check) {
		warnx("--min-mtu, --warn-mtu and --max-age go with check");
		return -1;
	}
	if (ch == 'M')
		o->min_mtu = (int)v;
	else if (ch == 'w')
		o->warn_mtu = (int)v;
	else
		o->max_age_s = v;
	return 0;
}

/* The command's options and operands; argv[0] is the command.  1: help. */
static int
parse_command(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "method",	required_argument,	NULL, 'm' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "socket",	required_argument,	NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "no-walk",	no_argument,		NULL, 'W' },
		{ "port",	required_argument,	NULL, 'P' },
		{ "count",	required_argument,	NULL, 'c' },
		{ "state",	required_argument,	NULL, 'S' },
		{ "min-mtu",	required_argument,	NULL, 'M' },
		{ "warn-mtu",	required_argument,	NULL, 'w' },
		{ "max-age",	required_argument,	NULL, 'a' },
		{ NULL,		0,			NULL, 0 }
	};
	char	*end;
	int	 ch, method_set = 0, nargs;

	optind = 0;	/* glibc: start over, permuting operands last */
	while ((ch = getopt_long(argc, argv, "46h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 1;
		case '4':
		case '6':
			o->family = ch - '0';
			break;
		case 'j':
			o->json = 1;
			break;
		case 'm':
			if (parse_method(optarg, &o->method) == -1)
				return -1;
			method_set = 1;
			break;
		case 't':
			if (parse_timeout(optarg, &o->timeout_ms) == -1)
				return -1;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'W':
			o->no_walk = 1;
			break;
		case 'P':
			o->port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || o->port < 1 ||
			    o->port > 65535) {
				warnx("bad port \"%s\"", optarg);
				return -1;
			}
			break;
		case 'M':
		case 'w':
		case 'a':
			if (parse_check_opt(o, ch, optarg) == -1)
				return -1;
			break;
		case 'S':
			if (result_state_parse(optarg,
			    (enum result_state *)&o->state) == -1) {
				warnx("bad state \"%s\": ok, blackhole, "
				    "unreachable or error", optarg);
				return -1;
			}
			break;
		case 'c':
			o->count = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || o->count < 1) {
				warnx("bad count \"%s\"", optarg);
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	nargs = argc - optind;
	o->dest = nargs > 0 ? argv[optind] : NULL;

	switch (o->cmd) {
	case CTL_CMD_PROBE:
		if (nargs != 1) {
			warnx("probe takes one destination");
			return -1;
		}
		break;
	case CTL_CMD_STATUS:
		if ((o->check || o->explain) && nargs != 1) {
			warnx("%s takes one destination", o->check ? "check" :
			    "explain");
			return -1;
		}
		if (nargs > 1 || method_set) {
			warnx("status takes at most one destination and no "
			    "--method");
			return -1;
		}
		break;
	case CTL_CMD_VERSION:
	case CTL_CMD_WATCH:
	case CTL_CMD_METRICS:
	case CTL_CMD_RELOAD:
	case CTL_CMD_HISTORY:	/* not a command of this pmtudctl yet */
		if (nargs > 0 || method_set || o->family != 0) {
			warnx("%s takes no destination, -4, -6 or --method",
			    ctl_cmd_name(o->cmd));
			return -1;
		}
		break;
	}
	if (o->port != 0 && o->method != METHOD_TCP) {
		warnx("--port goes with --method tcp");
		return -1;
	}
	if ((o->no_walk && o->cmd != CTL_CMD_PROBE) ||
	    (o->count != 0 && o->cmd != CTL_CMD_WATCH) ||
	    (o->state != 0 && (o->cmd != CTL_CMD_STATUS || o->dest != NULL))) {
		warnx("--no-walk goes with probe, --count with watch, --state "
		    "with status without a destination");
		return -1;
	}
	if (o->dest != NULL &&
	    (o->dest[0] == '\0' || strlen(o->dest) >= CTL_DESTLEN)) {
		warnx("destination must be 1 to %d bytes", CTL_DESTLEN - 1);
		return -1;
	}
	return 0;
}

/* -1: bad usage (said why), 0: go on, 1: done. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	const char	*cmd, *env;
	int		 rc;

	memset(o, 0, sizeof(*o));
	if (argc < 1)
		return -1;
	argv[0] = progname;	/* getopt's messages start with it */
	if ((rc = parse_global(argc, argv, o)) != 0)
		return rc;
	if (optind >= argc) {
		warnx("no command");
		return -1;
	}
	cmd = argv[optind];
	if (strcmp(cmd, "probe") == 0)
		o->cmd = CTL_CMD_PROBE;
	else if (strcmp(cmd, "status") == 0)
		o->cmd = CTL_CMD_STATUS;
	else if (strcmp(cmd, "version") == 0)
		o->cmd = CTL_CMD_VERSION;
	else if (strcmp(cmd, "watch") == 0)
		o->cmd = CTL_CMD_WATCH;
	else if (strcmp(cmd, "metrics") == 0)
		o->cmd = CTL_CMD_METRICS;
	else if (strcmp(cmd, "reload") == 0)
		o->cmd = CTL_CMD_RELOAD;
	else if (strcmp(cmd, "check") == 0) {
		o->cmd = CTL_CMD_STATUS;
		o->check = 1;
	} else if (strcmp(cmd, "explain") == 0) {
		o->cmd = CTL_CMD_STATUS;
		o->explain = 1;
	} else {
		warnx("unknown command \"%s\"", cmd);
		return -1;
	}
	argv[optind] = progname;
	if ((rc = parse_command(argc - optind, argv + optind, o)) != 0)
		return rc;

	if (o->socket == NULL) {
		env = getenv("PMTUD_SOCKET");
		o->socket = env != NULL && *env != '\0' ? env : DEFAULT_SOCKET;
	}
	if (o->timeout_ms == 0)
		o->timeout_ms = o->cmd == CTL_CMD_PROBE ?
		    PROBE_TIMEOUT_MS : OTHER_TIMEOUT_MS;
	return 0;
}

static char *
build_request(const struct opts *o)
{
	struct ctl_request	 req;

	memset(&req, 0, sizeof(req));
	req.cmd = o->cmd;
	if (o->dest != NULL)
		snprintf(req.destination, sizeof(req.destination), "%s",
		    o->dest);
	req.family = o->family;
	req.method = o->method;
	req.no_walk = o->no_walk;
	req.port = (unsigned)o->port;
	req.state = o->state;
	return ctl_request_line(REQUEST_ID, &req);
}

/* A connected socket, or -1 with errno set. */
static int
connect_socket(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for ev on fd until deadline: 1 ready, 0 timed out, -1 error. */
static int
wait_fd(int fd, short ev, long long deadline)
{
	struct pollfd	 pfd;
	long long	 left;
	int		 n;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		pfd.fd = fd;
		pfd.events = ev;
		pfd.revents = 0;
		n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != 0)
			return n > 0 ? 1 : -1;
	}
}

static int
send_line(int fd, const char *line, long long deadline)
{
	size_t	 len = strlen(line), off = 0;
	ssize_t	 n;
	int	 rc;

	while (off < len) {
		if ((rc = wait_fd(fd, POLLOUT, deadline)) <= 0) {
			if (rc == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno != EINTR && errno != EAGAIN)
			return -1;
		if (n > 0)
			off += (size_t)n;
	}
	return 0;
}

/* Watchers wait for events without end. */
#define FOREVER		(1LL << 62)

/*
 * The next line (without its newline) from r, up to r->max bytes;
 * its length, or -1 with a message printed.  eof_ok: a clean close
 * between lines returns -2 quietly.
 */
static ssize_t
recv_line(struct reader *r, long long deadline, const struct opts *o,
    int eof_ok)
{
	ssize_t	 n;
	char	*nl;
	int	 rc;

	memmove(r->buf, r->buf + r->used, r->have - r->used);
	r->have -= r->used;
	r->used = 0;
	for (;;) {
		if ((nl = memchr(r->buf, '\n', r->have)) != NULL) {
			r->used = nl - r->buf + 1;
			return nl - r->buf;
		}
		if (r->have > r->max) {
			warnx("reply longer than %zu bytes", r->max);
			return -1;
		}
		if ((rc = wait_fd(r->fd, POLLIN, deadline)) == 0) {
			warnx("no reply from pmtud within %.3g s",
			    o->timeout_ms / 1000.0);
			return -1;
		}
		if (rc == -1 || ((n = read(r->fd, r->buf + r->have,
		    r->max + 1 - r->have)) == -1 &&
		    errno != EINTR && errno != EAGAIN)) {
			warnx("%s: %s", o->socket, strerror(errno));
			return -1;
		}
		if (n == 0) {
			if (eof_ok && r->have == 0)
				return -2;
			warnx("pmtud closed the connection %s", r->have == 0 ?
			    "without a reply" : "in the middle of a reply");
			return -1;
		}
		if (n > 0)
			r->have += (size_t)n;
	}
}

int
exchange(const struct opts *o, const char *request, struct reader *r,
    size_t *len)
{
	long long	 deadline;
	ssize_t		 n;

	if ((r->fd = connect_socket(o->socket)) == -1) {
		warnx("cannot connect to %s: %s (is pmtud running?)",
		    o->socket, strerror(errno));
		return EXIT_NOCONNECT;
	}
	deadline = now_ms() + o->timeout_ms;
	if (send_line(r->fd, request, deadline) == -1) {
		warnx("%s: sending the request: %s", o->socket,
		    strerror(errno));
		return EXIT_FAILED;
	}
	if ((n = recv_line(r, deadline, o, 0)) < 0)
		return EXIT_FAILED;
	*len = (size_t)n;
	return EXIT_SUCCESS;
}

static int	 print_result(const json_t *, int, size_t);

/* A status listing: one finding a line until the closing line. */
static int
read_listing(struct reader *r, const struct opts *o, const char *first,
    size_t len)
{
	struct ctl_error	 err;
	json_t			*id, *res;
	long long		 deadline = now_ms() + o->timeout_ms;
	ssize_t			 n;
	int			 rc;

	for (;;) {
		rc = ctl_reply_parse(first, len, &id, &res, &err);
		if (rc == 1 && (!json_is_integer(id) ||
		    json_integer_value(id) != REQUEST_ID)) {
			warnx("invalid reply from pmtud: the id is not ours");
			rc = -2;
		} else if (rc == 1 && print_result(res, o->json,
		    JSON_COMPACT) == -1)
			rc = -2;
		json_decref(id);
		json_decref(res);
		if (rc == 2)
			return EXIT_SUCCESS;
		if (rc == 0)
			warnx("%s: %s", err.code, err.message);
		else if (rc == -1)
			warnx("invalid reply from pmtud: %s", err.message);
		if (rc != 1)
			return EXIT_FAILED;
		if ((n = recv_line(r, deadline, o, 0)) < 0)
			return EXIT_FAILED;
		first = r->buf;
		len = (size_t)n;
	}
}

/* After the watch reply: every event line as it comes, as JSON. */
static int
watch_events(struct reader *r, const struct opts *o)
{
	json_t		*ev;
	json_error_t	 jerr;
	ssize_t		 n;
	long		 seen = 0;

	while (o->count == 0 || seen < o->count) {
		if ((n = recv_line(r, FOREVER, o, 1)) == -2)
			return EXIT_SUCCESS;	/* the daemon went away */
		if (n < 0)
			return EXIT_FAILED;
		ev = json_loadb(r->buf, (size_t)n, 0, &jerr);
		if (!json_is_object(ev) ||
		    !json_is_string(json_object_get(ev, "event"))) {
			warnx("invalid event from pmtud");
			json_decref(ev);
			return EXIT_FAILED;
		}
		print_json(ev, JSON_COMPACT);
		json_decref(ev);
		fflush(stdout);
		seen++;
	}
	return EXIT_SUCCESS;
}

/* Whatever the daemon says goes to a terminal: no control bytes. */
static void
print_clean(const char *s)
{
	for (; *s != '\0'; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	putchar('\n');
}

static int
print_json(const json_t *j, size_t flags)
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

static int
print_result(const json_t *j, int json, size_t flags)
{
	struct result	 r;
	char		 err[256], line[1024];

	if (result_from_json(j, &r, err, sizeof(err)) == -1) {
		warnx("invalid result from pmtud: %s", err);
		return -1;
	}
	result_format(&r, line, sizeof(line));
	result_clear(&r);
	if (json)
		return print_json(j, flags);
	print_clean(line);
	return 0;
}

void
print_json_value(const json_t *j)
{
	print_json(j, JSON_INDENT(2));
}

/* The exposition as it is, for a scraper's text file or a terminal. */
static int
print_metrics(const json_t *result, int json)
{
	json_t	*v = json_object_get(result, "text");

	if (!json_is_string(v)) {
		warnx("invalid reply from pmtud: no \"text\"");
		return EXIT_FAILED;
	}
	if (json)
		return print_json(result, JSON_INDENT(2)) == 0 ?
		    EXIT_SUCCESS : EXIT_FAILED;
	fwrite(json_string_value(v), 1, json_string_length(v), stdout);
	return EXIT_SUCCESS;
}

static int
print_version(const json_t *result, int json)
{
	json_t	*v;

	v = json_object_get(result, "version");
	if (!json_is_string(v)) {
		warnx("invalid reply from pmtud: no \"version\"");
		return -1;
	}
	if (json)
		return print_json(result, JSON_INDENT(2));
	fputs("pmtud ", stdout);
	print_clean(json_string_value(v));
	printf("pmtudctl %s\n", PMTUD_VERSION);
	return 0;
}

/* Parses and prints the reply; returns the exit status. */
static int
print_reply(const struct opts *o, const char *line, size_t len)
{
	struct ctl_error	 err;
	json_t			*id, *result;
	int			 rc, status = EXIT_FAILED;

	rc = ctl_reply_parse(line, len, &id, &result, &err);
	if (rc == -1)
		warnx("invalid reply from pmtud: %s", err.message);
	else if (rc == 0)
		warnx("%s: %s", err.code, err.message);
	else if (!json_is_integer(id) || json_integer_value(id) != REQUEST_ID)
		warnx("invalid reply from pmtud: the id is not ours");
	else if (!json_is_object(result))
		warnx("invalid reply from pmtud: \"result\" is not an object");
	else if (o->cmd == CTL_CMD_WATCH)
		status = EXIT_SUCCESS;
	else if (o->cmd == CTL_CMD_METRICS)
		status = print_metrics(result, o->json);
	else if (o->cmd == CTL_CMD_RELOAD)
		status = EXIT_SUCCESS;
	else if ((o->cmd == CTL_CMD_VERSION ?
	    print_version(result, o->json) :
	    print_result(result, o->json, JSON_INDENT(2))) == 0)
		status = EXIT_SUCCESS;
	json_decref(id);
	json_decref(result);
	return status;
}

int
main(int argc, char *argv[])
{
	struct opts	 o;
	struct reader	 r;
	char		*request;
	size_t		 len;
	int		 rc;

	if ((rc = parse_args(argc, argv, &o)) != 0) {
		if (rc == -1)
			usage(stderr);
		if (rc == -1 && o.check) {
			/* A monitoring system reads stdout and 3. */
			printf("PMTUD UNKNOWN - bad usage of pmtudctl check\n");
			return 3;
		}
		return rc == -1 ? EX_USAGE : EXIT_SUCCESS;
	}
	if (o.check)
		return check_run(&o);
	if (o.explain)
		return explain_run(&o);
	memset(&r, 0, sizeof(r));
	r.fd = -1;
	request = build_request(&o);
	r.max = o.cmd == CTL_CMD_METRICS ? METRICS_MAX_LINE : CTL_MAX_LINE;
	r.buf = malloc(r.max + 1);
	if (request == NULL || r.buf == NULL) {
		warnx("out of memory");
		rc = EXIT_FAILED;
	} else if ((rc = exchange(&o, request, &r, &len)) != EXIT_SUCCESS)
		;
	else if (o.cmd == CTL_CMD_STATUS && o.dest == NULL)
		rc = read_listing(&r, &o, r.buf, len);
	else
		rc = print_reply(&o, r.buf, len);
	if (rc == EXIT_SUCCESS && o.cmd == CTL_CMD_WATCH)
		rc = watch_events(&r, &o);
	if (r.fd != -1)
		close(r.fd);
	free(request);
	free(r.buf);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx("stdout: %s", strerror(errno));
		rc = EXIT_FAILED;
	}
	return rc;
}
