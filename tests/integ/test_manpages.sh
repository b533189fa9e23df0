#!/bin/sh
# SPDX-License-Identifier: ISC
# The manual pages: mandoc's linter finds nothing to say, man(1) renders
# them without a warning, and they keep up with the code: every long
# option of pmtud and pmtudctl, every pmtudctl command and control error
# code, every metric family, every keyword and destination option of the
# configuration parser is documented, and the example configuration in
# pmtud.conf(5) passes pmtud --check-config.
. "$(dirname "$0")/lib.sh"

PAGES="daemon/pmtud.8 daemon/pmtudctl.8 conf/pmtud.conf.5"
cd "$TOP" || die "tree top" "expected $TOP, got no such directory"
for c in mandoc man; do
	command -v $c >/dev/null 2>&1 ||
	    die "tool $c installed" "expected $c in PATH (make deps), got none"
done

quiet() {
	"$@" >/dev/null 2>&1
}

for p in $PAGES; do
	[ -f "$p" ] || { fail "$p exists" "expected the file, got none"; continue; }
	# Everything down to style, except what only says that the pages
	# are not installed on this machine.
	out=$(mandoc -T lint -W style "$p" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'mandoc\.db')
	assert_eq "$p: mandoc -T lint is silent" "" "$out"
	check "$p: mandoc -T lint -W warning exits 0" \
	    quiet mandoc -T lint -W warning "$p"
	err=$(MANWIDTH=80 man --warnings -l "$p" 2>&1 >"$T/page.txt")
	rc=$?
	assert_eq "$p: man -l exit status" 0 "$rc"
	assert_eq "$p: man -l has no warnings" "" "$err"
	# Name and section as the file name says.
	name=$(basename "$p")
	sect=${name##*.}
	name=${name%.*}
	upper=$(printf '%s' "$name" | tr a-z A-Z)
	assert_eq "$p: .Dt matches the file name" ".Dt $upper $sect" \
	    "$(grep '^\.Dt ' "$p")"
	assert_match "$p: rendered header" "^$upper\\($sect\\) " \
	    "$(head -1 "$T/page.txt")"
	assert_match "$p: rendered NAME section" "^ +$name — " \
	    "$(sed -n '/^NAME/,/^[A-Z]/p' "$T/page.txt")"
done

# long_options FILE...: the long option names in the files' getopt tables.
long_options() {
	sed -n 's/^[[:space:]]*{ "\([a-z][a-z-]*\)",.*_argument.*/\1/p' "$@" |
	    sort -u
}

# documented PAGE WORD: the page has "Fl \-WORD" with '-' as "\-".
documented() {
	_w=$(printf '%s' "$2" | sed 's/-/\\\\-/g')
	grep -q "Fl \\\\-$_w\\b" "$1"
}

opts=$(long_options daemon/pmtud.c)
check "pmtud.c has long options" [ -n "$opts" ]
for o in $opts; do
	check "pmtud.8 documents --$o" documented daemon/pmtud.8 "$o"
done
opts=$(long_options daemon/pmtudctl*.c)
check "pmtudctl*.c have long options" [ -n "$opts" ]
for o in $opts; do
	check "pmtudctl.8 documents --$o" documented daemon/pmtudctl.8 "$o"
done
# pmtudctl's commands: the rows its table lists, each in a file of its own.
cmds=$(sed -n 's/^[[:space:]]*&pmtudctl_cmd_\([a-z]*\),$/\1/p' daemon/pmtudctl.c)
check "pmtudctl.c has commands" [ -n "$cmds" ]
for c in $cmds; do
	assert_eq "pmtudctl_$c.c names its command $c" ".name = \"$c\"," \
	    "$(grep -o '\.name = "[a-z]*",' "daemon/pmtudctl_$c.c" 2>/dev/null)"
done
for c in $cmds; do
	check "pmtudctl.8 documents command $c" \
	    grep -q "^\.It Cm $c\\b" daemon/pmtudctl.8
done
codes=$(sed -n 's/^#define CTL_E_[A-Z_]*[[:space:]]*"\([a-z_]*\)".*/\1/p' lib/ctl.h)
check "ctl.h has error codes" [ -n "$codes" ]
for c in $codes; do
	check "pmtudctl.8 documents error code $c" \
	    grep -q "^\.Cm $c\\b" daemon/pmtudctl.8
done

# Every metric family the exposition has.
mets=$(grep -o '"pmtud_[a-z_]*"' lib/metrics.c | tr -d '"' | sort -u)
check "metrics.c has metric families" [ -n "$mets" ]
for m in $mets; do
	check "pmtud.8 names metric $m" grep -q "^\.Va $m\b" daemon/pmtud.8
done

# The parser's keyword and destination option tables in lib/conf.c.
kws=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)",[[:space:]]*\(SET_[A-Z_]*\|-1\),.*/\1/p' lib/conf.c)
check "conf.c has keywords" [ -n "$kws" ]
for k in $kws; do
	check "pmtud.conf.5 documents $k" \
	    grep -q "^\.\(It \)\{0,1\}Ic $k\\b" conf/pmtud.conf.5
done
dopts=$(sed -n 's/^[[:space:]]*{ "\([a-z]*\)",[[:space:]]*dest_[a-z]* },.*/\1/p' lib/conf.c)
check "conf.c has destination options" [ -n "$dopts" ]
for o in $dopts; do
	check "pmtud.conf.5 documents destination option $o" \
	    grep -q "^\.It Cm $o\$" conf/pmtud.conf.5
done

# The example configuration is one the daemon accepts.
sed -n '/^# \/etc\/pmtud\/pmtud.conf$/,/^\.Ed$/p' conf/pmtud.conf.5 |
    sed '$d' >"$T/example.conf"
check "pmtud.conf.5 has an example configuration" \
    grep -q '^destination ' "$T/example.conf"
[ -x "$TOP/build/pmtud" ] ||
    die "binary pmtud built" "expected $TOP/build/pmtud, got none (make check builds it)"
out=$("$TOP/build/pmtud" -f --check-config -c "$T/example.conf" 2>&1)
assert_eq "example configuration passes --check-config" \
    "$T/example.conf: OK, 4 destinations" "$out"
