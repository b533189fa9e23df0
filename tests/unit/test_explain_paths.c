/* SPDX-License-Identifier: ISC */
/* A multipath finding explained: where its paths part, which differs. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain_paths.h"
#include "report.h"

static void
set_addr(struct addr *a, const char *s)
{
	assert_int_equal(addr_parse(a, s), 0);
}

/*
 * This host - r1 (198.18.1.2) - branch 1 (198.18.11.2) or branch 2
 * (198.18.12.2) - rj (198.18.21.2 / .22.2) - server.  Branch 2's link
 * into rj is 1400; the finding's walk is branch 2's.
 */
static void
two_paths(struct result *r, int blackhole)
{
	struct result_path	 p[2];
	struct result_hop	 h[4];

	result_init(r, "198.18.3.2");
	set_addr(&r->address, "198.18.3.2");
	r->family = AF_INET;
	r->state = blackhole ? RESULT_PARTIAL_BLACKHOLE : RESULT_OK;
	r->pmtu = 1400;
	r->local_mtu = 1500;
	memset(p, 0, sizeof(p));
	p[0].pmtu = 1500;
	p[0].bh_hop = -1;
	p[0].flows = 6;
	p[0].nhops = 3;
	set_addr(&p[0].hops[0], "198.18.1.2");
	set_addr(&p[0].hops[1], "198.18.11.2");
	set_addr(&p[0].hops[2], "198.18.21.2");
	p[1] = p[0];
	p[1].pmtu = 1400;
	p[1].flows = 5;
	set_addr(&p[1].hops[1], "198.18.12.2");
	set_addr(&p[1].hops[2], "198.18.22.2");
	if (blackhole) {
		p[1].blackhole = 1;
		p[1].bh_hop = 2;
	}
	assert_int_equal(result_set_paths(r, p, 2), 0);
	memset(h, 0, sizeof(h));
	h[0].ttl = 1;
	set_addr(&h[0].address, "198.18.1.2");
	h[0].mtu = 1500;
	h[1].ttl = 2;
	set_addr(&h[1].address, "198.18.12.2");
	h[1].mtu = 1500;
	h[2].ttl = 3;
	set_addr(&h[2].address, "198.18.22.2");
	h[2].mtu = 1400;
	h[3].ttl = 4;
	h[3].address = r->address;
	h[3].mtu = 1400;
	assert_int_equal(result_set_hops(r, h, 4), 0);
	r->walked = 1;
}

static void
test_part_and_narrower(void **state)
{
	struct result		 r;
	struct explain_paths	 x;
	char			 buf[1024];

	(void)state;
	two_paths(&r, 0);
	assert_int_equal(explain_paths(&r, &x), 0);
	assert_int_equal(x.npaths, 2);
	assert_int_equal(x.part_hop, 1);	/* after r1 */
	assert_int_equal(x.min_pmtu, 1400);
	assert_int_equal(x.max_pmtu, 1500);
	assert_false(x.paths[0].narrower);
	assert_true(x.paths[1].narrower);
	assert_true(x.paths[1].drop);
	assert_int_equal(x.drop_hop, 3);
	explain_paths_format(&x, buf, sizeof(buf));
	assert_string_equal(buf,
	    "2 paths part after hop 1 (198.18.1.2): 1500 via 198.18.11.2, "
	    "1400 via 198.18.12.2\n"
	    "  the path via 198.18.12.2 carries 1400, the widest 1500: its "
	    "MTU drops on the link into hop 3 (198.18.22.2)\n");
	result_clear(&r);
}

static void
test_json(void **state)
{
	struct result	 r;
	json_t		*o, *p, *n;

	(void)state;
	two_paths(&r, 1);
	o = report_to_json(&r);
	assert_non_null(o);
	p = json_object_get(json_object_get(o, "explain"), "paths");
	assert_true(json_is_object(p));
	assert_int_equal(json_integer_value(json_object_get(p, "paths")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(p,
	    "part"), "after_hop")), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(p, "part"), "address")), "198.18.1.2");
	n = json_array_get(json_object_get(p, "narrower"), 0);
	assert_int_equal(json_integer_value(json_object_get(n, "pmtu")), 1400);
	assert_string_equal(json_string_value(json_object_get(n, "via")),
	    "198.18.12.2");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(n,
	    "drop"), "hop")), 3);
	n = json_array_get(json_object_get(p, "blackholes"), 0);
	assert_int_equal(json_integer_value(json_object_get(n, "hop")), 2);
	assert_string_equal(json_string_value(json_object_get(n, "address")),
	    "198.18.12.2");
	json_decref(o);
	result_clear(&r);
}

/* The text people read: the paths after the PMTU's own explanation. */
static void
test_text(void **state)
{
	struct result	 r;
	char		 buf[8192];

	(void)state;
	two_paths(&r, 1);
	report_explain_text(&r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "2 paths part after hop 1 (198.18.1.2)"));
	assert_non_null(strstr(buf, "the path via 198.18.12.2 loses packets "
	    "above 1400 with no \"too big\" after hop 2 (198.18.12.2)\n"));
	/* ... before the advice. */
	assert_true(strstr(buf, "2 paths") < strstr(buf, "TCP MSS"));
	result_clear(&r);
}

/* One path (or none): nothing to say, and no "paths" in explain. */
static void
test_single(void **state)
{
	struct result		 r;
	struct explain_paths	 x;
	json_t			*o;

	(void)state;
	two_paths(&r, 0);
	assert_int_equal(result_set_paths(&r, r.paths, 1), 0);
	assert_int_equal(explain_paths(&r, &x), -1);
	o = report_to_json(&r);
	assert_null(json_object_get(json_object_get(o, "explain"), "paths"));
	json_decref(o);
	result_clear(&r);
}

/* Paths whose walks agree are told apart by MTU only; a silent hop. */
static void
test_no_part(void **state)
{
	struct result		 r;
	struct explain_paths	 x;
	char			 buf[1024];

	(void)state;
	two_paths(&r, 0);
	memset(&r.paths[1].hops[1], 0, sizeof(r.paths[1].hops[1]));
	memset(&r.paths[1].hops[2], 0, sizeof(r.paths[1].hops[2]));
	assert_int_equal(explain_paths(&r, &x), 0);
	assert_int_equal(x.part_hop, -1);
	explain_paths_format(&x, buf, sizeof(buf));
	assert_string_equal(buf,
	    "2 paths (their walks never differ): 1500, 1400\n"
	    "  a path carries 1400, the widest 1500: its MTU drops on the "
	    "link into hop 3 (198.18.22.2)\n");
	result_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_part_and_narrower),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_no_part),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
