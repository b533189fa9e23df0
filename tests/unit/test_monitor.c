/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for daemon/monitor.c, built in here with the front door
 * stubbed: what the monitor asks for, when, how many at once, and what
 * a reload keeps, starts and stops.  The scheduler and the store are
 * lib/'s own; time is the real monotonic clock, so first probes are
 * spread over a few milliseconds (a large max-pps).
 */
#include "../../daemon/monitor.c"
#include "../../daemon/clock.c"

#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

/* --- the front door, stubbed ---------------------------------------- */

struct measure {
	struct measure		*next;
	struct measure_req	 req;
	char			 name[CONF_NAMELEN];
	measure_done_cb		 cb;
	void			*arg;
};

static struct measure	*asked;		/* outstanding, newest first */
static unsigned		 nasked, ncancelled, nsaves;
static int		 refuse;	/* measure_start fails */

struct measure *
measure_start(struct pmtud *env, const struct measure_req *req,
    measure_done_cb cb, void *arg)
{
	struct measure	*m;

	(void)env;
	if (refuse)
		return NULL;
	m = calloc(1, sizeof(*m));
	assert_non_null(m);
	m->req = *req;
	snprintf(m->name, sizeof(m->name), "%s", req->destination);
	m->req.destination = m->name;
	m->cb = cb;
	m->arg = arg;
	m->next = asked;
	asked = m;
	nasked++;
	return m;
}

static void
unlink_measure(struct measure *m)
{
	struct measure	**p;

	for (p = &asked; *p != NULL; p = &(*p)->next)
		if (*p == m) {
			*p = m->next;
			return;
		}
	fail_msg("measure %s not outstanding", m->name);
}

void
measure_cancel(struct measure *m)
{
	if (m == NULL)
		return;
	unlink_measure(m);
	ncancelled++;
	free(m);
}

void
saver_dirty(struct saver *s)
{
	(void)s;
	nsaves++;
}

static unsigned
outstanding(void)
{
	struct measure	*m;
	unsigned	 n = 0;

	for (m = asked; m != NULL; m = m->next)
		n++;
	return n;
}

static struct measure *
find(const char *name)
{
	struct measure	*m;

	for (m = asked; m != NULL; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

/* The front door answers m; the monitor records nothing itself. */
static void
answer(struct measure *m, struct pmtud *env, enum result_state state,
    int events)
{
	struct measure_done	 done;
	struct result		 res;

	unlink_measure(m);
	result_init(&res, m->name);
	res.state = state;
	res.family = AF_INET;
	res.pmtu = state == RESULT_OK ? 1500 : 0;
	res.updated_at_ms = clock_wall_ms();
	(void)store_put(env->store, &res);
	memset(&done, 0, sizeof(done));
	done.result = &res;
	done.events = events;
	m->cb(&done, m->arg);
	free(m);
}

/* --- harness -------------------------------------------------------- */

struct ctx {
	struct pmtud	 env;
	struct conf	 conf;
};

static int
setup(void **state)
{
	struct ctx	*c;

	c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->env.base = event_base_new();
	c->env.sched = sched_new(1000000, 7);
	c->env.store = store_new();
	assert_non_null(c->env.base);
	assert_non_null(c->env.sched);
	assert_non_null(c->env.store);
	c->env.monitor = monitor_new(&c->env);
	assert_non_null(c->env.monitor);
	conf_init(&c->conf);
	asked = NULL;
	nasked = ncancelled = nsaves = 0;
	refuse = 0;
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx	*c = *state;

	monitor_free(c->env.monitor);
	assert_null(asked);		/* what ran was stopped */
	conf_clear(&c->conf);
	store_free(c->env.store);
	sched_free(c->env.sched);
	event_base_free(c->env.base);
	free(c);
	return 0;
}

static void
configure(struct ctx *c, const char *text)
{
	char	 err[256];

	conf_clear(&c->conf);
	assert_int_equal(conf_parse(text, strlen(text), "t.conf", &c->conf,
	    err, sizeof(err)), 0);
	assert_int_equal(monitor_configure(c->env.monitor, &c->conf), 0);
}

static void
run_ms(struct ctx *c, unsigned ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(c->env.base, &tv);
	assert_int_not_equal(event_base_dispatch(c->env.base), -1);
}

/* --- tests ---------------------------------------------------------- */

static void
test_asks_as_configured(void **state)
{
	struct ctx	*c = *state;
	struct measure	*m;

	configure(c, "destination 198.18.3.2 family 4 method tcp port 8443 "
	    "walk no\ndestination gw.example.net\n");
	run_ms(c, 100);
	assert_int_equal(monitor_count(c->env.monitor), 2);
	assert_int_equal(nasked, 2);
	m = find("198.18.3.2");
	assert_non_null(m);
	assert_int_equal(m->req.family, AF_INET);
	assert_int_equal(m->req.method, METHOD_TCP);
	assert_int_equal(m->req.port, 8443);
	assert_false(m->req.walk);
	assert_false(m->req.on_demand);
	m = find("gw.example.net");
	assert_non_null(m);
	assert_int_equal(m->req.family, 0);
	assert_int_equal(m->req.method, METHOD_AUTO);
	assert_true(m->req.walk);
}

static void
test_due_again_only_after_interval(void **state)
{
	struct ctx	*c = *state;

	configure(c, "interval 1s\ndestination 198.18.3.2\n");
	run_ms(c, 100);
	assert_int_equal(nasked, 1);
	answer(find("198.18.3.2"), &c->env, RESULT_OK, 0);
	run_ms(c, 300);
	assert_int_equal(nasked, 1);	/* not before ~0.9 s */
	run_ms(c, 1000);
	assert_int_equal(nasked, 2);
	answer(find("198.18.3.2"), &c->env, RESULT_OK, 0);
}

static void
test_failure_is_retried_later(void **state)
{
	struct ctx	*c = *state;
	uint64_t	 next;

	configure(c, "interval 1h\ndestination 198.18.3.2\n");
	run_ms(c, 100);
	answer(find("198.18.3.2"), &c->env, RESULT_UNREACHABLE, 1);
	next = sched_next_at(c->env.sched, 0);
	assert_true(next > clock_mono_ms());
	/* Backoff starts at SCHED_RETRY_MS (jittered), far below an hour. */
	assert_true(next - clock_mono_ms() <= SCHED_RETRY_MS * 11 / 10);
}

static void
test_running_is_capped(void **state)
{
	struct ctx	*c = *state;
	char		*text, *p;
	unsigned	 i, n = MONITOR_MAX_RUNNING + 20;

	text = p = calloc(n, 40);
	assert_non_null(text);
	for (i = 0; i < n; i++)
		p += sprintf(p, "destination 198.18.%u.%u\n", i / 200,
		    i % 200 + 1);
	configure(c, text);
	free(text);
	run_ms(c, 300);
	assert_int_equal(outstanding(), MONITOR_MAX_RUNNING);
	answer(asked, &c->env, RESULT_OK, 0);
	answer(asked, &c->env, RESULT_OK, 0);
	run_ms(c, 50);
	assert_int_equal(outstanding(), MONITOR_MAX_RUNNING);
	assert_int_equal(nasked, MONITOR_MAX_RUNNING + 2);
}

static void
test_reload_keeps_adds_removes(void **state)
{
	struct ctx	*c = *state;
	struct measure	*kept;

	configure(c, "destination 198.18.3.2\ndestination 198.18.4.2\n");
	run_ms(c, 100);
	answer(find("198.18.4.2"), &c->env, RESULT_OK, 1);
	assert_non_null(store_get(c->env.store, "198.18.4.2", 0));
	kept = find("198.18.3.2");
	assert_non_null(kept);

	configure(c, "destination 198.18.3.2\ndestination 198.18.5.2\n");
	run_ms(c, 100);
	assert_int_equal(monitor_count(c->env.monitor), 2);
	/* Kept: still the same measurement, not started again. */
	assert_ptr_equal(find("198.18.3.2"), kept);
	assert_non_null(find("198.18.5.2"));
	/* Removed: its finding is forgotten and the state file saved. */
	assert_null(store_get(c->env.store, "198.18.4.2", 0));
	assert_true(nsaves >= 1);

	configure(c, "");
	assert_int_equal(monitor_count(c->env.monitor), 0);
	assert_int_equal(ncancelled, 2);
	assert_null(asked);
}

static void
test_refused_start_is_rescheduled(void **state)
{
	struct ctx	*c = *state;

	refuse = 1;
	configure(c, "destination 198.18.3.2\n");
	run_ms(c, 100);
	assert_int_equal(nasked, 0);
	assert_true(sched_next_at(c->env.sched, 0) > 0);	/* due again */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_asks_as_configured,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_due_again_only_after_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_is_retried_later,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_running_is_capped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_reload_keeps_adds_removes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_refused_start_is_rescheduled, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
