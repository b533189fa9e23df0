/* SPDX-License-Identifier: ISC */
/*
 * The state file.  Saving streams the results one by one into a
 * temporary file beside the real one and renames it into place, so a
 * crash or a full disk leaves the old file or the new one, never half
 * of either.  Loading refuses a file that is not ours as a whole, but
 * only skips single results it cannot read: one bad entry should not
 * cost every other destination its history.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "history.h"
#include "result.h"
#include "statefile.h"
#include "store.h"
#include "text.h"

#define STATE_MAXFILE	((off_t)512 * 1024 * 1024)

/* "PATH: what: strerror"; -1. */
static int
sys_fail(char *err, size_t errlen, const char *path, const char *what,
    int errnum)
{
	return text_error(err, errlen, "%s: %s: %s", path, what,
	    strerror(errnum));
}

/* Saving. */

struct saver {
	FILE		*fp;
	size_t		 n;		/* results written */
	int		 errnum;	/* write error; 0: encoding failed */
	const char	*bad;		/* the result that failed to encode */
};

/* A result with its log of path states. */
static json_t *
entry_json(const struct result *r)
{
	const struct history	*h = store_result_history(r);
	json_t			*j;

	if ((j = result_to_json(r)) == NULL)
		return NULL;
	if (json_object_set_new(j, "history",
	    history_entries_json(h, -1)) == -1 ||
	    json_object_set_new(j, "history_summary",
	    history_summary_json(h, -1)) == -1) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Results go one per line: the file stays readable with line tools. */
static int
save_one(const struct result *r, void *arg)
{
	struct saver	*sv = arg;
	json_t		*j;
	int		 rc;

	if ((j = entry_json(r)) == NULL) {
		sv->bad = r->destination;
		return -1;
	}
	errno = 0;
	rc = fputs(sv->n == 0 ? "\n" : ",\n", sv->fp) == EOF ||
	    json_dumpf(j, sv->fp, JSON_COMPACT) == -1;
	json_decref(j);
	if (rc) {
		sv->errnum = errno != 0 ? errno : EIO;
		return -1;
	}
	sv->n++;
	return 0;
}

/* Everything up to fsync; the caller closes fp and cleans up. */
static int
write_all(const struct store *st, FILE *fp, const char *when,
    const char *path, char *err, size_t errlen)
{
	struct saver	 sv;

	memset(&sv, 0, sizeof(sv));
	sv.fp = fp;
	if (fprintf(fp, "{\"format\":\"%s\",\"version\":%d,\"saved_at\":"
	    "\"%s\",\"results\":[", STATEFILE_FORMAT, STATEFILE_VERSION, when) < 0)
		return sys_fail(err, errlen, path, "write", errno);
	if (store_foreach(st, save_one, &sv) != 0) {
		if (sv.bad != NULL)
			return text_error(err, errlen, "%s: result %zu (%s): cannot "
			    "encode it", path, sv.n + 1, sv.bad);
		return sys_fail(err, errlen, path, "write", sv.errnum);
	}
	if (fputs("\n]}\n", fp) == EOF || fflush(fp) == EOF)
		return sys_fail(err, errlen, path, "write", errno);
	if (fsync(fileno(fp)) == -1)
		return sys_fail(err, errlen, path, "fsync", errno);
	return 0;
}

/*
 * O_EXCL so we never write through a link planted under our name.  A
 * file that already has our pid in its name is left over from a crash
 * (a daemon in a container gets the same pid every start): remove it
 * once and retry.
 */
static int
create_tmp(const char *tmp)
{
	int	 fd, flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;

	if ((fd = open(tmp, flags, 0640)) == -1 && errno == EEXIST) {
		if (unlink(tmp) == -1) {
			errno = EEXIST;
			return -1;
		}
		fd = open(tmp, flags, 0640);
	}
	return fd;
}

/*
 * Makes the rename durable.  The new file is in place by now, so a
 * failure here means it might not survive a power cut, not that the
 * old one is back; we still report it.
 */
static int
sync_dir(const char *path, char *err, size_t errlen)
{
	char		 dir[PATH_MAX];
	const char	*slash;
	int		 fd;

	if ((slash = strrchr(path, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return sys_fail(err, errlen, path, "open directory", errno);
	/* Some file systems cannot sync a directory: nothing to do there. */
	if (fsync(fd) == -1 && errno != EINVAL) {
		sys_fail(err, errlen, path, "fsync directory", errno);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
statefile_save(const struct store *st, const char *path, int64_t saved_at_ms,
    char *err, size_t errlen)
{
	char	 tmp[PATH_MAX], when[32];
	FILE	*fp;
	int	 fd, n, e;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (result_time_format(saved_at_ms, when, sizeof(when)) == -1)
		return text_error(err, errlen, "%s: bad save time %lld", path,
		    (long long)saved_at_ms);
	n = snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return sys_fail(err, errlen, path, "create temporary file",
		    ENAMETOOLONG);
	if ((fd = create_tmp(tmp)) == -1)
		return sys_fail(err, errlen, path, "create temporary file",
		    errno);
	if ((fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		unlink(tmp);
		return sys_fail(err, errlen, path, "fdopen", e);
	}
	if (write_all(st, fp, when, path, err, errlen) == -1) {
		fclose(fp);
		unlink(tmp);
		return -1;
	}
	if (fclose(fp) == EOF) {
		e = errno;
		unlink(tmp);
		return sys_fail(err, errlen, path, "close", e);
	}
	if (rename(tmp, path) == -1) {
		e = errno;
		unlink(tmp);
		return sys_fail(err, errlen, path, "rename", e);
	}
	return sync_dir(path, err, errlen);
}

/* Loading. */

struct reader {
	int	 fd;
	off_t	 total;
	int	 errnum;	/* read error */
	int	 too_large;	/* grew past the limit after fstat() */
};

static size_t
read_some(void *buf, size_t len, void *arg)
{
	struct reader	*rd = arg;
	ssize_t		 n;

	do
		n = read(rd->fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		rd->errnum = errno;
		return (size_t)-1;
	}
	rd->total += n;
	if (rd->total > STATE_MAXFILE) {
		rd->too_large = 1;
		return (size_t)-1;
	}
	return (size_t)n;
}

/* Parses through our own reader, so the size limit holds throughout. */
static json_t *
parse(int fd, const char *path, char *err, size_t errlen)
{
	struct reader	 rd;
	json_error_t	 jerr;
	json_t		*root;

	memset(&rd, 0, sizeof(rd));
	rd.fd = fd;
	root = json_load_callback(read_some, &rd, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (root != NULL)
		return root;
	if (rd.errnum != 0)
		sys_fail(err, errlen, path, "read", rd.errnum);
	else if (rd.too_large)
		text_error(err, errlen, "%s: too large: more than %lld bytes", path,
		    (long long)STATE_MAXFILE);
	else
		text_error(err, errlen, "%s: not JSON: %s at line %d column %d",
		    path, jerr.text, jerr.line, jerr.column);
	return NULL;
}

/* The whole file parsed, or NULL: *missing if there is none. */
static json_t *
read_file(const char *path, int *missing, char *err, size_t errlen)
{
	struct stat	 sb;
	json_t		*root;
	int		 fd;

	*missing = 0;
	/*
	 * O_NONBLOCK: a FIFO at our path must not hang the daemon.
	 * O_NOFOLLOW: the path's directory belongs to the daemon's user; a
	 * link there must not lead it to a file it was not given.
	 */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			*missing = 1;
		else if (errno == ELOOP)
			text_error(err, errlen, "%s: a symbolic link; not "
			    "following it", path);
		else
			sys_fail(err, errlen, path, "open", errno);
		return NULL;
	}
	if (fstat(fd, &sb) == -1) {
		sys_fail(err, errlen, path, "fstat", errno);
		close(fd);
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		text_error(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (sb.st_size > STATE_MAXFILE) {
		text_error(err, errlen, "%s: too large: %lld bytes, more than %lld",
		    path, (long long)sb.st_size, (long long)STATE_MAXFILE);
		close(fd);
		return NULL;
	}
	root = parse(fd, path, err, errlen);
	close(fd);
	return root;
}

/* The results array of a file that is ours, or NULL. */
static const json_t *
check_header(const json_t *root, const char *path, char *err,
    size_t errlen)
{
	const json_t	*v;

	v = json_object_get(root, "format");
	if (!json_is_object(root) || !json_is_string(v) ||
	    json_string_length(v) != strlen(STATEFILE_FORMAT) ||
	    strcmp(json_string_value(v), STATEFILE_FORMAT) != 0) {
		text_error(err, errlen, "%s: not a pmtud state file", path);
		return NULL;
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v)) {
		text_error(err, errlen, "%s: \"version\" is missing or not an "
		    "integer", path);
		return NULL;
	}
	if (json_integer_value(v) != STATEFILE_VERSION) {
		text_error(err, errlen, "%s: state version %lld is not supported "
		    "(want %d)", path, (long long)json_integer_value(v),
		    STATEFILE_VERSION);
		return NULL;
	}
	if ((v = json_object_get(root, "results")) == NULL) {
		text_error(err, errlen, "%s: \"results\" is missing", path);
		return NULL;
	}
	if (!json_is_array(v)) {
		text_error(err, errlen, "%s: \"results\" is not an array", path);
		return NULL;
	}
	return v;
}

/* Counts a skipped result; the first one's reason is kept in err. */
static void
skip(const char *path, size_t n, const char *why, size_t *skipped,
    char *err, size_t errlen)
{
	if ((*skipped)++ == 0)
		text_error(err, errlen, "%s: result %zu: %s", path, n, why);
}

/*
 * One result and its log of path states (files written before there
 * was one have none: the log starts empty).  0, or -1 with why.
 */
static int
load_one(struct store *st, const json_t *v, char *why, size_t whylen)
{
	struct result	 r;
	struct history	*h;
	int		 rc = -1;

	if (result_from_json(v, &r, why, whylen) == -1)
		return -1;
	if ((h = history_new()) == NULL)
		snprintf(why, whylen, "out of memory");
	else if (history_from_json(h, json_object_get(v, "history"),
	    json_object_get(v, "history_summary"), why, whylen) == 0) {
		/* The store keeps copies: these are ours to free. */
		if ((rc = store_load_history(st, &r, h)) == -1)
			snprintf(why, whylen, "out of memory");
	}
	history_free(h);
	result_clear(&r);
	return rc;
}

static void
load_results(struct store *st, const json_t *results, const char *path,
    size_t *loaded, size_t *skipped, char *err, size_t errlen)
{
	char		 why[RESULT_ERRLEN];
	const json_t	*v;
	size_t		 i;

	json_array_foreach(results, i, v) {
		if (load_one(st, v, why, sizeof(why)) == 0)
			(*loaded)++;
		else
			skip(path, i + 1, why, skipped, err, errlen);
	}
}

int
statefile_load(struct store *st, const char *path, size_t *loaded,
    size_t *skipped, char *err, size_t errlen)
{
	const json_t	*results;
	json_t		*root;
	int		 missing;

	*loaded = 0;
	*skipped = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((root = read_file(path, &missing, err, errlen)) == NULL)
		return missing ? 0 : -1;
	if ((results = check_header(root, path, err, errlen)) == NULL) {
		json_decref(root);
		return -1;
	}
	load_results(st, results, path, loaded, skipped, err, errlen);
	json_decref(root);
	return 0;
}

int
statefile_move_aside(const char *path, int64_t now_ms, char *newpath,
    size_t len)
{
	int	 n;

	n = snprintf(newpath, len, "%s.bad-%lld", path, (long long)now_ms);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return rename(path, newpath);
}
