#!/bin/sh
# SPDX-License-Identifier: ISC
# Least privilege.  (a) Started as root, pmtud opens its sockets, then
# runs as user pmtud with CAP_NET_RAW alone (effective, permitted and
# bounding sets, in every thread), nothing inheritable or ambient,
# no_new_privs, and still finds the exact PMTU.  (b) Started as pmtud
# with only CAP_NET_RAW in the ambient set (as systemd does), it works
# the same and clears the ambient set.  (c) Without CAP_NET_RAW it
# refuses to start and says why.  (d) Root keeps every capability only
# with --no-drop, and says so; --user names a user that must exist and
# must not be root.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
command -v setpriv >/dev/null 2>&1 ||
    die "setpriv installed" "expected setpriv (util-linux) in PATH, got none"
topo_line 1500 1420 1500

PUID=$(id -u pmtud)
PGID=$(id -g pmtud)
RAW=0000000000002000	# 1 << CAP_NET_RAW (13)
NONE=0000000000000000

# caps_check NAME PID: every thread of PID runs as pmtud with
# CAP_NET_RAW only (CapBnd too), nothing to hand on, no_new_privs.
caps_check() {
	_n=$1
	_tasks=$(ls "/proc/$2/task" 2>/dev/null)
	check "$_n: /proc/$2/task lists threads" [ -n "$_tasks" ]
	for _t in $_tasks; do
		_w="$_n: thread $_t"
		assert_eq "$_w Uid" "$PUID $PUID $PUID $PUID" \
		    "$(proc_status "$2/task/$_t" Uid)"
		assert_eq "$_w Gid" "$PGID $PGID $PGID $PGID" \
		    "$(proc_status "$2/task/$_t" Gid)"
		assert_eq "$_w Groups" "$PGID" \
		    "$(proc_status "$2/task/$_t" Groups)"
		assert_eq "$_w CapEff" $RAW "$(proc_status "$2/task/$_t" CapEff)"
		assert_eq "$_w CapPrm" $RAW "$(proc_status "$2/task/$_t" CapPrm)"
		assert_eq "$_w CapBnd" $RAW "$(proc_status "$2/task/$_t" CapBnd)"
		assert_eq "$_w CapInh" $NONE "$(proc_status "$2/task/$_t" CapInh)"
		assert_eq "$_w CapAmb" $NONE "$(proc_status "$2/task/$_t" CapAmb)"
		assert_eq "$_w NoNewPrivs" 1 \
		    "$(proc_status "$2/task/$_t" NoNewPrivs)"
	done
}

# probes_ok NAME: both families find 1420 exactly (r1 says too-big).
probes_ok() {
	probe_check "$1: v4 probe" "$SERVER4" 4 1420 1500 icmp
	probe_check "$1: v6 probe" "$SERVER6" 6 1420 1500 icmp
}

# --- (a) root start ---------------------------------------------------
start_daemon
pid=$(daemon_pid)
check "root start: daemon pid found" [ -n "$pid" ]
caps_check "root start" "$pid"
assert_eq "root start: socket mode and group (default: pmtud's)" \
    "660 pmtud" "$(stat -c '%a %G' "$SOCK")"
assert_eq "root start: run dir made for pmtud" "pmtud pmtud" \
    "$(stat -c '%U %G' "$T/run")"
assert_eq "root start: state dir made for pmtud" "pmtud pmtud" \
    "$(stat -c '%U %G' "$T/state")"
probes_ok "root start"
# Probing did not bring anything back.
caps_check "root start, after probes" "$pid"
daemon_stop
assert_eq "root start: exit status on SIGTERM" 0 "$DAEMON_RC"
assert_eq "root start: state file written by pmtud" pmtud \
    "$(stat -c '%U' "$STATE" 2>/dev/null)"

# --- (b) ambient CAP_NET_RAW only, as user pmtud ----------------------
# setpriv plays systemd's User=pmtud, AmbientCapabilities=CAP_NET_RAW,
# CapabilityBoundingSet=CAP_NET_RAW.  The directories are pmtud's, as
# RuntimeDirectory= and StateDirectory= would make them.
rm -rf "$T/run" "$T/state"
mkdir -m 0755 "$T/run" "$T/state"
chown pmtud:pmtud "$T/run" "$T/state"
cat >"$T/ambient.sh" <<EOF
#!/bin/sh
exec setpriv --reuid=pmtud --regid=pmtud --init-groups \
    --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw \
    --bounding-set=-all,+net_raw "$PMTUD" "\$@"
EOF
chmod 755 "$T/ambient.sh"
# The wrapper itself hands pmtud exactly that.
assert_eq "ambient wrapper: a child gets CapAmb = CAP_NET_RAW" \
    "$RAW $RAW $RAW" "$(nsx "$CLIENT" setpriv --reuid=pmtud --regid=pmtud \
    --init-groups --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw \
    --bounding-set=-all,+net_raw sh -c "awk '/^Cap(Amb|Eff|Prm):/ { printf \"%s \", \$2 }' /proc/self/status" |
    sed 's/ $//')"
if start_daemon_try "$T/ambient.sh"; then
	pass "ambient start: daemon starts"
	pid=$(daemon_pid)
	check "ambient start: daemon pid found" [ -n "$pid" ]
	caps_check "ambient start" "$pid"
	assert_eq "ambient start: socket mode and group" "660 pmtud" \
	    "$(stat -c '%a %G' "$SOCK")"
	probes_ok "ambient start"
	daemon_stop
	assert_eq "ambient start: exit status on SIGTERM" 0 "$DAEMON_RC"
else
	fail "ambient start: daemon starts" \
	    "expected a running daemon, got exit status $DAEMON_RC: $(tr '\n' ' ' <"$DAEMON_LOG" | head -c 300)"
fi

# --- (c) a non-root start without CAP_NET_RAW -------------------------
out=$(nsx "$CLIENT" timeout -k 2 20 setpriv --reuid=pmtud --regid=pmtud \
    --init-groups --inh-caps=-all --bounding-set=-all \
    "$PMTUD" --foreground --socket "$SOCK" --state "$STATE" 2>&1 </dev/null)
rc=$?
check "no CAP_NET_RAW: exit status is not 0" [ "$rc" -ne 0 ]
assert_eq "no CAP_NET_RAW: exit status" 1 "$rc"
assert_match "no CAP_NET_RAW: says it needs CAP_NET_RAW" \
    'cannot open raw sockets \(needs CAP_NET_RAW\): Operation not permitted' \
    "$out"
printf '%s\n' "$out" >"$T/nocap.log"
sanitizer_check "$T/nocap.log" "no CAP_NET_RAW start"
check "no CAP_NET_RAW: no socket left listening" \
    sh -c "! echo '{\"cmd\":\"version\"}' | timeout 2 socat -t 2 - UNIX-CONNECT:$SOCK >/dev/null 2>&1"

# --- (d) root: --no-drop, --user --------------------------------------
start_daemon "" --no-drop
pid=$(daemon_pid)
check "--no-drop: daemon pid found" [ -n "$pid" ]
# The test runs as root: the daemon keeps what we have.
for f in CapEff CapPrm CapBnd; do
	assert_eq "--no-drop: $f as the root that started it" \
	    "$(proc_status $$ $f)" "$(proc_status "$pid" $f)"
done
assert_eq "--no-drop: Uid" "0 0 0 0" "$(proc_status "$pid" Uid)"
assert_eq "--no-drop: NoNewPrivs" 0 "$(proc_status "$pid" NoNewPrivs)"
check "--no-drop: warning in the log" \
    log_has 'running as root with every capability \(--no-drop\)'
probe_check "--no-drop: v4 probe" "$SERVER4" 4 1420 1500 icmp
daemon_stop
assert_eq "--no-drop: exit status on SIGTERM" 0 "$DAEMON_RC"

# A dropped start says nothing of the kind.
start_daemon
check "default start: no --no-drop warning" \
    sh -c "! grep -q 'every capability' '$DAEMON_LOG'"
daemon_stop

nouser=pmtnouser$$
check "user $nouser does not exist" sh -c "! id $nouser >/dev/null 2>&1"
for who in "$nouser" root; do
	rm -f "$SOCK"
	out=$(nsx "$CLIENT" timeout -k 2 20 "$PMTUD" --foreground \
	    --socket "$SOCK" --state "$STATE" --user "$who" 2>&1 </dev/null)
	rc=$?
	assert_eq "--user $who: exit status" 1 "$rc"
	printf '%s\n' "$out" >"$T/user.log"
	sanitizer_check "$T/user.log" "--user $who start"
	case $who in
	root)	assert_match "--user root: refused, naming the user" \
		    '^user root is root$' "$out" ;;
	*)	assert_match "--user $who: message names the user" \
		    "^user $who does not exist \(create it: useradd --system $who; or use --user NAME or --no-drop\)$" \
		    "$out" ;;
	esac
done
