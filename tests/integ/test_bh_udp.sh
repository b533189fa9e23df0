#!/bin/sh
# SPDX-License-Identifier: ISC
# Black holes when the destination ignores ICMP echo: only UDP to a
# closed port gets an answer (port unreachable).  Path 1500, 1400, 1500
# with r1 a black hole.  --method udp and auto (echo gets nothing, UDP
# takes over) must both find it: state blackhole, method udp, pmtu 1400,
# hop 1 = r1.  First with the server as Linux ships: its port unreachable
# is rate limited (net.ipv4.icmp_ratelimit 1000 ms per peer after a small
# burst, net.ipv6.icmp.ratelimit 100 ms).  Over IPv6 the black hole must
# still be found.  Over IPv4, at one answer a second, the confirmation's
# control probes go unanswered so often that the evidence rule cannot
# rule out loss within its rounds: the finding must then still be exact
# (pmtu 1400, never a smaller size, never a false verdict), but it may
# say "ok" (a known limit, in the README).  Then with the limiter off.
# Last, a destination that answers nothing at all behind the same black
# hole: unreachable, pmtu null, never blackhole, for every method.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
# auto tries echo first, then UDP: give it room (never a time assertion).
CTL_TIMEOUT=120
topo_line 1500 1400 1500
router_blackhole "${PREFIX}r1"
server_drop_echo
start_daemon

# udp_blackhole NAME [LENIENT_FAMILY]: both families, both methods.
udp_blackhole() {
	for f in 4 6; do
		eval dest=\$SERVER$f
		for m in udp auto; do
			n="$1 v$f $m"
			probe_json "$n" "$dest" $f --method $m || continue
			echo "    $n: $(printf '%s\n' "$PROBE_OUT" | jq -c \
			    '[.state, .pmtu, .method, .probes_sent, .duration_ms]')"
			if [ "$f" = "${2:-}" ] &&
			    [ "$(json_get state "$PROBE_OUT")" = ok ]; then
				check "$n: pmtu never above the path" \
				    [ "$(json_get pmtu "$PROBE_OUT")" -le 1400 ]
				assert_eq "$n: no black hole claimed" null \
				    "$(json_get blackhole "$PROBE_OUT")"
			else
				blackhole_check "$n" "$PROBE_OUT" 1400 1 \
				    "$(router_addr 1 $f)"
			fi
			assert_eq "$n: method" udp "$(json_get method "$PROBE_OUT")"
			# Answers at 1/s make the walk see the destination
			# late: hops between may read as silent.
			[ "$f" = "${2:-}" ] ||
			    assert_eq "$n: hop MTUs" "1500 1400 1400" \
			    "$(hops_field mtu "$PROBE_OUT")"
			assert_eq "$n: last hop" "$dest" \
			    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.hops[-1].address')"
		done
	done
}

udp_blackhole "server as shipped:" 4
nsx "$SERVER" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
udp_blackhole "server limit off:"

# Nothing answers: never a black hole, whatever the method.
nsx "$SERVER" nft flush ruleset
server_silent
for f in 4 6; do
	eval dest=\$SERVER$f
	for m in icmp udp auto; do
		n="silent v$f $m"
		probe_json "$n" "$dest" $f --method $m || continue
		assert_eq "$n: state" unreachable "$(json_get state "$PROBE_OUT")"
		assert_eq "$n: pmtu" null "$(json_get pmtu "$PROBE_OUT")"
		assert_eq "$n: blackhole" null "$(json_get blackhole "$PROBE_OUT")"
		assert_eq "$n: error says why" string \
		    "$(json_type error "$PROBE_OUT")"
		check "$n: probes were sent" \
		    [ "$(json_get probes_sent "$PROBE_OUT")" -ge 1 ]
	done
done
