#!/bin/sh
# A black hole: the narrow link's router (r1, 1500 -> 1433) sends no
# frag-needed / packet-too-big, so oversized probes just vanish.  Only a
# search on answered probes finds the odd size 1433, byte for byte.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1433 1500
router_blackhole "${PREFIX}r1"
check "black hole: ping at 1500 gets no answer" sh -c \
    "! ip netns exec $CLIENT ping -n -q -M do -c 1 -W 1 -s 1472 $SERVER4 >/dev/null 2>&1"
check "black hole: ping at 1433 is answered" sh -c \
    "ip netns exec $CLIENT ping -n -q -M do -c 1 -W 2 -s 1405 $SERVER4 >/dev/null 2>&1"
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	out=$(ctl probe "$dest" -$f --json)
	check "v$f: pmtudctl returns" [ "$(ctl_rc)" != 124 ]
	assert_match "v$f: state" '^(ok|blackhole)$' "$(json_get state "$out")"
	assert_eq "v$f: pmtu" 1433 "$(json_get pmtu "$out")"
	assert_eq "v$f: local_mtu" 1500 "$(json_get local_mtu "$out")"
	assert_eq "v$f: family" $f "$(json_get family "$out")"
	assert_eq "v$f: method" icmp "$(json_get method "$out")"
	# No signal to follow: a search needs many more than two probes.
	check "v$f: probes_sent > 2" [ "$(json_get probes_sent "$out")" -gt 2 ]
done
