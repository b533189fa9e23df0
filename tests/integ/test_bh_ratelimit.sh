#!/bin/sh
# SPDX-License-Identifier: ISC
# ICMP rate limiting is not a black hole.  r1 (1500 -> 1400) limits every
# ICMP error it sends, too-big and time-exceeded alike, to 2 a second
# (nft limit, no burst), as many hardware routers do: its too-big is
# delayed or lost, never absent.  Probes go back to back on one control
# connection, so the limiter bites (its drop counter must move): never
# state blackhole, pmtu 1400 exactly, blackhole null, every time.  Then
# walked probes (r1's time-exceeded is limited too: hop 1 may stay
# unknown, but no hop is wrong), and two destinations behind r1 at once.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500
router_icmp_limit "${PREFIX}r1" 2
start_daemon

# A control connection kept open: each request is sent the moment the
# previous reply is read (pmtudctl's own start-up would give the limiter
# time to refill).  socat is bounded, so a lost reply ends in EOF.
mkfifo "$T/req" "$T/rep"
timeout -k 2 200 socat -t 100 - "UNIX-CONNECT:$SOCK" <"$T/req" >"$T/rep" &
exec 3>"$T/req" 4<"$T/rep"

# request JSON: one request, its reply in REPLY.
request() {
	printf '%s\n' "$1" >&3
	REPLY=""
	read -r REPLY <&4
}

# limited_check NAME RESULT_JSON
limited_check() {
	echo "    $1: $(printf '%s\n' "$2" | jq -c \
	    '[.state, .pmtu, .probes_sent, .duration_ms, [.hops[]? | .mtu]]' 2>/dev/null)"
	assert_eq "$1: state" ok "$(json_get state "$2")"
	assert_eq "$1: pmtu" 1400 "$(json_get pmtu "$2")"
	assert_eq "$1: blackhole" null "$(json_get blackhole "$2")"
	assert_eq "$1: method" icmp "$(json_get method "$2")"
}

t0=$(now_ms)
runs=0
for f in 4 6; do
	eval dest=\$SERVER$f
	r1=$(router_addr 1 $f)
	r2=$(router_addr 2 $f)
	d0=$(nft_dropped "${PREFIX}r1" pmt_icmplim)
	# All requests first, each the moment the last reply is in; the
	# checks (slow, jq) come after.
	i=0
	while [ $i -lt 8 ]; do
		i=$((i + 1))
		request "{\"id\":$i,\"cmd\":\"probe\",\"destination\":\"$dest\",\"family\":$f,\"walk\":false}"
		printf '%s\n' "$REPLY" >"$T/nowalk.$i"
	done
	i=0
	while [ $i -lt 8 ]; do
		i=$((i + 1))
		REPLY=$(cat "$T/nowalk.$i")
		assert_eq "v$f no-walk run $i: reply" "true $i" \
		    "$(json_get ok "$REPLY") $(json_get id "$REPLY")"
		limited_check "v$f no-walk run $i" "$(json_get result "$REPLY")"
		runs=$((runs + 1))
	done
	d1=$(nft_dropped "${PREFIX}r1" pmt_icmplim)
	check "v$f: the limiter dropped ICMP errors in the no-walk runs ($((d1 - d0)))" \
	    [ $((d1 - d0)) -gt 0 ]

	i=0
	while [ $i -lt 3 ]; do
		i=$((i + 1))
		request "{\"id\":$i,\"cmd\":\"probe\",\"destination\":\"$dest\",\"family\":$f}"
		res=$(json_get result "$REPLY")
		limited_check "v$f walk run $i" "$res"
		runs=$((runs + 1))
		# r1 may be silent (its answers are limited); r2 and the
		# server are not, and 1400 is the MTU beyond r1.
		assert_eq "v$f walk run $i: hops" \
		    "$r1|null 1500|null / $r2 1400 / $dest 1400" \
		    "$(printf '%s\n' "$res" | jq -r --arg r1 "$r1" '
		    [.hops[] | "\(.address) \(.mtu)"] |
		    (if .[0] == "\($r1) 1500" or .[0] == "null null"
		     then "\($r1)|null 1500|null" else .[0] end) as $h1 |
		    [$h1] + .[1:] | join(" / ")' 2>/dev/null)"
	done

	# Two destinations behind r1 at once, pipelined: both exact.
	eval dest2=\$SERVER${f}B
	r=$(printf '%s\n%s\n' \
	    "{\"id\":1,\"cmd\":\"probe\",\"destination\":\"$dest\",\"family\":$f,\"walk\":false}" \
	    "{\"id\":2,\"cmd\":\"probe\",\"destination\":\"$dest2\",\"family\":$f,\"walk\":false}" |
	    timeout -k 2 60 socat -t 30 - "UNIX-CONNECT:$SOCK" 2>/dev/null)
	assert_eq "v$f two at once" \
	    "$(printf '%s\n' "$dest ok 1400 null" "$dest2 ok 1400 null" |
	    sort | tr '\n' '|' | sed 's/|$//')" \
	    "$(printf '%s\n' "$r" | jq -r '.result | "\(.address) \(.state) \(.pmtu) \(.blackhole)"' 2>/dev/null |
	    sort | tr '\n' '|' | sed 's/|$//')"
	runs=$((runs + 2))
done
exec 3>&- 4<&-
echo "    $runs rate-limited runs in $(($(now_ms) - t0)) ms;" \
    "the limiter dropped $(nft_dropped "${PREFIX}r1" pmt_icmplim) ICMP errors"
