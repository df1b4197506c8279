#!/bin/sh
# ft2csv compatibility: byte-identical stdout (CSV) and stderr (counter block)
# to the original ft2csv for every reference file: the synthetic gsn-edf-4cpu
# traces and the real LITMUS^RT recordings made under qemu; ft2csv -l and
# ftdump (rtlens overheads --ftdump) on the recordings too.
. "$(dirname "$0")/lib.sh"
need_shared

R=$SHARED/testdata/reference/feather-trace
check_dir() { # check_dir REFDIR TRACEDIR
	nref=0
	for ref in "$1"/*.csv; do
		[ -e "$ref" ] || continue
		b=$(basename "$ref" .csv)
		ev=${b##*.}
		trace=$2/${b%.*}.bin
		"$RL_BUILD/ft2csv" "$ev" "$trace" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		if cmp -s "$TMP/out" "$ref" && cmp -s "$TMP/err" "${ref%.csv}.stderr" && [ $rc -eq 0 ]; then
			nref=$((nref + 1))
		else
			ok 1 "ft2csv $ev $(basename "$trace") (exit $rc)"
			diff "$TMP/out" "$ref" | head -5 | sed 's/^/#   /'
			diff "$TMP/err" "${ref%.csv}.stderr" | head -5 | sed 's/^/#   /'
		fi
	done
	want=$(ls "$1"/*.csv | wc -l)
	is "$nref" "$want" "$(basename "$1"): all $want stdout+stderr pairs byte-identical"
}
check_dir "$R/gsn-edf-4cpu" "$SHARED/testdata/synthetic/feather-trace/gsn-edf-4cpu"
check_dir "$R/recorded-qemu" "$SHARED/testdata/litmus/recorded-qemu"

# the rtlens overheads --ft2csv spelling, and a gzip-compressed input
Q=$SHARED/testdata/litmus/recorded-qemu
f=overheads_host=qemu_scheduler=GSN-EDF_trace=demo_cpu=1
"$RTLENS" overheads --ft2csv CXS "$Q/$f.bin" >"$TMP/out" 2>"$TMP/err"
same_file "$TMP/out" "$R/recorded-qemu/$f.CXS.csv" "rtlens overheads --ft2csv CXS stdout"
same_file "$TMP/err" "$R/recorded-qemu/$f.CXS.stderr" "rtlens overheads --ft2csv CXS stderr"
gzip -c "$Q/$f.bin" >"$TMP/g.bin.gz"
"$RL_BUILD/ft2csv" SCHED "$TMP/g.bin.gz" >"$TMP/out" 2>/dev/null
same_file "$TMP/out" "$R/recorded-qemu/$f.SCHED.csv" "gzip input gives the same CSV"

# -r: float32 values are the CSV deltas rounded to float
"$RL_BUILD/ft2csv" -r CXS "$Q/$f.bin" >"$TMP/bin" 2>"$TMP/err"
grep -q "Generating binary, NumPy-compatible output." "$TMP/err"
ok $? "-r announces binary output"
python3 -c "
import struct,sys
v=[int(l.split(', ')[2]) for l in open(sys.argv[1])]
b=open(sys.argv[2],'rb').read()
f=struct.unpack('%df'%(len(b)//4),b)
sys.exit(0 if len(f)==len(v) and all(struct.unpack('f',struct.pack('f',float(x)))[0]==y for x,y in zip(v,f)) else 1)
" "$R/recorded-qemu/$f.CXS.csv" "$TMP/bin"
ok $? "-r writes one float32 per CSV row, same values"

# -l lists events in order of first appearance: every file in tool-output
nl=0; nlok=0
for bin in "$Q"/overheads_*.bin; do
	b=$(basename "$bin")
	want=$(grep -A1 "^=== $b\$" "$Q/tool-output/ft2csv_counters.txt" | sed -n 's/^ft2csv -l: //p')
	[ -n "$want" ] || continue
	nl=$((nl + 1))
	got=$("$RL_BUILD/ft2csv" -l "$bin" | tr '\n' ' ')
	[ "$got" = "$want" ] && nlok=$((nlok + 1))
done
ok $([ "$nl" -gt 20 ] && [ "$nl" -eq "$nlok" ]; echo $?) "-l matches ft2csv -l for $nlok of $nl recorded files"

# the reader against ftdump on real data: every field of every record
nd=0; ndok=0
for ref in "$Q"/tool-output/ftdump/*.ftdump.txt; do
	b=$(basename "$ref" .ftdump.txt)
	nd=$((nd + 1))
	"$RTLENS" overheads --ftdump "$Q/$b.bin" >"$TMP/dump" && cmp -s "$TMP/dump" "$ref" && ndok=$((ndok + 1))
done
ok $([ "$nd" -gt 10 ] && [ "$nd" -eq "$ndok" ]; echo $?) "--ftdump byte-identical to ftdump for $ndok of $nd recorded files"

# optional differential test against a real ft2csv (FT2CSV=/path): every option
# combination on the recordings and on a generated trace that wraps 2^48
if [ -n "$FT2CSV" ] && [ -x "$FT2CSV" ]; then
	mkdir -p "$TMP/gen"
	"$RL_BUILD/gen-feather-trace" -c 2 -n 2000 -t 281474970000000 "$TMP/gen" >/dev/null
	nrun=0 ndiff=0
	for g in "$Q"/overheads_*GSN-EDF_trace=demo_*.bin "$TMP"/gen/*.bin; do
		for o in "" -i -b -x -r -p -e "-a 0" "-o 1" "-s 2" "-i -b -x" "-p -s 3"; do
			for ev in SCHED CXS RELEASE SEND_RESCHED RELEASE_LATENCY 150 LOCK SYSCALL_IN; do
				nrun=$((nrun + 1))
				# shellcheck disable=SC2086
				"$FT2CSV" $o $ev "$g" >"$TMP/r1" 2>"$TMP/e1"
				# shellcheck disable=SC2086
				"$RL_BUILD/ft2csv" $o $ev "$g" >"$TMP/r2" 2>"$TMP/e2"
				cmp -s "$TMP/r1" "$TMP/r2" && cmp -s "$TMP/e1" "$TMP/e2" || ndiff=$((ndiff + 1))
			done
		done
	done
	is "$ndiff" 0 "FT2CSV differential: $nrun runs, stdout and stderr identical"
else
	skip "FT2CSV not set: no differential run against a real ft2csv"
fi

# errors: unknown event, missing file
"$RL_BUILD/ft2csv" NOPE "$Q/$f.bin" >/dev/null 2>"$TMP/err"
is "$?" 1 "unknown event exits 1"
head -1 "$TMP/err" | grep -q "^Unknown event!$"
ok $? "unknown event message"
"$RL_BUILD/ft2csv" CXS "$TMP/absent.bin" >/dev/null 2>"$TMP/err"
is "$?" 1 "missing file exits 1"
grep -q "absent.bin: error: cannot open" "$TMP/err"
ok $? "missing file: located message"
finish
