/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/ctl.c. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl.h"
#include "result.h"
#include "pkt.h"

/* Parses s, which must succeed; the caller clears req. */
static void
parse_ok(const char *s, struct ctl_request *req)
{
	struct ctl_error	 err;

	if (ctl_request_parse(s, strlen(s), req, &err) != 0)
		fail_msg("refused %s: %s: %s", s, err.code, err.message);
	assert_string_equal(err.code, "");
}

/* Parses len bytes at s, which must fail with code and message. */
static void
parse_fail_len(const char *s, size_t len, const char *code, const char *msg)
{
	struct ctl_request	 req;
	struct ctl_error	 err;

	if (ctl_request_parse(s, len, &req, &err) != -1)
		fail_msg("accepted %.*s", (int)len, s);
	assert_string_equal(err.code, code);
	assert_string_equal(err.message, msg);
	ctl_request_clear(&req);
}

static void
parse_fail(const char *s, const char *code, const char *msg)
{
	parse_fail_len(s, strlen(s), code, msg);
}

/* For jansson's own texts: the code and the start of the message. */
static void
parse_fail_prefix(const char *s, const char *code, const char *prefix)
{
	struct ctl_request	 req;
	struct ctl_error	 err;
	size_t			 len = strlen(s);

	if (ctl_request_parse(s, len, &req, &err) != -1)
		fail_msg("accepted %.*s", (int)len, s);
	assert_string_equal(err.code, code);
	if (strncmp(err.message, prefix, strlen(prefix)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"",
		    err.message, prefix);
	assert_null(req.id);
	ctl_request_clear(&req);
}

static void
test_parse_probe(void **state)
{
	struct ctl_request	 req;

	(void)state;
	parse_ok("{\"id\":1,\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"family\":4,\"method\":\"icmp\"}", &req);
	assert_int_equal(req.cmd, CTL_CMD_PROBE);
	assert_string_equal(req.destination, "198.18.3.2");
	assert_int_equal(req.family, 4);
	assert_int_equal(req.method, METHOD_ICMP);
	assert_true(json_is_integer(req.id));
	assert_int_equal(json_integer_value(req.id), 1);
	ctl_request_clear(&req);
	assert_null(req.id);
	ctl_request_clear(&req);	/* twice is harmless */

	parse_ok("{\"cmd\":\"probe\",\"destination\":\"2001:db8::2\","
	    "\"family\":6,\"method\":\"udp\"}", &req);
	assert_null(req.id);
	assert_int_equal(req.cmd, CTL_CMD_PROBE);
	assert_string_equal(req.destination, "2001:db8::2");
	assert_int_equal(req.family, 6);
	assert_int_equal(req.method, METHOD_UDP);
	ctl_request_clear(&req);

	/* null is the same as absent; auto is 0; unknown keys ignored. */
	parse_ok(" {\"method\":\"auto\",\"family\":null,\"later\":{\"x\":[1]},"
	    "\"cmd\":\"probe\",\"destination\":\"gw.example\"}\r\n", &req);
	assert_int_equal(req.cmd, CTL_CMD_PROBE);
	assert_string_equal(req.destination, "gw.example");
	assert_int_equal(req.family, 0);
	assert_int_equal(req.method, 0);
	ctl_request_clear(&req);

	parse_ok("{\"cmd\":\"probe\",\"destination\":\"gw.example\","
	    "\"method\":null}", &req);
	assert_int_equal(req.method, 0);
	ctl_request_clear(&req);

	/* An IDN goes in its ASCII form, as in the configuration. */
	parse_ok("{\"cmd\":\"probe\",\"destination\":"
	    "\"xn--bcher-kva.example\"}", &req);
	assert_string_equal(req.destination, "xn--bcher-kva.example");
	ctl_request_clear(&req);
}

#define NOT_A_NAME	"\"destination\" is not an IP address or a host name: "
#define BAD_CHAR	NOT_A_NAME "it holds a character other than letters, " \
	"digits, '-' and '.'"

/*
 * A destination passes the configuration file's check or none: names
 * that would reach an alert command's environment ($(...), `...`, ';',
 * quotes) are refused with the reason, in every command that takes one.
 */
static void
test_parse_destination_names(void **state)
{
	static const char *const good[] = {
		"a", "localhost", "gateway.example.net", "GATEWAY.example.NET",
		"a-b.c-d", "x1", "1x", "123.example", "example.123a",
		"198.51.100.7", "2001:db8::1", "::1", "2001:db8::198.51.100.7",
		"2001:DB8:0:0:0:0:0:2", "xn--bcher-kva.example",
	};
	static const struct {
		const char	*json;	/* as written in the request */
		const char	*msg;
	} bad[] = {
		{ "$(reboot)", BAD_CHAR },
		{ "x$(id).example", BAD_CHAR },
		{ "`id`", BAD_CHAR },
		{ "gw.example;rm -rf", NULL },	/* the blank goes first */
		{ "gw.example;id", BAD_CHAR },
		{ "a'b", BAD_CHAR },
		{ "a\\\"b", BAD_CHAR },
		{ "a|b", BAD_CHAR },
		{ "a&b", BAD_CHAR },
		{ "a>b", BAD_CHAR },
		{ "a\\\\b", BAD_CHAR },
		{ "a/b", BAD_CHAR },
		{ "a_b", BAD_CHAR },
		{ "*.example.net", BAD_CHAR },
		{ "ex@mple", BAD_CHAR },
		{ "host:80", BAD_CHAR },
		{ "[2001:db8::1]", BAD_CHAR },
		{ "fe80::1%eth0", BAD_CHAR },
		{ "b\\u00fccher.example", BAD_CHAR },
		{ "-a", NOT_A_NAME "a label starts with '-'" },
		{ "a.-b", NOT_A_NAME "a label starts with '-'" },
		{ "a-", NOT_A_NAME "a label ends with '-'" },
		{ "a..b", NOT_A_NAME "a label is empty" },
		{ ".a", NOT_A_NAME "a label is empty" },
		{ "a.", NOT_A_NAME "a label is empty" },
		{ "1.2.3", NOT_A_NAME "its last label is all digits" },
		{ "198.51.100.256", NOT_A_NAME "its last label is all digits" },
		{ "42", NOT_A_NAME "its last label is all digits" },
	};
	static const char *const cmds[] = { "probe", "status" };
	struct ctl_request	 req;
	char			 line[400];
	size_t			 i, k;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line),
		    "{\"cmd\":\"probe\",\"destination\":\"%s\"}", good[i]);
		parse_ok(line, &req);
		assert_string_equal(req.destination, good[i]);
		ctl_request_clear(&req);
	}
	for (k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(line, sizeof(line),
			    "{\"cmd\":\"%s\",\"destination\":\"%s\"}",
			    cmds[k], bad[i].json);
			parse_fail(line, CTL_E_BAD_REQUEST, bad[i].msg != NULL ?
			    bad[i].msg : "\"destination\" contains whitespace "
			    "or a control character");
		}
	}
}

static void
test_parse_status_version(void **state)
{
	struct ctl_request	 req;

	(void)state;
	parse_ok("{\"cmd\":\"status\"}", &req);
	assert_int_equal(req.cmd, CTL_CMD_STATUS);
	assert_string_equal(req.destination, "");
	assert_int_equal(req.family, 0);
	assert_int_equal(req.method, 0);
	assert_null(req.id);
	ctl_request_clear(&req);

	parse_ok("{\"id\":\"s\",\"cmd\":\"status\",\"destination\":"
	    "\"198.18.3.2\",\"family\":4}", &req);
	assert_int_equal(req.cmd, CTL_CMD_STATUS);
	assert_string_equal(req.destination, "198.18.3.2");
	assert_int_equal(req.family, 4);
	assert_string_equal(json_string_value(req.id), "s");
	ctl_request_clear(&req);

	parse_ok("{\"cmd\":\"status\",\"destination\":null,\"family\":6}", &req);
	assert_string_equal(req.destination, "");
	assert_int_equal(req.family, 6);
	ctl_request_clear(&req);

	parse_ok("{\"cmd\":\"version\"}", &req);
	assert_int_equal(req.cmd, CTL_CMD_VERSION);
	ctl_request_clear(&req);

	/* version takes nothing, so nothing else is even looked at. */
	parse_ok("{\"cmd\":\"version\",\"destination\":5,\"family\":\"x\","
	    "\"method\":[]}", &req);
	assert_int_equal(req.cmd, CTL_CMD_VERSION);
	assert_string_equal(req.destination, "");
	assert_int_equal(req.family, 0);
	assert_int_equal(req.method, 0);
	ctl_request_clear(&req);
}

static void
test_parse_bad_json(void **state)
{
	static const char nul[] = "{\"cmd\":\"version\"}\0";
	static const char nul2[] = "{\"cmd\":\"ver\0sion\"}";

	(void)state;
	parse_fail("", CTL_E_BAD_JSON, "empty request");
	parse_fail("   ", CTL_E_BAD_JSON, "empty request");
	parse_fail(" \t\r\n", CTL_E_BAD_JSON, "empty request");
	parse_fail_len(nul, sizeof(nul) - 1, CTL_E_BAD_JSON,
	    "request contains a NUL byte at column 18");
	parse_fail_len(nul2, sizeof(nul2) - 1, CTL_E_BAD_JSON,
	    "request contains a NUL byte at column 12");
	parse_fail_len("\0", 1, CTL_E_BAD_JSON,
	    "request contains a NUL byte at column 1");
	/* Only len bytes count: the NUL just past them is not seen. */
	parse_fail_len("{\"cmd\"", 6, CTL_E_BAD_JSON,
	    "invalid JSON: ':' expected near end of file (column 6)");
	parse_fail("{", CTL_E_BAD_JSON,
	    "invalid JSON: string or '}' expected near end of file (column 1)");
	parse_fail("{\"cmd\":\"version\"} x", CTL_E_BAD_JSON,
	    "invalid JSON: end of file expected near 'x' (column 19)");
	parse_fail("{\"cmd\":\"version\"}{}", CTL_E_BAD_JSON,
	    "invalid JSON: end of file expected near '{' (column 18)");
	parse_fail("{\"cmd\":\"probe\",\"cmd\":\"status\"}", CTL_E_BAD_JSON,
	    "invalid JSON: duplicate object key near '\"cmd\"' (column 20)");
	parse_fail_prefix("{\"id\":1,\"id\":1,\"cmd\":\"version\"}",
	    CTL_E_BAD_JSON, "invalid JSON: duplicate object key");
	parse_fail_prefix("{\"cmd\":\"v\\u0000\"}", CTL_E_BAD_JSON,
	    "invalid JSON: \\u0000 is not allowed");
	parse_fail_prefix("{\"cmd\":\"\xff\"}", CTL_E_BAD_JSON,
	    "invalid JSON: unable to decode byte 0xff");
	parse_fail("{'cmd':'version'}", CTL_E_BAD_JSON,
	    "invalid JSON: string or '}' expected near ''' (column 2)");
	parse_fail_prefix("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"family\":99999999999999999999}", CTL_E_BAD_JSON,
	    "invalid JSON: too big integer");
	parse_fail_prefix("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"family\":1e400}", CTL_E_BAD_JSON,
	    "invalid JSON: real number overflow");
}

static void
test_parse_bad_request(void **state)
{
	char	 line[600], dest[300];
	size_t	 i;

	(void)state;
	parse_fail("[]", CTL_E_BAD_REQUEST, "request must be a JSON object");
	parse_fail("[{\"cmd\":\"version\"}]", CTL_E_BAD_REQUEST,
	    "request must be a JSON object");
	parse_fail("1", CTL_E_BAD_REQUEST, "request must be a JSON object");
	parse_fail("\"version\"", CTL_E_BAD_REQUEST,
	    "request must be a JSON object");
	parse_fail("null", CTL_E_BAD_REQUEST, "request must be a JSON object");
	parse_fail("{}", CTL_E_BAD_REQUEST, "missing \"cmd\"");
	parse_fail("{\"id\":1}", CTL_E_BAD_REQUEST, "missing \"cmd\"");
	parse_fail("{\"cmd\":null}", CTL_E_BAD_REQUEST,
	    "\"cmd\" must be a string");
	parse_fail("{\"cmd\":1}", CTL_E_BAD_REQUEST, "\"cmd\" must be a string");
	parse_fail("{\"cmd\":[\"probe\"]}", CTL_E_BAD_REQUEST,
	    "\"cmd\" must be a string");
	parse_fail("{\"id\":{},\"cmd\":\"version\"}", CTL_E_BAD_REQUEST,
	    "\"id\" must be a string, number, boolean or null");
	parse_fail("{\"id\":[1],\"cmd\":\"version\"}", CTL_E_BAD_REQUEST,
	    "\"id\" must be a string, number, boolean or null");

	parse_fail("{\"cmd\":\"probe\"}", CTL_E_BAD_REQUEST,
	    "missing \"destination\"");
	parse_fail("{\"cmd\":\"probe\",\"destination\":null}", CTL_E_BAD_REQUEST,
	    "missing \"destination\"");
	parse_fail("{\"cmd\":\"probe\",\"destination\":5}", CTL_E_BAD_REQUEST,
	    "\"destination\" must be a string");
	parse_fail("{\"cmd\":\"status\",\"destination\":[]}", CTL_E_BAD_REQUEST,
	    "\"destination\" must be a string");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"\"}", CTL_E_BAD_REQUEST,
	    "\"destination\" must not be empty");
	parse_fail("{\"cmd\":\"status\",\"destination\":\"\"}", CTL_E_BAD_REQUEST,
	    "\"destination\" must not be empty");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"gw example\"}",
	    CTL_E_BAD_REQUEST,
	    "\"destination\" contains whitespace or a control character");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"gw\\texample\"}",
	    CTL_E_BAD_REQUEST,
	    "\"destination\" contains whitespace or a control character");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\\n\"}",
	    CTL_E_BAD_REQUEST,
	    "\"destination\" contains whitespace or a control character");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"\\u001b[31m\"}",
	    CTL_E_BAD_REQUEST,
	    "\"destination\" contains whitespace or a control character");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"gw\\u007f\"}",
	    CTL_E_BAD_REQUEST,
	    "\"destination\" contains whitespace or a control character");

	/* 256 bytes do not fit; a host name ends at 253. */
	memset(dest, 'a', sizeof(dest));
	dest[CTL_DESTLEN] = '\0';
	snprintf(line, sizeof(line),
	    "{\"cmd\":\"probe\",\"destination\":\"%s\"}", dest);
	parse_fail(line, CTL_E_BAD_REQUEST,
	    "\"destination\" is longer than 255 bytes");
	/* Labels of 63: "a...a.a...a.a...a.a...a" up to 254, then 253. */
	for (i = 63; i < CTL_DESTLEN; i += 64)
		dest[i] = '.';
	dest[254] = '\0';
	snprintf(line, sizeof(line),
	    "{\"cmd\":\"probe\",\"destination\":\"%s\"}", dest);
	parse_fail(line, CTL_E_BAD_REQUEST, "\"destination\" is not an IP "
	    "address or a host name: it is longer than 253 characters");
	dest[253] = '\0';
	snprintf(line, sizeof(line),
	    "{\"cmd\":\"probe\",\"destination\":\"%s\"}", dest);
	{
		struct ctl_request	 req;

		parse_ok(line, &req);
		assert_string_equal(req.destination, dest);
		ctl_request_clear(&req);
	}
}

static void
test_parse_family_method(void **state)
{
	static const char *const bad_family[] = {
		"0", "5", "-4", "46", "\"4\"", "4.0", "true", "[4]",
		"9223372036854775807", "-9223372036854775808", "4294967300",
	};
	static const char *const bad_method[] = {
		"\"TCP\"", "\"ICMP\"", "\"\"", "\"auto \"", "\"icmpv6\"",
	};
	char	 line[200];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad_family) / sizeof(bad_family[0]); i++) {
		snprintf(line, sizeof(line), "{\"cmd\":\"probe\","
		    "\"destination\":\"198.18.3.2\",\"family\":%s}",
		    bad_family[i]);
		parse_fail(line, CTL_E_BAD_REQUEST,
		    "\"family\" must be 4, 6 or null");
		snprintf(line, sizeof(line), "{\"cmd\":\"status\","
		    "\"family\":%s}", bad_family[i]);
		parse_fail(line, CTL_E_BAD_REQUEST,
		    "\"family\" must be 4, 6 or null");
	}
	for (i = 0; i < sizeof(bad_method) / sizeof(bad_method[0]); i++) {
		snprintf(line, sizeof(line), "{\"cmd\":\"probe\","
		    "\"destination\":\"198.18.3.2\",\"method\":%s}",
		    bad_method[i]);
		parse_fail(line, CTL_E_BAD_REQUEST,
		    "\"method\" must be \"auto\", \"icmp\", \"udp\" or "
		    "\"tcp\"");
	}
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"method\":1}", CTL_E_BAD_REQUEST, "\"method\" must be a string");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"method\":false}", CTL_E_BAD_REQUEST,
	    "\"method\" must be a string");
}

static void
test_parse_walk_watch(void **state)
{
	struct ctl_request	 req;
	char			*line;

	(void)state;
	parse_ok("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\"}", &req);
	assert_int_equal(req.no_walk, 0);
	ctl_request_clear(&req);
	parse_ok("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"walk\":false}", &req);
	assert_int_equal(req.no_walk, 1);
	line = ctl_request_line(7, &req);
	assert_string_equal(line, "{\"id\":7,\"cmd\":\"probe\","
	    "\"destination\":\"198.18.3.2\",\"walk\":false}\n");
	free(line);
	ctl_request_clear(&req);
	parse_ok("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"walk\":true}", &req);
	assert_int_equal(req.no_walk, 0);
	ctl_request_clear(&req);
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"walk\":0}", CTL_E_BAD_REQUEST, "\"walk\" must be true or false");
	parse_ok("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"flows\":8}", &req);
	assert_int_equal(req.flows, 8);
	line = ctl_request_line(7, &req);
	assert_string_equal(line, "{\"id\":7,\"cmd\":\"probe\","
	    "\"destination\":\"198.18.3.2\",\"flows\":8}\n");
	free(line);
	ctl_request_clear(&req);
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"flows\":65}", CTL_E_BAD_REQUEST, "\"flows\" must be 1 to 64");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"flows\":0}", CTL_E_BAD_REQUEST, "\"flows\" must be 1 to 64");
	parse_ok("{\"id\":3,\"cmd\":\"watch\",\"destination\":7}", &req);
	assert_int_equal(req.cmd, CTL_CMD_WATCH);
	ctl_request_clear(&req);
}

static void
test_listing(void **state)
{
	struct ctl_request	 req;
	struct ctl_error	 err;
	json_t			*id, *res, *jid;
	char			*line;

	(void)state;
	parse_ok("{\"cmd\":\"status\",\"state\":\"blackhole\",\"family\":6}",
	    &req);
	assert_int_equal(req.state, RESULT_BLACKHOLE);
	assert_int_equal(req.family, 6);
	line = ctl_request_line(4, &req);
	assert_string_equal(line, "{\"id\":4,\"cmd\":\"status\",\"family\":6,"
	    "\"state\":\"blackhole\"}\n");
	free(line);
	ctl_request_clear(&req);
	parse_fail("{\"cmd\":\"status\",\"state\":\"broken\"}",
	    CTL_E_BAD_REQUEST, "\"state\" must be \"ok\", \"blackhole\", "
	    "\"partial_blackhole\", \"unreachable\" or \"error\"");
	parse_fail("{\"cmd\":\"status\",\"state\":1}",
	    CTL_E_BAD_REQUEST, "\"state\" must be \"ok\", \"blackhole\", "
	    "\"partial_blackhole\", \"unreachable\" or \"error\"");

	jid = json_integer(9);
	line = ctl_reply_end(jid, 123456, NULL);
	assert_string_equal(line,
	    "{\"id\":9,\"ok\":true,\"end\":true,\"count\":123456}\n");
	assert_int_equal(ctl_reply_parse(line, strlen(line) - 1, &id, &res,
	    &err), 2);
	assert_int_equal(json_integer_value(id), 9);
	assert_int_equal(json_integer_value(res), 123456);
	json_decref(id);
	json_decref(res);
	free(line);
	json_decref(jid);
	/* Extra members (the daemon's counters) join the closing line. */
	line = ctl_reply_end(NULL, 2, json_pack("{s:{s:i}}", "icmp_ignored",
	    "cookie", 3));
	assert_string_equal(line, "{\"id\":null,\"ok\":true,\"end\":true,"
	    "\"count\":2,\"icmp_ignored\":{\"cookie\":3}}\n");
	free(line);
	line = "{\"id\":9,\"ok\":true,\"end\":true}";
	assert_int_equal(ctl_reply_parse(line, strlen(line), &id, &res,
	    &err), -1);
	assert_string_equal(err.message, "end of listing without a \"count\"");
}

static void
test_parse_unknown_cmd(void **state)
{
	char	 line[300], cmd[120];

	(void)state;
	parse_fail("{\"cmd\":\"reboot\"}", CTL_E_UNKNOWN_CMD,
	    "unknown command \"reboot\"");
	parse_fail("{\"cmd\":\"PROBE\"}", CTL_E_UNKNOWN_CMD,
	    "unknown command \"PROBE\"");
	parse_fail("{\"cmd\":\"\"}", CTL_E_UNKNOWN_CMD,
	    "unknown command \"\"");
	parse_fail("{\"cmd\":\"probe \"}", CTL_E_UNKNOWN_CMD,
	    "unknown command \"probe \"");
	/* Client text in a message is cut short and made printable. */
	parse_fail("{\"cmd\":\"a\\nb\\u00e9\"}", CTL_E_UNKNOWN_CMD,
	    "unknown command \"a?b??\"");
	memset(cmd, 'c', sizeof(cmd) - 1);
	cmd[sizeof(cmd) - 1] = '\0';
	snprintf(line, sizeof(line), "{\"cmd\":\"%s\"}", cmd);
	parse_fail(line, CTL_E_UNKNOWN_CMD, "unknown command \""
	    "cccccccccccccccccccccccccccccccccccccccccccc...\"");
}

/* Each scalar id comes back in the error reply exactly as sent. */
static void
test_id_echo(void **state)
{
	static const char *const ids[] = {
		"1", "0", "-7", "9223372036854775807", "1.5", "\"abc\"",
		"\"\"", "\"\\u00e9\\\"\"", "true", "false", "null",
	};
	static const char *const want_ids[] = {
		"1", "0", "-7", "9223372036854775807", "1.5", "\"abc\"",
		"\"\"", "\"\xc3\xa9\\\"\"", "true", "false", "null",
	};
	struct ctl_request	 req;
	struct ctl_error	 err;
	const char		*s;
	char			 line[200], want[300], *reply;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		/* An error after the id was read: the id is kept. */
		snprintf(line, sizeof(line), "{\"cmd\":\"nope\",\"id\":%s}",
		    ids[i]);
		assert_int_equal(ctl_request_parse(line, strlen(line), &req,
		    &err), -1);
		assert_non_null(req.id);
		reply = ctl_reply_err(req.id, err.code, "%s", err.message);
		snprintf(want, sizeof(want), "{\"id\":%s,\"ok\":false,"
		    "\"error\":{\"code\":\"unknown_command\",\"message\":"
		    "\"unknown command \\\"nope\\\"\"}}\n", want_ids[i]);
		assert_string_equal(reply, want);
		free(reply);
		ctl_request_clear(&req);

		/* And on success. */
		snprintf(line, sizeof(line), "{\"id\":%s,\"cmd\":\"version\"}",
		    ids[i]);
		parse_ok(line, &req);
		reply = ctl_reply_ok(req.id, json_pack("{s:s}", "version",
		    "0.1.0"));
		snprintf(want, sizeof(want), "{\"id\":%s,\"ok\":true,"
		    "\"result\":{\"version\":\"0.1.0\"}}\n", want_ids[i]);
		assert_string_equal(reply, want);
		free(reply);
		ctl_request_clear(&req);
	}

	/* An error before the id could be read: no id. */
	assert_int_equal(ctl_request_parse("{\"id\":{}}", 9, &req, &err), -1);
	assert_null(req.id);
	reply = ctl_reply_err(req.id, err.code, "%s", err.message);
	assert_string_equal(reply, "{\"id\":null,\"ok\":false,\"error\":"
	    "{\"code\":\"bad_request\",\"message\":\"\\\"id\\\" must be a "
	    "string, number, boolean or null\"}}\n");
	free(reply);
	ctl_request_clear(&req);

	/* Errors in later fields still carry the id. */
	s = "{\"id\":7,\"cmd\":\"probe\"}";
	assert_int_equal(ctl_request_parse(s, strlen(s), &req, &err), -1);
	assert_int_equal(json_integer_value(req.id), 7);
	ctl_request_clear(&req);
	s = "{\"id\":8,\"cmd\":\"status\",\"family\":5}";
	assert_int_equal(ctl_request_parse(s, strlen(s), &req, &err), -1);
	assert_int_equal(json_integer_value(req.id), 8);
	ctl_request_clear(&req);
}

static void
test_reply_build(void **state)
{
	json_t	*id, *result;
	char	*s, msg[400];

	(void)state;
	id = json_integer(7);
	s = ctl_reply_ok(id, json_pack("{s:s}", "version", "0.1.0"));
	assert_string_equal(s,
	    "{\"id\":7,\"ok\":true,\"result\":{\"version\":\"0.1.0\"}}\n");
	free(s);
	/* The id is not consumed. */
	assert_int_equal(id->refcount, 1);
	json_decref(id);

	s = ctl_reply_ok(NULL, json_object());
	assert_string_equal(s, "{\"id\":null,\"ok\":true,\"result\":{}}\n");
	free(s);
	assert_null(ctl_reply_ok(NULL, NULL));

	/* The result's keys keep their order. */
	result = json_pack("{s:[{s:s,s:i}]}", "results", "destination",
	    "198.18.3.2", "pmtu", 1454);
	s = ctl_reply_ok(NULL, result);
	assert_string_equal(s, "{\"id\":null,\"ok\":true,\"result\":"
	    "{\"results\":[{\"destination\":\"198.18.3.2\",\"pmtu\":1454}]}}\n");
	free(s);

	id = json_string("a");
	s = ctl_reply_err(id, CTL_E_BAD_REQUEST, "missing \"%s\"", "cmd");
	assert_string_equal(s, "{\"id\":\"a\",\"ok\":false,\"error\":"
	    "{\"code\":\"bad_request\",\"message\":\"missing \\\"cmd\\\"\"}}\n");
	free(s);
	json_decref(id);

	/* Control characters are escaped: a reply is always one line. */
	s = ctl_reply_err(NULL, CTL_E_RESOLVE, "no\nname\t%d", 1);
	assert_string_equal(s, "{\"id\":null,\"ok\":false,\"error\":"
	    "{\"code\":\"resolve_failed\",\"message\":\"no\\nname\\t1\"}}\n");
	free(s);

	/* Bytes that are not UTF-8 become '?' instead of losing the reply. */
	s = ctl_reply_err(NULL, CTL_E_INTERNAL, "bad %s", "\xff\xc3");
	assert_string_equal(s, "{\"id\":null,\"ok\":false,\"error\":"
	    "{\"code\":\"internal\",\"message\":\"bad ??\"}}\n");
	free(s);

	/* Messages are cut at 255 bytes. */
	memset(msg, 'm', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	s = ctl_reply_err(NULL, CTL_E_INTERNAL, "%s", msg);
	msg[255] = '\0';
	{
		char	 want[600];

		snprintf(want, sizeof(want), "{\"id\":null,\"ok\":false,"
		    "\"error\":{\"code\":\"internal\",\"message\":\"%s\"}}\n",
		    msg);
		assert_string_equal(s, want);
	}
	free(s);
}

static void
test_reply_parse(void **state)
{
	struct ctl_error	 err;
	json_t			*id, *result;
	const char		*s;

	(void)state;
	s = "{\"id\":1,\"ok\":true,\"result\":{\"version\":\"0.1.0\"}}";
	assert_int_equal(ctl_reply_parse(s, strlen(s), &id, &result, &err), 1);
	assert_int_equal(json_integer_value(id), 1);
	assert_string_equal(json_string_value(json_object_get(result,
	    "version")), "0.1.0");
	json_decref(id);
	json_decref(result);

	/* Any result value; no id at all gives NULL, null gives null. */
	s = "{\"ok\":true,\"result\":[1,2]}";
	assert_int_equal(ctl_reply_parse(s, strlen(s), &id, &result, &err), 1);
	assert_null(id);
	assert_int_equal(json_array_size(result), 2);
	json_decref(result);
	s = "{\"id\":null,\"ok\":true,\"result\":null,\"extra\":1}";
	assert_int_equal(ctl_reply_parse(s, strlen(s), &id, &result, &err), 1);
	assert_true(json_is_null(id));
	assert_true(json_is_null(result));
	json_decref(id);
	json_decref(result);

	s = "{\"id\":\"x\",\"ok\":false,\"error\":{\"code\":\"not_found\","
	    "\"message\":\"no result for 198.18.3.2\"}}";
	assert_int_equal(ctl_reply_parse(s, strlen(s), &id, &result, &err), 0);
	assert_string_equal(json_string_value(id), "x");
	assert_null(result);
	assert_string_equal(err.code, "not_found");
	assert_string_equal(err.message, "no result for 198.18.3.2");
	json_decref(id);
}

static void
test_reply_parse_long(void **state)
{
	struct ctl_error	 err;
	json_t			*id, *result, *o;
	char			 code[100], msg[400], *s;
	size_t			 i;

	(void)state;
	memset(code, 'c', sizeof(code) - 1);
	code[sizeof(code) - 1] = '\0';
	/* 150 two-byte characters: cut on a character boundary. */
	for (i = 0; i < 300; i += 2)
		memcpy(msg + i, "\xc3\xa9", 2);
	msg[300] = '\0';
	o = json_pack("{s:b,s:{s:s,s:s}}", "ok", 0, "error", "code", code,
	    "message", msg);
	s = json_dumps(o, JSON_COMPACT);
	assert_int_equal(ctl_reply_parse(s, strlen(s), &id, &result, &err), 0);
	assert_int_equal(strlen(err.code), 31);
	assert_memory_equal(err.code, code, 31);
	assert_int_equal(strlen(err.message), 254);
	assert_memory_equal(err.message, msg, 254);
	free(s);
	json_decref(o);
}

static void
reply_bad(const char *s, size_t len, const char *msg)
{
	struct ctl_error	 err;
	json_t			*id = (json_t *)1, *result = (json_t *)1;

	if (ctl_reply_parse(s, len, &id, &result, &err) != -1)
		fail_msg("accepted %.*s", (int)len, s);
	assert_null(id);
	assert_null(result);
	assert_string_equal(err.code, "bad_reply");
	if (strncmp(err.message, msg, strlen(msg)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"",
		    err.message, msg);
}

static void
test_reply_parse_bad(void **state)
{
	static const struct {
		const char	*s;
		const char	*msg;
	} bad[] = {
		{ "", "empty reply" },
		{ "  ", "empty reply" },
		{ "ok", "invalid JSON: " },
		{ "{\"ok\":true,\"result\":1", "invalid JSON: " },
		{ "{\"ok\":true,\"ok\":true,\"result\":1}",
		    "invalid JSON: duplicate object key" },
		{ "[]", "reply must be a JSON object" },
		{ "true", "reply must be a JSON object" },
		{ "{}", "missing \"ok\"" },
		{ "{\"id\":1,\"result\":{}}", "missing \"ok\"" },
		{ "{\"ok\":1,\"result\":{}}", "\"ok\" must be a boolean" },
		{ "{\"ok\":\"true\",\"result\":{}}",
		    "\"ok\" must be a boolean" },
		{ "{\"ok\":null,\"result\":{}}", "\"ok\" must be a boolean" },
		{ "{\"id\":[1],\"ok\":true,\"result\":{}}",
		    "\"id\" must be a scalar" },
		{ "{\"id\":{},\"ok\":true,\"result\":{}}",
		    "\"id\" must be a scalar" },
		{ "{\"ok\":true}", "ok reply without \"result\"" },
		{ "{\"ok\":true,\"error\":{\"code\":\"a\",\"message\":\"b\"}}",
		    "ok reply without \"result\"" },
		{ "{\"ok\":false}", "error reply without \"error\"" },
		{ "{\"ok\":false,\"result\":{}}",
		    "error reply without \"error\"" },
		{ "{\"ok\":false,\"error\":\"oops\"}",
		    "\"error\" must be an object" },
		{ "{\"ok\":false,\"error\":null}",
		    "\"error\" must be an object" },
		{ "{\"ok\":false,\"error\":{}}",
		    "\"error\" needs string \"code\" and \"message\"" },
		{ "{\"ok\":false,\"error\":{\"code\":\"x\"}}",
		    "\"error\" needs string \"code\" and \"message\"" },
		{ "{\"ok\":false,\"error\":{\"message\":\"x\"}}",
		    "\"error\" needs string \"code\" and \"message\"" },
		{ "{\"ok\":false,\"error\":{\"code\":1,\"message\":\"x\"}}",
		    "\"error\" needs string \"code\" and \"message\"" },
		{ "{\"ok\":false,\"error\":{\"code\":\"x\",\"message\":null}}",
		    "\"error\" needs string \"code\" and \"message\"" },
	};
	static const char nul[] = "{\"ok\":true,\"result\":{}}\0";
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		reply_bad(bad[i].s, strlen(bad[i].s), bad[i].msg);
	reply_bad(nul, sizeof(nul) - 1, "reply contains a NUL byte at column 24");
}

/* What the daemon builds, the client reads back. */
static void
test_reply_round_trip(void **state)
{
	struct ctl_error	 err;
	json_t			*id, *rid, *result;
	char			*s;

	(void)state;
	id = json_integer(42);
	s = ctl_reply_err(id, CTL_E_NOT_FOUND, "no result for %s",
	    "2001:db8::1");
	assert_int_equal(ctl_reply_parse(s, strlen(s) - 1, &rid, &result,
	    &err), 0);
	assert_true(json_equal(id, rid));
	assert_string_equal(err.code, "not_found");
	assert_string_equal(err.message, "no result for 2001:db8::1");
	json_decref(rid);
	free(s);

	s = ctl_reply_ok(id, json_pack("{s:i}", "pmtu", 1454));
	assert_int_equal(ctl_reply_parse(s, strlen(s) - 1, &rid, &result,
	    &err), 1);
	assert_true(json_equal(id, rid));
	assert_int_equal(json_integer_value(json_object_get(result, "pmtu")),
	    1454);
	json_decref(rid);
	json_decref(result);
	free(s);
	json_decref(id);
}

static void
test_request_line(void **state)
{
	struct ctl_request	 req;
	char			*s;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.cmd = CTL_CMD_PROBE;
	snprintf(req.destination, sizeof(req.destination), "198.18.3.2");
	req.family = 4;
	req.method = METHOD_ICMP;
	s = ctl_request_line(1, &req);
	assert_string_equal(s, "{\"id\":1,\"cmd\":\"probe\","
	    "\"destination\":\"198.18.3.2\",\"family\":4,\"method\":\"icmp\"}\n");
	free(s);

	req.family = 6;
	req.method = METHOD_UDP;
	snprintf(req.destination, sizeof(req.destination), "2001:db8::2");
	s = ctl_request_line(-3, &req);
	assert_string_equal(s, "{\"id\":-3,\"cmd\":\"probe\","
	    "\"destination\":\"2001:db8::2\",\"family\":6,\"method\":\"udp\"}\n");
	free(s);

	memset(&req, 0, sizeof(req));
	req.cmd = CTL_CMD_STATUS;
	s = ctl_request_line(LLONG_MAX, &req);
	assert_string_equal(s,
	    "{\"id\":9223372036854775807,\"cmd\":\"status\"}\n");
	free(s);
	req.cmd = CTL_CMD_VERSION;
	s = ctl_request_line(0, &req);
	assert_string_equal(s, "{\"id\":0,\"cmd\":\"version\"}\n");
	free(s);

	/* Nonsense is refused rather than sent. */
	req.cmd = 0;
	assert_null(ctl_request_line(1, &req));
	req.cmd = (enum ctl_cmd)1000;
	assert_null(ctl_request_line(1, &req));
	req.cmd = CTL_CMD_STATUS;
	req.family = 5;
	assert_null(ctl_request_line(1, &req));
	req.family = 0;
	req.method = 4;
	assert_null(ctl_request_line(1, &req));
}

static void
test_tcp_method(void **state)
{
	struct ctl_request	 req;
	char			*line;

	(void)state;
	parse_ok("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"method\":\"tcp\",\"port\":8443}", &req);
	assert_int_equal(req.method, METHOD_TCP);
	assert_int_equal(req.port, 8443);
	line = ctl_request_line(2, &req);
	assert_string_equal(line, "{\"id\":2,\"cmd\":\"probe\","
	    "\"destination\":\"198.18.3.2\",\"method\":\"tcp\","
	    "\"port\":8443}\n");
	free(line);
	ctl_request_clear(&req);
	parse_ok("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"method\":\"tcp\"}", &req);
	assert_int_equal(req.port, 0);
	ctl_request_clear(&req);
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"port\":80}", CTL_E_BAD_REQUEST,
	    "\"port\" goes with \"method\": \"tcp\"");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"method\":\"tcp\",\"port\":0}", CTL_E_BAD_REQUEST,
	    "\"port\" must be 1 to 65535");
	parse_fail("{\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"method\":\"tcp\",\"port\":\"443\"}", CTL_E_BAD_REQUEST,
	    "\"port\" must be 1 to 65535");
}

static void
test_request_round_trip(void **state)
{
	static const struct {
		enum ctl_cmd	 cmd;
		const char	*dest;
		int		 family;
		int		 method;
	} cases[] = {
		{ CTL_CMD_PROBE, "198.18.3.2", 0, 0 },
		{ CTL_CMD_PROBE, "198.18.3.2", 4, METHOD_ICMP },
		{ CTL_CMD_PROBE, "gw.example", 6, METHOD_UDP },
		{ CTL_CMD_STATUS, "", 0, 0 },
		{ CTL_CMD_STATUS, "2001:db8::1", 6, 0 },
		{ CTL_CMD_STATUS, "", 4, 0 },
		{ CTL_CMD_VERSION, "", 0, 0 },
	};
	struct ctl_request	 in, out;
	char			*s;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&in, 0, sizeof(in));
		in.cmd = cases[i].cmd;
		snprintf(in.destination, sizeof(in.destination), "%s",
		    cases[i].dest);
		in.family = cases[i].family;
		in.method = cases[i].method;
		assert_non_null(s = ctl_request_line((long long)i + 100, &in));
		assert_int_equal(s[strlen(s) - 1], '\n');
		assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
		parse_ok(s, &out);
		assert_int_equal(out.cmd, in.cmd);
		assert_string_equal(out.destination, in.destination);
		assert_int_equal(out.family, in.family);
		assert_int_equal(out.method, in.method);
		assert_int_equal(json_integer_value(out.id), (long long)i + 100);
		ctl_request_clear(&out);
		free(s);
	}
}

/* history: a destination, a family, and "since" as a duration or time. */
static void
test_history(void **state)
{
	struct ctl_request	 req, back;
	char			*s;

	(void)state;
	parse_ok("{\"id\":3,\"cmd\":\"history\",\"destination\":"
	    "\"198.18.3.2\",\"family\":4}", &req);
	assert_int_equal(req.cmd, CTL_CMD_HISTORY);
	assert_string_equal(req.destination, "198.18.3.2");
	assert_int_equal(req.family, 4);
	assert_int_equal(req.since, CTL_SINCE_NONE);
	ctl_request_clear(&req);
	parse_ok("{\"cmd\":\"history\",\"destination\":\"gw.example\","
	    "\"since\":\"90m\"}", &req);
	assert_int_equal(req.since, CTL_SINCE_AGE);
	assert_int_equal(req.since_age_ms, 90 * 60 * 1000);
	/* Back to a line and parsed again: the same request. */
	assert_non_null(s = ctl_request_line(7, &req));
	assert_string_equal(s, "{\"id\":7,\"cmd\":\"history\","
	    "\"destination\":\"gw.example\",\"since\":\"5400s\"}\n");
	parse_ok(s, &back);
	assert_int_equal(back.since, CTL_SINCE_AGE);
	assert_int_equal(back.since_age_ms, 90 * 60 * 1000);
	free(s);
	ctl_request_clear(&back);
	ctl_request_clear(&req);
	parse_ok("{\"cmd\":\"history\",\"destination\":\"2001:db8::1\","
	    "\"family\":6,\"since\":\"2026-11-23T07:23:49.123Z\"}", &req);
	assert_int_equal(req.since, CTL_SINCE_TIME);
	assert_int_equal(req.since_at_ms, 1795418629123LL);
	assert_non_null(s = ctl_request_line(8, &req));
	assert_string_equal(s, "{\"id\":8,\"cmd\":\"history\","
	    "\"destination\":\"2001:db8::1\",\"family\":6,"
	    "\"since\":\"2026-11-23T07:23:49.123Z\"}\n");
	free(s);
	ctl_request_clear(&req);
	/* Null is absent; "since" means nothing to other commands. */
	parse_ok("{\"cmd\":\"history\",\"destination\":\"x\","
	    "\"since\":null}", &req);
	assert_int_equal(req.since, CTL_SINCE_NONE);
	ctl_request_clear(&req);
	parse_ok("{\"cmd\":\"status\",\"since\":5}", &req);
	assert_int_equal(req.since, CTL_SINCE_NONE);
	ctl_request_clear(&req);

	parse_fail("{\"cmd\":\"history\"}", CTL_E_BAD_REQUEST,
	    "missing \"destination\"");
	parse_fail("{\"cmd\":\"history\",\"destination\":\"x\","
	    "\"since\":3600}", CTL_E_BAD_REQUEST,
	    "\"since\" must be a string");
	parse_fail("{\"cmd\":\"history\",\"destination\":\"x\","
	    "\"since\":\"yesterday\"}", CTL_E_BAD_REQUEST,
	    "\"since\" must be a duration (30s, 90m, 12h, 7d) or an RFC 3339 "
	    "UTC time");
	parse_fail("{\"cmd\":\"history\",\"destination\":\"x\","
	    "\"since\":\"2h30m\"}", CTL_E_BAD_REQUEST,
	    "\"since\" must be a duration (30s, 90m, 12h, 7d) or an RFC 3339 "
	    "UTC time");
	parse_fail("{\"cmd\":\"history\",\"destination\":\"x\","
	    "\"family\":5}", CTL_E_BAD_REQUEST,
	    "\"family\" must be 4, 6 or null");
}

static void
test_cmd_name(void **state)
{
	(void)state;
	assert_string_equal(ctl_cmd_name(CTL_CMD_PROBE), "probe");
	assert_string_equal(ctl_cmd_name(CTL_CMD_STATUS), "status");
	assert_string_equal(ctl_cmd_name(CTL_CMD_VERSION), "version");
	assert_string_equal(ctl_cmd_name(CTL_CMD_WATCH), "watch");
	assert_string_equal(ctl_cmd_name(CTL_CMD_METRICS), "metrics");
	assert_string_equal(ctl_cmd_name(CTL_CMD_RELOAD), "reload");
	assert_string_equal(ctl_cmd_name(CTL_CMD_HISTORY), "history");
	assert_null(ctl_cmd_name(0));
	assert_null(ctl_cmd_name((enum ctl_cmd)1000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_probe),
		cmocka_unit_test(test_parse_walk_watch),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_tcp_method),
		cmocka_unit_test(test_parse_status_version),
		cmocka_unit_test(test_parse_bad_json),
		cmocka_unit_test(test_parse_bad_request),
		cmocka_unit_test(test_parse_destination_names),
		cmocka_unit_test(test_parse_family_method),
		cmocka_unit_test(test_parse_unknown_cmd),
		cmocka_unit_test(test_id_echo),
		cmocka_unit_test(test_reply_build),
		cmocka_unit_test(test_reply_parse),
		cmocka_unit_test(test_reply_parse_long),
		cmocka_unit_test(test_reply_parse_bad),
		cmocka_unit_test(test_reply_round_trip),
		cmocka_unit_test(test_request_line),
		cmocka_unit_test(test_request_round_trip),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_cmd_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
