/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/log.c: the rate-limited lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static FILE	*out;
static int	 saved = -1;

/* stderr goes to a temporary file until captured(). */
static int
setup(void **state)
{
	(void)state;
	fflush(stderr);
	if ((out = tmpfile()) == NULL || (saved = dup(STDERR_FILENO)) == -1 ||
	    dup2(fileno(out), STDERR_FILENO) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(out);
	return 0;
}

/* What was logged so far, NUL-terminated. */
static char *
captured(void)
{
	static char	 buf[4096];
	size_t		 n;

	fflush(stderr);
	rewind(out);
	n = fread(buf, 1, sizeof(buf) - 1, out);
	buf[n] = '\0';
	return buf;
}

/*
 * One line per interval; the next one says how many were held back;
 * each limit counts on its own.
 */
static void
test_limited(void **state)
{
	struct log_limit	 l = LOG_LIMIT_INIT(1000);
	struct log_limit	 m = LOG_LIMIT_INIT(1);
	int			 i, n = 0;

	(void)state;
	assert_int_equal(log_warnx_limited(&l, 5000, "accept: %s", "EMFILE"),
	    1);
	for (i = 0; i < 100; i++)
		n += log_warnx_limited(&l, 5000 + (uint64_t)i * 9, "accept: %d",
		    i);
	assert_int_equal(n, 0);
	assert_int_equal(log_info_limited(&m, 0, "other"), 1);
	assert_int_equal(log_warnx_limited(&l, 6000, "accept: again"), 1);
	assert_int_equal(log_warnx_limited(&l, 6999, "accept: held"), 0);
	assert_int_equal(log_warnx_limited(&l, 7000, "accept: %s", "last"), 1);
	assert_string_equal(captured(),
	    "accept: EMFILE\n"
	    "other\n"
	    "accept: again (100 similar messages suppressed)\n"
	    "accept: last (1 similar messages suppressed)\n");
}

/* The clock may start at 0: the first line is never held back. */
static void
test_first_at_zero(void **state)
{
	struct log_limit	 l = LOG_LIMIT_INIT(60000);

	(void)state;
	assert_int_equal(log_warnx_limited(&l, 0, "first"), 1);
	assert_int_equal(log_warnx_limited(&l, 59999, "second"), 0);
	assert_int_equal(log_warnx_limited(&l, 60000, "third"), 1);
	assert_string_equal(captured(), "first\n"
	    "third (1 similar messages suppressed)\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_at_zero, setup,
		    teardown),
	};

	log_init(1, "test_log");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
