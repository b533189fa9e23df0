/* SPDX-License-Identifier: ISC */
/*
 * Alert dispatcher: log, sink, and the alert command.  Commands run as
 * their own process group so a timeout stops everything they started.
 * The event JSON goes into the stdin pipe before fork: it fits the pipe
 * buffer, and the daemon never writes to a pipe whose reader may be gone.
 */
#include <sys/types.h>
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
#include "alert.h"

#define ALERT_MAXRUN		8	/* commands at once */
#define ALERT_MAXQUEUE		256	/* events waiting for a slot */
#define ALERT_TIMEOUT_MS	10000	/* when the caller gives 0 */
#define ALERT_KILL_MS		2000	/* SIGTERM to SIGKILL */
#define ALERT_FREE_WAIT_MS	1000	/* the same in alert_free() */
#define ALERT_NENV		8

extern char	**environ;

static const char *const env_names[ALERT_NENV] = {
	"PMTUD_EVENT", "PMTUD_DESTINATION", "PMTUD_FAMILY", "PMTUD_PMTU",
	"PMTUD_PREVIOUS_PMTU", "PMTUD_HOP", "PMTUD_ADDRESS", "PMTUD_AT",
};

/* An event waiting for a command slot. */
struct alert_event {
	TAILQ_ENTRY(alert_event) entry;
	struct change		 c;
	char			*json;		/* one line, with '\n' */
};

struct alert_child {
	TAILQ_ENTRY(alert_child) entry;
	struct alert		*a;
	pid_t			 pid;
	struct event		*timer;
	uint64_t		 timeout_ms;	/* as it was at the start */
	int			 signalled;	/* 0, SIGTERM or SIGKILL sent */
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

/* snprintf() at the end of buf; a full buffer just stays full. */
static void
append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
append(char *buf, size_t size, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 len = strlen(buf);

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/*
 * "event blackhole_detected: 198.18.3.2 (IPv4) pmtu 1400 hop 1
 * 198.18.1.2"; a PMTU change also says what it was.
 */
static void
alert_log(const struct change *c)
{
	char	 buf[512], abuf[ADDR_STRLEN];

	buf[0] = '\0';
	append(buf, sizeof(buf), "event %s: %s (%s)",
	    change_kind_name(c->kind), c->destination, family_name(c->family));
	if (c->pmtu > 0)
		append(buf, sizeof(buf), " pmtu %d", c->pmtu);
	if (c->kind == CHANGE_PMTU_CHANGED && c->previous_pmtu > 0)
		append(buf, sizeof(buf), " was %d", c->previous_pmtu);
	if (c->hop >= 0)
		append(buf, sizeof(buf), " hop %d", c->hop);
	if (addr_isset(&c->address))
		append(buf, sizeof(buf), " %s",
		    addr_ntop(&c->address, abuf, sizeof(abuf)));
	log_info("%s", buf);
}

static void
alert_event_free(struct alert_event *ev)
{
	free(ev->json);
	free(ev);
}

static void
child_free(struct alert_child *ch)
{
	struct alert	*a = ch->a;

	TAILQ_REMOVE(&a->running, ch, entry);
	a->nrunning--;
	event_free(ch->timer);
	free(ch);
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
env_values(const struct change *c, char *vals[ALERT_NENV])
{
	const char	*v[ALERT_NENV];
	char		 fam[16], pmtu[16], prev[16], hop[16];
	char		 abuf[ADDR_STRLEN], tbuf[32];
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

	v[0] = change_kind_name(c->kind);
	v[1] = c->destination;
	v[2] = fam;
	v[3] = pmtu;
	v[4] = prev;
	v[5] = hop;
	v[6] = abuf;
	v[7] = tbuf;
	for (i = 0; i < ALERT_NENV; i++) {
		if (asprintf(&vals[i], "%s=%s", env_names[i], v[i]) == -1) {
			vals[i] = NULL;
			failed = 1;
		}
	}
	return failed ? -1 : 0;
}

/* Whether environ entry e is one of ours (replaced, not inherited). */
static int
env_ours(const char *e)
{
	size_t	 n;
	int	 i;

	for (i = 0; i < ALERT_NENV; i++) {
		n = strlen(env_names[i]);
		if (strncmp(e, env_names[i], n) == 0 && e[n] == '=')
			return 1;
	}
	return 0;
}

/* The daemon's environment with the event's values in place of ours. */
static char **
env_build(char *vals[ALERT_NENV])
{
	char	**envp;
	size_t	 n = 0, i, j = 0;

	while (environ != NULL && environ[n] != NULL)
		n++;
	if ((envp = calloc(n + ALERT_NENV + 1, sizeof(*envp))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!env_ours(environ[i]))
			envp[j++] = environ[i];
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

static void
child_timeout(evutil_socket_t fd, short events, void *arg)
{
	struct alert_child	*ch = arg;
	struct timeval		 tv;

	(void)fd;
	(void)events;
	if (ch->signalled == 0) {
		log_warnx("alert command for %s: timed out after %llu ms, "
		    "terminating it", ch->what,
		    (unsigned long long)ch->timeout_ms);
		ch->signalled = SIGTERM;
		(void)kill(-ch->pid, SIGTERM);
		ms_to_tv(ALERT_KILL_MS, &tv);
		evtimer_add(ch->timer, &tv);
	} else if (ch->signalled == SIGTERM) {
		log_warnx("alert command for %s: still running, killing it",
		    ch->what);
		ch->signalled = SIGKILL;
		(void)kill(-ch->pid, SIGKILL);
	}
}

/* Starts the command for ev; -1 with a logged reason. */
static int
alert_spawn(struct alert *a, const struct alert_event *ev)
{
	struct alert_child	*ch;
	struct timeval		 tv;
	char			*vals[ALERT_NENV], **envp = NULL;
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
	if ((ch->timer = evtimer_new(a->base, child_timeout, ch)) == NULL) {
		log_warnx("alert command for %s: cannot make a timer",
		    ch->what);
		free(ch);
		return -1;
	}
	if (env_values(&ev->c, vals) == -1 || (envp = env_build(vals)) ==
	    NULL) {
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
	len = strlen(ev->json);
	if ((n = write(p[1], ev->json, len)) == -1)
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
	for (i = 0; i < ALERT_NENV; i++)
		free(vals[i]);
	if (ch != NULL) {
		event_free(ch->timer);
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
		TAILQ_REMOVE(&a->pending, ev, entry);
		a->npending--;
		if (a->command != NULL)
			(void)alert_spawn(a, ev);
		alert_event_free(ev);
	}
}

static void
child_done(struct alert_child *ch, int status)
{
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
	child_free(ch);
}

/* Reaps only our own children: others may have their own reasons. */
static void
alert_reap(struct alert *a)
{
	struct alert_child	*ch, *next;
	pid_t			 pid;
	int			 status;

	for (ch = TAILQ_FIRST(&a->running); ch != NULL; ch = next) {
		next = TAILQ_NEXT(ch, entry);
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

static void
alert_sigchld(evutil_socket_t sig, short events, void *arg)
{
	struct alert	*a = arg;

	(void)sig;
	(void)events;
	alert_reap(a);
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
	struct alert_event	*ev;

	if (alert_set(a, command, timeout_ms) == -1)
		return -1;
	if (a->command == NULL) {
		while ((ev = TAILQ_FIRST(&a->pending)) != NULL) {
			TAILQ_REMOVE(&a->pending, ev, entry);
			alert_event_free(ev);
		}
		if (a->npending > 0)
			log_info("alert command removed: %u queued events "
			    "dropped", a->npending);
		a->npending = 0;
	}
	return 0;
}

void
alert_emit(struct alert *a, const struct change *c)
{
	struct alert_event	*ev, *old;
	json_t			*j;
	char			*s;

	if (change_kind_name(c->kind) == NULL) {
		log_warnx("alerts: event of unknown kind %d", (int)c->kind);
		return;
	}
	alert_log(c);
	if ((j = change_to_json(c)) == NULL) {
		log_warnx("alerts: cannot encode event %s for %s",
		    change_kind_name(c->kind), c->destination);
		return;
	}
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL || (ev = calloc(1, sizeof(*ev))) == NULL) {
		log_warnx("alerts: out of memory");
		free(s);
		return;
	}
	ev->c = *c;
	if (asprintf(&ev->json, "%s\n", s) == -1) {
		log_warnx("alerts: out of memory");
		free(s);
		free(ev);
		return;
	}
	free(s);

	if (a->sink != NULL)
		a->sink(ev->json, a->sink_arg);
	if (a->command == NULL) {
		alert_event_free(ev);
		return;
	}
	if (a->npending >= ALERT_MAXQUEUE) {
		old = TAILQ_FIRST(&a->pending);
		log_warnx("alerts: %u events queued, dropping %s for %s",
		    a->npending, change_kind_name(old->c.kind),
		    old->c.destination);
		TAILQ_REMOVE(&a->pending, old, entry);
		a->npending--;
		alert_event_free(old);
	}
	TAILQ_INSERT_TAIL(&a->pending, ev, entry);
	a->npending++;
	alert_pump(a);
}

/* Blocks, but only at shutdown and at most ALERT_FREE_WAIT_MS. */
void
alert_free(struct alert *a)
{
	struct alert_child	*ch;
	struct alert_event	*ev;
	struct timespec		 ts = { 0, 10 * 1000 * 1000 };
	int			 i;

	if (a == NULL)
		return;
	while ((ev = TAILQ_FIRST(&a->pending)) != NULL) {
		TAILQ_REMOVE(&a->pending, ev, entry);
		alert_event_free(ev);
	}
	a->npending = 0;
	TAILQ_FOREACH(ch, &a->running, entry) {
		ch->signalled = SIGTERM;
		(void)kill(-ch->pid, SIGTERM);
	}
	for (i = 0; i < ALERT_FREE_WAIT_MS / 10 &&
	    !TAILQ_EMPTY(&a->running); i++) {
		alert_reap(a);
		if (!TAILQ_EMPTY(&a->running))
			nanosleep(&ts, NULL);
	}
	while ((ch = TAILQ_FIRST(&a->running)) != NULL) {
		log_warnx("alert command for %s: still running, killing it",
		    ch->what);
		(void)kill(-ch->pid, SIGKILL);
		while (waitpid(ch->pid, NULL, 0) == -1 && errno == EINTR)
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
