#!/bin/sh
# Progress on a terminal: every long command (jobs, draw, xen, latency, db,
# batch) draws one "NN% of SIZE, RATE MB/s, ..., ETA" line on stderr when it
# is a terminal (a pseudo-terminal from script(1) here), erases it at the end,
# and writes nothing of it when stderr is redirected or with -q.
# RTLENS_PROGRESS_DELAY=0 lifts the 4-per-second limit so that short runs show it.
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null 2>&1; then
	echo "1..0 # SKIP script(1) (util-linux) not installed"
	exit 0
fi
export RTLENS_PROGRESS_DELAY=0
"$RL_BUILD/gen-sched-trace" -o "$TMP/st" -j 30000 --no-truth >/dev/null 2>&1
"$RL_BUILD/gen-xentrace" -n 20000 -o "$TMP/x.bin" >/dev/null 2>&1
"$RL_BUILD/gen-trace-dat" -n 200000 -o "$TMP/t.dat" >/dev/null 2>&1
ST="$TMP/st/st-0.bin $TMP/st/st-1.bin $TMP/st/st-2.bin $TMP/st/st-3.bin"

# tty NAME CMD...: run CMD with stderr (and stdout, sent to a file) on a pseudo-terminal
tty_run() {
	n=$1
	shift
	script -qec "$* >$TMP/$n.out" /dev/null </dev/null >"$TMP/$n.tty" 2>&1
}
progress() { # NAME CMD...: the line appears on a terminal, and is erased last
	n=$1
	tty_run "$@"
	ok $? "$n on a terminal exits 0"
	grep -a -q '% of [0-9.]* [kMG]B, [0-9.]* MB/s' "$TMP/$n.tty"
	ok $? "$n on a terminal shows percent of the input and a rate"
	tr '\r' '\n' <"$TMP/$n.tty" | grep -a -q 'ETA [0-9]*:[0-9][0-9]'
	ok $? "$n on a terminal shows an ETA"
	# the last progress line is followed by an erase (CR, ESC [ K) and no line of it stays
	tr '\r' '\n' <"$TMP/$n.tty" | grep -a '% of' | tail -1 | grep -a -q "$(printf '\033')\[K"
	ok $? "$n erases its progress line"
	shift
	"$@" >/dev/null 2>"$TMP/$n.err"
	ok $? "$n redirected exits 0"
	! grep -q '% of\|ETA' "$TMP/$n.err"
	ok $? "$n with stderr redirected prints no progress"
}
progress jobs "$RTLENS" jobs --summary $ST
progress draw "$RTLENS" draw -l 1000000 -x 0.001 -o "$TMP/d.svg" $ST
progress xen "$RTLENS" xen "$TMP/x.bin"
progress latency "$RTLENS" latency "$TMP/t.dat"
progress db "$RTLENS" db -o "$TMP/r.db" $ST

# -q on a terminal: silent
tty_run quiet "$RTLENS" jobs -q --summary $ST
ok $? "jobs -q on a terminal exits 0"
! grep -a -q '% of' "$TMP/quiet.tty"
ok $? "-q on a terminal prints no progress"

# batch: runs of a tree, bytes of the finished runs
mkdir -p "$TMP/tree/a" "$TMP/tree/b"
cp $ST "$TMP/tree/a/"
cp $ST "$TMP/tree/b/"
tty_run batch "$RTLENS" batch -o "$TMP/out" "$TMP/tree"
ok $? "batch on a terminal exits 0"
grep -a -q 'batch [0-9]/2 runs, .*: *[0-9]*% of [0-9.]* [kMG]B, [0-9.]* MB/s' "$TMP/batch.tty"
ok $? "batch on a terminal shows runs done, percent of the input bytes and a rate"
"$RTLENS" batch -o "$TMP/out2" "$TMP/tree" >/dev/null 2>"$TMP/batch.err"
! grep -q '% of' "$TMP/batch.err"
ok $? "batch redirected prints no progress"
finish
