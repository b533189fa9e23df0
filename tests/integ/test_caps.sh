#!/bin/sh
# SPDX-License-Identifier: ISC
# Bounded work per client.  Probes on demand run at most 128 at once and
# 32 per user; more get a "busy" error, not a queue.  A user has at most
# 256 connections and 16 of them watching, and root always has room.
# Findings of destinations only probed on demand are kept, but at most
# 1024 of them (the oldest go), and they page nobody: a flood of probes
# of unroutable addresses makes no alert events and no state file
# without end.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
command -v setpriv >/dev/null 2>&1 ||
    die "setpriv installed" "expected setpriv (util-linux) in PATH, got none"
command -v cc >/dev/null 2>&1 ||
    die "cc installed" "expected a C compiler for capclient.c, got none"
CAP=$T/capclient
cc -O2 -o "$CAP" "$TOP/tests/integ/capclient.c" 2>"$T/cc.err" ||
    die "capclient.c compiles" "$(head -5 "$T/cc.err" | tr '\n' ' ')"
chmod 755 "$CAP"

GRP=pmtg$$
UA=pmta$$
UB=pmtb$$
group_add "$GRP"
user_add "$UA" -G "$GRP"
user_add "$UB" -G "$GRP"

topo_line 1500 1500
server_silent
# Nothing is routed to 198.19.0.0/16 from the client: no route at all.
nsx "$CLIENT" ip route add unreachable 198.19.0.0/16
write_conf "$T/pmtud.conf" "socket-group $GRP" "max-pps 10000"
start_daemon "" --config "$T/pmtud.conf"

# capclient_as USER OUT MODE ARGS...: in the background, as USER.
capclient_as() {
	_cu=$1 _co=$2
	shift 2
	setpriv --reuid="$_cu" --regid="$(id -g "$_cu")" --init-groups \
	    --inh-caps=-all "$CAP" "$@" >"$_co" 2>&1 &
	CAP_PID=$!
}

# counts FILE: its "ok O busy B other X closed C" line, once printed.
counts() {
	wait_until 30 grep -qs "^ok " "$1"
	grep '^ok ' "$1" | head -1
}

# --- probes on demand ------------------------------------------------------

# The server answers nothing: each probe runs for seconds.
capclient_as "$UA" "$T/ua.out" probes "$SOCK" 40 "$SERVER4" 3
PA=$CAP_PID
assert_eq "$UA: 40 probes at once, 32 run, 8 are busy" \
    "ok 0 busy 8 other 0 closed 0" "$(counts "$T/ua.out")"
capclient_as "$UB" "$T/ub.out" probes "$SOCK" 10 "$SERVER4" 3
PB=$CAP_PID
assert_eq "$UB: another user still gets its probes" \
    "ok 0 busy 0 other 0 closed 0" "$(counts "$T/ub.out")"
out=$(ctl_as "$UA" probe "$SERVER4" -4 --no-walk --json)
assert_eq "$UA: one more probe: exit status" 1 "$(ctl_rc)"
assert_match "$UA: one more probe: says busy and why" \
    "busy.*uid [0-9]+ has 32 probes running" "$(cat "$T/ctl_as.err")"
kill "$PA" "$PB" 2>/dev/null
wait "$PA" "$PB" 2>/dev/null
# Their clients gone, the probes still finish; then there is room again.
room() {
	CAP_HOLD=0 setpriv --reuid="$UA" --regid="$(id -g "$UA")" \
	    --init-groups --inh-caps=-all "$CAP" probes "$SOCK" 32 "$SERVER4" 1 |
	    grep -q '^ok 0 busy 0 '
}
check "once the probes end, $UA has room for 32 again" wait_until 90 room

# --- connections and watchers -------------------------------------------------

capclient_as "$UA" "$T/conns.out" conns "$SOCK" 300 10
PC=$CAP_PID
set -- $(counts "$T/conns.out")
check "$UA: 300 connections: at least 40 turned away busy ($*)" \
    [ "$4" -ge 40 ]
check "$UA: at most 256 answered ($2)" [ "$2" -le 256 ]
check "$UA: at least 250 answered ($2)" [ "$2" -ge 250 ]
check "$UA: the busy ones were closed ($4 busy, $8 closed)" [ "$4" -eq "$8" ]
check "root still gets in" ctl version
kill "$PC" 2>/dev/null
wait "$PC" 2>/dev/null

capclient_as "$UA" "$T/watch.out" watchers "$SOCK" 20 3
PW=$CAP_PID
assert_eq "$UA: 20 watchers asked, 16 watch, 4 are busy" \
    "ok 16 busy 4 other 0 closed 0" "$(counts "$T/watch.out")"
out=$(echo '{"cmd":"watch"}' | timeout 5 socat -t 1 - "UNIX-CONNECT:$SOCK")
assert_match "root may still watch" '"watching":true' "$out"
kill "$PW" 2>/dev/null
wait "$PW" 2>/dev/null

# --- findings of on-demand destinations are bounded ---------------------------

ev=$T/events
(echo '{"cmd":"watch"}'; sleep 120) |
    timeout 130 socat -t 1 - "UNIX-CONNECT:$SOCK" >"$ev" 2>/dev/null &
WPID=$!
wait_until 5 grep -q watching "$ev" || fail "a watcher" "expected watching"
capclient_as "$UA" "$T/serial.out" serial "$SOCK" 1400 198.19
PS=$CAP_PID
wait_until 240 grep -qs '^ok ' "$T/serial.out" ||
    fail "1400 probes of unroutable addresses end" "expected a count"
wait "$PS" 2>/dev/null
assert_eq "1400 probes of unroutable addresses: all answered" \
    "ok 1400 busy 0 other 0 closed 0" "$(grep '^ok ' "$T/serial.out")"
listing '{"cmd":"status","family":4}'
n=$(printf '%s\n' "$LISTING" | grep -c '"destination":"198\.19\.')
check "at most 1280 of their findings kept (got $n)" [ "$n" -le 1280 ]
check "at least 1024 of their findings kept (got $n)" [ "$n" -ge 1024 ]
check "the newest is kept" has_finding 198.19.5.150 4
assert_eq "no alert event for any of them" 0 \
    "$(grep -c '"event"' "$ev")"
check "the log says findings were forgotten" \
    log_has "forgot [0-9]+ findings of destinations only probed on demand"
kill "$WPID" 2>/dev/null
wait "$WPID" 2>/dev/null
daemon_stop
n=$(jq '.results | length' "$STATE" 2>/dev/null)
check "the state file stays bounded (got $n results)" [ "${n:-99999}" -le 1281 ]
