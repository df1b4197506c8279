#!/bin/sh
# One command reads one recording: files of several recordings given together
# are refused with exit 2 and a message naming them (readers/recording.c);
# the per-CPU files of one recording are accepted in any order.
. "$(dirname "$0")/lib.sh"
GEN=$RL_BUILD/gen-sched-trace

# refused FILES...: exit 2, stdout empty, stderr in $TMP/err
refused() {
	"$RTLENS" "$@" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
says() { # says REGEX NAME
	grep -qE "$1" "$TMP/err"
	ok $? "$2"
}

"$GEN" -o "$TMP/a" -n 6 -m 4 -j 40 -s 3 >/dev/null 2>&1
"$GEN" -o "$TMP/b" -n 5 -m 4 -j 40 -s 9 >/dev/null 2>&1
A=$TMP/a
B=$TMP/b

# one recording's per-CPU files in any order
"$RTLENS" jobs "$A"/st-0.bin "$A"/st-1.bin "$A"/st-2.bin "$A"/st-3.bin >"$TMP/in-order" 2>"$TMP/err"
ok $? "one generated recording, files in order: exit 0"
"$RTLENS" jobs "$A"/st-2.bin "$A"/st-0.bin "$A"/st-3.bin "$A"/st-1.bin >"$TMP/shuffled" 2>"$TMP/err"
ok $? "the same files shuffled: exit 0"
same_file "$TMP/shuffled" "$TMP/in-order" "the same files shuffled: the same jobs"
is "$(grep -c . "$TMP/err")" 0 "the same files shuffled: no diagnostics"

# (d) two files for one CPU
is "$(refused info "$A"/st-0.bin "$A"/st-1.bin "$A"/st-0.bin)" 2 "one file given twice: exit 2"
says "two files for cpu 0" "one file given twice: the message names the cpu"
is "$(refused jobs "$A"/st-0.bin "$A"/st-1.bin "$B"/st-1.bin)" 2 "cpu 1 of two runs: exit 2"
says "rtlens batch" "cpu 1 of two runs: the message points to rtlens batch"
grep -qF "$B/st-1.bin" "$TMP/err"
ok $? "cpu 1 of two runs: the message names the files"
is "$(grep -c . "$TMP/out")" 0 "cpu 1 of two runs: nothing on standard output"

# (b) two SYS_RELEASE records with different release times: run a's cpu 0
# record, moved to cpu 1 and 5 ms later, prepended to a copy of cpu 1's file
perl -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>;
	my $i; for ($i = 0; $i + 24 <= length $d; $i += 24) { last if ord(substr($d, $i, 1)) == 11 }
	my $r = substr($d, $i, 24); substr($r, 1, 1) = chr(1);
	my ($lo, $hi) = unpack("VV", substr($r, 16, 8)); $lo += 5000000;
	substr($r, 16, 8) = pack("VV", $lo & 0xffffffff, $hi + ($lo >> 32));
	open(G, "<", $ARGV[1]) or die; binmode G; my $e = <G>; print $r, $e' \
	"$A/st-0.bin" "$A/st-1.bin" >"$TMP/st-1-later.bin"
"$RTLENS" dump "$TMP/st-1-later.bin" 2>/dev/null | grep -q "^999999000000 1 sys_release .* arg=1000005000000 "
ok $? "the patched file has a SYS_RELEASE 5 ms later"
is "$(refused jobs -o "$TMP/jobs.csv" "$A"/st-0.bin "$TMP/st-1-later.bin")" 2 \
	"two system releases: exit 2"
says "two system releases .*1000000000000 and 1000005000000 ns" \
	"two system releases: the message gives both times"
ok $([ ! -e "$TMP/jobs.csv" ] && echo 0 || echo 1) "two system releases: no output file written"
ls "$TMP" | grep -q 'jobs.csv.tmp'
ok $([ $? -ne 0 ] && echo 0 || echo 1) "two system releases: no temporary file left"
is "$(refused jobs "$A"/st-0.bin "$TMP/st-1-later.bin")" 2 "two system releases, jobs to stdout: exit 2"
is "$(grep -c . "$TMP/out")" 0 "two system releases: refused before any output (at open)"
is "$(refused draw -o "$TMP/rel.svg" "$A"/st-0.bin "$TMP/st-1-later.bin")" 2 \
	"two system releases, draw (read while drawing): exit 2"
ok $([ ! -e "$TMP/rel.svg" ] && echo 0 || echo 1) "two system releases, draw: no image written"

# (b) within one file, in stream order: cpu 0's SYS_RELEASE copied to the front of
# its file, announcing a release 5 ms later, written DT ns after the original
sysrel_first() { # sysrel_first DT OUT
	perl -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>;
	my $i; for ($i = 0; $i + 24 <= length $d; $i += 24) { last if ord(substr($d, $i, 1)) == 11 }
	my $r = substr($d, $i, 24);
	for my $w ([8, $ARGV[1]], [16, 5000000]) {
		my ($lo, $hi) = unpack("VV", substr($r, $w->[0], 8));
		my $v = $hi * 4294967296 + $lo + $w->[1];
		substr($r, $w->[0], 8) = pack("VV", $v % 4294967296, int($v / 4294967296));
	}
	print $r, $d' "$A/st-0.bin" "$1" >"$2"
}
sysrel_first 1000000 "$TMP/rel-later.bin"
sysrel_first -1000000 "$TMP/rel-earlier.bin"
is "$(refused jobs "$A"/st-1.bin "$TMP/rel-later.bin" "$A"/st-2.bin)" 2 \
	"a later second SYS_RELEASE first in its file: exit 2"
says "SYS_RELEASE at 1000000000000 and 1000005000000 ns" \
	"a later second SYS_RELEASE first in its file: the earlier one is the first named"
is "$(refused jobs "$A"/st-1.bin "$TMP/rel-earlier.bin" "$A"/st-2.bin)" 2 \
	"an earlier second SYS_RELEASE first in its file: exit 2"
says "SYS_RELEASE at 1000005000000 and 1000000000000 ns" \
	"an earlier second SYS_RELEASE first in its file: it is the first named"
"$RTLENS" jobs "$TMP/rel-later.bin" >/dev/null 2>&1
ok $? "two SYS_RELEASEs in one file alone: accepted (one file is one recording)"

# (c) per-CPU files whose spans are disjoint: cpu 1's timed records moved by 1000 s
perl -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>;
	for (my $i = 0; $i + 24 <= length $d; $i += 24) {
		next if ord(substr($d, $i, 1)) < 3;
		my ($lo, $hi) = unpack("VV", substr($d, $i + 8, 8));
		my $v = $hi * 4294967296 + $lo + 1000000000000;
		substr($d, $i + 8, 8) = pack("VV", $v % 4294967296, int($v / 4294967296));
	}
	print $d' "$A/st-1.bin" >"$TMP/st-1-moved.bin"
is "$(refused jobs "$A"/st-0.bin "$TMP/st-1-moved.bin" "$A"/st-2.bin "$A"/st-3.bin)" 2 \
	"a cpu file 1000 s after the others: exit 2"
says "do not overlap in time" "a cpu file 1000 s after the others: the message says why"
says "recording $A/st-0.bin: 999999000000 \.\. 1000[0-9]{9} ns" \
	"a cpu file 1000 s after the others: the file before it and its span"
says "recording $TMP/st-1-moved.bin: 2000[0-9]{9} \.\. 2000[0-9]{9} ns" \
	"a cpu file 1000 s after the others: the moved file and its span"
is "$(grep -c . "$TMP/out")" 0 "a cpu file 1000 s after the others: refused before any output"
is "$(refused jobs --compat -o "$TMP/moved.csv" "$A"/st-0.bin "$TMP/st-1-moved.bin")" 2 \
	"a cpu file 1000 s after the others, jobs --compat: exit 2"
ok $([ ! -e "$TMP/moved.csv" ] && echo 0 || echo 1) "jobs --compat: no output file written"

# (a) key=value names of two recordings
mkdir "$TMP/n"
for c in 0 1 2 3; do
	cp "$A/st-$c.bin" "$TMP/n/schedule_host=x_scheduler=GSN-EDF_trace=demo_cpu=$c.bin"
	cp "$B/st-$c.bin" "$TMP/n/schedule_host=x_scheduler=PSN-EDF_trace=demo_cpu=$c.bin"
done
is "$(refused jobs "$TMP"/n/*.bin)" 2 "files named for two recordings: exit 2"
says "the files are of 2 recordings" "two recordings: the message counts them"
says "recording host=x_scheduler=GSN-EDF_trace=demo \(4 files\)" "two recordings: the first is named"
says "recording host=x_scheduler=PSN-EDF_trace=demo \(4 files\)" "two recordings: the second is named"
says "use rtlens batch to process several recordings" "two recordings: rtlens batch is named"
"$RTLENS" jobs "$TMP"/n/*GSN-EDF*cpu=3.bin "$TMP"/n/*GSN-EDF*cpu=1.bin "$TMP"/n/*GSN-EDF*cpu=0.bin \
	"$TMP"/n/*GSN-EDF*cpu=2.bin >"$TMP/named" 2>"$TMP/err"
ok $? "one named recording, shuffled: exit 0"
same_file "$TMP/named" "$TMP/in-order" "one named recording, shuffled: the same jobs as unnamed"
is "$(refused draw -o "$TMP/x.svg" "$TMP"/n/*.bin)" 2 "draw refuses two recordings too"
ok $([ ! -e "$TMP/x.svg" ] && echo 0 || echo 1) "draw: no image written"

if [ ! -d "$SHARED/testdata" ]; then
	skip "shared test data not found at $SHARED: the recorded-qemu and trace.dat cases"
	finish
fi
Q=$SHARED/testdata/litmus/recorded-qemu
D=$SHARED/testdata/ftrace

# the four qemu runs together
is "$(refused jobs "$Q"/schedule_*.bin)" 2 "four recorded-qemu runs: exit 2"
says "the files are of 4 recordings" "four runs: the message counts them"
for r in GSN-EDF_trace=demo-calibrated GSN-EDF_trace=demo PFAIR_trace=demo PSN-EDF_trace=demo; do
	says "recording host=qemu_scheduler=${r} \(4 files\)" "four runs: $r named"
done
is "$(refused jobs --compat "$Q"/schedule_*.bin)" 2 "four runs, jobs --compat: exit 2"
is "$("$RL_BUILD/st-job-stats" "$Q"/schedule_*.bin >/dev/null 2>&1; echo $?)" 2 \
	"four runs, st-job-stats: exit 2"
"$RTLENS" jobs "$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=2.bin \
	"$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=0.bin \
	"$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=3.bin \
	"$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=1.bin >"$TMP/q1" 2>/dev/null
ok $? "one qemu run, shuffled: exit 0"
"$RTLENS" jobs "$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=[0-3].bin >"$TMP/q2" 2>/dev/null
same_file "$TMP/q1" "$TMP/q2" "one qemu run, shuffled: the same jobs as in order"

# two unrelated trace.dat files: disjoint spans (one ends before the other begins)
is "$(refused info "$D/hebel23-driver-armv7-1cpu-v6-long4.dat" "$D/lisa-example_rtapp-v6.dat")" 2 \
	"two unrelated trace.dat files: exit 2"
says "do not overlap in time" "two trace.dat files: the message says why"
grep -qF "lisa-example_rtapp-v6.dat" "$TMP/err" && grep -qF "hebel23-driver" "$TMP/err"
ok $? "two trace.dat files: both are named"
is "$(grep -c . "$TMP/out")" 0 "two trace.dat files: info printed nothing"
is "$(refused dump -o "$TMP/d.txt" "$D/sched-v6.dat" "$D/sched-v7-none.dat")" 2 \
	"two trace.dat files of one boot, 0.17 s apart: exit 2"
ok $([ ! -e "$TMP/d.txt" ] && echo 0 || echo 1) "dump -o: no output file written"
"$RTLENS" info "$D/lisa-example_rtapp-v6.dat" >"$TMP/out" 2>/dev/null
ok $? "one trace.dat with 6 CPUs: exit 0"
grep -q "^cpus: *6$" "$TMP/out"
ok $? "one trace.dat with 6 CPUs: 6 CPUs"
finish
