#!/bin/sh
# bench/ftrace.sh [BUILD] - Linux trace throughput against the reference tools,
# measured in the same run on traces we generate (build/gen-trace-dat):
#   trace.dat (v6, RL_BENCH_EVENTS events, default 10 M): `rtlens jobs --summary`
#     (per-task statistics) vs `trace-cmd report > /dev/null`;
#   CTF (RL_BENCH_CTF_EVENTS, default 2 M): `rtlens info` and `rtlens jobs
#     --summary` vs `babeltrace2 -o dummy`.
# Times are wall-clock seconds, best of RL_BENCH_RUNS (default 3; trace-cmd
# once). A missing reference tool is installed with apt-get when possible,
# else that comparison is skipped with a message. Also printed: CPU time
# (user+sys, meaningful when other jobs share the cpus), peak RSS (with
# RUNSTAT, as bench/bench.sh sets it) and the floor, a plain read of the
# same bytes from the page cache.
set -e
B=${1:-build}
N=${RL_BENCH_EVENTS:-10000000}
NC=${RL_BENCH_CTF_EVENTS:-2000000}
RUNS=${RL_BENCH_RUNS:-3}
RT=$B/rtlens
G=$B/gen-trace-dat
T=$(mktemp -d "${TMPDIR:-/tmp}/rtlens-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

need() { # need CMD DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 || true
	fi
	command -v "$1" >/dev/null 2>&1
}
now() { date +%s.%N; }
# best CMD...: best wall time of RUNS runs, stdout to /dev/null
best() {
	b=
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		b=$(echo "$t0 $t1 ${b:-1e9}" | awk '{ d = $2 - $1; print (d < $3) ? d : $3 }')
		i=$((i + 1))
	done
	echo "$b"
}
once() {
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	echo "$t0 $t1" | awk '{ print $2 - $1 }'
}
# cpu NAME CMD...: "CPU seconds (user+sys), peak RSS" of one run (nothing without
# /usr/bin/time); the seconds are kept in $T/cpu.NAME for cpuratio
cpu() {
	n=$1
	shift
	[ -x /usr/bin/time ] || return 0
	/usr/bin/time -f "%U %S %M" -o "$T/cpu" "$@" >/dev/null 2>&1 || true
	awk '{ print $1 + $2 }' "$T/cpu" >"$T/cpu.$n"
	awk '{ printf "CPU %.2fs, peak RSS %.1f MB", $1 + $2, $3 / 1024 }' "$T/cpu"
}
cpuratio() { # A B: CPU time of A / B, "?" when not measured
	if [ -s "$T/cpu.$1" ] && [ -s "$T/cpu.$2" ]; then
		awk -v a="$(cat "$T/cpu.$1")" -v b="$(cat "$T/cpu.$2")" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
	else
		echo "?"
	fi
}

echo "== trace.dat: $N events (v6, 4 cpus, 16 rt tasks + 4 hogs)"
"$G" -v 6 -n "$N" -c 4 -t 4 -o "$T/big.dat"
cat "$T/big.dat" >/dev/null
fl=$(best cat "$T/big.dat")
rl=$(best "$RT" jobs --summary "$T/big.dat")
echo "rtlens jobs --summary: ${rl}s ($(echo "$N $rl" | awk '{ printf "%.1f", $1 / $2 / 1e6 }') M events/s; $(cpu rl "$RT" jobs --summary "$T/big.dat"))"
echo "floor (cat of the $(wc -c <"$T/big.dat") bytes): ${fl}s; rtlens is $(echo "$rl $fl" | awk '{ printf "%.1f", $1 / $2 }')x the floor"
rs=$(best "$RT" skew "$T/big.dat")
echo "rtlens skew (migration pairs, one pass): ${rs}s ($(echo "$N $rs" | awk '{ printf "%.1f", $1 / $2 / 1e6 }') M events/s)"
if need trace-cmd trace-cmd; then
	tc=$(once sh -c "trace-cmd report '$T/big.dat' >/dev/null")
	echo "trace-cmd report > /dev/null: ${tc}s ($(echo "$N $tc" | awk '{ printf "%.1f", $1 / $2 / 1e6 }') M events/s; $(cpu tc trace-cmd report "$T/big.dat"))"
	echo "ratio (throughput rtlens / trace-cmd): $(echo "$tc $rl" | awk '{ printf "%.2f", $1 / $2 }')x, by CPU time $(cpuratio tc rl)x (goal >= 15x)"
else
	echo "SKIP trace-cmd comparison: trace-cmd not installed and cannot be installed"
fi
rm -f "$T/big.dat"
# linear cost in the input: the same run on a trace a quarter the size
NQ=$((N / 4))
"$G" -v 6 -n "$NQ" -c 4 -t 4 -o "$T/q.dat"
cat "$T/q.dat" >/dev/null
rq=$(best "$RT" jobs --summary "$T/q.dat")
echo "scaling: $NQ events ${rq}s ($(echo "$NQ $rq" | awk '{ printf "%.1f", $1 / $2 / 1e6 }') M events/s), $N events ${rl}s ($(echo "$N $rl" | awk '{ printf "%.1f", $1 / $2 / 1e6 }') M events/s): 4x the input takes $(echo "$rl $rq" | awk '{ printf "%.2f", $1 / $2 }')x the time (1 thread; the reader decodes one page at a time in order)"
rm -f "$T/q.dat"

echo "== CTF: $NC events (LTTng-style, 4 cpus)"
mkdir -p "$T/ctf"
"$G" -f ctf -n "$NC" -c 4 -t 4 -o "$T/ctf"
cat "$T/ctf"/* >/dev/null
ri=$(best "$RT" info "$T/ctf")
rj=$(best "$RT" jobs --summary "$T/ctf")
echo "rtlens info: ${ri}s; rtlens jobs --summary: ${rj}s ($(cpu rj "$RT" jobs --summary "$T/ctf"))"
if need babeltrace2 babeltrace2; then
	bt=$(best babeltrace2 -o dummy "$T/ctf")
	echo "babeltrace2 -o dummy: ${bt}s ($(cpu bt babeltrace2 -o dummy "$T/ctf"))"
	echo "ratio (time rtlens / babeltrace2): info $(echo "$ri $bt" | awk '{ printf "%.2f", $1 / $2 }')x," \
		"jobs --summary $(echo "$rj $bt" | awk '{ printf "%.2f", $1 / $2 }')x, by CPU time $(cpuratio rj bt)x (goal <= 1.05x;" \
		"babeltrace2's own CTF source and muxer are most of rtlens' time: their cost is the floor here)"
else
	echo "SKIP babeltrace2 comparison: babeltrace2 not installed and cannot be installed"
fi
