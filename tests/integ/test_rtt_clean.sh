#!/bin/sh
# SPDX-License-Identifier: ISC
# Slow paths without trouble: a round trip of 50 ms and of 300 ms (link 1
# delayed by tests/tools/delayline.c), on a clean 1500 path and on one
# whose middle link is 1400 and whose router says so (frag-needed /
# packet-too-big).  Each family: pmtu exactly 1500 / 1400, state ok, no
# black hole, and the walk names every hop with its MTU.  However slow
# the answers, they are answers: no size may count as lost for want of
# patience.
CTL_TIMEOUT=${CTL_TIMEOUT:-120}
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
require_delayline

for rtt in 50 300; do
	topo_line 1500 1500
	path_rtt $rtt
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		n="clean, rtt $rtt ms, v$f"
		rtt_probe "$n" "$dest" $f || continue
		rtt_ok "$n" 1500 "$(router_addr 1 $f) $dest" "1500 1500"
	done
	rtt_path_down

	topo_line 1500 1400 1500
	path_rtt $rtt
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		n="too-big at 1400, rtt $rtt ms, v$f"
		rtt_probe "$n" "$dest" $f || continue
		rtt_ok "$n" 1400 "$(router_addr 1 $f) $(router_addr 2 $f) $dest" \
		    "1500 1400 1400"
	done
	rtt_path_down
done
