#!/bin/sh
# SPDX-License-Identifier: ISC
# Several narrowing hops with real-world sizes: Ethernet, PPPoE (1492),
# FLET'S PPPoE behind L2TP (1454), Ethernet.  pmtu 1454 in both families.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1492 1454 1500
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	probe_check "v$f probe" "$dest" $f 1454 1500 icmp
	# 1500 refused at r1, 1492 refused at r2, 1454 answered.
	check "v$f probes_sent >= 3" [ "$(json_get probes_sent "$PROBE_OUT")" -ge 3 ]
done
