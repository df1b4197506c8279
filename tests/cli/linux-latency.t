#!/bin/sh
# rtlens latency: Linux wake-up latency and handler durations go through the
# Feather-Trace overhead report. On sched-v6.dat every statistic (n, min, max,
# mean, median, stddev, var, p90..p99.9) and every irq discard count of the
# cyclictest wake-up series and of every irq/softirq/vector series equals an
# independent derivation from trace-cmd's raw report; the samples, CDF and
# histogram outputs agree with it; rtlens overheads on a Linux trace is the
# same command.
. "$(dirname "$0")/lib.sh"
need_shared

D=$SHARED/testdata/ftrace
"$RTLENS" latency --format csv "$D/sched-v6.dat" >"$TMP/lat.csv" 2>"$TMP/err"
is "$?" 0 "latency on sched-v6.dat exits 0"
is "$(head -1 "$TMP/lat.csv")" \
	"event,id,name,prio,unit,samples,min,max,mean,median,stddev,var,p90,p95,p99,p99.9,irq,lost,no_switch_in" \
	"the overhead report's columns, Linux discard reasons"

# Independent derivation from the raw report: exact ns samples per series.
#   wakeup  (pid, prio at switch-in): first wake-up of a task not running ->
#           its switch-in; left out (irq) if a handler other than the
#           reschedule IPI started on the switch-in cpu after the wake-up
#   irq/softirq/vector: entry -> exit on a per-cpu stack; left out (irq) if
#           any handler entry nested inside
gzip -dc "$D/sched-v6.report-raw.txt.gz" | perl -e '
	my (%woken, %run, %irq, %s, %f, %name, %st);
	my %kind = (irq_handler => "irq", softirq => "softirq", local_timer => "vector",
		    reschedule => "vector");
	while (<>) {
		/\[0*(\d+)\]\s+(\d+)\.(\d{9}):\s+(\w+):\s+(.*)/ or next;
		my ($c, $ts, $ev, $rest) = ($1, $2 . $3, $4, $5); $ts =~ s/^0+//;
		my %a = $rest =~ /(\w+)=(\S+)/g;
		if ($ev =~ /^(\w+)_(entry|exit)$/ && $kind{$1}) {
			my ($k, $id) = ($kind{$1}, $a{irq} // $a{vec} // $a{vector});
			if ($2 eq "entry") {
				$_->[3] = 1 for @{$st{$c}};
				push @{$st{$c}}, [$k, $id, $ts, 0];
				$irq{$c} = $ts if $ev ne "reschedule_entry";
			} elsif (@{$st{$c} // []} && $st{$c}[-1][0] eq $k && $st{$c}[-1][1] == $id) {
				my $o = pop @{$st{$c}};
				if ($o->[3]) { $f{"$k $id"}++ } else { push @{$s{"$k $id"}}, $ts - $o->[2] }
			}
		} elsif ($ev eq "sched_waking" || $ev eq "sched_wakeup" || $ev eq "sched_wakeup_new") {
			$woken{$a{pid}} = $ts if !$run{$a{pid}} && !defined $woken{$a{pid}};
		} elsif ($ev eq "sched_switch") {
			my ($p, $n) = ($a{prev_pid}, $a{next_pid});
			$name{$p} = $a{prev_comm}; $name{$n} = $a{next_comm};
			if ($p) { $run{$p} = 0; delete $woken{$p} }
			if ($n) {
				$run{$n} = 1;
				if (defined $woken{$n}) {
					my $k = "wakeup $n $a{next_prio}";
					if (defined $irq{$c} && $irq{$c} > $woken{$n}) { $f{$k}++ }
					else { push @{$s{$k}}, $ts - $woken{$n} }
				}
				delete $woken{$n};
			}
		}
	}
	my %keys = map { $_ => 1 } keys %s, keys %f;
	for my $k (keys %keys) {
		my @w = split / /, $k;
		next if $w[0] eq "wakeup" && $name{$w[1]} ne "cyclictest";
		print "$k $_\n" for @{$s{$k} // []};
		print "$k discard-irq ", $f{$k} // 0, "\n";
	}' | sort >"$TMP/derived"
grep -v discard "$TMP/derived" >"$TMP/samples-want"
ok $([ "$(grep -c '^wakeup' "$TMP/samples-want")" -ge 300 ] && echo 0 || echo 1) \
	"derivation finds the cyclictest wake-ups"

# statistics: numpy's definitions, in perl; equal up to the printed precision
perl -e '
	my (%v, %f, $bad, $n);
	open my $d, "<", $ARGV[0] or die;
	while (<$d>) {
		my @w = split;
		if ($w[-2] eq "discard-irq") { $f{"$w[0] $w[1]" . (@w > 4 ? " $w[2]" : "")} = $w[-1]; next }
		push @{$v{join " ", @w[0 .. $#w - 1]}}, $w[-1];
	}
	sub pq { my ($a, $q) = @_; my $h = $q * (@$a - 1); my $i = int $h;
		 my $j = $i + 1 < @$a ? $i + 1 : $i; $a->[$i] + ($h - $i) * ($a->[$j] - $a->[$i]) }
	open my $c, "<", $ARGV[1] or die;
	while (<$c>) {
		chomp; my @c = split /,/, $_, -1;
		next if $. == 1;
		my $k = $c[0] eq "wakeup" ? "wakeup $c[1] $c[3]" : "$c[0] $c[1]";
		next if $c[0] eq "wakeup" && $c[2] ne "cyclictest";
		my @a = sort { $a <=> $b } @{$v{$k} // []};
		my $m = 0; $m += $_ for @a; $m /= @a if @a;
		my $ss = 0; $ss += ($_ - $m) ** 2 for @a;
		my @want = (scalar @a, @a ? ($a[0], $a[-1], $m, pq(\@a, .5)) : (0, 0, 0, 0),
			    @a > 1 ? sqrt($ss / (@a - 1)) : "nan", @a ? $ss / @a : 0,
			    map { @a ? pq(\@a, $_) : 0 } .9, .95, .99, .999);
		my @got = @c[5 .. 15];
		$got[$_] *= 1000 for grep { $got[$_] ne "nan" } 1 .. 10;
		$got[6] *= 1000 if $got[6] ne "nan";
		for my $i (0 .. 10) {
			my ($g, $w) = ($got[$i], $want[$i]);
			next if $g eq "nan" && $w eq "nan";
			# printed in us (us^2 for var) with 5 decimals: half a unit of the last digit
			my $tol = ($i == 6 ? 5 : 0.005) + 1e-9 * abs($w);
			if ($g eq "nan" || $w eq "nan" || abs($g - $w) > $tol) {
				print "$k column $i: got $g want $w\n"; $bad++;
			}
		}
		if ($c[16] != ($f{$k} // 0)) { print "$k irq discards: got $c[16] want ", $f{$k} // 0, "\n"; $bad++ }
		$n++;
	}
	print "compared $n series\n";
	exit($bad ? 1 : 0)' "$TMP/derived" "$TMP/lat.csv" >"$TMP/cmp"
ok $? "statistics and irq discards of every compared series equal the derivation"
n=$(sed -n 's/^compared \([0-9]*\) series/\1/p' "$TMP/cmp")
ok $([ "${n:-0}" -ge 8 ] && echo 0 || echo 1) "compared $n series (cyclictest wake-ups, irq, softirq, vector)"
sed 's/^/# /' "$TMP/cmp" | head -10

# --samples: the exact ns values of each series, in trace order
"$RTLENS" latency --samples wakeup -n cyclictest "$D/sched-v6.dat" |
	awk -F, 'NR > 1 { id = $1; sub("_.*", "", id); sub("id=", "", id); p = $1; sub(".*_prio=", "", p); print "wakeup " id " " p " " $3 }' |
	sort >"$TMP/cyc-got"
grep '^wakeup' "$TMP/samples-want" | sort >"$TMP/cyc-want"
same_file "$TMP/cyc-got" "$TMP/cyc-want" "--samples wakeup -n cyclictest: the derived wake-up latencies (ns)"
"$RTLENS" latency --samples softirq "$D/sched-v6.dat" |
	awk -F, 'NR > 1 { id = $1; sub("_.*", "", id); sub("id=", "", id); print "softirq " id " " $3 }' | sort >"$TMP/si-got"
grep '^softirq' "$TMP/samples-want" | sort >"$TMP/si-want"
same_file "$TMP/si-got" "$TMP/si-want" "--samples softirq: the derived handler durations (ns)"

# CDF: per series, count_le at each distinct value = samples <= value
"$RTLENS" latency --cdf --events softirq "$D/sched-v6.dat" >"$TMP/cdf" 2>/dev/null
is "$(head -1 "$TMP/cdf")" "group,event,cpu,unit,value,count_le,fraction" "CDF columns"
"$RTLENS" latency --samples softirq "$D/sched-v6.dat" | awk -F, 'NR > 1 { print $1, $3 }' | sort -k1,1 -k2,2n |
	awk '{ n[$1]++; last[$1] = $2; c[$1 " " $2] = n[$1] } END { for (k in c) print k, c[k] }' | sort >"$TMP/cdf-want"
awk -F, 'NR > 1 { print $1, $5, $6 }' "$TMP/cdf" | sort >"$TMP/cdf-got"
same_file "$TMP/cdf-got" "$TMP/cdf-want" "CDF rows = counts of samples <= each value"
is "$(awk -F, 'NR > 1 && $7 > 1 { b++ } END { print b + 0 }' "$TMP/cdf")" 0 "CDF fractions <= 1"
# histogram: bins of 1000 ns, every sample in its bin
"$RTLENS" latency --hist 1000 --events softirq "$D/sched-v6.dat" >"$TMP/hist" 2>/dev/null
"$RTLENS" latency --samples softirq "$D/sched-v6.dat" |
	awk -F, 'NR > 1 { b = int($3 / 1000); h[$1 " " b * 1000]++ } END { for (k in h) print k, h[k] }' | sort >"$TMP/hist-want"
awk -F, 'NR > 1 && $7 > 0 { print $1, $5, $7 }' "$TMP/hist" | sort >"$TMP/hist-got"
same_file "$TMP/hist-got" "$TMP/hist-want" "histogram counts = samples per 1000 ns bin"

# the reasons: --keep-irq turns exactly the irq discards into samples
"$RTLENS" latency --format csv --keep-irq "$D/sched-v6.dat" >"$TMP/keep.csv"
paste -d, "$TMP/lat.csv" "$TMP/keep.csv" | awk -F, 'NR > 1 {
	if ($6 + $17 != $25 || $36 != 0 || $18 != $37 || $19 != $38) bad++; t += $17 }
	END { print bad + 0, (t > 0) }' >"$TMP/keep"
is "$(cat "$TMP/keep")" "0 1" "--keep-irq: samples + irq = kept samples; lost and no_switch_in unchanged"
# lost events: sched-v7-lost has samples spanning them, counted as lost
"$RTLENS" latency --format csv "$D/sched-v7-lost.dat" 2>/dev/null >"$TMP/lost.csv"
ok $(awk -F, 'NR > 1 { n += $18 } END { exit !(n > 0) }' "$TMP/lost.csv"; echo $?) \
	"samples spanning lost events are counted as lost"
# per cpu: the rows add up to the totals
"$RTLENS" latency --format csv --per-cpu "$D/sched-v6.dat" >"$TMP/pc.csv"
awk -F, 'NR > 1 { print $1 " " $2 " " $4, $6 + $17 + $18 + $19 }' "$TMP/lat.csv" | sort >"$TMP/tot-want"
awk -F, 'NR > 1 { t[$1 " " $2 " " $4] += $7 + $18 + $19 + $20 } END { for (k in t) print k, t[k] }' "$TMP/pc.csv" |
	sort >"$TMP/tot-got"
same_file "$TMP/tot-got" "$TMP/tot-want" "--per-cpu rows add up to the series (samples and discards)"
# filters
is "$("$RTLENS" latency --format csv -p 24698 "$D/sched-v6.dat" | awk -F, 'NR > 1 { print $1, $2 }' | sort -u)" \
	"$(awk -F, '$1 == "wakeup" && $2 == 24698 { print $1, $2 }' "$TMP/lat.csv" | sort -u)" "-p PID: that task's wake-up series only"
is "$("$RTLENS" latency --format csv --events irq,vector "$D/sched-v6.dat" | awk -F, 'NR > 1 { print $1 }' | sort -u | tr '\n' ' ')" \
	"irq vector " "--events irq,vector"

# json: the overhead report's shape
"$RTLENS" latency --format json "$D/sched-v7-lost.dat" >"$TMP/lat.json" 2>/dev/null
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); my $s = $j->{series};
	exit !(@$s > 5 && defined $s->[0]{discarded}{no_switch_in} && defined $s->[0]{"p99.9"})' <"$TMP/lat.json"
ok $? "json output parses, with p99.9 and discards by reason"

# rtlens overheads on a Linux trace is rtlens latency
"$RTLENS" overheads --format csv "$D/sched-v6.dat" >"$TMP/ovh.csv"
same_file "$TMP/ovh.csv" "$TMP/lat.csv" "rtlens overheads FILE.dat = rtlens latency FILE.dat"
"$RTLENS" overheads --cycles-per-usec 2000 "$D/sched-v6.dat" >/dev/null 2>"$TMP/e"
is "$?" 2 "a Feather-Trace-only option on a Linux trace: usage error"
grep -q "Feather-Trace files only" "$TMP/e"
ok $? "... saying why"
"$RTLENS" latency "$SHARED/testdata/litmus/recorded-qemu/overheads_host=qemu_scheduler=PFAIR_trace=demo_cpu=0.bin" \
	>/dev/null 2>"$TMP/e"
is "$?" 2 "rtlens latency on Feather-Trace: a usage error (exit 2), as rtlens xen on another format"
grep -q "not a Linux trace" "$TMP/e"
ok $? "... saying why"
"$RTLENS" overheads --pid 1 "$SHARED/testdata/litmus/recorded-qemu" >/dev/null 2>&1
is "$?" 2 "--pid on Feather-Trace files: usage error"

# rtlens plot draws the CDF of the samples
"$RTLENS" latency --samples wakeup -n cyclictest "$D/sched-v6.dat" >"$TMP/cyc.csv"
"$RTLENS" plot --format layout --scale 0.001 --unit us "$TMP/cyc.csv" -o "$TMP/cyc.layout"
is "$?" 0 "rtlens plot reads the samples CSV"
grep -q '"value (us)"' "$TMP/cyc.layout"
ok $? "... x label from the value column"
# --by group: one CDF per series, with the series' sample counts
"$RTLENS" plot --format layout --by group "$TMP/cyc.csv" -o "$TMP/by.layout"
is "$?" 0 "rtlens plot --by group"
sed -n 's/^text legend .*"id=\([0-9]*\)_name=cyclictest_prio=\([0-9]*\) (n=\([0-9]*\))".*/\1 \2 \3/p' "$TMP/by.layout" |
	sort >"$TMP/by-got"
awk -F, '$1 == "wakeup" && $3 == "cyclictest" && $6 > 0 { print $2, $4, $6 }' "$TMP/lat.csv" | sort >"$TMP/by-want"
ok $([ -s "$TMP/by-want" ]; echo $?) "cyclictest has wake-up series"
same_file "$TMP/by-got" "$TMP/by-want" "one legend entry per series, n = its samples"
"$RTLENS" plot --format layout --by nosuch "$TMP/cyc.csv" -o "$TMP/x" 2>/dev/null
is "$?" 1 "--by an absent column: error"

"$RTLENS" latency --format csv "$SHARED/testdata/ctf/perf-ctf" 2>/dev/null | grep -q '^softirq,'
ok $? "latency works on perf CTF"
finish
