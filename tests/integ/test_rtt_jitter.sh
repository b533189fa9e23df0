#!/bin/sh
# SPDX-License-Identifier: ISC
# Jitter and reordering: link 1 (tests/tools/delayline.c) delays each
# way by half the round trip +- 50 % of that, uniformly, so frames
# overtake one another, and lets 10 % of them skip the delay altogether.
# At a round trip of 50 ms and of 300 ms, each family, on links 1500,
# 1400, 1500: with r1's too-big working, state ok at exactly 1400 and no
# black hole; with r1 silent, a black hole at hop 1 with pmtu exactly
# 1400.  An answer that comes late or out of order is still an answer.
# The delay box must really reorder: of 40 pings sent 5 ms apart, some
# overtake others.
CTL_TIMEOUT=${CTL_TIMEOUT:-120}
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
require_delayline

# reorders NAME: the path really reorders: of 40 pings 5 ms apart, some
# overtake others on link 1's box.  The daemon's own probes, two in
# flight at most, may or may not have been; their count is printed.
reorders() {
	_r0=$(link_delay_count 1 ab reordered)
	nsx "$CLIENT" ping -n -q -c 40 -i 0.005 -W 2 "$SERVER4" >/dev/null 2>&1
	_r1=$(link_delay_count 1 ab reordered)
	check "$1: the delay box reorders" [ "${_r1:-0}" -gt "${_r0:-0}" ]
	RO_AB=$_r1
	RO_BA=$(link_delay_count 1 ba reordered)
}

# reordered NAME: how many of the searches' frames were reordered.
reordered() {
	echo "    $1: frames of the searches reordered" \
	    "$(($(link_delay_count 1 ab reordered) - RO_AB)) out," \
	    "$(($(link_delay_count 1 ba reordered) - RO_BA)) back"
}

for rtt in 50 300; do
	topo_line 1500 1400 1500
	path_rtt $rtt 50 --reorder 10
	reorders "too-big at 1400, rtt $rtt ms +-50%"
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		n="too-big at 1400, rtt $rtt ms +-50%, reordering, v$f"
		rtt_probe "$n" "$dest" $f || continue
		rtt_ok "$n" 1400 "$(router_addr 1 $f) $(router_addr 2 $f) $dest" \
		    "1500 1400 1400"
	done
	reordered "too-big at 1400, rtt $rtt ms +-50%"
	rtt_path_down

	topo_line 1500 1400 1500
	router_blackhole "${PREFIX}r1"
	path_rtt $rtt 50 --reorder 10
	reorders "hop-1 black hole, rtt $rtt ms +-50%"
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		r1=$(router_addr 1 $f)
		n="hop-1 black hole, rtt $rtt ms +-50%, reordering, v$f"
		rtt_probe "$n" "$dest" $f || continue
		blackhole_check "$n" "$PROBE_OUT" 1400 1 "$r1"
		assert_eq "$n: hop addresses" "$r1 $(router_addr 2 $f) $dest" \
		    "$(hops_field address "$PROBE_OUT")"
	done
	reordered "hop-1 black hole, rtt $rtt ms +-50%"
	rtt_path_down
done
