#!/bin/sh
# SPDX-License-Identifier: ISC
# The TCP MSS check (probe --method tcp [--port N]), IPv4 and IPv6, on
# links 1500, 1400, 1500 (client -- r1 -- r2 -- server), PMTU 1400.
#
# Where each number comes from:
#  - peer_mss: the server's SYN-ACK advertises the MSS of ITS OWN
#    interface (MTU 1500): 1500 - 40 = 1460 (v4), 1500 - 60 = 1440 (v6);
#    it knows nothing of the 1400 link between.
#  - mss_allowed: what the PMTU allows, 1400 - 40 = 1360 / 1400 - 60 =
#    1340.  mss_clamped: peer_mss < mss_allowed, strictly.
#  - tcp_mss (TCP_MAXSEG of the connected socket): the smaller of the
#    peer's MSS and what the client's own route allows, less 12 bytes of
#    the timestamp option (on at both ends, set below).  The search's
#    first probe is at the local MTU 1500, r1 answers "fragmentation
#    needed" / "packet too big" with 1400 and the client's kernel caches
#    that PMTU for the route, so the client allows 1360 / 1340:
#    min(1460, 1360) - 12 = 1348 and min(1440, 1340) - 12 = 1328.
#    With r1 clamping SYNs to 1250: 1250 - 12 = 1238 for both; with
#    timestamps off in the client: 1250 itself.
#
# The listener is socat in the server namespace (a v4 and a v6-only
# socket on port 443, each connection echoed until EOF).  r1 counts the
# TCP segments it forwards by direction and flag: one SYN per check, a
# FIN from the client for every completed handshake and never a reset
# from the client (a clean close); port 444 is closed, so the server
# resets it and the finding says "Connection refused" with its PMTU and
# hops still exact.  The client's sockets all end in TIME-WAIT, and
# socat sees EOF on every connection, never a reset.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500
R1=${PREFIX}r1

# Timestamps on at both ends: tcp_mss above counts on their 12 bytes.
for _ns in "$CLIENT" "$SERVER"; do
	nsx "$_ns" sysctl -qw net.ipv4.tcp_timestamps=1 >/dev/null ||
	    die "tcp_timestamps on in $_ns" "sysctl failed"
done

# --- the listeners ----------------------------------------------------

LISTENER_PIDS=""
# listen_on FAMILY ADDRESS: socat on ADDRESS:443 in the server, logging
# to $T/listen$FAMILY.log; a v6 socket is v6-only so that each family
# has its own listener and log.
listen_on() {
	if [ "$1" = 6 ]; then
		_la="TCP6-LISTEN:443,bind=[$2],ipv6only=1,reuseaddr,fork"
	else
		_la="TCP4-LISTEN:443,bind=$2,reuseaddr,fork"
	fi
	ip netns exec "$SERVER" socat -d -d -lf "$T/listen$1.log" "$_la" PIPE \
	    </dev/null >/dev/null 2>&1 &
	LISTENER_PIDS="$LISTENER_PIDS $!"
}

listeners_up() {
	[ "$(nsx "$SERVER" ss -Htln 'sport = :443' | grep -c .)" = 2 ]
}

listen_on 4 "$SERVER4"
listen_on 6 "$SERVER6"
wait_until 10 listeners_up ||
    die "listeners on port 443" "expected 2 listening sockets, got $(nsx "$SERVER" ss -Htln 'sport = :443' | grep -c .)"

# --- r1 counts the TCP segments it forwards ---------------------------

# r1's v1l faces the client, v2r the server.
nsx "$R1" nft -f - <<NFT || die "nft counters on r1" "nft failed"
table inet pmt_tcpcount {
	counter syn_c2s { }
	counter fin_c2s { }
	counter rst_c2s { }
	counter rst_s2c { }
	chain count {
		type filter hook forward priority filter; policy accept;
		iifname "v1l" tcp flags & (syn | ack) == syn counter name "syn_c2s"
		iifname "v1l" tcp flags & fin == fin counter name "fin_c2s"
		iifname "v1l" tcp flags & rst == rst counter name "rst_c2s"
		iifname "v2r" tcp flags & rst == rst counter name "rst_s2c"
	}
}
NFT

# ctr NAME: packets counted so far by r1's counter NAME.
ctr() {
	nsx "$R1" nft -j list counter inet pmt_tcpcount "$1" 2>/dev/null |
	    jq -r '.nftables[] | select(.counter) | .counter.packets' \
	    2>/dev/null || echo "<no counter>"
}

# ctr_is NAME N: true when counter NAME stands at N.
ctr_is() {
	[ "$(ctr "$1")" = "$2" ]
}

# clamp RULE...: r1's mangle chain holds exactly these rules.
clamp() {
	nsx "$R1" nft delete table inet pmt_clamp 2>/dev/null
	{
		echo "table inet pmt_clamp {"
		echo "	chain clamp {"
		echo "		type filter hook forward priority mangle; policy accept;"
		for _r in "$@"; do
			echo "		$_r"
		done
		echo "	}"
		echo "}"
	} | nsx "$R1" nft -f - || die "nft clamp on r1" "nft failed"
}

# tcp_check NAME JSON PORT PEER TCPMSS ALLOWED CLAMPED ERROR: the "tcp"
# member in full, and the rest of the finding still exact.
tcp_check() {
	_tn=$1 _tj=$2
	assert_eq "$_tn: state" ok "$(json_get state "$_tj")"
	assert_eq "$_tn: pmtu" 1400 "$(json_get pmtu "$_tj")"
	assert_eq "$_tn: local_mtu" 1500 "$(json_get local_mtu "$_tj")"
	assert_eq "$_tn: error" null "$(json_get error "$_tj")"
	assert_eq "$_tn: hop MTUs" "1500 1400 1400" \
	    "$(hops_field mtu "$_tj")"
	assert_eq "$_tn: blackhole" null "$(json_get blackhole "$_tj")"
	assert_eq "$_tn: tcp.port" "$3" "$(json_get tcp.port "$_tj")"
	assert_eq "$_tn: tcp.peer_mss" "$4" "$(json_get tcp.peer_mss "$_tj")"
	assert_eq "$_tn: tcp.tcp_mss" "$5" "$(json_get tcp.tcp_mss "$_tj")"
	assert_eq "$_tn: tcp.mss_allowed" "$6" \
	    "$(json_get tcp.mss_allowed "$_tj")"
	assert_eq "$_tn: tcp.mss_clamped" "$7" \
	    "$(json_get tcp.mss_clamped "$_tj")"
	assert_eq "$_tn: tcp.error" "$8" "$(json_get tcp.error "$_tj")"
	assert_eq "$_tn: tcp has exactly these members" \
	    '["error","mss_allowed","mss_clamped","peer_mss","port","tcp_mss"]' \
	    "$(printf '%s\n' "$_tj" | jq -c '.tcp | keys' 2>/dev/null)"
}

# status_line DEST FAMILY: the finding's one line for people.
status_line() {
	ctl status "$1" "-$2"
}

start_daemon

# --- no clamping: the server's own MSS --------------------------------

for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then peer=1460 allowed=1360 mss=1348
	else peer=1440 allowed=1340 mss=1328; fi
	if probe_json "v$f open" "$dest" $f --method tcp; then
		tcp_check "v$f open" "$PROBE_OUT" 443 $peer $mss $allowed \
		    false null
		assert_eq "v$f open: pmtudctl exit status" 0 "$(ctl_rc)"
	fi
	assert_match "v$f open: status line names the TCP check" \
	    "^$dest  pmtu 1400  .*  tcp mss $mss \\(peer $peer\\)(  since [0-9: -]+)?\$" \
	    "$(status_line "$dest" $f)"
	# The finding keeps the check: status --json shows the same.
	assert_eq "v$f open: status keeps tcp" \
	    "{\"port\":443,\"peer_mss\":$peer,\"tcp_mss\":$mss,\"mss_allowed\":$allowed,\"mss_clamped\":false,\"error\":null}" \
	    "$(ctl status "$dest" -$f --json | jq -c \
	    'if type == "array" then .[0] else . end | .tcp' 2>/dev/null)"
done

# --- a closed port: refused, the rest of the finding intact -----------

for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then allowed=1360; else allowed=1340; fi
	if probe_json "v$f closed port" "$dest" $f --method tcp --port 444; then
		tcp_check "v$f closed port" "$PROBE_OUT" 444 null null \
		    $allowed null "Connection refused"
		assert_eq "v$f closed port: pmtudctl exit status" 0 "$(ctl_rc)"
	fi
	assert_match "v$f closed port: status line" \
	    "^$dest  pmtu 1400  .*  tcp/444: Connection refused(  since [0-9: -]+)?\$" \
	    "$(status_line "$dest" $f)"
done

# Four handshakes tried (one SYN each, no retransmission), two of them
# completed and closed with a FIN; the server reset the two to port 444;
# the client never reset anything.
check "4 SYNs, 2 client FINs so far" wait_until 10 eval \
    'ctr_is syn_c2s 4 && ctr_is fin_c2s 2'
assert_eq "SYNs from the client after 4 checks" 4 "$(ctr syn_c2s)"
assert_eq "FINs from the client after 2 completed handshakes" 2 \
    "$(ctr fin_c2s)"
assert_eq "resets from the server (port 444, v4 and v6)" 2 "$(ctr rst_s2c)"
assert_eq "resets from the client" 0 "$(ctr rst_c2s)"

# --- r1 clamps the MSS of SYNs in flight ------------------------------

clamp "tcp flags syn tcp option maxseg size set 1250"
for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then allowed=1360; else allowed=1340; fi
	if probe_json "v$f clamped 1250" "$dest" $f --method tcp; then
		tcp_check "v$f clamped 1250" "$PROBE_OUT" 443 1250 1238 \
		    $allowed true null
	fi
	assert_match "v$f clamped 1250: status line" \
	    "^$dest  pmtu 1400  .*  tcp mss 1238 \\(peer 1250, clamped below $allowed\\)(  since [0-9: -]+)?\$" \
	    "$(status_line "$dest" $f)"
done

# At the boundary: a clamp to exactly what the PMTU allows is no clamp;
# one byte less is.
clamp "meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1360" \
    "meta nfproto ipv6 tcp flags syn tcp option maxseg size set 1340"
for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then allowed=1360; else allowed=1340; fi
	probe_json "v$f clamped to mss_allowed" "$dest" $f --method tcp &&
	    tcp_check "v$f clamped to mss_allowed" "$PROBE_OUT" 443 $allowed \
	    $((allowed - 12)) $allowed false null
done
clamp "meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1359" \
    "meta nfproto ipv6 tcp flags syn tcp option maxseg size set 1339"
for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then allowed=1360; else allowed=1340; fi
	probe_json "v$f clamped 1 below mss_allowed" "$dest" $f --method tcp &&
	    tcp_check "v$f clamped 1 below mss_allowed" "$PROBE_OUT" 443 \
	    $((allowed - 1)) $((allowed - 13)) $allowed true null
done

# Without timestamps the segment size is the MSS itself: the 12 bytes
# above were the timestamp option, not something the daemon made up.
clamp "tcp flags syn tcp option maxseg size set 1250"
nsx "$CLIENT" sysctl -qw net.ipv4.tcp_timestamps=0 >/dev/null ||
    die "tcp_timestamps off in the client" "sysctl failed"
for f in 4 6; do
	eval dest=\$SERVER$f
	if [ $f = 4 ]; then allowed=1360; else allowed=1340; fi
	probe_json "v$f clamped, no timestamps" "$dest" $f --method tcp &&
	    tcp_check "v$f clamped, no timestamps" "$PROBE_OUT" 443 1250 1250 \
	    $allowed true null
done

# --- every connection closed cleanly ----------------------------------

# 12 handshakes tried, 10 completed: 10 FINs from the client, no reset.
check "12 SYNs, 10 client FINs in all" wait_until 10 eval \
    'ctr_is syn_c2s 12 && ctr_is fin_c2s 10'
assert_eq "SYNs from the client in all" 12 "$(ctr syn_c2s)"
assert_eq "FINs from the client in all" 10 "$(ctr fin_c2s)"
assert_eq "resets from the client in all" 0 "$(ctr rst_c2s)"
assert_eq "resets from the server in all" 2 "$(ctr rst_s2c)"

# The client closed first and the server answered with its FIN: each
# completed connection is in TIME-WAIT on the client, none in any other
# state (nothing left open, half-closed or aborted).
tw_count() {
	nsx "$CLIENT" ss -Htan state time-wait | grep -c .
}
tw_is_10() {
	[ "$(tw_count)" = 10 ]
}
check "client sockets reach TIME-WAIT" wait_until 10 tw_is_10
assert_eq "client sockets in TIME-WAIT" 10 "$(tw_count)"
assert_eq "client TCP sockets in any other state" 0 \
    "$(nsx "$CLIENT" ss -Htan exclude time-wait | grep -c .)"

# socat saw EOF on both directions of every connection and exited 0.
for f in 4 6; do
	log=$T/listen$f.log
	exits_are_5() {
		[ "$(grep -c 'exiting with status 0' "$log")" = 5 ]
	}
	check "v$f listener: 5 connections ended" wait_until 10 exits_are_5
	assert_eq "v$f listener: connections accepted" 5 \
	    "$(grep -c 'accepting connection from' "$log")"
	assert_eq "v$f listener: connections that ended in EOF" 5 \
	    "$(grep -c 'socket 1 (fd [0-9]*) is at EOF' "$log")"
	assert_eq "v$f listener: resets or errors seen" 0 \
	    "$(grep -Eci 'reset|refused| E ' "$log")"
done

# --- bad input --------------------------------------------------------

# ctl_bad NAME EXPECTED_MESSAGE ARGS...: pmtudctl refuses ARGS with exit
# 64 (EX_USAGE) and that first line on stderr.
ctl_bad() {
	_bn=$1 _bm=$2
	shift 2
	timeout -k 2 10 "$PMTUDCTL" --socket "$SOCK" "$@" \
	    >"$T/bad.out" 2>"$T/bad.err"
	_brc=$?
	cat "$T/bad.err" >>"$CTL_ERR"
	assert_eq "$_bn: exit status" 64 "$_brc"
	assert_eq "$_bn: message" "$_bm" "$(head -1 "$T/bad.err")"
	assert_eq "$_bn: nothing on stdout" "" "$(cat "$T/bad.out")"
}
ctl_bad "--port 0" 'pmtudctl: bad port "0"' \
    probe "$SERVER4" --method tcp --port 0
ctl_bad "--port 65536" 'pmtudctl: bad port "65536"' \
    probe "$SERVER4" --method tcp --port 65536
ctl_bad "--port abc" 'pmtudctl: bad port "abc"' \
    probe "$SERVER4" --method tcp --port abc
ctl_bad "--port empty" 'pmtudctl: bad port ""' \
    probe "$SERVER4" --method tcp --port ""
ctl_bad "--port without --method tcp" \
    'pmtudctl: --port goes with --method tcp' \
    probe "$SERVER4" --method icmp --port 443

# The raw protocol says the same.
raw_bad() {
	_r=$(send_raw "$2")
	assert_eq "raw $1: ok" false "$(json_get ok "$_r")"
	assert_eq "raw $1: code" bad_request "$(json_get error.code "$_r")"
	assert_eq "raw $1: message" "$3" "$(json_get error.message "$_r")"
}
raw_bad "port 0" \
    "{\"id\":1,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"method\":\"tcp\",\"port\":0}" \
    '"port" must be 1 to 65535'
raw_bad "port 65536" \
    "{\"id\":2,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"method\":\"tcp\",\"port\":65536}" \
    '"port" must be 1 to 65535'
raw_bad "port as a string" \
    "{\"id\":3,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"method\":\"tcp\",\"port\":\"443\"}" \
    '"port" must be 1 to 65535'
raw_bad "port with method icmp" \
    "{\"id\":4,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"method\":\"icmp\",\"port\":443}" \
    '"port" goes with "method": "tcp"'
# Refused requests sent nothing: still 12 SYNs.
assert_eq "no SYN for refused requests" 12 "$(ctr syn_c2s)"

for _p in $LISTENER_PIDS; do
	kill "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
done
LISTENER_PIDS=""
