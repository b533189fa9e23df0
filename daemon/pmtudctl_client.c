/* SPDX-License-Identifier: ISC */
/*
 * pmtudctl's side of the control socket: connect, send one request line,
 * read reply lines within the timeout.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pmtudctl.h"

#define DEFAULT_TIMEOUT_MS	10000
#define FINDING_PROBE_MS	60000	/* a search through loss takes long */
#define REQUEST_ID		1

long long
pmtudctl_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
pmtudctl_request(const struct pmtudctl *c, enum ctl_cmd cmd,
    struct ctl_request *req)
{
	memset(req, 0, sizeof(*req));
	req->cmd = cmd;
	if (c->dest != NULL)
		snprintf(req->destination, sizeof(req->destination), "%s",
		    c->dest);
	req->family = c->family;
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

/* Waits for ev on fd until deadline: 1 ready, 0 timed out, -1 error. */
static int
wait_fd(int fd, short ev, long long deadline)
{
	struct pollfd	 pfd;
	long long	 left;
	int		 n;

	for (;;) {
		if ((left = deadline - pmtudctl_now_ms()) <= 0)
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

int
pmtudctl_open(struct pmtudctl_conn *conn, const struct pmtudctl *c,
    const struct ctl_request *req)
{
	char	*line;
	int	 rc;

	memset(conn, 0, sizeof(*conn));
	conn->c = c;
	conn->max = c->max_line != 0 ? c->max_line : CTL_MAX_LINE;
	conn->timeout_ms = c->timeout_ms != 0 ? c->timeout_ms :
	    DEFAULT_TIMEOUT_MS;
	if ((conn->fd = connect_socket(c->socket)) == -1) {
		warnx("cannot connect to %s: %s (is pmtud running?)",
		    c->socket, strerror(errno));
		return -2;
	}
	conn->buf = malloc(conn->max + 1);
	line = ctl_request_line(REQUEST_ID, req);
	if (conn->buf == NULL || line == NULL) {
		warnx("out of memory");
		free(line);
		return -1;
	}
	conn->deadline = pmtudctl_now_ms() + conn->timeout_ms;
	if ((rc = send_line(conn->fd, line, conn->deadline)) == -1)
		warn("%s: sending the request", c->socket);
	free(line);
	return rc;
}

/* Moves what follows the last line handed out to the front. */
static void
buf_shift(struct pmtudctl_conn *conn)
{
	memmove(conn->buf, conn->buf + conn->used, conn->have - conn->used);
	conn->have -= conn->used;
	conn->used = 0;
}

ssize_t
pmtudctl_line(struct pmtudctl_conn *conn, int eof_ok)
{
	const struct pmtudctl	*c = conn->c;
	ssize_t			 n;
	char			*nl;
	int			 rc;

	buf_shift(conn);
	for (;;) {
		if ((nl = memchr(conn->buf, '\n', conn->have)) != NULL) {
			conn->used = nl - conn->buf + 1;
			return nl - conn->buf;
		}
		if (conn->have > conn->max) {
			warnx("reply longer than %zu bytes", conn->max);
			return -1;
		}
		if ((rc = wait_fd(conn->fd, POLLIN, conn->deadline)) == 0) {
			warnx("no reply from pmtud within %.3g s",
			    conn->timeout_ms / 1000.0);
			return -1;
		}
		if (rc == -1 || ((n = read(conn->fd, conn->buf + conn->have,
		    conn->max + 1 - conn->have)) == -1 &&
		    errno != EINTR && errno != EAGAIN)) {
			warn("%s", c->socket);
			return -1;
		}
		if (n == 0) {
			if (eof_ok && conn->have == 0)
				return -2;
			warnx("pmtud closed the connection %s",
			    conn->have == 0 ? "without a reply" :
			    "in the middle of a reply");
			return -1;
		}
		if (n > 0)
			conn->have += (size_t)n;
	}
}

int
pmtudctl_reply(const char *line, size_t len, json_t **result,
    struct ctl_error *err)
{
	json_t	*id = NULL;
	int	 rc;

	*result = NULL;
	rc = ctl_reply_parse(line, len, &id, result, err);
	if (rc == 1 && (!json_is_integer(id) ||
	    json_integer_value(id) != REQUEST_ID)) {
		snprintf(err->message, sizeof(err->message),
		    "the id is not ours");
		json_decref(*result);
		*result = NULL;
		rc = -1;
	}
	json_decref(id);
	return rc;
}

void
pmtudctl_close(struct pmtudctl_conn *conn)
{
	if (conn->fd != -1)
		close(conn->fd);
	free(conn->buf);
	conn->fd = -1;
	conn->buf = NULL;
}

int
pmtudctl_answer(struct pmtudctl_conn *conn, json_t **result,
    struct ctl_error *err)
{
	ssize_t	 n;
	int	 rc;

	memset(err, 0, sizeof(*err));
	*result = NULL;
	if ((n = pmtudctl_line(conn, 0)) < 0)
		return -1;
	if ((rc = pmtudctl_reply(conn->buf, (size_t)n, result, err)) == 2) {
		snprintf(err->message, sizeof(err->message),
		    "a listing's end");
		json_decref(*result);
		*result = NULL;
		rc = -1;
	}
	if (rc == -1)
		warnx("invalid reply from pmtud: %s", err->message);
	return rc;
}

int
pmtudctl_ask(const struct pmtudctl *c, const struct ctl_request *req,
    json_t **result, struct ctl_error *err)
{
	struct pmtudctl_conn	 conn;
	int			 rc;

	memset(err, 0, sizeof(*err));
	*result = NULL;
	if ((rc = pmtudctl_open(&conn, c, req)) == 0)
		rc = pmtudctl_answer(&conn, result, err);
	if (rc < 0)
		snprintf(err->message, sizeof(err->message), "%s %s",
		    rc == -2 ? "cannot connect to" : "no valid reply from",
		    c->socket);
	pmtudctl_close(&conn);
	return rc;
}

int
pmtudctl_exit_status(int rc, const struct ctl_error *err, json_t **result)
{
	if (rc == 1 && json_is_object(*result))
		return EXIT_SUCCESS;
	if (rc == 1) {
		warnx("invalid reply from pmtud: \"result\" is not an object");
		json_decref(*result);
		*result = NULL;
	} else if (rc == 0 && strcmp(err->code, CTL_E_NOT_FOUND) == 0)
		warnx("%s", err->message);	/* says how to measure it */
	else if (rc == 0)
		warnx("%s: %s", err->code, err->message);
	return rc == -2 ? EXIT_NOCONNECT : EXIT_FAILED;
}

int
pmtudctl_call(const struct pmtudctl *c, const struct ctl_request *req,
    json_t **result)
{
	struct ctl_error	 err;

	return pmtudctl_exit_status(pmtudctl_ask(c, req, result, &err), &err,
	    result);
}

int
pmtudctl_finding(struct pmtudctl *c, json_t **result, struct ctl_error *err)
{
	struct ctl_request	 req;
	int			 rc;

	pmtudctl_request(c, CTL_CMD_STATUS, &req);
	rc = pmtudctl_ask(c, &req, result, err);
	if (rc == 0 && strcmp(err->code, CTL_E_NOT_FOUND) == 0) {
		c->timeout_ms = FINDING_PROBE_MS;
		pmtudctl_request(c, CTL_CMD_PROBE, &req);
		rc = pmtudctl_ask(c, &req, result, err);
	}
	return rc;
}
