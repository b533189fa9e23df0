#!/bin/sh
# SPDX-License-Identifier: ISC
# A clean 1500 path (two 1500 links): one probe at the egress MTU is
# answered, so pmtu 1500 after exactly one probe (without the walk; the
# walk adds one probe per hop: 2 here); status repeats it.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1500
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	probe_check "v$f probe --no-walk" "$dest" $f 1500 1500 icmp --no-walk
	assert_eq "v$f probes_sent" 1 "$(json_get probes_sent "$PROBE_OUT")"
	assert_eq "v$f no hops without the walk" null \
	    "$(json_get hops "$PROBE_OUT")"
	probe_check "v$f probe" "$dest" $f 1500 1500 icmp
	assert_eq "v$f probes_sent with the walk" 3 \
	    "$(json_get probes_sent "$PROBE_OUT")"
	assert_eq "v$f hop 1 mtu" 1500 \
	    "$(printf '%s' "$PROBE_OUT" | jq -r '.hops[0].mtu')"
	assert_eq "v$f hop 2 is the server" "$dest" \
	    "$(printf '%s' "$PROBE_OUT" | jq -r '.hops[1].address')"
	assert_eq "v$f hops" 2 "$(printf '%s' "$PROBE_OUT" | jq -r '.hops|length')"
	assert_eq "v$f no black hole" null "$(json_get blackhole "$PROBE_OUT")"

	st=$(ctl status "$dest" --json)
	assert_eq "v$f status exit status" 0 "$(ctl_rc)"
	assert_eq "v$f status --json pmtu" 1500 "$(status_get pmtu "$st")"
	assert_eq "v$f status --json state" ok "$(status_get state "$st")"
	assert_eq "v$f status --json address" "$dest" "$(status_get address "$st")"

	txt=$(ctl status "$dest")
	assert_eq "v$f status text exit status" 0 "$(ctl_rc)"
	assert_match "v$f status text shows pmtu 1500" 'pmtu 1500' "$txt"
	assert_match "v$f status text names the address" "$dest" "$txt"
done

# Without a destination every finding is listed.
all=$(ctl status)
assert_eq "status (all) exit status" 0 "$(ctl_rc)"
assert_match "status (all) lists the v4 server" "$SERVER4" "$all"
assert_match "status (all) lists the v6 server" "$SERVER6" "$all"
