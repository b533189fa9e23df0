#!/bin/sh
# SPDX-License-Identifier: ISC
# Out of descriptors.  The daemon runs with RLIMIT_NOFILE 64 (soft and
# hard, so it cannot raise it) and metrics-listen; 100 control clients
# connect at once and stay: the daemon takes what fits, the rest wait in
# the listen backlog, and an HTTP client waits on the metrics socket too.
# Both listeners then have a connection they cannot accept.  Over 3
# seconds of that the daemon must use well under half a core (it pauses
# accepting instead of spinning on the readable socket; the bound is on
# CPU time used, /proc/PID/stat, not on wall-clock time), its log must
# hold a bounded number of accept errors, and once the clients are gone
# a new "pmtudctl status" and a new scrape are answered.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
for c in cc curl; do
	command -v $c >/dev/null 2>&1 ||
	    die "$c installed" "expected $c in PATH (make deps), got none"
done

CC=$T/ctlclient
cc -std=gnu11 -Wall -Wextra -Werror -O2 -o "$CC" \
    "$TOP/tests/integ/ctlclient.c" 2>"$T/cc.err" ||
    die "ctlclient.c compiles" "$(head -5 "$T/cc.err" | tr '\n' ' ')"

NOFILE=64
NCLIENTS=100
PORT=19797
URL=http://127.0.0.1:$PORT/metrics
HZ=$(getconf CLK_TCK)
topo_line 1500

# The daemon behind a shell that lowers the limit and then becomes it.
cat >"$T/lowfd.sh" <<EOS
ulimit -n $NOFILE || exit 1
exec "$PMTUD" "\$@"
EOS
chmod 755 "$T/lowfd.sh"
write_conf "$T/pmtud.conf" "metrics-listen 127.0.0.1:$PORT"
start_daemon "$T/lowfd.sh" --config "$T/pmtud.conf"
PID=$(daemon_pid)
[ -n "$PID" ] || die "daemon pid found" "expected a pmtud process, got none"
assert_eq "the daemon's open file limit (soft hard)" "$NOFILE $NOFILE" \
    "$(awk '/^Max open files/ { print $4, $5 }' "/proc/$PID/limits")"
echo "    descriptors open at start: $(ls "/proc/$PID/fd" | wc -l)"

# One finding (an unroutable address: at once unreachable) for status.
ctl probe 198.19.0.1 -4 --no-walk --json >/dev/null
assert_eq "setup: a finding" 0 "$(ctl_rc)"

BG=""
ops_atexit 'for p in $BG; do kill -TERM $p 2>/dev/null; done'
"$CC" many "$SOCK" "$NCLIENTS" 3 120 >"$T/many.out" 2>&1 &
MANY=$!
BG="$BG $MANY"
check "the clients are connected and holding" \
    wait_until 30 grep -q '^holding' "$T/many.out"
echo "    $(grep -E '^(connected|answered)' "$T/many.out" | tr '\n' ' ')"
fds=$(ls "/proc/$PID/fd" | wc -l)
check "the daemon is at its limit ($fds open)" [ "$fds" -ge $((NOFILE - 2)) ]
ip netns exec "$CLIENT" curl -s --max-time 20 -o "$T/stuck.body" \
    -w '%{http_code}' "$URL" >"$T/stuck.code" 2>/dev/null &
BG="$BG $!"
sleep 0.5

t0=$(proc_cpu_ticks "$PID")
sleep 3
t1=$(proc_cpu_ticks "$PID")
used=$((t1 - t0))
check "CPU over 3 s at the limit: $used ticks of $((3 * HZ)), under half" \
    [ "$used" -lt $((3 * HZ / 2)) ]
n=$(grep -ci 'accept' "$DAEMON_LOG")
check "accept errors logged a bounded number of times ($n lines)" \
    [ "$n" -lt 50 ]
check "log: the control listener pauses" \
    log_has '^control: accept: Too many open files; not accepting for'
check "log: the metrics listener pauses" \
    log_has '^metrics: accept: Too many open files; not accepting for'
check "daemon alive at the limit" daemon_alive

kill -TERM "$MANY" 2>/dev/null
wait "$MANY" 2>/dev/null
st=$(ctl status --json --timeout 10)
assert_eq "after the clients left: pmtudctl status exit status" 0 "$(ctl_rc)"
assert_eq "after the clients left: pmtudctl status answers" \
    "198.19.0.1 unreachable" \
    "$(status_get destination "$st") $(status_get state "$st")"
http_get "$URL"
assert_eq "after the clients left: a scrape is answered" 200 "$HTTP_CODE"
check "daemon still running" daemon_alive
