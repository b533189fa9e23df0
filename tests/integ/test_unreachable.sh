#!/bin/sh
# SPDX-License-Identifier: ISC
# The server answers nothing: state unreachable with pmtu null, and no
# hang (pmtudctl is killed after 30 s).  An address the client has no
# route to is unreachable or an error, also without hanging.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1500
server_silent
# v6: an explicit unreachable route, still inside 2001:db8::/32.
ip -n "$CLIENT" -6 route add unreachable 2001:db8:ffff::/48
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	t0=$(date +%s)
	out=$(ctl probe "$dest" -$f --json)
	rc=$(ctl_rc)
	echo "    v$f silent server: pmtudctl took $(($(date +%s) - t0)) s"
	check "v$f silent: pmtudctl returns (no hang)" [ "$rc" != 124 ]
	assert_eq "v$f silent: state" unreachable "$(json_get state "$out")"
	assert_eq "v$f silent: pmtu" null "$(json_get pmtu "$out")"
	assert_eq "v$f silent: family" $f "$(json_get family "$out")"
	assert_eq "v$f silent: address" "$dest" "$(json_get address "$out")"
	check "v$f silent: probes were sent" \
	    [ "$(json_get probes_sent "$out")" -ge 1 ]
done

for dest in 198.19.255.1 2001:db8:ffff::1; do
	out=$(ctl probe "$dest" --json)
	rc=$(ctl_rc)
	check "$dest no route: pmtudctl returns (no hang)" [ "$rc" != 124 ]
	assert_match "$dest no route: state" '^(unreachable|error)$' \
	    "$(json_get state "$out")"
	assert_eq "$dest no route: pmtu" null "$(json_get pmtu "$out")"
done

# The daemon still works after all that.
out=$(ctl probe 198.18.1.2 -4 --json)
assert_eq "daemon still answers: state" ok "$(json_get state "$out")"
assert_eq "daemon still answers: pmtu" 1500 "$(json_get pmtu "$out")"
