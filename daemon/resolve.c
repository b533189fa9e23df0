/* SPDX-License-Identifier: ISC */
/* Name resolution through evdns; numeric addresses skip the resolver. */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "resolve.h"

struct resolve {
	TAILQ_ENTRY(resolve)	 entry;
	struct evdns_getaddrinfo_request *req;
	struct event		*done_ev;
	resolve_cb		 cb;
	void			*arg;
	struct addr		 addr;
	char			 error[160];
	int			 pending;	/* evdns callback not yet run */
	int			 cancelled;
};

/* Every resolve not yet freed: a cancelled one waits for evdns. */
static TAILQ_HEAD(, resolve) all = TAILQ_HEAD_INITIALIZER(all);

static void
resolve_free(struct resolve *rs)
{
	TAILQ_REMOVE(&all, rs, entry);
	event_free(rs->done_ev);
	free(rs);
}

void
resolve_shutdown(void)
{
	struct resolve	*rs;

	/* evdns is gone: no callback will come for these any more. */
	while ((rs = TAILQ_FIRST(&all)) != NULL)
		resolve_free(rs);
}

static void
resolve_done_cb(evutil_socket_t fd, short events, void *arg)
{
	struct resolve	*rs = arg;

	(void)fd;
	(void)events;
	rs->cb(rs->error[0] ? rs->error : NULL, &rs->addr, rs->arg);
	resolve_cancel(rs);
}

static void
resolve_finish(struct resolve *rs)
{
	event_active(rs->done_ev, EV_TIMEOUT, 0);
}

static void
take_answer(struct resolve *rs, const struct evutil_addrinfo *ai)
{
	for (; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			rs->addr.family = AF_INET;
			rs->addr.u.v4 =
			    ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
			return;
		}
		if (ai->ai_family == AF_INET6) {
			rs->addr.family = AF_INET6;
			rs->addr.u.v6 =
			    ((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
			return;
		}
	}
}

static void
evdns_answer_cb(int result, struct evutil_addrinfo *ai, void *arg)
{
	struct resolve	*rs = arg;

	rs->pending = 0;
	rs->req = NULL;
	if (rs->cancelled) {
		/* evdns answers a cancel later; only now may rs go. */
		if (ai != NULL)
			evutil_freeaddrinfo(ai);
		resolve_free(rs);
		return;
	}
	if (result != 0)
		snprintf(rs->error, sizeof(rs->error), "%s",
		    evutil_gai_strerror(result));
	else {
		take_answer(rs, ai);
		if (rs->addr.family == 0)
			snprintf(rs->error, sizeof(rs->error),
			    "no address of the requested family");
	}
	if (ai != NULL)
		evutil_freeaddrinfo(ai);
	resolve_finish(rs);
}

static int
numeric(struct resolve *rs, const char *name, int family)
{
	if (addr_parse(&rs->addr, name) == -1)
		return 0;
	if (family != 0 && rs->addr.family != family)
		snprintf(rs->error, sizeof(rs->error),
		    "%s is not an IPv%d address", name,
		    addr_family_num(family));
	return 1;
}

struct resolve *
resolve_start(struct event_base *base, struct evdns_base *dns,
    const char *name, int family, resolve_cb cb, void *arg)
{
	struct resolve		*rs;
	struct evutil_addrinfo	 hints;
	struct evdns_getaddrinfo_request *req;

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return NULL;
	rs->cb = cb;
	rs->arg = arg;
	if ((rs->done_ev = event_new(base, -1, 0, resolve_done_cb, rs)) ==
	    NULL) {
		free(rs);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&all, rs, entry);
	if (numeric(rs, name, family) || dns == NULL ||
	    evdns_base_count_nameservers(dns) == 0) {
		/* Without a name server evdns would never answer. */
		if (rs->addr.family == 0 && rs->error[0] == '\0')
			snprintf(rs->error, sizeof(rs->error),
			    "no name servers configured");
		resolve_finish(rs);
		return rs;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family ? family : AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rs->pending = 1;
	/* The callback may run before this returns; it only queues. */
	req = evdns_getaddrinfo(dns, name, NULL, &hints, evdns_answer_cb, rs);
	if (rs->pending)
		rs->req = req;
	return rs;
}

void
resolve_cancel(struct resolve *rs)
{
	if (rs == NULL)
		return;
	if (rs->pending && rs->req != NULL) {
		rs->cancelled = 1;
		event_del(rs->done_ev);
		evdns_getaddrinfo_cancel(rs->req);
		return;
	}
	resolve_free(rs);
}
