#!/bin/sh
# SPDX-License-Identifier: ISC
# Forged ICMP (RFC 5927).  An attacker host hangs off r1 and sends the
# client frag-needed / packet-too-big messages and echo replies that claim
# small (or large) MTUs for the daemon's destinations, while the daemon
# probes them.  Path: client -1500- r1 -1500- r2 -1400- server; r2 sends
# no ICMP at first (a black hole: big probes stay in flight for seconds),
# later it does.
#
# Off the path the attacker must guess ids and cookies (tests/integ/
# forge.c "flood"); with a view of the path (a packet socket on r1's
# client link, "tap") it quotes every probe exactly, ids and cookie
# included, but each forgery is wrong in one respect.  Every result must
# still be the real path's 1400, and pmtud_icmp_ignored_total (and the
# closing line of a status listing) must count the forgeries under the
# reasons lib/pkt.c gives them.  Last ("ptb"), too-bigs right in every
# respect but the MTU they claim, for probes that still pass: the
# search's answers refute them (issue 12).
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
command -v cc >/dev/null 2>&1 ||
    die "cc installed" "expected a C compiler for forge.c, got none"

FORGE=$T/forge
cc -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
    -Wmissing-prototypes -O2 -o "$FORGE" \
    "$TOP/tests/integ/forge.c" 2>"$T/cc.err" ||
    die "forge.c compiles" "$(head -5 "$T/cc.err" | tr '\n' ' ')"

topo_line 1500 1500 1400
R1=${PREFIX}r1
R2=${PREFIX}r2
ATT=${PREFIX}a
ATT4=198.18.99.2
ATT6=2001:db8:99::2
OTHER4=198.18.77.77
OTHER6=2001:db8:77::77

# The attacker: its own link to r1, routes to everything in the test
# range.  r1 forwards what it sends, its own source or a spoofed one.
ns_new "$ATT"
ip -n "$R1" link add v9a type veth peer name v9 netns "$ATT"
ip -n "$R1" addr add 198.18.99.1/24 dev v9a
ip -n "$R1" -6 addr add 2001:db8:99::1/64 dev v9a nodad
ip -n "$ATT" addr add "$ATT4/24" dev v9
ip -n "$ATT" -6 addr add "$ATT6/64" dev v9 nodad
ip -n "$R1" link set v9a up
ip -n "$ATT" link set v9 up
ip -n "$ATT" route add 198.18.0.0/16 via 198.18.99.1
ip -n "$ATT" -6 route add 2001:db8::/32 via 2001:db8:99::1
nsx "$R1" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.v9a.rp_filter=0 >/dev/null
topo_wait
nsx "$ATT" ping -n -q -c 1 -W 2 "$CLIENT4" >/dev/null 2>&1 ||
    die "attacker reaches the client (v4)" "expected a ping answer, got none"
nsx "$ATT" ping -n -q -c 1 -W 2 "$CLIENT6" >/dev/null 2>&1 ||
    die "attacker reaches the client (v6)" "expected a ping answer, got none"

router_blackhole "$R2"
start_daemon

# forge_run NAME MODE ARGS...: the attacker in the background; its
# report goes to $T/forge.NAME.
FORGE_PIDS=""
forge_run() {
	_fn=$1
	shift
	ip netns exec "$ATT" "$FORGE" "$@" "$CLIENT4" "$SERVER4" "$CLIENT6" \
	    "$SERVER6" "$OTHER4" "$OTHER6" "$ATT4" "$ATT6" \
	    >"$T/forge.$_fn" 2>&1 </dev/null &
	FORGE_PIDS="$FORGE_PIDS $!"
	eval "FORGE_$_fn=$!"
}

# forge_stop NAME: ends that attacker (it prints its report) and waits.
forge_stop() {
	eval "_fp=\$FORGE_$1"
	kill -TERM "$_fp" 2>/dev/null
	wait "$_fp" 2>/dev/null
}
ops_atexit 'for p in $FORGE_PIDS; do kill -KILL $p 2>/dev/null; done'

# sent NAME KIND...: how many forgeries of these kinds that attacker sent.
sent() {
	_sf=$T/forge.$1
	shift
	_st=0
	for _k in "$@"; do
		_n=$(awk -v k="$_k" '$1 == k { print $2 }' "$_sf")
		_st=$((_st + ${_n:-0}))
	done
	echo "$_st"
}

# ignored FILE NAME: "reason count" lines of pmtud_icmp_ignored_total
# into FILE, sorted; the closing line of a status listing must carry the
# same counts (nothing arrives in between: the attackers have stopped).
ignored() {
	ctl metrics | sed -n \
	    's/^pmtud_icmp_ignored_total{reason="\([a-z_]*\)"} \([0-9]*\)$/\1 \2/p' |
	    sort >"$1"
	send_raw '{"id":1,"cmd":"status"}' | jq -r 'select(.end == true) |
	    .icmp_ignored | to_entries[] | "\(.key) \(.value)"' 2>/dev/null |
	    sort >"$1.status"
	assert_eq "$2: status counts what the metrics count, by reason" \
	    "$(tr '\n' ' ' <"$1")" "$(tr '\n' ' ' <"$1.status")"
}

# delta BEFORE AFTER REASON: how much that counter grew.
delta() {
	_b=$(awk -v r="$3" '$1 == r { print $2 }' "$1")
	_a=$(awk -v r="$3" '$1 == r { print $2 }' "$2")
	echo $((${_a:-0} - ${_b:-0}))
}

# probe_exact NAME DEST FAMILY STATE: a probe with walk; pmtu must be the
# real 1400, never the forged numbers.
probe_exact() {
	probe_json "$1" "$2" "$3" || return
	assert_eq "$1: state" "$4" "$(json_get state "$PROBE_OUT")"
	assert_eq "$1: pmtu" 1400 "$(json_get pmtu "$PROBE_OUT")"
	assert_eq "$1: local_mtu" 1500 "$(json_get local_mtu "$PROBE_OUT")"
	assert_eq "$1: error" null "$(json_get error "$PROBE_OUT")"
	assert_eq "$1: method" icmp "$(json_get method "$PROBE_OUT")"
	# The walk: r1 and r2 answer at 1500, the server at 1400.
	assert_eq "$1: hop mtus" "1500 1500 1400" \
	    "$(hops_field mtu "$PROBE_OUT")"
}

# stored_exact NAME: status and metrics say 1400 for both destinations.
stored_exact() {
	for _f in 4 6; do
		eval _d=\$SERVER$_f
		assert_eq "$1: status v$_f pmtu" 1400 \
		    "$(status_get pmtu "$(ctl status "$_d" -$_f --json)")"
	done
	ctl metrics >"$T/metrics.txt"
	_mrc=$(ctl_rc)
	_m=$(awk '/^pmtud_path_mtu_bytes\{/ { print $2 }' "$T/metrics.txt" |
	    tr '\n' ' ' | sed 's/ $//')
	assert_eq "$1: metrics path MTUs" "1400 1400" "$_m"
	if [ "$_m" != "1400 1400" ]; then
		echo "    pmtudctl metrics exit $_mrc, $(wc -c <"$T/metrics.txt") bytes:"
		grep -v '^#' "$T/metrics.txt" | head -20 | sed 's/^/    | /'
		tail -5 "$CTL_ERR" | sed 's/^/    err| /'
	fi
}

ignored "$T/ign.0" "before"
assert_eq "no forgery yet: nothing counted as cookie" 0 \
    "$(awk '$1 == "cookie" { print $2 }' "$T/ign.0")"

# --- off the path: guessed ids and cookies ---------------------------------

forge_run blind flood 60 100
sleep 1
probe_exact "blind flood, v4" "$SERVER4" 4 blackhole
probe_exact "blind flood, v6" "$SERVER6" 6 blackhole
forge_stop blind
sleep 0.5
ignored "$T/ign.1" "blind flood"
echo "    blind flood: $(tr '\n' ' ' <"$T/forge.blind")"
echo "    ignored: $(paste -sd' ' "$T/ign.1")"
check "blind flood: the attacker sent" [ "$(sent blind b4_fragneeded)" -gt 0 ]
assert_eq "blind flood: no send errors" 0 "$(sent blind send_errors)"
check "daemon alive after the blind flood" daemon_alive
# Reasons only the forgeries produce: each forgery counted once, under
# its reason (reason:kinds of forgeries that land there).
for spec in \
    truncated:b4_truncated,b6_truncated \
    not_ours:b4_tcp,b4_quotes_reply,b4_fragment,b6_tcp,b6_quotes_reply \
    malformed:b4_version,b6_version \
    type:b4_reassembly,b6_reassembly \
    checksum:b4_checksum \
    short:b4_short_reply,b6_short_reply; do
	reason=${spec%%:*}
	n=$(sent blind $(echo "${spec#*:}" | tr ',' ' '))
	check "blind flood: $reason forgeries were sent ($n)" [ "$n" -gt 0 ]
	assert_eq "blind flood: each counted as $reason" "$n" \
	    "$(delta "$T/ign.0" "$T/ign.1" "$reason")"
done
# Guessed ids name no probe in flight (a UDP quote from a low port never
# names one: pmtud's source ports have the high bit set).  Late real
# answers may add to these.
n=$(sent blind b4_fragneeded b4_fragneeded_mtu0 b4_mtu_not_below \
    b4_other_host b4_hostunreach b4_udp b4_echo_reply b6_ptb b6_ptb_mtu0 \
    b6_mtu_not_below b6_other_host b6_unreach b6_udp b6_echo_reply)
d=$(delta "$T/ign.0" "$T/ign.1" unknown)
check "blind flood: guessed ids counted as unknown ($d >= $n)" \
    [ "$d" -ge "$n" ]
for reason in cookie mtu mismatch; do
	assert_eq "blind flood: nothing guessed reaches the $reason check" 0 \
	    "$(delta "$T/ign.0" "$T/ign.1" "$reason")"
done
stored_exact "after the blind flood"

# --- with a view of the path: exact quotes, one thing wrong ----------------

forge_run tap tap 60 "$R1" v1l
wait_until 10 grep -q '^tapping' "$T/forge.tap" ||
    die "the tap starts" "expected 'tapping', got $(cat "$T/forge.tap")"
probe_exact "tap, v4" "$SERVER4" 4 blackhole
probe_exact "tap, v6" "$SERVER6" 6 blackhole
forge_stop tap
sleep 0.5
ignored "$T/ign.2" "tap"
echo "    tap: $(tr '\n' ' ' <"$T/forge.tap")"
echo "    ignored: $(paste -sd' ' "$T/ign.2")"
check "tap: it saw the probes" [ "$(sent tap seen)" -gt 10 ]
assert_eq "tap: no send errors" 0 "$(sent tap send_errors)"
# Forgeries that come after the search let its probes go count as
# unknown instead; the rest under the reason their flaw gives.
for spec in \
    cookie:t4_wrong_cookie,t4_reply_wrong_cookie,t6_wrong_cookie,t6_reply_wrong_cookie \
    mtu:t4_mtu_below_68,t4_mtu_not_below,t4_mtu_huge,t6_mtu_below_1280,t6_mtu_zero,t6_mtu_not_below,t6_mtu_huge \
    mismatch:t4_wrong_size,t4_other_host,t4_reply_other_sender,t4_reply_wrong_size,t6_wrong_size,t6_other_host,t6_reply_other_sender,t6_reply_wrong_size; do
	reason=${spec%%:*}
	n=$(sent tap $(echo "${spec#*:}" | tr ',' ' '))
	d=$(delta "$T/ign.1" "$T/ign.2" "$reason")
	check "tap: $reason counted ($d of $n)" [ "$d" -gt 0 ]
	check "tap: $reason not over-counted ($d <= $n)" [ "$d" -le "$n" ]
done
# A short quote is refused before any probe is looked up: all counted.
assert_eq "tap: each truncated quote counted" \
    "$(sent tap t4_truncated t6_truncated)" \
    "$(delta "$T/ign.1" "$T/ign.2" truncated)"
stored_exact "after the tap"

# --- r2 speaks again: the real too-big is taken amid the forgeries ---------

router_blackhole_clear "$R2"
forge_run blind2 flood 60 100
forge_run tap2 tap 60 "$R1" v1l
wait_until 10 grep -q '^tapping' "$T/forge.tap2" ||
    die "the second tap starts" "expected 'tapping', got $(cat "$T/forge.tap2")"
probe_exact "real ICMP amid forgeries, v4" "$SERVER4" 4 ok
probe_exact "real ICMP amid forgeries, v6" "$SERVER6" 6 ok
probe_exact "real ICMP amid forgeries, v4 again" "$SERVER4" 4 ok
forge_stop blind2
forge_stop tap2
sleep 0.5
ignored "$T/ign.3" "real ICMP amid forgeries"
check "second tap: it saw the probes" [ "$(sent tap2 seen)" -gt 0 ]
stored_exact "after the real ICMP"

# --- with a view of the path: too-bigs right in every respect ---------------

# Issue 12: the attacker's too-bigs name 600 (1280 for IPv6) for every
# probe above that and quote it exactly, and the probe still crosses
# the path (the attacker only listens).  Nothing in such a message is
# wrong; the destination's answers to probes it called too big refute
# it, and only a probe that goes unanswered settles one.  Findings stay
# the path's 1400 (before: 600, stored, and for a monitored destination
# reported as a change).  r2 is silent again, so that the attacker's
# too-bigs are the only ones (the kernel's own would often come first);
# they make it look like a router that speaks, so: ok, no black hole.
router_blackhole "$R2"
forge_run ptb ptb 60 "$R1" v1l 600 1280
wait_until 10 grep -q '^tapping' "$T/forge.ptb" ||
    die "the too-big forger starts" "expected 'tapping', got $(cat "$T/forge.ptb")"
probe_exact "exact-quoting too-big 600, v4" "$SERVER4" 4 ok
probe_exact "exact-quoting too-big 1280, v6" "$SERVER6" 6 ok
forge_stop ptb
echo "    ptb: $(tr '\n' ' ' <"$T/forge.ptb")"
check "ptb: it forged too-bigs for v4 probes" [ "$(sent ptb p4_ptb)" -gt 0 ]
check "ptb: it forged too-bigs for v6 probes" [ "$(sent ptb p6_ptb)" -gt 0 ]
assert_eq "ptb: no send errors" 0 "$(sent ptb send_errors)"
check "ptb: the log says v4 too-bigs were refuted" \
    log_has "$SERVER4: forged or stale ICMP ignored: [1-9][0-9]* too-big"
check "ptb: the log says v6 too-bigs were refuted" \
    log_has "$SERVER6: forged or stale ICMP ignored: [1-9][0-9]* too-big"
stored_exact "after the exact-quoting too-bigs"

# The same against monitored destinations (on-demand findings raise no
# events): measured every second while the attacker forges, their
# findings stay 1400, and no event says otherwise.
daemon_stop
CONF=$T/pmtud.conf
monitored() {
	write_conf "$CONF" "destination $SERVER4 family 4 interval 1s walk no" \
	    "destination $SERVER6 family 6 interval 1s walk no" "$@"
}
monitored
start_daemon "" --config "$CONF"
WATCH=$T/watch.out
timeout -k 2 120 "$PMTUDCTL" --socket "$SOCK" watch >"$WATCH" \
    2>>"$CTL_ERR" </dev/null &
WATCH_PID=$!
ops_atexit "kill $WATCH_PID 2>/dev/null"
# The watcher is subscribed once it has seen an event: a new destination
# with no route (198.19/16) is one, at once.
SENTINEL=0
watch_synced() {
	SENTINEL=$((SENTINEL + 1))
	monitored "destination 198.19.1.$SENTINEL family 4 interval 1h"
	ctl reload >/dev/null
	wait_until 2 test -s "$WATCH"
}
wait_until 10 watch_synced ||
    die "the watcher subscribes" "expected an event line, got none"
# findings_past DEST FAMILY N: more than N findings for it so far.
findings_past() {
	[ "$(json_get findings "$(finding "$1" "$2")")" -gt "$3" ] 2>/dev/null
}
n4=$(json_get findings "$(finding "$SERVER4" 4)")
n6=$(json_get findings "$(finding "$SERVER6" 6)")
forge_run ptb2 ptb 60 "$R1" v1l 600 1280
wait_until 10 grep -q '^tapping' "$T/forge.ptb2" ||
    die "the second too-big forger starts" "expected 'tapping', got $(cat "$T/forge.ptb2")"
check "monitored v4: measured twice more under the forger" \
    wait_until 20 findings_past "$SERVER4" 4 $((${n4:-0} + 2))
check "monitored v6: measured twice more under the forger" \
    wait_until 20 findings_past "$SERVER6" 6 $((${n6:-0} + 2))
forge_stop ptb2
check "ptb2: it forged too-bigs" [ "$(sent ptb2 p4_ptb p6_ptb)" -gt 0 ]
echo "    events: $(jq -r '.event' "$WATCH" 2>/dev/null | sort | uniq -c |
    tr '\n' ' ')"
assert_eq "monitored: no pmtu_changed event" 0 \
    "$(jq -c 'select(.event == "pmtu_changed")' "$WATCH" 2>/dev/null |
    grep -c .)"
assert_eq "monitored: no event names 600 or 1280" 0 \
    "$(jq -c 'select(.pmtu == 600 or .pmtu == 1280)' "$WATCH" 2>/dev/null |
    grep -c .)"
check "monitored: the watcher is still there" kill -0 "$WATCH_PID"
stored_exact "at the end"
check "daemon alive at the end" daemon_alive
