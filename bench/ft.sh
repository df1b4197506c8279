#!/bin/sh
# Feather-Trace overheads: throughput of `rtlens overheads` (all event types,
# statistics, one pass) on a generated ~1 GB trace (4 cpu files + 4 msg files,
# page cache warm), and the ratio against the original ft2csv when FT2CSV is
# set: once per event type and file (the ft-extract-samples workflow) and a
# single ft2csv pass (one event type).
#   BENCH_FT_MB=N   trace size in MB (default 1024)
#   FT2CSV=/path    the reference ft2csv
# Run by bench/bench.sh (RL_BUILD, BENCH_DIR, RUNSTAT set) or alone:
#   RL_BUILD=build sh bench/ft.sh
set -e
RL_BUILD=${RL_BUILD:-build}
BENCH_DIR=${BENCH_DIR:-$RL_BUILD/bench}
MB=${BENCH_FT_MB:-1024}
D=$BENCH_DIR/ft-$MB
RT=$RL_BUILD/rtlens
mkdir -p "$D"

if [ ! -f "$D.size" ] || [ "$(cat "$D.size")" != "$MB" ]; then
	echo "generating a ${MB} MB Feather-Trace trace (4 cpus) in $D ..."
	rm -f "$D"/*.bin
	"$RL_BUILD/gen-feather-trace" -c 4 -s "$MB" -S 42 "$D" >"$D.truth"
	echo "$MB" >"$D.size"
fi
cat "$D"/*.bin >/dev/null # page cache warm
bytes=$(cat "$D"/*.bin | wc -c)

now() { date +%s.%N; }
# run CMD... with stdout to /dev/null; sets LAST (seconds)
run() {
	if [ -n "$RUNSTAT" ]; then
		set -- $($RUNSTAT /dev/null "$@")
		LAST=$1
		RSS=$2
	else
		t0=$(now)
		"$@" >/dev/null
		LAST=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
	fi
}
report() { # LABEL SECONDS
	awk -v l="$1" -v s="$2" -v b="$bytes" 'BEGIN {
		printf "  %-44s %7.3f s  %6.2f GB/s\n", l, s, b / s / 1e9 }'
}
best() { # best of 3 runs of CMD...: sets BEST
	BEST=
	for i in 1 2 3; do
		run "$@"
		BEST=$(awk -v a="$BEST" -v b="$LAST" 'BEGIN { print (a == "" || b < a) ? b : a }')
	done
}

echo "Feather-Trace, $(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }'), $(nproc) cpus online, load: $(cut -d' ' -f1-3 /proc/loadavg):"
RSS=
best "$RT" overheads "$D"
RTS=$BEST
report "rtlens overheads (all events, stats)" "$RTS"
[ -n "$RSS" ] && awk -v k="$RSS" 'BEGIN { printf "  %-44s %7.1f MB\n", "  (peak RSS)", k / 1024 }'
best "$RT" overheads --threads 1 "$D"
report "rtlens overheads --threads 1" "$BEST"
RT1=$BEST
awk -v a="$RT1" -v b="$RTS" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	printf "  %-44s %7.2fx (files are read one per thread, the statistics after the read in one;%s load average %s)\n",
		"  2 threads vs 1", a / b, a / b < 1.2 ? " little gain:" : "", l }'
QMB=$((MB / 4))
DQ=$BENCH_DIR/ft-$QMB
if [ ! -f "$DQ.size" ] || [ "$(cat "$DQ.size")" != "$QMB" ]; then
	mkdir -p "$DQ"
	rm -f "$DQ"/*.bin
	"$RL_BUILD/gen-feather-trace" -c 4 -s "$QMB" -S 42 "$DQ" >"$DQ.truth"
	echo "$QMB" >"$DQ.size"
fi
cat "$DQ"/*.bin >/dev/null
qbytes=$(cat "$DQ"/*.bin | wc -c)
best "$RT" overheads "$DQ"
awk -v s="$BEST" -v b="$qbytes" -v S="$RTS" -v B="$bytes" 'BEGIN {
	printf "  scaling: %.2f GB in %.3f s (%.2f GB/s), %.2f GB in %.3f s (%.2f GB/s): %.1fx the input takes %.2fx the time\n",
		b / 1e9, s, b / s / 1e9, B / 1e9, S, B / S / 1e9, B / b, S / s }' 
if [ -x /usr/bin/time ]; then # CPU time: meaningful even when other jobs share the cpus
	/usr/bin/time -f "%U %S" -o "$D.cpu" "$RT" overheads --threads 1 "$D" >/dev/null
	report "  (same, CPU time user+sys)" "$(awk '{ print $1 + $2 }' "$D.cpu")"
fi
best "$RT" overheads --format csv --per-cpu "$D"
report "rtlens overheads --per-cpu --format csv" "$BEST"
best "$RT" skew "$D"
report "rtlens skew (IPI causal pairs, one pass)" "$BEST"
best "$RT" overheads -q --skew=estimate "$D"
report "rtlens overheads --skew=estimate" "$BEST"

events="SCHED SCHED2 CXS RELEASE TICK RELEASE_LATENCY"
per_type() { # FT2CSV-binary: every event of every file, as ft-extract-samples does
	for f in "$D"/*_cpu=*.bin; do
		for e in $events; do "$1" -r "$e" "$f" 2>/dev/null; done
	done
	for f in "$D"/*_msg=*.bin; do "$1" -r -b SEND_RESCHED "$f" 2>/dev/null; done
}
single() { # one ft2csv pass: one event type over every cpu file
	for f in "$D"/*_cpu=*.bin; do "$1" -r SCHED "$f" 2>/dev/null; done
}
t0=$(now); per_type "$RL_BUILD/ft2csv" >/dev/null; t1=$(now)
EMU=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
report "rtlens' ft2csv emulation, per event type" "$EMU"
if [ -n "$FT2CSV" ]; then
	t0=$(now); per_type "$FT2CSV" >/dev/null; t1=$(now)
	REF=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	report "ft2csv (reference), per event type" "$REF"
	t0=$(now); single "$FT2CSV" >/dev/null; t1=$(now)
	ONE=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	report "ft2csv (reference), one pass (SCHED)" "$ONE"
	awk -v r="$REF" -v o="$ONE" -v s="$RTS" 'BEGIN {
		printf "  ratio: rtlens overheads is %.1fx the per-type ft2csv workflow, %.1fx one ft2csv pass\n",
			r / s, o / s }'
else
	echo "  (set FT2CSV=/path/to/ft2csv to measure the ratio against the reference on the same input)"
fi
