#!/bin/sh
# rtlens skew --drift: a linear drift per cpu pair from the convex hulls of the causal
# pairs, on generated trace.dat files whose cpu clocks run at injected rates
# (gen-trace-dat -I -K OFFS -R RATES: cpu c's time = true + OFFc + RATEc ppb of the true
# time since 1 s), and --skew=FILE.json applying the rate.
. "$(dirname "$0")/lib.sh"
G=$RL_BUILD/gen-trace-dat

"$G" -I -c 3 -n 600000 -K 0,3000,-2000 -R 0,2000,-1500 -o "$TMP/d.dat"
ok $? "generator: 3 cpus, offsets 0,3000,-2000 ns, drifts 0,+2000,-1500 ppb"
"$G" -I -c 3 -n 600000 -o "$TMP/t.dat"
ok $? "... and the same workload on one clock"
"$RTLENS" skew --drift --json "$TMP/d.dat" >"$TMP/d.json" 2>"$TMP/e"
ok $? "skew --drift exits 0"
# truth at the epoch: OFFc + RATEc * (epoch - 1 s)
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); my @off = (0, 3000, -2000); my @rate = (0, 2000, -1500);
	my $bad = 0;
	for my $c (@{$j->{cpus}}) { next unless $c->{cpu};
		my $e = $c->{epoch_ns}; my $w = $off[$c->{cpu}] + $rate[$c->{cpu}] * ($e - 1e9) / 1e9;
		printf STDERR "cpu %d: rate %s ppb [%s, %s] (injected %d); offset at %s ns: %s +- %s [%s, %s] (injected %.0f)\n",
			$c->{cpu}, $c->{rate_ppb}, $c->{rate_lower_ppb}, $c->{rate_upper_ppb}, $rate[$c->{cpu}],
			$e, $c->{offset_ns}, $c->{uncertainty_ns}, $c->{lower_ns}, $c->{upper_ns}, $w;
		$bad++ unless defined $c->{rate_ppb} && $c->{rate_lower_ppb} <= $rate[$c->{cpu}] &&
			$rate[$c->{cpu}] <= $c->{rate_upper_ppb} && $c->{lower_ns} <= $w && $w <= $c->{upper_ns} &&
			$c->{rate_upper_ppb} - $c->{rate_lower_ppb} <= 1000 && $c->{quality} eq "accurate" }
	exit($bad != 0)' <"$TMP/d.json" 2>"$TMP/diag"
ok $? "the injected rates and offsets lie within the reported bounds (rate bands <= 1 ppm wide)"
sed 's/^/# /' "$TMP/diag"
"$RTLENS" skew --drift "$TMP/d.dat" >"$TMP/d.txt" 2>/dev/null
grep -q "^drift (offset_b - offset_a = offset + rate" "$TMP/d.txt" &&
	[ "$(grep -c '^ *[0-9] *[0-9] .* ok$' "$TMP/d.txt")" -ge 3 ]
ok $? "the table has a drift line per cpu pair"
"$RTLENS" skew "$TMP/d.dat" >/dev/null 2>"$TMP/e"
grep -q "contradict" "$TMP/e"
ok $? "without --drift no constant offset fits (reported as a contradiction)"

# --skew=FILE.json with the rates: every event's time is the one-clock file's, within a few ns
# (events matched by cpu, byte offset and type: the two files have the same layout)
tsmap() { perl -ne 'my ($ts, $cpu, $t) = /^(-?\d+) (\d+) (\S+)/; my ($o) = /\@(\S+)/;
	print "$cpu $o $t $ts\n" if defined $o' "$1" | sort; }
"$RTLENS" dump "$TMP/t.dat" 2>/dev/null >"$TMP/t.dump"
"$RTLENS" dump --skew="$TMP/d.json" "$TMP/d.dat" 2>"$TMP/e" >"$TMP/c.dump"
ok $? "dump --skew=FILE.json (with rates) exits 0"
"$RTLENS" dump "$TMP/d.dat" 2>/dev/null >"$TMP/r.dump"
tsmap "$TMP/t.dump" >"$TMP/t.map"
tsmap "$TMP/c.dump" >"$TMP/c.map"
tsmap "$TMP/r.dump" >"$TMP/r.map"
maxdiff() { join -j1 "$1" "$2" 2>/dev/null | awk '{ d = $2 - $3; if (d < 0) d = -d; if (d > m) m = d; n++ } END { print n + 0, m + 0 }'; }
key() { awk '{ print $1 "/" $2 "/" $3, $4 }' "$1" | sort; }
key "$TMP/t.map" >"$TMP/t.k"; key "$TMP/c.map" >"$TMP/c.k"; key "$TMP/r.map" >"$TMP/r.k"
set -- $(maxdiff "$TMP/c.k" "$TMP/t.k")
cn=$1 cm=$2
set -- $(maxdiff "$TMP/r.k" "$TMP/t.k")
rn=$1 rm=$2
[ "$cn" -gt 700000 ] && [ "$cm" -le 2000 ] && [ "$rm" -gt 9000 ]
ok $? "corrected with the drift: $cn events within $cm ns of the one-clock times (uncorrected: up to $rm ns)"
# the rate is read back: a file without it corrects less well
perl -pe 's/,"epoch_ns":[0-9]*,"rate_ppb":-?[0-9]*,"rate_lower_ppb":-?[0-9]*,"rate_upper_ppb":-?[0-9]*//g' \
	"$TMP/d.json" >"$TMP/flat.json"
"$RTLENS" dump --skew="$TMP/flat.json" "$TMP/d.dat" 2>/dev/null >"$TMP/f.dump"
tsmap "$TMP/f.dump" >"$TMP/f.map"; key "$TMP/f.map" >"$TMP/f.k"
set -- $(maxdiff "$TMP/f.k" "$TMP/t.k")
[ "$2" -gt "$cm" ] && [ "$2" -gt 4000 ]
ok $? "... without the rate the error is larger ($2 ns)"
printf '{"reference_cpu":0,"unit":"ns","cpus":[{"cpu":0,"offset_ns":0,"uncertainty_ns":0,"quality":"accurate"},{"cpu":1,"offset_ns":5,"uncertainty_ns":1,"rate_ppb":10,"quality":"accurate"}]}' >"$TMP/noep.json"
"$RTLENS" dump --skew="$TMP/noep.json" "$TMP/d.dat" >/dev/null 2>"$TMP/e"
is "$?" 1 "a rate without its epoch: data error"
grep -q "rate needs its epoch" "$TMP/e"
ok $? "... saying so"
finish
