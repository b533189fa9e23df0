/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/conf.c. */
#include <sys/socket.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"

#define F		"t.conf"
#define EXAMPLE		"conf/pmtud.conf"
#define SEC		1000ULL
#define MIN		(60 * SEC)
#define HOUR		(60 * MIN)
#define DAY		(24 * HOUR)

static char	errbuf[512];
static char	tmpdir[] = "/tmp/test_conf.XXXXXX";

static void
assert_pristine(const struct conf *c)
{
	assert_string_equal(c->socket, CONF_DEFAULT_SOCKET);
	assert_string_equal(c->socket_group, "");
	assert_string_equal(c->state, CONF_DEFAULT_STATE);
	assert_int_equal(c->interval_ms, CONF_DEFAULT_INTERVAL);
	assert_int_equal(c->max_pps, CONF_DEFAULT_PPS);
	assert_string_equal(c->alert_command, "");
	assert_int_equal(c->alert_timeout_ms, CONF_DEFAULT_ALERT_TIMEOUT);
	assert_string_equal(c->metrics_listen, "");
	assert_int_equal(c->metrics_max_clients, 64);
	assert_int_equal(c->metrics_max_per_addr, 8);
	assert_null(c->dests);
	assert_int_equal(c->ndests, 0);
}

/* Parses text, which must be accepted, into c (garbage beforehand). */
static void
ok_len(const char *text, size_t len, struct conf *c)
{
	memset(c, 0xa5, sizeof(*c));
	errbuf[0] = '\0';
	if (conf_parse(text, len, F, c, errbuf, sizeof(errbuf)) != 0)
		fail_msg("rejected: %s", errbuf);
}

static void
ok(const char *text, struct conf *c)
{
	ok_len(text, strlen(text), c);
}

/* Text must be rejected with exactly want and leave the defaults. */
static void
bad_len(const char *text, size_t len, const char *want)
{
	struct conf	c;

	memset(&c, 0xa5, sizeof(c));
	memset(errbuf, 0, sizeof(errbuf));
	if (conf_parse(text, len, F, &c, errbuf, sizeof(errbuf)) != -1) {
		conf_clear(&c);
		fail_msg("accepted, wanted: %s", want);
	}
	assert_string_equal(errbuf, want);
	assert_pristine(&c);
}

static void
bad(const char *text, const char *want)
{
	bad_len(text, strlen(text), want);
}

/* buf = prefix, n times ch, suffix; buf must be big enough. */
static char *
build(char *buf, const char *prefix, int ch, size_t n, const char *suffix)
{
	size_t	plen = strlen(prefix);

	memcpy(buf, prefix, plen);
	memset(buf + plen, ch, n);
	strcpy(buf + plen + n, suffix);
	return (buf);
}

static void
test_init_clear(void **state)
{
	struct conf	c;

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	conf_init(&c);
	assert_pristine(&c);
	assert_string_equal(CONF_DEFAULT_SOCKET, "/run/pmtud/pmtud.sock");
	assert_string_equal(CONF_DEFAULT_STATE, "/var/lib/pmtud/state.json");
	assert_int_equal(c.interval_ms, 600000);
	assert_int_equal(c.max_pps, 100);
	assert_int_equal(c.alert_timeout_ms, 10000);

	ok("socket /s\nmax-pps 7\ndestination 198.51.100.7\n"
	    "destination 198.51.100.8\n", &c);
	assert_int_equal(c.ndests, 2);
	conf_clear(&c);
	assert_pristine(&c);
	conf_clear(&c);			/* twice is harmless */
	assert_pristine(&c);
}

static void
test_empty_and_comments(void **state)
{
	struct conf	c;

	(void)state;
	ok("", &c);
	assert_pristine(&c);
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(conf_parse(NULL, 0, F, &c, errbuf, sizeof(errbuf)),
	    0);
	assert_pristine(&c);
	ok("\n\n   \n\t\n# a comment\n   # indented comment\n#\n"
	    "#socket relative\n\t# tab then comment", &c);
	assert_pristine(&c);

	/* '#' starts a comment only at the start of a word. */
	ok("socket /run/a#b\nstate /var/x # trailing comment\n", &c);
	assert_string_equal(c.socket, "/run/a#b");
	assert_string_equal(c.state, "/var/x");
	ok("socket /run/x\t#tab before the hash\n", &c);
	assert_string_equal(c.socket, "/run/x");
	ok("socket /run/x#\n", &c);
	assert_string_equal(c.socket, "/run/x#");
	ok("destination 198.51.100.7 walk no # method tcp port 1\n", &c);
	assert_int_equal(c.ndests, 1);
	assert_int_equal(c.dests[0].walk, 0);
	assert_int_equal(c.dests[0].method, METHOD_AUTO);
	assert_int_equal(c.dests[0].port, 0);
	assert_int_equal(c.dests[0].flows, 1);
	conf_clear(&c);
	ok("destination 198.51.100.7 flows 8\n", &c);
	assert_int_equal(c.dests[0].flows, 8);
	conf_clear(&c);
	bad("destination 198.51.100.7 flows 65\n",
	    "t.conf:1: destination flows: \"65\" out of range (1..64)");
	/* Leading and trailing blanks, tabs between words. */
	ok("   \t socket \t  /run/y  \t\n", &c);
	assert_string_equal(c.socket, "/run/y");
	/* A comment cannot hide a keyword's missing argument. */
	bad("socket # /run/z\n", "t.conf:1: socket: missing argument");
	/* Line numbers count blank and comment lines. */
	bad("\n# one\n\n  \nbogus\n", "t.conf:5: unknown keyword \"bogus\"");
}

static void
test_line_endings(void **state)
{
	struct conf		 c;
	static const char	 crlf[] = "# comment\r\nsocket /run/c.sock\r\n"
	    "\r\nstate /var/c.json\r\ninterval 5m\r\n"
	    "alert-command /bin/alert a  b\r\n"
	    "destination 198.51.100.7 walk no\r\n";

	(void)state;
	ok(crlf, &c);
	assert_string_equal(c.socket, "/run/c.sock");
	assert_string_equal(c.state, "/var/c.json");
	assert_int_equal(c.interval_ms, 5 * MIN);
	assert_string_equal(c.alert_command, "/bin/alert a  b");
	assert_int_equal(c.ndests, 1);
	assert_int_equal(c.dests[0].walk, 0);
	assert_int_equal(c.dests[0].line, 7);
	conf_clear(&c);
	bad("socket /a\r\nstate /b\r\nfoo\r\n",
	    "t.conf:3: unknown keyword \"foo\"");

	/* No final newline; a final CR alone is a line end too. */
	ok_len("max-pps 5\nmax-pps 6", 9, &c);
	assert_int_equal(c.max_pps, 5);
	ok("socket /run/last", &c);
	assert_string_equal(c.socket, "/run/last");
	ok("socket /run/last\r", &c);
	assert_string_equal(c.socket, "/run/last");
	/* Not NUL-terminated: only len bytes are read. */
	ok_len("socket /run/abcXYZ", 15, &c);
	assert_string_equal(c.socket, "/run/abc");

	/* A carriage return anywhere else is a stray control character. */
	bad("socket /a\rb\n", "t.conf:1: control character 0x0d");
	bad("socket /a\r\r\n", "t.conf:1: control character 0x0d");
	bad("max-pps 1\nsocket\x1b /a\n", "t.conf:2: control character 0x1b");
	bad("# comment \x7f\n", "t.conf:1: control character 0x7f");
	bad("socket /a\v\n", "t.conf:1: control character 0x0b");
}

static void
test_nul(void **state)
{
	(void)state;
	bad_len("socket /a\0b\n", 12, "t.conf:1: NUL byte");
	bad_len("max-pps 1\n\nsocket /a\0\n", 22, "t.conf:3: NUL byte");
	bad_len("# comment \0 in a comment\n", 25, "t.conf:1: NUL byte");
	bad_len("\0", 1, "t.conf:1: NUL byte");
	bad_len("max-pps 1\n\0", 11, "t.conf:2: NUL byte");
}

static void
test_long_line(void **state)
{
	struct conf	 c;
	char		*buf;

	(void)state;
	buf = malloc(8192);
	assert_non_null(buf);
	/* 4096 bytes without the line end are fine, with LF or CRLF. */
	ok(build(buf, "#", 'x', 4095, "\nmax-pps 9\n"), &c);
	assert_int_equal(c.max_pps, 9);
	ok(build(buf, "#", 'x', 4095, "\r\nmax-pps 9\r\n"), &c);
	assert_int_equal(c.max_pps, 9);
	ok(build(buf, "#", 'x', 4095, ""), &c);
	bad(build(buf, "max-pps 1\n#", 'x', 4096, "\n"),
	    "t.conf:2: line too long (over 4096 bytes)");
	bad(build(buf, "#", 'x', 4096, ""),
	    "t.conf:1: line too long (over 4096 bytes)");
	/* A long line is refused even when it is only blanks. */
	bad(build(buf, "", ' ', 4097, "\n"),
	    "t.conf:1: line too long (over 4096 bytes)");
	free(buf);
}

static void
test_unknown_keyword(void **state)
{
	(void)state;
	bad("foo\n", "t.conf:1: unknown keyword \"foo\"");
	bad("foo bar baz\n", "t.conf:1: unknown keyword \"foo\"");
	bad("Socket /a\n", "t.conf:1: unknown keyword \"Socket\"");
	bad("socket-\n", "t.conf:1: unknown keyword \"socket-\"");
	bad("socket#x /a\n", "t.conf:1: unknown keyword \"socket#x\"");
	bad("family 4\n", "t.conf:1: unknown keyword \"family\"");
	bad("\"socket\" /a\n", "t.conf:1: unknown keyword \"\"socket\"\"");
}

static void
test_socket(void **state)
{
	struct conf	c;
	char		buf[256];

	(void)state;
	ok("socket /tmp/pmtud-test.sock\n", &c);
	assert_string_equal(c.socket, "/tmp/pmtud-test.sock");
	/* The rest stays at the defaults. */
	assert_string_equal(c.state, CONF_DEFAULT_STATE);
	assert_int_equal(c.interval_ms, CONF_DEFAULT_INTERVAL);
	assert_int_equal(c.ndests, 0);
	/* 107 bytes fit sun_path with its NUL, 108 do not. */
	ok(build(buf, "socket /", 's', 106, ""), &c);
	assert_int_equal(strlen(c.socket), 107);
	assert_string_equal(c.socket, buf + 7);
	bad(build(buf, "socket /", 's', 107, ""),
	    "t.conf:1: socket: path too long (108 bytes, max 107)");
	bad("socket run/pmtud.sock\n",
	    "t.conf:1: socket: \"run/pmtud.sock\" is not an absolute path");
	bad("socket ./x\n", "t.conf:1: socket: \"./x\" is not an absolute path");
	bad("socket\n", "t.conf:1: socket: missing argument");
	bad("socket   \t \n", "t.conf:1: socket: missing argument");
	bad("socket /a /b\n", "t.conf:1: socket: unexpected argument \"/b\"");
	bad("socket /my dir/s\n",
	    "t.conf:1: socket: unexpected argument \"dir/s\"");
}

static void
test_state(void **state)
{
	struct conf	 c;
	char		*buf;

	(void)state;
	ok("state /var/tmp/state.json\n", &c);
	assert_string_equal(c.state, "/var/tmp/state.json");
	assert_string_equal(c.socket, CONF_DEFAULT_SOCKET);
	ok("state /\n", &c);
	assert_string_equal(c.state, "/");
	buf = malloc(8192);
	assert_non_null(buf);
	/* As long as a line allows. */
	ok(build(buf, "state /", 'p', 4089, ""), &c);
	assert_int_equal(strlen(c.state), 4090);
	free(buf);
	bad("state state.json\n",
	    "t.conf:1: state: \"state.json\" is not an absolute path");
	bad("state\n", "t.conf:1: state: missing argument");
	bad("state /a b\n", "t.conf:1: state: unexpected argument \"b\"");
}

static void
test_socket_group(void **state)
{
	static const char *const good[] = {
		"pmtud", "_", "_pmtud", "Net.Ops-2", "a", "a-", "a.",
		"abcdefghijklmnopqrstuvwxyz012345",	/* 32 */
	};
	static const char *const badnames[] = {
		"1pmtud", "-pmtud", ".pmtud", "pm$", "pm:td", "pm/td", "pm@x",
		"pm\"x", "grüppe",
		"abcdefghijklmnopqrstuvwxyz0123456",	/* 33 */
	};
	struct conf	c;
	char		text[128], want[256];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "socket-group %s\n", good[i]);
		ok(text, &c);
		assert_string_equal(c.socket_group, good[i]);
	}
	for (i = 0; i < sizeof(badnames) / sizeof(badnames[0]); i++) {
		snprintf(text, sizeof(text), "socket-group %s\n", badnames[i]);
		snprintf(want, sizeof(want),
		    "t.conf:1: socket-group: bad group name \"%s\"",
		    badnames[i]);
		bad(text, want);
	}
	bad("socket-group\n", "t.conf:1: socket-group: missing argument");
	bad("socket-group a b\n",
	    "t.conf:1: socket-group: unexpected argument \"b\"");
}

static void
test_interval(void **state)
{
	static const struct {
		const char	*text;
		uint64_t	 ms;
	} good[] = {
		{ "1", SEC }, { "1s", SEC }, { "90", 90 * SEC },
		{ "10m", 10 * MIN }, { "2h", 2 * HOUR }, { "30d", 30 * DAY },
		{ "720h", 30 * DAY }, { "2592000", 30 * DAY },
		{ "0010m", 10 * MIN },
	};
	struct conf	c;
	char		text[128];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "interval %s\n", good[i].text);
		ok(text, &c);
		assert_int_equal(c.interval_ms, good[i].ms);
	}
	bad("interval 0\n",
	    "t.conf:1: interval: \"0\" out of range (1s..30d)");
	bad("interval 0s\n",
	    "t.conf:1: interval: \"0s\" out of range (1s..30d)");
	bad("interval 31d\n",
	    "t.conf:1: interval: \"31d\" out of range (1s..30d)");
	bad("interval 2592001\n",
	    "t.conf:1: interval: \"2592001\" out of range (1s..30d)");
	bad("interval 721h\n",
	    "t.conf:1: interval: \"721h\" out of range (1s..30d)");
	bad("interval 99999999999999999999d\n",
	    "t.conf:1: interval: bad duration \"99999999999999999999d\"");
	bad("interval 10x\n", "t.conf:1: interval: bad duration \"10x\"");
	bad("interval -1\n", "t.conf:1: interval: bad duration \"-1\"");
	bad("interval +1m\n", "t.conf:1: interval: bad duration \"+1m\"");
	bad("interval 1.5m\n", "t.conf:1: interval: bad duration \"1.5m\"");
	bad("interval 10M\n", "t.conf:1: interval: bad duration \"10M\"");
	bad("interval m\n", "t.conf:1: interval: bad duration \"m\"");
	bad("interval 10 m\n", "t.conf:1: interval: unexpected argument \"m\"");
	bad("interval\n", "t.conf:1: interval: missing argument");
}

static void
test_max_pps(void **state)
{
	struct conf	c;

	(void)state;
	ok("max-pps 1\n", &c);
	assert_int_equal(c.max_pps, 1);
	ok("max-pps 250\n", &c);
	assert_int_equal(c.max_pps, 250);
	ok("max-pps 100000\n", &c);
	assert_int_equal(c.max_pps, 100000);
	ok("max-pps 007\n", &c);
	assert_int_equal(c.max_pps, 7);
	bad("max-pps 0\n",
	    "t.conf:1: max-pps: \"0\" out of range (1..100000)");
	bad("max-pps 100001\n",
	    "t.conf:1: max-pps: \"100001\" out of range (1..100000)");
	bad("max-pps 4294967297\n",
	    "t.conf:1: max-pps: \"4294967297\" out of range (1..100000)");
	bad("max-pps 18446744073709551616\n", "t.conf:1: max-pps: "
	    "\"18446744073709551616\" out of range (1..100000)");
	bad("max-pps abc\n", "t.conf:1: max-pps: bad number \"abc\"");
	bad("max-pps -5\n", "t.conf:1: max-pps: bad number \"-5\"");
	bad("max-pps +5\n", "t.conf:1: max-pps: bad number \"+5\"");
	bad("max-pps 1e3\n", "t.conf:1: max-pps: bad number \"1e3\"");
	bad("max-pps 0x10\n", "t.conf:1: max-pps: bad number \"0x10\"");
	bad("max-pps 10s\n", "t.conf:1: max-pps: bad number \"10s\"");
	bad("max-pps\n", "t.conf:1: max-pps: missing argument");
	bad("max-pps 1 2\n", "t.conf:1: max-pps: unexpected argument \"2\"");
}

static void
test_alert_command(void **state)
{
	struct conf	 c;
	char		*buf;

	(void)state;
	ok("alert-command /usr/local/bin/alert\n", &c);
	assert_string_equal(c.alert_command, "/usr/local/bin/alert");
	/* The rest of the line as written, inner blanks and quotes kept. */
	ok("alert-command \t logger -t 'pmtud  x'\t\"a b\" --tag=#1  \n", &c);
	assert_string_equal(c.alert_command,
	    "logger -t 'pmtud  x'\t\"a b\" --tag=#1");
	/* '#' after a blank is a comment even here. */
	ok("alert-command logger x#y # not part of it\n", &c);
	assert_string_equal(c.alert_command, "logger x#y");
	ok("alert-command logger '#'\n", &c);
	assert_string_equal(c.alert_command, "logger '#'");
	ok("alert-command logger 'a #b'\n", &c);
	assert_string_equal(c.alert_command, "logger 'a");

	buf = malloc(2048);
	assert_non_null(buf);
	ok(build(buf, "alert-command ", 'a', 1023, "\n"), &c);
	assert_int_equal(strlen(c.alert_command), 1023);
	bad(build(buf, "alert-command ", 'a', 1024, "\n"),
	    "t.conf:1: alert-command: command too long "
	    "(1024 bytes, max 1023)");
	free(buf);
	bad("alert-command\n", "t.conf:1: alert-command: missing command");
	bad("alert-command   \t\n", "t.conf:1: alert-command: missing command");
	bad("alert-command # only a comment\n",
	    "t.conf:1: alert-command: missing command");
	bad("alert-command a\nalert-command b\n",
	    "t.conf:2: alert-command already set on line 1");
}

static void
test_alert_timeout(void **state)
{
	struct conf	c;

	(void)state;
	ok("alert-timeout 1s\n", &c);
	assert_int_equal(c.alert_timeout_ms, SEC);
	ok("alert-timeout 30\n", &c);
	assert_int_equal(c.alert_timeout_ms, 30 * SEC);
	ok("alert-timeout 2m\n", &c);
	assert_int_equal(c.alert_timeout_ms, 2 * MIN);
	ok("alert-timeout 1h\n", &c);
	assert_int_equal(c.alert_timeout_ms, HOUR);
	ok("alert-timeout 3600\n", &c);
	assert_int_equal(c.alert_timeout_ms, HOUR);
	bad("alert-timeout 0\n",
	    "t.conf:1: alert-timeout: \"0\" out of range (1s..1h)");
	bad("alert-timeout 3601\n",
	    "t.conf:1: alert-timeout: \"3601\" out of range (1s..1h)");
	bad("alert-timeout 61m\n",
	    "t.conf:1: alert-timeout: \"61m\" out of range (1s..1h)");
	bad("alert-timeout 1d\n",
	    "t.conf:1: alert-timeout: \"1d\" out of range (1s..1h)");
	bad("alert-timeout 5sec\n",
	    "t.conf:1: alert-timeout: bad duration \"5sec\"");
	bad("alert-timeout\n", "t.conf:1: alert-timeout: missing argument");
}

static void
test_metrics_listen(void **state)
{
	static const char *const good[] = {
		"127.0.0.1:9273", "198.51.100.7:1", "0.0.0.0:65535",
		"[2001:db8::1]:9273", "[::1]:80", "[::]:9100",
		"localhost:9273", "metrics.example.net:9273",
		"a-b.example:8080", "host7:09273",
	};
	struct conf	c;
	char		text[256], want[512], label[64];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "metrics-listen %s\n", good[i]);
		ok(text, &c);
		assert_string_equal(c.metrics_listen, good[i]);
	}
	bad("metrics-listen 9273\n",
	    "t.conf:1: metrics-listen: \"9273\" is not HOST:PORT");
	bad("metrics-listen localhost\n",
	    "t.conf:1: metrics-listen: \"localhost\" is not HOST:PORT");
	bad("metrics-listen 2001:db8::1:9273\n",
	    "t.conf:1: metrics-listen: \"2001:db8::1:9273\" is not HOST:PORT "
	    "(write an IPv6 address in brackets)");
	bad("metrics-listen [2001:db8::1]\n",
	    "t.conf:1: metrics-listen: \"[2001:db8::1]\" is not HOST:PORT");
	bad("metrics-listen [2001:db8::1:80\n",
	    "t.conf:1: metrics-listen: \"[2001:db8::1:80\" is not HOST:PORT");
	bad("metrics-listen [::1]x:80\n",
	    "t.conf:1: metrics-listen: \"[::1]x:80\" is not HOST:PORT");
	bad("metrics-listen [198.51.100.7]:80\n",
	    "t.conf:1: metrics-listen: bad host \"198.51.100.7\"");
	bad("metrics-listen [foo]:80\n",
	    "t.conf:1: metrics-listen: bad host \"foo\"");
	bad("metrics-listen []:80\n",
	    "t.conf:1: metrics-listen: bad host in \"[]:80\"");
	bad("metrics-listen :80\n",
	    "t.conf:1: metrics-listen: bad host in \":80\"");
	bad("metrics-listen bad_host:80\n",
	    "t.conf:1: metrics-listen: bad host \"bad_host\"");
	bad("metrics-listen -a.example:80\n",
	    "t.conf:1: metrics-listen: bad host \"-a.example\"");
	bad("metrics-listen 198.51.100.256:80\n",
	    "t.conf:1: metrics-listen: bad host \"198.51.100.256\"");
	bad("metrics-listen localhost:0\n", "t.conf:1: metrics-listen port: "
	    "\"0\" out of range (1..65535)");
	bad("metrics-listen localhost:65536\n", "t.conf:1: metrics-listen "
	    "port: \"65536\" out of range (1..65535)");
	bad("metrics-listen localhost:\n",
	    "t.conf:1: metrics-listen port: bad number \"\"");
	bad("metrics-listen localhost:http\n",
	    "t.conf:1: metrics-listen port: bad number \"http\"");
	bad("metrics-listen [::1]:-1\n",
	    "t.conf:1: metrics-listen port: bad number \"-1\"");
	/* 127 bytes fit, 128 do not. */
	build(label, "", 'a', 60, "");
	snprintf(text, sizeof(text), "metrics-listen a%s.%s.x:80\n", label,
	    label);
	ok(text, &c);
	assert_int_equal(strlen(c.metrics_listen), 127);
	snprintf(text, sizeof(text), "metrics-listen aa%s.%s.x:80\n", label,
	    label);
	snprintf(want, sizeof(want), "t.conf:1: metrics-listen: \"aa%s.%s.x:80"
	    "\" too long", label, label);
	bad(text, want);
	bad("metrics-listen\n", "t.conf:1: metrics-listen: missing argument");
	bad("metrics-listen a:1 b:2\n",
	    "t.conf:1: metrics-listen: unexpected argument \"b:2\"");
}

/* Alert events for destinations only probed on demand: off by default. */
static void
test_on_demand_events(void **state)
{
	struct conf	c;

	(void)state;
	ok("# nothing\n", &c);
	assert_int_equal(c.on_demand_events, 0);
	conf_clear(&c);
	ok("on-demand-events yes\n", &c);
	assert_int_equal(c.on_demand_events, 1);
	conf_clear(&c);
	ok("on-demand-events no\n", &c);
	assert_int_equal(c.on_demand_events, 0);
	conf_clear(&c);
	bad("on-demand-events maybe\n", "t.conf:1: on-demand-events: bad "
	    "value \"maybe\" (yes or no)");
	bad("on-demand-events\n", "t.conf:1: on-demand-events: missing "
	    "argument");
	bad("on-demand-events yes\non-demand-events no\n",
	    "t.conf:2: on-demand-events already set on line 1");
}

/* The HTTP server's caps: in all, and from one address. */
static void
test_metrics_caps(void **state)
{
	struct conf	c;

	(void)state;
	ok("metrics-max-clients 1\nmetrics-max-clients-per-address 4096\n",
	    &c);
	assert_int_equal(c.metrics_max_clients, 1);
	assert_int_equal(c.metrics_max_per_addr, 4096);
	conf_clear(&c);
	ok("metrics-max-clients 4096\n", &c);
	assert_int_equal(c.metrics_max_clients, 4096);
	assert_int_equal(c.metrics_max_per_addr, 8);
	conf_clear(&c);
	bad("metrics-max-clients 0\n", "t.conf:1: metrics-max-clients: "
	    "\"0\" out of range (1..4096)");
	bad("metrics-max-clients 4097\n", "t.conf:1: metrics-max-clients: "
	    "\"4097\" out of range (1..4096)");
	bad("metrics-max-clients-per-address 0\n",
	    "t.conf:1: metrics-max-clients-per-address: \"0\" out of range "
	    "(1..4096)");
	bad("metrics-max-clients-per-address x\n",
	    "t.conf:1: metrics-max-clients-per-address: bad number \"x\"");
	bad("metrics-max-clients\n",
	    "t.conf:1: metrics-max-clients: missing argument");
}

static void
test_all_settings(void **state)
{
	struct conf	c;

	(void)state;
	ok("socket /run/t/t.sock\n"
	    "socket-group netops\n"
	    "state /var/lib/t/t.json\n"
	    "interval 1h\n"
	    "max-pps 42\n"
	    "alert-command /usr/bin/env ALERT=1 /bin/true\n"
	    "alert-timeout 20s\n"
	    "metrics-listen [2001:db8::5]:9273\n", &c);
	assert_string_equal(c.socket, "/run/t/t.sock");
	assert_string_equal(c.socket_group, "netops");
	assert_string_equal(c.state, "/var/lib/t/t.json");
	assert_int_equal(c.interval_ms, HOUR);
	assert_int_equal(c.max_pps, 42);
	assert_string_equal(c.alert_command, "/usr/bin/env ALERT=1 /bin/true");
	assert_int_equal(c.alert_timeout_ms, 20 * SEC);
	assert_string_equal(c.metrics_listen, "[2001:db8::5]:9273");
	assert_null(c.dests);
	assert_int_equal(c.ndests, 0);
}

static void
test_duplicate_settings(void **state)
{
	static const char *const once[] = {
		"socket /a", "socket-group g", "state /b", "interval 1m",
		"max-pps 5", "alert-command x", "alert-timeout 5s",
		"metrics-listen localhost:1", "metrics-max-clients 2",
		"metrics-max-clients-per-address 2",
	};
	char	text[256], want[256], kw[32];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		sscanf(once[i], "%31s", kw);
		/* Even the same value twice, blank lines between. */
		snprintf(text, sizeof(text), "%s\n\n# c\n%s\n", once[i],
		    once[i]);
		snprintf(want, sizeof(want),
		    "t.conf:4: %s already set on line 1", kw);
		bad(text, want);
		/* Named before the second value is even looked at. */
		snprintf(text, sizeof(text), "max-pps 1\n%s\n%s ???\n",
		    strcmp(kw, "max-pps") == 0 ? "" : once[i], kw);
		snprintf(want, sizeof(want),
		    "t.conf:3: %s already set on line %d", kw,
		    strcmp(kw, "max-pps") == 0 ? 1 : 2);
		bad(text, want);
	}
}

static void
test_destination_defaults(void **state)
{
	struct conf		 c;
	const struct conf_dest	*d;

	(void)state;
	ok("\n\ndestination gateway.example.net\n", &c);
	assert_int_equal(c.ndests, 1);
	d = &c.dests[0];
	assert_string_equal(d->name, "gateway.example.net");
	assert_int_equal(d->family, 0);
	assert_int_equal(d->method, METHOD_AUTO);
	assert_int_equal(d->interval_ms, 0);
	assert_int_equal(d->port, 0);
	assert_int_equal(d->walk, 1);
	assert_int_equal(d->line, 3);
	conf_clear(&c);

	/* An address keeps family 0 unless told: it is what was written. */
	ok("destination 198.51.100.7\ndestination 2001:db8::1\n", &c);
	assert_int_equal(c.ndests, 2);
	assert_string_equal(c.dests[0].name, "198.51.100.7");
	assert_int_equal(c.dests[0].family, 0);
	assert_int_equal(c.dests[0].line, 1);
	assert_string_equal(c.dests[1].name, "2001:db8::1");
	assert_int_equal(c.dests[1].family, 0);
	assert_int_equal(c.dests[1].line, 2);
	conf_clear(&c);
}

static void
test_destination_options(void **state)
{
	struct conf		 c;
	const struct conf_dest	*d;

	(void)state;
	ok("destination gateway.example.net family 4 method tcp "
	    "interval 30m port 8443 walk no\n"
	    "destination gateway.example.net walk yes port 22 interval 45 "
	    "method tcp family 6\n"
	    "destination 198.51.100.7 family 4 method icmp\n"
	    "destination 2001:db8::1 family 6 method udp\n"
	    "destination 2001:db8::2 method auto\n"
	    "destination 198.51.100.9 method tcp\n"
	    "destination 198.51.100.10 port 1 method tcp\n"
	    "destination 198.51.100.11 method tcp port 65535\n", &c);
	assert_int_equal(c.ndests, 8);
	d = &c.dests[0];
	assert_string_equal(d->name, "gateway.example.net");
	assert_int_equal(d->family, AF_INET);
	assert_int_equal(d->method, METHOD_TCP);
	assert_int_equal(d->interval_ms, 30 * MIN);
	assert_int_equal(d->port, 8443);
	assert_int_equal(d->walk, 0);
	assert_int_equal(d->line, 1);
	d = &c.dests[1];
	assert_string_equal(d->name, "gateway.example.net");
	assert_int_equal(d->family, AF_INET6);
	assert_int_equal(d->method, METHOD_TCP);
	assert_int_equal(d->interval_ms, 45 * SEC);
	assert_int_equal(d->port, 22);
	assert_int_equal(d->walk, 1);
	assert_int_equal(d->line, 2);
	d = &c.dests[2];
	assert_int_equal(d->family, AF_INET);
	assert_int_equal(d->method, METHOD_ICMP);
	assert_int_equal(d->method, 1);
	assert_int_equal(d->port, 0);
	d = &c.dests[3];
	assert_int_equal(d->family, AF_INET6);
	assert_int_equal(d->method, METHOD_UDP);
	assert_int_equal(d->method, 2);
	assert_int_equal(c.dests[4].method, METHOD_AUTO);
	assert_int_equal(c.dests[4].family, 0);
	/* tcp without a port leaves 0 (443 is the daemon's choice). */
	assert_int_equal(c.dests[5].method, METHOD_TCP);
	assert_int_equal(c.dests[5].port, 0);
	assert_int_equal(c.dests[6].port, 1);
	assert_int_equal(c.dests[7].port, 65535);
	assert_int_equal(c.dests[7].line, 8);
	conf_clear(&c);

	ok("destination h interval 1s\ndestination i interval 30d\n", &c);
	assert_int_equal(c.dests[0].interval_ms, SEC);
	assert_int_equal(c.dests[1].interval_ms, 30 * DAY);
	conf_clear(&c);
}

static void
test_destination_errors(void **state)
{
	(void)state;
	bad("destination\n", "t.conf:1: destination: missing name");
	bad("destination h family\n",
	    "t.conf:1: destination family: missing value");
	bad("destination h walk no port\n",
	    "t.conf:1: destination port: missing value");
	bad("destination h colour red\n",
	    "t.conf:1: destination: unknown option \"colour\"");
	bad("destination h Family 4\n",
	    "t.conf:1: destination: unknown option \"Family\"");
	/* A value where an option is due is an unknown option. */
	bad("destination h family 4 6\n",
	    "t.conf:1: destination: unknown option \"6\"");
	bad("destination h family 4 family 4\n",
	    "t.conf:1: destination: option family given twice");
	bad("destination h method udp method udp\n",
	    "t.conf:1: destination: option method given twice");
	bad("destination h interval 1m walk no interval 1m\n",
	    "t.conf:1: destination: option interval given twice");
	bad("destination h method tcp port 1 port 2\n",
	    "t.conf:1: destination: option port given twice");
	bad("destination h walk no walk yes\n",
	    "t.conf:1: destination: option walk given twice");

	bad("destination h family 5\n",
	    "t.conf:1: destination family: bad value \"5\" (4 or 6)");
	bad("destination h family inet\n",
	    "t.conf:1: destination family: bad value \"inet\" (4 or 6)");
	bad("destination h family 04\n",
	    "t.conf:1: destination family: bad value \"04\" (4 or 6)");
	bad("destination h method ping\n", "t.conf:1: destination method: "
	    "bad value \"ping\" (auto, icmp, udp or tcp)");
	bad("destination h method TCP\n", "t.conf:1: destination method: "
	    "bad value \"TCP\" (auto, icmp, udp or tcp)");
	bad("destination h walk 1\n",
	    "t.conf:1: destination walk: bad value \"1\" (yes or no)");
	bad("destination h interval 0\n", "t.conf:1: destination interval: "
	    "\"0\" out of range (1s..30d)");
	bad("destination h interval 31d\n", "t.conf:1: destination interval: "
	    "\"31d\" out of range (1s..30d)");
	bad("destination h interval soon\n",
	    "t.conf:1: destination interval: bad duration \"soon\"");
	bad("destination h method tcp port 0\n", "t.conf:1: destination "
	    "port: \"0\" out of range (1..65535)");
	bad("destination h method tcp port 65536\n", "t.conf:1: destination "
	    "port: \"65536\" out of range (1..65535)");
	bad("destination h method tcp port https\n",
	    "t.conf:1: destination port: bad number \"https\"");

	/* port needs method tcp, whatever the order. */
	bad("destination h port 443\n",
	    "t.conf:1: destination port: needs method tcp");
	bad("destination h port 443 method udp\n",
	    "t.conf:1: destination port: needs method tcp");
	bad("destination h method auto port 443\n",
	    "t.conf:1: destination port: needs method tcp");

	/* An address's family must agree with an explicit one. */
	bad("destination 198.51.100.7 family 6\n", "t.conf:1: destination: "
	    "198.51.100.7 is an IPv4 address, not family 6");
	bad("destination 2001:db8::1 family 4\n", "t.conf:1: destination: "
	    "2001:db8::1 is an IPv6 address, not family 4");
	bad("destination 2001:db8::1 family 4 method tcp port 80\n",
	    "t.conf:1: destination: 2001:db8::1 is an IPv6 address, "
	    "not family 4");

	/* Too many words for any destination line. */
	bad("destination h walk yes walk yes walk yes walk yes walk yes "
	    "walk yes walk yes walk yes walk yes walk yes walk yes "
	    "walk yes walk yes walk yes walk yes walk yes\n",
	    "t.conf:1: destination: too many arguments");
}

static void
test_destination_names(void **state)
{
	static const char *const good[] = {
		"a", "localhost", "gateway.example.net", "GATEWAY.example.NET",
		"a-b.c-d", "x1", "1x", "123.example", "example.123a",
		"198.51.100.7", "2001:db8::1", "::1", "2001:db8::198.51.100.7",
		"2001:DB8:0:0:0:0:0:2", "xn--bcher-kva.example",
	};
	static const char *const badnames[] = {
		"-a", "a-", "a.-b", "a-.b", "a..b", ".a", "a.", ".", "a_b",
		"*.example.net", "1.2.3", "198.51.100.256", "42",
		"198.51.100.7.", "fe80::1%eth0", "2001:db8::g", "[2001:db8::1]",
		"host:80", "ex@mple", "bücher.example",
		/* what a shell would run, in an alert command's environment */
		"$(reboot)", "`id`", "gw.example;id", "a'b", "x|y", "a&b",
	};
	struct conf	 c;
	char		 text[600], want[700], label[80], label2[80], *buf;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "destination %s\n", good[i]);
		ok(text, &c);
		assert_int_equal(c.ndests, 1);
		assert_string_equal(c.dests[0].name, good[i]);
		conf_clear(&c);
	}
	for (i = 0; i < sizeof(badnames) / sizeof(badnames[0]); i++) {
		snprintf(text, sizeof(text), "destination %s\n", badnames[i]);
		snprintf(want, sizeof(want),
		    "t.conf:1: destination: bad name \"%s\"", badnames[i]);
		bad(text, want);
	}

	/* Labels up to 63 bytes, names up to 253. */
	build(label, "", 'l', 63, "");
	snprintf(text, sizeof(text), "destination %s.example\n", label);
	ok(text, &c);
	assert_int_equal(strlen(c.dests[0].name), 71);
	conf_clear(&c);
	build(label, "", 'l', 64, "");
	snprintf(text, sizeof(text), "destination %s.example\n", label);
	snprintf(want, sizeof(want), "t.conf:1: destination: bad name "
	    "\"%s.example\"", label);
	bad(text, want);
	buf = malloc(1024);
	assert_non_null(buf);
	/* 3 labels of 63 and one of 61, dots between: 253. */
	build(label, "", 'l', 63, ".");
	snprintf(buf, 1024, "destination %s%s%s%s\n", label, label, label,
	    build(label2, "", 'z', 61, ""));
	ok(buf, &c);
	assert_int_equal(strlen(c.dests[0].name), 253);
	conf_clear(&c);
	snprintf(buf, 1024, "destination %s%s%s%s\n", label, label, label,
	    build(label2, "", 'z', 62, ""));
	snprintf(want, sizeof(want), "t.conf:1: destination: bad name "
	    "\"%s%s%s%s\"", label, label, label, label2);
	bad(buf, want);
	free(buf);
}

static void
test_destination_duplicates(void **state)
{
	struct conf	c;

	(void)state;
	bad("destination gateway.example.net\n\n"
	    "destination gateway.example.net\n", "t.conf:3: destination "
	    "gateway.example.net already configured on line 1");
	bad("destination h family 4 method icmp\n"
	    "destination h method udp family 4\n",
	    "t.conf:2: destination h already configured on line 1");
	/* Names are case-blind, as DNS is. */
	bad("destination gateway.example.net family 6\n"
	    "destination Gateway.Example.NET family 6\n",
	    "t.conf:2: destination Gateway.Example.NET already configured "
	    "on line 1");
	/* Addresses compare by value, whatever the spelling. */
	bad("destination 2001:db8::1\ndestination 2001:DB8:0::0:1\n",
	    "t.conf:2: destination 2001:DB8:0::0:1 already configured "
	    "on line 1");
	bad("destination 198.51.100.7\ndestination 198.51.100.7 family 4\n",
	    "t.conf:2: destination 198.51.100.7 already configured "
	    "on line 1");
	/* The earlier line named is the one that clashes. */
	bad("destination a\ndestination b\ndestination c\ndestination b\n",
	    "t.conf:4: destination b already configured on line 2");

	/* The same name with another family is another destination. */
	ok("destination gateway.example.net\n"
	    "destination gateway.example.net family 4\n"
	    "destination gateway.example.net family 6\n"
	    "destination 198.51.100.7\n"
	    "destination 198.51.100.70\n"
	    "destination 2001:db8::1\n"
	    "destination 2001:db8::1:0\n", &c);
	assert_int_equal(c.ndests, 7);
	assert_int_equal(c.dests[0].family, 0);
	assert_int_equal(c.dests[1].family, AF_INET);
	assert_int_equal(c.dests[2].family, AF_INET6);
	assert_int_equal(c.dests[2].line, 3);
	conf_clear(&c);
}

static void
test_error_frees_and_resets(void **state)
{
	struct conf	c;
	char		small[12];

	(void)state;
	/* Settings and many destinations before the bad line are dropped. */
	bad("socket /x\nstate /y\ninterval 1m\nmax-pps 3\n"
	    "socket-group g\nalert-command a\nalert-timeout 2s\n"
	    "metrics-listen h:1\n"
	    "destination d1\ndestination d2\ndestination d3\n"
	    "destination d4\ndestination d5\ndestination d6\n"
	    "destination d7\ndestination d8\ndestination d9\n"
	    "destination d10\ndestination d11\nbogus\n",
	    "t.conf:20: unknown keyword \"bogus\"");
	/* Whatever *c held is not looked at: it is output only. */
	memset(&c, 0xff, sizeof(c));
	assert_int_equal(conf_parse("max-pps 0\n", 10, F, &c, NULL, 0), -1);
	assert_pristine(&c);
	/* A short buffer gets a truncated message, NUL-terminated. */
	memset(small, 'z', sizeof(small));
	assert_int_equal(conf_parse("max-pps 0\n", 10, F, &c, small,
	    sizeof(small)), -1);
	assert_string_equal(small, "t.conf:1: m");
	memset(small, 'z', sizeof(small));
	assert_int_equal(conf_parse("x", 1, "long-file-name.conf", &c, small,
	    sizeof(small)), -1);
	assert_string_equal(small, "long-file-n");
	/* The file name is the caller's. */
	memset(errbuf, 0, sizeof(errbuf));
	assert_int_equal(conf_parse("\nx\n", 3, "/etc/pmtud.conf", &c, errbuf,
	    sizeof(errbuf)), -1);
	assert_string_equal(errbuf, "/etc/pmtud.conf:2: unknown keyword \"x\"");
}

static void
test_duration(void **state)
{
	static const struct {
		const char	*s;
		uint64_t	 ms;
	} good[] = {
		{ "0", 0 }, { "0s", 0 }, { "0m", 0 }, { "0d", 0 },
		{ "1", SEC }, { "1s", SEC }, { "1m", MIN }, { "1h", HOUR },
		{ "1d", DAY }, { "10m", 600000 }, { "007m", 7 * MIN },
		{ "36h", 36 * HOUR }, { "86400", DAY },
		/* The largest that fit in uint64 milliseconds. */
		{ "18446744073709551", 18446744073709551000ULL },
		{ "18446744073709551s", 18446744073709551000ULL },
		{ "307445734561825m", 307445734561825ULL * MIN },
		{ "5124095576030h", 5124095576030ULL * HOUR },
		{ "213503982334d", 213503982334ULL * DAY },
	};
	static const char *const badd[] = {
		"", "s", "m", "h", "d", "10x", "10S", "10M", "10ms", "10mm",
		"1m1s", " 10", "10 ", "1 0", "-1", "+1", "1.5", "1e3", "0x10",
		"\t1", "1s\n", "ten",
		/* Overflow: of the number itself, or of it in milliseconds. */
		"18446744073709552", "18446744073709552s", "307445734561826m",
		"5124095576031h", "213503982335d", "18446744073709551616",
		"99999999999999999999999999999999999999d",
	};
	uint64_t	ms;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = 12345;
		if (conf_duration(good[i].s, &ms) != 0)
			fail_msg("rejected \"%s\"", good[i].s);
		assert_int_equal(ms, good[i].ms);
	}
	for (i = 0; i < sizeof(badd) / sizeof(badd[0]); i++) {
		ms = 12345;
		if (conf_duration(badd[i], &ms) != -1)
			fail_msg("accepted \"%s\"", badd[i]);
		assert_int_equal(ms, 12345);	/* untouched */
	}
	ms = 12345;
	assert_int_equal(conf_duration(NULL, &ms), -1);
	assert_int_equal(ms, 12345);
}

static void
test_find(void **state)
{
	struct conf		 c;
	const struct conf_dest	*d;

	(void)state;
	conf_init(&c);
	assert_null(conf_find(&c, "gateway.example.net", 0));
	ok("destination gateway.example.net\n"
	    "destination gateway.example.net family 6 walk no\n"
	    "destination 198.51.100.7 family 4\n"
	    "destination 2001:db8::1\n", &c);
	d = conf_find(&c, "gateway.example.net", 0);
	assert_ptr_equal(d, &c.dests[0]);
	assert_int_equal(d->line, 1);
	d = conf_find(&c, "gateway.example.net", AF_INET6);
	assert_ptr_equal(d, &c.dests[1]);
	assert_int_equal(d->walk, 0);
	/* Family 0 finds only a family 0 entry, and the reverse. */
	assert_null(conf_find(&c, "gateway.example.net", AF_INET));
	assert_ptr_equal(conf_find(&c, "198.51.100.7", AF_INET), &c.dests[2]);
	assert_null(conf_find(&c, "198.51.100.7", 0));
	assert_ptr_equal(conf_find(&c, "2001:db8::1", 0), &c.dests[3]);
	assert_null(conf_find(&c, "2001:db8::1", AF_INET6));
	/* Exact names only. */
	assert_null(conf_find(&c, "Gateway.example.net", 0));
	assert_null(conf_find(&c, "gateway.example", 0));
	assert_null(conf_find(&c, "2001:db8:0::1", 0));
	assert_null(conf_find(&c, "", 0));
	conf_clear(&c);
	assert_null(conf_find(&c, "gateway.example.net", 0));
}

static int
setup(void **state)
{
	(void)state;
	return (mkdtemp(tmpdir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return (system(cmd) == 0 ? 0 : -1);
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_load(void **state)
{
	struct conf	 c;
	char		 path[256], want[512], *big;
	size_t		 i;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(conf_load(path, &c, errbuf, sizeof(errbuf)), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(errbuf, want);
	assert_pristine(&c);

	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(conf_load(tmpdir, &c, errbuf, sizeof(errbuf)), -1);
	snprintf(want, sizeof(want), "%s: Is a directory", tmpdir);
	assert_string_equal(errbuf, want);
	assert_pristine(&c);

	snprintf(path, sizeof(path), "%s/good.conf", tmpdir);
	write_file(path, "socket /run/l.sock\r\nmax-pps 77\n"
	    "destination 198.51.100.7 walk no", 63);	/* no final newline */
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(conf_load(path, &c, errbuf, sizeof(errbuf)), 0);
	assert_string_equal(c.socket, "/run/l.sock");
	assert_int_equal(c.max_pps, 77);
	assert_int_equal(c.ndests, 1);
	assert_string_equal(c.dests[0].name, "198.51.100.7");
	assert_int_equal(c.dests[0].walk, 0);
	assert_int_equal(c.dests[0].line, 3);
	conf_clear(&c);

	snprintf(path, sizeof(path), "%s/empty.conf", tmpdir);
	write_file(path, "", 0);
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(conf_load(path, &c, errbuf, sizeof(errbuf)), 0);
	assert_pristine(&c);

	/* Parse errors carry the path as the file name. */
	snprintf(path, sizeof(path), "%s/bad.conf", tmpdir);
	write_file(path, "destination 198.51.100.7\n\nmax-pps 0\n", 36);
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(conf_load(path, &c, errbuf, sizeof(errbuf)), -1);
	snprintf(want, sizeof(want),
	    "%s:3: max-pps: \"0\" out of range (1..100000)", path);
	assert_string_equal(errbuf, want);
	assert_pristine(&c);
	snprintf(path, sizeof(path), "%s/nul.conf", tmpdir);
	write_file(path, "max-pps 1\n\0\n", 12);
	assert_int_equal(conf_load(path, &c, errbuf, sizeof(errbuf)), -1);
	snprintf(want, sizeof(want), "%s:2: NUL byte", path);
	assert_string_equal(errbuf, want);

	/* CONF_MAXFILE exactly is read; one byte more is refused. */
	big = malloc(CONF_MAXFILE + 1);
	assert_non_null(big);
	for (i = 0; i < CONF_MAXFILE; i += 64) {
		memset(big + i, ' ', 64);
		big[i] = '#';
		big[i + 63] = '\n';
	}
	memset(big + CONF_MAXFILE - 64, ' ', 63);
	memcpy(big + CONF_MAXFILE - 64, "max-pps 321", 11);
	snprintf(path, sizeof(path), "%s/big.conf", tmpdir);
	write_file(path, big, CONF_MAXFILE);
	assert_int_equal(conf_load(path, &c, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(c.max_pps, 321);
	big[CONF_MAXFILE] = '\n';
	write_file(path, big, CONF_MAXFILE + 1);
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(conf_load(path, &c, errbuf, sizeof(errbuf)), -1);
	snprintf(want, sizeof(want), "%s: file too large (over %d bytes)",
	    path, (int)CONF_MAXFILE);
	assert_string_equal(errbuf, want);
	assert_pristine(&c);
	free(big);
}

/* The shipped example parses as it is: defaults, no destinations. */
static void
test_example(void **state)
{
	struct conf	c;

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	if (conf_load(EXAMPLE, &c, errbuf, sizeof(errbuf)) != 0)
		fail_msg("%s", errbuf);
	assert_pristine(&c);
}

/*
 * Every "#keyword ..." line in the example is a valid setting showing
 * the default: uncommented, the file still parses, with the defaults.
 */
static void
test_example_uncommented(void **state)
{
	struct conf	 c;
	FILE		*f;
	char		*text, line[512];
	size_t		 len = 0, n;
	int		 nset = 0;

	(void)state;
	assert_non_null(f = fopen(EXAMPLE, "r"));
	assert_non_null(text = calloc(1, 65536));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z') {
			memmove(line, line + 1, strlen(line));
			nset++;
		}
		n = strlen(line);
		assert_true(len + n < 65536);
		memcpy(text + len, line, n);
		len += n;
	}
	fclose(f);
	/*
	 * socket-group ... metrics-max-clients-per-address, on-demand-events,
	 * 4 destinations.
	 */
	assert_int_equal(nset, 9 + 4);
	ok_len(text, len, &c);
	free(text);
	assert_string_equal(c.socket, CONF_DEFAULT_SOCKET);
	assert_string_equal(c.state, CONF_DEFAULT_STATE);
	assert_string_equal(c.socket_group, "pmtud");
	assert_int_equal(c.interval_ms, CONF_DEFAULT_INTERVAL);
	assert_int_equal(c.max_pps, CONF_DEFAULT_PPS);
	assert_string_equal(c.alert_command,
	    "/usr/local/libexec/pmtud-alert --tag=pmtud");
	assert_int_equal(c.alert_timeout_ms, CONF_DEFAULT_ALERT_TIMEOUT);
	assert_string_equal(c.metrics_listen, "127.0.0.1:9273");
	assert_int_equal(c.metrics_max_clients, CONF_DEFAULT_METRICS_CLIENTS);
	assert_int_equal(c.metrics_max_per_addr,
	    CONF_DEFAULT_METRICS_PER_ADDR);
	assert_int_equal(c.ndests, 4);
	assert_string_equal(c.dests[0].name, "198.51.100.7");
	assert_int_equal(c.dests[0].family, 0);
	assert_string_equal(c.dests[1].name, "2001:db8::1");
	assert_int_equal(c.dests[1].method, METHOD_UDP);
	assert_int_equal(c.dests[1].interval_ms, HOUR);
	assert_string_equal(c.dests[2].name, "gateway.example.net");
	assert_int_equal(c.dests[2].family, AF_INET);
	assert_int_equal(c.dests[2].method, METHOD_TCP);
	assert_int_equal(c.dests[2].port, 8443);
	assert_int_equal(c.dests[2].walk, 0);
	assert_string_equal(c.dests[3].name, "gateway.example.net");
	assert_int_equal(c.dests[3].family, AF_INET6);
	assert_int_equal(c.dests[3].interval_ms, 30 * MIN);
	assert_int_equal(c.dests[3].walk, 1);
	conf_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_clear),
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_unknown_keyword),
		cmocka_unit_test(test_socket),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_socket_group),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_max_pps),
		cmocka_unit_test(test_alert_command),
		cmocka_unit_test(test_alert_timeout),
		cmocka_unit_test(test_metrics_listen),
		cmocka_unit_test(test_metrics_caps),
		cmocka_unit_test(test_on_demand_events),
		cmocka_unit_test(test_all_settings),
		cmocka_unit_test(test_duplicate_settings),
		cmocka_unit_test(test_destination_defaults),
		cmocka_unit_test(test_destination_options),
		cmocka_unit_test(test_destination_errors),
		cmocka_unit_test(test_destination_names),
		cmocka_unit_test(test_destination_duplicates),
		cmocka_unit_test(test_error_frees_and_resets),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_example_uncommented),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
