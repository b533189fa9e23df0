#!/bin/sh
# SPDX-License-Identifier: ISC
# ICMP echo over equal-cost paths.  Linux hashes IPv4 by addresses,
# protocol and ports only, so it never spreads ICMP; hardware routers
# commonly hash the first bytes of the transport header, for ICMP its
# type, code and checksum (Paris traceroute's observation), which is why
# every echo of one flow carries one checksum.  Here r1 hashes so
# (ecmp_hw_hash) over branches of 1480, 1450 and 1400 bytes: the flows
# of "--method icmp --flows" find all three paths, each flow's echoes
# keep to one branch (its checksum is seen on that branch only), and
# every probe of a single-flow search takes one branch.  IPv6 routers
# hash the flow label, which ICMPv6 echoes carry per flow as well.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
MTUS="1480 1450 1400"
topo_ecmp $MTUS
# Paths are told apart here by the router each walk saw at hop 2, so
# every router must answer: echo flows follow each other fast, and a
# Linux router's ICMP errors (a burst of 6, then one a second per
# source) run out, leaving a path's hops unknown (its PMTU stays right;
# README, Known limits).  Rate-limited routers are test_bh_ratelimit's.
for _r in "$R1" "$RJ" $BRANCHES; do
	nsx "$_r" sysctl -qw net.ipv4.icmp_ratelimit=0 \
	    net.ipv6.icmp.ratelimit=0 >/dev/null
done
start_daemon

# Three paths are enough at 16 flows (lib/multipath.h); 20 leaves room
# to see a fourth, wrong, path.  MDA itself stops short of the third
# path in 3.8 % of the attempts: mp_probe tries again then, so all three
# attempts miss one with odds of 0.038^3, 5.5e-5.
FLOWS=20
CTL_TIMEOUT=150

# The premise: without the hardware hash, r1 (Linux) keeps every echo
# on one branch, however the flows differ; MDA stops after 6 flows on
# one path.
probe_json "v4 Linux hash" "$SERVER4" 4 --method icmp --flows $FLOWS &&
    assert_eq "v4 Linux hash: ICMP flows take one path" "1 6" \
    "$(printf '%s\n' "$PROBE_OUT" | jq -r '"\(.paths | length) \(.flows_tried)"')"

ecmp_hw_hash
branch_cksum_start
branch_count_start

# multi_check NAME FAMILY: PROBE_OUT holds a --flows probe over the
# three branches; its paths, and the checksums each branch saw.
multi_check() {
	_n=$1 _f=$2
	if [ "$_f" = 4 ]; then pfx=198.18.1 sfx=.2; else pfx=2001:db8:1 sfx=::2; fi
	assert_eq "$_n: method" icmp "$(json_get method "$PROBE_OUT")"
	assert_eq "$_n: state" ok "$(json_get state "$PROBE_OUT")"
	assert_eq "$_n: three paths" 3 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq '.paths | length')"
	exp="" k=1
	for mtu in $MTUS; do
		exp="$exp $pfx$k$sfx:$mtu:ok:null"
		k=$((k + 1))
	done
	got=$(paths_by_hop "$PROBE_OUT" 2)
	assert_eq "$_n: each path's pmtu is its branch's" "${exp# }" "$got"
	[ "${exp# }" = "$got" ] ||
	    printf '%s\n' "$PROBE_OUT" | jq -c '.paths[]' | sed 's/^/    | /'
	assert_eq "$_n: pmtu is the smallest" 1400 \
	    "$(json_get pmtu "$PROBE_OUT")"
	assert_eq "$_n: each path names an echo id of its own" 3 \
	    "$(printf '%s\n' "$PROBE_OUT" | jq '[.paths[].flow.id | numbers] |
	    unique | length')"
	tried=$(json_get flows_tried "$PROBE_OUT")
	check "$_n: flows tried ($tried) 16 .. $FLOWS" \
	    [ "$tried" -ge 16 -a "$tried" -le $FLOWS ]
	assert_eq "$_n: confident" true "$(json_get confident "$PROBE_OUT")"
	# One checksum a flow, each on one branch only: as many checksums
	# as flows, and no checksum on two branches.
	: >"$T/cks.all"
	for b in $BRANCHES; do
		branch_cksums "$b" "$_f" | sort -u >"$T/cks.$b"
		cat "$T/cks.$b" >>"$T/cks.all"
	done
	echo "    $_n: checksums per branch: $(for b in $BRANCHES; do
	    printf '%s ' "$(grep -c . "$T/cks.$b")"; done)"
	assert_eq "$_n: as many echo checksums as flows" "$tried" \
	    "$(sort -u "$T/cks.all" | grep -c .)"
	assert_eq "$_n: no checksum on two branches" "" \
	    "$(sort "$T/cks.all" | uniq -d | tr '\n' ' ')"
}

# The sets hold the last attempt's checksums only.
MP_BEFORE=branch_cksum_reset
for f in 4 6; do
	eval dest=\$SERVER$f
	n="v$f icmp flows"
	mp_probe "$n" "$dest" $f 3 --method icmp --flows $FLOWS || continue
	multi_check "$n" $f
done
MP_BEFORE=

# One flow: every echo of the search and its walk takes one branch, so
# the PMTU is that branch's; the checksum hash would spread echoes whose
# checksum varied over all three.  Every branch is below the client's
# 1500, so each search sends several echoes through its branch.  Two
# daemons, two different flows 0.
for d in 1 2; do
	[ $d = 1 ] || { daemon_stop; start_daemon; }
	for f in 4 6; do
		eval dest=\$SERVER$f
		n="v$f icmp one flow, daemon $d"
		branch_reset
		probe_json "$n" "$dest" $f --method icmp || continue
		assert_eq "$n: state" ok "$(json_get state "$PROBE_OUT")"
		set -- $(branch_counts)
		echo "    $n: branch probes $*, pmtu $(json_get pmtu "$PROBE_OUT")"
		check "$n: probes reached a branch" [ $(($1 + $2 + $3)) -gt 0 ]
		used=0 b=0 k=1
		for c in "$@"; do
			[ "$c" -gt 0 ] && used=$((used + 1)) b=$k
			k=$((k + 1))
		done
		assert_eq "$n: all took one branch ($*)" 1 $used
		[ $b -gt 0 ] || continue
		assert_eq "$n: pmtu is that branch's" \
		    "$(echo $MTUS | cut -d' ' -f$b)" "$(json_get pmtu "$PROBE_OUT")"
		if [ $f = 4 ]; then hop2=198.18.1$b.2; else hop2=2001:db8:1$b::2; fi
		assert_eq "$n: hop 2 is that branch" $hop2 \
		    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.hops[1].address')"
	done
done
