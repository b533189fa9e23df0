#!/bin/sh
# SPDX-License-Identifier: ISC
# A black hole three hops out over slow paths: links 1500, 1500, 1500,
# 1400, r3 (1500 -> 1400) sends no frag-needed / packet-too-big, and the
# round trip is 50 ms, then 300 ms (link 1 delayed by
# tests/tools/delayline.c, so every hop is that far).  Each family: state
# blackhole, pmtu exactly 1400, the black hole at hop 3 with r3's
# address and evidence that obeys the rule, every hop named with its MTU.
CTL_TIMEOUT=${CTL_TIMEOUT:-120}
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
require_delayline

for rtt in 50 300; do
	topo_line 1500 1500 1500 1400
	router_blackhole "${PREFIX}r3"
	path_rtt $rtt
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		r3=$(router_addr 3 $f)
		n="hop-3 black hole, rtt $rtt ms, v$f"
		rtt_probe "$n" "$dest" $f || continue
		blackhole_check "$n" "$PROBE_OUT" 1400 3 "$r3"
		assert_eq "$n: hop addresses" \
		    "$(router_addr 1 $f) $(router_addr 2 $f) $r3 $dest" \
		    "$(hops_field address "$PROBE_OUT")"
		assert_eq "$n: hop MTUs" "1500 1500 1500 1400" \
		    "$(hops_field mtu "$PROBE_OUT")"
	done
	rtt_path_down
done
