#!/bin/sh
# SPDX-License-Identifier: ISC
# make demo: a throwaway path in network namespaces,
#   client --1500-- r1 --1420-- r2 --1500-- server
# (the middle link is as narrow as a WireGuard tunnel), the release pmtud
# in the client namespace, and pmtudctl asking for both server addresses.
# Everything is removed on exit.
PMTUD=$(cd "$(dirname "$0")/.." && pwd)/build/pmtud
PMTUDCTL=$(dirname "$PMTUD")/pmtudctl
. "$(dirname "$0")/integ/lib.sh"

require_netns
require_daemon

# say CMD...: shows a command the way a person would type it, then runs it.
say() {
	echo
	echo "\$ $*"
	"$@" 2>&1 | sed 's/^/  /'
}

echo "Building the path (namespaces ${PREFIX}*):"
echo "  client --[1500]-- r1 --[1420]-- r2 --[1500]-- server"
topo_line 1500 1420 1500
echo "  server: $SERVER4 and $SERVER6"

echo
echo "Starting pmtud in the client namespace:"
echo "  ip netns exec $CLIENT pmtud --foreground --socket $SOCK --state $STATE"
start_daemon

pmtudctl() {
	timeout -k 2 "$CTL_TIMEOUT" "$PMTUDCTL" --socket "$SOCK" "$@"
}

say pmtudctl probe "$SERVER4"
say pmtudctl probe "$SERVER6"
say pmtudctl status

say pmtudctl explain "$SERVER4"

echo
echo "Now r1 stops sending \"fragmentation needed\" / \"packet too big\":"
echo "big packets vanish there without a word (a PMTUD black hole)."
router_blackhole "${PREFIX}r1"
say pmtudctl probe "$SERVER4"
say pmtudctl probe "$SERVER6"
say pmtudctl check "$SERVER4" --min-mtu 1280
echo
echo "\$ pmtudctl status $SERVER4 --json | jq '{pmtu, state, hops, blackhole}'"
pmtudctl status "$SERVER4" --json |
    jq '{pmtu, state, hops, blackhole}' | sed 's/^/  /'

echo
echo "For comparison, the kernel's own view (tracepath from the client)"
echo "through the same black hole, its PMTU cache flushed first:"
ip netns exec "$CLIENT" ip route flush cache
say ip netns exec "$CLIENT" tracepath -n -m 5 "$SERVER4"

echo
echo "Daemon log:"
sed 's/^/  /' "$DAEMON_LOG"
echo
echo "Cleaning up."
