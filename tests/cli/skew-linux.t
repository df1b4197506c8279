#!/bin/sh
# rtlens skew on Linux IPI and wake-up pairs: generated trace.dat files
# (tests/gen-trace-dat.c -I: cross-cpu wake-ups with reschedule IPIs and
# function-call IPIs to cpumasks) with per-cpu clock offsets injected (-K,
# clock_c = true + OFFc), and an ftrace text trace with a shifted cpu.
. "$(dirname "$0")/lib.sh"
G=$RL_BUILD/gen-trace-dat

# recovered JSON OFFSETS MAXUNC: every cpu accurate, its offset within its uncertainty
# of the injected one (against cpu 0), the uncertainty at most MAXUNC ns
recovered() {
	perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); my @off = split /,/, $ARGV[0];
		my $bad = 0;
		for my $c (@{$j->{cpus}}) {
			my $want = $off[$c->{cpu}] - $off[0];
			printf STDERR "cpu %d: injected %d, recovered %s +- %s (%s)\n", $c->{cpu}, $want,
				$c->{offset_ns} // "null", $c->{uncertainty_ns} // "null", $c->{quality};
			$bad++ unless $c->{quality} eq "accurate" && defined $c->{offset_ns} &&
				abs($c->{offset_ns} - $want) <= $c->{uncertainty_ns} &&
				$c->{uncertainty_ns} <= $ARGV[1];
		}
		for my $p (@{$j->{pairs}}) {
			my $w = $off[$p->{cpu_b}] - $off[$p->{cpu_a}];
			$bad++ unless $p->{state} eq "ok" && $p->{lower_ns} <= $w && $w <= $p->{upper_ns};
		}
		exit($bad != 0 || @{$j->{cpus}} != @off)' -- "$2" "$3" <"$1"
}

n=0
# (the workload's IPIs of one kind to one cpu are >= 27 us apart: the offsets stay below
# that, which the stream-order matching assumes; see the 60 us case below)
for cfg in "-c 4 -K 0,15000,-22000,7000" "-c 3 -v 7 -z zstd -s 7 -K 0,-12000,9000" \
	"-c 2 -E -s 3 -K 0,21000" "-c 4 -s 11 -K 5000,5000,5000,5000" \
	"-c 6 -s 5 -K 0,1000,-1000,12000,-12000,0"; do
	n=$((n + 1))
	offs=${cfg##*-K }
	# shellcheck disable=SC2086
	"$G" -I -n 40000 $cfg -o "$TMP/g$n.dat"
	ok $? "generator -I $cfg"
	"$RTLENS" skew --json "$TMP/g$n.dat" >"$TMP/g$n.json" 2>"$TMP/e"
	ok $? "skew exits 0 ($cfg)"
	recovered "$TMP/g$n.json" "$offs" 3000 2>"$TMP/diag"
	ok $? "injected offsets $offs recovered within their uncertainty (<= 3 us), every band holds the truth"
	sed 's/^/# /' "$TMP/diag"
done

# what the pairs are: IPIs (both kinds) and wake-ups, no migrations in this workload
"$RTLENS" skew "$TMP/g1.dat" >"$TMP/t1" 2>/dev/null
sent=$(sed -n 's/^IPIs: \([0-9]*\) sent, \([0-9]*\) pairs.*/\1/p' "$TMP/t1")
used=$(sed -n 's/^IPIs: \([0-9]*\) sent, \([0-9]*\) pairs.*/\2/p' "$TMP/t1")
[ -n "$used" ] && [ "$used" -gt 1000 ] && [ "$used" -le "$sent" ]
ok $? "IPI pairs used ($used of $sent sends)"
grep -q "^wake-ups: [1-9][0-9]* cross-cpu pairs used" "$TMP/t1"
ok $? "wake-up pairs used"
grep -q "^passes: [2-9]" "$TMP/t1"
ok $? "matched again on corrected times (the receivers behind their senders)"
# the readers: ipi_send_cpu is an ipi_send to one cpu, ipi_send_cpumask to the mask of the
# other three cpus (arg -1, arg2 = the mask), and the vector handlers stay irq_enter events
"$RTLENS" dump "$TMP/g1.dat" >"$TMP/d1" 2>/dev/null
perl -ne '$one++ if / ipi_send ipi_send_cpu .* arg=([0-3]) arg2=(\d+)/ && $2 == 1 << $1;
	if (/^\d+ (\d) ipi_send ipi_send_cpumask .* arg=-1 arg2=(\d+)/) { $m++; $bad++ if $2 != (15 & ~(1 << $1)) }
	$rs++ if / irq_enter reschedule_entry .* arg=253 /; $cf++ if / irq_enter call_function_entry .* arg=252 /;
	END { printf STDERR "%d single, %d mask, %d resched, %d callfn\n", $one, $m, $rs, $cf;
		exit !($one > 1000 && $m > 100 && !$bad && $rs == $one && $cf == 3 * $m) }' "$TMP/d1" 2>"$TMP/diag"
ok $? "dump: ipi_send_cpu and ipi_send_cpumask targets, reschedule and call_function entries ($(cat "$TMP/diag"))"
# a skew above the gaps between IPIs to one cpu: here the mismatched pairs contradict
# each other, and that is reported (not an offset outside its band)
"$G" -I -c 2 -s 3 -n 40000 -K 0,60000 -o "$TMP/big.dat"
"$RTLENS" skew --json "$TMP/big.dat" >"$TMP/big.json" 2>"$TMP/e"
ok $? "60 us offset: skew exits 0"
grep -q "contradict" "$TMP/e" &&
	perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>);
		exit(!!grep { $_->{quality} ne "fail" } @{$j->{cpus}})' <"$TMP/big.json"
ok $? "... the contradiction is reported: both cpus fail, no offset given"
# one clock (no -K): every band holds 0
"$G" -I -c 4 -n 20000 -s 2 -o "$TMP/z.dat"
"$RTLENS" skew --json "$TMP/z.dat" >"$TMP/z.json" 2>/dev/null
recovered "$TMP/z.json" "0,0,0,0" 3000 2>/dev/null
ok $? "no offsets injected: every offset 0 within its uncertainty"
# --skew=FILE.json on the skewed file: the corrected stream is the one-clock stream
# (same wake-up latencies as a file generated without offsets, within the uncertainty)
"$RTLENS" latency --skew="$TMP/g1.json" "$TMP/g1.dat" >/dev/null 2>"$TMP/e"
ok $? "latency --skew=FILE on the generated trace exits 0"
grep -q "clock skew (.*): 4 cpus corrected" "$TMP/e"
ok $? "... all four cpus corrected"

# ftrace text with IPIs: cpu 1 runs 30 us behind cpu 0 (lines re-sorted by time, as a
# per-cpu buffer of a skewed clock prints); IPIs each way, delays 1-3 us
perl -e '
my $D = -30; my @l; my $t = 1000000;
sub line { my ($cpu, $ts, $pid, $ev, $pl) = @_; $ts += $D if $cpu == 1;
	push @l, [$ts, sprintf("%16s-%-5d [%03d] d.h1. %7d.%06d: %s: %s", "hog", $pid, $cpu, $ts / 1000000, $ts % 1000000, $ev, $pl)] }
for my $k (0 .. 199) {
	$t += 40 + ($k * 7) % 50; my ($a, $b) = ($k % 2, 1 - $k % 2); my $d = 1 + ($k * 13) % 3;
	if ($k % 5 == 4) {	# a function call to a cpumask: call_function_entry
		line($a, $t, 100 + $a, "ipi_send_cpumask", sprintf("cpumask=00000000,%08x callsite=x+0x1/0x2 callback=f+0x0/0x9", 1 << $b));
		line($b, $t + $d, 100 + $b, "call_function_entry", "vector=252");
	} else {
		line($a, $t, 100 + $a, "ipi_send_cpu", "cpu=$b callsite=resched_curr+0x5c/0xa0 callback=0x0");
		line($b, $t + $d, 100 + $b, "reschedule_entry", "vector=253");
	}
}
print "# tracer: nop\n#\n";
print "$_->[1]\n" for sort { $a->[0] <=> $b->[0] } @l' >"$TMP/ipi.txt"
"$RTLENS" skew --json "$TMP/ipi.txt" >"$TMP/ipi.json" 2>"$TMP/e"
ok $? "ftrace text with IPIs: skew exits 0"
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); my $c = $j->{cpus}[1]; my $p = $j->{pairs}[0];
	printf STDERR "cpu 1: %s +- %s ns, pair [%s, %s] (%d, %d pairs), injected -30000\n", $c->{offset_ns},
		$c->{uncertainty_ns}, $p->{lower_ns}, $p->{upper_ns}, $p->{n_ab}, $p->{n_ba};
	exit !(defined $c->{offset_ns} && abs($c->{offset_ns} + 30000) <= $c->{uncertainty_ns} &&
		$c->{uncertainty_ns} <= 2000 && $p->{n_ab} + $p->{n_ba} == 200)' <"$TMP/ipi.json" 2>"$TMP/diag"
ok $? "ftrace text: the 30 us shift recovered from 200 IPIs (cpumask ones too)"
sed 's/^/# /' "$TMP/diag"

# the real Linux traces: one clock, every band holds 0 (also with the wake-up pairs)
F=$SHARED/testdata/ftrace
for f in "$F"/*.dat "$F/ftrace-text-default.txt" "$F/ftrace-text-latency.txt" "$F/lisa-trace_txt-trace.txt" \
	"$SHARED/testdata/ctf/perf-ctf" "$SHARED/testdata/ctf/lttng-kernel-tracefile-rotation"; do
	[ -e "$f" ] || continue
	"$RTLENS" skew --json "$f" >"$TMP/r.json" 2>/dev/null
	perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); my $bad = 0;
		for my $c (@{$j->{cpus}}) { next unless defined $c->{offset_ns};
			$bad++ if abs($c->{offset_ns}) > $c->{uncertainty_ns} }
		for my $p (@{$j->{pairs}}) { $bad++ if (defined $p->{lower_ns} && $p->{lower_ns} > 0) ||
			(defined $p->{upper_ns} && $p->{upper_ns} < 0) }
		exit($bad != 0)' <"$TMP/r.json"
	ok $? "$(basename "$f"): every band holds 0"
done
finish
