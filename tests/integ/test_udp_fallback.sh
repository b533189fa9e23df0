#!/bin/sh
# SPDX-License-Identifier: ISC
# The server drops ICMP echo requests: auto falls back to UDP and still
# finds 1420 exactly; forcing ICMP gets no answer, so unreachable.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1420 1500
server_drop_echo
check "server really drops echo" sh -c \
    "! ip netns exec $CLIENT ping -n -q -c 1 -W 1 $SERVER4 >/dev/null 2>&1"
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	probe_check "v$f auto" "$dest" $f 1420 1500 udp --method auto
	probe_check "v$f udp" "$dest" $f 1420 1500 udp --method udp

	out=$(ctl probe "$dest" -$f --method icmp --json)
	check "v$f icmp: pmtudctl returns" [ "$(ctl_rc)" != 124 ]
	assert_eq "v$f icmp: state" unreachable "$(json_get state "$out")"
	assert_eq "v$f icmp: pmtu" null "$(json_get pmtu "$out")"
	assert_eq "v$f icmp: family" $f "$(json_get family "$out")"
	assert_eq "v$f icmp: local_mtu" 1500 "$(json_get local_mtu "$out")"
done
