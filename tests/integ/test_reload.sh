#!/bin/sh
# SPDX-License-Identifier: ISC
# SIGHUP reloads the configuration: an added destination starts, a kept
# one keeps its finding (no reset, no new probe), a removed one stops and
# its finding is gone, from status and from the state file.  A bad new
# configuration is rejected with a message naming file and line, and the
# old one stays in force.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500

CONF=$T/pmtud.conf
A=$SERVER4		# family 4, interval 1h: probed once
B=$SERVER6		# family 6, interval 3s: probed again and again
LINE_A="destination $A family 4"
LINE_B="destination $B family 6 interval 3s walk no"

# reloads N: true once the log has N successful reloads.
reloads() {
	[ "$(grep -c "reloaded $CONF" "$DAEMON_LOG" 2>/dev/null)" -ge "$1" ]
}

# rejections N: true once the log has N rejected reloads.
rejections() {
	[ "$(grep -c "reload rejected" "$DAEMON_LOG" 2>/dev/null)" -ge "$1" ]
}

# b_findings_over N: true once B has more than N findings.
b_findings_over() {
	_bf=$(json_get findings "$(finding "$B" 6)")
	[ "$_bf" -gt "$1" ] 2>/dev/null
}

# Only A at first.
write_conf "$CONF" "interval 1h" "max-pps 200" "$LINE_A"
start_daemon "" --config "$CONF"
wait_until 20 has_finding "$A" 4 ||
    die "A has a finding within 20 s" "expected a finding, got none"
A1=$(finding "$A" 4)
assert_eq "A: pmtu" 1400 "$(json_get pmtu "$A1")"
assert_eq "A: findings" 1 "$(json_get findings "$A1")"
assert_eq "B: not configured yet" not_found "$(status_error_code "$B" 6)"

# --- add B --------------------------------------------------------------

write_conf "$CONF" "interval 1h" "max-pps 200" "$LINE_A" "$LINE_B"
daemon_signal HUP
check "add: reload logged with 2 destinations" wait_until 10 reloads 1
check "add: the log says 2 destinations" \
    log_has "reloaded $CONF: 2 destinations"
# Socket and state come from the command line and did not change.
check "add: no warning about socket or state paths" sh -c \
    "! grep -E 'socket and state paths' '$DAEMON_LOG'"
check "add: B gets a finding" wait_until 20 has_finding "$B" 6
out=$(finding "$B" 6)
assert_eq "add: B pmtu" 1400 "$(json_get pmtu "$out")"
assert_eq "add: B family" 6 "$(json_get family "$out")"
assert_eq "add: B not walked" null "$(json_get hops "$out")"
# B's own interval (3 s) brings it back; A (1 h) stays as it was.
check "add: B is probed again on its own interval" \
    wait_until 20 b_findings_over 1
assert_eq "add: A keeps its finding as it was (no reset, no new probe)" \
    "$A1" "$(finding "$A" 4)"
listing '{"id":31,"cmd":"status"}'
assert_eq "add: listing count" 2 "$LISTING_COUNT"

# --- remove A -----------------------------------------------------------

write_conf "$CONF" "interval 1h" "max-pps 200" "$LINE_B"
daemon_signal HUP
check "remove: reload logged" wait_until 10 reloads 2
check "remove: the log says 1 destinations" \
    log_has "reloaded $CONF: 1 destinations"
assert_eq "remove: A's finding is gone" not_found \
    "$(status_error_code "$A" 4)"
out=$(ctl status "$A" -4 2>&1)
assert_eq "remove: pmtudctl status A fails" 1 "$(ctl_rc)"
out=$(finding "$B" 6)
assert_eq "remove: B stays" 1400 "$(json_get pmtu "$out")"
listing '{"id":32,"cmd":"status"}'
assert_eq "remove: listing count" 1 "$LISTING_COUNT"
a_gone_b_kept() {
	[ "$(state_field "$A" 4 pmtu)" = absent ] &&
	    [ "$(state_field "$B" 6 pmtu)" = 1400 ]
}
check "remove: A leaves the state file too" wait_until 10 a_gone_b_kept

# --- a broken configuration is rejected ---------------------------------

write_conf "$CONF" "interval 1h" "$LINE_B" "bogus-keyword 7"
daemon_signal HUP
check "broken: reload rejected" wait_until 10 rejections 1
check "broken: the message names file and line" \
    log_has "reload rejected.*$CONF:3:"
check "broken: the message names the keyword" log_has "bogus-keyword"
check "broken: no reload counted as done" sh -c \
    "[ \$(grep -c 'reloaded $CONF' '$DAEMON_LOG') -eq 2 ]"
check "broken: daemon still runs" daemon_alive
out=$(ctl version --json)
assert_eq "broken: daemon still answers" 0 "$(ctl_rc)"
n=$(json_get findings "$(finding "$B" 6)")
check "broken: B is still scheduled (probed again)" \
    wait_until 20 b_findings_over "$n"
assert_eq "broken: A was not brought back" not_found \
    "$(status_error_code "$A" 4)"

# A missing file is rejected the same way.
rm -f "$CONF"
daemon_signal HUP
check "missing: reload rejected" wait_until 10 rejections 2
check "missing: the message names the file" \
    log_has "reload rejected.*$CONF: No such file"
n=$(json_get findings "$(finding "$B" 6)")
check "missing: B is still scheduled" wait_until 20 b_findings_over "$n"

# --- remove everything: the state file follows -----------------------------

# Back to A alone (added anew, so probed again); B goes.  Once the file
# shows that, no save is pending and nothing is due for an hour.
write_conf "$CONF" "interval 1h" "max-pps 200" "$LINE_A"
daemon_signal HUP
check "A again: reload logged" wait_until 10 reloads 3
check "A again: A is probed anew" wait_until 20 has_finding "$A" 4
assert_eq "A again: B's finding is gone" not_found \
    "$(status_error_code "$B" 6)"
a_only_saved() {
	[ "$(state_field "$A" 4 pmtu)" = 1400 ] &&
	    [ "$(state_field "$B" 6 pmtu)" = absent ]
}
check "A again: the state file holds A, not B" wait_until 10 a_only_saved

write_conf "$CONF" "interval 1h" "max-pps 200"
daemon_signal HUP
check "empty: reload logged" wait_until 10 reloads 4
check "empty: the log says 0 destinations" \
    log_has "reloaded $CONF: 0 destinations"
assert_eq "empty: A's finding is gone" not_found \
    "$(status_error_code "$A" 4)"
listing '{"id":33,"cmd":"status"}'
assert_eq "empty: listing count" 0 "$LISTING_COUNT"
# Nothing else changes now: only the removal can make the file follow.
a_unsaved() {
	[ "$(state_field "$A" 4 pmtu)" = absent ]
}
check "empty: A leaves the state file (nothing else saves it)" \
    wait_until 10 a_unsaved
daemon_stop TERM
assert_eq "daemon exits 0 on SIGTERM" 0 "$DAEMON_RC"
assert_eq "after SIGTERM: the state file holds no results" 0 \
    "$(jq '.results | length' "$STATE" 2>/dev/null)"
