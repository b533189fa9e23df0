#!/bin/sh
# SPDX-License-Identifier: ISC
# One flow, one path (Paris traceroute's rule).  r1 spreads traffic to
# the server over two equal-cost branches of 1500 and 1400 bytes by the
# flow's hash (IPv4: ports; IPv6: flow label).  Every probe of one
# search and its walk keeps one flow identity, so each branch router's
# counter shows that all of a probe's packets took one branch, and the
# PMTU found is that branch's.  Before flows were kept, UDP probes
# changed their destination port with every probe and spread over both.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_ecmp 1500 1400
branch_count_start
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	for m in udp icmp; do
		n="v$f $m"
		branch_reset
		probe_json "$n" "$dest" $f --method $m || continue
		assert_eq "$n: state" ok "$(json_get state "$PROBE_OUT")"
		set -- $(branch_counts)
		echo "    $n: branch probes $1 $2, pmtu $(json_get pmtu "$PROBE_OUT")"
		check "$n: probes reached a branch" [ $(($1 + $2)) -gt 0 ]
		check "$n: all took one branch ($1, $2)" \
		    [ "$1" -eq 0 -o "$2" -eq 0 ]
		if [ "$1" -gt 0 ]; then want=1500; else want=1400; fi
		assert_eq "$n: pmtu is that branch's" $want \
		    "$(json_get pmtu "$PROBE_OUT")"
		# A walk's hop 2 is the branch router it went through.
		if [ "$1" -gt 0 ]; then b=1; else b=2; fi
		if [ $f = 4 ]; then hop2=198.18.1$b.2; else hop2=2001:db8:1$b::2; fi
		assert_eq "$n: hop 2 is that branch" $hop2 \
		    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.hops[1].address')"
	done
done
