#!/bin/sh
# SPDX-License-Identifier: ISC
# A slow first answer (lib.sh nd_path): every namespace of the path has
# forgotten its neighbours, and link 1's delay box holds the client's ARP
# requests and neighbour solicitations for 1 s, so the first packet
# towards r1 waits about a second in the client's neighbour queue and
# the later ones do not.  At a round trip of 50 ms and of 300 ms, each
# family, on a clean 1500 path and on links 1500, 1400, 1500 with r1's
# too-big working: state ok at exactly 1500 / 1400, no black hole, every
# hop named.  The first size was not lost, only late.
# test_rtt_nd_bh_*.sh: the same through a black hole.
CTL_TIMEOUT=${CTL_TIMEOUT:-120}
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
require_delayline

for rtt in 50 300; do
	nd_path $rtt 1500 1500
	# The testbed itself: the first answer is late, the later ones not
	# (ping's own times, printed only).
	neigh_forget
	echo "    rtt $rtt ms, neighbours forgotten, ping every 0.5 s:" \
	    $(nsx "$CLIENT" ping -n -c 3 -i 0.5 "$SERVER4" |
	    sed -n 's/.*time=\([0-9.]*\) ms/\1/p') "ms"
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		n="clean, slow first answer, rtt $rtt ms, v$f"
		nd_forget "$n" $f
		rtt_probe "$n" "$dest" $f || continue
		rtt_ok "$n" 1500 "$(router_addr 1 $f) $dest" "1500 1500"
		nd_seen "$n"
	done
	rtt_path_down

	nd_path $rtt 1500 1400 1500
	start_daemon
	for f in 4 6; do
		eval dest=\$SERVER$f
		n="too-big at 1400, slow first answer, rtt $rtt ms, v$f"
		nd_forget "$n" $f
		rtt_probe "$n" "$dest" $f || continue
		rtt_ok "$n" 1400 "$(router_addr 1 $f) $(router_addr 2 $f) $dest" \
		    "1500 1400 1400"
		nd_seen "$n"
	done
	rtt_path_down
done
