#!/bin/sh
# SPDX-License-Identifier: ISC
# Hostile and careless control clients: garbage, binary data, NUL bytes,
# truncated and deeply nested JSON, a 10 MiB line, a client that says
# nothing, one that asks 1000 times and never reads, one that asks
# without end and never reads, 1000 and then 4200 clients at once.  The
# daemon answers or drops each one cleanly, keeps serving the others,
# and its memory stays bounded.  Idle clients go after 60 s, clients that
# take no output after 30 s (daemon/control.c); the waits here are
# bounds, never assertions on time.  Memory (VmRSS) is measured on a
# second daemon of the plain build beside the sanitizer one.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
command -v cc >/dev/null 2>&1 ||
    die "cc installed" "expected a C compiler for ctlclient.c, got none"

CC=$T/ctlclient
cc -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
    -Wmissing-prototypes -O2 -o "$CC" \
    "$TOP/tests/integ/ctlclient.c" 2>"$T/cc.err" ||
    die "ctlclient.c compiles" "$(head -5 "$T/cc.err" | tr '\n' ' ')"

RSS_BOUND_KB=$((50 * 1024))

topo_line 1500 1400
# --verbose: the log says why a client was dropped.
start_daemon "" --verbose
PID=$(daemon_pid)
[ -n "$PID" ] || die "daemon pid found" "expected a pmtud process, got none"
# A finding, so status requests have something sizeable to answer.
out=$(ctl probe "$SERVER4" -4 --json)
assert_eq "setup: probe pmtu" 1400 "$(json_get pmtu "$out")"
STATUS_REQ="{\"cmd\":\"status\",\"destination\":\"$SERVER4\",\"family\":4}"

# served NAME: a fresh client gets its version request answered.
served() {
	_r=$(send_raw "{\"id\":\"$1\",\"cmd\":\"version\"}")
	assert_eq "$1: another client is served" "\"$1\" true 0.1.0" \
	    "$(printf '%s\n' "$_r" | jq -r '"\"" + .id + "\" " +
	    (.ok | tostring) + " " + .result.version' 2>/dev/null)"
}

# Clients that wait for the daemon's timeouts run in the background
# while the rest goes on.  BG_PIDS are ended at exit.
BG_PIDS=""
ops_atexit 'for p in $BG_PIDS; do kill -TERM $p 2>/dev/null; done'

# Says nothing: dropped after the idle timeout (60 s), within 75 s.
"$CC" silent "$SOCK" 75 >"$T/silent.out" 2>&1 &
SILENT=$!
BG_PIDS="$BG_PIDS $SILENT"
# Asks 1000 times and never reads: dropped once its output has not
# moved for 30 s; 45 s is the bound.
"$CC" slow "$SOCK" 1000 "$STATUS_REQ" 45 >"$T/slow.out" 2>&1 &
SLOW=$!
BG_PIDS="$BG_PIDS $SLOW"

# --- bad input on one connection -------------------------------------------

# lines FILE: each line's reply; leaves them in REPLIES.
lines() {
	REPLIES=$(timeout -k 2 20 socat -t 5 - "UNIX-CONNECT:$SOCK" <"$1" \
	    2>/dev/null)
}

# codes: the error codes in REPLIES, one per line ("ok" for a success).
codes() {
	printf '%s\n' "$REPLIES" | jq -r \
	    'if .ok then "ok" else .error.code end' 2>/dev/null |
	    tr '\n' ' ' | sed 's/ $//'
}

printf '%s\n' 'garbage' 'GET / HTTP/1.0' '{"id":1,"cmd":' '{"id":2,' \
    '{"cmd":"version"' '"cmd"' '}' '{"id":3,"cmd":"version"}' >"$T/bad"
lines "$T/bad"
assert_eq "garbage and truncated JSON: one reply a line, in order" \
    "bad_json bad_json bad_json bad_json bad_json bad_request bad_json ok" \
    "$(codes)"
assert_eq "garbage: the connection still serves a good request after" 3 \
    "$(printf '%s\n' "$REPLIES" | tail -1 | jq -r .id 2>/dev/null)"

# NUL bytes anywhere: refused, never read as a shorter request.
printf '{"id":1,"cmd":"version"}\000\n{"cmd":"ver\000sion"}\n\000\n{"id":4,\000"cmd":"version"}\n{"id":5,"cmd":"version"}\n' \
    >"$T/nul"
lines "$T/nul"
assert_eq "NUL bytes: each such line refused as bad_json" \
    "bad_json bad_json bad_json bad_json ok" "$(codes)"

# Binary data: every line of it answered with an error, none taken.
head -c 200000 /dev/urandom >"$T/bin"
echo >>"$T/bin"
nl=$(tr -cd '\n' <"$T/bin" | wc -c)
lines "$T/bin"
assert_eq "binary: one reply per line ($nl lines)" "$nl" \
    "$(printf '%s\n' "$REPLIES" | grep -c .)"
assert_eq "binary: every reply an error (bad_json, or bad_request for a bare scalar)" \
    0 "$(printf '%s\n' "$REPLIES" | jq -r \
    'select(.ok != false or (.error.code | IN("bad_json", "bad_request") | not))' \
    2>/dev/null | grep -c .)"
assert_eq "binary: every reply is JSON" "$nl" \
    "$(printf '%s\n' "$REPLIES" | jq -c . 2>/dev/null | grep -c .)"
served "after binary data"

# Deep nesting: past jansson's depth limit it is bad JSON; within it the
# id is echoed exactly as given.
{ head -c 60000 /dev/zero | tr '\0' '['; echo; } >"$T/deep"
lines "$T/deep"
assert_eq "60000 [ deep: bad_json" bad_json "$(codes)"
{
	printf '{"cmd":"version","id":'
	head -c 3000 /dev/zero | tr '\0' '['
	printf 1
	head -c 3000 /dev/zero | tr '\0' ']'
	echo '}'
} >"$T/deep"
lines "$T/deep"
assert_eq "id 3000 deep: bad_json" bad_json "$(codes)"
deep=$(head -c 1000 /dev/zero | tr '\0' '[')1$(head -c 1000 /dev/zero |
    tr '\0' ']')
printf '{"id":7,"cmd":"version","extra":%s}\n' "$deep" >"$T/deep"
lines "$T/deep"
assert_eq "a member 1000 deep (within the limit): answered" \
    '{"id":7,"ok":true,"result":{"version":"0.1.0"}}' "$REPLIES"
{ head -c 100000 /dev/zero | tr '\0' '['; echo; } >"$T/deep"
lines "$T/deep"
assert_eq "100000 [ deep (over 64 KiB): closed without a reply" "" \
    "$REPLIES"
served "after deep nesting"

# A 10 MiB line: the connection is closed early (socat is not left
# waiting for the timeout), nothing is answered, the daemon goes on.
{ printf '{"id":1,"cmd":"status","destination":"'
  head -c 10485760 /dev/zero | tr '\0' x; printf '"}\n'
  printf '{"id":2,"cmd":"version"}\n'; } >"$T/huge"
timeout -k 2 30 socat -t 5 - "UNIX-CONNECT:$SOCK" <"$T/huge" \
    >"$T/huge.out" 2>/dev/null
rc=$?
check "10 MiB line: socat ends before its 30 s bound (rc $rc)" [ "$rc" -ne 124 ]
assert_eq "10 MiB line: nothing answered" 0 "$(grep -c . "$T/huge.out")"
check "10 MiB line: the log says why it was closed" \
    log_has "client sent a line over 65536 bytes; closing it"
check "daemon alive after the 10 MiB line" daemon_alive
served "after the 10 MiB line"

# Not dropped for a short silence: asks after 5 s, is answered.
r=$( (sleep 5; echo '{"id":77,"cmd":"version"}') |
    timeout -k 2 20 socat -t 5 - "UNIX-CONNECT:$SOCK" 2>/dev/null)
assert_eq "a client that asks after 5 s of silence is answered" 77 \
    "$(json_get id "$r")"

# --- many clients at once ----------------------------------------------------

# Memory is measured on a second daemon from the plain build (build/pmtud)
# beside the sanitizer one: ASan's quarantine and redzones would swamp
# what the daemon itself keeps.  It serves its own socket.
PLAIN=${PMTUD_PLAIN:-$TOP/build/pmtud}
[ -x "$PLAIN" ] ||
    die "binary pmtud (plain build) built" "expected $PLAIN, got none"
mkdir "$T/plain"
chmod 755 "$T/plain"
PSOCK=$T/plain/run/pmtud.sock
ip netns exec "$CLIENT" "$PLAIN" --foreground --socket "$PSOCK" \
    --state "$T/plain/state/state.json" >"$T/plain.log" 2>&1 </dev/null &
PLAIN_PID=$!
DAEMON_PIDS="$DAEMON_PIDS $PLAIN_PID"

# on SOCKET COMMAND...: runs COMMAND against that daemon's socket.
on() {
	_on_s=$SOCK
	SOCK=$1
	shift
	"$@"
	_on_rc=$?
	SOCK=$_on_s
	return $_on_rc
}
plain_up() {
	[ "$(on "$PSOCK" send_raw '{"cmd":"version"}' | json_get ok)" = true ]
}
wait_until 10 plain_up ||
    die "plain daemon answers" "expected a reply within 10 s, got $(tail -3 "$T/plain.log")"
[ "$(cat "/proc/$PLAIN_PID/comm" 2>/dev/null)" = pmtud ] ||
    die "plain daemon pid" "expected pmtud at $PLAIN_PID, got $(cat "/proc/$PLAIN_PID/comm" 2>/dev/null)"
out=$(on "$PSOCK" ctl probe "$SERVER4" -4 --json)
assert_eq "plain daemon: probe pmtu" 1400 "$(json_get pmtu "$out")"
PRSS0=$(proc_rss_kb "$PLAIN_PID")
echo "    plain daemon RSS at start: $PRSS0 kB"

# many SOCKET N NAME: N clients at once on that socket, held open while
# one more client tries; leaves the counts in M_*, what the one more
# client got in M_EXTRA, the plain daemon's RSS while held in RSS_HELD.
many() {
	_ms=$1 _mn=$3
	"$CC" many "$_ms" "$2" 20 30 >"$T/many.$_mn" 2>"$T/many.$_mn.err" &
	_mp=$!
	BG_PIDS="$BG_PIDS $_mp"
	wait_until 60 grep -q '^holding' "$T/many.$_mn" ||
	    fail "$_mn: the clients finish" "expected 'holding', got $(cat "$T/many.$_mn")"
	RSS_HELD=$(proc_rss_kb "$PLAIN_PID")
	M_EXTRA=$(on "$_ms" send_raw '{"id":99,"cmd":"version"}' | json_get id)
	kill -TERM "$_mp" 2>/dev/null
	wait "$_mp"
	set -- $(grep '^answered' "$T/many.$_mn") x x x x x x x x
	M_ANSWERED=$2 M_CLOSED=$4 M_PENDING=$6 M_WRONG=$8
	echo "    $_mn: $(tr '\n' ' ' <"$T/many.$_mn")one more got id $M_EXTRA; plain RSS $RSS_HELD kB"
	[ -s "$T/many.$_mn.err" ] && head -5 "$T/many.$_mn.err" | sed 's/^/    | /'
	return 0
}

for d in san plain; do
	if [ $d = san ]; then s=$SOCK; else s=$PSOCK; fi
	many "$s" 1000 "$d: 1000 clients"
	assert_eq "$d: 1000 clients: all connected" "connected 1000 refused 0" \
	    "$(head -1 "$T/many.$d: 1000 clients")"
	assert_eq "$d: 1000 clients: all answered, each with its own id" \
	    "1000 0 0 0" "$M_ANSWERED $M_CLOSED $M_PENDING $M_WRONG"
	assert_eq "$d: 1000 clients: one more is served meanwhile" 99 "$M_EXTRA"
	[ $d = plain ] &&
	    check "plain: 1000 clients: RSS within 50 MiB of the start ($RSS_HELD kB, from $PRSS0)" \
	    [ $((RSS_HELD - PRSS0)) -le $RSS_BOUND_KB ]

	# More than the daemon takes: the rest are turned away at the door
	# (told "busy", then closed), the others answered.  The test is
	# root, who has 64 places more than the 4096 anyone shares, so that
	# no user can lock root out.  On the sanitizer daemon the two
	# background clients hold a place each (the slow one may be gone).
	many "$s" 4200 "$d: 4200 clients"
	if [ $d = san ]; then
		check "san: 4200 clients: 4158 or 4159 answered ($M_ANSWERED)" \
		    [ "$M_ANSWERED" -ge 4158 -a "$M_ANSWERED" -le 4159 ]
	else
		assert_eq "plain: 4200 clients: 4160 answered" 4160 "$M_ANSWERED"
		check "plain: 4200 clients: RSS within 50 MiB of the start ($RSS_HELD kB, from $PRSS0)" \
		    [ $((RSS_HELD - PRSS0)) -le $RSS_BOUND_KB ]
	fi
	assert_eq "$d: 4200 clients: the rest closed, none left hanging or mixed up" \
	    "4200 0 0" "$((M_ANSWERED + M_CLOSED)) $M_PENDING $M_WRONG"
	# It may read the "busy" (id null) before the daemon closes, or not.
	check "$d: 4200 clients: one more is turned away at the door (got id '$M_EXTRA')" \
	    [ "$M_EXTRA" = null -o -z "$M_EXTRA" ]
	# Their places are free again.
	many "$s" 1000 "$d: 1000 clients again"
	assert_eq "$d: 1000 clients again: all answered (no place leaked)" \
	    "1000 0 0 0" "$M_ANSWERED $M_CLOSED $M_PENDING $M_WRONG"
	assert_eq "$d: 1000 clients again: one more is served meanwhile" 99 \
	    "$M_EXTRA"
done
check "san: the log says some were turned away" \
    log_has "4096 clients already; turning a client away"
check "plain: the log says some were turned away" \
    grep -q "4096 clients already; turning a client away" "$T/plain.log"
check "daemon alive after the crowds" daemon_alive
check "plain daemon alive after the crowds" kill -0 "$PLAIN_PID"

# --- never reads, never stops asking (plain daemon) ---------------------------

# Its requests keep coming, so it is not idle; its output never moves,
# so it is stalled.  Memory must stay bounded and it must be dropped.
RSS1=$(proc_rss_kb "$PLAIN_PID")
"$CC" greedy "$PSOCK" "$STATUS_REQ" 45 >"$T/greedy.out" 2>&1 &
GREEDY=$!
BG_PIDS="$BG_PIDS $GREEDY"
rss_max=$RSS1
i=0
while kill -0 "$GREEDY" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 1
	r=$(proc_rss_kb "$PLAIN_PID")
	[ -n "$r" ] && [ "$r" -gt "$rss_max" ] && rss_max=$r
	i=$((i + 1))
	# Far past the bound: stop it rather than let the machine swap.
	if [ $((rss_max - RSS1)) -gt $((4 * RSS_BOUND_KB)) ]; then
		echo "    greedy client stopped after $i s: the daemon's RSS grew by $((rss_max - RSS1)) kB"
		kill -TERM "$GREEDY" 2>/dev/null
		break
	fi
	# Others are served throughout: every 10 s, one.
	[ $((i % 10)) -eq 5 ] && on "$PSOCK" served "plain: while a client never reads ($i s)"
done
wait "$GREEDY"
echo "    greedy client: $(tail -2 "$T/greedy.out" | tr '\n' ' ')plain RSS max $rss_max kB (from $RSS1)"
assert_match "plain: a client that asks without end and never reads is dropped within 45 s" \
    '^closed' "$(tail -1 "$T/greedy.out")"
check "plain: the daemon's RSS stays within 50 MiB meanwhile (max $rss_max kB, from $RSS1)" \
    [ $((rss_max - RSS1)) -le $RSS_BOUND_KB ]
check "plain daemon alive after the greedy client" kill -0 "$PLAIN_PID"
PRSS2=$(proc_rss_kb "$PLAIN_PID")
check "plain: RSS at the end within 50 MiB of the start ($PRSS2 kB, from $PRSS0)" \
    [ $((PRSS2 - PRSS0)) -le $RSS_BOUND_KB ]
on "$PSOCK" served "plain: at the end"

# --- the background clients ---------------------------------------------------

wait "$SLOW"
echo "    slow client: $(tr '\n' ' ' <"$T/slow.out")"
# The daemon stops reading a client whose replies pile up, so a client
# that never reads cannot even send all 1000: its sends block.
assert_match "slow client: sent requests until the daemon stopped reading" \
    '^sent [1-9][0-9]*$' "$(head -1 "$T/slow.out")"
assert_match "slow client (never reads): dropped by the daemon within 45 s" \
    '^closed' "$(tail -1 "$T/slow.out")"
check "slow client: the log says it took no output" \
    log_has "dropping a client that took no output"

wait "$SILENT"
echo "    silent client: $(tr '\n' ' ' <"$T/silent.out")"
assert_eq "silent client: dropped by the daemon within 75 s, sent nothing" \
    "connected closed" \
    "$(awk '{ print $1 }' "$T/silent.out" | tr '\n' ' ' | sed 's/ $//')"
check "silent client: the log says it sent nothing" \
    log_has "dropping a client that sent nothing"

served "at the end"
out=$(ctl status "$SERVER4" -4 --json)
assert_eq "the finding is intact at the end" 1400 "$(status_get pmtu "$out")"
check "daemon alive at the end" daemon_alive
