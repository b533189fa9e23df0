#!/bin/sh
# SPDX-License-Identifier: ISC
# A destination's history: on 1500, 1400, 1500 with r1 made a black hole
# and cleared again twice, the history shows ok -> blackhole -> ok ->
# blackhole -> ok, each with PMTU 1400 and, for the black holes, hop 1
# (r1); a finding that shows the same path adds nothing; "since" filters;
# status carries "since"; the metrics count the changes.  The history
# survives a reload that keeps the destination and a restart (state
# file), and goes with a destination a reload removes.  A state file
# from before histories loads with empty ones.  Destinations never
# measured are answered with how to measure them.  pmtudctl history
# prints the changes for people and as NDJSON.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500

CONF=$T/pmtud.conf
D=$SERVER4
R1=$(router_addr 1 4)
write_conf "$CONF" "interval 1h" "max-pps 200" "destination $D family 4"

# history [EXTRA_JSON_MEMBERS]: the raw history reply for D over IPv4.
history() {
	send_raw "{\"id\":7,\"cmd\":\"history\",\"destination\":\"$D\",\"family\":4${1:+,$1}}"
}

# hfield JQ_EXPR REPLY: that jq expression over the reply's
# result.history, space separated ("<invalid json>" if unusable).
hfield() {
	printf '%s\n' "$2" | jq -r "[.result.history[] | $1 | tostring] |
	    join(\" \")" 2>/dev/null || echo "<invalid json>"
}

# probe_state WANT: one on-demand probe of D; checks its state, then
# waits until the store has it (a black hole is recorded once a second
# run has confirmed it).
probe_state() {
	_ps=$(ctl probe "$D" -4 --json)
	assert_eq "probe: $1" "$1" "$(json_get state "$_ps")"
	check "recorded: $1" wait_until 30 recorded "$1"
}

recorded() {
	[ "$(json_get state "$(finding "$D" 4)")" = "$1" ]
}

# ctl_said ARGS...: pmtudctl's stderr for ARGS (ctl keeps it in CTL_ERR,
# for the sanitizer check); its exit status stays in ctl_rc.
ctl_said() {
	_cs=$(wc -c <"$CTL_ERR")
	ctl "$@" >/dev/null
	tail -c +$((_cs + 1)) "$CTL_ERR"
}

reloads() {
	[ "$(grep -c "reloaded $CONF" "$DAEMON_LOG" 2>/dev/null)" -ge "$1" ]
}

# changes_metric: D's pmtud_path_changes_total sample, "none" without.
changes_metric() {
	ctl metrics | sed -n "s/^pmtud_path_changes_total{destination=\"$D\",family=\"4\"} //p" |
	    grep . || echo none
}

start_daemon "" --config "$CONF"
wait_until 20 has_finding "$D" 4 ||
    die "D has a finding within 20 s" "expected a finding, got none"

# --- the path flaps twice ------------------------------------------------

router_blackhole "${PREFIX}r1" 4
probe_state blackhole
router_blackhole_clear "${PREFIX}r1"
probe_state ok
router_blackhole "${PREFIX}r1" 4
probe_state blackhole
router_blackhole_clear "${PREFIX}r1"
probe_state ok

H=$(history)
assert_eq "history: ok reply" true "$(json_get ok "$H")"
assert_eq "history: destination" "$D" "$(json_get result.destination "$H")"
assert_eq "history: family" 4 "$(json_get result.family "$H")"
assert_eq "history: present state" ok "$(json_get result.state "$H")"
assert_eq "history: states, oldest first" "ok blackhole ok blackhole ok" \
    "$(hfield .state "$H")"
assert_eq "history: PMTUs" "1400 1400 1400 1400 1400" "$(hfield .pmtu "$H")"
assert_eq "history: local MTUs" "1500 1500 1500 1500 1500" \
    "$(hfield .local_mtu "$H")"
assert_eq "history: black hole hops" "null 1 null 1 null" \
    "$(hfield .hop "$H")"
assert_eq "history: black hole hop addresses" "null $R1 null $R1 null" \
    "$(hfield .hop_address "$H")"
assert_eq "history: paths" "1 1 1 1 1" "$(hfield .paths "$H")"
assert_eq "history: 4 changes" 4 "$(json_get result.changes "$H")"
assert_eq "history: no summary" null "$(json_get result.summary "$H")"
assert_eq "history: times ordered (first <= last <= next first)" true \
    "$(printf '%s\n' "$H" | jq '[.result.history[] | .first_seen,
    .last_seen] as $t | $t == ($t | sort)' 2>/dev/null)"
LAST_FIRST=$(printf '%s\n' "$H" | jq -r '.result.history[-1].first_seen')
assert_eq "history: since is when the last state began" "$LAST_FIRST" \
    "$(json_get result.since "$H")"

# The same path again: no entry, the last one seen later.
probe_state ok
H2=$(history)
assert_eq "same path: still 5 entries" 5 \
    "$(printf '%s\n' "$H2" | jq '.result.history | length')"
assert_eq "same path: earlier entries unchanged" \
    "$(printf '%s\n' "$H" | jq -c '.result.history[:4]')" \
    "$(printf '%s\n' "$H2" | jq -c '.result.history[:4]')"
assert_eq "same path: last entry began when it did" "$LAST_FIRST" \
    "$(printf '%s\n' "$H2" | jq -r '.result.history[-1].first_seen')"
assert_eq "same path: last entry seen later" true \
    "$(printf '%s\n' "$H2" | jq --argjson o "$H" \
    '.result.history[-1].last_seen > $o.result.history[-1].last_seen')"
H=$H2

THIRD_AT=$(printf '%s\n' "$H" | jq -r '.result.history[2].first_seen')

# status carries since; the metrics count the changes.
S=$(send_raw "{\"id\":8,\"cmd\":\"status\",\"destination\":\"$D\",\"family\":4}")
assert_eq "status: since" "$LAST_FIRST" "$(json_get result.since "$S")"
assert_eq "metrics: pmtud_path_changes_total" 4 "$(changes_metric)"

# --- pmtudctl history and status -------------------------------------------

# Times for people are local: UTC here, so they can be checked against
# the JSON's.
TZ=UTC
export TZ
ARROW=$(printf '\342\206\222')
out=$(ctl history "$D" -4)
assert_eq "pmtudctl history: exit status" 0 "$(ctl_rc)"
assert_eq "pmtudctl history: one line a state" 5 \
    "$(printf '%s\n' "$out" | grep -c .)"
assert_eq "pmtudctl history: the changes" \
    "1400  ok  local 1500
1400  ok $ARROW blackhole  hop 1 ($R1)
1400  blackhole $ARROW ok
1400  ok $ARROW blackhole  hop 1 ($R1)
1400  blackhole $ARROW ok" \
    "$(printf '%s\n' "$out" | cut -c19-)"
assert_eq "pmtudctl history: each line starts when its state began" \
    "$(printf '%s\n' "$H" | jq -r '.result.history[].first_seen |
    sub("T"; " ") | .[0:16]')" \
    "$(printf '%s\n' "$out" | cut -c1-16)"
out=$(ctl history "$D" -4 --json)
assert_eq "pmtudctl history --json: exit status" 0 "$(ctl_rc)"
assert_eq "pmtudctl history --json: one object a line, the entries" \
    "$(printf '%s\n' "$H" | jq -c '.result.history[] |
    . + {destination: "'"$D"'", family: 4}')" "$out"
out=$(ctl history "$D" -4 --since "$THIRD_AT" --json)
assert_eq "pmtudctl history --since TIME: from the third state" \
    "ok blackhole ok" "$(printf '%s\n' "$out" | jq -r .state | tr '\n' ' ' |
    sed 's/ $//')"
out=$(ctl history "$D" -4 --since 1d)
assert_eq "pmtudctl history --since 1d: all" 5 \
    "$(printf '%s\n' "$out" | grep -c .)"
out=$(ctl history "$D" -4 --since 2100-01-01T00:00:00Z)
assert_eq "pmtudctl history --since later: exit status" 0 "$(ctl_rc)"
assert_eq "pmtudctl history --since later: says so" \
    "$D: no path state recorded" "$out"
out=$(ctl_said history "$D" --since soon)
assert_eq "pmtudctl history --since nonsense: usage" 64 "$(ctl_rc)"
assert_match "pmtudctl history --since nonsense: why" 'bad --since "soon"' \
    "$out"
out=$(ctl_said history)
assert_eq "pmtudctl history without DEST: usage" 64 "$(ctl_rc)"
out=$(ctl_said history 198.18.9.9)
assert_eq "pmtudctl history never measured: exit status" 1 "$(ctl_rc)"
assert_eq "pmtudctl history never measured: says how to measure it" \
    "pmtudctl: 198.18.9.9 has not been measured; measure it with: pmtudctl probe 198.18.9.9" \
    "$out"
out=$(ctl_said status 198.18.9.9 -6)
assert_eq "pmtudctl status never measured: exit status" 1 "$(ctl_rc)"
assert_eq "pmtudctl status never measured: says how to measure it" \
    "pmtudctl: 198.18.9.9 has not been measured over IPv6; measure it with: pmtudctl probe 198.18.9.9 -6" \
    "$out"
SINCE_TEXT=$(printf '%s' "$LAST_FIRST" | sed 's/T/ /' | cut -c1-16)
out=$(ctl status "$D" -4)
assert_match "pmtudctl status: since when the state holds" \
    "^$D  pmtu 1400 .*  since $SINCE_TEXT\$" "$out"
out=$(ctl status)
assert_match "pmtudctl status listing: since" "  since $SINCE_TEXT\$" "$out"

# --- since ----------------------------------------------------------------

THIRD=$(printf '%s\n' "$H" | jq -r '.result.history[2].first_seen')
out=$(history "\"since\":\"$THIRD\"")
assert_eq "since a time: the entries seen since" "ok blackhole ok" \
    "$(hfield .state "$out")"
assert_eq "since a time: changes still all of them" 4 \
    "$(json_get result.changes "$out")"
out=$(history '"since":"1h"')
assert_eq "since 1h: all 5" "ok blackhole ok blackhole ok" \
    "$(hfield .state "$out")"
out=$(history '"since":"2100-01-01T00:00:00Z"')
assert_eq "since the future: none" "" "$(hfield .state "$out")"
out=$(history '"since":"yesterday"')
assert_eq "since nonsense: bad_request" bad_request \
    "$(json_get error.code "$out")"

# --- never measured ------------------------------------------------------

out=$(send_raw '{"id":9,"cmd":"status","destination":"198.18.9.9"}')
assert_eq "unknown: status not_found" not_found "$(json_get error.code "$out")"
assert_eq "unknown: status says how to measure it" \
    "198.18.9.9 has not been measured; measure it with: pmtudctl probe 198.18.9.9" \
    "$(json_get error.message "$out")"
out=$(send_raw "{\"id\":9,\"cmd\":\"history\",\"destination\":\"$D\",\"family\":6}")
assert_eq "unknown family: history not_found" not_found \
    "$(json_get error.code "$out")"
assert_eq "unknown family: says how to measure it" \
    "$D has not been measured over IPv6; measure it with: pmtudctl probe $D -6" \
    "$(json_get error.message "$out")"
out=$(send_raw '{"id":9,"cmd":"history"}')
assert_eq "history without destination: bad_request" bad_request \
    "$(json_get error.code "$out")"

# --- a reload that keeps D keeps its history ------------------------------

write_conf "$CONF" "interval 1h" "max-pps 200" "destination $D family 4" \
    "destination $SERVER6 family 6 walk no"
daemon_signal HUP
check "reload: logged" wait_until 10 reloads 1
out=$(history)
assert_eq "reload: history unchanged" \
    "$(printf '%s\n' "$H" | jq -c .result)" \
    "$(printf '%s\n' "$out" | jq -c .result)"

# --- a restart reads it back from the state file --------------------------

daemon_stop TERM
assert_eq "restart: daemon exits 0" 0 "$DAEMON_RC"
assert_eq "state file: D's history has 5 entries" 5 \
    "$(state_field "$D" 4 history | jq length 2>/dev/null)"
assert_eq "state file: D's summary" null "$(state_field "$D" 4 history_summary)"
start_daemon "" --config "$CONF"
out=$(history)
# The monitor may probe D again at start: the last entry's last_seen
# may move, nothing else.
assert_eq "restart: history intact" \
    "$(printf '%s\n' "$H" | jq -c '.result | del(.history[-1].last_seen)')" \
    "$(printf '%s\n' "$out" | jq -c '.result | del(.history[-1].last_seen)')"
S=$(send_raw "{\"id\":8,\"cmd\":\"status\",\"destination\":\"$D\",\"family\":4}")
assert_eq "restart: status since" "$LAST_FIRST" "$(json_get result.since "$S")"
assert_eq "restart: metrics go on from 4" 4 "$(changes_metric)"
router_blackhole "${PREFIX}r1" 4
probe_state blackhole
router_blackhole_clear "${PREFIX}r1"
out=$(history)
assert_eq "restart: the next change is appended" \
    "ok blackhole ok blackhole ok blackhole" "$(hfield .state "$out")"
assert_eq "restart: metrics count it" 5 "$(changes_metric)"

# --- a reload that removes D drops it --------------------------------------

write_conf "$CONF" "interval 1h" "max-pps 200" \
    "destination $SERVER6 family 6 walk no"
daemon_signal HUP
check "remove: reload logged" wait_until 10 reloads 1
out=$(history)
assert_eq "remove: history gone" not_found "$(json_get error.code "$out")"
assert_eq "remove: no counter for it" none "$(changes_metric)"

# --- a state file from before histories -------------------------------------

write_conf "$CONF" "interval 1h" "max-pps 200" "destination $D family 4"
daemon_signal HUP
check "re-add: reload logged" wait_until 10 reloads 2
check "re-add: D measured again" wait_until 20 has_finding "$D" 4
out=$(history)
assert_eq "re-add: a fresh history" "ok" "$(hfield .state "$out")"
daemon_stop TERM
jq '.results |= map(del(.history, .history_summary, .since))' "$STATE" \
    >"$T/old.json" && cp "$T/old.json" "$STATE"
check "old state file: no history in it" sh -c \
    "! grep -q history '$STATE'"
# No destinations: nothing probes D, so what is shown is what was loaded.
write_conf "$CONF" "interval 1h"
start_daemon "" --config "$CONF"
check "old state file: loaded without a warning" sh -c \
    "! grep -qi 'skipped\\|moved aside' '$DAEMON_LOG'"
out=$(history)
assert_eq "old state file: D still there" true "$(json_get ok "$out")"
assert_eq "old state file: empty history" "" "$(hfield .state "$out")"
assert_eq "old state file: since null" null "$(json_get result.since "$out")"
assert_eq "old state file: changes 0" 0 "$(json_get result.changes "$out")"
