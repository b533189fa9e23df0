#!/bin/sh
# SPDX-License-Identifier: ISC
# Loss is not a black hole.  r1 drops 25 % of what it forwards, in each
# direction (so about 44 % of round trips fail), with nft numgen since
# this kernel has no sch_netem.  On 1500, 1400, 1500 where r1's too-big
# works, and on a clean 1500 path, RUNS probes per family each: never
# state blackhole, and pmtu exactly 1400 (1500) whenever the state is ok,
# null when the search could not finish (unreachable): never a made-up
# size.  The walk may miss hops (null) but never names a wrong one.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
RUNS=${RUNS:-10}

# lossy_runs NAME PMTU MTU1: RUNS probes per family on the current path,
# whose hop 1 (never lossy: r1 itself answers) has MTU1.
lossy_runs() {
	_ln=$1 _lp=$2 _lm1=$3
	_lt0=$(now_ms)
	_bh=0 _ok=0 _unr=0
	_i=0
	while [ $_i -lt "$RUNS" ]; do
		_i=$((_i + 1))
		for f in 4 6; do
			eval dest=\$SERVER$f
			n="$_ln run $_i v$f"
			probe_json "$n" "$dest" $f || continue
			st=$(json_get state "$PROBE_OUT")
			echo "    $n: $(printf '%s\n' "$PROBE_OUT" | jq -c \
			    '[.state, .pmtu, .probes_sent, .duration_ms,
			    [.hops[]? | .mtu]]')"
			case $st in
			ok)
				_ok=$((_ok + 1))
				assert_eq "$n: pmtu" "$_lp" "$(json_get pmtu "$PROBE_OUT")"
				;;
			unreachable)
				_unr=$((_unr + 1))
				assert_eq "$n: pmtu when unreachable" null \
				    "$(json_get pmtu "$PROBE_OUT")"
				;;
			blackhole)
				_bh=$((_bh + 1))
				fail "$n: state" "expected ok (loss is not a black hole), got blackhole: $(printf '%s' "$PROBE_OUT" | jq -c '{pmtu, blackhole}')"
				;;
			*)
				fail "$n: state" "expected ok or unreachable, got $st"
				;;
			esac
			[ "$st" = blackhole ] ||
			    assert_eq "$n: blackhole" null \
			    "$(json_get blackhole "$PROBE_OUT")"
			[ "$st" = ok ] || continue
			# Known hops are right: routers at their TTL, the
			# destination last, MTU1 at hop 1 and PMTU beyond.
			assert_eq "$n: walk names no wrong hop" true \
			    "$(printf '%s\n' "$PROBE_OUT" | jq --arg d "$dest" \
			    --arg r1 "$(router_addr 1 $f)" \
			    --arg r2 "$(router_addr 2 $f)" \
			    --argjson p "$_lp" --argjson m1 "$_lm1" '
			    .hops as $h | ($h | length) as $n |
			    $n >= 2 and $h[$n - 1].address == $d and
			    $h[$n - 1].mtu == $p and
			    ([range(0; $n)] | all(. as $i | $h[$i] |
			      .ttl == $i + 1 and
			      (if $i == $n - 1 then true
			       elif .address == null then .mtu == null
			       else .address == ([$r1, $r2][$i] // "none") end) and
			      (.mtu == null or .mtu == (if $i == 0 then $m1
			       else $p end))))' 2>/dev/null)"
		done
	done
	echo "    $_ln: $((RUNS * 2)) runs in $(($(now_ms) - _lt0)) ms:" \
	    "$_ok ok, $_unr unreachable, $_bh false black holes"
	assert_eq "$_ln: false black holes" 0 "$_bh"
}

topo_line 1500 1400 1500
router_loss "${PREFIX}r1" 25
start_daemon
lossy_runs "narrow 1400, 25% loss" 1400 1500
topo_down

topo_line 1500 1500
router_loss "${PREFIX}r1" 25
start_daemon
lossy_runs "clean 1500, 25% loss" 1500 1500
