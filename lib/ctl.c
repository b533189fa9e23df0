/* SPDX-License-Identifier: ISC */
/*
 * The control protocol: parsing requests and building replies (daemon
 * side), building requests and parsing replies (client side).  Lines
 * only; the sockets live in daemon/.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ctl.h"
#include "text.h"
#include "dest.h"
#include "flow.h"
#include "pkt.h"
#include "result.h"

#define CTL_E_BAD_REPLY	"bad_reply"	/* client side only, never sent */

static const char *const cmd_names[] = {
	[CTL_CMD_PROBE] = "probe",
	[CTL_CMD_STATUS] = "status",
	[CTL_CMD_VERSION] = "version",
	[CTL_CMD_WATCH] = "watch",
	[CTL_CMD_METRICS] = "metrics",
	[CTL_CMD_RELOAD] = "reload",
	[CTL_CMD_HISTORY] = "history",
};
#define NCMDS	(sizeof(cmd_names) / sizeof(cmd_names[0]))

const char *
ctl_cmd_name(enum ctl_cmd cmd)
{
	if ((unsigned)cmd >= NCMDS || cmd_names[cmd] == NULL)
		return NULL;
	return cmd_names[cmd];
}

static int
cmd_parse(const char *s, enum ctl_cmd *out)
{
	size_t	 i;

	for (i = 0; i < NCMDS; i++) {
		if (cmd_names[i] != NULL && strcmp(s, cmd_names[i]) == 0) {
			*out = (enum ctl_cmd)i;
			return 0;
		}
	}
	return -1;
}

static int
seterr(struct ctl_error *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
seterr(struct ctl_error *err, const char *code, const char *fmt, ...)
{
	va_list	 ap;

	snprintf(err->code, sizeof(err->code), "%s", code);
	va_start(ap, fmt);
	text_verror(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Client text quoted in a message: printable ASCII only and short, so
 * the message stays valid UTF-8 and readable whatever was sent.
 */
static const char *
quote(const char *s, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && i + 4 < len; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (s[i] != '\0') {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static int
is_blank(const char *line, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (strchr(" \t\r\n", line[i]) == NULL)
			return 0;
	}
	return 1;
}

/* Parses a line into a JSON value; bad_json on failure. */
static json_t *
load_line(const char *line, size_t len, const char *what,
    struct ctl_error *err)
{
	json_error_t	 jerr;
	const char	*nul;
	json_t		*j;

	if ((nul = memchr(line, '\0', len)) != NULL) {
		seterr(err, CTL_E_BAD_JSON, "%s contains a NUL byte at "
		    "column %zu", what, (size_t)(nul - line) + 1);
		return NULL;
	}
	if (is_blank(line, len)) {
		seterr(err, CTL_E_BAD_JSON, "empty %s", what);
		return NULL;
	}
	j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (j == NULL)
		seterr(err, CTL_E_BAD_JSON, "invalid JSON: %s (column %d)",
		    jerr.text, jerr.column);
	return j;
}

/* Optional field: NULL when absent or null. */
static json_t *
opt(const json_t *o, const char *key)
{
	json_t	*v;

	if ((v = json_object_get(o, key)) == NULL || json_is_null(v))
		return NULL;
	return v;
}

static int
parse_destination(const json_t *o, struct ctl_request *req,
    struct ctl_error *err)
{
	const char	*s;
	json_t		*v;
	size_t		 n, i;
	char		 why[128];

	if ((v = opt(o, "destination")) == NULL) {
		if (req->cmd == CTL_CMD_PROBE || req->cmd == CTL_CMD_HISTORY)
			return seterr(err, CTL_E_BAD_REQUEST,
			    "missing \"destination\"");
		return 0;
	}
	if (!json_is_string(v))
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"destination\" must be a string");
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0)
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"destination\" must not be empty");
	if (n >= sizeof(req->destination))
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"destination\" is longer than %zu bytes",
		    sizeof(req->destination) - 1);
	/* Names and addresses never hold these; logs must not either. */
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return seterr(err, CTL_E_BAD_REQUEST,
			    "\"destination\" contains whitespace or a "
			    "control character");
	}
	/*
	 * What the configuration file takes and nothing else: a name that
	 * gets past here reaches logs, alert commands and their JSON.
	 */
	if (dest_valid(s, why, sizeof(why)) == -1)
		return seterr(err, CTL_E_BAD_REQUEST, "\"destination\" is %s",
		    why);
	memcpy(req->destination, s, n + 1);
	return 0;
}

static int
parse_family(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	json_t	*v;

	if ((v = opt(o, "family")) == NULL)
		return 0;
	if (!json_is_integer(v) ||
	    (json_integer_value(v) != 4 && json_integer_value(v) != 6))
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"family\" must be 4, 6 or null");
	req->family = (int)json_integer_value(v);
	return 0;
}

static int
parse_method(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	json_t		*v;

	if ((v = opt(o, "method")) == NULL)
		return 0;
	if (!json_is_string(v))
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"method\" must be a string");
	/* A NUL inside the string must not pass as its prefix. */
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    method_parse(json_string_value(v), &req->method) == -1)
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"method\" must be \"auto\", \"icmp\", \"udp\" or "
		    "\"tcp\"");
	return 0;
}

static int
parse_port(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	json_t	*v;

	if ((v = opt(o, "port")) == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 65535)
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"port\" must be 1 to 65535");
	if (req->method != METHOD_TCP)
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"port\" goes with \"method\": \"tcp\"");
	req->port = (unsigned)json_integer_value(v);
	return 0;
}

static int
parse_walk(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	json_t	*v;

	if ((v = opt(o, "walk")) == NULL)
		return 0;
	if (!json_is_boolean(v))
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"walk\" must be true or false");
	req->no_walk = json_is_false(v);
	return 0;
}

/* An upper bound: the daemon stops earlier once confident (lib/multipath.h). */
static int
parse_flows(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	json_t	*v;

	if ((v = opt(o, "flows")) == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > FLOW_MAX)
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"flows\" must be 1 to %d", FLOW_MAX);
	req->flows = (unsigned)json_integer_value(v);
	return 0;
}

static int
parse_state(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	enum result_state	 st;
	json_t			*v;

	if ((v = opt(o, "state")) == NULL)
		return 0;
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v) ||
	    result_state_parse(json_string_value(v), &st) == -1)
		return seterr(err, CTL_E_BAD_REQUEST, "\"state\" must be "
		    "\"ok\", \"blackhole\", \"partial_blackhole\", "
		    "\"unreachable\" or \"error\"");
	req->state = st;
	return 0;
}

/* A duration back from now ("90m", conf_duration()) or a UTC time. */
static int
parse_since(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	const char	*s;
	json_t		*v;

	if ((v = opt(o, "since")) == NULL)
		return 0;
	if (!json_is_string(v) ||
	    strlen(s = json_string_value(v)) != json_string_length(v))
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"since\" must be a string");
	if (conf_duration(s, &req->since_age_ms) == 0)
		req->since = CTL_SINCE_AGE;
	else if (result_time_parse(s, &req->since_at_ms) == 0)
		req->since = CTL_SINCE_TIME;
	else
		return seterr(err, CTL_E_BAD_REQUEST, "\"since\" must be a "
		    "duration (30s, 90m, 12h, 7d) or an RFC 3339 UTC time");
	return 0;
}

static int
parse_cmd(const json_t *o, struct ctl_request *req, struct ctl_error *err)
{
	char	 buf[48];
	json_t	*v;

	if ((v = json_object_get(o, "cmd")) == NULL)
		return seterr(err, CTL_E_BAD_REQUEST, "missing \"cmd\"");
	if (!json_is_string(v))
		return seterr(err, CTL_E_BAD_REQUEST,
		    "\"cmd\" must be a string");
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    cmd_parse(json_string_value(v), &req->cmd) == -1)
		return seterr(err, CTL_E_UNKNOWN_CMD, "unknown command \"%s\"",
		    quote(json_string_value(v), buf, sizeof(buf)));
	return 0;
}

int
ctl_request_parse(const char *line, size_t len, struct ctl_request *req,
    struct ctl_error *err)
{
	json_t	*o, *id;
	int	 rc = -1;

	memset(req, 0, sizeof(*req));
	memset(err, 0, sizeof(*err));
	if ((o = load_line(line, len, "request", err)) == NULL)
		return -1;
	if (!json_is_object(o)) {
		seterr(err, CTL_E_BAD_REQUEST, "request must be a JSON object");
		goto out;
	}
	/* The id first, so that every later error can carry it. */
	if ((id = json_object_get(o, "id")) != NULL) {
		if (json_is_object(id) || json_is_array(id)) {
			seterr(err, CTL_E_BAD_REQUEST,
			    "\"id\" must be a string, number, boolean or null");
			goto out;
		}
		req->id = json_incref(id);
	}
	if (parse_cmd(o, req, err) == -1)
		goto out;
	/* Version and watch take no arguments; the rest is ignored. */
	if (req->cmd != CTL_CMD_VERSION && req->cmd != CTL_CMD_WATCH &&
	    req->cmd != CTL_CMD_METRICS && req->cmd != CTL_CMD_RELOAD &&
	    (parse_destination(o, req, err) == -1 ||
	    parse_family(o, req, err) == -1 ||
	    parse_method(o, req, err) == -1 ||
	    parse_port(o, req, err) == -1 ||
	    parse_walk(o, req, err) == -1 ||
	    (req->cmd == CTL_CMD_PROBE && parse_flows(o, req, err) == -1) ||
	    (req->cmd == CTL_CMD_STATUS && parse_state(o, req, err) == -1) ||
	    (req->cmd == CTL_CMD_HISTORY && parse_since(o, req, err) == -1)))
		goto out;
	rc = 0;
out:
	json_decref(o);
	return rc;
}

void
ctl_request_clear(struct ctl_request *req)
{
	json_decref(req->id);
	req->id = NULL;
}

/*
 * Compact JSON plus '\n'; consumes j.  Six digits keep rtt_ms short, but
 * the id must come back exactly as sent: a real id gets all 17.
 */
static char *
dump_line(json_t *j)
{
	char	*s, *line;
	size_t	 n;
	int	 prec;

	if (j == NULL)
		return NULL;
	prec = json_is_real(json_object_get(j, "id")) ? 17 : 6;
	s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(prec));
	json_decref(j);
	if (s == NULL)
		return NULL;
	n = strlen(s);
	if ((line = realloc(s, n + 2)) == NULL) {
		free(s);
		return NULL;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	return line;
}

/* json_object_set_new() that remembers a failure. */
static void
set(json_t *o, const char *key, json_t *v, int *failed)
{
	if (o == NULL || v == NULL || json_object_set_new(o, key, v) == -1) {
		json_decref(v);
		*failed = 1;
	}
}

/* As it was parsed: a time, or a duration in whole seconds. */
static json_t *
since_json(const struct ctl_request *req)
{
	char	 buf[32];

	if (req->since == CTL_SINCE_TIME) {
		if (result_time_format(req->since_at_ms, buf, sizeof(buf)) ==
		    -1)
			return NULL;
	} else
		snprintf(buf, sizeof(buf), "%llus",
		    (unsigned long long)(req->since_age_ms / 1000));
	return json_string(buf);
}

char *
ctl_request_line(long long id, const struct ctl_request *req)
{
	const char	*cmd;
	json_t		*o;
	int		 failed = 0;

	if ((cmd = ctl_cmd_name(req->cmd)) == NULL ||
	    (req->family != 0 && req->family != 4 && req->family != 6) ||
	    method_name(req->method) == NULL)
		return NULL;
	o = json_object();
	set(o, "id", json_integer(id), &failed);
	set(o, "cmd", json_string(cmd), &failed);
	if (req->destination[0] != '\0')
		set(o, "destination", json_string(req->destination), &failed);
	if (req->family != 0)
		set(o, "family", json_integer(req->family), &failed);
	if (req->method != METHOD_AUTO)
		set(o, "method", json_string(method_name(req->method)),
		    &failed);
	if (req->port != 0)
		set(o, "port", json_integer(req->port), &failed);
	if (req->no_walk)
		set(o, "walk", json_false(), &failed);
	if (req->flows > 1)
		set(o, "flows", json_integer(req->flows), &failed);
	if (req->state != 0 && result_state_name(req->state) != NULL)
		set(o, "state", json_string(result_state_name(req->state)),
		    &failed);
	if (req->since != CTL_SINCE_NONE)
		set(o, "since", since_json(req), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return dump_line(o);
}

static json_t *
reply_new(const json_t *id, int ok, int *failed)
{
	json_t	*o;

	o = json_object();
	/* Ids are scalars, so a copy costs nothing and keeps id const. */
	set(o, "id", id != NULL ? json_copy((json_t *)id) : json_null(),
	    failed);
	set(o, "ok", json_boolean(ok), failed);
	return o;
}

char *
ctl_reply_ok(const json_t *id, json_t *result)
{
	json_t	*o;
	int	 failed = 0;

	if (result == NULL)
		return NULL;
	o = reply_new(id, 1, &failed);
	set(o, "result", result, &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return dump_line(o);
}

char *
ctl_reply_end(const json_t *id, unsigned long long count, json_t *extra)
{
	json_t	*o;
	int	 failed = 0;

	o = reply_new(id, 1, &failed);
	set(o, "end", json_true(), &failed);
	set(o, "count", json_integer((json_int_t)count), &failed);
	if (extra != NULL && (o == NULL || json_object_update(o, extra) == -1))
		failed = 1;
	json_decref(extra);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return dump_line(o);
}

/* Our own messages are ASCII; jansson's may quote a cut UTF-8 byte. */
static json_t *
message_string(char *msg)
{
	json_t	*s;
	char	*p;

	if ((s = json_string(msg)) != NULL)
		return s;
	for (p = msg; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	}
	return json_string(msg);
}

char *
ctl_reply_err(const json_t *id, const char *code, const char *fmt, ...)
{
	char	 msg[sizeof(((struct ctl_error *)0)->message)];
	json_t	*o, *e;
	va_list	 ap;
	int	 failed = 0;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	o = reply_new(id, 0, &failed);
	e = json_object();
	set(e, "code", json_string(code), &failed);
	set(e, "message", message_string(msg), &failed);
	set(o, "error", e, &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return dump_line(o);
}

/* Copies a string, cutting at a UTF-8 character boundary if it must. */
static void
copy_utf8(char *dst, size_t size, const char *src)
{
	size_t	 n;

	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int
reply_error(const json_t *o, struct ctl_error *err)
{
	json_t	*e, *code, *msg;

	if ((e = json_object_get(o, "error")) == NULL)
		return seterr(err, CTL_E_BAD_REPLY,
		    "error reply without \"error\"");
	if (!json_is_object(e))
		return seterr(err, CTL_E_BAD_REPLY,
		    "\"error\" must be an object");
	code = json_object_get(e, "code");
	msg = json_object_get(e, "message");
	if (!json_is_string(code) || !json_is_string(msg))
		return seterr(err, CTL_E_BAD_REPLY,
		    "\"error\" needs string \"code\" and \"message\"");
	copy_utf8(err->code, sizeof(err->code), json_string_value(code));
	copy_utf8(err->message, sizeof(err->message), json_string_value(msg));
	return 0;
}

int
ctl_reply_parse(const char *line, size_t len, json_t **idp,
    json_t **resultp, struct ctl_error *err)
{
	json_t	*o, *id, *ok, *result;
	int	 rc = -1;

	*idp = NULL;
	*resultp = NULL;
	memset(err, 0, sizeof(*err));
	if ((o = load_line(line, len, "reply", err)) == NULL) {
		snprintf(err->code, sizeof(err->code), "%s", CTL_E_BAD_REPLY);
		return -1;
	}
	if (!json_is_object(o)) {
		seterr(err, CTL_E_BAD_REPLY, "reply must be a JSON object");
		goto out;
	}
	id = json_object_get(o, "id");
	if (id != NULL && (json_is_object(id) || json_is_array(id))) {
		seterr(err, CTL_E_BAD_REPLY, "\"id\" must be a scalar");
		goto out;
	}
	if ((ok = json_object_get(o, "ok")) == NULL) {
		seterr(err, CTL_E_BAD_REPLY, "missing \"ok\"");
		goto out;
	}
	if (!json_is_boolean(ok)) {
		seterr(err, CTL_E_BAD_REPLY, "\"ok\" must be a boolean");
		goto out;
	}
	if (json_is_true(ok) && json_is_true(json_object_get(o, "end"))) {
		result = json_object_get(o, "count");
		if (!json_is_integer(result) || json_integer_value(result) < 0) {
			seterr(err, CTL_E_BAD_REPLY,
			    "end of listing without a \"count\"");
			goto out;
		}
		*resultp = json_incref(result);
		rc = 2;
	} else if (json_is_true(ok)) {
		if ((result = json_object_get(o, "result")) == NULL) {
			seterr(err, CTL_E_BAD_REPLY,
			    "ok reply without \"result\"");
			goto out;
		}
		*resultp = json_incref(result);
		rc = 1;
	} else if (reply_error(o, err) == 0)
		rc = 0;
	if (rc != -1 && id != NULL)
		*idp = json_incref(id);
out:
	json_decref(o);
	return rc;
}
