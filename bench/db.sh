#!/bin/sh
# rtlens db and rtlens batch: (a) job rows written per second by rtlens db on
# a generated sched_trace of BENCH_DB_JOBS jobs (4 CPUs, 100 tasks; goal
# 1 M rows/s); (b) rtlens batch over BENCH_BATCH_RUNS generated runs
# (sched_trace runs in params.py folders, Feather-Trace recordings named
# key=value): wall time with -j 1 and -j 2, their ratio (goal: -j 2 at most
# 0.6 x -j 1) and whether the two OUTDIRs' rtlens.db and runs.csv are the
# same bytes.
set -e
JOBS=${BENCH_DB_JOBS:-${BENCH_QUICK:+500000}}
JOBS=${JOBS:-10000000}
RUNS=${BENCH_BATCH_RUNS:-${BENCH_QUICK:+20}}
RUNS=${RUNS:-100}
RT=$RL_BUILD/rtlens
HERE=$(cd "$(dirname "$0")" && pwd)

if ! command -v sqlite3 >/dev/null 2>&1; then
	# the Makefile's way of installing what the tests run (sqlite3 among them)
	sh "$HERE/../scripts/deps.sh" check
fi

# (a) rows/s of rtlens db
D=$BENCH_DIR/st-$JOBS
if [ ! -f "$D/st-3.bin" ] || [ "$(cat "$D/jobs" 2>/dev/null)" != "$JOBS" ]; then
	echo "generating a $JOBS-job sched_trace (4 cpus, 100 tasks) in $D ..."
	"$RL_BUILD/gen-sched-trace" -o "$D" -n 100 -m 4 -u 2.8 -j "$JOBS" -s 42 --no-truth
	echo "$JOBS" >"$D/jobs"
fi
cat "$D"/st-*.bin >/dev/null # page cache warm
DB=$BENCH_DIR/db-bench.db
rm -f "$DB"
set -- $($RUNSTAT /dev/null "$RT" db -q -o "$DB" "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin \
	"$D"/st-3.bin)
rows=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM job')
echo "rtlens db, sched_trace of $JOBS jobs ($(du -sh "$D" | cut -f1)), $(du -h "$DB" | cut -f1) database:"
S=$1
awk -v s="$1" -v r="$2" -v x="$3" -v n="$rows" 'BEGIN {
	printf "  %-34s %8.2f s  %6.2f M job rows/s (goal 1.00)  peak RSS %6.1f MB  exit %d\n",
		"rtlens db", s, n / s / 1e6, r / 1024, x }'
rm -f "$DB"
# SQLite's own cost for these rows (bench/sqlite-floor.c, made-up values, no
# trace read): the job table alone, and rtlens db's per-job rows (job,
# st_job_stats_row, sched_slice) with its two indexes
cc -O2 -o "$BENCH_DIR/sqlite-floor" "$HERE/sqlite-floor.c" $(pkg-config --cflags --libs sqlite3)
set -- $("$BENCH_DIR/sqlite-floor" "$BENCH_DIR/floor.db" "$rows")
set -- "$@" $("$BENCH_DIR/sqlite-floor" "$BENCH_DIR/floor.db" "$rows" full)
awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" -v s="$S" 'BEGIN {
	printf "  %-34s %8.2f s  %6.2f M job rows/s (SQLite alone, job table only)\n", "sqlite-floor", a, b
	printf "  %-34s %8.2f s  %6.2f M job rows/s (SQLite alone, job + st_job_stats_row + sched_slice + 2 indexes)\n", "sqlite-floor full", c, d
	printf "  rtlens db / sqlite-floor full: %.2f x the time\n", s / c }'

# (b) batch over a generated tree: 3 of 4 runs sched_trace, 1 of 4 Feather-Trace
T=$BENCH_DIR/batch-$RUNS
if [ "$(cat "$T/.runs" 2>/dev/null)" != "$RUNS" ]; then
	echo "generating $RUNS runs in $T ..."
	rm -rf "$T"
	i=0
	while [ $i -lt "$RUNS" ]; do
		if [ $((i % 4)) -eq 3 ]; then
			mkdir -p "$T/ft"
			"$RL_BUILD/gen-feather-trace" -c 2 -n 10000 -S $((i + 1)) -k n=$i "$T/ft" \
				>/dev/null
		else
			s=PSN-EDF g=
			[ $((i % 2)) -eq 0 ] && s=GSN-EDF g=-g
			d=$T/exp/sched=${s}_trial=$i
			mkdir -p "$d"
			"$RL_BUILD/gen-sched-trace" -o "$d" -n 10 -m 2 -u 1.4 -j 10000 -s $((i + 1)) \
				$g --no-truth >/dev/null 2>&1
			printf "{'scheduler': '%s', 'trial': %d, 'util': 1.4, 'cpus': 2}\n" $s $i \
				>"$d/params.py"
		fi
		i=$((i + 1))
	done
	echo "$RUNS" >"$T/.runs"
fi
cat "$T"/*/*/* "$T"/ft/* >/dev/null 2>&1 || true
echo "rtlens batch, $RUNS runs ($(du -sh "$T" | cut -f1)):"
# best of BENCH_BATCH_REPS (default 3) for each -j, alternating: on a shared
# 2-core host one run of each varied by 0.54..0.68 in ratio (session 8)
REPS=${BENCH_BATCH_REPS:-3}
T1= T2=
k=0
while [ "$k" -lt "$REPS" ]; do
	for j in 1 2; do
		rm -rf "$BENCH_DIR/batch-out-j$j"
		set -- $($RUNSTAT /dev/null "$RT" batch -q -j $j -o "$BENCH_DIR/batch-out-j$j" "$T")
		eval "prev=\$T$j"
		if [ -z "$prev" ] || awk -v a="$1" -v b="$prev" 'BEGIN { exit !(a < b) }'; then
			eval "T$j=$1 R$j=$2 X$j=$3"
		fi
		[ "$3" = 0 ] || eval "X$j=$3"
	done
	k=$((k + 1))
done
for j in 1 2; do
	eval "s=\$T$j r=\$R$j x=\$X$j"
	awk -v l="rtlens batch -j $j (best of $REPS)" -v s="$s" -v r="$r" -v x="$x" -v n="$RUNS" 'BEGIN {
		printf "  %-34s %8.2f s  %6.1f runs/s  peak RSS %6.1f MB  exit %d\n",
			l, s, n / s, r / 1024, x }'
done
awk -v a="$T1" -v b="$T2" 'BEGIN { printf "  ratio -j 2 / -j 1: %.2f (goal at most 0.60)\n", b / a }'
for f in rtlens.db runs.csv; do
	if cmp -s "$BENCH_DIR/batch-out-j1/$f" "$BENCH_DIR/batch-out-j2/$f"; then
		echo "  $f of -j 1 and -j 2: identical"
	else
		echo "  $f of -j 1 and -j 2: DIFFERENT"
	fi
done
rm -rf "$BENCH_DIR/batch-out-j1" "$BENCH_DIR/batch-out-j2"
