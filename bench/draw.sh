#!/bin/sh
# bench/draw.sh [BUILD] - schedule drawing timings (issue: 1 s window, 100 tasks,
# 4 CPUs, PNG and SVG each < 1 s; a 60 s window to PNG < 3 s with bounded memory).
# The trace is generated here (build/gen-sched-trace -d: partitioned EDF, not a
# recording). The reference, st-draw (Python 2 + pycairo), runs on the same
# files when ST_DRAW names it and python2 with cairo is installed.
set -e
B=${1:-build}
R=$B/rtlens
OUT=bench/out
mkdir -p "$OUT"
"$B/gen-sched-trace" -o "$OUT/draw100" -n 100 -m 4 -u 2.8 -d 61 -s 42 --no-truth 2>/dev/null
"$B/gen-sched-trace" -o "$OUT/draw100long" -n 100 -m 4 -u 2.8 -d 121 -s 42 --no-truth 2>/dev/null
F="$OUT/draw100/st-0.bin $OUT/draw100/st-1.bin $OUT/draw100/st-2.bin $OUT/draw100/st-3.bin"
FL="$OUT/draw100long/st-0.bin $OUT/draw100long/st-1.bin $OUT/draw100long/st-2.bin $OUT/draw100long/st-3.bin"

have_time=0
[ -x /usr/bin/time ] && have_time=1
# run LABEL LIMIT_S CMD...: wall time (and peak RSS when /usr/bin/time exists)
run() {
	label=$1
	limit=$2
	shift 2
	t0=$(date +%s.%N)
	if [ $have_time = 1 ]; then
		/usr/bin/time -f "%M" -o "$OUT/rss" "$@" 2>/dev/null
		RSS=$(cat "$OUT/rss")
		rss="$RSS KB"
	else
		"$@" 2>/dev/null
		rss="n/a"
	fi
	t1=$(date +%s.%N)
	el=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')
	verdict=$(echo "$el $limit" | awk '{ print ($1 < $2) ? "ok" : "SLOW" }')
	printf '%-46s %8s s  (target < %s s: %s)  peak RSS %s\n' "$label" "$el" "$limit" "$verdict" "$rss"
	LAST=$el
}

echo "draw: 100 tasks on 4 CPUs, generated, $(cat $F | wc -c) bytes of sched_trace"
run "1 s window -> PNG" 1 "$R" draw --quiet -r -f 10000 -l 1000 -o "$OUT/draw-1s.png" $F
png1=$LAST
run "1 s window -> SVG" 1 "$R" draw --quiet -r -f 10000 -l 1000 -o "$OUT/draw-1s.svg" $F
run "60 s window -> PNG" 3 "$R" draw --quiet -r -l 60000 -o "$OUT/draw-60s.png" $F
rss60=${RSS:-0}
run "60 s window -> PNG, CPU view" 3 "$R" draw --quiet --by-cpu -r -l 60000 -o "$OUT/draw-60s-cpu.png" $F
run "120 s window (twice the events) -> PNG" 6 "$R" draw --quiet -r -l 120000 -o "$OUT/draw-120s.png" $FL
if [ $have_time = 1 ]; then
	# the inputs are mapped, so they count in RSS; the rest is the drawing's own memory
	in60=$(cat $F | wc -c)
	in120=$(cat $FL | wc -c)
	echo "$rss60 $in60 $RSS $in120" | awk '{ printf "memory besides the mapped input: 60 s window %.1f MB, 120 s window %.1f MB (ratio %.2f; 1 = bounded by the picture)\n", ($1 - $2 / 1024) / 1024, ($3 - $4 / 1024) / 1024, ($3 - $4 / 1024) / ($1 - $2 / 1024) }'
fi

if [ -n "$ST_DRAW" ] && command -v python2 >/dev/null 2>&1 && python2 -c 'import cairo' 2>/dev/null; then
	run "reference st-draw, 1 s window -> PDF" 1000 python2 "$ST_DRAW" -r -f 10000 -l 1000 -o "$OUT/ref-1s.pdf" $F
	ref=$LAST
	run "rtlens, same window -> PDF" 1000 "$R" draw --quiet -r -f 10000 -l 1000 -o "$OUT/draw-1s.pdf" $F
	echo "$ref $LAST" | awk '{ printf "ratio st-draw / rtlens (1 s window, PDF): %.1f\n", $1 / ($2 > 0 ? $2 : 0.001) }'
else
	echo "reference st-draw: not run (set ST_DRAW=path/to/st-draw; needs python2 with pycairo)"
fi
: "$png1"
