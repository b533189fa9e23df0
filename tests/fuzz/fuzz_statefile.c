/* SPDX-License-Identifier: ISC */
/*
 * Fuzzes the state-file loader: the file is ours, but disks fill up,
 * editors and crashes leave half files, and a restore may bring an old
 * one.  lib/state.c reads only from a path, so the input is written to
 * a file in a per-process directory made once (on /dev/shm when there
 * is one: the round trip below fsyncs).  When results load, saving the
 * store and loading that file again must give the same findings and
 * the same logs of path states.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "history.h"
#include "result.h"
#include "statefile.h"
#include "store.h"

#include "fuzz.h"

#define SAVED_AT	1790000000000LL	/* a fixed time: runs repeat */

static char	dir[PATH_MAX], in_path[PATH_MAX], out_path[PATH_MAX];

static void
cleanup(void)
{
	unlink(in_path);
	unlink(out_path);
	rmdir(dir);
}

static void
setup(void)
{
	const char	*base;

	if ((base = getenv("FUZZ_TMPDIR")) == NULL)
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/pmtud-fuzz-state.XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		abort();
	}
	snprintf(in_path, sizeof(in_path), "%s/in.json", dir);
	snprintf(out_path, sizeof(out_path), "%s/out.json", dir);
	atexit(cleanup);
}

static void
write_input(const uint8_t *data, size_t size)
{
	ssize_t	n;
	int	fd;

	FUZZ_ASSERT((fd = open(in_path, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600)) != -1);
	while (size > 0) {
		FUZZ_ASSERT((n = write(fd, data, size)) > 0);
		data += n;
		size -= (size_t)n;
	}
	FUZZ_ASSERT(close(fd) == 0);
}

/* The same log of path states, summary included. */
static void
same_history(const struct history *a, const struct history *b)
{
	json_t	*ja, *jb;

	FUZZ_ASSERT(history_count(a) == history_count(b));
	FUZZ_ASSERT(history_count(a) <= HISTORY_MAX);
	FUZZ_ASSERT(history_changes(a) == history_changes(b));
	FUZZ_ASSERT(history_since(a) == history_since(b));
	FUZZ_ASSERT((ja = history_entries_json(a, -1)) != NULL);
	FUZZ_ASSERT((jb = history_entries_json(b, -1)) != NULL);
	FUZZ_ASSERT(json_equal(ja, jb));
	json_decref(ja);
	json_decref(jb);
	FUZZ_ASSERT((ja = history_summary_json(a, -1)) != NULL);
	FUZZ_ASSERT((jb = history_summary_json(b, -1)) != NULL);
	FUZZ_ASSERT(json_equal(ja, jb));
	json_decref(ja);
	json_decref(jb);
}

/* Both stores hold the same findings in the same order. */
static void
check_same(struct store *a, struct store *b)
{
	struct store_iter	*ia, *ib;
	const struct result	*ra, *rb;
	json_t			*ja, *jb;

	FUZZ_ASSERT(store_count(a) == store_count(b));
	FUZZ_ASSERT((ia = store_iter_new(a)) != NULL);
	FUZZ_ASSERT((ib = store_iter_new(b)) != NULL);
	while ((ra = store_iter_next(ia)) != NULL) {
		FUZZ_ASSERT((rb = store_iter_next(ib)) != NULL);
		FUZZ_ASSERT((ja = result_to_json(ra)) != NULL);
		FUZZ_ASSERT((jb = result_to_json(rb)) != NULL);
		FUZZ_ASSERT(json_equal(ja, jb));
		json_decref(ja);
		json_decref(jb);
		same_history(store_result_history(ra),
		    store_result_history(rb));
	}
	FUZZ_ASSERT(store_iter_next(ib) == NULL);
	store_iter_free(ia);
	store_iter_free(ib);
}

static void
round_trip(struct store *st)
{
	struct store	*st2;
	size_t		 loaded, skipped;
	char		 err[512];

	FUZZ_ASSERT(statefile_save(st, out_path, SAVED_AT, err,
	    sizeof(err)) == 0);
	FUZZ_ASSERT((st2 = store_new()) != NULL);
	FUZZ_ASSERT(statefile_load(st2, out_path, &loaded, &skipped, err,
	    sizeof(err)) == 0);
	FUZZ_ASSERT(skipped == 0);
	FUZZ_ASSERT(loaded == store_count(st));
	check_same(st, st2);
	store_free(st2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store	*st;
	size_t		 loaded, skipped;
	char		 err[512];
	int		 rc;

	if (dir[0] == '\0')
		setup();
	write_input(data, size);
	FUZZ_ASSERT((st = store_new()) != NULL);
	err[0] = '\0';
	rc = statefile_load(st, in_path, &loaded, &skipped, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
	if (rc == -1) {
		/* A file unusable as a whole loads nothing. */
		FUZZ_ASSERT(err[0] != '\0');
		FUZZ_ASSERT(loaded == 0 && skipped == 0);
		FUZZ_ASSERT(store_count(st) == 0);
	} else {
		/* A later result for the same destination replaces one. */
		FUZZ_ASSERT(store_count(st) <= loaded);
		FUZZ_ASSERT(loaded == 0 || store_count(st) > 0);
		FUZZ_ASSERT(skipped == 0 || err[0] != '\0');
		if (loaded >= 1)
			round_trip(st);
	}
	store_free(st);
	return (0);
}
