#!/bin/sh
# Bad and generated input: every file of testdata/bad/{trace-dat,ftrace-text} has
# NAME.expect (exit status of `rtlens info`, a string stderr must contain);
# generated files of every version/compression read back with the counts
# trace-cmd reports (when trace-cmd is installed); a CTF directory without
# metadata is a located error.
. "$(dirname "$0")/lib.sh"

for B in "$RL_SRCDIR"/testdata/bad/trace-dat "$RL_SRCDIR"/testdata/bad/ftrace-text; do
	for f in "$B"/*.expect; do
		n=$(basename "$f" .expect)
		in=$(ls "$B/$n".* | grep -v '\.expect$')
		want_st=$(sed -n 1p "$f")
		want_msg=$(sed -n 2p "$f")
		"$RTLENS" info "$in" >/dev/null 2>"$TMP/err"
		is "$?" "$want_st" "$n: exit $want_st"
		grep -qF -- "$want_msg" "$TMP/err"
		ok $? "$n: says '$want_msg'"
		if [ -s "$TMP/err" ]; then
			grep -q "^$in:0x[0-9a-f]*: \(warning\|error\)" "$TMP/err"
			ok $? "$n: message located (file:0xOFFSET)"
		fi
	done
done

G=$RL_BUILD/gen-trace-dat
count() { # per-name counts of rtlens info --json
	"$RTLENS" info --json "$1" | perl -ne 'if (/"by_type":\{([^}]*)\}/) { for (split /,/, $1) {
		/"(.*)":(\d+)/ and print "$1 $2\n" } }' | sort
}
for v in "6 none" "7 none" "7 zstd" "7 zlib" "7 zstd rtbuf"; do
	set -- $v
	"$G" -v "$1" -z "$2" -n 24000 -c 3 ${3:+-i $3} -o "$TMP/g.dat"
	want="sched_switch 12000 sched_wakeup 6000 sched_waking 6000 "
	[ -n "$3" ] && want="$3:sched_switch 12000 $3:sched_wakeup 6000 $3:sched_waking 6000 $want"
	is "$(count "$TMP/g.dat" | tr '\n' ' ')" "$want" "generated v$1 $2${3:+ + instance $3}: counts"
	if [ "$2" != zlib ] && command -v trace-cmd >/dev/null 2>&1; then
		trace-cmd report "$TMP/g.dat" 2>/dev/null | perl -ne '
			$c{$1 . $2}++ if /^(\w+:)?.*?\]\s+[\d.]+:\s+(\w+):/;
			END { print "$_ $c{$_}\n" for sort keys %c }' >"$TMP/want"
		count "$TMP/g.dat" >"$TMP/got"
		same_file "$TMP/got" "$TMP/want" "generated v$1 $2${3:+ + instance $3}: counts equal trace-cmd report"
	else
		skip "trace-cmd cannot read v$1 $2 here (Debian's is built without zlib) or is not installed"
	fi
done
# big-endian files (as from a PowerPC or s390 kernel) decode to the same events
for v in "6 none" "7 zstd"; do
	set -- $v
	"$G" -v "$1" -z "$2" -n 6000 -c 2 -o "$TMP/le.dat"
	"$G" -E -v "$1" -z "$2" -n 6000 -c 2 -o "$TMP/be.dat"
	"$RTLENS" dump "$TMP/le.dat" | sed 's/ @.*//' >"$TMP/le.txt"
	"$RTLENS" dump "$TMP/be.dat" | sed 's/ @.*//' >"$TMP/be.txt"
	ok $([ "$(wc -l <"$TMP/le.txt")" -eq 9000 ] && echo 0 || echo 1) "little-endian v$1 $2: 9000 model events"
	same_file "$TMP/be.txt" "$TMP/le.txt" "big-endian v$1 $2: the same events as little-endian"
	if command -v trace-cmd >/dev/null 2>&1; then
		trace-cmd report "$TMP/be.dat" 2>/dev/null | grep -c ': sched_' >"$TMP/n"
		is "$(cat "$TMP/n")" 6000 "big-endian v$1 $2: trace-cmd reads 6000 records too"
	else
		skip "trace-cmd not installed"
	fi
done
# clocks: x86-tsc with a TSC2NSEC option and an OFFSET option convert as trace-cmd does
"$G" -v 7 -z zstd -n 2000 -O 5000000000 -T 1431655765:32 -o "$TMP/tsc.dat"
"$RTLENS" dump "$TMP/tsc.dat" | awk '$3 != "switch_in" { print $1, $2, $4 }' | sort >"$TMP/got"
ok $(awk 'NR == 1 && $1 > 5300000000 && $1 < 5400000000 { good = 1 } END { print !good }' "$TMP/got") \
	"tsc2nsec + offset: first event at (1e9 cycles / 3) + 5 s"
if command -v trace-cmd >/dev/null 2>&1; then
	trace-cmd report -t "$TMP/tsc.dat" 2>/dev/null | perl -ne '
		print "$3$4 ", $2 + 0, " $5\n" if /\[(0*(\d+))\]\s+(\d+)\.(\d{9}):\s+(\w+):/' | sort >"$TMP/want"
	same_file "$TMP/got" "$TMP/want" "tsc2nsec + offset: every time equals trace-cmd report -t"
else
	skip "trace-cmd not installed"
fi
# jobs of the generated workload: every rt task activation is a complete job
"$G" -v 6 -n 4000 -c 2 -t 2 -o "$TMP/j.dat"
"$RTLENS" jobs --summary --format csv "$TMP/j.dat" >"$TMP/sum.csv"
is "$(awk -F, 'NR > 1 { print $2, $4, $5, $19 }' "$TMP/sum.csv" | tr '\n' ' ')" \
	"rt-0-0 250 250 0 rt-0-1 250 250 0 rt-1-0 250 250 0 rt-1-1 250 250 0 " \
	"generated workload: 250 complete jobs per rt task, no preemption"

"$RTLENS" info "$RL_SRCDIR/testdata/bad/ctf/bad-metadata" >/dev/null 2>"$TMP/err"
is "$?" 1 "CTF with bad metadata: exit 1"
grep -q "bad-metadata: error: babeltrace2 cannot open the CTF trace" "$TMP/err"
ok $? "CTF with bad metadata: located error with babeltrace2's cause"
mkdir -p "$TMP/ctf"
"$G" -f ctf -n 20000 -c 2 -o "$TMP/ctf"
"$RTLENS" info --json "$TMP/ctf" >"$TMP/c.json" 2>"$TMP/err"
is "$(perl -ne 'print $1 if /"events":(\d+)/' "$TMP/c.json")" 20000 "generated CTF: 20000 records (events counts records, not the derived switch-ins)"
truncate -s 70000 "$TMP/ctf/stream_0"
"$RTLENS" info "$TMP/ctf" >/dev/null 2>"$TMP/err"
is "$?" 1 "CTF with a truncated stream: exit 1"
grep -q "ctf: error: babeltrace2 cannot open the CTF trace: Failed to index CTF stream file" "$TMP/err"
ok $? "CTF with a truncated stream: located error"
"$RTLENS" info "$RL_SRCDIR/testdata/bad/ctf/no-metadata" >/dev/null 2>"$TMP/err"
is "$?" 1 "CTF directory without metadata: exit 1"
grep -q "no-metadata: error: no CTF \`metadata\` file" "$TMP/err"
ok $? "CTF directory without metadata: located error"
grep -q "sched_trace, xentrace, trace.dat and ftrace text are given as files" "$TMP/err"
ok $? "... which says how the other formats are given"
finish
