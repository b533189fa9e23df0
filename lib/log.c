/* SPDX-License-Identifier: ISC */
/* Logging: stderr when in the foreground, syslog(3) otherwise. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int	 log_foreground = 1;
static int	 log_verbose;

static void	 vlog(int, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
static void	 log_emit(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

void
log_init(int foreground, const char *ident)
{
	log_foreground = foreground;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

static void
vlog(int pri, const char *fmt, va_list ap)
{
	if (log_foreground) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else
		vsyslog(pri, fmt, ap);
}

static void
log_emit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

static void
vlog_errno(int pri, int saved, const char *fmt, va_list ap)
{
	char	 buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_foreground)
		fprintf(stderr, "%s: %s\n", buf, strerror(saved));
	else
		syslog(pri, "%s: %s", buf, strerror(saved));
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* Whether a limited line may go out now; counts it if not. */
static int
limit_pass(struct log_limit *l, uint64_t now_ms)
{
	if (l->logged && now_ms - l->last_ms < l->interval_ms) {
		l->suppressed++;
		return 0;
	}
	l->logged = 1;
	l->last_ms = now_ms;
	return 1;
}

static int
vlog_limited(struct log_limit *l, uint64_t now_ms, int pri, const char *fmt,
    va_list ap)
{
	char	 buf[1024];

	if (!limit_pass(l, now_ms))
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (l->suppressed > 0) {
		log_emit(pri, "%s (%lu similar messages suppressed)", buf,
		    l->suppressed);
		l->suppressed = 0;
	} else
		log_emit(pri, "%s", buf);
	return 1;
}

int
log_warnx_limited(struct log_limit *l, uint64_t now_ms, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = vlog_limited(l, now_ms, LOG_WARNING, fmt, ap);
	va_end(ap);
	return rc;
}

int
log_info_limited(struct log_limit *l, uint64_t now_ms, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = vlog_limited(l, now_ms, LOG_INFO, fmt, ap);
	va_end(ap);
	return rc;
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
