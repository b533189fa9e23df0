#!/bin/sh
# SPDX-License-Identifier: ISC
# A black hole for IPv6 only: r1 (1500 -> 1400) drops the packet-too-big
# it would send, while its IPv4 frag-needed still goes out.  IPv6: state
# blackhole at hop 1; IPv4 over the very same routers: state ok, pmtu
# 1400 from the frag-needed, no black hole.  Then the reverse (IPv4 only).
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500

# family_split BH_FAMILY: one family blackholed, the other signalled.
family_split() {
	bh=$1
	ok=$((10 - bh))
	eval bdest=\$SERVER$bh
	eval odest=\$SERVER$ok
	if probe_json "v$bh-only: v$bh" "$bdest" $bh; then
		blackhole_check "v$bh-only: v$bh" "$PROBE_OUT" 1400 1 \
		    "$(router_addr 1 $bh)"
		assert_eq "v$bh-only: v$bh hop MTUs" "1500 1400 1400" \
		    "$(hops_field mtu "$PROBE_OUT")"
	fi
	if probe_json "v$bh-only: v$ok" "$odest" $ok; then
		assert_eq "v$bh-only: v$ok state" ok "$(json_get state "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok pmtu" 1400 "$(json_get pmtu "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok blackhole" null \
		    "$(json_get blackhole "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok error" null "$(json_get error "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok hop addresses" \
		    "$(router_addr 1 $ok) $(router_addr 2 $ok) $odest" \
		    "$(hops_field address "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok hop MTUs" "1500 1400 1400" \
		    "$(hops_field mtu "$PROBE_OUT")"
	fi
	# Without the walk, too.
	if probe_json "v$bh-only: v$ok no-walk" "$odest" $ok --no-walk; then
		assert_eq "v$bh-only: v$ok no-walk state" ok \
		    "$(json_get state "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok no-walk pmtu" 1400 \
		    "$(json_get pmtu "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok no-walk blackhole" null \
		    "$(json_get blackhole "$PROBE_OUT")"
		assert_eq "v$bh-only: v$ok no-walk hops" null \
		    "$(json_get hops "$PROBE_OUT")"
	fi
}

router_blackhole "${PREFIX}r1" 6
start_daemon
family_split 6

# The reverse, on a fresh daemon (no finding carried over).
stop_daemons
router_blackhole_clear "${PREFIX}r1"
router_blackhole "${PREFIX}r1" 4
start_daemon
family_split 4
