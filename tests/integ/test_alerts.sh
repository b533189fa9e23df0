#!/bin/sh
# SPDX-License-Identifier: ISC
# Alerts.  pmtud runs with a configuration whose alert-command writes its
# PMTUD_* environment and its stdin to files; "pmtudctl watch" runs in the
# background.  On 1500, 1400, 1500 with r1 a black hole: probing gives
# blackhole_detected (hop 1, r1, pmtu 1400) both on the watch stream and
# to the command; with the nft filter removed, blackhole_cleared; with it
# back, blackhole_detected again, now with previous_pmtu 1400.  Both
# families.  "watch --count N" stops after N events.  A watcher that never
# reads while thousands of events happen must not stall the daemon.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500
router_blackhole "${PREFIX}r1"

# The command runs as the daemon's user: its directory must be writable.
AL=$T/alerts
mkdir "$AL"
chown pmtud "$AL" 2>/dev/null
chmod 777 "$AL"
echo start >"$AL/phase"
cat >"$T/alert.sh" <<EOS
# One file pair per phase, event and family.
f=$AL/\$(cat $AL/phase)-\$PMTUD_EVENT-\$PMTUD_FAMILY
env | grep '^PMTUD_' | sort >"\$f.env.tmp"
cat >"\$f.stdin"
mv "\$f.env.tmp" "\$f.env"
EOS
chmod 644 "$T/alert.sh"
# Probes on demand raise events here (not by default): the test asks
# for its findings rather than configuring destinations.
printf '%s\n' "# test_alerts.sh" "alert-command sh $T/alert.sh" \
    "alert-timeout 5s" "on-demand-events yes" >"$T/pmtud.conf"
start_daemon "" --config "$T/pmtud.conf"

# await TRIES COMMAND...: COMMAND every 0.1 s until it succeeds; 1 if it
# never did (a bound on tries, not an assertion on time).
await() {
	_aw_n=$1
	shift
	while ! "$@"; do
		_aw_n=$((_aw_n - 1))
		[ $_aw_n -le 0 ] && return 1
		sleep 0.1
	done
	return 0
}

lines() {
	cat "$1" 2>/dev/null | grep -c .
}

# Unroutable addresses (no route in the client): each first probe is an
# instant "unreachable" finding, hence one unreachable event.
NEXT=0
sentinel() {
	NEXT=$((NEXT + 1))
	ctl probe "198.19.$((NEXT / 250)).$((NEXT % 250 + 1))" -4 --no-walk \
	    --json >/dev/null
}

# sync_watcher FILE: events until FILE shows one (the watcher is then
# subscribed); 1 if it never does.
sync_watcher() {
	_sw_i=0
	while [ "$(lines "$1")" -eq 0 ]; do
		[ $_sw_i -ge 30 ] && return 1
		sentinel
		await 10 sh -c "[ -s '$1' ]"
		_sw_i=$((_sw_i + 1))
	done
	return 0
}

WATCH=$T/watch.out
timeout -k 2 240 "$PMTUDCTL" --socket "$SOCK" watch >"$WATCH" \
    2>>"$CTL_ERR" &
WATCH_PID=$!
sync_watcher "$WATCH" || die "watcher subscribed" \
    "expected a first event within 30 tries, got none"
assert_eq "first watch line is the unreachable sentinel" unreachable \
    "$(head -1 "$WATCH" | json_get event)"

# event_line EVENT DEST [NTH]: the NTH (default 1) watch line for it.
event_line() {
	jq -c --arg e "$1" --arg d "$2" \
	    'select(.event == $e and .destination == $d)' "$WATCH" \
	    2>/dev/null | sed -n "${3:-1}p"
}

# env_get FILE NAME: a variable from an env dump.
env_get() {
	sed -n "s/^$2=//p" "$1"
}

# event_check PHASE EVENT FAMILY PREVIOUS [NTH]: the watch line and the
# command's env and stdin for one event, every field.
event_check() {
	_ph=$1 _ev=$2 _f=$3 _prev=$4 _nth=${5:-1}
	eval _d=\$SERVER$_f
	_r1=$(router_addr 1 $_f)
	_n="$_ph v$_f $_ev"
	await 100 sh -c "[ -n \"\$(jq -c --arg e $_ev --arg d $_d \
	    'select(.event == \$e and .destination == \$d)' $WATCH |
	    sed -n ${_nth}p)\" ]"
	_l=$(event_line "$_ev" "$_d" "$_nth")
	assert_eq "$_n: watch line" \
	    "$_ev $_d $_f 1400 $_prev 1 $_r1" \
	    "$(printf '%s\n' "$_l" | jq -r '"\(.event) \(.destination) \(.family) \(.pmtu) \(.previous_pmtu) \(.hop) \(.address)"' 2>/dev/null)"
	assert_match "$_n: watch at is RFC 3339 UTC" \
	    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$' \
	    "$(json_get at "$_l")"
	_f0=$AL/$_ph-$_ev-$_f
	await 100 test -s "$_f0.env" ||
	    fail "$_n: alert command ran" "expected $_f0.env, got none"
	assert_eq "$_n: PMTUD_EVENT" "$_ev" "$(env_get "$_f0.env" PMTUD_EVENT)"
	assert_eq "$_n: PMTUD_DESTINATION" "$_d" \
	    "$(env_get "$_f0.env" PMTUD_DESTINATION)"
	assert_eq "$_n: PMTUD_FAMILY" "$_f" "$(env_get "$_f0.env" PMTUD_FAMILY)"
	assert_eq "$_n: PMTUD_PMTU" 1400 "$(env_get "$_f0.env" PMTUD_PMTU)"
	assert_eq "$_n: PMTUD_PREVIOUS_PMTU" \
	    "$([ "$_prev" = null ] || echo "$_prev")" \
	    "$(env_get "$_f0.env" PMTUD_PREVIOUS_PMTU)"
	assert_eq "$_n: PMTUD_HOP" 1 "$(env_get "$_f0.env" PMTUD_HOP)"
	assert_eq "$_n: PMTUD_ADDRESS" "$_r1" "$(env_get "$_f0.env" PMTUD_ADDRESS)"
	assert_eq "$_n: PMTUD_AT is the event's at" "$(json_get at "$_l")" \
	    "$(env_get "$_f0.env" PMTUD_AT)"
	# A black hole is raised once a second run found it too.
	_conf=false
	[ "$_ev" = blackhole_detected ] && _conf=true
	assert_eq "$_n: confirmed" "$_conf" "$(json_get confirmed "$_l")"
	assert_eq "$_n: PMTUD_CONFIRMED" "$_conf" \
	    "$(env_get "$_f0.env" PMTUD_CONFIRMED)"
	assert_eq "$_n: stdin is the event JSON, one line" \
	    "1 $(printf '%s\n' "$_l" | jq -S -c .)" \
	    "$(grep -c . "$_f0.stdin") $(jq -S -c . "$_f0.stdin" 2>/dev/null)"
}

# probe_state PHASE FAMILY STATE: one walked probe, its state and pmtu.
probe_state() {
	eval _d=\$SERVER$2
	probe_json "$1 v$2 probe" "$_d" "$2" || return
	assert_eq "$1 v$2 probe: state" "$3" "$(json_get state "$PROBE_OUT")"
	assert_eq "$1 v$2 probe: pmtu" 1400 "$(json_get pmtu "$PROBE_OUT")"
}

echo detect >"$AL/phase"
for f in 4 6; do
	probe_state detect $f blackhole
	event_check detect blackhole_detected $f null
done

router_blackhole_clear "${PREFIX}r1"
echo clear >"$AL/phase"
for f in 4 6; do
	probe_state clear $f ok
	event_check clear blackhole_cleared $f 1400
done

router_blackhole "${PREFIX}r1"
echo again >"$AL/phase"
for f in 4 6; do
	probe_state again $f blackhole
	event_check again blackhole_detected $f 1400 2
done

# The same path, same finding: no event at all.  The sentinel after it
# is then the very next line.
n0=$(lines "$WATCH")
probe_state unchanged 4 blackhole
sentinel
await 100 sh -c "[ \$(grep -c . $WATCH) -gt $n0 ]"
sleep 0.5
assert_eq "an unchanged finding: no event, the sentinel comes next" \
    "$((n0 + 1)) unreachable" \
    "$(lines "$WATCH") $(tail -1 "$WATCH" | json_get event)"
# Nothing but these event kinds appeared, and no pmtu_changed (1400 all
# along).
assert_eq "event kinds seen" "blackhole_cleared blackhole_detected unreachable" \
    "$(jq -r .event "$WATCH" | sort -u | tr '\n' ' ' | sed 's/ $//')"

# watch --count 3: subscribed, then exactly 3 events and exit status 0.
CW=$T/count.out
timeout -k 2 120 "$PMTUDCTL" --socket "$SOCK" watch --count 3 >"$CW" \
    2>>"$CTL_ERR" &
CW_PID=$!
sync_watcher "$CW" || fail "watch --count subscribed" "expected an event, got none"
for i in 1 2 3 4; do
	sentinel
done
wait "$CW_PID"
assert_eq "watch --count 3: exit status" 0 "$?"
assert_eq "watch --count 3: lines" 3 "$(lines "$CW")"
assert_eq "watch --count 3: every line an event" "unreachable unreachable unreachable" \
    "$(jq -r .event "$CW" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"

# A watcher that never reads: its socket and pipe fill up, the daemon's
# output to it grows.  Thousands of events later (unroutable addresses,
# pipelined on one connection) the daemon still answers (pmtudctl is
# bounded by --timeout), stays alive and still serves the watcher that
# reads.  A fresh daemon without the alert command: forking a command per
# event would make thousands of events slow, not different.
kill "$WATCH_PID" 2>/dev/null
wait "$WATCH_PID" 2>/dev/null || :	# killed: not the test's status
stop_daemons
rm -f "$STATE"		# no finding carried over: the next is a first
write_conf "$T/flood.conf" "on-demand-events yes"
start_daemon "" --config "$T/flood.conf"
timeout -k 2 240 "$PMTUDCTL" --socket "$SOCK" watch >"$WATCH" \
    2>>"$CTL_ERR" &
WATCH_PID=$!
sync_watcher "$WATCH" || die "watcher subscribed (second daemon)" \
    "expected a first event within 30 tries, got none"
nsx "$CLIENT" sh -c "{ printf '%s\n' '{\"cmd\":\"watch\"}'; exec sleep 600; } |
    socat - UNIX-CONNECT:$SOCK | exec sleep 600" >/dev/null 2>&1 &
sleep 1
# One probe after another on one connection, each once the last is
# answered (a client may have only 32 running at once).
FLOOD=5000
cat >"$T/flood.sh" <<'EOS'
i=1
while [ $i -le $N ]; do
	printf '{"id":%d,"cmd":"probe","destination":"198.19.%d.%d","family":4,"walk":false}\n' \
	    $i $((100 + i / 250)) $((i % 250 + 1))
	read -r line || exit 0
	printf '%s\n' "$line" >&3
	i=$((i + 1))
done
EOS
timeout -k 2 180 socat -t 5 "UNIX-CONNECT:$SOCK" \
    SYSTEM:"N=$FLOOD sh $T/flood.sh 3>$T/flood.out" 2>/dev/null
r=$(jq -r 'select(.ok == true) | .result.state' "$T/flood.out" 2>/dev/null |
    sort | uniq -c | awk '{ print $1, $2 }')
assert_eq "flood: every probe answered unreachable" "$FLOOD unreachable" "$r"
check "the stalled watcher was dropped (daemon log)" \
    grep -q 'watcher stopped reading' "$DAEMON_LOG"
v=$(ctl version --json --timeout 5)
assert_eq "after the flood: version answers" 0 "$(ctl_rc)"
st=$(ctl status 198.19.120.1 -4 --json --timeout 5)
assert_eq "after the flood: status exit status" 0 "$(ctl_rc)"
assert_eq "after the flood: status state" unreachable "$(status_get state "$st")"
check "after the flood: daemon alive" kill -0 "$DAEMON_PID"
await 100 sh -c "[ \$(grep -c . $WATCH) -gt $FLOOD ]"
assert_eq "the reading watcher got every flood event" "$FLOOD" \
    "$(jq -r 'select(.event == "unreachable" and
    (.destination | startswith("198.19.1"))) | .destination' "$WATCH" |
    sort -u | grep -c .)"
# A black hole now still reaches the reading watcher, hop and all.
probe_state final 4 blackhole
await 100 sh -c "grep -q blackhole_detected $WATCH"
assert_eq "after the flood: blackhole_detected watched" \
    "blackhole_detected 1 $(router_addr 1 4)" \
    "$(event_line blackhole_detected "$SERVER4" | jq -r '"\(.event) \(.hop) \(.address)"')"

kill "$WATCH_PID" 2>/dev/null
wait "$WATCH_PID" 2>/dev/null || :	# killed: not the test's status
