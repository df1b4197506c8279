#!/bin/sh
# A filter that matches nothing says so on stderr (exit status unchanged), on
# every command that takes --pid/--comm/--cpu/--from/--to; one that matches says nothing.
. "$(dirname "$0")/lib.sh"
need_shared

L=$SHARED/testdata/litmus/sched_trace/run-trial48
T48="$L/st-0.bin $L/st-1.bin $L/st-2.bin $L/st-3.bin"
DAT=$SHARED/testdata/ftrace/sched-v6.dat
XEN=$SHARED/testdata/xen/pennpanda-rtds-mode-change/trace.bin
QEMU=$SHARED/testdata/litmus/recorded-qemu

nomatch() { # WHAT-PATTERN CMD ARGS...: exit 0 and a "matches no" warning naming the filter
	pat=$1
	shift
	"$RTLENS" "$@" >/dev/null 2>"$TMP/err"
	ok $? "$* exits 0"
	grep -q "warning: $pat matches no " "$TMP/err"
	ok $? "$*: says '$pat matches no ...'"
}
quiet() { # CMD ARGS...: a filter that matches: no such warning
	"$RTLENS" "$@" >/dev/null 2>"$TMP/err"
	! grep -q "matches no" "$TMP/err"
	ok $? "$*: a matching filter gives no warning"
}
# jobs: the plain st-job-stats -p/-n path (one --pid, --comm alone) and the job hook
nomatch "--pid 99999" jobs --pid 99999 $T48
nomatch "--comm nosuch" jobs --comm nosuch $T48
nomatch "--pid 99999" jobs -m --summary --pid 99999 $T48
nomatch "--pid 99998,99999" jobs --pid 99998,99999 $T48
nomatch "--cpu 77" jobs --cpu 77 $T48
nomatch "--from 9999s" jobs --from 9999s $T48
quiet jobs --comm rtspin $T48
quiet jobs --pid "$("$RTLENS" jobs $T48 | awk -F, 'NR == 2 { print $1 }')" $T48
# event commands
nomatch "--pid 99999" dump --pid 99999 $T48
nomatch "--comm nosuch" info --comm nosuch $T48
nomatch "--from 9999s" dump --from 9999s $T48
nomatch "--cpu 77" xen --cpu 77 "$XEN"
# latency: the wake-up series filter (one --pid, --comm, -n) keeps IRQ events, so no task
nomatch "--pid 99999" latency --pid 99999 "$DAT"
nomatch "--comm nosuch" latency -n nosuch "$DAT"
nomatch "--comm nosuch" latency --comm nosuch "$DAT"
nomatch "--cpu 77" latency --cpu 77 "$DAT"
nomatch "--from 9999s" latency --from 9999s "$DAT"
quiet latency --comm cyclictest "$DAT"
# Feather-Trace overheads: --cpu is the samples' cpu field
nomatch "--cpu 77" overheads --cpu 77 "$QEMU"
quiet overheads --cpu 1 "$QEMU"
"$RTLENS" jobs -q --pid 99999 $T48 >/dev/null 2>"$TMP/err"
is "$(cat "$TMP/err")" "" "-q: no warning"
finish
