#!/bin/sh
# rtlens latency on cyclictest results (testdata/cyclictest: real rt-tests 2.4
# runs): every number checked against awk over the files themselves, the
# histogram text and the JSON of the same run agreeing, and the numbers
# cyclictest printed on its last status line.
. "$(dirname "$0")/lib.sh"

D=$RL_SRCDIR/testdata/cyclictest

# awk over a -h histogram text: per thread samples,min,max,median,p90,p95,p99,p99.9,overflows
# (us, %.5f as the report; numpy-linear ranks over total + overflows, the
# overflows sorted last with unknown values: a quantile that needs one is empty)
hist_stats() {
	awk '
	/^# Min Latencies:/ { for (i = 4; i <= NF; i++) mn[i - 4] = $i + 0 }
	/^# Max Latencies:/ { for (i = 4; i <= NF; i++) mx[i - 4] = $i + 0 }
	/^# Histogram Overflows:/ { for (i = 4; i <= NF; i++) ov[i - 4] = $i + 0 }
	/^[0-9]/ { nb++; v[nb] = $1 + 0; nt = NF - 1; for (t = 0; t < nt; t++) c[t, nb] = $(t + 2) + 0 }
	function nth(t, k,   b, s) { s = 0; for (b = 1; b <= nb; b++) { if (k - s < c[t, b]) return v[b]; s += c[t, b] } }
	function q(t, p,   n, tot, b, h, lo, g, a, bb) {
		tot = 0; for (b = 1; b <= nb; b++) tot += c[t, b]
		n = tot + ov[t]; h = p * (n - 1); lo = int(h); g = h - lo
		if (lo >= tot || (g > 0 && lo + 1 >= tot)) return ""
		a = nth(t, lo); bb = g > 0 ? nth(t, lo + 1) : a
		return sprintf("%.5f", a + g * (bb - a))
	}
	END {
		for (t = 0; t < nt; t++) {
			tot = 0; for (b = 1; b <= nb; b++) tot += c[t, b]
			printf "%d,%.5f,%.5f,%s,%s,%s,%s,%s,%d\n", tot + ov[t], mn[t], mx[t], q(t, 0.5), q(t, 0.9), q(t, 0.95), q(t, 0.99), q(t, 0.999), ov[t]
		}
	}' "$1"
}
# the same columns of rtlens' CSV report
report_cols() {
	awk -F, 'NR > 1 { print $6 "," $7 "," $8 "," $10 "," $13 "," $14 "," $15 "," $16 "," $17 }'
}

for r in rec1 rec2; do
	"$RTLENS" latency -q --format csv "$D/$r.hist" >"$TMP/$r-hist.csv"
	ok $? "$r.hist: latency report exits 0"
	hist_stats "$D/$r.hist" >"$TMP/$r-awk"
	report_cols <"$TMP/$r-hist.csv" >"$TMP/$r-got"
	same_file "$TMP/$r-got" "$TMP/$r-awk" "$r.hist: n, min, max, percentiles, overflows as awk computes them"
	"$RTLENS" latency -q --format csv "$D/$r.json" >"$TMP/$r-json.csv"
	ok $? "$r.json: latency report exits 0"
	report_cols <"$TMP/$r-json.csv" >"$TMP/$r-got-json"
	same_file "$TMP/$r-got-json" "$TMP/$r-awk" "$r.json gives the same numbers as the text of the same run"
done

# the JSON itself: cycles, min, max per thread; overflow = cycles - sum(histogram)
awk '/"histogram": \{/ { inh = 1; s = 0; next }
	inh && /\}/ { inh = 0; next }
	inh { gsub(/[",]/, ""); s += $2; next }
	/"cycles":/ { gsub(/,/, ""); cy = $2 }
	/"min":/ { gsub(/,/, ""); mn = $2 }
	/"max":/ { gsub(/,/, ""); printf "%d,%.5f,%.5f,%d\n", cy, mn, $2, cy - s }' "$D/rec1.json" >"$TMP/j-awk"
awk -F, 'NR > 1 { print $6 "," $7 "," $8 "," $17 }' "$TMP/rec1-json.csv" >"$TMP/j-got"
same_file "$TMP/j-got" "$TMP/j-awk" "rec1.json: cycles, min, max and cycles - sum(histogram) as in the file"
is "$(cut -d, -f1,3,4 "$TMP/rec1-json.csv" | tail -n 2 | tr '\n' ' ')" \
	"cyclictest,0,0 cyclictest,1,1 " "rec1.json: one row per thread with the thread's cpu"

# cyclictest's own last status line: thread 0 of rec1 ended there (C: 100000)
set -- $(grep '^T: 0 ' "$D/rec1.stdout" | sed 's/.*C: *\([0-9]*\) Min: *\([0-9]*\) .*Max: *\([0-9]*\)/\1 \2 \3/')
is "$(awk -F, 'NR == 2 { print $6, $7 + 0, $8 + 0 }' "$TMP/rec1-hist.csv")" "$1 $2 $3" \
	"rec1 thread 0: count, min and max as cyclictest printed them ($1, $2, $3)"

# rec5: --nsecs. The text has no unit (the same lines, ns values in 1 ns
# buckets): read as ns because every thread's Min >= 1000, noted; the JSON of
# the same run (resolution_in_ns 1) gives the same numbers, and awk over the
# decompressed text gives them in ns (x 1e-3 for the report's us)
"$RTLENS" latency --format csv "$D/rec5.hist.zst" >"$TMP/rec5-hist.csv" 2>"$TMP/err5"
ok $? "rec5.hist.zst (--nsecs text, zstd): exits 0"
grep -q "rec5.hist.zst: note: text histogram read as ns" "$TMP/err5"
ok $? "a note says the text was read as ns"
"$RTLENS" latency -q --format csv "$D/rec5.json" >"$TMP/rec5-json.csv"
report_cols <"$TMP/rec5-hist.csv" >"$TMP/rec5-got"
report_cols <"$TMP/rec5-json.csv" >"$TMP/rec5-got-json"
same_file "$TMP/rec5-got" "$TMP/rec5-got-json" "rec5: the --nsecs text gives the JSON's numbers"
if command -v zstd >/dev/null 2>&1; then
	zstd -q -dc "$D/rec5.hist.zst" >"$TMP/rec5.hist"
	hist_stats "$TMP/rec5.hist" | awk -F, -v OFS=, '{ for (i = 2; i <= 8; i++) if ($i != "") $i = sprintf("%.5f", $i / 1000); print }' >"$TMP/rec5-awk"
	same_file "$TMP/rec5-got" "$TMP/rec5-awk" "rec5: n, min, max, percentiles, overflows as awk computes them in ns"
else
	skip "zstd absent: rec5 text not checked with awk"
fi
set -- $(grep '^T: 1 ' "$D/rec5.stdout" | sed 's/.*C: *\([0-9]*\) Min: *\([0-9]*\) .*Max: *\([0-9]*\)/\1 \2 \3/')
is "$(awk -F, 'NR == 3 { printf "%d %.0f %.0f", $6, $7 * 1000, $8 * 1000 }' "$TMP/rec5-hist.csv")" "$1 $2 $3" \
	"rec5 thread 1: count, min and max in ns as cyclictest printed them ($1, $2, $3)"
"$RTLENS" latency --format csv "$D/rec3.hist" 2>"$TMP/err3" | awk -F, 'NR == 2 { print $7, $8 }' >"$TMP/rec3-mm"
is "$(cat "$TMP/rec3-mm")" "5.42900 536.52500" "rec3.hist (--nsecs, every sample above -H 400 ns): min and max in us, not 1000x"
# a us text whose Avg is >= 1000 (a ms mean): read as us, with a warning and exit 1
awk 'BEGIN { print "# Histogram"; print "000000 000000"; print "000001 000001"
	print "# Total: 000000001"; print "# Min Latencies: 00001"; print "# Avg Latencies: 01500"
	print "# Max Latencies: 03000"; print "# Histogram Overflows: 00001"
	print "# Histogram Overflow at cycle number:"; print "# Thread 0: 00001" }' >"$TMP/doubt.hist"
"$RTLENS" latency --format csv "$TMP/doubt.hist" >"$TMP/doubt.csv" 2>"$TMP/err"
is "$?" 1 "a text with Min 1 but Avg 1500: exit 1"
grep -q "warning: text histogram read as us, but thread 0 has Avg 1500" "$TMP/err"
ok $? "with a warning naming the thread"
is "$(awk -F, 'NR == 2 { print $7, $8 }' "$TMP/doubt.csv")" "1.00000 3000.00000" "and the report in us"

# rec4: -q without -h: no histogram, so only n, min, max and mean are known
"$RTLENS" latency --format json "$D/rec4.json" >"$TMP/rec4.json" 2>"$TMP/err"
ok $? "rec4.json (no histogram): exits 0"
grep -q '"n":2893,"min":8.000000,"max":2947.000000,"mean":20.960000,"median":null' "$TMP/rec4.json"
ok $? "rec4 thread 1: n, min, max and cyclictest's avg; median unknown (null)"
grep -q "rec4.json: note: thread 1: no sample in a histogram" "$TMP/err"
ok $? "and a note says why"

# several files in one call: rows labelled by file, in the order given
"$RTLENS" latency -q "$D/rec1.json" "$D/rec2.hist" "$D/rec4.json" >"$TMP/multi.txt"
ok $? "three files in one report"
is "$(awk 'NR > 1 { printf "%s/%s ", $2, $3 }' "$TMP/multi.txt")" \
	"rec1.json/0 rec1.json/1 rec2.hist/0 rec2.hist/1 rec4.json/0 rec4.json/1 " "labelled by file and thread"
mkdir -p "$TMP/host" "$TMP/guest"
cp "$D/rec1.json" "$TMP/host/run.json"
cp "$D/rec2.json" "$TMP/guest/run.json"
"$RTLENS" latency -q --format csv "$TMP/host/run.json" "$TMP/guest/run.json" >"$TMP/hg.csv"
is "$(cut -d, -f2 "$TMP/hg.csv" | sed -n '2p;4p' | sed 's|.*/\([a-z]*/run.json\)|\1|' | tr '\n' ' ')" \
	"host/run.json guest/run.json " "equal base names: labelled by path"

# --cpu keeps the threads bound to those CPUs (JSON has the cpu)
"$RTLENS" latency -q --format csv --cpu 1 "$D/rec2.json" >"$TMP/cpu1.csv"
is "$(cut -d, -f3,4 "$TMP/cpu1.csv" | tail -n +2 | tr '\n' ' ')" "1,1 " "--cpu 1: thread 1 only"

# --cdf: counts from the histogram, the last row at the max with every sample
"$RTLENS" latency --cdf "$D/rec2.json" >"$TMP/cdf.csv"
ok $? "--cdf exits 0"
want=$(awk '!/^#/ { s += $2 } END { print s }' "$D/rec2.hist")
is "$(awk -F, '$1 ~ /thread=0/ && $5 == 19000 { print $6 }' "$TMP/cdf.csv")" "$want" \
	"--cdf: count_le at 19 us equals the histogram's in-range total ($want)"
is "$(awk -F, '$1 ~ /thread=0/ { l = $5 "," $6 "," $7 } END { print l }' "$TMP/cdf.csv")" \
	"423000,10000,1.000000000" "--cdf: the last row is the max, all 10000 samples"
"$RTLENS" latency --hist 1000 "$D/rec1.hist" >"$TMP/h.csv"
ok $? "--hist exits 0"
is "$(awk -F, '$1 ~ /thread=1/ { s += $7 } END { print s }' "$TMP/h.csv")" 99975 \
	"--hist: thread 1's bins and overflow row hold all 99975 samples"
is "$(awk -F, '$1 ~ /thread=1/ { l = $5 "," $6 "," $7 } END { print l }' "$TMP/h.csv")" \
	"400000,18354000,182" "--hist: the overflow row spans 400 us to the max"

# no overflow: every statistic exact (a histogram made here; awk computes them)
awk 'BEGIN { print "# Histogram"; n = 0; s = 0
	for (b = 0; b < 50; b++) { c = (b >= 3) ? int(1000 / (1 + (b - 10) * (b - 10))) : 0
		printf "%06d %06d\n", b, c; n += c; s += b * c; if (c && !mn) mn = b + (b == 0); if (c) mx = b }
	printf "# Total: %09d\n# Min Latencies: %05d\n# Avg Latencies: %05d\n# Max Latencies: %05d\n", n, mn, int(s / n), mx
	print "# Histogram Overflows: 00000"; print "# Histogram Overflow at cycle number:"; print "# Thread 0:" }' >"$TMP/gen.hist"
awk '/^[0-9]/ { v = $1 + 0; c = $2 + 0; n += c; s += v * c; ss += v * v * c }
	END { m = s / n; printf "%.5f,%.5f,%.5f\n", m, sqrt((ss - n * m * m) / (n - 1)), (ss - n * m * m) / n * 1e-3 * 1e-3 * 1e6 }' \
	"$TMP/gen.hist" >"$TMP/gen-awk"
"$RTLENS" latency --format csv "$TMP/gen.hist" >"$TMP/gen.csv" 2>"$TMP/err"
ok $? "generated histogram without overflow: exits 0"
awk -F, 'NR == 2 { print $9 "," $11 "," $12 }' "$TMP/gen.csv" >"$TMP/gen-got"
same_file "$TMP/gen-got" "$TMP/gen-awk" "no overflow: mean, stddev and var exact (as awk)"
is "$(hist_stats "$TMP/gen.hist")" "$(report_cols <"$TMP/gen.csv")" "no overflow: every percentile known"
test ! -s "$TMP/err"
ok $? "and no note"

# determinism, --format table|csv|json, bad input
"$RTLENS" latency -q --format json "$D/rec1.json" >"$TMP/a.json"
"$RTLENS" latency -q --format json "$D/rec1.json" >"$TMP/b.json"
same_file "$TMP/a.json" "$TMP/b.json" "the same output twice"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["series"]) == 2 and d["series"][0]["overflows"] == 128' "$TMP/a.json"
	ok $? "JSON parses: two series, 128 overflows in thread 0"
else
	skip "python3 absent: JSON not parsed"
fi
"$RTLENS" latency -q --samples cyclictest "$D/rec1.json" 2>"$TMP/err"
is "$?" 2 "--samples on histograms: usage error (exit 2)"
grep -q "cyclictest keeps counts" "$TMP/err"
ok $? "saying why"
"$RTLENS" latency "$D/rec1.json" "$RL_SRCDIR/testdata/cyclictest/README.md" 2>"$TMP/err"
is "$?" 2 "cyclictest results mixed with another file: exit 2"
head -c 3000 "$D/rec1.json" >"$TMP/cut.json"
"$RTLENS" latency "$TMP/cut.json" 2>"$TMP/err"
is "$?" 1 "a truncated JSON file: exit 1"
grep -q "cut.json:0x" "$TMP/err"
ok $? "with a located error"
# a stdout capture without -q (rec6): status lines redrawn for the whole run,
# the histogram past the first 64 KiB; read like the run's JSON (before:
# "unrecognised trace format")
"$RTLENS" latency --format csv "$D/rec6.stdout" >"$TMP/r6s.csv" 2>/dev/null
is "$?" 0 "a long stdout capture without -q is read"
"$RTLENS" latency --format csv "$D/rec6.json" >"$TMP/r6j.csv" 2>/dev/null
is "$(awk -F, 'NR > 1 { print $3, $6, $7, $8, $NF }' "$TMP/r6s.csv")" \
	"$(awk -F, 'NR > 1 { print $3, $6, $7, $8, $NF }' "$TMP/r6j.csv")" \
	"rec6 stdout = its JSON: per thread samples, min, max, overflows"
finish
