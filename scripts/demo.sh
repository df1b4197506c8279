#!/bin/sh
# make demo: the main job on the trace bundled in testdata/demo (generated
# by our simulator: 8 tasks, global EDF, 4 CPUs, 1500 jobs).
set -e
B=${1:-build}
RT=$B/rtlens
D=testdata/demo
OUT=$B/demo
mkdir -p "$OUT"
run() {
	echo
	echo "\$ $*"
	"$@"
}
run "$RT" info "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
run "$RT" jobs -r -m --summary "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
"$RT" jobs -m "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin -o "$OUT/jobs.csv"
echo
echo "\$ $RT jobs -m $D/st-*.bin -o $OUT/jobs.csv; head -5 $OUT/jobs.csv"
head -5 "$OUT/jobs.csv"
"$B/st-job-stats" "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin >"$OUT/st-job-stats.txt"
echo
echo "\$ $B/st-job-stats $D/st-*.bin | head -4"
head -4 "$OUT/st-job-stats.txt"
for s in scripts/demo-*.sh; do
	[ -f "$s" ] && sh "$s" "$B"
done
echo
echo "demo outputs in $OUT/"
