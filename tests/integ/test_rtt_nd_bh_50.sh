#!/bin/sh
# SPDX-License-Identifier: ISC
# A hop-1 black hole behind a slow first answer, at a round trip of
# 50 ms (one file per round trip: each search takes long).  Links 1500,
# 1400, 1500, r1 sends no frag-needed / packet-too-big, and the path has
# forgotten its neighbours while link 1's box holds the client's ARP
# requests and neighbour solicitations for 1 s (lib.sh nd_path).  Each
# family: state blackhole, pmtu exactly 1400, hop 1 with r1's address,
# evidence that obeys the rule: the late first answer changes nothing.
CTL_TIMEOUT=${CTL_TIMEOUT:-120}
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
require_delayline

nd_path 50 1500 1400 1500
router_blackhole "${PREFIX}r1"
start_daemon
for f in 4 6; do
	eval dest=\$SERVER$f
	r1=$(router_addr 1 $f)
	n="hop-1 black hole, slow first answer, rtt 50 ms, v$f"
	nd_forget "$n" $f
	rtt_probe "$n" "$dest" $f || continue
	blackhole_check "$n" "$PROBE_OUT" 1400 1 "$r1"
	assert_eq "$n: hop addresses" "$r1 $(router_addr 2 $f) $dest" \
	    "$(hops_field address "$PROBE_OUT")"
	assert_eq "$n: hop MTUs" "1500 1400 1400" \
	    "$(hops_field mtu "$PROBE_OUT")"
	nd_seen "$n"
done
