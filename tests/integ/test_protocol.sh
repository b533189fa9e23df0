#!/bin/sh
# SPDX-License-Identifier: ISC
# The control socket spoken directly with socat: error codes for bad
# input, ids echoed, an over-long line closes only that connection, and
# pmtudctl's own bad-usage handling.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
topo_line 1500 1500
start_daemon

# reply_check NAME REQUEST OK CODE ID: one request line, one reply line.
reply_check() {
	r=$(send_raw "$2")
	assert_eq "$1: one reply line" 1 "$(printf '%s\n' "$r" | grep -c .)"
	assert_eq "$1: ok" "$3" "$(json_get ok "$r")"
	if [ "$3" = false ]; then
		assert_eq "$1: error code" "$4" "$(json_get error.code "$r")"
		assert_eq "$1: error message is a non-empty string" true \
		    "$(printf '%s\n' "$r" | jq '.error.message | type == "string" and length > 0' 2>/dev/null)"
	fi
	assert_eq "$1: id" "$5" "$(printf '%s\n' "$r" | jq -c '.id' 2>/dev/null)"
	REPLY=$r
}

reply_check "bad json" '{"id":1,"cmd":' false bad_json null
reply_check "not an object" '[1,2,3]' false bad_request null
reply_check "unknown command" '{"id":7,"cmd":"frobnicate"}' false \
    unknown_command 7
reply_check "missing cmd" '{"id":8}' false bad_request 8
reply_check "probe without destination" '{"id":"abc","cmd":"probe"}' false \
    bad_request '"abc"'
reply_check "probe with empty destination" \
    '{"id":9,"cmd":"probe","destination":""}' false bad_request 9
reply_check "bad family" \
    "{\"id\":10,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"family\":5}" \
    false bad_request 10
reply_check "bad method" \
    "{\"id\":11,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"method\":\"sctp\"}" \
    false bad_request 11
reply_check "destination not a string" \
    '{"id":12,"cmd":"probe","destination":42}' false bad_request 12
# What the configuration refuses as a name, a request may not use either.
reply_check "probe of a shell command substitution" \
    '{"id":14,"cmd":"probe","destination":"$(reboot)"}' \
    false bad_request 14
assert_match "shell command substitution: the reason" \
    'not an IP address or a host name' "$(json_get error.message "$REPLY")"
reply_check "probe of a name with a quote and a semicolon" \
    "{\"id\":15,\"cmd\":\"probe\",\"destination\":\"gw';id\"}" \
    false bad_request 15
reply_check "status of an unknown destination" \
    '{"id":13,"cmd":"status","destination":"198.18.77.77"}' false \
    not_found 13
reply_check "version" '{"id":3,"cmd":"version"}' true "" 3
check "version: result present" [ "$(json_get result "$REPLY")" != null ]
reply_check "version without id" '{"cmd":"version"}' true "" null
reply_check "id float echoed" '{"id":2.5,"cmd":"version"}' true "" 2.5

# A probe over the raw protocol.
reply_check "raw probe" \
    "{\"id\":20,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"family\":4,\"method\":\"icmp\"}" \
    true "" 20
assert_eq "raw probe: pmtu" 1500 "$(json_get result.pmtu "$REPLY")"
assert_eq "raw probe: state" ok "$(json_get result.state "$REPLY")"
assert_eq "raw probe: family" 4 "$(json_get result.family "$REPLY")"

# Two requests on one connection: two replies, in order.
r=$(printf '%s\n%s\n' '{"id":31,"cmd":"version"}' '{"id":32,"cmd":"nope"}' |
    timeout -k 2 10 socat -t 5 - "UNIX-CONNECT:$SOCK" 2>/dev/null)
assert_eq "pipelined: ids in order" "31 32" \
    "$(printf '%s\n' "$r" | jq -r '.id' 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"

# A 70 KiB line closes that connection: the version request behind it on
# the same connection is never answered.  The next client is served.
big=$T/big
{
	printf '{"id":40,"cmd":"probe","destination":"'
	head -c 71680 /dev/zero | tr '\0' a
	printf '"}\n{"id":41,"cmd":"version"}\n'
} >"$big"
r=$(timeout -k 2 15 socat -t 5 - "UNIX-CONNECT:$SOCK" <"$big" 2>/dev/null)
assert_eq "long line: request behind it unanswered" 0 \
    "$(printf '%s\n' "$r" | grep -c '"id": *41')"
assert_eq "long line: not treated as a request" 0 \
    "$(printf '%s\n' "$r" | grep -c '"ok": *true')"
check "daemon alive after long line" kill -0 "$DAEMON_PID"
reply_check "next client after long line" '{"id":42,"cmd":"version"}' \
    true "" 42

# A long line under the limit is read whole and answered (as a bad
# request: that destination is too long).
{
	printf '{"id":50,"cmd":"probe","destination":"'
	head -c 60000 /dev/zero | tr '\0' b
	printf '"}\n'
} >"$big"
r=$(timeout -k 2 15 socat -t 5 - "UNIX-CONNECT:$SOCK" <"$big" 2>/dev/null)
assert_eq "line under the limit: answered with bad_request" bad_request \
    "$(json_get error.code "$r")"

# A client that connects and goes away silently does no harm.
timeout 5 socat -u OPEN:/dev/null "UNIX-CONNECT:$SOCK" 2>/dev/null
reply_check "after an empty connection" '{"id":60,"cmd":"version"}' true "" 60

# pmtudctl itself: bad usage fails with a message, never hangs.
ctl probe >/dev/null
rc=$(ctl_rc)
check "pmtudctl probe without DEST exits nonzero" [ "$rc" -ne 0 ]
check "pmtudctl probe without DEST is not a timeout" [ "$rc" -ne 124 ]
ctl frobnicate >/dev/null 2>&1
check "pmtudctl unknown command exits nonzero" [ "$(ctl_rc)" -ne 0 ]
ctl probe "$SERVER4" --method carrier-pigeon >/dev/null 2>&1
check "pmtudctl bad --method exits nonzero" [ "$(ctl_rc)" -ne 0 ]

# An option (another command's) or a destination the command does not
# take is refused by its row of the table: exit 64, a message naming
# the command, then its usage line.
ctl_refused() {
	timeout -k 2 10 "$PMTUDCTL" --socket "$SOCK" "$@" >"$T/bad.out" \
	    2>"$T/bad.err"
	assert_eq "pmtudctl $*: exit status" 64 "$?"
	assert_match "pmtudctl $*: names the command" "^pmtudctl:? $1[: ]" \
	    "$(sed -n 1p "$T/bad.err")"
	assert_match "pmtudctl $*: its usage line" "^usage: pmtudctl $1 " \
	    "$(sed -n 2p "$T/bad.err")"
	assert_eq "pmtudctl $*: nothing on stdout" "" "$(cat "$T/bad.out")"
}
ctl_refused status --count 3
ctl_refused watch -4
ctl_refused probe "$SERVER4" --state ok
ctl_refused reload --json
ctl_refused version "$SERVER4"

timeout 10 "$PMTUDCTL" --socket "$T/no-such.sock" status >/dev/null \
    2>"$T/nosock.err"
rc=$?
check "pmtudctl with no daemon exits nonzero" [ "$rc" -ne 0 ]
check "pmtudctl with no daemon is not a timeout" [ "$rc" -ne 124 ]
check "pmtudctl with no daemon says why" [ -s "$T/nosock.err" ]
