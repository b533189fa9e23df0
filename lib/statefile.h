/* SPDX-License-Identifier: ISC */
/*
 * The state file: every finding in the store, kept across restarts.
 *   {"format":"pmtud-state","version":1,"saved_at":"<RFC 3339>",
 *    "results":[<result>,...]}
 * where each result also carries its log of path states (lib/history.h):
 *   "history":[<entry>,...],"history_summary":{...}|null
 * Both are optional on loading: older files load with empty logs.
 * Written atomically: a temporary file in the same directory, fsync,
 * rename, fsync of the directory.  Results are written one by one, so
 * saving never builds the whole file in memory.
 */
#ifndef STATEFILE_H
#define STATEFILE_H

#include <stddef.h>
#include <stdint.h>

struct store;

#define STATEFILE_FORMAT	"pmtud-state"
#define STATEFILE_VERSION	1

/* 0, or -1 with "PATH: reason" in err; the old file is then intact. */
int	 statefile_save(const struct store *, const char *path,
	    int64_t saved_at_ms, char *err, size_t errlen);

/*
 * Loads results into the store with store_load().  Returns 0 (also for
 * a missing file: *loaded 0), -1 when the file as a whole is unusable
 * (not JSON, not ours, another version, unreadable): err says why and
 * nothing is loaded.  Single bad results are skipped, counted in
 * *skipped, and the first one's reason ("PATH: result N: reason") is in
 * err; the good ones are loaded.
 */
int	 statefile_load(struct store *, const char *path, size_t *loaded,
	    size_t *skipped, char *err, size_t errlen);

/*
 * Moves a bad state file aside to PATH.bad-<saved_ms> so it can be
 * looked at and the daemon can start afresh; the new name goes to
 * newpath.  0 or -1 (errno).
 */
int	 statefile_move_aside(const char *path, int64_t now_ms, char *newpath,
	    size_t len);

#endif
