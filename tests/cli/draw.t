#!/bin/sh
# rtlens draw / st-draw on the real LITMUS traces: layout goldens, the
# renderers' output (PNG size and magic, SVG parsed and its bars counted
# against an independent pairing of the dumped switches, PDF), st-draw's
# default names, and bad input (clear errors, nothing half-written).
. "$(dirname "$0")/lib.sh"
need_shared

L=$SHARED/testdata/litmus/sched_trace
Q=$SHARED/testdata/litmus/recorded-qemu
T48="$L/run-trial48/st-0.bin $L/run-trial48/st-1.bin $L/run-trial48/st-2.bin $L/run-trial48/st-3.bin"
G6="$L/unit-trace-g6/st-g6-0.bin $L/unit-trace-g6/st-g6-1.bin $L/unit-trace-g6/st-g6-2.bin $L/unit-trace-g6/st-g6-3.bin"
qemu() { echo "$Q/schedule_host=qemu_scheduler=$1_trace=demo_cpu=0.bin" \
	"$Q/schedule_host=qemu_scheduler=$1_trace=demo_cpu=1.bin" \
	"$Q/schedule_host=qemu_scheduler=$1_trace=demo_cpu=2.bin" \
	"$Q/schedule_host=qemu_scheduler=$1_trace=demo_cpu=3.bin"; }

# --- layout goldens (the display list as text)
# st-draw's look (--style st-draw, what st-draw draws): these goldens predate the paper style
# and must not change
lay() { # NAME ARGS...
	n=$1
	shift
	"$RTLENS" draw --style st-draw --format layout -o "$TMP/$n.layout" "$@" 2>"$TMP/err"
	ok $? "draw --style st-draw --format layout $n exits 0"
	golden "$TMP/$n.layout" "draw-$n.layout.expect"
}
lay run-trial48 -r -f 0 -l 200 -x 8 -j $T48
lay unit-trace-g6 -l 50 -x 8 $G6
lay gsn-edf -l 60 -x 10 $(qemu GSN-EDF)
lay psn-edf -l 60 -x 10 $(qemu PSN-EDF)
lay pfair-by-cpu --by-cpu -l 100 -x 10 $(qemu PFAIR)
grep -q '^rect miss ' "$TMP/gsn-edf.layout"
ok $? "GSN-EDF (emulated, overloaded) shows deadline misses"
# colours are CPUs: under PSN-EDF (partitioned) each task's bars have one colour,
# under GSN-EDF (global) some task migrates within the window
colours() { awk '$1 == "rect" && $2 == "exec" { c[$4 " " $7] = 1 } END { for (k in c) { split(k, a, " "); n[a[1]]++ } for (r in n) if (n[r] > m) m = n[r]; print m + 0 }' "$1"; }
is "$(colours "$TMP/psn-edf.layout")" 1 "PSN-EDF: every task runs on one CPU (one bar colour per row)"
[ "$(colours "$TMP/gsn-edf.layout")" -gt 1 ]
ok $? "GSN-EDF: some task runs on several CPUs (several colours in a row)"
grep -q '^text legend .*"rtspin/1198"' "$TMP/pfair-by-cpu.layout"
ok $? "the CPU view has a legend naming the tasks"
"$RL_BUILD/st-draw" --format layout -o "$TMP/st48.layout" -r -f 0 -l 200 -x 8 -j $T48 2>"$TMP/err"
golden "$TMP/st48.layout" draw-run-trial48.layout.expect

# --- the paper style (rtlens draw's default look)
play() { # NAME ARGS...
	n=$1
	shift
	"$RTLENS" draw --format layout -o "$TMP/$n.layout" "$@" 2>"$TMP/err"
	ok $? "draw --format layout $n (paper style) exits 0"
	golden "$TMP/$n.layout" "draw-paper-$n.layout.expect"
}
play psn-edf-column --size column -l 60 $(qemu PSN-EDF)
play gsn-edf-column-gray --size column --grayscale -l 60 $(qemu GSN-EDF)
play run-trial48 -r -f 0 -l 200 -x 8 -j $T48
play pfair-by-cpu --by-cpu -l 100 -x 10 $(qemu PFAIR)
P=$TMP/psn-edf-column.layout
G=$TMP/gsn-edf-column-gray.layout
is "$(awk 'NR == 1 { print $2 }' "$P")" 252.00 "--size column: the whole picture is 252 units wide"
is "$(awk '$1 == "text" && $2 == "legend"' "$P" | sed 's/.*"\(.*\)".*/\1/' | tr '\n' ,)" \
	"CPU 0,CPU 1,CPU 2,CPU 3,deadline miss," "the task view has a legend: the CPUs drawn and the miss mark"
grep -q '^text title .*"time (ms)"' "$P"
ok $? "the time axis has a title"
grep -q '^text title .*"t = 0 at the system release, 14000 ms after boot"' "$P"
ok $? "the origin of the time axis is stated (the PSN-EDF system release, 14000 ms)"
# notes wrap to the canvas: every left-aligned title line's (generous) extent fits
"$RTLENS" draw --format layout --size column -r -f 0 -l 0 $T48 -o "$TMP/t48c.layout"
is "$(awk 'NR == 1 { w = $2 } $1 == "text" && $2 == "title" && $6 == "align=8" {
	t = $0; sub(/^[^"]*"/, "", t); sub(/".*$/, "", t); s = substr($5, 6)
	if ($3 + length(t) * s * 0.66 > w) bad++; n++ } END { print (n > 3), bad + 0 }' "$TMP/t48c.layout")" \
	"1 0" "--size column, whole run-trial48: the notes take more than three lines, all inside 252 units"
grep -q '^text title .*"thin gray marks: [0-9]* merged groups of releases, deadlines or"' "$TMP/t48c.layout"
ok $? "merged marks are said to be thin and gray"
awk '($2 == "release" || $2 == "deadline" || $2 == "completion") && $1 == "poly" && / n=[0-9]+/ && !/#8c8c8c|#d55e00/ { bad++ }
	END { exit bad > 0 }' "$TMP/t48c.layout"
ok $? "every merged mark is gray (or the miss colour)"
"$RTLENS" draw --format layout -f 1300 -l 50 $(qemu PSN-EDF) -o "$TMP/o.layout"
grep -q '"t = 0 at 14023.14627 ms after boot (+23.14627 ms from the system release)"' "$TMP/o.layout"
ok $? "-f 1300 (from the first event, 12723.14627 ms): the origin says so"
# tick labels dark: luma (Rec. 601) of every tick label's colour below 64 (st-draw: #b3b3b3)
luma() { awk '{ r = ("0x" substr($1, 2, 2)) + 0; g = ("0x" substr($1, 4, 2)) + 0; b = ("0x" substr($1, 6, 2)) + 0
	printf "%.0f\n", 0.299 * r + 0.587 * g + 0.114 * b }'; }
hexcol() { awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/) { print $i; break } }'; }
m=$(grep '^text tick-label ' "$P" | hexcol | luma | sort -n | tail -1)
[ "$m" -lt 64 ]
ok $? "tick labels are dark (luma at most $m)"
# misses: a colour no CPU bar has, and a cross (two miss lines) per missed deadline in the window
for f in "$P" "$G"; do
	awk '$1 == "rect" && $2 == "exec"' "$f" | hexcol | sort -u >"$TMP/cpucol"
	awk '$1 == "rect" && $2 == "miss"' "$f" | hexcol | sort -u >"$TMP/misscol"
	[ -s "$TMP/misscol" ] && [ "$(wc -l <"$TMP/misscol")" -eq 1 ] && ! grep -qxf "$TMP/misscol" "$TMP/cpucol"
	ok $? "$(basename "$f"): misses in $(cat "$TMP/misscol"), a colour no CPU uses ($(tr '\n' ' ' <"$TMP/cpucol"))"
	[ "$(grep -c '^line miss ' "$f")" -ge 2 ]
	ok $? "$(basename "$f"): missed deadlines carry a cross"
done
# grayscale: the four CPUs' fills are gray, at least 40 luma apart, each with its own hatching
awk '$1 == "rect" && $2 == "exec" { p = "p=0"; for (i = 1; i <= NF; i++) if ($i ~ /^p=/) p = $i
	for (i = 1; i <= NF; i++) if ($i ~ /^#/) c = $i; print c, p }' "$G" | sort -u >"$TMP/gray"
is "$(wc -l <"$TMP/gray")" 4 "grayscale: four CPU fills ($(tr '\n' ' ' <"$TMP/gray"))"
is "$(cut -d' ' -f2 "$TMP/gray" | sort -u | wc -l)" 4 "grayscale: four different hatchings"
awk '{ c = substr($1, 2); if (substr(c, 1, 2) != substr(c, 3, 2) || substr(c, 3, 2) != substr(c, 5, 2)) bad++ } END { exit bad > 0 }' "$TMP/gray"
ok $? "grayscale: every CPU fill is a gray"
cut -d' ' -f1 "$TMP/gray" | luma | sort -n | awk 'NR > 1 && $1 - p < 40 { bad = 1 } { p = $1 } END { exit bad }'
ok $? "grayscale: CPU fills at least 40 luma apart ($(cut -d' ' -f1 "$TMP/gray" | luma | sort -n | tr '\n' ' '))"
grep -q '^rect miss .* #000000' "$G"
ok $? "grayscale: misses are black (luma 0)"
# --width: the whole picture; the last tick label's (generous) extent inside the canvas
for wd in 300 517 1100; do
	"$RTLENS" draw --format layout --width $wd -l 1000 $(qemu PSN-EDF) -o "$TMP/w.layout"
	is "$(awk 'NR == 1 { print $2 }' "$TMP/w.layout")" "$wd.00" "--width $wd: the canvas is $wd units wide"
	awk 'NR == 1 { w = $2 } $1 == "text" && $2 == "tick-label" { x = $3; s = substr($5, 6); t = $NF }
		END { gsub(/"/, "", t); exit !(x + length(t) * s * 0.66 / 2 <= w) }' "$TMP/w.layout"
	ok $? "--width $wd: the last tick label fits in the canvas"
done
# long windows: slivers become density bands, said in a note
"$RTLENS" draw --format layout -v -l 0 --width 1000 $T48 -o "$TMP/long.layout" 2>"$TMP/err"
d=$(awk '$1 == "rect" && $2 == "exec" && / a=[0-9]+/' "$TMP/long.layout" | wc -l)
[ "$d" -gt 10 ]
ok $? "the whole run-trial48 trace in 1000 units: $d density bands (shaded merged bars)"
nd=$(sed -n 's/^text title .*"\([0-9]*\) density bands (bars narrower than 1 unit merged): shade = share of time run".*/\1/p' "$TMP/long.layout")
grep -q "rtlens: $nd density bands" "$TMP/err" && [ "$nd" -ge "$d" ]
ok $? "a note says what the $nd density bands are (-v says so too)"
is "$(wc -l <"$TMP/long.layout" | awk '{ print ($1 < 20000) }')" 1 "the long window stays small ($(wc -l <"$TMP/long.layout") items)"
# sizes and fonts
"$RTLENS" draw --format layout --size slide -l 60 $(qemu PSN-EDF) -o "$TMP/s.layout"
is "$(awk '$2 == "tick-label" { print $5; exit }' "$TMP/s.layout")" size=18.0 "--size slide: 18-unit tick labels"
"$RTLENS" draw --format layout --size page --font-scale 1.5 -l 60 $(qemu PSN-EDF) -o "$TMP/s.layout"
is "$(awk '$2 == "tick-label" { print $5; exit }' "$TMP/s.layout")" size=12.0 "--size page --font-scale 1.5: 12-unit tick labels"
"$RTLENS" draw --size column -l 60 $(qemu PSN-EDF) -o "$TMP/col.png"
w=$(od -An -tu1 -j16 -N4 "$TMP/col.png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
is "$w" 1050 "--size column PNG: 252 units at 300 dpi = 1050 px"
"$RTLENS" draw --size columns $(qemu PSN-EDF) -o "$TMP/x.png" 2>"$TMP/err"
is $? 2 "--size columns is a usage error"
"$RTLENS" draw --style st-draw --size column $(qemu PSN-EDF) -o "$TMP/x.png" 2>"$TMP/err"
is $? 2 "--size with --style st-draw is a usage error"
# the same picture gives the same bytes (PDF: a fixed creation date)
for ext in pdf svg png; do
	"$RTLENS" draw --size column -l 60 $(qemu GSN-EDF) -o "$TMP/d1.$ext"
	sleep 1
	"$RTLENS" draw --size column -l 60 $(qemu GSN-EDF) -o "$TMP/d2.$ext"
	cmp -s "$TMP/d1.$ext" "$TMP/d2.$ext"
	ok $? "$ext: two runs a second apart are byte-identical"
done
grep -aq '/CreationDate (19700101000000Z)' "$TMP/d1.pdf"
ok $? "PDF creation date: the epoch"
SOURCE_DATE_EPOCH=1700000000 "$RTLENS" draw --size column -l 60 $(qemu GSN-EDF) -o "$TMP/d3.pdf"
grep -aq '/CreationDate (20231114221320Z)' "$TMP/d3.pdf"
ok $? "PDF creation date: SOURCE_DATE_EPOCH"
# PDF text stays text: an embedded font, no text turned into paths
grep -aq '/FontFile2' "$TMP/d1.pdf"
ok $? "PDF embeds its font (text stays text)"
grep -q '<text [^>]*>time (ms)</text>' "$TMP/d1.svg"
ok $? "SVG text is <text>"

# --- the picture's jobs are the job analysis' jobs (inferred releases and their misses too)
# PSN-EDF writes no RELEASE for a job already due at the previous completion: 247 of its
# jobs have an inferred release. Arrows and miss bands are counted unmerged in the layout
# and compared with the rows of `rtlens jobs` for the same window.
jobs_in() { # START_NS END_NS CSV: rows released in [START, END], and those that missed
	awk -F, -v s="$1" -v e="$2" 'NR > 1 && $4 != "" && $4 >= s && $4 <= e { n++ }
		NR > 1 && $10 == 1 { m++ } END { print n + 0, m + 0 }' "$3"
}
"$RTLENS" jobs $(qemu PSN-EDF) >"$TMP/psn.csv"
ok $? "jobs on PSN-EDF exits 0"
[ "$(awk -F, 'NR > 1 && $17 ~ /release-inferred/' "$TMP/psn.csv" | wc -l)" -gt 100 ]
ok $? "PSN-EDF has jobs with an inferred release"
# the whole trace (first event 12723146270 ns, last 19120344070 ns)
"$RTLENS" draw --format layout --no-merge -f 0 -u 6397.198 $(qemu PSN-EDF) \
	-o "$TMP/psn-all.layout" 2>"$TMP/err"
ok $? "draw the whole PSN-EDF trace exits 0"
set -- $(jobs_in 12723146270 19120344070 "$TMP/psn.csv")
[ "$1" -gt 1900 ]
ok $? "PSN-EDF: $1 jobs with a release"
is "$(grep -c '^line release ' "$TMP/psn-all.layout")" "$1" "draw: one release arrow per job with a release"
is "$(grep -c '^rect miss ' "$TMP/psn-all.layout")" "$2" "draw: one miss band per job with dl_miss 1"
# 60 ms from the SYS_RELEASE (14000 ms): release arrows of the jobs released in it
"$RTLENS" draw --format layout --no-merge -l 60 $(qemu PSN-EDF) -o "$TMP/psn-60.layout"
set -- $(jobs_in 14000000000 14060000000 "$TMP/psn.csv")
is "$(grep -c '^line release ' "$TMP/psn-60.layout")" "$1" "draw -l 60: release arrows = jobs released in the window"

# --- PNG: magic, and the size the layout says
"$RTLENS" draw -r -f 0 -l 200 -x 8 $T48 -o "$TMP/t48.png" 2>"$TMP/err"
ok $? "draw to PNG exits 0"
is "$(od -An -c -N4 "$TMP/t48.png" | tr -d ' ')" '211PNG' "PNG signature"
w=$(od -An -tu1 -j16 -N4 "$TMP/t48.png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
h=$(od -An -tu1 -j20 -N4 "$TMP/t48.png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
is "${w}x$h" "$(awk 'NR==1{printf "%dx%d", $2, $3}' "$TMP/run-trial48.layout")" \
	"PNG size is the layout's canvas"
sz=$(wc -c <"$TMP/t48.png")
[ "$sz" -gt 20000 ]
ok $? "PNG is not trivially small ($sz bytes; pixels are checked in unit-draw)"

# --- SVG: parses; bars = scheduled intervals in the window, counted independently
intervals() { # START END FILES...: pair switch_in/out per CPU in the dump, as st-draw does
	s=$1
	e=$2
	shift 2
	"$RTLENS" dump "$@" | awk -v s="$s" -v e="$e" '
	$3 == "switch_in" && $5 != "pid=-" { on[$2] = $5; t0[$2] = $1; next }
	$3 == "switch_out" && $5 != "pid=-" {
		if (($2 in on) && on[$2] == $5 && t0[$2] <= $1 && $1 >= s && t0[$2] <= e) n++
		delete on[$2]
	}
	END { print n + 0 }'
}
if command -v xmllint >/dev/null 2>&1; then
	# default window: 1000 ms from the SYS_RELEASE at 23852000000000 ns
	want=$(intervals 23852000000000 23853000000000 $T48)
	[ "$want" -gt 100 ]
	ok $? "run-trial48 has $want scheduled intervals in the default window"
	"$RTLENS" draw --no-merge $T48 -o "$TMP/nm.svg"
	ok $? "draw --no-merge to SVG exits 0"
	xmllint --noout "$TMP/nm.svg"
	ok $? "SVG parses"
	is "$(xmllint --xpath 'count(//*[local-name()="rect"][@class="exec"])' "$TMP/nm.svg")" \
		"$want" "SVG exec bars = scheduled intervals in the window"
	"$RTLENS" draw $T48 -o "$TMP/m.svg"
	bars=$(xmllint --xpath 'count(//*[local-name()="rect"][@class="exec"])' "$TMP/m.svg")
	n1=$(xmllint --xpath 'count(//*[local-name()="rect"][@class="exec"][not(@data-n)])' "$TMP/m.svg")
	nn=$(xmllint --xpath 'sum(//*[local-name()="rect"][@class="exec"]/@data-n)' "$TMP/m.svg")
	is "$((n1 + nn))" "$want" "merged SVG: bars ($bars) stand for all $want intervals"
	[ "$bars" -lt "$want" ]
	ok $? "sub-unit bars were merged ($bars < $want)"
	c=$(xmllint --xpath 'count(//*[local-name()="rect"][@class="exec"]/*[local-name()="title"])' "$TMP/m.svg")
	is "$c" "$bars" "every exec bar has a <title>"
	grep -q '<title>rtspin/[0-9]* job [0-9]*: release; release [0-9.]* ms, deadline .*response time' "$TMP/m.svg"
	ok $? "release arrows' titles carry response time"
	# a qemu trace, default window, all three plugins
	for s in GSN-EDF PSN-EDF PFAIR; do
		rel=$("$RTLENS" dump $(qemu $s) | awk '$3 == "sys_release" { sub("arg=", "", $7); print $7; exit }')
		want=$(intervals "$rel" "$((rel + 1000000000))" $(qemu $s))
		"$RTLENS" draw --no-merge $(qemu $s) -o "$TMP/$s.svg"
		is "$(xmllint --xpath 'count(//*[local-name()="rect"][@class="exec"])' "$TMP/$s.svg")" \
			"$want" "$s: SVG exec bars = $want scheduled intervals"
	done
else
	skip "xmllint not installed (Debian libxml2-utils): SVG not parsed"
fi

# --- PDF
"$RTLENS" draw $(qemu PSN-EDF) -o "$TMP/p.pdf"
ok $? "draw to PDF exits 0"
is "$(head -c 5 "$TMP/p.pdf")" "%PDF-" "PDF header"
tail -c 8 "$TMP/p.pdf" | grep -q '%%EOF'
ok $? "PDF is complete"
"$RTLENS" draw --format pdf $(qemu PSN-EDF) -o "$TMP/p.img"
is "$(head -c 5 "$TMP/p.img")" "%PDF-" "--format forces the format whatever the name"

# --- st-draw: options, default names, PDF by default
mkdir "$TMP/cwd"
(cd "$TMP/cwd" && "$RL_BUILD/st-draw" -r -f 0 -l 50 -q 10 -j $(qemu GSN-EDF)) 2>"$TMP/err"
ok $? "st-draw -r -f 0 -l 50 -q 10 -j exits 0"
test -f "$TMP/cwd/schedule_host=qemu_scheduler=GSN-EDF_trace=demo.pdf"
ok $? "st-draw's default name: common prefix without _cpu=, .pdf"
mkdir "$TMP/stn" && cp "$RL_SRCDIR"/testdata/demo/st-*.bin "$TMP/stn/"
(cd "$TMP/stn" && "$RL_BUILD/st-draw" st-0.bin st-1.bin st-2.bin st-3.bin >/dev/null 2>&1)
[ -s "$TMP/stn/st.pdf" ] && [ ! -e "$TMP/stn/st-.pdf" ]
ok $? "st-draw of st-N.bin files: st.pdf, not st-.pdf"
(cd "$TMP/cwd" && "$RL_BUILD/st-draw" -l 50 "$L/run-trial48/st-1.bin") 2>"$TMP/err"
test -f "$TMP/cwd/st-1.bi.pdf"
ok $? "one input: st-draw drops the last character (st-1.bi.pdf)"
(cd "$TMP/cwd" && "$RTLENS" draw -l 50 --format svg $T48) 2>"$TMP/err"
test -f "$TMP/cwd/st.svg"
ok $? "rtlens draw --format svg without -o: st.svg (the prefix st- loses its dash)"
"$RL_BUILD/st-draw" --help >/dev/null
ok $? "st-draw --help exits 0"

# --- bad input
"$RTLENS" draw -f 23852100 -u 23852000 -l 10 $T48 -o "$TMP/x.png" 2>"$TMP/err"
is "$?" 2 "-u before -f: exit 2"
grep -q 'empty time window' "$TMP/err"
ok $? "says the window is empty"
echo old >"$TMP/keep.png"
"$RTLENS" draw -r -f 100000 $T48 -o "$TMP/keep.png" 2>"$TMP/err"
is "$?" 1 "window past the end of the trace: exit 1"
grep -q 'nothing to draw' "$TMP/err" && grep -q "after the trace's last event" "$TMP/err"
ok $? "says nothing is in the window and that the trace ended before it"
is "$(cat "$TMP/keep.png")" old "a failed draw leaves the old output untouched"
is "$(ls "$TMP" | grep -c tmp)" 0 "and no temporary file behind"
# a trace of one SYS_RELEASE record and no task (generated here)
printf '\013\000\000\000\000\000\000\000\000\312\232\073\000\000\000\000\000\224\065\167\000\000\000\000' >"$TMP/notask.bin"
"$RTLENS" draw "$TMP/notask.bin" -o "$TMP/n.png" 2>"$TMP/err"
is "$?" 1 "a trace without tasks: exit 1"
grep -q 'nothing to draw' "$TMP/err"
ok $? "says there is nothing to draw"
test ! -e "$TMP/n.png"
ok $? "and writes no image"
"$RTLENS" draw $T48 -o "$TMP/x.jpg" 2>"$TMP/err"
is "$?" 2 "unknown extension: exit 2"
grep -q "cannot tell the image format of '.*x.jpg'" "$TMP/err"
ok $? "says which name it cannot place"
"$RTLENS" draw $T48 -o "$TMP/no/such/dir/x.png" 2>"$TMP/err"
is "$?" 1 "unwritable output path: exit 1"
grep -q 'x.png' "$TMP/err"
ok $? "names the path"
"$RTLENS" draw -x 100 $T48 -o "$TMP/wide.png" 2>"$TMP/err"
is "$?" 2 "a PNG wider than cairo allows, with -x given: exit 2"
grep -q "more than cairo's 32767" "$TMP/err"
ok $? "explains the limit"
# ACTION, NP_EXIT, a switch-out of another pid, one without switch-in: drawn anyway
O=$RL_SRCDIR/tests/fuzz/corpus/draw/odd-records.bin
"$RTLENS" draw --format layout -o "$TMP/odd.layout" "$O" 2>"$TMP/err"
ok $? "odd records (ACTION, unknown, unpaired switches) draw, exit 0"
grep -q '^rect miss ' "$TMP/odd.layout" && grep -q '^poly block ' "$TMP/odd.layout" &&
	grep -q '^poly completion ' "$TMP/odd.layout" && grep -q '^poly release ' "$TMP/odd.layout"
ok $? "with the release, block, completion and the deadline miss of job 1"
"$RTLENS" draw -x abc $T48 -o "$TMP/x.png" 2>"$TMP/err"
is "$?" 2 "-x abc: exit 2"
"$RTLENS" draw --format gif $T48 2>"$TMP/err"
is "$?" 2 "--format gif: exit 2"
# --- long windows: tick labels in s or min where ms would crowd, never overlapping
"$RL_BUILD/gen-sched-trace" -o "$TMP/hour" -n 1 -m 1 -d 3600 --no-truth >/dev/null 2>&1
ticks() { # LAYOUT: the axis title, then the tick labels
	grep '^text title' "$1" | head -1 | sed 's/.*"\(time[^"]*\)".*/\1/'
	awk '$2 == "tick-label" { match($0, /"[^"]*"/); printf "%s ", substr($0, RSTART + 1, RLENGTH - 2) } END { print "" }' "$1"
}
# no two labels closer than their text (DejaVu Sans digits: 0.64 em, as the layout assumes)
apart() { awk '$2 == "tick-label" { match($0, /"[^"]*"/); w = (RLENGTH - 2) * 0.64 * substr($5, 6); if (n && $3 - px < (w + pw) / 2) bad = 1; px = $3; pw = w; n++ } END { exit bad }' "$1"; }
for spec in "column 0 min" "page 0 min" "column 20000 s" "column 200 ms"; do
	set -- $spec
	"$RTLENS" draw --size "$1" -l "$2" --format layout -o "$TMP/long.layout" "$TMP/hour/st-0.bin" 2>/dev/null
	ok $? "draw --size $1 -l $2 (of an hour-long trace) exits 0"
	is "$(ticks "$TMP/long.layout" | head -1)" "time ($3)" "--size $1 -l $2: the axis is in $3"
	apart "$TMP/long.layout"
	ok $? "--size $1 -l $2: tick labels do not overlap"
done
"$RTLENS" draw --size column -l 0 --format layout -o "$TMP/long.layout" "$TMP/hour/st-0.bin" 2>/dev/null
is "$(ticks "$TMP/long.layout" | tail -1)" "0 10 20 30 40 50 60 " "an hour at --size column: a label every 10 min"
finish
