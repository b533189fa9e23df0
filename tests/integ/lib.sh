# SPDX-License-Identifier: ISC
# Namespace test harness for pmtud.  Sourced by tests/integ/test_*.sh,
# tests/demo.sh and tests/bench/run.sh; plain POSIX sh (dash).
#
# Builds linear paths client -- r1 -- ... -- server out of network
# namespaces, starts the daemon in the client namespace and prints one
# "PASS: <file>: <name>" or "FAIL: <file>: <name> (expected X, got Y)" line
# per assertion.  Everything it makes is removed on exit, failure included.
#
# Addresses come only from 198.18.0.0/15 and 2001:db8::/32.

# The tree's top: walk up from the calling script until the Makefile.
if [ -z "${TOP:-}" ]; then
	TOP=$(cd "$(dirname "$0")" && pwd)
	while [ "$TOP" != / ] && [ ! -f "$TOP/Makefile" ]; do
		TOP=$(dirname "$TOP")
	done
fi
TEST_NAME=$(basename "$0")
PMT_NS_BASE=${PMT_NS_BASE:-pmt}
PREFIX=${PMT_NS_BASE}$$
PMTUD=${PMTUD:-$TOP/build/san/pmtud}
PMTUDCTL=${PMTUDCTL:-$TOP/build/san/pmtudctl}
CTL_TIMEOUT=${CTL_TIMEOUT:-30}

# Sanitizer findings must end the process loudly so a test sees them.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:halt_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

NSLIST=""		# namespaces made, deleted by cleanup
DAEMON_PIDS=""		# daemons started, killed by cleanup
NFAIL=0
NPASS=0
T=$(mktemp -d "${TMPDIR:-/tmp}/pmtud-test.XXXXXX") || exit 1
# pmtud started as root runs as user pmtud: it must reach its files.
# It makes run/ and state/ itself, owned by that user.
id pmtud >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin pmtud ||
    exit 1
chmod 755 "$T"
SOCK=$T/run/pmtud.sock
STATE=$T/state/state.json
DAEMON_LOG=$T/pmtud.log
CTL_ERR=$T/pmtudctl.err
: >"$CTL_ERR"

# --- assertions -------------------------------------------------------

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

# assert_match NAME REGEX ACTUAL (grep -E, whole text)
assert_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1" "expected match /$2/, got $(printf '%s' "$3" |
		    head -c 300 | tr '\n' ' ')"
	fi
}

# Ends the test now with a FAIL; cleanup still runs.
die() {
	fail "$1" "$2"
	exit 1
}

# --- cleanup ----------------------------------------------------------

# Prints a FAIL for sanitizer reports found in file $1 (named $2).
sanitizer_check() {
	[ -s "$1" ] || return 0
	if grep -Eq 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:' "$1"; then
		fail "$2 sanitizer clean" "expected no sanitizer report, got: $(grep -Em1 'Sanitizer|runtime error:' "$1")"
		sed 's/^/    | /' "$1" | head -40
		return 1
	fi
	return 0
}

stop_daemons() {
	for _p in $DAEMON_PIDS; do
		if kill -0 "$_p" 2>/dev/null; then
			kill -TERM "$_p" 2>/dev/null
			_i=0
			while kill -0 "$_p" 2>/dev/null && [ $_i -lt 50 ]; do
				sleep 0.1
				_i=$((_i + 1))
			done
			if kill -0 "$_p" 2>/dev/null; then
				fail "daemon exits on SIGTERM" "expected exit within 5 s, got still running"
				kill -KILL "$_p" 2>/dev/null
			fi
		else
			fail "daemon still running at end of test" "expected running, got exited"
			tail -20 "$DAEMON_LOG" 2>/dev/null | sed 's/^/    | /'
		fi
		wait "$_p" 2>/dev/null
	done
	DAEMON_PIDS=""
}

# Removes the topology (and any daemon in it) so another can be built.
topo_down() {
	stop_daemons
	delay_stop
	for _ns in $NSLIST; do
		# Stray processes in our own namespaces (background probes).
		for _p in $(ip netns pids "$_ns" 2>/dev/null); do
			kill -KILL "$_p" 2>/dev/null
		done
		ip netns del "$_ns" 2>/dev/null
	done
	NSLIST=""
}

cleanup() {
	_status=$?
	trap - EXIT INT TERM
	stop_daemons
	# On failure the daemon's log helps; sanitizer_check shows its own.
	if [ -s "$DAEMON_LOG" ] && sanitizer_check "$DAEMON_LOG" "daemon" &&
	    [ "$NFAIL" -gt 0 ]; then
		echo "    daemon log, last lines:"
		tail -15 "$DAEMON_LOG" | sed 's/^/    | /'
	fi
	sanitizer_check "$CTL_ERR" "pmtudctl"
	topo_down
	rm -rf "$T"
	[ "$NFAIL" -gt 0 ] && exit 1
	# Interrupted, or a command failed under set -e: not a pass.
	exit "$_status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preconditions ----------------------------------------------------

# Root and working namespaces are required: never a silent skip.
require_netns() {
	[ "$(id -u)" -eq 0 ] ||
	    die "running as root" "expected uid 0, got uid $(id -u)"
	for _c in ip nft jq socat timeout ping; do
		command -v $_c >/dev/null 2>&1 ||
		    die "tool $_c installed" "expected $_c in PATH, got none (make deps)"
	done
	_probe=${PREFIX}probe
	ip netns add "$_probe" 2>"$T/netns.err" ||
	    die "ip netns usable" "expected ip netns add to work, got $(cat "$T/netns.err")"
	ip netns del "$_probe"
}

require_daemon() {
	for _b in "$PMTUD" "$PMTUDCTL"; do
		[ -x "$_b" ] ||
		    die "binary $(basename "$_b") built" "expected $_b, got none (make check builds it)"
	done
}

# --- topology ---------------------------------------------------------

nsx() {
	_nsx=$1
	shift
	ip netns exec "$_nsx" "$@"
}

ns_new() {
	ip netns add "$1" || die "create namespace $1" "ip netns add failed"
	NSLIST="$NSLIST $1"
	nsx "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
	    >/dev/null
	ip -n "$1" link set lo up
}

# topo_line MTU1 ... MTUn: client -- r1 -- ... -- r(n-1) -- server.
# Link i joins namespace i-1 (left) and i (right); both veth ends get
# MTU_i, 198.18.i.1/24 + 2001:db8:i::1/64 on the left and .2 / ::2 on the
# right.  The server also owns 198.18.200.1 and 2001:db8:200::1 (SERVER4B,
# SERVER6B) on its loopback.  The client routes only 198.18.0.0/16 and
# 2001:db8::/32, so other addresses (198.19.x) have no route there.
topo_line() {
	[ $# -ge 1 ] || die "topo_line arguments" "expected at least one MTU, got none"
	_nlinks=$#
	CLIENT=${PREFIX}c
	SERVER=${PREFIX}s
	ROUTERS=""
	_k=1
	while [ $_k -lt $_nlinks ]; do
		ROUTERS="$ROUTERS ${PREFIX}r$_k"
		_k=$((_k + 1))
	done
	ROUTERS=${ROUTERS# }
	# Namespaces in path order.
	_path="$CLIENT $ROUTERS $SERVER"
	TOPO_PATH=$_path
	for _ns in $_path; do
		ns_new "$_ns"
	done
	for _r in $ROUTERS; do
		nsx "$_r" sysctl -qw net.ipv4.ip_forward=1 \
		    net.ipv6.conf.all.forwarding=1 >/dev/null
	done

	# Links.
	_i=1
	for _mtu in "$@"; do
		_l=$(echo $_path | cut -d' ' -f$_i)
		_r=$(echo $_path | cut -d' ' -f$((_i + 1)))
		ip -n "$_l" link add "v${_i}r" mtu "$_mtu" type veth \
		    peer name "v${_i}l" netns "$_r" mtu "$_mtu" ||
		    die "topology link $_i" "veth with mtu $_mtu failed"
		ip -n "$_l" addr add "198.18.$_i.1/24" dev "v${_i}r"
		ip -n "$_r" addr add "198.18.$_i.2/24" dev "v${_i}l"
		ip -n "$_l" -6 addr add "2001:db8:$_i::1/64" dev "v${_i}r" nodad
		ip -n "$_r" -6 addr add "2001:db8:$_i::2/64" dev "v${_i}l" nodad
		ip -n "$_l" link set "v${_i}r" up
		ip -n "$_r" link set "v${_i}l" up
		_i=$((_i + 1))
	done

	# Routes: toward the server for the whole test range, toward the
	# client for each link left of a router.
	ip -n "$CLIENT" route add 198.18.0.0/16 via 198.18.1.2
	ip -n "$CLIENT" -6 route add 2001:db8::/32 via 2001:db8:1::2
	ip -n "$SERVER" route add 198.18.0.0/16 via "198.18.$_nlinks.1"
	ip -n "$SERVER" -6 route add 2001:db8::/32 via "2001:db8:$_nlinks::1"
	_k=1
	for _r in $ROUTERS; do
		ip -n "$_r" route add 198.18.0.0/16 via "198.18.$((_k + 1)).2"
		ip -n "$_r" -6 route add 2001:db8::/32 via "2001:db8:$((_k + 1))::2"
		_j=1
		while [ $_j -lt $_k ]; do
			ip -n "$_r" route add "198.18.$_j.0/24" via "198.18.$_k.1"
			ip -n "$_r" -6 route add "2001:db8:$_j::/64" \
			    via "2001:db8:$_k::1"
			_j=$((_j + 1))
		done
		_k=$((_k + 1))
	done
	ip -n "$SERVER" addr add 198.18.200.1/32 dev lo
	ip -n "$SERVER" -6 addr add 2001:db8:200::1/128 dev lo nodad

	SERVER4=198.18.$_nlinks.2
	SERVER6=2001:db8:$_nlinks::2
	SERVER4B=198.18.200.1
	SERVER6B=2001:db8:200::1
	CLIENT4=198.18.1.1
	CLIENT6=2001:db8:1::1
	LINK_MTUS="$*"
	export CLIENT SERVER ROUTERS SERVER4 SERVER6 SERVER4B SERVER6B \
	    CLIENT4 CLIENT6 LINK_MTUS TOPO_PATH
	topo_wait
}

# No address of ours may stay tentative; then both families must answer.
topo_wait() {
	_i=0
	while :; do
		_tent=""
		for _ns in $NSLIST; do
			_tent="$_tent$(ip -n "$_ns" -6 addr show tentative 2>/dev/null)"
		done
		[ -z "$_tent" ] && break
		[ $_i -ge 50 ] && die "v6 addresses usable" \
		    "expected no tentative addresses after 5 s, got some"
		sleep 0.1
		_i=$((_i + 1))
	done
	for _a in "$SERVER4" "$SERVER6" "$SERVER4B" "$SERVER6B"; do
		nsx "$CLIENT" ping -n -q -c 1 -W 2 "$_a" >/dev/null 2>&1 ||
		    nsx "$CLIENT" ping -n -q -c 1 -W 2 "$_a" >/dev/null 2>&1 ||
		    die "topology reaches $_a" "expected ping answer, got none"
	done
}

# The server drops incoming ICMP echo requests (v4 and v6): only UDP
# probes get answers.
server_drop_echo() {
	nsx "$SERVER" nft -f - <<EOF || die "nft drop echo" "nft failed"
table inet pmtest {
	chain in {
		type filter hook input priority 0; policy accept;
		icmp type echo-request drop
		icmpv6 type echo-request drop
	}
}
EOF
}

# The server answers nothing at all.  Neighbour discovery still works so
# the last router does not report the address unreachable itself.
server_silent() {
	nsx "$SERVER" nft -f - <<EOF || die "nft silent" "nft failed"
table inet pmtest {
	chain in {
		type filter hook input priority 0; policy drop;
		icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
	}
}
EOF
}

# router_blackhole NS [4|6]: that router never says "fragmentation
# needed" (4) / "packet too big" (6), or neither (no family given): big
# packets just vanish there (RFC 2923 black hole).  Its own table, so
# router_blackhole_clear can lift it again.
router_blackhole() {
	case ${2:-46} in
	4)	_bh="icmp type destination-unreachable icmp code frag-needed drop" ;;
	6)	_bh="icmpv6 type packet-too-big drop" ;;
	46)	_bh="icmp type destination-unreachable icmp code frag-needed drop
		icmpv6 type packet-too-big drop" ;;
	*)	die "router_blackhole family" "expected 4 or 6, got $2" ;;
	esac
	nsx "$1" nft -f - <<EOF || die "nft black hole" "nft failed"
table inet pmt_bh {
	chain out {
		type filter hook output priority 0; policy accept;
		$_bh
	}
}
EOF
}

# router_blackhole_clear NS: the router speaks up again.
router_blackhole_clear() {
	nsx "$1" nft delete table inet pmt_bh ||
	    die "nft black hole removed" "nft delete table failed"
}

# router_loss NS PERCENT: that router drops PERCENT % of the packets it
# forwards, at random and in both directions (no sch_netem here).  What
# the router itself sends (its ICMP errors) is not dropped.
router_loss() {
	nsx "$1" nft -f - <<EOF || die "nft loss" "nft failed"
table inet pmt_loss {
	chain loss {
		type filter hook forward priority 0; policy accept;
		numgen random mod 100 < $2 drop
	}
}
EOF
}

# router_icmp_limit NS RATE: every ICMP error that router sends (too-big
# and frag-needed included, unlike Linux's own limiter) is limited to
# RATE per second, without a burst, as many hardware routers do.
router_icmp_limit() {
	nsx "$1" nft -f - <<EOF || die "nft icmp limit" "nft failed"
table inet pmt_icmplim {
	chain out {
		type filter hook output priority 0; policy accept;
		icmp type { destination-unreachable, time-exceeded, parameter-problem } limit rate over $2/second burst 1 packets counter drop
		icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } limit rate over $2/second burst 1 packets counter drop
	}
}
EOF
}

# nft_dropped NS TABLE: packets the counters in that table have seen.
nft_dropped() {
	nsx "$1" nft list table inet "$2" 2>/dev/null |
	    sed -n 's/.*counter packets \([0-9]*\).*/\1/p' |
	    awk '{ n += $1 } END { print n + 0 }'
}

# router_addr K FAMILY: router K's address on its client side (the one
# its ICMP errors toward the client come from).
router_addr() {
	if [ "$2" = 6 ]; then
		echo "2001:db8:$1::2"
	else
		echo "198.18.$1.2"
	fi
}

# --- daemon -----------------------------------------------------------

# start_daemon [BINARY [ARGS...]]: pmtud --foreground in the client
# namespace, socket and state in the test's temp dir, ARGS (e.g. --config
# FILE) added; waits until the socket answers.  BINARY "" is the default.
start_daemon() {
	start_daemon_try "$@" && return 0
	tail -20 "$DAEMON_LOG" | sed 's/^/    | /'
	die "daemon starts" "expected it to answer on its socket within 10 s, got exit status $DAEMON_RC"
}

# ctl ARGS...: pmtudctl against our daemon, bounded in time.  Its exit
# status is kept in $T/ctl_rc (read with ctl_rc) since callers usually
# run it inside $(...).
ctl() {
	timeout -k 2 "$CTL_TIMEOUT" "$PMTUDCTL" --socket "$SOCK" "$@" \
	    2>>"$CTL_ERR"
	_rc=$?
	echo $_rc >"$T/ctl_rc"
	return $_rc
}

ctl_rc() {
	cat "$T/ctl_rc" 2>/dev/null
}

# send_raw TEXT: one raw exchange over the socket; prints the reply lines.
send_raw() {
	printf '%s\n' "$1" | timeout -k 2 10 socat -t 5 - "UNIX-CONNECT:$SOCK" \
	    2>/dev/null
}

# json_get FIELD [JSON]: the field's value (strings raw, null as "null");
# reads stdin without JSON.  Prints "<invalid json>" if it does not parse.
json_get() {
	if [ $# -ge 2 ]; then
		printf '%s\n' "$2" | json_get "$1"
		return
	fi
	jq -r ".$1 | if type == \"object\" or type == \"array\" then tojson else . end" \
	    2>/dev/null || echo "<invalid json>"
}

# status_get FIELD JSON: a field of the one finding "status DEST --json"
# printed (a result object, or an array holding exactly one).
status_get() {
	printf '%s\n' "$2" | jq -r \
	    "if type == \"array\" then (if length == 1 then .[0] else error(\"not one\") end) else . end | .$1" \
	    2>/dev/null || echo "<invalid json>"
}

# json_type FIELD JSON: jq's type name of the field.
json_type() {
	printf '%s\n' "$2" | jq -r ".$1 | type" 2>/dev/null || echo "<invalid json>"
}

# probe_check NAME DEST FAMILY PMTU LOCAL_MTU METHOD [ctl args...]:
# one probe with --json and every field asserted.
probe_check() {
	_pn=$1 _pd=$2 _pf=$3 _pp=$4 _pl=$5 _pm=$6
	shift 6
	_out=$(ctl probe "$_pd" "-$_pf" --json "$@")
	_rc=$(ctl_rc)
	if [ "$_rc" = 124 ] || [ "$_rc" = 137 ]; then
		fail "$_pn: pmtudctl returns" "expected exit within ${CTL_TIMEOUT} s, got timeout"
	fi
	if ! printf '%s\n' "$_out" | jq -e 'type == "object"' >/dev/null 2>&1; then
		fail "$_pn: one JSON object" "expected a JSON object, got $(printf '%s' "$_out" | head -c 200)"
		return 1
	fi
	assert_eq "$_pn: state" ok "$(json_get state "$_out")"
	assert_eq "$_pn: pmtu" "$_pp" "$(json_get pmtu "$_out")"
	assert_eq "$_pn: local_mtu" "$_pl" "$(json_get local_mtu "$_out")"
	assert_eq "$_pn: family" "$_pf" "$(json_get family "$_out")"
	assert_eq "$_pn: method" "$_pm" "$(json_get method "$_out")"
	assert_eq "$_pn: destination" "$_pd" "$(json_get destination "$_out")"
	assert_eq "$_pn: address" "$_pd" "$(json_get address "$_out")"
	assert_eq "$_pn: error" null "$(json_get error "$_out")"
	assert_eq "$_pn: probes_sent is a number" number "$(json_type probes_sent "$_out")"
	assert_eq "$_pn: duration_ms is a number" number "$(json_type duration_ms "$_out")"
	assert_match "$_pn: updated_at is RFC 3339 UTC" \
	    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$' \
	    "$(json_get updated_at "$_out")"
	assert_eq "$_pn: pmtudctl exit status" 0 "$_rc"
	PROBE_OUT=$_out
}

# ns_clean: true if no namespace of this run is left.
ns_left() {
	ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX" || true
}

# now_ms: a wall clock in milliseconds (for reports, never asserted).
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# probe_json NAME DEST FAMILY [ctl args...]: one "probe --json"; checks
# that pmtudctl returned in time with one JSON object and leaves it in
# PROBE_OUT and the wall time of the call in PROBE_MS.  1 if unusable.
probe_json() {
	_pn=$1 _pd=$2 _pf=$3
	shift 3
	_t0=$(now_ms)
	PROBE_OUT=$(ctl probe "$_pd" "-$_pf" --json "$@")
	_rc=$(ctl_rc)
	PROBE_MS=$(($(now_ms) - _t0))
	if [ "$_rc" = 124 ] || [ "$_rc" = 137 ]; then
		fail "$_pn: pmtudctl returns" "expected exit within ${CTL_TIMEOUT} s, got timeout"
		return 1
	fi
	if ! printf '%s\n' "$PROBE_OUT" | jq -e 'type == "object"' >/dev/null 2>&1; then
		fail "$_pn: one JSON object" "expected a JSON object, got $(printf '%s' "$PROBE_OUT" | head -c 200)"
		return 1
	fi
	return 0
}

# hops_field FIELD JSON: that field of every hop, space separated in TTL
# order, null as "null"; "none" if hops is null or missing.
hops_field() {
	printf '%s\n' "$2" | jq -r "if (.hops | type) == \"array\" then
	    [.hops[] | .$1 | tostring] | join(\" \") else \"none\" end" \
	    2>/dev/null || echo "<invalid json>"
}

# blackhole_check NAME JSON PMTU HOP ADDRESS: a black-hole result in
# full: state, pmtu, the black hole's hop (null: not walked) and address,
# lost_size PMTU + 1 and evidence that satisfies the rule in search.c.
blackhole_check() {
	_bn=$1 _bj=$2
	assert_eq "$_bn: state" blackhole "$(json_get state "$_bj")"
	assert_eq "$_bn: pmtu" "$3" "$(json_get pmtu "$_bj")"
	assert_eq "$_bn: error" null "$(json_get error "$_bj")"
	assert_eq "$_bn: blackhole.hop" "$4" "$(json_get blackhole.hop "$_bj")"
	assert_eq "$_bn: blackhole.address" "$5" \
	    "$(json_get blackhole.address "$_bj")"
	assert_eq "$_bn: blackhole.lost_size" $(($3 + 1)) \
	    "$(json_get blackhole.lost_size "$_bj")"
	# The rule (BH_* in lib/search.c): >= 4 lost at P + 1 during the
	# confirmation, silence over >= 1.5 s, and a chance <= 1e-4 under
	# the control probes' loss bound min(1, (lost + 2) / (sent + 2)).
	# evidence.lost counts every loss at P + 1 (the bisection's too),
	# so these are necessary conditions on what is reported.
	assert_eq "$_bn: evidence obeys the rule" true \
	    "$(printf '%s\n' "$_bj" | jq '.blackhole.evidence |
	    .lost >= 4 and .span_ms >= 1500 and .lost_above >= .lost and
	    .control_lost <= .control_sent and
	    pow([(.control_lost + 2) / (.control_sent + 2), 1] | min; .lost)
	    <= 0.0001' \
	    2>/dev/null)"
}


# ======================================================================
# Monitoring, state file and reload helpers (test_monitor, test_persist,
# test_reload, test_checkconfig, bench/scale.sh).  Appended as one block.
# ======================================================================

# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it
# succeeds (0), or gives up after SECONDS worth of tries (1).  A bound on
# tries, never an assertion on time.
wait_until() {
	_wu_n=$(($1 * 10))
	shift
	_wu_i=0
	while ! "$@"; do
		[ $_wu_i -ge $_wu_n ] && return 1
		sleep 0.1
		_wu_i=$((_wu_i + 1))
	done
	return 0
}

# write_conf FILE LINE...: a configuration file, one argument a line.
write_conf() {
	_wc_f=$1
	shift
	printf '%s\n' "$@" >"$_wc_f"
}

# finding DEST FAMILY: "status DEST -FAMILY --json" as one compact JSON
# line; nothing when the daemon has no finding for it.
finding() {
	ctl status "$1" "-$2" --json 2>/dev/null | jq -c . 2>/dev/null
}

# has_finding DEST FAMILY: true once the daemon has a finding for it.
has_finding() {
	[ -n "$(finding "$1" "$2")" ]
}

# listing REQUEST: a raw status listing (one JSON request line); leaves
# every reply line in LISTING, the finding lines' count in LISTING_LINES
# and the closing line's count in LISTING_COUNT ("none" without one).
listing() {
	LISTING=$(send_raw "$1")
	LISTING_LINES=$(printf '%s\n' "$LISTING" |
	    jq -c 'select(.result != null)' 2>/dev/null | grep -c .)
	LISTING_COUNT=$(printf '%s\n' "$LISTING" |
	    jq -r 'select(.end == true) | .count' 2>/dev/null | tail -1)
	[ -n "$LISTING_COUNT" ] || LISTING_COUNT=none
}

# status_error_code DEST FAMILY: the error code of a raw status request
# for DEST ("none" if it succeeded).
status_error_code() {
	send_raw "{\"id\":5,\"cmd\":\"status\",\"destination\":\"$1\",\"family\":$2}" |
	    jq -r 'if .ok then "none" else .error.code end' 2>/dev/null
}

# state_field DEST FAMILY FIELD [FILE]: that field of DEST's result in
# the state file ($STATE); "absent" if the file has no such result,
# "<invalid json>" if it does not parse.
state_field() {
	jq -r --arg d "$1" --argjson f "$2" --arg k "$3" \
	    '[.results[] | select(.destination == $d and .family == $f)] |
	    if length == 0 then "absent" else .[0][$k] | tostring end' \
	    "${4:-$STATE}" 2>/dev/null || echo "<invalid json>"
}

# log_has REGEX: true if the daemon's log has a line matching REGEX
# (grep -E).
log_has() {
	grep -Eq -- "$1" "$DAEMON_LOG" 2>/dev/null
}

# daemon_pid: the daemon's own process id.  start_daemon's $! can be the
# subshell that runs it (a function put in the background), and a signal
# sent there would end that shell and leave the daemon running.
daemon_pid() {
	if [ "$(cat "/proc/$DAEMON_PID/comm" 2>/dev/null)" = pmtud ]; then
		echo "$DAEMON_PID"
		return
	fi
	for _dp in $(ps -o pid= --ppid "$DAEMON_PID" 2>/dev/null); do
		if [ "$(cat "/proc/$_dp/comm" 2>/dev/null)" = pmtud ]; then
			echo "$_dp"
			return
		fi
	done
}

# daemon_alive: true while the daemon runs.
daemon_alive() {
	[ -n "$(daemon_pid)" ]
}

# daemon_signal SIGNAL: sends SIGNAL (HUP, TERM...) to the daemon itself.
daemon_signal() {
	_dsig_p=$(daemon_pid)
	[ -n "$_dsig_p" ] && kill "-$1" "$_dsig_p"
}

# daemon_stop [SIGNAL]: signals the daemon (TERM) and waits up to 5 s for
# it to exit.  DAEMON_RC is then its exit status (128 + N if a signal N
# ended it), or "running" if it did not exit (it is killed).  Cleanup no
# longer stops it; its log is checked for sanitizer reports now, before
# the next start_daemon overwrites it.
daemon_stop() {
	_ds_p=$(daemon_pid)
	[ -n "$_ds_p" ] && kill "-${1:-TERM}" "$_ds_p" 2>/dev/null
	# The wrapper shell, if any, ends with the daemon's status.
	_ds_i=0
	while kill -0 "$DAEMON_PID" 2>/dev/null && [ $_ds_i -lt 50 ]; do
		sleep 0.1
		_ds_i=$((_ds_i + 1))
	done
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		[ -n "$_ds_p" ] && kill -KILL "$_ds_p" 2>/dev/null
		kill -KILL "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_RC=running
	else
		wait "$DAEMON_PID"
		DAEMON_RC=$?
	fi
	_ds_left=""
	for _p in $DAEMON_PIDS; do
		[ "$_p" = "$DAEMON_PID" ] || _ds_left="$_ds_left $_p"
	done
	DAEMON_PIDS=$_ds_left
	sanitizer_check "$DAEMON_LOG" "daemon"
}

# proc_rss_kb PID: VmRSS in kB.  proc_cpu_ticks PID: utime + stime in
# clock ticks (fields 14 and 15 of /proc/PID/stat, after the comm field).
proc_rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

proc_cpu_ticks() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}


# ======================================================================
# Operations helpers (test_privs, test_peers, test_metrics_http,
# test_check): throwaway users and groups, commands run as another user,
# /proc status fields, extra cleanup.  Appended as one block.
# ======================================================================

OPS_ATEXIT=""		# shell commands run at exit, before cleanup

# ops_atexit COMMAND: runs the shell command COMMAND at exit (failure and
# interruption included), after the daemons stopped and before the
# harness's cleanup; the last one registered runs first.
ops_atexit() {
	OPS_ATEXIT="$1; $OPS_ATEXIT"
	trap '_oa_st=$?; stop_daemons; eval "$OPS_ATEXIT"; (exit $_oa_st); cleanup' EXIT
}

# ops_retry COMMAND...: /etc/passwd and /etc/group may be locked by a
# parallel test for a moment; tries up to 20 times, 0.2 s apart.
ops_retry() {
	_or_i=0
	while ! "$@" 2>"$T/ops_retry.err"; do
		_or_i=$((_or_i + 1))
		if [ $_or_i -ge 20 ]; then
			cat "$T/ops_retry.err" >&2
			return 1
		fi
		sleep 0.2
	done
}

# group_add NAME: a throwaway group, removed at exit.
group_add() {
	ops_retry groupadd "$1" ||
	    die "groupadd $1" "expected the group to be created, got failure"
	ops_atexit "ops_retry groupdel $1"
}

# user_add NAME [useradd options...]: a throwaway system user without a
# home or login shell (its own group unless -g is given), removed at
# exit together with that group.
user_add() {
	_ua=$1
	shift
	ops_retry useradd --system --no-create-home \
	    --shell /usr/sbin/nologin "$@" "$_ua" ||
	    die "useradd $_ua" "expected the user to be created, got failure"
	ops_atexit "ops_retry userdel $_ua"
}

# as_user USER COMMAND...: COMMAND as USER (its primary group and its
# supplementary groups from /etc/group), with no capabilities.
as_user() {
	_au=$1
	shift
	setpriv --reuid="$_au" --regid="$(id -g "$_au")" --init-groups \
	    --inh-caps=-all "$@"
}

# ctl_as USER ARGS...: pmtudctl as USER against our daemon, bounded in
# time.  stdout as it comes; stderr in $T/ctl_as.err (and CTL_ERR, for
# the sanitizer check); the exit status in $T/ctl_rc (ctl_rc).
ctl_as() {
	_ca_u=$1
	shift
	timeout -k 2 "$CTL_TIMEOUT" setpriv --reuid="$_ca_u" \
	    --regid="$(id -g "$_ca_u")" --init-groups --inh-caps=-all \
	    "$PMTUDCTL" --socket "$SOCK" "$@" 2>"$T/ctl_as.err"
	_rc=$?
	echo $_rc >"$T/ctl_rc"
	cat "$T/ctl_as.err" >>"$CTL_ERR"
	return $_rc
}

# ctl_as_err: what the last ctl_as wrote to stderr, on one line.
ctl_as_err() {
	tr '\n' ' ' <"$T/ctl_as.err" | sed 's/ *$//'
}

# proc_status PID FIELD: that field of /proc/PID/status ("Uid",
# "CapEff", ...), its tabs and spaces squeezed to one space; "none" if
# there is no such field or process.
proc_status() {
	_ps=$(awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }' \
	    "/proc/$1/status" 2>/dev/null)
	[ -n "$_ps" ] || _ps=none
	echo "$_ps"
}

# start_daemon_try [BINARY [ARGS...]]: start_daemon that does not end
# the test when the daemon does not come up: 0 when it answers, else 1
# with the daemon stopped (DAEMON_RC its exit status, log in DAEMON_LOG).
# start_daemon is this, ending the test on failure.
start_daemon_try() {
	_sdt_bin=${1:-$PMTUD}
	[ $# -gt 0 ] && shift
	rm -f "$SOCK"
	# Not through nsx: a function in the background is a subshell, and
	# $! must be the daemon itself (ip netns exec execs it).
	ip netns exec "$CLIENT" "$_sdt_bin" --foreground --socket "$SOCK" \
	    --state "$STATE" "$@" >"$DAEMON_LOG" 2>&1 </dev/null &
	DAEMON_PID=$!
	DAEMON_PIDS="$DAEMON_PIDS $DAEMON_PID"
	_sdt_i=0
	while [ $_sdt_i -lt 100 ]; do
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		if [ -S "$SOCK" ] && echo '{"cmd":"version"}' |
		    timeout 2 socat -t 2 - "UNIX-CONNECT:$SOCK" 2>/dev/null |
		    grep -q '"ok"'; then
			return 0
		fi
		sleep 0.1
		_sdt_i=$((_sdt_i + 1))
	done
	daemon_stop
	return 1
}

# http_get URL [curl options...]: curl inside the client namespace,
# bounded in time; the body goes to $T/http.body, the status code and
# Content-Type are left in HTTP_CODE and HTTP_TYPE.
http_get() {
	_hg_url=$1
	shift
	_hg=$(nsx "$CLIENT" curl -s --max-time 10 -o "$T/http.body" \
	    -w '%{http_code}|%{content_type}' "$@" "$_hg_url")
	HTTP_CODE=${_hg%%|*}
	HTTP_TYPE=${_hg#*|}
}


# ======================================================================
# Slow paths (test_rtt_*, bench/rtt.sh): a link of the topology made
# slow, jittery, lossy or reordering by tests/tools/delayline.c in a
# namespace of its own, since this kernel has no sch_netem.  Appended as
# one block.
# ======================================================================

DELAYLINE=${DELAYLINE:-$TOP/build/delayline}
DELAY_PIDS=""		# delay lines started, stopped by topo_down
DELAY_MAX_SECONDS=${DELAY_MAX_SECONDS:-900}

require_delayline() {
	[ -x "$DELAYLINE" ] ||
	    die "binary delayline built" "expected $DELAYLINE, got none (make build/delayline)"
}

# delay_stop: ends every delay line (their counters go to their logs).
delay_stop() {
	for _p in $DELAY_PIDS; do
		kill -TERM "$_p" 2>/dev/null
	done
	for _p in $DELAY_PIDS; do
		wait "$_p" 2>/dev/null
	done
	DELAY_PIDS=""
}

# link_delay K DELAY_MS JITTER_MS [delayline options...]: link K of
# topo_line's path (between its namespaces K - 1 and K) runs through a
# delay box, namespace ${PREFIX}dK:
#
#	left vKr <-> dla [delayline] dlb <-> vKl right
#
# The right end moves into the box as dla and a new vKl takes its place,
# with the same name, MAC address, MTU, addresses and routes, so no
# route, neighbour entry or MTU of the path changes; the box's own ends
# have the largest MTU so the link's ends still decide.  Each direction
# waits DELAY_MS +- JITTER_MS (a round trip over the link gains twice
# that); further options (--drop, --reorder, --nd-delay, --fifo,
# --normal, --seed) go to delayline as they are.  Its log is
# $T/delayline.K.log; link_delay_counters reads it.
link_delay() {
	[ $# -ge 3 ] || die "link_delay arguments" "expected K DELAY_MS JITTER_MS, got $*"
	_dk=$1 _dd=$2 _dj=$3
	shift 3
	require_delayline
	_dl=$(echo $TOPO_PATH | cut -d' ' -f"$_dk")
	_dr=$(echo $TOPO_PATH | cut -d' ' -f$((_dk + 1)))
	_dif=v${_dk}l
	_dbox=${PREFIX}d$_dk
	[ -n "$_dl" ] && [ -n "$_dr" ] && ip -n "$_dr" link show dev "$_dif" \
	    >/dev/null 2>&1 ||
	    die "link_delay link $_dk" "expected a link $_dk in the path, got none"
	_dmac=$(ip -n "$_dr" -br link show dev "$_dif" | awk '{ print $3 }')
	_dmtu=$(ip -n "$_dr" -o link show dev "$_dif" |
	    sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	ip -n "$_dr" -o addr show dev "$_dif" scope global |
	    awk '{ print $3, $4 }' >"$T/dl.addrs"
	# Routes through the link, less those its addresses bring back.
	{ ip -n "$_dr" -4 route show dev "$_dif"
	  ip -n "$_dr" -6 route show dev "$_dif"; } |
	    grep -v 'proto kernel' | sed 's/ linkdown//' >"$T/dl.routes"

	ns_new "$_dbox"
	# The box itself says nothing: no IPv6, no address, and its kernel
	# drops what reaches it (packet sockets see frames before that).
	nsx "$_dbox" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	nsx "$_dbox" nft -f - <<EOF2 || die "link_delay box firewall" "nft failed"
table inet pmt_box {
	chain pre {
		type filter hook prerouting priority -300; policy drop;
	}
	chain out {
		type filter hook output priority 0; policy drop;
	}
}
table arp pmt_box {
	chain in {
		type filter hook input priority 0; policy drop;
	}
	chain out {
		type filter hook output priority 0; policy drop;
	}
}
EOF2
	ip -n "$_dr" link set dev "$_dif" netns "$_dbox" &&
	    ip -n "$_dbox" link set dev "$_dif" name dla &&
	    ip -n "$_dbox" link add name dlb mtu 65535 type veth peer \
	    name "$_dif" netns "$_dr" mtu "$_dmtu" address "$_dmac" &&
	    ip -n "$_dbox" link set dev dla mtu 65535 up &&
	    ip -n "$_dbox" link set dev dlb up ||
	    die "link_delay splice link $_dk" "ip link failed"
	while read -r _dfam _daddr; do
		if [ "$_dfam" = inet6 ]; then
			ip -n "$_dr" -6 addr add "$_daddr" dev "$_dif" nodad
		else
			ip -n "$_dr" addr add "$_daddr" dev "$_dif"
		fi || die "link_delay address $_daddr" "ip addr add failed"
	done <"$T/dl.addrs"
	ip -n "$_dr" link set dev "$_dif" up
	while read -r _droute; do
		case $_droute in
		*:*)	_dfam=-6 ;;
		*)	_dfam=-4 ;;
		esac
		# shellcheck disable=SC2086  # a route is several words
		ip -n "$_dr" $_dfam route add $_droute dev "$_dif" ||
		    die "link_delay route $_droute" "ip route add failed"
	done <"$T/dl.routes"

	_dlog=$T/delayline.$_dk.log
	ip netns exec "$_dbox" "$DELAYLINE" --delay "$_dd" --jitter "$_dj" \
	    --seed "$_dk" --max-seconds "$DELAY_MAX_SECONDS" "$@" dla dlb \
	    2>"$_dlog" </dev/null &
	DELAY_PIDS="$DELAY_PIDS $!"
	echo $! >"$T/delayline.$_dk.pid"
	wait_until 5 grep -qs '^ready$' "$_dlog" ||
	    die "delayline on link $_dk starts" "expected ready, got $(tr '\n' ' ' <"$_dlog")"
	link_delay_wait "$_dk"
}

# link_delay_wait K: both ends of link K hear each other through the box
# (both families), however slow it is.
link_delay_wait() {
	_dl=$(echo $TOPO_PATH | cut -d' ' -f"$1")
	for _da in "198.18.$1.2" "2001:db8:$1::2"; do
		nsx "$_dl" ping -n -q -c 1 -W 8 "$_da" >/dev/null 2>&1 ||
		    nsx "$_dl" ping -n -q -c 1 -W 8 "$_da" >/dev/null 2>&1 ||
		    die "delayed link $1 carries traffic to $_da" \
		    "expected ping answer through the delay box, got none"
	done
}

# path_rtt RTT_MS [JITTER_PCT [delayline options...]]: the whole path's
# round trip made RTT_MS, on link 1 (so every hop sees it), each way
# RTT_MS / 2 +- JITTER_PCT % of that.  RTT 0 leaves the path alone.
path_rtt() {
	_pr=$1 _pj=${2:-0}
	[ $# -ge 2 ] && shift 2 || shift $#
	[ "$_pr" -gt 0 ] || return 0
	link_delay 1 "$(awk -v r="$_pr" 'BEGIN { print r / 2 }')" \
	    "$(awk -v r="$_pr" -v j="$_pj" 'BEGIN { print r / 2 * j / 100 }')" \
	    "$@"
}

# link_delay_counters K: delay line K's counters now, one line per
# direction ("dla->dlb: in N passed N ..."; dla is the client's side).
link_delay_counters() {
	_dlog=$T/delayline.$1.log
	_dn=$(grep -c '^queued ' "$_dlog" 2>/dev/null)
	kill -USR1 "$(cat "$T/delayline.$1.pid")" 2>/dev/null
	wait_until 5 sh -c "[ \$(grep -c '^queued ' '$_dlog') -gt $_dn ]"
	grep -- '->' "$_dlog" | tail -2
}

# link_delay_count K DIR FIELD: one counter of delay line K (DIR ab: from
# the client's side, ba: towards it), e.g. link_delay_count 1 ab nd_delayed.
link_delay_count() {
	case $2 in
	ab)	_dp='dla->dlb:' ;;
	*)	_dp='dlb->dla:' ;;
	esac
	link_delay_counters "$1" | awk -v p="$_dp" -v f="$3" '$1 == p {
	    for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }'
}

# neigh_forget [NS...]: those namespaces (default: the path's) forget
# their neighbours, so the next packet to each waits for ARP / neighbour
# discovery first (slow through a box started with --nd-delay).
neigh_forget() {
	for _ns in ${*:-$TOPO_PATH}; do
		ip -n "$_ns" neigh flush all 2>/dev/null
		ip -n "$_ns" -6 neigh flush all 2>/dev/null
	done
	return 0
}

# rtt_probe NAME DEST FAMILY [ctl args...]: probe_json with pmtudctl's
# own deadline just inside CTL_TIMEOUT (a slow path's search takes long);
# prints what the search did, for the record.
rtt_probe() {
	_rn=$1 _rd=$2 _rf=$3
	shift 3
	probe_json "$_rn" "$_rd" "$_rf" --timeout $((CTL_TIMEOUT - 5)) "$@" ||
	    return 1
	echo "    $_rn: $(printf '%s\n' "$PROBE_OUT" | jq -c '{state, pmtu,
	    hop: .blackhole.hop, probes_sent, duration_ms, error}')," \
	    "wall $PROBE_MS ms"
}

# rtt_ok NAME PMTU HOPS HOP_MTUS: PROBE_OUT is a clean finding: state ok
# at exactly PMTU, no black hole, no error, and the walk's hop addresses
# and MTUs exactly HOPS and HOP_MTUS.
rtt_ok() {
	assert_eq "$1: state" ok "$(json_get state "$PROBE_OUT")"
	assert_eq "$1: pmtu" "$2" "$(json_get pmtu "$PROBE_OUT")"
	assert_eq "$1: no black hole" null "$(json_get blackhole "$PROBE_OUT")"
	assert_eq "$1: error" null "$(json_get error "$PROBE_OUT")"
	assert_eq "$1: hop addresses" "$3" "$(hops_field address "$PROBE_OUT")"
	assert_eq "$1: hop MTUs" "$4" "$(hops_field mtu "$PROBE_OUT")"
}

# rtt_path_down: topo_down, and the next path starts with no findings
# (the state file of the last daemon is gone).
rtt_path_down() {
	topo_down
	rm -f "$STATE"
}

# nd_path RTT MTU...: topo_line MTU... with a round trip of RTT ms on
# link 1, whose box holds the client's ARP requests and neighbour
# solicitations ND_MS (1000) ms: a slow neighbour resolution.
ND_MS=${ND_MS:-1000}
nd_path() {
	_ndr=$1
	shift
	topo_line "$@"
	path_rtt "$_ndr" 0 --nd-delay "$ND_MS,$((_ndr / 2))"
}

# nd_forget NAME FAMILY: the path forgets its neighbours; r1 must be
# unknown to the client, so the next probe waits for its resolution.
nd_forget() {
	neigh_forget
	assert_eq "$1: r1 unresolved before the probe" "" \
	    "$(ip -n "$CLIENT" -"$2" neigh show "$(router_addr 1 "$2")" |
	    grep -v FAILED)"
	ND_BEFORE=$(link_delay_count 1 ab nd_delayed)
}

# nd_seen NAME: since nd_forget, the client's neighbour discovery went
# through the slow box.
nd_seen() {
	_nd=$(link_delay_count 1 ab nd_delayed)
	check "$1: neighbour discovery was held ${ND_MS} ms" \
	    [ "${_nd:-0}" -gt "${ND_BEFORE:-0}" ]
}

# --- equal-cost paths ---------------------------------------------------

# topo_ecmp MTU1 ... MTUn: client -1500- r1 =n branches= rj -1500- server.
# Branch k is router ${PREFIX}bK: r1 -1500- bK -MTUk- rj (198.18.(10+k).0/24
# and 198.18.(20+k).0/24, 2001:db8:(10+k)::/64 and 2001:db8:(20+k)::/64).
# r1 spreads what goes to the server over the branches by the flow's hash:
# IPv4 by addresses, protocol and ports (fib_multipath_hash_policy 1),
# IPv6 by addresses, flow label and next header (policy 0).  Answers come
# back over the branch with the largest MTU, so an echo reply of any size
# that crossed one branch gets home.  Sets SERVER4/6, CLIENT4/6, R1, RJ,
# BRANCHES (namespaces in branch order).
topo_ecmp() {
	[ $# -ge 2 ] || die "topo_ecmp arguments" "expected two MTUs or more, got $#"
	# Branch 11's 198.18.21.0/24 would be branch 1's second link.
	[ $# -le 10 ] || die "topo_ecmp arguments" "expected ten MTUs at most, got $#"
	CLIENT=${PREFIX}c
	SERVER=${PREFIX}s
	R1=${PREFIX}r1
	RJ=${PREFIX}rj
	BRANCHES=""
	for _ns in "$CLIENT" "$R1" "$RJ" "$SERVER"; do
		ns_new "$_ns"
	done
	for _ns in "$R1" "$RJ"; do
		nsx "$_ns" sysctl -qw net.ipv4.ip_forward=1 \
		    net.ipv6.conf.all.forwarding=1 >/dev/null
	done
	nsx "$R1" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 \
	    net.ipv6.fib_multipath_hash_policy=0 >/dev/null
	ecmp_link "$CLIENT" v1r 198.18.1.1 2001:db8:1::1 \
	    "$R1" v1l 198.18.1.2 2001:db8:1::2 1500
	ecmp_link "$RJ" v3r 198.18.3.1 2001:db8:3::1 \
	    "$SERVER" v3l 198.18.3.2 2001:db8:3::2 1500
	_nh4="" _nh6="" _k=1 _best=1 _bestmtu=0
	for _mtu in "$@"; do
		_b=${PREFIX}b$_k
		BRANCHES="$BRANCHES $_b"
		ns_new "$_b"
		nsx "$_b" sysctl -qw net.ipv4.ip_forward=1 \
		    net.ipv6.conf.all.forwarding=1 >/dev/null
		ecmp_link "$R1" "vb${_k}r" "198.18.$((10 + _k)).1" \
		    "2001:db8:$((10 + _k))::1" "$_b" "vb${_k}l" \
		    "198.18.$((10 + _k)).2" "2001:db8:$((10 + _k))::2" 1500
		ecmp_link "$_b" "vj${_k}r" "198.18.$((20 + _k)).1" \
		    "2001:db8:$((20 + _k))::1" "$RJ" "vj${_k}l" \
		    "198.18.$((20 + _k)).2" "2001:db8:$((20 + _k))::2" "$_mtu"
		ip -n "$_b" route add 198.18.0.0/16 via "198.18.$((20 + _k)).2"
		ip -n "$_b" -6 route add 2001:db8::/32 via "2001:db8:$((20 + _k))::2"
		ip -n "$_b" route add 198.18.1.0/24 via "198.18.$((10 + _k)).1"
		ip -n "$_b" -6 route add 2001:db8:1::/64 via "2001:db8:$((10 + _k))::1"
		_nh4="$_nh4 nexthop via 198.18.$((10 + _k)).2"
		_nh6="$_nh6 nexthop via 2001:db8:$((10 + _k))::2"
		if [ "$_mtu" -gt "$_bestmtu" ]; then
			_best=$_k _bestmtu=$_mtu
		fi
		_k=$((_k + 1))
	done
	BRANCHES=${BRANCHES# }
	ip -n "$CLIENT" route add 198.18.0.0/16 via 198.18.1.2
	ip -n "$CLIENT" -6 route add 2001:db8::/32 via 2001:db8:1::2
	ip -n "$R1" route add 198.18.3.0/24 $_nh4
	ip -n "$R1" -6 route add 2001:db8:3::/64 $_nh6
	ip -n "$RJ" route add 198.18.1.0/24 via "198.18.$((20 + _best)).1"
	ip -n "$RJ" -6 route add 2001:db8:1::/64 via "2001:db8:$((20 + _best))::1"
	ip -n "$SERVER" route add 198.18.0.0/16 via 198.18.3.1
	ip -n "$SERVER" -6 route add 2001:db8::/32 via 2001:db8:3::1
	SERVER4=198.18.3.2 SERVER6=2001:db8:3::2
	SERVER4B=$SERVER4 SERVER6B=$SERVER6
	CLIENT4=198.18.1.1 CLIENT6=2001:db8:1::1
	export CLIENT SERVER R1 RJ BRANCHES SERVER4 SERVER6 CLIENT4 CLIENT6
	topo_wait
}

# ecmp_link NS1 DEV1 A4 A6 NS2 DEV2 B4 B6 MTU: a /24 + /64 veth link.
ecmp_link() {
	ip -n "$1" link add "$2" mtu "$9" type veth peer name "$6" \
	    netns "$5" mtu "$9" || die "link $2-$6" "veth with mtu $9 failed"
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$1" -6 addr add "$4/64" dev "$2" nodad
	ip -n "$5" addr add "$7/24" dev "$6"
	ip -n "$5" -6 addr add "$8/64" dev "$6" nodad
	ip -n "$1" link set "$2" up
	ip -n "$5" link set "$6" up
}

# branch_count_start: each branch router counts the probes that reach it
# from the client (prerouting, so those that expire there count too).
branch_count_start() {
	for _b in $BRANCHES; do
		nsx "$_b" nft -f - <<EOF2 || die "nft branch counter" "nft failed"
table inet pmt_cnt {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		ip saddr $CLIENT4 ip daddr $SERVER4 counter
		ip6 saddr $CLIENT6 ip6 daddr $SERVER6 counter
	}
}
EOF2
	done
}

# branch_counts: the probes each branch saw, space separated, in order.
branch_counts() {
	_bc=""
	for _b in $BRANCHES; do
		_bc="$_bc $(nft_dropped "$_b" pmt_cnt)"
	done
	echo ${_bc# }
}

# branch_reset: counters back to 0 (the table made anew: a rule's own
# counter is not reset by "reset counters").
branch_reset() {
	for _b in $BRANCHES; do
		nsx "$_b" nft delete table inet pmt_cnt ||
		    die "nft branch counter removed" "nft delete table failed"
	done
	branch_count_start
}

# topo_ecmp_client MTU1 ... MTUn: the client itself has n uplinks and a
# multipath route over them; they join at rj before the server:
#
#	client =uplink k, MTUk= bK -1500- rj -1500- server
#
# Uplink k is client vu${k}r 198.18.(10+k).1/24, 2001:db8:(10+k)::1/64
# -- bK vu${k}l .2 / ::2, both ends MTUk, so the egress interface and its
# MTU depend on the flow; bK -- rj is 198.18.(20+k).0/24 and
# 2001:db8:(20+k)::/64 (bK .1, rj .2).  The client hashes IPv4 by
# addresses, protocol and ports (fib_multipath_hash_policy 1), IPv6 by
# addresses, flow label and next header (policy 0).  Each uplink has an
# address of its own, as a host with several providers has, so the
# answers to a probe come back over the uplink it left by.  Sets
# SERVER4/6, CLIENT4/6 (uplink 1's addresses), RJ, BRANCHES (the bK in
# order) and UPLINK_MTUS.
topo_ecmp_client() {
	[ $# -ge 2 ] || die "topo_ecmp_client arguments" "expected two MTUs or more, got $#"
	CLIENT=${PREFIX}c
	SERVER=${PREFIX}s
	RJ=${PREFIX}rj
	BRANCHES=""
	for _ns in "$CLIENT" "$RJ" "$SERVER"; do
		ns_new "$_ns"
	done
	nsx "$RJ" sysctl -qw net.ipv4.ip_forward=1 \
	    net.ipv6.conf.all.forwarding=1 >/dev/null
	nsx "$CLIENT" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 \
	    net.ipv6.fib_multipath_hash_policy=0 >/dev/null
	ecmp_link "$RJ" v3r 198.18.3.1 2001:db8:3::1 \
	    "$SERVER" v3l 198.18.3.2 2001:db8:3::2 1500
	_nh4="" _nh6="" _k=1
	for _mtu in "$@"; do
		_b=${PREFIX}b$_k
		BRANCHES="$BRANCHES $_b"
		ns_new "$_b"
		nsx "$_b" sysctl -qw net.ipv4.ip_forward=1 \
		    net.ipv6.conf.all.forwarding=1 >/dev/null
		ecmp_link "$CLIENT" "vu${_k}r" "198.18.$((10 + _k)).1" \
		    "2001:db8:$((10 + _k))::1" "$_b" "vu${_k}l" \
		    "198.18.$((10 + _k)).2" "2001:db8:$((10 + _k))::2" "$_mtu"
		ecmp_link "$_b" "vj${_k}r" "198.18.$((20 + _k)).1" \
		    "2001:db8:$((20 + _k))::1" "$RJ" "vj${_k}l" \
		    "198.18.$((20 + _k)).2" "2001:db8:$((20 + _k))::2" 1500
		ip -n "$_b" route add 198.18.0.0/16 via "198.18.$((20 + _k)).2"
		ip -n "$_b" -6 route add 2001:db8::/32 via "2001:db8:$((20 + _k))::2"
		ip -n "$RJ" route add "198.18.$((10 + _k)).0/24" \
		    via "198.18.$((20 + _k)).1"
		ip -n "$RJ" -6 route add "2001:db8:$((10 + _k))::/64" \
		    via "2001:db8:$((20 + _k))::1"
		_nh4="$_nh4 nexthop via 198.18.$((10 + _k)).2 dev vu${_k}r"
		_nh6="$_nh6 nexthop via 2001:db8:$((10 + _k))::2 dev vu${_k}r"
		_k=$((_k + 1))
	done
	BRANCHES=${BRANCHES# }
	# shellcheck disable=SC2086  # the next hops are several words
	ip -n "$CLIENT" route add 198.18.0.0/16 $_nh4 ||
	    die "client multipath route" "ip route add failed"
	# shellcheck disable=SC2086
	ip -n "$CLIENT" -6 route add 2001:db8::/32 $_nh6 ||
	    die "client multipath route (v6)" "ip route add failed"
	ip -n "$SERVER" route add 198.18.0.0/16 via 198.18.3.1
	ip -n "$SERVER" -6 route add 2001:db8::/32 via 2001:db8:3::1
	SERVER4=198.18.3.2 SERVER6=2001:db8:3::2
	SERVER4B=$SERVER4 SERVER6B=$SERVER6
	CLIENT4=198.18.11.1 CLIENT6=2001:db8:11::1
	UPLINK_MTUS="$*"
	export CLIENT SERVER RJ BRANCHES SERVER4 SERVER6 CLIENT4 CLIENT6 \
	    UPLINK_MTUS
	topo_wait
}

# mda_needed K: the flows MDA's stopping rule wants with K paths seen,
# as lib/multipath.c counts them (K = 1, 2, 3, 4: 6, 11, 16, 21).
mda_needed() {
	awk -v k="$1" 'BEGIN { if (k < 1) k = 1; p = k / (k + 1); m = k + 1
	    for (n = 0; m > 0.05; n++) m *= p; print n }'
}

# mp_probe NAME DEST FAMILY NPATHS [ctl args...]: probe_json for a
# destination with NPATHS equal-cost paths (--flows among the args).
# MDA stops, by design, when the flows tried make a further path
# unlikely at 95 %: with NPATHS paths taken equally often, one attempt in
# 24 to 32 stops short (2 paths: 1/32, 3: 3.8 %, 4: 4.2 %; more flows
# allowed do not change that).  An attempt that stopped short that way
# (confident after exactly the flows the rule wants for the paths it
# saw) is made again, up to MP_TRIES (3) in all, so that a path missed
# every time has odds below 1e-4 (0.042^3).  The same daemon would try
# the same flows, which hash the same way: the daemon is started anew
# before each further attempt, which draws new flow identities.
# MP_BEFORE, if set, is run before each attempt.  Any other result is
# left in PROBE_OUT for the caller's assertions.
MP_TRIES=${MP_TRIES:-3}
mp_probe() {
	_mpn=$1 _mpd=$2 _mpf=$3 _mpk=$4
	shift 4
	_mpt=1
	while :; do
		[ -n "${MP_BEFORE:-}" ] && $MP_BEFORE
		probe_json "$_mpn" "$_mpd" "$_mpf" "$@" || return 1
		_mpp=$(printf '%s\n' "$PROBE_OUT" | jq '.paths | length' \
		    2>/dev/null)
		_mptr=$(json_get flows_tried "$PROBE_OUT")
		echo "    $_mpn: try $_mpt: ${_mpp:-no} paths in $_mptr flows," \
		    "$PROBE_MS ms"
		[ "${_mpp:-0}" -lt "$_mpk" ] && [ "$_mpt" -lt "$MP_TRIES" ] &&
		    [ "${_mpp:-0}" -ge 1 ] &&
		    [ "$(json_get confident "$PROBE_OUT")" = true ] &&
		    [ "$_mptr" = "$(mda_needed "$_mpp")" ] || return 0
		daemon_stop
		start_daemon
		_mpt=$((_mpt + 1))
	done
}

# paths_by_hop JSON TTL: one word per path, "ADDRESS:PMTU:STATE:BH_HOP"
# with the path's router at TTL, sorted (null where none answered).
paths_by_hop() {
	printf '%s\n' "$1" | jq -r --argjson i $(($2 - 1)) '[.paths[] |
	    "\(.hops[$i]):\(.pmtu):\(.state):\(.blackhole_hop)"] | sort |
	    join(" ")' 2>/dev/null || echo "<invalid json>"
}

# ecmp_hw_hash: r1 of topo_ecmp spreads IPv4 traffic to the server as
# many hardware routers do: by a hash of the addresses, the protocol and
# the first four bytes of the transport header whatever the protocol
# (ports for UDP and TCP; type, code and checksum for ICMP, as Paris
# traceroute found).  Linux's own hash takes ports only, so it keeps all
# ICMP on one next hop.  nftables marks each packet with its hash + 1
# (a random seed per run, as a router's) and the mark picks a routing
# table with one branch.
ecmp_hw_hash() {
	_hn=$(echo $BRANCHES | wc -w)
	nsx "$R1" nft -f - <<EOF2 || die "nft hardware hash" "nft failed"
table ip pmt_hash {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip daddr $SERVER4 meta mark set jhash ip saddr . ip daddr . ip protocol . @th,0,32 mod $_hn offset 1
	}
}
EOF2
	_k=1
	while [ $_k -le "$_hn" ]; do
		ip -n "$R1" route add 198.18.3.0/24 via "198.18.$((10 + _k)).2" \
		    table $((100 + _k)) &&
		    ip -n "$R1" rule add fwmark $_k lookup $((100 + _k)) ||
		    die "hardware hash table $_k" "ip route / ip rule failed"
		_k=$((_k + 1))
	done
}

# branch_cksum_start: each branch router keeps the set of ICMP and
# ICMPv6 checksums of the echo requests from the client that reach it.
branch_cksum_start() {
	for _b in $BRANCHES; do
		nsx "$_b" nft -f - <<EOF2 || die "nft checksum sets" "nft failed"
table inet pmt_cks {
	set cks4 { typeof icmp checksum; flags dynamic; }
	set cks6 { typeof icmpv6 checksum; flags dynamic; }
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		ip saddr $CLIENT4 ip daddr $SERVER4 icmp type echo-request add @cks4 { icmp checksum }
		ip6 saddr $CLIENT6 ip6 daddr $SERVER6 icmpv6 type echo-request add @cks6 { icmpv6 checksum }
	}
}
EOF2
	done
}

# branch_cksums NS FAMILY: the checksums that branch saw, one a line.
branch_cksums() {
	nsx "$1" nft -j list set inet pmt_cks "cks$2" 2>/dev/null |
	    jq -r '.nftables[] | select(.set) | .set.elem // [] | .[]'
}

# branch_cksum_reset: the sets emptied.
branch_cksum_reset() {
	for _b in $BRANCHES; do
		nsx "$_b" nft flush set inet pmt_cks cks4 &&
		    nsx "$_b" nft flush set inet pmt_cks cks6 ||
		    die "nft checksum sets emptied" "nft flush set failed"
	done
}
