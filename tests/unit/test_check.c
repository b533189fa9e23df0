/* SPDX-License-Identifier: ISC */
/* Nagios-style verdicts: status and exact line for every case. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#define NOW	((int64_t)1800000000000)

static struct result
finding(enum result_state st, int pmtu)
{
	struct result	 r;

	result_init(&r, "gw.example");
	addr_parse(&r.address, "198.18.3.2");
	r.family = AF_INET;
	r.state = st;
	r.pmtu = pmtu;
	r.local_mtu = 1500;
	r.updated_at_ms = NOW - 60000;
	return r;
}

static void
expect(const struct result *r, const struct check_params *p,
    enum check_status want, const char *line)
{
	char	 buf[512];

	assert_int_equal(check_result(r, p, NOW, buf, sizeof(buf)), want);
	assert_string_equal(buf, line);
}

static void
test_ok(void **state)
{
	struct check_params	 p = { 0, 0, 0 };
	struct result		 r = finding(RESULT_OK, 1454);

	(void)state;
	expect(&r, &p, CHECK_OK, "PMTUD OK - gw.example (198.18.3.2, IPv4) "
	    "pmtu 1454 | pmtu=1454B;;;0;1500");
	p.min_mtu = 1400;
	p.warn_mtu = 1454;
	expect(&r, &p, CHECK_OK, "PMTUD OK - gw.example (198.18.3.2, IPv4) "
	    "pmtu 1454 | pmtu=1454B;1454:;1400:;0;1500");
}

static void
test_thresholds(void **state)
{
	struct check_params	 p = { 1400, 1492, 0 };
	struct result		 r = finding(RESULT_OK, 1454);

	(void)state;
	expect(&r, &p, CHECK_WARNING, "PMTUD WARNING - gw.example "
	    "(198.18.3.2, IPv4) pmtu 1454: pmtu below 1492 | "
	    "pmtu=1454B;1492:;1400:;0;1500");
	r.pmtu = 1399;
	expect(&r, &p, CHECK_CRITICAL, "PMTUD CRITICAL - gw.example "
	    "(198.18.3.2, IPv4) pmtu 1399: pmtu below 1400 | "
	    "pmtu=1399B;1492:;1400:;0;1500");
	r.pmtu = 1400;		/* the threshold itself passes */
	p.warn_mtu = 0;
	assert_int_equal(check_result(&r, &p, NOW, (char[512]){0}, 512),
	    CHECK_OK);
}

static void
test_blackhole_unreachable(void **state)
{
	struct check_params	 p = { 0, 0, 0 };
	struct result		 r = finding(RESULT_BLACKHOLE, 1400);

	(void)state;
	r.blackhole.found = 1;
	r.blackhole.hop = 1;
	addr_parse(&r.blackhole.address, "198.18.1.2");
	expect(&r, &p, CHECK_CRITICAL, "PMTUD CRITICAL - gw.example "
	    "(198.18.3.2, IPv4) pmtu 1400: black hole at hop 1 (198.18.1.2) "
	    "| pmtu=1400B;;;0;1500");
	r.blackhole.hop = -1;
	expect(&r, &p, CHECK_CRITICAL, "PMTUD CRITICAL - gw.example "
	    "(198.18.3.2, IPv4) pmtu 1400: black hole | pmtu=1400B;;;0;1500");
	/* Only some of several equal-cost paths: still critical. */
	r.state = RESULT_PARTIAL_BLACKHOLE;
	r.blackhole.hop = 2;
	addr_parse(&r.blackhole.address, "198.18.12.2");
	expect(&r, &p, CHECK_CRITICAL, "PMTUD CRITICAL - gw.example "
	    "(198.18.3.2, IPv4) pmtu 1400: black hole on some paths at hop 2 "
	    "(198.18.12.2) | pmtu=1400B;;;0;1500");
	r = finding(RESULT_UNREACHABLE, 0);
	expect(&r, &p, CHECK_CRITICAL, "PMTUD CRITICAL - gw.example "
	    "(198.18.3.2, IPv4) pmtu -: unreachable");
}

static void
test_unknown_and_age(void **state)
{
	struct check_params	 p = { 0, 0, 600000 };
	struct result		 r = finding(RESULT_ERROR, 0);
	char			 buf[128];

	(void)state;
	snprintf(r.error, sizeof(r.error), "no route: Network is unreachable");
	expect(&r, &p, CHECK_UNKNOWN, "PMTUD UNKNOWN - gw.example "
	    "(198.18.3.2, IPv4) pmtu -: no measurement: no route: Network is "
	    "unreachable");
	r = finding(RESULT_OK, 1500);
	r.updated_at_ms = NOW - 600001;
	expect(&r, &p, CHECK_WARNING, "PMTUD WARNING - gw.example "
	    "(198.18.3.2, IPv4) pmtu 1500: finding is 600 s old | "
	    "pmtu=1500B;;;0;1500");
	r.updated_at_ms = NOW - 600000;
	assert_int_equal(check_result(&r, &p, NOW, buf, sizeof(buf)),
	    CHECK_OK);
	assert_int_equal(check_unknown("cannot connect", buf, sizeof(buf)),
	    CHECK_UNKNOWN);
	assert_string_equal(buf, "PMTUD UNKNOWN - cannot connect");
	assert_string_equal(check_status_name(CHECK_WARNING), "WARNING");
	/* A destination given as its address is not named twice. */
	snprintf(r.destination, sizeof(r.destination), "198.18.3.2");
	r.updated_at_ms = NOW;
	expect(&r, &p, CHECK_OK, "PMTUD OK - 198.18.3.2 (IPv4) pmtu 1500 | "
	    "pmtu=1500B;;;0;1500");
	assert_string_equal(check_status_name((enum check_status)9),
	    "UNKNOWN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_blackhole_unreachable),
		cmocka_unit_test(test_unknown_and_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
