#!/bin/sh
# tests/fuzz/smoke.sh BUILD SECONDS [TARGET...] - run each libFuzzer target
# (BUILD/fuzz-*) SECONDS seconds on its corpus (tests/fuzz/corpus/NAME and
# testdata/bad/NAME, '-' or '_' in NAME), new inputs kept in a scratch copy so
# the committed corpus does not change. UBSan is fatal in these builds; leaks
# count, with tests/fuzz/lsan.supp naming the third-party frames allowed to
# leak. A crash, sanitizer report, leak or timeout fails the run, its input
# saved as BUILD/crash-NAME-* and its log as BUILD/crash-NAME.log (replay:
# BUILD/fuzz-NAME FILE; add it to the corpus so that `make check` replays
# it). Prints one line per target:
# CPU seconds used, executions, exec/s, coverage (cov), features (ft).
set -u
B=$1
SECS=$2
shift 2
cd "$(dirname "$0")/../.."
SRC=$(pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT INT TERM
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SRC/tests/fuzz/lsan.supp:print_suppressions=0}
export TMPDIR="$W"
if [ $# -eq 0 ]; then
	set -- $(ls "$B"/fuzz-* | grep -v '\.[od]$' | sed 's,.*/,,')
fi
fail=0
for t in "$@"; do
	n=${t#fuzz-}
	alt=$(echo "$n" | tr - _)
	mkdir -p "$W/$n"
	seeds=""
	for d in tests/fuzz/corpus/$n tests/fuzz/corpus/$alt testdata/bad/$n testdata/bad/$alt; do
		[ -d "$d" ] && seeds="$seeds $d"
	done
	# babeltrace2's plugins have no frame pointers: the slow unwinder reaches
	# the frame lsan.supp names (CTF only; it costs speed)
	ao=$ASAN_OPTIONS
	[ "$n" = ctf ] && ao="$ao:fast_unwind_on_malloc=0"
	# perl's times() gives the fuzzer's CPU seconds (user + system), on fd 3
	cpu=$(ASAN_OPTIONS=$ao perl -e 'my $rc = system(@ARGV); my @t = times;
		open(my $o, ">&=", 3) or die; printf $o "%d %.0f\n",
		$rc == -1 ? 127 : ($rc & 127 ? 128 + ($rc & 127) : $rc >> 8), $t[2] + $t[3]' \
		nice "$B/$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$B/crash-$n-" "$W/$n" $seeds \
		3>&1 >"$W/$n.log" 2>&1 </dev/null)
	rc=${cpu%% *}
	cpu=${cpu#* }
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/$n.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$W/$n.log")
	cov=$(grep -o 'cov: [0-9]*' "$W/$n.log" | tail -1)
	ft=$(grep -o 'ft: [0-9]*' "$W/$n.log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "fuzz $n: ${SECS} s, ${cpu} CPU s, ${execs:-?} runs, ${rate:-?} exec/s, ${cov:-cov: ?}, ${ft:-ft: ?}: ok"
	else
		echo "fuzz $n: FAILED (exit $rc) after ${execs:-?} runs, ${cpu} CPU s; log:"
		# the innermost frames say where; the whole log is kept beside the input
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written|#[0-9]+ ' "$W/$n.log" | head -30 | sed 's/^/    /'
		cp "$W/$n.log" "$B/crash-$n.log" && echo "    (whole log: $B/crash-$n.log)"
		fail=1
	fi
done
exit $fail
