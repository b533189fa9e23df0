/*
 * Metrics for monitoring systems: the Prometheus text exposition, served
 * over HTTP at /metrics when metrics-listen is set (libevent's evhttp)
 * and through the control socket's "metrics" command.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "log.h"
#include "metrics.h"
#include "alert.h"
#include "version.h"
#include "pmtud.h"
#include "prober.h"

char *
pmtud_metrics(struct pmtud *env, size_t *len)
{
	struct metrics_counters	 mc;
	int			 i;

	memset(&mc, 0, sizeof(mc));
	mc.probes_sent = prober_sent(env->prober);
	for (i = 0; i < PKT_IGN_MAX; i++)
		mc.icmp_ignored[i] = prober_ignored(env->prober, i);
	mc.findings = env->findings;
	mc.alert_coalesced = alert_coalesced(env->alert);
	mc.uptime_s = (clock_mono_ms() - env->started_ms) / 1000.0;
	mc.version = PMTUD_VERSION;
	return metrics_render(env->store, &mc, clock_wall_ms(), len);
}

static void
metrics_request_cb(struct evhttp_request *req, void *arg)
{
	struct evbuffer	*body;
	char		*text;
	size_t		 len;

	/* Other methods never get here: evhttp_set_allowed_methods(). */
	if ((text = pmtud_metrics(arg, &len)) == NULL ||
	    (body = evbuffer_new()) == NULL) {
		free(text);
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	evbuffer_add(body, text, len);
	free(text);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", METRICS_CONTENT_TYPE);
	evhttp_send_reply(req, 200, "OK", body);
	evbuffer_free(body);
}

static void
other_request_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evhttp_send_error(req, 404, "see /metrics");
}

/* "127.0.0.1:9798", "[::1]:9798", "localhost:9798" */
static int
split_hostport(const char *hp, char *host, size_t len, unsigned *port)
{
	const char	*colon;
	size_t		 n;
	char		*end;
	long		 p;

	if ((colon = strrchr(hp, ':')) == NULL)
		return -1;
	n = colon - hp;
	if (n >= 2 && hp[0] == '[' && hp[n - 1] == ']') {
		hp++;
		n -= 2;
	}
	if (n == 0 || n >= len)
		return -1;
	memcpy(host, hp, n);
	host[n] = '\0';
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

int
metrics_listen(struct pmtud *env, const char *hostport)
{
	char		 host[256];
	unsigned	 port;

	if (split_hostport(hostport, host, sizeof(host), &port) == -1) {
		log_warnx("metrics-listen %s: want HOST:PORT", hostport);
		return -1;
	}
	if ((env->http = evhttp_new(env->base)) == NULL) {
		log_warnx("metrics-listen: out of memory");
		return -1;
	}
	evhttp_set_allowed_methods(env->http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_cb(env->http, "/metrics", metrics_request_cb, env);
	evhttp_set_gencb(env->http, other_request_cb, env);
	/* Scrapes are small; slow or idle clients must not linger. */
	evhttp_set_timeout(env->http, 10);
	evhttp_set_max_headers_size(env->http, 8192);
	evhttp_set_max_body_size(env->http, 0);
	if (evhttp_bind_socket(env->http, host, port) == -1) {
		log_warn("metrics-listen %s", hostport);
		evhttp_free(env->http);
		env->http = NULL;
		return -1;
	}
	log_info("metrics at http://%s/metrics", hostport);
	return 0;
}
