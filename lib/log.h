/* SPDX-License-Identifier: ISC */
/* Logging in one place: stderr in the foreground, syslog otherwise. */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

void	log_init(int foreground, const char *ident);
void	log_setverbose(int verbose);
int	log_getverbose(void);
/* log_warn appends strerror(errno); log_warnx does not. */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Only main() and start-up code may call these. */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
