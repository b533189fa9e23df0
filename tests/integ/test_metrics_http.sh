#!/bin/sh
# SPDX-License-Identifier: ISC
# Metrics over HTTP (metrics-listen) and through "pmtudctl metrics".
# Path client --1500-- r1 --1400-- r2 --1500-- server; r1 sends no
# frag-needed (v4 black hole at hop 1) but does send packet-too-big
# (v6 finds 1400 the classic way); the server drops everything sent to
# 198.18.200.1 (unreachable).  The exposition must carry the exact
# values of those three findings, be accepted by promtool both ways,
# and the HTTP server must answer only GET/HEAD on /metrics.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
for c in curl promtool; do
	command -v $c >/dev/null 2>&1 ||
	    die "$c installed" "expected $c in PATH (make deps; promtool is in the Debian package prometheus), got none"
done

PORT=19798
URL=http://127.0.0.1:$PORT
topo_line 1500 1400 1500
router_blackhole "${PREFIX}r1" 4
nsx "$SERVER" nft -f - <<EOF || die "nft silent address" "nft failed"
table inet pmt_silent {
	chain in {
		type filter hook input priority 0; policy accept;
		ip daddr $SERVER4B drop
	}
}
EOF
write_conf "$T/pmtud.conf" "metrics-listen 127.0.0.1:$PORT"
start_daemon "" --config "$T/pmtud.conf"
check "log: metrics address" log_has "metrics at $URL/metrics\$"

# Before any finding: the daemon's own series only.
http_get "$URL/metrics"
assert_eq "empty: HTTP status" 200 "$HTTP_CODE"
check "empty: no path series" \
    sh -c "! grep -q '^pmtud_path_mtu_bytes{' '$T/http.body'"
assert_match "empty: pmtud_up 1" '^pmtud_up 1$' "$(cat "$T/http.body")"
assert_match "empty: pmtud_findings_total 0" '^pmtud_findings_total 0$' \
    "$(cat "$T/http.body")"
check "empty: promtool check metrics" \
    sh -c "promtool check metrics <'$T/http.body' >/dev/null 2>&1"

out=$(ctl probe "$SERVER6" -6 --json)
assert_eq "ok path: state" ok "$(json_get state "$out")"
assert_eq "ok path: pmtu" 1400 "$(json_get pmtu "$out")"
out=$(ctl probe "$SERVER4" -4 --json)
assert_eq "black hole: state" blackhole "$(json_get state "$out")"
assert_eq "black hole: pmtu" 1400 "$(json_get pmtu "$out")"
assert_eq "black hole: hop" 1 "$(json_get blackhole.hop "$out")"
out=$(ctl probe "$SERVER4B" -4 --json)
assert_eq "unreachable: state" unreachable "$(json_get state "$out")"

R1=$(router_addr 1 4)
# series NAME DEST FAMILY [EXTRA_LABELS]: a series line up to its value.
series() {
	printf '%s{destination="%s",address="%s",family="%s"%s} ' \
	    "$1" "$2" "$2" "$3" "${4:-}"
}

# expo_check WHERE FILE: the three findings' series, exactly.
expo_check() {
	_f=$2
	for _l in \
	    "$(series pmtud_path_mtu_bytes "$SERVER6" 6)1400" \
	    "$(series pmtud_local_mtu_bytes "$SERVER6" 6)1500" \
	    "$(series pmtud_blackhole "$SERVER6" 6 ',hop="",hop_address=""')0" \
	    "$(series pmtud_destination_up "$SERVER6" 6)1" \
	    "$(series pmtud_path_mtu_bytes "$SERVER4" 4)1400" \
	    "$(series pmtud_blackhole "$SERVER4" 4 ",hop=\"1\",hop_address=\"$R1\"")1" \
	    "$(series pmtud_destination_up "$SERVER4" 4)1" \
	    "$(series pmtud_destination_up "$SERVER4B" 4)0" \
	    "$(series pmtud_blackhole "$SERVER4B" 4 ',hop="",hop_address=""')0" \
	    "pmtud_path_changes_total{destination=\"$SERVER6\",family=\"6\"} 0" \
	    "pmtud_path_changes_total{destination=\"$SERVER4\",family=\"4\"} 0" \
	    "pmtud_path_changes_total{destination=\"$SERVER4B\",family=\"4\"} 0" \
	    'pmtud_findings_total 3' \
	    'pmtud_up 1'; do
		check "$1: line $_l" grep -qxF -- "$_l" "$_f"
	done
	# An unreachable destination has no PMTU: no series rather than 0.
	check "$1: no pmtud_path_mtu_bytes for the unreachable one" \
	    sh -c "! grep -qF 'pmtud_path_mtu_bytes{destination=\"$SERVER4B\"' '$_f'"
	assert_eq "$1: pmtud_destination_up series" 3 \
	    "$(grep -c '^pmtud_destination_up{' "$_f")"
	assert_eq "$1: TYPE lines are unique" "" \
	    "$(grep '^# TYPE ' "$_f" | sort | uniq -d)"
	assert_match "$1: pmtud_probes_sent_total counts them" \
	    '^pmtud_probes_sent_total [1-9][0-9]*$' "$(cat "$_f")"
	_pr=$(promtool check metrics <"$_f" 2>&1)
	assert_eq "$1: promtool check metrics exit status" 0 $?
	assert_eq "$1: promtool has nothing to say" "" "$_pr"
}

# --- HTTP ---------------------------------------------------------------
http_get "$URL/metrics"
assert_eq "GET /metrics: status" 200 "$HTTP_CODE"
assert_eq "GET /metrics: Content-Type" \
    "text/plain; version=0.0.4; charset=utf-8" "$HTTP_TYPE"
cp "$T/http.body" "$T/http.prom"
expo_check "HTTP" "$T/http.prom"

http_get "$URL/metrics" -I
assert_eq "HEAD /metrics: status" 200 "$HTTP_CODE"
# curl -I saves the headers: there must be nothing after them.
check "HEAD /metrics: no body" \
    sh -c "! grep -q '^pmtud_' '$T/http.body'"
assert_match "HEAD /metrics: Content-Type" \
    '^Content-Type: text/plain; version=0.0.4; charset=utf-8' \
    "$(tr -d '\r' <"$T/http.body")"

http_get "$URL/other"
assert_eq "GET /other: status" 404 "$HTTP_CODE"
check "GET /other: no metrics" sh -c "! grep -q pmtud_ '$T/http.body'"
http_get "$URL/"
assert_eq "GET /: status" 404 "$HTTP_CODE"

# Refused: 405 Method Not Allowed, or 501 Not Implemented as libevent
# answers methods outside evhttp_set_allowed_methods; 413 for a body
# (evhttp_set_max_body_size 0).  Never the metrics.
for m in POST PUT DELETE; do
	http_get "$URL/metrics" -X $m
	assert_match "$m /metrics: refused" '^(405|501)$' "$HTTP_CODE"
	check "$m /metrics: no metrics" \
	    sh -c "! grep -q pmtud_ '$T/http.body'"
done
http_get "$URL/metrics" -d 'x=1'
assert_match "POST /metrics with a body: refused" '^(405|413|501)$' \
    "$HTTP_CODE"
check "POST /metrics with a body: no metrics" \
    sh -c "! grep -q pmtud_ '$T/http.body'"

# Only where it was told to listen: not on the client's own address.
http_get "http://$CLIENT4:$PORT/metrics" --connect-timeout 3
assert_eq "not listening on $CLIENT4" 000 "$HTTP_CODE"

# --- pmtudctl metrics ---------------------------------------------------
ctl metrics >"$T/ctl.prom"
assert_eq "pmtudctl metrics: exit status" 0 "$(ctl_rc)"
expo_check "pmtudctl" "$T/ctl.prom"
# The same exposition: the same series and values, except the uptime.
grep -v '^pmtud_uptime_seconds ' "$T/http.prom" >"$T/http.cmp"
grep -v '^pmtud_uptime_seconds ' "$T/ctl.prom" >"$T/ctl.cmp"
assert_eq "pmtudctl and HTTP: the same lines but the uptime" "" \
    "$(diff "$T/http.cmp" "$T/ctl.cmp" | head -10)"
check "pmtudctl and HTTP: the comparison is not empty" \
    [ "$(wc -l <"$T/ctl.cmp")" -gt 40 ]
assert_match "pmtudctl: uptime" '^pmtud_uptime_seconds [0-9]+\.[0-9]{3}$' \
    "$(grep '^pmtud_uptime_seconds ' "$T/ctl.prom")"

# Still serving after all that.
http_get "$URL/metrics"
assert_eq "GET /metrics again: status" 200 "$HTTP_CODE"
check "daemon still running" daemon_alive
