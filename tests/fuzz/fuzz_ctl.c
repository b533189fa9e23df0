/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes the control protocol's line parsers: requests come from any
 * local user allowed on the socket, replies from whatever listens there.
 * The input is one line.  A request that parses must survive the trip
 * through ctl_request_line() unchanged, and every error must make a reply
 * that the client side reads back with the same code.
 */
#include <string.h>

#include <jansson.h>

#include "ctl.h"
#include "pkt.h"
#include "result.h"

#include "fuzz.h"

static void
check_request(const struct ctl_request *req)
{
	FUZZ_ASSERT(ctl_cmd_name(req->cmd) != NULL);
	FUZZ_ASSERT(req->family == 0 || req->family == 4 || req->family == 6);
	FUZZ_ASSERT(method_name(req->method) != NULL);
	FUZZ_ASSERT(req->port <= 65535);
	FUZZ_ASSERT(req->port == 0 || req->method == METHOD_TCP);
	FUZZ_ASSERT(req->no_walk == 0 || req->no_walk == 1);
	FUZZ_ASSERT(req->state == 0 || result_state_name(req->state) != NULL);
	FUZZ_ASSERT(memchr(req->destination, '\0',
	    sizeof(req->destination)) != NULL);
	FUZZ_ASSERT(req->cmd != CTL_CMD_PROBE || req->destination[0] != '\0');
	FUZZ_ASSERT(req->cmd != CTL_CMD_HISTORY ||
	    req->destination[0] != '\0');
	FUZZ_ASSERT(req->since == CTL_SINCE_NONE ||
	    req->cmd == CTL_CMD_HISTORY);
	FUZZ_ASSERT(req->since != CTL_SINCE_TIME || req->since_at_ms >= 0);
	FUZZ_ASSERT(req->id == NULL ||
	    (!json_is_object(req->id) && !json_is_array(req->id)));
}

/* What we parsed, written as a line, must parse to the same request. */
static void
round_trip(const struct ctl_request *req)
{
	struct ctl_request	 again;
	struct ctl_error	 err;
	char			*line;

	FUZZ_ASSERT((line = ctl_request_line(7, req)) != NULL);
	FUZZ_ASSERT(line[strlen(line) - 1] == '\n');
	FUZZ_ASSERT(ctl_request_parse(line, strlen(line) - 1, &again,
	    &err) == 0);
	FUZZ_ASSERT(again.cmd == req->cmd);
	FUZZ_ASSERT(strcmp(again.destination, req->destination) == 0);
	FUZZ_ASSERT(again.family == req->family);
	FUZZ_ASSERT(again.method == req->method);
	FUZZ_ASSERT(again.port == req->port);
	FUZZ_ASSERT(again.no_walk == req->no_walk);
	FUZZ_ASSERT(again.state == req->state);
	FUZZ_ASSERT(again.since == req->since);
	FUZZ_ASSERT(req->since != CTL_SINCE_AGE ||
	    again.since_age_ms == req->since_age_ms);
	FUZZ_ASSERT(req->since != CTL_SINCE_TIME ||
	    again.since_at_ms == req->since_at_ms);
	FUZZ_ASSERT(json_integer_value(again.id) == 7);
	ctl_request_clear(&again);
	free(line);
}

/* The error reply the daemon would send, read back by pmtudctl. */
static void
error_reply(const struct ctl_request *req, const struct ctl_error *err)
{
	struct ctl_error	 back;
	json_t			*id, *result;
	char			*line;

	FUZZ_ASSERT(err->code[0] != '\0');
	FUZZ_ASSERT(memchr(err->message, '\0', sizeof(err->message)) != NULL);
	FUZZ_ASSERT((line = ctl_reply_err(req->id, err->code, "%s",
	    err->message)) != NULL);
	FUZZ_ASSERT(ctl_reply_parse(line, strlen(line) - 1, &id, &result,
	    &back) == 0);
	FUZZ_ASSERT(strcmp(back.code, err->code) == 0);
	FUZZ_ASSERT(result == NULL);
	FUZZ_ASSERT(req->id == NULL ? json_is_null(id) :
	    json_equal(id, req->id));
	json_decref(id);
	free(line);
}

static void
fuzz_reply(const uint8_t *data, size_t size)
{
	struct ctl_error	 err;
	json_t			*id, *result;
	int			 rc;

	rc = ctl_reply_parse((const char *)data, size, &id, &result, &err);
	FUZZ_ASSERT(rc >= -1 && rc <= 2);
	if (rc == 1)
		FUZZ_ASSERT(result != NULL);
	if (rc == 2)
		FUZZ_ASSERT(json_is_integer(result) &&
		    json_integer_value(result) >= 0);
	if (rc <= 0) {
		FUZZ_ASSERT(result == NULL);
		FUZZ_ASSERT(memchr(err.code, '\0', sizeof(err.code)) != NULL);
		FUZZ_ASSERT(memchr(err.message, '\0',
		    sizeof(err.message)) != NULL);
	}
	/* An error reply's code is the server's; our own is bad_reply. */
	if (rc == -1) {
		FUZZ_ASSERT(id == NULL);
		FUZZ_ASSERT(strcmp(err.code, "bad_reply") == 0);
	}
	json_decref(id);
	json_decref(result);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request	 req;
	struct ctl_error	 err;

	if (size > CTL_MAX_LINE)
		return (0);	/* the daemon drops such a connection */
	if (ctl_request_parse((const char *)data, size, &req, &err) == 0) {
		check_request(&req);
		round_trip(&req);
	} else
		error_reply(&req, &err);
	ctl_request_clear(&req);
	FUZZ_ASSERT(req.id == NULL);

	fuzz_reply(data, size);
	return (0);
}
