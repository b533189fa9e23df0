#!/bin/sh
# SPDX-License-Identifier: ISC
# make bench: pmtud against tracepath and traceroute --mtu on the same
# namespace paths (IPv4), then through PMTUD black holes against scamper
# (trace -M: traceroute, then PMTUD with black-hole inference) and
# tracepath; then slow paths (rtt.sh) and equal-cost paths against
# scamper tracelb (multipath.sh).  Each tool gets a freshly built path so
# none profits from the PMTU another one taught the client's kernel.
# Times are wall clock around the one command, from date +%s%N; they are
# shown, not judged.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PMTUD=${PMTUD:-$TOP/build/pmtud}
PMTUDCTL=${PMTUDCTL:-$TOP/build/pmtudctl}
. "$TOP/tests/integ/lib.sh"

require_netns
require_daemon
for c in tracepath traceroute scamper stdbuf; do
	command -v $c >/dev/null 2>&1 ||
	    die "$c installed" "expected $c in PATH (make deps)"
done

# Each bench_* builds the path, measures, tears it down and leaves its
# findings in R (not printed: a $(...) subshell would lose the cleanup).

# BH: the router (1, 2, ...) that sends no frag-needed in the next
# paths built; empty: none.
BH=""

bench_path() {
	topo_line "$@"
	[ -z "$BH" ] || router_blackhole "${PREFIX}r$BH"
}

# bench_pmtud MTUS...: "pmtu probes ms wall" (the daemon's own
# duration_ms and the wall time of the pmtudctl call).
bench_pmtud() {
	bench_path "$@"
	start_daemon "$PMTUD"
	t0=$(now_ms)
	out=$(ctl probe "$SERVER4" -4 --json)
	t1=$(now_ms)
	R="$(json_get pmtu "$out") / $(json_get probes_sent "$out") / $(json_get duration_ms "$out") ($((t1 - t0)))"
	topo_down
}

bench_tracepath() {
	bench_path "$@"
	t0=$(now_ms)
	out=$(nsx "$CLIENT" timeout 60 tracepath -n -4 "$SERVER4" 2>&1)
	t1=$(now_ms)
	p=$(printf '%s\n' "$out" | sed -n 's/.*Resume: pmtu \([0-9]*\).*/\1/p')
	R="${p:--} / $((t1 - t0)) ms"
	topo_down
}

# traceroute --mtu starts at the interface MTU and prints F=N at each hop
# where it had to go smaller; the last F= (or the first) is its answer.
bench_traceroute() {
	bench_path "$@"
	t0=$(now_ms)
	out=$(nsx "$CLIENT" timeout 60 traceroute -n -4 --mtu "$SERVER4" 2>&1)
	t1=$(now_ms)
	p=$(printf '%s\n' "$out" | grep -o 'F=[0-9]*' | tail -1 | cut -d= -f2)
	R="${p:--} / $((t1 - t0)) ms"
	topo_down
}

row() {
	printf '%-34s | %-32s | %-18s | %s\n' "$@"
}

echo "pmtud benchmark: IPv4, paths built from network namespaces"
echo
row "scenario (link MTUs)" "pmtud: pmtu / probes / ms (wall)" \
    "tracepath: pmtu/ms" "traceroute --mtu"
row "----------------------------------" "--------------------------------" \
    "------------------" "------------------"
for sc in "clean:1500 1500" "narrow:1500 1420 1500" \
    "pppoe-flets:1500 1492 1454 1500" "jumbo:9000 8000 9000"; do
	name=${sc%%:*}
	mtus=${sc#*:}
	bench_pmtud $mtus
	r1=$R
	bench_tracepath $mtus
	r2=$R
	bench_traceroute $mtus
	r3=$R
	row "$name ($(echo $mtus | tr ' ' ','))" "$r1" "$r2" "$r3"
done
echo
echo "pmtud's ms is the daemon's own duration_ms; (wall) is the pmtudctl call."

# --- black holes -------------------------------------------------------

row2() {
	printf '%-35s | %-40s | %-31s | %s\n' "$@"
}

# bench_bh_pmtud MTUS...: pmtud's state, pmtu, the hop it blames, probes,
# its duration_ms and the wall time of the call.
bench_bh_pmtud() {
	bench_path "$@"
	start_daemon "$PMTUD"
	t0=$(now_ms)
	out=$(ctl probe "$SERVER4" -4 --json)
	t1=$(now_ms)
	R="$(printf '%s\n' "$out" | jq -r '"\(.state) \(.pmtu) hop \(.blackhole.hop // "-") / \(.probes_sent) / \(.duration_ms)"') ($((t1 - t0)))"
	topo_down
}

# scamper's trace -M prints "[mtu: N]" per hop, "[*mtu: N]" where it
# inferred the MTU from silence (a black hole): the hop before the first
# "*" is the last that big packets reached, the one to blame.
bench_bh_scamper() {
	bench_path "$@"
	t0=$(now_ms)
	out=$(nsx "$CLIENT" timeout 120 scamper -O text -c "trace -M -w 1" \
	    -i "$SERVER4" 2>&1)
	t1=$(now_ms)
	p=$(printf '%s\n' "$out" | sed -n 's/.*mtu: \([0-9]*\)\].*/\1/p' | tail -1)
	h=$(printf '%s\n' "$out" | awk '/\[\*mtu:/ { print $1 - 1; exit }')
	R="${p:--} hop ${h:--} / $((t1 - t0)) ms"
	topo_down
}

# tracepath reports only MTUs that routers signal; through a black hole
# it sees no reply past the silent router.  -m bounds its search.
bench_bh_tracepath() {
	bench_path "$@"
	t0=$(now_ms)
	out=$(nsx "$CLIENT" timeout 120 stdbuf -oL tracepath -n -4 \
	    -m $(($# + 2)) "$SERVER4" 2>&1)
	t1=$(now_ms)
	p=$(printf '%s\n' "$out" | sed -n 's/.*pmtu \([0-9]*\).*/\1/p' | tail -1)
	last=$(printf '%s\n' "$out" | awk '$2 ~ /^[0-9.]+$/ { h = $1 + 0 } END { print h }')
	R="${p:--}, last reply hop ${last:--} / $((t1 - t0)) ms"
	topo_down
}

echo
echo "Black holes (IPv4): the silent router sends no frag-needed."
echo
row2 "scenario (link MTUs, silent)" "pmtud: result / probes / ms (wall)" \
    "scamper trace -M: pmtu hop / ms" "tracepath"
row2 "-----------------------------------" "----------------------------------------" \
    "-------------------------------" "-------------------------------"
for sc in "bh-hop1:1:1500 1400 1500" "bh-hop3:3:1500 1500 1500 1400"; do
	name=${sc%%:*}
	rest=${sc#*:}
	BH=${rest%%:*}
	mtus=${rest#*:}
	bench_bh_pmtud $mtus
	r1=$R
	bench_bh_scamper $mtus
	r2=$R
	bench_bh_tracepath $mtus
	r3=$R
	row2 "$name ($(echo $mtus | tr ' ' ','), r$BH)" "$r1" "$r2" "$r3"
done
BH=""
echo
echo "pmtud: state, pmtu and the hop it blames; scamper: pmtu and the hop"
echo "before its first inferred (*) MTU; tracepath: its pmtu and the last hop"
echo "that replied.  The right answer: pmtu 1400, the silent router's hop."


# --- slow paths -------------------------------------------------------

echo
PMTUD=$PMTUD PMTUDCTL=$PMTUDCTL sh "$TOP/tests/bench/rtt.sh"

# --- equal-cost paths ---------------------------------------------------

echo
PMTUD=$PMTUD PMTUDCTL=$PMTUDCTL sh "$TOP/tests/bench/multipath.sh"
