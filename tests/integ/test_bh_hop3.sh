#!/bin/sh
# SPDX-License-Identifier: ISC
# A black hole three hops out, behind two clean routers: links 1500,
# 1500, 1500, 1400 and r3 (1500 -> 1400) sends no frag-needed /
# packet-too-big.  pmtu 1400, the black hole at hop 3 with r3's address;
# every hop listed with its address and MTU.  Then the same black hole
# once r3 is also the only silent one among routers that do signal: r1
# narrows to 1450 with working ICMP, so 1450 is learnt from a too-big
# first and only the step 1450 -> 1400 vanishes.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1500 1500 1400
router_blackhole "${PREFIX}r3"
start_daemon

for f in 4 6; do
	eval dest=\$SERVER$f
	r1=$(router_addr 1 $f)
	r2=$(router_addr 2 $f)
	r3=$(router_addr 3 $f)
	probe_json "v$f" "$dest" $f || continue
	echo "    v$f hop-3 black hole: pmtudctl probe took $PROBE_MS ms" \
	    "($(json_get probes_sent "$PROBE_OUT") probes)"
	blackhole_check "v$f" "$PROBE_OUT" 1400 3 "$r3"
	assert_eq "v$f: method" icmp "$(json_get method "$PROBE_OUT")"
	assert_eq "v$f: hop ttls" "1 2 3 4" "$(hops_field ttl "$PROBE_OUT")"
	assert_eq "v$f: hop addresses" "$r1 $r2 $r3 $dest" \
	    "$(hops_field address "$PROBE_OUT")"
	assert_eq "v$f: hop MTUs" "1500 1500 1500 1400" \
	    "$(hops_field mtu "$PROBE_OUT")"
done
topo_down

topo_line 1500 1450 1500 1400
router_blackhole "${PREFIX}r3"
start_daemon
for f in 4 6; do
	eval dest=\$SERVER$f
	r1=$(router_addr 1 $f)
	r2=$(router_addr 2 $f)
	r3=$(router_addr 3 $f)
	probe_json "v$f behind a signalling router" "$dest" $f || continue
	blackhole_check "v$f behind a signalling router" "$PROBE_OUT" 1400 3 "$r3"
	assert_eq "v$f behind a signalling router: hop addresses" \
	    "$r1 $r2 $r3 $dest" "$(hops_field address "$PROBE_OUT")"
	assert_eq "v$f behind a signalling router: hop MTUs" \
	    "1500 1450 1450 1400" "$(hops_field mtu "$PROBE_OUT")"
done
