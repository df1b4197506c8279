#!/bin/sh
# Every case FILE with FILE.expect in testdata/bad/<format>/ gives its expected
# exit status from `rtlens jobs` and a located message, and never crashes (a
# signal would show as status > 128). (Formats whose cases are named NAME.expect
# beside NAME.EXT, or *.ovh-expect, have their own tests: trace-dat-bad.t,
# ft-bad-input.t, xen-bad.t.)
. "$(dirname "$0")/lib.sh"

for exp in "$RL_SRCDIR"/testdata/bad/*/*.expect; do
	f=${exp%.expect}
	[ -f "$f" ] || continue
	name=$(basename "$f")
	want_rc=$(sed -n 1p "$exp")
	want_re=$(sed -n 2p "$exp")
	args=$(sed -n 3p "$exp")
	# shellcheck disable=SC2086
	"$RTLENS" jobs $args "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" "$want_rc" "$name: exit status $want_rc"
	grep -Eq -- "$want_re" "$TMP/err"
	ok $? "$name: stderr says: $want_re"
	[ "$rc" -lt 128 ]
	ok $? "$name: no crash"
done

# nonexistent file
"$RTLENS" info "$TMP/nope.bin" >/dev/null 2>"$TMP/err"
is "$?" 1 "nonexistent file: exit 1"
grep -q "nope.bin: error: cannot open: No such file or directory" "$TMP/err"
ok $? "nonexistent file: says cannot open"

# files of two formats together
"$RTLENS" info "$RL_SRCDIR/testdata/demo/st-0.bin" "$RL_SRCDIR/testdata/bad/sched_trace/text.csv" \
	>/dev/null 2>"$TMP/err"
rc=$?
ok $([ $rc -ne 0 ] && [ $rc -lt 128 ] && echo 0 || echo 1) "sched_trace plus a text file: refused (exit $rc)"

# a directory
"$RTLENS" jobs "$TMP" >/dev/null 2>"$TMP/err"
is "$?" 1 "a directory: exit 1"
finish
