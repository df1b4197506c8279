#!/bin/sh
# sched_trace job statistics: throughput (jobs/s, MB/s) and peak RSS of
# rtlens jobs on a generated 10 M-job trace (4 CPUs, 100 tasks), and the
# ratio against st-job-stats when ST_JOB_STATS is set.
set -e
JOBS=${BENCH_JOBS:-10000000}
D=$BENCH_DIR/st-$JOBS
RT=$RL_BUILD/rtlens

gen() { # DIR JOBS
	if [ ! -f "$1/st-3.bin" ] || [ "$(cat "$1/jobs" 2>/dev/null)" != "$2" ]; then
		echo "generating a $2-job sched_trace (4 cpus, 100 tasks) in $1 ..."
		"$RL_BUILD/gen-sched-trace" -o "$1" -n 100 -m 4 -u 2.8 -j "$2" -s 42 --no-truth
		echo "$2" >"$1/jobs"
	fi
}

measure() { # LABEL JOBS DIR CMD...
	label=$1 jobs=$2 dir=$3
	shift 3
	set -- $($RUNSTAT /dev/null "$@")
	mb=$(du -m -c "$dir"/st-*.bin | tail -1 | cut -f1)
	awk -v l="$label" -v s="$1" -v r="$2" -v x="$3" -v j="$jobs" -v mb="$mb" 'BEGIN {
		printf "  %-34s %8.2f s  %6.2f M jobs/s  %7.0f MB/s  peak RSS %6.1f MB  exit %d\n",
			l, s, j / s / 1e6, mb / s, r / 1024, x }'
	LAST=$1
}

gen "$D" "$JOBS"
cat "$D"/st-*.bin >/dev/null # page cache warm
echo "sched_trace, $JOBS jobs, $(du -sh "$D" | cut -f1):"
measure "rtlens jobs (CSV to /dev/null)" "$JOBS" "$D" "$RT" jobs "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
measure "rtlens jobs --summary" "$JOBS" "$D" "$RT" jobs --summary "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
measure "rtlens jobs --compat" "$JOBS" "$D" "$RT" jobs --compat "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
RTC=$LAST
if [ -n "$ST_JOB_STATS" ]; then
	measure "st-job-stats (reference)" "$JOBS" "$D" "$ST_JOB_STATS" "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
	awk -v a="$LAST" -v b="$RTC" 'BEGIN { printf "  ratio: rtlens --compat is %.1fx faster than st-job-stats\n", a / b }'
else
	echo "  (set ST_JOB_STATS=/path/to/st-job-stats to measure the ratio on the same input)"
fi
if [ -n "$BENCH_BIG" ]; then
	D2=$BENCH_DIR/st-45000000
	gen "$D2" 45000000
	cat "$D2"/st-*.bin >/dev/null
	measure "rtlens jobs, 45 M jobs" 45000000 "$D2" "$RT" jobs "$D2"/st-0.bin "$D2"/st-1.bin "$D2"/st-2.bin "$D2"/st-3.bin
fi
