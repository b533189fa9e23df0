#!/bin/sh
# SPDX-License-Identifier: ISC
# "Explain the path": every finding's "explain" and "advise" members and
# `pmtudctl explain DEST [--json]`, IPv4 and IPv6, on paths whose PMTU is
# a known encapsulation of the local MTU 1500 and on one that is not:
#   1500, 1454, 1500  PPPoE over L2TP (NTT FLET'S): 1500 - 46 = 1454
#   1500, 1420, 1500  WireGuard's default interface MTU: 1500 - 80
#   1500, 1337, 1500  nothing matches: no candidate, said so plainly
#   1500, 1492, 1454, 1500  the first drop (hop 2, to 1492) is not the
#                     PMTU: the text says where and to what
# The drop is where the walk first sees a hop MTU below the local MTU:
# hop 2 (r2, address 198.18.2.2 / 2001:db8:2::2) is the first reached
# only by smaller packets.  Advice: TCP MSS pmtu - 40 (v4) / - 60 (v6);
# IPsec ESP's inner packet + 2 padded to 16 bytes after a fixed 60 (v4
# outer) or 80 (v6 outer) bytes: on 1454, (1454 - 60) / 16 * 16 - 2 =
# 1390, MSS 1350 (domain table: 1452-1467 -> 1350).  An unreachable
# destination has nothing to explain, and says so with exit status 0.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon

# jcmp NAME A B: two JSON values are equal.
jcmp() {
	assert_eq "$1" true "$(jq -n --argjson a "$2" --argjson b "$3" \
	    '$a == $b' 2>/dev/null || echo "<invalid json>")"
}

# jtrue NAME JSON FILTER: the jq FILTER is true of JSON.
jtrue() {
	assert_eq "$1" true "$(printf '%s\n' "$2" | jq "$3" 2>/dev/null ||
	    echo "<invalid json>")"
}

# explain_invariants NAME JSON: what must hold of any finding's explain
# and advise members, whatever the path: the ranking, every candidate's
# arithmetic adding up, the advice's arithmetic, tunnels below 1280 not
# carrying IPv6 and none below 576.
explain_invariants() {
	_in=$1 _ij=$2
	jtrue "$_in: explain has exactly its members" "$_ij" \
	    '.explain | keys == ["candidates","drop","family","local_mtu","pmtu","summary"]'
	jtrue "$_in: explain.pmtu and local_mtu are the finding's" "$_ij" \
	    '.explain.pmtu == .pmtu and .explain.local_mtu == .local_mtu and
	    .explain.family == .family'
	jtrue "$_in: at most 5 candidates, best score first" "$_ij" \
	    '.explain.candidates | length <= 5 and
	    ([.[].score] == ([.[].score] | sort | reverse))'
	jtrue "$_in: every candidate at or up to 8 above the PMTU" "$_ij" \
	    '.pmtu as $p | [.explain.candidates[] |
	    .difference == .mtu - $p and .difference >= 0 and
	    .difference <= 8 and .exact == (.difference == 0)] | all'
	jtrue "$_in: encapsulations add up: underlay - overhead (...) = mtu" \
	    "$_ij" '[.explain.candidates[] | select(.kind == "encapsulation") |
	    . as $c | .mtu == .underlay - .overhead and
	    (.arithmetic | startswith("\($c.underlay) - \($c.overhead) (")) and
	    (.arithmetic | endswith(") = \($c.mtu)"))] | all'
	jtrue "$_in: links have no overhead or underlay" "$_ij" \
	    '[.explain.candidates[] | select(.kind == "link") |
	    .overhead == null and .underlay == null and
	    .arithmetic == "a link or tunnel of \(.mtu) bytes on the path"] |
	    all'
	jtrue "$_in: advise has exactly its members" "$_ij" \
	    '.advise | keys == ["family","ipsec","pmtu","tcp_mss_v4","tcp_mss_v6","tunnels","wireguard_mtu"]'
	jtrue "$_in: every tunnel's MTU is pmtu - overhead, >= 576" "$_ij" \
	    '.pmtu as $p | [.advise.tunnels[] |
	    .mtu == $p - .overhead and .mtu >= 576] | all'
	jtrue "$_in: no tunnel below 1280 carries IPv6" "$_ij" \
	    '[.advise.tunnels[] | select(.mtu < 1280) | .carries_ipv6 == false] |
	    all'
	jtrue "$_in: advise.ipsec: MSS = inner - 40 / - 60" "$_ij" \
	    '.advise.ipsec | .tcp_mss_v4 == .inner_mtu - 40 and
	    .tcp_mss_v6 == (if .inner_mtu >= 1280 then .inner_mtu - 60
	    else null end)'
	jtrue "$_in: ESP inner + 2 is a multiple of 16" "$_ij" \
	    '(.advise.ipsec.inner_mtu + 2) % 16 == 0'
}

# advise_check NAME JSON FAMILY PMTU WG IPSEC_NAME INNER MSS4 MSS6: the
# advice's numbers, each worked out by hand in the caller.
advise_check() {
	_an=$1 _aj=$2 _af=$3 _ap=$4
	assert_eq "$_an: advise.pmtu" "$_ap" "$(json_get advise.pmtu "$_aj")"
	assert_eq "$_an: advise.family" "$_af" "$(json_get advise.family "$_aj")"
	if [ "$_af" = 4 ]; then
		assert_eq "$_an: advise.tcp_mss_v4 = pmtu - 40" $((_ap - 40)) \
		    "$(json_get advise.tcp_mss_v4 "$_aj")"
		assert_eq "$_an: advise.tcp_mss_v6 on an IPv4 path" null \
		    "$(json_get advise.tcp_mss_v6 "$_aj")"
	else
		assert_eq "$_an: advise.tcp_mss_v6 = pmtu - 60" $((_ap - 60)) \
		    "$(json_get advise.tcp_mss_v6 "$_aj")"
		assert_eq "$_an: advise.tcp_mss_v4 on an IPv6 path" null \
		    "$(json_get advise.tcp_mss_v4 "$_aj")"
	fi
	assert_eq "$_an: advise.wireguard_mtu" "$5" \
	    "$(json_get advise.wireguard_mtu "$_aj")"
	assert_eq "$_an: advise.ipsec.name" "$6" \
	    "$(json_get advise.ipsec.name "$_aj")"
	assert_eq "$_an: advise.ipsec.inner_mtu" "$7" \
	    "$(json_get advise.ipsec.inner_mtu "$_aj")"
	assert_eq "$_an: advise.ipsec.tcp_mss_v4" "$8" \
	    "$(json_get advise.ipsec.tcp_mss_v4 "$_aj")"
	assert_eq "$_an: advise.ipsec.tcp_mss_v6" "$9" \
	    "$(json_get advise.ipsec.tcp_mss_v6 "$_aj")"
}

# drop_check NAME JSON HOP ADDRESS MTU
drop_check() {
	assert_eq "$1: explain.drop" \
	    "{\"hop\":$3,\"address\":\"$4\",\"mtu\":$5}" \
	    "$(printf '%s\n' "$2" | jq -c .explain.drop 2>/dev/null)"
}

# explain_text DEST FAMILY: `pmtudctl explain` for people, its exit
# status in EXPLAIN_RC.
explain_text() {
	EXPLAIN_OUT=$(ctl explain "$1" "-$2")
	EXPLAIN_RC=$(ctl_rc)
}

# has_line NAME LINE TEXT: TEXT has LINE as one whole line.
has_line() {
	if printf '%s\n' "$3" | grep -Fxq -- "$2"; then
		pass "$1"
	else
		fail "$1" "expected the line \"$2\", got $(printf '%s' "$3" |
		    head -c 400 | tr '\n' '|')"
	fi
}

# json_matches NAME JSON DEST FAMILY: `explain --json` is exactly
# {"explain","advise"} of the finding, and status shows the same two.
json_matches() {
	_jn=$1 _jj=$2
	_ej=$(ctl explain "$3" "-$4" --json)
	assert_eq "$_jn: explain --json exit status" 0 "$(ctl_rc)"
	jtrue "$_jn: explain --json prints {explain, advise}" "$_ej" \
	    'keys == ["advise","explain"]'
	jcmp "$_jn: explain --json is the finding's explain and advise" \
	    "$(printf '%s\n' "$_jj" | jq -c '{explain, advise}')" "$_ej"
	_sj=$(ctl status "$3" "-$4" --json | jq -c \
	    'if type == "array" then .[0] else . end | {explain, advise}')
	jcmp "$_jn: status shows the same explain and advise" "$_ej" "$_sj"
}

# next_path: the next topology starts with no findings: the state file
# would carry the last path's over (same addresses), and explain
# reports a stored finding rather than probing.
next_path() {
	topo_down
	rm -f "$STATE"
}

L2TP="PPPoE over L2TP (NTT FLET'S)"
ESP4="IPsec ESP tunnel AES-CBC + HMAC-SHA256"
ESP6="IPsec ESP tunnel over IPv6 AES-CBC + HMAC-SHA256"

# --- 1500, 1454, 1500: PPPoE over L2TP --------------------------------

topo_line 1500 1454 1500
start_daemon
for f in 4 6; do
	eval dest=\$SERVER$f
	r2=$(router_addr 2 $f)
	probe_json "1454 v$f" "$dest" $f || continue
	assert_eq "1454 v$f: pmtu" 1454 "$(json_get pmtu "$PROBE_OUT")"
	explain_invariants "1454 v$f" "$PROBE_OUT"
	sum="PMTU 1454 = local 1500 - 46: $L2TP: IP 20 + UDP 8 + PPP 2 + L2TP 16 = 46 (exact)"
	assert_eq "1454 v$f: summary" "$sum" \
	    "$(json_get explain.summary "$PROBE_OUT")"
	assert_match "1454 v$f: candidates[0] is L2TP" 'L2TP' \
	    "$(json_get 'explain.candidates[0].name' "$PROBE_OUT")"
	assert_eq "1454 v$f: candidates[0]" \
	    "{\"name\":\"$L2TP\",\"kind\":\"encapsulation\",\"overhead\":46,\"underlay\":1500,\"mtu\":1454,\"difference\":0,\"exact\":true,\"well_known\":true,\"score\":100,\"arithmetic\":\"1500 - 46 (IP 20 + UDP 8 + PPP 2 + L2TP 16) = 1454\"}" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -c '.explain.candidates[0]')"
	assert_match "1454 v$f: arithmetic mentions 46" '(^| )46( |$)' \
	    "$(json_get 'explain.candidates[0].arithmetic' "$PROBE_OUT")"
	assert_eq "1454 v$f: only one exact candidate" 1 \
	    "$(printf '%s\n' "$PROBE_OUT" |
	    jq '[.explain.candidates[] | select(.exact)] | length')"
	# Near, not exact: GRE over IPv6 (1500 - 44 = 1456, 2 bytes over)
	# ranks next; DS-Lite and MAP-E (IPv4 only) only on the v4 path.
	assert_eq "1454 v$f: candidates[1]" "GRE over IPv6 1456 2 32" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '.explain.candidates[1] |
	    "\(.name) \(.mtu) \(.difference) \(.score)"')"
	if [ $f = 4 ]; then
		names='GRE over IPv6|DS-Lite|MAP-E|IPv4/IPv6 in IPv6'
	else
		names='GRE over IPv6|IPv4/IPv6 in IPv6'
	fi
	assert_eq "1454 v$f: the near candidates" "$names" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r \
	    '[.explain.candidates[1:][] | .name] | join("|")')"
	drop_check "1454 v$f" "$PROBE_OUT" 2 "$r2" 1454
	# 1454: WireGuard 1454 - 60 = 1394 (v4) / - 80 = 1374 (v6); ESP
	# (1454 - 60) / 16 * 16 - 2 = 1390, MSS 1350 / 1330 (v4 outer);
	# (1454 - 80) / 16 * 16 - 2 = 1358, MSS 1318 / 1298 (v6 outer).
	if [ $f = 4 ]; then
		advise_check "1454 v4" "$PROBE_OUT" 4 1454 1394 "$ESP4" \
		    1390 1350 1330
		assert_eq "1454 v4: tunnels" \
		    "GRE over IPv4 1430|IPIP / 6in4 1434|VXLAN / Geneve over IPv4 1404|WireGuard over IPv4 1394|$ESP4 1390|DTLS VPN client 1381|TLS VPN client (over TCP) 1372" \
		    "$(printf '%s\n' "$PROBE_OUT" | jq -r \
		    '[.advise.tunnels[] | "\(.name) \(.mtu)"] | join("|")')"
		mss_line="TCP MSS clamp (IPv4): 1414"
		wg_line="WireGuard interface: 1394"
		esp_line="$ESP4: inner MTU 1390, TCP MSS 1350 (1330 for IPv6 inside)"
	else
		advise_check "1454 v6" "$PROBE_OUT" 6 1454 1374 "$ESP6" \
		    1358 1318 1298
		assert_eq "1454 v6: tunnels" \
		    "GRE over IPv6 1410|IPv4/IPv6 in IPv6 1414|IPv4/IPv6 in IPv6 with encapsulation limit 1406|VXLAN / Geneve over IPv6 1384|WireGuard over IPv6 1374|$ESP6 1358|DTLS VPN client 1381|TLS VPN client (over TCP) 1372" \
		    "$(printf '%s\n' "$PROBE_OUT" | jq -r \
		    '[.advise.tunnels[] | "\(.name) \(.mtu)"] | join("|")')"
		mss_line="TCP MSS clamp (IPv6): 1394"
		wg_line="WireGuard interface: 1374"
		esp_line="$ESP6: inner MTU 1358, TCP MSS 1318 (1298 for IPv6 inside)"
	fi

	explain_text "$dest" $f
	assert_eq "1454 v$f: explain exit status" 0 "$EXPLAIN_RC"
	assert_match "1454 v$f: explain line 1 is the finding" \
	    "^$dest  pmtu 1454  local 1500  ok  " \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | sed -n 1p)"
	assert_eq "1454 v$f: explain line 2 is the summary" "$sum" \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | sed -n 2p)"
	has_line "1454 v$f: explain names the hop" \
	    "  the MTU drops on the link into hop 2 ($r2)" "$EXPLAIN_OUT"
	has_line "1454 v$f: explain gives the MSS clamp" "$mss_line" \
	    "$EXPLAIN_OUT"
	has_line "1454 v$f: explain gives the WireGuard MTU" "$wg_line" \
	    "$EXPLAIN_OUT"
	has_line "1454 v$f: explain gives IPsec" "$esp_line" "$EXPLAIN_OUT"
	# Nothing but the exact one: near candidates stay out of the text.
	assert_eq "1454 v$f: no near or other lines in the text" 0 \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | grep -c '^  \(near\|or\) ')"
	json_matches "1454 v$f" "$PROBE_OUT" "$dest" $f
done
next_path

# --- 1500, 1420, 1500: WireGuard's default MTU ------------------------

topo_line 1500 1420 1500
start_daemon
for f in 6 4; do
	eval dest=\$SERVER$f
	r2=$(router_addr 2 $f)
	sum="PMTU 1420 = local 1500 - 80: WireGuard over IPv6: IPv6 40 + UDP 8 + WireGuard 32 = 80 (exact)"
	# No finding yet: explain probes first.
	assert_eq "1420 v$f: no finding before explain" not_found \
	    "$(status_error_code "$dest" $f)"
	explain_text "$dest" $f
	assert_eq "1420 v$f: explain (probing first) exit status" 0 \
	    "$EXPLAIN_RC"
	assert_eq "1420 v$f: explain line 2 is the summary" "$sum" \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | sed -n 2p)"
	has_line "1420 v$f: explain lists the other exact candidate" \
	    "  or WireGuard interface at its default MTU: a link or tunnel of 1420 bytes on the path (exact)" \
	    "$EXPLAIN_OUT"
	has_line "1420 v$f: explain names the hop" \
	    "  the MTU drops on the link into hop 2 ($r2)" "$EXPLAIN_OUT"
	assert_eq "1420 v$f: explain left a finding" 1420 \
	    "$(status_get pmtu "$(ctl status "$dest" -$f --json)")"

	probe_json "1420 v$f" "$dest" $f || continue
	explain_invariants "1420 v$f" "$PROBE_OUT"
	assert_eq "1420 v$f: summary" "$sum" \
	    "$(json_get explain.summary "$PROBE_OUT")"
	assert_eq "1420 v$f: candidates" \
	    "WireGuard over IPv6 encapsulation 80 1500 1420 true 100|WireGuard interface at its default MTU link null null 1420 true 100|DTLS VPN client encapsulation 73 1500 1427 false 12" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r '[.explain.candidates[] |
	    "\(.name) \(.kind) \(.overhead) \(.underlay) \(.mtu) \(.exact) \(.score)"] |
	    join("|")')"
	assert_eq "1420 v$f: arithmetic" \
	    "1500 - 80 (IPv6 40 + UDP 8 + WireGuard 32) = 1420" \
	    "$(json_get 'explain.candidates[0].arithmetic' "$PROBE_OUT")"
	drop_check "1420 v$f" "$PROBE_OUT" 2 "$r2" 1420
	# 1420: WireGuard 1360 / 1340; ESP (1420 - 60) / 16 * 16 - 2 = 1358
	# (v4 outer), (1420 - 80) / 16 * 16 - 2 = 1326 (v6 outer).
	if [ $f = 4 ]; then
		advise_check "1420 v4" "$PROBE_OUT" 4 1420 1360 "$ESP4" \
		    1358 1318 1298
	else
		advise_check "1420 v6" "$PROBE_OUT" 6 1420 1340 "$ESP6" \
		    1326 1286 1266
	fi
	json_matches "1420 v$f" "$PROBE_OUT" "$dest" $f
done

# Without the walk nobody knows where the MTU drops: drop null, and no
# such line.
dest=$SERVER4
if probe_json "1420 v4 no-walk" "$dest" 4 --no-walk; then
	assert_eq "1420 v4 no-walk: explain.drop" null \
	    "$(json_get explain.drop "$PROBE_OUT")"
	assert_eq "1420 v4 no-walk: summary unchanged" \
	    "PMTU 1420 = local 1500 - 80: WireGuard over IPv6: IPv6 40 + UDP 8 + WireGuard 32 = 80 (exact)" \
	    "$(json_get explain.summary "$PROBE_OUT")"
	explain_text "$dest" 4
	assert_eq "1420 v4 no-walk: explain exit status" 0 "$EXPLAIN_RC"
	assert_eq "1420 v4 no-walk: no drop line" 0 \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | grep -c 'the MTU drops')"
fi
next_path

# --- 1500, 1337, 1500: nothing explains it ----------------------------

topo_line 1500 1337 1500
# The server's second addresses never answer: unreachable, no PMTU.
nsx "$SERVER" nft -f - <<NFT || die "nft dark addresses" "nft failed"
table inet pmt_dark {
	chain in {
		type filter hook input priority 0; policy accept;
		ip daddr $SERVER4B drop
		ip6 daddr $SERVER6B drop
	}
}
NFT
start_daemon
for f in 4 6; do
	eval dest=\$SERVER$f
	r2=$(router_addr 2 $f)
	probe_json "1337 v$f" "$dest" $f || continue
	assert_eq "1337 v$f: pmtu" 1337 "$(json_get pmtu "$PROBE_OUT")"
	explain_invariants "1337 v$f" "$PROBE_OUT"
	sum="PMTU 1337: no known encapsulation explains it (local_mtu - pmtu = 1500 - 1337 = 163 bytes)"
	assert_eq "1337 v$f: summary says so" "$sum" \
	    "$(json_get explain.summary "$PROBE_OUT")"
	# 163 bytes match no row, nor does any row leave <= 8 over 1337.
	assert_eq "1337 v$f: no candidates" "[]" \
	    "$(json_get explain.candidates "$PROBE_OUT")"
	assert_eq "1337 v$f: no exact candidate" 0 \
	    "$(printf '%s\n' "$PROBE_OUT" |
	    jq '[.explain.candidates[] | select(.exact)] | length')"
	drop_check "1337 v$f" "$PROBE_OUT" 2 "$r2" 1337
	# ESP: (1337 - 60) / 16 * 16 - 2 = 1262 (v4 outer, MSS 1222; below
	# 1280, no IPv6 inside); (1337 - 80) / 16 * 16 - 2 = 1246 (v6).
	if [ $f = 4 ]; then
		advise_check "1337 v4" "$PROBE_OUT" 4 1337 1277 "$ESP4" \
		    1262 1222 null
		mss_line="TCP MSS clamp (IPv4): 1297"
		wg_tunnel="  WireGuard over IPv4: 1277 (IPv4 only: below 1280)"
	else
		advise_check "1337 v6" "$PROBE_OUT" 6 1337 1257 "$ESP6" \
		    1246 1206 null
		mss_line="TCP MSS clamp (IPv6): 1277"
		wg_tunnel="  WireGuard over IPv6: 1257 (IPv4 only: below 1280)"
	fi
	assert_eq "1337 v$f: tunnels that cannot carry IPv6" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r \
	    '[.advise.tunnels[] | select(.mtu < 1280) | .name] | join("|")')" \
	    "$(printf '%s\n' "$PROBE_OUT" | jq -r \
	    '[.advise.tunnels[] | select(.carries_ipv6 | not) | .name] |
	    join("|")')"
	explain_text "$dest" $f
	assert_eq "1337 v$f: explain exit status" 0 "$EXPLAIN_RC"
	assert_eq "1337 v$f: explain line 2 is the summary" "$sum" \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | sed -n 2p)"
	has_line "1337 v$f: explain names the hop" \
	    "  the MTU drops on the link into hop 2 ($r2)" "$EXPLAIN_OUT"
	has_line "1337 v$f: explain gives the MSS clamp" "$mss_line" \
	    "$EXPLAIN_OUT"
	has_line "1337 v$f: explain marks tunnels too small for IPv6" \
	    "$wg_tunnel" "$EXPLAIN_OUT"
	assert_eq "1337 v$f: no candidate lines in the text" 0 \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | grep -c '^  \(near\|or\) ')"
	json_matches "1337 v$f" "$PROBE_OUT" "$dest" $f
done

# Unreachable: explain probes (no finding yet), finds no PMTU, says there
# is nothing to explain and exits 0; --json gives both members null.
for f in 4 6; do
	eval dest=\$SERVER${f}B
	explain_text "$dest" $f
	assert_eq "unreachable v$f: explain exit status" 0 "$EXPLAIN_RC"
	assert_match "unreachable v$f: explain line 1 is the finding" \
	    "^$dest  pmtu -  local 1500  unreachable  " \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | sed -n 1p)"
	assert_eq "unreachable v$f: nothing to explain" \
	    "no PMTU is known, so there is nothing to explain" \
	    "$(printf '%s\n' "$EXPLAIN_OUT" | sed -n '2,$p')"
	ej=$(ctl explain "$dest" -$f --json)
	assert_eq "unreachable v$f: explain --json exit status" 0 "$(ctl_rc)"
	assert_eq "unreachable v$f: explain --json" \
	    '{"explain":null,"advise":null}' \
	    "$(printf '%s\n' "$ej" | jq -c . 2>/dev/null)"
	sj=$(ctl status "$dest" -$f --json)
	assert_eq "unreachable v$f: the finding's state" unreachable \
	    "$(status_get state "$sj")"
	assert_eq "unreachable v$f: the finding's explain and advise" \
	    "null null" "$(status_get explain "$sj") $(status_get advise "$sj")"
done

# Bad usage and no daemon (pmtudctl(8), EXIT STATUS: 64, and 2 when no
# daemon can be reached).
timeout -k 2 10 "$PMTUDCTL" --socket "$SOCK" explain >/dev/null 2>"$T/x.err"
assert_eq "explain without a destination: exit status" 64 "$?"
timeout -k 2 10 "$PMTUDCTL" --socket "$SOCK" explain "$SERVER4" "$SERVER6" \
    >/dev/null 2>"$T/x.err"
assert_eq "explain with two destinations: exit status" 64 "$?"
assert_eq "explain with two destinations: message" \
    "pmtudctl: explain takes one destination" "$(head -1 "$T/x.err")"
timeout -k 2 10 "$PMTUDCTL" --socket "$T/nonexistent.sock" explain \
    "$SERVER4" >"$T/x.out" 2>"$T/x.err"
assert_eq "explain with no daemon: exit status" 2 "$?"
assert_eq "explain with no daemon: nothing on stdout" "" "$(cat "$T/x.out")"
cat "$T/x.err" >>"$CTL_ERR"
next_path

# --- 1500, 1492, 1454, 1500: the first drop is not the PMTU -----------

topo_line 1500 1492 1454 1500
start_daemon
for f in 4 6; do
	eval dest=\$SERVER$f
	r2=$(router_addr 2 $f)
	probe_json "1492+1454 v$f" "$dest" $f || continue
	assert_eq "1492+1454 v$f: hop MTUs" "1500 1492 1454 1454" \
	    "$(hops_field mtu "$PROBE_OUT")"
	explain_invariants "1492+1454 v$f" "$PROBE_OUT"
	assert_eq "1492+1454 v$f: still PPPoE over L2TP" "$L2TP" \
	    "$(json_get 'explain.candidates[0].name' "$PROBE_OUT")"
	drop_check "1492+1454 v$f" "$PROBE_OUT" 2 "$r2" 1492
	explain_text "$dest" $f
	assert_eq "1492+1454 v$f: explain exit status" 0 "$EXPLAIN_RC"
	has_line "1492+1454 v$f: explain names the hop and its MTU" \
	    "  the MTU drops on the link into hop 2 ($r2), to 1492" \
	    "$EXPLAIN_OUT"
done
