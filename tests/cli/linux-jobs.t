#!/bin/sh
# Linux job model (wake-up activates, blocking switch-out ends): rtlens jobs
# on sched-v6.dat equals an independent re-derivation from trace-cmd's raw
# report for the cyclictest threads; the summary holds their jobs; the same
# jobs come out of the trace.dat and the report text.
. "$(dirname "$0")/lib.sh"
need_shared

D=$SHARED/testdata/ftrace
"$RTLENS" jobs -n cyclictest "$D/sched-v6.dat" >"$TMP/jobs.csv" 2>"$TMP/err"
is "$?" 0 "jobs on sched-v6.dat exits 0"
is "$(head -1 "$TMP/jobs.csv")" \
	"pid,name,job,activation_ns,start_ns,end_ns,response_ns,sched_latency_ns,exec_ns,preemptions,migrations,cpu,prio,status" \
	"Linux job columns (times named with their unit)"
awk -F, 'NR > 1 && $14 == "complete" { print $1, $3, $4, $5, $6, $9, $10, $11 }' "$TMP/jobs.csv" |
	sort >"$TMP/got"
gzip -dc "$D/sched-v6.report-raw.txt.gz" | perl -e '
	my (%act, %run, %job, %rel, %start, %since, %exec, %pre, %mig, %cpu, %preempted, %name);
	while (<>) {
		/\[0*(\d+)\]\s+(\d+)\.(\d{9}):\s+(\w+):\s+(.*)/ or next;
		my ($c, $ts, $ev, $rest) = ($1, $2 . $3, $4, $5); $ts =~ s/^0+//;
		my %a = $rest =~ /(\w+)=(\S+)/g;
		if ($ev =~ /^sched_(waking|wakeup|wakeup_new)$/) {
			my $p = $a{pid};
			next if $act{$p} || $run{$p};
			$act{$p} = 1; $job{$p}++; $rel{$p} = $ts; $start{$p} = undef;
			$exec{$p} = $pre{$p} = $mig{$p} = 0; $cpu{$p} = undef;
		} elsif ($ev eq "sched_switch") {
			my ($p, $n) = ($a{prev_pid}, $a{next_pid});
			$name{$p} = $a{prev_comm}; $name{$n} = $a{next_comm};
			if ($p) {
				$exec{$p} += $ts - $since{$p} if $run{$p} && $act{$p};
				$run{$p} = 0; $cpu{$p} = $c;
				if ($a{prev_state} & 0xff) {
					print "$p $job{$p} $rel{$p} $start{$p} $ts $exec{$p} $pre{$p} $mig{$p}\n"
						if $act{$p} && $name{$p} eq "cyclictest";
					$act{$p} = 0;
				} else { $preempted{$p} = 1 }
			}
			if ($n) {
				if ($act{$n}) {
					if (!defined $start{$n}) { $start{$n} = $ts }
					elsif ($preempted{$n}) { $pre{$n}++ }
					$mig{$n}++ if defined $cpu{$n} && $cpu{$n} != $c;
				}
				$preempted{$n} = 0; $run{$n} = 1; $since{$n} = $ts; $cpu{$n} = $c;
			}
		}
	}' | sort >"$TMP/want"
ok $([ "$(wc -l <"$TMP/want")" -gt 200 ] && echo 0 || echo 1) "re-derivation finds the cyclictest jobs ($(wc -l <"$TMP/want"))"
same_file "$TMP/got" "$TMP/want" "sched-v6: cyclictest jobs (activation, start, end, exec, preemptions, migrations)"

"$RTLENS" jobs --summary --format csv -n cyclictest "$D/sched-v7-zstd.dat" >"$TMP/sum.csv"
is "$?" 0 "jobs --summary on sched-v7-zstd.dat exits 0"
is "$(awk -F, 'NR > 1 && $3 == 19 { n++ } END { print n + 0 }' "$TMP/sum.csv")" 2 \
	"two SCHED_FIFO-80 cyclictest threads (kernel prio 19)"
ok $(awk -F, 'NR > 1 && $3 == 19 && $4 < 250 { bad = 1 } END { print bad + 0 }' "$TMP/sum.csv") \
	"each has hundreds of 1 ms jobs"
"$RTLENS" jobs --summary --format json "$D/sched-v7-zstd.dat" | grep -q '"model":"linux-wakeup"'
ok $? "json summary names the model"

# trace.dat and its report text give the same jobs
"$RTLENS" jobs "$D/sched-v7-zstd.dat" >"$TMP/a"
"$RTLENS" jobs "$D/sched-v7-zstd.report.txt.gz" >"$TMP/b"
same_file "$TMP/b" "$TMP/a" "sched-v7-zstd: report text gives the trace.dat's jobs"
# lost events end the open jobs of the CPU's tasks
"$RTLENS" jobs -q "$D/sched-v7-lost.dat" >"$TMP/l"
ok $(grep -q ',lost$' "$TMP/l"; echo $?) "sched-v7-lost: jobs cut by lost events are marked lost"
finish
