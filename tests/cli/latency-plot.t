#!/bin/sh
# rtlens plot for latency people: OSADL's histogram of cyclictest results
# (testdata/cyclictest, real runs), CCDFs with percentile and max markers, 12
# series with full legends, and response-time axes whatever the jobs unit.
. "$(dirname "$0")/lib.sh"

D=$RL_SRCDIR/testdata/cyclictest

# OSADL's latency plot, the default for cyclictest input
"$RTLENS" plot --format layout -o "$TMP/h.layout" "$D/rec1.json"
ok $? "cyclictest JSON: latency plot exits 0"
is "$(grep -c '^poly curve' "$TMP/h.layout")" 2 "one curve per thread"
grep -q '^text title .*"samples per 1 us bin (log)"' "$TMP/h.layout" &&
	grep -q '^text title .*"latency (us)"' "$TMP/h.layout"
ok $? "log count axis of 1 us bins, x in us"
# the curve: one step per 1 us bin from 0 to the range (400 us): 2 points a bin and the two ends
pts=$(awk '$1 == "poly" && $2 == "curve" { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9.]+,[0-9.]+$/) n++; print n; exit }' "$TMP/h.layout")
is "$pts" $((2 * 400 + 2)) "400 bins of 1 us (0 .. 399 us: the -h 400 range)"
# the tallest step is the largest bucket: its y is where the log axis puts that count
want=$(awk '/"histogram"/ { h = 1; next } h && /\}/ { exit } h { gsub(/[",]/, ""); if ($2 > m) m = $2 } END { print m }' "$D/rec1.json")
awk -v m="$want" '$1 == "poly" && $2 == "curve" {
	ymin = 1e9; for (i = 3; i <= NF; i++) if ($i ~ /^[0-9.]+,[0-9.]+$/) { split($i, a, ","); if (a[2] < ymin) ymin = a[2] }
	top = 48; bot = 436; lo = log(0.5) / log(10); hi = int(log(m) / log(10) + 0.999999)
	y = bot - (log(m) / log(10) - lo) / (hi - lo) * (bot - top)
	exit !(ymin - y < 0.01 && y - ymin < 0.01) }' "$TMP/h.layout"
ok $? "thread 0's highest bin is at the count of its largest bucket ($want)"
awk -F'"' '/^text legend/ { printf "%s ", $2 }' "$TMP/h.layout" | grep -qF 'thread 0 (cpu 0) (n=100000, 128 >= 400, max 22404)'
ok $? "legend: samples, overflows and max as in the file"
is "$(grep -c '^line tag .*"max [0-9]*' "$TMP/h.layout")" 2 "each thread's max marked"

# several files in one figure, PNG and SVG
"$RTLENS" plot -o "$TMP/two.svg" "$D/rec1.json" "$D/rec2.hist"
ok $? "two files in one SVG"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMP/two.svg"
	ok $? "the SVG parses"
	is "$(xmllint --xpath 'count(//*[local-name()="polyline"][@class="curve"])' "$TMP/two.svg")" 4 \
		"four curves (2 threads x 2 files)"
else
	skip "xmllint not installed (Debian libxml2-utils)"
	skip "xmllint not installed"
fi
grep -q 'rec2.hist: thread 1' "$TMP/two.svg"
ok $? "series labelled by file"
"$RTLENS" plot -o "$TMP/two.png" "$D/rec1.json" "$D/rec2.hist"
is "$(od -An -c -N4 "$TMP/two.png" | tr -d ' ')" '211PNG' "PNG"
"$RTLENS" plot -o "$TMP/two2.png" "$D/rec1.json" "$D/rec2.hist"
cmp -s "$TMP/two.png" "$TMP/two2.png"
ok $? "the same PNG twice"

# CCDF: p99 marked where the latency report puts it, p99.9 unknown (among the overflows)
"$RTLENS" plot --ccdf --format layout -o "$TMP/c.layout" "$D/rec1.json"
ok $? "--ccdf of cyclictest exits 0"
grep -q '^text title .*"fraction of samples > x"' "$TMP/c.layout"
ok $? "exceedance axis"
p99=$("$RTLENS" latency -q --format csv "$D/rec1.json" | awk -F, 'NR == 2 { print $15 + 0 }')
grep -q "\"thread 0 (cpu 0): p99 $p99\"" "$TMP/c.layout"
ok $? "thread 0's p99 mark at the report's p99 ($p99 us)"
grep -qF '"thread 0 (cpu 0): p99.9' "$TMP/c.layout"
is "$?" 1 "no p99.9 mark: it lies among the overflows"
grep -q '"128 samples >= 400, values unknown (max 22404)"' "$TMP/c.layout"
ok $? "the overflows drawn as a dashed part, said so"
"$RTLENS" plot --ccdf --no-markers --format layout -o "$TMP/c0.layout" "$D/rec1.json"
is "$(grep -c 'p99' "$TMP/c0.layout")" 0 "--no-markers"

# 12 series: full labels (common prefix and suffix in a heading), all distinct
awk 'BEGIN { print "group,cpu,value"; for (g = 1; g <= 12; g++) for (i = 1; i <= 200; i++)
	printf "host=qemu_scheduler=GSN-EDF_trace=experiment-run-%02d_cpu=all,,%d\n", g, 1000 * g + (i * 7919) % 5000 }' >"$TMP/g12.csv"
"$RTLENS" plot --ccdf --by group --format layout -o "$TMP/g12.layout" "$TMP/g12.csv"
ok $? "12-series CCDF exits 0"
is "$(grep -c '^poly curve' "$TMP/g12.layout")" 12 "12 curves"
is "$(awk '$1 == "poly" && $2 == "curve" { print $4, ($5 ~ /^f=/ ? $5 : "-") }' "$TMP/g12.layout" | sort -u | wc -l)" 12 \
	"12 distinct colour x line-style pairs"
heading=$(awk -F'"' '/^text legend/ && $2 !~ /\(n=/ { printf "%s", $2 }' "$TMP/g12.layout")
is "$heading" "host=qemu_scheduler=GSN-EDF_trace=experiment-run- …_cpu=all" "the heading holds the common prefix and suffix"
got=$(awk -F'"' '/^text legend/ && $2 ~ /\(n=/ { sub(/ \(n=.*/, "", $2); printf "%s ", $2 }' "$TMP/g12.layout")
is "$got" "01 02 03 04 05 06 07 08 09 10 11 12 " "each entry keeps what differs"
awk -F'[ "]' '/^text legend/ { x = $3; s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); if (x + length(s) * 11 * 0.56 > 800) bad++ } END { exit bad > 0 }' "$TMP/g12.layout"
ok $? "no legend line runs past the canvas"
# a long label that shares nothing is wrapped, not cut
printf 'value\n1\n2\n3\n' >"$TMP/x.csv"
long="a-very-long-label-for-a-latency-series-recorded-on-the-guest-vm-with-preempt-rt"
"$RTLENS" plot --format layout --label "$long" -o "$TMP/long.layout" "$TMP/x.csv"
is "$(awk -F'"' '/^text legend/ { printf "%s", $2 }' "$TMP/long.layout")" "$long (n=3)" "a long label wrapped, every character kept"

# a column named with its unit gives the axis its unit
printf 'id,lat_ns\n1,5\n2,7\n' >"$TMP/u.csv"
"$RTLENS" plot --format layout -o "$TMP/u.layout" "$TMP/u.csv"
grep -q '^text title .*"lat (ns)"' "$TMP/u.layout"
ok $? "column lat_ns: x label 'lat (ns)'"
"$RTLENS" plot --format layout -o "$TMP/r4.layout" "$D/rec4.json" 2>"$TMP/err"
is "$?" 1 "cyclictest run without -h: nothing to plot, exit 1"
grep -q "rec4.json: warning: no sample inside a histogram" "$TMP/err"
ok $? "saying why"

# OSADL-style histogram of samples from CSV (not a histogram file): 1-unit bins, log counts
"$RTLENS" plot --hist --log-y --bin-width 1 --format layout -o "$TMP/sb.layout" "$TMP/x.csv"
ok $? "--hist --log-y --bin-width of CSV samples"
"$RTLENS" plot --hist --bin-width 0 -o "$TMP/z.png" "$TMP/x.csv" 2>/dev/null
is "$?" 2 "--bin-width 0: usage error"

if [ -d "$SHARED/testdata" ]; then
	# response times: a jobs -m table (ms) gives the same axis as the ns table
	Q=$SHARED/testdata/litmus/recorded-qemu/schedule_host=qemu_scheduler=GSN-EDF_trace=demo_cpu
	"$RTLENS" jobs -o "$TMP/ns.csv" "$Q=0.bin" "$Q=1.bin" "$Q=2.bin" "$Q=3.bin" 2>/dev/null
	"$RTLENS" jobs -m -o "$TMP/ms.csv" "$Q=0.bin" "$Q=1.bin" "$Q=2.bin" "$Q=3.bin" 2>/dev/null
	"$RTLENS" plot --response-times --format layout -o "$TMP/ns.layout" "$TMP/ns.csv"
	"$RTLENS" plot --response-times --format layout -o "$TMP/ms.layout" "$TMP/ms.csv"
	same_file "$TMP/ms.layout" "$TMP/ns.layout" "--response-times: the -m table plots exactly as the ns table"
	# trace.dat latency samples as a CCDF: one curve per series, n as the report says
	T=$SHARED/testdata/ftrace/sched-v6.dat
	"$RTLENS" latency --samples wakeup -n cyclictest "$T" >"$TMP/w.csv"
	"$RTLENS" plot --ccdf --by group --scale 0.001 --format layout -o "$TMP/w.layout" "$TMP/w.csv"
	ok $? "trace.dat wake-up samples as a CCDF"
	"$RTLENS" latency --format csv -n cyclictest "$T" |
		awk -F, '$1 == "wakeup" && $6 > 0 { n++ } END { print n }' >"$TMP/nser"
	is "$(grep -c '^poly curve' "$TMP/w.layout")" "$(cat "$TMP/nser")" "one curve per wake-up series with samples"
else
	skip "shared test data absent: response-time units and trace.dat CCDF not checked"
	skip "shared test data absent"
	skip "shared test data absent"
fi
finish
