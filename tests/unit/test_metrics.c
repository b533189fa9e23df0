/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/metrics.c. */
#include <sys/socket.h>
#include <sys/wait.h>

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "metrics.h"
#include "version.h"

/* The families' heads, as metrics.c writes them. */
#define H_PMTU "# HELP pmtud_path_mtu_bytes Path MTU to the destination: " \
	"the largest IP packet that reaches it, in bytes.\n" \
	"# TYPE pmtud_path_mtu_bytes gauge\n"
#define H_LOCAL "# HELP pmtud_local_mtu_bytes MTU of the local interface " \
	"toward the destination, in bytes.\n" \
	"# TYPE pmtud_local_mtu_bytes gauge\n"
#define H_BH "# HELP pmtud_blackhole 1 if packets above the path MTU " \
	"vanish without an ICMP error (RFC 2923 black hole), else 0; hop " \
	"and hop_address name the last hop that answered an oversized " \
	"probe.\n" \
	"# TYPE pmtud_blackhole gauge\n"
#define H_UP "# HELP pmtud_destination_up 1 if the destination answered " \
	"probes (state ok, blackhole or partial_blackhole), 0 if unreachable or the probe " \
	"failed.\n" \
	"# TYPE pmtud_destination_up gauge\n"
#define H_DUR "# HELP pmtud_probe_duration_seconds How long the last " \
	"finding's probing took, in seconds.\n" \
	"# TYPE pmtud_probe_duration_seconds gauge\n"
#define H_TS "# HELP pmtud_last_probe_timestamp_seconds When the last " \
	"finding was made, in seconds since the Unix epoch.\n" \
	"# TYPE pmtud_last_probe_timestamp_seconds gauge\n"
#define H_PATHS "# HELP pmtud_paths Equal-cost paths to the destination " \
	"its flows took (only for destinations measured with several " \
	"flows).\n" \
	"# TYPE pmtud_paths gauge\n" \
	"# HELP pmtud_path_mtu_min_bytes The smallest path MTU of the " \
	"destination's equal-cost paths, in bytes.\n" \
	"# TYPE pmtud_path_mtu_min_bytes gauge\n" \
	"# HELP pmtud_path_mtu_max_bytes The largest path MTU of the " \
	"destination's equal-cost paths, in bytes.\n" \
	"# TYPE pmtud_path_mtu_max_bytes gauge\n"
#define H_DPROBES "# HELP pmtud_destination_probes_total Probes sent to " \
	"the destination over all its findings.\n" \
	"# TYPE pmtud_destination_probes_total counter\n"
#define H_CHANGES "# HELP pmtud_path_changes_total Changes of the path " \
	"to the destination (PMTU, state, black hole hop, local MTU) since " \
	"it was first measured, kept across restarts.\n" \
	"# TYPE pmtud_path_changes_total counter\n"
#define H_PROBES "# HELP pmtud_probes_sent_total Probes sent since the " \
	"daemon started.\n" \
	"# TYPE pmtud_probes_sent_total counter\n"
#define H_IGN "# HELP pmtud_icmp_ignored_total ICMP packets received that " \
	"were not taken as an answer to a probe, by reason.\n" \
	"# TYPE pmtud_icmp_ignored_total counter\n"
#define H_FIND "# HELP pmtud_findings_total Findings made since the " \
	"daemon started.\n" \
	"# TYPE pmtud_findings_total counter\n"
#define H_COAL "# HELP pmtud_alert_events_coalesced_total Alert events " \
	"replaced, while waiting for the alert command, by a later event " \
	"for the same destination.\n" \
	"# TYPE pmtud_alert_events_coalesced_total counter\n"
#define H_DUP "# HELP pmtud_up 1: the daemon is running.\n" \
	"# TYPE pmtud_up gauge\n"
#define H_BUILD "# HELP pmtud_build_info Always 1; the version label " \
	"says which release runs.\n" \
	"# TYPE pmtud_build_info gauge\n"
#define H_UPTIME "# HELP pmtud_uptime_seconds Seconds since the daemon " \
	"started.\n" \
	"# TYPE pmtud_uptime_seconds gauge\n"

/* Every per-destination head, without samples: an empty store. */
#define EMPTY_RESULTS H_PMTU H_LOCAL H_BH H_UP H_DUR H_TS H_PATHS H_DPROBES \
	H_CHANGES

/* A finding for dest at address addr (NULL: unresolved, family 0). */
static struct result
mk(const char *dest, const char *addr, enum result_state state, int pmtu,
    unsigned probes, int64_t duration, int64_t updated)
{
	struct result	r;

	result_init(&r, dest);
	if (addr != NULL) {
		if (addr_parse(&r.address, addr) == -1)
			fail_msg("bad test address %s", addr);
		r.family = r.address.family;
	}
	r.state = state;
	r.pmtu = pmtu;
	r.local_mtu = 1500;
	r.method = METHOD_ICMP;
	r.probes_sent = probes;
	r.duration_ms = duration;
	r.updated_at_ms = updated;
	return (r);
}

static void
put(struct store *st, const struct result *r)
{
	assert_int_equal(store_put(st, r), 0);
}

static void
counters(struct metrics_counters *c)
{
	int	 i;

	memset(c, 0, sizeof(*c));
	c->probes_sent = 46;
	for (i = 0; i < PKT_IGN_MAX; i++)
		c->icmp_ignored[i] = 100 + (uint64_t)i;
	c->icmp_ignored[PKT_OK] = 999;	/* must not be shown */
	c->findings = 4;
	c->alert_coalesced = 7;
	c->uptime_s = 86400.25;
	c->version = "0.1.0-test";
}

/*
 * One ok v4 destination seen twice, a v6 black hole walked to hop 3,
 * an unreachable v4 destination.
 */
static struct store *
three(void)
{
	struct store	*st;
	struct result	 r;

	assert_non_null(st = store_new());
	r = mk("198.18.0.1", "198.18.0.1", RESULT_OK, 1500, 4, 12,
	    1790000000123LL);
	put(st, &r);
	r = mk("bh.example", "2001:db8::5", RESULT_BLACKHOLE, 1433, 31, 4567,
	    1790000001000LL);
	r.blackhole.found = 1;
	r.blackhole.hop = 3;
	assert_int_equal(addr_parse(&r.blackhole.address, "2001:db8:3::2"), 0);
	r.blackhole.lost_size = 1434;
	r.blackhole.lost = 3;
	put(st, &r);
	r = mk("198.18.9.9", "198.18.9.9", RESULT_UNREACHABLE, -1, 9, 3000,
	    1790000002999LL);
	snprintf(r.error, sizeof(r.error), "no answer to any probe");
	put(st, &r);
	/* The first again: replaced in place, probes_total 4 + 6. */
	r = mk("198.18.0.1", "198.18.0.1", RESULT_OK, 1454, 6, 8,
	    1790000600456LL);
	put(st, &r);
	return (st);
}

#define L_OK	"{destination=\"198.18.0.1\",address=\"198.18.0.1\"," \
	"family=\"4\"}"
#define L_BH	"{destination=\"bh.example\",address=\"2001:db8::5\"," \
	"family=\"6\"}"
#define L_UN	"{destination=\"198.18.9.9\",address=\"198.18.9.9\"," \
	"family=\"4\"}"

static const char three_text[] =
	H_PMTU
	"pmtud_path_mtu_bytes" L_OK " 1454\n"
	"pmtud_path_mtu_bytes" L_BH " 1433\n"
	H_LOCAL
	"pmtud_local_mtu_bytes" L_OK " 1500\n"
	"pmtud_local_mtu_bytes" L_BH " 1500\n"
	"pmtud_local_mtu_bytes" L_UN " 1500\n"
	H_BH
	"pmtud_blackhole{destination=\"198.18.0.1\",address=\"198.18.0.1\","
	    "family=\"4\",hop=\"\",hop_address=\"\"} 0\n"
	"pmtud_blackhole{destination=\"bh.example\",address=\"2001:db8::5\","
	    "family=\"6\",hop=\"3\",hop_address=\"2001:db8:3::2\"} 1\n"
	"pmtud_blackhole{destination=\"198.18.9.9\",address=\"198.18.9.9\","
	    "family=\"4\",hop=\"\",hop_address=\"\"} 0\n"
	H_UP
	"pmtud_destination_up" L_OK " 1\n"
	"pmtud_destination_up" L_BH " 1\n"
	"pmtud_destination_up" L_UN " 0\n"
	H_DUR
	"pmtud_probe_duration_seconds" L_OK " 0.008\n"
	"pmtud_probe_duration_seconds" L_BH " 4.567\n"
	"pmtud_probe_duration_seconds" L_UN " 3.000\n"
	H_TS
	"pmtud_last_probe_timestamp_seconds" L_OK " 1790000600.456\n"
	"pmtud_last_probe_timestamp_seconds" L_BH " 1790000001.000\n"
	"pmtud_last_probe_timestamp_seconds" L_UN " 1790000002.999\n"
	H_PATHS
	H_DPROBES
	"pmtud_destination_probes_total" L_OK " 10\n"
	"pmtud_destination_probes_total" L_BH " 31\n"
	"pmtud_destination_probes_total" L_UN " 9\n"
	H_CHANGES
	"pmtud_path_changes_total{destination=\"198.18.0.1\",family=\"4\"} 1\n"
	"pmtud_path_changes_total{destination=\"bh.example\",family=\"6\"} 0\n"
	"pmtud_path_changes_total{destination=\"198.18.9.9\",family=\"4\"} 0\n"
	H_PROBES
	"pmtud_probes_sent_total 46\n"
	H_IGN
	"pmtud_icmp_ignored_total{reason=\"short\"} 101\n"
	"pmtud_icmp_ignored_total{reason=\"malformed\"} 102\n"
	"pmtud_icmp_ignored_total{reason=\"checksum\"} 103\n"
	"pmtud_icmp_ignored_total{reason=\"type\"} 104\n"
	"pmtud_icmp_ignored_total{reason=\"not_ours\"} 105\n"
	"pmtud_icmp_ignored_total{reason=\"truncated\"} 106\n"
	"pmtud_icmp_ignored_total{reason=\"mismatch\"} 107\n"
	"pmtud_icmp_ignored_total{reason=\"cookie\"} 108\n"
	"pmtud_icmp_ignored_total{reason=\"mtu\"} 109\n"
	"pmtud_icmp_ignored_total{reason=\"unknown\"} 110\n"
	H_FIND
	"pmtud_findings_total 4\n"
	H_COAL
	"pmtud_alert_events_coalesced_total 7\n"
	H_DUP
	"pmtud_up 1\n"
	H_BUILD
	"pmtud_build_info{version=\"0.1.0-test\"} 1\n"
	H_UPTIME
	"pmtud_uptime_seconds 86400.250\n";

static void
test_three(void **state)
{
	struct metrics_counters	 c;
	struct store		*st;
	char			*s;
	size_t			 len = 0;

	(void)state;
	st = three();
	counters(&c);
	assert_non_null(s = metrics_render(st, &c, 1790000700000LL, &len));
	assert_string_equal(s, three_text);
	assert_int_equal(len, strlen(three_text));
	/* The same store and counters render the same text again. */
	free(s);
	assert_non_null(s = metrics_render(st, &c, 0, NULL));
	assert_string_equal(s, three_text);
	free(s);
	store_free(st);
}

/* The counters' part with zeros and the given version and uptime. */
#define ZERO_COUNTERS(version, uptime) \
	H_PROBES \
	"pmtud_probes_sent_total 0\n" \
	H_IGN \
	"pmtud_icmp_ignored_total{reason=\"short\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"malformed\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"checksum\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"type\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"not_ours\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"truncated\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"mismatch\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"cookie\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"mtu\"} 0\n" \
	"pmtud_icmp_ignored_total{reason=\"unknown\"} 0\n" \
	H_FIND \
	"pmtud_findings_total 0\n" \
	H_COAL \
	"pmtud_alert_events_coalesced_total 0\n" \
	H_DUP \
	"pmtud_up 1\n" \
	H_BUILD \
	"pmtud_build_info{version=\"" version "\"} 1\n" \
	H_UPTIME \
	"pmtud_uptime_seconds " uptime "\n"

static void
test_empty(void **state)
{
	struct metrics_counters	 c;
	struct store		*st;
	char			*s;
	size_t			 len = 0;

	(void)state;
	assert_non_null(st = store_new());
	memset(&c, 0, sizeof(c));
	c.version = "1.2.3";
	c.uptime_s = 0.5;
	assert_non_null(s = metrics_render(st, &c, 0, &len));
	assert_string_equal(s, EMPTY_RESULTS ZERO_COUNTERS("1.2.3", "0.500"));
	assert_int_equal(len, strlen(s));
	free(s);
	/* No store, no counters: the same, with the built-in version. */
	assert_non_null(s = metrics_render(NULL, NULL, 0, &len));
	assert_string_equal(s,
	    EMPTY_RESULTS ZERO_COUNTERS(PMTUD_VERSION, "0.000"));
	assert_int_equal(len, strlen(s));
	free(s);
	store_free(st);
}

/* Asserts that text holds line (with its newline) exactly once. */
static void
has_line(const char *text, const char *line)
{
	const char	*p;
	size_t		 n = strlen(line);

	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if (p == text || p[-1] == '\n')
			break;
	if (p == NULL)
		fail_msg("missing line: %s\nin:\n%s", line, text);
	for (p++; (p = strstr(p, line)) != NULL; p++)
		if (p[-1] == '\n')
			fail_msg("line twice: %s", line);
	assert_int_equal(line[n - 1], '\n');
}

/* How many lines start with prefix. */
static int
count_lines(const char *text, const char *prefix)
{
	const char	*p;
	int		 n = 0;

	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	return (n);
}

/* Destinations that need escaping; the store takes any string. */
static struct store *
odd_names(void)
{
	struct store	*st;
	struct result	 r;

	assert_non_null(st = store_new());
	r = mk("say \"hi\" \\ bye", "198.18.0.7", RESULT_OK, 1492, 5, 20,
	    1790000000000LL);
	put(st, &r);
	r = mk("two\nlines\\n", "2001:db8::7", RESULT_UNREACHABLE, -1, 9,
	    3000, 1790000000001LL);
	put(st, &r);
	/* Not UTF-8: a lone 0xff, an overlong '/', a surrogate, a cut
	 * sequence at the end; then good two-, three- and four-byte ones. */
	r = mk("bad\xff.\xc0\xaf.\xed\xa0\x80.\xe2\x82", "198.18.0.8",
	    RESULT_OK, 1500, 1, 1, 1790000000002LL);
	put(st, &r);
	r = mk("caf\xc3\xa9.\xe6\x97\xa5.\xf0\x9f\x98\x80", "198.18.0.9",
	    RESULT_OK, 1500, 1, 1, 1790000000003LL);
	put(st, &r);
	return (st);
}

#define FFFD	"\xef\xbf\xbd"

static void
test_escape(void **state)
{
	struct metrics_counters	 c;
	struct store		*st;
	char			*s;
	size_t			 len;

	(void)state;
	st = odd_names();
	memset(&c, 0, sizeof(c));
	c.version = "v\"1\\2\n";
	assert_non_null(s = metrics_render(st, &c, 0, &len));
	assert_int_equal(len, strlen(s));
	has_line(s, "pmtud_path_mtu_bytes{destination=\"say \\\"hi\\\" \\\\ "
	    "bye\",address=\"198.18.0.7\",family=\"4\"} 1492\n");
	has_line(s, "pmtud_destination_up{destination=\"two\\nlines\\\\n\","
	    "address=\"2001:db8::7\",family=\"6\"} 0\n");
	has_line(s, "pmtud_blackhole{destination=\"two\\nlines\\\\n\","
	    "address=\"2001:db8::7\",family=\"6\",hop=\"\",hop_address=\"\"}"
	    " 0\n");
	has_line(s, "pmtud_destination_up{destination=\"bad" FFFD "."
	    FFFD FFFD "." FFFD FFFD FFFD "." FFFD FFFD "\",address="
	    "\"198.18.0.8\",family=\"4\"} 1\n");
	has_line(s, "pmtud_destination_up{destination=\"caf\xc3\xa9."
	    "\xe6\x97\xa5.\xf0\x9f\x98\x80\",address=\"198.18.0.9\","
	    "family=\"4\"} 1\n");
	has_line(s, "pmtud_build_info{version=\"v\\\"1\\\\2\\n\"} 1\n");
	/* No raw newline inside a sample: one line per sample. */
	assert_int_equal(count_lines(s, "pmtud_destination_up{"), 4);
	assert_int_equal(count_lines(s, "lines"), 0);
	free(s);
	store_free(st);
}

/* Unknown values: no sample where there is nothing to say. */
static void
test_unknowns(void **state)
{
	struct metrics_counters	 c;
	struct store		*st;
	struct result		 r;
	char			*s;

	(void)state;
	assert_non_null(st = store_new());
	/* Never resolved: no address, no family, nothing measured. */
	result_init(&r, "nowhere.example");
	snprintf(r.error, sizeof(r.error), "no such name");
	put(st, &r);
	/* A black hole not walked (hop unknown). */
	r = mk("198.18.5.5", "198.18.5.5", RESULT_BLACKHOLE, 1400, 7, 2000,
	    5);
	r.blackhole.found = 1;
	r.blackhole.hop = -1;
	put(st, &r);
	/* The black hole is this host (hop 0), its address not known. */
	r = mk("198.18.5.6", "198.18.5.6", RESULT_BLACKHOLE, 1400, 7, 2000,
	    1005);
	r.blackhole.found = 1;
	r.blackhole.hop = 0;
	put(st, &r);
	memset(&c, 0, sizeof(c));
	c.uptime_s = NAN;
	assert_non_null(s = metrics_render(st, &c, 0, NULL));
	assert_int_equal(count_lines(s, "pmtud_path_mtu_bytes{"), 2);
	assert_int_equal(count_lines(s, "pmtud_local_mtu_bytes{"), 2);
	assert_int_equal(count_lines(s, "pmtud_probe_duration_seconds{"), 2);
	assert_int_equal(
	    count_lines(s, "pmtud_last_probe_timestamp_seconds{"), 2);
	assert_int_equal(count_lines(s, "pmtud_destination_up{"), 3);
	has_line(s, "pmtud_destination_up{destination=\"nowhere.example\","
	    "address=\"\",family=\"\"} 0\n");
	has_line(s, "pmtud_blackhole{destination=\"nowhere.example\","
	    "address=\"\",family=\"\",hop=\"\",hop_address=\"\"} 0\n");
	has_line(s, "pmtud_destination_probes_total{destination="
	    "\"nowhere.example\",address=\"\",family=\"\"} 0\n");
	has_line(s, "pmtud_blackhole{destination=\"198.18.5.5\","
	    "address=\"198.18.5.5\",family=\"4\",hop=\"\",hop_address=\"\"}"
	    " 1\n");
	has_line(s, "pmtud_blackhole{destination=\"198.18.5.6\","
	    "address=\"198.18.5.6\",family=\"4\",hop=\"0\",hop_address=\"\"}"
	    " 1\n");
	has_line(s, "pmtud_last_probe_timestamp_seconds{destination="
	    "\"198.18.5.5\",address=\"198.18.5.5\",family=\"4\"} 0.005\n");
	has_line(s, "pmtud_last_probe_timestamp_seconds{destination="
	    "\"198.18.5.6\",address=\"198.18.5.6\",family=\"4\"} 1.005\n");
	has_line(s, "pmtud_uptime_seconds NaN\n");
	free(s);
	c.uptime_s = INFINITY;
	assert_non_null(s = metrics_render(st, &c, 0, NULL));
	has_line(s, "pmtud_uptime_seconds +Inf\n");
	free(s);
	store_free(st);
}

/* A finding state that is not "blackhole" never shows its hop. */
static void
test_blackhole_only_in_state(void **state)
{
	struct store	*st;
	struct result	 r;
	char		*s;

	(void)state;
	assert_non_null(st = store_new());
	r = mk("198.18.6.6", "198.18.6.6", RESULT_OK, 1500, 3, 10, 0);
	r.blackhole.found = 1;
	r.blackhole.hop = 2;
	assert_int_equal(addr_parse(&r.blackhole.address, "198.18.2.2"), 0);
	put(st, &r);
	assert_non_null(s = metrics_render(st, NULL, 0, NULL));
	has_line(s, "pmtud_blackhole{destination=\"198.18.6.6\","
	    "address=\"198.18.6.6\",family=\"4\",hop=\"\",hop_address=\"\"}"
	    " 0\n");
	has_line(s, "pmtud_last_probe_timestamp_seconds{destination="
	    "\"198.18.6.6\",address=\"198.18.6.6\",family=\"4\"} 0.000\n");
	free(s);
	store_free(st);
}

/*
 * Many destinations: the buffer grows, every family's samples stay
 * together in insertion order, and the length is right.
 */
static void
test_many(void **state)
{
	struct store	*st;
	struct result	 r;
	char		 name[64], addr[32], want[160];
	char		*s, *p, *q;
	size_t		 len;
	int		 i;

	(void)state;
	assert_non_null(st = store_new());
	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "host-%03d.example", i);
		snprintf(addr, sizeof(addr), "198.18.%d.%d", i / 250,
		    i % 250 + 1);
		r = mk(name, addr, RESULT_OK, 1280 + i, 2, 1, 1000 + i);
		put(st, &r);
	}
	assert_non_null(s = metrics_render(st, NULL, 0, &len));
	assert_int_equal(len, strlen(s));
	assert_true(len > 600 * 7 * 60);
	p = strstr(s, "# TYPE pmtud_path_mtu_bytes gauge\n");
	assert_non_null(p);
	p = strchr(p, '\n') + 1;
	for (i = 0; i < 600; i++) {
		snprintf(want, sizeof(want), "pmtud_path_mtu_bytes{destination="
		    "\"host-%03d.example\",address=\"198.18.%d.%d\","
		    "family=\"4\"} %d\n", i, i / 250, i % 250 + 1, 1280 + i);
		if (strncmp(p, want, strlen(want)) != 0)
			fail_msg("sample %d: want %s", i, want);
		p += strlen(want);
	}
	assert_true(strncmp(p, "# HELP pmtud_local_mtu_bytes ", 29) == 0);
	/* The last family before the counters ends with the last host. */
	q = strstr(s, "pmtud_path_changes_total{destination="
	    "\"host-599.example\",family=\"4\"} 0\n"
	    "# HELP pmtud_probes_sent_total ");
	assert_non_null(q);
	assert_int_equal(count_lines(s, "pmtud_"), 600 * 8 + 10 + 6);
	free(s);
	store_free(st);
}

/* The value of the one sample that starts with prefix; -1 if none. */
static long long
sample_value(const char *text, const char *prefix)
{
	const char	*p;

	assert_int_equal(count_lines(text, prefix), 1);
	for (p = text; strncmp(p, prefix, strlen(prefix)) != 0;
	    p = strchr(p, '\n') + 1)
		;
	p = strchr(p, '}');
	return (p != NULL ? strtoll(p + 1, NULL, 10) : -1);
}

#define S_FLAP	"pmtud_path_changes_total{destination=\"flap.example\"," \
	"family=\"4\"}"

static long long
flap_changes(const struct store *st)
{
	char		*s;
	long long	 n;

	assert_non_null(s = metrics_render(st, NULL, 0, NULL));
	n = sample_value(s, S_FLAP);
	free(s);
	return (n);
}

/*
 * Changes are counted in the log of path states: a finding that shows
 * the same path or an error is no change, summarized entries still
 * count, and a store loaded with the log (a restart) goes on from there.
 */
static void
test_changes(void **state)
{
	struct store		*st, *again;
	const struct result	*g;
	struct result		 r;
	int			 i;

	(void)state;
	assert_non_null(st = store_new());
	r = mk("flap.example", "198.18.4.4", RESULT_OK, 1500, 3, 1, 1000);
	put(st, &r);
	assert_int_equal(flap_changes(st), 0);
	r.updated_at_ms = 2000;
	put(st, &r);
	r.state = RESULT_ERROR;
	r.updated_at_ms = 3000;
	put(st, &r);
	assert_int_equal(flap_changes(st), 0);
	/* 100 flaps: 1500 -> 1400 and back, far more than the log keeps. */
	for (i = 0; i < 100; i++) {
		r = mk("flap.example", "198.18.4.4", i % 2 == 0 ?
		    RESULT_BLACKHOLE : RESULT_OK, i % 2 == 0 ? 1400 : 1500, 3,
		    1, 4000 + i);
		put(st, &r);
	}
	assert_int_equal(flap_changes(st), 100);
	/* The counter's labels leave out the address, which may move. */
	r.address.u.v4.s_addr ^= 1;
	r.updated_at_ms = 5000;
	put(st, &r);
	assert_int_equal(flap_changes(st), 100);
	/* A restart: the store loaded with the log counts on. */
	assert_non_null(g = store_get(st, "flap.example", AF_INET));
	assert_non_null(again = store_new());
	assert_int_equal(store_load_history(again, g,
	    store_result_history(g)), 0);
	assert_int_equal(flap_changes(again), 100);
	r.pmtu = 1300;
	r.updated_at_ms = 6000;
	put(again, &r);
	assert_int_equal(flap_changes(again), 101);
	store_free(again);
	store_free(st);
}

/* Runs promtool's own linter on text; its exit status. */
static int
promtool_check(const char *text, size_t len)
{
	char	 path[] = "/tmp/pmtud-metrics.XXXXXX", cmd[128];
	int	 fd, rc;

	if (system("command -v promtool >/dev/null 2>&1") != 0)
		fail_msg("promtool not found on PATH: it checks the exposition "
		    "format; install the Debian package prometheus (make deps)");
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s", path);
	rc = system(cmd);
	unlink(path);
	assert_true(rc != -1 && WIFEXITED(rc));
	return (WEXITSTATUS(rc));
}

static void
test_promtool(void **state)
{
	struct metrics_counters	 c;
	struct store		*st, *odd;
	struct result		 r;
	const char		*broken;
	char			*s;
	size_t			 len;

	(void)state;
	st = three();
	counters(&c);
	assert_non_null(s = metrics_render(st, &c, 0, &len));
	assert_int_equal(promtool_check(s, len), 0);
	free(s);
	/* Odd names and unknowns in one store. */
	odd = odd_names();
	result_init(&r, "nowhere.example");
	put(odd, &r);
	assert_non_null(s = metrics_render(odd, &c, 0, &len));
	assert_int_equal(promtool_check(s, len), 0);
	free(s);
	assert_non_null(s = metrics_render(NULL, NULL, 0, &len));
	assert_int_equal(promtool_check(s, len), 0);
	free(s);
	/* And the check itself is not blind: a broken text fails it. */
	broken = "pmtud_up{a=\"\\q\"} 1\n";
	assert_int_not_equal(promtool_check(broken, strlen(broken)), 0);
	store_free(odd);
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_unknowns),
		cmocka_unit_test(test_blackhole_only_in_state),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_promtool),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
