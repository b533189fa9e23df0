#!/bin/sh
# SPDX-License-Identifier: ISC
# Configured destinations are probed on their own, with no "probe"
# request: two behind the narrow link (1500, 1400, 1500), one in each
# family, walked; one on the first link (1500), not walked.  Every one
# gets exactly one finding with its exact path MTU, and the status
# listings filter them by state and family.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1400 1500

R1V6=$(router_addr 1 6)
CONF=$T/pmtud.conf
write_conf "$CONF" \
    "# three destinations, probed by the scheduler alone" \
    "interval 1m" \
    "max-pps 200" \
    "destination $SERVER4 family 4" \
    "destination $SERVER6 method icmp" \
    "destination $R1V6 family 6 walk no"
start_daemon "" --config "$CONF"
assert_match "log: destinations configured" \
    'listening on .*, 3 destinations configured' "$(cat "$DAEMON_LOG")"

# words: the words on stdin sorted, on one line (to compare sets).
words() {
	tr ' ' '\n' | grep . | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# The first probes are spread over at most a few tenths of a second
# (3 destinations x 8 probes at 200 pps); 20 s bounds a slow machine.
all_found() {
	[ "$(ctl status --json 2>/dev/null | grep -c '"findings"')" -ge 3 ]
}
wait_until 20 all_found ||
    die "every destination has a finding within 20 s" \
    "expected 3 findings, got: $(ctl status 2>/dev/null | tr '\n' ';')"
pass "every destination has a finding without a probe request"

# dest family pmtu walked
for spec in "$SERVER4 4 1400 yes" "$SERVER6 6 1400 yes" "$R1V6 6 1500 no"; do
	set -- $spec
	d=$1 f=$2 p=$3 w=$4
	out=$(finding "$d" "$f")
	n="v$f $d"
	assert_eq "$n: state" ok "$(json_get state "$out")"
	assert_eq "$n: pmtu" "$p" "$(json_get pmtu "$out")"
	assert_eq "$n: local_mtu" 1500 "$(json_get local_mtu "$out")"
	assert_eq "$n: family" "$f" "$(json_get family "$out")"
	assert_eq "$n: destination" "$d" "$(json_get destination "$out")"
	assert_eq "$n: address" "$d" "$(json_get address "$out")"
	assert_eq "$n: method" icmp "$(json_get method "$out")"
	assert_eq "$n: error" null "$(json_get error "$out")"
	assert_eq "$n: findings" 1 "$(json_get findings "$out")"
	assert_eq "$n: previous_pmtu" null "$(json_get previous_pmtu "$out")"
	assert_eq "$n: probes_total = probes_sent" \
	    "$(json_get probes_sent "$out")" "$(json_get probes_total "$out")"
	assert_eq "$n: blackhole" null "$(json_get blackhole "$out")"
	if [ "$w" = yes ]; then
		# Walked: client -> r1 (1500) -> r2's link (1400) -> server.
		assert_eq "$n: hop MTUs" "1500 1400 1400" \
		    "$(hops_field mtu "$out")"
		if [ "$f" = 4 ]; then
			hops="$(router_addr 1 4) $(router_addr 2 4) $d"
		else
			hops="$(router_addr 1 6) $(router_addr 2 6) $d"
		fi
		assert_eq "$n: hop addresses" "$hops" \
		    "$(hops_field address "$out")"
		# Too big once, then 1400 fits: at least two.
		check "$n: probes_sent >= 2" \
		    [ "$(json_get probes_sent "$out")" -ge 2 ]
	else
		assert_eq "$n: not walked" none "$(hops_field mtu "$out")"
		# The interface MTU fits the whole way: one probe.
		assert_eq "$n: probes_sent" 1 "$(json_get probes_sent "$out")"
	fi
done

# Listings over the raw protocol: the closing line counts what was sent.
listing '{"id":11,"cmd":"status","state":"ok"}'
assert_eq "state ok: closing count" 3 "$LISTING_COUNT"
assert_eq "state ok: finding lines" 3 "$LISTING_LINES"
assert_eq "state ok: every line is ok and has id 11" 3 \
    "$(printf '%s\n' "$LISTING" | jq -c 'select(.result.state == "ok" and .id == 11)' | grep -c .)"
assert_eq "state ok: the closing line is last" true \
    "$(printf '%s\n' "$LISTING" | tail -1 | jq -c '.end == true and .ok == true and .id == 11')"
for st in blackhole unreachable error; do
	listing "{\"id\":12,\"cmd\":\"status\",\"state\":\"$st\"}"
	assert_eq "state $st: closing count" 0 "$LISTING_COUNT"
	assert_eq "state $st: no finding lines" 0 "$LISTING_LINES"
done
listing '{"id":13,"cmd":"status","state":"ok","family":6}'
assert_eq "state ok, family 6: closing count" 2 "$LISTING_COUNT"
assert_eq "state ok, family 6: the v6 destinations" \
    "$(echo "$R1V6 $SERVER6" | words)" \
    "$(printf '%s\n' "$LISTING" | jq -r 'select(.result) | .result.destination' | words)"
listing '{"id":14,"cmd":"status","family":4}'
assert_eq "family 4: closing count" 1 "$LISTING_COUNT"

# The same through pmtudctl.
out=$(ctl status --state ok --json)
assert_eq "pmtudctl status --state ok: exit status" 0 "$(ctl_rc)"
assert_eq "pmtudctl status --state ok: destinations" \
    "$(echo "$R1V6 $SERVER4 $SERVER6" | words)" \
    "$(printf '%s\n' "$out" | jq -r .destination | words)"
out=$(ctl status --state blackhole --json)
assert_eq "pmtudctl status --state blackhole: exit status" 0 "$(ctl_rc)"
assert_eq "pmtudctl status --state blackhole: empty" "" "$out"
out=$(ctl status --state ok -4 --json)
assert_eq "pmtudctl status --state ok -4: one" "$SERVER4" \
    "$(printf '%s\n' "$out" | jq -r .destination)"
out=$(ctl status --state bogus 2>&1)
assert_eq "pmtudctl status --state bogus: usage error" 64 "$(ctl_rc)"

# Interval 1m: nothing is probed again in the meantime.
out=$(finding "$SERVER4" 4)
assert_eq "v4: still one finding" 1 "$(json_get findings "$out")"
