#!/bin/sh
# SPDX-License-Identifier: ISC
# No root action through a path the daemon's user controls.  Started as
# root, pmtud makes its socket and state directories for the user it
# will run as; that user (an attacker who has taken over the daemon, or
# anything else running as it) can put links there.
#   - The control socket is made with its group and mode 0660 from the
#     start: a swapper running as the daemon's user, replacing the socket
#     with a link to a root-only file through many root starts, never
#     gets that file's group or mode changed.
#   - The state file is read with the daemon's own rights and a link is
#     not followed: a link to a root-only file puts none of its content
#     in the log, and the file is left as it was.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500

command -v cc >/dev/null 2>&1 ||
    die "cc installed" "expected a C compiler for swapper.c, got none"
SWAPPER=$T/swapper
cc -O2 -o "$SWAPPER" "$TOP/tests/integ/swapper.c" 2>"$T/cc.err" ||
    die "swapper.c compiles" "$(head -5 "$T/cc.err" | tr '\n' ' ')"
chmod 755 "$SWAPPER"

# --- the socket -----------------------------------------------------------

VICTIM=$T/victim
echo "root only" >"$VICTIM"
chown root:root "$VICTIM"
chmod 0600 "$VICTIM"

# The first start makes run/ for the daemon's user, as it always does.
start_daemon
assert_eq "socket mode from the start" 660 "$(stat -c %a "$SOCK")"
assert_eq "socket group from the start" "$(id -gn pmtud)" \
    "$(stat -c %G "$SOCK")"
assert_eq "socket directory belongs to the daemon's user" pmtud \
    "$(stat -c %U "$(dirname "$SOCK")")"
daemon_stop

# Started as the daemon's user; it ends by itself after SWAP_S seconds.
SWAP_S=8
as_user pmtud "$SWAPPER" "$SOCK" "$VICTIM" $SWAP_S >"$T/swapper.out" 2>&1 &
SWAP_PID=$!
starts=0
while [ $starts -lt 12 ]; do
	# The swapper may win the path before the daemon answers on it.
	ip netns exec "$CLIENT" "$PMTUD" --foreground --socket "$SOCK" \
	    --state "$STATE" >>"$T/starts.log" 2>&1 </dev/null &
	p=$!
	sleep 0.5
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	starts=$((starts + 1))
done
wait "$SWAP_PID"
rm -f "$SOCK" "$SOCK.swap"
check "the swapper ran as the daemon's user" \
    grep -q '^[1-9][0-9]* swaps$' "$T/swapper.out"
assert_eq "root starts under the swapper" 12 "$starts"
assert_eq "the linked file keeps its mode" 600 "$(stat -c %a "$VICTIM")"
assert_eq "the linked file keeps its group" root "$(stat -c %G "$VICTIM")"
assert_eq "the linked file keeps its owner" root "$(stat -c %U "$VICTIM")"
assert_eq "the linked file keeps its content" "root only" "$(cat "$VICTIM")"

# --- the state file ---------------------------------------------------------

SECRET=$T/secret
echo "TOPSECRETTOKEN and more" >"$SECRET"
chmod 0600 "$SECRET"
rm -f "$STATE"
mkdir -p "$(dirname "$STATE")"
ln -s "$SECRET" "$STATE"
start_daemon
check "a state link: nothing of the file it names in the log" \
    sh -c "! grep -q TOPSECRETTOKEN '$DAEMON_LOG'"
check "a state link: the log says it is not followed" \
    log_has "state.json: a symbolic link; not following it"
check "a state link: moved aside, not the file it names" \
    sh -c "ls '$(dirname "$STATE")' | grep -q '^state.json.bad-'"
assert_eq "a state link: the linked file is intact" \
    "TOPSECRETTOKEN and more" "$(cat "$SECRET")"
assert_eq "a state link: its mode is intact" 600 "$(stat -c %a "$SECRET")"
check "a state link: the daemon answers" ctl version >/dev/null
daemon_stop

# A state file only root may read: the daemon reads with its own rights.
rm -f "$STATE" "$(dirname "$STATE")"/state.json.bad-*
cp "$SECRET" "$STATE"
chown root:root "$STATE"
chmod 0600 "$STATE"
start_daemon
check "a root-only state file: nothing of it in the log" \
    sh -c "! grep -q TOPSECRETTOKEN '$DAEMON_LOG'"
check "a root-only state file: read as the daemon's user (denied)" \
    log_has "state.json: open: Permission denied"
daemon_stop
