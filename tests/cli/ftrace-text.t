#!/bin/sh
# Plain-text ftrace reader: tracefs default and latency-format text (record
# counts equal the kernel's own entries header, names equal a line count),
# trace-cmd report text (raw -R and plugin forms) decodes to the same events
# as the trace.dat it was printed from.
. "$(dirname "$0")/lib.sh"
need_shared

D=$SHARED/testdata/ftrace
names() { # the event names of a text trace, counted by a regex independent of the reader
	grep -v '^#' "$1" | perl -ne '$c{$1}++ if /\d(?:us)?\s?[ +!#*@\$]?:\s+(\w+):/;
		END { print "$_ $c{$_}\n" for sort keys %c }'
}
info_counts() {
	perl -ne 'if (/"by_type":\{([^}]*)\}/) { for (split /,/, $1) {
		/"(.*)":(\d+)/ and print "$1 $2\n" } }' "$1" | sort
}
for f in ftrace-text-default ftrace-text-latency lisa-trace_txt-trace; do
	"$RTLENS" info --json "$D/$f.txt" >"$TMP/info.json" 2>"$TMP/err"
	is "$?" 0 "$f: exit 0"
	is "$(cat "$TMP/err")" "" "$f: no warnings"
	names "$D/$f.txt" >"$TMP/want"
	info_counts "$TMP/info.json" >"$TMP/got"
	same_file "$TMP/got" "$TMP/want" "$f: event counts per name"
	want=$(sed -n 's/.*entries-in-buffer\/entries-written: \([0-9]*\)\/.*/\1/p; s/.*latency: .* #\([0-9]*\)\/.*/\1/p' "$D/$f.txt" | head -1)
	if [ -n "$want" ]; then
		is "$(perl -ne 'print $1 if /"records":(\d+)/' "$TMP/info.json")" "$want" \
			"$f: records equal the kernel's entries count"
	fi
done
"$RTLENS" info --json "$D/ftrace-text-latency.txt" | grep -q '"format":"ftrace-text"'
ok $? "latency-format text detected as ftrace text"

# report -R text and the .dat it came from: the same events, field for field
"$RTLENS" dump "$D/sched-v6.dat" | sed 's/ @.*//' >"$TMP/dat"
"$RTLENS" dump "$D/sched-v6.report-raw.txt.gz" | sed 's/ @.*//' >"$TMP/txt"
ok $([ "$(wc -l <"$TMP/dat")" -gt 10000 ] && echo 0 || echo 1) "sched-v6.dat dumps"
same_file "$TMP/txt" "$TMP/dat" "report -R text decodes like the trace.dat"
# default report (sched plugin short forms, state letters): same events,
# times, cpus, pids and args; prev_state letters are not the raw value
for b in sched-v7-zstd sched-v6-instance sched-v7-lost; do
	"$RTLENS" dump -q "$D/$b.dat" | sed 's/ @.*//; s/^\(.* switch_out .*\) arg2=[0-9-]*/\1/' >"$TMP/dat"
	"$RTLENS" dump -q "$D/$b.report.txt.gz" | sed 's/ @.*//; s/^\(.* switch_out .*\) arg2=[0-9-]*/\1/' >"$TMP/txt"
	same_file "$TMP/txt" "$TMP/dat" "$b: report text decodes like the trace.dat"
done
# `trace-cmd report -l` text (cpu+flags column, µs times), made here when trace-cmd exists
if command -v trace-cmd >/dev/null 2>&1; then
	trace-cmd report -l "$D/sched-v7-zstd.dat" >"$TMP/rl.txt" 2>/dev/null
	"$RTLENS" dump "$TMP/rl.txt" 2>"$TMP/err" | sed 's/ @.*//; s/^\(.* switch_out .*\) arg2=[0-9-]*/\1/' |
		awk '{ $1 = int($1 / 1000); print }' | sort >"$TMP/txt"
	# trace-cmd rounds to the nearest microsecond
	"$RTLENS" dump "$D/sched-v7-zstd.dat" | sed 's/ @.*//; s/^\(.* switch_out .*\) arg2=[0-9-]*/\1/' |
		awk '{ $1 = int(($1 + 500) / 1000); print }' | sort >"$TMP/dat"
	is "$(cat "$TMP/err")" "" "report -l text: no warnings"
	same_file "$TMP/txt" "$TMP/dat" "report -l text decodes like the trace.dat (to the microsecond)"
else
	skip "trace-cmd not installed: no report -l text"
	skip "trace-cmd not installed: no report -l text"
fi
# tracefs variations: (TGID) column, comms with spaces and dashes, 4-column flags,
# no flags column, raw clock counts, letter states with '|'
cat >"$TMP/var.txt" <<'TXT'
# tracer: nop
  rs:main Q:Reg-354     (  350) [001] d..2.   100: sched_switch: prev_comm=rs:main Q:Reg prev_pid=354 prev_prio=120 prev_state=S ==> next_comm=kworker/u8:1 next_pid=20665 next_prio=120
 kworker/u8:1-20665   (-------) [001] d.h.    200: sched_wakeup: comm=rs:main Q:Reg pid=354 prio=120 target_cpu=001
 kworker/u8:1-20665   [001]      300: sched_switch: prev_comm=kworker/u8:1 prev_pid=20665 prev_prio=120 prev_state=R+ ==> next_comm=rs:main Q:Reg next_pid=354 next_prio=120
           <...>-354   [001] ....  400: sched_switch: prev_comm=rs:main Q:Reg prev_pid=354 prev_prio=120 prev_state=D|K ==> next_comm=swapper/1 next_pid=0 next_prio=120
TXT
"$RTLENS" jobs "$TMP/var.txt" >"$TMP/var.csv" 2>"$TMP/err"
is "$?" 0 "variations: exit 0"
is "$(sed -n 2p "$TMP/var.csv")" "354,rs:main Q:Reg,1,200,300,400,200,100,100,0,0,1,120,complete" \
	"variations: tasks, names with spaces, states R+ and D|K, raw times"
finish
