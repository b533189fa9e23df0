/* SPDX-License-Identifier: ISC */
/* Hops and black hole in results: JSON both ways, copies, bad input. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "result.h"

static void
walked_v4(struct result *r)
{
	struct result_hop	 hops[3];

	result_init(r, "198.18.3.2");
	addr_parse(&r->address, "198.18.3.2");
	r->family = AF_INET;
	r->pmtu = 1400;
	r->local_mtu = 1500;
	r->state = RESULT_BLACKHOLE;
	r->method = METHOD_ICMP;
	r->probes_sent = 30;
	r->duration_ms = 1900;
	r->updated_at_ms = 0;
	memset(hops, 0, sizeof(hops));
	hops[0].ttl = 1;
	addr_parse(&hops[0].address, "198.18.1.2");
	hops[0].rtt_us = 81;
	hops[0].mtu = 1500;
	hops[1].ttl = 2;
	hops[1].rtt_us = -1;
	hops[2].ttl = 3;
	addr_parse(&hops[2].address, "198.18.3.2");
	hops[2].rtt_us = 1500;
	hops[2].mtu = 1400;
	r->walked = 1;
	assert_int_equal(result_set_hops(r, hops, 3), 0);
	r->blackhole.found = 1;
	r->blackhole.hop = 1;
	addr_parse(&r->blackhole.address, "198.18.1.2");
	r->blackhole.lost_size = 1401;
	r->blackhole.lost = 4;
	r->blackhole.lost_above = 12;
	r->blackhole.control_sent = 9;
	r->blackhole.control_lost = 0;
	r->blackhole.span_ms = 1520;
}

static char *
dump_key(const struct result *r, const char *key)
{
	json_t	*o;
	char	*s;

	o = result_to_json(r);
	assert_non_null(o);
	s = json_dumps(json_object_get(o, key), JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(6));
	json_decref(o);
	assert_non_null(s);
	return s;
}

static void
test_hops_json(void **state)
{
	struct result	 r;
	char		*s;

	(void)state;
	walked_v4(&r);
	s = dump_key(&r, "hops");
	assert_string_equal(s,
	    "[{\"ttl\":1,\"address\":\"198.18.1.2\",\"rtt_ms\":0.081,"
	    "\"mtu\":1500},"
	    "{\"ttl\":2,\"address\":null,\"rtt_ms\":null,\"mtu\":null},"
	    "{\"ttl\":3,\"address\":\"198.18.3.2\",\"rtt_ms\":1.5,"
	    "\"mtu\":1400}]");
	free(s);
	s = dump_key(&r, "blackhole");
	assert_string_equal(s,
	    "{\"hop\":1,\"address\":\"198.18.1.2\",\"lost_size\":1401,"
	    "\"evidence\":{\"lost\":4,\"lost_above\":12,\"control_sent\":9,"
	    "\"control_lost\":0,\"span_ms\":1520}}");
	free(s);
	result_clear(&r);
	assert_null(r.hops);
	assert_int_equal(r.nhops, 0);
}

static void
test_not_walked_is_null(void **state)
{
	struct result	 r;
	char		*s;

	(void)state;
	result_init(&r, "198.18.3.2");
	s = dump_key(&r, "hops");
	assert_string_equal(s, "null");
	free(s);
	r.walked = 1;		/* walked, nothing answered: empty list */
	s = dump_key(&r, "hops");
	assert_string_equal(s, "[]");
	free(s);
	s = dump_key(&r, "blackhole");
	assert_string_equal(s, "null");
	free(s);
}

static void
test_round_trip(void **state)
{
	struct result	 r, back;
	json_t		*o;
	char		 err[256];

	(void)state;
	walked_v4(&r);
	o = result_to_json(&r);
	assert_int_equal(result_from_json(o, &back, err, sizeof(err)), 0);
	json_decref(o);
	assert_int_equal(back.walked, 1);
	assert_int_equal(back.nhops, 3);
	assert_int_equal(back.hops[0].ttl, 1);
	assert_true(addr_eq(&back.hops[0].address, &r.hops[0].address));
	assert_int_equal(back.hops[0].rtt_us, 81);
	assert_int_equal(back.hops[0].mtu, 1500);
	assert_false(addr_isset(&back.hops[1].address));
	assert_int_equal(back.hops[1].rtt_us, -1);
	assert_int_equal(back.hops[1].mtu, 0);
	assert_int_equal(back.hops[2].rtt_us, 1500);
	assert_memory_equal(&back.blackhole, &r.blackhole,
	    sizeof(r.blackhole));
	result_clear(&back);
	result_clear(&r);
}

static void
test_hop_unknown(void **state)
{
	struct result	 r, back;
	json_t		*o;
	char		 err[256], *s;

	(void)state;
	walked_v4(&r);
	r.blackhole.hop = -1;	/* not walked: where is unknown */
	memset(&r.blackhole.address, 0, sizeof(r.blackhole.address));
	s = dump_key(&r, "blackhole");
	assert_string_equal(s,
	    "{\"hop\":null,\"address\":null,\"lost_size\":1401,"
	    "\"evidence\":{\"lost\":4,\"lost_above\":12,\"control_sent\":9,"
	    "\"control_lost\":0,\"span_ms\":1520}}");
	free(s);
	o = result_to_json(&r);
	assert_int_equal(result_from_json(o, &back, err, sizeof(err)), 0);
	assert_int_equal(back.blackhole.found, 1);
	assert_int_equal(back.blackhole.hop, -1);
	json_decref(o);
	result_clear(&back);
	result_clear(&r);
}

static void
test_copy_is_deep(void **state)
{
	struct result	 r, c;

	(void)state;
	walked_v4(&r);
	assert_int_equal(result_copy(&c, &r), 0);
	assert_ptr_not_equal(c.hops, r.hops);
	assert_int_equal(c.nhops, 3);
	assert_memory_equal(c.hops, r.hops, 3 * sizeof(*r.hops));
	result_clear(&r);
	assert_int_equal(c.hops[2].mtu, 1400);	/* still there */
	result_clear(&c);
}

static void
test_set_hops_caps(void **state)
{
	struct result		 r;
	struct result_hop	 many[RESULT_MAXHOPS + 5];

	(void)state;
	memset(many, 0, sizeof(many));
	result_init(&r, "x");
	assert_int_equal(result_set_hops(&r, many, RESULT_MAXHOPS + 5), 0);
	assert_int_equal(r.nhops, RESULT_MAXHOPS);
	assert_int_equal(result_set_hops(&r, NULL, 0), 0);
	assert_null(r.hops);
	result_clear(&r);
}

/* Replaces key in a good result's JSON and expects rejection. */
static void
expect_bad(const char *key, const char *value, const char *message)
{
	struct result	 r, back;
	json_t		*o, *v;
	char		 err[256];

	walked_v4(&r);
	o = result_to_json(&r);
	result_clear(&r);
	v = json_loads(value, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	json_object_set_new(o, key, v);
	assert_int_equal(result_from_json(o, &back, err, sizeof(err)), -1);
	assert_string_equal(err, message);
	json_decref(o);
}

static void
test_bad_path_json(void **state)
{
	(void)state;
	expect_bad("hops", "{}", "\"hops\" must be an array or null");
	expect_bad("hops", "[{\"ttl\":0}]",
	    "\"hops\" entry 1 is not a valid hop");
	expect_bad("hops", "[{\"ttl\":1},{\"ttl\":2,\"address\":\"x\"}]",
	    "\"hops\" entry 2 is not a valid hop");
	expect_bad("hops", "[{\"ttl\":1,\"address\":\"2001:db8::1\"}]",
	    "\"hops\" entry 1 is not a valid hop");
	expect_bad("hops", "[{\"ttl\":1,\"rtt_ms\":-1}]",
	    "\"hops\" entry 1 is not a valid hop");
	expect_bad("hops", "[{\"ttl\":1,\"mtu\":65536}]",
	    "\"hops\" entry 1 is not a valid hop");
	expect_bad("hops", "[1]", "\"hops\" entry 1 is not a valid hop");
	expect_bad("blackhole", "{\"hop\":1}",
	    "\"blackhole\" is not a valid black hole object");
	expect_bad("blackhole", "[]",
	    "\"blackhole\" is not a valid black hole object");
	expect_bad("blackhole", "{\"hop\":-1,\"lost_size\":1,\"evidence\":"
	    "{\"lost\":1,\"lost_above\":1,\"control_sent\":1,"
	    "\"control_lost\":0,\"span_ms\":1}}",
	    "\"blackhole\" is not a valid black hole object");
}

static void
test_absent_path_keys(void **state)
{
	struct result	 r, back;
	json_t		*o;
	char		 err[256];

	(void)state;
	walked_v4(&r);
	o = result_to_json(&r);
	result_clear(&r);
	json_object_del(o, "hops");
	json_object_del(o, "blackhole");
	assert_int_equal(result_from_json(o, &back, err, sizeof(err)), 0);
	assert_int_equal(back.walked, 0);
	assert_null(back.hops);
	assert_int_equal(back.blackhole.found, 0);
	json_decref(o);
}

static void
test_tcp(void **state)
{
	struct result	 r, back;
	json_t		*o;
	char		 err[256], line[512], *s;

	(void)state;
	walked_v4(&r);
	s = dump_key(&r, "tcp");
	assert_string_equal(s, "null");
	free(s);
	r.tcp.checked = 1;
	r.tcp.port = 443;
	r.tcp.peer_mss = 1250;
	r.tcp.tcp_mss = 1238;
	r.tcp.mss_allowed = 1360;
	r.tcp.clamped = 1;
	s = dump_key(&r, "tcp");
	assert_string_equal(s, "{\"port\":443,\"peer_mss\":1250,"
	    "\"tcp_mss\":1238,\"mss_allowed\":1360,\"mss_clamped\":true,"
	    "\"error\":null}");
	free(s);
	result_format(&r, line, sizeof(line));
	assert_string_equal(line, "198.18.3.2  pmtu 1400  local 1500  "
	    "blackhole  icmp  30 probes  1900 ms  black hole at hop 1 "
	    "(198.18.1.2)  tcp mss 1238 (peer 1250, clamped below 1360)");
	o = result_to_json(&r);
	assert_int_equal(result_from_json(o, &back, err, sizeof(err)), 0);
	assert_memory_equal(&back.tcp, &r.tcp, sizeof(r.tcp));
	json_decref(o);
	result_clear(&back);
	/* Refused: no MSS known, the error says why. */
	memset(&r.tcp, 0, sizeof(r.tcp));
	r.tcp.checked = 1;
	r.tcp.port = 8443;
	snprintf(r.tcp.error, sizeof(r.tcp.error), "Connection refused");
	result_format(&r, line, sizeof(line));
	assert_non_null(strstr(line, "  tcp/8443: Connection refused"));
	s = dump_key(&r, "tcp");
	assert_string_equal(s, "{\"port\":8443,\"peer_mss\":null,"
	    "\"tcp_mss\":null,\"mss_allowed\":null,\"mss_clamped\":null,"
	    "\"error\":\"Connection refused\"}");
	free(s);
	result_clear(&r);
	expect_bad("tcp", "{\"port\":0}", "\"tcp\" is not a valid TCP check");
	expect_bad("tcp", "{\"port\":443,\"mss_clamped\":1}",
	    "\"tcp\" is not a valid TCP check");
	expect_bad("tcp", "[]", "\"tcp\" is not a valid TCP check");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hops_json),
		cmocka_unit_test(test_not_walked_is_null),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_hop_unknown),
		cmocka_unit_test(test_copy_is_deep),
		cmocka_unit_test(test_set_hops_caps),
		cmocka_unit_test(test_bad_path_json),
		cmocka_unit_test(test_absent_path_keys),
		cmocka_unit_test(test_tcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
