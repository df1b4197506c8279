#!/bin/sh
# make bench: performance goals, measured as ratios against the reference
# tools in the same run (never as timed unit tests).
#   ST_JOB_STATS=/path   also run LITMUS^RT st-job-stats on the same input
#   BENCH_JOBS=N         jobs in the sched_trace benchmark (default 10000000)
#   BENCH_DB_JOBS=N      jobs in the rtlens db benchmark (default 10000000)
#   BENCH_BATCH_RUNS=N   runs in the rtlens batch benchmark (default 100)
#   BENCH_BIG=1          also the 45 M-job trace (needs ~5 GB of disk)
#   BENCH_DIR=DIR        where generated inputs go (default build/bench)
#   BENCH_QUICK=1        every area on a smaller input, under a minute in all
#                        (make bench-quick; for use while working, not for the goals)
# Each area's script (bench/<area>.sh) is run if present.
set -e
B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
export RL_BUILD=$(cd "$B" && pwd)
export BENCH_DIR=${BENCH_DIR:-$RL_BUILD/bench}
mkdir -p "$BENCH_DIR"
cc -O2 -o "$BENCH_DIR/runstat" "$HERE/runstat.c"
export RUNSTAT=$BENCH_DIR/runstat
if [ -n "$BENCH_QUICK" ]; then
	# sizes the areas' scripts read (each still overridable)
	export BENCH_JOBS=${BENCH_JOBS:-500000}
	export BENCH_FT_MB=${BENCH_FT_MB:-64}
	export BENCH_XEN_MB=${BENCH_XEN_MB:-32}
	export BENCH_XEN_RUNS=${BENCH_XEN_RUNS:-1}
	export RL_BENCH_EVENTS=${RL_BENCH_EVENTS:-500000}
	export RL_BENCH_CTF_EVENTS=${RL_BENCH_CTF_EVENTS:-200000}
	export RL_BENCH_RUNS=${RL_BENCH_RUNS:-1}
	echo "bench-quick: smaller inputs (sched_trace $BENCH_JOBS jobs, Feather-Trace $BENCH_FT_MB MB," \
		"xentrace $BENCH_XEN_MB MB, trace.dat $RL_BENCH_EVENTS events, CTF $RL_BENCH_CTF_EVENTS events)"
fi
for s in "$HERE"/sched-trace.sh "$HERE"/ft.sh "$HERE"/xen.sh "$HERE"/ftrace.sh "$HERE"/draw.sh "$HERE"/db.sh; do
	[ -f "$s" ] && sh "$s" "$B"
done
exit 0
