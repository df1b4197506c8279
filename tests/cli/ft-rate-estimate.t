#!/bin/sh
# The Feather-Trace cycle rate estimated without asking: a run whose sched_trace
# lies beside its overhead files (recorded-qemu: schedule_X_cpu=N.bin next to
# overheads_X_cpu=N.bin) gives the rate by aligning CXS_END with SWITCH_TO, and
# says so. The guest's TSC is 2596.12 cycles/us (its dmesg, the data's README).
. "$(dirname "$0")/lib.sh"
need_shared
Q=$SHARED/testdata/litmus/recorded-qemu

for run in GSN-EDF_trace=demo GSN-EDF_trace=demo-calibrated PSN-EDF_trace=demo PFAIR_trace=demo; do
	"$RTLENS" overheads "$Q"/overheads_host=qemu_scheduler=${run}_*.bin >"$TMP/out" 2>"$TMP/err"
	ok $? "$run: overheads exits 0"
	rate=$(sed -n 's/.*cycles converted at [0-9.]* GHz (\([0-9.]*\) cycles\/us) from an estimate: .*/\1/p' "$TMP/err" | head -1)
	ok $(awk -v r="$rate" 'BEGIN { exit !(r != "" && r > 2595.5 && r < 2596.7) }'; echo $?) \
		"$run: estimated rate $rate within 0.6 cycles/us of 2596.12"
	grep -q 'context switches (CXS_END) of 4 CPUs aligned with .*slopes within +-[0-9.]* cycles/us' "$TMP/err"
	ok $? "$run: the estimate names its evidence and its spread"
	grep -q 'from an estimate' "$TMP/out"
	ok $? "$run: the report states the rate and where it came from"
	grep -q ' SCHED  *us ' "$TMP/out"
	ok $? "$run: cycle overheads are reported in us"
done
# JSON carries it
"$RTLENS" overheads --format json "$Q"/overheads_host=qemu_scheduler=PSN-EDF_trace=demo_*.bin >"$TMP/j" 2>/dev/null
grep -q '"cycle_rate":{"cycles_per_usec":2596\.[0-9]*,"from":"an estimate' "$TMP/j"
ok $? "JSON: cycle_rate with the estimate"
# no sched_trace beside the files: no estimate, cycles stay cycles
mkdir "$TMP/ft"
for f in "$Q"/overheads_host=qemu_scheduler=PSN-EDF_trace=demo_*.bin; do ln -s "$f" "$TMP/ft/"; done
"$RTLENS" overheads "$TMP"/ft/*.bin >"$TMP/out" 2>"$TMP/err"
ok $? "overhead files alone: exit 0"
! grep -q 'estimate' "$TMP/err"
ok $? "overhead files alone: no estimate"
grep -q ' SCHED  *cycles ' "$TMP/out"
ok $? "overhead files alone: cycles"
# --cycles-per-usec wins over the estimate
"$RTLENS" overheads --cycles-per-usec 1000 "$Q"/overheads_host=qemu_scheduler=PSN-EDF_trace=demo_*.bin >/dev/null 2>"$TMP/err"
! grep -q 'estimate' "$TMP/err"
ok $? "--cycles-per-usec: no estimate"
# several recordings: no estimate, no error
"$RTLENS" overheads --format csv "$Q" >/dev/null 2>"$TMP/err"
is "$(cat "$TMP/err")" "" "a folder of four recordings: nothing on stderr (no single run to estimate from)"
finish
