/* SPDX-License-Identifier: ISC */
/*
 * Alert dispatcher: log, sink, and the alert command.  Commands run as
 * their own process group so a timeout stops everything they started,
 * and a command holds its slot until that whole group is gone: what it
 * left running in the background still counts against the limit and is
 * killed at the timeout.  Commands get PATH and the event, nothing of
 * the daemon's environment.
 * The event JSON goes into the stdin pipe before fork: it fits the pipe
 * buffer, and the daemon never writes to a pipe whose reader may be gone.
 *
 * Events wait for a command slot in a queue that holds at most one event
 * per destination, family and pair of kinds (black hole, reachability,
 * PMTU): a later one replaces it, keeping the first one's time and
 * previous PMTU.  So a flapping destination cannot fill the queue, and a
 * state event is never dropped; only pmtu_changed events beyond
 * ALERT_MAXMINOR (distinct destinations) push out the oldest of theirs.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "change.h"
#include "log.h"
#include "pmtud.h"
#include "text.h"
#include "alert.h"

#define ALERT_MAXRUN		8	/* commands at once */
#define ALERT_MAXMINOR		256	/* pmtu_changed events waiting */
#define ALERT_NBUCKETS		1024	/* queued events by destination */
#define ALERT_LOG_MS		10000	/* coalescing logged this often */
#define ALERT_TIMEOUT_MS	10000	/* when the caller gives 0 */
#define ALERT_KILL_MS		2000	/* SIGTERM to SIGKILL */
#define ALERT_FREE_WAIT_MS	1000	/* the same in alert_free() */
#define ALERT_POLL_MS		100	/* first look for a group's end */
#define ALERT_POLL_MAX_MS	1000	/* and the longest between looks */
#define ALERT_NENV		10
#define ALERT_PATH		"PATH=/usr/sbin:/usr/bin:/sbin:/bin"

static const char *const env_names[ALERT_NENV] = {
	"PMTUD_EVENT", "PMTUD_DESTINATION", "PMTUD_FAMILY", "PMTUD_PMTU",
	"PMTUD_PREVIOUS_PMTU", "PMTUD_HOP", "PMTUD_ADDRESS", "PMTUD_AT",
	"PMTUD_FIRST_AT", "PMTUD_CONFIRMED",
};

/* Kinds that replace each other in the queue. */
enum alert_pair {
	ALERT_PAIR_BLACKHOLE,	/* blackhole_detected, blackhole_cleared */
	ALERT_PAIR_REACH,	/* unreachable, reachable */
	ALERT_PAIR_PMTU,	/* pmtu_changed */
};

/* An event waiting for a command slot. */
struct alert_event {
	TAILQ_ENTRY(alert_event) entry;
	LIST_ENTRY(alert_event)	 hentry;	/* in its hash bucket */
	struct change		 c;
	int64_t			 first_at_ms;	/* of the first it replaced */
	unsigned		 hash;
};

/*
 * A running command: its shell (pid, also the process group's id) and,
 * once the shell is reaped, whatever is left in the group.
 */
struct alert_child {
	TAILQ_ENTRY(alert_child) entry;
	struct alert		*a;
	pid_t			 pid;
	struct event		*timer;
	struct event		*poll;		/* the group after the shell */
	uint64_t		 timeout_ms;	/* as it was at the start */
	unsigned		 poll_ms;
	int			 signalled;	/* 0, SIGTERM or SIGKILL sent */
	int			 reaped;	/* the shell is gone */
	char			 what[300];	/* "kind destination", for logs */
};

struct alert {
	struct event_base	*base;
	char			*command;	/* NULL: none */
	uint64_t		 timeout_ms;
	alert_sink_cb		 sink;
	void			*sink_arg;
	struct event		*sigchld;
	TAILQ_HEAD(, alert_child) running;
	unsigned		 nrunning;
	TAILQ_HEAD(alert_event_q, alert_event) pending;
	unsigned		 npending;
	unsigned		 nminor;	/* pmtu_changed among them */
	LIST_HEAD(, alert_event) buckets[ALERT_NBUCKETS];
	uint64_t		 ncoalesced;
	struct log_limit	 coalesce_log;
	struct log_limit	 drop_log;
};

static void	 alert_pump(struct alert *);

static void
ms_to_tv(uint64_t ms, struct timeval *tv)
{
	tv->tv_sec = (time_t)(ms / 1000);
	tv->tv_usec = (suseconds_t)(ms % 1000) * 1000;
}

static const char *
family_name(int family)
{
	switch (addr_family_num(family)) {
	case 4:
		return "IPv4";
	case 6:
		return "IPv6";
	default:
		return "IP";
	}
}

/*
 * "event blackhole_detected: 198.18.3.2 (IPv4) pmtu 1400 hop 1
 * 198.18.1.2"; a PMTU change also says what it was.
 */
static void
alert_log(const struct change *c)
{
	char	 buf[512], abuf[ADDR_STRLEN];
	size_t	 off = 0;

	buf[0] = '\0';
	text_append(buf, sizeof(buf), &off, "event %s: %s (%s)",
	    change_kind_name(c->kind), c->destination, family_name(c->family));
	if (c->pmtu > 0)
		text_append(buf, sizeof(buf), &off, " pmtu %d", c->pmtu);
	if (c->kind == CHANGE_PMTU_CHANGED && c->previous_pmtu > 0)
		text_append(buf, sizeof(buf), &off, " was %d",
		    c->previous_pmtu);
	if (c->hop >= 0)
		text_append(buf, sizeof(buf), &off, " hop %d", c->hop);
	if (addr_isset(&c->address))
		text_append(buf, sizeof(buf), &off, " %s",
		    addr_ntop(&c->address, abuf, sizeof(abuf)));
	if (c->confirmed)
		text_append(buf, sizeof(buf), &off, " (confirmed)");
	log_info("%s", buf);
}

/* The event as one JSON line with '\n'; NULL if it cannot be encoded. */
static char *
event_line(const struct change *c, int64_t first_at_ms)
{
	json_t	*j, *first;
	char	 tbuf[32], *s, *line;

	if ((j = change_to_json(c)) == NULL)
		return NULL;
	if (first_at_ms < 0)
		first = json_null();
	else if (result_time_format(first_at_ms, tbuf, sizeof(tbuf)) == -1)
		first = NULL;
	else
		first = json_string(tbuf);
	if (first == NULL || json_object_set_new(j, "first_at", first) == -1) {
		json_decref(j);
		return NULL;
	}
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL || asprintf(&line, "%s\n", s) == -1)
		line = NULL;
	free(s);
	return line;
}

static enum alert_pair
event_pair(enum change_kind k)
{
	switch (k) {
	case CHANGE_BLACKHOLE_DETECTED:
	case CHANGE_BLACKHOLE_CLEARED:
	case CHANGE_PARTIAL_BLACKHOLE:
		return ALERT_PAIR_BLACKHOLE;
	case CHANGE_PMTU_CHANGED:
	case CHANGE_MULTIPATH_MTU_DIFFERS:
		return ALERT_PAIR_PMTU;
	default:
		return ALERT_PAIR_REACH;
	}
}

/* FNV-1a over what makes two events replace each other. */
static unsigned
event_hash(const struct change *c)
{
	const unsigned char	*p;
	uint32_t		 h = 2166136261U;

	for (p = (const unsigned char *)c->destination; *p != '\0'; p++)
		h = (h ^ *p) * 16777619U;
	h = (h ^ (unsigned)c->family) * 16777619U;
	h = (h ^ (unsigned)event_pair(c->kind)) * 16777619U;
	return h;
}

static struct alert_event *
pending_find(struct alert *a, const struct change *c, unsigned hash)
{
	struct alert_event	*ev;

	LIST_FOREACH(ev, &a->buckets[hash % ALERT_NBUCKETS], hentry) {
		if (ev->hash == hash && ev->c.family == c->family &&
		    event_pair(ev->c.kind) == event_pair(c->kind) &&
		    strcmp(ev->c.destination, c->destination) == 0)
			return ev;
	}
	return NULL;
}

/* Takes ev off the queue; the caller frees it. */
static void
pending_remove(struct alert *a, struct alert_event *ev)
{
	TAILQ_REMOVE(&a->pending, ev, entry);
	LIST_REMOVE(ev, hentry);
	a->npending--;
	if (event_pair(ev->c.kind) == ALERT_PAIR_PMTU)
		a->nminor--;
}

static void
pending_clear(struct alert *a)
{
	struct alert_event	*ev;

	while ((ev = TAILQ_FIRST(&a->pending)) != NULL) {
		pending_remove(a, ev);
		free(ev);
	}
}

static void
child_free(struct alert_child *ch)
{
	struct alert	*a = ch->a;

	TAILQ_REMOVE(&a->running, ch, entry);
	a->nrunning--;
	event_free(ch->timer);
	event_free(ch->poll);
	free(ch);
}

/*
 * Whether anything of the command's process group is left, once its
 * shell is reaped (before, this would reap the shell).  What the group
 * left orphaned is ours to reap (we are its subreaper), so its zombies
 * do not count: reaped here, they are gone.
 */
static int
group_alive(const struct alert_child *ch)
{
	while (waitpid(-ch->pid, NULL, WNOHANG) > 0)
		;
	return kill(-ch->pid, 0) == 0 || errno != ESRCH;
}

static void
env_int(char *buf, size_t len, int v, int known)
{
	if (known)
		snprintf(buf, len, "%d", v);
	else
		buf[0] = '\0';
}

/* "PMTUD_EVENT=..." and the rest, "" for null; -1 out of memory. */
static int
env_values(const struct change *c, int64_t first_at_ms,
    char *vals[ALERT_NENV])
{
	const char	*v[ALERT_NENV];
	char		 fam[16], pmtu[16], prev[16], hop[16];
	char		 abuf[ADDR_STRLEN], tbuf[32], fbuf[32];
	int		 i, failed = 0;

	env_int(fam, sizeof(fam), addr_family_num(c->family),
	    addr_family_num(c->family) != 0);
	env_int(pmtu, sizeof(pmtu), c->pmtu, c->pmtu > 0);
	env_int(prev, sizeof(prev), c->previous_pmtu, c->previous_pmtu > 0);
	env_int(hop, sizeof(hop), c->hop, c->hop >= 0);
	abuf[0] = '\0';
	if (addr_isset(&c->address))
		addr_ntop(&c->address, abuf, sizeof(abuf));
	if (c->at_ms < 0 ||
	    result_time_format(c->at_ms, tbuf, sizeof(tbuf)) == -1)
		tbuf[0] = '\0';
	if (first_at_ms < 0 ||
	    result_time_format(first_at_ms, fbuf, sizeof(fbuf)) == -1)
		fbuf[0] = '\0';

	v[0] = change_kind_name(c->kind);
	v[1] = c->destination;
	v[2] = fam;
	v[3] = pmtu;
	v[4] = prev;
	v[5] = hop;
	v[6] = abuf;
	v[7] = tbuf;
	v[8] = fbuf;
	v[9] = c->confirmed ? "true" : "false";
	for (i = 0; i < ALERT_NENV; i++) {
		if (asprintf(&vals[i], "%s=%s", env_names[i], v[i]) == -1) {
			vals[i] = NULL;
			failed = 1;
		}
	}
	return failed ? -1 : 0;
}

/*
 * PATH and the event: nothing of the daemon's own environment, which is
 * not the command's business (and may hold secrets or loader settings).
 */
static char **
env_build(char *vals[ALERT_NENV])
{
	char	**envp;
	size_t	 i, j = 0;

	if ((envp = calloc(ALERT_NENV + 2, sizeof(*envp))) == NULL)
		return NULL;
	envp[j++] = (char *)ALERT_PATH;
	for (i = 0; i < ALERT_NENV; i++)
		envp[j++] = vals[i];
	envp[j] = NULL;
	return envp;
}

/* After fork: only async-signal-safe calls from here on. */
static void __attribute__((noreturn))
child_exec(int in, const char *command, char **envp, int maxfd)
{
	struct sigaction	 sa;
	sigset_t		 none;
	char			*argv[4];
	int			 sig, fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);	/* some cannot: fine */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)setpgid(0, 0);

	if (in == STDIN_FILENO) {
		if (fcntl(in, F_SETFD, 0) == -1)
			_exit(127);
	} else if (dup2(in, STDIN_FILENO) == -1)
		_exit(127);
	if (close_range(3, ~0U, 0) == -1)
		for (fd = 3; fd < maxfd; fd++)
			(void)close(fd);

	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = (char *)command;
	argv[3] = NULL;
	execve("/bin/sh", argv, envp);
	_exit(127);
}

/* The slot is free again: the next event may run. */
static void
child_release(struct alert_child *ch)
{
	struct alert	*a = ch->a;

	child_free(ch);
	alert_pump(a);
}

/*
 * The whole group, whether or not the shell is still there: SIGTERM,
 * then SIGKILL, after which the slot is free whatever is left (a
 * process stuck in the kernel, or a zombie nobody reaps).
 */
static void
child_timeout(evutil_socket_t fd, short events, void *arg)
{
	struct alert_child	*ch = arg;
	struct timeval		 tv;

	(void)fd;
	(void)events;
	if (ch->signalled == 0) {
		log_warnx("alert command for %s: timed out after %llu ms, "
		    "terminating it%s", ch->what,
		    (unsigned long long)ch->timeout_ms,
		    ch->reaped ? " (what it left running)" : "");
		ch->signalled = SIGTERM;
		(void)kill(-ch->pid, SIGTERM);
		ms_to_tv(ALERT_KILL_MS, &tv);
		evtimer_add(ch->timer, &tv);
	} else if (ch->signalled == SIGTERM) {
		log_warnx("alert command for %s: still running, killing it",
		    ch->what);
		ch->signalled = SIGKILL;
		(void)kill(-ch->pid, SIGKILL);
		if (ch->reaped)
			child_release(ch);
	}
}

/* The shell is gone; looks again until the rest of its group is too. */
static void
child_poll(evutil_socket_t fd, short events, void *arg)
{
	struct alert_child	*ch = arg;
	struct timeval		 tv;

	(void)fd;
	(void)events;
	if (!group_alive(ch)) {
		child_release(ch);
		return;
	}
	ch->poll_ms = ch->poll_ms * 2 < ALERT_POLL_MAX_MS ? ch->poll_ms * 2 :
	    ALERT_POLL_MAX_MS;
	ms_to_tv(ch->poll_ms, &tv);
	evtimer_add(ch->poll, &tv);
}

/* Starts the command for ev; -1 with a logged reason. */
static int
alert_spawn(struct alert *a, const struct alert_event *ev)
{
	struct alert_child	*ch;
	struct timeval		 tv;
	char			*vals[ALERT_NENV], **envp = NULL, *json = NULL;
	size_t			 len;
	ssize_t			 n;
	long			 maxfd;
	int			 p[2] = { -1, -1 }, i, rc = -1;

	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		log_warn("alert command");
		return -1;
	}
	ch->a = a;
	snprintf(ch->what, sizeof(ch->what), "%s %s",
	    change_kind_name(ev->c.kind), ev->c.destination);
	if ((ch->timer = evtimer_new(a->base, child_timeout, ch)) == NULL ||
	    (ch->poll = evtimer_new(a->base, child_poll, ch)) == NULL) {
		log_warnx("alert command for %s: cannot make a timer",
		    ch->what);
		if (ch->timer != NULL)
			event_free(ch->timer);
		free(ch);
		return -1;
	}
	if (env_values(&ev->c, ev->first_at_ms, vals) == -1 ||
	    (envp = env_build(vals)) == NULL ||
	    (json = event_line(&ev->c, ev->first_at_ms)) == NULL) {
		log_warnx("alert command for %s: out of memory", ch->what);
		goto out;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		log_warn("alert command for %s: pipe", ch->what);
		goto out;
	}
	/* Non-blocking on our end only: the command's stdin blocks. */
	if (fcntl(p[1], F_SETFL, O_NONBLOCK) == -1) {
		log_warn("alert command for %s: fcntl", ch->what);
		goto out;
	}
	len = strlen(json);
	if ((n = write(p[1], json, len)) == -1)
		log_warn("alert command for %s: writing its input", ch->what);
	else if ((size_t)n < len)
		log_warnx("alert command for %s: input cut to %zd of %zu "
		    "bytes", ch->what, n, len);
	close(p[1]);
	p[1] = -1;
	if ((maxfd = sysconf(_SC_OPEN_MAX)) < 0 || maxfd > 65536)
		maxfd = 65536;

	switch (ch->pid = fork()) {
	case -1:
		log_warn("alert command for %s: fork", ch->what);
		goto out;
	case 0:
		child_exec(p[0], a->command, envp, (int)maxfd);
	default:
		break;
	}
	(void)setpgid(ch->pid, ch->pid);	/* whoever is first wins */
	log_debug("alert command for %s: pid %ld", ch->what, (long)ch->pid);
	ch->timeout_ms = a->timeout_ms;
	ms_to_tv(ch->timeout_ms, &tv);
	evtimer_add(ch->timer, &tv);
	TAILQ_INSERT_TAIL(&a->running, ch, entry);
	a->nrunning++;
	ch = NULL;
	rc = 0;
out:
	if (p[0] != -1)
		close(p[0]);
	if (p[1] != -1)
		close(p[1]);
	free(envp);
	free(json);
	for (i = 0; i < ALERT_NENV; i++)
		free(vals[i]);
	if (ch != NULL) {
		event_free(ch->timer);
		event_free(ch->poll);
		free(ch);
	}
	return rc;
}

/* Starts queued events while there are free slots. */
static void
alert_pump(struct alert *a)
{
	struct alert_event	*ev;

	while (a->nrunning < ALERT_MAXRUN &&
	    (ev = TAILQ_FIRST(&a->pending)) != NULL) {
		pending_remove(a, ev);
		if (a->command != NULL)
			(void)alert_spawn(a, ev);
		free(ev);
	}
}

/* The shell exited: its status, then the slot or a wait for the rest. */
static void
child_done(struct alert_child *ch, int status)
{
	struct timeval	 tv;

	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) != 0)
			log_warnx("alert command for %s: exit status %d",
			    ch->what, WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == ch->signalled)
			log_debug("alert command for %s: stopped by signal %d",
			    ch->what, WTERMSIG(status));
		else
			log_warnx("alert command for %s: killed by signal %d",
			    ch->what, WTERMSIG(status));
	}
	ch->reaped = 1;
	if (ch->signalled == SIGKILL || !group_alive(ch)) {
		child_free(ch);
		return;
	}
	log_debug("alert command for %s: exited, but left processes "
	    "running; they hold its slot", ch->what);
	ch->poll_ms = ALERT_POLL_MS;
	ms_to_tv(ch->poll_ms, &tv);
	evtimer_add(ch->poll, &tv);
}

/* The shells of the commands we run, with their exit status. */
static void
alert_reap(struct alert *a)
{
	struct alert_child	*ch, *next;
	pid_t			 pid;
	int			 status;

	for (ch = TAILQ_FIRST(&a->running); ch != NULL; ch = next) {
		next = TAILQ_NEXT(ch, entry);
		if (ch->reaped)
			continue;
		do
			pid = waitpid(ch->pid, &status, WNOHANG);
		while (pid == -1 && errno == EINTR);
		if (pid == ch->pid)
			child_done(ch, status);
		else if (pid == -1) {
			/* Someone else reaped it; it is gone all the same. */
			log_warn("alert command for %s: waitpid", ch->what);
			child_free(ch);
		}
	}
}

/*
 * What commands left behind ends up our child (we are its subreaper):
 * once it has exited, it is reaped here unless it is a shell we track,
 * whose exit status alert_reap() reads.  The daemon has no children of
 * its own reasons besides the commands.
 */
static void
alert_reap_orphans(struct alert *a)
{
	struct alert_child	*ch;
	siginfo_t		 si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1 ||
		    si.si_pid == 0)
			return;
		TAILQ_FOREACH(ch, &a->running, entry)
			if (!ch->reaped && ch->pid == si.si_pid)
				return;		/* next SIGCHLD */
		(void)waitpid(si.si_pid, NULL, WNOHANG);
	}
}

/* Groups whose shell is gone: the slot is free once the rest is too. */
static void
alert_reap_groups(struct alert *a)
{
	struct alert_child	*ch, *next;

	for (ch = TAILQ_FIRST(&a->running); ch != NULL; ch = next) {
		next = TAILQ_NEXT(ch, entry);
		if (ch->reaped && !group_alive(ch))
			child_free(ch);
	}
}

static void
alert_sigchld(evutil_socket_t sig, short events, void *arg)
{
	struct alert	*a = arg;

	(void)sig;
	(void)events;
	alert_reap(a);
	alert_reap_groups(a);
	alert_reap_orphans(a);
	alert_pump(a);
}

static int
alert_set(struct alert *a, const char *command, uint64_t timeout_ms)
{
	char	*copy = NULL;

	if (command != NULL && command[0] != '\0' &&
	    (copy = strdup(command)) == NULL) {
		log_warn("alert command");
		return -1;
	}
	free(a->command);
	a->command = copy;
	a->timeout_ms = timeout_ms != 0 ? timeout_ms : ALERT_TIMEOUT_MS;
	return 0;
}

struct alert *
alert_new(struct event_base *base, const char *command, uint64_t timeout_ms)
{
	struct alert	*a;
	int		 i;

	if (base == NULL) {
		log_warnx("alerts: no event base");
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		log_warn("alerts");
		return NULL;
	}
	a->base = base;
	TAILQ_INIT(&a->running);
	TAILQ_INIT(&a->pending);
	for (i = 0; i < ALERT_NBUCKETS; i++)
		LIST_INIT(&a->buckets[i]);
	a->coalesce_log = (struct log_limit)LOG_LIMIT_INIT(ALERT_LOG_MS);
	a->drop_log = (struct log_limit)LOG_LIMIT_INIT(ALERT_LOG_MS);
	if (alert_set(a, command, timeout_ms) == -1) {
		free(a);
		return NULL;
	}
	if ((a->sigchld = evsignal_new(base, SIGCHLD, alert_sigchld, a)) ==
	    NULL || evsignal_add(a->sigchld, NULL) == -1) {
		log_warnx("alerts: cannot watch SIGCHLD");
		if (a->sigchld != NULL)
			event_free(a->sigchld);
		free(a->command);
		free(a);
		return NULL;
	}
	/* What commands leave running is reparented here, not to init. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("alerts: cannot reap what commands leave behind");
	return a;
}

void
alert_set_sink(struct alert *a, alert_sink_cb cb, void *arg)
{
	a->sink = cb;
	a->sink_arg = arg;
}

int
alert_set_command(struct alert *a, const char *command, uint64_t timeout_ms)
{
	unsigned	 n;

	if (alert_set(a, command, timeout_ms) == -1)
		return -1;
	if (a->command == NULL && (n = a->npending) > 0) {
		pending_clear(a);
		log_info("alert command removed: %u queued events dropped", n);
	}
	return 0;
}

/*
 * ev, queued, and c are the same destination, family and pair: c's
 * news replaces ev's, but the first time and the PMTU before it stay.
 */
static void
alert_coalesce(struct alert *a, struct alert_event *ev,
    const struct change *c)
{
	int	 prev = ev->c.previous_pmtu;

	a->ncoalesced++;
	log_info_limited(&a->coalesce_log, clock_mono_ms(),
	    "alerts: %u events queued; %s for %s (%s) replaces the queued "
	    "%s (%llu coalesced so far)", a->npending,
	    change_kind_name(c->kind), c->destination, family_name(c->family),
	    change_kind_name(ev->c.kind), (unsigned long long)a->ncoalesced);
	ev->c = *c;
	ev->c.previous_pmtu = prev;
}

/* A pmtu_changed for yet another destination: the oldest one goes. */
static void
alert_drop_minor(struct alert *a)
{
	struct alert_event	*ev;

	TAILQ_FOREACH(ev, &a->pending, entry)
		if (event_pair(ev->c.kind) == ALERT_PAIR_PMTU)
			break;
	if (ev == NULL)
		return;
	log_warnx_limited(&a->drop_log, clock_mono_ms(),
	    "alerts: %u pmtu_changed events queued, dropping the one for %s "
	    "(%s)", a->nminor, ev->c.destination, family_name(ev->c.family));
	pending_remove(a, ev);
	free(ev);
}

/* Queues c, or folds it into the queued event it replaces. */
static void
alert_enqueue(struct alert *a, const struct change *c)
{
	struct alert_event	*ev;
	unsigned		 hash = event_hash(c);

	if ((ev = pending_find(a, c, hash)) != NULL) {
		alert_coalesce(a, ev, c);
		return;
	}
	if (event_pair(c->kind) == ALERT_PAIR_PMTU &&
	    a->nminor >= ALERT_MAXMINOR)
		alert_drop_minor(a);
	if ((ev = calloc(1, sizeof(*ev))) == NULL) {
		log_warnx("alerts: out of memory; %s for %s not passed to "
		    "the command", change_kind_name(c->kind), c->destination);
		return;
	}
	ev->c = *c;
	ev->first_at_ms = c->at_ms;
	ev->hash = hash;
	TAILQ_INSERT_TAIL(&a->pending, ev, entry);
	LIST_INSERT_HEAD(&a->buckets[hash % ALERT_NBUCKETS], ev, hentry);
	a->npending++;
	if (event_pair(c->kind) == ALERT_PAIR_PMTU)
		a->nminor++;
}

void
alert_emit(struct alert *a, const struct change *c)
{
	char	*line;

	if (change_kind_name(c->kind) == NULL) {
		log_warnx("alerts: event of unknown kind %d", (int)c->kind);
		return;
	}
	alert_log(c);
	/* What cannot be encoded now could not be later either. */
	if ((line = event_line(c, c->at_ms)) == NULL) {
		log_warnx("alerts: cannot encode event %s for %s",
		    change_kind_name(c->kind), c->destination);
		return;
	}
	if (a->sink != NULL)
		a->sink(line, a->sink_arg);
	free(line);
	if (a->command == NULL)
		return;
	alert_enqueue(a, c);
	alert_pump(a);
}

/* Blocks, but only at shutdown and at most ALERT_FREE_WAIT_MS. */
void
alert_free(struct alert *a)
{
	struct alert_child	*ch;
	struct timespec		 ts = { 0, 10 * 1000 * 1000 };
	int			 i;

	if (a == NULL)
		return;
	pending_clear(a);
	TAILQ_FOREACH(ch, &a->running, entry) {
		ch->signalled = SIGTERM;
		(void)kill(-ch->pid, SIGTERM);
	}
	for (i = 0; i < ALERT_FREE_WAIT_MS / 10 &&
	    !TAILQ_EMPTY(&a->running); i++) {
		alert_reap(a);
		alert_reap_groups(a);
		alert_reap_orphans(a);
		if (!TAILQ_EMPTY(&a->running))
			nanosleep(&ts, NULL);
	}
	while ((ch = TAILQ_FIRST(&a->running)) != NULL) {
		log_warnx("alert command for %s: still running, killing it",
		    ch->what);
		(void)kill(-ch->pid, SIGKILL);
		while (!ch->reaped && waitpid(ch->pid, NULL, 0) == -1 &&
		    errno == EINTR)
			;
		child_free(ch);
	}
	event_free(a->sigchld);
	free(a->command);
	free(a);
}

unsigned
alert_running(const struct alert *a)
{
	return a->nrunning;
}

uint64_t
alert_coalesced(const struct alert *a)
{
	return a->ncoalesced;
}
