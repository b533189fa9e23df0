/* SPDX-License-Identifier: ISC */
/* Findings as shown: the result plus explain and advise. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
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

/* The history command's reply: who, what now, since when, the log. */
static void
test_history(void **state)
{
	struct history	*h;
	struct result	 r = flets();
	json_t		*o;
	char		*s;

	(void)state;
	assert_non_null(h = history_new());
	r.updated_at_ms = 1795418629000LL;		/* 07:23:49 */
	history_note(h, &r, r.updated_at_ms);
	r.state = RESULT_BLACKHOLE;
	r.blackhole.found = 1;
	r.blackhole.hop = 1;
	addr_parse(&r.blackhole.address, "198.18.1.2");
	r.updated_at_ms += 60000;
	history_note(h, &r, r.updated_at_ms);
	r.since_ms = history_since(h);
	assert_non_null(o = report_history_json(&r, h, -1));
	assert_non_null(s = json_dumps(o, JSON_COMPACT));
	assert_string_equal(s, "{\"destination\":\"198.18.3.2\","
	    "\"address\":\"198.18.3.2\",\"family\":4,"
	    "\"state\":\"blackhole\","
	    "\"since\":\"2026-11-23T07:24:49.000Z\",\"changes\":1,"
	    "\"summary\":null,\"history\":["
	    "{\"first_seen\":\"2026-11-23T07:23:49.000Z\","
	    "\"last_seen\":\"2026-11-23T07:23:49.000Z\",\"pmtu\":1454,"
	    "\"local_mtu\":1500,\"state\":\"ok\",\"hop\":null,"
	    "\"hop_address\":null,\"paths\":1},"
	    "{\"first_seen\":\"2026-11-23T07:24:49.000Z\","
	    "\"last_seen\":\"2026-11-23T07:24:49.000Z\",\"pmtu\":1454,"
	    "\"local_mtu\":1500,\"state\":\"blackhole\",\"hop\":1,"
	    "\"hop_address\":\"198.18.1.2\",\"paths\":1}]}");
	free(s);
	json_decref(o);
	/* since filters the entries, not the count of changes. */
	assert_non_null(o = report_history_json(&r, h, 1795418629001LL));
	assert_int_equal(json_array_size(json_object_get(o, "history")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "changes")),
	    1);
	json_decref(o);
	/* A result that cannot be shown is no reply. */
	r.state = 0;
	assert_null(report_history_json(&r, h, -1));
	history_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_no_pmtu),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
