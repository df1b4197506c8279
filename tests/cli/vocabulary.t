#!/bin/sh
# The option vocabulary shared by info dump jobs overheads latency draw xen:
# --help lists it, a bad value exits 2 naming the option, and the options
# select what they say (checked against awk over the unfiltered output).
. "$(dirname "$0")/lib.sh"
D="$RL_SRCDIR/testdata/demo"
DEMO="$D/st-0.bin $D/st-1.bin $D/st-2.bin $D/st-3.bin"

# --help lists the vocabulary
for c in info dump jobs overheads latency draw xen; do
	"$RTLENS" $c --help >"$TMP/h" 2>&1
	ok $? "$c --help exits 0"
	miss=
	for o in --cpu --pid --comm --from --to --output; do
		grep -q -- "$o" "$TMP/h" || miss="$miss $o"
	done
	case $c in dump) ;; draw) grep -q -- "--format" "$TMP/h" || miss="$miss --format" ;;
	*) grep -q -- "--format" "$TMP/h" || miss="$miss --format" ;; esac
	case $c in jobs | overheads | latency | xen) grep -q -- "--unit" "$TMP/h" || miss="$miss --unit" ;; esac
	grep -q -- "--quiet" "$TMP/h" || miss="$miss --quiet"
	is "$miss" "" "$c --help lists the vocabulary"
done

# a bad value of each option: exit 2 and a message naming the option
bad() { # bad CMD OPTION VALUE
	"$RTLENS" "$1" "$2" "$3" $DEMO >/dev/null 2>"$TMP/e"
	is "$?" 2 "$1 $2 '$3' exits 2"
	grep -q -- "$2" "$TMP/e"
	ok $? "$1 $2 '$3': the message names $2 ($(head -1 "$TMP/e"))"
}
for c in info dump jobs overheads latency draw xen; do
	bad $c --cpu 1-x
	bad $c --pid abc
	bad $c --comm ""
	bad $c --from 12parsecs
	bad $c --to -5ms
done
bad dump --from 99999999999999999999s
for c in info jobs overheads latency xen; do
	bad $c --format yaml
done
bad info --format csv
bad jobs --unit us
bad jobs --unit furlongs
bad latency --unit ms
bad overheads --unit parsec
bad xen --unit ms

# dump: --cpu 1 --from 1s --to 2s keeps exactly the cpu-1 events of [1 s, 2 s) after the
# first timed event
"$RTLENS" dump $DEMO >"$TMP/all"
T0=$(awk '!/ notime /{print $1; exit}' "$TMP/all")
"$RTLENS" dump --cpu 1 --from 1s --to 2s $DEMO >"$TMP/sel" 2>"$TMP/e"
ok $? "dump --cpu 1 --from 1s --to 2s exits 0"
awk -v t0="$T0" '$2 == 1 && !/ notime / && $1 - t0 >= 1e9 && $1 - t0 < 2e9' "$TMP/all" >"$TMP/want"
same_file "$TMP/sel" "$TMP/want" "dump selection = awk over the full dump"
ok $([ "$(wc -l <"$TMP/sel")" -gt 100 ]; echo $?) "the selection is not empty ($(wc -l <"$TMP/sel") events)"
is "$(awk -v t0="$T0" '$2 != 1 || $1 - t0 < 1e9 || $1 - t0 >= 2e9' "$TMP/sel" | wc -l)" 0 \
	"every line is cpu 1 inside [1 s, 2 s)"
"$RTLENS" dump --cpu 1 --from 1000000000 --to 2000000000 $DEMO | cmp -s - "$TMP/sel"
ok $? "dump: a bare number is ns"
"$RTLENS" dump --from 1.5s --to 1510000us $DEMO >"$TMP/w"
awk -v t0="$T0" '!/ notime / && $1 - t0 >= 1.5e9 && $1 - t0 < 1510000000' "$TMP/all" | cmp -s - "$TMP/w"
ok $? "dump --from 1.5s --to 1510000us"
ok $([ -s "$TMP/w" ]; echo $?) "(not empty)"
"$RTLENS" dump --pid 1003,1005-1006 $DEMO >"$TMP/p"
grep -E ' pid=(1003|1005|1006) ' "$TMP/all" | cmp -s - "$TMP/p"
ok $? "dump --pid 1003,1005-1006 = the lines of those pids"
"$RTLENS" dump --comm rtspin --cpu 0,2-3 $DEMO >"$TMP/c"
awk '($2 == 0 || $2 == 2 || $2 == 3) && $5 ~ /^pid=[0-9]/' "$TMP/all" | cmp -s - "$TMP/c"
ok $? "dump --comm rtspin --cpu 0,2-3"
"$RTLENS" dump --cpu 7 $DEMO >"$TMP/n" 2>"$TMP/e"
is "$?" 0 "a selection that matches nothing exits 0"
is "$(cat "$TMP/e")" "rtlens: warning: --cpu 7 matches no event" "and says so on stderr"
is "$(wc -c <"$TMP/n")" 0 "with no output"
"$RTLENS" dump -q --cpu 7 $DEMO 2>"$TMP/e"
is "$(wc -c <"$TMP/e")" 0 "-q silences that warning"

# info: counts over the selection; -o; --format json = --json
"$RTLENS" info --json --cpu 1 --from 1s --to 2s $DEMO >"$TMP/ij"
is "$(sed -n 's/.*"events":\([0-9]*\).*/\1/p' "$TMP/ij")" "$(wc -l <"$TMP/sel" | tr -d ' ')" \
	"info --cpu 1 --from 1s --to 2s counts the events dump selects"
"$RTLENS" info --format json --cpu 1 --from 1s --to 2s $DEMO | cmp -s - "$TMP/ij"
ok $? "info --format json = --json"
"$RTLENS" info --json --cpu 1 --from 1s --to 2s -o "$TMP/io" $DEMO >"$TMP/io.stdout"
ok $? "info -o exits 0"
same_file "$TMP/io" "$TMP/ij" "info -o FILE holds the output"
is "$(wc -c <"$TMP/io.stdout")" 0 "and nothing went to stdout"

# jobs: --pid = -p, --comm = -n, --from/--to = jobs released in the window
"$RTLENS" jobs $DEMO >"$TMP/jall"
"$RTLENS" jobs --pid 1003 $DEMO >"$TMP/j1"
"$RTLENS" jobs -p 1003 $DEMO | cmp -s - "$TMP/j1"
ok $? "jobs --pid 1003 = jobs -p 1003"
"$RTLENS" jobs -s --comm rtspin $DEMO >"$TMP/j2"
"$RTLENS" jobs -s -n rtspin $DEMO | cmp -s - "$TMP/j2"
ok $? "jobs -s --comm rtspin = jobs -s -n rtspin"
"$RTLENS" jobs --pid 1003,1005 $DEMO >"$TMP/j3"
awk -F, 'NR == 1 || $1 == 1003 || $1 == 1005' "$TMP/jall" | cmp -s - "$TMP/j3"
ok $? "jobs --pid 1003,1005 = the rows of those pids"
S0=$(awk '!/ notime /{print $1; exit}' "$TMP/all")
"$RTLENS" jobs --from 1s --to 2s $DEMO >"$TMP/j4"
awk -F, -v t0="$S0" 'NR == 1 || ($4 != "" && $4 - t0 >= 1e9 && $4 - t0 < 2e9)' "$TMP/jall" |
	cmp -s - "$TMP/j4"
ok $? "jobs --from 1s --to 2s = the jobs released in the window"
ok $([ "$(wc -l <"$TMP/j4")" -gt 100 ]; echo $?) "and there are some ($(wc -l <"$TMP/j4"))"
REL=$(awk '/ sys_release /{sub("arg=", "", $7); print $7; exit}' "$TMP/all")
"$RTLENS" jobs -r --from 0 --to 20ms $DEMO >"$TMP/j5"
"$RTLENS" jobs -r $DEMO >"$TMP/jr"
awk -F, -v r="$REL" 'NR == 1 || ($4 != "" && $4 >= r && $4 - r < 2e7)' "$TMP/jr" |
	cmp -s - "$TMP/j5"
ok $? "jobs -r --from/--to count from the system release"
ok $([ "$(wc -l <"$TMP/j5")" -gt 5 ] && [ "$REL" -gt "$S0" ]; echo $?) \
	"(some jobs; the release $REL is after the first event $S0)"
"$RTLENS" jobs -s --unit ms $DEMO >"$TMP/j6"
"$RTLENS" jobs -s -m $DEMO | cmp -s - "$TMP/j6"
ok $? "jobs --unit ms = -m"
grep -q "(times in ms)" "$TMP/j6"
ok $? "the summary names its unit"
"$RTLENS" jobs --cpu 9 $DEMO >/dev/null 2>"$TMP/e"
is "$?" 0 "jobs --cpu 9 exits 0"
is "$(cat "$TMP/e")" "rtlens: warning: --cpu 9 matches no job" "and says it matches no job"
"$RTLENS" jobs --compat --from 1s $DEMO >/dev/null 2>"$TMP/e"
is "$?" 2 "jobs --compat --from is refused"

# draw: --from/--to take units (bare: ms) and count from the first event (999999 ms
# here), as on every command; -r from the release (1000000 ms); --pid selects the rows
"$RTLENS" draw --format layout -o "$TMP/d1" --from 1 --to 51 $DEMO
"$RTLENS" draw --format layout -o "$TMP/d2" --from 1000us --to 0.051s $DEMO
same_file "$TMP/d2" "$TMP/d1" "draw --from 1000us --to 0.051s = --from 1 --to 51"
"$RTLENS" draw --format layout -o "$TMP/d4" -r --from 0 --to 50 $DEMO
same_file "$TMP/d4" "$TMP/d1" "draw -r --from 0 --to 50 = --from 1 --to 51 (release 1 ms after the first event)"
"$RTLENS" draw --format layout -o "$TMP/d3" --from 1ms --to 51ms --pid 1000 $DEMO
is "$(grep 'task-label.*"rtspin/' "$TMP/d3" | sed 's/^[^"]*"\([^ "]*\).*/\1/' | tr '\n' ' ')" "rtspin/1000 " \
	"draw --pid 1000 draws that task only"

# overheads on Feather-Trace: --from/--to refused, --cpu takes one cpu
mkdir "$TMP/ft"
"$RL_BUILD/gen-feather-trace" -c 2 -n 200 "$TMP/ft" >/dev/null
FT=$TMP/ft
if [ -n "$(ls "$FT")" ]; then
	"$RTLENS" overheads --from 1s "$FT" >/dev/null 2>"$TMP/e"
	is "$?" 2 "overheads --from on Feather-Trace exits 2"
	grep -q -- "--from" "$TMP/e"
	ok $? "naming --from"
	"$RTLENS" overheads --cpu 0-1 "$FT" >/dev/null 2>"$TMP/e"
	is "$?" 2 "overheads --cpu LIST on Feather-Trace exits 2"
	"$RTLENS" overheads --format csv --cpu 1 "$FT" >"$TMP/f1"
	ok $? "overheads --cpu 1 on Feather-Trace works (one cpu)"
else
	skip "no Feather-Trace generator output"
	skip "no Feather-Trace generator output"
	skip "no Feather-Trace generator output"
	skip "no Feather-Trace generator output"
fi

# xen: --cpu selects PCPUs (the PCPU's row is the one of the whole trace)
"$RL_BUILD/gen-xentrace" -c 4 -g 3 -n 2000 -s 7 -t "$TMP/truth" -o "$TMP/a.xt"
"$RTLENS" xen -q --cpu-hz 2G --pcpus --format csv "$TMP/a.xt" >"$TMP/x1"
"$RTLENS" xen -q --cpu-hz 2G --pcpus --format csv --cpu 1 "$TMP/a.xt" >"$TMP/x2"
is "$(sed -n 2p "$TMP/x2" | cut -d, -f1)" "1" "xen --cpu 1: the PCPU 1 row"
is "$(wc -l <"$TMP/x2" | tr -d ' ')" 2 "and no other"
"$RTLENS" xen -q --cpu-hz 2G --vcpus --format csv --comm d1v0 "$TMP/a.xt" >"$TMP/x3"
is "$(cut -d, -f1-2 "$TMP/x3" | sed 1d | tr '\n' ' ')" "1,0 " "xen --comm d1v0: that VCPU only"
sed -n 2p "$TMP/x3" | cut -d, -f1-2,4-7,11- >"$TMP/x3.row"
"$RTLENS" xen -q --cpu-hz 2G --vcpus --format csv "$TMP/a.xt" | grep '^1,0,' |
	cut -d, -f1-2,4-7,11- | cmp -s - "$TMP/x3.row"
ok $? "with the running/runnable times and counts of the whole trace (its own events)"

# latency on a real trace.dat: --cpu 0 keeps exactly the cpu-0 samples of --per-cpu
L=$SHARED/testdata/ftrace/sched-v6.dat
if [ -f "$L" ]; then
	"$RTLENS" latency -q --per-cpu --format csv "$L" >"$TMP/l1"
	"$RTLENS" latency -q --per-cpu --format csv --cpu 0 "$L" >"$TMP/l2"
	awk -F, 'NR == 1 || $5 == 0' "$TMP/l1" | cmp -s - "$TMP/l2"
	ok $? "latency --per-cpu --cpu 0 = the cpu-0 rows of --per-cpu"
	is "$(awk -F, 'NR > 1 && $5 != 0' "$TMP/l2" | wc -l)" 0 "only cpu-0 series"
	"$RTLENS" latency -q --format csv --from 1s --to 2s "$L" >"$TMP/l3"
	"$RTLENS" latency -q --format csv "$L" >"$TMP/l4"
	ok $(! cmp -s "$TMP/l3" "$TMP/l4"; echo $?) "latency --from/--to changes the samples"
	"$RTLENS" overheads -q --format csv --cpu 0 --per-cpu "$L" | cmp -s - "$TMP/l2"
	ok $? "overheads on a trace.dat = latency, --cpu included"
else
	skip "shared trace.dat absent"
	skip "shared trace.dat absent"
	skip "shared trace.dat absent"
	skip "shared trace.dat absent"
fi
finish
