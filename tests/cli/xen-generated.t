#!/bin/sh
# rtlens on generated xentrace files with ground truth (tests/gen-xentrace.c):
# every record read, per-VCPU running time and dispatches exact, lost records
# reported, the TSC rate estimated from the switches.
. "$(dirname "$0")/lib.sh"
G=$RL_BUILD/gen-xentrace

"$G" -c 4 -g 3 -n 2000 -s 7 -t "$TMP/truth" -o "$TMP/a.xt"
ok $? "generator ran"
"$RTLENS" info --json --cpu-hz 2G "$TMP/a.xt" >"$TMP/info" 2>"$TMP/err"
ok $? "info exits 0"
is "$(sed -n 's/.*"events":\([0-9]*\).*/\1/p' "$TMP/info")" "$(awk '/^records/{print $2}' "$TMP/truth")" \
	"every generated record is an event"
is "$(sed -n 's/.*"format":"\([^"]*\)".*/\1/p' "$TMP/info")" "xentrace-4.10" \
	"4.10+ RTDS layouts detected (6-word BURN/REPLENISH)"
"$RTLENS" xen --cpu-hz 2G --vcpus --format csv "$TMP/a.xt" >"$TMP/v.csv" 2>"$TMP/err"
ok $? "xen --vcpus --format csv exits 0"
awk -F, 'NR>1 && $1!=32767 {print "d"$1"v"$2" running_ns "$4" dispatches "$16}' "$TMP/v.csv" | sort >"$TMP/got"
grep running_ns "$TMP/truth" | sort >"$TMP/want"
ok $([ -s "$TMP/want" ]; echo $?) "truth lists VCPUs"
same_file "$TMP/got" "$TMP/want" "running time and dispatches of every guest VCPU are exact"
is "$(awk -F, 'NR>1{m+=$22} END{print m+0}' "$TMP/v.csv")" 0 "no runstate mismatches"

# a file larger than the reader's 16 MB page-release step: pages given back
# behind the streams are read again correctly (the numbers stay exact)
"$G" -c 4 -g 3 -m 40 -s 9 -t "$TMP/truthB" -o "$TMP/b.xt"
"$RTLENS" xen --cpu-hz 2G --vcpus --format csv "$TMP/b.xt" >"$TMP/vb.csv" 2>"$TMP/err"
ok $? "40 MB file: xen --vcpus exits 0"
awk -F, 'NR>1 && $1!=32767 {print "d"$1"v"$2" running_ns "$4" dispatches "$16}' "$TMP/vb.csv" | sort >"$TMP/got"
grep running_ns "$TMP/truthB" | sort >"$TMP/want"
same_file "$TMP/got" "$TMP/want" "40 MB file: running time and dispatches of every guest VCPU are exact"
rm -f "$TMP/b.xt"

# the same per-VCPU numbers whether only runstate records are decoded (--vcpus alone) or all
"$RTLENS" xen --cpu-hz 2G "$TMP/a.xt" >"$TMP/all" 2>/dev/null
"$RTLENS" xen --cpu-hz 2G --vcpus --pcpus "$TMP/a.xt" >"$TMP/some" 2>/dev/null
sed -n '/^Per-VCPU/,/^RTDS/p' "$TMP/all" | sed '/^RTDS/d;/^$/d' >"$TMP/all.v"
sed -n '/^Per-VCPU/,$p' "$TMP/some" | sed '/^$/d' >"$TMP/some.v"
ok $([ -s "$TMP/all.v" ]; echo $?) "full run has the VCPU and PCPU tables"
same_file "$TMP/some.v" "$TMP/all.v" "--vcpus --pcpus (runstate records only) = the full run's tables"

# the clock estimate, without --cpu-hz
"$RTLENS" xen --vcpus "$TMP/a.xt" >"$TMP/t" 2>"$TMP/err"
ok $? "xen without --cpu-hz exits 0"
est=$(sed -n 's/.*TSC \([0-9.]*\) GHz (estimated).*/\1/p' "$TMP/t")
ok $(awk -v e="$est" 'BEGIN{exit !(e > 1.99 && e < 2.01)}'; echo $?) "TSC estimated at 2 GHz (got $est)"

# lost records: one gap event per LOST record, a warning each, VCPUs marked lost
"$G" -c 4 -g 3 -n 2000 -s 7 -L 25 -t "$TMP/truthL" -o "$TMP/l.xt"
"$RTLENS" info --json --cpu-hz 2G "$TMP/l.xt" >"$TMP/info" 2>"$TMP/err"
ok $? "lossy file: info exits 0 (loss is reported, not damage)"
nl=$(grep -c '"0x0001f001"' "$TMP/info")
gaps=$(sed -n 's/.*"0x0001f001":\([0-9]*\).*/\1/p' "$TMP/info")
ok $([ "$nl" -eq 1 ] && [ "$gaps" -gt 0 ]; echo $?) "LOST records counted by id ($gaps)"
is "$(sed -n 's/.*"lost":\([0-9]*\).*/\1/p' "$TMP/info")" "$gaps" "one lost warning per LOST record"
grep -q "warning: cpu 1 lost" "$TMP/err"
ok $? "the warning names the cpu"
"$RTLENS" xen --cpu-hz 2G "$TMP/l.xt" >"$TMP/x" 2>/dev/null
is "$(sed -n 's/^lost: \([0-9]*\) gaps, \([0-9]*\) records$/\1 \2/p' "$TMP/x")" \
	"$gaps $(awk '/^lost/{print $2}' "$TMP/truthL")" "xen reports the gaps and the lost record count"

# RTDS periods of the generator: 10 ms, budget 2.5 ms
"$RTLENS" xen --cpu-hz 2G --rtds --format csv "$TMP/a.xt" >"$TMP/r.csv" 2>/dev/null
ok $? "xen --rtds exits 0"
is "$(awk -F, 'NR>1 && $17=="complete"{print $8}' "$TMP/r.csv" | sort -u)" 10000000 "every period is 10 ms"
is "$(awk -F, 'NR>1{print $9}' "$TMP/r.csv" | sort -u)" 2500000 "every budget is 2.5 ms"

# rtlens jobs: the RTDS periods as job rows, checked against the RTDS table
"$RTLENS" xen -q --rtds --format csv --cpu-hz 2G "$TMP/a.xt" >"$TMP/jr.rt"
"$RTLENS" jobs -q --cpu-hz 2G "$TMP/a.xt" >"$TMP/jr.csv"
ok $? "jobs exits 0 on xentrace"
awk -F, 'NR > 1 { print "d" $1 "v" $2, $3, $5, $6, $10, $15 }' "$TMP/jr.rt" | sort >"$TMP/want"
# (a period the trace ends in has no completion, so no dl_miss: the table says 0)
awk -F, 'NR > 1 { print $2, $3, $4, $5, $11, ($16 == "incomplete" && $10 == "") ? 0 : $10 }' \
	"$TMP/jr.csv" | sort >"$TMP/got"
ok $([ "$(grep -c . "$TMP/want")" -gt 10 ]; echo $?) "the table has $(grep -c . "$TMP/want") periods"
same_file "$TMP/got" "$TMP/want" "one job row per period: same release, deadline, budget consumed (exec), miss"
awk -F, 'NR > 1 && $12 == 1 { print "d" $1 "v" $2, $3, $13, $14 }' "$TMP/jr.rt" | sort >"$TMP/want"
awk -F, 'NR > 1 { print $2, $3, $6, $7 }' "$TMP/jr.csv" | sort >"$TMP/all"
awk 'NR == FNR { k[$1 " " $2] = $3 " " $4; next } ($1 " " $2) in k && k[$1 " " $2] != $3 " " $4 { bad++ }
	($1 " " $2) in k { n++ } END { print n + 0, bad + 0 }' "$TMP/want" "$TMP/all" >"$TMP/cmp"
is "$(cat "$TMP/cmp")" "$(grep -c . "$TMP/want") 0" \
	"a depleted period completes when its budget ran out (completion, response = the table's)"
is "$(awk -F, 'NR > 1 && $10 == 1 && $17 != "server-miss" && $8 <= 0' "$TMP/jr.csv" | grep -c .)" 0 \
	"every dl_miss row is late or a server miss"
is "$(awk -F, 'NR > 1 && $6 != "" && $6 < $4' "$TMP/jr.csv" | grep -c .)" 0 \
	"no period completes before its release"
ok $([ "$(awk -F, 'NR > 1 && $16 == "complete" && $10 == 0 && $6 < $5' "$TMP/jr.csv" | grep -c .)" -gt 0 ]; echo $?) \
	"periods served in time exist (the check above is not vacuous)"
"$RTLENS" jobs -q -s --format csv --cpu-hz 2G "$TMP/a.xt" >"$TMP/js.csv"
ok $? "jobs --summary exits 0 on xentrace"
awk -F, 'NR > 1 { n["d" $1 "v" $2]++; m["d" $1 "v" $2] += $15 } END { for (k in n) print k, n[k], m[k] }' \
	"$TMP/jr.rt" | sort >"$TMP/want"
awk -F, 'NR > 1 { print $2, $5, $8 }' "$TMP/js.csv" | sort >"$TMP/got"
same_file "$TMP/got" "$TMP/want" "summary: periods and deadline misses per VCPU = the table's"

# overheads, in the overhead report (columns event,group,unit,samples,min,max,...,
# lost,incomplete,negative; values in us): every tickled SCHEDULE closes a tickle
# sample; every SCHEDULE and INFPREV record is a sample or a discard, once
"$RTLENS" xen --cpu-hz 2G --overheads --format csv --samples "$TMP/s.csv" "$TMP/a.xt" >"$TMP/o.csv" 2>/dev/null
ok $? "xen --overheads exits 0"
"$RTLENS" overheads --cpu-hz 2G --format csv "$TMP/a.xt" >"$TMP/o2.csv" 2>/dev/null
ok $? "overheads on a xentrace exits 0"
same_file "$TMP/o.csv" "$TMP/o2.csv" "xen --overheads = rtlens overheads (the shared report)"
is "$(head -1 "$TMP/o.csv")" \
	"event,group,unit,samples,min,max,mean,median,stddev,var,p90,p95,p99,p99.9,lost,incomplete,negative" \
	"the overhead report's columns with the Xen discard reasons"
is "$(awk -F, '$1=="tickle"{print $4}' "$TMP/o.csv")" "$(awk '/^tickled/{print $2}' "$TMP/truth")" \
	"one tickle sample per tickled SCHEDULE"
is "$(awk -F, '$1=="switch"{print $5 "-" $6}' "$TMP/o.csv")" "0.24000-0.24000" \
	"switch spans are the generator's 4 x 60 ns (INFPREV -> switch-in)"
"$RTLENS" info --json --cpu-hz 2G "$TMP/a.xt" >"$TMP/info" 2>/dev/null
n_infprev=$(sed -n 's/.*"0x0002800e":\([0-9]*\).*/\1/p' "$TMP/info")
n_sched=$(sed -n 's/.*"0x00022806":\([0-9]*\).*/\1/p' "$TMP/info")
is "$(awk -F, '$1=="sched"{print $4}' "$TMP/o.csv")" "$n_infprev" \
	"one sched sample per SCHEDULE that led to a switch (= INFPREV records)"
is "$(awk -F, '$1=="sched"{print $4 + $15 + $16 + $17}' "$TMP/o.csv")" "$n_sched" \
	"every SCHEDULE record is a sched sample or one discard"
is "$(awk -F, '$1=="switch"{print $4 + $15 + $16 + $17}' "$TMP/o.csv")" "$n_infprev" \
	"every INFPREV record is a switch sample or one discard"
is "$(grep -c '^switch,' "$TMP/s.csv")" "$(awk -F, '$1=="switch"{print $4}' "$TMP/o.csv")" \
	"xen --samples has every switch sample"
# the shared sample, CDF and histogram writers
"$RTLENS" overheads --cpu-hz 2G --samples sched "$TMP/a.xt" -o "$TMP/ss.csv" 2>/dev/null
ok $? "overheads --samples sched exits 0"
is "$(head -1 "$TMP/ss.csv")" "group,cpu,value_ns" "--samples: the shared CSV, its value column named with its unit"
awk -F, '$1=="sched"{print $4}' "$TMP/s.csv" | sort -n >"$TMP/want"
awk -F, 'NR>1{print $3}' "$TMP/ss.csv" | sort -n >"$TMP/got"
ok $([ -s "$TMP/want" ]; echo $?) "sched samples exist"
same_file "$TMP/got" "$TMP/want" "--samples sched = the ns values of xen --samples (kind,cpu,ts,ns)"
"$RTLENS" overheads --cpu-hz 2G --cdf "$TMP/a.xt" -o "$TMP/cdf.csv" 2>/dev/null
ok $? "overheads --cdf exits 0"
"$RTLENS" overheads --cpu-hz 2G --hist 10 --events tickle "$TMP/a.xt" -o "$TMP/h.csv" 2>/dev/null
ok $? "overheads --hist --events exits 0"
is "$(awk -F, 'NR>1{n+=$NF} END{print n+0}' "$TMP/h.csv")" "$(awk '/^tickled/{print $2}' "$TMP/truth")" \
	"--hist --events tickle: the bins hold every tickle sample"
"$RTLENS" overheads --cpu-hz 2G --per-cpu --format csv "$TMP/a.xt" >"$TMP/pc.csv" 2>/dev/null
is "$(awk -F, '$1=="switch"{n+=$5} END{print n}' "$TMP/pc.csv")" "$n_infprev" \
	"--per-cpu: the switch samples split over the PCPUs"
"$RTLENS" plot --format layout "$TMP/ss.csv" -o "$TMP/p.layout" 2>/dev/null
ok $? "rtlens plot draws the CDF of the sched samples"
"$RTLENS" overheads --cpu-hz 2G --cycles-per-usec 2000 "$TMP/a.xt" >/dev/null 2>"$TMP/err"
is $? 2 "a Feather-Trace-only option is a usage error on xentrace"
"$RTLENS" overheads --cpu-hz 2G --events nosuch "$TMP/a.xt" >/dev/null 2>"$TMP/err"
is $? 2 "an unknown Xen overhead name is a usage error"

# draw (a trace shorter than 1000 ms): per PCPU, domains 1-3 coloured apart, idle as a
# band; per VCPU, RTDS marks
"$G" -c 4 -g 3 -n 800 -s 5 -o "$TMP/c.xt"
"$RTLENS" draw --quiet -v --cpu-hz 2G --by-cpu --format layout -x 2 "$TMP/c.xt" -o "$TMP/p.layout" 2>"$TMP/err"
ok $? "draw --by-cpu exits 0"
is "$(awk '$1 == "text" && $2 == "legend"' "$TMP/p.layout" | sed 's/.*"\(.*\)".*/\1/' | tr '\n' ,)" \
	"domain 1,domain 2,domain 3,idle," "legend: the three guest domains and idle"
is "$(grep -c 32767 "$TMP/p.layout")" 0 "the idle VCPUs are named nowhere"
sp=$("$RTLENS" info -q --cpu-hz 2G "$TMP/c.xt" | sed -n 's/^time span: *\([0-9]*\) \.\. \([0-9]*\) ns.*/\1 \2/p')
is "$(sed -n 's/.*drawing \([0-9.]*\) ms from.*/\1/p' "$TMP/err")" \
	"$(echo "$sp" | awk '{ printf "%.6f", ($2 - $1) / 1e6 }')" "the default window is the trace (shorter than 1000 ms)"
"$RTLENS" draw --quiet -v --cpu-hz 2G --format layout -x 2 "$TMP/c.xt" -o "$TMP/v.layout" 2>"$TMP/err"
ok $? "draw (per VCPU) exits 0"
"$RTLENS" xen --cpu-hz 2G --rtds --format csv "$TMP/c.xt" >"$TMP/rc.csv" 2>/dev/null
is "$(sed -n 's/.* \([0-9]*\) releases.*/\1/p' "$TMP/err")" "$(awk -F, 'NR > 1' "$TMP/rc.csv" | grep -c .)" \
	"one release arrow per RTDS period"
is "$(awk '$1 == "text" && $2 == "task-label"' "$TMP/v.layout" | grep -c '"d[1-3]v[0-3]"')" 12 \
	"12 guest VCPU rows"

# usage errors
"$RTLENS" xen --format csv "$TMP/a.xt" >/dev/null 2>&1
is "$?" 2 "csv needs one section"
"$RTLENS" xen --cpu-hz fast "$TMP/a.xt" >/dev/null 2>&1
is "$?" 2 "bad --cpu-hz is a usage error"
# --format json: every section in one object; each row's values are the CSV row's
# (null where the CSV is empty; booleans where it has 0/1; no wait: null, CSV 0)
"$RTLENS" xen -q --cpu-hz 2G --format json "$TMP/a.xt" >"$TMP/x.json"
ok $? "xen --format json exits 0"
# rows are one per line: the section's name, then its values in key order
json_rows() { # SECTION FILE
	awk -v sec="^\"$1\":" '
	$0 ~ sec { on = 1; next }
	on && /^\{/ {
		line = $0; sub(/^\{/, "", line); sub(/\}[^}]*$/, "", line)
		n = split(line, kv, ","); out = ""
		for (i = 1; i <= n; i++) {
			v = kv[i]; sub(/^"[^"]*":/, "", v); gsub(/"/, "", v)
			if (v == "null") v = ""; else if (v == "true") v = 1; else if (v == "false") v = 0
			out = out (i > 1 ? "," : "") v
		}
		print out
		if ($0 ~ /\]/) on = 0
	}' "$2"
}
for sec in vcpus pcpus rtds; do
	"$RTLENS" xen -q --cpu-hz 2G --$sec --format csv "$TMP/a.xt" | sed 1d >"$TMP/want.$sec"
	json_rows "$sec" "$TMP/x.json" | sed 's/,,,,\(,[0-9]*,[0-9]*\)$/,0,0,0,0\1/' >"$TMP/got.$sec"
	ok $([ -s "$TMP/want.$sec" ]; echo $?) "csv has $sec rows"
done
same_file "$TMP/got.vcpus" "$TMP/want.vcpus" "json vcpus rows = csv rows"
same_file "$TMP/got.pcpus" "$TMP/want.pcpus" "json pcpus rows = csv rows"
head -n "$(grep -c . "$TMP/want.rtds")" "$TMP/got.rtds" >"$TMP/got.rtds1"
same_file "$TMP/got.rtds1" "$TMP/want.rtds" "json rtds periods = csv rows"
grep -q '"overheads":{"series":\[' "$TMP/x.json"
ok $? "json carries the overhead report"
grep -q '"trace":{"format":"xentrace-4.10","pcpus":4,' "$TMP/x.json"
ok $? "json names the format and the PCPU count"
if command -v python3 >/dev/null 2>&1; then
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if set(d) == {'trace','unit','vcpus','pcpus','rtds','overheads'} and d['unit'] == 'ns' else 1)" "$TMP/x.json"
	ok $? "json parses, with one member per section"
else
	skip "python3 not installed: json not parsed"
fi
"$RTLENS" xen -q --cpu-hz 2G --pcpus --format json "$TMP/a.xt" >"$TMP/p.json"
is "$(grep -c '"pcpu":' "$TMP/p.json") $(grep -c '"vcpus"' "$TMP/p.json")" "4 0" "--pcpus --format json: that section only"

"$RTLENS" xen --xen-version 3.4 "$TMP/a.xt" >/dev/null 2>&1
is "$?" 2 "bad --xen-version is a usage error"
"$RTLENS" xen --help | grep -q -- "--rtds"
ok $? "xen --help documents --rtds"
finish
