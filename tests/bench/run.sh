#!/bin/sh
# make bench: pmtud against tracepath and traceroute --mtu on the same
# namespace paths (IPv4).  Each tool gets a freshly built path so none
# profits from the PMTU another one taught the client's kernel.  Times are
# wall clock around the one command, from date +%s%N; they are shown, not
# judged.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PMTUD=${PMTUD:-$TOP/build/pmtud}
PMTUDCTL=${PMTUDCTL:-$TOP/build/pmtudctl}
. "$TOP/tests/integ/lib.sh"

require_netns
require_daemon
for c in tracepath traceroute; do
	command -v $c >/dev/null 2>&1 ||
	    die "$c installed" "expected $c in PATH (make deps)"
done

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Each bench_* builds the path, measures, tears it down and leaves its
# findings in R (not printed: a $(...) subshell would lose the cleanup).

# bench_pmtud MTUS...: "pmtu probes ms wall" (the daemon's own
# duration_ms and the wall time of the pmtudctl call).
bench_pmtud() {
	topo_line "$@"
	start_daemon "$PMTUD"
	t0=$(now_ms)
	out=$(ctl probe "$SERVER4" -4 --json)
	t1=$(now_ms)
	R="$(json_get pmtu "$out") / $(json_get probes_sent "$out") / $(json_get duration_ms "$out") ($((t1 - t0)))"
	topo_down
}

bench_tracepath() {
	topo_line "$@"
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
	topo_line "$@"
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
