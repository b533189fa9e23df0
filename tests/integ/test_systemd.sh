#!/bin/sh
# SPDX-License-Identifier: ISC
# The systemd unit, without a running systemd:
#  - systemd-analyze verify accepts it without a complaint: a copy whose
#    ExecStart is the built binary (the installed path need not exist
#    here), with the man pages it names in a scratch MANPATH;
#  - systemd-analyze security --offline rates its exposure 2.0 or lower;
#  - the daemon starts and probes under the credentials the unit gives it
#    (the user pmtud, CAP_NET_RAW alone in the ambient and
#    bounding sets, no_new_privs), made with setpriv, in a namespace of
#    its own with loopback only, and tells the notify socket READY=1 and
#    STOPPING=1 as Type=notify expects.
. "$(dirname "$0")/lib.sh"

UNIT=$TOP/systemd/pmtud.service
MAX_EXPOSURE=2.0

for c in systemd-analyze setpriv man socat; do
	command -v $c >/dev/null 2>&1 ||
	    die "tool $c installed" "expected $c in PATH (make deps), got none"
done
[ -f "$UNIT" ] || die "unit file" "expected $UNIT, got none"
[ -x "$TOP/build/pmtud" ] ||
    die "binary pmtud built" "expected $TOP/build/pmtud, got none (make check builds it)"

# fails CMD...: true if the command fails.
fails() {
	! "$@"
}

quiet() {
	"$@" >/dev/null 2>&1
}

# unit_get KEY: the value of KEY= in the unit as shipped ("" if absent).
unit_get() {
	sed -n "s/^$1=//p" "$UNIT"
}

assert_eq "ExecStart" \
    "/usr/local/sbin/pmtud --foreground --config /etc/pmtud/pmtud.conf" \
    "$(unit_get ExecStart)"
assert_eq "Type" notify "$(unit_get Type)"
assert_eq "NotifyAccess" main "$(unit_get NotifyAccess)"
assert_eq "ExecReload" '/bin/kill -HUP $MAINPID' "$(unit_get ExecReload)"
assert_eq "AmbientCapabilities" CAP_NET_RAW "$(unit_get AmbientCapabilities)"
assert_eq "CapabilityBoundingSet" CAP_NET_RAW \
    "$(unit_get CapabilityBoundingSet)"
assert_eq "User" pmtud "$(unit_get User)"
assert_eq "Group" pmtud "$(unit_get Group)"
assert_eq "no DynamicUser" "" "$(unit_get DynamicUser)"
assert_eq "RestrictAddressFamilies" "AF_UNIX AF_INET AF_INET6 AF_NETLINK" \
    "$(unit_get RestrictAddressFamilies)"
# PrivateUsers= would leave CAP_NET_RAW without effect on the host's
# network; IPAddressDeny= would stop probes to some destinations.
assert_eq "no PrivateUsers" "" "$(unit_get PrivateUsers)"
assert_eq "no IPAddressDeny" "" "$(unit_get IPAddressDeny)"

# --- systemd-analyze verify -------------------------------------------

mkdir -p "$T/unit" "$T/man/man5" "$T/man/man8" ||
    die "scratch directories" "mkdir failed"
sed "s|^ExecStart=/usr/local/sbin/pmtud |ExecStart=$TOP/build/pmtud |" \
    "$UNIT" >"$T/unit/pmtud.service"
check "copy runs the built binary" \
    grep -q "^ExecStart=$TOP/build/pmtud --foreground" "$T/unit/pmtud.service"
cp "$TOP/daemon/pmtud.8" "$TOP/daemon/pmtudctl.8" "$T/man/man8/" &&
    cp "$TOP/conf/pmtud.conf.5" "$T/man/man5/" ||
    die "man pages copied" "cp failed"

# verify exits 0 on warnings too, so its output must be empty.
out=$(MANPATH=$T/man systemd-analyze verify "$T/unit/pmtud.service" 2>&1)
rc=$?
assert_eq "verify: exit status" 0 "$rc"
assert_eq "verify: no complaints" "" "$out"

# And it is not blind: a bad key and an unparsable value are reported.
printf '[Service]\nFrobnicate=yes\nPrivateTmp=maybe\n' \
    >"$T/unit/bad-keys.conf"
cat "$T/unit/pmtud.service" "$T/unit/bad-keys.conf" \
    >"$T/unit/pmtud-bad.service"
out=$(MANPATH=$T/man systemd-analyze verify "$T/unit/pmtud-bad.service" 2>&1)
assert_match "verify: bad key reported" "Unknown key 'Frobnicate'" "$out"
assert_match "verify: bad value reported" "Failed to parse boolean.*maybe" \
    "$out"

# --- systemd-analyze security -----------------------------------------

out=$(systemd-analyze security --offline=yes --no-pager \
    "$T/unit/pmtud.service" 2>&1)
level=$(printf '%s\n' "$out" |
    sed -n 's/.*Overall exposure level for pmtud\.service: \([0-9][0-9.]*\).*/\1/p')
assert_match "security: overall exposure level found" '^[0-9]+(\.[0-9]+)?$' \
    "$level"
if [ -n "$level" ] &&
    awk -v l="$level" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(l <= m) }'; then
	pass "security: exposure $level <= $MAX_EXPOSURE"
else
	fail "security: exposure <= $MAX_EXPOSURE" "expected <= $MAX_EXPOSURE, got ${level:-none}"
	printf '%s\n' "$out" | grep '✗' | head -30 | sed 's/^/    | /'
fi

# --- the daemon under the unit's credentials --------------------------

require_netns
require_daemon
# The unit's user (lib.sh adds it where make install or the package has
# not).
RUN_UID=$(id -u pmtud)
RUN_GID=$(id -g pmtud)
CLIENT=${PREFIX}u
ns_new "$CLIENT"
# As RuntimeDirectory= and StateDirectory= would: owned by the user.
chmod 0711 "$T"
mkdir -p "$T/run" "$T/lib"
chown "$RUN_UID:$RUN_GID" "$T/run" "$T/lib"
SOCK=$T/run/pmtud.sock
STATE=$T/lib/state.json
# The notify socket, as systemd's: datagrams, anyone may send.  socat
# ends by itself in case the test dies first.
NOTIFY=$T/notify.sock
timeout 120 socat -u "UNIX-RECV:$NOTIFY" "OPEN:$T/notify.log,creat" \
    >/dev/null 2>&1 &
SOCAT_PID=$!
# Stopped with the rest if the test ends early.
trap '_st=$?; kill "$SOCAT_PID" 2>/dev/null; (exit $_st); cleanup' EXIT
i=0
while [ ! -S "$NOTIFY" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
chmod 0666 "$NOTIFY" 2>/dev/null
check "notify socket ready" [ -S "$NOTIFY" ]
cat >"$T/as-unit" <<EOF
#!/bin/sh
NOTIFY_SOCKET=$NOTIFY
export NOTIFY_SOCKET
exec setpriv --reuid=$RUN_UID --regid=$RUN_GID --clear-groups \\
    --no-new-privs --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw \\
    --bounding-set=-all,+net_raw "$PMTUD" "\$@"
EOF
chmod 0755 "$T/as-unit"
start_daemon "$T/as-unit"

# The daemon itself: the only process in its namespace ($DAEMON_PID is
# the shell that started it).
pid=$(ip netns pids "$CLIENT")
assert_match "one daemon process in the namespace" '^[0-9]+$' "$pid"
st=/proc/$pid/status
# READY=1 comes before the socket answers, so it is there by now.
check "daemon says READY=1" grep -q 'READY=1' "$T/notify.log"
assert_eq "daemon runs as the unit's user" "$RUN_UID" \
    "$(awk '/^Uid:/ { print $3 }' "$st")"
# CAP_NET_RAW is capability 13: 0x2000.
assert_eq "daemon's effective capabilities: CAP_NET_RAW only" \
    0000000000002000 "$(awk '/^CapEff:/ { print $2 }' "$st")"
assert_eq "daemon's bounding set: CAP_NET_RAW only" \
    0000000000002000 "$(awk '/^CapBnd:/ { print $2 }' "$st")"
assert_eq "daemon has no_new_privs" 1 \
    "$(awk '/^NoNewPrivs:/ { print $2 }' "$st")"

out=$(ctl version)
assert_eq "version over the socket: exit status" 0 "$(ctl_rc)"
assert_match "version over the socket" '^pmtud [0-9]' "$out"
# Raw sockets work: loopback answers, in both families.
for f in 4 6; do
	[ $f = 4 ] && dest=127.0.0.1 || dest=::1
	probe_json "probe $dest as the unit's user" "$dest" $f || continue
	assert_eq "probe $dest as the unit's user: state" ok \
	    "$(json_get state "$PROBE_OUT")"
	assert_eq "probe $dest as the unit's user: method" icmp \
	    "$(json_get method "$PROBE_OUT")"
done
# SIGTERM to the daemon itself: it saves the state file and exits 0.
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "daemon exits on SIGTERM" fails quiet kill -0 "$pid"
check "daemon says STOPPING=1" grep -q 'STOPPING=1' "$T/notify.log"
kill "$SOCAT_PID" 2>/dev/null
wait "$SOCAT_PID" 2>/dev/null
check "state file written as the unit's user" \
    [ "$(stat -c %u "$STATE" 2>/dev/null)" = "$RUN_UID" ]
assert_eq "state file holds both findings" 2 \
    "$(jq '.results | length' "$STATE" 2>/dev/null)"
# Stopped here, not by the harness's cleanup.
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PIDS=""
sanitizer_check "$DAEMON_LOG" "daemon"
