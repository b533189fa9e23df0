#!/bin/sh
# SPDX-License-Identifier: ISC
# A black hole at the first router over slow paths: links 1500, 1400,
# 1500, r1 sends no frag-needed / packet-too-big, and the round trip is
# 50 ms, then 300 ms (link 1 delayed by tests/tools/delayline.c).  Each
# family: state blackhole, pmtu exactly 1400, the black hole at hop 1
# (r1's address) with evidence that obeys the rule, and the walk names
# every hop.  A slow answer is still an answer: the verdict may not
# differ from the one at 0.1 ms.
CTL_TIMEOUT=${CTL_TIMEOUT:-120}
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
require_delayline

for rtt in 50 300; do
	topo_line 1500 1400 1500
	router_blackhole "${PREFIX}r1"
	path_rtt $rtt
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		r1=$(router_addr 1 $f)
		n="hop-1 black hole, rtt $rtt ms, v$f"
		rtt_probe "$n" "$dest" $f || continue
		blackhole_check "$n" "$PROBE_OUT" 1400 1 "$r1"
		assert_eq "$n: hop addresses" "$r1 $(router_addr 2 $f) $dest" \
		    "$(hops_field address "$PROBE_OUT")"
		assert_eq "$n: hop MTUs" "1500 1400 1400" \
		    "$(hops_field mtu "$PROBE_OUT")"
	done
	rtt_path_down
done
