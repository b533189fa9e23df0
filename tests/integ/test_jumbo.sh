#!/bin/sh
# SPDX-License-Identifier: ISC
# A jumbo path (9000) with one 8000 link: pmtu 8000, local_mtu 9000.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 9000 8000 9000
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	probe_check "v$f probe" "$dest" $f 8000 9000 icmp
	check "v$f probes_sent >= 2" [ "$(json_get probes_sent "$PROBE_OUT")" -ge 2 ]
done
