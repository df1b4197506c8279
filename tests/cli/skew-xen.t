#!/bin/sh
# rtlens skew on xentrace pairs: generated files (tests/gen-xentrace.c -X: a VCPU
# woken on one PCPU runs on another after an RTDS tickle) with per-PCPU TSC offsets
# injected (-K, PCPU c writes (true ns + OFFc) * 2 cycles), and the real recordings.
. "$(dirname "$0")/lib.sh"
G=$RL_BUILD/gen-xentrace

# recovered JSON OFFSETS MAXUNC: every cpu accurate, its offset within its uncertainty of
# the injected one (against cpu 0), the uncertainty at most MAXUNC ns, every pair band
# holding the injected difference
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
# (one step every 30-100 us after the previous run: the offsets stay below those gaps)
for cfg in "-c 4 -g 2 -K 0,15000,-22000,7000" "-c 2 -g 3 -s 5 -K 0,-25000" \
	"-c 3 -g 1 -s 9 -K 4000,-4000,0" "-c 8 -g 2 -s 2 -K 0,1000,2000,3000,-3000,-2000,-1000,20000"; do
	n=$((n + 1))
	offs=${cfg##*-K }
	# shellcheck disable=SC2086
	"$G" -X -n 4000 $cfg -t "$TMP/t$n" -o "$TMP/x$n.xt"
	ok $? "generator -X $cfg"
	"$RTLENS" skew --json --cpu-hz 2G "$TMP/x$n.xt" >"$TMP/x$n.json" 2>"$TMP/e"
	ok $? "skew exits 0 ($cfg)"
	recovered "$TMP/x$n.json" "$offs" 2000 2>"$TMP/diag"
	ok $? "injected offsets $offs recovered within their uncertainty (<= 2 us), every band holds the truth"
	sed 's/^/# /' "$TMP/diag"
done
"$RTLENS" skew --cpu-hz 2G "$TMP/x1.xt" >"$TMP/t1" 2>/dev/null
is "$(sed -n 's/^IPIs: \([0-9]*\) sent, \([0-9]*\) pairs.*/\1 \2/p' "$TMP/t1")" "4000 4000" \
	"every tickle is paired with the tickled SCHEDULE of its PCPU"
grep -q "^wake-ups: [1-9][0-9]* cross-cpu pairs used" "$TMP/t1"
ok $? "wake-up (blocked -> runnable) -> run pairs used"
# no offsets: every band holds 0
"$G" -X -c 4 -g 2 -n 3000 -s 4 -o "$TMP/z.xt"
"$RTLENS" skew --json --cpu-hz 2G "$TMP/z.xt" >"$TMP/z.json" 2>/dev/null
recovered "$TMP/z.json" "0,0,0,0" 2000 2>/dev/null
ok $? "no offsets injected: every offset 0 within its uncertainty"
# the default mode (pinned VCPUs, self-tickles) has no cross-PCPU pairs: nothing estimated
"$G" -c 2 -g 2 -n 500 -o "$TMP/p.xt"
"$RTLENS" skew --json --cpu-hz 2G "$TMP/p.xt" >"$TMP/p.json" 2>/dev/null
perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); exit !(@{$j->{pairs}} == 0 && $j->{cpus}[1]{quality} eq "absent")' <"$TMP/p.json"
ok $? "pinned VCPUs: no pairs, cpu 1 absent"

# the real recordings (one clock: Xen's per-PCPU TSCs are synchronised by the host): every
# band holds 0
for f in "$SHARED/testdata/xen/pennpanda-rtds-mode-change/trace.bin" \
	"$SHARED/testdata/xen/mengxu-2014-rtds-prerelease/trace2.data"; do
	[ -e "$f" ] || continue
	"$RTLENS" skew --json "$f" >"$TMP/r.json" 2>/dev/null
	perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); my $bad = 0;
		for my $c (@{$j->{cpus}}) { next unless defined $c->{offset_ns};
			printf STDERR "cpu %d: %d +- %d (%s)\n", $c->{cpu}, $c->{offset_ns}, $c->{uncertainty_ns}, $c->{quality};
			$bad++ if abs($c->{offset_ns}) > $c->{uncertainty_ns} }
		for my $p (@{$j->{pairs}}) { $bad++ if (defined $p->{lower_ns} && $p->{lower_ns} > 0) ||
			(defined $p->{upper_ns} && $p->{upper_ns} < 0) }
		exit($bad != 0)' <"$TMP/r.json" 2>"$TMP/diag"
	ok $? "$(basename "$(dirname "$f")"): every band holds 0"
	sed 's/^/# /' "$TMP/diag"
done
finish
