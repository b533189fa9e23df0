/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for daemon/measure.c, the front door, built in here with
 * its neighbours stubbed: names resolve from the loop (numeric ones
 * only), jobs finish when a test says so, alerts and saves are counted.
 * The store and change detection are lib/'s own.
 */
#include "../../daemon/measure.c"
#include "../../daemon/paths.c"
#include "../../daemon/record.c"
#include "../../daemon/clock.c"

#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <event2/event.h>

/* --- stubs ---------------------------------------------------------- */

struct resolve {
	struct event	*ev;
	char		 name[RESULT_DESTLEN];
	int		 family;
	resolve_cb	 cb;
	void		*arg;
};

static struct event_base *test_base;
static unsigned		 alerts, saves;

static void
resolve_due_cb(evutil_socket_t fd, short events, void *arg)
{
	struct resolve	*rs = arg;
	struct addr	 a;
	resolve_cb	 cb = rs->cb;
	void		*cbarg = rs->arg;
	int		 ok;

	(void)fd;
	(void)events;
	/* One name in this resolver's zone; numeric addresses as such. */
	ok = addr_parse(&a, strcmp(rs->name, "gw.test") == 0 ?
	    "198.18.3.2" : rs->name) == 0 &&
	    (rs->family == 0 || rs->family == a.family);
	event_free(rs->ev);
	free(rs);
	if (ok)
		cb(NULL, &a, cbarg);
	else
		cb("no such name", NULL, cbarg);
}

struct resolve *
resolve_start(struct event_base *base, struct evdns_base *dns,
    const char *name, int family, resolve_cb cb, void *arg)
{
	struct resolve	*rs;
	struct timeval	 now = { 0, 0 };

	(void)dns;
	rs = calloc(1, sizeof(*rs));
	assert_non_null(rs);
	snprintf(rs->name, sizeof(rs->name), "%s", name);
	rs->family = family;
	rs->cb = cb;
	rs->arg = arg;
	rs->ev = evtimer_new(base, resolve_due_cb, rs);
	evtimer_add(rs->ev, &now);
	return rs;
}

void
resolve_cancel(struct resolve *rs)
{
	if (rs == NULL)
		return;
	event_free(rs->ev);
	free(rs);
}

void
prober_flow(const struct prober *pr, unsigned n, struct flow *f)
{
	struct flow	 base = { 0, 40000 | 0x8000, 33434, 4321, 0, 0x12345, 0 };

	(void)pr;
	flow_derive(&base, n, f);
}

#define MAXJOBS	24

struct job {
	struct job_params	 params;
	job_done_cb		 cb;
	void			*arg;
	int			 live;
	int			 cancelled;
	int			 hurried;
};

static struct job	 jobs[MAXJOBS];
static unsigned		 njobs;

struct job *
job_start(struct pmtud *env, const struct job_params *jp, job_done_cb cb,
    void *arg)
{
	struct job	*j;

	(void)env;
	assert_true(njobs < MAXJOBS);
	j = &jobs[njobs++];
	j->params = *jp;
	j->cb = cb;
	j->arg = arg;
	j->live = 1;
	return j;
}

void
job_cancel(struct job *j)
{
	assert_true(j->live);
	j->live = 0;
	j->cancelled = 1;
}

void
job_hurry(struct job *j)
{
	j->hurried = 1;
}

static unsigned		 confirmed_alerts;

void
alert_emit(struct alert *a, const struct change *c)
{
	(void)a;
	alerts++;
	confirmed_alerts += c->confirmed != 0;
}

void
saver_dirty(struct saver *s)
{
	(void)s;
	saves++;
}

/* --- harness -------------------------------------------------------- */

#define MAXCALLS	8

struct call {
	char		 destination[RESULT_DESTLEN];
	int		 have_result;
	enum result_state state;
	int		 pmtu;
	int		 events;
	int		 unresolved;
	int		 confirming;
	int		 previous_pmtu;
	uint64_t	 findings;
	char		 error[RESULT_ERRLEN];
};

static struct pmtud	 env;
static struct call	 calls[MAXCALLS];
static unsigned		 ncalls;

static void
done_cb(const struct measure_done *done, void *arg)
{
	struct call	*c;

	(void)arg;
	assert_true(ncalls < MAXCALLS);
	c = &calls[ncalls++];
	c->have_result = done->result != NULL;
	c->events = done->events;
	c->unresolved = done->unresolved;
	c->confirming = done->confirming;
	if (done->result != NULL) {
		snprintf(c->destination, sizeof(c->destination), "%s",
		    done->result->destination);
		c->state = done->result->state;
		c->pmtu = done->result->pmtu;
		c->previous_pmtu = done->result->previous_pmtu;
		c->findings = done->result->findings;
		snprintf(c->error, sizeof(c->error), "%s",
		    done->result->error);
	} else
		snprintf(c->error, sizeof(c->error), "%s", done->error);
}

static void
run_loop(void)
{
	struct timeval	 tv = { 1, 0 };

	event_base_loopexit(test_base, &tv);
	assert_int_not_equal(event_base_dispatch(test_base), -1);
}

/* The job reports; like a real one it is gone afterwards. */
static void
job_finish(struct job *j, enum result_state state, int pmtu)
{
	struct result	 res;
	char		 name[ADDR_STRLEN];

	assert_true(j->live);
	result_init(&res, addr_ntop(&j->params.address, name, sizeof(name)));
	res.address = j->params.address;
	res.family = j->params.address.family;
	res.state = state;
	res.pmtu = pmtu;
	res.local_mtu = 1500;
	res.method = METHOD_ICMP;
	res.updated_at_ms = clock_wall_ms();
	j->live = 0;
	j->cb(&res, j->arg);
}

static struct measure *
ask(const char *dest, enum method method, int on_demand)
{
	struct measure_req	 mr;
	struct measure		*m;

	memset(&mr, 0, sizeof(mr));
	mr.destination = dest;
	mr.method = method;
	mr.walk = 1;
	mr.on_demand = on_demand;
	m = measure_start(&env, &mr, done_cb, NULL);
	assert_non_null(m);
	return m;
}

static int
setup(void **state)
{
	(void)state;
	memset(&env, 0, sizeof(env));
	memset(jobs, 0, sizeof(jobs));
	memset(calls, 0, sizeof(calls));
	njobs = ncalls = alerts = saves = confirmed_alerts = 0;
	env.base = test_base = event_base_new();
	assert_non_null(env.base);
	env.store = store_new();
	assert_non_null(env.store);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_true(TAILQ_EMPTY(&targets));
	measure_shutdown();	/* a failed test leaves none behind */
	store_free(env.store);
	event_base_free(env.base);
	return 0;
}

/* --- tests ---------------------------------------------------------- */

static void
test_one_job_per_target(void **state)
{
	(void)state;
	ask("198.18.3.2", METHOD_AUTO, 1);
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	assert_int_equal(njobs, 1);
	assert_int_equal(ncalls, 0);
	job_finish(&jobs[0], RESULT_OK, 1420);
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[0].pmtu, 1420);
	assert_int_equal(calls[1].pmtu, 1420);
	/* One name: one finding, and both hear of its events. */
	assert_int_equal(env.findings, 1);
	assert_int_equal(store_count(env.store), 1);
	assert_int_equal(calls[0].events, calls[1].events);
	assert_int_equal(alerts, (unsigned)calls[0].events);
}

static void
test_each_name_recorded_once(void **state)
{
	(void)state;
	ask("198.18.3.2", METHOD_ICMP, 1);
	ask("::ffff:198.18.3.2", METHOD_ICMP, 1);	/* another spelling */
	ask("198.18.3.2", METHOD_ICMP, 1);
	run_loop();
	/* The mapped address is another target for the kernel's route. */
	assert_true(njobs >= 1);
	job_finish(&jobs[0], RESULT_OK, 1400);
	if (njobs == 2)
		job_finish(&jobs[1], RESULT_OK, 1400);
	assert_int_equal(ncalls, 3);
	assert_int_equal(env.findings, 2);
	assert_int_equal(store_count(env.store), 2);
	assert_non_null(store_get(env.store, "198.18.3.2", 0));
	assert_non_null(store_get(env.store, "::ffff:198.18.3.2", 0));
}

static void
test_names_delivered_as_asked(void **state)
{
	(void)state;
	ask("gw.test", METHOD_AUTO, 1);
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	assert_int_equal(njobs, 1);		/* one address, one job */
	job_finish(&jobs[0], RESULT_OK, 1500);
	assert_int_equal(ncalls, 2);
	assert_true(strcmp(calls[0].destination, "gw.test") == 0 ||
	    strcmp(calls[1].destination, "gw.test") == 0);
	assert_true(strcmp(calls[0].destination, "198.18.3.2") == 0 ||
	    strcmp(calls[1].destination, "198.18.3.2") == 0);
	assert_int_equal(env.findings, 2);
	assert_string_equal(store_get(env.store, "gw.test", AF_INET)->
	    destination, "gw.test");
}

static void
test_methods_are_targets(void **state)
{
	unsigned	 i;

	(void)state;
	ask("198.18.3.2", METHOD_ICMP, 1);
	ask("198.18.3.2", METHOD_UDP, 1);
	ask("198.18.3.2", METHOD_TCP, 1);
	run_loop();
	assert_int_equal(njobs, 3);
	for (i = 0; i < njobs; i++)
		assert_int_equal(jobs[i].params.port,
		    jobs[i].params.method == METHOD_TCP ? JOB_TCP_PORT : 0);
	job_finish(&jobs[0], RESULT_OK, 1500);
	job_finish(&jobs[1], RESULT_OK, 1500);
	job_finish(&jobs[2], RESULT_OK, 1500);
	assert_int_equal(ncalls, 3);
}

static void
test_cancel_keeps_job_for_others(void **state)
{
	struct measure	*a;

	(void)state;
	a = ask("198.18.3.2", METHOD_AUTO, 1);
	ask("198.18.3.2", METHOD_AUTO, 1);
	run_loop();
	assert_int_equal(njobs, 1);
	measure_cancel(a);
	assert_false(jobs[0].cancelled);
	job_finish(&jobs[0], RESULT_BLACKHOLE, 1400);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].state, RESULT_BLACKHOLE);
}

static void
test_cancel_last_stops_job(void **state)
{
	struct measure	*a, *b;

	(void)state;
	a = ask("198.18.3.2", METHOD_AUTO, 0);
	b = ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	measure_cancel(b);
	measure_cancel(a);
	assert_true(jobs[0].cancelled);
	assert_int_equal(ncalls, 0);
	assert_int_equal(env.findings, 0);
}

static void
test_cancel_while_resolving(void **state)
{
	struct measure	*a;

	(void)state;
	a = ask("198.18.3.2", METHOD_AUTO, 1);
	measure_cancel(a);
	run_loop();
	assert_int_equal(njobs, 0);
	assert_int_equal(ncalls, 0);
}

static void
test_unresolved_on_demand_is_an_error(void **state)
{
	(void)state;
	ask("no-such-host.invalid", METHOD_AUTO, 1);
	run_loop();
	assert_int_equal(ncalls, 1);
	assert_false(calls[0].have_result);
	assert_true(calls[0].unresolved);
	assert_string_equal(calls[0].error, "no such name");
	assert_int_equal(njobs, 0);
	assert_int_equal(store_count(env.store), 0);
	assert_int_equal(saves, 0);
}

static void
test_unresolved_scheduled_is_a_finding(void **state)
{
	const struct result	*r;

	(void)state;
	ask("no-such-host.invalid", METHOD_AUTO, 0);
	run_loop();
	assert_int_equal(ncalls, 1);
	assert_true(calls[0].have_result);
	assert_int_equal(calls[0].state, RESULT_ERROR);
	assert_string_equal(calls[0].error,
	    "cannot resolve no-such-host.invalid: no such name");
	r = store_get(env.store, "no-such-host.invalid", 0);
	assert_non_null(r);
	assert_int_equal(r->state, RESULT_ERROR);
	assert_int_equal(saves, 1);
}

static void
test_on_demand_hurries_a_scheduled_job(void **state)
{
	(void)state;
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	assert_false(jobs[0].params.urgent);
	assert_false(jobs[0].hurried);
	ask("198.18.3.2", METHOD_AUTO, 1);
	run_loop();
	assert_int_equal(njobs, 1);
	assert_true(jobs[0].hurried);
	job_finish(&jobs[0], RESULT_OK, 1500);
	assert_int_equal(ncalls, 2);
}

static void
test_changes_are_events(void **state)
{
	(void)state;
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[0], RESULT_OK, 1500);
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[1], RESULT_OK, 1500);
	assert_int_equal(calls[1].events, 0);		/* nothing new */
	assert_int_equal(njobs, 2);
	/* A black hole pages someone: a second run confirms it first. */
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[2], RESULT_BLACKHOLE, 1400);
	assert_int_equal(ncalls, 3);
	assert_true(calls[2].confirming);
	assert_int_equal(calls[2].events, 0);
	assert_int_equal(calls[2].state, RESULT_BLACKHOLE);
	assert_int_equal(njobs, 4);
	assert_true(jobs[3].live);
	assert_int_equal(env.findings, 2);		/* not yet recorded */
	assert_int_equal(store_get(env.store, "198.18.3.2", 0)->state,
	    RESULT_OK);
	/* A request meanwhile waits for the confirming run. */
	ask("198.18.3.2", METHOD_AUTO, 1);
	run_loop();
	assert_int_equal(njobs, 4);
	job_finish(&jobs[3], RESULT_BLACKHOLE, 1400);
	assert_int_equal(ncalls, 4);
	assert_false(calls[3].confirming);
	assert_true(calls[3].events > 0);
	assert_int_equal(alerts, (unsigned)(calls[0].events +
	    calls[3].events));
	assert_int_equal(confirmed_alerts, 2);	/* detected, pmtu down */
	assert_int_equal(env.findings, 3);
	assert_int_equal(store_get(env.store, "198.18.3.2", 0)->previous_pmtu,
	    1500);
}

/* A second run that disagrees: recorded, but nobody is paged. */
static void
test_unconfirmed_not_raised(void **state)
{
	const struct result	*r;

	(void)state;
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[0], RESULT_OK, 1500);
	assert_int_equal(alerts, 0);
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[1], RESULT_UNREACHABLE, 0);
	assert_int_equal(njobs, 3);
	job_finish(&jobs[2], RESULT_BLACKHOLE, 1400);
	assert_int_equal(alerts, 0);
	r = store_get(env.store, "198.18.3.2", 0);
	assert_int_equal(r->state, RESULT_BLACKHOLE);
	assert_int_equal(env.findings, 2);
	/* Recovery needs no confirmation. */
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[3], RESULT_OK, 1500);
	assert_int_equal(njobs, 4);
	assert_int_equal(alerts, 2);	/* blackhole_cleared, pmtu_changed */
	assert_int_equal(confirmed_alerts, 0);
}

/* Nobody waits any more: the confirming run still records. */
static void
test_confirm_outlives_its_requests(void **state)
{
	struct measure	*a;

	(void)state;
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[0], RESULT_OK, 1500);
	a = ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[1], RESULT_BLACKHOLE, 1400);
	(void)a;		/* delivered: gone */
	assert_int_equal(njobs, 3);
	job_finish(&jobs[2], RESULT_BLACKHOLE, 1400);
	assert_int_equal(confirmed_alerts, 2);
	assert_int_equal(store_get(env.store, "198.18.3.2", 0)->state,
	    RESULT_BLACKHOLE);
}

/* A new request while the last job delivers starts a new job. */
static struct measure	*again;

static void
again_cb(const struct measure_done *done, void *arg)
{
	struct measure_req	 mr;

	done_cb(done, arg);
	memset(&mr, 0, sizeof(mr));
	mr.destination = "198.18.3.2";
	mr.walk = 1;
	again = measure_start(&env, &mr, done_cb, NULL);
	assert_non_null(again);
}

static void
test_request_from_a_callback(void **state)
{
	struct measure_req	 mr;

	(void)state;
	memset(&mr, 0, sizeof(mr));
	mr.destination = "198.18.3.2";
	mr.walk = 1;
	assert_non_null(measure_start(&env, &mr, again_cb, NULL));
	run_loop();
	job_finish(&jobs[0], RESULT_OK, 1500);
	run_loop();
	assert_int_equal(njobs, 2);		/* not the finished one */
	assert_true(jobs[1].live);
	job_finish(&jobs[1], RESULT_OK, 1500);
	assert_int_equal(ncalls, 2);
}

/* A path only a client asked about pages nobody; the monitor's does. */
static void
test_on_demand_only_not_alerted(void **state)
{
	(void)state;
	ask("198.18.3.2", METHOD_AUTO, 1);
	run_loop();
	job_finish(&jobs[0], RESULT_BLACKHOLE, 1400);
	assert_int_equal(calls[0].events, 0);
	assert_int_equal(alerts, 0);
	assert_true(store_get(env.store, "198.18.3.2", 0)->on_demand);
	assert_int_equal(store_on_demand(env.store), 1);

	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[1], RESULT_OK, 1500);
	assert_true(calls[1].events > 0);	/* the black hole cleared */
	assert_int_equal(alerts, (unsigned)calls[1].events);
	assert_false(store_get(env.store, "198.18.3.2", 0)->on_demand);
}

/* A client's reply carries what the store keeps: previous PMTU. */
static void
test_reply_is_the_stored_record(void **state)
{
	(void)state;
	ask("198.18.3.2", METHOD_AUTO, 0);
	run_loop();
	job_finish(&jobs[0], RESULT_OK, 1500);
	ask("198.18.3.2", METHOD_AUTO, 1);
	run_loop();
	job_finish(&jobs[1], RESULT_OK, 1400);	/* down: to be confirmed */
	assert_true(calls[1].confirming);
	assert_int_equal(calls[1].previous_pmtu, 0);	/* not recorded yet */
	ask("198.18.3.2", METHOD_AUTO, 1);
	run_loop();
	job_finish(&jobs[2], RESULT_OK, 1400);
	assert_false(calls[2].confirming);
	assert_int_equal(calls[2].pmtu, 1400);
	assert_int_equal(calls[2].previous_pmtu, 1500);
	assert_int_equal(calls[2].findings, 2);
}

/* Flows asked for: one job per flow, one after another, until sure. */
static void
ask_flows(unsigned flows)
{
	struct measure_req	 mr;

	memset(&mr, 0, sizeof(mr));
	mr.destination = "198.18.3.2";
	mr.method = METHOD_UDP;
	mr.walk = 1;
	mr.flows = flows;
	mr.on_demand = 1;
	assert_non_null(measure_start(&env, &mr, done_cb, NULL));
	run_loop();
}

static void
test_flows_until_confident(void **state)
{
	const struct result	*r;
	unsigned		 i;

	(void)state;
	ask_flows(16);
	/* Two paths, taken in turn: 11 flows make it 95 % sure. */
	for (i = 0; i < 11; i++) {
		assert_int_equal(njobs, i + 1);
		assert_int_equal(jobs[i].params.flow, i);
		assert_int_equal(ncalls, 0);
		job_finish(&jobs[i], RESULT_OK, i % 2 ? 1400 : 1500);
	}
	assert_int_equal(njobs, 11);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].state, RESULT_OK);
	assert_int_equal(calls[0].pmtu, 1400);
	assert_non_null(r = store_get(env.store, "198.18.3.2", AF_INET));
	assert_int_equal(r->npaths, 2);
	assert_int_equal(r->flows_tried, 11);
	assert_true(r->confident);
	assert_int_equal(r->paths[0].pmtu, 1500);
	assert_int_equal(r->paths[0].flows, 6);
	assert_int_equal(r->paths[1].pmtu, 1400);
	assert_int_equal(r->paths[1].flows, 5);
	/* The stub's jobs say they used ICMP echo: identifiers only. */
	assert_int_not_equal(r->paths[0].echo_id, r->paths[1].echo_id);
	assert_int_equal(r->paths[0].sport, 0);
}

static void
test_flows_partial_blackhole(void **state)
{
	const struct result	*r;
	unsigned		 i;

	(void)state;
	ask_flows(4);		/* fewer than the rule wants */
	for (i = 0; i < 4; i++)
		job_finish(&jobs[i], i == 2 ? RESULT_BLACKHOLE : RESULT_OK,
		    i == 2 ? 1400 : 1500);
	assert_int_equal(njobs, 4);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].state, RESULT_PARTIAL_BLACKHOLE);
	assert_int_equal(calls[0].pmtu, 1400);
	assert_non_null(r = store_get(env.store, "198.18.3.2", AF_INET));
	assert_int_equal(r->npaths, 2);
	assert_int_equal(r->flows_tried, 4);
	assert_false(r->confident);
	assert_true(r->paths[1].blackhole);
}

/* One flow: the job's result as ever, without paths. */
static void
test_one_flow_no_paths(void **state)
{
	const struct result	*r;

	(void)state;
	ask_flows(0);
	job_finish(&jobs[0], RESULT_OK, 1500);
	assert_int_equal(njobs, 1);
	assert_int_equal(ncalls, 1);
	assert_non_null(r = store_get(env.store, "198.18.3.2", AF_INET));
	assert_null(r->paths);
}

/* A flow 0 that finds nothing usable ends the run. */
static void
test_flows_stop_on_error(void **state)
{
	(void)state;
	ask_flows(8);
	job_finish(&jobs[0], RESULT_UNREACHABLE, -1);
	assert_int_equal(njobs, 1);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].state, RESULT_UNREACHABLE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_job_per_target,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_name_recorded_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_delivered_as_asked,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_methods_are_targets,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cancel_keeps_job_for_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_last_stops_job,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_while_resolving,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unresolved_on_demand_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unresolved_scheduled_is_a_finding, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_on_demand_hurries_a_scheduled_job, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes_are_events,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unconfirmed_not_raised,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_confirm_outlives_its_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flows_until_confident,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_flows_partial_blackhole,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_flow_no_paths,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_flows_stop_on_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_from_a_callback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_on_demand_only_not_alerted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reply_is_the_stored_record, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
