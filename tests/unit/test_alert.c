/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for daemon/alert.c, included whole (unit tests link only
 * lib/) so the tests can also look at its queue.  Commands really run,
 * under a real event base; every loop is bounded by a deadline timer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>

#include "../../daemon/alert.c"
#include "../../daemon/clock.c"

#define T_2026		1795418629123LL	/* 2026-11-23T07:23:49.123Z */
#define MARK_FD		47		/* an fd the command must not get */

static struct event_base	*base;
static char			 dir[64];
static int			 saved_stderr = -1;

/* Test helpers. */

static struct change
mk(enum change_kind k, const char *dest, int fam, int pmtu, int prev,
    int hop, const char *address, int64_t at)
{
	struct change	 c;

	memset(&c, 0, sizeof(c));
	c.kind = k;
	snprintf(c.destination, sizeof(c.destination), "%s", dest);
	c.family = fam;
	c.pmtu = pmtu;
	c.previous_pmtu = prev;
	c.hop = hop;
	if (address != NULL)
		assert_int_equal(addr_parse(&c.address, address), 0);
	c.at_ms = at;
	return c;
}

static char *
path(const char *name)
{
	static char	 buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static int
exists(const char *name)
{
	return access(path(name), F_OK) == 0;
}

/* The whole file, NUL-terminated; NULL if it is missing. */
static char *
slurp(const char *name)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path(name), "r")) == NULL)
		return NULL;
	buf = calloc(1, 65536);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
assert_file(const char *name, const char *want)
{
	char	*got = slurp(name);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/*
 * The command's SigBlk and SigIgn: nothing blocked or ignored among the
 * standard signals 1-31.  Signals 32 and 33 are glibc's own (threads,
 * setxid): sigaction() refuses them, so whatever the test runner left
 * ignored there is inherited and is not the daemon's to reset.
 */
static void
assert_standard_signals_clean(const char *name)
{
	unsigned long long	 blk, ign;
	char			*got = slurp(name);

	assert_non_null(got);
	assert_int_equal(sscanf(got, "SigBlk:\t%llx\nSigIgn:\t%llx\n", &blk,
	    &ign), 2);
	assert_int_equal(blk & 0x7fffffffULL, 0);
	assert_int_equal(ign & 0x7fffffffULL, 0);
	free(got);
}

/* Log lines (stderr) go to dir/log until capture_end(). */
static void
capture_start(void)
{
	int	 fd;

	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr != -1);
	fd = open(path("log"), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
	    O_CLOEXEC, 0600);
	assert_true(fd != -1);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

static char *
capture_end(void)
{
	fflush(stderr);
	assert_int_equal(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	return slurp("log");
}

static unsigned
count_lines(const char *s, const char *needle)
{
	unsigned	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Running the loop until a condition holds, or a deadline. */

struct waiter {
	struct alert	*a;
	int		(*done)(struct alert *);
	unsigned	 max_running;
	int		 expired;
};

static int
idle(struct alert *a)
{
	return a->nrunning == 0 && a->npending == 0;
}

static void
tick_cb(evutil_socket_t fd, short events, void *arg)
{
	struct waiter	*w = arg;

	(void)fd;
	(void)events;
	if (w->a->nrunning > w->max_running)
		w->max_running = w->a->nrunning;
	if (w->done(w->a))
		event_base_loopbreak(base);
}

static void
deadline_cb(evutil_socket_t fd, short events, void *arg)
{
	struct waiter	*w = arg;

	(void)fd;
	(void)events;
	w->expired = 1;
	event_base_loopbreak(base);
}

/* Runs the loop until done(a) or deadline_ms; returns the waiter. */
static struct waiter
run(struct alert *a, int (*done)(struct alert *), unsigned deadline_ms)
{
	struct waiter	 w = { a, done, a->nrunning, 0 };
	struct event	*tick, *deadline;
	struct timeval	 tv;

	tick = event_new(base, -1, EV_PERSIST, tick_cb, &w);
	deadline = evtimer_new(base, deadline_cb, &w);
	assert_non_null(tick);
	assert_non_null(deadline);
	ms_to_tv(5, &tv);
	event_add(tick, &tv);
	ms_to_tv(deadline_ms, &tv);
	evtimer_add(deadline, &tv);
	event_base_dispatch(base);
	event_free(tick);
	event_free(deadline);
	return w;
}

static void
run_idle(struct alert *a, unsigned deadline_ms)
{
	struct waiter	 w = run(a, idle, deadline_ms);

	assert_false(w.expired);
	assert_true(w.max_running <= ALERT_MAXRUN);
	assert_int_equal(alert_running(a), 0);
}

/* The sink: keeps what it is given. */

struct sunk {
	unsigned	 n;
	char		 lines[4][512];
};

static void
sink_cb(const char *line, void *arg)
{
	struct sunk	*s = arg;

	if (s->n < 4)
		snprintf(s->lines[s->n], sizeof(s->lines[0]), "%s", line);
	s->n++;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_alert.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	if ((base = event_base_new()) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	DIR		*d;
	struct dirent	*de;

	(void)state;
	if (saved_stderr != -1)
		(void)capture_end();
	event_base_free(base);
	base = NULL;
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				unlink(path(de->d_name));
		closedir(d);
	}
	rmdir(dir);
	return 0;
}

static const char detected_json[] =
    "{\"event\":\"blackhole_detected\",\"destination\":\"198.18.3.2\","
    "\"family\":4,\"pmtu\":1400,\"previous_pmtu\":1500,\"hop\":1,"
    "\"address\":\"198.18.1.2\",\"at\":\"2026-11-23T07:23:49.123Z\","
    "\"first_at\":\"2026-11-23T07:23:49.123Z\"}\n";

/*
 * The shell reads its own signal masks with builtins only: a child it
 * forks could catch it blocking every signal around that fork.
 *
 * The command's environment and stdin, exactly: PATH and the event's
 * PMTUD_* values, nothing of the daemon's environment (stale PMTUD_*
 * values or others); signals and file descriptors do not leak into it.
 */
static void
test_env_and_stdin(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[1024], *log;
	sigset_t	 usr1, old;
	int		 fd;

	(void)state;
	snprintf(cmd, sizeof(cmd),
	    "env | grep '^PMTUD_' | LC_ALL=C sort > %s/env; "
	    "env | grep -v -e '^PMTUD_' -e '^PWD=' | LC_ALL=C sort "
	    "> %s/others; "
	    "cat > %s/stdin; "
	    "while IFS= read -r l; do case $l in Sig[BI]*) echo \"$l\";; "
	    "esac; done < /proc/$$/status > %s/sig; "
	    "if [ -e /proc/$$/fd/%d ]; then echo open; else echo closed; fi "
	    "> %s/fd", dir, dir, dir, dir, MARK_FD, dir);
	assert_int_equal(setenv("PMTUD_HOP", "stale", 1), 0);
	assert_int_equal(setenv("PMTUD_INHERITED", "yes", 1), 0);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);	/* as the daemon does */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	fd = open("/dev/null", O_RDONLY);
	assert_int_equal(dup2(fd, MARK_FD), MARK_FD);	/* no CLOEXEC */
	close(fd);

	a = alert_new(base, cmd, 5000);
	assert_non_null(a);
	c = mk(CHANGE_BLACKHOLE_DETECTED, "198.18.3.2", AF_INET, 1400, 1500,
	    1, "198.18.1.2", T_2026);
	capture_start();
	alert_emit(a, &c);
	assert_int_equal(alert_running(a), 1);
	run_idle(a, 5000);
	log = capture_end();

	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	close(MARK_FD);
	unsetenv("PMTUD_HOP");
	unsetenv("PMTUD_INHERITED");

	assert_file("env",
	    "PMTUD_ADDRESS=198.18.1.2\n"
	    "PMTUD_AT=2026-11-23T07:23:49.123Z\n"
	    "PMTUD_DESTINATION=198.18.3.2\n"
	    "PMTUD_EVENT=blackhole_detected\n"
	    "PMTUD_FAMILY=4\n"
	    "PMTUD_FIRST_AT=2026-11-23T07:23:49.123Z\n"
	    "PMTUD_HOP=1\n"
	    "PMTUD_PMTU=1400\n"
	    "PMTUD_PREVIOUS_PMTU=1500\n");
	/* Only PATH (and PWD, which the shell sets itself). */
	assert_file("others", "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n");
	assert_file("stdin", detected_json);
	assert_standard_signals_clean("sig");
	assert_file("fd", "closed\n");
	assert_non_null(log);
	assert_string_equal(log, "event blackhole_detected: 198.18.3.2 "
	    "(IPv4) pmtu 1400 hop 1 198.18.1.2\n");
	free(log);
	alert_free(a);
}

/* Nulls are empty strings; a failing command is logged. */
static void
test_env_nulls_and_exit_status(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[512], *log;

	(void)state;
	snprintf(cmd, sizeof(cmd), "env | grep '^PMTUD_' | LC_ALL=C sort "
	    "> %s/env; cat > %s/stdin; exit 3", dir, dir);
	a = alert_new(base, cmd, 0);
	assert_non_null(a);
	assert_int_equal(a->timeout_ms, ALERT_TIMEOUT_MS);
	c = mk(CHANGE_UNREACHABLE, "v6.example", AF_INET6, 0, -1, -1, NULL,
	    -1);
	capture_start();
	alert_emit(a, &c);
	run_idle(a, 5000);
	log = capture_end();

	assert_file("env",
	    "PMTUD_ADDRESS=\n"
	    "PMTUD_AT=\n"
	    "PMTUD_DESTINATION=v6.example\n"
	    "PMTUD_EVENT=unreachable\n"
	    "PMTUD_FAMILY=6\n"
	    "PMTUD_FIRST_AT=\n"
	    "PMTUD_HOP=\n"
	    "PMTUD_PMTU=\n"
	    "PMTUD_PREVIOUS_PMTU=\n");
	assert_file("stdin", "{\"event\":\"unreachable\","
	    "\"destination\":\"v6.example\",\"family\":6,\"pmtu\":null,"
	    "\"previous_pmtu\":null,\"hop\":null,\"address\":null,"
	    "\"at\":null,\"first_at\":null}\n");
	assert_string_equal(log, "event unreachable: v6.example (IPv6)\n"
	    "alert command for unreachable v6.example: exit status 3\n");
	free(log);
	alert_free(a);
}

static int
never(struct alert *a)
{
	(void)a;
	return 0;
}

/*
 * Past its timeout a command is terminated, with what it started in the
 * background: neither goes on to touch its marker.
 */
static void
test_timeout(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[512], *log;

	(void)state;
	snprintf(cmd, sizeof(cmd), "(sleep 1; touch %s/marker2) & "
	    "sleep 5; touch %s/marker", dir, dir);
	a = alert_new(base, cmd, 200);
	assert_non_null(a);
	c = mk(CHANGE_PMTU_CHANGED, "gw.example", AF_INET, 1400, 1500, -1,
	    NULL, T_2026);
	capture_start();
	alert_emit(a, &c);
	assert_int_equal(alert_running(a), 1);
	run_idle(a, 4000);
	/* long enough for the background part to have finished */
	assert_true(run(a, never, 1500).expired);
	log = capture_end();

	assert_false(exists("marker"));
	assert_false(exists("marker2"));
	assert_string_equal(log,
	    "event pmtu_changed: gw.example (IPv4) pmtu 1400 was 1500\n"
	    "alert command for pmtu_changed gw.example: timed out after "
	    "200 ms, terminating it\n");
	free(log);
	alert_free(a);
}

/*
 * A command that ignores SIGTERM gets SIGKILL, with all it started, and
 * nothing of it is left as a zombie of ours (we are its subreaper).
 */
static void
test_timeout_kill(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[512], *log;

	(void)state;
	snprintf(cmd, sizeof(cmd), "trap '' TERM; sleep 4; touch %s/marker",
	    dir);
	a = alert_new(base, cmd, 100);
	assert_non_null(a);
	c = mk(CHANGE_REACHABLE, "gw.example", AF_INET6, 1280, 0, -1, NULL,
	    T_2026);
	capture_start();
	alert_emit(a, &c);
	run_idle(a, 8000);
	assert_true(run(a, never, 300).expired);	/* the last SIGCHLDs */
	log = capture_end();

	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_false(exists("marker"));
	assert_string_equal(log,
	    "event reachable: gw.example (IPv6) pmtu 1280\n"
	    "alert command for reachable gw.example: timed out after "
	    "100 ms, terminating it\n"
	    "alert command for reachable gw.example: still running, "
	    "killing it\n");
	free(log);
	alert_free(a);
}

/* Whether pid is there and not a zombie. */
static int
alive(pid_t pid)
{
	char	 p[64], buf[512], *s;
	FILE	*f;
	size_t	 n;

	snprintf(p, sizeof(p), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(p, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((s = strrchr(buf, ')')) == NULL || s[1] == '\0')
		return 0;
	return s[2] != 'Z';
}

static int
shells_reaped(struct alert *a)
{
	struct alert_child	*ch;

	TAILQ_FOREACH(ch, &a->running, entry)
		if (!ch->reaped)
			return 0;
	return 1;
}

/*
 * A command whose shell exits at once but leaves a process running in
 * the background keeps its slot until the timeout, which ends that
 * process: the limit of 8 holds, and nothing is left behind.
 */
static void
test_background_held(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[512], name[16], *log, *pids;
	long		 pid;
	int		 i, n = 0, off = 0, k;

	(void)state;
	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! >> %s/pids", dir);
	a = alert_new(base, cmd, 500);
	assert_non_null(a);
	capture_start();
	for (i = 0; i < ALERT_MAXRUN + 1; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		c = mk(CHANGE_UNREACHABLE, name, AF_INET, 0, 1500, -1, NULL,
		    T_2026);
		alert_emit(a, &c);
	}
	assert_false(run(a, shells_reaped, 3000).expired);
	/* Every shell is gone, every slot still held. */
	assert_int_equal(alert_running(a), ALERT_MAXRUN);
	assert_int_equal(a->npending, 1);
	run_idle(a, 8000);
	log = capture_end();

	assert_int_equal(count_lines(log, "timed out after 500 ms, "
	    "terminating it (what it left running)"), ALERT_MAXRUN + 1);
	assert_int_equal(count_lines(log, "killing"), 0);
	free(log);
	pids = slurp("pids");
	assert_non_null(pids);
	while (sscanf(pids + off, "%ld\n%n", &pid, &k) == 1) {
		assert_false(alive((pid_t)pid));
		off += k;
		n++;
	}
	assert_int_equal(n, ALERT_MAXRUN + 1);
	free(pids);
	alert_free(a);
}

/* What the background part did, it finished: the slot is free at once. */
static void
test_background_done(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[512], *log;

	(void)state;
	snprintf(cmd, sizeof(cmd), "(sleep 0.3; touch %s/bg) & exit 0", dir);
	a = alert_new(base, cmd, 60000);
	assert_non_null(a);
	c = mk(CHANGE_UNREACHABLE, "gw.example", AF_INET, 0, 1500, -1, NULL,
	    T_2026);
	capture_start();
	alert_emit(a, &c);
	assert_false(run(a, shells_reaped, 3000).expired);
	assert_int_equal(alert_running(a), 1);
	run_idle(a, 5000);
	log = capture_end();
	assert_true(exists("bg"));
	assert_string_equal(log, "event unreachable: gw.example (IPv4)\n");
	free(log);
	alert_free(a);
}

static int
has_line(const char *s, const char *line)
{
	size_t	 n = strlen(line);

	for (; s != NULL && *s != '\0'; s = strchr(s, '\n'), s += s != NULL) {
		if (strncmp(s, line, n) == 0 && s[n] == '\n')
			return 1;
	}
	return 0;
}

/* 20 events: 8 commands at once, the rest queued in order, all run. */
static void
test_queue(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[512], name[16], *out;
	int		 i;

	(void)state;
	snprintf(cmd, sizeof(cmd), "sleep 0.2; echo \"$PMTUD_DESTINATION\" "
	    ">> %s/out", dir);
	a = alert_new(base, cmd, 5000);
	assert_non_null(a);
	capture_start();
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		c = mk(CHANGE_PMTU_CHANGED, name, AF_INET, 1400 - i, 1500,
		    -1, NULL, T_2026);
		alert_emit(a, &c);
		assert_int_equal(alert_running(a), i < 8 ? i + 1 : 8);
	}
	assert_int_equal(a->npending, 12);
	assert_string_equal(TAILQ_FIRST(&a->pending)->c.destination, "d8");
	assert_int_equal(TAILQ_FIRST(&a->pending)->c.pmtu, 1392);
	assert_string_equal(TAILQ_LAST(&a->pending, alert_event_q)->c.
	    destination, "d19");
	run_idle(a, 10000);
	free(capture_end());

	out = slurp("out");
	assert_non_null(out);
	assert_int_equal(count_lines(out, "\n"), 20);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		assert_true(has_line(out, name));
	}
	free(out);
	alert_free(a);
}

/*
 * A flood of pmtu_changed events for other destinations never pushes out
 * a black hole: beyond 256 of them the oldest pmtu_changed goes (logged
 * once, not per event).  alert_free() reaps the running.
 */
static void
test_queue_overflow(void **state)
{
	struct alert		*a;
	struct alert_child	*ch;
	struct change		 c;
	char			 name[16], *log;
	pid_t			 pids[ALERT_MAXRUN];
	int			 i, n = 0;

	(void)state;
	a = alert_new(base, "sleep 30", 60000);
	assert_non_null(a);
	capture_start();
	for (i = 0; i < ALERT_MAXRUN; i++) {
		snprintf(name, sizeof(name), "run%d", i);
		c = mk(CHANGE_PMTU_CHANGED, name, AF_INET, 1400, 1500, -1,
		    NULL, T_2026);
		alert_emit(a, &c);
	}
	c = mk(CHANGE_BLACKHOLE_DETECTED, "bh.example", AF_INET, 1400, 1500,
	    1, "198.18.1.2", T_2026);
	alert_emit(a, &c);
	for (i = 0; i < ALERT_MAXMINOR + 10; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		c = mk(CHANGE_PMTU_CHANGED, name, AF_INET, 1400, 1500, -1,
		    NULL, T_2026);
		alert_emit(a, &c);
	}
	assert_int_equal(alert_running(a), ALERT_MAXRUN);
	assert_int_equal(a->npending, ALERT_MAXMINOR + 1);
	assert_int_equal(a->nminor, ALERT_MAXMINOR);
	assert_string_equal(TAILQ_FIRST(&a->pending)->c.destination,
	    "bh.example");
	assert_int_equal(TAILQ_FIRST(&a->pending)->c.kind,
	    CHANGE_BLACKHOLE_DETECTED);
	assert_string_equal(TAILQ_NEXT(TAILQ_FIRST(&a->pending), entry)->c.
	    destination, "d10");
	assert_string_equal(TAILQ_LAST(&a->pending, alert_event_q)->c.
	    destination, "d265");
	assert_int_equal(alert_coalesced(a), 0);
	TAILQ_FOREACH(ch, &a->running, entry)
		pids[n++] = ch->pid;
	assert_int_equal(n, ALERT_MAXRUN);
	alert_free(a);
	log = capture_end();

	/* Ten dropped, the first said, the others held back. */
	assert_int_equal(count_lines(log, "dropping"), 1);
	assert_true(has_line(log, "alerts: 256 pmtu_changed events queued, "
	    "dropping the one for d0 (IPv4)"));
	assert_int_equal(count_lines(log, "killing"), 0);
	free(log);
	for (i = 0; i < n; i++) {
		errno = 0;
		assert_int_equal(waitpid(pids[i], NULL, WNOHANG), -1);
		assert_int_equal(errno, ECHILD);	/* reaped */
	}
}

/*
 * Events that wait are coalesced per destination, family and kind pair:
 * the latest state wins, the first one's time and previous PMTU stay, a
 * flapping destination holds one place in the queue, and each is
 * counted (and logged, but not each time).
 */
static void
test_coalesce(void **state)
{
	struct alert		*a;
	struct alert_event	*ev;
	struct change		 c;
	char			 name[16], *log, *line;
	int			 i;

	(void)state;
	a = alert_new(base, "sleep 30", 60000);
	assert_non_null(a);
	capture_start();
	for (i = 0; i < ALERT_MAXRUN; i++) {
		snprintf(name, sizeof(name), "run%d", i);
		c = mk(CHANGE_UNREACHABLE, name, AF_INET, 0, 1500, -1, NULL,
		    T_2026);
		alert_emit(a, &c);
	}
	c = mk(CHANGE_BLACKHOLE_DETECTED, "bh.example", AF_INET, 1400, 1500,
	    1, "198.18.1.2", T_2026);
	alert_emit(a, &c);
	/* One destination flapping 1000 times, in both families. */
	for (i = 0; i < 1000; i++) {
		c = mk(CHANGE_PMTU_CHANGED, "flappy", AF_INET, i % 2 ? 1500 :
		    1400, i % 2 ? 1400 : 1500, -1, NULL, T_2026 + i);
		alert_emit(a, &c);
		c.family = AF_INET6;
		alert_emit(a, &c);
	}
	/* Reachability of bh.example: its own pair, beside the black hole. */
	c = mk(CHANGE_UNREACHABLE, "bh.example", AF_INET, 0, 1400, -1, NULL,
	    T_2026 + 5000);
	alert_emit(a, &c);
	c = mk(CHANGE_REACHABLE, "bh.example", AF_INET, 1400, 0, -1, NULL,
	    T_2026 + 6000);
	alert_emit(a, &c);
	assert_int_equal(a->npending, 4);
	assert_int_equal(alert_coalesced(a), 2 * 999 + 1);

	ev = TAILQ_FIRST(&a->pending);
	assert_int_equal(ev->c.kind, CHANGE_BLACKHOLE_DETECTED);
	ev = TAILQ_NEXT(ev, entry);
	assert_string_equal(ev->c.destination, "flappy");
	assert_int_equal(ev->c.family, AF_INET);
	line = event_line(&ev->c, ev->first_at_ms);
	assert_non_null(line);
	assert_string_equal(line, "{\"event\":\"pmtu_changed\","
	    "\"destination\":\"flappy\",\"family\":4,\"pmtu\":1500,"
	    "\"previous_pmtu\":1500,\"hop\":null,\"address\":null,"
	    "\"at\":\"2026-11-23T07:23:50.122Z\","
	    "\"first_at\":\"2026-11-23T07:23:49.123Z\"}\n");
	free(line);
	ev = TAILQ_NEXT(ev, entry);
	assert_int_equal(ev->c.family, AF_INET6);
	ev = TAILQ_NEXT(ev, entry);
	assert_int_equal(ev->c.kind, CHANGE_REACHABLE);
	assert_int_equal(ev->c.previous_pmtu, 1400);
	assert_int_equal(ev->first_at_ms, T_2026 + 5000);

	/* The black hole clears while its detection still waits. */
	c = mk(CHANGE_BLACKHOLE_CLEARED, "bh.example", AF_INET, 1500, 1400, 1,
	    "198.18.1.2", T_2026 + 7000);
	alert_emit(a, &c);
	ev = TAILQ_FIRST(&a->pending);
	assert_int_equal(ev->c.kind, CHANGE_BLACKHOLE_CLEARED);
	assert_int_equal(ev->c.pmtu, 1500);
	assert_int_equal(ev->c.previous_pmtu, 1500);
	assert_int_equal(ev->c.at_ms, T_2026 + 7000);
	assert_int_equal(ev->first_at_ms, T_2026);
	assert_int_equal(a->npending, 4);
	assert_int_equal(alert_coalesced(a), 2 * 999 + 2);
	alert_free(a);
	log = capture_end();

	assert_int_equal(count_lines(log, "coalesced so far"), 1);
	assert_true(has_line(log, "alerts: 3 events queued; pmtu_changed for "
	    "flappy (IPv4) replaces the queued pmtu_changed (1 coalesced so "
	    "far)"));
	free(log);
}

/* The command gets the coalesced event: the last state, the first time. */
static void
test_coalesce_delivered(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		 cmd[512], name[16];
	int		 i;

	(void)state;
	snprintf(cmd, sizeof(cmd), "sleep 0.3; f=%s/$PMTUD_DESTINATION-"
	    "$PMTUD_EVENT; cat > $f.stdin; echo $PMTUD_AT $PMTUD_FIRST_AT "
	    "> $f.env", dir);
	a = alert_new(base, cmd, 5000);
	assert_non_null(a);
	capture_start();
	for (i = 0; i < ALERT_MAXRUN; i++) {
		snprintf(name, sizeof(name), "run%d", i);
		c = mk(CHANGE_UNREACHABLE, name, AF_INET, 0, 1500, -1, NULL,
		    T_2026);
		alert_emit(a, &c);
	}
	c = mk(CHANGE_BLACKHOLE_DETECTED, "bh", AF_INET, 1400, 1500, 1,
	    "198.18.1.2", T_2026);
	alert_emit(a, &c);
	c = mk(CHANGE_BLACKHOLE_CLEARED, "bh", AF_INET, 1500, 1400, 1,
	    "198.18.1.2", T_2026 + 1000);
	alert_emit(a, &c);
	run_idle(a, 5000);
	free(capture_end());

	assert_false(exists("bh-blackhole_detected.stdin"));
	assert_file("bh-blackhole_cleared.stdin",
	    "{\"event\":\"blackhole_cleared\",\"destination\":\"bh\","
	    "\"family\":4,\"pmtu\":1500,\"previous_pmtu\":1500,\"hop\":1,"
	    "\"address\":\"198.18.1.2\",\"at\":\"2026-11-23T07:23:50.123Z\","
	    "\"first_at\":\"2026-11-23T07:23:49.123Z\"}\n");
	assert_file("bh-blackhole_cleared.env", "2026-11-23T07:23:50.123Z "
	    "2026-11-23T07:23:49.123Z\n");
	alert_free(a);
}

/* The sink gets the exact line; without a command nothing runs. */
static void
test_sink_without_command(void **state)
{
	struct alert	*a;
	struct change	 c;
	struct sunk	 s;
	const char	*none[] = { NULL, "" };
	int		 i;

	(void)state;
	for (i = 0; i < 2; i++) {
		memset(&s, 0, sizeof(s));
		a = alert_new(base, none[i], 0);
		assert_non_null(a);
		assert_null(a->command);
		alert_set_sink(a, sink_cb, &s);
		c = mk(CHANGE_BLACKHOLE_DETECTED, "198.18.3.2", AF_INET, 1400,
		    1500, 1, "198.18.1.2", T_2026);
		capture_start();
		alert_emit(a, &c);
		c = mk(CHANGE_BLACKHOLE_CLEARED, "2001:db8:3::2", AF_INET6,
		    1500, 1280, 0, NULL, 0);
		alert_emit(a, &c);
		free(capture_end());
		assert_int_equal(s.n, 2);
		assert_string_equal(s.lines[0], detected_json);
		assert_string_equal(s.lines[1], "{\"event\":"
		    "\"blackhole_cleared\",\"destination\":\"2001:db8:3::2\","
		    "\"family\":6,\"pmtu\":1500,\"previous_pmtu\":1280,"
		    "\"hop\":0,\"address\":null,"
		    "\"at\":\"1970-01-01T00:00:00.000Z\","
		    "\"first_at\":\"1970-01-01T00:00:00.000Z\"}\n");
		assert_int_equal(alert_running(a), 0);
		assert_int_equal(a->npending, 0);
		alert_free(a);
	}
}

/* Reloads: a command appears, changes, and goes (dropping the queue). */
static void
test_set_command(void **state)
{
	struct alert	*a;
	struct change	 c;
	struct sunk	 s;
	char		 cmd[512];
	int		 i;

	(void)state;
	memset(&s, 0, sizeof(s));
	a = alert_new(base, NULL, 0);
	assert_non_null(a);
	alert_set_sink(a, sink_cb, &s);
	snprintf(cmd, sizeof(cmd), "echo \"$PMTUD_EVENT\" >> %s/out", dir);
	assert_int_equal(alert_set_command(a, cmd, 3000), 0);
	assert_int_equal(a->timeout_ms, 3000);
	c = mk(CHANGE_REACHABLE, "gw.example", AF_INET, 1500, 0, -1, NULL,
	    T_2026);
	capture_start();
	alert_emit(a, &c);
	assert_int_equal(alert_running(a), 1);
	run_idle(a, 5000);
	assert_file("out", "reachable\n");

	assert_int_equal(alert_set_command(a, "sleep 30", 0), 0);
	assert_int_equal(a->timeout_ms, ALERT_TIMEOUT_MS);
	for (i = 0; i < ALERT_MAXRUN + 2; i++)
		alert_emit(a, &c);
	assert_int_equal(alert_running(a), ALERT_MAXRUN);
	assert_int_equal(a->npending, 1);	/* the two coalesced */
	assert_int_equal(alert_coalesced(a), 1);
	assert_int_equal(alert_set_command(a, "", 0), 0);
	assert_null(a->command);
	assert_int_equal(a->npending, 0);
	assert_int_equal(alert_running(a), ALERT_MAXRUN);	/* untouched */
	alert_emit(a, &c);
	assert_int_equal(a->npending, 0);
	assert_int_equal(s.n, ALERT_MAXRUN + 4);
	alert_free(a);
	free(capture_end());
	assert_file("out", "reachable\n");
}

/* Bad input: no base, unknown kinds, names JSON cannot carry. */
static void
test_bad_input(void **state)
{
	struct alert	*a;
	struct change	 c;
	struct sunk	 s;
	char		*log;

	(void)state;
	capture_start();
	assert_null(alert_new(NULL, "true", 0));
	alert_free(NULL);
	memset(&s, 0, sizeof(s));
	a = alert_new(base, "true", 0);
	assert_non_null(a);
	alert_set_sink(a, sink_cb, &s);
	c = mk(0, "gw.example", AF_INET, 1500, 0, -1, NULL, T_2026);
	alert_emit(a, &c);
	c.kind = 9;
	alert_emit(a, &c);
	c = mk(CHANGE_UNREACHABLE, "bad\xff", AF_INET, 0, 1500, -1, NULL,
	    T_2026);
	alert_emit(a, &c);
	assert_int_equal(s.n, 0);
	assert_int_equal(alert_running(a), 0);
	assert_int_equal(a->npending, 0);
	alert_free(a);
	log = capture_end();
	assert_string_equal(log, "alerts: no event base\n"
	    "alerts: event of unknown kind 0\n"
	    "alerts: event of unknown kind 9\n"
	    "event unreachable: bad\xff (IPv4)\n"
	    "alerts: cannot encode event unreachable for bad\xff\n");
	free(log);
}

/* One log line per event, each kind. */
static void
test_log_lines(void **state)
{
	struct alert	*a;
	struct change	 c;
	char		*log;

	(void)state;
	a = alert_new(base, NULL, 0);
	assert_non_null(a);
	capture_start();
	c = mk(CHANGE_PMTU_CHANGED, "gw.example", AF_INET, 1400, 1500, -1,
	    NULL, T_2026);
	alert_emit(a, &c);
	c = mk(CHANGE_PMTU_CHANGED, "gw.example", AF_INET, 0, 1500, -1,
	    NULL, T_2026);
	alert_emit(a, &c);
	c = mk(CHANGE_REACHABLE, "2001:db8::5", AF_INET6, 1280, 0, -1, NULL,
	    T_2026);
	alert_emit(a, &c);
	c = mk(CHANGE_BLACKHOLE_CLEARED, "gw.example", AF_INET, 1500, 1400, 0,
	    NULL, T_2026);
	alert_emit(a, &c);
	c = mk(CHANGE_BLACKHOLE_DETECTED, "2001:db8::5", AF_INET6, 1280, 1500,
	    3, "2001:db8:1::1", T_2026);
	alert_emit(a, &c);
	c = mk(CHANGE_UNREACHABLE, "nofamily.example", 0, 0, 1500, -1, NULL,
	    -1);
	alert_emit(a, &c);
	log = capture_end();
	assert_string_equal(log,
	    "event pmtu_changed: gw.example (IPv4) pmtu 1400 was 1500\n"
	    "event pmtu_changed: gw.example (IPv4) was 1500\n"
	    "event reachable: 2001:db8::5 (IPv6) pmtu 1280\n"
	    "event blackhole_cleared: gw.example (IPv4) pmtu 1500 hop 0\n"
	    "event blackhole_detected: 2001:db8::5 (IPv6) pmtu 1280 hop 3 "
	    "2001:db8:1::1\n"
	    "event unreachable: nofamily.example (IP)\n");
	free(log);
	alert_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_env_and_stdin, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_env_nulls_and_exit_status,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kill, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_background_held, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_background_done, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_overflow, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coalesce, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coalesce_delivered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sink_without_command,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_command, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_lines, setup,
		    teardown),
	};

	log_init(1, "test_alert");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
