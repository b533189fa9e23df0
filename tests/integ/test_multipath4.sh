#!/bin/sh
# SPDX-License-Identifier: ISC
# Four equal-cost paths, one a black hole: r1 spreads traffic to the
# server over branches of 1500, 1480, 1400 and 1500 bytes (IPv4 by
# ports, so UDP; IPv6 by flow label, so the default ICMPv6 echo), and
# branch 2's router sends no "too big".  Every path is listed with its
# own PMTU and state, the two 1500 paths apart (their branch routers
# differ, hop 2), the 1480 path as the black hole at hop 2, and the
# finding is a partial black hole at the smallest PMTU, 1400.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
MTUS="1500 1480 1400 1500"
topo_ecmp $MTUS
set -- $BRANCHES
BH=$2
router_blackhole "$BH"
# At the server's default one port unreachable a second, an IPv4 UDP
# search cannot tell a black hole from loss (README, known limits).
nsx "$SERVER" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
start_daemon

# Four paths are enough at 21 flows (lib/multipath.h); 24 leaves room
# to see a fifth, wrong, path (it would want 27 and leave confident
# false).  MDA itself stops short of the fourth path in 4.2 % of the
# attempts (three seen after 16 flows): mp_probe tries again then, so
# all three attempts miss a path with odds of 0.042^3, 7.5e-5.
FLOWS=24
# A flow's search and walk take about a second, a black hole's longer.
CTL_TIMEOUT=200

for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then
		m="--method udp" want=udp r1=198.18.1.2 pfx=198.18.1 sfx=.2
	else
		m="" want=icmp r1=2001:db8:1::2 pfx=2001:db8:1 sfx=::2
	fi
	n="v$f"
	mp_probe "$n" "$dest" $f 4 $m --flows $FLOWS || continue
	assert_eq "$n: method" $want "$(json_get method "$PROBE_OUT")"
	assert_eq "$n: state" partial_blackhole "$(json_get state "$PROBE_OUT")"
	assert_eq "$n: error" null "$(json_get error "$PROBE_OUT")"
	assert_eq "$n: four paths" 4 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq '.paths | length')"
	# Branch k's router answers at hop 2 as ${pfx}k$sfx: each path's
	# PMTU and state are its branch's, and branch 2 is the black hole.
	exp="" k=1
	for mtu in $MTUS; do
		if [ $k = 2 ]; then st=blackhole:2; else st=ok:null; fi
		exp="$exp $pfx$k$sfx:$mtu:$st"
		k=$((k + 1))
	done
	got=$(paths_by_hop "$PROBE_OUT" 2)
	assert_eq "$n: each path's pmtu and state are its branch's" \
	    "${exp# }" "$got"
	[ "${exp# }" = "$got" ] ||
	    printf '%s\n' "$PROBE_OUT" | jq -c '.paths[]' | sed 's/^/    | /'
	assert_eq "$n: hop 1 is r1 wherever it answered" "" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r --arg r "$r1" \
	    '[.paths[].hops[0] | select(. != null and . != $r)] | join(" ")')"
	assert_eq "$n: each path names a flow of its own" 4 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq '[.paths[].flow | tojson] |
	    unique | length')"
	assert_eq "$n: pmtu is the smallest" 1400 "$(json_get pmtu "$PROBE_OUT")"
	assert_eq "$n: the finding's hops are the 1400 path's" "${pfx}3$sfx" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.hops[1].address')"
	assert_eq "$n: the top-level black hole is at hop 2" 2 \
	    "$(json_get blackhole.hop "$PROBE_OUT")"
	assert_eq "$n: the top-level black hole is branch 2's router" \
	    "${pfx}2$sfx" "$(json_get blackhole.address "$PROBE_OUT")"
	tried=$(json_get flows_tried "$PROBE_OUT")
	check "$n: flows tried ($tried) 21 .. $FLOWS" \
	    [ "$tried" -ge 21 -a "$tried" -le $FLOWS ]
	assert_eq "$n: confident" true "$(json_get confident "$PROBE_OUT")"
	assert_eq "$n: flows of the paths add up" "$tried" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq '[.paths[].flows] | add')"
	line=$(ctl status "$dest" -$f)
	assert_match "$n: status line lists four paths and the black hole" \
	    "pmtu 1400 \\(4 paths: .*1480 via ${pfx}2$sfx black hole.*black hole at hop 2" \
	    "$line"
done
