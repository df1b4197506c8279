#!/bin/sh
# rtlens overheads on the real LITMUS^RT recordings (recorded-qemu): every
# START record (and every latency record) is accounted for exactly once, as a
# kept sample or under one discard reason; the kept samples are ft2csv's plus
# at most the STARTs ft2csv skips before the first END; the irq_count
# distribution covers every SEND_RESCHED_END.
. "$(dirname "$0")/lib.sh"
need_shared
Q=$SHARED/testdata/litmus/recorded-qemu
R=$SHARED/testdata/reference/feather-trace/recorded-qemu

counter() { # FILE LABEL: ft2csv's counter, 0 when the event was not present
	v=$(sed -n "s/^$2 *: *//p" "$1")
	echo "${v:-0}"
}

for run in GSN-EDF_trace=demo GSN-EDF_trace=demo-calibrated PSN-EDF_trace=demo PFAIR_trace=demo; do
	files=$(ls "$Q"/overheads_host=qemu_scheduler=${run}_*.bin)
	# shellcheck disable=SC2086
	"$RTLENS" overheads --format csv $files >"$TMP/csv" 2>"$TMP/err"
	is "$?" 0 "$run: exit 0"
	# shellcheck disable=SC2086
	"$RTLENS" info $files >"$TMP/info" 2>/dev/null
	# columns: host,scheduler,trace,event,unit,samples,min..p99.9 (7-16),irq..orphan_end (17-24)
	for ev in SCHED SCHED2 CXS RELEASE SEND_RESCHED QUANTUM_BOUNDARY RELEASE_LATENCY; do
		case $ev in *LATENCY) rec=$ev ;; *) rec=${ev}_START ;; esac
		want=$(awk -v r="$rec" '$1 == r { print $2 }' "$TMP/info")
		[ -n "$want" ] || continue
		got=$(awk -F, -v e="$ev" '$4 == e { print $6 + $17 + $18 + $19 + $20 + $21 + $22 + $23 }' "$TMP/csv")
		is "$got" "$want" "$run $ev: kept + discarded = $want START records"
		kept=$(awk -F, -v e="$ev" '$4 == e { print $6 }' "$TMP/csv")
		comp=0 skip=0
		for f in $files; do
			s=$R/$(basename "$f" .bin).$ev.stderr
			[ -f "$s" ] || continue
			comp=$((comp + $(counter "$s" Complete)))
			skip=$((skip + $(counter "$s" Skipped)))
		done
		if [ $ev = SEND_RESCHED ] || [ $ev = QUANTUM_BOUNDARY ]; then
			# kept for best-effort tasks too (as ft-extract-samples' -b): compare with Non RT added
			for f in $files; do
				s=$R/$(basename "$f" .bin).$ev.stderr
				[ -f "$s" ] && comp=$((comp + $(counter "$s" "Non RT")))
			done
		fi
		ok $([ "$kept" -ge "$comp" ] && [ "$kept" -le $((comp + skip)) ]; echo $?) \
			"$run $ev: $kept kept = ft2csv's $comp + at most its $skip skipped"
	done
	ends=$(awk '$1 == "SEND_RESCHED_END" { print $2 }' "$TMP/info")
	if [ -n "$ends" ]; then
		# shellcheck disable=SC2086
		"$RTLENS" overheads --irq-counts $files >"$TMP/irq" 2>/dev/null
		is "$(awk -F, '$2 == "SEND_RESCHED_END" { s += $5 } END { print s }' "$TMP/irq")" "$ends" \
			"$run: irq_count distribution covers all $ends SEND_RESCHED_END records"
	fi
done

# the calibrated run: 3 IPIs whose START is later than their END (litmus README)
"$RTLENS" overheads --format csv --events SEND_RESCHED "$Q"/*demo-calibrated_msg=*.bin >"$TMP/c"
is "$(awk -F, '$4 == "SEND_RESCHED" { print $23 }' "$TMP/c")" 3 \
	"calibrated GSN-EDF: the 3 END-before-START IPIs are counted as negative"

# a directory: schedule_*.bin files beside the overheads are skipped
"$RTLENS" overheads --format csv "$Q" >"$TMP/dir" 2>"$TMP/err"
is "$?" 0 "the whole directory: exit 0"
is "$(awk -F, 'NR > 1 { print $2 }' "$TMP/dir" | sort -u | tr '\n' ' ')" "GSN-EDF PFAIR PSN-EDF " \
	"the whole directory: one group per scheduler and trace"
ok $([ ! -s "$TMP/err" ]; echo $?) "the whole directory: no warnings"
finish
