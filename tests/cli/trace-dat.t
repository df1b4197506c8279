#!/bin/sh
# trace.dat reader: per-event-name counts equal `trace-cmd report` on every
# recorded .dat; lost-event markers equal the report's EVENTS DROPPED lines;
# sched_switch / sched_wakeup / migrate field values equal `report -R`.
. "$(dirname "$0")/lib.sh"
need_shared

D=$SHARED/testdata/ftrace
# report text -> "name count" lines (instances prefixed "inst:"), plus <lost>
report_counts() {
	gzip -dc "$1" | perl -ne '
		if (/^\s*CPU:\d+ \[(\d+ )?EVENTS DROPPED\]/) { $c{"<lost>"}++; next }
		if (/^(?:([^\s:]+):\s+)?.*?\[\d+\]\s+[\d.]+:\s+([^:\s]+):/) {
			$c{($1 ? "$1:" : "") . $2}++ }
		END { print "$_ $c{$_}\n" for sort keys %c }'
}
# rtlens info --json -> the same form
info_counts() {
	perl -ne 'if (/"by_type":\{([^}]*)\}/) { for (split /,/, $1) {
		/"(.*)":(\d+)/ or next; my ($k, $v) = ($1, $2);
		$k = "<lost>" if $k eq "lost_events"; print "$k $v\n" } }' "$1" | sort
}

n=0
for dat in "$D"/*.dat; do
	b=$(basename "$dat" .dat)
	rep=$D/$b.report.txt.gz
	[ -f "$rep" ] || continue
	n=$((n + 1))
	"$RTLENS" info --json "$dat" >"$TMP/info.json" 2>"$TMP/err"
	st=$?
	report_counts "$rep" >"$TMP/want"
	info_counts "$TMP/info.json" >"$TMP/got"
	same_file "$TMP/got" "$TMP/want" "$b: event counts per name equal trace-cmd report"
	if grep -q '^<lost>' "$TMP/want"; then
		is "$st" 0 "$b: lost events are warnings, not damage (exit 0)"
		grep -q "events lost before this page" "$TMP/err"
		ok $? "$b: lost events reported as located warnings"
	else
		is "$st" 0 "$b: exit 0"
		is "$(cat "$TMP/err")" "" "$b: no warnings"
	fi
done
ok $([ "$n" -ge 7 ] && echo 0 || echo 1) "all $n recorded .dat files compared"

# lost ranges: each marker spans from the cpu's previous event to the next one
"$RTLENS" dump "$D/sched-v7-lost.dat" 2>/dev/null | awk '$3 == "lost" {
	split($8, a, "="); n++; if (a[2] > 0 && a[2] < $1) good++ } END { print n + 0, good + 0 }' >"$TMP/l"
is "$(cat "$TMP/l")" "5 5" "sched-v7-lost: 5 lost ranges, each starting before its end"

# field values: rtlens dump vs trace-cmd report -R (raw), order-independent
"$RTLENS" dump "$D/sched-v6.dat" | perl -ne '
	my @f = split; my %a = map { /^(\w+)=(.*)/ ? ($1, $2) : () } @f;
	my $p = $a{pid} eq "-" ? 0 : $a{pid};
	if ($f[2] eq "switch_out") { $prev = $p; $st = $a{arg2}; $ts = $f[0]; $cpu = $f[1] }
	elsif ($f[2] eq "switch_in") { print "S $ts $cpu $prev $st $p $a{arg2}\n" }
	elsif ($f[2] eq "wakeup") { print "W $f[0] $f[1] $p $a{arg2} $a{arg}\n" }
	elsif ($f[2] eq "migrate") { print "M $f[0] $f[1] $p $a{arg2} $a{arg}\n" }
	elsif ($f[2] eq "irq_enter" && $a{arg2} == 0) { print "I $f[0] $f[1] $a{arg}\n" }' |
	sort >"$TMP/got"
gzip -dc "$D/sched-v6.report-raw.txt.gz" | perl -ne '
	/\[0*(\d+)\]\s+(\d+)\.(\d{9}):\s+(\w+):\s+(.*)/ or next;
	my ($cpu, $ts, $ev, $rest) = ($1, $2 . $3, $4, $5); $ts =~ s/^0+//;
	my %a = $rest =~ /(\w+)=(\S+)/g;
	if ($ev eq "sched_switch") { print "S $ts $cpu $a{prev_pid} $a{prev_state} $a{next_pid} $a{next_prio}\n" }
	elsif ($ev eq "sched_wakeup" || $ev eq "sched_wakeup_new") { print "W $ts $cpu $a{pid} $a{prio} ", $a{target_cpu} + 0, "\n" }
	elsif ($ev eq "sched_migrate_task") { print "M $ts $cpu $a{pid} $a{orig_cpu} $a{dest_cpu}\n" }
	elsif ($ev eq "irq_handler_entry") { print "I $ts $cpu $a{irq}\n" }' |
	sort >"$TMP/want"
is "$(wc -l <"$TMP/want")" "$(wc -l <"$TMP/got")" "sched-v6: as many switch/wakeup/migrate/irq records as report -R"
ok $([ "$(wc -l <"$TMP/want")" -gt 2000 ] && echo 0 || echo 1) "sched-v6: report -R has the records"
same_file "$TMP/got" "$TMP/want" "sched-v6: time, cpu, pids, prev_state, prio, cpus equal report -R"
# info --json: events counts the source records (each sched_switch once), as report does
"$RTLENS" info --json "$D/sched-v6.dat" >"$TMP/i.json"
is "$(perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); my $s = 0;
	$s += $_ for values %{$j->{by_type}}; print "$j->{events} $s"' <"$TMP/i.json")" \
	"$(gzip -dc "$D/sched-v6.report.txt.gz" | grep -c ': *[a-z_]*:') $(gzip -dc "$D/sched-v6.report.txt.gz" | grep -c ': *[a-z_]*:')" \
	"sched-v6: info --json events = the sum of by_type = report's records"
finish
