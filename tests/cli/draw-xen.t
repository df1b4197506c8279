#!/bin/sh
# rtlens draw on the PennPanda xentrace (8 PCPUs, dom0 and an RTDS domain 2):
# layout goldens for the per-PCPU and per-VCPU views, the default window
# ending with the trace, idle VCPUs never drawn as tasks, bars coloured by
# domain (per PCPU) and by PCPU (per VCPU), RTDS release and deadline marks
# as many as the RTDS table's periods in the window.
. "$(dirname "$0")/lib.sh"
need_shared
T=$SHARED/testdata/xen/pennpanda-rtds-mode-change/trace.bin
[ -f "$T" ] || { echo "1..0 # SKIP $T absent"; exit 0; }

span=$("$RTLENS" info -q "$T" | sed -n 's/^time span: *\([0-9]*\) \.\. \([0-9]*\) ns.*/\1 \2/p')
first=${span% *}
last=${span#* }

# --- per PCPU
"$RTLENS" draw --style st-draw --quiet -v --by-cpu --format layout -x 3 "$T" -o "$TMP/pcpu.layout" 2>"$TMP/err"
ok $? "draw --by-cpu --format layout exits 0"
golden "$TMP/pcpu.layout" draw-xen-by-cpu.layout.expect
is "$(sed -n 's/.*drawing [0-9.]* ms from \([0-9.]*\) ms to \([0-9.]*\) ms.*/\1 \2/p' "$TMP/err")" \
	"$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.6f %.6f", a / 1e6, b / 1e6 }')" \
	"default window: the whole 296 ms trace, not st-draw's 1000 ms"
is "$(grep -c '32767' "$TMP/pcpu.layout")" 0 "no idle VCPU is named (no bar, tag or legend entry)"
is "$(awk '$1 == "text" && $2 == "legend"' "$TMP/pcpu.layout" | sed 's/.*"\(.*\)".*/\1/' | tr '\n' ,)" \
	"domain 0,domain 2,idle," "legend: one entry per domain, and idle"
ok $([ "$(grep -c '^rect idle ' "$TMP/pcpu.layout")" -gt 8 ]; echo $?) "idle time drawn as gray bands"
is "$(awk '$1 == "text" && $2 == "task-label"' "$TMP/pcpu.layout" | sed 's/.*"\(.*\)".*/\1/' | tr '\n' ,)" \
	"PCPU 0,PCPU 1,PCPU 2,PCPU 3,PCPU 4,PCPU 5,PCPU 6,PCPU 7," "one row per PCPU"
# colour of every single-interval bar by the domain in its title: one colour per domain
awk '$1 == "rect" && $2 == "exec" && match($0, /"d[0-9]+v/) {
	d = substr($0, RSTART + 2, RLENGTH - 3); c[d " " $7] = 1 }
	END { for (k in c) { split(k, a, " "); n[a[1]]++; col[a[2]]++ } for (d in n) print d, n[d]; print "colours", length(col) }' \
	"$TMP/pcpu.layout" | sort >"$TMP/got"
printf '0 1\n2 1\ncolours 2\n' >"$TMP/want"
same_file "$TMP/got" "$TMP/want" "bars coloured by domain: one colour each for domains 0 and 2"
grep -q '^text tag .*"d2v[0-3]"' "$TMP/pcpu.layout" || grep -q '^text tag .*"d0v[0-7]"' "$TMP/pcpu.layout"
ok $? "bars wide enough are tagged d<dom>v<vcpu>"

f=$(awk -v a="$first" 'BEGIN { printf "%.6f", a / 1e6 + 100 }')
# -f counts from the trace's first event
"$RTLENS" draw --quiet -v --by-cpu --format layout -f 100 -x 3 "$T" -o "$TMP/f.layout" 2>"$TMP/err"
is "$(sed -n 's/.*drawing [0-9.]* ms from \([0-9.]*\) ms to \([0-9.]*\) ms.*/\1 \2/p' "$TMP/err")" \
	"$(awk -v f="$f" -v b="$last" 'BEGIN { printf "%.6f %.6f", f, b / 1e6 }')" \
	"-f without -l: from there to the trace's end"
"$RTLENS" draw --quiet -v --by-cpu --format layout -l 1000 -x 3 "$T" -o "$TMP/l.layout" 2>"$TMP/err"
grep -q 'drawing 1000.000000 ms' "$TMP/err"
ok $? "an explicit -l 1000 is kept (st-draw's rule)"

# --- per VCPU, with RTDS periods: 130 ms around domain 2's mode change and misses
"$RTLENS" draw --style st-draw --quiet -v --format layout -r -f 140 -l 130 -x 8 "$T" -o "$TMP/vcpu.layout" 2>"$TMP/err"
ok $? "draw --format layout (per VCPU) exits 0"
golden "$TMP/vcpu.layout" draw-xen-vcpus.layout.expect
is "$(awk '$1 == "text" && $2 == "task-label"' "$TMP/vcpu.layout" | sed 's/.*"\(.*\)".*/\1/' | grep -v '^(' | tr '\n' ,)" \
	"d0v0,d0v1,d0v2,d0v3,d0v4,d0v5,d0v6,d0v7,d2v0,d2v1,d2v2,d2v3," \
	"rows: the guest and dom0 VCPUs in (domain, vcpu) order, no idle VCPU"
is "$(grep -c '"(2.50ms, 10.00ms)"' "$TMP/vcpu.layout")" 3 "d2v0-2 labelled with RTDS budget and period"
ws=$(awk -v f="$first" 'BEGIN { printf "%.0f", f + 140e6 }')
we=$(awk -v f="$first" 'BEGIN { printf "%.0f", f + 270e6 }')
"$RTLENS" xen -q --rtds --format csv "$T" >"$TMP/rt.csv"
want=$(awk -F, -v s="$ws" -v e="$we" 'NR > 1 {
	if ($5 >= s && $5 <= e) r++; if ($6 >= s && $6 <= e) { d++; if ($15 == 1) m++ } }
	END { printf "%d releases, %d deadlines, 0 completions, %d deadline misses", r, d, m }' "$TMP/rt.csv")
grep -q "$want" "$TMP/err"
ok $? "marks = the RTDS table's periods in the window ($want)"
ok $([ "$(grep -c '^rect miss ' "$TMP/vcpu.layout")" -ge 1 ]; echo $?) "d2v3's missed periods are drawn"
# per VCPU, bar colour follows the PCPU in the title: a one-to-one map
awk '$1 == "rect" && $2 == "exec" && match($0, /on PCPU [0-9]+/) {
	p = substr($0, RSTART + 8, RLENGTH - 8); pc[p " " $7] = 1 }
	END { for (k in pc) { split(k, a, " "); np[a[1]]++; nc[a[2]]++ } bad = 0
	for (p in np) if (np[p] != 1) bad++; for (c in nc) if (nc[c] != 1) bad++
	print length(np), bad }' "$TMP/vcpu.layout" >"$TMP/got"
is "$(cut -d' ' -f2 "$TMP/got")" 0 "bars coloured by PCPU ($(cut -d' ' -f1 "$TMP/got") PCPUs, one colour each)"

# the paper style: past six PCPUs the colours repeat, a hatching keeps each PCPU's fill its own
"$RTLENS" draw --quiet --format layout -r -f 140 -l 130 -x 8 "$T" -o "$TMP/pv.layout" 2>"$TMP/err"
awk '$1 == "rect" && $2 == "exec" && match($0, /on PCPU [0-9]+/) {
	p = substr($0, RSTART + 8, RLENGTH - 8); q = "p=0"; for (i = 1; i <= NF; i++) if ($i ~ /^p=/) q = $i
	pc[p " " $7 q] = 1 }
	END { for (k in pc) { split(k, a, " "); np[a[1]]++; nc[a[2]]++ } bad = 0
	for (p in np) if (np[p] != 1) bad++; for (c in nc) if (nc[c] != 1) bad++
	print length(np), bad }' "$TMP/pv.layout" >"$TMP/got"
is "$(cat "$TMP/got")" "8 0" "paper style: 8 PCPUs, each one colour-and-hatching of its own"
grep -q '"t = 0 at [0-9.]* ms on the trace clock (+140 ms from the trace.s first event)"' "$TMP/pv.layout"
ok $? "paper style: the origin is stated from the trace's first event (no system release)"
grep -q '^text legend .*"PCPU 7"' "$TMP/pv.layout"
ok $? "paper style: the legend names the PCPUs"

# --- PNG of both views: signature and the layout's size
for v in "" --by-cpu; do
	"$RTLENS" draw --quiet $v -x 3 "$T" -o "$TMP/x.png"
	ok $? "draw $v to PNG exits 0"
	"$RTLENS" draw --quiet $v -x 3 --format layout "$T" -o "$TMP/x.layout"
	w=$(od -An -tu1 -j16 -N4 "$TMP/x.png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
	h=$(od -An -tu1 -j20 -N4 "$TMP/x.png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
	is "${w}x$h" "$(awk 'NR==1{printf "%dx%d", $2, $3}' "$TMP/x.layout")" "PNG $v: the layout's size"
done
finish
