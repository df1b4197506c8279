#!/bin/sh
# CTF reader (libbabeltrace2): per-event-name counts equal `babeltrace2 DIR`
# on every shared CTF trace; LTTng-UST rtapp events become jobs whose
# response times agree with the response_ns the application itself logged.
. "$(dirname "$0")/lib.sh"
need_shared

C=$SHARED/testdata/ctf
bt_counts() {
	gzip -dc "$1" | perl -ne '
		$c{$1}++ if /^\[[^\]]*\] \(\S+\) (?:\S+ )?(\S+): \{/;
		END { print "$_ $c{$_}\n" for sort keys %c }'
}
info_counts() {
	perl -ne 'if (/"by_type":\{([^}]*)\}/) { for (split /,/, $1) {
		/"(.*)":(\d+)/ and print "$1 $2\n" } }' "$1" | sort
}
n=0
for ref in "$C"/*.babeltrace2.txt.gz; do
	b=$(basename "$ref" .babeltrace2.txt.gz)
	[ -d "$C/$b" ] || continue
	n=$((n + 1))
	"$RTLENS" info --json "$C/$b" >"$TMP/info.json" 2>"$TMP/err"
	is "$?" 0 "$b: exit 0"
	bt_counts "$ref" >"$TMP/want"
	info_counts "$TMP/info.json" >"$TMP/got"
	ok $([ -s "$TMP/want" ] && echo 0 || echo 1) "$b: reference has events"
	same_file "$TMP/got" "$TMP/want" "$b: event counts per name equal babeltrace2"
done
ok $([ "$n" -ge 4 ] && echo 0 || echo 1) "all $n shared CTF traces compared"

# a session directory above the trace is searched for metadata
"$RTLENS" info --json "$C/lttng-ust-rtapp/ust" >"$TMP/a.json" 2>/dev/null
"$RTLENS" info --json "$C/lttng-ust-rtapp/ust/uid/0/64-bit" >"$TMP/b.json" 2>/dev/null
is "$(info_counts "$TMP/a.json")" "$(info_counts "$TMP/b.json")" "trace found below a session directory"

# priorities normalised to the kernel's: LTTng stores prio - 100, perf the kernel's
for t in lttng-kernel-tracefile-rotation perf-ctf; do
	is "$("$RTLENS" dump "$C/$t" 2>/dev/null | awk '$3 == "switch_in" { for (i = 5; i <= NF; i++) if ($i ~ /^arg2=/) n[$i]++ }
		END { best = ""; for (k in n) if (best == "" || n[k] > n[best]) best = k; print best }')" \
		"arg2=120" "$t: most switch-ins are of nice-0 tasks (prio 120)"
done

# rtapp jobs
R=$C/lttng-ust-rtapp
"$RTLENS" jobs --summary --format csv "$R" >"$TMP/sum.csv" 2>"$TMP/err"
is "$?" 0 "rtapp: jobs --summary exits 0"
is "$(cut -d, -f2,4,5,6 "$TMP/sum.csv" | sort | tr '\n' ' ')" \
	"bg,20000000,25,25 name,period_ns,jobs,completed tau1,2000000,250,250 tau2,5000000,100,100 tau3,10000000,50,50 " \
	"rtapp: tasks, periods (task_info) and job counts (job_release/job_end)"
"$RTLENS" jobs "$R" >"$TMP/jobs.csv" 2>/dev/null
gzip -dc "$C/lttng-ust-rtapp.babeltrace2.txt.gz" | perl -ne '
	print "$1 ", $2 + 1, " $3\n" if /job_end:.*tid = (\d+), .*job = (\d+), response_ns = (\d+)/' |
	sort >"$TMP/want"
awk -F, 'NR > 1 { print $1, $3, $7 }' "$TMP/jobs.csv" | sort >"$TMP/got"
is "$(wc -l <"$TMP/got")" 425 "rtapp: 425 jobs"
awk '{print $1"-"$2, $3}' "$TMP/got" | sort >"$TMP/g2"
awk '{print $1"-"$2, $3}' "$TMP/want" | sort >"$TMP/w2"
is "$(join -j1 "$TMP/g2" "$TMP/w2" |
	awk '{ d = $2 - $3; if (d < 0) d = -d; if (d > 5000) bad++ } END { print bad + 0, NR }')" "0 425" \
	"rtapp: every response time within 5 us of the application's response_ns"
# a failing trace found by walking a folder: the error names its directory
# (the name outlives the walk; under ASan a freed name is a use after free)
mkdir -p "$TMP/walk/sub"
cp "$C"/perf-ctf/* "$TMP/walk/sub/"
printf 'trace { major = ; };\n' >"$TMP/walk/sub/metadata"
"$RTLENS" info "$TMP/walk" >/dev/null 2>"$TMP/err"
is "$?" 1 "a folder with a broken CTF trace inside: exit 1"
head -1 "$TMP/err" | grep -q "^$TMP/walk/sub: error: babeltrace2 cannot open the CTF trace"
ok $? "the error names the broken trace's directory"
# libbabeltrace2 2.0 aborts while indexing this trace's packets (packet and
# content size of different sign): refused with a located error, exit 1
blob=$RL_SRCDIR/tests/fuzz/corpus/ctf/ctf-bt-abort-packet-sizes
mkdir -p "$TMP/abort"
mlen=$(od -An -tu2 -N2 "$blob" | tr -d ' ')
tail -c +3 "$blob" | head -c "$mlen" >"$TMP/abort/metadata"
tail -c +$((mlen + 3)) "$blob" >"$TMP/abort/stream_0"
"$RTLENS" info "$TMP/abort" >/dev/null 2>"$TMP/err"
is "$?" 1 "a trace libbabeltrace2 dies on: exit 1, not a crash"
grep -q "^$TMP/abort: error: libbabeltrace2 dies on this trace (signal 6" "$TMP/err"
ok $? "the error names the trace and the signal"
# a trace folder from a fuzz blob (2-byte length, metadata, stream_0): blob_dir NAME
blob_dir() {
	blob=$RL_SRCDIR/tests/fuzz/corpus/ctf/$1
	mkdir -p "$TMP/$1"
	mlen=$(od -An -tu2 -N2 "$blob" | tr -d ' ')
	tail -c +3 "$blob" | head -c "$mlen" >"$TMP/$1/metadata"
	tail -c +$((mlen + 3)) "$blob" >"$TMP/$1/stream_0"
}
# libbabeltrace2 2.0 does not come back from indexing a packet context that
# holds a sequence of 3.2e9 structures of zero bits (each a variant whose one
# option is an empty structure: the metadata check takes variants as taking
# bits; the outer length is the packet magic): refused after --ctf-timeout
blob_dir ctf-bt-hang-variant
t0=$(date +%s)
"$RTLENS" info --ctf-timeout 1 "$TMP/ctf-bt-hang-variant" >/dev/null 2>"$TMP/err"
is "$?" 1 "a trace libbabeltrace2 does not finish opening: exit 1, no hang"
t1=$(date +%s)
[ $((t1 - t0)) -lt 20 ]
ok $? "refused after --ctf-timeout 1 ($((t1 - t0)) s)"
grep -q "^$TMP/ctf-bt-hang-variant: error: libbabeltrace2 does not finish indexing the packets of this trace (1 s" "$TMP/err"
ok $? "the error names the trace and the time limit"
"$RTLENS" info --ctf-timeout 0 "$TMP/ctf-bt-hang-variant" >/dev/null 2>"$TMP/err"
is "$?" 2 "--ctf-timeout 0: a usage error"
# declarations refused in the metadata before libbabeltrace2 sees them: an
# array of empty structures (packet context: never finishes indexing, also
# when each element holds only an empty structure; event header through a
# typealias: e317813 died of SIGSEGV; each element holding only a sequence
# whose length field is 0 in the data: e317813 never finishes), a static
# array of 2^32 elements (a 32 GiB allocation: GLib ends the process, SIGTRAP)
for c in "ctf-bt-hang-empty-struct-array 0x30a an array or sequence of a structure that can take no bits" \
	"ctf-bt-hang-nested-empty 0x356 an array or sequence of a structure that can take no bits" \
	"ctf-bt-hang-zero-sequence 0x372 an array or sequence of a structure that can take no bits" \
	"ctf-bt-empty-alias-seq 0x399 an array or sequence of a structure that can take no bits" \
	"ctf-bt-huge-array 0x4b2 a static array of more than 1048576 elements"; do
	set -- $c
	n=$1
	off=$2
	shift 2
	blob_dir "$n"
	"$RTLENS" info "$TMP/$n" >/dev/null 2>"$TMP/err"
	is "$?" 1 "$n: exit 1"
	grep -q "^$TMP/$n/metadata:$off: error: $*" "$TMP/err"
	ok $? "$n: refused at the declaration ($off): $*"
done
finish
