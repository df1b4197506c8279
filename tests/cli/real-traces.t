#!/bin/sh
# rtlens jobs on the real LITMUS^RT recordings: facts from their READMEs, and
# summaries pinned as goldens.
. "$(dirname "$0")/lib.sh"
need_shared
L=$SHARED/testdata/litmus
Q=$L/recorded-qemu

"$RTLENS" info --json $L/sched_trace/unit-trace-g6/*.bin >"$TMP/g6.json"
grep -q '"format":"sched_trace-2010"' "$TMP/g6.json"
ok $? "unit-trace-g6: 2010 numbering detected"
grep -q '"duplicate_release":14' "$TMP/g6.json"
ok $? "unit-trace-g6: the duplicate job-2 RELEASE of each of the 14 tasks collapsed"
"$RTLENS" info --json $L/sched_trace/run-trial48/*.bin | grep -q '"format":"sched_trace-2016"'
ok $? "run-trial48: 2016 numbering detected"

for s in GSN-EDF PSN-EDF PFAIR GSN-EDF_trace=demo-calibrated; do
	case $s in *trace=*) files="$Q/schedule_host=qemu_scheduler=${s}_cpu=";; *) files="$Q/schedule_host=qemu_scheduler=${s}_trace=demo_cpu=";; esac
	"$RTLENS" jobs ${files}0.bin ${files}1.bin ${files}2.bin ${files}3.bin >"$TMP/$s.csv" 2>"$TMP/$s.err"
	ok $? "$s: jobs exits 0"
	is "$(cat "$TMP/$s.err")" "" "$s: no warnings"
	is "$(awk -F, 'NR > 1 && $16 != "complete"' "$TMP/$s.csv" | wc -l)" 0 "$s: every job completed (no records were lost)"
done
# README: PSN-EDF writes no RELEASE for 247 tardy jobs (not counting job 1)
is "$(grep -c release-inferred "$TMP/PSN-EDF.csv")" 247 "PSN-EDF: the 247 missing releases are inferred"
is "$(awk -F, '$17 ~ /no-release/ && $3 != 1' "$TMP/PSN-EDF.csv" | wc -l)" 0 "PSN-EDF: only job 1 lacks a release"
# README: GSN-EDF has 2 such jobs, pid 860 job 184 and pid 861 job 54
is "$(grep release-inferred "$TMP/GSN-EDF.csv" | cut -d, -f1,3 | sort | tr '\n' ' ')" "860,184 861,54 " \
	"GSN-EDF: exactly pid 860 job 184 and pid 861 job 54 inferred"
# inferred release = the job's period grid
is "$(awk -F, '$1 == 860 && $3 == 184 { print $4 }' "$TMP/GSN-EDF.csv")" 5810000000 \
	"GSN-EDF: pid 860 job 184 released at 5.81 s (4 s + 181 periods of 10 ms)"
# README: misses per run as st-job-stats lists them (jobs with a RELEASE record, -r not given)
for pair in GSN-EDF:241 PSN-EDF:154 PFAIR:124 GSN-EDF_trace=demo-calibrated:590; do
	s=${pair%%:*}
	n=${pair#*:}
	is "$(awk -F, 'NR > 1 && $10 == 1 && $17 !~ /release-inferred|no-release/' "$TMP/$s.csv" | wc -l)" "$n" \
		"$s: $n deadline misses among jobs with a RELEASE record (README)"
done

# summaries, pinned
"$RTLENS" jobs -r -m --summary --format csv $L/sched_trace/run-trial48/*.bin >"$TMP/t48"
golden "$TMP/t48" run-trial48.summary.expect
"$RTLENS" jobs -m --summary --format csv $L/sched_trace/unit-trace-g6/*.bin >"$TMP/g6"
golden "$TMP/g6" unit-trace-g6.summary.expect
"$RTLENS" jobs -r -m --summary --format csv "$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin >"$TMP/psn"
golden "$TMP/psn" qemu-psn-edf.summary.expect
finish
