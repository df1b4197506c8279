#!/bin/sh
# Rebuild the bad-input corpus in testdata/bad/sched_trace from the project's
# own generator (build/gen-sched-trace). Each CASE has CASE.expect:
#   line 1: expected exit status of `rtlens jobs CASE`
#   line 2: an extended regex that stderr must match
#   line 3 (optional): extra options for rtlens jobs
# Usage: sh testdata/bad/make-bad.sh [BUILD_DIR]
set -e
B=${1:-build}
D=$(cd "$(dirname "$0")" && pwd)/sched_trace
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$D"
"$B/gen-sched-trace" -o "$T/g" -n 2 -m 1 -j 12 -s 4 2>/dev/null
"$B/gen-sched-trace" -o "$T/o" -n 2 -m 1 -j 12 -s 4 -N 2010 2>/dev/null
base=$T/g/st-0.bin
old=$T/o/st-0.bin

# empty file
: >"$D/empty.bin"
printf '1\nno records: every input file is empty\n' >"$D/empty.bin.expect"
# not a trace
printf 'time,cpu,event\n0,1,switch\n1,0,wakeup\n' >"$D/text.csv"
printf '1\ntext.csv: error: unrecognised trace format\n' >"$D/text.csv.expect"
# truncated last record: 10 bytes of a 24-byte record
head -c $((24 * 20 + 10)) "$base" >"$D/truncated.bin"
printf '1\ntruncated.bin:0x1e0: warning: trailing 10 bytes do not form a whole 24-byte record\n' \
	>"$D/truncated.bin.expect"
# garbage in the middle: two records of 0xee bytes after record 8
{ head -c $((24 * 8)) "$base"; head -c 48 /dev/zero | tr '\0' '\356'; tail -c +$((24 * 8 + 1)) "$base"; } \
	>"$D/garbage-middle.bin"
printf '1\ngarbage-middle.bin:0xc0: warning: record type 238 is not a sched_trace type; record skipped\n' \
	>"$D/garbage-middle.bin.expect"
# a record written for another cpu
cp "$base" "$D/cpu-mismatch.bin"
printf '\007' | dd of="$D/cpu-mismatch.bin" bs=1 seek=$((24 * 5 + 1)) conv=notrunc 2>/dev/null
printf '1\ncpu-mismatch.bin:0x78: warning: record for cpu 7 in the file of cpu 0; record skipped\n' \
	>"$D/cpu-mismatch.bin.expect"
# unknown record types (NP_EXIT-like type 12 under the 2010 numbering): carried, counted, exit 0
{ head -c $((24 * 6)) "$old"; printf '\014\000\350\003\001\000\000\000'; head -c 16 /dev/zero;
  tail -c +$((24 * 6 + 1)) "$old"; } >"$D/unknown-type.bin"
printf '0\nunknown-type.bin:0x90: warning: record type 12 is unknown in the 2010 numbering\n' \
	>"$D/unknown-type.bin.expect"
# mostly garbage after a plausible start (detection refuses it; forced, the reader explains)
{ head -c 96 "$base"; head -c 960 /dev/zero | tr '\0' '\375'; } >"$D/mostly-garbage.bin"
printf '1\nmostly-garbage.bin:0x0: error: 40 of 44 records are not valid sched_trace records; not a sched_trace file\\?\n--input-format sched_trace\n' \
	>"$D/mostly-garbage.bin.expect"
# a gzip file cut short
gzip -nc "$base" | head -c 100 >"$D/truncated.bin.gz"
printf '1\ntruncated.bin.gz:0x64: error: gzip stream ends early\n' >"$D/truncated.bin.gz.expect"
# byte-swapped payloads: times near the ends of int64, jobs that cannot be subtracted
perl -e 'local $/ = \24; while (<>) { my ($h, $a, $b) = unpack "a8 a8 a8", $_;
	print $h, scalar reverse($a), scalar reverse($b) }' "$base" >"$D/payload-swapped.bin"
printf '1\nimplausible times \\(release .*\\): left out\n' >"$D/payload-swapped.bin.expect"
echo "made $(ls "$D" | grep -vc expect) cases in $D"

# fuzz seeds: small valid traces of both numberings and a global schedule
S=$(cd "$(dirname "$0")/../.." && pwd)/tests/fuzz/corpus/sched_trace
mkdir -p "$S"
cp "$base" "$S/seed-2016-part.bin"
cp "$old" "$S/seed-2010-part.bin"
"$B/gen-sched-trace" -o "$T/glob" -g -n 3 -m 2 -u 1.6 -j 25 -s 8 2>/dev/null
cp "$T/glob/st-1.bin" "$S/seed-2016-global.bin"
echo "made $(ls "$S" | wc -l) fuzz seeds in $S"
