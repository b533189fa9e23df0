/* SPDX-License-Identifier: ISC */
/* Findings as shown: the result plus explain and advise. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

static struct result
flets(void)
{
	struct result	 r;

	result_init(&r, "198.18.3.2");
	addr_parse(&r.address, "198.18.3.2");
	r.family = AF_INET;
	r.state = RESULT_OK;
	r.pmtu = 1454;
	r.local_mtu = 1500;
	return r;
}

static void
test_json(void **state)
{
	struct result	 r = flets();
	json_t		*o, *ex, *adv;

	(void)state;
	o = report_to_json(&r);
	assert_non_null(o);
	ex = json_object_get(o, "explain");
	adv = json_object_get(o, "advise");
	assert_true(json_is_object(ex));
	assert_int_equal(json_integer_value(json_object_get(ex, "pmtu")), 1454);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(ex, "candidates"), 0), "name")),
	    "PPPoE over L2TP (NTT FLET'S)");
	assert_int_equal(json_integer_value(json_object_get(adv,
	    "tcp_mss_v4")), 1414);
	/* The result's own keys are all still there. */
	assert_int_equal(json_integer_value(json_object_get(o, "pmtu")), 1454);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "ok");
	json_decref(o);
}

static void
test_no_pmtu(void **state)
{
	struct result	 r;
	json_t		*o;
	char		 buf[256];

	(void)state;
	result_init(&r, "198.18.3.2");
	r.state = RESULT_UNREACHABLE;
	r.family = AF_INET;
	o = report_to_json(&r);
	assert_true(json_is_null(json_object_get(o, "explain")));
	assert_true(json_is_null(json_object_get(o, "advise")));
	json_decref(o);
	report_explain_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void
test_text(void **state)
{
	struct result	 r = flets();
	char		 buf[4096];

	(void)state;
	report_explain_text(&r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "PMTU 1454 = local 1500 - 46: PPPoE "
	    "over L2TP (NTT FLET'S)"));
	assert_non_null(strstr(buf, "\n\nTCP MSS clamp (IPv4): 1414\n"));
	assert_non_null(strstr(buf, "inner MTU 1390, TCP MSS 1350"));
	report_explain_text(&r, buf, 10);	/* cut short, still a string */
	assert_int_equal(strlen(buf), 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_no_pmtu),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
