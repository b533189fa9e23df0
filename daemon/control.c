/* SPDX-License-Identifier: ISC */
/*
 * Control server.  Each client is a bufferevent; requests are read line
 * by line and may be answered out of order (replies carry the id).  A
 * probe keeps running when its client goes away: the result is stored.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "ctl.h"
#include "log.h"
#include "report.h"
#include "metrics.h"
#include "store.h"
#include "version.h"
#include "pmtud.h"
#include "measure.h"
#include "prober.h"
#include "accept_pause.h"
#include "control.h"

/* A watcher that lets this much pile up unread is dropped. */
#define CONTROL_WATCH_BACKLOG	(256 * 1024)
/* A listing is written while the output holds less than this. */
#define CONTROL_PUMP_HIGH	(64 * 1024)
/*
 * More clients than this at once are turned away at the door, and more
 * than CONTROL_MAX_CLIENTS_UID from one user; root has CONTROL_ROOT_ROOM
 * more, so no user can lock root out.  Watchers are exempt from the idle
 * timeout, so each user may have only a few.
 */
#define CONTROL_MAX_CLIENTS	4096
#define CONTROL_ROOT_ROOM	64
#define CONTROL_MAX_CLIENTS_UID	256
#define CONTROL_MAX_WATCH_UID	16
/*
 * On-demand measurements running at once, in all and per user: more get
 * a "busy" error, not a queue without end.
 */
#define CONTROL_MAX_PROBES	128
#define CONTROL_MAX_PROBES_UID	32
/* A client that neither asks nor reads for this long is dropped. */
#define CONTROL_IDLE_S		60
#define CONTROL_STALL_S		30	/* output not taken for this long */

struct client;

struct request {
	TAILQ_ENTRY(request)	 entry;		/* in control's list */
	struct control		*ctl;
	struct client		*client;	/* NULL once it has gone */
	uid_t			 uid;		/* who asked */
	struct ctl_request	 req;
	struct measure		*measure;
};

/* A status listing being streamed, a piece whenever output drains. */
struct listing {
	TAILQ_ENTRY(listing)	 entry;
	json_t			*id;
	struct store_iter	*it;
	int			 family;	/* AF_*, 0 any */
	int			 state;		/* RESULT_*, 0 any */
	unsigned long long	 count;
};

struct client {
	TAILQ_ENTRY(client)	 entry;
	TAILQ_HEAD(, listing)	 listings;
	struct control		*ctl;
	struct bufferevent	*bev;
	uid_t			 uid;		/* the peer; -1: not known */
	unsigned		 pending;	/* requests not yet answered */
	int			 eof;		/* client will send no more */
	int			 closing;	/* close once output drains */
	int			 watching;	/* gets alert events */
	int			 paused;	/* not reading: output backlog */
};

struct control {
	struct pmtud		*env;
	unsigned		 nclients;
	unsigned		 nprobes;	/* requests measuring now */
	gid_t			 group;		/* may send probes */
	struct evconnlistener	*listener;
	struct accept_pause	*pause;		/* out of descriptors */
	char			*path;
	TAILQ_HEAD(, client)	 clients;
	TAILQ_HEAD(, request)	 requests;
};

static void	 client_close(struct client *);
static void	 client_finish(struct client *);
static void	 client_timeouts(struct client *);
static void	 client_read_cb(struct bufferevent *, void *);

static void
client_send(struct client *c, char *line)
{
	if (line == NULL) {
		log_warnx("control: cannot encode a reply");
		return;
	}
	if (c != NULL)
		bufferevent_write(c->bev, line, strlen(line));
	free(line);
}

static void
request_free(struct request *r)
{
	r->ctl->nprobes--;
	TAILQ_REMOVE(&r->ctl->requests, r, entry);
	measure_cancel(r->measure);
	ctl_request_clear(&r->req);
	free(r);
}

/* A request is answered (or its client gone): release it. */
static void
request_done(struct request *r, char *line)
{
	struct client	*c = r->client;

	r->measure = NULL;
	client_send(c, line);
	request_free(r);
	if (c != NULL && --c->pending == 0 && c->eof)
		client_finish(c);
	else if (c != NULL)
		client_timeouts(c);
}

static void
probe_done_cb(const struct measure_done *done, void *arg)
{
	struct request	*r = arg;

	r->measure = NULL;
	if (done->result != NULL)
		request_done(r, ctl_reply_ok(r->req.id,
		    report_to_json(done->result)));
	else if (done->unresolved)
		request_done(r, ctl_reply_err(r->req.id, CTL_E_RESOLVE,
		    "%s: %s", r->req.destination, done->error));
	else
		request_done(r, ctl_reply_err(r->req.id, CTL_E_INTERNAL,
		    "%s", done->error));
}

static int
family_af(int family)
{
	return family == 4 ? AF_INET : family == 6 ? AF_INET6 : 0;
}

/* Whether gid is uid's primary or one of its supplementary groups. */
static int
in_group(uid_t uid, gid_t pgid, gid_t gid)
{
	struct passwd	*pw;
	gid_t		 groups[256];
	int		 i, n = 256;

	if (pgid == gid)
		return 1;
	if ((pw = getpwuid(uid)) == NULL ||
	    getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/* Sending packets is for root, the daemon's user and the socket's group. */
static int
peer_may_probe(struct client *c)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);
	int		 fd = bufferevent_getfd(c->bev);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return 0;
	return cred.uid == 0 || cred.uid == geteuid() ||
	    in_group(cred.uid, cred.gid, c->ctl->group);
}

static unsigned
probes_of(const struct control *ctl, uid_t uid)
{
	const struct request	*r;
	unsigned		 n = 0;

	TAILQ_FOREACH(r, &ctl->requests, entry)
		n += r->uid == uid;
	return n;
}

static unsigned
clients_of(const struct control *ctl, uid_t uid, int watching)
{
	const struct client	*c;
	unsigned		 n = 0;

	TAILQ_FOREACH(c, &ctl->clients, entry)
		n += c->uid == uid && (!watching || c->watching);
	return n;
}

static void
cmd_probe(struct client *c, struct ctl_request *req)
{
	struct control		*ctl = c->ctl;
	struct request		*r;
	struct measure_req	 mr;

	if (!peer_may_probe(c)) {
		client_send(c, ctl_reply_err(req->id, CTL_E_DENIED,
		    "probe needs root or membership in the control socket's "
		    "group"));
		return;
	}
	if (ctl->nprobes >= CONTROL_MAX_PROBES) {
		client_send(c, ctl_reply_err(req->id, CTL_E_BUSY,
		    "%d probes are running already; try again when one ends",
		    CONTROL_MAX_PROBES));
		return;
	}
	if (probes_of(ctl, c->uid) >= CONTROL_MAX_PROBES_UID) {
		client_send(c, ctl_reply_err(req->id, CTL_E_BUSY,
		    "uid %d has %d probes running already; try again when "
		    "one ends", (int)c->uid, CONTROL_MAX_PROBES_UID));
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		client_send(c, ctl_reply_err(req->id, CTL_E_INTERNAL,
		    "out of memory"));
		return;
	}
	ctl->nprobes++;
	r->ctl = ctl;
	r->uid = c->uid;
	r->client = c;
	r->req = *req;
	memset(req, 0, sizeof(*req));	/* r owns the id now */
	TAILQ_INSERT_TAIL(&ctl->requests, r, entry);
	c->pending++;
	memset(&mr, 0, sizeof(mr));
	mr.destination = r->req.destination;
	mr.family = family_af(r->req.family);
	mr.method = r->req.method;
	mr.port = r->req.port;
	mr.walk = !r->req.no_walk;
	mr.flows = r->req.flows;
	mr.on_demand = 1;
	if ((r->measure = measure_start(ctl->env, &mr, probe_done_cb, r)) ==
	    NULL)
		request_done(r, ctl_reply_err(r->req.id, CTL_E_INTERNAL,
		    "out of memory"));
}

static void
listing_free(struct client *c, struct listing *l)
{
	TAILQ_REMOVE(&c->listings, l, entry);
	store_iter_free(l->it);
	json_decref(l->id);
	free(l);
}

static int
listing_wants(const struct listing *l, const struct result *r)
{
	return (l->family == 0 || r->family == l->family) &&
	    (l->state == 0 || (int)r->state == l->state);
}

/* What the prober threw away, by reason: forged or stray ICMP. */
static json_t *
ignored_json(struct pmtud *env)
{
	json_t	*by;
	int	 i;

	if ((by = json_object()) == NULL)
		return NULL;
	for (i = PKT_OK + 1; i < PKT_IGN_MAX; i++)
		json_object_set_new(by, pkt_ignore_name(i),
		    json_integer(prober_ignored(env->prober, i)));
	return json_pack("{s:o}", "icmp_ignored", by);
}

/* Writes listings until the output is full enough; the rest comes later. */
static void
listing_pump(struct client *c)
{
	struct evbuffer		*out = bufferevent_get_output(c->bev);
	struct listing		*l;
	const struct result	*r;

	while ((l = TAILQ_FIRST(&c->listings)) != NULL) {
		for (;;) {
			if (evbuffer_get_length(out) >= CONTROL_PUMP_HIGH)
				return;
			if ((r = store_iter_next(l->it)) == NULL)
				break;
			if (!listing_wants(l, r))
				continue;
			client_send(c, ctl_reply_ok(l->id, report_to_json(r)));
			l->count++;
		}
		client_send(c, ctl_reply_end(l->id, l->count,
		    ignored_json(c->ctl->env)));
		listing_free(c, l);
		if (--c->pending == 0 && c->eof) {
			client_finish(c);	/* may free c */
			return;
		}
	}
}

static void
cmd_list(struct client *c, const struct ctl_request *req)
{
	struct listing	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->it = store_iter_new(c->ctl->env->store)) == NULL) {
		free(l);
		client_send(c, ctl_reply_err(req->id, CTL_E_INTERNAL,
		    "out of memory"));
		return;
	}
	l->id = req->id != NULL ? json_incref(req->id) : NULL;
	l->family = family_af(req->family);
	l->state = req->state;
	TAILQ_INSERT_TAIL(&c->listings, l, entry);
	c->pending++;
	listing_pump(c);
}

/* Nothing stored for the destination: say how to get something. */
static void
not_measured(struct client *c, const struct ctl_request *req)
{
	client_send(c, ctl_reply_err(req->id, CTL_E_NOT_FOUND,
	    "%s has not been measured%s; measure it with: pmtudctl probe %s%s",
	    req->destination, req->family == 4 ? " over IPv4" :
	    req->family == 6 ? " over IPv6" : "", req->destination,
	    req->family == 4 ? " -4" : req->family == 6 ? " -6" : ""));
}

static void
cmd_status(struct client *c, const struct ctl_request *req)
{
	const struct result	*res;

	if (req->destination[0] == '\0') {
		cmd_list(c, req);
		return;
	}
	res = store_get(c->ctl->env->store, req->destination,
	    family_af(req->family));
	if (res == NULL)
		not_measured(c, req);
	else
		client_send(c, ctl_reply_ok(req->id, report_to_json(res)));
}

/* The changes of one destination's path; bounded, so one reply. */
static void
cmd_history(struct client *c, const struct ctl_request *req)
{
	const struct result	*res;
	int64_t			 since = -1, now;

	res = store_get(c->ctl->env->store, req->destination,
	    family_af(req->family));
	if (res == NULL) {
		not_measured(c, req);
		return;
	}
	if (req->since == CTL_SINCE_TIME)
		since = req->since_at_ms;
	else if (req->since == CTL_SINCE_AGE) {
		now = clock_wall_ms();
		if (req->since_age_ms < (uint64_t)now)
			since = now - (int64_t)req->since_age_ms;
	}
	client_send(c, ctl_reply_ok(req->id, report_history_json(res,
	    store_result_history(res), since)));
}

static void
cmd_reload(struct client *c, const struct ctl_request *req)
{
	char	 err[1024];

	if (!peer_may_probe(c)) {
		client_send(c, ctl_reply_err(req->id, CTL_E_DENIED,
		    "reload needs root or membership in the control socket's "
		    "group"));
		return;
	}
	if (pmtud_reload(c->ctl->env, err, sizeof(err)) == -1)
		client_send(c, ctl_reply_err(req->id, CTL_E_BAD_REQUEST, "%s",
		    err));
	else
		client_send(c, ctl_reply_ok(req->id,
		    json_pack("{s:b}", "reloaded", 1)));
}

static void
cmd_metrics(struct client *c, const struct ctl_request *req)
{
	char	*text;
	size_t	 len;

	if ((text = pmtud_metrics(c->ctl->env, &len)) == NULL) {
		client_send(c, ctl_reply_err(req->id, CTL_E_INTERNAL,
		    "out of memory"));
		return;
	}
	client_send(c, ctl_reply_ok(req->id, json_pack("{s:s,s:s%}",
	    "content_type", METRICS_CONTENT_TYPE, "text", text, len)));
	free(text);
}

static void
client_line(struct client *c, const char *line, size_t len)
{
	struct ctl_request	 req;
	struct ctl_error	 err;

	if (ctl_request_parse(line, len, &req, &err) == -1) {
		client_send(c, ctl_reply_err(req.id, err.code, "%s",
		    err.message));
		ctl_request_clear(&req);
		return;
	}
	switch (req.cmd) {
	case CTL_CMD_PROBE:
		cmd_probe(c, &req);
		break;
	case CTL_CMD_STATUS:
		cmd_status(c, &req);
		break;
	case CTL_CMD_HISTORY:
		cmd_history(c, &req);
		break;
	case CTL_CMD_VERSION:
		client_send(c, ctl_reply_ok(req.id,
		    json_pack("{s:s}", "version", PMTUD_VERSION)));
		break;
	case CTL_CMD_METRICS:
		cmd_metrics(c, &req);
		break;
	case CTL_CMD_RELOAD:
		cmd_reload(c, &req);
		break;
	case CTL_CMD_WATCH:
		if (!c->watching && c->uid != 0 && clients_of(c->ctl, c->uid,
		    1) >= CONTROL_MAX_WATCH_UID) {
			client_send(c, ctl_reply_err(req.id, CTL_E_BUSY,
			    "uid %d watches on %d connections already",
			    (int)c->uid, CONTROL_MAX_WATCH_UID));
			break;
		}
		c->watching = 1;
		client_send(c, ctl_reply_ok(req.id,
		    json_pack("{s:b}", "watching", 1)));
		break;
	}
	ctl_request_clear(&req);
	client_timeouts(c);
}

static void
client_read_cb(struct bufferevent *bev, void *arg)
{
	struct client	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	char		*line;
	size_t		 len;

	for (;;) {
		/*
		 * A client that asks faster than it reads: stop reading until
		 * its replies drain, so its backlog stays bounded (and the
		 * stall timeout drops it if it never reads).
		 */
		if (evbuffer_get_length(bufferevent_get_output(bev)) >
		    CONTROL_PUMP_HIGH) {
			bufferevent_disable(bev, EV_READ);
			c->paused = 1;
			return;
		}
		if ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) ==
		    NULL)
			break;
		if (len > CTL_MAX_LINE) {
			free(line);
			break;
		}
		client_line(c, line, len);
		free(line);
	}
	if (line != NULL || evbuffer_get_length(in) > CTL_MAX_LINE) {
		log_warnx("control: client sent a line over %d bytes; "
		    "closing it", CTL_MAX_LINE);
		client_close(c);
	}
}

static void
client_write_cb(struct bufferevent *bev, void *arg)
{
	struct client	*c = arg;

	if (!c->closing) {
		listing_pump(c);
		if (c->paused && evbuffer_get_length(bufferevent_get_output(
		    bev)) <= CONTROL_PUMP_HIGH) {
			c->paused = 0;
			if (!c->eof)
				bufferevent_enable(bev, EV_READ);
			client_read_cb(bev, c);	/* lines already read in */
		}
		return;
	}
	if (evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		/* Called at the low watermark: wait for the last byte. */
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
		return;
	}
	client_close(c);
}

/*
 * Idle clients are dropped; one waiting for a probe's answer or
 * watching events is not idle.  Output that is not taken is a stall.
 */
static void
client_timeouts(struct client *c)
{
	struct timeval	 idle = { CONTROL_IDLE_S, 0 };
	struct timeval	 stall = { CONTROL_STALL_S, 0 };

	bufferevent_set_timeouts(c->bev,
	    c->pending == 0 && !c->watching ? &idle : NULL, &stall);
}

static void
client_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct client	*c = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT) {
		if (what & BEV_EVENT_READING && (c->pending > 0 ||
		    c->watching)) {
			/* Not idle after all: keep it, reading again. */
			bufferevent_enable(c->bev, EV_READ);
			client_timeouts(c);
			return;
		}
		log_debug("control: dropping a client that %s",
		    what & BEV_EVENT_READING ? "sent nothing" :
		    "took no output");
		client_close(c);
		return;
	}
	if (what & BEV_EVENT_EOF) {
		/* A half-closed client still gets the answers it asked for. */
		c->eof = 1;
		bufferevent_disable(c->bev, EV_READ);
		if (c->pending == 0)
			client_finish(c);
	} else if (what & BEV_EVENT_ERROR)
		client_close(c);
}

/* Closes once the last replies have drained (client_write_cb). */
static void
client_finish(struct client *c)
{
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		client_close(c);
	else
		c->closing = 1;
}

static void
client_close(struct client *c)
{
	struct request	*r;

	TAILQ_FOREACH(r, &c->ctl->requests, entry)
		if (r->client == c)
			r->client = NULL;
	while (!TAILQ_EMPTY(&c->listings))
		listing_free(c, TAILQ_FIRST(&c->listings));
	TAILQ_REMOVE(&c->ctl->clients, c, entry);
	c->ctl->nclients--;
	bufferevent_free(c->bev);
	/* A descriptor is free: a paused listener may accept again. */
	accept_pause_resume(c->ctl->pause);
	free(c);
}

/* Who is at the other end; -1 (nobody's) when the kernel will not say. */
static uid_t
peer_uid(int fd)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return (uid_t)-1;
	return cred.uid;
}

static struct log_limit turned_away = LOG_LIMIT_INIT(10 * 1000);

/* Says why on the way out, if the socket takes it at once. */
static void
turn_away(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
turn_away(int fd, const char *fmt, ...)
{
	char	 why[128], *line;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_warnx_limited(&turned_away, clock_mono_ms(),
	    "control: %s; turning a client away", why);
	if ((line = ctl_reply_err(NULL, CTL_E_BUSY, "%s", why)) != NULL) {
		(void)send(fd, line, strlen(line), MSG_DONTWAIT | MSG_NOSIGNAL);
		free(line);
	}
	close(fd);
}

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct control	*ctl = arg;
	struct client	*c;
	uid_t		 uid;

	(void)l;
	(void)sa;
	(void)salen;
	accept_pause_accepted(ctl->pause);
	uid = peer_uid(fd);
	if (ctl->nclients >= CONTROL_MAX_CLIENTS + (uid == 0 ?
	    CONTROL_ROOT_ROOM : 0)) {
		turn_away(fd, "%d clients already", CONTROL_MAX_CLIENTS);
		return;
	}
	if (uid != 0 && clients_of(ctl, uid, 0) >= CONTROL_MAX_CLIENTS_UID) {
		turn_away(fd, "uid %d has %d connections already", (int)uid,
		    CONTROL_MAX_CLIENTS_UID);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->bev = bufferevent_socket_new(ctl->env->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		log_warnx("control: out of memory for a client");
		free(c);
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->uid = uid;
	TAILQ_INIT(&c->listings);
	TAILQ_INSERT_TAIL(&ctl->clients, c, entry);
	ctl->nclients++;
	client_timeouts(c);
	/* Stop reading at one over-long line; client_read_cb closes it. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTL_MAX_LINE + 2);
	/* Listings resume before the output runs dry. */
	bufferevent_setwatermark(c->bev, EV_WRITE, CONTROL_PUMP_HIGH / 2, 0);
	bufferevent_setcb(c->bev, client_read_cb, client_write_cb,
	    client_event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/* accept() failed (out of descriptors, most likely): pause, not spin. */
static void
accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct control	*ctl = arg;

	(void)l;
	accept_pause_failed(ctl->pause, EVUTIL_SOCKET_ERROR());
}

/* Replaces a stale socket and binds; 0 or -1 with errno. */
static int
control_bind_at(int fd, const struct sockaddr_un *sun)
{
	if (unlink(sun->sun_path) == -1 && errno != ENOENT)
		log_warn("removing stale %s", sun->sun_path);
	return bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
}

/*
 * The socket file is made with its owner, group and mode 0660 from the
 * start, and nothing is changed by path afterwards: the directory may be
 * writable by the daemon's user, who could otherwise swap the socket for
 * a link to any file between bind and chown.  Started as root, the file
 * is made as uid with gid as the effective group; where uid may not
 * write, root makes it, still with gid.
 */
static int
control_bind(const char *path, uid_t uid, gid_t gid)
{
	struct sockaddr_un	 sun;
	uid_t			 euid = geteuid();
	gid_t			 egid = getegid();
	mode_t			 old;
	int			 fd, rc, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket");
		return -1;
	}
	if (euid == 0 && gid != egid && setegid(gid) == -1) {
		log_warn("setegid %d for %s", (int)gid, path);
		close(fd);
		return -1;
	}
	old = umask(0117);
	if (euid == 0 && uid != (uid_t)-1 && uid != 0) {
		if (seteuid(uid) == -1)
			fatal("seteuid %d", (int)uid);
		rc = control_bind_at(fd, &sun);
		saved = errno;
		if (seteuid(euid) == -1)
			fatal("seteuid back to %d", (int)euid);
		errno = saved;
		if (rc == -1 && errno == EACCES)
			rc = control_bind_at(fd, &sun);
	} else
		rc = control_bind_at(fd, &sun);
	saved = errno;
	if (getegid() != egid && setegid(egid) == -1)
		fatal("setegid back to %d", (int)egid);
	umask(old);
	if (rc == -1) {
		errno = saved;
		log_warn("bind %s", path);
		close(fd);
		return -1;
	}
	/* Not root: our own file; only the group may still differ. */
	if (euid != 0 && gid != egid && chown(path, (uid_t)-1, gid) == -1)
		log_warn("chown %s to group %d", path, (int)gid);
	return fd;
}

void
control_broadcast(const char *line, void *arg)
{
	struct control	*ctl = arg;
	struct client	*c, *next;
	size_t		 len = strlen(line);

	for (c = TAILQ_FIRST(&ctl->clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (!c->watching || c->closing)
			continue;
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) +
		    len > CONTROL_WATCH_BACKLOG) {
			log_warnx("control: a watcher stopped reading; "
			    "dropping it");
			client_close(c);
			continue;
		}
		bufferevent_write(c->bev, line, len);
	}
}

struct control *
control_new(struct pmtud *env, const char *path, uid_t uid, gid_t gid)
{
	struct control	*ctl;
	int		 fd;

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL ||
	    (ctl->path = strdup(path)) == NULL) {
		free(ctl);
		return NULL;
	}
	ctl->env = env;
	TAILQ_INIT(&ctl->clients);
	TAILQ_INIT(&ctl->requests);
	ctl->group = gid;
	if ((fd = control_bind(path, uid, gid)) == -1) {
		control_free(ctl);
		return NULL;
	}
	ctl->listener = evconnlistener_new(env->base, accept_cb, ctl,
	    LEV_OPT_CLOSE_ON_FREE, 128, fd);
	if (ctl->listener == NULL) {
		log_warn("listen %s", path);
		close(fd);
		control_free(ctl);
		return NULL;
	}
	if ((ctl->pause = accept_pause_new(env->base, ctl->listener,
	    "control")) == NULL) {
		log_warnx("control: out of memory");
		control_free(ctl);
		return NULL;
	}
	evconnlistener_set_error_cb(ctl->listener, accept_error_cb);
	return ctl;
}

void
control_free(struct control *ctl)
{
	struct client	*c;

	if (ctl == NULL)
		return;
	/* Before the clients go: closing them would resume the listener. */
	accept_pause_free(ctl->pause);
	ctl->pause = NULL;
	if (ctl->listener != NULL) {
		evconnlistener_free(ctl->listener);
		unlink(ctl->path);
	}
	while (!TAILQ_EMPTY(&ctl->requests))
		request_free(TAILQ_FIRST(&ctl->requests));
	while ((c = TAILQ_FIRST(&ctl->clients)) != NULL)
		client_close(c);
	free(ctl->path);
	free(ctl);
}
