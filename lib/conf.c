/* SPDX-License-Identifier: ISC */
/*
 * pmtud.conf parsing.  A line is a keyword and arguments separated by
 * spaces or tabs; '#' starts a comment where it begins a word (first
 * non-blank character, or after a space or tab), so "a#b" is one word.
 * The text is parsed into a scratch struct conf and copied out only on
 * success, so a failed parse never leaves a half-filled result behind.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "addr.h"
#include "conf.h"
#include "dest.h"
#include "flow.h"
#include "text.h"

#define CONF_MAXLINE	4096		/* bytes, without the line end */
#define CONF_MAXARGS	32		/* more than any keyword takes */
#define CONF_MAXGROUP	32

#define SEC	1000ULL
#define MIN	(60 * SEC)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)

enum setting {
	SET_SOCKET,
	SET_SOCKET_GROUP,
	SET_STATE,
	SET_INTERVAL,
	SET_MAX_PPS,
	SET_ALERT_COMMAND,
	SET_ALERT_TIMEOUT,
	SET_METRICS_LISTEN,
	SET_METRICS_CLIENTS,
	SET_METRICS_PER_ADDR,
	SET_ON_DEMAND_EVENTS,
	SET_MAX
};

struct parser {
	const char	*file;
	unsigned	 line;
	struct conf	*c;
	size_t		 cap;			/* c->dests allocated */
	unsigned	 seen[SET_MAX];		/* line of each setting, 0: unset */
	char		*err;
	size_t		 errlen;
};

struct keyword {
	const char	*name;
	int		 set;			/* SET_*, or -1: repeatable */
	int		 raw;			/* takes the rest of the line */
	int		 (*fn)(struct parser *, int, char **, const char *);
};

static int	kw_socket(struct parser *, int, char **, const char *);
static int	kw_socket_group(struct parser *, int, char **, const char *);
static int	kw_state(struct parser *, int, char **, const char *);
static int	kw_interval(struct parser *, int, char **, const char *);
static int	kw_max_pps(struct parser *, int, char **, const char *);
static int	kw_alert_command(struct parser *, int, char **, const char *);
static int	kw_alert_timeout(struct parser *, int, char **, const char *);
static int	kw_metrics_listen(struct parser *, int, char **, const char *);
static int	kw_metrics_clients(struct parser *, int, char **, const char *);
static int	kw_metrics_per_addr(struct parser *, int, char **,
		    const char *);
static int	kw_on_demand_events(struct parser *, int, char **,
		    const char *);
static int	kw_destination(struct parser *, int, char **, const char *);

static const struct keyword keywords[] = {
	{ "socket",		SET_SOCKET,		0, kw_socket },
	{ "socket-group",	SET_SOCKET_GROUP,	0, kw_socket_group },
	{ "state",		SET_STATE,		0, kw_state },
	{ "interval",		SET_INTERVAL,		0, kw_interval },
	{ "max-pps",		SET_MAX_PPS,		0, kw_max_pps },
	{ "alert-command",	SET_ALERT_COMMAND,	1, kw_alert_command },
	{ "alert-timeout",	SET_ALERT_TIMEOUT,	0, kw_alert_timeout },
	{ "metrics-listen",	SET_METRICS_LISTEN,	0, kw_metrics_listen },
	{ "metrics-max-clients", SET_METRICS_CLIENTS,	0, kw_metrics_clients },
	{ "metrics-max-clients-per-address", SET_METRICS_PER_ADDR, 0,
	    kw_metrics_per_addr },
	{ "on-demand-events",	SET_ON_DEMAND_EVENTS,	0, kw_on_demand_events },
	{ "destination",	-1,			0, kw_destination },
};

/* Copies a string already known to fit (checked by the caller). */
static void
copystr(char *dst, const char *src, size_t dstlen)
{
	size_t	len = strlen(src);

	if (len >= dstlen)
		len = dstlen - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	copystr(c->socket, CONF_DEFAULT_SOCKET, sizeof(c->socket));
	copystr(c->state, CONF_DEFAULT_STATE, sizeof(c->state));
	c->interval_ms = CONF_DEFAULT_INTERVAL;
	c->max_pps = CONF_DEFAULT_PPS;
	c->alert_timeout_ms = CONF_DEFAULT_ALERT_TIMEOUT;
	c->metrics_max_clients = CONF_DEFAULT_METRICS_CLIENTS;
	c->metrics_max_per_addr = CONF_DEFAULT_METRICS_PER_ADDR;
}

void
conf_clear(struct conf *c)
{
	free(c->dests);
	conf_init(c);
}

/* "FILE:LINE: message"; returns -1 so handlers can return perr(...). */
static int __attribute__((format(printf, 2, 3)))
perr(struct parser *p, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (p->err == NULL || p->errlen == 0)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->file, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	text_verror(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int
isdigitc(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
isalphac(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int
isblankc(int ch)
{
	return ch == ' ' || ch == '\t';
}

/* Unsigned decimal: 0, -1 not a number, -2 too big for uint64. */
static int
parse_u64(const char *s, uint64_t *out)
{
	uint64_t	n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!isdigitc(*s))
			return -1;
		if (n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -2;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*out = n;
	return 0;
}

int
conf_duration(const char *s, uint64_t *ms)
{
	uint64_t	n = 0, unit = SEC;

	if (s == NULL || !isdigitc(*s))
		return -1;
	for (; isdigitc(*s); s++) {
		if (n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	switch (*s) {
	case '\0':
		break;
	case 's':
		break;
	case 'm':
		unit = MIN;
		break;
	case 'h':
		unit = HOUR;
		break;
	case 'd':
		unit = DAY;
		break;
	default:
		return -1;
	}
	if (*s != '\0' && s[1] != '\0')
		return -1;
	if (n > UINT64_MAX / unit)
		return -1;
	*ms = n * unit;
	return 0;
}

static int
valid_group(const char *s)
{
	size_t	i;

	if (!isalphac(s[0]) && s[0] != '_')
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		if (!isalphac(s[i]) && !isdigitc(s[i]) && s[i] != '_' &&
		    s[i] != '.' && s[i] != '-')
			return 0;
	}
	return i <= CONF_MAXGROUP;
}

static int
one_arg(struct parser *p, const char *kw, int argc, char **argv)
{
	if (argc < 1)
		return perr(p, "%s: missing argument", kw);
	if (argc > 1)
		return perr(p, "%s: unexpected argument \"%s\"", kw, argv[1]);
	return 0;
}

static int
get_duration(struct parser *p, const char *what, const char *s,
    uint64_t max, const char *range, uint64_t *out)
{
	uint64_t	ms;

	if (conf_duration(s, &ms) == -1)
		return perr(p, "%s: bad duration \"%s\"", what, s);
	if (ms < SEC || ms > max)
		return perr(p, "%s: \"%s\" out of range (%s)", what, s,
		    range);
	*out = ms;
	return 0;
}

static int
get_number(struct parser *p, const char *what, const char *s,
    uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t	n = 0;
	int		rv;

	if ((rv = parse_u64(s, &n)) == -1)
		return perr(p, "%s: bad number \"%s\"", what, s);
	if (rv == -2 || n < min || n > max)
		return perr(p, "%s: \"%s\" out of range (%llu..%llu)", what,
		    s, (unsigned long long)min, (unsigned long long)max);
	*out = n;
	return 0;
}

static int
get_path(struct parser *p, const char *kw, const char *s, char *dst,
    size_t dstlen)
{
	size_t	len = strlen(s);

	if (s[0] != '/')
		return perr(p, "%s: \"%s\" is not an absolute path", kw, s);
	if (len >= dstlen)
		return perr(p, "%s: path too long (%zu bytes, max %zu)", kw,
		    len, dstlen - 1);
	memcpy(dst, s, len + 1);
	return 0;
}

static int
kw_socket(struct parser *p, int argc, char **argv, const char *rest)
{
	(void)rest;
	if (one_arg(p, "socket", argc, argv) == -1)
		return -1;
	return get_path(p, "socket", argv[0], p->c->socket,
	    sizeof(p->c->socket));
}

static int
kw_state(struct parser *p, int argc, char **argv, const char *rest)
{
	(void)rest;
	if (one_arg(p, "state", argc, argv) == -1)
		return -1;
	return get_path(p, "state", argv[0], p->c->state,
	    sizeof(p->c->state));
}

static int
kw_socket_group(struct parser *p, int argc, char **argv, const char *rest)
{
	(void)rest;
	if (one_arg(p, "socket-group", argc, argv) == -1)
		return -1;
	/* Only the syntax: the group is looked up when the socket is made. */
	if (!valid_group(argv[0]))
		return perr(p, "socket-group: bad group name \"%s\"",
		    argv[0]);
	copystr(p->c->socket_group, argv[0], sizeof(p->c->socket_group));
	return 0;
}

static int
kw_interval(struct parser *p, int argc, char **argv, const char *rest)
{
	(void)rest;
	if (one_arg(p, "interval", argc, argv) == -1)
		return -1;
	return get_duration(p, "interval", argv[0], 30 * DAY, "1s..30d",
	    &p->c->interval_ms);
}

static int
kw_max_pps(struct parser *p, int argc, char **argv, const char *rest)
{
	uint64_t	n;

	(void)rest;
	if (one_arg(p, "max-pps", argc, argv) == -1)
		return -1;
	if (get_number(p, "max-pps", argv[0], 1, 100000, &n) == -1)
		return -1;
	p->c->max_pps = (unsigned)n;
	return 0;
}

static int
kw_alert_command(struct parser *p, int argc, char **argv, const char *rest)
{
	size_t	len = strlen(rest);

	(void)argc;
	(void)argv;
	if (len == 0)
		return perr(p, "alert-command: missing command");
	if (len >= sizeof(p->c->alert_command))
		return perr(p, "alert-command: command too long "
		    "(%zu bytes, max %zu)", len,
		    sizeof(p->c->alert_command) - 1);
	memcpy(p->c->alert_command, rest, len + 1);
	return 0;
}

static int
kw_alert_timeout(struct parser *p, int argc, char **argv, const char *rest)
{
	(void)rest;
	if (one_arg(p, "alert-timeout", argc, argv) == -1)
		return -1;
	return get_duration(p, "alert-timeout", argv[0], HOUR, "1s..1h",
	    &p->c->alert_timeout_ms);
}

/* HOST:PORT, HOST an IPv4 address, [IPv6 address] or host name. */
static int
kw_metrics_listen(struct parser *p, int argc, char **argv, const char *rest)
{
	const char	*s, *colon, *port;
	char		 host[DEST_MAXNAME + 1];
	struct addr	 a;
	uint64_t	 n;
	size_t		 hlen;
	int		 v6, ok;

	(void)rest;
	if (one_arg(p, "metrics-listen", argc, argv) == -1)
		return -1;
	s = argv[0];
	if (strlen(s) >= sizeof(p->c->metrics_listen))
		return perr(p, "metrics-listen: \"%s\" too long", s);
	if ((v6 = (s[0] == '['))) {
		if ((colon = strchr(s, ']')) == NULL || colon[1] != ':')
			return perr(p, "metrics-listen: \"%s\" is not "
			    "HOST:PORT", s);
		s++;
		hlen = colon - s;
		colon++;
	} else {
		if ((colon = strchr(s, ':')) == NULL)
			return perr(p, "metrics-listen: \"%s\" is not "
			    "HOST:PORT", s);
		if (strchr(colon + 1, ':') != NULL)
			return perr(p, "metrics-listen: \"%s\" is not "
			    "HOST:PORT (write an IPv6 address in brackets)",
			    s);
		hlen = colon - s;
	}
	port = colon + 1;
	if (hlen == 0 || hlen >= sizeof(host))
		return perr(p, "metrics-listen: bad host in \"%s\"", argv[0]);
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (addr_parse(&a, host) == 0)
		ok = v6 == (a.family == AF_INET6);
	else
		ok = !v6 && dest_valid(host, NULL, 0) == 0;
	if (!ok)
		return perr(p, "metrics-listen: bad host \"%s\"", host);
	if (get_number(p, "metrics-listen port", port, 1, 65535, &n) == -1)
		return -1;
	copystr(p->c->metrics_listen, argv[0], sizeof(p->c->metrics_listen));
	return 0;
}

/* "yes" or "no" for what; 0 or -1. */
static int
get_yesno(struct parser *p, const char *what, const char *v, int *out)
{
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return perr(p, "%s: bad value \"%s\" (yes or no)", what, v);
	return 0;
}

static int
kw_on_demand_events(struct parser *p, int argc, char **argv,
    const char *rest)
{
	(void)rest;
	if (one_arg(p, "on-demand-events", argc, argv) == -1)
		return -1;
	return get_yesno(p, "on-demand-events", argv[0],
	    &p->c->on_demand_events);
}

static int
kw_metrics_clients(struct parser *p, int argc, char **argv, const char *rest)
{
	uint64_t	n;

	(void)rest;
	if (one_arg(p, "metrics-max-clients", argc, argv) == -1)
		return -1;
	if (get_number(p, "metrics-max-clients", argv[0], 1, 4096, &n) == -1)
		return -1;
	p->c->metrics_max_clients = (unsigned)n;
	return 0;
}

static int
kw_metrics_per_addr(struct parser *p, int argc, char **argv,
    const char *rest)
{
	uint64_t	n;

	(void)rest;
	if (one_arg(p, "metrics-max-clients-per-address", argc, argv) == -1)
		return -1;
	if (get_number(p, "metrics-max-clients-per-address", argv[0], 1, 4096,
	    &n) == -1)
		return -1;
	p->c->metrics_max_per_addr = (unsigned)n;
	return 0;
}

static int
dest_family(struct parser *p, const char *v, struct conf_dest *d)
{
	if (strcmp(v, "4") == 0)
		d->family = AF_INET;
	else if (strcmp(v, "6") == 0)
		d->family = AF_INET6;
	else
		return perr(p, "destination family: bad value \"%s\" "
		    "(4 or 6)", v);
	return 0;
}

static int
dest_method(struct parser *p, const char *v, struct conf_dest *d)
{
	if (method_parse(v, &d->method) == -1)
		return perr(p, "destination method: bad value \"%s\" "
		    "(" METHOD_CHOICES ")", v);
	return 0;
}

static int
dest_interval(struct parser *p, const char *v, struct conf_dest *d)
{
	return get_duration(p, "destination interval", v, 30 * DAY,
	    "1s..30d", &d->interval_ms);
}

static int
dest_port(struct parser *p, const char *v, struct conf_dest *d)
{
	uint64_t	n;

	if (get_number(p, "destination port", v, 1, 65535, &n) == -1)
		return -1;
	d->port = (unsigned)n;
	return 0;
}

static int
dest_walk(struct parser *p, const char *v, struct conf_dest *d)
{
	return get_yesno(p, "destination walk", v, &d->walk);
}

/* Each extra flow costs a walk at least, a search at most. */
static int
dest_flows(struct parser *p, const char *v, struct conf_dest *d)
{
	uint64_t	n;

	if (get_number(p, "destination flows", v, 1, FLOW_MAX, &n) == -1)
		return -1;
	d->flows = (unsigned)n;
	return 0;
}

static const struct {
	const char	*name;
	int		 (*fn)(struct parser *, const char *, struct conf_dest *);
} dest_opts[] = {
	{ "family",	dest_family },
	{ "method",	dest_method },
	{ "interval",	dest_interval },
	{ "port",	dest_port },
	{ "walk",	dest_walk },
	{ "flows",	dest_flows },
};
#define NDEST_OPTS	(sizeof(dest_opts) / sizeof(dest_opts[0]))

/*
 * What makes two destinations the same probe target: the same address
 * (in any spelling, whatever family was said) or the same host name
 * (DNS is case-blind) and family.
 */
struct dest_key {
	char		 key[CONF_NAMELEN + 8];
	size_t		 idx;
};

static void
dest_key(const struct conf_dest *d, size_t idx, struct dest_key *k)
{
	struct addr	 a;
	char		 text[ADDR_STRLEN];
	size_t		 i;

	k->idx = idx;
	if (addr_parse(&a, d->name) == 0) {
		snprintf(k->key, sizeof(k->key), "a %s",
		    addr_ntop(&a, text, sizeof(text)));
		return;
	}
	snprintf(k->key, sizeof(k->key), "n%d %s", d->family, d->name);
	for (i = 0; k->key[i] != '\0'; i++)
		k->key[i] = tolower((unsigned char)k->key[i]);
}

static int
cmp_dest_key(const void *a, const void *b)
{
	const struct dest_key	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Duplicates, found by sorting (a fleet of 100,000 must not take n^2):
 * the error names the first repeat in the file and the line it repeats.
 */
static int
dest_dups(struct parser *p)
{
	const struct conf	*c = p->c;
	struct dest_key		*k;
	size_t			 i, first = 0, dup = SIZE_MAX, orig = 0;

	if (c->ndests < 2)
		return 0;
	if ((k = calloc(c->ndests, sizeof(*k))) == NULL)
		return perr(p, "%s", strerror(errno));
	for (i = 0; i < c->ndests; i++)
		dest_key(&c->dests[i], i, &k[i]);
	qsort(k, c->ndests, sizeof(*k), cmp_dest_key);
	for (i = 1; i < c->ndests; i++) {
		if (strcmp(k[i].key, k[i - 1].key) != 0) {
			first = i;
			continue;
		}
		/* A repeat of its group's first; keep the earliest repeat. */
		if (dup == SIZE_MAX || k[i].idx < dup) {
			dup = k[i].idx;
			orig = k[first].idx;
		}
	}
	free(k);
	if (dup == SIZE_MAX)
		return 0;
	p->line = c->dests[dup].line;
	return perr(p, "destination %s already configured on line %u",
	    c->dests[dup].name, c->dests[orig].line);
}

static int
dest_add(struct parser *p, const struct conf_dest *d)
{
	struct conf		*c = p->c;
	struct conf_dest	*nd;
	size_t			 ncap;

	if (c->ndests == p->cap) {
		ncap = p->cap == 0 ? 8 : p->cap * 2;
		if ((nd = reallocarray(c->dests, ncap, sizeof(*nd))) == NULL)
			return perr(p, "%s", strerror(errno));
		c->dests = nd;
		p->cap = ncap;
	}
	c->dests[c->ndests++] = *d;
	return 0;
}

static int
kw_destination(struct parser *p, int argc, char **argv, const char *rest)
{
	struct conf_dest	 d;
	struct addr		 a;
	unsigned		 seen[NDEST_OPTS] = { 0 };
	size_t			 j;
	int			 i;

	(void)rest;
	if (argc < 1)
		return perr(p, "destination: missing name");
	/* The same check as a control request's destination gets. */
	if (dest_valid(argv[0], NULL, 0) == -1)
		return perr(p, "destination: bad name \"%s\"", argv[0]);
	(void)addr_parse(&a, argv[0]);	/* family 0 for a host name */
	memset(&d, 0, sizeof(d));
	copystr(d.name, argv[0], sizeof(d.name));
	d.walk = 1;
	d.flows = 1;
	d.line = p->line;
	for (i = 1; i < argc; i += 2) {
		for (j = 0; j < NDEST_OPTS; j++)
			if (strcmp(argv[i], dest_opts[j].name) == 0)
				break;
		if (j == NDEST_OPTS)
			return perr(p, "destination: unknown option \"%s\"",
			    argv[i]);
		if (seen[j]++)
			return perr(p, "destination: option %s given twice",
			    argv[i]);
		if (i + 1 >= argc)
			return perr(p, "destination %s: missing value",
			    argv[i]);
		if (dest_opts[j].fn(p, argv[i + 1], &d) == -1)
			return -1;
	}
	if (a.family != 0 && d.family != 0 && a.family != d.family)
		return perr(p, "destination: %s is an IPv%d address, not "
		    "family %d", d.name, addr_family_num(a.family),
		    addr_family_num(d.family));
	if (d.port != 0 && d.method != METHOD_TCP)
		return perr(p, "destination port: needs method tcp");
	return dest_add(p, &d);
}

/* Splits s in place at blanks; returns the word count (may exceed max). */
static int
split(char *s, char **argv, int max)
{
	int	argc = 0;

	for (;;) {
		while (isblankc(*s))
			*s++ = '\0';
		if (*s == '\0')
			return argc;
		if (argc < max)
			argv[argc] = s;
		argc++;
		while (*s != '\0' && !isblankc(*s))
			s++;
	}
}

/* Checks the bytes, then cuts the comment and the blanks around. */
static int
clean_line(struct parser *p, const char *s, size_t len, char *buf)
{
	size_t	i, end = len;

	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			return perr(p, "NUL byte");
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return perr(p, "control character 0x%02x",
			    (unsigned char)s[i]);
		if (s[i] == '#' && end == len && (i == 0 || isblankc(s[i - 1])))
			end = i;
	}
	while (end > 0 && isblankc(s[end - 1]))
		end--;
	for (i = 0; i < end && isblankc(s[i]); i++)
		;
	memcpy(buf, s + i, end - i);
	buf[end - i] = '\0';
	return 0;
}

static int
parse_line(struct parser *p, const char *s, size_t len)
{
	char			 buf[CONF_MAXLINE + 1], *argv[CONF_MAXARGS];
	char			*rest;
	const struct keyword	*kw = NULL;
	size_t			 i;
	int			 argc = 0;

	if (len > CONF_MAXLINE)
		return perr(p, "line too long (over %d bytes)", CONF_MAXLINE);
	if (clean_line(p, s, len, buf) == -1)
		return -1;
	if (buf[0] == '\0')
		return 0;
	for (rest = buf; *rest != '\0' && !isblankc(*rest); rest++)
		;
	if (*rest != '\0') {
		*rest++ = '\0';
		while (isblankc(*rest))
			rest++;
	}
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(buf, keywords[i].name) == 0)
			kw = &keywords[i];
	if (kw == NULL)
		return perr(p, "unknown keyword \"%s\"", buf);
	if (kw->set >= 0 && p->seen[kw->set] != 0)
		return perr(p, "%s already set on line %u", kw->name,
		    p->seen[kw->set]);
	if (!kw->raw && (argc = split(rest, argv, CONF_MAXARGS)) >
	    CONF_MAXARGS)
		return perr(p, "%s: too many arguments", kw->name);
	if (kw->fn(p, argc, argv, rest) == -1)
		return -1;
	if (kw->set >= 0)
		p->seen[kw->set] = p->line;
	return 0;
}

/*
 * *c is output only: it is never read, so a caller replacing an earlier
 * result must conf_clear() that one itself.  Parsing into a fresh
 * struct lets a reload keep the old configuration when the new one fails.
 */
int
conf_parse(const char *text, size_t len, const char *file, struct conf *c,
    char *err, size_t errlen)
{
	struct parser	 p;
	struct conf	 tmp;
	const char	*s, *nl, *next;
	size_t		 llen;

	conf_init(c);
	conf_init(&tmp);
	memset(&p, 0, sizeof(p));
	p.file = file;
	p.c = &tmp;
	p.err = err;
	p.errlen = errlen;
	if (text == NULL)
		len = 0;
	for (s = text; len > 0; s = next) {
		p.line++;
		if ((nl = memchr(s, '\n', len)) == NULL) {
			llen = len;
			next = s + len;
		} else {
			llen = nl - s;
			next = nl + 1;
		}
		len -= next - s;
		if (llen > 0 && s[llen - 1] == '\r')
			llen--;			/* CRLF */
		if (parse_line(&p, s, llen) == -1) {
			free(tmp.dests);
			return -1;
		}
	}
	if (dest_dups(&p) == -1) {
		free(tmp.dests);
		return -1;
	}
	*c = tmp;
	return 0;
}

int
conf_load(const char *path, struct conf *c, char *err, size_t errlen)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 n;
	int	 fd, rv;

	conf_init(c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		text_error(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* One byte of room beyond the limit tells "too large" from "full". */
	if ((buf = malloc(CONF_MAXFILE + 1)) == NULL) {
		text_error(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	while (len <= CONF_MAXFILE) {
		n = read(fd, buf + len, CONF_MAXFILE + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			text_error(err, errlen, "%s: %s", path,
			    strerror(errno));
			rv = -1;
			goto out;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (len > CONF_MAXFILE) {
		text_error(err, errlen, "%s: file too large (over %d bytes)",
		    path,
		    (int)CONF_MAXFILE);
		rv = -1;
		goto out;
	}
	rv = conf_parse(buf, len, path, c, err, errlen);
out:
	free(buf);
	close(fd);
	return rv;
}

const struct conf_dest *
conf_find(const struct conf *c, const char *name, int family)
{
	size_t	i;

	for (i = 0; i < c->ndests; i++) {
		if (c->dests[i].family == family &&
		    strcmp(c->dests[i].name, name) == 0)
			return &c->dests[i];
	}
	return NULL;
}
