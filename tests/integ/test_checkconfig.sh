#!/bin/sh
# SPDX-License-Identifier: ISC
# pmtud --check-config --config FILE: "FILE: OK, N destinations" and exit
# 0 for a good file; for a bad one the error, naming file and line, on
# stderr and exit 1.  It starts nothing: no socket, no state file, no
# namespace needed, no privileges.
. "$(dirname "$0")/lib.sh"
require_daemon

# checkcfg FILE [ARGS...]: runs the check; OUT, ERR and RC hold what it
# printed and its exit status.
checkcfg() {
	_cf=$1
	shift
	timeout -k 2 10 "$PMTUD" --check-config --config "$_cf" "$@" \
	    >"$T/cc.out" 2>"$T/cc.err" </dev/null
	RC=$?
	OUT=$(cat "$T/cc.out")
	ERR=$(cat "$T/cc.err")
	sanitizer_check "$T/cc.err" "pmtud --check-config"
}

# bad NAME LINE TEXT_REGEX LINES...: a file with those lines must be
# rejected at LINE with a message matching TEXT_REGEX.
bad() {
	_bn=$1 _bl=$2 _bt=$3
	shift 3
	_bf=$T/bad-$_bn.conf
	write_conf "$_bf" "$@"
	checkcfg "$_bf"
	assert_eq "$_bn: exit status" 1 "$RC"
	assert_eq "$_bn: nothing on stdout" "" "$OUT"
	assert_match "$_bn: stderr names file and line" "^$_bf:$_bl: " "$ERR"
	assert_match "$_bn: stderr says why" "$_bt" "$ERR"
	assert_eq "$_bn: one line on stderr" 1 "$(printf '%s\n' "$ERR" | grep -c .)"
}

# --- good files -------------------------------------------------------

checkcfg "$TOP/conf/pmtud.conf"
assert_eq "example: exit status" 0 "$RC"
assert_eq "example: stdout" "$TOP/conf/pmtud.conf: OK, 0 destinations" "$OUT"
assert_eq "example: nothing on stderr" "" "$ERR"

GOOD=$T/good.conf
write_conf "$GOOD" \
    "# every setting once, destinations in both families" \
    "socket $T/never/pmtud.sock" \
    "state $T/never-state/state.json" \
    "interval 10m" \
    "max-pps 500" \
    "alert-timeout 5s" \
    "" \
    "destination 198.18.3.2" \
    "destination 2001:db8:3::2 method udp interval 1h" \
    "destination 198.18.200.1 family 4 method icmp walk no	# a comment" \
    "destination gateway.example.net family 6 interval 30m"
checkcfg "$GOOD"
assert_eq "good: exit status" 0 "$RC"
assert_eq "good: stdout" "$GOOD: OK, 4 destinations" "$OUT"
assert_eq "good: nothing on stderr" "" "$ERR"
check "good: no socket directory made" [ ! -e "$T/never" ]
check "good: no state directory made" [ ! -e "$T/never-state" ]

# The same name in both families is two destinations.
write_conf "$T/twofam.conf" \
    "destination gateway.example.net family 4" \
    "destination gateway.example.net family 6"
checkcfg "$T/twofam.conf"
assert_eq "same name, two families: stdout" \
    "$T/twofam.conf: OK, 2 destinations" "$OUT"
assert_eq "same name, two families: exit status" 0 "$RC"

# Empty file: the built-in defaults.
: >"$T/empty.conf"
checkcfg "$T/empty.conf"
assert_eq "empty file: stdout" "$T/empty.conf: OK, 0 destinations" "$OUT"
assert_eq "empty file: exit status" 0 "$RC"

# No privileges needed to check a file.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups -- \
    "$PMTUD" --check-config --config "$GOOD" 2>"$T/nobody.err")
assert_eq "as nobody: exit status" 0 "$?"
assert_eq "as nobody: stdout" "$GOOD: OK, 4 destinations" "$out"
sanitizer_check "$T/nobody.err" "pmtud --check-config as nobody"

# --- bad files --------------------------------------------------------

bad unknown-keyword 4 'bogus' \
    "interval 1m" "destination 198.18.3.2" "" "bogus 1"
bad zero-interval 2 'interval' \
    "# comment" "interval 0"
bad bad-duration 1 'interval' \
    "interval 10x"
bad max-pps-zero 3 'max-pps' \
    "" "" "max-pps 0"
bad duplicate-destination 3 '198\.18\.3\.2' \
    "destination 198.18.3.2" "destination 198.18.200.1" \
    "destination 198.18.3.2"
bad family-mismatch 1 'family' \
    "destination 198.18.3.2 family 6"
bad bad-method 2 'method' \
    "interval 1m" "destination 198.18.3.2 method carrier-pigeon"
bad bad-walk 1 'walk' \
    "destination 198.18.3.2 walk maybe"
bad setting-twice 2 'interval' \
    "interval 1m" "interval 2m"
bad destination-without-name 1 'destination' \
    "destination"

# --- files that cannot be read ----------------------------------------

checkcfg "$T/no-such.conf"
assert_eq "missing file: exit status" 1 "$RC"
assert_eq "missing file: nothing on stdout" "" "$OUT"
assert_eq "missing file: stderr" "$T/no-such.conf: No such file or directory" "$ERR"

mkdir "$T/adir"
checkcfg "$T/adir"
assert_eq "a directory: exit status" 1 "$RC"
assert_eq "a directory: nothing on stdout" "" "$OUT"
assert_match "a directory: stderr names it" "^$T/adir: " "$ERR"

# Options that make no sense together are a usage error, not a check.
timeout 10 "$PMTUD" --check-config --config "$GOOD" extra-operand \
    >/dev/null 2>&1
assert_eq "an extra operand: usage exit status" 64 "$?"
