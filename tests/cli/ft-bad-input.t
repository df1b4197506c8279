#!/bin/sh
# Every Feather-Trace case in testdata/bad/feather_trace/ (made by
# testdata/bad/make-bad-ft.sh) gives its expected exit status and a located
# message with `rtlens overheads`, and ft2csv never crashes on it.
. "$(dirname "$0")/lib.sh"

for exp in "$RL_SRCDIR"/testdata/bad/feather_trace/*.ovh-expect; do
	f=${exp%.ovh-expect}
	name=$(basename "$f")
	want_rc=$(sed -n 1p "$exp")
	want_re=$(sed -n 2p "$exp")
	args=$(sed -n 3p "$exp")
	# shellcheck disable=SC2086
	"$RTLENS" overheads $args "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" "$want_rc" "$name: exit status $want_rc"
	if [ "$want_re" = '^$' ]; then [ ! -s "$TMP/err" ]; else grep -Eq -- "$want_re" "$TMP/err"; fi
	ok $? "$name: stderr says: $want_re"
	"$RL_BUILD/ft2csv" CXS "$f" >/dev/null 2>&1
	rc=$?
	[ "$rc" -lt 128 ]
	ok $? "$name: ft2csv does not crash (exit $rc)"
done

# empty file: ft2csv says the event is not present
"$RL_BUILD/ft2csv" SCHED "$RL_SRCDIR/testdata/bad/feather_trace/empty_cpu=0.bin" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "ft2csv on an empty file exits 0"
is "$(cat "$TMP/err")" "Event SCHED not present." "ft2csv on an empty file: not present"

# usage errors exit 2
"$RTLENS" overheads --format yaml x.bin >/dev/null 2>&1
is "$?" 2 "bad --format: exit 2"
"$RTLENS" overheads --cdf --hist 10 x.bin >/dev/null 2>&1
is "$?" 2 "--cdf with --hist: exit 2"
# (the rate may come from a params.py beside the inputs: a real trace, none there)
mkdir -p "$TMP/scin"
"$RL_BUILD/gen-feather-trace" -c 1 -n 20 "$TMP/scin" >/dev/null
"$RTLENS" overheads --schedcat "$TMP/sc" "$TMP/scin" >/dev/null 2>&1
is "$?" 2 "--schedcat without --cycles-per-usec: exit 2"
"$RTLENS" overheads --events NOPE x.bin >/dev/null 2>&1
is "$?" 2 "unknown --events name: exit 2"
"$RTLENS" overheads >/dev/null 2>&1
is "$?" 2 "no files: exit 2"
"$RTLENS" overheads "$TMP/absent.bin" >/dev/null 2>"$TMP/err"
is "$?" 1 "missing file: exit 1"
grep -q "absent.bin: error: cannot open" "$TMP/err"
ok $? "missing file: located message"
"$RTLENS" overheads --help >"$TMP/out"
is "$?" 0 "--help exits 0"
grep -q "usage: rtlens overheads" "$TMP/out"
ok $? "--help prints usage"
"$RL_BUILD/ft2csv" -h >/dev/null 2>"$TMP/err"
is "$?" 1 "ft2csv -h exits 1 like ft2csv"
grep -q "^Usage: ft2csv" "$TMP/err"
ok $? "ft2csv -h prints ft2csv's usage"
"$RL_BUILD/ft2csv" CXS >/dev/null 2>"$TMP/err"
is "$?" 1 "ft2csv with one argument exits 1"
head -1 "$TMP/err" | grep -q "^arguments missing$"
ok $? "ft2csv says arguments missing"
finish
