#!/bin/sh
# SPDX-License-Identifier: ISC
# make bench, slow paths (run.sh runs it last; RTTS="0 50" sh
# tests/bench/rtt.sh runs it alone): pmtud through a hop-1 black hole
# beside scamper (trace -M, as shipped and with -w 1) at round trips of
# 0, 50, 150 and 300 ms, a
# clean path's time in round trips, and what a slow first answer (the
# client's neighbour discovery held 1 s) adds.  IPv4; the round trip is
# made on link 1 by tests/tools/delayline.c (lib.sh path_rtt).  Each
# measurement gets a freshly built path.  Times are the daemon's own
# duration_ms, scamper's the wall time of its command; the figures are
# shown next to the project's targets, never judged by the exit status.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PMTUD=${PMTUD:-$TOP/build/pmtud}
PMTUDCTL=${PMTUDCTL:-$TOP/build/pmtudctl}
CTL_TIMEOUT=${CTL_TIMEOUT:-300}
. "$TOP/tests/integ/lib.sh"

require_netns
require_daemon
require_delayline
command -v scamper >/dev/null 2>&1 ||
    die "scamper installed" "expected scamper in PATH (make deps)"
RTTS=${RTTS:-0 50 150 300}
ND_SLACK=10	# ms a slow first answer may add beyond its own time

# bench_path RTT ND BH MTUS...: the path; ND 1: neighbour discovery
# held ND_MS on link 1 and every neighbour forgotten; BH: the router
# that sends no frag-needed (empty: none).
bench_path() {
	_br=$1 _bn=$2 _bb=$3
	shift 3
	topo_line "$@"
	[ -z "$_bb" ] || router_blackhole "${PREFIX}r$_bb"
	if [ "$_bn" = 1 ]; then
		path_rtt "$_br" 0 --nd-delay "$ND_MS,$((_br / 2))"
		[ "$_br" -gt 0 ] || link_delay 1 0 0 --nd-delay "$ND_MS,0"
	else
		path_rtt "$_br"
	fi
}

# bench_pmtud RTT ND BH MTUS... -- CTL ARGS...: one probe of SERVER4 on
# a fresh path; leaves the JSON in OUT and a short form in R.
bench_pmtud() {
	_a1=$1 _a2=$2 _a3=$3
	shift 3
	_mtus=""
	while [ "$1" != -- ]; do
		_mtus="$_mtus $1"
		shift
	done
	shift
	# shellcheck disable=SC2086  # the MTUs are words
	bench_path "$_a1" "$_a2" "$_a3" $_mtus
	start_daemon "$PMTUD"
	[ "$_a2" = 1 ] && neigh_forget
	OUT=$(ctl probe "$SERVER4" -4 --json --timeout $((CTL_TIMEOUT - 5)) "$@")
	[ -n "$OUT" ] || OUT='{}'
	R=$(printf '%s\n' "$OUT" | jq -r '"\(.state // "-") \(.pmtu // "-") hop \(.blackhole.hop // "-") / \(.probes_sent // "-") / \(.duration_ms // "-")"')
	rtt_path_down
}

# duration: the last bench_pmtud's duration_ms ("" if none).
duration() {
	printf '%s\n' "$OUT" | jq -r '.duration_ms // empty'
}

# bench_scamper RTT [OPTIONS]: scamper trace -M through the hop-1 black
# hole, as shipped (a 5 s wait per probe) or with OPTIONS (-w 1: a
# second); "[*mtu: N]" marks an MTU it inferred from silence, the hop
# before the first such is the one it blames.  Leaves "pmtu hop / ms" in
# R, the ms in SC_MS.
bench_scamper() {
	bench_path "$1" 0 1 1500 1400 1500
	_t0=$(now_ms)
	_out=$(nsx "$CLIENT" timeout 600 scamper -O text -c \
	    "trace -M${2:+ $2}" -i "$SERVER4" 2>&1)
	SC_MS=$(($(now_ms) - _t0))
	_p=$(printf '%s\n' "$_out" | sed -n 's/.*mtu: \([0-9]*\)\].*/\1/p' | tail -1)
	_h=$(printf '%s\n' "$_out" | awk '/\[\*mtu:/ { print $1 - 1; exit }')
	R="${_p:--} hop ${_h:--} / $SC_MS"
	rtt_path_down
}

# in_rtts MS RTT: MS as a number of round trips ("-" at RTT 0).
in_rtts() {
	if [ "$2" -gt 0 ] && [ -n "$1" ]; then
		awk -v m="$1" -v r="$2" 'BEGIN { printf "%.1f", m / r }'
	else
		echo -
	fi
}

# verdict A B: "met" if the shell test A holds (B says what failed).
verdict() {
	if eval "$1"; then
		echo met
	else
		echo "MISSED ($2)"
	fi
}

row() {
	printf '%-5s | %-34s | %-6s | %-31s | %-8s | %-31s | %-8s | %s\n' "$@"
}

echo "Slow paths (IPv4): a hop-1 black hole (links 1500, 1400, 1500; r1"
echo "sends no frag-needed), the round trip made on link 1."
echo
row "rtt" "pmtud: result / probes / ms" "budget" "scamper trace -M: pmtu hop / ms" \
    "speed-up" "scamper trace -M -w 1" "speed-up" \
    "targets: verdict 1400 hop 1, <= 3 s + 10 rtt, >= 10x scamper"
row "-----" "----------------------------------" "------" \
    "-------------------------------" "--------" \
    "-------------------------------" "--------" \
    "------------------------------"
# speedup MS: scamper's SC_MS over MS, as "N.Nx".
speedup() {
	if [ -n "$1" ] && [ "$1" -gt 0 ]; then
		awk -v a="$SC_MS" -v b="$1" 'BEGIN { printf "%.1fx", a / b }'
	else
		echo -
	fi
}
for rtt in $RTTS; do
	bench_pmtud "$rtt" 0 1 1500 1400 1500 --
	p=$R
	ok=$(printf '%s\n' "$OUT" | jq -r \
	    'if .state == "blackhole" and .pmtu == 1400 and .blackhole.hop == 1
	    then "yes" else "no" end')
	ms=$(duration)
	budget=$((3000 + 10 * rtt))
	bench_scamper "$rtt"
	s=$R
	speed=$(speedup "$ms")
	why=""
	[ "$ok" = yes ] || why="wrong verdict"
	[ -n "$ms" ] && [ "$ms" -le $budget ] || why="${why:+$why, }over budget"
	[ -n "$ms" ] && [ $((ms * 10)) -le "$SC_MS" ] ||
	    why="${why:+$why, }under 10x"
	bench_scamper "$rtt" "-w 1"
	s1=$R
	speed1=$(speedup "$ms")
	row "$rtt" "$p" "$budget" "$s" "$speed" "$s1" "$speed1" \
	    "$(verdict '[ -z "$why" ]' "$why")"
done

echo
echo "A clean path (links 1500, 1500), and the same paths behind a slow"
echo "first answer: every neighbour forgotten, the client's ARP requests held"
echo "${ND_MS} ms on link 1 (lib.sh nd_path)."
echo
row2() {
	printf '%-5s | %-24s | %-24s | %-10s | %-22s | %-22s | %s\n' "$@"
}
row2 "rtt" "clean, --no-walk: ms" "clean, walk: ms" "<= 2 rtt" \
    "slow first: ms (+ms)" "bh slow first: ms (+ms)" \
    "target: adds <= ${ND_MS} + rtt/2 + ${ND_SLACK} ms"
row2 "-----" "------------------------" "------------------------" \
    "----------" "----------------------" "----------------------" \
    "------------------"
for rtt in $RTTS; do
	bench_pmtud "$rtt" 0 "" 1500 1500 -- --no-walk
	c1=$(duration)
	c1p=$(json_get probes_sent "$OUT")
	bench_pmtud "$rtt" 0 "" 1500 1500 --
	c2=$(duration)
	c2p=$(json_get probes_sent "$OUT")
	bench_pmtud "$rtt" 1 "" 1500 1500 -- --no-walk
	n1=$(duration)
	# The black hole without the wait, for the difference.
	bench_pmtud "$rtt" 0 1 1500 1400 1500 --
	b0=$(duration)
	bench_pmtud "$rtt" 1 1 1500 1400 1500 --
	b1=$(duration)
	bres=$(printf '%s\n' "$OUT" | jq -r '"\(.state) \(.pmtu) hop \(.blackhole.hop // "-")"')
	# The resolution's own time: the request held, the answer one way,
	# and a few ms of timer slack.
	own=$((ND_MS + rtt / 2 + ND_SLACK))
	why=""
	add1=$((${n1:-0} - ${c1:-0}))
	addb=$((${b1:-0} - ${b0:-0}))
	[ $add1 -le $own ] || why="slow first adds $add1 > $own ms"
	[ $addb -le $own ] || why="${why:+$why, }bh slow first adds $addb > $own ms"
	[ "$bres" = "blackhole 1400 hop 1" ] || why="${why:+$why, }bh verdict $bres"
	row2 "$rtt" "${c1:--} ($(in_rtts "$c1" "$rtt") rtt, $c1p pr)" \
	    "${c2:--} ($(in_rtts "$c2" "$rtt") rtt, $c2p pr)" \
	    "$(verdict '[ "$rtt" -eq 0 ] || [ "${c1:-999999}" -le $((2 * rtt)) ]' over)" \
	    "${n1:--} (+$add1)" "${b1:--} (+$addb)" \
	    "$(verdict '[ -z "$why" ]' "$why")"
done
echo
echo "ms: pmtud's duration_ms (a black hole's includes the walk that"
echo "locates it); scamper: wall time of trace -M as shipped (5 s wait per"
echo "probe), and told to wait 1 s (-w 1).  Slow first (+ms):"
echo "its time and what it adds to the same search without the wait (bh: to"
echo "the hop-1 black hole's).  Targets: a clean search within 2 round trips,"
echo "the black hole right to the byte and hop within 3 s + 10 round trips"
echo "and at least 10 times faster than scamper trace -M, a slow first answer adding"
echo "no more than its own time: ${ND_MS} ms held, the answer's way back"
echo "(rtt / 2) and ${ND_SLACK} ms of slack."
