#!/bin/sh
# SPDX-License-Identifier: ISC
# Every source file names its license:  sh tests/lint/spdx.sh [TOP]
# C files on their first line, scripts on the first or, after a shebang,
# the second.  One PASS or FAIL line per kind of file.
cd "${1:-$(dirname "$0")/../..}" || exit 1

FAILED=0
ID='SPDX-License-Identifier: ISC'

# missing LINES FILE...: the files without the identifier in their first
# LINES lines.
missing() {
	_ml=$1
	shift
	for _f in "$@"; do
		[ -f "$_f" ] || continue
		head -n "$_ml" "$_f" | grep -q "$ID" || echo "$_f"
	done
}

report() {
	if [ -z "$2" ]; then
		echo "PASS: spdx: $1"
	else
		echo "FAIL: spdx: $1 (missing in: $(echo $2))"
		FAILED=1
	fi
}

report "C sources and headers" "$(missing 1 $(find lib probes daemon \
    tests -name '*.[ch]' -not -path '*/corpus/*' | sort))"
report "scripts and build files" "$(missing 2 Makefile .ci/run \
    $(find tests -name '*.sh' | sort))"
exit $FAILED
