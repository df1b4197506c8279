#!/bin/sh
# rtlens jobs against the generator's ground truth: partitioned and global
# EDF, both record numberings, the PSN-EDF missing-release quirk.
. "$(dirname "$0")/lib.sh"
GEN=$RL_BUILD/gen-sched-trace

check_truth() { # NAME GEN-ARGS...
	name=$1
	shift
	d=$TMP/$name
	"$GEN" -o "$d" "$@" 2>/dev/null
	ok $? "$name: generator runs"
	"$RTLENS" jobs "$d"/st-*.bin >"$d/jobs.csv" 2>"$d/err"
	ok $? "$name: rtlens jobs exits 0"
	is "$(cat "$d/err")" "" "$name: no warnings"
	# pid,job,release,deadline,completion,exec,preemptions,migrations of completed jobs
	awk -F, 'NR > 1 && $16 == "complete" { print $1","$3","$4","$5","$6","$11","$12","$13 }' \
		"$d/jobs.csv" | sort >"$d/got"
	tail -n +2 "$d/truth.csv" | sort >"$d/want"
	is "$(wc -l <"$d/got")" "$(wc -l <"$d/want")" "$name: as many completed jobs as the truth"
	same_file "$d/got" "$d/want" "$name: every job's release, deadline, completion, exec, preemptions, migrations"
}

check_truth part2016 -n 12 -m 4 -j 4000 -s 3
check_truth global2016 -g -n 14 -m 4 -u 3.2 -j 5000 -s 5
check_truth global2010 -g -N 2010 -n 14 -m 4 -u 3.2 -j 5000 -s 9
check_truth psn2016 --psn-quirk -n 8 -m 2 -u 2.7 -j 4000 -s 11

# the PSN quirk really removed RELEASE records, and they were inferred
d=$TMP/psn2016
inf=$(grep -c release-inferred "$d/jobs.csv")
ok $([ "$inf" -gt 0 ] && echo 0 || echo 1) "psn2016: $inf releases inferred"
rels=$("$RTLENS" info --json "$d"/st-*.bin | sed 's/.*"RELEASE":\([0-9]*\).*/\1/')
comp=$(tail -n +2 "$d/truth.csv" | wc -l)
ok $([ "$rels" -lt "$comp" ] && echo 0 || echo 1) "psn2016: fewer RELEASE records ($rels) than jobs ($comp)"

# 2010: execution time comes from the intervals, flagged
grep -q 'exec-from-intervals' "$TMP/global2010/jobs.csv"
ok $? "global2010: exec computed from scheduled intervals"
grep -q 'dup-release' "$TMP/global2010/jobs.csv"
ok $? "global2010: duplicate first release collapsed and flagged"
"$RTLENS" info "$TMP/global2010"/st-*.bin | grep -q 'format: *sched_trace-2010'
ok $? "global2010: numbering detected as 2010"

# file order does not matter
"$RTLENS" jobs "$TMP/global2016/st-3.bin" "$TMP/global2016/st-0.bin" "$TMP/global2016/st-2.bin" \
	"$TMP/global2016/st-1.bin" >"$TMP/rev.csv"
same_file "$TMP/rev.csv" "$TMP/global2016/jobs.csv" "files in any order give identical output"

# gzip input
gzip -k "$TMP/global2016"/st-*.bin
"$RTLENS" jobs "$TMP/global2016"/st-*.bin.gz >"$TMP/gz.csv"
same_file "$TMP/gz.csv" "$TMP/global2016/jobs.csv" "gzip-compressed files give identical output"
finish
