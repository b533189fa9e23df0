#!/bin/sh
# SPDX-License-Identifier: ISC
# Limits of the metrics HTTP server.  Idle connections (socat with a
# FIFO on stdin that never ends) from one source address fill that
# address's share (8 by default): the next one from it is turned away
# at once, one from another address is still served, and once the idle
# ones close the address is served again.  A client that sends its
# request one header line a second (evhttp's own timeout starts again
# with every byte) is cut off by the absolute request deadline (10 s),
# long before it has sent 30 lines.  A second daemon with
# metrics-max-clients 3 and metrics-max-clients-per-address 2 holds
# both caps.  Sources are 127.0.0.N, all on the client's loopback.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
command -v curl >/dev/null 2>&1 ||
    die "curl installed" "expected curl in PATH (make deps), got none"

PORT=19799
URL=http://127.0.0.1:$PORT/metrics
topo_line 1500

# Every idle client reads this FIFO, which the test holds open for
# writing and never writes: their stdin never ends.
mkfifo "$T/idle" || die "mkfifo" "expected a FIFO, got failure"
exec 7<>"$T/idle"
HOLDERS=""
ops_atexit 'for p in $HOLDERS; do kill -TERM $p 2>/dev/null; done'

# hold N: an idle connection from 127.0.0.N; its pid is left in HELD.
hold() {
	ip netns exec "$CLIENT" socat -t 1 - \
	    "TCP:127.0.0.1:$PORT,bind=127.0.0.$1" <"$T/idle" >/dev/null 2>&1 &
	HELD=$!
	HOLDERS="$HOLDERS $HELD"
}

# alive PID...: true if every one still runs (its connection is open).
alive() {
	for _p in "$@"; do
		kill -0 "$_p" 2>/dev/null || return 1
	done
}

# get_from N: the HTTP status of GET /metrics from 127.0.0.N (000: no
# reply at all).
get_from() {
	http_get "$URL" --interface "127.0.0.$1"
	echo "$HTTP_CODE"
}

served_from() {
	[ "$(get_from "$1")" = 200 ]
}

# --- the default share of one address, 8 ---------------------------------
write_conf "$T/pmtud.conf" "metrics-listen 127.0.0.1:$PORT"
start_daemon "" --config "$T/pmtud.conf"
check "served before" served_from 1

ONE=""
i=0
while [ $i -lt 8 ]; do
	hold 1
	ONE="$ONE $HELD"
	i=$((i + 1))
done
sleep 1
check "8 idle connections from 127.0.0.1 are open" alive $ONE
assert_eq "a 9th from 127.0.0.1 is turned away" 000 "$(get_from 1)"
check "the 8 are still open" alive $ONE
assert_eq "127.0.0.2 is still served" 200 "$(get_from 2)"
check "log: turned away" \
    log_has "metrics: 8 clients from 127.0.0.1 already; turning one away"
for p in $ONE; do
	kill -TERM "$p" 2>/dev/null
done
check "127.0.0.1 is served again once its idle ones are gone" \
    wait_until 10 served_from 1

# --- a request trickling in: the absolute deadline ------------------------
# One header line a second for up to 30 s; the writer notes each line it
# got out.  The daemon must hang up well before the last.
: >"$T/trickle.sent"
{
	printf 'GET /metrics HTTP/1.1\r\nHost: pmtud\r\n'
	i=0
	while [ $i -lt 30 ]; do
		sleep 1
		printf 'X-Slow-%d: y\r\n' $i || break
		echo $i >>"$T/trickle.sent"
		i=$((i + 1))
	done
} | ip netns exec "$CLIENT" socat -t 1 - \
    "TCP:127.0.0.1:$PORT,bind=127.0.0.3" >"$T/trickle.out" 2>&1 &
TRICKLE=$!
HOLDERS="$HOLDERS $TRICKLE"
trickle_done() {
	! kill -0 "$TRICKLE" 2>/dev/null
}
check "a trickling request is cut off" wait_until 25 trickle_done
sent=$(grep -c . "$T/trickle.sent")
check "cut off before 20 of its 30 lines (sent $sent)" [ "$sent" -lt 20 ]
check "cut off without metrics" sh -c "! grep -q pmtud_ '$T/trickle.out'"
check "log: the slow client" \
    log_has "metrics: 127.0.0.3 took over 10 s to send a request; closing it"
check "still served after it" served_from 3
stop_daemons

# --- configured caps: 3 in all, 2 from one address ------------------------
write_conf "$T/pmtud.conf" "metrics-listen 127.0.0.1:$PORT" \
    "metrics-max-clients 3" "metrics-max-clients-per-address 2"
start_daemon "" --config "$T/pmtud.conf"
hold 1
A1=$HELD
hold 1
A2=$HELD
sleep 1
check "2 idle connections from 127.0.0.1" alive "$A1" "$A2"
assert_eq "a 3rd from 127.0.0.1 is turned away" 000 "$(get_from 1)"
hold 2
B1=$HELD
sleep 1
check "a 3rd connection in all, from 127.0.0.2" alive "$A1" "$A2" "$B1"
assert_eq "a 4th in all, from 127.0.0.4, is turned away" 000 "$(get_from 4)"
check "log: turned away, all taken" \
    log_has "metrics: 3 clients already; turning 127.0.0.4 away"
kill -TERM "$A1" 2>/dev/null
check "127.0.0.4 is served once one is gone" wait_until 10 served_from 4
check "daemon still running" daemon_alive
