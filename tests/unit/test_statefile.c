/* SPDX-License-Identifier: ISC */
/* Unit tests for lib/state.c. */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
/* Not <sched.h>: -Ilib finds the scheduler's header by that name. */
#include <linux/sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "addr.h"
#include "history.h"
#include "result.h"
#include "statefile.h"
#include "store.h"

#define SAVED_AT	1795418629123LL		/* 2026-11-23T07:23:49.123Z */
#define HEADER		"{\"format\":\"pmtud-state\",\"version\":1," \
			"\"saved_at\":\"2026-11-23T07:23:49.123Z\",\"results\":["
#define NSAMPLES	8
#define SKIP_CHILD	77

/* A scratch directory, removed with everything in it at the end. */
struct tmp {
	char	 dir[64];
	char	 path[128];		/* dir/state.json */
};

static void
tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_state.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/state.json", t->dir);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

static void
tmp_remove(struct tmp *t)
{
	assert_int_equal(nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The directory's entries, sorted and joined by ","; "" if empty. */
static void
dir_names(const char *dir, char *buf, size_t len)
{
	DIR		*d;
	struct dirent	*de;
	char		*names[64];
	size_t		 n = 0, i, off = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		assert_true(n < 64);
		assert_non_null(names[n++] = strdup(de->d_name));
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		off += snprintf(buf + off, len - off, "%s%s",
		    i > 0 ? "," : "", names[i]);
		assert_true(off < len);
		free(names[i]);
	}
}

static void
write_bytes(const char *path, const void *data, size_t len)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
write_text(const char *path, const char *text)
{
	write_bytes(path, text, strlen(text));
}

/* The whole file, NUL-terminated; *len without the NUL. */
static char *
read_text(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	assert_non_null(fp = fopen(path, "r"));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	assert_true((n = ftell(fp)) >= 0);
	rewind(fp);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	if (len != NULL)
		*len = (size_t)n;
	return (buf);
}

static struct addr
ad(const char *s)
{
	struct addr	a;

	memset(&a, 0, sizeof(a));
	if (s != NULL && addr_parse(&a, s) == -1)
		fail_msg("bad test address %s", s);
	return (a);
}

static struct result_hop
hop(unsigned ttl, const char *addr, int rtt_us, unsigned mtu)
{
	struct result_hop	h;

	memset(&h, 0, sizeof(h));
	h.ttl = ttl;
	h.address = ad(addr);
	h.rtt_us = rtt_us;
	h.mtu = mtu;
	return (h);
}

/* A conclusive finding with its address resolved. */
static void
found(struct result *r, const char *dest, const char *addr, int pmtu,
    enum result_state state)
{
	result_init(r, dest);
	r->address = ad(addr);
	r->family = r->address.family;
	r->pmtu = pmtu;
	r->local_mtu = 1500;
	r->state = state;
	r->method = METHOD_ICMP;
	r->probes_sent = 9;
	r->duration_ms = 1234;
	r->updated_at_ms = SAVED_AT - 5000;
}

static void
sample_v4_walked(struct result *r)
{
	struct result_hop	 h[3];

	found(r, "198.18.3.2", "198.18.3.2", 1454, RESULT_OK);
	r->previous_pmtu = 1500;
	r->probes_total = 123456789012ULL;	/* more than 32 bits */
	r->findings = 77;
	h[0] = hop(1, "198.18.0.1", 250, 1500);
	h[1] = hop(2, NULL, -1, 0);		/* no answer */
	h[2] = hop(3, "198.18.3.2", 12345, 1454);
	r->walked = 1;
	assert_int_equal(result_set_hops(r, h, 3), 0);
}

static void
sample_v6_blackhole(struct result *r)
{
	struct result_hop	 h[2];

	found(r, "bh.example", "2001:db8::5", 1280, RESULT_BLACKHOLE);
	r->method = METHOD_UDP;
	r->local_mtu = 9000;
	r->probes_total = 40;
	r->findings = 3;
	h[0] = hop(1, "2001:db8::1", 800, 1500);
	h[1] = hop(2, NULL, -1, 0);
	r->walked = 1;
	assert_int_equal(result_set_hops(r, h, 2), 0);
	r->blackhole.found = 1;
	r->blackhole.hop = 1;
	r->blackhole.address = ad("2001:db8::1");
	r->blackhole.lost_size = 1281;
	r->blackhole.lost = 3;
	r->blackhole.lost_above = 6;
	r->blackhole.control_sent = 4;
	r->blackhole.control_lost = 0;
	r->blackhole.span_ms = 2100;
}

/* Same name, other family: a separate entry. */
static void
sample_v4_blackhole_unwalked(struct result *r)
{
	found(r, "bh.example", "198.18.7.7", 1400, RESULT_BLACKHOLE);
	r->blackhole.found = 1;
	r->blackhole.hop = -1;			/* not walked: null */
	r->blackhole.lost_size = 1401;
	r->blackhole.lost = 3;
	r->blackhole.lost_above = 3;
	r->blackhole.control_sent = 2;
	r->blackhole.control_lost = 1;
	r->blackhole.span_ms = 900;
}

/* Nothing known at all. */
static void
sample_unknown(struct result *r)
{
	result_init(r, "unknown.example");
	snprintf(r->error, sizeof(r->error), "name does not resolve");
	r->findings = 2;
}

/* Walked, but nothing answered: "hops": []. */
static void
sample_unreachable(struct result *r)
{
	found(r, "198.18.9.9", "198.18.9.9", 0, RESULT_UNREACHABLE);
	r->local_mtu = 0;
	r->duration_ms = 0;
	r->walked = 1;
	r->previous_pmtu = 1454;
	r->probes_total = 9;
	r->findings = 1;
}

static void
sample_v6_long_walk(struct result *r)
{
	struct result_hop	 h[RESULT_MAXHOPS];
	char			 a[ADDR_STRLEN];
	unsigned		 i;

	found(r, "2001:db8::77", "2001:db8::77", 65535, RESULT_OK);
	r->local_mtu = 65536;
	r->method = METHOD_UDP;
	r->updated_at_ms = 0;
	r->duration_ms = 0;
	for (i = 0; i < RESULT_MAXHOPS; i++) {
		snprintf(a, sizeof(a), "2001:db8::%x", i + 1);
		h[i] = hop(i + 1, i % 5 == 4 ? NULL : a,
		    i % 7 == 6 ? -1 : (int)(i * 1001 + 1), i % 3 ? 0 : 9000);
	}
	r->walked = 1;
	assert_int_equal(result_set_hops(r, h, RESULT_MAXHOPS), 0);
}

static void
sample_error(struct result *r)
{
	found(r, "err.example", "198.18.1.1", 0, RESULT_ERROR);
	r->method = 0;
	snprintf(r->error, sizeof(r->error), "sendto: Network is "
	    "unreachable \"quoted\" \\ \t\x01 ünïcode");
	r->probes_sent = 0;
	r->duration_ms = -1;
}

/* A name that resolved to an address of the other spelling. */
static void
sample_v6_name(struct result *r)
{
	found(r, "v6.example", "2001:db8:0:0:1::1", 1492, RESULT_OK);
	r->updated_at_ms = SAVED_AT + 999;
	r->previous_pmtu = 65535;
}

static void
samples(struct result *r)
{
	sample_v4_walked(&r[0]);
	sample_v6_blackhole(&r[1]);
	sample_v4_blackhole_unwalked(&r[2]);
	sample_unknown(&r[3]);
	sample_unreachable(&r[4]);
	sample_v6_long_walk(&r[5]);
	sample_error(&r[6]);
	sample_v6_name(&r[7]);
}

static void
samples_clear(struct result *r, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		result_clear(&r[i]);
}

/* A store holding r[0..n) exactly (history included). */
static struct store *
store_of(const struct result *r, size_t n)
{
	struct store	*st;
	size_t		 i;

	assert_non_null(st = store_new());
	for (i = 0; i < n; i++)
		assert_int_equal(store_load(st, &r[i]), 0);
	assert_int_equal(store_count(st), n);
	return (st);
}

static void
assert_addr_equal(const struct addr *a, const struct addr *b)
{
	assert_int_equal(a->family, b->family);
	if (a->family == AF_INET)
		assert_memory_equal(&a->u.v4, &b->u.v4, sizeof(a->u.v4));
	else if (a->family == AF_INET6)
		assert_memory_equal(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	else
		assert_int_equal(a->family, 0);
}

static void
assert_blackhole_equal(const struct result_blackhole *a,
    const struct result_blackhole *b)
{
	assert_int_equal(a->found, b->found);
	assert_int_equal(a->hop, b->hop);
	assert_addr_equal(&a->address, &b->address);
	assert_int_equal(a->lost_size, b->lost_size);
	assert_int_equal(a->lost, b->lost);
	assert_int_equal(a->lost_above, b->lost_above);
	assert_int_equal(a->control_sent, b->control_sent);
	assert_int_equal(a->control_lost, b->control_lost);
	assert_int_equal(a->span_ms, b->span_ms);
}

static void
assert_result_equal(const struct result *a, const struct result *b)
{
	unsigned	 i;

	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->destination, b->destination);
	assert_addr_equal(&a->address, &b->address);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->pmtu, b->pmtu);
	assert_int_equal(a->local_mtu, b->local_mtu);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->method, b->method);
	assert_int_equal(a->probes_sent, b->probes_sent);
	assert_int_equal(a->duration_ms, b->duration_ms);
	assert_int_equal(a->updated_at_ms, b->updated_at_ms);
	assert_string_equal(a->error, b->error);
	assert_int_equal(a->previous_pmtu, b->previous_pmtu);
	assert_int_equal(a->probes_total, b->probes_total);
	assert_int_equal(a->findings, b->findings);
	assert_int_equal(a->since_ms, b->since_ms);
	assert_int_equal(a->walked, b->walked);
	assert_int_equal(a->nhops, b->nhops);
	for (i = 0; i < a->nhops; i++) {
		assert_int_equal(a->hops[i].ttl, b->hops[i].ttl);
		assert_addr_equal(&a->hops[i].address, &b->hops[i].address);
		assert_int_equal(a->hops[i].rtt_us, b->hops[i].rtt_us);
		assert_int_equal(a->hops[i].mtu, b->hops[i].mtu);
	}
	assert_blackhole_equal(&a->blackhole, &b->blackhole);
}

struct walk {
	const struct result	*want;
	size_t			 n;
};

/* The loaded store, in order, against the expected results. */
static int
check_next(const struct result *r, void *arg)
{
	struct walk	*w = arg;

	assert_result_equal(r, &w->want[w->n]);
	w->n++;
	return (0);
}

static void
assert_store_is(const struct store *st, const struct result *want,
    size_t n)
{
	struct walk	 w = { want, 0 };
	size_t		 i;

	assert_int_equal(store_count(st), n);
	assert_int_equal(store_foreach(st, check_next, &w), 0);
	assert_int_equal(w.n, n);
	for (i = 0; i < n; i++)
		assert_result_equal(store_get(st, want[i].destination,
		    want[i].family), &want[i]);
}

/* Loads path into a new store, expecting success without skips. */
static struct store *
load_ok(const char *path, size_t want_loaded)
{
	struct store	*st;
	size_t		 loaded = 99, skipped = 99;
	char		 err[512] = "x";

	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, path, &loaded, &skipped, err,
	    sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(loaded, want_loaded);
	assert_int_equal(skipped, 0);
	return (st);
}

/* Loading must fail as a whole with exactly msg, loading nothing. */
static void
assert_load_fails(const char *path, const char *msg)
{
	struct store	*st;
	size_t		 loaded = 99, skipped = 99;
	char		 err[512];

	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, path, &loaded, &skipped, err,
	    sizeof(err)), -1);
	assert_string_equal(err, msg);
	assert_int_equal(loaded, 0);
	assert_int_equal(skipped, 0);
	assert_int_equal(store_count(st), 0);
	store_free(st);
}

/* What jansson says of these bytes, in our message form. */
static void
not_json_msg(const char *path, const char *data, size_t len, char *buf,
    size_t buflen)
{
	json_error_t	 jerr;

	assert_null(json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr));
	snprintf(buf, buflen, "%s: not JSON: %s at line %d column %d", path,
	    jerr.text, jerr.line, jerr.column);
}

static void
save_ok(const struct store *st, const char *path)
{
	char	 err[512] = "x";

	assert_int_equal(statefile_save(st, path, SAVED_AT, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void
test_round_trip(void **state)
{
	struct result	 r[NSAMPLES];
	struct store	*st, *back;
	struct stat	 sb;
	struct tmp	 t;
	char		 names[256];
	mode_t		 old;

	(void)state;
	tmp_make(&t);
	samples(r);
	st = store_of(r, NSAMPLES);
	old = umask(022);
	save_ok(st, t.path);
	umask(old);
	assert_int_equal(stat(t.path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "state.json");

	back = load_ok(t.path, NSAMPLES);
	assert_store_is(back, r, NSAMPLES);
	/* Saving what was loaded gives the same bytes. */
	{
		char	*a, *b;

		a = read_text(t.path, NULL);
		save_ok(back, t.path);
		b = read_text(t.path, NULL);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	store_free(back);
	store_free(st);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

/* The layout: header line, one result per line, closing line. */
static void
test_file_format(void **state)
{
	struct result	 r[NSAMPLES];
	struct store	*st;
	struct tmp	 t;
	json_error_t	 jerr;
	json_t		*root, *j;
	char		*text, *line, *want, *save = NULL;
	size_t		 i;

	(void)state;
	tmp_make(&t);
	samples(r);
	st = store_of(r, NSAMPLES);
	save_ok(st, t.path);

	text = read_text(t.path, NULL);
	assert_non_null(line = strtok_r(text, "\n", &save));
	assert_string_equal(line, HEADER);
	for (i = 0; i < NSAMPLES; i++) {
		assert_non_null(line = strtok_r(NULL, "\n", &save));
		assert_non_null(j = result_to_json(&r[i]));
		/* Loaded without a log of path states: an empty one. */
		assert_int_equal(json_object_set_new(j, "history",
		    json_array()), 0);
		assert_int_equal(json_object_set_new(j, "history_summary",
		    json_null()), 0);
		assert_non_null(want = json_dumps(j, JSON_COMPACT));
		assert_int_equal(strncmp(line, want, strlen(want)), 0);
		assert_string_equal(line + strlen(want),
		    i + 1 < NSAMPLES ? "," : "");
		free(want);
		json_decref(j);
	}
	assert_non_null(line = strtok_r(NULL, "\n", &save));
	assert_string_equal(line, "]}");
	assert_null(strtok_r(NULL, "\n", &save));
	free(text);
	text = read_text(t.path, &i);
	assert_int_equal(text[i - 1], '\n');
	free(text);

	/* And jansson reads it as the documented object. */
	assert_non_null(root = json_load_file(t.path, JSON_REJECT_DUPLICATES,
	    &jerr));
	assert_int_equal(json_object_size(root), 4);
	assert_string_equal(json_string_value(json_object_get(root,
	    "format")), "pmtud-state");
	assert_int_equal(json_integer_value(json_object_get(root,
	    "version")), 1);
	assert_true(json_is_integer(json_object_get(root, "version")));
	assert_string_equal(json_string_value(json_object_get(root,
	    "saved_at")), "2026-11-23T07:23:49.123Z");
	assert_int_equal(json_array_size(json_object_get(root, "results")),
	    NSAMPLES);
	json_decref(root);

	store_free(st);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

static void
test_missing(void **state)
{
	struct store	*st;
	struct tmp	 t;
	char		 path[256];

	(void)state;
	tmp_make(&t);
	st = load_ok(t.path, 0);
	assert_int_equal(store_count(st), 0);
	store_free(st);
	snprintf(path, sizeof(path), "%s/no/such/dir/state.json", t.dir);
	st = load_ok(path, 0);
	assert_int_equal(store_count(st), 0);
	store_free(st);
	dir_names(t.dir, path, sizeof(path));
	assert_string_equal(path, "");
	tmp_remove(&t);
}

static void
test_empty_store(void **state)
{
	struct store	*st, *back;
	struct tmp	 t;
	char		*text;

	(void)state;
	tmp_make(&t);
	assert_non_null(st = store_new());
	save_ok(st, t.path);
	text = read_text(t.path, NULL);
	assert_string_equal(text, HEADER "\n]}\n");
	free(text);
	back = load_ok(t.path, 0);
	assert_int_equal(store_count(back), 0);
	store_free(back);
	store_free(st);
	tmp_remove(&t);
}

/* Every cut of a good file loads entirely or not at all. */
static void
test_truncated(void **state)
{
	struct result	 r[NSAMPLES];
	struct store	*st, *back;
	struct tmp	 t;
	char		 cut[128], msg[1024], err[1024];
	char		*text;
	size_t		 len, n, loaded, skipped, whole = 0;
	int		 rc;

	(void)state;
	tmp_make(&t);
	samples(r);
	st = store_of(r, NSAMPLES);
	save_ok(st, t.path);
	text = read_text(t.path, &len);
	snprintf(cut, sizeof(cut), "%s/cut.json", t.dir);
	for (n = 0; n <= len; n++) {
		write_bytes(cut, text, n);
		assert_non_null(back = store_new());
		rc = statefile_load(back, cut, &loaded, &skipped, err,
		    sizeof(err));
		assert_int_equal(skipped, 0);
		if (rc == 0) {
			assert_string_equal(err, "");
			assert_int_equal(loaded, NSAMPLES);
			assert_store_is(back, r, NSAMPLES);
			whole++;
		} else {
			assert_int_equal(rc, -1);
			not_json_msg(cut, text, n, msg, sizeof(msg));
			assert_string_equal(err, msg);
			assert_int_equal(loaded, 0);
			assert_int_equal(store_count(back), 0);
		}
		store_free(back);
	}
	/* Only the whole file, and the one lacking its last newline. */
	assert_int_equal(whole, 2);
	free(text);
	store_free(st);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

static void
test_garbage(void **state)
{
	static const char bin[] = "\x00\x01\xff\xfe{\"format\"";
	static const char *const texts[] = {
		"",
		"hello world\n",
		"{\"format\":\"pmtud-state\",\"version\":1,\"results\":[]} x",
		"{\"format\":\"pmtud-state\",\"format\":\"pmtud-state\","
		    "\"version\":1,\"results\":[]}",
		"{\"format\":\"pmtud-state\",\"version\":1,\"results\":[\n"
		    "{\"destination\":\"a\",\"destination\":\"b\"}]}",
		"\"pmtud-state\"",
		"{'format':'pmtud-state'}",
		/* jansson refuses NUL in strings: no "pmtud-state\0x". */
		"{\"format\":\"pmtud-state\\u0000x\",\"version\":1,"
		    "\"results\":[]}",
	};
	struct tmp	 t;
	char		 msg[1024];
	size_t		 i;

	(void)state;
	tmp_make(&t);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		write_text(t.path, texts[i]);
		not_json_msg(t.path, texts[i], strlen(texts[i]), msg,
		    sizeof(msg));
		assert_int_equal(strncmp(msg, t.path, strlen(t.path)), 0);
		assert_non_null(strstr(msg, ": not JSON: "));
		assert_load_fails(t.path, msg);
	}
	write_bytes(t.path, bin, sizeof(bin) - 1);
	not_json_msg(t.path, bin, sizeof(bin) - 1, msg, sizeof(msg));
	assert_load_fails(t.path, msg);
	/* The exact form, for one case whose jansson text is stable. */
	write_text(t.path, "{\"format\":\"pmtud-state\",\n\"version\":1,,}");
	snprintf(msg, sizeof(msg), "%s: not JSON: string or '}' expected "
	    "near ',' at line 2 column 13", t.path);
	assert_load_fails(t.path, msg);
	tmp_remove(&t);
}

static void
test_not_ours(void **state)
{
	static const char *const texts[] = {
		"[]",
		"[{\"format\":\"pmtud-state\",\"version\":1,\"results\":[]}]",
		"{}",
		"{\"version\":1,\"results\":[]}",
		"{\"format\":\"other\",\"version\":1,\"results\":[]}",
		"{\"format\":\"PMTUD-STATE\",\"version\":1,\"results\":[]}",
		"{\"format\":7,\"version\":1,\"results\":[]}",
		"{\"format\":null,\"version\":1,\"results\":[]}",
	};
	struct tmp	 t;
	char		 msg[256];
	size_t		 i;

	(void)state;
	tmp_make(&t);
	snprintf(msg, sizeof(msg), "%s: not a pmtud state file", t.path);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		write_text(t.path, texts[i]);
		assert_load_fails(t.path, msg);
	}
	tmp_remove(&t);
}

static void
test_version(void **state)
{
	static const struct {
		const char	*version;
		const char	*msg;
	} cases[] = {
		{ "2", "state version 2 is not supported (want 1)" },
		{ "0", "state version 0 is not supported (want 1)" },
		{ "-1", "state version -1 is not supported (want 1)" },
		{ "9223372036854775807", "state version 9223372036854775807 "
		    "is not supported (want 1)" },
		{ "\"1\"", "\"version\" is missing or not an integer" },
		{ "1.0", "\"version\" is missing or not an integer" },
		{ "null", "\"version\" is missing or not an integer" },
		{ NULL, "\"version\" is missing or not an integer" },
	};
	struct tmp	 t;
	char		 text[256], msg[512];
	size_t		 i;

	(void)state;
	tmp_make(&t);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].version != NULL)
			snprintf(text, sizeof(text), "{\"format\":"
			    "\"pmtud-state\",\"version\":%s,\"results\":[]}",
			    cases[i].version);
		else
			snprintf(text, sizeof(text), "{\"format\":"
			    "\"pmtud-state\",\"results\":[]}");
		write_text(t.path, text);
		snprintf(msg, sizeof(msg), "%s: %s", t.path, cases[i].msg);
		assert_load_fails(t.path, msg);
	}
	tmp_remove(&t);
}

static void
test_results_not_array(void **state)
{
	static const struct {
		const char	*results;
		const char	*msg;
	} cases[] = {
		{ "{}", "\"results\" is not an array" },
		{ "null", "\"results\" is not an array" },
		{ "\"[]\"", "\"results\" is not an array" },
		{ "3", "\"results\" is not an array" },
		{ NULL, "\"results\" is missing" },
	};
	struct tmp	 t;
	char		 text[256], msg[512];
	size_t		 i;

	(void)state;
	tmp_make(&t);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].results != NULL)
			snprintf(text, sizeof(text), "{\"format\":"
			    "\"pmtud-state\",\"version\":1,\"results\":%s}",
			    cases[i].results);
		else
			snprintf(text, sizeof(text), "{\"format\":"
			    "\"pmtud-state\",\"version\":1}");
		write_text(t.path, text);
		snprintf(msg, sizeof(msg), "%s: %s", t.path, cases[i].msg);
		assert_load_fails(t.path, msg);
	}
	/* No saved_at, extra members: still ours. */
	write_text(t.path, "{\"format\":\"pmtud-state\",\"version\":1,"
	    "\"results\":[],\"comment\":\"x\"}");
	store_free(load_ok(t.path, 0));
	tmp_remove(&t);
}

/* Not a file we could read: directory, FIFO, over the size limit. */
static void
test_unreadable(void **state)
{
	struct tmp	 t;
	char		 msg[512];
	int		 fd;

	(void)state;
	tmp_make(&t);
	assert_int_equal(mkdir(t.path, 0700), 0);
	snprintf(msg, sizeof(msg), "%s: not a regular file", t.path);
	assert_load_fails(t.path, msg);
	assert_int_equal(rmdir(t.path), 0);
	assert_int_equal(mkfifo(t.path, 0600), 0);
	assert_load_fails(t.path, msg);		/* and does not hang */
	assert_int_equal(unlink(t.path), 0);

	/* Sparse: costs no disk.  One byte over the limit is refused. */
	assert_true((fd = open(t.path, O_WRONLY | O_CREAT, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, 512LL * 1024 * 1024 + 1), 0);
	close(fd);
	snprintf(msg, sizeof(msg), "%s: too large: 536870913 bytes, more "
	    "than 536870912", t.path);
	assert_load_fails(t.path, msg);
	/* At the limit it is read (and found to be NUL bytes). */
	assert_int_equal(truncate(t.path, 512LL * 1024 * 1024), 0);
	not_json_msg(t.path, "\0", 1, msg, sizeof(msg));
	assert_load_fails(t.path, msg);
	tmp_remove(&t);
}

/* The samples as a state file, with result `bad` replaced by `with`. */
static void
write_with(const char *path, const struct result *r, size_t n,
    const size_t *bad, json_t **with, size_t nbad)
{
	json_t		*root, *a, *j;
	size_t		 i, k;

	assert_non_null(a = json_array());
	for (i = 0; i < n; i++) {
		assert_non_null(j = result_to_json(&r[i]));
		for (k = 0; k < nbad; k++)
			if (bad[k] == i) {
				json_decref(j);
				j = json_incref(with[k]);
			}
		assert_int_equal(json_array_append_new(a, j), 0);
	}
	assert_non_null(root = json_pack("{s:s,s:i,s:s,s:o}", "format",
	    "pmtud-state", "version", 1, "saved_at",
	    "2026-11-23T07:23:49.123Z", "results", a));
	assert_int_equal(json_dump_file(root, path, JSON_INDENT(1)), 0);
	json_decref(root);
}

static void
test_bad_results_skipped(void **state)
{
	struct result	 r[NSAMPLES], good[NSAMPLES];
	struct store	*st;
	struct tmp	 t;
	json_t		*with[3];
	size_t		 bad[3] = { 2, 4, 6 }, loaded, skipped, i, n;
	char		 err[512], msg[512];

	(void)state;
	tmp_make(&t);
	samples(r);
	/* Result 3 has a string PMTU. */
	assert_non_null(with[0] = result_to_json(&r[2]));
	assert_int_equal(json_object_set_new(with[0], "pmtu",
	    json_string("big")), 0);
	write_with(t.path, r, NSAMPLES, bad, with, 1);
	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, t.path, &loaded, &skipped, err,
	    sizeof(err)), 0);
	assert_int_equal(loaded, NSAMPLES - 1);
	assert_int_equal(skipped, 1);
	snprintf(msg, sizeof(msg), "%s: result 3: \"pmtu\" must be an "
	    "integer or null", t.path);
	assert_string_equal(err, msg);
	for (i = n = 0; i < NSAMPLES; i++)
		if (i != 2)
			good[n++] = r[i];
	assert_store_is(st, good, n);
	assert_null(store_get(st, r[2].destination, r[2].family));
	store_free(st);

	/* Several bad ones: the first reason is kept, the rest counted. */
	assert_non_null(with[1] = json_integer(42));
	assert_non_null(with[2] = result_to_json(&r[6]));
	assert_int_equal(json_object_del(with[2], "destination"), 0);
	write_with(t.path, r, NSAMPLES, bad, with, 3);
	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, t.path, &loaded, &skipped, err,
	    sizeof(err)), 0);
	assert_int_equal(loaded, NSAMPLES - 3);
	assert_int_equal(skipped, 3);
	assert_string_equal(err, msg);
	assert_int_equal(store_count(st), NSAMPLES - 3);
	store_free(st);

	/* The other two reasons, each first in its own file. */
	write_with(t.path, r, NSAMPLES, &bad[1], &with[1], 1);
	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, t.path, &loaded, &skipped, err,
	    sizeof(err)), 0);
	snprintf(msg, sizeof(msg), "%s: result 5: result must be a JSON "
	    "object", t.path);
	assert_string_equal(err, msg);
	assert_int_equal(skipped, 1);
	store_free(st);
	write_with(t.path, r, NSAMPLES, &bad[2], &with[2], 1);
	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, t.path, &loaded, &skipped, err,
	    sizeof(err)), 0);
	snprintf(msg, sizeof(msg), "%s: result 7: missing \"destination\"",
	    t.path);
	assert_string_equal(err, msg);
	assert_int_equal(loaded, NSAMPLES - 1);
	store_free(st);

	for (i = 0; i < 3; i++)
		json_decref(with[i]);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

/* All bad: still 0 (the file is ours), nothing loaded. */
static void
test_all_results_bad(void **state)
{
	struct store	*st;
	struct tmp	 t;
	size_t		 loaded, skipped;
	char		 err[512], msg[512];

	(void)state;
	tmp_make(&t);
	write_text(t.path, HEADER "\n{\"destination\":\"\"},\n[],\nnull\n]}\n");
	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, t.path, &loaded, &skipped, err,
	    sizeof(err)), 0);
	assert_int_equal(loaded, 0);
	assert_int_equal(skipped, 3);
	snprintf(msg, sizeof(msg), "%s: result 1: \"destination\" is empty",
	    t.path);
	assert_string_equal(err, msg);
	assert_int_equal(store_count(st), 0);
	store_free(st);
	tmp_remove(&t);
}

/* A later result for the same destination and family wins. */
static void
test_duplicates(void **state)
{
	struct result	 r[4], want[3];
	struct store	*st;
	struct tmp	 t;
	json_t		*root, *a;
	size_t		 i;

	(void)state;
	tmp_make(&t);
	found(&r[0], "dup.example", "198.18.2.1", 1500, RESULT_OK);
	r[0].findings = 1;
	found(&r[1], "dup.example", "2001:db8::2", 1500, RESULT_OK);
	found(&r[2], "other.example", "198.18.2.9", 1400, RESULT_OK);
	sample_v4_walked(&r[3]);
	snprintf(r[3].destination, sizeof(r[3].destination), "dup.example");
	r[3].address = ad("198.18.2.2");
	r[3].updated_at_ms = SAVED_AT;
	assert_non_null(a = json_array());
	for (i = 0; i < 4; i++)
		assert_int_equal(json_array_append_new(a,
		    result_to_json(&r[i])), 0);
	assert_non_null(root = json_pack("{s:s,s:i,s:o}", "format",
	    "pmtud-state", "version", 1, "results", a));
	assert_int_equal(json_dump_file(root, t.path, 0), 0);
	json_decref(root);

	st = load_ok(t.path, 4);
	/* Replaced in its place: the first one's slot, the last one's data. */
	want[0] = r[3];
	want[1] = r[1];
	want[2] = r[2];
	assert_store_is(st, want, 3);
	/* The old address no longer finds it. */
	assert_null(store_get(st, "198.18.2.1", AF_INET));
	assert_result_equal(store_get(st, "198.18.2.2", AF_INET), &r[3]);
	store_free(st);
	samples_clear(r, 4);
	tmp_remove(&t);
}

/* Findings saved before the store kept history still load. */
static void
test_old_results(void **state)
{
	struct result	 want;
	struct store	*st;
	struct tmp	 t;

	(void)state;
	tmp_make(&t);
	write_text(t.path, HEADER "\n{\"destination\":\"198.18.4.4\","
	    "\"address\":\"198.18.4.4\",\"family\":4,\"pmtu\":1492,"
	    "\"local_mtu\":1500,\"state\":\"ok\",\"method\":\"icmp\","
	    "\"probes_sent\":6,\"duration_ms\":40,"
	    "\"updated_at\":\"2026-11-23T07:23:49.123Z\",\"error\":null}\n]}\n");
	st = load_ok(t.path, 1);
	found(&want, "198.18.4.4", "198.18.4.4", 1492, RESULT_OK);
	want.probes_sent = 6;
	want.duration_ms = 40;
	want.updated_at_ms = SAVED_AT;
	assert_store_is(st, &want, 1);
	/* Written before the log of path states: an empty one, no since. */
	assert_int_equal(history_count(store_result_history(store_get(st,
	    "198.18.4.4", AF_INET))), 0);
	assert_int_equal(store_get(st, "198.18.4.4", AF_INET)->since_ms, -1);
	store_free(st);
	tmp_remove(&t);
}

/* A log of path states as JSON text: entries and summary. */
static char *
log_text(const struct history *h)
{
	json_t	*j;
	char	*s;

	j = json_pack("{s:o,s:o}", "e", history_entries_json(h, -1), "s",
	    history_summary_json(h, -1));
	assert_non_null(j);
	assert_non_null(s = json_dumps(j, JSON_COMPACT));
	json_decref(j);
	return (s);
}

/* A destination that flapped more often than its log keeps. */
static struct store *
flapping(void)
{
	struct store	*st;
	struct result	 r;
	int		 i;

	assert_non_null(st = store_new());
	for (i = 0; i < HISTORY_MAX + 7; i++) {
		found(&r, "flap.example", "198.18.4.4", i % 2 ? 1400 : 1500,
		    i % 2 ? RESULT_BLACKHOLE : RESULT_OK);
		if (i % 2) {
			r.blackhole.found = 1;
			r.blackhole.hop = 1;
			r.blackhole.address = ad("198.18.1.2");
		}
		r.updated_at_ms = SAVED_AT - 100000 + i * 1000;
		assert_int_equal(store_put(st, &r), 0);
		r.updated_at_ms += 400;
		assert_int_equal(store_put(st, &r), 0);
	}
	/* One that never changed, and one with only an error. */
	found(&r, "calm.example", "2001:db8::4", 1280, RESULT_OK);
	assert_int_equal(store_put(st, &r), 0);
	result_init(&r, "nowhere.example");
	assert_int_equal(store_put(st, &r), 0);
	return (st);
}

/* The log and since survive a save and a load, summary included. */
static void
test_history_round_trip(void **state)
{
	static const char *const names[] = {
		"flap.example", "calm.example", "nowhere.example",
	};
	static const int fams[] = { AF_INET, AF_INET6, 0 };
	struct store		*st, *back;
	const struct result	*a, *b;
	struct result		 r;
	struct tmp		 t;
	char			*ta, *tb;
	size_t			 i;

	(void)state;
	tmp_make(&t);
	st = flapping();
	save_ok(st, t.path);
	back = load_ok(t.path, 3);
	for (i = 0; i < 3; i++) {
		assert_non_null(a = store_get(st, names[i], fams[i]));
		assert_non_null(b = store_get(back, names[i], fams[i]));
		assert_result_equal(a, b);
		ta = log_text(store_result_history(a));
		tb = log_text(store_result_history(b));
		assert_string_equal(ta, tb);
		free(ta);
		free(tb);
	}
	a = store_get(back, "flap.example", AF_INET);
	assert_int_equal(history_count(store_result_history(a)), HISTORY_MAX);
	assert_int_equal(history_summary(store_result_history(a))->count, 7);
	assert_int_equal(history_changes(store_result_history(a)),
	    HISTORY_MAX + 6);
	assert_int_equal(a->since_ms, SAVED_AT - 100000 +
	    (HISTORY_MAX + 6) * 1000);
	assert_int_equal(history_count(store_result_history(store_get(back,
	    "nowhere.example", 0))), 0);
	/* And the next finding goes on from the loaded log. */
	found(&r, "flap.example", "198.18.4.4", 1400, RESULT_BLACKHOLE);
	r.updated_at_ms = SAVED_AT + 1;
	assert_int_equal(store_put(back, &r), 0);
	a = store_get(back, "flap.example", AF_INET);
	assert_int_equal(history_changes(store_result_history(a)),
	    HISTORY_MAX + 7);
	assert_int_equal(history_summary(store_result_history(a))->count, 8);
	assert_int_equal(a->since_ms, SAVED_AT + 1);
	store_free(back);
	store_free(st);
	tmp_remove(&t);
}

/* A result whose log is bad is skipped like any bad result. */
static void
test_history_bad(void **state)
{
	struct result	 r[NSAMPLES];
	struct store	*st;
	struct tmp	 t;
	json_t		*with[1];
	size_t		 bad[1] = { 1 }, loaded, skipped;
	char		 err[512], msg[512];

	(void)state;
	tmp_make(&t);
	samples(r);
	assert_non_null(with[0] = result_to_json(&r[1]));
	assert_int_equal(json_object_set_new(with[0], "history",
	    json_pack("[{s:s}]", "first_seen", "soon")), 0);
	write_with(t.path, r, NSAMPLES, bad, with, 1);
	assert_non_null(st = store_new());
	assert_int_equal(statefile_load(st, t.path, &loaded, &skipped, err,
	    sizeof(err)), 0);
	assert_int_equal(loaded, NSAMPLES - 1);
	assert_int_equal(skipped, 1);
	snprintf(msg, sizeof(msg), "%s: result 2: history entry 1: "
	    "\"first_seen\" is not an RFC 3339 UTC time", t.path);
	assert_string_equal(err, msg);
	assert_null(store_get(st, r[1].destination, r[1].family));
	store_free(st);
	json_decref(with[0]);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

static void
assert_save_fails(const struct store *st, const char *path,
    const char *msg)
{
	char	 err[512];

	assert_int_equal(statefile_save(st, path, SAVED_AT, err, sizeof(err)),
	    -1);
	assert_string_equal(err, msg);
}

static void
test_save_errors(void **state)
{
	struct result	 r[NSAMPLES];
	struct store	*st;
	struct tmp	 t;
	char		 path[256], msg[512], names[256];

	(void)state;
	tmp_make(&t);
	samples(r);
	st = store_of(r, NSAMPLES);

	snprintf(path, sizeof(path), "%s/nodir/state.json", t.dir);
	snprintf(msg, sizeof(msg), "%s: create temporary file: No such "
	    "file or directory", path);
	assert_save_fails(st, path, msg);

	snprintf(path, sizeof(path), "%s/file", t.dir);
	write_text(path, "not a directory\n");
	snprintf(path, sizeof(path), "%s/file/state.json", t.dir);
	snprintf(msg, sizeof(msg), "%s: create temporary file: Not a "
	    "directory", path);
	assert_save_fails(st, path, msg);

	snprintf(msg, sizeof(msg), "%s: bad save time -1", t.path);
	{
		char	 err[512];

		assert_int_equal(statefile_save(st, t.path, -1, err,
		    sizeof(err)), -1);
		assert_string_equal(err, msg);
	}

	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "file");
	store_free(st);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

/* The new file takes the old one's name; the old inode is not touched. */
static void
test_save_replaces(void **state)
{
	struct result	 r[NSAMPLES];
	struct store	*a, *b, *back;
	struct stat	 before, after;
	struct tmp	 t;
	char		 link_path[256], names[256];
	char		*old, *kept;

	(void)state;
	tmp_make(&t);
	samples(r);
	a = store_of(r, 3);
	b = store_of(r + 3, NSAMPLES - 3);
	save_ok(a, t.path);
	old = read_text(t.path, NULL);
	snprintf(link_path, sizeof(link_path), "%s/link", t.dir);
	assert_int_equal(link(t.path, link_path), 0);
	assert_int_equal(stat(t.path, &before), 0);

	save_ok(b, t.path);
	assert_int_equal(stat(t.path, &after), 0);
	assert_true(before.st_ino != after.st_ino);
	kept = read_text(link_path, NULL);
	assert_string_equal(kept, old);
	free(kept);
	back = load_ok(t.path, NSAMPLES - 3);
	assert_store_is(back, r + 3, NSAMPLES - 3);
	store_free(back);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "link,state.json");

	free(old);
	store_free(a);
	store_free(b);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

/* Failures after the old file exists leave it byte for byte. */
static void
test_save_failure_keeps_old(void **state)
{
	struct result	 r[NSAMPLES], bad;
	struct store	*st, *broken;
	struct tmp	 t;
	char		 tmpname[256], msg[512], names[256];
	char		*old, *now;

	(void)state;
	tmp_make(&t);
	samples(r);
	st = store_of(r, NSAMPLES);
	save_ok(st, t.path);
	old = read_text(t.path, NULL);

	/* A result that cannot be encoded, after one that was written. */
	broken = store_of(r, 1);
	found(&bad, "bad.example", "198.18.5.5", 1500, 99);
	assert_int_equal(store_load(broken, &bad), 0);
	snprintf(msg, sizeof(msg), "%s: result 2 (bad.example): cannot "
	    "encode it", t.path);
	assert_save_fails(broken, t.path, msg);
	now = read_text(t.path, NULL);
	assert_string_equal(now, old);
	free(now);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "state.json");

	/* Our temporary name is taken by something we must not remove. */
	snprintf(tmpname, sizeof(tmpname), "%s.tmp-%ld", t.path,
	    (long)getpid());
	assert_int_equal(mkdir(tmpname, 0700), 0);
	snprintf(msg, sizeof(msg), "%s: create temporary file: File exists",
	    t.path);
	assert_save_fails(st, t.path, msg);
	now = read_text(t.path, NULL);
	assert_string_equal(now, old);
	free(now);
	assert_int_equal(rmdir(tmpname), 0);

	/* A stale temporary file of ours (a crash) is replaced. */
	write_text(tmpname, "half a file");
	save_ok(st, t.path);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "state.json");
	now = read_text(t.path, NULL);
	assert_string_equal(now, old);
	free(now);

	/* The rename fails: the path is a directory with something in it. */
	snprintf(tmpname, sizeof(tmpname), "%s/inner.json", t.dir);
	assert_int_equal(rename(t.path, tmpname), 0);
	assert_int_equal(mkdir(t.path, 0700), 0);
	snprintf(tmpname, sizeof(tmpname), "%s/keep", t.path);
	write_text(tmpname, "x");
	snprintf(msg, sizeof(msg), "%s: rename: Is a directory", t.path);
	assert_save_fails(st, t.path, msg);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "inner.json,state.json");
	dir_names(t.path, names, sizeof(names));
	assert_string_equal(names, "keep");

	free(old);
	result_clear(&bad);
	store_free(broken);
	store_free(st);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

/* A path without a directory part is in the working directory. */
static void
test_relative_path(void **state)
{
	struct result	 r[NSAMPLES];
	struct store	*st, *back;
	struct tmp	 t;
	char		 names[256];
	int		 cwd;

	(void)state;
	tmp_make(&t);
	samples(r);
	st = store_of(r, NSAMPLES);
	assert_true((cwd = open(".", O_RDONLY | O_DIRECTORY)) >= 0);
	assert_int_equal(chdir(t.dir), 0);
	save_ok(st, "state.json");
	back = load_ok("state.json", NSAMPLES);
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
	assert_store_is(back, r, NSAMPLES);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "state.json");
	store_free(back);
	store_free(st);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

static void
test_move_aside(void **state)
{
	struct tmp	 t;
	char		 newpath[256], want[256], names[256], small[8];
	char		*text;

	(void)state;
	tmp_make(&t);
	write_text(t.path, "garbage\n");
	assert_int_equal(statefile_move_aside(t.path, SAVED_AT, newpath,
	    sizeof(newpath)), 0);
	snprintf(want, sizeof(want), "%s.bad-1795418629123", t.path);
	assert_string_equal(newpath, want);
	text = read_text(newpath, NULL);
	assert_string_equal(text, "garbage\n");
	free(text);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "state.json.bad-1795418629123");
	/* And the daemon starts afresh: no file, nothing loaded. */
	store_free(load_ok(t.path, 0));

	errno = 0;
	assert_int_equal(statefile_move_aside(t.path, SAVED_AT + 1, newpath,
	    sizeof(newpath)), -1);
	assert_int_equal(errno, ENOENT);

	write_text(t.path, "again\n");
	errno = 0;
	assert_int_equal(statefile_move_aside(t.path, SAVED_AT, small,
	    sizeof(small)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	text = read_text(t.path, NULL);
	assert_string_equal(text, "again\n");
	free(text);
	tmp_remove(&t);
}

/*
 * Runs fn in a child process (it may give up root or mount things) and
 * collects its message through a pipe.  Returns the child's exit code.
 */
static int
in_child(int (*fn)(void *, char *, size_t), void *arg, char *msg,
    size_t len)
{
	char	 buf[1024] = "";
	pid_t	 pid;
	ssize_t	 n;
	size_t	 off = 0;
	int	 p[2], status;

	assert_int_equal(pipe(p), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		close(p[0]);
		status = fn(arg, buf, sizeof(buf));
		if (write(p[1], buf, strlen(buf)) == -1)
			_exit(99);
		_exit(status);
	}
	close(p[1]);
	while (off + 1 < len &&
	    (n = read(p[0], msg + off, len - off - 1)) > 0)
		off += (size_t)n;
	msg[off] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return (WEXITSTATUS(status));
}

struct child_arg {
	struct tmp	*t;
	struct store	*small, *big;
};

/* In a 16 KiB tmpfs: the big save runs out of space. */
static int
child_enospc(void *arg, char *msg, size_t len)
{
	struct child_arg	*ca = arg;
	struct stat		 sb;
	char			 err[512], names[256];
	char			*old, *now;

	if (syscall(SYS_unshare, CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount("tmpfs", ca->t->dir, "tmpfs", 0, "size=16k") == -1) {
		snprintf(msg, len, "cannot mount a tmpfs: %s",
		    strerror(errno));
		return (SKIP_CHILD);
	}
	if (statefile_save(ca->small, ca->t->path, SAVED_AT, err,
	    sizeof(err)) == -1) {
		snprintf(msg, len, "small save: %s", err);
		return (1);
	}
	old = read_text(ca->t->path, NULL);
	if (statefile_save(ca->big, ca->t->path, SAVED_AT, err,
	    sizeof(err)) != -1)
		return (2);
	snprintf(msg, len, "%s", err);
	now = read_text(ca->t->path, NULL);
	if (strcmp(now, old) != 0)
		return (3);
	dir_names(ca->t->dir, names, sizeof(names));
	if (strcmp(names, "state.json") != 0 ||
	    stat(ca->t->path, &sb) == -1)
		return (4);
	free(old);
	free(now);
	return (0);
}

static void
test_save_enospc(void **state)
{
	struct child_arg	 ca;
	struct result		 r[NSAMPLES], one;
	struct tmp		 t;
	char			 msg[1024], want[512];
	size_t			 i;
	int			 rc;

	(void)state;
	tmp_make(&t);
	samples(r);
	ca.t = &t;
	ca.small = store_of(r, 1);
	ca.big = store_of(r, NSAMPLES);
	for (i = 0; i < 300; i++) {
		found(&one, "x", "198.18.6.1", 1500, RESULT_OK);
		snprintf(one.destination, sizeof(one.destination),
		    "host-%zu.example", i);
		assert_int_equal(store_load(ca.big, &one), 0);
	}
	rc = in_child(child_enospc, &ca, msg, sizeof(msg));
	if (rc == SKIP_CHILD) {
		print_message("skipped: %s\n", msg);
		store_free(ca.small);
		store_free(ca.big);
		samples_clear(r, NSAMPLES);
		tmp_remove(&t);
		skip();
	}
	assert_int_equal(rc, 0);
	snprintf(want, sizeof(want), "%s: write: No space left on device",
	    t.path);
	assert_string_equal(msg, want);
	store_free(ca.small);
	store_free(ca.big);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

/* As nobody, in root's 0700 directory: EACCES both ways. */
static int
child_eacces(void *arg, char *msg, size_t len)
{
	struct child_arg	*ca = arg;
	struct store		*st;
	size_t			 loaded = 9, skipped = 9;
	char			 err[512];

	if (setgroups(0, NULL) == -1 || setgid(65534) == -1 ||
	    setuid(65534) == -1) {
		snprintf(msg, len, "cannot become nobody: %s",
		    strerror(errno));
		return (SKIP_CHILD);
	}
	if (statefile_save(ca->small, ca->t->path, SAVED_AT, err,
	    sizeof(err)) != -1)
		return (1);
	if ((st = store_new()) == NULL)
		return (2);
	if (statefile_load(st, ca->t->path, &loaded, &skipped, msg, len) != -1 ||
	    loaded != 0 || skipped != 0 || store_count(st) != 0)
		return (3);
	/* Both messages, one per line. */
	snprintf(msg + strlen(msg), len - strlen(msg), "\n%s", err);
	store_free(st);
	return (0);
}

static void
test_eacces(void **state)
{
	struct child_arg	 ca;
	struct result		 r[NSAMPLES];
	struct tmp		 t;
	char			 msg[1024], want[512], names[256];
	int			 rc;

	(void)state;
	tmp_make(&t);
	assert_int_equal(chmod(t.dir, 0700), 0);
	samples(r);
	ca.t = &t;
	ca.small = store_of(r, 2);
	ca.big = NULL;
	save_ok(ca.small, t.path);
	rc = in_child(child_eacces, &ca, msg, sizeof(msg));
	if (rc == SKIP_CHILD) {
		print_message("skipped: %s\n", msg);
		store_free(ca.small);
		samples_clear(r, NSAMPLES);
		tmp_remove(&t);
		skip();
	}
	assert_int_equal(rc, 0);
	snprintf(want, sizeof(want), "%s: open: Permission denied\n"
	    "%s: create temporary file: Permission denied", t.path, t.path);
	assert_string_equal(msg, want);
	dir_names(t.dir, names, sizeof(names));
	assert_string_equal(names, "state.json");
	store_free(ca.small);
	samples_clear(r, NSAMPLES);
	tmp_remove(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_file_format),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_empty_store),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_results_not_array),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_bad_results_skipped),
		cmocka_unit_test(test_all_results_bad),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_old_results),
		cmocka_unit_test(test_history_round_trip),
		cmocka_unit_test(test_history_bad),
		cmocka_unit_test(test_save_errors),
		cmocka_unit_test(test_save_replaces),
		cmocka_unit_test(test_save_failure_keeps_old),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_move_aside),
		cmocka_unit_test(test_save_enospc),
		cmocka_unit_test(test_eacces),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
