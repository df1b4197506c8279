#!/bin/sh
# Rebuild the Feather-Trace bad-input corpus in testdata/bad/feather_trace from
# the project's own generator (build/gen-feather-trace). Each CASE has
# CASE.ovh-expect (checked by tests/cli/ft-bad-input.t with `rtlens overheads`):
#   line 1: expected exit status
#   line 2: an extended regex that stderr must match
#   line 3 (optional): extra options
# Usage: sh testdata/bad/make-bad-ft.sh [BUILD_DIR]
set -e
B=${1:-build}
D=$(cd "$(dirname "$0")" && pwd)/feather_trace
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$D"
"$B/gen-feather-trace" -c 2 -n 12 -S 5 "$T" >/dev/null
mkdir -p "$T/be"
"$B/gen-feather-trace" -c 1 -n 12 -S 6 -e "$T/be" >/dev/null
base=$T/overheads_host=gen_scheduler=GEN_trace=T_cpu=1.bin
be=$T/be/overheads_host=gen_scheduler=GEN_trace=T_cpu=0.bin

: >"$D/empty_cpu=0.bin"
printf '1\nempty_cpu=0.bin: warning: empty file: no records\n' >"$D/empty_cpu=0.bin.ovh-expect"
# 5 bytes of a 16-byte record at the end
head -c $((16 * 10 + 5)) "$base" >"$D/truncated_cpu=1.bin"
printf '1\ntruncated_cpu=1.bin:0xa0: warning: trailing 5 bytes do not form a whole 16-byte record\n' \
	>"$D/truncated_cpu=1.bin.ovh-expect"
# the records of cpu 1 in a file named for cpu 3
cp "$base" "$D/cpu-mismatch_cpu=3.bin"
printf '0\ncpu-mismatch_cpu=3.bin:0x0: warning: record for cpu 1 in the file of cpu 3\n' \
	>"$D/cpu-mismatch_cpu=3.bin.ovh-expect"
# event ids nobody defines (250 and 77) at records 4 and 6
cp "$base" "$D/unknown-ids_cpu=1.bin"
printf '\372' | dd of="$D/unknown-ids_cpu=1.bin" bs=1 seek=$((16 * 4 + 13)) conv=notrunc 2>/dev/null
printf '\115' | dd of="$D/unknown-ids_cpu=1.bin" bs=1 seek=$((16 * 6 + 13)) conv=notrunc 2>/dev/null
printf '0\nunknown-ids_cpu=1.bin:0x40: warning: event id 250 has no name\n' \
	>"$D/unknown-ids_cpu=1.bin.ovh-expect"
# not a trace: a repeated text line (no sequence numbering in either order)
i=0; while [ $i -lt 20 ]; do printf 'cpu,event,time\n'; i=$((i + 1)); done >"$D/text.bin"
printf '1\ntext.bin:0x0: error: not a Feather-Trace file\n' >"$D/text.bin.ovh-expect"
# a big-endian trace read with the byte order forced wrong
cp "$be" "$D/big-endian_cpu=0.bin"
printf '1\nbig-endian_cpu=0.bin:0x0: warning: sequence numbers run in big-endian byte order, but --ft-endian le was given\n--ft-endian le\n' \
	>"$D/big-endian_cpu=0.bin.ovh-expect"
# the same file, detected: fine
cp "$be" "$D/big-endian-ok_cpu=0.bin"
printf '0\n^$\n' >"$D/big-endian-ok_cpu=0.bin.ovh-expect"
# a gzip file cut short
gzip -nc "$base" | head -c 60 >"$D/truncated_cpu=1.bin.gz"
printf '1\ntruncated_cpu=1.bin.gz:0x3c: error: gzip stream ends early\n' \
	>"$D/truncated_cpu=1.bin.gz.ovh-expect"
echo "made $(ls "$D" | grep -vc expect) cases in $D"

S=$(cd "$(dirname "$0")/../.." && pwd)/tests/fuzz/corpus/feather_trace
mkdir -p "$S"
cp "$base" "$S/seed-le-cpu.bin"
cp "$T/overheads_host=gen_scheduler=GEN_trace=T_msg=0.bin" "$S/seed-le-msg.bin"
cp "$be" "$S/seed-be-cpu.bin"
echo "made $(ls "$S" | wc -l) fuzz seeds in $S"
