#!/bin/sh
# SPDX-License-Identifier: ISC
# The state file: findings are saved soon after they change and at
# SIGTERM, and a restarted daemon answers from them at once.  A corrupt
# or foreign file is moved aside and the daemon starts afresh; a state
# file that cannot be written leaves the daemon running from memory; a
# SIGTERM in the middle of a probe is a clean exit.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500

CONF=$T/pmtud.conf
EMPTY=$T/empty.conf
write_conf "$CONF" \
    "interval 1h" \
    "max-pps 200" \
    "destination $SERVER4 family 4" \
    "destination $SERVER6 family 6 walk no"
write_conf "$EMPTY" \
    "# no destinations" \
    "interval 1h"

# sorted_json JSON: the object with its keys sorted, on one line.
sorted_json() {
	printf '%s\n' "$1" | jq -S -c . 2>/dev/null || echo "<invalid json>"
}

# saved_json DEST FAMILY: that result in the state file, keys sorted.
saved_json() {
	jq -S -c --arg d "$1" --argjson f "$2" \
	    '.results[] | select(.destination == $d and .family == $f)' \
	    "$STATE" 2>/dev/null
}

# stopped NAME: the daemon was asked to stop with SIGTERM; it must exit
# with status 0 within 5 s and leave no sanitizer report.
stopped() {
	daemon_stop TERM
	assert_eq "$1: daemon exits 0 on SIGTERM" 0 "$DAEMON_RC"
	check "$1: no sanitizer report" sh -c \
	    "! grep -Eq 'Sanitizer|runtime error:' '$DAEMON_LOG'"
}

# --- 1. findings are saved soon, and are there after SIGTERM ------------

start_daemon "" --config "$CONF"
both_found() {
	has_finding "$SERVER4" 4 && has_finding "$SERVER6" 6
}
wait_until 20 both_found ||
    die "both destinations found within 20 s" "expected 2 findings, got fewer"
F4=$(finding "$SERVER4" 4)
F6=$(finding "$SERVER6" 6)
assert_eq "v4 finding: pmtu" 1400 "$(json_get pmtu "$F4")"
assert_eq "v6 finding: pmtu" 1400 "$(json_get pmtu "$F6")"

# Saved about a second after the change, without a shutdown.
both_saved() {
	[ "$(state_field "$SERVER4" 4 pmtu)" = 1400 ] &&
	    [ "$(state_field "$SERVER6" 6 pmtu)" = 1400 ]
}
check "state file written soon after the findings (no shutdown)" \
    wait_until 10 both_saved
stopped "with findings"

check "state file exists after SIGTERM" [ -f "$STATE" ]
assert_eq "state file: format, version, saved_at, 2 results" true \
    "$(jq -c '.format == "pmtud-state" and .version == 1 and
    (.saved_at | type) == "string" and (.results | length) == 2' \
    "$STATE" 2>/dev/null)"
assert_match "state file: saved_at is RFC 3339 UTC" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$' \
    "$(jq -r .saved_at "$STATE" 2>/dev/null)"
# The file keeps what was measured; status may add what is derived from
# it (advice, explanations), so the saved fields are compared.  The log
# of path states is in the file only (the history command shows it).
for spec in "$SERVER4 4 F4" "$SERVER6 6 F6"; do
	set -- $spec
	eval fj=\$$3
	assert_eq "state file: v$2 result has its history (one state)" \
	    "1 null" "$(saved_json "$1" "$2" | jq -r \
	    '"\(.history | length) \(.history_summary)"' 2>/dev/null)"
	saved=$(saved_json "$1" "$2" | jq -S -c \
	    'del(.history, .history_summary)' 2>/dev/null)
	assert_eq "state file: v$2 result has the measured fields" true \
	    "$(printf '%s\n' "$saved" | jq -c 'has("destination") and
	    has("address") and has("family") and has("pmtu") and
	    has("local_mtu") and has("state") and has("probes_sent") and
	    has("updated_at") and has("previous_pmtu") and
	    has("probes_total") and has("findings") and has("hops")' \
	    2>/dev/null)"
	assert_eq "state file: v$2 result is the finding, field for field" \
	    "$saved" "$(printf '%s\n' "$fj" | jq -S -c --argjson s "$saved" \
	    '. as $o | $s | keys | map({(.): $o[.]}) | add' 2>/dev/null)"
done
check "no temporary file left beside the state file" sh -c \
    "[ \$(ls -A '$(dirname "$STATE")' | wc -l) -eq 1 ]"

# --- 2. a restart without destinations answers from the file ----------

start_daemon "" --config "$EMPTY"
# At once: no polling, no probe.
out=$(finding "$SERVER4" 4)
assert_eq "restart: v4 answered from the state file, field for field" \
    "$(sorted_json "$F4")" "$(sorted_json "$out")"
out=$(finding "$SERVER6" 6)
assert_eq "restart: v6 answered from the state file, field for field" \
    "$(sorted_json "$F6")" "$(sorted_json "$out")"
assert_eq "restart: v6 updated_at unchanged" \
    "$(json_get updated_at "$F6")" "$(json_get updated_at "$out")"
assert_eq "restart: v6 findings unchanged" 1 "$(json_get findings "$out")"
out=$(ctl status "$SERVER4" -4)
assert_eq "restart: pmtudctl status (text) exit status" 0 "$(ctl_rc)"
assert_match "restart: pmtudctl status (text) says 1400" \
    "^$SERVER4 .*pmtu 1400" "$out"
listing '{"id":21,"cmd":"status"}'
assert_eq "restart: listing count" 2 "$LISTING_COUNT"
check "restart: log says 2 results loaded" \
    log_has "$STATE: 2 results loaded"
check "restart: no warning about the state file" sh -c \
    "! grep -F 'moved aside' '$DAEMON_LOG'"
# A finding made just before SIGTERM (well inside the ~1 s coalescing
# delay) is written at shutdown.
probe_check "restart: probe" "$SERVER4" 4 1400 1500 icmp
stopped "restarted"
assert_eq "restart: the finding just before SIGTERM saved at shutdown" 2 \
    "$(state_field "$SERVER4" 4 findings)"
assert_eq "restart: state file still holds both results" 2 \
    "$(jq '.results | length' "$STATE" 2>/dev/null)"
check "restart: no file moved aside" sh -c \
    "! ls '$STATE'.bad-* >/dev/null 2>&1"

# --- 3. corrupt or foreign state files are moved aside ----------------

VALID=$T/valid.json
cp "$STATE" "$VALID"
n=0
for kind in truncated other-format other-version not-json; do
	n=$((n + 1))
	case $kind in
	truncated)	head -c 150 "$VALID" >"$STATE" ;;
	other-format)	echo '{"format":"other"}' >"$STATE" ;;
	other-version)	echo '{"format":"pmtud-state","version":2,"saved_at":"2026-01-01T00:00:00Z","results":[]}' >"$STATE" ;;
	not-json)	printf 'pmtud was here\n' >"$STATE" ;;
	esac
	cp "$STATE" "$T/corrupt.$n"
	start_daemon "" --config "$EMPTY"
	check "$kind: daemon runs" daemon_alive
	check "$kind: warning names the file and where it went" \
	    log_has "$STATE.*moved aside to $STATE\\.bad-[0-9]+"
	aside=$(ls "$STATE".bad-* 2>/dev/null)
	assert_eq "$kind: one file moved aside" 1 \
	    "$(printf '%s\n' "$aside" | grep -c .)"
	check "$kind: the moved file is the bad one, unchanged" \
	    cmp -s "$T/corrupt.$n" "$aside"
	check "$kind: log names the moved file" log_has "$aside"
	check "$kind: no state file until something is saved" \
	    [ ! -e "$STATE" ]
	listing '{"id":22,"cmd":"status"}'
	assert_eq "$kind: nothing loaded (listing count)" 0 "$LISTING_COUNT"
	assert_eq "$kind: status of a saved destination" not_found \
	    "$(status_error_code "$SERVER4" 4)"
	probe_check "$kind: probe" "$SERVER4" 4 1400 1500 icmp
	saved4() {
		[ "$(state_field "$SERVER4" 4 pmtu)" = 1400 ]
	}
	check "$kind: a fresh state file is saved" wait_until 10 saved4
	assert_eq "$kind: the fresh file holds just the new finding" \
	    "1 1" "$(jq -r '"\(.results | length) \(.results[0].findings)"' \
	    "$STATE" 2>/dev/null)"
	stopped "$kind"
	rm -f "$STATE".bad-*
done

# --- 4. a state file that cannot be written ---------------------------

GOOD_STATE=$STATE
: >"$T/plainfile"
STATE=$T/plainfile/state.json	# its "directory" is a regular file
start_daemon "" --config "$EMPTY"
check "unwritable: daemon runs" daemon_alive
probe_check "unwritable: probe" "$SERVER4" 4 1400 1500 icmp
warned() {
	log_has "$STATE.*(Not a directory|kept in memory)"
}
check "unwritable: a warning names the state file" wait_until 10 warned
check "unwritable: daemon still runs after the failed save" \
    daemon_alive
out=$(finding "$SERVER4" 4)
assert_eq "unwritable: status answers from memory (pmtu)" 1400 \
    "$(json_get pmtu "$out")"
assert_eq "unwritable: status answers from memory (findings)" 1 \
    "$(json_get findings "$out")"
probe_check "unwritable: a second probe" "$SERVER6" 6 1400 1500 icmp
out=$(finding "$SERVER6" 6)
assert_eq "unwritable: second finding kept in memory" 1400 \
    "$(json_get pmtu "$out")"
check "unwritable: nothing appeared beside the regular file" \
    [ ! -e "$T/plainfile.bad" ]
assert_eq "unwritable: the regular file is untouched" 0 \
    "$(wc -c <"$T/plainfile")"
stopped "unwritable"
STATE=$GOOD_STATE

# --- 5. SIGTERM while a probe is in flight ----------------------------

before=$(saved_json "$SERVER4" 4)
router_blackhole "${PREFIX}r1"
start_daemon "" --config "$EMPTY"
ctl probe "$SERVER4" -4 --json >"$T/bg.out" &
BG=$!
sleep 0.3
# Through a black hole the search takes seconds: still running now.
check "in flight: the probe is still running at SIGTERM" kill -0 "$BG"
stopped "in flight"
bg_done() {
	! kill -0 "$BG" 2>/dev/null
}
check "in flight: pmtudctl returns once the daemon is gone" \
    wait_until 10 bg_done
kill -KILL "$BG" 2>/dev/null
wait "$BG"
assert_eq "in flight: pmtudctl exit status (no reply)" 1 "$?"
assert_eq "in flight: pmtudctl printed no result" "" "$(cat "$T/bg.out")"
assert_eq "in flight: state file keeps the earlier finding" \
    "$before" "$(saved_json "$SERVER4" 4)"
assert_eq "in flight: state file still parses as ours" true \
    "$(jq -c '.format == "pmtud-state" and .version == 1' "$STATE" \
    2>/dev/null)"
