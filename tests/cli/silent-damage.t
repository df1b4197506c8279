#!/bin/sh
# Damage that used to pass with exit 0 and no word (issue 10): each now gives a
# located warning or error and exit 1. A cut ftrace text line, a 0-byte CTF
# stream file, a folder of trace files beside a CTF subfolder.
. "$(dirname "$0")/lib.sh"
D=$RL_SRCDIR/testdata/demo

# ftrace text cut inside a line: the rest of the line is not an event
{
	echo "# tracer: nop"
	i=0
	while [ $i -lt 20 ]; do
		printf '          <idle>-0       [001] d..2.  100.%06d: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=rt prev_pid=42 next_pid=42 next_prio=19\n' $((i * 10))
		printf '              rt-42      [001] d..3.  100.%06d: sched_switch: prev_comm=rt prev_pid=42 prev_prio=19 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n' $((i * 10 + 5))
		i=$((i + 1))
	done
} >"$TMP/whole.txt"
"$RTLENS" info "$TMP/whole.txt" >/dev/null 2>"$TMP/err"
is "$?" 0 "ftrace text, whole: exit 0"
n=$(wc -c <"$TMP/whole.txt")
for cut in 60 100 140; do
	head -c $((n - cut)) "$TMP/whole.txt" >"$TMP/cut.txt"
	"$RTLENS" dump "$TMP/cut.txt" >"$TMP/out" 2>"$TMP/err"
	is "$?" 1 "ftrace text cut $cut bytes before the end: exit 1"
	grep -q "^$TMP/cut.txt:0x[0-9a-f]*: warning: file ends inside a line (cut file?)" "$TMP/err"
	ok $? "cut $cut: located warning ($(head -1 "$TMP/err"))"
	# the whole lines before the cut are all there, the cut one is not
	want=$(($(wc -l <"$TMP/cut.txt") - 1))
	is "$(sed 's/.*@//' "$TMP/out" | sort -u | wc -l)" "$want" "cut $cut: the $want whole lines read, the cut line left out"
done
printf '# tracer: nop\n# a comment without newline' >"$TMP/c.txt"
cat "$TMP/whole.txt" "$TMP/c.txt" >"$TMP/c2.txt"
"$RTLENS" info "$TMP/c2.txt" >/dev/null 2>"$TMP/err"
is "$?" 0 "ftrace text ending in a comment without newline: exit 0"

# a folder of trace files beside a CTF subfolder
C=$SHARED/testdata/ctf/perf-ctf
if [ -d "$C" ]; then
	mkdir -p "$TMP/mix"
	cp -r "$C" "$TMP/mix/ctf"
	cp "$D/st-0.bin" "$TMP/mix/"
	for c in info jobs dump; do
		"$RTLENS" $c "$TMP/mix" >/dev/null 2>"$TMP/err"
		is "$?" 1 "$c on a folder of st-0.bin beside a CTF subfolder: exit 1"
		grep -q "^$TMP/mix: error: holds 1 trace file (st-0.bin) beside the CTF trace $TMP/mix/ctf" "$TMP/err"
		ok $? "$c: says which file and which CTF trace"
	done
	"$RTLENS" db -o "$TMP/x.db" "$TMP/mix" >/dev/null 2>"$TMP/err"
	is "$?" 1 "db on the same folder: exit 1"
	grep -q "beside the CTF trace" "$TMP/err"
	ok $? "db: says why"
	"$RTLENS" info "$TMP/mix/ctf" >/dev/null 2>&1
	is "$?" 0 "the CTF subfolder alone: exit 0"

	# a 0-byte CTF stream file
	cp -r "$C" "$TMP/c0"
	want=$("$RTLENS" info "$TMP/c0" | sed -n 's/^events: *//p')
	: >"$TMP/c0/perf_stream_1"
	"$RTLENS" info "$TMP/c0" >"$TMP/out" 2>"$TMP/err"
	is "$?" 1 "CTF with a 0-byte stream file: exit 1"
	grep -q "^$TMP/c0: warning: CTF stream file $TMP/c0/perf_stream_1 is empty (0 bytes)" "$TMP/err"
	ok $? "0-byte stream: names the stream file ($(head -1 "$TMP/err"))"
	got=$(sed -n 's/^events: *//p' "$TMP/out")
	[ "$got" -lt "$want" ]
	ok $? "0-byte stream: fewer events ($got < $want), so the warning is needed"
	grep -q "anomalies:.*truncated=1" "$TMP/out"
	ok $? "0-byte stream: counted in info's anomalies"
else
	skip "CTF cases: $C absent (../shared)"
fi
finish
