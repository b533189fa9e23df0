/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/addr.c. */
#include <sys/socket.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"

static void
test_parse_v4(void **state)
{
	struct addr	a;
	const uint8_t	want[4] = { 198, 18, 0, 1 };

	(void)state;
	assert_int_equal(addr_parse(&a, "198.18.0.1"), 0);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(&a.u.v4, want, 4);
	assert_int_equal(addr_parse(&a, "198.19.255.255"), 0);
	assert_int_equal(a.family, AF_INET);
}

static void
test_parse_v6(void **state)
{
	struct addr	a;
	const uint8_t	want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
			    0, 0, 0, 0, 0, 0, 0, 0x01 };

	(void)state;
	assert_int_equal(addr_parse(&a, "2001:db8::1"), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(&a.u.v6, want, 16);
	assert_int_equal(addr_parse(&a, "2001:DB8:0:0:0:0:0:1"), 0);
	assert_memory_equal(&a.u.v6, want, 16);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "198.18.0", "198.18.0.256", "198.18.0.1 ", " 198.18.0.1",
		"198.18.0.1/24", "2001:db8::g", "2001:db8:::1",
		"2001:db8::1%eth0", "localhost", "example.com", "-",
		"2001:db8::1::2", "1.2.3.4.5",
	};
	struct addr	a;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, 0xaa, sizeof(a));
		assert_int_equal(addr_parse(&a, bad[i]), -1);
		/* A failed parse leaves the address unset, not half set. */
		assert_int_equal(a.family, 0);
		assert_false(addr_isset(&a));
	}
	assert_int_equal(addr_parse(&a, NULL), -1);
	assert_int_equal(a.family, 0);
}

static void
test_ntop(void **state)
{
	struct addr	a;
	char		buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse(&a, "198.18.10.200"), 0);
	assert_string_equal(addr_ntop(&a, buf, sizeof(buf)), "198.18.10.200");
	assert_int_equal(addr_parse(&a, "2001:0db8:0000:0000:0000:0000:0:ff"),
	    0);
	assert_string_equal(addr_ntop(&a, buf, sizeof(buf)), "2001:db8::ff");
	assert_ptr_equal(addr_ntop(&a, buf, sizeof(buf)), buf);
	/* The longest v6 form fits in ADDR_STRLEN. */
	assert_int_equal(addr_parse(&a,
	    "2001:db8:ffff:ffff:ffff:ffff:255.255.255.255"), 0);
	assert_string_equal(addr_ntop(&a, buf, sizeof(buf)),
	    "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void
test_ntop_unset_and_bad(void **state)
{
	struct addr	a;
	char		buf[ADDR_STRLEN];
	char		tiny[4];

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_string_equal(addr_ntop(&a, buf, sizeof(buf)), "-");
	a.family = 12345;
	assert_string_equal(addr_ntop(&a, buf, sizeof(buf)), "?");
	/* Too small a buffer gives a marker, never a cut-off address. */
	assert_int_equal(addr_parse(&a, "198.18.0.1"), 0);
	assert_string_equal(addr_ntop(&a, tiny, sizeof(tiny)), "?");
	tiny[0] = 'x';
	addr_ntop(&a, tiny, 0);
	assert_int_equal(tiny[0], 'x');
}

static void
test_eq(void **state)
{
	struct addr	a, b, u1, u2;

	(void)state;
	memset(&u1, 0, sizeof(u1));
	memset(&u2, 0, sizeof(u2));
	assert_true(addr_eq(&u1, &u2));

	assert_int_equal(addr_parse(&a, "198.18.0.1"), 0);
	assert_int_equal(addr_parse(&b, "198.18.0.1"), 0);
	assert_true(addr_eq(&a, &b));
	assert_true(addr_eq(&b, &a));
	assert_false(addr_eq(&a, &u1));
	assert_false(addr_eq(&u1, &a));
	assert_int_equal(addr_parse(&b, "198.18.0.2"), 0);
	assert_false(addr_eq(&a, &b));
	/* The mapped v6 form is a different address family. */
	assert_int_equal(addr_parse(&b, "::ffff:198.18.0.1"), 0);
	assert_false(addr_eq(&a, &b));

	assert_int_equal(addr_parse(&a, "2001:db8::1"), 0);
	assert_int_equal(addr_parse(&b, "2001:db8:0::1"), 0);
	assert_true(addr_eq(&a, &b));
	assert_int_equal(addr_parse(&b, "2001:db8::1:0"), 0);
	assert_false(addr_eq(&a, &b));
	assert_false(addr_eq(&a, &u1));
}

static void
test_isset_family(void **state)
{
	struct addr	a;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_false(addr_isset(&a));
	a.family = AF_UNIX;
	assert_false(addr_isset(&a));
	assert_int_equal(addr_parse(&a, "198.18.0.1"), 0);
	assert_true(addr_isset(&a));
	assert_int_equal(addr_parse(&a, "2001:db8::1"), 0);
	assert_true(addr_isset(&a));

	assert_int_equal(addr_family_num(AF_INET), 4);
	assert_int_equal(addr_family_num(AF_INET6), 6);
	assert_int_equal(addr_family_num(0), 0);
	assert_int_equal(addr_family_num(AF_UNIX), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_ntop),
		cmocka_unit_test(test_ntop_unset_and_bad),
		cmocka_unit_test(test_eq),
		cmocka_unit_test(test_isset_family),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
