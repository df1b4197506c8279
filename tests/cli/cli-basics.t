#!/bin/sh
# The command line: help, usage errors, JSON, goldens, determinism, atomic output, no caps.
. "$(dirname "$0")/lib.sh"
GEN=$RL_BUILD/gen-sched-trace
DEMO=$RL_SRCDIR/testdata/demo

"$RTLENS" --help >"$TMP/h" 2>&1
ok $? "rtlens --help exits 0"
for c in info dump jobs; do
	"$RTLENS" $c --help >"$TMP/h" 2>"$TMP/e"
	ok $? "rtlens $c --help exits 0"
	grep -q "^usage: rtlens $c" "$TMP/h"
	ok $? "rtlens $c --help prints usage"
	"$RTLENS" $c --no-such-option "$DEMO/st-0.bin" >/dev/null 2>&1
	is "$?" 2 "rtlens $c with a bad option exits 2"
done
# an unknown option: getopt's line and the same one-line hint on every command, exit 2
for c in info dump jobs overheads latency draw xen plot skew db batch merge; do
	"$RTLENS" $c --no-such-option "$DEMO/st-0.bin" >"$TMP/o" 2>"$TMP/e"
	is "$?" 2 "rtlens $c --no-such-option exits 2"
	is "$(wc -l <"$TMP/e" | tr -d ' ')" 2 "rtlens $c --no-such-option prints two lines"
	is "$(sed -n 2p "$TMP/e")" "(try 'rtlens $c --help')" "rtlens $c --no-such-option points to --help"
	test ! -s "$TMP/o"
	ok $? "rtlens $c --no-such-option writes nothing to stdout"
done
"$RTLENS" frobnicate >/dev/null 2>"$TMP/e"
is "$?" 2 "unknown command exits 2"
"$RTLENS" jobs >/dev/null 2>"$TMP/e"
is "$?" 2 "no input files exits 2"
"$RTLENS" jobs --format yaml "$DEMO/st-0.bin" >/dev/null 2>"$TMP/e"
is "$?" 2 "bad --format value exits 2"
"$RL_BUILD/st-job-stats" -h 2>"$TMP/e"
is "$?" 0 "st-job-stats -h exits 0"
grep -q "st_job_stats \[opts\]" "$TMP/e"
ok $? "st-job-stats -h prints its usage"

# info --json is valid JSON with the documented keys
"$RTLENS" info --json "$DEMO"/st-*.bin >"$TMP/info.json"
ok $? "info --json exits 0"
perl -MJSON::PP -e '
	local $/; my $j = decode_json(<STDIN>);
	exit(($j->{format} eq "sched_trace-2016" && $j->{cpus} == 4 && $j->{events} > 0 &&
	      ref $j->{by_type} eq "HASH" && $j->{by_type}{COMPLETION} == 1500) ? 0 : 1)' <"$TMP/info.json"
ok $? "info --json: format, cpus, events, by_type (1500 completions)"
perl -MJSON::PP -e '
	local $/; my $j = decode_json(<STDIN>); my $s = 0; $s += $_ for values %{$j->{by_type}};
	exit($s == $j->{events} ? 0 : 1)' <"$TMP/info.json"
ok $? "info --json: by_type sums to events"
"$RTLENS" jobs --summary --format json "$DEMO"/st-*.bin >"$TMP/s.json"
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); exit(@{$j->{tasks}} == 8 ? 0 : 1)' <"$TMP/s.json"
ok $? "jobs --summary --format json: 8 tasks"

# goldens: a small generated trace dumped, and summaries
"$GEN" -o "$TMP/small" -n 3 -m 2 -g -u 1.5 -j 40 -s 77 2>/dev/null
"$RTLENS" dump "$TMP/small"/st-*.bin >"$TMP/small.dump"
golden "$TMP/small.dump" small.dump.expect
"$RTLENS" jobs --by-task "$TMP/small"/st-*.bin >"$TMP/small.jobs"
golden "$TMP/small.jobs" small.jobs.expect
"$RTLENS" jobs "$TMP/small"/st-*.bin >"$TMP/small.stream"
golden "$TMP/small.stream" small.jobs-stream.expect
sort "$TMP/small.jobs" >"$TMP/s1"
sort "$TMP/small.stream" >"$TMP/s2"
same_file "$TMP/s1" "$TMP/s2" "streamed rows are the by-task rows in another order"
"$RTLENS" jobs --summary --format csv "$DEMO"/st-*.bin >"$TMP/demo.summary"
golden "$TMP/demo.summary" demo.summary.expect

# many rows: the threaded CSV writer passes dozens of batches (and a slow reader)
"$GEN" -o "$TMP/mid" -n 40 -m 4 -g -u 2.9 -j 200000 -s 13 2>/dev/null
# ($? after a pipe is the reader's status: rtlens's own is written inside the pipe)
{
	"$RTLENS" jobs "$TMP/mid"/st-*.bin
	echo $? >"$TMP/mid.rc"
} | (sleep 1; cat) >"$TMP/mid.stream"
is "$(cat "$TMP/mid.rc")" 0 "200000 jobs streamed to a slow reader: rtlens exits 0"
"$RTLENS" jobs "$TMP/mid"/st-*.bin >"$TMP/mid.stream2"
same_file "$TMP/mid.stream" "$TMP/mid.stream2" "streamed CSV is identical run to run"
"$RTLENS" jobs --by-task "$TMP/mid"/st-*.bin | sort >"$TMP/mid.s1"
sort "$TMP/mid.stream" >"$TMP/mid.s2"
same_file "$TMP/mid.s1" "$TMP/mid.s2" "streamed rows are the by-task rows"
is "$(wc -l <"$TMP/mid.stream")" "$((200000 + 40 + 1))" "every job is a row (200000 completed, 40 unfinished, header)"

# determinism: same input, byte-identical output
"$RTLENS" jobs "$DEMO"/st-*.bin >"$TMP/a"
"$RTLENS" jobs "$DEMO"/st-*.bin >"$TMP/b"
same_file "$TMP/a" "$TMP/b" "two runs give identical output"

# atomic output
"$RTLENS" jobs -o "$TMP/out.csv" "$DEMO"/st-*.bin
ok $? "jobs -o writes a file"
same_file "$TMP/out.csv" "$TMP/a" "-o file equals stdout output"
mkdir "$TMP/ro" && chmod 500 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
	"$RTLENS" jobs -o "$TMP/ro/x.csv" "$DEMO"/st-*.bin 2>"$TMP/e"
	is "$?" 1 "unwritable output directory: exit 1"
else
	skip "running as root: cannot test an unwritable directory"
fi
"$RTLENS" jobs -o "$TMP/nodir/x.csv" "$DEMO"/st-*.bin 2>"$TMP/e"
is "$?" 1 "output into a missing directory: exit 1"
ls "$TMP" | grep -q tmp
ok $([ $? -ne 0 ] && echo 0 || echo 1) "no temporary file left behind"

# no caps: 5000 tasks on 64 cpus
"$GEN" -o "$TMP/big" -n 5000 -m 64 -u 40 -j 15000 -s 5 2>/dev/null
"$RTLENS" jobs --summary --format csv "$TMP/big"/st-*.bin >"$TMP/big.csv"
ok $? "5000 tasks, 64 cpus: exit 0"
is "$(tail -n +2 "$TMP/big.csv" | wc -l)" 5000 "5000 tasks in the summary"
"$RTLENS" jobs --compat "$TMP/big"/st-*.bin | grep -c '^# task' >"$TMP/n"
is "$(cat "$TMP/n")" 5000 "5000 tasks in st-job-stats output (the original stops at 512)"
"$RTLENS" info --json "$TMP/big"/st-*.bin | grep -q '"cpus":64'
ok $? "64 cpus reported"
finish
