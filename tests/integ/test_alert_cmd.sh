#!/bin/sh
# SPDX-License-Identifier: ISC
# The alert command's reach.  Its script starts a process in the
# background (a copy of sleep under a name unique to this run, so pgrep
# finds it and nothing else) and exits at once.  With alert-timeout 1s
# the daemon ends that process too: it is gone well before its 300 s.
# The script also dumps its environment: PATH, PWD (set by the shell)
# and PMTUD_* only, never the daemon's own variables (the daemon starts
# here with a marker variable in its environment).
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500

BG=pmtud-alert-bg-$$
cp "$(command -v sleep)" "$T/$BG" ||
    die "copy of sleep" "expected cp to work, got failure"
chmod 755 "$T/$BG"
AL=$T/alerts
mkdir "$AL"
chmod 777 "$AL"
cat >"$T/alert.sh" <<EOS
env >"$AL/env.tmp"
mv "$AL/env.tmp" "$AL/env"
"$T/$BG" 300 &
exit 0
EOS
chmod 644 "$T/alert.sh"

# bg_pids: the background processes of this run, if any.
bg_pids() {
	pgrep -f "$T/$BG" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'
}
# Whatever the outcome, none outlives the test.
ops_atexit 'for p in $(bg_pids); do kill -KILL $p 2>/dev/null; done'

bg_gone() {
	[ -z "$(bg_pids)" ]
}

write_conf "$T/pmtud.conf" "alert-command sh $T/alert.sh" "alert-timeout 1s" \
    "on-demand-events yes"
LEAK_MARK=pmtud-leak-$$
PMTUD_HARDEN_LEAK=$LEAK_MARK
export PMTUD_HARDEN_LEAK
start_daemon "" --config "$T/pmtud.conf"
unset PMTUD_HARDEN_LEAK

# An unroutable destination: an instant unreachable event.
ctl probe 198.19.0.1 -4 --no-walk --json >/dev/null
check "the alert command ran" wait_until 10 test -s "$AL/env"
check "its background process started" \
    wait_until 10 sh -c "[ -n \"\$(pgrep -f '$T/$BG')\" ]"
check "the background process is ended by the timeout" wait_until 15 bg_gone
assert_eq "no background process left" "" "$(bg_pids)"

assert_eq "the daemon's marker variable is not passed on" "" \
    "$(grep -F "$LEAK_MARK" "$AL/env")"
assert_eq "the environment: PATH, PWD and PMTUD_* only" "" \
    "$(cut -d= -f1 "$AL/env" | grep -v -e '^PATH$' -e '^PWD$' \
    -e '^PMTUD_[A-Z_]*$' | tr '\n' ' ')"
assert_eq "PATH" "/usr/sbin:/usr/bin:/sbin:/bin" \
    "$(sed -n 's/^PATH=//p' "$AL/env")"
assert_eq "PMTUD_EVENT" unreachable "$(sed -n 's/^PMTUD_EVENT=//p' "$AL/env")"
assert_eq "PMTUD_DESTINATION" 198.19.0.1 \
    "$(sed -n 's/^PMTUD_DESTINATION=//p' "$AL/env")"
check "the timeout was logged" log_has "timed out after 1000 ms"
check "daemon still running" daemon_alive
