#!/bin/sh
# SPDX-License-Identifier: ISC
# One narrow link in the middle (1500, 1400, 1500): the router's
# frag-needed / packet-too-big leads to exactly 1400 in both families.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	probe_check "v$f probe" "$dest" $f 1400 1500 icmp
	# One probe too big for the middle link, one that fits.
	check "v$f probes_sent >= 2" [ "$(json_get probes_sent "$PROBE_OUT")" -ge 2 ]
done
