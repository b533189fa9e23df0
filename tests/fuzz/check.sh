#!/bin/sh
# SPDX-License-Identifier: ISC
# The fuzz part of "make check":  sh tests/fuzz/check.sh build/fuzz/fuzz_NAME...
#
# Runs each target over its seeds in tests/fuzz/corpus/NAME, then on
# FUZZ_RUNS (2000) new inputs from a fixed seed, so a run repeats exactly.
# Inputs it finds go to build/fuzz/check/NAME/ (never into the seeds in
# git), a crash to build/fuzz/crashes/NAME/.  Prints one "PASS: " or
# "FAIL: " line per target; exits 1 if any failed.

cd "$(dirname "$0")/../.." || exit 1

FUZZ_RUNS=${FUZZ_RUNS:-2000}
FUZZ_SEED=${FUZZ_SEED:-1}
status=0

for bin in "$@"; do
	name=$(basename "$bin")
	n=${name#fuzz_}
	seeds=tests/fuzz/corpus/$n
	if [ ! -x "$bin" ]; then
		echo "FAIL: $name: $bin not built"
		status=1
		continue
	fi
	nseeds=$(find "$seeds" -type f 2>/dev/null | wc -l)
	if [ "$nseeds" -eq 0 ]; then
		echo "FAIL: $name: no seeds in $seeds"
		status=1
		continue
	fi
	work=build/fuzz/check/$n
	log=build/fuzz/check/$n.log
	rm -rf "$work"
	mkdir -p "$work" "build/fuzz/crashes/$n"
	dict=""
	[ -f "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
	# The seeds count as runs too: add them so new inputs get FUZZ_RUNS.
	# shellcheck disable=SC2086
	"$bin" -runs=$((nseeds + FUZZ_RUNS)) -seed="$FUZZ_SEED" \
	    -timeout=25 -artifact_prefix="build/fuzz/crashes/$n/" $dict \
	    "$work" "$seeds" >"$log" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && grep -q '^Done [0-9]* runs' "$log"; then
		echo "PASS: $name: $nseeds seeds and $FUZZ_RUNS new inputs," \
		    "no crash"
	else
		tail -n 40 "$log"
		echo "FAIL: $name: exit status $rc (log $log, input in" \
		    "build/fuzz/crashes/$n/)"
		status=1
	fi
done
exit $status
