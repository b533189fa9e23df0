#!/bin/sh
# SPDX-License-Identifier: ISC
# A black hole: the narrow link's router (r1, 1500 -> 1433) sends no
# frag-needed / packet-too-big, so oversized probes just vanish.  Only a
# search on answered probes finds the odd size 1433, byte for byte, and
# the evidence rule must call it what it is: state blackhole, 1434 the
# size that vanished, r1 (hop 1) the router that swallowed it.
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
	probe_json "v$f" "$dest" $f || continue
	blackhole_check "v$f" "$PROBE_OUT" 1433 1 "$(router_addr 1 $f)"
	assert_eq "v$f: local_mtu" 1500 "$(json_get local_mtu "$PROBE_OUT")"
	assert_eq "v$f: family" $f "$(json_get family "$PROBE_OUT")"
	assert_eq "v$f: method" icmp "$(json_get method "$PROBE_OUT")"
	assert_eq "v$f: hop MTUs" "1500 1433 1433" "$(hops_field mtu "$PROBE_OUT")"
	assert_eq "v$f: pmtudctl exit status" 0 "$(ctl_rc)"
	# No signal to follow: a search needs many more than two probes.
	check "v$f: probes_sent > 2" [ "$(json_get probes_sent "$PROBE_OUT")" -gt 2 ]
done
