/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for daemon/paths.c without root or namespaces: the .c is
 * built in here and the job is stubbed by a simulated multipath
 * destination whose flows hash onto paths by a table.  Each job
 * answers as the real one would for its kind: a whole search and walk,
 * a trace (hops, no PMTU) or a check of a known PMTU (P, or P + 1 when
 * the path carries more, unreachable when it carries less).
 */
#include "../../daemon/paths.c"

#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#define WORLD_PATHS	4
#define ROUTERS		3
#define WHOLE_PROBES	20	/* what each kind of job says it sent */
#define TRACE_PROBES	4
#define CHECK_PROBES	2

struct world_path {
	int		 pmtu;
	int		 blackhole;	/* after its router 2 */
	int		 silent2;	/* its router 2 never answers a walk */
};

static struct {
	struct world_path paths[WORLD_PATHS];
	unsigned	 route[FLOW_MAX];	/* flow -> path */
	enum method	 method;		/* what flow 0's search used */
	unsigned	 whole, traces, checks;
	unsigned	 max_trace_hops;
	enum method	 later_method;		/* asked of flow >= 1 */
	unsigned	 rto_min[2];		/* of flow 0, of later ones */
	int		 join;			/* router 3 one for all */
	int		 silent;		/* no router answers a walk */
} world;

struct job {
	struct job_params	 params;
	job_done_cb		 cb;
	void			*arg;
	int			 live;
};

static struct job	 the_job;	/* paths runs one job at a time */
static struct result	 delivered;
static unsigned		 ncalls;

void
prober_flow(const struct prober *pr, unsigned n, struct flow *f)
{
	struct flow	 base = { 0, 40000 | 0x8000, 33434, 4321, 0, 0x12345, 0 };

	(void)pr;
	flow_derive(&base, n, f);
}

struct job *
job_start(struct pmtud *env, const struct job_params *jp, job_done_cb cb,
    void *arg)
{
	(void)env;
	assert_false(the_job.live);	/* never two at once */
	the_job.params = *jp;
	the_job.cb = cb;
	the_job.arg = arg;
	the_job.live = 1;
	if (jp->flow > 0)
		world.later_method = jp->method;
	world.rto_min[jp->flow > 0] = jp->rto_min_ms;
	return &the_job;
}

void
job_cancel(struct job *j)
{
	j->live = 0;
}

void
job_hurry(struct job *j)
{
	(void)j;
}

/* Router k (1 ..) of path p; the destination after them. */
static void
router(unsigned p, unsigned k, struct addr *a)
{
	char	 s[32];

	if (k == 1 || (k == 3 && world.join))
		snprintf(s, sizeof(s), "198.18.%u.2", k);
	else
		snprintf(s, sizeof(s), "198.18.%u.2", 10 * k + p);
	assert_int_equal(addr_parse(a, s), 0);
}

/* The walk of path p, of at most max hops, with hop MTUs when sized. */
static void
walk(const struct world_path *wp, unsigned p, unsigned max, int sized,
    struct result *r)
{
	struct result_hop	 h[ROUTERS + 1];
	unsigned		 k, n = 0;

	memset(h, 0, sizeof(h));
	for (k = 1; k <= ROUTERS + 1 && k <= max; k++, n++) {
		h[n].ttl = k;
		h[n].rtt_us = 100;
		if (k == ROUTERS + 1)
			h[n].address = r->address;
		else if (!(k == 2 && wp->silent2) && !world.silent)
			router(p, k, &h[n].address);
		if (sized)
			h[n].mtu = k >= 3 ? (unsigned)wp->pmtu : 1500;
	}
	assert_int_equal(result_set_hops(r, h, n), 0);
	r->walked = 1;
}

/* Finishes the running job as the simulated destination answers it. */
static void
answer(void)
{
	struct job_params	 jp = the_job.params;
	const struct world_path	*wp;
	struct result		 r;
	unsigned		 p;

	assert_true(the_job.live);
	p = world.route[jp.flow];
	wp = &world.paths[p];
	result_init(&r, "198.18.3.2");
	assert_int_equal(addr_parse(&r.address, "198.18.3.2"), 0);
	r.family = AF_INET;
	r.local_mtu = 1500;
	r.method = jp.method == METHOD_AUTO ? world.method : jp.method;
	r.state = RESULT_OK;
	r.duration_ms = 10;
	if (jp.trace_hops > 0) {
		world.traces++;
		if (jp.trace_hops > world.max_trace_hops)
			world.max_trace_hops = jp.trace_hops;
		assert_int_equal(jp.walk, 0);
		walk(wp, p, jp.trace_hops, 0, &r);
		r.probes_sent = TRACE_PROBES;
	} else if (jp.expect_pmtu > 0) {
		world.checks++;
		r.probes_sent = CHECK_PROBES;
		if ((int)jp.expect_pmtu < wp->pmtu)
			r.pmtu = (int)jp.expect_pmtu + 1;
		else if ((int)jp.expect_pmtu > wp->pmtu)
			r.state = RESULT_UNREACHABLE;
		else {
			r.pmtu = wp->pmtu;
			if (wp->blackhole)
				r.state = RESULT_BLACKHOLE;
		}
	} else {
		world.whole++;
		r.probes_sent = WHOLE_PROBES;
		r.pmtu = wp->pmtu;
		if (wp->blackhole) {
			r.state = RESULT_BLACKHOLE;
			r.blackhole.found = 1;
			r.blackhole.hop = 2;
			router(p, 2, &r.blackhole.address);
		}
		if (jp.walk)
			walk(wp, p, ROUTERS + 1, 1, &r);
	}
	the_job.live = 0;
	the_job.cb(&r, the_job.arg);
	result_clear(&r);
}

static void
done_cb(const struct result *r, void *arg)
{
	(void)arg;
	ncalls++;
	result_clear(&delivered);
	assert_int_equal(result_copy(&delivered, r), 0);
}

static int
setup(void **state)
{
	(void)state;
	memset(&world, 0, sizeof(world));
	memset(&the_job, 0, sizeof(the_job));
	world.paths[0].pmtu = 1500;
	world.paths[1].pmtu = 1400;
	world.method = METHOD_ICMP;
	result_init(&delivered, "");
	ncalls = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	result_clear(&delivered);
	return 0;
}

/* Flows taken in turn by n paths. */
static void
route_turns(unsigned n)
{
	unsigned	 i;

	for (i = 0; i < FLOW_MAX; i++)
		world.route[i] = i % n;
}

/* Runs paths over the world until it delivers. */
static void
run(unsigned flows, int walked)
{
	struct job_params	 jp;
	struct pmtud		 env;
	struct paths		*p;
	unsigned		 n = 0;

	memset(&env, 0, sizeof(env));
	memset(&jp, 0, sizeof(jp));
	assert_int_equal(addr_parse(&jp.address, "198.18.3.2"), 0);
	jp.method = METHOD_AUTO;
	jp.walk = walked;
	assert_non_null(p = paths_start(&env, &jp, flows, done_cb, NULL));
	while (ncalls == 0) {
		assert_true(n++ < 4 * FLOW_MAX);
		answer();
	}
	assert_false(the_job.live);
	assert_int_equal(ncalls, 1);
}

/* Flows in turn over two paths: one whole job per path, then traces
 * and checks; every job's probes counted. */
static void
test_trace_and_check(void **state)
{
	(void)state;
	route_turns(2);
	run(16, 1);
	assert_int_equal(delivered.state, RESULT_OK);
	assert_int_equal(delivered.npaths, 2);
	assert_int_equal(delivered.flows_tried, 11);
	assert_true(delivered.confident);
	assert_int_equal(delivered.pmtu, 1400);
	assert_int_equal(delivered.paths[0].pmtu, 1500);
	assert_int_equal(delivered.paths[0].flows, 6);
	assert_int_equal(delivered.paths[1].pmtu, 1400);
	assert_int_equal(delivered.paths[1].flows, 5);
	/* Flow 1's trace matched nothing: a whole job; the other nine
	 * repeat a path and are only checked. */
	assert_int_equal(world.whole, 2);
	assert_int_equal(world.traces, 10);
	assert_int_equal(world.checks, 9);
	assert_int_equal(world.max_trace_hops, ROUTERS);
	assert_int_equal(delivered.probes_sent, 2 * WHOLE_PROBES +
	    10 * TRACE_PROBES + 9 * CHECK_PROBES);
	/* The finding's walk is the narrower path's. */
	assert_int_equal(delivered.hops[2].mtu, 1400);
	/* Later flows use the method flow 0 found answered. */
	assert_int_equal(world.later_method, METHOD_ICMP);
	assert_int_equal(world.rto_min[1], 0);
}

/* UDP flows after the first wait for the destination's rate limit. */
static void
test_udp_waits(void **state)
{
	(void)state;
	world.method = METHOD_UDP;
	route_turns(2);
	run(16, 1);
	assert_int_equal(delivered.npaths, 2);
	assert_int_equal(world.later_method, METHOD_UDP);
	assert_int_equal(world.rto_min[0], 0);
	assert_int_equal(world.rto_min[1], PATHS_UDP_RTO_MIN);
}

/*
 * A path whose walk looks like another's (its branch router is silent,
 * the router where they join answers from one address) but whose PMTU
 * differs: the check says so and the flow is searched.
 */
static void
test_check_fails(void **state)
{
	(void)state;
	world.paths[1].silent2 = 1;
	world.join = 1;
	route_turns(2);
	run(16, 1);
	assert_int_equal(delivered.npaths, 2);
	assert_int_equal(delivered.paths[0].pmtu, 1500);
	assert_int_equal(delivered.paths[1].pmtu, 1400);
	assert_int_equal(delivered.paths[0].flows +
	    delivered.paths[1].flows, delivered.flows_tried);
	/* Every flow of path 1 went whole, after a check that failed. */
	assert_int_equal(world.whole, 1 + 5);
	assert_true(world.checks >= 5);
}

/* One of two paths black-holes: partial, with that path's hop. */
static void
test_partial_blackhole(void **state)
{
	struct addr	 a;
	unsigned	 i;

	(void)state;
	world.paths[1].blackhole = 1;
	for (i = 0; i < FLOW_MAX; i++)
		world.route[i] = i % 3 == 2;
	run(16, 1);
	assert_int_equal(delivered.state, RESULT_PARTIAL_BLACKHOLE);
	assert_int_equal(delivered.npaths, 2);
	assert_true(delivered.paths[1].blackhole);
	assert_int_equal(delivered.paths[1].bh_hop, 2);
	assert_false(delivered.paths[0].blackhole);
	assert_true(delivered.blackhole.found);
	assert_int_equal(delivered.blackhole.hop, 2);
	router(1, 2, &a);
	assert_true(addr_eq(&delivered.blackhole.address, &a));
	assert_int_equal(world.whole, 2);
}

/* No walk asked: nothing to match a trace against, every flow whole. */
static void
test_no_walk(void **state)
{
	(void)state;
	route_turns(2);
	run(16, 0);
	assert_int_equal(delivered.npaths, 2);
	assert_int_equal(world.traces, 0);
	assert_int_equal(world.checks, 0);
	assert_int_equal(world.whole, 11);
}

/* No router answers a walk: no trace can match, none is sent. */
static void
test_silent_routers(void **state)
{
	(void)state;
	world.silent = 1;
	route_turns(2);
	run(16, 1);
	assert_int_equal(delivered.npaths, 2);
	assert_int_equal(world.traces, 0);
	assert_int_equal(world.checks, 0);
	assert_int_equal(world.whole, 11);
}

/* Four paths, two of one MTU: told apart by their routers. */
static void
test_four_paths(void **state)
{
	(void)state;
	world.paths[2].pmtu = 1500;
	world.paths[3].pmtu = 1300;
	route_turns(4);
	run(FLOW_MAX, 1);
	assert_int_equal(delivered.npaths, 4);
	assert_int_equal(delivered.flows_tried, multipath_needed(4));
	assert_true(delivered.confident);
	assert_int_equal(delivered.pmtu, 1300);
	assert_int_equal(world.whole, 4);
	assert_int_equal(world.checks, multipath_needed(4) - 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trace_and_check, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_udp_waits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_partial_blackhole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_walk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_silent_routers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_four_paths, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
