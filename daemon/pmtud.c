/* SPDX-License-Identifier: ISC */
/* pmtud: active path-MTU probing daemon. */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "conf.h"
#include "log.h"
#include "store.h"
#include "version.h"
#include "pmtud.h"
#include "probe.h"
#include "prober.h"
#include "control.h"
#include "alert.h"
#include "monitor.h"
#include "saver.h"
#include "budget.h"
#include "sched.h"
#include "priv.h"
#include "notify.h"
#include "tcpcheck.h"
#include "resolve.h"

#define PMTUD_USER	"pmtud"

struct options {
	const char	*config;
	const char	*socket;
	const char	*state;
	int		 foreground;
	int		 verbose;
	int		 check;		/* --check-config */
	int		 no_drop;	/* stay root: only when told */
	const char	*user;
};

static void
usage(void)
{
	fprintf(stderr, "usage: pmtud [--config FILE] [--socket PATH] "
	    "[--state FILE] [--foreground] [--verbose]\n"
	    "             [--user NAME | --no-drop]\n"
	    "       pmtud --check-config [--config FILE]\n");
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
		{ "check-config", no_argument,		NULL, 'C' },
		{ "user",	required_argument,	NULL, 'u' },
		{ "no-drop",	no_argument,		NULL, 'N' },
		{ NULL,		0,			NULL, 0 }
	};
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->user = PMTUD_USER;
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
		case 'C':
			o->check = 1;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'N':
			o->no_drop = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/*
 * A file's directory, as systemd's Runtime/StateDirectory would make it,
 * owned by the user the daemon will run as so it can write there.  A
 * directory that was there already is left as it is.
 */
static void
make_parent_dir(const char *path, uid_t uid, gid_t gid)
{
	char	*copy, *dir;

	if ((copy = strdup(path)) == NULL)
		fatal("strdup");
	dir = dirname(copy);
	if (mkdir(dir, 0755) == 0) {
		if (uid != (uid_t)-1 && chown(dir, uid, gid) == -1)
			log_warn("chown %s", dir);
	} else if (errno != EEXIST)
		log_warn("mkdir %s", dir);
	free(copy);
}

/* Who the daemon will be once it drops privileges; -1: unchanged. */
static void
run_as(const struct options *o, uid_t *uid, gid_t *gid)
{
	*uid = (uid_t)-1;
	*gid = getegid();
	if (geteuid() != 0 || o->no_drop)
		return;
	if (priv_lookup(o->user, uid, gid) == -1)
		fatalx("user %s does not exist (create it: useradd --system "
		    "%s; or use --user NAME or --no-drop)", o->user, o->user);
}

/* The control socket's group: socket-group, or the run group. */
static gid_t
socket_group(const struct conf *c, gid_t gid)
{
	struct group	*gr;

	if (c->socket_group[0] == '\0')
		return gid;
	if ((gr = getgrnam(c->socket_group)) == NULL)
		fatalx("socket-group %s does not exist", c->socket_group);
	return gr->gr_gid;
}

static void
drop_privileges(const struct options *o)
{
	if (geteuid() == 0 && o->no_drop) {
		log_warnx("running as root with every capability "
		    "(--no-drop)");
		return;
	}
	priv_drop(geteuid() == 0 ? o->user : NULL);
	log_debug("running as uid %d with CAP_NET_RAW only", (int)getuid());
}

static const struct options	*opts;	/* for reloads */
static struct conf		 running;	/* the configuration in force */
/* The file's own socket and state, before the command line's. */
static char			 file_socket[sizeof(running.socket)];
static char			 file_state[sizeof(running.state)];

static void
signal_cb(evutil_socket_t sig, short events, void *arg)
{
	struct pmtud	*env = arg;

	(void)events;
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(env->base);
}

/* SIGHUP: a new configuration, or the old one if the new one is bad. */
int
pmtud_reload(struct pmtud *env, char *err, size_t errlen)
{
	struct conf	 c;

	if (opts->config == NULL) {
		snprintf(err, errlen, "no configuration file to read (started "
		    "without --config)");
		log_warnx("reload: %s", err);
		return -1;
	}
	notify_send("RELOADING=1");
	conf_init(&c);
	if (conf_load(opts->config, &c, err, errlen) == -1) {
		log_warnx("reload rejected, the old configuration stays: %s",
		    err);
		notify_send("READY=1");
		return -1;
	}
	if (strcmp(c.socket, file_socket) != 0 ||
	    strcmp(c.state, file_state) != 0)
		log_warnx("reload: socket and state paths change only on "
		    "restart");
	alert_set_command(env->alert, c.alert_command, c.alert_timeout_ms);
	sched_set_pps(env->sched, c.max_pps);
	budget_set_pps(env->budget, c.max_pps);
	metrics_set_limits(env, c.metrics_max_clients, c.metrics_max_per_addr);
	if (monitor_configure(env->monitor, &c) == -1)
		log_warnx("reload: out of memory; some destinations were "
		    "not added");
	/* Keep the paths the daemon runs with. */
	memcpy(c.socket, running.socket, sizeof(c.socket));
	memcpy(c.state, running.state, sizeof(c.state));
	conf_clear(&running);
	running = c;
	log_info("reloaded %s: %u destinations", opts->config,
	    monitor_count(env->monitor));
	notify_send("READY=1");
	return 0;
}

static void
sighup_cb(evutil_socket_t sig, short events, void *arg)
{
	char	 err[1024];

	(void)sig;
	(void)events;
	(void)pmtud_reload(arg, err, sizeof(err));
}

static struct evdns_base *
dns_new(struct event_base *base)
{
	struct evdns_base	*dns;

	if ((dns = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) != NULL) {
		/* A dead name server costs a probe 4 s, not libevent's 15. */
		evdns_base_set_option(dns, "timeout:", "2");
		evdns_base_set_option(dns, "attempts:", "2");
		if (evdns_base_count_nameservers(dns) == 0)
			log_warnx("no name servers configured; only addresses "
			    "resolve");
		return dns;
	}
	/* No usable resolv.conf: numeric destinations still work. */
	log_warnx("no name servers configured; only addresses resolve");
	return evdns_base_new(base, EVDNS_BASE_DISABLE_WHEN_INACTIVE);
}

/* The configuration, with the command line's settings over it. */
static void
load_conf(const struct options *o, struct conf *c)
{
	char	 err[1024];

	conf_init(c);
	if (o->config != NULL && conf_load(o->config, c, err,
	    sizeof(err)) == -1)
		fatalx("%s", err);
	memcpy(file_socket, c->socket, sizeof(file_socket));
	memcpy(file_state, c->state, sizeof(file_state));
	if (o->socket != NULL &&
	    snprintf(c->socket, sizeof(c->socket), "%s", o->socket) >=
	    (int)sizeof(c->socket))
		fatalx("socket path too long: %s", o->socket);
	if (o->state != NULL &&
	    snprintf(c->state, sizeof(c->state), "%s", o->state) >=
	    (int)sizeof(c->state))
		fatalx("state path too long: %s", o->state);
}

/* Many control clients and jobs at once need more than 1024 files. */
static void
raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("raising the open file limit");
	}
}

static void
setup(struct pmtud *env, const struct conf *c, const struct options *o)
{
	uid_t	 uid;
	gid_t	 gid;

	run_as(o, &uid, &gid);
	raise_nofile();
	if ((env->base = event_base_new()) == NULL)
		fatalx("cannot create the event base");
	if ((env->prober = prober_new(env->base)) == NULL)
		fatal("cannot open raw sockets (needs CAP_NET_RAW)");
	if ((env->route = route_open()) == NULL)
		fatal("netlink route socket");
	if ((env->tcpcheck = tcpcheck_new(env->base)) == NULL)
		log_warn("raw TCP socket; TCP MSS checks are off");
	if ((env->store = store_new()) == NULL)
		fatal("store");
	env->dns = dns_new(env->base);
	if ((env->alert = alert_new(env->base, c->alert_command,
	    c->alert_timeout_ms)) == NULL)
		fatalx("cannot set up alerts");
	if ((env->sched = sched_new(c->max_pps, arc4random())) == NULL ||
	    (env->budget = budget_new(c->max_pps)) == NULL ||
	    (env->monitor = monitor_new(env)) == NULL)
		fatal("scheduler");
	make_parent_dir(c->state, uid, gid);
	if ((env->saver = saver_new(env, c->state)) == NULL)
		fatal("state file");
	make_parent_dir(c->socket, uid, gid);
	if ((env->control = control_new(env, c->socket, uid,
	    socket_group(c, gid))) == NULL)
		fatalx("cannot listen on %s", c->socket);
	alert_set_sink(env->alert, control_broadcast, env->control);
	if (monitor_configure(env->monitor, c) == -1)
		fatalx("out of memory for %zu destinations", c->ndests);
	if (c->metrics_listen[0] != '\0' &&
	    metrics_listen(env, c->metrics_listen, c->metrics_max_clients,
	    c->metrics_max_per_addr) == -1)
		fatalx("cannot serve metrics on %s", c->metrics_listen);
}

static void
teardown(struct pmtud *env)
{
	alert_set_sink(env->alert, NULL, NULL);
	metrics_close(env);
	monitor_free(env->monitor);
	control_free(env->control);
	saver_flush(env->saver);
	saver_free(env->saver);
	sched_free(env->sched);
	budget_free(env->budget);
	alert_free(env->alert);
	if (env->dns)
		evdns_base_free(env->dns, 1);
	resolve_shutdown();
	store_free(env->store);
	route_close(env->route);
	tcpcheck_free(env->tcpcheck);
	prober_free(env->prober);
	event_base_free(env->base);
}

int
main(int argc, char **argv)
{
	struct options	 o;
	struct pmtud	 env;
	struct event	*sigint, *sigterm, *sighup;

	parse_options(argc, argv, &o);
	/* --check-config answers the person who ran it, not syslog. */
	log_init(o.foreground || o.check, "pmtud");
	log_setverbose(o.verbose);
	opts = &o;
	load_conf(&o, &running);
	if (o.check) {
		printf("%s: OK, %zu destinations\n",
		    o.config ? o.config : "built-in defaults",
		    running.ndests);
		conf_clear(&running);
		return 0;
	}
	memset(&env, 0, sizeof(env));
	env.started_ms = clock_mono_ms();
	signal(SIGPIPE, SIG_IGN);
	setup(&env, &running, &o);
	drop_privileges(&o);
	saver_load(env.saver);
	sigint = evsignal_new(env.base, SIGINT, signal_cb, &env);
	sigterm = evsignal_new(env.base, SIGTERM, signal_cb, &env);
	sighup = evsignal_new(env.base, SIGHUP, sighup_cb, &env);
	evsignal_add(sigint, NULL);
	evsignal_add(sigterm, NULL);
	evsignal_add(sighup, NULL);
	log_info("pmtud %s listening on %s, %u destinations configured",
	    PMTUD_VERSION, running.socket, monitor_count(env.monitor));
	notify_send("READY=1");
	event_base_dispatch(env.base);
	notify_send("STOPPING=1");
	event_free(sigint);
	event_free(sigterm);
	event_free(sighup);
	teardown(&env);
	conf_clear(&running);
	return 0;
}
