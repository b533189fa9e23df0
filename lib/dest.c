/* SPDX-License-Identifier: ISC */
/* Destination names: addresses and RFC 1123 host names, nothing else. */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "dest.h"

static int
isdigitc(int ch)
{
	return ch >= '0' && ch <= '9';
}

static int
isalnumc(int ch)
{
	return isdigitc(ch) || (ch >= 'a' && ch <= 'z') ||
	    (ch >= 'A' && ch <= 'Z');
}

/* The host name rules, in order; NULL when s follows them all. */
static const char *
hostname_fault(const char *s)
{
	size_t	 len = strlen(s), lablen = 0, i;
	int	 alldigits = 1;

	if (len == 0)
		return "it is empty";
	if (len > DEST_MAXNAME)
		return "it is longer than 253 characters";
	for (i = 0; i <= len; i++) {
		if (s[i] == '.' || s[i] == '\0') {
			if (lablen == 0)
				return "a label is empty";
			if (lablen > DEST_MAXLABEL)
				return "a label is longer than 63 characters";
			if (s[i - 1] == '-')
				return "a label ends with '-'";
			if (s[i] == '\0')
				break;
			lablen = 0;
			alldigits = 1;
			continue;
		}
		if (s[i] == '-' && lablen == 0)
			return "a label starts with '-'";
		if (s[i] != '-' && !isalnumc((unsigned char)s[i]))
			return "it holds a character other than letters, "
			    "digits, '-' and '.'";
		if (!isdigitc(s[i]))
			alldigits = 0;
		lablen++;
	}
	/* "1.2.3" or "42" would read as an address somewhere else. */
	if (alldigits)
		return "its last label is all digits";
	return NULL;
}

int
dest_valid(const char *name, char *err, size_t errlen)
{
	struct addr	 a;
	const char	*why;

	if (addr_parse(&a, name) == 0)
		return 0;
	if ((why = hostname_fault(name)) == NULL)
		return 0;
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "not an IP address or a host name: %s",
		    why);
	return -1;
}
