#!/bin/sh
# SPDX-License-Identifier: ISC
# Faults around a running daemon: the interface MTU changes while it
# probes, sendto fails (an nftables output rule: EPERM), the route goes,
# the destination goes mid-probe, the state directory cannot be written
# (its parent is a file; the file system is full), the configuration
# file is deleted before SIGHUP, names do not resolve (a name server that
# does not answer, an empty resolv.conf).  Each must give a clear log line
# and an error or unreachable finding: never a crash, a hang or a made-up
# number.
#
# Path: client -1500- r1 -1500- r2 -1400- server, r2 sending no ICMP (a
# black hole), so a search runs for seconds and a fault can strike in
# the middle of one.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1500 1400
R2=${PREFIX}r2
router_blackhole "$R2"
start_daemon

# probes_total: pmtud_probes_sent_total, from the metrics.
probes_total() {
	ctl metrics | awk '$1 == "pmtud_probes_sent_total" { print $2 }'
}

# probes_past N: true once more than N probes have been sent.
probes_past() {
	[ "$(probes_total)" -gt "$1" ] 2>/dev/null
}

# bg_probe KEY DEST FAMILY: a probe in the background, its JSON into
# $T/bg.KEY (KEY: letters and digits); bg_wait KEY NAME waits for it and
# leaves it in PROBE_OUT.
bg_probe() {
	ctl probe "$2" "-$3" --json >"$T/bg.$1" </dev/null &
	eval "BG_$1=$!"
}
bg_wait() {
	eval "wait \$BG_$1"
	PROBE_OUT=$(cat "$T/bg.$1")
	if printf '%s\n' "$PROBE_OUT" | jq -e 'type == "object"' >/dev/null 2>&1
	then
		pass "$2: pmtudctl gave one JSON object (no hang)"
	else
		fail "$2: pmtudctl gave one JSON object (no hang)" \
		    "expected a finding, got $(head -c 200 "$T/bg.$1")"
	fi
}

# raw_wait SECONDS REQUEST: one request, its reply awaited up to SECONDS.
raw_wait() {
	printf '%s\n' "$2" | timeout -k 2 "$1" socat -t "$1" - \
	    "UNIX-CONNECT:$SOCK" 2>/dev/null
}

# mid_fault NAME DEST FAMILY COMMAND...: starts a probe, waits until it
# is under way (a few probes out: the search has answers and goes on for
# seconds through the black hole), then runs COMMAND; PROBE_OUT is the
# finding.
mid_fault() {
	_mn=$1 _md=$2 _mf=$3
	shift 3
	_m0=$(probes_total)
	bg_probe mid "$_md" "$_mf"
	wait_until 10 probes_past $((_m0 + 4)) ||
	    fail "$_mn: the probe gets under way" "expected probes sent, got $(probes_total) (from $_m0)"
	"$@"
	bg_wait mid "$_mn"
}

# fault_finding NAME STATES MESSAGE: PROBE_OUT is a finding in one of
# STATES (a regex) with no pmtu and an error matching MESSAGE.
fault_finding() {
	assert_match "$1: state" "^($2)\$" "$(json_get state "$PROBE_OUT")"
	assert_eq "$1: no pmtu" null "$(json_get pmtu "$PROBE_OUT")"
	assert_match "$1: the error says why" "$3" \
	    "$(json_get error "$PROBE_OUT")"
}

# exact NAME DEST FAMILY STATE PMTU LOCAL: one probe, its numbers exact.
exact() {
	probe_json "$1" "$2" "$3" --no-walk || return
	assert_eq "$1: state" "$4" "$(json_get state "$PROBE_OUT")"
	assert_eq "$1: pmtu" "$5" "$(json_get pmtu "$PROBE_OUT")"
	assert_eq "$1: local_mtu" "$6" "$(json_get local_mtu "$PROBE_OUT")"
	assert_eq "$1: error" null "$(json_get error "$PROBE_OUT")"
}

exact "baseline v4" "$SERVER4" 4 blackhole 1400 1500
exact "baseline v6" "$SERVER6" 6 blackhole 1400 1500

# --- the interface MTU changes while probing -----------------------------------

mid_fault "mtu 1300 mid-probe" "$SERVER4" 4 \
    ip -n "$CLIENT" link set v1r mtu 1300
# The finding under way may say what the path carried before the change
# (1400) or after it (1300), or that it could not tell: nothing else.
echo "    mtu 1300 mid-probe: $(printf '%s\n' "$PROBE_OUT" |
    jq -c '{state, pmtu, local_mtu, error, probes_sent}' 2>/dev/null)"
assert_match "mtu 1300 mid-probe: a finding" \
    '^(ok|blackhole|unreachable|error)$' "$(json_get state "$PROBE_OUT")"
assert_match "mtu 1300 mid-probe: pmtu is the path's before or after, or none" \
    '^(1400|1300|null)$' "$(json_get pmtu "$PROBE_OUT")"
# The next findings follow the new MTU exactly.
exact "after mtu 1300, v4" "$SERVER4" 4 ok 1300 1300
exact "after mtu 1300, v6" "$SERVER6" 6 ok 1300 1300
# Larger than the path: the local MTU follows, the PMTU stays the path's.
ip -n "$CLIENT" link set v1r mtu 9000
exact "after mtu 9000, v4" "$SERVER4" 4 blackhole 1400 9000
# Below IPv6's minimum: the kernel takes IPv6 off the link.
ip -n "$CLIENT" link set v1r mtu 1000
exact "after mtu 1000, v4" "$SERVER4" 4 ok 1000 1000
probe_json "after mtu 1000, v6" "$SERVER6" 6 --no-walk &&
    fault_finding "after mtu 1000, v6" 'unreachable|error' \
    'route|unreachable|minimum|[Nn]etwork'
ip -n "$CLIENT" link set v1r mtu 1500
ip -n "$CLIENT" -6 addr replace "$CLIENT6/64" dev v1r nodad
ip -n "$CLIENT" -6 route replace 2001:db8::/32 via 2001:db8:1::2
wait_until 5 sh -c "ip netns exec $CLIENT ping -6 -n -q -c 1 -W 1 $SERVER6 >/dev/null 2>&1" ||
    fail "v6 back after mtu 1500" "expected ping answered, got none"
exact "after mtu 1500 again, v6" "$SERVER6" 6 blackhole 1400 1500
check "daemon alive after the MTU changes" daemon_alive

# --- sendto fails: EPERM from an nftables output rule ----------------------------

nsx "$CLIENT" nft -f - <<EOF || die "nft output drop" "nft failed"
table inet pmt_out {
	chain out {
		type filter hook output priority 0; policy accept;
		icmp type echo-request drop
		icmpv6 type echo-request drop
	}
}
EOF
for f in 4 6; do
	eval d=\$SERVER$f
	probe_json "EPERM v$f" "$d" "$f" --method icmp &&
	    fault_finding "EPERM v$f" error 'Operation not permitted'
	assert_match "EPERM v$f: the error names the operation" \
	    '[Ss]end' "$(json_get error "$PROBE_OUT")"
	check "EPERM v$f: a log line names $d and the error" \
	    log_has "$d.*Operation not permitted"
done
# Only big ones refused: a size the kernel refused is not a size the
# path refused, so no PMTU may come of it.
nsx "$CLIENT" nft flush chain inet pmt_out out
nsx "$CLIENT" nft add rule inet pmt_out out meta length gt 1000 \
    icmp type echo-request drop
nsx "$CLIENT" nft add rule inet pmt_out out meta length gt 1000 \
    icmpv6 type echo-request drop
for f in 4 6; do
	eval d=\$SERVER$f
	probe_json "EPERM above 1000 v$f" "$d" "$f" --method icmp &&
	    fault_finding "EPERM above 1000 v$f" error 'Operation not permitted'
done
nsx "$CLIENT" nft delete table inet pmt_out
exact "EPERM lifted, v4" "$SERVER4" 4 blackhole 1400 1500

# --- the route goes ------------------------------------------------------------------

ip -n "$CLIENT" route del 198.18.0.0/16
ip -n "$CLIENT" -6 route del 2001:db8::/32
for f in 4 6; do
	eval d=\$SERVER$f
	probe_json "no route v$f" "$d" "$f" &&
	    fault_finding "no route v$f" unreachable 'no route'
	assert_eq "no route v$f: nothing sent" 0 \
	    "$(json_get probes_sent "$PROBE_OUT")"
	check "no route v$f: a log line names $d and the cause" \
	    log_has "$d.*(no route|unreachable)"
done
ip -n "$CLIENT" route add 198.18.0.0/16 via 198.18.1.2
ip -n "$CLIENT" -6 route add 2001:db8::/32 via 2001:db8:1::2
mid_fault "route gone mid-probe" "$SERVER4" 4 \
    ip -n "$CLIENT" route del 198.18.0.0/16
fault_finding "route gone mid-probe" 'unreachable|error' \
    'unreachable|no route'
ip -n "$CLIENT" route add 198.18.0.0/16 via 198.18.1.2
exact "route back, v4" "$SERVER4" 4 blackhole 1400 1500

# --- the destination goes mid-probe --------------------------------------------------

# server_gone: the server's addresses vanish (the routes through them too).
server_gone() {
	ip -n "$SERVER" addr del "$SERVER4/24" dev v3l
	ip -n "$SERVER" -6 addr del "$SERVER6/64" dev v3l
}
_m0=$(probes_total)
bg_probe gone4 "$SERVER4" 4
bg_probe gone6 "$SERVER6" 6
wait_until 10 probes_past $((_m0 + 8)) ||
    fail "destination gone: the probes get under way" "expected probes sent, got $(probes_total) (from $_m0)"
server_gone
for f in 4 6; do
	eval d=\$SERVER$f
	bg_wait gone$f "destination gone mid-probe v$f"
	echo "    destination gone mid-probe v$f: $(printf '%s\n' "$PROBE_OUT" |
	    jq -c '{state, pmtu, error, probes_sent}' 2>/dev/null)"
	fault_finding "destination gone mid-probe v$f" 'unreachable|error' \
	    '.'
	check "destination gone mid-probe v$f: a log line names $d" \
	    log_has "$d.*unreachable"
done
ip -n "$SERVER" addr add "$SERVER4/24" dev v3l
ip -n "$SERVER" -6 addr add "$SERVER6/64" dev v3l nodad
ip -n "$SERVER" route replace 198.18.0.0/16 via 198.18.3.1
ip -n "$SERVER" -6 route replace 2001:db8::/32 via 2001:db8:3::1
exact "destination back, v4" "$SERVER4" 4 blackhole 1400 1500
check "daemon alive after the faults on the path" daemon_alive
daemon_stop
assert_eq "daemon exits 0 on SIGTERM" 0 "$DAEMON_RC"

# --- files and names -------------------------------------------------------------------

# The daemon's resolv.conf in the client namespace (ip netns exec binds
# /etc/netns/NAME/resolv.conf over /etc/resolv.conf).
mkdir -p "/etc/netns/$CLIENT"
ops_atexit "rm -rf /etc/netns/$CLIENT; rmdir /etc/netns 2>/dev/null"

# A name server that never answers (r1 has none: its port 53 is closed);
# a state path under a regular file; a configuration that goes away.
echo "nameserver 198.18.1.2" >"/etc/netns/$CLIENT/resolv.conf"
: >"$T/notadir"
STATE=$T/notadir/state.json
CONF=$T/pmtud.conf
write_conf "$CONF" "max-pps 200" \
    "destination $SERVER4 family 4 interval 3s walk no" \
    "destination no-such-host.invalid family 4 interval 1h"
start_daemon "" --config "$CONF"
# A client that asks for a name and leaves before the answer.
printf '%s\n' '{"id":9,"cmd":"probe","destination":"leaving.invalid"}' |
    timeout -k 2 5 socat -t 1 - "UNIX-CONNECT:$SOCK" >/dev/null 2>&1
check "state under a file: the daemon runs" daemon_alive
check "state under a file: a warning names the path and the cause" \
    log_has "$T/notadir.*Not a directory"
wait_until 20 has_finding "$SERVER4" 4 ||
    fail "configured destination gets a finding" "expected one within 20 s, got none"
assert_eq "state under a file: status answers from memory" 1400 \
    "$(json_get pmtu "$(finding "$SERVER4" 4)")"
check "state under a file: no file appears" [ ! -e "$STATE" ]

t0=$(now_ms)
r=$(raw_wait 30 '{"id":1,"cmd":"probe","destination":"no-such-host.invalid"}')
echo "    silent name server: $(($(now_ms) - t0)) ms: $r"
assert_eq "silent name server: the probe is refused as resolve_failed (within 30 s)" \
    resolve_failed "$(json_get error.code "$r")"
assert_match "silent name server: the message names the host" \
    'no-such-host.invalid' "$(json_get error.message "$r")"
wait_until 30 has_finding no-such-host.invalid 4 ||
    fail "unresolvable configured name gets a finding" "expected one within 30 s, got none"
out=$(finding no-such-host.invalid 4)
assert_eq "unresolvable configured name: state" error "$(json_get state "$out")"
assert_eq "unresolvable configured name: no pmtu" null "$(json_get pmtu "$out")"
assert_match "unresolvable configured name: the error says why" \
    'cannot resolve no-such-host.invalid' "$(json_get error "$out")"
check "unresolvable configured name: a log line says so" \
    log_has "no-such-host.invalid: cannot resolve"

# The configuration goes; SIGHUP: refused with a message naming the
# file, the old configuration stays in force.
n=$(json_get findings "$(finding "$SERVER4" 4)")
rm -f "$CONF"
daemon_signal HUP
check "config deleted: the reload is refused, naming the file" \
    wait_until 10 log_has "reload rejected.*$CONF: No such file"
check "config deleted: the daemon runs on" daemon_alive
more_findings() {
	[ "$(json_get findings "$(finding "$SERVER4" 4)")" -gt "$1" ] 2>/dev/null
}
check "config deleted: the old destinations are still probed" \
    wait_until 20 more_findings "$n"
listing '{"id":3,"cmd":"status"}'
assert_eq "config deleted: both configured destinations still listed" 2 \
    "$LISTING_COUNT"
daemon_stop
assert_eq "daemon exits 0 on SIGTERM (state under a file)" 0 "$DAEMON_RC"

# An empty resolv.conf (no name server at all), and a full file system
# for the state.
: >"/etc/netns/$CLIENT/resolv.conf"
mkdir "$T/full"
mount -t tmpfs -o size=16k tmpfs "$T/full" ||
    die "tmpfs for a full state directory" "expected mount to work, got failure"
ops_atexit "umount $T/full"
mkdir "$T/full/state"
chown pmtud "$T/full/state"
dd if=/dev/zero of="$T/full/fill" bs=1k count=64 2>/dev/null
STATE=$T/full/state/state.json
start_daemon
t0=$(now_ms)
r=$(raw_wait 20 '{"id":4,"cmd":"probe","destination":"no-such-host.invalid","family":4}')
echo "    no name server: $(($(now_ms) - t0)) ms: $r"
assert_eq "no name server: the probe is refused as resolve_failed (within 20 s)" \
    resolve_failed "$(json_get error.code "$r")"
exact "full state directory: probing goes on" "$SERVER4" 4 blackhole 1400 1500
check "full state directory: a warning names the path and the cause" \
    wait_until 10 log_has "$T/full/state.*No space left on device"
check "full state directory: the daemon runs on" daemon_alive
assert_eq "full state directory: status answers from memory" 1400 \
    "$(json_get pmtu "$(finding "$SERVER4" 4)")"
