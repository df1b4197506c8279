#!/bin/sh
# xentrace: throughput of `rtlens xen --vcpus` (the per-VCPU summary) on a
# generated >= 500 MB trace (8 PCPUs, 3 RTDS guests each; tests/gen-xentrace.c),
# and the ratio against `xenalyze --summary` on the same file, in the same run.
# Each tool runs BENCH_XEN_RUNS times (default 5), alternating; the medians
# of wall time and of CPU time are compared. `rtlens xen --vcpus` skips the
# records the per-VCPU view does not need; the full `rtlens xen` (all
# sections, every record decoded) is reported beside it. xenalyze comes from the Debian
# package xen-utils-common: installed here when missing (as root), else skipped.
set -e
MB=${BENCH_XEN_MB:-520}
RUNS=${BENCH_XEN_RUNS:-5}
F=$BENCH_DIR/xen-$MB.xt
RT=$RL_BUILD/rtlens

if [ ! -f "$F" ] || [ "$(cat "$F.mb" 2>/dev/null)" != "$MB" ]; then
	echo "generating a $MB MB xentrace (8 PCPUs, 24 guest VCPUs) in $F ..."
	"$RL_BUILD/gen-xentrace" -c 8 -g 3 -m "$MB" -s 42 -o "$F"
	echo "$MB" >"$F.mb"
fi
size=$(du -m "$F" | cut -f1)
cat "$F" >/dev/null # page cache warm

XA=$(command -v xenalyze || true)
if [ -z "$XA" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "  installing xen-utils-common for xenalyze (benchmark reference only) ..."
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		xen-utils-common >/dev/null 2>&1 || true
	XA=$(command -v xenalyze || true)
fi

# runstat prints "seconds maxrss_kib exit"; CPU time from /usr/bin/time when present
one() { # OUT CMD...
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %U %S %M %x" -o "$BENCH_DIR/xen.time" "$@" >/dev/null 2>/dev/null || true
		awk '{ printf "%s %.3f %s %s\n", $1, $2 + $3, $4, $5 }' "$BENCH_DIR/xen.time"
	else
		set -- $($RUNSTAT /dev/null "$@")
		echo "$1 $1 $2 $3"
	fi
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "xentrace, $size MB:"
: >"$BENCH_DIR/xen.rl"
: >"$BENCH_DIR/xen.all"
: >"$BENCH_DIR/xen.xa"
i=0
while [ $i -lt "$RUNS" ]; do
	one "$RT" xen --cpu-hz 2G --vcpus "$F" >>"$BENCH_DIR/xen.rl"
	one "$RT" xen --cpu-hz 2G "$F" >>"$BENCH_DIR/xen.all"
	[ -n "$XA" ] && one "$XA" --cpu-hz=2G --summary "$F" >>"$BENCH_DIR/xen.xa"
	i=$((i + 1))
done
report() { # LABEL FILE
	w=$(cut -d' ' -f1 "$2" | median)
	c=$(cut -d' ' -f2 "$2" | median)
	r=$(cut -d' ' -f3 "$2" | median)
	x=$(cut -d' ' -f4 "$2" | sort -u | tr '\n' ' ')
	awk -v l="$1" -v w="$w" -v c="$c" -v r="$r" -v mb="$size" -v x="$x" 'BEGIN {
		printf "  %-32s %6.2f s wall %6.2f s cpu  %6.0f MB/s  peak RSS %6.1f MB  exit %s\n",
			l, w, c, mb / w, r / 1024, x }'
}
report "rtlens xen --vcpus (median of $RUNS)" "$BENCH_DIR/xen.rl"
QMB=$((MB / 4))
FQ=$BENCH_DIR/xen-$QMB.xt
if [ ! -f "$FQ" ] || [ "$(cat "$FQ.mb" 2>/dev/null)" != "$QMB" ]; then
	"$RL_BUILD/gen-xentrace" -c 8 -g 3 -m "$QMB" -s 42 -o "$FQ" >/dev/null
	echo "$QMB" >"$FQ.mb"
fi
cat "$FQ" >/dev/null
: >"$BENCH_DIR/xen.q"
for i in 1 2 3; do one "$RT" xen --cpu-hz 2G --vcpus "$FQ" >>"$BENCH_DIR/xen.q"; done
qw=$(cut -d' ' -f1 "$BENCH_DIR/xen.q" | median)
fw=$(cut -d' ' -f1 "$BENCH_DIR/xen.rl" | median)
awk -v q="$qw" -v f="$fw" -v qm="$(du -m "$FQ" | cut -f1)" -v fm="$size" 'BEGIN {
	printf "  scaling (xen --vcpus): %d MB %.2f s, %d MB %.2f s: %.1fx the input takes %.2fx the time (1 thread: an index pass, then the merged per-PCPU streams)\n",
		qm, q, fm, f, fm / qm, f / q }' 
report "rtlens xen, all sections" "$BENCH_DIR/xen.all"
# once each: the RTDS periods as job rows, and the two schedule pictures (peak RSS: the
# reader gives the mapped file's pages back behind it, so it stays far below the file size)
one "$RT" jobs --cpu-hz 2G --summary "$F" >"$BENCH_DIR/xen.jobs"
report "rtlens jobs --summary" "$BENCH_DIR/xen.jobs"
one "$RT" overheads --cpu-hz 2G "$F" >"$BENCH_DIR/xen.ovh"
report "rtlens overheads (Xen, shared report)" "$BENCH_DIR/xen.ovh"
one "$RT" draw --quiet --cpu-hz 2G --by-cpu -o "$BENCH_DIR/xen-pcpu.png" "$F" >"$BENCH_DIR/xen.draw"
report "rtlens draw --by-cpu (1 s window)" "$BENCH_DIR/xen.draw"
one "$RT" draw --quiet --cpu-hz 2G -l 100 -o "$BENCH_DIR/xen-vcpu.png" "$F" >"$BENCH_DIR/xen.drawv"
report "rtlens draw, per VCPU + RTDS" "$BENCH_DIR/xen.drawv"
if [ -n "$XA" ]; then
	report "xenalyze --summary (median of $RUNS)" "$BENCH_DIR/xen.xa"
	rw=$(cut -d' ' -f1 "$BENCH_DIR/xen.rl" | median)
	rc=$(cut -d' ' -f2 "$BENCH_DIR/xen.rl" | median)
	xw=$(cut -d' ' -f1 "$BENCH_DIR/xen.xa" | median)
	xc=$(cut -d' ' -f2 "$BENCH_DIR/xen.xa" | median)
	aw=$(cut -d' ' -f1 "$BENCH_DIR/xen.all" | median)
	awk -v rw="$rw" -v rc="$rc" -v xw="$xw" -v xc="$xc" -v aw="$aw" 'BEGIN {
		printf "  ratio: rtlens xen --vcpus is %.2fx the throughput of xenalyze --summary (wall), %.2fx (cpu time)\n",
			xw / rw, xc / rc
		printf "  (rtlens xen with every section, decoding every record: %.2fx, wall)\n", xw / aw }'
else
	echo "  (xenalyze not found and xen-utils-common could not be installed: no ratio)"
fi
