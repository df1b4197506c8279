#!/bin/sh
# rtlens latency on timerlat / osnoise recordings. GENERATED traces, not real
# ones: the build machine's kernel has no timerlat or osnoise tracer
# (available_tracers is "blk function nop"), so no `trace-cmd record -p
# timerlat` can be made here. gen-trace-dat -w timerlat writes what it would
# record (the ftrace:timerlat/osnoise/hwlat entry formats as that kernel's
# format files give them, the osnoise:*_noise tracepoints laid out as
# include/trace/events/osnoise.h defines them), the same records as tracefs
# text (-f ftrace), and the truth per activation (-G).
. "$(dirname "$0")/lib.sh"

GEN=$RL_BUILD/gen-trace-dat
"$GEN" -w timerlat -n 4000 -c 2 -s 7 -G "$TMP/truth.csv" -o "$TMP/tl.dat"
ok $? "generated a timerlat trace.dat (2 CPUs, 2000 activations each) and its truth"
"$GEN" -w timerlat -n 4000 -c 2 -s 7 -f ftrace -o "$TMP/tl.txt"
ok $? "and the same records as tracefs text"

# the per-activation breakdown equals the truth, from both files
for f in tl.dat tl.txt; do
	"$RTLENS" latency --samples activation "$TMP/$f" >"$TMP/$f.act" 2>"$TMP/err"
	ok $? "$f: --samples activation exits 0"
	test ! -s "$TMP/err"
	ok $? "$f: no warning"
	tail -n +2 "$TMP/$f.act" | cut -d, -f1,2,4-13 | sort >"$TMP/got"
	tail -n +2 "$TMP/truth.csv" | sort >"$TMP/want"
	same_file "$TMP/got" "$TMP/want" "$f: every activation: irq and thread latency, noise by source (ns, count) as generated"
done
is "$(awk -F, 'NR > 1 && $14 != $5 - $6 - $8 - $10 - $12 { n++ } END { print n + 0 }' "$TMP/tl.dat.act")" 0 \
	"unexplained_ns = thread_ns minus the noise"
is "$(awk -F, 'NR > 1 && $11 > 0 && $15 !~ /^hog\/[01]:1[01]99$/ { n++ } END { print n + 0 }' "$TMP/tl.dat.act")" 0 \
	"the blocking thread is named comm:pid where there was thread noise"
is "$(awk -F, 'NR > 1 && $3 + $4 != 1000000000 + ($1 * 333) + $2 * 1000000 + $4 { n++ } END { print n + 0 }' "$TMP/tl.dat.act")" 0 \
	"expiry_ns is the timer's due time (IRQ sample time minus its latency)"

# the distributions: the text (osnoise and hwlat entries as tracefs prints
# them: a table row, "#SEQ inner/outer(us): IN/OUT ...") and the trace.dat agree
"$RTLENS" latency --format csv "$TMP/tl.dat" >"$TMP/dat.csv"
ok $? "tl.dat: latency report exits 0"
"$RTLENS" latency --format csv "$TMP/tl.txt" >"$TMP/txt.csv" 2>"$TMP/err"
ok $? "tl.txt: latency report exits 0"
test ! -s "$TMP/err"
ok $? "tl.txt: no warning"
same_file "$TMP/txt.csv" "$TMP/dat.csv" "text and trace.dat: the same series and statistics"
# counts, min and max per CPU from the truth
for k in irq thread; do
	col=$([ $k = irq ] && echo 3 || echo 4)
	awk -F, -v c=$col 'NR > 1 { n[$1]++; if (!($1 in mn) || $c < mn[$1]) mn[$1] = $c; if ($c > mx[$1]) mx[$1] = $c }
		END { for (i = 0; i < 2; i++) printf "%d,%d,%.5f,%.5f\n", i, n[i], mn[i] / 1000, mx[i] / 1000 }' \
		"$TMP/truth.csv" >"$TMP/want"
	awk -F, -v e=timerlat_$k '$1 == e { print $2 "," $5 "," $6 "," $7 }' "$TMP/dat.csv" >"$TMP/got"
	same_file "$TMP/got" "$TMP/want" "timerlat_$k per CPU: n, min, max as generated"
done
is "$(awk -F, '$1 == "irq_noise" { s += $5 } END { print s }' "$TMP/dat.csv")" \
	"$(awk -F, 'NR > 1 { s += $6 } END { print s }' "$TMP/truth.csv")" "irq_noise: one sample per record"
is "$(awk -F, '$1 == "irq_noise" { printf "%s/%s ", $2, $5 }' "$TMP/dat.csv" | cut -d' ' -f2)" \
	"236/4000" "the timer interrupt (vector 236) in every activation"
is "$(awk -F, '$1 == "softirq_noise" { print $2, $3 }' "$TMP/dat.csv")" "1 TIMER" "softirq_noise named by vector"
is "$(awk -F, '$1 == "thread_noise" { printf "%s:%s ", $3, $2 }' "$TMP/dat.csv")" "hog/0:1099 hog/1:1199 " \
	"thread_noise per task (comm, pid)"
is "$(awk -F, '$1 == "osnoise" || $1 == "hwlat" { printf "%s/%s/%s ", $1, $2, $5 }' "$TMP/dat.csv")" \
	"osnoise/0/20 osnoise/1/20 hwlat/0/20 " "osnoise: one record per 100 activations and CPU; hwlat on cpu 0"
"$RTLENS" latency --format csv --events timerlat_thread "$TMP/tl.dat" >"$TMP/thr.csv"
is "$(cut -d, -f1,2 "$TMP/thr.csv" | tr '\n' ' ')" "event,id timerlat_thread,0 timerlat_thread,1 " \
	"--events timerlat_thread: only that kind"

# the same samples as a cyclictest --nsecs histogram (1 ns buckets, one
# column per CPU, no overflow): the same statistics as from the trace
awk -F, 'NR > 1 { c[$1, $4]++; if ($4 > mx) mx = $4; if (!($1 in mn) || $4 < mn[$1]) mn[$1] = $4; if ($4 > m[$1]) m[$1] = $4; n[$1]++; s[$1] += $4 }
	END { print "# Histogram"
		for (b = 0; b <= mx; b++) printf "%06d %06d\t%06d\n", b, c[0, b], c[1, b]
		printf "# Total: %09d %09d\n# Min Latencies: %05d %05d\n", n[0], n[1], mn[0], mn[1]
		printf "# Avg Latencies: %05d %05d\n", int(s[0] / n[0]), int(s[1] / n[1])
		printf "# Max Latencies: %05d %05d\n# Histogram Overflows: 00000 00000\n", m[0], m[1]
		print "# Histogram Overflow at cycle number:"; print "# Thread 0:"; print "# Thread 1:" }' \
	"$TMP/truth.csv" >"$TMP/thread.hist"
"$RTLENS" latency --format csv "$TMP/thread.hist" >"$TMP/hist.csv" 2>"$TMP/err"
ok $? "the cyclictest-style histogram of the thread latencies: exits 0"
grep -q "read as ns" "$TMP/err"
ok $? "read as ns (--nsecs)"
awk -F, 'NR > 1 { print $3 "," $6 "," $7 "," $8 "," $9 "," $10 "," $11 "," $12 "," $13 "," $14 "," $15 "," $16 }' "$TMP/hist.csv" >"$TMP/h"
# (one kind only: the report has no name column)
awk -F, 'NR > 1 { print $2 "," $4 "," $5 "," $6 "," $7 "," $8 "," $9 "," $10 "," $11 "," $12 "," $13 "," $14 }' "$TMP/thr.csv" >"$TMP/t"
same_file "$TMP/h" "$TMP/t" "histogram and trace: n, min, max, mean, median, stddev, var, p90, p95, p99, p99.9 per CPU equal"
test "$(wc -l <"$TMP/t")" -eq 2
ok $? "(two CPUs compared)"

# damage: a timerlat line that does not parse is carried, warned about, exit 1
sed '0,/context    irq/s//context  bogus/' "$TMP/tl.txt" >"$TMP/bad.txt"
"$RTLENS" latency --format csv "$TMP/bad.txt" >/dev/null 2>"$TMP/err"
is "$?" 1 "a damaged timerlat line: exit 1"
grep -q "bad.txt:0x[0-9a-f]*: warning: timerlat payload not understood" "$TMP/err"
ok $? "with a located warning"
# hostile values: 19+ digit numbers, an expiry before the clock's start, a
# thread sample with no IRQ sample, fields missing: no crash, results or a
# located warning
{
	head -n 2 "$TMP/tl.txt"
	echo '           hog/0-1099    [000] d.h1.     0.000001: #7     context    irq timer_latency 9999999999999999999 ns'
	echo '           hog/0-1099    [000] d.h1.     0.000002: irq_noise: x:1 start 99999999999.999999999 duration 18446744073709551615 ns'
	echo '           hog/0-1099    [000] d.h1.     0.000003: thread_noise:    :77 start 0.000000001 duration 5 ns'
	echo '           hog/0-1099    [000] d.h1.     0.000004: #8     context thread timer_latency 3 ns'
	echo '           hog/0-1099    [000] d.h1.     0.000005: #9     inner/outer(us): 99999999999999999999/7 ts:1.000000000 count:1'
	echo '           hog/0-1099    [000] d.h1.     0.000006: 1 2 3.4 5 6 7 8 9 99999999999999999999'
	echo '           hog/0-1099    [000] d.h1.     0.000007: softirq_noise: start duration ns'
} >"$TMP/hostile.txt"
"$RTLENS" latency --samples activation "$TMP/hostile.txt" >"$TMP/h.act" 2>"$TMP/err"
is "$?" 1 "hostile timerlat text: exit 1 (damaged lines)"
grep -q "hostile.txt:0x[0-9a-f]*: warning: softirq_noise payload not understood" "$TMP/err"
ok $? "the softirq_noise line without numbers is located"
is "$(sed -n 2p "$TMP/h.act" | cut -d, -f1-5)" "0,7,-9223372036854774807,9223372036854775807," \
	"the IRQ sample alone: a latency past INT64_MAX saturates, the expiry before the clock's start is kept"
is "$(sed -n 3p "$TMP/h.act" | cut -d, -f1,2,4,5)" "0,8,,3" "a thread sample without its IRQ sample: an activation of its own"
finish
