#!/bin/sh
# SPDX-License-Identifier: ISC
# A black hole at the first router: links 1500, 1400, 1500 and r1 sends
# no frag-needed / packet-too-big.  pmtu 1400 exactly, state blackhole,
# the black hole located at hop 1 (r1's client-side address) with 1401
# the size that vanished; the walk lists MTU 1500 at r1 and 1400 beyond.
# Without the walk the black hole is still found, its hop unknown (null).
# The wall time of each pmtudctl call is printed for the benchmark.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500
router_blackhole "${PREFIX}r1"
check "ping at 1400 is answered" sh -c \
    "ip netns exec $CLIENT ping -n -q -M do -c 1 -W 2 -s 1372 $SERVER4 >/dev/null 2>&1"
check "ping at 1401 gets no answer (and no frag-needed)" sh -c \
    "! ip netns exec $CLIENT ping -n -q -M do -c 1 -W 1 -s 1373 $SERVER4 >/dev/null 2>&1"
check "v6 ping at 1400 is answered" sh -c \
    "ip netns exec $CLIENT ping -6 -n -q -M do -c 1 -W 2 -s 1352 $SERVER6 >/dev/null 2>&1"
check "v6 ping at 1401 gets no answer (and no packet-too-big)" sh -c \
    "! ip netns exec $CLIENT ping -6 -n -q -M do -c 1 -W 1 -s 1353 $SERVER6 >/dev/null 2>&1"
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	r1=$(router_addr 1 $f)
	r2=$(router_addr 2 $f)
	if probe_json "v$f walk" "$dest" $f; then
		echo "    v$f hop-1 black hole: pmtudctl probe took $PROBE_MS ms" \
		    "($(json_get probes_sent "$PROBE_OUT") probes)"
		blackhole_check "v$f walk" "$PROBE_OUT" 1400 1 "$r1"
		assert_eq "v$f walk: local_mtu" 1500 "$(json_get local_mtu "$PROBE_OUT")"
		assert_eq "v$f walk: method" icmp "$(json_get method "$PROBE_OUT")"
		assert_eq "v$f walk: family" $f "$(json_get family "$PROBE_OUT")"
		assert_eq "v$f walk: hop ttls" "1 2 3" "$(hops_field ttl "$PROBE_OUT")"
		assert_eq "v$f walk: hop addresses" "$r1 $r2 $dest" \
		    "$(hops_field address "$PROBE_OUT")"
		assert_eq "v$f walk: hop MTUs" "1500 1400 1400" \
		    "$(hops_field mtu "$PROBE_OUT")"
		assert_eq "v$f walk: every hop has an rtt" "number number number" \
		    "$(printf '%s\n' "$PROBE_OUT" | jq -r '[.hops[] | .rtt_ms | type] | join(" ")')"
		assert_eq "v$f pmtudctl exit status" 0 "$(ctl_rc)"
	fi

	if probe_json "v$f no-walk" "$dest" $f --no-walk; then
		echo "    v$f hop-1 black hole, --no-walk: pmtudctl probe took" \
		    "$PROBE_MS ms ($(json_get probes_sent "$PROBE_OUT") probes)"
		blackhole_check "v$f no-walk" "$PROBE_OUT" 1400 null null
		assert_eq "v$f no-walk: hops" null "$(json_get hops "$PROBE_OUT")"
	fi

	# status keeps the last finding: the one without the walk.
	st=$(ctl status "$dest" -$f --json)
	assert_eq "v$f status: state" blackhole "$(status_get state "$st")"
	assert_eq "v$f status: pmtu" 1400 "$(status_get pmtu "$st")"
	assert_eq "v$f status: blackhole.lost_size" 1401 \
	    "$(status_get blackhole.lost_size "$st")"
done

# The text form says so too.
txt=$(ctl probe "$SERVER4" -4 --no-walk)
assert_match "text output: pmtu 1400, blackhole" \
    "^$SERVER4  pmtu 1400  local 1500  blackhole  icmp  " "$txt"
