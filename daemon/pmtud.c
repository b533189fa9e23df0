/* pmtud: active path-MTU probing daemon. */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "log.h"
#include "store.h"
#include "version.h"
#include "pmtud.h"
#include "probe.h"
#include "prober.h"
#include "control.h"

#define PMTUD_SOCKET	"/run/pmtud/pmtud.sock"
#define PMTUD_STATE	"/var/lib/pmtud/state.json"

struct options {
	const char	*config;
	const char	*socket;
	const char	*state;
	int		 foreground;
	int		 verbose;
};

static void
usage(void)
{
	fprintf(stderr, "usage: pmtud [--config FILE] [--socket PATH] "
	    "[--state FILE] [--foreground] [--verbose]\n");
	exit(64);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "socket",	required_argument,	NULL, 's' },
		{ "state",	required_argument,	NULL, 'S' },
		{ "foreground",	no_argument,		NULL, 'f' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->socket = PMTUD_SOCKET;
	o->state = PMTUD_STATE;
	while ((ch = getopt_long(argc, argv, "c:s:S:fvVh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'S':
			o->state = optarg;
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'V':
			printf("pmtud %s\n", PMTUD_VERSION);
			exit(0);
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/* The socket's directory, as systemd's RuntimeDirectory would make it. */
static void
make_socket_dir(const char *path)
{
	char	*copy, *dir;

	if ((copy = strdup(path)) == NULL)
		fatal("strdup");
	dir = dirname(copy);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		log_warn("mkdir %s", dir);
	free(copy);
}

static void
signal_cb(evutil_socket_t sig, short events, void *arg)
{
	struct pmtud	*env = arg;

	(void)events;
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(env->base);
}

static struct evdns_base *
dns_new(struct event_base *base)
{
	struct evdns_base	*dns;

	if ((dns = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) != NULL)
		return dns;
	/* No usable resolv.conf: numeric destinations still work. */
	log_warnx("no name servers configured; only addresses resolve");
	return evdns_base_new(base, EVDNS_BASE_DISABLE_WHEN_INACTIVE);
}

static void
setup(struct pmtud *env, const struct options *o)
{
	if ((env->base = event_base_new()) == NULL)
		fatalx("cannot create the event base");
	if ((env->prober = prober_new(env->base)) == NULL)
		fatal("cannot open raw sockets (needs CAP_NET_RAW)");
	if ((env->route = route_open()) == NULL)
		fatal("netlink route socket");
	if ((env->store = store_new()) == NULL)
		fatal("store");
	env->dns = dns_new(env->base);
	make_socket_dir(o->socket);
	if ((env->control = control_new(env, o->socket)) == NULL)
		fatalx("cannot listen on %s", o->socket);
}

static void
teardown(struct pmtud *env)
{
	control_free(env->control);
	if (env->dns)
		evdns_base_free(env->dns, 1);
	store_free(env->store);
	route_close(env->route);
	prober_free(env->prober);
	event_base_free(env->base);
}

int
main(int argc, char **argv)
{
	struct options	 o;
	struct pmtud	 env;
	struct event	*sigint, *sigterm;

	parse_options(argc, argv, &o);
	log_init(o.foreground, "pmtud");
	log_setverbose(o.verbose);
	if (o.config != NULL)
		fatalx("%s: configuration files are not supported yet",
		    o.config);
	memset(&env, 0, sizeof(env));
	signal(SIGPIPE, SIG_IGN);
	setup(&env, &o);
	sigint = evsignal_new(env.base, SIGINT, signal_cb, &env);
	sigterm = evsignal_new(env.base, SIGTERM, signal_cb, &env);
	evsignal_add(sigint, NULL);
	evsignal_add(sigterm, NULL);
	log_info("pmtud %s listening on %s", PMTUD_VERSION, o.socket);
	event_base_dispatch(env.base);
	event_free(sigint);
	event_free(sigterm);
	teardown(&env);
	return 0;
}
