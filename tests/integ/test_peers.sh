#!/bin/sh
# SPDX-License-Identifier: ISC
# Who may do what on the control socket.  The socket is made mode 0660
# with the group from socket-group.  Sending packets (probe) is for root,
# the daemon's own user and members of that group, told apart by
# SO_PEERCRED; read-only commands (status, version, metrics, watch) are
# for anyone who can connect.  To let an outsider connect at all the
# test opens the socket to everyone (chmod 0666), as an operator could:
# the daemon must still refuse the outsider's probes.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
command -v setpriv >/dev/null 2>&1 ||
    die "setpriv installed" "expected setpriv (util-linux) in PATH, got none"

GRP=pmtg$$	# the socket's group
UA=pmta$$	# member (supplementary group)
UB=pmtb$$	# outsider
UC=pmtc$$	# member (primary group)
group_add "$GRP"
user_add "$UA" -G "$GRP"
user_add "$UB"
user_add "$UC" -g "$GRP"
check "$UA is in $GRP" sh -c "id -Gn $UA | tr ' ' '\n' | grep -qx $GRP"
check "$UB is not in $GRP" sh -c "! id -Gn $UB | tr ' ' '\n' | grep -qx $GRP"
check "$UB is not in group pmtud" sh -c "! id -Gn $UB | tr ' ' '\n' | grep -qx pmtud"

topo_line 1500 1420 1500
write_conf "$T/pmtud.conf" "socket-group $GRP" "on-demand-events yes"
start_daemon "" --config "$T/pmtud.conf"

assert_eq "socket made 0660 with group $GRP" "660 $GRP" \
    "$(stat -c '%a %G' "$SOCK")"

# Before the chmod the outsider cannot even connect.
out=$(ctl_as "$UB" status)
assert_eq "0660: $UB cannot connect (exit 2)" 2 "$(ctl_rc)"
assert_match "0660: $UB is told why" \
    "^pmtudctl: cannot connect to $SOCK: Permission denied" "$(ctl_as_err)"
# A member can, and may probe.
out=$(ctl_as "$UA" probe "$SERVER4" -4 --json)
assert_eq "0660: $UA probe exit status" 0 "$(ctl_rc)"
assert_eq "0660: $UA probe pmtu" 1420 "$(json_get pmtu "$out")"

chmod 0666 "$SOCK"

# --- the outsider: read-only commands work ----------------------------
out=$(ctl_as "$UB" version)
assert_eq "$UB version: exit status" 0 "$(ctl_rc)"
assert_match "$UB version: pmtud's version" '^pmtud [0-9]+\.[0-9]+\.[0-9]+' "$out"

out=$(ctl_as "$UB" status "$SERVER4" -4 --json)
assert_eq "$UB status DEST: exit status" 0 "$(ctl_rc)"
assert_eq "$UB status DEST: the member's finding" 1420 \
    "$(status_get pmtu "$out")"

out=$(ctl_as "$UB" status --json)
assert_eq "$UB status: exit status" 0 "$(ctl_rc)"
assert_eq "$UB status: one finding listed" 1 "$(printf '%s\n' "$out" | grep -c .)"

out=$(ctl_as "$UB" metrics)
assert_eq "$UB metrics: exit status" 0 "$(ctl_rc)"
assert_match "$UB metrics: the finding's PMTU" \
    "^pmtud_path_mtu_bytes\\{destination=\"$SERVER4\",address=\"$SERVER4\",family=\"4\"\\} 1420\$" \
    "$out"

# --- the outsider: probes are refused ---------------------------------
out=$(ctl_as "$UB" probe "$SERVER6" -6)
assert_eq "$UB probe: exit status" 1 "$(ctl_rc)"
assert_eq "$UB probe: nothing on stdout" "" "$out"
assert_eq "$UB probe: message" \
    "pmtudctl: permission_denied: probe needs root or membership in the control socket's group" \
    "$(ctl_as_err)"
# The raw reply: error code, and the request's id echoed.
out=$(printf '%s\n' '{"id":7,"cmd":"probe","destination":"'"$SERVER6"'","family":6}' |
    timeout -k 2 10 setpriv --reuid="$UB" --regid="$(id -g "$UB")" \
    --init-groups --inh-caps=-all socat -t 5 - "UNIX-CONNECT:$SOCK" 2>/dev/null)
assert_eq "$UB raw probe: ok" false "$(json_get ok "$out")"
assert_eq "$UB raw probe: id" 7 "$(json_get id "$out")"
assert_eq "$UB raw probe: error code" permission_denied \
    "$(json_get error.code "$out")"
# Refused means not sent: no finding for that destination appeared.
assert_eq "$UB probe: no finding made" not_found \
    "$(status_error_code "$SERVER6" 6)"
# check may not probe for the outsider either: it cannot know (UNKNOWN).
out=$(ctl_as "$UB" check "$SERVER6" -6)
assert_eq "$UB check of an unprobed destination: exit status" 3 "$(ctl_rc)"
assert_eq "$UB check of an unprobed destination: line" \
    "PMTUD UNKNOWN - permission_denied: probe needs root or membership in the control socket's group" \
    "$out"
# ...but it reads what is known.
out=$(ctl_as "$UB" check "$SERVER4" -4)
assert_eq "$UB check of a probed destination: exit status" 0 "$(ctl_rc)"
assert_eq "$UB check of a probed destination: line" \
    "PMTUD OK - $SERVER4 (IPv4) pmtu 1420 | pmtu=1420B;;;0;1500" "$out"

# --- the outsider watches while a member's probe changes a finding ----
# Each round widens or narrows link 2 and has the member probe again:
# a pmtu_changed event, until the watcher has one (it may not be
# subscribed yet when the first probe ends; a narrower path is raised
# once a second run confirms it).
timeout -k 2 60 setpriv --reuid="$UB" --regid="$(id -g "$UB")" \
    --init-groups --inh-caps=-all "$PMTUDCTL" --socket "$SOCK" \
    watch --count 1 >"$T/watch.out" 2>"$T/watch.err" &
WATCH_PID=$!
# Until it is reaped below, cleanup ends it (and only it).
ops_atexit '[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null'

prev=1420
round=0
while [ ! -s "$T/watch.out" ] && [ $round -lt 6 ]; do
	if [ $prev = 1420 ]; then mtu=1480; else mtu=1420; fi
	ip -n "${PREFIX}r1" link set v2r mtu $mtu
	ip -n "${PREFIX}r2" link set v2l mtu $mtu
	out=$(ctl_as "$UA" probe "$SERVER4" -4 --json)
	assert_eq "$UA probe round $round: exit status" 0 "$(ctl_rc)"
	assert_eq "$UA probe round $round: pmtu" $mtu "$(json_get pmtu "$out")"
	prev=$mtu
	wait_until 2 test -s "$T/watch.out"
	round=$((round + 1))
done
wait_until 5 sh -c "! kill -0 $WATCH_PID 2>/dev/null"
wait $WATCH_PID
rc=$?
WATCH_PID=""
assert_eq "$UB watch --count 1: exit status" 0 "$rc"
ev=$(head -1 "$T/watch.out")
assert_eq "$UB watch: one event" 1 "$(grep -c . "$T/watch.out")"
assert_eq "$UB watch: event" pmtu_changed "$(json_get event "$ev")"
assert_eq "$UB watch: destination" "$SERVER4" "$(json_get destination "$ev")"
assert_eq "$UB watch: pmtu" "$prev" "$(json_get pmtu "$ev")"
if [ "$prev" = 1420 ]; then was=1480; else was=1420; fi
assert_eq "$UB watch: previous_pmtu" "$was" "$(json_get previous_pmtu "$ev")"
cat "$T/watch.err" >>"$CTL_ERR"

# --- who may probe ----------------------------------------------------
probe_as() {
	out=$(ctl_as "$1" probe "$SERVER6" -6 --json)
	assert_eq "$1 ($2) probe: exit status" 0 "$(ctl_rc)"
	assert_eq "$1 ($2) probe: state" ok "$(json_get state "$out")"
	assert_eq "$1 ($2) probe: pmtu" "$prev" "$(json_get pmtu "$out")"
}
probe_as "$UA" "supplementary member"
probe_as "$UC" "primary group member"
probe_as pmtud "the daemon's user"
probe_as root "root"
out=$(ctl probe "$SERVER6" -6 --json)
assert_eq "root via ctl: exit status" 0 "$(ctl_rc)"
assert_eq "root via ctl: pmtu" "$prev" "$(json_get pmtu "$out")"

# The outsider is still refused after all that, the member still not.
out=$(ctl_as "$UB" probe "$SERVER4" -4)
assert_eq "$UB probe again: exit status" 1 "$(ctl_rc)"
assert_match "$UB probe again: permission_denied" \
    '^pmtudctl: permission_denied: ' "$(ctl_as_err)"
check "daemon still running" daemon_alive
