/* SPDX-License-Identifier: ISC */
/* Logging in one place: stderr in the foreground, syslog otherwise. */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <stdint.h>

void	log_init(int foreground, const char *ident);
void	log_setverbose(int verbose);
int	log_getverbose(void);
/* log_warn appends strerror(errno); log_warnx does not. */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * A line that can repeat fast (accept errors, coalesced alerts): logged
 * at most once per interval, the next one saying how many were held
 * back.  now_ms is the caller's monotonic clock (lib/ reads none).
 */
struct log_limit {
	uint64_t	 interval_ms;
	uint64_t	 last_ms;	/* when one was last logged */
	unsigned long	 suppressed;	/* held back since then */
	int		 logged;	/* last_ms is set */
};
#define LOG_LIMIT_INIT(ms)	{ (ms), 0, 0, 0 }

/* 1 if the line was logged, 0 if it was held back. */
int	log_warnx_limited(struct log_limit *, uint64_t now_ms,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
int	log_info_limited(struct log_limit *, uint64_t now_ms,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
/* Only main() and start-up code may call these. */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
