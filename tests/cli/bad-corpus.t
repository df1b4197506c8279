#!/bin/sh
# Damage of each kind for each format, made here from the project's own
# generators (all-0xff, cut in the header and mid-record, random bytes in the
# middle, byte-swapped, length and size fields set to 0xff...): every case
# gives its exit status and a message naming the file (and the byte offset
# where the format has one), and never a crash. Complements bad-input.t
# (committed cases in testdata/bad), compressed.t and silent-damage.t.
. "$(dirname "$0")/lib.sh"
B=$RL_BUILD
C=$RL_SRCDIR/tests/fuzz/corpus/ctf

# case WANT_RC REGEX CMD...: run CMD (rtlens ARGS), check status, stderr, no crash
case_() {
	want=$1 re=$2
	shift 2
	"$RTLENS" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	is "$rc" "$want" "$*: exit $want"
	grep -Eq -- "$re" "$TMP/err"
	ok $? "$*: stderr: $re"
	[ "$rc" -lt 128 ] || echo "# crashed: $(head -3 "$TMP/err")"
}
cd "$TMP" || exit 1

# sched_trace
"$B/gen-sched-trace" -o g -n 2 -m 1 -j 12 -s 4 2>/dev/null
head -c 240 /dev/zero | tr '\0' '\377' >ff.bin
head -c 10 g/st-0.bin >cut10.bin
head -c $((24 * 7 + 13)) g/st-0.bin >cutrec.bin
perl -e 'local $/; $_ = <STDIN>; for (my $i = 0; $i + 24 <= length; $i += 24) {
	my $r = substr($_, $i, 24); substr($r, $_->[0], $_->[1]) = reverse substr($r, $_->[0], $_->[1])
	for [2, 2], [4, 4], [8, 8], [16, 8]; print $r }' <g/st-0.bin >swapped.bin
case_ 1 '^ff.bin: error: unrecognised trace format' jobs ff.bin
case_ 1 '^ff.bin:0x0: error: 10 of 10 records are not valid sched_trace records' \
	jobs --input-format sched_trace ff.bin
case_ 1 '^cut10.bin:0x0: warning: trailing 10 bytes do not form a whole 24-byte record' \
	jobs --input-format sched_trace cut10.bin
case_ 1 '^cutrec.bin:0xa8: warning: trailing 13 bytes do not form a whole 24-byte record' jobs cutrec.bin
# every field byte-swapped: the jobs' times are implausible, each one counted at its record
case_ 1 '^swapped.bin:0x[0-9a-f]+: warning: job [0-9]+ of pid [0-9]+: implausible times' jobs swapped.bin
# ... and info says so at the first such record (before: a span of 18e9 s, exit 0)
case_ 1 '^swapped.bin:0x[0-9a-f]+: warning: [0-9]+ events at implausible times, this one at -?[0-9]+ ns' \
	info swapped.bin
"$RTLENS" info g/st-0.bin >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "info on the undamaged file: exit 0, no warning"

# xentrace
"$B/gen-xentrace" -c 2 -n 200 -o x.xt 2>/dev/null
s=$(wc -c <x.xt)
head -c $((s / 2 + 3)) x.xt >xcut.xt
perl -e 'local $/; $_ = <STDIN>; substr($_, 8, 4) = "\xff" x 4; print' <x.xt >xhuge.xt
case_ 1 '^xcut.xt:0x0: warning: window of cpu 0 declares [0-9]+ bytes but only [0-9]+ remain' info xcut.xt
case_ 1 '^xcut.xt:0x[0-9a-f]+: warning: record 0x[0-9a-f]+ of [0-9]+ bytes cut by the end' info xcut.xt
case_ 1 '^xhuge.xt: error: unrecognised trace format' info xhuge.xt
case_ 1 '^xhuge.xt:0x0: error: not a xentrace file: expected a CPU-change record .* 0xffffffff' \
	info --input-format xentrace xhuge.xt

# trace.dat
"$B/gen-trace-dat" -v 7 -z none -n 2000 -c 2 -o t.dat
s=$(wc -c <t.dat)
head -c $((s / 2)) t.dat >tcut.dat
head -c 100 t.dat >thead.dat
{ head -c 40000 t.dat; head -c 2000 /dev/zero | tr '\0' '\245'; tail -c +42001 t.dat; } >tgarb.dat
case_ 1 '^tcut.dat:0x[0-9a-f]+: error: section offset 0x[0-9a-f]+ is past the end of the file' info tcut.dat
case_ 1 '^thead.dat:0x[0-9a-f]+: error: section offset 0x[0-9a-f]+ is past the end of the file' info thead.dat
case_ 1 '^tgarb.dat:0x[0-9a-f]+: (warning|error): ' info tgarb.dat

# ftrace text: a cpu number and a timestamp no machine has
l='          <idle>-0       [001] d..2. 100.000001: sched_switch: prev_comm=a prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=rt next_pid=42 next_prio=19'
{
	echo '# tracer: nop'
	echo "$l"
	echo "$l" | sed 's/\[001\]/[99999999999]/'
	echo "$l" | sed 's/100\.000001/9999999999999999999.000001/'
	echo "$l" | sed 's/100\.000001/100.000002/'
} >hostile.txt
case_ 1 '^hostile.txt:0xa9: warning: implausible cpu number \(over 1048576\); line skipped' dump hostile.txt
case_ 1 '^hostile.txt:0x14c: warning: implausible timestamp \(past 2\^63 ns\); line skipped' dump hostile.txt
is "$(grep -c sched_switch out)" 4 "hostile.txt: the two good lines read (4 events)"

# CTF (traces written by tests/fuzz/gen-ctf-corpus.sh, as fuzz-ctf.c lays them out)
unblob() {
	mkdir -p "$2"
	perl -e 'local $/; open F, "<", $ARGV[0] or die; binmode F; $b = <F>; $l = unpack("v", $b);
	open M, ">", "$ARGV[1]/metadata"; print M substr($b, 2, $l);
	open S, ">", "$ARGV[1]/stream_0"; binmode S; print S substr($b, 2 + $l)' "$1" "$2"
}
unblob "$C/sched-le.ctf" le
unblob "$C/sched-be.ctf" be
"$RTLENS" dump le >le.txt
is "$(wc -l <le.txt)" 50 "CTF generated trace: 50 events"
cp -r le swap && cp be/stream_0 swap/stream_0
cp -r le mcut && head -c 600 le/metadata >mcut/metadata
cp -r le scut && head -c $(($(wc -c <le/stream_0) - 7)) le/stream_0 >scut/stream_0
cp -r le huge && perl -e 'open S, "+<", $ARGV[0] or die; binmode S; seek S, 8, 0; print S "\xff" x 16' huge/stream_0
case_ 1 '^swap: error: babeltrace2 cannot open the CTF trace: Invalid CTF magic number' info swap
case_ 1 '^mcut: error: babeltrace2 cannot open the CTF trace' info mcut
case_ 1 "^scut: error: babeltrace2 cannot open the CTF trace: Failed to index CTF stream file '.*scut/stream_0'" info scut
# the error context of libbabeltrace2: no heap addresses, not cut inside a word
grep -q 'addr=0x' err
ok $((!$?)) "scut: no heap addresses in the error context"
# the library's whole cause: its last field is there (before: cut at 127 bytes)
grep -q '^  Component initialization method failed: status=ERROR, .*comp-output-port-count=0$' err
ok $? "scut: the error context line is whole (ends with its last field)"
# a pointer declarator in TSDL: libbabeltrace2 aborts on some; refused before
cp -r le ptr && perl -pi -e 's/(signed = true; \}) := int32_t;/$1 *:= int32_t;/' ptr/metadata
grep -q '\*:= int32_t' ptr/metadata
ok $? "ptr: the metadata has its pointer declarator"
case_ 1 '^ptr/metadata:0x[0-9a-f]+: error: a pointer declarator' info ptr
# content and packet sizes of 2^64-1 in the last packet: babeltrace2 reads to
# the end of the file, every event intact, so exit 0 is the right answer
"$RTLENS" dump huge >huge.txt
is "$?" 0 "CTF packet and content size 2^64-1: exit 0"
same_file huge.txt le.txt "CTF packet and content size 2^64-1: the same 50 events"

# Feather-Trace: 100 records with all-ones timestamps are damage, not a wrap
mkdir -p ft && "$B/gen-feather-trace" -c 1 -n 2000 -S 3 ft >/dev/null
fb=ft/overheads_host=gen_scheduler=GEN_trace=T_cpu=0.bin
perl -e 'local $/; $_ = <STDIN>; for my $i (1000 .. 1099) { substr($_, $i * 16, 6) = "\xff" x 6 } print' <"$fb" >ones_cpu=0.bin
case_ 1 '^ones_cpu=0.bin:0x3e80: warning: implausible timestamp 0xffffffffffff \(all ones' info ones_cpu=0.bin
span() { sed -n 's/^time span: *//p' "$1"; }
"$RTLENS" info "$fb" >whole.txt
is "$(span out)" "$(span whole.txt)" "ones: the time span is the undamaged file's"
grep -q '^anomalies:.*garbage=100' out
ok $? "ones: 100 records counted in info's anomalies"
case_ 1 '^ones_cpu=0.bin:0x3e80: warning: implausible timestamp \(all ones, or a jump of over 2\^44 cycles\): 94 records skipped' \
	overheads ones_cpu=0.bin
grep -q '^ones_cpu=0.bin:0x3ea0: warning: implausible value (all ones): 6 records skipped' err
ok $? "ones: the 6 latency records with all-ones values counted too"
# a clock that jumps 2^45 cycles once and runs on from there: one record is
# taken for damage, the next agrees with it and is the clock again
perl -e 'local $/; $_ = <STDIN>; for my $i (2000 .. length($_) / 16 - 1) {
	my $w = unpack("Q<", substr($_, $i * 16, 8)); my $ts = ($w & 0xffffffffffff) + 2**45;
	substr($_, $i * 16, 8) = pack("Q<", ($w & ~0xffffffffffff) | $ts) } print' <"$fb" >jump_cpu=0.bin
case_ 1 '^jump_cpu=0.bin:0x7d00: warning: implausible timestamp \(all ones, or a jump of over 2\^44 cycles\): 1 records skipped' \
	overheads jump_cpu=0.bin
# byte-swapped timestamp word and sequence number: read big-endian, the
# sequence is fine but the timestamps scramble
perl -e 'local $/; $_ = <STDIN>; for (my $i = 0; $i + 16 <= length; $i += 16) {
	substr($_, $i, 8) = reverse substr($_, $i, 8); substr($_, $i + 8, 4) = reverse substr($_, $i + 8, 4) }
	print' <"$fb" >swft_cpu=0.bin
case_ 1 '^swft_cpu=0.bin:0x[0-9a-f]+: warning: timestamps run backwards at [0-9]+ of [0-9]+ records \(wrong byte order or --ft-layout\?\): the samples are not to be trusted' \
	overheads swft_cpu=0.bin
case_ 1 '^swft_cpu=0.bin:0x[0-9a-f]+: warning: timestamps run backwards at' info swft_cpu=0.bin
"$RTLENS" overheads "$fb" >/dev/null 2>err
is "$?" 0 "the undamaged generated file: exit 0"
is "$(cat err)" "" "the undamaged generated file: no warning"

# a folder holding a cpu file whose 8-byte words are all reversed: its
# numbering reads in neither byte order, so it is left out, located, exit 1
# (before: a folder note only, exit 0, that cpu's samples missing)
mkdir -p ftrev && cp "$fb" ftrev/ && perl -e 'local $/; $_ = <STDIN>;
	for (my $i = 0; $i + 8 <= length; $i += 8) { substr($_, $i, 8) = reverse substr($_, $i, 8) }
	print' <"$fb" >ftrev/rev_cpu=1.bin
case_ 1 '^ftrev/rev_cpu=1.bin:0x0: warning: its records. sequence numbers do not run consecutively in either byte order \(damaged, or not a Feather-Trace file\): left out' \
	overheads ftrev

# a folder argument of overheads: a CTF trace beside the .bin is refused, other
# entries left out are said
mkdir -p ftmix && cp "$fb" ftmix/ && cp -r le ftmix/ctf
case_ 1 '^ftmix: error: holds 1 trace file \(overheads_host=.*\) beside the CTF trace ftmix/ctf' overheads ftmix
mkdir -p ftdir/sub && cp "$fb" ftdir/ && cp "$fb" ftdir/sub/ && cp x.xt ftdir/xen.bin && cp x.xt ftdir/run.xt
cp g/st-0.bin ftdir/schedule_cpu=0.bin && echo notes >ftdir/notes.txt
"$RTLENS" overheads ftdir >out 2>err
is "$?" 0 "overheads on a folder with other entries: exit 0 (its overheads are whole)"
grep -q '^rtlens: warning: ftdir: 1 \*.bin left out as xentrace (xen.bin)' err
ok $? "ftdir: the xentrace file named .bin left out, and why"
grep -q '^rtlens: warning: ftdir: 1 subfolder left out (sub; give one as an argument)' err
ok $? "ftdir: the subfolder with .bin files left out"
grep -q '^rtlens: warning: ftdir: 1 file not named \*.bin left out (run.xt)' err
ok $? "ftdir: the other trace file left out"
is "$(grep -c 'schedule_cpu\|notes.txt' err)" 0 "ftdir: the LITMUS layout's sched_trace file and notes need no word"

# xentrace: random bytes in the middle: the damaged window's rest is skipped, counted
s=$(wc -c <x.xt)
perl -e 'srand(7); print chr(int(rand(256))) for 1 .. 2048' >rnd.bin
{ head -c $((s / 2)) x.xt; cat rnd.bin; tail -c +$((s / 2 + 2049)) x.xt; } >xrnd.xt
case_ 1 "^xrnd.xt:0x[0-9a-f]+: warning: record 0x[0-9a-f]+ of cpu [0-9]+ has (an event id without a single class bit|a TSC jump no clock makes) \(damaged window\?\): the window's last [0-9]+ bytes skipped" \
	info xrnd.xt
"$RTLENS" info x.xt >whole.txt 2>/dev/null
# (a record half over the damage may still look plausible: the span may move a little)
dur() { span "$1" | sed 's/.*(//; s/ s)//'; }
awk -v a="$(dur out)" -v b="$(dur whole.txt)" 'BEGIN { exit !(a > 0 && a <= 2 * b) }'
ok $? "xrnd: the time span does not explode ($(dur out) s, whole file $(dur whole.txt) s)"
finish
