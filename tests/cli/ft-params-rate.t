#!/bin/sh
# rtlens overheads finds the cycle rate in the params.py that experiment-scripts
# writes beside a run's Feather-Trace files (clock-frequency, cycles per us),
# converts with it exactly as --cycles-per-usec would, and says so.
. "$(dirname "$0")/lib.sh"
GEN=$RL_BUILD/gen-feather-trace

R=$TMP/run
mkdir -p "$R"
"$GEN" -c 2 -n 400 "$R" >/dev/null
ok $? "generator ran"
"$RTLENS" overheads --format csv --cycles-per-usec 2500 "$R" >"$TMP/given.csv"
"$RTLENS" overheads --format csv "$R" >"$TMP/none.csv" 2>"$TMP/none.err"
is "$(awk -F, '$4 == "CXS" { print $5 }' "$TMP/none.csv")" "cycles" "no params.py: cycles"
ok $([ ! -s "$TMP/none.err" ]; echo $?) "no params.py: nothing said"
printf "{'clock-frequency': 2500,\n 'scheduler': 'GSN-EDF', 'tracers': ['overhead']}\n" >"$R/params.py"
"$RTLENS" overheads --format csv "$R" >"$TMP/found.csv" 2>"$TMP/found.err"
ok $? "params.py with clock-frequency: exits 0"
same_file "$TMP/found.csv" "$TMP/given.csv" "params.py's 2500 converts as --cycles-per-usec 2500"
is "$(awk -F, '$4 == "CXS" { print $5 }' "$TMP/found.csv")" "us" "CXS now in us"
is "$(cat "$TMP/found.err")" "rtlens: cycles converted at 2.5 GHz (2500 cycles/us) from $R/params.py" \
	"the rate and where it came from, on stderr"
"$RTLENS" overheads -q --format csv "$R" 2>"$TMP/q.err" >/dev/null
ok $([ ! -s "$TMP/q.err" ]; echo $?) "-q: not said"
"$RTLENS" overheads "$R" 2>/dev/null | grep -qxF "cycles converted at 2.5 GHz (2500 cycles/us) from $R/params.py"
ok $? "the table says it too"
"$RTLENS" overheads -q --format json "$R" >"$TMP/j"
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>);
	exit($j->{cycle_rate}{cycles_per_usec} == 2500 && $j->{cycle_rate}{from} eq $ARGV[0] ? 0 : 1)' "$R/params.py" <"$TMP/j"
ok $? "JSON: cycle_rate with the rate and its file"
"$RTLENS" overheads -q --format json --cycles-per-usec 2500 "$R" | grep -q cycle_rate
is "$?" 1 "JSON: no cycle_rate when the option gave it"
# samples: us = cycles / 2500
"$RTLENS" overheads -q --samples SCHED "$R" >"$TMP/s.csv"
is "$(head -1 "$TMP/s.csv")" "group,cpu,value_us" "--samples: value_us"
mv "$R/params.py" "$TMP/params.keep"
"$RTLENS" overheads -q --samples SCHED "$R" >"$TMP/c.csv"
mv "$TMP/params.keep" "$R/params.py"
is "$(head -1 "$TMP/c.csv")" "group,cpu,value_cycles" "without params.py: value_cycles"
awk -F, 'NR > 1 { printf "%.6f\n", $3 / 2500 }' "$TMP/c.csv" >"$TMP/want"
cut -d, -f3 "$TMP/s.csv" | tail -n +2 >"$TMP/got"
ok $([ -s "$TMP/want" ]; echo $?) "SCHED samples exist"
same_file "$TMP/got" "$TMP/want" "each sample = its cycles / 2500"
# the option wins over the file
"$RTLENS" overheads --format csv --cycles-per-usec 1000 "$R" >"$TMP/opt.csv" 2>"$TMP/opt.err"
"$RTLENS" overheads --format csv --cycles-per-usec 1000 "$R" 2>/dev/null | cmp -s - "$TMP/given.csv"
ok $([ $? -ne 0 ] && [ ! -s "$TMP/opt.err" ]; echo $?) "--cycles-per-usec wins, params.py not read"
# --schedcat needs no option then
mkdir -p "$TMP/k"
"$GEN" -c 2 -n 300 -k n=5 "$TMP/k" >/dev/null
cp "$R/params.py" "$TMP/k/"
"$RTLENS" overheads -q --schedcat "$TMP/sc" "$TMP/k"
ok $? "--schedcat with params.py, without --cycles-per-usec"
rm "$TMP/k/params.py"
"$RTLENS" overheads -q --schedcat "$TMP/sc2" "$TMP/k" 2>"$TMP/err"
is "$?" 2 "--schedcat without any rate: usage error"
# two runs that disagree: refused, both named
mkdir -p "$TMP/r2"
"$GEN" -c 2 -n 300 -S 3 -k trace=U "$TMP/r2" >/dev/null
printf "{'clock-frequency': 3000}\n" >"$TMP/r2/params.py"
"$RTLENS" overheads --format csv "$R" "$TMP/r2" >/dev/null 2>"$TMP/err"
is "$?" 2 "params.py files that disagree: usage error"
grep -q "2500 in $R/params.py, but 3000 in $TMP/r2/params.py" "$TMP/err"
ok $? "... naming both"
# a malformed value is bad data, located
printf "{'clock-frequency': 'fast'}\n" >"$TMP/r2/params.py"
"$RTLENS" overheads --format csv "$TMP/r2" >/dev/null 2>"$TMP/err"
is "$?" 1 "clock-frequency that is no number: exit 1"
grep -q "$TMP/r2/params.py.*clock-frequency 'fast'" "$TMP/err"
ok $? "... naming the file and the value"
printf "{'clock-frequency': 2000" >"$TMP/r2/params.py"
"$RTLENS" overheads --format csv "$TMP/r2" >/dev/null 2>"$TMP/err"
is "$?" 1 "a params.py that does not parse: exit 1"
finish
