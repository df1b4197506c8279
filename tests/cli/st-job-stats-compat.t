#!/bin/sh
# st-job-stats compatibility: byte-identical to the original tool's output
# on real traces (run-trial48 and the recorded-qemu runs).
. "$(dirname "$0")/lib.sh"
need_shared

T=$SHARED/testdata/litmus/sched_trace/run-trial48
R=$SHARED/testdata/reference/litmus
for v in "" "-r" "-m" "-p 24920"; do
	suf=$(echo "$v" | tr -d ' -')
	ref=$R/run-trial48.st-job-stats${suf:+-$suf}.txt
	"$RL_BUILD/st-job-stats" $v $T/st-0.bin $T/st-1.bin $T/st-2.bin $T/st-3.bin >"$TMP/out" 2>"$TMP/err"
	ok $? "st-job-stats $v run-trial48 exits 0"
	same_file "$TMP/out" "$ref" "st-job-stats $v run-trial48 byte-identical"
	"$RTLENS" jobs --compat $v $T/st-3.bin $T/st-1.bin $T/st-0.bin $T/st-2.bin >"$TMP/out2" 2>/dev/null
	same_file "$TMP/out2" "$ref" "rtlens jobs --compat $v, files in another order"
done

Q=$SHARED/testdata/litmus/recorded-qemu
for ref in "$Q"/tool-output/st-job-stats/*.txt; do
	n=$(basename "$ref" .txt)
	n=${n#st-job-stats_}
	"$RL_BUILD/st-job-stats" "$Q/schedule_host=qemu_${n}_cpu=0.bin" "$Q/schedule_host=qemu_${n}_cpu=1.bin" \
		"$Q/schedule_host=qemu_${n}_cpu=2.bin" "$Q/schedule_host=qemu_${n}_cpu=3.bin" >"$TMP/out"
	ok $? "st-job-stats $n exits 0"
	same_file "$TMP/out" "$ref" "st-job-stats $n byte-identical"
done

# options st-job-stats rejects
"$RL_BUILD/st-job-stats" -p abc $T/st-0.bin >/dev/null 2>"$TMP/err"
is "$?" 1 "st-job-stats -p abc exits 1"
grep -q "Aborted: Invalid PID." "$TMP/err"
ok $? "st-job-stats -p abc says Invalid PID."
"$RL_BUILD/st-job-stats" -r "$SHARED/testdata/litmus/sched_trace/unit-trace-g6/st-g6-0.bin" >/dev/null 2>"$TMP/err"
is "$?" 1 "-r without SYS_RELEASE exits 1"
grep -q "Could not find task system release time." "$TMP/err"
ok $? "-r without SYS_RELEASE says so"
finish
