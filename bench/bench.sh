#!/bin/sh
# make bench: performance goals, measured as ratios against the reference
# tools in the same run (never as timed unit tests).
#   ST_JOB_STATS=/path   also run LITMUS^RT st-job-stats on the same input
#   BENCH_JOBS=N         jobs in the sched_trace benchmark (default 10000000)
#   BENCH_BIG=1          also the 45 M-job trace (needs ~5 GB of disk)
#   BENCH_DIR=DIR        where generated inputs go (default build/bench)
# Each area's script (bench/<area>.sh) is run if present.
set -e
B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
export RL_BUILD=$(cd "$B" && pwd)
export BENCH_DIR=${BENCH_DIR:-$RL_BUILD/bench}
mkdir -p "$BENCH_DIR"
cc -O2 -o "$BENCH_DIR/runstat" "$HERE/runstat.c"
export RUNSTAT=$BENCH_DIR/runstat
for s in "$HERE"/sched-trace.sh "$HERE"/ft.sh "$HERE"/xen.sh "$HERE"/ftrace.sh "$HERE"/draw.sh; do
	[ -f "$s" ] && sh "$s" "$B"
done
exit 0
