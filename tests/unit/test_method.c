/* SPDX-License-Identifier: ISC */
/* The one method vocabulary: names, parsing, probe protocols. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "method.h"

static void
test_names_round_trip(void **state)
{
	enum method	 m, got;

	(void)state;
	for (m = METHOD_AUTO; m <= METHOD_TCP; m++) {
		assert_non_null(method_name(m));
		assert_int_equal(method_parse(method_name(m), &got), 0);
		assert_int_equal(got, m);
	}
	assert_string_equal(method_name(METHOD_AUTO), "auto");
	assert_string_equal(method_name(METHOD_ICMP), "icmp");
	assert_string_equal(method_name(METHOD_UDP), "udp");
	assert_string_equal(method_name(METHOD_TCP), "tcp");
	assert_null(method_name(METHOD_TCP + 1));
	assert_null(method_name((enum method)-1));
}

static void
test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "ICMP", "udp ", " tcp", "sctp", "ping", "au", "autox",
	};
	enum method	 m = METHOD_UDP;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(method_parse(bad[i], &m), -1);
	assert_int_equal(method_parse(NULL, &m), -1);
	assert_int_equal(m, METHOD_UDP);	/* untouched on failure */
}

static void
test_protocols(void **state)
{
	(void)state;
	assert_int_equal(method_proto(METHOD_AUTO), PKT_ICMP);
	assert_int_equal(method_proto(METHOD_ICMP), PKT_ICMP);
	assert_int_equal(method_proto(METHOD_UDP), PKT_UDP);
	assert_int_equal(method_proto(METHOD_TCP), PKT_ICMP);
	assert_int_equal(method_of_proto(PKT_ICMP), METHOD_ICMP);
	assert_int_equal(method_of_proto(PKT_UDP), METHOD_UDP);
	assert_int_equal(method_of_proto(0), METHOD_AUTO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_protocols),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
