#!/bin/sh
# The PennPanda mode-change RTDS recording (8 PCPUs, Xen 4.7-era fork):
# every record decoded; counts and exact TSCs per event id agree with the
# authors' own decoded files; domain 2's RTDS VCPUs show budget 2.5 ms and
# period 10 ms; running times agree with xenalyze --summary where it is
# installed (Debian xen-utils-common).
. "$(dirname "$0")/lib.sh"
need_shared
D=$SHARED/testdata/xen/pennpanda-rtds-mode-change
T=$D/trace.bin
[ -f "$T" ] || { echo "1..0 # SKIP $T absent"; exit 0; }

"$RTLENS" info --json "$T" >"$TMP/info" 2>"$TMP/err"
ok $? "info exits 0"
is "$(sed -n 's/.*"events":\([0-9]*\).*/\1/p' "$TMP/info")" 5706 "5,706 records (README), every one an event"
is "$(sed -n 's/.*"records":\([0-9]*\).*/\1/p' "$TMP/info")" 5706 "every record decoded from the file"
is "$(sed -n 's/.*"format":"\([^"]*\)".*/\1/p' "$TMP/info")" "xentrace-4.7" "Xen 4.7 layouts detected"
is "$(sed -n 's/.*"cpus":\([0-9]*\).*/\1/p' "$TMP/info")" 8 "8 PCPUs"
hz=$(sed -n 's/.*"clock":{"hz":\([0-9]*\),"source":"estimated".*/\1/p' "$TMP/info")
ok $(awk -v h="${hz:-0}" 'BEGIN { exit !(h > 3.389e9 && h < 3.395e9) }'; echo $?) \
	"TSC rate estimated at 3.392 GHz (README) from the switches: ${hz:-none}"
grep -q "0x00022806 with 5 payload words matches no Xen 4.7 layout" "$TMP/err"
ok $? "the fork's 0x22806 (dis_running, 5 words) is reported as unknown"

# the authors' xentrace_format output, one file per fork event
"$RTLENS" dump --cpu-hz 1G "$T" >"$TMP/dump" 2>/dev/null
for pair in schedule:0x00022802 release_job:0x00022804 dis_running:0x00022806 \
	dis_not_running:0x00022807 vcpu_enable:0x00022808 mcr:0x00022809 job_queued:0x0002280a \
	update_changed:0x0002280b backlog:0x0002280c; do
	f=$D/trace_proc_output/${pair%%:*}.txt
	id=${pair#*:}
	want=$(grep -c . "$f")
	got=$(sed -n "s/.*\"$id\":\([0-9]*\).*/\1/p" "$TMP/info")
	is "${got:-0}" "$want" "$id count = lines of ${pair%%:*}.txt"
	awk '{print $1, $2}' "$f" | sort >"$TMP/want"
	awk -v id="$id" '$4 == id {print "CPU" $2, $1}' "$TMP/dump" | sort >"$TMP/got"
	same_file "$TMP/got" "$TMP/want" "$id: same CPU and TSC for every record"
done

# RTDS: domain 2's VCPUs, budget 2.499 ms (2499000 ns), period 10 ms
"$RTLENS" xen --rtds --format csv "$T" >"$TMP/rt" 2>/dev/null
ok $? "xen --rtds exits 0"
for v in 0 1 2 3; do
	is "$(awk -F, -v v=$v '$1==2 && $2==v && $3==1 {print $9}' "$TMP/rt")" 2499000 \
		"d2v$v: first period's budget 2.499 ms"
	is "$(awk -F, -v v=$v '$1==2 && $2==v && $3==2 {print $8}' "$TMP/rt")" 10000000 \
		"d2v$v: period 10 ms"
done
is "$(awk -F, '$1==2 && $2==3 && $9==2300000' "$TMP/rt" | grep -c .)" 15 \
	"d2v3 runs 15 periods at 2.3 ms after its mode change"

# rtlens jobs: the RTDS periods as job rows, checked against the RTDS table
"$RTLENS" xen -q --rtds --format csv "$T" >"$TMP/jr.rt"
"$RTLENS" jobs -q "$T" >"$TMP/jr.csv"
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
"$RTLENS" jobs -q -s --format csv "$T" >"$TMP/js.csv"
ok $? "jobs --summary exits 0 on xentrace"
awk -F, 'NR > 1 { n["d" $1 "v" $2]++; m["d" $1 "v" $2] += $15 } END { for (k in n) print k, n[k], m[k] }' \
	"$TMP/jr.rt" | sort >"$TMP/want"
awk -F, 'NR > 1 { print $2, $5, $8 }' "$TMP/js.csv" | sort >"$TMP/got"
same_file "$TMP/got" "$TMP/want" "summary: periods and deadline misses per VCPU = the table's"
is "$(awk -F, '$2 == "d2v0" { print $3 "/" $4 }' "$TMP/js.csv")" 2499000/10000000 \
	"d2v0's task parameters: budget 2.499 ms, period 10 ms"
is "$(sed -n 's/.*"jobs":{"total":\([0-9]*\),.*/\1/p' "$TMP/info")" "$(awk -F, 'NR > 1' "$TMP/jr.rt" | grep -c .)" \
	"info counts the RTDS periods as jobs"
"$RTLENS" jobs --compat "$T" >/dev/null 2>&1
is $? 2 "--compat (st-job-stats output) on xentrace is a usage error"

# xenalyze --summary: running time per VCPU of domains 0 and 2
if ! command -v xenalyze >/dev/null 2>&1; then
	skip "xenalyze not installed (apt-get install xen-utils-common to compare)"
else
	xenalyze --cpu-hz=3.392G --summary "$T" 2>/dev/null | awk '
		/^\|-- Domain/ { dom = $3 }
		/^-- v[0-9]+ --/ { v = substr($2, 2) }
		/^   running:/ && dom != 32767 { printf "d%sv%s %.0f\n", dom, v, $2 * $4 }' |
		sort >"$TMP/xa"
	"$RTLENS" xen --cpu-hz 3.392G --vcpus --format csv "$T" 2>/dev/null |
		awk -F, 'NR > 1 && $1 != 32767 { printf "d%sv%s %.0f\n", $1, $2, $4 * 3.392 }' |
		sort >"$TMP/rl"
	ok $([ "$(grep -c . "$TMP/xa")" -eq 12 ]; echo $?) "xenalyze lists 12 VCPUs of domains 0 and 2"
	join "$TMP/xa" "$TMP/rl" | awk '{ d = $2 - $3; if (d < 0) d = -d;
		if (d > 0.005 * $2) { print "# " $1 ": xenalyze " $2 " rtlens " $3 " cycles"; bad = 1 } }
		END { exit bad }'
	ok $? "running time of every dom0/dom2 VCPU within 0.5% of xenalyze's"
fi

# scheduler overheads: the switch spans (SWITCH_INFPREV -> the next switch-in on
# its PCPU) and their statistics computed independently by perl from `rtlens dump`
# (numpy's definitions: linear percentiles, stddev ddof 1, var ddof 0; us)
if command -v perl >/dev/null 2>&1; then
	"$RTLENS" dump -q "$T" >"$TMP/dump" 2>/dev/null
	"$RTLENS" overheads -q --format csv "$T" >"$TMP/oh.csv" 2>/dev/null
	ok $? "overheads on the PennPanda trace exits 0"
	perl -e '
		my (%start, @v, $inc);
		while (<>) {
			my ($ts, $cpu, $type, $name) = split;
			next if /\braw\b/;
			if ($name eq "0x0002800e") {
				$inc++ if exists $start{$cpu};
				$start{$cpu} = $ts;
			} elsif ($type eq "switch_in" && exists $start{$cpu}) {
				push @v, $ts - delete $start{$cpu};
			}
		}
		$inc += keys %start;
		@v = sort { $a <=> $b } @v;
		my $n = @v;
		my $s = 0; $s += $_ for @v;
		my $m = $s / $n;
		my $ss = 0; $ss += ($_ - $m) ** 2 for @v;
		sub pct { my $i = $_[0] * ($n - 1); my $lo = int($i);
			return $lo + 1 < $n ? $v[$lo] + ($v[$lo + 1] - $v[$lo]) * ($i - $lo) : $v[$lo]; }
		my @r = ($v[0], $v[-1], $m, pct(0.5), sqrt($ss / ($n - 1)), $ss / $n, pct(0.9), pct(0.95),
			 pct(0.99), pct(0.999));
		$r[5] /= 1000; # var: us^2 = ns^2 / 1e6
		printf "switch,all,us,%d,%s,0,%d,0\n", $n,
			join(",", map { sprintf "%.5f", $_ / 1000 } @r), $inc;
	' "$TMP/dump" >"$TMP/want"
	grep '^switch,' "$TMP/oh.csv" >"$TMP/got"
	ok $([ "$(cut -d, -f4 "$TMP/want")" -gt 700 ]; echo $?) "perl found the switch spans"
	same_file "$TMP/got" "$TMP/want" "switch statistics and discards = perl's over rtlens dump"
else
	skip "perl not installed"
	skip "perl not installed"
	skip "perl not installed"
fi
finish
