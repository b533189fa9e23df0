#!/bin/sh
# SPDX-License-Identifier: ISC
# The release build under valgrind (memcheck) through thousands of probe
# cycles, configuration reloads and client connections: no invalid
# access, no leak (definite or indirect), and a clean exit on SIGTERM.
. "$(dirname "$0")/lib.sh"
require_netns
require_daemon
command -v valgrind >/dev/null 2>&1 ||
    die "valgrind installed" "expected valgrind in PATH, got none (make deps)"
topo_line 1500 1400 1500

VG_LOG=$T/valgrind.log
cat >"$T/vg.sh" <<VG
#!/bin/sh
exec valgrind --quiet --vgdb=no --leak-check=full --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \\
    --log-file=$VG_LOG $TOP/build/pmtud "\$@"
VG
chmod 755 "$T/vg.sh"

# Two configured destinations probed every second, reloaded below.
CONF=$T/pmtud.conf
write_conf() {
	{
		echo "interval 1s"
		echo "max-pps 5000"
		echo "destination $SERVER4 interval 1s"
		if [ "$1" = both ]; then
			echo "destination $SERVER6 interval 1s"
		fi
	} >"$CONF"
}
write_conf both
start_daemon "$T/vg.sh" --config "$CONF"
PID=$DAEMON_PID

# 2000 probe requests on one connection, both families, with and without
# the walk: 32 run at once (a user's share), the rest are told "busy".
i=0
while [ $i -lt 500 ]; do
	echo "{\"id\":$i,\"cmd\":\"probe\",\"destination\":\"$SERVER4\",\"walk\":false}"
	echo "{\"id\":$i,\"cmd\":\"probe\",\"destination\":\"$SERVER6\",\"walk\":false}"
	echo "{\"id\":$i,\"cmd\":\"probe\",\"destination\":\"$SERVER4B\",\"walk\":false}"
	echo "{\"id\":$i,\"cmd\":\"probe\",\"destination\":\"$SERVER6\"}"
	i=$((i + 1))
done >"$T/probes.jsonl"
timeout 300 socat -t 240 - "UNIX-CONNECT:$SOCK" <"$T/probes.jsonl" \
    >"$T/probes.out" 2>/dev/null
assert_eq "2000 probe replies" 2000 "$(wc -l <"$T/probes.out" | tr -d ' ')"
nok=$(jq -r 'select(.ok == true and .result.state == "ok") | .result.pmtu' \
    "$T/probes.out" | grep -c '^1400$')
nbusy=$(jq -r 'select(.ok == false) | .error.code' "$T/probes.out" |
    grep -c '^busy$')
assert_eq "every reply a 1400 finding or busy" 2000 "$((nok + nbusy))"
check "at least the 32 a user may run were measured ($nok)" [ "$nok" -ge 32 ]

# Reloads that add and remove a destination, and short-lived clients.
i=0
while [ $i -lt 40 ]; do
	if [ $((i % 2)) -eq 0 ]; then
		write_conf one
	else
		write_conf both
	fi
	kill -HUP "$PID"
	echo '{"cmd":"status"}' | timeout 20 socat -t 10 - \
	    "UNIX-CONNECT:$SOCK" >/dev/null 2>&1
	echo '{"cmd":"metrics"}' | timeout 20 socat -t 10 - \
	    "UNIX-CONNECT:$SOCK" >/dev/null 2>&1
	printf 'not json\n' | timeout 20 socat -t 10 - \
	    "UNIX-CONNECT:$SOCK" >/dev/null 2>&1
	i=$((i + 1))
done
check "daemon alive after reloads and clients" kill -0 "$PID"
n=$(ctl status --json | wc -l | tr -d ' ')
check "status still answers ($n findings)" test "$n" -ge 2

kill -TERM "$PID"
_i=0
while kill -0 "$PID" 2>/dev/null && [ $_i -lt 600 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
wait "$PID"
rc=$?
assert_eq "exit status under valgrind (99: errors found)" 0 "$rc"
assert_eq "valgrind reports nothing" "" "$(grep -v '^==[0-9]*== *$' "$VG_LOG" | head -20)"
DAEMON_PIDS=""
