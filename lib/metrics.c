/* SPDX-License-Identifier: ISC */
/*
 * The Prometheus text exposition (0.0.4) of the store and the counters.
 * The store is walked once per metric family because the format wants a
 * family's samples contiguous; stores are small, so that costs nothing.
 * Numbers kept in milliseconds are printed as exact decimals (no double
 * rounding): 1790000000123 ms is "1790000000.123".
 */
#include <sys/socket.h>

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "history.h"
#include "metrics.h"
#include "version.h"

#define MB_MIN		4096
#define VALUE_LEN	48

/* A growing output buffer; err sticks once memory ran out. */
struct mbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

/* Room for n more bytes and the NUL. */
static int
mb_reserve(struct mbuf *mb, size_t n)
{
	size_t	 cap;
	char	*p;

	if (mb->err)
		return -1;
	if (mb->len + n + 1 <= mb->cap)
		return 0;
	cap = mb->cap < MB_MIN ? MB_MIN : mb->cap;
	while (cap < mb->len + n + 1)
		cap *= 2;
	if ((p = realloc(mb->p, cap)) == NULL) {
		mb->err = 1;
		return -1;
	}
	mb->p = p;
	mb->cap = cap;
	return 0;
}

static void
mb_putn(struct mbuf *mb, const char *s, size_t n)
{
	if (mb_reserve(mb, n) == -1)
		return;
	memcpy(mb->p + mb->len, s, n);
	mb->len += n;
	mb->p[mb->len] = '\0';
}

static void
mb_puts(struct mbuf *mb, const char *s)
{
	mb_putn(mb, s, strlen(s));
}

static void mb_printf(struct mbuf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
mb_printf(struct mbuf *mb, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || mb_reserve(mb, (size_t)n) == -1) {
		mb->err = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(mb->p + mb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	mb->len += (size_t)n;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 if there is none.
 */
static size_t
utf8_len(const unsigned char *s)
{
	size_t	 n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	/* The first continuation byte has the narrowed range. */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * name="value", escaped as the format says (backslash, double quote,
 * line feed).  The format is UTF-8 and a destination is whatever bytes
 * it was given, so a byte that is not UTF-8 becomes U+FFFD rather than
 * spoiling the whole scrape.
 */
static void
mb_label(struct mbuf *mb, const char *name, const char *value)
{
	const unsigned char	*s = (const unsigned char *)value;
	size_t			 n;

	mb_printf(mb, "%s=\"", name);
	while (*s != '\0') {
		if (*s == '\\')
			mb_puts(mb, "\\\\");
		else if (*s == '"')
			mb_puts(mb, "\\\"");
		else if (*s == '\n')
			mb_puts(mb, "\\n");
		else if ((n = utf8_len(s)) == 0) {
			mb_puts(mb, "\xef\xbf\xbd");
			s++;
			continue;
		} else {
			mb_putn(mb, (const char *)s, n);
			s += n;
			continue;
		}
		s++;
	}
	mb_puts(mb, "\"");
}

static void
mb_head(struct mbuf *mb, const char *name, const char *type,
    const char *help)
{
	mb_printf(mb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Non-negative milliseconds as exact seconds. */
static void
fmt_ms(char *buf, size_t len, int64_t ms)
{
	snprintf(buf, len, "%" PRId64 ".%03d", ms / 1000, (int)(ms % 1000));
}

static void
fmt_double(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "NaN");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "+Inf" : "-Inf");
	else
		snprintf(buf, len, "%.3f", v);
}

/* --- per-destination families ------------------------------------- */

/* Each writes r's value into buf, or returns -1: no sample for r. */
typedef int (*value_fn)(const struct result *, char *, size_t);

static int
v_pmtu(const struct result *r, char *buf, size_t len)
{
	if (r->pmtu <= 0)
		return -1;
	snprintf(buf, len, "%d", r->pmtu);
	return 0;
}

static int
v_local_mtu(const struct result *r, char *buf, size_t len)
{
	if (r->local_mtu <= 0)
		return -1;
	snprintf(buf, len, "%d", r->local_mtu);
	return 0;
}

static int
v_blackhole(const struct result *r, char *buf, size_t len)
{
	/* One path of several black-holing is a black hole for its flows. */
	snprintf(buf, len, "%d", r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE);
	return 0;
}

static int
v_up(const struct result *r, char *buf, size_t len)
{
	snprintf(buf, len, "%d", r->state == RESULT_OK ||
	    r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE);
	return 0;
}

static int
v_duration(const struct result *r, char *buf, size_t len)
{
	if (r->duration_ms < 0)
		return -1;
	fmt_ms(buf, len, r->duration_ms);
	return 0;
}

static int
v_updated(const struct result *r, char *buf, size_t len)
{
	if (r->updated_at_ms < 0)
		return -1;
	fmt_ms(buf, len, r->updated_at_ms);
	return 0;
}

static int
v_probes(const struct result *r, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64, r->probes_total);
	return 0;
}

/* Only for destinations measured with several flows. */
static int
v_paths(const struct result *r, char *buf, size_t len)
{
	if (r->paths == NULL)
		return -1;
	snprintf(buf, len, "%u", r->npaths);
	return 0;
}

/* The extreme PMTU of r's paths: sign -1 the smallest, 1 the largest. */
static int
paths_mtu(const struct result *r, int sign, char *buf, size_t len)
{
	unsigned	 i;
	int		 v = 0;

	for (i = 0; r->paths != NULL && i < r->npaths; i++)
		if (r->paths[i].pmtu > 0 && (v == 0 ||
		    (r->paths[i].pmtu - v) * sign > 0))
			v = r->paths[i].pmtu;
	if (v == 0)
		return -1;
	snprintf(buf, len, "%d", v);
	return 0;
}

static int
v_paths_min(const struct result *r, char *buf, size_t len)
{
	return paths_mtu(r, -1, buf, len);
}

static int
v_paths_max(const struct result *r, char *buf, size_t len)
{
	return paths_mtu(r, 1, buf, len);
}

/* Counted in the store's log of path states, so restarts keep it. */
static int
v_changes(const struct result *r, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64,
	    history_changes(store_result_history(r)));
	return 0;
}

struct rfamily {
	const char	*name;
	const char	*type;
	const char	*help;
	value_fn	 value;
	int		 hop_labels;	/* adds hop, hop_address */
	int		 no_address;	/* a counter's labels must not move
					   when a name resolves elsewhere */
};

static const struct rfamily rfamilies[] = {
	{ "pmtud_path_mtu_bytes", "gauge",
	    "Path MTU to the destination: the largest IP packet that "
	    "reaches it, in bytes.", v_pmtu, 0, 0 },
	{ "pmtud_local_mtu_bytes", "gauge",
	    "MTU of the local interface toward the destination, in bytes.",
	    v_local_mtu, 0, 0 },
	{ "pmtud_blackhole", "gauge",
	    "1 if packets above the path MTU vanish without an ICMP error "
	    "(RFC 2923 black hole), else 0; hop and hop_address name the "
	    "last hop that answered an oversized probe.", v_blackhole, 1, 0 },
	{ "pmtud_destination_up", "gauge",
	    "1 if the destination answered probes (state ok, blackhole or "
	    "partial_blackhole), "
	    "0 if unreachable or the probe failed.", v_up, 0, 0 },
	{ "pmtud_probe_duration_seconds", "gauge",
	    "How long the last finding's probing took, in seconds.",
	    v_duration, 0, 0 },
	{ "pmtud_last_probe_timestamp_seconds", "gauge",
	    "When the last finding was made, in seconds since the Unix "
	    "epoch.", v_updated, 0, 0 },
	{ "pmtud_paths", "gauge",
	    "Equal-cost paths to the destination its flows took (only for "
	    "destinations measured with several flows).", v_paths, 0, 1 },
	{ "pmtud_path_mtu_min_bytes", "gauge",
	    "The smallest path MTU of the destination's equal-cost paths, "
	    "in bytes.", v_paths_min, 0, 1 },
	{ "pmtud_path_mtu_max_bytes", "gauge",
	    "The largest path MTU of the destination's equal-cost paths, "
	    "in bytes.", v_paths_max, 0, 1 },
	{ "pmtud_destination_probes_total", "counter",
	    "Probes sent to the destination over all its findings.",
	    v_probes, 0, 0 },
	{ "pmtud_path_changes_total", "counter",
	    "Changes of the path to the destination (PMTU, state, black "
	    "hole hop, local MTU) since it was first measured, kept across "
	    "restarts.", v_changes, 0, 1 },
};
#define NRFAMILIES	(sizeof(rfamilies) / sizeof(rfamilies[0]))

struct walk {
	struct mbuf		*mb;
	const struct rfamily	*f;
};

static void
mb_blackhole_labels(struct mbuf *mb, const struct result *r)
{
	const struct result_blackhole	*b = &r->blackhole;
	char				 hop[16] = "", ha[ADDR_STRLEN] = "";

	if ((r->state == RESULT_BLACKHOLE ||
	    r->state == RESULT_PARTIAL_BLACKHOLE) && b->found && b->hop >= 0) {
		snprintf(hop, sizeof(hop), "%d", b->hop);
		if (addr_isset(&b->address))
			addr_ntop(&b->address, ha, sizeof(ha));
	}
	mb_puts(mb, ",");
	mb_label(mb, "hop", hop);
	mb_puts(mb, ",");
	mb_label(mb, "hop_address", ha);
}

static int
sample(const struct result *r, void *arg)
{
	struct walk	*w = arg;
	char		 value[VALUE_LEN], a[ADDR_STRLEN] = "", fam[4] = "";
	int		 n;

	if (w->f->value(r, value, sizeof(value)) == -1)
		return 0;
	if (addr_isset(&r->address))
		addr_ntop(&r->address, a, sizeof(a));
	if ((n = addr_family_num(r->family)) != 0)
		snprintf(fam, sizeof(fam), "%d", n);
	mb_printf(w->mb, "%s{", w->f->name);
	mb_label(w->mb, "destination", r->destination);
	mb_puts(w->mb, ",");
	if (!w->f->no_address) {
		mb_label(w->mb, "address", a);
		mb_puts(w->mb, ",");
	}
	mb_label(w->mb, "family", fam);
	if (w->f->hop_labels)
		mb_blackhole_labels(w->mb, r);
	mb_printf(w->mb, "} %s\n", value);
	return w->mb->err;	/* out of memory: stop */
}

static void
render_results(struct mbuf *mb, const struct store *st)
{
	struct walk	 w;
	size_t		 i;

	w.mb = mb;
	for (i = 0; i < NRFAMILIES; i++) {
		w.f = &rfamilies[i];
		mb_head(mb, w.f->name, w.f->type, w.f->help);
		if (st != NULL)
			store_foreach(st, sample, &w);
	}
}

/* --- the daemon's own families ------------------------------------ */

static void
render_counters(struct mbuf *mb, const struct metrics_counters *c)
{
	char	 up[VALUE_LEN];
	int	 i;

	mb_head(mb, "pmtud_probes_sent_total", "counter",
	    "Probes sent since the daemon started.");
	mb_printf(mb, "pmtud_probes_sent_total %" PRIu64 "\n", c->probes_sent);
	mb_head(mb, "pmtud_icmp_ignored_total", "counter",
	    "ICMP packets received that were not taken as an answer to a "
	    "probe, by reason.");
	for (i = PKT_OK + 1; i < PKT_IGN_MAX; i++) {
		mb_puts(mb, "pmtud_icmp_ignored_total{");
		mb_label(mb, "reason", pkt_ignore_name((enum pkt_ignore)i));
		mb_printf(mb, "} %" PRIu64 "\n", c->icmp_ignored[i]);
	}
	mb_head(mb, "pmtud_findings_total", "counter",
	    "Findings made since the daemon started.");
	mb_printf(mb, "pmtud_findings_total %" PRIu64 "\n", c->findings);
	mb_head(mb, "pmtud_alert_events_coalesced_total", "counter",
	    "Alert events replaced, while waiting for the alert command, by "
	    "a later event for the same destination.");
	mb_printf(mb, "pmtud_alert_events_coalesced_total %" PRIu64 "\n",
	    c->alert_coalesced);
	mb_head(mb, "pmtud_up", "gauge", "1: the daemon is running.");
	mb_puts(mb, "pmtud_up 1\n");
	mb_head(mb, "pmtud_build_info", "gauge",
	    "Always 1; the version label says which release runs.");
	mb_puts(mb, "pmtud_build_info{");
	mb_label(mb, "version", c->version != NULL ? c->version :
	    PMTUD_VERSION);
	mb_puts(mb, "} 1\n");
	mb_head(mb, "pmtud_uptime_seconds", "gauge",
	    "Seconds since the daemon started.");
	fmt_double(up, sizeof(up), c->uptime_s);
	mb_printf(mb, "pmtud_uptime_seconds %s\n", up);
}

char *
metrics_render(const struct store *st, const struct metrics_counters *c,
    int64_t now_ms, size_t *len)
{
	struct metrics_counters	 zero;
	struct mbuf		 mb;

	(void)now_ms;
	memset(&mb, 0, sizeof(mb));
	if (c == NULL) {
		memset(&zero, 0, sizeof(zero));
		c = &zero;
	}
	if (mb_reserve(&mb, 0) == -1)
		return NULL;
	mb.p[0] = '\0';
	render_results(&mb, st);
	render_counters(&mb, c);
	if (mb.err) {
		free(mb.p);
		return NULL;
	}
	if (len != NULL)
		*len = mb.len;
	return mb.p;
}
