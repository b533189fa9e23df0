/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/store.c. */
#include <sys/socket.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
#include "store.h"

/* A finding; addr may be NULL (not resolved). */
static struct result
mk(const char *dest, const char *addr, int pmtu, int64_t updated)
{
	struct result	r;

	memset(&r, 0, sizeof(r));
	snprintf(r.destination, sizeof(r.destination), "%s", dest);
	if (addr != NULL) {
		if (inet_pton(AF_INET, addr, &r.address.u.v4) == 1)
			r.address.family = AF_INET;
		else if (inet_pton(AF_INET6, addr, &r.address.u.v6) == 1)
			r.address.family = AF_INET6;
		else
			fail_msg("bad test address %s", addr);
		r.family = r.address.family;
	}
	r.pmtu = pmtu;
	r.local_mtu = 1500;
	r.state = RESULT_OK;
	r.method = METHOD_ICMP;
	r.probes_sent = 1;
	r.duration_ms = 5;
	r.updated_at_ms = updated;
	return (r);
}

static void
test_put_get(void **state)
{
	struct store		*st;
	struct result		 r;
	const struct result	*g;

	(void)state;
	r = mk("198.18.0.1", "198.18.0.1", 1500, 100);
	assert_non_null(st = store_new());
	assert_int_equal(store_count(st), 0);
	assert_null(store_get(st, "198.18.0.1", AF_INET));
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_count(st), 1);
	assert_non_null(g = store_get(st, "198.18.0.1", AF_INET));
	/* A copy, not the caller's struct, with the history begun. */
	assert_ptr_not_equal(g, &r);
	r.probes_total = r.probes_sent;
	r.findings = 1;
	r.since_ms = 100;	/* the path state began with this finding */
	assert_memory_equal(g, &r, sizeof(r));
	assert_ptr_equal(store_get(st, "198.18.0.1", 0), g);
	assert_null(store_get(st, "198.18.0.1", AF_INET6));
	assert_null(store_get(st, "198.18.0.2", AF_INET));
	assert_null(store_get(st, "198.18.0.", AF_INET));
	assert_null(store_get(st, "", 0));
	assert_null(store_get(st, NULL, 0));
	/* Changing the caller's copy changes nothing stored. */
	r.pmtu = 1;
	assert_int_equal(g->pmtu, 1500);
	store_free(st);
	store_free(NULL);
}

static void
test_replace(void **state)
{
	struct store		*st;
	struct result		 a, b, a2;
	const struct result	*g, *first;

	(void)state;
	a = mk("a.example", "198.18.0.1", 1500, 100);
	b = mk("b.example", "198.18.0.2", 1400, 100);
	a2 = mk("a.example", "198.18.0.3", 1454, 200);
	assert_non_null(st = store_new());
	assert_int_equal(store_put(st, &a), 0);
	assert_int_equal(store_put(st, &b), 0);
	first = store_get(st, "a.example", AF_INET);
	assert_int_equal(store_put(st, &a2), 0);
	assert_int_equal(store_count(st), 2);
	assert_non_null(g = store_get(st, "a.example", AF_INET));
	/* Replaced in place: same slot, new content. */
	assert_ptr_equal(g, first);
	assert_int_equal(g->pmtu, 1454);
	assert_int_equal(g->updated_at_ms, 200);
	/* The address index follows the new address. */
	assert_ptr_equal(store_get(st, "198.18.0.3", AF_INET), g);
	assert_null(store_get(st, "198.18.0.1", AF_INET));
	assert_null(store_get(st, "198.18.0.1", 0));
	store_free(st);
}

struct order {
	char	 names[8][RESULT_DESTLEN + 16];
	int	 n;
	int	 stop_at;
};

static int
collect(const struct result *r, void *arg)
{
	struct order	*o = arg;

	assert_true(o->n < 8);
	snprintf(o->names[o->n], sizeof(o->names[0]), "%s/%d",
	    r->destination, r->pmtu);
	o->n++;
	return (o->n == o->stop_at ? 7 : 0);
}

static void
test_foreach_order(void **state)
{
	struct store	*st;
	struct result	 r;
	struct order	 o;

	(void)state;
	assert_non_null(st = store_new());
	memset(&o, 0, sizeof(o));
	assert_int_equal(store_foreach(st, collect, &o), 0);
	assert_int_equal(o.n, 0);

	r = mk("c.example", "198.18.0.3", 1300, 1);
	assert_int_equal(store_put(st, &r), 0);
	r = mk("a.example", "198.18.0.1", 1500, 2);
	assert_int_equal(store_put(st, &r), 0);
	r = mk("b.example", "2001:db8::2", 1280, 3);
	assert_int_equal(store_put(st, &r), 0);
	/* Replacing keeps the place. */
	r = mk("a.example", "198.18.0.1", 1492, 4);
	assert_int_equal(store_put(st, &r), 0);
	r = mk("a.example", "2001:db8::1", 1480, 5);	/* another family */
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_count(st), 4);

	assert_int_equal(store_foreach(st, collect, &o), 0);
	assert_int_equal(o.n, 4);
	assert_string_equal(o.names[0], "c.example/1300");
	assert_string_equal(o.names[1], "a.example/1492");
	assert_string_equal(o.names[2], "b.example/1280");
	assert_string_equal(o.names[3], "a.example/1480");

	/* A non-zero return stops the walk and is passed back. */
	memset(&o, 0, sizeof(o));
	o.stop_at = 2;
	assert_int_equal(store_foreach(st, collect, &o), 7);
	assert_int_equal(o.n, 2);
	store_free(st);
}

static void
test_name_and_address(void **state)
{
	struct store		*st;
	struct result		 r;
	const struct result	*g;

	(void)state;
	assert_non_null(st = store_new());
	r = mk("host.example", "198.18.1.1", 1454, 10);
	assert_int_equal(store_put(st, &r), 0);
	r = mk("host.example", "2001:db8::1:1", 1280, 20);
	assert_int_equal(store_put(st, &r), 0);
	r = mk("2001:db8::5", "2001:db8::5", 1500, 30);
	assert_int_equal(store_put(st, &r), 0);

	assert_non_null(g = store_get(st, "host.example", AF_INET));
	assert_int_equal(g->pmtu, 1454);
	assert_ptr_equal(store_get(st, "198.18.1.1", AF_INET), g);
	assert_ptr_equal(store_get(st, "198.18.1.1", 0), g);
	assert_null(store_get(st, "198.18.1.1", AF_INET6));
	assert_non_null(g = store_get(st, "2001:db8::1:1", AF_INET6));
	assert_int_equal(g->pmtu, 1280);
	assert_string_equal(g->destination, "host.example");
	/* An address written another way still finds it. */
	assert_ptr_equal(store_get(st, "2001:DB8:0::1:1", AF_INET6), g);
	assert_ptr_equal(store_get(st, "2001:0db8::5", 0),
	    store_get(st, "2001:db8::5", AF_INET6));
	assert_int_equal(store_get(st, "2001:db8::5", 0)->pmtu, 1500);
	/* Names are matched exactly. */
	assert_null(store_get(st, "HOST.example", 0));
	assert_null(store_get(st, "host", 0));
	assert_null(store_get(st, "198.18.1.2", 0));

	/* Two names on one address: the newer finding answers. */
	r = mk("alias.example", "198.18.1.1", 1400, 40);
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_get(st, "198.18.1.1", AF_INET)->pmtu, 1400);
	assert_int_equal(store_get(st, "host.example", AF_INET)->pmtu, 1454);
	r = mk("host.example", "198.18.1.1", 1300, 50);
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_get(st, "198.18.1.1", AF_INET)->pmtu, 1300);
	/* Put last but older: it does not answer for the address. */
	r = mk("old.example", "198.18.1.1", 1100, 1);
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_get(st, "198.18.1.1", AF_INET)->pmtu, 1300);
	/* A name that is itself an address wins over an address match. */
	r = mk("198.18.1.1", "198.18.1.1", 1200, 5);
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_get(st, "198.18.1.1", AF_INET)->pmtu, 1200);
	assert_int_equal(store_count(st), 6);
	store_free(st);
}

static void
test_family_zero(void **state)
{
	struct store		*st;
	struct result		 r4, r6, none;
	const struct result	*g;

	(void)state;
	r4 = mk("dual.example", "198.18.2.1", 1500, 100);
	r6 = mk("dual.example", "2001:db8::2:1", 1280, 200);
	none = mk("gone.example", NULL, 0, 300);
	assert_non_null(st = store_new());
	assert_int_equal(store_put(st, &r4), 0);
	assert_int_equal(store_put(st, &r6), 0);
	assert_non_null(g = store_get(st, "dual.example", 0));
	assert_int_equal(g->family, AF_INET6);
	assert_int_equal(g->pmtu, 1280);
	/* A newer v4 finding takes over. */
	r4.updated_at_ms = 250;
	r4.pmtu = 1454;
	assert_int_equal(store_put(st, &r4), 0);
	assert_non_null(g = store_get(st, "dual.example", 0));
	assert_int_equal(g->family, AF_INET);
	assert_int_equal(g->pmtu, 1454);
	assert_int_equal(store_get(st, "dual.example", AF_INET6)->pmtu, 1280);

	/* A finding without a family (the name did not resolve). */
	none.state = RESULT_ERROR;
	assert_int_equal(store_put(st, &none), 0);
	assert_non_null(g = store_get(st, "gone.example", 0));
	assert_int_equal(g->state, RESULT_ERROR);
	assert_null(store_get(st, "gone.example", AF_INET));
	/* ...is only a last resort when the name has real findings. */
	none = mk("dual.example", NULL, 0, 999);
	assert_int_equal(store_put(st, &none), 0);
	assert_int_equal(store_get(st, "dual.example", 0)->family, AF_INET);
	assert_int_equal(store_count(st), 4);
	store_free(st);
}

static void
test_bad_input(void **state)
{
	struct store	*st;
	struct result	 r = mk("x.example", "198.18.0.9", 1500, 1);

	(void)state;
	assert_non_null(st = store_new());
	assert_int_equal(store_put(st, NULL), -1);
	r.destination[0] = '\0';
	assert_int_equal(store_put(st, &r), -1);
	r = mk("x.example", "198.18.0.9", 1500, 1);
	r.family = AF_UNIX;
	assert_int_equal(store_put(st, &r), -1);
	/* No terminating NUL anywhere in the name. */
	r = mk("x.example", "198.18.0.9", 1500, 1);
	memset(r.destination, 'x', sizeof(r.destination));
	assert_int_equal(store_put(st, &r), -1);
	assert_int_equal(store_count(st), 0);
	assert_null(store_get(st, "x.example", 0));
	store_free(st);
}

#define MANY	100000

static void
name_of(unsigned i, char *buf, size_t len)
{
	snprintf(buf, len, "h%u.example", i);
}

static void
test_many(void **state)
{
	struct store		*st;
	struct result		 r;
	const struct result	*g;
	char			 name[64], addr[64];
	unsigned		 i;

	(void)state;
	assert_non_null(st = store_new());
	for (i = 0; i < MANY; i++) {
		name_of(i, name, sizeof(name));
		snprintf(addr, sizeof(addr), "198.18.%u.%u", i >> 8 & 0xff,
		    i & 0xff);
		if (i >= 65536)
			snprintf(addr, sizeof(addr), "2001:db8::%x:%x",
			    i >> 16, i & 0xffff);
		r = mk(name, addr, 576 + i % 1000, i);
		assert_int_equal(store_put(st, &r), 0);
	}
	assert_int_equal(store_count(st), MANY);
	for (i = 0; i < MANY; i++) {
		name_of(i, name, sizeof(name));
		assert_non_null(g = store_get(st, name, 0));
		assert_string_equal(g->destination, name);
		assert_int_equal(g->pmtu, 576 + i % 1000);
		assert_int_equal(g->family, i >= 65536 ? AF_INET6 : AF_INET);
	}
	/* And by address. */
	for (i = 0; i < MANY; i += 7) {
		if (i >= 65536)
			snprintf(addr, sizeof(addr), "2001:db8::%x:%x",
			    i >> 16, i & 0xffff);
		else
			snprintf(addr, sizeof(addr), "198.18.%u.%u",
			    i >> 8 & 0xff, i & 0xff);
		assert_non_null(g = store_get(st, addr, 0));
		assert_int_equal(g->updated_at_ms, i);
	}
	assert_null(store_get(st, "h100000.example", 0));
	/* Replacing them all keeps the count. */
	for (i = 0; i < MANY; i += 3) {
		name_of(i, name, sizeof(name));
		r = *store_get(st, name, 0);
		r.pmtu = 1280;
		assert_int_equal(store_put(st, &r), 0);
	}
	assert_int_equal(store_count(st), MANY);
	name_of(99999, name, sizeof(name));
	assert_int_equal(store_get(st, name, 0)->pmtu, 1280);

	/* Moving a third of the v4 entries to new addresses keeps both
	 * the moved and the unmoved ones findable by address. */
	for (i = 0; i < 65536; i += 3) {
		name_of(i, name, sizeof(name));
		r = *store_get(st, name, AF_INET);
		r.address.u.v4.s_addr = htonl(0xc6130000u | i);	/* 198.19 */
		assert_int_equal(store_put(st, &r), 0);
	}
	for (i = 0; i < 65536; i++) {
		snprintf(addr, sizeof(addr), "198.%u.%u.%u",
		    i % 3 == 0 ? 19 : 18, i >> 8 & 0xff, i & 0xff);
		assert_non_null(g = store_get(st, addr, AF_INET));
		assert_int_equal(g->updated_at_ms, i);
		if (i % 3 == 0) {
			addr[5] = '8';
			assert_null(store_get(st, addr, AF_INET));
		}
	}
	assert_int_equal(store_count(st), MANY);
	store_free(st);
}

/* The store keeps its own copy of the hops: the caller's may go. */
static void
test_hops_copied(void **state)
{
	struct store		*st;
	struct result		 r = mk("198.18.3.2", "198.18.3.2", 1400, 1);
	const struct result	*got;
	struct result_hop	 h[2];

	(void)state;
	memset(h, 0, sizeof(h));
	h[0].ttl = 1;
	h[0].mtu = 1500;
	h[1].ttl = 2;
	h[1].mtu = 1400;
	r.walked = 1;
	assert_int_equal(result_set_hops(&r, h, 2), 0);
	st = store_new();
	assert_int_equal(store_put(st, &r), 0);
	result_clear(&r);
	got = store_get(st, "198.18.3.2", AF_INET);
	assert_non_null(got);
	assert_int_equal(got->nhops, 2);
	assert_int_equal(got->hops[1].mtu, 1400);
	/* Replacing frees the old hops (LeakSanitizer checks). */
	r = mk("198.18.3.2", "198.18.3.2", 1300, 2);
	r.walked = 1;
	assert_int_equal(result_set_hops(&r, h, 1), 0);
	assert_int_equal(store_put(st, &r), 0);
	result_clear(&r);
	got = store_get(st, "198.18.3.2", AF_INET);
	assert_int_equal(got->nhops, 1);
	assert_int_equal(got->pmtu, 1300);
	store_free(st);
}

static void
test_history(void **state)
{
	struct store		*st;
	struct result		 r, base;
	const struct result	*g;

	(void)state;
	st = store_new();
	r = mk("gw.example", "198.18.3.2", 1500, 1);
	r.probes_sent = 3;
	r.previous_pmtu = 999;		/* what the caller says is ignored */
	r.findings = 77;
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->previous_pmtu, 0);
	assert_int_equal(g->probes_total, 3);
	assert_int_equal(g->findings, 1);

	r = mk("gw.example", "198.18.3.2", 1400, 2);
	r.probes_sent = 5;
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->previous_pmtu, 1500);
	assert_int_equal(g->probes_total, 8);
	assert_int_equal(g->findings, 2);

	/* Same PMTU again: previous_pmtu still says what it was before. */
	r = mk("gw.example", "198.18.3.2", 1400, 3);
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->previous_pmtu, 1500);
	assert_int_equal(g->findings, 3);

	/* An error finding replaces the latest but not the base. */
	r = mk("gw.example", "198.18.3.2", 0, 4);
	r.state = RESULT_ERROR;
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->state, RESULT_ERROR);
	assert_int_equal(g->previous_pmtu, 1500);
	assert_int_equal(store_base(st, "gw.example", AF_INET, &base), 0);
	assert_int_equal(base.state, RESULT_OK);
	assert_int_equal(base.pmtu, 1400);
	assert_int_equal(base.updated_at_ms, 3);
	assert_int_equal(store_base(st, "gw.example", AF_INET6, &base), -1);

	/* A black hole becomes the base, with its hop. */
	r = mk("gw.example", "198.18.3.2", 1400, 5);
	r.state = RESULT_BLACKHOLE;
	r.blackhole.found = 1;
	r.blackhole.hop = 2;
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_base(st, "gw.example", AF_INET, &base), 0);
	assert_int_equal(base.state, RESULT_BLACKHOLE);
	assert_int_equal(base.blackhole.hop, 2);
	store_free(st);
}

static void
test_load_verbatim(void **state)
{
	struct store		*st;
	struct result		 r;
	const struct result	*g;

	(void)state;
	st = store_new();
	r = mk("198.18.3.2", "198.18.3.2", 1400, 1);
	r.previous_pmtu = 1500;
	r.probes_total = 1234;
	r.findings = 56;
	assert_int_equal(store_load(st, &r), 0);
	g = store_get(st, "198.18.3.2", AF_INET);
	assert_memory_equal(g, &r, sizeof(r));
	/* The next finding carries that history on. */
	r = mk("198.18.3.2", "198.18.3.2", 1400, 2);
	r.probes_sent = 6;
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "198.18.3.2", AF_INET);
	assert_int_equal(g->probes_total, 1240);
	assert_int_equal(g->findings, 57);
	assert_int_equal(g->previous_pmtu, 1500);
	store_free(st);
}

/* The log of path states behind a stored finding. */
static const struct history *
hist(const struct store *st, const char *dest, int family)
{
	const struct result	*g;

	assert_non_null(g = store_get(st, dest, family));
	return (store_result_history(g));
}

/*
 * One log of path states per (destination, family): noted by
 * store_put, "since" taken from it (null for errors), copied on
 * loading, dropped with the destination.
 */
static void
test_path_log(void **state)
{
	struct store		*st;
	struct history		*h;
	struct result		 r;
	const struct result	*g;

	(void)state;
	st = store_new();
	r = mk("gw.example", "198.18.3.2", 1500, 1000);
	r.since_ms = 5;			/* what the caller says is ignored */
	assert_int_equal(store_put(st, &r), 0);
	r = mk("gw.example", "198.18.3.2", 1500, 2000);
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->since_ms, 1000);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 1);
	r = mk("gw.example", "198.18.3.2", 1400, 3000);
	r.state = RESULT_BLACKHOLE;
	r.blackhole.found = 1;
	r.blackhole.hop = 1;
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->since_ms, 3000);
	/* The same log by name, by address, and for "either family". */
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 2);
	assert_ptr_equal(hist(st, "198.18.3.2", AF_INET),
	    hist(st, "gw.example", AF_INET));
	assert_ptr_equal(hist(st, "gw.example", 0),
	    hist(st, "gw.example", AF_INET));
	assert_int_equal(history_changes(hist(st, "gw.example", AF_INET)), 1);

	/* Another family of the same name has its own. */
	r = mk("gw.example", "2001:db8:3::2", 1280, 3500);
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET6)), 1);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 2);

	/* An error: no entry, and no "since" (it is not a path state). */
	r = mk("gw.example", "198.18.3.2", 0, 4000);
	r.state = RESULT_ERROR;
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->since_ms, -1);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 2);
	assert_int_equal(history_entry(hist(st, "gw.example", AF_INET),
	    1)->last_seen_ms, 3000);
	/* The black hole again: since is back, when it began. */
	r = mk("gw.example", "198.18.3.2", 1400, 5000);
	r.state = RESULT_BLACKHOLE;
	r.blackhole.found = 1;
	r.blackhole.hop = 1;
	assert_int_equal(store_put(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->since_ms, 3000);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 2);

	/* Loading copies the log given; the caller keeps its own. */
	h = history_copy(hist(st, "gw.example", AF_INET));
	assert_non_null(h);
	assert_int_equal(store_remove(st, "gw.example", AF_INET), 0);
	r.since_ms = 77;
	assert_int_equal(store_load_history(st, &r, h), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->since_ms, 3000);	/* from the log */
	assert_ptr_not_equal(hist(st, "gw.example", AF_INET), h);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 2);
	history_free(h);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 2);
	/* Loading again without a log replaces it with an empty one and
	 * keeps the "since" it was given. */
	assert_int_equal(store_load(st, &r), 0);
	g = store_get(st, "gw.example", AF_INET);
	assert_int_equal(g->since_ms, 77);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 0);
	assert_int_equal(store_load_history(st, &r, NULL), 0);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET)), 0);

	/* Removed, then measured again: a fresh log. */
	r = mk("gw.example", "2001:db8:3::2", 1280, 6000);
	assert_int_equal(store_remove(st, "gw.example", AF_INET6), 0);
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(history_count(hist(st, "gw.example", AF_INET6)), 1);
	assert_int_equal(history_entry(hist(st, "gw.example", AF_INET6),
	    0)->first_seen_ms, 6000);
	store_free(st);
}

static int
collect_names(const struct result *r, void *arg)
{
	char	*buf = arg;

	strcat(buf, r->destination);
	strcat(buf, " ");
	return (0);
}

static void
test_remove(void **state)
{
	struct store	*st;
	struct result	 r;
	char		 buf[256];
	int		 i;

	(void)state;
	st = store_new();
	for (i = 1; i <= 4; i++) {
		snprintf(buf, sizeof(buf), "198.18.0.%d", i);
		r = mk(buf, buf, 1500, i);
		assert_int_equal(store_put(st, &r), 0);
	}
	assert_int_equal(store_remove(st, "198.18.0.1", AF_INET), 0);
	assert_int_equal(store_remove(st, "198.18.0.4", AF_INET), 0);
	assert_int_equal(store_remove(st, "198.18.0.4", AF_INET), -1);
	assert_int_equal(store_remove(st, "198.18.0.2", AF_INET6), -1);
	assert_int_equal(store_count(st), 2);
	assert_null(store_get(st, "198.18.0.1", 0));
	buf[0] = '\0';
	store_foreach(st, collect_names, buf);
	assert_string_equal(buf, "198.18.0.2 198.18.0.3 ");
	/* Removing the last then adding keeps the order right. */
	r = mk("198.18.0.5", "198.18.0.5", 1500, 5);
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_remove(st, "198.18.0.2", AF_INET), 0);
	assert_int_equal(store_remove(st, "198.18.0.3", AF_INET), 0);
	assert_int_equal(store_remove(st, "198.18.0.5", AF_INET), 0);
	assert_int_equal(store_count(st), 0);
	r = mk("198.18.0.6", "198.18.0.6", 1500, 6);
	assert_int_equal(store_put(st, &r), 0);
	buf[0] = '\0';
	store_foreach(st, collect_names, buf);
	assert_string_equal(buf, "198.18.0.6 ");
	store_free(st);
}

static void
test_iter(void **state)
{
	struct store		*st;
	struct store_iter	*it;
	const struct result	*r;
	struct result		 n;
	char			 name[32];
	int			 i;

	(void)state;
	st = store_new();
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof(name), "198.18.0.%d", i);
		n = mk(name, name, 1500, i);
		assert_int_equal(store_put(st, &n), 0);
	}
	it = store_iter_new(st);
	assert_string_equal(store_iter_next(it)->destination, "198.18.0.1");
	/* Removing the entry the cursor stands on moves it on. */
	assert_int_equal(store_remove(st, "198.18.0.2", AF_INET), 0);
	assert_string_equal(store_iter_next(it)->destination, "198.18.0.3");
	/* Removing one already passed changes nothing. */
	assert_int_equal(store_remove(st, "198.18.0.1", AF_INET), 0);
	assert_string_equal(store_iter_next(it)->destination, "198.18.0.4");
	assert_null(store_iter_next(it));
	/* Appended after the end: handed out next. */
	n = mk("198.18.0.5", "198.18.0.5", 1500, 5);
	assert_int_equal(store_put(st, &n), 0);
	r = store_iter_next(it);
	assert_non_null(r);
	assert_string_equal(r->destination, "198.18.0.5");
	assert_null(store_iter_next(it));
	/* Removing the last entry while a cursor stands on it. */
	store_iter_free(it);
	it = store_iter_new(st);
	assert_int_equal(store_remove(st, "198.18.0.3", AF_INET), 0);
	assert_int_equal(store_remove(st, "198.18.0.4", AF_INET), 0);
	assert_int_equal(store_remove(st, "198.18.0.5", AF_INET), 0);
	assert_null(store_iter_next(it));
	store_iter_free(it);
	store_free(st);
}

/* Destinations only probed on demand are bounded; configured ones stay. */
static void
test_prune_on_demand(void **state)
{
	struct store	*st;
	struct result	 r;
	char		 name[32];
	int		 i;

	(void)state;
	assert_non_null(st = store_new());
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "198.18.1.%d", i + 1);
		r = mk(name, name, 1500, 1000 + i);
		r.on_demand = 1;
		assert_int_equal(store_put(st, &r), 0);
	}
	r = mk("198.18.9.9", "198.18.9.9", 1400, 1);	/* configured, old */
	assert_int_equal(store_put(st, &r), 0);
	assert_int_equal(store_on_demand(st), 10);
	assert_int_equal(store_count(st), 11);

	/* Too old: updated before 1003 (1000, 1001, 1002). */
	assert_int_equal(store_prune(st, 100, 1003), 3);
	assert_null(store_get(st, "198.18.1.1", AF_INET));
	assert_non_null(store_get(st, "198.18.1.4", AF_INET));
	assert_int_equal(store_on_demand(st), 7);
	/* Too many: the oldest go until 4 are left. */
	assert_int_equal(store_prune(st, 4, 0), 3);
	assert_int_equal(store_on_demand(st), 4);
	assert_null(store_get(st, "198.18.1.6", AF_INET));
	assert_non_null(store_get(st, "198.18.1.7", AF_INET));
	assert_non_null(store_get(st, "198.18.1.10", AF_INET));
	/* The configured one, older than all, is never pruned. */
	assert_non_null(store_get(st, "198.18.9.9", AF_INET));
	assert_int_equal(store_prune(st, 0, INT64_MAX), 4);
	assert_int_equal(store_count(st), 1);
	assert_int_equal(store_on_demand(st), 0);
	store_free(st);
}

/* Once measured by the monitor, a destination is configured for good. */
static void
test_on_demand_sticks_off(void **state)
{
	struct store		*st;
	struct result		 r;

	(void)state;
	assert_non_null(st = store_new());
	r = mk("gw.test", "198.18.3.2", 1500, 10);
	r.on_demand = 1;
	assert_int_equal(store_put(st, &r), 0);
	assert_true(store_get(st, "gw.test", AF_INET)->on_demand);
	assert_int_equal(store_on_demand(st), 1);
	r.on_demand = 0;
	r.updated_at_ms = 20;
	assert_int_equal(store_put(st, &r), 0);
	assert_false(store_get(st, "gw.test", AF_INET)->on_demand);
	assert_int_equal(store_on_demand(st), 0);
	r.on_demand = 1;		/* a client asks again */
	r.updated_at_ms = 30;
	assert_int_equal(store_put(st, &r), 0);
	assert_false(store_get(st, "gw.test", AF_INET)->on_demand);
	assert_int_equal(store_on_demand(st), 0);
	assert_int_equal(store_remove(st, "gw.test", AF_INET), 0);
	assert_int_equal(store_on_demand(st), 0);
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_foreach_order),
		cmocka_unit_test(test_name_and_address),
		cmocka_unit_test(test_family_zero),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_hops_copied),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_load_verbatim),
		cmocka_unit_test(test_path_log),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_iter),
		cmocka_unit_test(test_prune_on_demand),
		cmocka_unit_test(test_on_demand_sticks_off),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
