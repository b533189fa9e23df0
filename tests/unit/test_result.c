/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/result.c. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "result.h"

#define T_2026		1795418629123LL	/* 2026-11-23T07:23:49.123Z */

static const char full_json[] =
    "{\"destination\":\"gw.example\",\"address\":\"198.18.3.2\","
    "\"family\":4,\"pmtu\":1454,\"local_mtu\":1500,\"state\":\"ok\","
    "\"method\":\"icmp\",\"probes_sent\":4,\"duration_ms\":12,"
    "\"updated_at\":\"2026-11-23T07:23:49.123Z\",\"error\":null,"
    "\"previous_pmtu\":null,\"probes_total\":0,\"findings\":0,"
    "\"since\":null,\"on_demand\":false,\"hops\":null,\"blackhole\":null,"
    "\"tcp\":null,\"paths\":null,\"flows_tried\":null,"
    "\"confident\":null}";

static void
full_v4(struct result *r)
{
	result_init(r, "gw.example");
	assert_int_equal(addr_parse(&r->address, "198.18.3.2"), 0);
	r->family = AF_INET;
	r->pmtu = 1454;
	r->local_mtu = 1500;
	r->state = RESULT_OK;
	r->method = METHOD_ICMP;
	r->probes_sent = 4;
	r->duration_ms = 12;
	r->updated_at_ms = T_2026;
}

static void
full_v6(struct result *r)
{
	result_init(r, "2001:db8:3::2");
	assert_int_equal(addr_parse(&r->address, "2001:db8:3::2"), 0);
	r->family = AF_INET6;
	r->pmtu = 1280;
	r->local_mtu = 65536;
	r->state = RESULT_BLACKHOLE;
	r->method = METHOD_UDP;
	r->probes_sent = 4294967295U;
	r->duration_ms = 0;
	r->updated_at_ms = 0;
	snprintf(r->error, sizeof(r->error), "no answer above %d", 1280);
}

static void
assert_result_equal(const struct result *a, const struct result *b)
{
	assert_string_equal(a->destination, b->destination);
	assert_int_equal(a->address.family, b->address.family);
	assert_true(addr_eq(&a->address, &b->address));
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->pmtu, b->pmtu);
	assert_int_equal(a->local_mtu, b->local_mtu);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->method, b->method);
	assert_int_equal(a->probes_sent, b->probes_sent);
	assert_int_equal(a->duration_ms, b->duration_ms);
	assert_int_equal(a->updated_at_ms, b->updated_at_ms);
	assert_int_equal(a->since_ms, b->since_ms);
	assert_string_equal(a->error, b->error);
}

/* to_json, dump, load, from_json: must come back unchanged. */
static void
round_trip(const struct result *in)
{
	struct result	 out;
	json_error_t	 jerr;
	json_t		*j, *back;
	char		*s, err[256];

	assert_non_null(j = result_to_json(in));
	assert_non_null(s = json_dumps(j, JSON_COMPACT));
	assert_non_null(back = json_loads(s, 0, &jerr));
	memset(&out, 0xa5, sizeof(out));
	err[0] = '\0';
	assert_int_equal(result_from_json(back, &out, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_result_equal(in, &out);
	free(s);
	json_decref(j);
	json_decref(back);
}

static char *
dump(const struct result *r)
{
	json_t	*j;
	char	*s;

	assert_non_null(j = result_to_json(r));
	assert_non_null(s = json_dumps(j, JSON_COMPACT));
	json_decref(j);
	return s;
}

static void
test_init(void **state)
{
	struct result	 r;
	char		 longname[400];

	(void)state;
	memset(&r, 0x5a, sizeof(r));
	result_init(&r, "198.18.0.1");
	assert_string_equal(r.destination, "198.18.0.1");
	assert_false(addr_isset(&r.address));
	assert_int_equal(r.family, 0);
	assert_int_equal(r.pmtu, 0);
	assert_int_equal(r.local_mtu, 0);
	assert_int_equal(r.state, RESULT_ERROR);
	assert_int_equal(r.method, 0);
	assert_int_equal(r.probes_sent, 0);
	assert_int_equal(r.duration_ms, -1);
	assert_int_equal(r.updated_at_ms, -1);
	assert_int_equal(r.since_ms, -1);
	assert_string_equal(r.error, "");

	/* A too-long name is cut, never overflows. */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	result_init(&r, longname);
	assert_int_equal(strlen(r.destination), RESULT_DESTLEN - 1);
	result_init(&r, NULL);
	assert_string_equal(r.destination, "");
}

static void
test_json_exact(void **state)
{
	struct result	 r;
	char		*s;

	(void)state;
	full_v4(&r);
	s = dump(&r);
	assert_string_equal(s, full_json);
	free(s);

	result_init(&r, "198.18.0.1");
	s = dump(&r);
	assert_string_equal(s,
	    "{\"destination\":\"198.18.0.1\",\"address\":null,"
	    "\"family\":null,\"pmtu\":null,\"local_mtu\":null,"
	    "\"state\":\"error\",\"method\":null,\"probes_sent\":0,"
	    "\"duration_ms\":null,\"updated_at\":null,\"error\":null,"
	    "\"previous_pmtu\":null,\"probes_total\":0,\"findings\":0,"
	    "\"since\":null,\"on_demand\":false,\"hops\":null,\"blackhole\":null,"
	    "\"tcp\":null,\"paths\":null,\"flows_tried\":null,"
	    "\"confident\":null}");
	free(s);

	full_v6(&r);
	s = dump(&r);
	assert_string_equal(s,
	    "{\"destination\":\"2001:db8:3::2\",\"address\":\"2001:db8:3::2\","
	    "\"family\":6,\"pmtu\":1280,\"local_mtu\":65536,"
	    "\"state\":\"blackhole\",\"method\":\"udp\","
	    "\"probes_sent\":4294967295,\"duration_ms\":0,"
	    "\"updated_at\":\"1970-01-01T00:00:00.000Z\","
	    "\"error\":\"no answer above 1280\",\"previous_pmtu\":null,"
	    "\"probes_total\":0,\"findings\":0,\"since\":null,"
	    "\"on_demand\":false,\"hops\":null,"
	    "\"blackhole\":null,\"tcp\":null,"
	    "\"paths\":null,\"flows_tried\":null,\"confident\":null}");
	free(s);

	/* Negative numbers mean unknown, as does an unknown family. */
	result_init(&r, "198.18.0.1");
	r.pmtu = -5;
	r.local_mtu = -1;
	r.family = 12345;
	r.duration_ms = -7;
	r.updated_at_ms = -1000;
	r.state = RESULT_UNREACHABLE;
	s = dump(&r);
	assert_string_equal(s,
	    "{\"destination\":\"198.18.0.1\",\"address\":null,"
	    "\"family\":null,\"pmtu\":null,\"local_mtu\":null,"
	    "\"state\":\"unreachable\",\"method\":null,\"probes_sent\":0,"
	    "\"duration_ms\":null,\"updated_at\":null,\"error\":null,"
	    "\"previous_pmtu\":null,\"probes_total\":0,\"findings\":0,"
	    "\"since\":null,\"on_demand\":false,\"hops\":null,\"blackhole\":null,"
	    "\"tcp\":null,\"paths\":null,\"flows_tried\":null,"
	    "\"confident\":null}");
	free(s);
}

static void
test_json_invalid(void **state)
{
	struct result	 r;

	(void)state;
	full_v4(&r);
	r.state = 0;
	assert_null(result_to_json(&r));
	r.state = RESULT_PARTIAL_BLACKHOLE + 1;
	assert_null(result_to_json(&r));
	full_v4(&r);
	r.method = 3;
	assert_null(result_to_json(&r));
	full_v4(&r);
	r.updated_at_ms = 253402300800000LL;	/* year 10000 */
	assert_null(result_to_json(&r));
}

/* Two paths parting at TTL 2, the second one black-holing at hop 2. */
static void
two_paths(struct result *r)
{
	struct result_path	 p[2];

	memset(p, 0, sizeof(p));
	p[0].sport = 40001;
	p[0].dport = 33434;
	p[0].pmtu = 1500;
	p[0].bh_hop = -1;
	p[0].flows = 7;
	p[0].nhops = 3;
	assert_int_equal(addr_parse(&p[0].hops[0], "198.18.1.2"), 0);
	assert_int_equal(addr_parse(&p[0].hops[1], "198.18.11.2"), 0);
	p[1] = p[0];
	p[1].sport = 40002;
	p[1].dport = 33435;
	p[1].pmtu = 1400;
	p[1].blackhole = 1;
	p[1].bh_hop = 2;
	p[1].flows = 4;
	assert_int_equal(addr_parse(&p[1].hops[1], "198.18.12.2"), 0);
	assert_int_equal(addr_parse(&p[1].hops[2], "198.18.21.2"), 0);
	assert_int_equal(result_set_paths(r, p, 2), 0);
	r->flows_tried = 11;
	r->confident = 1;
	r->pmtu = 1400;
	r->state = RESULT_PARTIAL_BLACKHOLE;
}

static void
test_paths(void **state)
{
	struct result	 r, out, copy;
	json_error_t	 jerr;
	json_t		*j, *o;
	char		*s, err[256], line[512];
	unsigned	 i;

	(void)state;
	full_v4(&r);
	two_paths(&r);
	assert_non_null(j = result_to_json(&r));
	s = json_dumps(json_object_get(j, "paths"), JSON_COMPACT);
	assert_string_equal(s, "[{\"flow\":{\"sport\":40001,\"dport\":33434},"
	    "\"pmtu\":1500,\"state\":\"ok\",\"blackhole_hop\":null,"
	    "\"hops\":[\"198.18.1.2\",\"198.18.11.2\",null],\"flows\":7},"
	    "{\"flow\":{\"sport\":40002,\"dport\":33435},\"pmtu\":1400,"
	    "\"state\":\"blackhole\",\"blackhole_hop\":2,\"hops\":"
	    "[\"198.18.1.2\",\"198.18.12.2\",\"198.18.21.2\"],\"flows\":4}]");
	free(s);
	assert_int_equal(json_integer_value(json_object_get(j,
	    "flows_tried")), 11);
	assert_true(json_is_true(json_object_get(j, "confident")));
	assert_string_equal(json_string_value(json_object_get(j, "state")),
	    "partial_blackhole");
	/* Back from JSON: the same paths. */
	assert_int_equal(result_from_json(j, &out, err, sizeof(err)), 0);
	assert_int_equal(out.npaths, 2);
	assert_int_equal(out.flows_tried, 11);
	assert_int_equal(out.confident, 1);
	assert_int_equal(out.state, RESULT_PARTIAL_BLACKHOLE);
	for (i = 0; i < 2; i++) {
		assert_int_equal(out.paths[i].sport, r.paths[i].sport);
		assert_int_equal(out.paths[i].pmtu, r.paths[i].pmtu);
		assert_int_equal(out.paths[i].blackhole, r.paths[i].blackhole);
		assert_int_equal(out.paths[i].bh_hop, r.paths[i].bh_hop);
		assert_int_equal(out.paths[i].flows, r.paths[i].flows);
		assert_int_equal(out.paths[i].nhops, r.paths[i].nhops);
		assert_memory_equal(out.paths[i].hops, r.paths[i].hops,
		    sizeof(r.paths[i].hops));
	}
	/* A deep copy. */
	assert_int_equal(result_copy(&copy, &out), 0);
	assert_ptr_not_equal(copy.paths, out.paths);
	assert_int_equal(copy.paths[1].pmtu, 1400);
	result_clear(&copy);
	result_clear(&out);
	/* The status line. */
	result_format(&r, line, sizeof(line));
	assert_non_null(strstr(line, "  pmtu 1400 (2 paths: 1500 via "
	    "198.18.11.2, 1400 via 198.18.12.2 black hole)  local "));
	/* Saved before paths existed: null. */
	json_object_del(j, "paths");
	json_object_del(j, "flows_tried");
	json_object_del(j, "confident");
	assert_int_equal(result_from_json(j, &out, err, sizeof(err)), 0);
	assert_null(out.paths);
	assert_int_equal(out.npaths, 0);
	result_clear(&out);
	/* Bad paths are refused. */
	json_object_set_new(j, "paths", json_integer(5));
	assert_int_equal(result_from_json(j, &out, err, sizeof(err)), -1);
	assert_string_equal(err, "\"paths\" must be an array or null");
	json_decref(j);
	j = json_loads("[{\"flow\":{},\"pmtu\":1400,\"state\":\"maybe\","
	    "\"hops\":[],\"flows\":1}]", 0, &jerr);
	assert_non_null(j);
	result_clear(&r);
	full_v4(&r);
	assert_non_null(o = result_to_json(&r));
	json_object_set_new(o, "paths", j);
	assert_int_equal(result_from_json(o, &out, err, sizeof(err)), -1);
	assert_string_equal(err, "\"paths\" entry 1 is not a valid path");
	json_decref(o);
	result_clear(&r);
}

static void
test_round_trip(void **state)
{
	struct result	 r;

	(void)state;
	full_v4(&r);
	round_trip(&r);
	full_v6(&r);
	round_trip(&r);
	result_init(&r, "gw.example");
	round_trip(&r);
	/* A family without an address: resolution failed for v6 only. */
	result_init(&r, "gw.example");
	r.family = AF_INET6;
	r.state = RESULT_ERROR;
	snprintf(r.error, sizeof(r.error), "no IPv6 address");
	round_trip(&r);
	full_v4(&r);
	r.state = RESULT_UNREACHABLE;
	r.pmtu = 0;
	r.probes_sent = 1;
	r.updated_at_ms = 253402300799999LL;	/* the last ms of 9999 */
	round_trip(&r);
	/* The store's "since": when the present path state began. */
	full_v4(&r);
	r.since_ms = T_2026 - 3600000;
	round_trip(&r);
	r.since_ms = 0;
	round_trip(&r);
}

static void
test_from_json_lenient(void **state)
{
	struct result	 r;
	json_error_t	 jerr;
	json_t		*j;
	char		 err[256];

	(void)state;
	/* Unknown keys are for later versions; "" error same as null. */
	j = json_loads("{\"walk\":[1,2],\"destination\":\"198.18.3.2\","
	    "\"address\":\"198.18.3.2\",\"family\":4,\"pmtu\":68,"
	    "\"local_mtu\":1,\"state\":\"unreachable\",\"method\":\"udp\","
	    "\"probes_sent\":0,\"duration_ms\":0,"
	    "\"updated_at\":\"2024-02-29T23:59:59.999Z\",\"error\":\"\","
	    "\"future\":{\"x\":null}}", 0, &jerr);
	assert_non_null(j);
	assert_int_equal(result_from_json(j, &r, err, sizeof(err)), 0);
	assert_string_equal(r.destination, "198.18.3.2");
	assert_int_equal(r.family, AF_INET);
	assert_int_equal(r.pmtu, 68);
	assert_int_equal(r.local_mtu, 1);
	assert_int_equal(r.state, RESULT_UNREACHABLE);
	assert_int_equal(r.method, METHOD_UDP);
	assert_int_equal(r.probes_sent, 0);
	assert_int_equal(r.duration_ms, 0);
	assert_int_equal(r.updated_at_ms, 1709251199999LL);
	assert_int_equal(r.since_ms, -1);	/* absent: older files */
	assert_string_equal(r.error, "");
	json_decref(j);
}

struct bad_case {
	const char	*key;
	const char	*value;		/* JSON text; NULL: remove the key */
	const char	*message;
};

static const struct bad_case bad_cases[] = {
	{ "destination", NULL, "missing \"destination\"" },
	{ "address", NULL, "missing \"address\"" },
	{ "family", NULL, "missing \"family\"" },
	{ "pmtu", NULL, "missing \"pmtu\"" },
	{ "local_mtu", NULL, "missing \"local_mtu\"" },
	{ "state", NULL, "missing \"state\"" },
	{ "method", NULL, "missing \"method\"" },
	{ "probes_sent", NULL, "missing \"probes_sent\"" },
	{ "duration_ms", NULL, "missing \"duration_ms\"" },
	{ "updated_at", NULL, "missing \"updated_at\"" },
	{ "error", NULL, "missing \"error\"" },

	{ "destination", "null", "\"destination\" must be a string" },
	{ "destination", "7", "\"destination\" must be a string" },
	{ "destination", "\"\"", "\"destination\" is empty" },
	{ "destination", "\"gw\\u0000x\"",
	    "\"destination\" contains a NUL byte" },
	{ "address", "198", "\"address\" must be a string or null" },
	{ "address", "\"gw.example\"",
	    "\"address\" is not an IP address: \"gw.example\"" },
	{ "address", "\"198.18.3.256\"",
	    "\"address\" is not an IP address: \"198.18.3.256\"" },
	{ "address", "\"\"", "\"address\" is not an IP address: \"\"" },
	{ "family", "\"4\"", "\"family\" must be an integer or null" },
	{ "family", "4.0", "\"family\" must be an integer or null" },
	{ "family", "5", "\"family\" must be 4, 6 or null, not 5" },
	{ "family", "0", "\"family\" must be 4, 6 or null, not 0" },
	{ "family", "-4", "\"family\" must be 4, 6 or null, not -4" },
	{ "family", "6",
	    "\"family\" 6 does not match \"address\" 198.18.3.2" },
	{ "family", "null",
	    "\"family\" null does not match \"address\" 198.18.3.2" },
	{ "pmtu", "\"1454\"", "\"pmtu\" must be an integer or null" },
	{ "pmtu", "1454.0", "\"pmtu\" must be an integer or null" },
	{ "pmtu", "true", "\"pmtu\" must be an integer or null" },
	{ "pmtu", "0", "\"pmtu\" 0 out of range 1..65535" },
	{ "pmtu", "-1", "\"pmtu\" -1 out of range 1..65535" },
	{ "pmtu", "65536", "\"pmtu\" 65536 out of range 1..65535" },
	{ "local_mtu", "[1500]", "\"local_mtu\" must be an integer or null" },
	{ "local_mtu", "0", "\"local_mtu\" 0 out of range 1..2147483647" },
	{ "local_mtu", "2147483648",
	    "\"local_mtu\" 2147483648 out of range 1..2147483647" },
	{ "state", "null", "\"state\" must be a string" },
	{ "state", "1", "\"state\" must be a string" },
	{ "state", "\"great\"", "\"state\" unknown: \"great\"" },
	{ "state", "\"OK\"", "\"state\" unknown: \"OK\"" },
	{ "state", "\"\"", "\"state\" unknown: \"\"" },
	{ "method", "1", "\"method\" must be a string or null" },
	{ "method", "\"tcp\"", "\"method\" unknown: \"tcp\"" },
	{ "method", "\"auto\"", "\"method\" unknown: \"auto\"" },
	{ "probes_sent", "null", "\"probes_sent\" must be an integer" },
	{ "probes_sent", "\"4\"", "\"probes_sent\" must be an integer" },
	{ "probes_sent", "-1",
	    "\"probes_sent\" -1 out of range 0..4294967295" },
	{ "probes_sent", "4294967296",
	    "\"probes_sent\" 4294967296 out of range 0..4294967295" },
	{ "duration_ms", "\"12\"", "\"duration_ms\" must be an integer or null" },
	{ "duration_ms", "-1",
	    "\"duration_ms\" -1 out of range 0..9223372036854775807" },
	{ "updated_at", "1795418629123",
	    "\"updated_at\" must be a string or null" },
	{ "updated_at", "\"yesterday\"",
	    "\"updated_at\" is not an RFC 3339 UTC time: \"yesterday\"" },
	{ "updated_at", "\"2026-11-23T07:23:49.123+09:00\"",
	    "\"updated_at\" is not an RFC 3339 UTC time: "
	    "\"2026-11-23T07:23:49.123+09:00\"" },
	{ "error", "false", "\"error\" must be a string or null" },
	{ "error", "{}", "\"error\" must be a string or null" },
	{ "since", "1795418629123", "\"since\" must be a string or null" },
	{ "since", "\"1h\"",
	    "\"since\" is not an RFC 3339 UTC time: \"1h\"" },
};

static void
test_from_json_errors(void **state)
{
	struct result	 r, before;
	json_error_t	 jerr;
	json_t		*j, *v;
	char		 err[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		assert_non_null(j = json_loads(full_json, 0, &jerr));
		if (c->value == NULL)
			assert_int_equal(json_object_del(j, c->key), 0);
		else {
			v = json_loads(c->value,
			    JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
			assert_non_null(v);
			assert_int_equal(json_object_set_new(j, c->key, v), 0);
		}
		/* A failed parse leaves the output alone. */
		full_v6(&before);
		r = before;
		memset(err, 0, sizeof(err));
		if (result_from_json(j, &r, err, sizeof(err)) != -1)
			fail_msg("case %zu (%s) was accepted", i, c->key);
		assert_string_equal(err, c->message);
		assert_result_equal(&r, &before);
		json_decref(j);
	}
}

static void
test_from_json_shape(void **state)
{
	struct result	 r;
	json_error_t	 jerr;
	json_t		*j;
	char		 err[256], big[300];

	(void)state;
	j = json_loads("[]", 0, &jerr);
	assert_int_equal(result_from_json(j, &r, err, sizeof(err)), -1);
	assert_string_equal(err, "result must be a JSON object");
	json_decref(j);
	assert_int_equal(result_from_json(NULL, &r, err, sizeof(err)), -1);
	assert_string_equal(err, "result must be a JSON object");
	/* No room for a message is fine. */
	j = json_string("x");
	assert_int_equal(result_from_json(j, &r, NULL, 0), -1);
	json_decref(j);

	/* Strings that do not fit the struct are refused, not cut. */
	memset(big, 'a', sizeof(big) - 1);
	big[RESULT_DESTLEN] = '\0';		/* 256 bytes: one too many */
	j = json_loads(full_json, 0, &jerr);
	json_object_set_new(j, "destination", json_string(big));
	assert_int_equal(result_from_json(j, &r, err, sizeof(err)), -1);
	assert_string_equal(err, "\"destination\" is longer than 255 bytes");
	big[RESULT_DESTLEN - 1] = '\0';		/* 255 bytes: fits */
	json_object_set_new(j, "destination", json_string(big));
	assert_int_equal(result_from_json(j, &r, err, sizeof(err)), 0);
	assert_string_equal(r.destination, big);
	big[RESULT_ERRLEN - 1] = 'a';
	big[RESULT_ERRLEN] = '\0';
	json_object_set_new(j, "error", json_string(big));
	assert_int_equal(result_from_json(j, &r, err, sizeof(err)), -1);
	assert_string_equal(err, "\"error\" is longer than 255 bytes");
	json_decref(j);

	/* A short message buffer is cut and terminated. */
	j = json_loads(full_json, 0, &jerr);
	json_object_del(j, "probes_sent");
	assert_int_equal(result_from_json(j, &r, err, 8), -1);
	assert_string_equal(err, "missing");
	json_decref(j);
}

static void
test_time_format(void **state)
{
	char	 buf[32];

	(void)state;
	assert_int_equal(result_time_format(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	assert_int_equal(result_time_format(T_2026, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-23T07:23:49.123Z");
	assert_int_equal(result_time_format(1709251199999LL, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2024-02-29T23:59:59.999Z");
	assert_int_equal(result_time_format(951825600001LL, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2000-02-29T12:00:00.001Z");
	assert_int_equal(result_time_format(253402300799999LL, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "9999-12-31T23:59:59.999Z");

	assert_int_equal(result_time_format(-1, buf, sizeof(buf)), -1);
	assert_int_equal(result_time_format(253402300800000LL, buf,
	    sizeof(buf)), -1);
	assert_int_equal(result_time_format(INT64_MAX, buf, sizeof(buf)), -1);
	/* 24 characters need 25 bytes. */
	assert_int_equal(result_time_format(0, buf, 25), 0);
	assert_int_equal(result_time_format(0, buf, 24), -1);
}

static void
test_time_parse(void **state)
{
	static const struct {
		const char	*s;
		int64_t		 ms;
	} good[] = {
		{ "1970-01-01T00:00:00.000Z", 0 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2026-11-23T07:23:49.123Z", T_2026 },
		{ "2026-11-23t07:23:49.123z", T_2026 },
		{ "2026-11-23T07:23:49.1234567Z", T_2026 },
		{ "2026-11-23T07:23:49.123999999Z", T_2026 },
		{ "2026-11-23T07:23:49.1Z", T_2026 - 23 },
		{ "2026-11-23T07:23:49.12Z", T_2026 - 3 },
		{ "2024-02-29T23:59:59.999Z", 1709251199999LL },
		{ "2000-02-29T12:00:00.000Z", 951825600000LL },
		{ "9999-12-31T23:59:59.999Z", 253402300799999LL },
	};
	static const char *const bad[] = {
		"", "garbage", "2026-11-23", "2026-11-23T07:23:49",
		"2026-11-23T07:23:49.123", "2026-11-23T07:23:49.123+09:00",
		"2026-11-23T07:23:49.123+00:00", "2026-11-23T07:23:49.123-00:00",
		"2026-11-23T07:23:49.123ZZ", "2026-11-23T07:23:49.123Z ",
		" 2026-11-23T07:23:49.123Z", "2026-11-23 07:23:49.123Z",
		"2026-11-23T07:23:49.Z", "2026-11-23T07:23:49.1234567890Z",
		"2026-11-23T07:23:49,123Z", "2026/11/23T07:23:49.123Z",
		"2026-1a-23T07:23:49.123Z", "+026-11-23T07:23:49.123Z",
		"26-11-23T07:23:49.123Z", "2026-11-3T07:23:49.123Z",
		"2025-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z",
		"2024-02-30T00:00:00.000Z", "2026-04-31T00:00:00.000Z",
		"2026-00-10T00:00:00.000Z", "2026-13-10T00:00:00.000Z",
		"2026-11-00T00:00:00.000Z", "2026-11-23T24:00:00.000Z",
		"2026-11-23T07:60:00.000Z", "2026-12-31T23:59:60.000Z",
		"1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00.000Z",
		"2026-11-23T07:23:49.-12Z",
	};
	int64_t	 ms;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = -42;
		if (result_time_parse(good[i].s, &ms) != 0)
			fail_msg("refused %s", good[i].s);
		assert_int_equal(ms, good[i].ms);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms = -42;
		if (result_time_parse(bad[i], &ms) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(ms, -42);
	}
}

static void
test_time_round_trip(void **state)
{
	static const int64_t	 times[] = {
		0, 1, 999, 1000, 86399999, T_2026, 1709251199999LL,
		1709251200000LL, 4107542400000LL /* 2100-03-01 */,
	};
	char	 buf[32];
	int64_t	 ms;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		assert_int_equal(result_time_format(times[i], buf,
		    sizeof(buf)), 0);
		assert_int_equal(result_time_parse(buf, &ms), 0);
		assert_int_equal(ms, times[i]);
	}
	assert_int_equal(result_time_format(4107542400000LL, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "2100-03-01T00:00:00.000Z");
}

static void
test_format(void **state)
{
	struct result	 r;
	char		 buf[512];

	(void)state;
	full_v4(&r);
	snprintf(r.destination, sizeof(r.destination), "198.18.3.2");
	result_format(&r, buf, sizeof(buf));
	assert_string_equal(buf,
	    "198.18.3.2  pmtu 1454  local 1500  ok  icmp  4 probes  12 ms");

	full_v4(&r);
	result_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "gw.example (198.18.3.2)  pmtu 1454  "
	    "local 1500  ok  icmp  4 probes  12 ms");

	/* The same address written differently is still a different text. */
	full_v6(&r);
	snprintf(r.destination, sizeof(r.destination), "2001:DB8:3::2");
	r.error[0] = '\0';
	r.probes_sent = 1;
	r.duration_ms = 0;
	result_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "2001:DB8:3::2 (2001:db8:3::2)  pmtu 1280  "
	    "local 65536  blackhole  udp  1 probe  0 ms");

	full_v6(&r);
	result_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8:3::2  pmtu 1280  local 65536  "
	    "blackhole  udp  4294967295 probes  0 ms  "
	    "(no answer above 1280)");

	result_init(&r, "gw.example");
	result_format(&r, buf, sizeof(buf));
	assert_string_equal(buf,
	    "gw.example  pmtu -  local -  error  -  0 probes  - ms");

	result_init(&r, "gw.example");
	r.state = RESULT_UNREACHABLE;
	r.local_mtu = 1500;
	r.probes_sent = 1;
	r.duration_ms = 3000;
	snprintf(r.error, sizeof(r.error), "no answer at any size");
	result_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "gw.example  pmtu -  local 1500  "
	    "unreachable  -  1 probe  3000 ms  (no answer at any size)");

	/* No destination text: the address alone; a bad state shows "?". */
	full_v4(&r);
	r.destination[0] = '\0';
	r.state = 99;
	result_format(&r, buf, sizeof(buf));
	assert_string_equal(buf,
	    "198.18.3.2  pmtu 1454  local 1500  ?  icmp  4 probes  12 ms");
}

static void
test_format_short_buffer(void **state)
{
	struct result	 r;
	char		 buf[64];

	(void)state;
	full_v4(&r);
	memset(buf, 'x', sizeof(buf));
	result_format(&r, buf, 12);
	assert_string_equal(buf, "gw.example ");
	assert_int_equal(buf[12], 'x');
	result_format(&r, buf, 30);
	assert_string_equal(buf, "gw.example (198.18.3.2)  pmtu");
	result_format(&r, buf, 1);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	result_format(&r, buf, 0);
	assert_int_equal(buf[0], 'x');
}

static void
test_state_names(void **state)
{
	static const struct {
		enum result_state	 s;
		const char		*name;
	} states[] = {
		{ RESULT_OK, "ok" },
		{ RESULT_UNREACHABLE, "unreachable" },
		{ RESULT_ERROR, "error" },
		{ RESULT_BLACKHOLE, "blackhole" },
		{ RESULT_PARTIAL_BLACKHOLE, "partial_blackhole" },
	};
	enum result_state	 s;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		assert_string_equal(result_state_name(states[i].s),
		    states[i].name);
		s = 0;
		assert_int_equal(result_state_parse(states[i].name, &s), 0);
		assert_int_equal(s, states[i].s);
	}
	assert_null(result_state_name(0));
	assert_null(result_state_name(RESULT_PARTIAL_BLACKHOLE + 1));
	assert_null(result_state_name((enum result_state)-1));
	s = RESULT_OK;
	assert_int_equal(result_state_parse("", &s), -1);
	assert_int_equal(result_state_parse("Ok", &s), -1);
	assert_int_equal(result_state_parse("ok ", &s), -1);
	assert_int_equal(result_state_parse("black", &s), -1);
	assert_int_equal(s, RESULT_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_json_exact),
		cmocka_unit_test(test_json_invalid),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_from_json_lenient),
		cmocka_unit_test(test_from_json_errors),
		cmocka_unit_test(test_from_json_shape),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_round_trip),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_short_buffer),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
