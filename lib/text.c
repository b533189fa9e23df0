/* SPDX-License-Identifier: ISC */
/* Small text helpers shared by lib/. */
#include <stdarg.h>
#include <stdio.h>

#include "text.h"

int
text_verror(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (err != NULL && errlen > 0)
		vsnprintf(err, errlen, fmt, ap);
	return -1;
}

int
text_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	text_verror(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void
text_append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}
