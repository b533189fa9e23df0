#!/bin/sh
# SPDX-License-Identifier: ISC
# The test runner behind "make check":  sh tests/run.sh UNIT_BIN...
#
# Runs the source checks in tests/lint/ (one PASS or FAIL per rule), then
# each cmocka unit binary, then a short run of each fuzz target (those
# named in $FUZZ_BINS, or without it whatever build/fuzz/fuzz_* is built;
# one PASS or FAIL each), then every tests/integ/test_*.sh (root and
# network namespaces required: without them that is a failure, never a
# skip), then the Debian package test when $DEB names the package, then
# checks that no test namespace was left behind.  The last line
# is exactly "N passed, N failed"; the exit status is 1 if anything failed.

cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
export TOP

PASSED=0
FAILED=0
OUT=$(mktemp "${TMPDIR:-/tmp}/pmtud-run.XXXXXX") || exit 1
CHILD=""
trap 'rm -f "$OUT"' EXIT
trap 'stop_child; exit 130' INT
trap 'stop_child; exit 143' TERM

# On ^C or TERM the running test still cleans up: timeout hands TERM on
# to it, and its own trap removes its namespaces.
stop_child() {
	[ -n "$CHILD" ] || return 0
	kill -TERM "$CHILD" 2>/dev/null
	wait "$CHILD" 2>/dev/null
	cat "$OUT"
}

# bounded SECONDS CMD...: runs CMD with output to $OUT, in the background
# so that signals reach this shell's traps at once; sets rc.
bounded() {
	_secs=$1
	shift
	timeout -k 10 "$_secs" "$@" >"$OUT" 2>&1 </dev/null &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	CHILD=""
}

# Unique per run; every test's namespaces start with it.
PMT_NS_BASE=pmtr$$-
export PMT_NS_BASE

# Counts one failure the runner itself found.
runner_fail() {
	echo "FAIL: run.sh: $1"
	FAILED=$((FAILED + 1))
}

# Sums cmocka's "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)" lines.
cmocka_count() {
	sed -n "s/^\[  $1  \] \([0-9][0-9]*\) test.*/\1/p" "$OUT" |
	    awk '{ n += $1 } END { print n + 0 }'
}

# tally NAME: adds the PASS:/FAIL: lines in $OUT to the counts; a run
# that failed without a FAIL line, or said nothing, is a failure too.
tally() {
	p=$(grep -c '^PASS: ' "$OUT")
	f=$(grep -c '^FAIL: ' "$OUT")
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		runner_fail "$1: exit status $rc without a FAIL line"
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		runner_fail "$1: printed no result"
	fi
}

echo "== lint"
for t in tests/lint/*.sh; do
	[ -f "$t" ] || continue
	echo "-- $t"
	bounded 60 sh "$t"
	cat "$OUT"
	tally "$t"
done

echo "== unit tests"
for bin in "$@"; do
	echo "-- $bin"
	if [ ! -x "$bin" ]; then
		runner_fail "$bin: not built"
		continue
	fi
	bounded 300 "$bin"
	cat "$OUT"
	p=$(cmocka_count PASSED)
	f=$(cmocka_count FAILED)
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		runner_fail "$bin: exit status $rc without a cmocka FAILED line"
	elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		runner_fail "$bin: ran no test"
	fi
done

echo "== fuzz targets"
if [ -z "${FUZZ_BINS+set}" ]; then
	FUZZ_BINS=$(for b in build/fuzz/fuzz_*; do
		[ -x "$b" ] && echo "$b"; done)
fi
for bin in $FUZZ_BINS; do
	echo "-- $bin"
	bounded 300 sh tests/fuzz/check.sh "$bin"
	cat "$OUT"
	tally "$bin"
done

echo "== integration tests"
netns_ok=1
if [ "$(id -u)" -ne 0 ]; then
	runner_fail "integration tests need root (uid is $(id -u)); run make check as root"
	netns_ok=0
elif ! ip netns add "${PMT_NS_BASE}probe" 2>"$OUT"; then
	runner_fail "ip netns unusable: $(cat "$OUT")"
	netns_ok=0
else
	ip netns del "${PMT_NS_BASE}probe"
fi

if [ $netns_ok -eq 1 ]; then
	found=0
	for t in tests/integ/test_*.sh; do
		[ -f "$t" ] || continue
		found=1
		echo "-- $t"
		bounded 300 sh "$t"
		cat "$OUT"
		tally "$t"
	done
	[ $found -eq 1 ] || runner_fail "no tests/integ/test_*.sh found"
fi

# The Debian package that make check built: installed, checked, purged.
if [ -n "${DEB:-}" ]; then
	echo "== package"
	echo "-- tests/deb/test_deb.sh"
	if [ "$(id -u)" -ne 0 ]; then
		runner_fail "the package test needs root"
	else
		bounded 300 sh tests/deb/test_deb.sh "$DEB"
		# Its own closing count is summed here, not repeated.
		grep -v '^[0-9]* passed, [0-9]* failed$' "$OUT"
		tally tests/deb/test_deb.sh
	fi
fi

# Every namespace a test made must be gone.
if [ $netns_ok -eq 1 ]; then
	left=$(ip netns list | awk '{ print $1 }' | grep "^$PMT_NS_BASE")
	if [ -n "$left" ]; then
		runner_fail "namespaces left behind: $(echo $left)"
		for ns in $left; do
			ip netns del "$ns" 2>/dev/null
		done
	else
		echo "PASS: run.sh: no test namespaces left behind"
		PASSED=$((PASSED + 1))
	fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
