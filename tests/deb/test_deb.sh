#!/bin/sh
# SPDX-License-Identifier: ISC
# The Debian package, installed on this machine and purged again (make
# check-deb; as root):  sh tests/deb/test_deb.sh build/deb/pmtud_V_ARCH.deb
#
#  - lintian: no error and no warning, on the .changes (the package, its
#    debug symbols and the build info);
#  - the control fields, the version (lib/version.h = debian/changelog =
#    the package = what the binaries print);
#  - dpkg -i: the files, the conffile, the unit enabled, the user pmtud
#    (and what the package's sysusers.d file creates in a scratch root),
#    pmtud --check-config on the installed configuration, systemd-analyze
#    verify and security on the installed unit;
#  - the installed daemon, started as root in a namespace of its own with
#    loopback only, drops to the user pmtud and answers the installed
#    pmtudctl; bash completion, with and without a daemon to ask;
#  - a reinstall keeps an edited conffile; dpkg -r keeps the conffile and
#    the state, dpkg --purge removes every file, the state and the unit's
#    enablement, and keeps the user (Debian keeps system users).
#
# It touches nothing and fails where pmtud is installed as a package
# already, or where any file the package would own is there already
# (make install PREFIX=/usr, an operator's /etc/pmtud or /var/lib/pmtud):
# the purge would take them.  It purges what it installed, failure
# included.  PASS:/FAIL: lines, then "N passed, N failed".

TOP=$(cd "$(dirname "$0")/../.." && pwd)
TEST_NAME=$(basename "$0")
DEB=${1:-}
NPASS=0
NFAIL=0
INSTALLED=0		# 1 from dpkg -i on: cleanup purges
USER_BEFORE=0		# 1 if the user pmtud was there before the test
NS=pmtdeb$$
MAX_EXPOSURE=2.0	# as tests/integ/test_systemd.sh
UNIT=/lib/systemd/system/pmtud.service
WANTS=/etc/systemd/system/multi-user.target.wants/pmtud.service
COMPDIR=/usr/share/bash-completion/completions
T=$(mktemp -d "${TMPDIR:-/tmp}/pmtud-deb.XXXXXX") || exit 1
# The daemon, as the user pmtud, must reach its files here.
chmod 755 "$T"
export DEBIAN_FRONTEND=noninteractive

pass() {
	NPASS=$((NPASS + 1))
	echo "PASS: $TEST_NAME: $1"
}

fail() {
	NFAIL=$((NFAIL + 1))
	echo "FAIL: $TEST_NAME: $1 ($2)"
}

# assert_eq NAME EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected $2, got $3"
	fi
}

# assert_match NAME REGEX ACTUAL (grep -E, whole text)
assert_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1" "expected match /$2/, got $(printf '%s' "$3" |
		    head -c 300 | tr '\n' ' ')"
	fi
}

# check NAME COMMAND...: passes if the command succeeds.
check() {
	_name=$1
	shift
	if "$@"; then
		pass "$_name"
	else
		fail "$_name" "expected true: $*, got false"
	fi
}

# Ends the test now with a FAIL; cleanup still runs.
die() {
	fail "$1" "$2"
	exit 1
}

quiet() {
	"$@" >/dev/null 2>&1
}

absent() {
	[ ! -e "$1" ] && [ ! -L "$1" ]
}

# pkg_status: dpkg's state of pmtud ("" when dpkg never heard of it).
pkg_status() {
	dpkg-query -W -f='${db:Status-Status}' pmtud 2>/dev/null
}

# dpkg_run ARGS...: dpkg, waiting up to a minute for another dpkg or apt
# to let go of the lock.  Output in $T/dpkg.out, exit status in DPKG_RC.
dpkg_run() {
	_i=0
	while :; do
		dpkg "$@" >"$T/dpkg.out" 2>&1 </dev/null
		DPKG_RC=$?
		[ $DPKG_RC -ne 0 ] && [ $_i -lt 30 ] &&
		    grep -qi 'lock' "$T/dpkg.out" || break
		sleep 2
		_i=$((_i + 1))
	done
	if [ $DPKG_RC -ne 0 ]; then
		sed 's/^/    | /' "$T/dpkg.out"
	fi
}

stop_daemon() {
	for _p in $(ip netns pids "$NS" 2>/dev/null); do
		kill -TERM "$_p" 2>/dev/null
	done
	_i=0
	while [ -n "$(ip netns pids "$NS" 2>/dev/null)" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	for _p in $(ip netns pids "$NS" 2>/dev/null); do
		kill -KILL "$_p" 2>/dev/null
	done
	[ -n "${DAEMON_PID:-}" ] && wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=""
}

cleanup() {
	_status=$?
	trap - EXIT INT TERM
	stop_daemon
	ip netns del "$NS" 2>/dev/null
	if [ $INSTALLED -eq 1 ] && [ -n "$(pkg_status)" ] &&
	    [ "$(pkg_status)" != not-installed ]; then
		echo "    purging the package this test installed"
		dpkg_run --purge pmtud
		[ $DPKG_RC -eq 0 ] ||
		    fail "purge at cleanup" "dpkg --purge exit status $DPKG_RC"
	fi
	# The machine as it was: Debian keeps the user at purge, this test
	# does not keep one it brought.
	if [ $INSTALLED -eq 1 ] && [ $USER_BEFORE -eq 0 ] &&
	    getent passwd pmtud >/dev/null; then
		echo "    removing the user pmtud, which this test brought"
		userdel pmtud 2>/dev/null
		getent group pmtud >/dev/null && groupdel pmtud 2>/dev/null
	fi
	rm -rf "$T"
	[ "$_status" -ne 0 ] && [ $NFAIL -eq 0 ] &&
	    fail "test ran to its end" "expected so, got exit status $_status"
	echo "$NPASS passed, $NFAIL failed"
	[ $NFAIL -gt 0 ] && exit 1
	exit "$_status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preconditions ----------------------------------------------------

[ "$(id -u)" -eq 0 ] || die "running as root" "expected uid 0, got uid $(id -u)"
for c in dpkg dpkg-deb dpkg-parsechangelog lintian systemd-analyze \
    systemd-sysusers bash ip man; do
	command -v $c >/dev/null 2>&1 ||
	    die "tool $c installed" "expected $c in PATH (make deps), got none"
done
[ -n "$DEB" ] && [ -f "$DEB" ] ||
    die "package given" "expected a .deb (make check-deb builds it), got '${DEB}'"
[ -f "$COMPDIR/../bash_completion" ] ||
    die "bash-completion installed" "expected $COMPDIR/../bash_completion, got none"

st=$(pkg_status)
case $st in
"" | not-installed)
	pass "no pmtud package installed before the test"
	;;
*)
	die "no pmtud package installed before the test" \
	    "expected none, got one in state '$st': not touching it"
	;;
esac

# Every file and link the package would own, with the paths purge takes.
dpkg-deb -c "$DEB" >"$T/contents" ||
    die "package contents" "dpkg-deb -c failed"
FILES=$(awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' "$T/contents")
[ -n "$FILES" ] || die "package contents" "expected files, got none"
there=""
for f in $FILES /etc/pmtud /var/lib/pmtud /usr/share/pmtud "$WANTS"; do
	absent "$f" || there="$there $f"
done
[ -z "$there" ] || die "none of the package's files on the machine before" \
    "expected none, got$there: purge would remove them, not touching it"
pass "none of the package's files on the machine before"
getent passwd pmtud >/dev/null && USER_BEFORE=1

# --- the package itself -----------------------------------------------

VERSION=$(sed -n 's/^#define PMTUD_VERSION[^"]*"\(.*\)"/\1/p' \
    "$TOP/lib/version.h")
assert_match "lib/version.h has a version" '^[0-9]+\.[0-9]+' "$VERSION"
assert_eq "debian/changelog: version of lib/version.h" "$VERSION" \
    "$(dpkg-parsechangelog -l "$TOP/debian/changelog" -SVersion)"
assert_eq "package name" pmtud "$(dpkg-deb -f "$DEB" Package)"
assert_eq "package version" "$VERSION" "$(dpkg-deb -f "$DEB" Version)"
assert_eq "package architecture" "$(dpkg --print-architecture)" \
    "$(dpkg-deb -f "$DEB" Architecture)"
depends=$(dpkg-deb -f "$DEB" Depends)
assert_match "depends on the libraries" 'libevent.*libjansson|libjansson.*libevent' \
    "$depends"
assert_match "depends on systemd-sysusers for the user" 'systemd-sysusers' \
    "$depends"

# The .changes covers the package, its debug symbols and the build info.
changes=${DEB%.deb}.changes
[ -f "$changes" ] || changes=$DEB
lintian --fail-on error,warning --display-info "$changes" \
    >"$T/lintian.out" 2>&1
rc=$?
grep -v 'running with root privileges' "$T/lintian.out" >"$T/lintian"
sed 's/^/    lintian: /' "$T/lintian"
assert_eq "lintian $(basename "$changes"): exit status" 0 "$rc"
assert_eq "lintian: no error or warning" "" \
    "$(grep -E '^[EW]: ' "$T/lintian")"

# --- install ----------------------------------------------------------

INSTALLED=1
dpkg_run -i "$DEB"
assert_eq "dpkg -i: exit status" 0 "$DPKG_RC"
assert_eq "dpkg -i: no warning" "" \
    "$(grep -Ei 'warning|error' "$T/dpkg.out")"
assert_eq "installed" "ii " "$(dpkg-query -W -f='${db:Status-Abbrev}' pmtud)"

for f in /usr/sbin/pmtud /usr/bin/pmtudctl; do
	assert_eq "$f: mode, owner" "755 root:root" \
	    "$(stat -c '%a %U:%G' "$f" 2>&1)"
done
for f in /usr/share/man/man8/pmtud.8.gz /usr/share/man/man8/pmtudctl.8.gz \
    /usr/share/man/man5/pmtud.conf.5.gz "$UNIT" /etc/pmtud/pmtud.conf \
    /usr/share/pmtud/pmtud-alerts.yml /usr/lib/sysusers.d/pmtud.conf \
    $COMPDIR/pmtudctl /usr/share/doc/pmtud/copyright \
    /usr/share/doc/pmtud/changelog.gz; do
	assert_eq "$f: mode, owner" "644 root:root" \
	    "$(stat -c '%a %U:%G' "$f" 2>&1)"
done
assert_eq "man finds pmtudctl(8)" /usr/share/man/man8/pmtudctl.8.gz \
    "$(man -w 8 pmtudctl 2>&1)"
assert_eq "nothing under /usr/local" "" "$(dpkg -L pmtud | grep /usr/local)"
assert_eq "dpkg --verify: files as shipped" "" "$(dpkg --verify pmtud 2>&1)"
assert_match "conffile /etc/pmtud/pmtud.conf" '^ /etc/pmtud/pmtud.conf [0-9a-f]{32}' \
    "$(dpkg-query -W -f='${Conffiles}\n' pmtud)"
check "/etc/pmtud/pmtud.conf is conf/pmtud.conf" \
    cmp -s /etc/pmtud/pmtud.conf "$TOP/conf/pmtud.conf"
check "/usr/share/pmtud/pmtud-alerts.yml is conf/prometheus's" \
    cmp -s /usr/share/pmtud/pmtud-alerts.yml \
    "$TOP/conf/prometheus/pmtud-alerts.yml"
if command -v promtool >/dev/null 2>&1; then
	check "promtool check rules on the installed rules" \
	    quiet promtool check rules /usr/share/pmtud/pmtud-alerts.yml
fi
assert_eq "pmtud --version" "pmtud $VERSION" "$(/usr/sbin/pmtud --version 2>&1)"
assert_eq "pmtudctl --version" "pmtudctl $VERSION" \
    "$(/usr/bin/pmtudctl --version 2>&1)"

# --- the user -----------------------------------------------------------

pw=$(getent passwd pmtud)
assert_match "user pmtud exists" '^pmtud:' "$pw"
uid=$(echo "$pw" | cut -d: -f3)
case $uid in
"" | *[!0-9]*)	uid=-1 ;;
esac
check "user pmtud is a system user (uid $uid, 1 to 999)" \
    [ "$uid" -gt 0 -a "$uid" -lt 1000 ]
assert_match "user pmtud cannot log in" ':/usr/sbin/nologin$|:/bin/false$' "$pw"
assert_match "group pmtud exists" '^pmtud:' "$(getent group pmtud)"
if [ $USER_BEFORE -eq 0 ]; then
	pass "user pmtud created by the package"
else
	echo "    note: the user pmtud was here before the test (the namespace" \
	    "tests add it); what the package creates is checked in a scratch root"
fi
# The postinst's own call, in a root of nothing but the sysusers file.
check "postinst runs systemd-sysusers pmtud.conf" \
    sh -c "dpkg-deb --ctrl-tarfile '$DEB' | tar -xOf - ./postinst |
	grep -q '^ *systemd-sysusers .*pmtud.conf$'"
mkdir -p "$T/root/etc" "$T/root/usr/lib/sysusers.d"
cp /usr/lib/sysusers.d/pmtud.conf "$T/root/usr/lib/sysusers.d/"
systemd-sysusers --root="$T/root" pmtud.conf >"$T/sysusers.out" 2>&1
assert_eq "systemd-sysusers in a scratch root: exit status" 0 "$?"
assert_match "scratch root: system user pmtud, home the state, no login" \
    '^pmtud:x:[1-9][0-9]{0,2}:[0-9]+:[^:]*:/var/lib/pmtud:/usr/sbin/nologin$' \
    "$(cat "$T/root/etc/passwd" 2>&1)"
assert_match "scratch root: group pmtud" '^pmtud:x:[1-9][0-9]*:' \
    "$(cat "$T/root/etc/group" 2>&1)"

# --- the configuration and the unit -------------------------------------

out=$(/usr/sbin/pmtud --check-config --config /etc/pmtud/pmtud.conf 2>&1)
assert_eq "check-config on /etc/pmtud/pmtud.conf: exit status" 0 "$?"
assert_eq "check-config on /etc/pmtud/pmtud.conf" \
    "/etc/pmtud/pmtud.conf: OK, 0 destinations" "$out"
# And it is not blind.
{ cat /etc/pmtud/pmtud.conf; echo "frobnicate yes"; } >"$T/bad.conf"
/usr/sbin/pmtud --check-config --config "$T/bad.conf" >/dev/null 2>&1
assert_eq "check-config on a bad copy: exit status" 1 "$?"

unit_get() {
	sed -n "s/^$1=//p" "$UNIT"
}
assert_eq "unit: ExecStart" \
    "/usr/sbin/pmtud --foreground --config /etc/pmtud/pmtud.conf" \
    "$(unit_get ExecStart)"
assert_eq "unit: User" pmtud "$(unit_get User)"
assert_eq "unit: no DynamicUser" "" "$(unit_get DynamicUser)"
out=$(systemd-analyze verify "$UNIT" 2>&1)
assert_eq "systemd-analyze verify $UNIT: exit status" 0 "$?"
assert_eq "systemd-analyze verify: no complaints" "" "$out"
out=$(systemd-analyze security --offline=yes --no-pager "$UNIT" 2>&1)
level=$(printf '%s\n' "$out" |
    sed -n 's/.*Overall exposure level for pmtud\.service: \([0-9][0-9.]*\).*/\1/p')
if [ -n "$level" ] &&
    awk -v l="$level" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(l <= m) }'; then
	pass "security: exposure $level <= $MAX_EXPOSURE"
else
	fail "security: exposure <= $MAX_EXPOSURE" "expected <= $MAX_EXPOSURE, got ${level:-none}"
fi
assert_eq "unit enabled: $WANTS" "$UNIT" "$(readlink "$WANTS")"
assert_match "deb-systemd-helper's record of the enablement" 'pmtud\.service' \
    "$(find /var/lib/systemd/deb-systemd-helper-enabled -name '*pmtud*' \
	2>/dev/null)"
if [ -d /run/systemd/system ]; then
	assert_eq "service started" active "$(systemctl is-active pmtud)"
	assert_match "service answers pmtudctl" "^pmtud $VERSION" \
	    "$(/usr/bin/pmtudctl version 2>&1)"
else
	echo "    note: systemd does not run here: the unit is enabled, not started"
fi

# --- the installed daemon and pmtudctl ------------------------------------

SOCK=$T/run/pmtud.sock
sed -e "s|^socket .*|socket $SOCK|" \
    -e "s|^state .*|state $T/state/state.json|" \
    /etc/pmtud/pmtud.conf >"$T/pmtud.conf"
ip netns add "$NS" || die "namespace $NS" "ip netns add failed"
ip -n "$NS" link set lo up
ip netns exec "$NS" /usr/sbin/pmtud --foreground --config "$T/pmtud.conf" \
    >"$T/daemon.log" 2>&1 </dev/null &
DAEMON_PID=$!
i=0
while [ ! -S "$SOCK" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -S "$SOCK" ] || {
	sed 's/^/    | /' "$T/daemon.log"
	die "installed daemon listens" "expected $SOCK within 5 s, got none"
}
pid=$(ip netns pids "$NS")
assert_eq "installed daemon drops to the user pmtud" "$(id -u pmtud)" \
    "$(awk '/^Uid:/ { print $3 }' "/proc/$pid/status" 2>&1)"
for dest in 127.0.0.1 ::1; do
	out=$(/usr/bin/pmtudctl --socket "$SOCK" probe "$dest" --no-walk 2>&1)
	assert_match "installed pmtudctl probes $dest" \
	    "^$dest +pmtu [0-9]+ .* ok " "$out"
done

# --- bash completion ------------------------------------------------------

# comp [--full] WORD...: what _pmtudctl offers for the last word, with
# bash-completion loaded as in a shell (--full) or the file alone.
comp() {
	_full=0
	if [ "$1" = --full ]; then
		_full=1
		shift
	fi
	bash -c '
	    if [ "$1" = 1 ]; then
		. /usr/share/bash-completion/bash_completion
	    fi
	    . '"$COMPDIR"'/pmtudctl
	    shift
	    COMP_WORDS=("$@")
	    COMP_CWORD=$(($# - 1))
	    COMP_LINE="$*"
	    COMP_POINT=${#COMP_LINE}
	    _pmtudctl
	    echo "${COMPREPLY[*]}"' comp "$_full" "$@" 2>&1
}

assert_eq "completion: the file alone: pmtudctl st<TAB>" status \
    "$(comp pmtudctl st)"
assert_eq "completion: pmtudctl st<TAB>" status "$(comp --full pmtudctl st)"
assert_eq "completion: bash-completion loads it by name" \
    "complete -F _pmtudctl pmtudctl" \
    "$(bash -c '. /usr/share/bash-completion/bash_completion
	_completion_loader pmtudctl; complete -p pmtudctl' 2>&1)"
assert_eq "completion: commands" \
    "probe status history explain check watch metrics reload version" \
    "$(comp --full pmtudctl '')"
assert_eq "completion: global options" "--socket --help --version" \
    "$(comp --full pmtudctl --)"
assert_eq "completion: probe's options" \
    "--method --port --no-walk --flows --json --timeout --socket" \
    "$(comp --full pmtudctl probe x --)"
assert_eq "completion: --method" "auto icmp udp tcp" \
    "$(comp --full pmtudctl probe x --method '')"
assert_eq "completion: --state" blackhole \
    "$(comp --full pmtudctl status --state b)"
assert_eq "completion: check's options" "--min-mtu --max-age" \
    "$(comp --full pmtudctl check x --m)"
assert_eq "completion: watch's options" "--count --socket" \
    "$(comp --full pmtudctl watch --)"
assert_eq "completion: destinations from the daemon" "127.0.0.1 ::1" \
    "$(comp --full pmtudctl --socket "$SOCK" status '')"
assert_eq "completion: destinations, --socket=, after the command" \
    127.0.0.1 "$(comp pmtudctl explain --socket="$SOCK" 12)"
assert_eq "completion: destinations, PMTUD_SOCKET" "127.0.0.1 ::1" \
    "$(PMTUD_SOCKET=$SOCK comp --full pmtudctl check '')"
assert_eq "completion: one destination only" "" \
    "$(comp --full pmtudctl --socket "$SOCK" probe 127.0.0.1 '')"
stop_daemon
assert_eq "completion: no daemon: nothing, silently" "" \
    "$(comp --full pmtudctl --socket "$SOCK" status '')"
assert_eq "completion: no socket: nothing, silently" "" \
    "$(PMTUD_SOCKET=$T/none.sock comp --full pmtudctl probe '')"

# --- reinstall, remove, purge -----------------------------------------------

echo "# edited by $TEST_NAME" >>/etc/pmtud/pmtud.conf
dpkg_run -i "$DEB"
assert_eq "reinstall: exit status" 0 "$DPKG_RC"
assert_eq "reinstall: the edited conffile kept" "# edited by $TEST_NAME" \
    "$(tail -n 1 /etc/pmtud/pmtud.conf)"

# State as the service leaves it.
mkdir -p /var/lib/pmtud &&
    echo '{}' >/var/lib/pmtud/state.json &&
    chown -R pmtud:pmtud /var/lib/pmtud ||
    fail "state directory made" "mkdir /var/lib/pmtud failed"

dpkg_run -r pmtud
assert_eq "dpkg -r: exit status" 0 "$DPKG_RC"
assert_eq "removed, configuration kept" config-files "$(pkg_status)"
check "removed: /usr/sbin/pmtud gone" absent /usr/sbin/pmtud
check "removed: /etc/pmtud/pmtud.conf kept" [ -f /etc/pmtud/pmtud.conf ]
check "removed: /var/lib/pmtud kept" [ -f /var/lib/pmtud/state.json ]

dpkg_run --purge pmtud
assert_eq "dpkg --purge: exit status" 0 "$DPKG_RC"
st=$(pkg_status)
check "purged: dpkg knows no pmtud (state '$st')" \
    [ -z "$st" -o "$st" = not-installed ]
left=""
for f in $FILES /etc/pmtud /var/lib/pmtud /usr/share/pmtud \
    /usr/share/doc/pmtud "$WANTS"; do
	absent "$f" || left="$left $f"
done
assert_eq "purged: no file left" "" "$left"
assert_eq "purged: no enablement state left" "" \
    "$(find /var/lib/systemd/deb-systemd-helper-enabled \
	/var/lib/systemd/deb-systemd-helper-masked -name '*pmtud*' 2>/dev/null)"
assert_match "purged: user pmtud kept, as Debian keeps system users" \
    '^pmtud:' "$(getent passwd pmtud)"
