#!/bin/sh
# SPDX-License-Identifier: ISC
# make bench, equal-cost paths (run.sh runs it after rtt.sh;
# sh tests/bench/multipath.sh runs it alone, MP_TOPOS="1500,1400" only
# that topology, MP_FAMILIES=4 only IPv4): what pmtud's
# "probe --flows" costs to enumerate 2, 4 and 8 equal-cost paths, beside
# scamper's tracelb (the Multipath Detection Algorithm, for paths only:
# it finds no MTUs) on the same topology.
#
# Topology: lib.sh topo_ecmp, r1 spreading over one branch per MTU, each
# branch's MTU distinct so every path pmtud reports can be checked
# against the branch its hop 2 names.  IPv4: pmtud --method udp and
# tracelb -P udp-dport (r1 hashes IPv4 by ports).  IPv6: pmtud's default
# method (each flow its own flow label, which r1 hashes) and tracelb
# -P icmp-echo, since this scamper matches no IPv6 answer to udp-dport
# here (the check at the end measures it); its probes carry what flow
# labels the kernel gives them, counted per run in the client.
#
# pmtud gets --flows 64 (FLOW_MAX): the stopping rule, not the cap, ends
# the search (lib/multipath.c multipath_needed: 11 flows with 2 paths
# seen, 21 with 4, 45 with 8).  Each tool gets a freshly built topology,
# so no router's ICMP rate limit is spent by the other.  Times are wall
# clock around the one command (date +%s%N) and pmtud's own duration_ms;
# they are shown, never judged.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PMTUD=${PMTUD:-$TOP/build/pmtud}
PMTUDCTL=${PMTUDCTL:-$TOP/build/pmtudctl}
# An 8-path IPv4 search is 45 flows or more, each a search and a walk.
CTL_TIMEOUT=${CTL_TIMEOUT:-900}
. "$TOP/tests/integ/lib.sh"

require_netns
require_daemon
command -v scamper >/dev/null 2>&1 ||
    die "scamper installed" "expected scamper in PATH (make deps)"

FLOWS=64
SC_TIMEOUT=${SC_TIMEOUT:-900}
MP_FAMILIES=${MP_FAMILIES:-4 6}
# Topologies: each a comma-separated list of branch MTUs.
[ -n "${MP_TOPOS:-}" ] || MP_TOPOS="1500,1400 1500,1480,1400,1300
    1500,1492,1480,1460,1440,1420,1400,1280"

# branch_addrs FAMILY MTUS...: JSON array of the branch routers'
# addresses in branch order (topo_ecmp: branch k's router answers from
# 198.18.(10+k).2 / 2001:db8:(10+k)::2).
branch_addrs() {
	_f=$1
	shift
	_k=1
	for _m in "$@"; do
		if [ "$_f" = 4 ]; then
			echo "198.18.$((10 + _k)).2"
		else
			echo "2001:db8:$((10 + _k))::2"
		fi
		_k=$((_k + 1))
	done | jq -R . | jq -sc .
}

# bench_pmtud FAMILY MTUS...: one probe --flows on a fresh topology.
# Leaves in P_FOUND paths reported, P_RIGHT branches found with their
# own MTU, P_FLOWS, P_PROBES, P_MS (duration_ms), P_WALL, P_CONF, and
# P_ERR a reason when there is no finding.
bench_pmtud() {
	_f=$1
	shift
	topo_ecmp "$@"
	start_daemon "$PMTUD"
	_dest=$SERVER6 _m=""
	[ "$_f" = 4 ] && _dest=$SERVER4 _m="--method udp"
	: >"$CTL_ERR"
	_t0=$(now_ms)
	# shellcheck disable=SC2086  # the method is two words or none
	OUT=$(ctl probe "$_dest" -"$_f" $_m --flows $FLOWS --json \
	    --timeout $((CTL_TIMEOUT - 5)))
	P_WALL=$(($(now_ms) - _t0))
	_rc=$(ctl_rc)
	P_ERR=""
	if ! printf '%s\n' "$OUT" | jq -e 'type == "object"' >/dev/null 2>&1
	then
		P_ERR="no finding (pmtudctl exit $_rc: $(tail -1 "$CTL_ERR"))"
		OUT='{}'
	fi
	_br=$(branch_addrs "$_f" "$@")
	_mt=$(printf '%s\n' "$@" | jq -sc .)
	P_FOUND=$(printf '%s\n' "$OUT" | jq '.paths // [] | length')
	# A branch counts when some path goes through its router (hop 2)
	# with that branch's MTU as its PMTU.
	P_RIGHT=$(printf '%s\n' "$OUT" | jq --argjson br "$_br" \
	    --argjson mt "$_mt" '[.paths // [] | .[] |
	    {b: .hops[1], pmtu}] as $p | [range(0; $br | length) as $k |
	    select(any($p[]; .b == $br[$k] and .pmtu == $mt[$k]))] | length')
	P_FLOWS=$(printf '%s\n' "$OUT" | jq -r '.flows_tried // "-"')
	P_PROBES=$(printf '%s\n' "$OUT" | jq -r '.probes_sent // "-"')
	P_MS=$(printf '%s\n' "$OUT" | jq -r '.duration_ms // "-"')
	P_CONF=$(printf '%s\n' "$OUT" | jq -r '.confident // "-"')
	P_PATHS=$(printf '%s\n' "$OUT" | jq -r '[.paths // [] | .[] |
	    "\(.hops[1] // "?")=\(.pmtu // "?")/\(.flows)"] | join(" ")')
	rtt_path_down
}

# scamper_run FAMILY METHOD OPTIONS MTUS...: scamper tracelb on a fresh
# topology.  Leaves S_FOUND (branch routers it saw), S_PROBES, S_WALL,
# S_HOPS (distinct addresses that answered), S_LABELS (distinct IPv6
# flow labels its probes carried; "-" for IPv4), S_ERR a reason when
# there is no tracelb record.
scamper_run() {
	_f=$1 _sm=$2 _so=$3
	shift 3
	topo_ecmp "$@"
	_dest=$SERVER6
	[ "$_f" = 4 ] && _dest=$SERVER4
	S_LABELS=-
	if [ "$_f" = 6 ]; then
		nsx "$CLIENT" nft -f - <<EOF || die "nft label set" "nft failed"
table inet pmt_lbl {
	set seen {
		typeof ip6 flowlabel
		size 65536
		flags dynamic
	}
	chain out {
		type filter hook output priority 0; policy accept;
		ip6 daddr $_dest add @seen { ip6 flowlabel }
	}
}
EOF
	fi
	_t0=$(now_ms)
	nsx "$CLIENT" timeout "$SC_TIMEOUT" scamper -O json \
	    -c "tracelb -P $_sm $_so" -i "$_dest" >"$T/sc.json" 2>"$T/sc.err"
	_rc=$?
	S_WALL=$(($(now_ms) - _t0))
	if [ "$_f" = 6 ]; then
		S_LABELS=$(nsx "$CLIENT" nft -j list set inet pmt_lbl seen |
		    jq '[.nftables[] | .set? // empty | .elem // [] | .[]] |
		    length')
	fi
	_rec=$(jq -c 'select(.type == "tracelb")' "$T/sc.json" 2>/dev/null)
	S_ERR=""
	if [ -z "$_rec" ]; then
		S_ERR="no tracelb record (exit $_rc: $(head -c 100 "$T/sc.err" |
		    tr '\n' ' '))"
		_rec='{}'
	fi
	_br=$(branch_addrs "$_f" "$@")
	S_FOUND=$(printf '%s\n' "$_rec" | jq --argjson br "$_br" \
	    '[.. | objects | .addr? // empty] | unique |
	    map(select(. as $a | any($br[]; . == $a))) | length')
	S_HOPS=$(printf '%s\n' "$_rec" | jq \
	    '[.. | objects | .addr? // empty | select(. != "*")] | unique |
	    length')
	S_PROBES=$(printf '%s\n' "$_rec" | jq -r '.probec // "-"')
	rtt_path_down
}

row() {
	printf '%-4s | %-44s | %-6s | %-5s | %-5s | %-6s | %-15s | %-4s | %s\n' \
	    "$@"
}

echo "Equal-cost paths: client -1500- r1 =branches= rj -1500- server, one"
echo "branch per MTU listed; pmtud probe --flows $FLOWS beside scamper tracelb."
echo
row "fam" "paths (branch MTUs)" "found" "MTUs" "flows" "probes" \
    "ms (wall)" "conf" "scamper tracelb: found, probes, ms"
row "----" "--------------------------------------------" "------" "-----" \
    "-----" "------" "---------------" "----" \
    "----------------------------------"
ONE_LABEL=""
# Not a pipe into "while read": a subshell would lose the cleanup.
for f in $MP_FAMILIES; do
	for t in $MP_TOPOS; do
		# shellcheck disable=SC2046  # the MTUs are words
		set -- $(echo "$t" | tr , ' ')
		n=$#
		bench_pmtud "$f" "$@"
		if [ "$f" = 4 ]; then
			scamper_run 4 udp-dport "" "$@"
		else
			scamper_run 6 icmp-echo "" "$@"
		fi
		if [ -n "$S_ERR" ]; then
			s="n/a: $S_ERR"
		elif [ "$f" = 6 ] && [ "$S_LABELS" = 1 ]; then
			# r1 hashes IPv6 by flow label: one label, one path.
			s="n/a: 1 flow label, saw $S_FOUND/$n ($S_PROBES pr, $S_WALL ms)"
			ONE_LABEL=1
		else
			s="$S_FOUND/$n, $S_PROBES pr, $S_WALL ms"
			[ "$f" = 6 ] && s="$s, $S_LABELS labels"
		fi
		pm="$P_MS ($P_WALL)"
		[ -z "$P_ERR" ] || pm="$P_ERR"
		row "v$f" "$n ($t)" "$P_FOUND/$n" "$P_RIGHT/$n" "$P_FLOWS" \
		    "$P_PROBES" "$pm" "$P_CONF" "$s"
		echo "v$f $n ($t): $P_PATHS" >>"$T/paths"
	done
done

echo
echo "found: paths pmtud reported / branches built; MTUs: branches found"
echo "with their own MTU (the path through branch k's router has PMTU"
echo "MTU_k); flows: flows_tried; ms: pmtud's duration_ms, (wall) the"
echo "pmtudctl call; conf: the stopping rule was met.  scamper: branch"
echo "routers its tracelb saw / built, its probe count (probec), the wall"
echo "time of the command; tracelb finds paths but not their MTUs."
if [ -n "$ONE_LABEL" ]; then
	echo "IPv6 n/a: r1 hashes IPv6 by flow label, and scamper's probes"
	echo "carried one label (counted by nft in the client): all took one"
	echo "branch."
fi
echo
echo "pmtud's paths (hop 2 = PMTU / flows that took it):"
cat "$T/paths"

case " $MP_FAMILIES " in
*" 6 "*)
	# Why IPv6 uses icmp-echo: the same check with udp-dport (-w 1 so
	# the unanswered probes wait 1 s, not 5).
	# shellcheck disable=SC2046  # the MTUs are words
	set -- $(echo "$MP_TOPOS" | awk '{ print $1; exit }' | tr , ' ')
	scamper_run 6 udp-dport "-w 1" "$@"
	echo
	if [ -n "$S_ERR" ]; then
		echo "IPv6 tracelb -P udp-dport -w 1 ($# paths): $S_ERR"
	else
		echo "IPv6 tracelb -P udp-dport -w 1 ($# paths): $S_PROBES probes,"
		echo "$S_HOPS addresses answered, $S_FOUND/$# branches, $S_WALL ms."
	fi
	;;
esac
