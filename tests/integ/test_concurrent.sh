#!/bin/sh
# SPDX-License-Identifier: ISC
# Six probes at once through 1500, 1420, 1500: four addresses beyond the
# narrow link (1420) and r1's two far-side addresses, reached over the
# first link only (1500).  Each result must be exact and not mixed up.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1420 1500
start_daemon

JOBS="$SERVER4 4 1420
$SERVER6 6 1420
$SERVER4B 4 1420
$SERVER6B 6 1420
198.18.2.1 4 1500
2001:db8:2::1 6 1500"

i=0
pids=""
while read -r dest fam mtu; do
	i=$((i + 1))
	ctl probe "$dest" -$fam --json >"$T/out.$i" </dev/null &
	pids="$pids $!"
done <<EOJ
$JOBS
EOJ
for p in $pids; do
	wait "$p"
done

i=0
while read -r dest fam mtu; do
	i=$((i + 1))
	out=$(cat "$T/out.$i")
	assert_eq "$dest state" ok "$(json_get state "$out")"
	assert_eq "$dest pmtu" "$mtu" "$(json_get pmtu "$out")"
	assert_eq "$dest family" "$fam" "$(json_get family "$out")"
	assert_eq "$dest address" "$dest" "$(json_get address "$out")"
	assert_eq "$dest method" icmp "$(json_get method "$out")"
	assert_eq "$dest local_mtu" 1500 "$(json_get local_mtu "$out")"
done <<EOJ
$JOBS
EOJ

# The store holds all six afterwards.
all=$(ctl status)
for a in "$SERVER4" "$SERVER6" "$SERVER4B" "$SERVER6B" 198.18.2.1 \
    2001:db8:2::1; do
	assert_match "status lists $a" "$a" "$all"
done
