#!/bin/sh
# SPDX-License-Identifier: ISC
# Scale benchmark: how pmtud (the release build, build/pmtud) copes with a
# fleet of configured destinations.
#
#   sh tests/bench/scale.sh                 1,000 and 10,000 (walk no),
#                                           then 1,000 with walk yes
#   SCALE_100K=1 sh tests/bench/scale.sh    also 100,000 (walk no); a
#                                           configuration file may hold at
#                                           most 1 MiB (about 30,000 such
#                                           lines), so that run now ends in
#                                           a rejected reload (reported)
#   SCALE_N="500 2000" SCALE_WALK_N= ...    other fleet sizes, no walk run
#   SCALE_PPS=5000 (max-pps), SCALE_TIMEOUT (s, per run; default 300 + N / 100)
#
# Path: client --1500-- r1 --1400-- server.  The server answers a whole
# range on its loopback (ip route add local 198.19.0.0/16 dev lo, and
# 2001:db8:ff00::/64 for fleets beyond 65,534), so every destination is a
# different address behind the narrow link and needs a real search (too
# big at 1500, then 1400).  r1's ICMP rate limit is lifted so that walks
# (TTL-exceeded from r1) are limited by pmtud, not by the router.
#
# Each run starts a fresh daemon with no destinations, reads its RSS and
# CPU time, then a SIGHUP loads a configuration of N destinations
# (interval 1h, max-pps SCALE_PPS).  The run ends when the state file
# holds a finding for each of them; wall time runs from the SIGHUP to the
# newest updated_at.  The daemon's own state saving (coalesced, about once
# a second while findings come in) is part of the cost measured.
#   memory per destination = (RSS after - RSS before) / N
#   CPU per probe = (utime + stime after - before) / sum of probes_sent
# Nothing here is asserted: the numbers are printed.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PMTUD=${PMTUD:-$TOP/build/pmtud}
PMTUDCTL=${PMTUDCTL:-$TOP/build/pmtudctl}
. "$TOP/tests/integ/lib.sh"

SCALE_N=${SCALE_N-1000 10000}
[ -n "${SCALE_100K:-}" ] && SCALE_N="$SCALE_N 100000"
SCALE_WALK_N=${SCALE_WALK_N-1000}
SCALE_PPS=${SCALE_PPS:-5000}
HZ=$(getconf CLK_TCK)

require_netns
require_daemon
for n in $SCALE_N $SCALE_WALK_N; do
	[ "$n" -ge 1 ] && [ "$n" -le 131068 ] 2>/dev/null ||
	    die "fleet size $n" "expected 1 to 131068 destinations"
done

topo_line 1500 1400
R1=$ROUTERS
ip -n "$SERVER" route add local 198.19.0.0/16 dev lo
ip -n "$SERVER" -6 route add local 2001:db8:ff00::/64 dev lo
ip -n "$CLIENT" route add 198.19.0.0/16 via 198.18.1.2
ip -n "$R1" route add 198.19.0.0/16 via 198.18.2.2
nsx "$R1" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_ratemask=0 \
    net.ipv6.icmp.ratelimit=0 >/dev/null
for a in 198.19.0.1 198.19.255.254 2001:db8:ff00::1; do
	nsx "$CLIENT" ping -n -q -c 1 -W 2 "$a" >/dev/null 2>&1 ||
	    die "fleet address $a answers" "expected a ping answer, got none"
done

# fleet_conf FILE N WALK: N destinations, 198.19.0.1 upward, then v6.
fleet_conf() {
	awk -v n="$2" -v walk="$3" -v pps="$SCALE_PPS" 'BEGIN {
		print "interval 1h"
		print "max-pps " pps
		for (i = 0; i < n; i++) {
			if (i < 65534) {
				j = i + 1
				printf "destination 198.19.%d.%d walk %s\n",
				    int(j / 256), j % 256, walk
			} else
				printf "destination 2001:db8:ff00::%x walk %s\n",
				    i - 65534 + 1, walk
		}
	}' >"$1"
}

# saved_count: findings in the state file (one result a line).
saved_count() {
	_sc=$(grep -c '"updated_at"' "$STATE" 2>/dev/null)
	echo "${_sc:-0}"
}

# rfc3339_ms TIME: milliseconds since the epoch.
rfc3339_ms() {
	date -d "$1" +%s%3N
}

# run_fleet N WALK: one measured run; appends a row to $T/rows.
run_fleet() {
	_n=$1 _walk=$2
	_conf=$T/fleet.conf
	_timeout=${SCALE_TIMEOUT:-$((300 + _n / 100))}
	ip -n "$CLIENT" route flush cache 2>/dev/null
	ip -n "$CLIENT" -6 route flush cache 2>/dev/null
	rm -f "$STATE"
	write_conf "$_conf" "interval 1h" "max-pps $SCALE_PPS"
	start_daemon "$PMTUD" --config "$_conf"
	_pid=$(daemon_pid)
	[ -n "$_pid" ] || die "daemon pid ($_n)" "expected one, got none"
	sleep 1
	_rss0=$(proc_rss_kb "$_pid")
	fleet_conf "$_conf" "$_n" "$_walk"
	_cpu0=$(proc_cpu_ticks "$_pid")
	_t0=$(now_ms)
	daemon_signal HUP
	# The configuration must be taken before anything can be found.
	wait_until 120 log_has "reloaded $_conf|reload rejected"
	if ! log_has "reloaded $_conf: $_n destinations"; then
		fail "$_n destinations (walk $_walk) configured" \
		    "expected them loaded, got: $(grep -E 'reload' \
		    "$DAEMON_LOG" | tail -1)"
		daemon_stop
		return 1
	fi
	_i=0
	while _sc=$(saved_count) && [ "${_sc:-0}" -lt "$_n" ]; do
		if [ $_i -ge $((_timeout * 2)) ]; then
			fail "$_n destinations (walk $_walk) found" \
			    "expected $_n within ${_timeout} s, got $(saved_count)"
			daemon_stop
			return 1
		fi
		sleep 0.5
		_i=$((_i + 1))
	done
	_cpu1=$(proc_cpu_ticks "$_pid")
	_rss1=$(proc_rss_kb "$_pid")
	_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$_pid/status")
	_last=$(jq -r '[.results[].updated_at] | max' "$STATE")
	_wall=$(($(rfc3339_ms "$_last") - _t0))
	# Every finding, through the control socket (after the CPU reading).
	printf '{"cmd":"status"}\n' |
	    timeout 300 socat -t 120 - "UNIX-CONNECT:$SOCK" >"$T/list.json"
	set -- $(jq -r 'select(.result) | .result |
	    "\(.state) \(.pmtu) \(.probes_sent)"' "$T/list.json" |
	    awk '{ n++; p += $3; if ($1 == "ok" && $2 == 1400) ok++ }
	    END { printf "%d %d %d\n", n, ok, p }')
	_found=$1 _ok=$2 _probes=$3
	_end=$(jq -r 'select(.end) | .count' "$T/list.json")
	daemon_stop
	assert_eq "$_n (walk $_walk): listing count" "$_n" "$_end"
	assert_eq "$_n (walk $_walk): every finding ok at 1400" "$_n" "$_ok"
	assert_eq "$_n (walk $_walk): daemon exit status" 0 "$DAEMON_RC"
	awk -v n="$_n" -v walk="$_walk" -v wall="$_wall" -v ok="$_ok" \
	    -v probes="$_probes" -v rss0="$_rss0" -v rss1="$_rss1" \
	    -v hwm="$_hwm" -v cpu="$((_cpu1 - _cpu0))" -v hz="$HZ" 'BEGIN {
		printf "%7d  %-4s  %8.1f  %7d  %8d  %6.2f  %8.1f  %8.1f  %8.1f  %9.0f  %7.2f  %8.1f\n",
		    n, walk, wall / 1000, ok, probes, probes / n,
		    rss0 / 1024, rss1 / 1024, hwm / 1024,
		    (rss1 - rss0) * 1024 / n, cpu / hz,
		    (probes > 0 ? cpu / hz * 1e6 / probes : 0)
	}' >>"$T/rows"
}

: >"$T/rows"
for n in $SCALE_N; do
	run_fleet "$n" no
done
for n in $SCALE_WALK_N; do
	run_fleet "$n" yes
done

echo
echo "pmtud scale benchmark: release build, max-pps $SCALE_PPS, interval 1h,"
echo "path client --1500-- r1 --1400-- server, $(nproc) CPUs, kernel $(uname -r)"
echo
printf '%7s  %-4s  %8s  %7s  %8s  %6s  %8s  %8s  %8s  %9s  %7s  %8s\n' \
    dests walk "wall s" "ok 1400" probes "p/dest" "RSS0 MB" "RSS1 MB" \
    "HWM MB" "B/dest" "CPU s" "us/probe"
cat "$T/rows"
echo
echo "wall: SIGHUP with the fleet's configuration to the newest finding;"
echo "the first probes are spread over min(N x 8 / max-pps s, 60 s) by design."
echo "B/dest: (RSS after - RSS before) / N.  us/probe: the daemon's CPU"
echo "time (user + system, state file saves included) / probes sent."
