/* SPDX-License-Identifier: ISC */
/* Small text helpers shared by lib/: messages into callers' buffers. */
#ifndef TEXT_H
#define TEXT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Writes a message into err (when err is not NULL and errlen > 0) and
 * returns -1, so a function can `return text_error(...)`.
 */
int	 text_error(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The same with a va_list: the one formatter behind every lib/ error. */
int	 text_verror(char *err, size_t errlen, const char *fmt, va_list)
	    __attribute__((format(printf, 3, 0)));
/* Appends to buf like snprintf, keeping track of the end in *off. */
void	 text_append(char *buf, size_t len, size_t *off, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

#endif
