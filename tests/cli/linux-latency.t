#!/bin/sh
# rtlens latency: wake-up latency of the cyclictest threads and softirq
# durations on sched-v6.dat equal an independent derivation from trace-cmd's
# raw report (samples disturbed by an interrupt left out); json parses.
. "$(dirname "$0")/lib.sh"
need_shared

D=$SHARED/testdata/ftrace
"$RTLENS" latency --format csv "$D/sched-v6.dat" >"$TMP/lat.csv" 2>"$TMP/err"
is "$?" 0 "latency on sched-v6.dat exits 0"
is "$(head -1 "$TMP/lat.csv")" "kind,id,name,prio,samples,filtered_irq,filtered_lost,no_switch_in,min,mean,p50,p99,max" "csv columns"
# independent derivation: per (pid, prio at switch-in) wake-up -> switch-in,
# left out if a handler other than the reschedule IPI started on that cpu
gzip -dc "$D/sched-v6.report-raw.txt.gz" | perl -e '
	my (%woken, %run, %irq, %s, %f, %name);
	while (<>) {
		/\[0*(\d+)\]\s+(\d+)\.(\d{9}):\s+(\w+):\s+(.*)/ or next;
		my ($c, $ts, $ev, $rest) = ($1, $2 . $3, $4, $5); $ts =~ s/^0+//;
		my %a = $rest =~ /(\w+)=(\S+)/g;
		if ($ev =~ /_entry$/ && $ev ne "reschedule_entry" && $ev !~ /^hrtimer/) { $irq{$c} = $ts }
		elsif ($ev eq "sched_waking" || $ev eq "sched_wakeup" || $ev eq "sched_wakeup_new") {
			$woken{$a{pid}} = $ts if !$run{$a{pid}} && !defined $woken{$a{pid}};
		} elsif ($ev eq "sched_switch") {
			my ($p, $n) = ($a{prev_pid}, $a{next_pid});
			$name{$p} = $a{prev_comm}; $name{$n} = $a{next_comm};
			if ($p) { $run{$p} = 0; delete $woken{$p} }
			if ($n) {
				$run{$n} = 1;
				if (defined $woken{$n}) {
					my $k = "$n $a{next_prio}";
					if (defined $irq{$c} && $irq{$c} > $woken{$n}) { $f{$k}++ }
					else { push @{$s{$k}}, $ts - $woken{$n} }
				}
				delete $woken{$n};
			}
		}
	}
	for my $k (sort keys %s) {
		next unless $name{(split / /, $k)[0]} eq "cyclictest";
		my @v = sort { $a <=> $b } @{$s{$k}};
		printf "%s %d %d %d %d\n", $k, scalar @v, $f{$k} // 0, $v[0], $v[-1];
	}' | sort -k1,1n -k2,2n >"$TMP/want"
awk -F, '$1 == "wakeup" && $3 == "cyclictest" && $5 > 0 { print $2, $4, $5, $6, $9, $13 }' "$TMP/lat.csv" >"$TMP/got"
ok $([ "$(wc -l <"$TMP/want")" -ge 2 ] && echo 0 || echo 1) "derivation finds cyclictest wake-ups"
same_file "$TMP/got" "$TMP/want" "cyclictest wake-up latency: samples, left out, min, max"
# softirq: every matched entry/exit pair is a sample or left out
for v in 1 7 9; do
	n=$(gzip -dc "$D/sched-v6.report-raw.txt.gz" | grep -c "softirq_exit: *vec=$v\$")
	is "$(awk -F, -v v=$v '$1 == "softirq" && $2 == v { print $5 + $6 + $7 }' "$TMP/lat.csv")" "$n" \
		"softirq $v: samples + left out = exits in the report"
done
"$RTLENS" latency --format json "$D/sched-v7-lost.dat" >"$TMP/lat.json" 2>/dev/null
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); exit !(@{$j->{keys}} > 5)' <"$TMP/lat.json"
ok $? "json output parses (sched-v7-lost)"
"$RTLENS" latency --format csv "$D/sched-v7-lost.dat" 2>/dev/null | awk -F, 'NR > 1 { n += $7 } END { exit !(n > 0) }'
ok $? "samples spanning lost events are counted as left out"
"$RTLENS" latency --format csv /work/shared/testdata/ctf/perf-ctf 2>/dev/null | grep -q '^softirq,'
ok $? "latency works on perf CTF"
finish
