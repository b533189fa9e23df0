#!/bin/sh
# SPDX-License-Identifier: ISC
# The path walk with no black hole.  Links 1500, 1492 (PPPoE), 1454
# (FLET'S), 1500 with working ICMP: hop MTUs 1500, 1492, 1454, 1454 (a
# hop's MTU is the largest packet that reached it), every hop's address,
# state ok, blackhole null; --no-walk gives hops null.  Then a router
# that sends no time-exceeded: its hop is listed with address, rtt_ms
# and mtu all null and the walk goes on to the destination; and a
# single-link path, where the only hop is the destination.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1492 1454 1500
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	r1=$(router_addr 1 $f)
	r2=$(router_addr 2 $f)
	r3=$(router_addr 3 $f)
	if probe_json "v$f" "$dest" $f; then
		assert_eq "v$f: state" ok "$(json_get state "$PROBE_OUT")"
		assert_eq "v$f: pmtu" 1454 "$(json_get pmtu "$PROBE_OUT")"
		assert_eq "v$f: blackhole" null "$(json_get blackhole "$PROBE_OUT")"
		assert_eq "v$f: error" null "$(json_get error "$PROBE_OUT")"
		assert_eq "v$f: hop ttls" "1 2 3 4" "$(hops_field ttl "$PROBE_OUT")"
		assert_eq "v$f: hop addresses" "$r1 $r2 $r3 $dest" \
		    "$(hops_field address "$PROBE_OUT")"
		assert_eq "v$f: hop MTUs" "1500 1492 1454 1454" \
		    "$(hops_field mtu "$PROBE_OUT")"
		assert_eq "v$f: rtt_ms numbers, not negative" true \
		    "$(printf '%s\n' "$PROBE_OUT" | jq '[.hops[] | .rtt_ms |
		    type == "number" and . >= 0] | all')"
	fi
	if probe_json "v$f no-walk" "$dest" $f --no-walk; then
		assert_eq "v$f no-walk: state" ok "$(json_get state "$PROBE_OUT")"
		assert_eq "v$f no-walk: pmtu" 1454 "$(json_get pmtu "$PROBE_OUT")"
		assert_eq "v$f no-walk: hops" null "$(json_get hops "$PROBE_OUT")"
		assert_eq "v$f no-walk: blackhole" null \
		    "$(json_get blackhole "$PROBE_OUT")"
	fi
	# The raw protocol: "walk": false is the same as --no-walk.
	r=$(send_raw "{\"id\":5,\"cmd\":\"probe\",\"destination\":\"$dest\",\"family\":$f,\"walk\":false}")
	assert_eq "v$f walk:false: ok" true "$(json_get ok "$r")"
	assert_eq "v$f walk:false: pmtu" 1454 "$(json_get result.pmtu "$r")"
	assert_eq "v$f walk:false: hops" null "$(json_get result.hops "$r")"
	r=$(send_raw "{\"id\":6,\"cmd\":\"probe\",\"destination\":\"$dest\",\"family\":$f,\"walk\":\"no\"}")
	assert_eq "v$f walk:\"no\": bad_request" bad_request \
	    "$(json_get error.code "$r")"
done
topo_down

# r2 never sends time-exceeded: hop 2 is silent, the rest is known.
topo_line 1500 1500 1400 1500
nsx "${PREFIX}r2" nft -f - <<NFT || die "nft no time-exceeded" "nft failed"
table inet pmt_quiet {
	chain out {
		type filter hook output priority 0; policy accept;
		icmp type time-exceeded drop
		icmpv6 type time-exceeded drop
	}
}
NFT
start_daemon
for f in 4 6; do
	eval dest=\$SERVER$f
	r1=$(router_addr 1 $f)
	r3=$(router_addr 3 $f)
	probe_json "v$f silent hop" "$dest" $f || continue
	assert_eq "v$f silent hop: state" ok "$(json_get state "$PROBE_OUT")"
	assert_eq "v$f silent hop: pmtu" 1400 "$(json_get pmtu "$PROBE_OUT")"
	assert_eq "v$f silent hop: hop ttls" "1 2 3 4" \
	    "$(hops_field ttl "$PROBE_OUT")"
	assert_eq "v$f silent hop: hop addresses" "$r1 null $r3 $dest" \
	    "$(hops_field address "$PROBE_OUT")"
	assert_eq "v$f silent hop: rtt_ms of hop 2" null \
	    "$(json_get 'hops[1].rtt_ms' "$PROBE_OUT")"
	assert_eq "v$f silent hop: hop MTUs" "1500 null 1400 1400" \
	    "$(hops_field mtu "$PROBE_OUT")"
	assert_eq "v$f silent hop: blackhole" null \
	    "$(json_get blackhole "$PROBE_OUT")"
done
topo_down

# One link: the destination is hop 1.
topo_line 1500
start_daemon
for f in 4 6; do
	eval dest=\$SERVER$f
	probe_json "v$f one link" "$dest" $f || continue
	assert_eq "v$f one link: state" ok "$(json_get state "$PROBE_OUT")"
	assert_eq "v$f one link: pmtu" 1500 "$(json_get pmtu "$PROBE_OUT")"
	assert_eq "v$f one link: hops" "1 $dest 1500" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.hops | length as $n |
	    "\($n) \(.[0].address) \(.[0].mtu)"')"
done
