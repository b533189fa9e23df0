#!/bin/sh
# SPDX-License-Identifier: ISC
# The Prometheus alerting rules: promtool accepts them, and their unit
# tests (tests/prometheus/pmtud-alerts.test.yml) fire each alert with
# the expected labels and annotations.  No namespaces, no daemon.
. "$(dirname "$0")/lib.sh"

RULES=conf/prometheus/pmtud-alerts.yml
RTEST=tests/prometheus/pmtud-alerts.test.yml
cd "$TOP" || die "tree top" "expected $TOP, got no such directory"
command -v promtool >/dev/null 2>&1 ||
    die "promtool installed" "expected promtool in PATH (Debian package prometheus: make deps), got none"

out=$(promtool check rules "$RULES" 2>&1)
assert_eq "check rules: exit status" 0 $?
assert_match "check rules: 7 rules" 'SUCCESS: 7 rules found' "$out"
for a in PMTUDBlackhole PMTUDPathMTUBelow PMTUDDestinationDown PMTUDStale \
    PMTUDDaemonDown PMTUDPathFlapping PMTUDMultipathMTUDiffers; do
	assert_eq "rule $a defined once" 1 \
	    "$(grep -c "^ *- alert: $a\$" "$RULES")"
done

out=$(promtool test rules "$RTEST" 2>&1)
rc=$?
assert_eq "test rules: exit status" 0 "$rc"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | head -40 | sed 's/^/    | /'
assert_match "test rules: SUCCESS" '^ *SUCCESS$' "$out"
# Every alert is exercised by the unit tests.
for a in PMTUDBlackhole PMTUDPathMTUBelow PMTUDDestinationDown PMTUDStale \
    PMTUDDaemonDown PMTUDPathFlapping PMTUDMultipathMTUDiffers; do
	check "test rules cover $a" \
	    grep -q "alertname: $a\$" "$RTEST"
done

# fails CMD...: true if the command fails.
fails() {
	! "$@"
}

quiet() {
	"$@" >/dev/null 2>&1
}

# The unit tests are not blind: a wrong hop in an expected annotation,
# or an alert expected a minute early, fails them.
mkdir -p "$T/conf/prometheus" "$T/tests/prometheus"
cp "$RULES" "$T/$RULES"
sed 's/hop 3 (2001:db8:3::2)/hop 4 (2001:db8:3::2)/' "$RTEST" >"$T/$RTEST"
check "mutated test: annotation changed" fails cmp -s "$RTEST" "$T/$RTEST"
check "test rules: wrong annotation fails" \
    fails quiet promtool test rules "$T/$RTEST"
sed 's/- eval_time: 6m$/- eval_time: 7m/' "$RTEST" >"$T/$RTEST"
check "mutated test: eval time changed" fails cmp -s "$RTEST" "$T/$RTEST"
check "test rules: alert a minute early fails" \
    fails quiet promtool test rules "$T/$RTEST"
# Nor blind to the flapping threshold: one change more needed fails.
cp "$RTEST" "$T/$RTEST"
sed 's/increase(pmtud_path_changes_total\[1h\]) > 4$/increase(pmtud_path_changes_total[1h]) > 5/' \
    "$RULES" >"$T/$RULES"
check "mutated rules: flapping threshold changed" \
    fails cmp -s "$RULES" "$T/$RULES"
check "test rules: a laxer flapping rule fails" \
    fails quiet promtool test rules "$T/$RTEST"
