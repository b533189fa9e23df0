#!/bin/sh
# SPDX-License-Identifier: ISC
# Soak: the release daemon watching 200 destinations every 5 s on a
# namespace path with a silent (black-hole) router and a lossy link,
# answering on-demand probes and short-lived clients the whole time.
# Prints the daemon's RSS and CPU time every SAMPLE_S seconds for
# SOAK_S seconds (default 600: ten minutes), then the change.
# Usage: sh tests/bench/soak.sh   (SOAK_S=60 for a short run)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PMTUD=${PMTUD:-$TOP/build/pmtud}
PMTUDCTL=${PMTUDCTL:-$TOP/build/pmtudctl}
. "$TOP/tests/integ/lib.sh"
SOAK_S=${SOAK_S:-600}
SAMPLE_S=${SAMPLE_S:-30}

require_netns
require_daemon
topo_line 1500 1400 1500
# Destinations: 200 addresses on the server's loopback, all behind the
# 1400 link; r1 sends no frag-needed for half the run (a black hole).
i=1
while [ $i -le 200 ]; do
	nsx "$SERVER" ip addr add 198.18.201.$i/32 dev lo
	i=$((i + 1))
done
nsx "$SERVER" ip route add 198.18.201.0/24 dev lo 2>/dev/null
for r in $ROUTERS; do
	nsx "$r" ip route add 198.18.201.0/24 via "$SERVER4" 2>/dev/null
done
CONF=$T/soak.conf
{
	echo "interval 5s"
	echo "max-pps 500"
	i=1
	while [ $i -le 200 ]; do
		echo "destination 198.18.201.$i"
		i=$((i + 1))
	done
} >"$CONF"
start_daemon "$PMTUD" --config "$CONF"
PID=$DAEMON_PID

sample() {
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
	cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$PID/stat")
	n=$(ctl status | wc -l | tr -d ' ')
	printf '%6s s  RSS %7s KiB  CPU %7.2f s  findings %s\n' "$1" "$rss" \
	    "$cpu" "$n"
}

echo "soak: $SOAK_S s, 200 destinations every 5 s, samples every $SAMPLE_S s"
start=$(date +%s)
sample 0
first_rss=$rss
next=$SAMPLE_S
bh=0
while :; do
	el=$(($(date +%s) - start))
	[ "$el" -ge "$SOAK_S" ] && break
	# Black hole on and off every minute, clients all the time.
	if [ $(((el / 60) % 2)) -eq 1 ] && [ $bh -eq 0 ]; then
		nsx "${PREFIX}r1" nft 'add table inet soak; add chain inet soak out { type filter hook output priority 0; }; add rule inet soak out icmp type destination-unreachable drop'
		bh=1
	elif [ $(((el / 60) % 2)) -eq 0 ] && [ $bh -eq 1 ]; then
		nsx "${PREFIX}r1" nft delete table inet soak
		bh=0
	fi
	ctl probe "$SERVER4" >/dev/null
	echo '{"cmd":"metrics"}' | timeout 10 socat -t 5 - \
	    "UNIX-CONNECT:$SOCK" >/dev/null 2>&1
	if [ "$el" -ge "$next" ]; then
		sample "$el"
		next=$((next + SAMPLE_S))
	fi
	sleep 1
done
sample "$SOAK_S"
echo "RSS change over the run: $((rss - first_rss)) KiB"
check "daemon alive after the soak" kill -0 "$PID"
