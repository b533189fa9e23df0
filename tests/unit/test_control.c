/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for daemon/control.c without root: the .c is built in here,
 * the front door and the rest of the daemon are stubbed, and clients are
 * real Unix sockets on a socket in a temporary directory, read and
 * written while the event loop runs.
 */
#include "../../daemon/control.c"
#include "../../daemon/accept_pause.c"
#include "../../daemon/clock.c"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

#include <cmocka.h>

#define LOOP_MS	100	/* one turn of the loop for the daemon side */

/* --- the front door and the daemon, stubbed -------------------------- */

struct measure {
	struct measure		*next;
	struct measure_req	 req;
	char			 name[RESULT_DESTLEN];
	measure_done_cb		 cb;
	void			*arg;
};

static struct measure	*asked;
static unsigned		 nasked, ncancelled;

struct measure *
measure_start(struct pmtud *env, const struct measure_req *req,
    measure_done_cb cb, void *arg)
{
	struct measure	*m;

	(void)env;
	m = calloc(1, sizeof(*m));
	assert_non_null(m);
	m->req = *req;
	snprintf(m->name, sizeof(m->name), "%s", req->destination);
	m->req.destination = m->name;
	m->cb = cb;
	m->arg = arg;
	m->next = asked;
	asked = m;
	nasked++;
	return m;
}

static void
unlink_measure(struct measure *m)
{
	struct measure	**p;

	for (p = &asked; *p != NULL; p = &(*p)->next)
		if (*p == m) {
			*p = m->next;
			return;
		}
}

void
measure_cancel(struct measure *m)
{
	if (m == NULL)
		return;
	unlink_measure(m);
	ncancelled++;
	free(m);
}

char *
pmtud_metrics(struct pmtud *env, size_t *len)
{
	(void)env;
	*len = strlen("pmtud_up 1\n");
	return strdup("pmtud_up 1\n");
}

int
pmtud_reload(struct pmtud *env, char *err, size_t errlen)
{
	(void)env;
	snprintf(err, errlen, "t.conf:1: no reload in a unit test");
	return -1;
}

uint64_t
prober_ignored(const struct prober *p, enum pkt_ignore why)
{
	(void)p;
	return why == PKT_IGN_COOKIE ? 3 : 0;
}

/* --- harness --------------------------------------------------------- */

static struct pmtud	 env;
static char		 dir[48], path[96];

static void
spin(void)
{
	struct timeval	 tv = { 0, LOOP_MS * 1000 };

	event_base_loopexit(env.base, &tv);
	assert_int_not_equal(event_base_dispatch(env.base), -1);
}

static int
dial(void)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	assert_int_not_equal(fd = socket(AF_UNIX, SOCK_STREAM, 0), -1);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)),
	    0);
	return fd;
}

static void
say(int fd, const char *line)
{
	assert_int_equal(write(fd, line, strlen(line)),
	    (ssize_t)strlen(line));
}

/* Every whole line the daemon wrote so far, joined; "" if none. */
static char *
heard(int fd)
{
	static char	 buf[65536];
	ssize_t		 n;
	size_t		 len = 0;

	spin();
	while ((n = recv(fd, buf + len, sizeof(buf) - 1 - len,
	    MSG_DONTWAIT)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	memset(&env, 0, sizeof(env));
	asked = NULL;
	nasked = ncancelled = 0;
	snprintf(dir, sizeof(dir), "/tmp/pmtud-unit.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	env.base = event_base_new();
	env.store = store_new();
	assert_non_null(env.base);
	assert_non_null(env.store);
	env.control = control_new(&env, path, (uid_t)-1, getegid());
	assert_non_null(env.control);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	control_free(env.control);
	assert_null(asked);	/* what clients asked is cancelled */
	store_free(env.store);
	event_base_free(env.base);
	rmdir(dir);
	return 0;
}

/* The front door answers m with a result of pmtu. */
static void
answer(struct measure *m, int pmtu)
{
	struct measure_done	 done;
	struct result		 res;

	unlink_measure(m);
	result_init(&res, m->name);
	res.family = AF_INET;
	res.state = RESULT_OK;
	res.pmtu = pmtu;
	res.local_mtu = 1500;
	res.method = METHOD_ICMP;
	res.updated_at_ms = 1764000000000LL;
	memset(&done, 0, sizeof(done));
	done.result = &res;
	m->cb(&done, m->arg);
	free(m);
}

/* --- tests ----------------------------------------------------------- */

static void
test_socket_made_right(void **state)
{
	struct stat	 sb;

	(void)state;
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0660);
	assert_int_equal(sb.st_gid, getegid());
}

static void
test_version_and_bad_lines(void **state)
{
	int	 fd = dial();
	char	*out;

	(void)state;
	say(fd, "{\"id\":1,\"cmd\":\"version\"}\n");
	out = heard(fd);
	assert_non_null(strstr(out, "\"id\":1"));
	assert_non_null(strstr(out, "\"version\":\"" PMTUD_VERSION "\""));
	say(fd, "{\"id\":2,\"cmd\":\n");
	assert_non_null(strstr(heard(fd), "\"code\":\"bad_json\""));
	say(fd, "{\"id\":3,\"cmd\":\"dance\"}\n");
	assert_non_null(strstr(heard(fd), "\"code\":\"unknown_command\""));
	say(fd, "{\"id\":4,\"cmd\":\"probe\",\"destination\":\"a;b\"}\n");
	out = heard(fd);
	assert_non_null(strstr(out, "\"code\":\"bad_request\""));
	assert_int_equal(nasked, 0);
	close(fd);
	spin();
}

static void
test_probe_asks_the_front_door(void **state)
{
	int	 fd = dial();
	char	*out;

	(void)state;
	say(fd, "{\"id\":7,\"cmd\":\"probe\",\"destination\":\"198.18.3.2\","
	    "\"family\":4,\"method\":\"tcp\",\"port\":8443,\"walk\":false}\n");
	assert_string_equal(heard(fd), "");	/* nothing until measured */
	assert_int_equal(nasked, 1);
	assert_string_equal(asked->req.destination, "198.18.3.2");
	assert_int_equal(asked->req.family, AF_INET);
	assert_int_equal(asked->req.method, METHOD_TCP);
	assert_int_equal(asked->req.port, 8443);
	assert_false(asked->req.walk);
	assert_true(asked->req.on_demand);
	answer(asked, 1400);
	out = heard(fd);
	assert_non_null(strstr(out, "\"id\":7,\"ok\":true"));
	assert_non_null(strstr(out, "\"pmtu\":1400"));
	assert_non_null(strstr(out, "\"explain\":"));
	close(fd);
	spin();
}

static void
test_probes_capped_per_user(void **state)
{
	char	 line[128];
	char	*out;
	int	 fd = dial(), i, busy = 0;

	(void)state;
	for (i = 0; i < CONTROL_MAX_PROBES_UID + 3; i++) {
		snprintf(line, sizeof(line), "{\"id\":%d,\"cmd\":\"probe\","
		    "\"destination\":\"198.18.3.%d\"}\n", i, i + 1);
		say(fd, line);
	}
	out = heard(fd);
	for (; (out = strstr(out, "\"code\":\"busy\"")) != NULL; out++)
		busy++;
	assert_int_equal(busy, 3);
	assert_int_equal(nasked, CONTROL_MAX_PROBES_UID);
	/* One ends: room for one more. */
	answer(asked, 1500);
	say(fd, "{\"id\":99,\"cmd\":\"probe\",\"destination\":\"gw.test\"}\n");
	(void)heard(fd);
	assert_int_equal(nasked, CONTROL_MAX_PROBES_UID + 1);
	close(fd);
	spin();
	/* The client went: its probes still run, their findings kept. */
	assert_int_equal(ncancelled, 0);
	while (asked != NULL)
		answer(asked, 1500);
	spin();
}

static void
test_status_unknown_says_how(void **state)
{
	int	 fd = dial();
	char	*out;

	(void)state;
	say(fd, "{\"id\":5,\"cmd\":\"status\",\"destination\":\"198.18.9.9\"}\n");
	out = heard(fd);
	assert_non_null(strstr(out, "\"code\":\"not_found\""));
	assert_non_null(strstr(out, "pmtudctl probe 198.18.9.9"));
	close(fd);
	spin();
}

static void
test_listing_and_watch(void **state)
{
	struct result	 r;
	int		 fd = dial(), w = dial();
	char		*out;

	(void)state;
	result_init(&r, "198.18.3.2");
	r.family = AF_INET;
	r.state = RESULT_OK;
	r.pmtu = 1420;
	r.updated_at_ms = 1764000000000LL;
	assert_int_equal(store_put(env.store, &r), 0);
	say(fd, "{\"id\":8,\"cmd\":\"status\"}\n");
	out = heard(fd);
	assert_non_null(strstr(out, "\"pmtu\":1420"));
	assert_non_null(strstr(out, "\"end\":true,\"count\":1"));
	assert_non_null(strstr(out, "\"cookie\":3"));

	say(w, "{\"cmd\":\"watch\"}\n");
	assert_non_null(strstr(heard(w), "\"watching\":true"));
	control_broadcast("{\"event\":\"reachable\"}\n", env.control);
	assert_non_null(strstr(heard(w), "{\"event\":\"reachable\"}"));
	assert_null(strstr(heard(fd), "reachable"));	/* not watching */
	close(fd);
	close(w);
	spin();
}

static void
test_reload_refused_says_why(void **state)
{
	int	 fd = dial();

	(void)state;
	say(fd, "{\"id\":6,\"cmd\":\"reload\"}\n");
	assert_non_null(strstr(heard(fd),
	    "no reload in a unit test"));
	close(fd);
	spin();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socket_made_right, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_version_and_bad_lines,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_probe_asks_the_front_door, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probes_capped_per_user,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_unknown_says_how,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_listing_and_watch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload_refused_says_why,
		    setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
