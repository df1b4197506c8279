#!/bin/sh
# rtlens db: overhead_sample holds every Feather-Trace sample, the kept ones
# (status kept) and the discarded ones (status = the discard reason, value
# END - START, NULL without one of the records). Per series the rows of each
# status are the counts of overhead_stats; idx orders all samples of a
# series as the files do; the values agree with rtlens overheads run with
# the filters off, with gen-feather-trace's counts and with the synthetic
# set's truth.json.
. "$(dirname "$0")/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP the sqlite3 command-line tool is not installed (Debian sqlite3)"
	exit 0
fi
q() { sqlite3 -batch -list -separator , "$@"; }
REASONS="irq seq_hole interleaved non_rt incomplete cpu_filtered negative orphan_end"

# check_counts DB NAME: per series, rows per status = n and the discard_<reason> columns
check_counts() {
	sel="SELECT grp, event, cpu, 'kept', n FROM overhead_stats WHERE n > 0"
	for r in $REASONS; do
		sel="$sel UNION ALL SELECT grp, event, cpu, '$r', discard_$r FROM overhead_stats
			WHERE discard_$r > 0"
	done
	q "$1" "SELECT * FROM ($sel) ORDER BY 1, 2, 3, 4" >"$TMP/counts.want"
	q "$1" "SELECT grp, event, cpu, status, COUNT(*) FROM overhead_sample
		GROUP BY grp, event, cpu, status ORDER BY 1, 2, 3, 4" >"$TMP/counts.got"
	ok $(test -s "$TMP/counts.want"; echo $?) "$2: overhead_stats has samples"
	same_file "$TMP/counts.got" "$TMP/counts.want" \
		"$2: per series, rows of each status = n and discard_<reason> of overhead_stats"
	is "$(q "$1" "SELECT COUNT(*) FROM (SELECT grp, event, cpu FROM overhead_sample
		GROUP BY grp, event, cpu HAVING MIN(idx) != 0 OR MAX(idx) != COUNT(*) - 1
		OR COUNT(DISTINCT idx) != COUNT(*))")" 0 \
		"$2: idx numbers each series' samples 0, 1, ... without gaps or repeats"
	# seq_hole: a pair across a hole has its value, a START unended across one none
	is "$(q "$1" "SELECT COUNT(*) FROM overhead_sample WHERE
		(value IS NULL AND status NOT IN ('incomplete', 'orphan_end', 'cpu_filtered', 'seq_hole'))
		OR (value IS NOT NULL AND status IN ('incomplete', 'orphan_end', 'cpu_filtered'))")" 0 \
		"$2: value NULL exactly for the samples of one record"
}

# check_order DB NAME EVENT OPTS STATUSES: the rows of STATUSES in idx order are
# the samples rtlens overheads keeps with OPTS, in its (file) order
check_order() {
	db=$1 name=$2 ev=$3 opts=$4 st=$5
	shift 5
	"$RTLENS" overheads $opts --samples "$ev" "$@" 2>/dev/null | tail -n +2 | cut -d, -f3 >"$TMP/ord.want"
	q "$db" "SELECT value FROM overhead_sample WHERE event = '$ev' AND status IN ($st)
		ORDER BY grp, cpu, idx" >"$TMP/ord.got"
	ok $(test -s "$TMP/ord.want"; echo $?) "$name: rtlens overheads $opts has $ev samples"
	same_file "$TMP/ord.got" "$TMP/ord.want" \
		"$name: $ev rows with status $st in idx order = rtlens overheads $opts --samples"
}

# generated files: gen-feather-trace says how many samples of each event are kept,
# interrupted, of best-effort tasks
G=$TMP/gen
mkdir "$G"
"$RL_BUILD/gen-feather-trace" -c 2 -n 3000 -S 5 "$G" >"$TMP/gen.out"
ok $? "gen-feather-trace writes a run"
"$RTLENS" db -q -o "$TMP/g.db" "$G"
ok $? "db on it exits 0"
check_counts "$TMP/g.db" gen
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); c[kv[1]] = kv[2] }
	if (c["kept"]) print $1 ",kept," c["kept"]; if (c["irq"]) print $1 ",irq," c["irq"]
	if (c["nonrt"] && $1 != "SEND_RESCHED") print $1 ",non_rt," c["nonrt"] }' "$TMP/gen.out" |
	sort >"$TMP/gen.want"
q "$TMP/g.db" "SELECT event, status, COUNT(*) FROM overhead_sample GROUP BY event, status" |
	sort >"$TMP/gen.got"
same_file "$TMP/gen.got" "$TMP/gen.want" "gen: rows per event and status = gen-feather-trace's counts"
check_order "$TMP/g.db" gen CXS "" "'kept'" "$G"
check_order "$TMP/g.db" gen SCHED "--keep-irq --best-effort" "'kept', 'irq', 'non_rt'" "$G"
# the same file, whatever the number of files walked at once (online cpus): byte-identical
"$RTLENS" db -q -o "$TMP/g2.db" "$G"
ok $(cmp -s "$TMP/g.db" "$TMP/g2.db"; echo $?) "gen: byte-identical on a second run"

if [ ! -d "$SHARED/testdata" ]; then
	skip "shared test data not found at $SHARED (../shared absent)"
	finish
fi
D=$SHARED/testdata/synthetic/feather-trace/gsn-edf-4cpu
if [ ! -f "$D/truth.json" ]; then
	skip "synthetic gsn-edf-4cpu set not found at $D"
	finish
fi
"$RTLENS" db -q -o "$TMP/sy.db" "$D"
ok $? "db on the synthetic gsn-edf-4cpu set exits 0"
check_counts "$TMP/sy.db" gsn-edf-4cpu
is "$(q "$TMP/sy.db" "SELECT status, COUNT(*) FROM overhead_sample GROUP BY status ORDER BY status" |
	tr '\n' ' ')" "irq,237 kept,5560 negative,112 non_rt,2204 orphan_end,21 seq_hole,9 " \
	"gsn-edf-4cpu: rows per status"
for ev in CXS SCHED SCHED2 RELEASE TICK RELEASE_LATENCY; do
	check_order "$TMP/sy.db" gsn-edf-4cpu $ev "" "'kept'" "$D"
done
check_order "$TMP/sy.db" gsn-edf-4cpu CXS "--keep-irq --best-effort" "'kept', 'irq', 'non_rt'" "$D"
check_order "$TMP/sy.db" gsn-edf-4cpu SEND_RESCHED "--keep-irq --keep-negative" \
	"'kept', 'irq', 'negative'" "$D"

# truth.json: the true samples (cycles, irq flag) of each event and the observed IPI delays
if ! perl -MJSON::PP -e 1 2>/dev/null; then
	skip "perl's JSON::PP is not installed: truth.json not read"
	finish
fi
perl -MJSON::PP -e 'local $/; my $t = decode_json(<STDIN>);
	for my $ev (sort keys %{$t->{samples}}) {
		for my $s (@{$t->{samples}{$ev}}) {
			print "$ev,irq,$s->{cycles}\n" if exists $s->{cycles} && $s->{irq};
		}
	}
	for my $i (@{$t->{ipis}}) { # 48-bit counters: a delay past 2^47 is END before START
		my $c = $i->{observed_cycles};
		print "SEND_RESCHED,", ($c > 2**47 ? "negative," . ($c - 2**48) : "other,$c"), "\n";
	}' <"$D/truth.json" | sort >"$TMP/truth.all"
grep ',irq,' "$TMP/truth.all" >"$TMP/truth.irq"
q "$TMP/sy.db" "SELECT event, status, value FROM overhead_sample WHERE status = 'irq'
	AND event != 'SEND_RESCHED'" | sort >"$TMP/irq.got"
ok $(test -s "$TMP/truth.irq"; echo $?) "truth.json has interrupted samples"
same_file "$TMP/irq.got" "$TMP/truth.irq" \
	"gsn-edf-4cpu: the irq rows' values are truth.json's interrupted samples (cycles)"
# each negative row is a delay of truth.json past 2^47, as END - START (< 0); one such IPI
# was interrupted and is an irq row
q "$TMP/sy.db" "SELECT 'SEND_RESCHED', 'negative', value FROM overhead_sample
	WHERE event = 'SEND_RESCHED' AND status = 'negative'" | sort >"$TMP/neg.got"
grep ',negative,' "$TMP/truth.all" >"$TMP/neg.truth"
is "$(comm -23 "$TMP/neg.got" "$TMP/neg.truth" | wc -l | tr -d ' ')" 0 \
	"gsn-edf-4cpu: every negative row's value is an observed delay of truth.json minus 2^48"
is "$(wc -l <"$TMP/neg.got" | tr -d ' '),$(wc -l <"$TMP/neg.truth" | tr -d ' ')" 112,113 \
	"gsn-edf-4cpu: 112 negative rows of truth.json's 113 delays past 2^47"
q "$TMP/sy.db" "SELECT value FROM overhead_sample WHERE event = 'SEND_RESCHED' AND value IS NOT NULL" |
	sort -n >"$TMP/ipi.got"
sed 's/^SEND_RESCHED,[a-z]*,//' "$TMP/truth.all" | grep -v '[A-Z]' | sort -n >"$TMP/ipi.want"
same_file "$TMP/ipi.got" "$TMP/ipi.want" \
	"gsn-edf-4cpu: SEND_RESCHED rows with a value, any status, are truth.json's IPI delays"
finish
