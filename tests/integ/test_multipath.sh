#!/bin/sh
# SPDX-License-Identifier: ISC
# Several flows of one destination (--flows): r1 spreads traffic to the
# server over two equal-cost branches of 1500 and 1400 bytes (IPv4 by
# ports, so UDP; IPv6 by flow label).  Flows are tried one after another
# until both paths were seen and enough flows tried, and the result
# lists each path with its PMTU; the destination's PMTU is the smaller.
# Then the 1400 branch's router black-holes: the result is a partial
# black hole, naming that path's hop.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_ecmp 1500 1400
start_daemon

# 12 flows at most: two paths are enough at 11 (lib/multipath.h).  When
# the first 6 flows all hash onto one branch, 1 in 32, MDA stops there
# with one path (4 of 64 IPv6 probes did, each from a new daemon):
# mp_probe tries again then, so all three attempts miss the second path
# with odds of 1 in 32768.
FLOWS=12
# A flow's search and walk take a second or more, a black hole's longer.
CTL_TIMEOUT=150

for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then m="--method udp"; else m=""; fi
	n="v$f"
	mp_probe "$n" "$dest" $f 2 $m --flows $FLOWS || continue
	assert_eq "$n: state" ok "$(json_get state "$PROBE_OUT")"
	assert_eq "$n: two paths" 2 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq '.paths | length')"
	assert_eq "$n: their pmtus" "1400 1500" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '[.paths[].pmtu] | sort |
	    map(tostring) | join(" ")')"
	assert_eq "$n: pmtu is the smaller" 1400 \
	    "$(json_get pmtu "$PROBE_OUT")"
	if [ $f = 4 ]; then b2=198.18.12.2; else b2=2001:db8:12::2; fi
	assert_eq "$n: the finding's hops are the 1400 path's" $b2 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.hops[1].address')"
	tried=$(json_get flows_tried "$PROBE_OUT")
	check "$n: flows tried ($tried) 2 .. $FLOWS" \
	    [ "$tried" -ge 2 -a "$tried" -le $FLOWS ]
	assert_eq "$n: flows of the paths add up" "$tried" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq '[.paths[].flows] | add')"
	assert_eq "$n: confident at 11 flows" "$([ "$tried" -ge 11 ] &&
	    echo true || echo false)" "$(json_get confident "$PROBE_OUT")"
	# Each path's hop 2 is its branch router.
	if [ $f = 4 ]; then b1=198.18.11.2 b2=198.18.12.2
	else b1=2001:db8:11::2 b2=2001:db8:12::2; fi
	assert_eq "$n: 1400 path goes via branch 2" $b2 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.paths[] |
	    select(.pmtu == 1400) | .hops[1]')"
	assert_eq "$n: 1500 path goes via branch 1" $b1 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.paths[] |
	    select(.pmtu == 1500) | .hops[1]')"
	if [ $f = 4 ]; then k=sport; else k=label; fi
	check "$n: paths name their flow ($k)" [ "$(printf '%s\n' \
	    "$PROBE_OUT" | jq "[.paths[].flow.$k | numbers] | length")" = 2 ]
	line=$(ctl status "$dest" -$f)
	assert_match "$n: status line lists the paths" \
	    "pmtu 1400 \\(2 paths: " "$line"
	# explain: where the paths part (after r1) and which one is narrower.
	if [ $f = 4 ]; then r1=198.18.1.2; else r1=2001:db8:1::2; fi
	text=$(ctl explain "$dest" -$f)
	assert_match "$n: explain says where the paths part" \
	    "2 paths part after hop 1 \\($r1\\)" "$text"
	assert_match "$n: explain names the narrower path" \
	    "the path via $b2 carries 1400, the widest 1500: its MTU drops" \
	    "$text"
	assert_eq "$n: explain JSON: the hop before they part" 1 \
	    "$(ctl explain "$dest" -$f --json | jq '.explain.paths.part.after_hop')"
done

# The 1400 branch's router stops saying "too big".  At the server's
# default one port unreachable a second, an IPv4 UDP search cannot tell
# a black hole from loss (README, known limits): the limiter goes off.
set -- $BRANCHES
router_blackhole "$2"
nsx "$SERVER" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then m="--method udp"; else m=""; fi
	n="v$f black hole on one branch"
	mp_probe "$n" "$dest" $f 2 $m --flows $FLOWS || continue
	assert_eq "$n: state" partial_blackhole \
	    "$(json_get state "$PROBE_OUT")"
	states=$(printf '%s\n' "$PROBE_OUT" | jq -r '[.paths[].state] |
	    sort | join(" ")')
	assert_eq "$n: paths ok and black hole" "blackhole ok" "$states"
	[ "$states" = "blackhole ok" ] ||
	    printf '%s\n' "$PROBE_OUT" | jq -c '.paths[]' | sed 's/^/    | /'
	# The branch router (hop 2) keeps its "too big" to itself: the last
	# hop that answered an oversized probe is 1 or 2, depending on
	# whether the walk counts the branch router's own answer.
	bh=$(printf '%s\n' "$PROBE_OUT" | jq -r '.paths[] |
	    select(.state == "blackhole") | .blackhole_hop')
	check "$n: the black-hole path names a hop ($bh)" \
	    [ "$bh" -ge 1 -a "$bh" -le 3 ] 2>/dev/null
	assert_eq "$n: the top-level black hole is that hop" "$bh" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.blackhole.hop')"
done
