#!/bin/sh
# rtlens overheads on traces from our generator: every count the generator
# reports is found (kept, irq, non-RT), pairs across the 48-bit wrap are kept
# (ft2csv loses them), byte order does not matter, and the output modes
# (per-cpu, samples, cdf, hist, equalize, schedcat, json, gzip) agree.
. "$(dirname "$0")/lib.sh"
GEN=$RL_BUILD/gen-feather-trace

G=$TMP/wrap
mkdir -p "$G" "$TMP/be"
# the cycle counter starts 6.7 M cycles before 2^48 and wraps during the trace
"$GEN" -c 2 -n 3000 -t 281474970000000 "$G" >"$TMP/truth"
ok $? "generator ran"
"$GEN" -c 2 -n 3000 -t 281474970000000 -e "$TMP/be" >/dev/null
"$RTLENS" overheads --format csv "$G" >"$TMP/csv"
ok $? "overheads exits 0"
# columns: host,scheduler,trace,event,unit,samples,min,max,mean,median,stddev,var,p90,p95,p99,p99.9,irq,seq_hole,interleaved,non_rt,...
col() { awk -F, -v e="$1" -v c="$2" '$4 == e { print $c }' "$TMP/csv"; }
tv() { sed -n "s/^$1 .*$2=\([0-9]*\).*/\1/p" "$TMP/truth"; }
for ev in SCHED SCHED2 CXS RELEASE TICK SEND_RESCHED RELEASE_LATENCY; do
	is "$(col $ev 6)" "$(tv $ev kept)" "$ev: kept samples = generator's undisturbed real-time pairs"
	is "$(col $ev 17)" "$(tv $ev irq)" "$ev: irq discards = generator's IRQ-flagged ENDs"
	is "$(col $ev 20)" "$(tv $ev nonrt)" "$ev: non-RT discards = generator's best-effort pairs"
done
wrapped=$(awk '$1 != "SEND_RESCHED" { sub(".*wrapped=", ""); s += $0 } END { print s }' "$TMP/truth")
ok $([ "$wrapped" -ge 1 ]; echo $?) "the trace has $wrapped pair(s) across 2^48"
inc=0
for f in "$G"/*_cpu=*.bin; do
	for ev in SCHED SCHED2 CXS RELEASE TICK; do
		n=$("$RL_BUILD/ft2csv" $ev "$f" 2>&1 >/dev/null | sed -n 's/^Incomplete *: *//p')
		inc=$((inc + n))
	done
done
is "$inc" "$wrapped" "ft2csv loses exactly those pairs (counted Incomplete)"
is "$(awk -F, 'NR > 1 { s += $21 + $23 } END { print s }' "$TMP/csv")" 0 \
	"rtlens: no incomplete, no negative pair"

# byte order: a big-endian copy gives the same table
"$RTLENS" overheads --format csv "$TMP/be" >"$TMP/csv-be"
same_file "$TMP/csv-be" "$TMP/csv" "big-endian trace: same statistics"
# gzip input
mkdir -p "$TMP/gz"
for f in "$G"/*.bin; do gzip -c "$f" >"$TMP/gz/$(basename "$f").gz"; done
"$RTLENS" overheads --format csv "$TMP/gz" >"$TMP/csv-gz"
same_file "$TMP/csv-gz" "$TMP/csv" "gzip inputs: same statistics"
# determinism
"$RTLENS" overheads --format csv "$G" >"$TMP/csv2"
same_file "$TMP/csv2" "$TMP/csv" "same input, same output"

# threads do not change anything (files are merged in the order given)
"$RTLENS" overheads --format csv --threads 1 "$G" >"$TMP/t1"
"$RTLENS" overheads --format csv --threads 8 "$G" >"$TMP/t8"
same_file "$TMP/t8" "$TMP/t1" "--threads 8 = --threads 1 (statistics)"
"$RTLENS" overheads --samples SCHED --threads 1 "$G" >"$TMP/s1"
"$RTLENS" overheads --samples SCHED --threads 8 "$G" >"$TMP/s8"
same_file "$TMP/s8" "$TMP/s1" "--threads 8 = --threads 1 (samples, in file order)"

# per cpu: the rows add up
"$RTLENS" overheads --format csv --per-cpu "$G" >"$TMP/pc"
is "$(awk -F, '$4 == "CXS" { s += $7 } END { print s }' "$TMP/pc")" "$(col CXS 6)" "--per-cpu rows add up"
# exact samples: CSV and raw int64
"$RTLENS" overheads --samples CXS "$G" >"$TMP/s.csv"
is "$(($(wc -l <"$TMP/s.csv") - 1))" "$(col CXS 6)" "--samples CXS: one row per kept sample"
is "$(awk -F, 'NR > 1 && ($3 > m) { m = $3 } END { print m }' "$TMP/s.csv")" "$(col CXS 8)" \
	"--samples: the largest sample is the table's max"
"$RTLENS" overheads --samples CXS --raw -o "$TMP/s.raw" "$G"
# units: the value column names its unit; --cycles-per-usec converts every sample
is "$(head -1 "$TMP/s.csv")" "group,cpu,value_cycles" "--samples: cycles, said in the header"
"$RTLENS" overheads --samples CXS --cycles-per-usec 2000 "$G" >"$TMP/s-us.csv"
is "$(head -1 "$TMP/s-us.csv")" "group,cpu,value_us" "--samples --cycles-per-usec: value_us"
awk -F, 'NR > 1 { printf "%s,%s,%.6f\n", $1, $2, $3 / 2000 }' "$TMP/s.csv" >"$TMP/s-want"
tail -n +2 "$TMP/s-us.csv" >"$TMP/s-got"
ok $([ -s "$TMP/s-want" ]; echo $?) "CXS samples exist"
same_file "$TMP/s-got" "$TMP/s-want" "--samples in us = cycles / 2000, sample by sample"
"$RTLENS" overheads --samples RELEASE_LATENCY "$G" >"$TMP/rl.csv"
is "$(head -1 "$TMP/rl.csv")" "group,cpu,value_ns" "latency samples: ns, said in the header"
"$RTLENS" overheads --samples RELEASE_LATENCY --unit us "$G" >"$TMP/rl-us.csv"
is "$(head -1 "$TMP/rl-us.csv")" "group,cpu,value_us" "--unit us: latency samples in us"
is "$(awk -F, 'NR > 1 { printf "%.6f\n", $3 / 1000 }' "$TMP/rl.csv" | md5sum)" \
	"$(tail -n +2 "$TMP/rl-us.csv" | cut -d, -f3 | md5sum)" "--unit us: ns / 1000, sample by sample"
"$RTLENS" overheads --samples CXS --raw --cycles-per-usec 2000 -o "$TMP/s2.raw" "$G"
same_file "$TMP/s2.raw" "$TMP/s.raw" "--raw stays the recorded cycles"
is "$(wc -c <"$TMP/s.raw")" "$(($(col CXS 6) * 8))" "--samples --raw: 8 bytes per sample"
# cdf and histogram
"$RTLENS" overheads --cdf "$G" >"$TMP/cdf"
is "$(awk -F, '$2 == "CXS" { f = $7 } END { print f }' "$TMP/cdf")" "1.000000000" "CDF ends at 1"
"$RTLENS" overheads --hist 1000 "$G" >"$TMP/hist"
is "$(awk -F, '$2 == "CXS" { s += $7 } END { print s }' "$TMP/hist")" "$(col CXS 6)" "histogram counts add up"
# irq_count distribution of SEND_RESCHED_END
"$RTLENS" overheads --irq-counts "$G" >"$TMP/irq"
is "$(awk -F, '$2 == "SEND_RESCHED_END" { s += $5 } END { print s }' "$TMP/irq")" \
	"$(tv SEND_RESCHED pairs)" "irq_count distribution covers every SEND_RESCHED_END"
is "$(awk -F, '$2 == "SEND_RESCHED_END" && $3 == 1 { s += $5 } END { print s }' "$TMP/irq")" \
	"$(tv SEND_RESCHED irq)" "flagged SEND_RESCHED_END records"
"$RTLENS" overheads --format csv --ignore-ipi-irq "$G" >"$TMP/ii"
is "$(awk -F, '$4 == "SEND_RESCHED" { print $6 }' "$TMP/ii")" "$(tv SEND_RESCHED pairs)" \
	"--ignore-ipi-irq keeps the flagged IPIs"
"$RTLENS" overheads --format csv --keep-irq --best-effort "$G" >"$TMP/all"
is "$(awk -F, '$4 == "TICK" { print $6 }' "$TMP/all")" "$(tv TICK pairs)" "--keep-irq --best-effort keeps every pair"
"$RTLENS" overheads --format csv --cpu 1 "$G" >"$TMP/c1"
ok $([ "$(awk -F, '$4 == "CXS" { print $6 + 0 }' "$TMP/c1")" -lt "$(col CXS 6)" ] && \
	[ "$(awk -F, '$4 == "CXS" { print $22 }' "$TMP/c1")" -gt 0 ]; echo $?) "--cpu 1 counts the other cpu as cpu_filtered"

# json
"$RTLENS" overheads --format json "$G" >"$TMP/j"
ok $? "json output"
if command -v python3 >/dev/null 2>&1; then
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d['series']) == 7 else 1)" "$TMP/j"
	ok $? "json parses, 7 series"
else
	skip "python3 not installed: json not parsed"
fi

# equalize across groups (one group per cpu when cpu is not combined)
"$RTLENS" overheads --format csv --combine msg,seq --equalize --seed 7 "$G" >"$TMP/eq1"
"$RTLENS" overheads --format csv --combine msg,seq --equalize --seed 7 "$G" >"$TMP/eq2"
"$RTLENS" overheads --format csv --combine msg,seq --equalize --seed 8 "$G" >"$TMP/eq3"
same_file "$TMP/eq2" "$TMP/eq1" "--equalize with a seed is reproducible"
cmp -s "$TMP/eq1" "$TMP/eq3"
ok $([ $? -ne 0 ]; echo $?) "another seed draws another sample"
# header: host,scheduler,trace,cpu,msg,event,unit,samples,k,exp_max_k,...
hdr=$(head -1 "$TMP/eq1")
nc=$(echo "$hdr" | tr ',' '\n' | grep -n '^samples$' | cut -d: -f1)
ev=$(echo "$hdr" | tr ',' '\n' | grep -n '^event$' | cut -d: -f1)
kmin=$(awk -F, -v n="$nc" -v e="$ev" 'NR > 1 && $e == "CXS" && (m == "" || $n < m) { m = $n } END { print m }' "$TMP/eq1")
is "$(awk -F, -v n="$nc" -v e="$ev" 'NR > 1 && $e == "CXS" { print $(n + 1) }' "$TMP/eq1" | sort -u)" "$kmin" \
	"--equalize: every CXS group truncated to the smallest count ($kmin)"

# schedcat: one row per task count
mkdir -p "$TMP/sc"
"$GEN" -c 2 -n 500 -k n=10 "$TMP/sc" >/dev/null
"$GEN" -c 2 -n 500 -S 9 -k n=20 "$TMP/sc" >/dev/null
"$RTLENS" overheads --schedcat "$TMP/out" --cycles-per-usec 2000 "$TMP/sc"
ok $? "--schedcat exits 0"
f=$TMP/out/oh_host=gen_scheduler=GEN_trace=T_stat=max.csv
is "$(head -1 "$f" 2>/dev/null)" "TASK-COUNT, CXS, RELEASE-LATENCY, RELEASE, SCHEDULE, IPI-LATENCY, TICK" "SchedCAT header"
is "$(cut -d, -f1 "$f" | tail -n +2 | tr '\n' ' ')" "10 20 " "rows by task count"
max=$("$RTLENS" overheads --format csv --cycles-per-usec 2000 "$TMP/sc" | awk -F, '$4 == 10 && $5 == "CXS" { print $9 }')
is "$(awk -F', ' '$1 == 10 { print $2 }' "$f")" "$max" "SchedCAT CXS max (us) = the table's max"
ok $([ -s "$TMP/out/oh_host=gen_scheduler=GEN_trace=T_stat=avg.csv" ]; echo $?) "the avg table too"
# no n= key: refused, unless --task-count says it; p99 and p99.9 tables beside max and avg
mkdir -p "$TMP/nk"
"$GEN" -c 2 -n 500 "$TMP/nk" >/dev/null
"$RTLENS" overheads --schedcat "$TMP/nko" --cycles-per-usec 2000 "$TMP/nk" 2>"$TMP/err"
is "$?" 2 "--schedcat without n= key nor --task-count: usage error"
grep -q "give --task-count N" "$TMP/err"
ok $? "... saying what to give"
"$RTLENS" overheads --schedcat "$TMP/nko" --task-count 7 --cycles-per-usec 2000 "$TMP/nk"
ok $? "--task-count 7 exits 0"
"$RTLENS" overheads --format csv --cycles-per-usec 2000 "$TMP/nk" >"$TMP/nk.csv"
# SchedCAT column -> event name -> the table's column of that statistic (15 = p99, 16 = p99.9, 8 = max)
sc_vs_table() {
	awk -F', *' -v stat="$2" 'BEGIN { m["CXS"] = "CXS"; m["RELEASE-LATENCY"] = "RELEASE_LATENCY"
		m["RELEASE"] = "RELEASE"; m["SCHEDULE"] = "SCHED"; m["IPI-LATENCY"] = "SEND_RESCHED"; m["TICK"] = "TICK" }
		FNR == 1 && FILENAME != "-" && NR == FNR { for (i = 2; i <= NF; i++) col[i] = m[$i]; next }
		NR == FNR { for (i = 2; i <= NF; i++) v[col[i]] = $i; tc = $1; next }
		FNR > 1 { split($0, f, ","); if (f[4] in v) { n++; if (v[f[4]] != f[stat]) bad++ } }
		END { print tc, n, bad + 0 }' "$1" "$TMP/nk.csv"
}
nkb=$TMP/nko/oh_host=gen_scheduler=GEN_trace=T_stat
is "$(sc_vs_table "${nkb}=p99.csv" 15)" "7 6 0" "p99 table: TASK-COUNT 7, six columns, each the table's p99"
is "$(sc_vs_table "${nkb}=p99.9.csv" 16)" "7 6 0" "p99.9 table: each the table's p99.9"
is "$(sc_vs_table "${nkb}=max.csv" 8)" "7 6 0" "max table: each the table's max"
"$RTLENS" overheads --per-cpu --schedcat "$TMP/nkp" --task-count 7 --cycles-per-usec 2000 "$TMP/nk"
same_file "$TMP/nkp/oh_host=gen_scheduler=GEN_trace=T_stat=avg.csv" "${nkb}=avg.csv" \
	"--per-cpu: the avg table weighs the cpus' means by their counts (= the overall mean)"
"$RTLENS" overheads --task-count 7 "$TMP/nk" >/dev/null 2>&1
is "$?" 2 "--task-count without --schedcat: usage error"
# empty and one-sample series: no statistics rather than zeros, no stddev of one sample
mkdir "$TMP/one"
"$RL_BUILD/gen-feather-trace" -c 1 -n 1 "$TMP/one" >/dev/null
"$RTLENS" overheads --format csv --best-effort "$TMP/one" >"$TMP/one.csv"
is "$(awk -F, '$4 == "SCHED" { print $6 "|" $7 "|" $11 "|" $12 }' "$TMP/one.csv")" "1|548||0.000" \
	"one sample: min is the sample, stddev empty (ddof=1 undefined), var 0"
is "$(awk -F, '$4 == "SEND_RESCHED" { print $6 "|" $7 $8 $9 $10 $11 $12 $13 $16 }' "$TMP/one.csv")" "0|" \
	"no sample: every statistic empty in CSV, not 0"
"$RTLENS" overheads --best-effort "$TMP/one" | awk '$4 == "SEND_RESCHED" { print $7, $16 }' >"$TMP/one.tab"
is "$(cat "$TMP/one.tab")" "- -" "no sample: '-' in the table"
"$RTLENS" overheads --format json --best-effort "$TMP/one" >"$TMP/one.json"
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>);
	my ($e) = grep { $_->{event} eq "SEND_RESCHED" } @{$j->{series}};
	my ($s) = grep { $_->{event} eq "SCHED" } @{$j->{series}};
	exit(!defined $e->{min} && !defined $e->{mean} && !defined $s->{stddev} && $s->{min} == 548 ? 0 : 1)' <"$TMP/one.json"
ok $? "JSON: null for no sample and for one sample's stddev"
finish
