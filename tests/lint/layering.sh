#!/bin/sh
# SPDX-License-Identifier: ISC
# The layering, checked by reading the sources:  sh tests/lint/layering.sh [TOP]
#
# lib/ is pure: it includes only lib/ headers and makes no socket, clock
# or libevent calls.  probes/ includes only lib/ and probes/ headers.
# The per-directory include paths in the Makefile already stop a build
# that breaks the first rules; this also catches a relative path
# ("../daemon/x.h"), which they would not.  Comments are not code: a
# comment may name sendto() or time().  One PASS or FAIL line per rule.

cd "${1:-$(dirname "$0")/../..}" || exit 1

FAILED=0

# code FILE...: the files without their comments, as "file:line:text".
code() {
	awk '
	FNR == 1 { inc = 0 }
	{
		line = $0; out = ""
		while (line != "") {
			if (inc) {
				i = index(line, "*/")
				if (i == 0) { line = ""; break }
				line = substr(line, i + 2); inc = 0
				continue
			}
			i = index(line, "/*"); j = index(line, "//")
			if (j > 0 && (i == 0 || j < i)) {
				out = out substr(line, 1, j - 1); line = ""
				break
			}
			if (i == 0) { out = out line; line = ""; break }
			out = out substr(line, 1, i - 1)
			line = substr(line, i + 2); inc = 1
		}
		if (out ~ /[^ \t]/)
			print FILENAME ":" FNR ":" out
	}' "$@"
}

# includes DIR ALLOWED...: every #include "x" in DIR names a header that
# lives in one of the ALLOWED directories, by its bare name.
includes() {
	_dir=$1
	shift
	_b='[[:blank:]]*'
	code "$_dir"/*.c "$_dir"/*.h |
	    sed -n "s/^\([^:]*:[0-9]*\):$_b#${_b}include$_b\"\([^\"]*\)\".*/\1 \2/p" |
	    while read -r _where _hdr; do
		_ok=0
		case $_hdr in
		*/*)	;;
		*)	for _d in "$@"; do
				[ -f "$_d/$_hdr" ] && _ok=1
			done ;;
		esac
		[ $_ok -eq 1 ] || echo "$_where \"$_hdr\""
	done
}

# check NAME OUTPUT: PASS when OUTPUT is empty, else FAIL naming the first.
check() {
	if [ -z "$2" ]; then
		echo "PASS: layering: $1"
	else
		echo "FAIL: layering: $1 ($(echo "$2" | head -1 |
		    tr -s ' \t' ' '))"
		FAILED=$((FAILED + 1))
	fi
}

# Called, not just named: a word start, the name, an opening parenthesis.
W='(^|[^_[:alnum:]])'
SOCKET_CALLS="socket|socketpair|bind|connect|listen|accept4?|send|sendto"
SOCKET_CALLS="$SOCKET_CALLS|sendmsg|recv|recvfrom|recvmsg|setsockopt"
SOCKET_CALLS="$SOCKET_CALLS|getsockopt|getaddrinfo"
CLOCK_CALLS="clock_gettime|gettimeofday|time|clock|ftime|timespec_get"
EVENT_NAMES="event|evtimer|evsignal|evbuffer|evhttp|evdns|evutil"
EVENT_NAMES="$EVENT_NAMES|evconnlistener|bufferevent"

check "lib includes only lib headers" "$(includes lib lib)"
check "probes include only lib and probes headers" \
    "$(includes probes lib probes)"
check "lib makes no socket calls" "$(code lib/*.c lib/*.h | grep -E \
    "$W($SOCKET_CALLS)[[:blank:]]*\\(|<linux/(netlink|rtnetlink|filter)\\.h>")"
check "lib reads no clock" "$(code lib/*.c lib/*.h | grep -E \
    "$W($CLOCK_CALLS)[[:blank:]]*\\(")"
check "lib uses no libevent" "$(code lib/*.c lib/*.h | grep -E \
    "<event2?/|$W($EVENT_NAMES)_[_[:alnum:]]*[[:blank:]]*\\(")"

[ "$FAILED" -eq 0 ]
