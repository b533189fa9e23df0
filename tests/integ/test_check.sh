#!/bin/sh
# SPDX-License-Identifier: ISC
# pmtudctl check: one Nagios-style line and the exit status 0 OK,
# 1 WARNING, 2 CRITICAL, 3 UNKNOWN.  Path client --1500-- r1 --1400--
# r2 --1500-- server; r1 sends no frag-needed (v4 black hole at hop 1)
# but sends packet-too-big (v6 is an ok path of 1400); the server drops
# everything for 198.18.200.1 (unreachable).  A destination not probed
# yet is probed by check; no daemon is UNKNOWN.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500
router_blackhole "${PREFIX}r1" 4
nsx "$SERVER" nft -f - <<EOF || die "nft silent address" "nft failed"
table inet pmt_silent {
	chain in {
		type filter hook input priority 0; policy accept;
		ip daddr $SERVER4B drop
	}
}
EOF
start_daemon

# check_is NAME STATUS LINE ARGS...: "pmtudctl check ARGS" exits STATUS
# and prints exactly LINE (one line).
check_is() {
	_cn=$1 _cs=$2 _cl=$3
	shift 3
	_co=$(ctl check "$@")
	assert_eq "$_cn: exit status" "$_cs" "$(ctl_rc)"
	assert_eq "$_cn: line" "$_cl" "$_co"
}

OK6="PMTUD OK - $SERVER6 (IPv6) pmtu 1400 | pmtu=1400B;;;0;1500"

# Never probed: check asks for a probe first, then judges it.
assert_eq "v6 not probed yet" not_found "$(status_error_code "$SERVER6" 6)"
check_is "unprobed ok path" 0 "$OK6" "$SERVER6" -6
st=$(finding "$SERVER6" 6)
assert_eq "check's probe left a finding: state" ok "$(json_get state "$st")"
assert_eq "check's probe left a finding: pmtu" 1400 "$(json_get pmtu "$st")"
# Again: judged from that finding, no new probe.
at=$(json_get updated_at "$st")
check_is "ok path" 0 "$OK6" "$SERVER6" -6
assert_eq "second check made no new finding" "$at" \
    "$(json_get updated_at "$(finding "$SERVER6" 6)")"

# Thresholds: below is bad, equal is fine.
check_is "--min-mtu 1401" 2 \
    "PMTUD CRITICAL - $SERVER6 (IPv6) pmtu 1400: pmtu below 1401 | pmtu=1400B;;1401:;0;1500" \
    "$SERVER6" -6 --min-mtu 1401
check_is "--min-mtu 1400" 0 \
    "PMTUD OK - $SERVER6 (IPv6) pmtu 1400 | pmtu=1400B;;1400:;0;1500" \
    "$SERVER6" -6 --min-mtu 1400
check_is "--warn-mtu 1401" 1 \
    "PMTUD WARNING - $SERVER6 (IPv6) pmtu 1400: pmtu below 1401 | pmtu=1400B;1401:;;0;1500" \
    "$SERVER6" -6 --warn-mtu 1401
check_is "--warn-mtu 1400" 0 \
    "PMTUD OK - $SERVER6 (IPv6) pmtu 1400 | pmtu=1400B;1400:;;0;1500" \
    "$SERVER6" -6 --warn-mtu 1400
# Both crossed: the worse one wins.
check_is "--warn-mtu 1500 --min-mtu 1450" 2 \
    "PMTUD CRITICAL - $SERVER6 (IPv6) pmtu 1400: pmtu below 1450 | pmtu=1400B;1500:;1450:;0;1500" \
    "$SERVER6" -6 --warn-mtu 1500 --min-mtu 1450
check_is "--warn-mtu 1450 --min-mtu 1300" 1 \
    "PMTUD WARNING - $SERVER6 (IPv6) pmtu 1400: pmtu below 1450 | pmtu=1400B;1450:;1300:;0;1500" \
    "$SERVER6" -6 --warn-mtu 1450 --min-mtu 1300

# --max-age: a fresh finding is fine; one older than S warns.
check_is "--max-age 3600" 0 "$OK6" "$SERVER6" -6 --max-age 3600
sleep 2.2
out=$(ctl check "$SERVER6" -6 --max-age 1)
assert_eq "--max-age 1 after 2 s: exit status" 1 "$(ctl_rc)"
assert_match "--max-age 1 after 2 s: line" \
    "^PMTUD WARNING - $SERVER6 \\(IPv6\\) pmtu 1400: finding is [2-9] s old \\| pmtu=1400B;;;0;1500\$" \
    "$out"

# A black hole, probed by check itself (with the walk): CRITICAL, hop 1.
R1=$(router_addr 1 4)
check_is "black hole" 2 \
    "PMTUD CRITICAL - $SERVER4 (IPv4) pmtu 1400: black hole at hop 1 ($R1) | pmtu=1400B;;;0;1500" \
    "$SERVER4" -4
assert_eq "black hole: the finding" blackhole \
    "$(json_get state "$(finding "$SERVER4" 4)")"
# Thresholds do not hide it.
check_is "black hole, --warn-mtu 1300" 2 \
    "PMTUD CRITICAL - $SERVER4 (IPv4) pmtu 1400: black hole at hop 1 ($R1) | pmtu=1400B;1300:;;0;1500" \
    "$SERVER4" -4 --warn-mtu 1300

# Unreachable, probed by check itself: CRITICAL, no PMTU, no perfdata.
check_is "unreachable" 2 \
    "PMTUD CRITICAL - $SERVER4B (IPv4) pmtu -: unreachable" "$SERVER4B" -4
assert_eq "unreachable: the finding" unreachable \
    "$(json_get state "$(finding "$SERVER4B" 4)")"

# An ok v4 path next to them: r1 itself, 1500.
R1OK="PMTUD OK - $R1 (IPv4) pmtu 1500 | pmtu=1500B;;;0;1500"
check_is "ok v4 path (r1)" 0 "$R1OK" "$R1" -4

# Bad usage never reaches the daemon and never reads as OK: like any
# plugin, UNKNOWN (3) with its line on stdout (the usage goes to stderr).
BAD="PMTUD UNKNOWN - bad usage of pmtudctl check"
out=$(ctl check)
assert_eq "no destination: exit status" 3 "$(ctl_rc)"
assert_eq "no destination: the UNKNOWN line" "$BAD" "$out"
out=$(ctl check "$SERVER6" --min-mtu abc)
assert_eq "--min-mtu abc: exit status" 3 "$(ctl_rc)"
assert_eq "--min-mtu abc: the UNKNOWN line" "$BAD" "$out"
out=$(ctl check "$SERVER6" --warn-mtu 0)
assert_eq "--warn-mtu 0: exit status" 3 "$(ctl_rc)"
assert_eq "--warn-mtu 0: the UNKNOWN line" "$BAD" "$out"
out=$(ctl check "$SERVER6" --no-walk)
assert_eq "--no-walk (probe's): exit status" 3 "$(ctl_rc)"
assert_eq "--no-walk (probe's): the UNKNOWN line" "$BAD" "$out"

# No daemon: UNKNOWN, saying it cannot connect.
daemon_stop
assert_eq "daemon stopped" 0 "$DAEMON_RC"
check_is "daemon not running" 3 \
    "PMTUD UNKNOWN - cannot connect to $SOCK" "$SERVER6" -6
out=$(timeout -k 2 10 "$PMTUDCTL" --socket "$T/nonexistent.sock" check \
    "$SERVER6" 2>>"$CTL_ERR")
assert_eq "no such socket: exit status" 3 $?
assert_eq "no such socket: line" \
    "PMTUD UNKNOWN - cannot connect to $T/nonexistent.sock" "$out"
