#!/bin/sh
# rtlens plot: CDF and histogram layouts of generated samples (goldens), the
# response-time CDF of real traces, and bad input.
. "$(dirname "$0")/lib.sh"

# samples generated here: ft2csv-like 'start, end, delta' lines, no header
awk 'BEGIN { for (i = 1; i <= 500; i++) printf "%d, %d, %d\n", i * 1000, i * 1000 + (i * 37) % 101 + 5, (i * 37) % 101 + 5 }' >"$TMP/a.csv"
# with a header and a named column, one bad row, one empty field
{
	echo "# comment"
	echo "id,note,cost_us"
	awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "%d,x,%.3f\n", i, 1 + (i * i % 997) / 10 }'
	echo "3001,x,n/a"
	echo "3002,x,"
} >"$TMP/b.csv"

"$RTLENS" plot --format layout -o "$TMP/cdf.layout" "$TMP/a.csv" -c cost_us "$TMP/b.csv" 2>"$TMP/err"
is "$?" 1 "a named column missing from a header-less file: exit 1"
grep -q "a.csv:1: error: column 'cost_us' named, but the file has no header" "$TMP/err"
ok $? "says which file and line"

"$RTLENS" plot --format layout -o "$TMP/cdf.layout" --label ft2csv-like --label "with header" \
	--unit us --title "CDF test" "$TMP/a.csv" "$TMP/b.csv" 2>"$TMP/err"
ok $? "CDF of two series exits 0"
golden "$TMP/cdf.layout" plot-cdf.layout.expect
grep -q "1 of 3002 rows had no number" "$TMP/err"
ok $? "the non-numeric row is counted in a warning"
grep -q "1 rows with an empty field skipped" "$TMP/err"
ok $? "the empty field is counted in a warning"
grep -q '^text legend .*"ft2csv-like (n=500)"' "$TMP/cdf.layout" &&
	grep -q '^text legend .*"with header (n=3000)"' "$TMP/cdf.layout"
ok $? "legend labels carry the sample counts"
grep -q '^text title .*"cost_us (us)"' "$TMP/cdf.layout"
ok $? "x label: the (last) column's header name with the unit"
last=$(sed -n 's/^poly curve .* \([0-9.]*,[0-9.]*\) w=.*/\1/p' "$TMP/cdf.layout" | head -1)
is "${last#*,}" "48.00" "the first CDF curve ends at the top of the plot (y = 1)"

"$RTLENS" plot --format layout -o "$TMP/hist.layout" --hist --bins 20 -c 3 "$TMP/b.csv" 2>/dev/null
ok $? "histogram exits 0"
golden "$TMP/hist.layout" plot-hist.layout.expect
n=$(awk '$1 == "rect" && $2 == "bar" { s += ($NF ~ /^n=/ ? substr($NF, 3) : 0) } END { print s }' "$TMP/hist.layout")
n1=$(awk '$1 == "rect" && $2 == "bar" && $NF !~ /^n=/ { c++ } END { print c + 0 }' "$TMP/hist.layout")
is "$((n + n1))" 3000 "histogram bars count all 3000 samples"

"$RTLENS" plot --format layout -o "$TMP/log.layout" --log-x "$TMP/a.csv" 2>/dev/null
ok $? "log-x CDF exits 0"
golden "$TMP/log.layout" plot-logx.layout.expect

"$RTLENS" plot --format svg -o "$TMP/p.svg" "$TMP/a.csv" "$TMP/b.csv" 2>/dev/null
ok $? "SVG plot exits 0"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMP/p.svg"
	ok $? "plot SVG parses"
	is "$(xmllint --xpath 'count(//*[local-name()="polyline"][@class="curve"])' "$TMP/p.svg")" 2 \
		"two curves"
else
	skip "xmllint not installed (Debian libxml2-utils)"
fi
"$RTLENS" plot -o "$TMP/p.pdf" "$TMP/a.csv"
is "$(head -c 5 "$TMP/p.pdf")" "%PDF-" "PDF plot"
"$RTLENS" plot -o "$TMP/p.png" "$TMP/a.csv"
is "$(od -An -c -N4 "$TMP/p.png" | tr -d ' ')" '211PNG' "PNG plot"
is "$(od -An -tu1 -j16 -N8 "$TMP/p.png" | tr -s ' ')" " 0 0 3 32 0 0 1 244" "PNG plot is 800x500"

# ft2csv -r output: native float32 (1.0, 2.0, 4.0 little-endian) and one stray byte
printf '\000\000\200\077\000\000\000\100\000\000\200\100\001' >"$TMP/s.f32"
"$RTLENS" plot --float32 --format layout -o "$TMP/f32.layout" "$TMP/s.f32" 2>"$TMP/err"
ok $? "--float32 input exits 0"
grep -q '"s.f32: n=3, min 1, median 2, max 4"' "$TMP/f32.layout"
ok $? "three float32 samples read: 1, 2, 4"
grep -q 's.f32:0xc: warning: trailing 1 bytes' "$TMP/err"
ok $? "the stray byte is reported with its offset"

# bad input
: >"$TMP/empty.csv"
"$RTLENS" plot -o "$TMP/e.png" "$TMP/empty.csv" 2>"$TMP/err"
is "$?" 1 "no samples: exit 1"
grep -q 'nothing to plot' "$TMP/err"
ok $? "says there is nothing to plot"
test ! -e "$TMP/e.png"
ok $? "and writes nothing"
"$RTLENS" plot -o "$TMP/x.gif" "$TMP/a.csv" 2>"$TMP/err"
is "$?" 2 "unknown extension: exit 2"
"$RTLENS" plot -o "$TMP/x.png" "$TMP/nosuch.csv" 2>"$TMP/err"
is "$?" 1 "missing file: exit 1"
grep -q 'nosuch.csv: error: cannot open' "$TMP/err"
ok $? "names the file"
"$RTLENS" plot -o "$TMP/x.png" -c nosuch "$TMP/b.csv" 2>"$TMP/err"
is "$?" 1 "unknown column: exit 1"
grep -q "b.csv:2: error: no column 'nosuch'" "$TMP/err"
ok $? "names the file, line and column"
"$RTLENS" plot --response-times -o "$TMP/x.png" "$TMP/a.csv" 2>"$TMP/err"
is "$?" 1 "--response-times on a file that is not jobs output: exit 1"
"$RTLENS" plot --bins 0 -o "$TMP/x.png" "$TMP/a.csv" 2>"$TMP/err"
is "$?" 2 "--bins 0: exit 2"
"$RTLENS" plot --help >/dev/null
ok $? "--help exits 0"

# response-time CDF per task from `rtlens jobs` on the real traces
if [ -d "$SHARED/testdata" ]; then
	Q=$SHARED/testdata/litmus/recorded-qemu
	for s in GSN-EDF PSN-EDF PFAIR; do
		"$RTLENS" jobs -o "$TMP/jobs-$s.csv" "$Q/schedule_host=qemu_scheduler=${s}_trace=demo_cpu=0.bin" \
			"$Q/schedule_host=qemu_scheduler=${s}_trace=demo_cpu=1.bin" \
			"$Q/schedule_host=qemu_scheduler=${s}_trace=demo_cpu=2.bin" \
			"$Q/schedule_host=qemu_scheduler=${s}_trace=demo_cpu=3.bin" 2>/dev/null
		"$RTLENS" plot --response-times --format layout -o "$TMP/rt.layout" "$TMP/jobs-$s.csv"
		ok $? "$s: response-time CDF exits 0"
		is "$(grep -c '^poly curve' "$TMP/rt.layout")" 10 "$s: one curve per task (10 rtspin tasks)"
		want=$(awk -F, 'NR > 1 && $7 != "" { n++ } END { print n }' "$TMP/jobs-$s.csv")
		got=$(awk '$1 == "poly" && $2 == "curve" { for (i = 1; i <= NF; i++) if ($i ~ /^n=[0-9]+$/) s += substr($i, 3) } END { print s }' "$TMP/rt.layout")
		is "$got" "$want" "$s: the curves hold every job with a response time ($want)"
	done
	"$RTLENS" plot --response-times -o "$TMP/rt.png" "$TMP/jobs-GSN-EDF.csv"
	ok $? "response-time CDF as PNG"
	# the CSV names its unit (response_ns, response_ms with -m): the same axis from both
	q=$(for c in 0 1 2 3; do printf '%s ' "$Q/schedule_host=qemu_scheduler=GSN-EDF_trace=demo_cpu=$c.bin"; done)
	"$RTLENS" jobs -m -o "$TMP/jobs-ms.csv" $q 2>/dev/null
	is "$(head -1 "$TMP/jobs-ms.csv" | cut -d, -f4-7)" "release_ms,deadline_ms,completion_ms,response_ms" \
		"jobs -m: time columns named _ms"
	is "$(head -1 "$TMP/jobs-GSN-EDF.csv" | cut -d, -f4-7)" "release_ns,deadline_ns,completion_ns,response_ns" \
		"jobs: time columns named _ns"
	"$RTLENS" plot --response-times --format layout -o "$TMP/rt-ms.layout" "$TMP/jobs-ms.csv"
	"$RTLENS" plot --response-times --format layout -o "$TMP/rt-ns.layout" "$TMP/jobs-GSN-EDF.csv"
	same_file "$TMP/rt-ms.layout" "$TMP/rt-ns.layout" "plot reads response_ms and response_ns: the same picture"
else
	skip "shared test data absent: response-time CDF of real traces not checked"
fi
finish
