#!/bin/sh
# tests/fuzz/gen-draw-corpus.sh - regenerate tests/fuzz/corpus/draw/ (committed).
# Small sched_trace inputs made here: a generated EDF schedule, and hand-made
# records that drawing must survive (ACTION, unknown types, a switch-out
# without its switch-in, a release far in the future, an empty window).
set -e
cd "$(dirname "$0")/../.."
D=tests/fuzz/corpus/draw
mkdir -p "$D" build
make -s build/gen-sched-trace
build/gen-sched-trace -o build/fz -n 3 -m 1 -d 0.1 -s 3 --no-truth 2>/dev/null
cp build/fz/st-0.bin "$D/edf-3tasks.bin"
# rec TYPE CPU PID JOB W0 W1: one 24-byte record, little-endian
rec() {
	awk -v t="$1" -v c="$2" -v p="$3" -v j="$4" -v a="$5" -v b="$6" 'function le(v, n,   i) {
		for (i = 0; i < n; i++) { printf "%c", v % 256; v = int(v / 256) } }
	BEGIN { printf "%c%c", t, c; le(p, 2); le(j, 4); le(a, 8); le(b, 8) }'
}
LC_ALL=C
export LC_ALL
{
	rec 11 0 0 0 1000000000 2000000000   # SYS_RELEASE
	rec 3 0 7 1 2000000000 2010000000    # RELEASE
	rec 5 0 7 1 2000000100 0             # SWITCH_TO
	rec 10 0 7 1 2000000200 3            # ACTION
	rec 13 0 7 1 2000000300 0            # NP_EXIT
	rec 6 0 8 1 2000000400 0             # SWITCH_AWAY of another pid
	rec 6 0 7 1 2000000500 0             # SWITCH_AWAY without switch-in
	rec 8 0 7 1 2000000600 0             # BLOCK
	rec 7 0 7 1 2030000000 1             # COMPLETION, forced, late
	rec 3 0 7 2 9000000000000 9000010000000 # RELEASE far away
} >"$D/odd-records.bin"
{
	rec 9 0 5 1 5 0                      # RESUME with no BLOCK, at time 5
	rec 5 0 5 1 4 0                      # SWITCH_TO dated before it
} >"$D/tiny.bin"
ls -l "$D"
