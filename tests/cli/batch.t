#!/bin/sh
# rtlens batch and rtlens merge: the runs of an experiment tree into one
# database. Runs found by the documented rules; each run's rows are those of
# rtlens jobs; the result is byte-identical with -j1 and -j2, equal to a
# merge of per-run databases made by rtlens db --run (in any order, more
# than SQLite's 10 attached databases), resumable, and one failing run does
# not stop the others.
. "$(dirname "$0")/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP the sqlite3 command-line tool is not installed (Debian sqlite3)"
	exit 0
fi
q() { sqlite3 -batch -list -separator , "$@"; }
GEN=$RL_BUILD/gen-sched-trace
GENFT=$RL_BUILD/gen-feather-trace

# the tree: experiment-scripts runs (params.py), a folder of Feather-Trace
# recordings named key=value, a folder of per-CPU files without parameters
T=$TMP/tree
k=0
for s in GSN-EDF PSN-EDF; do
	for trial in 0 1; do
		k=$((k + 1))
		d=$T/exp/sched=${s}_trial=$trial
		mkdir -p "$d"
		g=
		[ $s = GSN-EDF ] && g=-g
		"$GEN" -o "$d" -n 6 -m 2 -j 400 -s $k $g >/dev/null 2>&1
		printf "{'scheduler': '%s', 'trial': %s, 'util': 1.2, 'cpus': 2,\n 'tracers': ['sched']}\n" \
			$s $trial >"$d/params.py"
	done
done
mkdir -p "$T/ft"
"$GENFT" -c 2 -n 300 -k n=4 "$T/ft" >/dev/null 2>&1
"$GENFT" -c 2 -n 200 -S 7 -k n=8 "$T/ft" >/dev/null 2>&1
printf 'x' >"$T/ft/stray.bin"
mkdir -p "$T/percpu"
"$GEN" -o "$T/percpu" -n 4 -m 2 -j 300 -s 9 >/dev/null 2>&1

"$RTLENS" batch --list "$T" >"$TMP/list" 2>"$TMP/err"
ok $? "batch --list exits 0"
cat >"$TMP/list.want" <<'EOF'
tree/exp/sched=GSN-EDF_trial=0
tree/exp/sched=GSN-EDF_trial=1
tree/exp/sched=PSN-EDF_trial=0
tree/exp/sched=PSN-EDF_trial=1
tree/ft/host=gen_scheduler=GEN_trace=T_n=4
tree/ft/host=gen_scheduler=GEN_trace=T_n=8
tree/percpu
EOF
same_file "$TMP/list" "$TMP/list.want" "runs: params.py folders, key=value recordings, a per-CPU set"
grep -q 'stray.bin: warning: belongs to no run' "$TMP/err"
ok $? "a file without key=value name among key=value ones is reported, not guessed"
NRUNS=$(wc -l <"$TMP/list" | tr -d ' ')

"$RTLENS" batch -j1 -o "$TMP/o1" "$T" 2>"$TMP/err1"
ok $? "batch -j1 exits 0"
DB=$TMP/o1/rtlens.db
is "$(q "$DB" 'SELECT COUNT(*) FROM run')" "$NRUNS" "one run row per run found"
is "$(q "$DB" 'SELECT COUNT(DISTINCT run) FROM job')" 5 "the five sched_trace runs have jobs"
is "$(q "$DB" "PRAGMA integrity_check")" ok "the database passes integrity_check"
is "$(q "$DB" "SELECT group_concat(run, ' ') FROM (SELECT run FROM run ORDER BY run_id)")" \
	"$(seq -s ' ' 1 "$NRUNS")" "run keys: 1, 2, ... in run_id order"
is "$(q "$DB" "SELECT COUNT(*) FROM job WHERE run NOT IN (SELECT run FROM run)")" 0 \
	"every job row has the key of a run"

# every run's rows are those of rtlens jobs / rtlens overheads on its files
"$RTLENS" batch --list --files "$T" 2>/dev/null >"$TMP/files"
bad=0
while IFS="$(printf '\t')" read -r name f1 rest; do
	# shellcheck disable=SC2086
	files="$f1 $(printf '%s' "$rest" | tr '\t' ' ')"
	id=$(q "$DB" "SELECT run_id FROM run WHERE name = '$name'")
	case $name in
	*ft/*)
		# shellcheck disable=SC2086
		want=$("$RTLENS" overheads --format csv $files 2>/dev/null | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["unit"] == "cycles" { n += $c["samples"] } END { print n }')
		got=$(q "$DB" "SELECT SUM(n) FROM overhead_stats WHERE run = (SELECT run FROM run WHERE run_id = '$id') AND unit = 'cycles'")
		;;
	*)
		# shellcheck disable=SC2086
		want=$(($("$RTLENS" jobs $files 2>/dev/null | wc -l) - 1))
		got=$(q "$DB" "SELECT COUNT(*) FROM job WHERE run = (SELECT run FROM run WHERE run_id = '$id')")
		;;
	esac
	if [ -z "$id" ] || [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		echo "# $name: got '$got', want '$want'"
	fi
done <"$TMP/files"
is "$bad" 0 "each run's jobs (overhead samples) are those of rtlens jobs (overheads) on its files"
is "$(q "$DB" "SELECT SUM(n) FROM overhead_stats")" "$(q "$DB" "SELECT COUNT(*) FROM overhead_sample WHERE status = 'kept'")" \
	"overhead_sample: one row per kept sample"
is "$(q "$DB" "SELECT COUNT(*) FROM (SELECT o.n, (SELECT SUM(count) FROM histogram h WHERE h.run = o.run
	AND h.grp = o.grp AND h.event = o.event AND h.cpu IS o.cpu) AS hn FROM overhead_stats o) WHERE hn IS NOT n
	AND n > 0")" 0 "histogram: the buckets of each series add up to its n"

# run_summary: one wide row per run, parameters as typed columns
is "$(q "$DB" 'SELECT COUNT(*) FROM run_summary')" "$NRUNS" "run_summary: a row per run"
is "$(q "$DB" "SELECT scheduler, trial, typeof(trial), util, typeof(util), sched, jobs > 0
	FROM run_summary WHERE name = 'tree/exp/sched=PSN-EDF_trial=1'")" \
	"PSN-EDF,1,integer,1.2,real,PSN-EDF,1" "run_summary: params.py and folder parameters as columns"
is "$(q "$DB" "SELECT n, CXS_n > 0 FROM run_summary WHERE name LIKE 'tree/ft/%' ORDER BY n")" \
	"$(printf '4,1\n8,1')" "run_summary: file-name parameters and overhead columns"
is "$(q "$DB" "SELECT misses FROM run_summary WHERE name = 'tree/percpu'")" \
	"$(q "$DB" "SELECT SUM(dl_miss = 1) FROM job j JOIN run r USING (run) WHERE r.name = 'tree/percpu'")" \
	"run_summary: misses counts the job table"
is "$(($(wc -l <"$TMP/o1/runs.csv") - 1))" "$NRUNS" "runs.csv: a line per run and a header"
is "$(head -1 "$TMP/o1/runs.csv")" "$(q "$DB" "SELECT group_concat(name, ',') FROM pragma_table_info('run_summary')")" \
	"runs.csv: run_summary's columns"

# progress: on a terminal only
ok $(grep -q 'ETA' "$TMP/err1"; test $? -ne 0; echo $?) "no progress line when stderr is not a terminal"
if command -v script >/dev/null 2>&1; then
	RTLENS_PROGRESS_DELAY=0 script -qec "'$RTLENS' batch -j2 -o '$TMP/otty' '$T'" /dev/null >"$TMP/tty.out" 2>&1
	ok $(tr '\r' '\n' <"$TMP/tty.out" | grep -q "batch [0-9]*/$NRUNS runs, tree/[^:]*: .*% of .*ETA"; echo $?) \
		"on a terminal: runs done / total, current run, percent of the bytes, ETA"
else
	skip "script(1) not installed: the progress line on a terminal is not checked"
fi

# -j2: the same bytes
"$RTLENS" batch -q -j2 -o "$TMP/o2" "$T"
ok $? "batch -j2 exits 0"
ok $(cmp -s "$DB" "$TMP/o2/rtlens.db"; echo $?) "-j1 and -j2: rtlens.db byte-identical"
ok $(cmp -s "$TMP/o1/runs.csv" "$TMP/o2/runs.csv"; echo $?) "-j1 and -j2: runs.csv byte-identical"
ok $(diff -r "$TMP/o1" "$TMP/o2" >/dev/null; echo $?) "-j1 and -j2: the whole OUTDIR identical (per-run folders too)"
is "$(($(wc -l <"$TMP/o1/runs/tree/percpu/jobs.csv") - 1))" \
	"$(($("$RTLENS" jobs "$T"/percpu/st-*.bin 2>/dev/null | wc -l) - 1))" "runs/NAME/jobs.csv: the run's job rows"
is "$(head -1 "$TMP/o1/runs/tree/percpu/jobs.csv" | cut -d, -f1-2),$(sed -n 2p "$TMP/o1/runs/tree/percpu/jobs.csv" | cut -d, -f1)" \
	"run_id,task_id,$(q "$DB" "SELECT run_id FROM run WHERE name = 'tree/percpu'")" \
	"runs/NAME/jobs.csv: run_id (the text) first, as in the tables before schema 4"
is "$(($(wc -l <"$TMP/o1/runs/tree/ft/host=gen_scheduler=GEN_trace=T_n=8/overheads.csv") - 1))" \
	"$(q "$DB" "SELECT COUNT(*) FROM overhead_stats o JOIN run r USING (run) WHERE r.name LIKE '%n=8'")" \
	"runs/NAME/overheads.csv: the run's overhead series"

# a merge of per-run databases (rtlens db --run), in reverse order, is the batch database
mkdir "$TMP/per"
i=0
while read -r name; do
	i=$((i + 1))
	"$RTLENS" db -q --run "$name" -o "$TMP/per/$i.db" "$T" || echo "# db --run $name failed"
done <"$TMP/list"
ls "$TMP"/per/*.db | sort -r >"$TMP/per.list"
# shellcheck disable=SC2046
"$RTLENS" merge -o "$TMP/merged.db" $(cat "$TMP/per.list")
ok $? "merge of the per-run databases exits 0"
sqlite3 "$DB" .dump >"$TMP/dump.batch"
sqlite3 "$TMP/merged.db" .dump >"$TMP/dump.merged"
same_file "$TMP/dump.merged" "$TMP/dump.batch" "merge of per-run databases = batch (sqlite3 .dump)"
ok $(cmp -s "$TMP/merged.db" "$DB"; echo $?) "and byte-identical"
# more inputs than SQLite attaches at once (10), some twice: each run kept once
# shellcheck disable=SC2046
"$RTLENS" merge -o "$TMP/m12.db" $(cat "$TMP/per.list") "$TMP"/per/1.db "$TMP"/per/2.db \
	"$TMP"/per/3.db "$TMP"/per/4.db "$TMP/merged.db" 2>"$TMP/err"
ok $? "merge of $((NRUNS + 5)) inputs exits 0"
ok $(cmp -s "$TMP/m12.db" "$DB"; echo $?) "runs found twice are kept once: the same database"
grep -q "$((NRUNS + 4)) run(s) found more than once" "$TMP/err"
ok $? "the copies left out are counted: $(cat "$TMP/err")"

# incremental: a new run is read, the others are not, the result is a fresh batch's
mkdir -p "$T/exp/sched=GSN-EDF_trial=2"
"$GEN" -o "$T/exp/sched=GSN-EDF_trial=2" -n 6 -m 2 -j 400 -s 11 -g >/dev/null 2>&1
printf "{'scheduler': 'GSN-EDF', 'trial': 2, 'util': 1.2}\n" >"$T/exp/sched=GSN-EDF_trial=2/params.py"
"$RTLENS" batch -j2 -o "$TMP/o1" "$T" 2>"$TMP/err"
ok $? "batch again after a run was added exits 0"
grep -q "$((NRUNS + 1)) runs: 1 read, $NRUNS unchanged, 0 failed" "$TMP/err"
ok $? "only the new run is read: $(tail -1 "$TMP/err")"
"$RTLENS" batch -q -j2 -o "$TMP/fresh" "$T"
ok $(cmp -s "$DB" "$TMP/fresh/rtlens.db"; echo $?) "the resumed database is byte-identical to a fresh batch"
ok $(diff -r "$TMP/o1" "$TMP/fresh" >/dev/null; echo $?) "and the whole OUTDIR too"
rm -r "$T/exp/sched=GSN-EDF_trial=2"
"$RTLENS" batch -q -o "$TMP/o1" "$T"
ok $(cmp -s "$DB" "$TMP/o2/rtlens.db"; echo $?) "a run removed from the tree leaves the database"
ok $(diff -r "$TMP/o1" "$TMP/o2" >/dev/null; echo $?) "and its folder leaves OUTDIR/runs"
"$RTLENS" batch -q --st-format 2016 -o "$TMP/o1" "$T" 2>"$TMP/err"
is "$(q "$DB" "SELECT value FROM meta WHERE key = 'st_format'")" 2016 \
	"other result-changing options: every run is read again"

# a run that fails is reported, the others are written, exit 1
cp -r "$T" "$TMP/tree2"
head -c 1001 "$TMP/tree2/exp/sched=PSN-EDF_trial=0/st-0.bin" >"$TMP/st0"
mv "$TMP/st0" "$TMP/tree2/exp/sched=PSN-EDF_trial=0/st-0.bin"
"$RTLENS" batch -j2 -o "$TMP/o3" "$TMP/tree2" 2>"$TMP/err"
is $? 1 "a damaged run: exit 1"
grep -q 'run tree2/exp/sched=PSN-EDF_trial=0: failed' "$TMP/err"
ok $? "the failed run is named"
grep -q "$NRUNS runs: $((NRUNS - 1)) read, 0 unchanged, 1 failed" "$TMP/err"
ok $? "and counted: $(tail -1 "$TMP/err")"
is "$(q "$TMP/o3/rtlens.db" 'SELECT COUNT(*) FROM run')" "$((NRUNS - 1))" "the other runs are in the database"

# a run copied under another name: one run_id, kept once, said
cp -r "$T/percpu" "$TMP/tree2/percpu-copy"
"$RTLENS" batch -q -o "$TMP/o4" "$TMP/tree2/percpu" "$TMP/tree2/percpu-copy"
is "$(q "$TMP/o4/rtlens.db" 'SELECT COUNT(*), MIN(name) FROM run')" "1,percpu" \
	"the same run under two names: kept once (the smallest name)"
"$RTLENS" db -q -o "$TMP/a.db" "$TMP/tree2/percpu"
"$RTLENS" db -q --run percpu-copy -o "$TMP/b.db" "$TMP/tree2/percpu-copy"
"$RTLENS" merge -o "$TMP/ab.db" "$TMP/a.db" "$TMP/b.db" 2>"$TMP/err"
grep -q '1 run(s) found more than once, kept once (1 under another name)' "$TMP/err"
ok $? "merge says when a run came under another name"

# merge refuses what it cannot merge
cp "$TMP/per/1.db" "$TMP/old.db"
sqlite3 "$TMP/old.db" 'PRAGMA user_version = 1'
"$RTLENS" merge -o "$TMP/x.db" "$TMP/per/2.db" "$TMP/old.db" 2>"$TMP/err"
ok $(test $? -ne 0 && grep -q 'schema version 1' "$TMP/err"; echo $?) "another schema version: refused"
ok $(test ! -e "$TMP/x.db"; echo $?) "and no file written"
"$RTLENS" db -q --st-format 2016 -o "$TMP/opt.db" "$T/percpu"
"$RTLENS" merge -o "$TMP/x.db" "$TMP/per/2.db" "$TMP/opt.db" 2>"$TMP/err"
ok $(test $? -eq 2 && grep -q 'other options' "$TMP/err"; echo $?) "other options: refused (exit 2)"
cp "$TMP/per/1.db" "$TMP/badid.db"
sqlite3 "$TMP/badid.db" "UPDATE run SET run_id = 'x''; DROP TABLE job; --'"
"$RTLENS" merge -o "$TMP/x.db" "$TMP/per/2.db" "$TMP/badid.db" 2>"$TMP/err"
ok $(test $? -eq 1 && grep -q 'is not a run_id' "$TMP/err"; echo $?) "a run_id that is not 16 hex digits: exit 1"
printf 'not a database' >"$TMP/junk.db"
"$RTLENS" merge -o "$TMP/x.db" "$TMP/junk.db" 2>"$TMP/err"
ok $(test $? -eq 1 && grep -q 'junk.db' "$TMP/err"; echo $?) "a file that is not a database: exit 1, named"
"$RTLENS" batch "$T" >/dev/null 2>&1
is $? 2 "batch without -o: usage error"
"$RTLENS" batch -j 0 -o "$TMP/o5" "$T" >/dev/null 2>&1
is $? 2 "batch -j 0: usage error"
"$RTLENS" batch --help | grep -q 'run_summary'
ok $? "batch --help says what it writes"
"$RTLENS" merge --help | grep -q 'run_id order'
ok $? "merge --help says how runs are ordered"

# --export exps-csv: parse_exps.py's tree, STAT/VARIABLE/INNER/OUTER/OTHER.csv
# (experiment-scripts @ 0b0cfe0: [stat, variable, base_type, summary_type, leaf])
E=$TMP/etree
for s in GSN PSN; do
	for u in 1.0 1.5 2.0; do
		for t in 0 1; do
			d=$E/sched=${s}_u=${u}_trial=$t
			mkdir -p "$d"
			"$GEN" -o "$d" -n 6 -m 2 -j 200 -u $u -s $t$u >/dev/null 2>&1
			printf "{'scheduler': '%s', 'util': %s, 'trial': %s, 'tasks': 6}\n" $s $u $t >"$d/params.py"
		done
	done
done
"$RTLENS" batch -q -o "$TMP/eo" --export exps-csv "$TMP/exps" "$E"
ok $? "batch --export exps-csv exits 0"
F1="$TMP/exps/miss-ratio/util/Max/Avg/scheduler=GSN.csv"
ok $(test -f "$F1" && test -f "$TMP/exps/tard-max/util/Max/Max/scheduler=PSN.csv"; echo $?) \
	"files named STAT/VARIABLE/INNER/OUTER/other=params.csv"
is "$(cd "$TMP/exps/miss-ratio/util" && find . -name 'scheduler=GSN.csv' | sort | tr '\n' ' ')" \
	"./Avg/Avg/scheduler=GSN.csv ./Max/Avg/scheduler=GSN.csv ./Max/Max/scheduler=GSN.csv ./Min/Avg/scheduler=GSN.csv ./Min/Min/scheduler=GSN.csv ./Var/Avg/scheduler=GSN.csv " \
	"the summaries parse_exps.py writes: Max of Max, Min of Min, Avg of each"
ok $(test ! -e "$TMP/exps/miss-ratio/trial" && test ! -e "$TMP/exps/miss-ratio/tasks"; echo $?) \
	"trial and constant parameters are not variables"
is "$(cut -d, -f1 "$F1" | tr '\n' ' ')" "1.0 1.5 2.0 " "one x,y line per util, in numeric order, spelt as in params.py"
want=$(q "$TMP/eo/rtlens.db" "SELECT printf('%.12g', AVG(a)) FROM (SELECT j.run, MAX(m) AS a FROM
	(SELECT run, task_id, CAST(SUM(dl_miss) AS REAL) / COUNT(dl_miss) AS m FROM job GROUP BY run, task_id) j
	JOIN run k USING (run) JOIN run_summary r USING (run_id) WHERE r.scheduler = 'GSN' AND r.util = 2.0
	GROUP BY j.run)")
is "$(sed -n 3p "$F1" | cut -d, -f2)" "$want" "miss-ratio/util/Max/Avg at util 2: the mean over the trials of the largest task miss ratio"

# --plots: per run a schedule image and CDF plots, listed in run_file; -j1 = -j2
PT=$TMP/ptree
mkdir -p "$PT/ft"
cp -r "$T/exp" "$PT/"
cp "$T"/ft/*n=4* "$PT/ft/"
"$RTLENS" batch -q -j1 --plots -o "$TMP/p1" "$PT"
ok $? "batch --plots exits 0"
"$RTLENS" batch -q -j2 --plots -o "$TMP/p2" "$PT"
ok $(diff -r "$TMP/p1" "$TMP/p2" >/dev/null; echo $?) "--plots: -j1 and -j2 give the same OUTDIR"
is "$(q "$TMP/p1/rtlens.db" "SELECT COUNT(DISTINCT run) FROM run_file WHERE kind = 'schedule'")" \
	"$(q "$TMP/p1/rtlens.db" "SELECT COUNT(*) FROM run WHERE family = 'litmus'")" \
	"a schedule image per sched_trace run"
is "$(q "$TMP/p1/rtlens.db" "SELECT COUNT(*) FROM run_file WHERE kind LIKE 'cdf:%'")" \
	"$(q "$TMP/p1/rtlens.db" "SELECT COUNT(*) FROM (SELECT DISTINCT run, event FROM overhead_sample WHERE status = 'kept')")" \
	"a CDF per overhead event of each run"
missing=0
for f in $(q "$TMP/p1/rtlens.db" "SELECT path FROM run_file"); do
	[ "$(head -c 4 "$TMP/p1/$f" | od -An -c | tr -d ' ')" = "211PNG" ] || missing=$((missing + 1))
done
is "$missing" 0 "every file run_file names is a PNG in OUTDIR"
ok $(test "$(q "$TMP/p1/rtlens.db" "SELECT COUNT(*) FROM run_file WHERE kind = 'response-cdf'")" -ge 4; echo $?) \
	"a response-time CDF per run with jobs"
is "$(find "$TMP/eo/runs" -name '*.png' | wc -l | tr -d ' ')" 0 "without --plots: no images"

# runs merged while others are still read: many more runs than -j, one damaged and one
# copied under another name among them; every -j gives the same OUTDIR, and so does a
# batch resumed after runs were added
S=$TMP/stree
i=0
while [ $i -lt 16 ]; do
	i=$((i + 1))
	mkdir -p "$S/r/trial=$i"
	"$GEN" -o "$S/r/trial=$i" -n 4 -m 2 -j 150 -s $((100 + i)) >/dev/null 2>&1
done
mkdir -p "$S/ft"
"$GENFT" -c 2 -n 100 -k n=1 "$S/ft" >/dev/null 2>&1
"$GENFT" -c 2 -n 120 -S 3 -k n=2 "$S/ft" >/dev/null 2>&1
cp -r "$S/r/trial=3" "$S/r/copy"
head -c 1001 "$S/r/trial=7/st-1.bin" >"$TMP/st1"
mv "$TMP/st1" "$S/r/trial=7/st-1.bin"
SN=$("$RTLENS" batch --list "$S" 2>/dev/null | wc -l | tr -d ' ')
"$RTLENS" batch -j1 -o "$TMP/s1" "$S" 2>"$TMP/serr"
is $? 1 "$SN runs, one damaged: exit 1"
grep -q "$SN runs: $((SN - 1)) read, 0 unchanged, 1 failed" "$TMP/serr"
ok $? "the damaged run fails, the others are read: $(tail -1 "$TMP/serr")"
is "$(q "$TMP/s1/rtlens.db" 'SELECT COUNT(*) FROM run')" "$((SN - 2))" \
	"the runs read are in the database, the copy once"
bad=
for j in 2 3 8; do
	"$RTLENS" batch -q -j$j -o "$TMP/s$j" "$S" 2>/dev/null
	diff -r "$TMP/s1" "$TMP/s$j" >/dev/null || bad="$bad -j$j"
done
is "$bad" "" "-j1, -j2, -j3 and -j8: the same OUTDIR (database, runs.csv, folders)"
ls "$TMP"/s1/runs/stree/r/ >"$TMP/sdirs"
is "$(tr '\n' ' ' <"$TMP/sdirs")" "$(cd "$S/r" && ls | grep -v 'trial=7$' | tr '\n' ' ')" \
	"a folder per run read, none for the damaged one"
for i in 17 18; do
	mkdir -p "$S/r/trial=$i"
	"$GEN" -o "$S/r/trial=$i" -n 4 -m 2 -j 150 -s $((100 + i)) >/dev/null 2>&1
done
"$RTLENS" batch -j3 -o "$TMP/s2" "$S" 2>"$TMP/serr"
# trial=3 too: the database holds its run under the name copy (the smaller one)
grep -q "$((SN + 2)) runs: 3 read, $((SN - 2)) unchanged, 1 failed" "$TMP/serr"
ok $? "resumed with -j3: only the new runs are read: $(tail -1 "$TMP/serr")"
"$RTLENS" batch -q -j2 -o "$TMP/sfresh" "$S" 2>/dev/null
ok $(diff -r "$TMP/s2" "$TMP/sfresh" >/dev/null; echo $?) "and the OUTDIR is a fresh batch's"

# a params.py with more keys than SQLite has columns: the run is written, the view capped
mkdir -p "$TMP/wide/r"
cp "$T"/percpu/st-*.bin "$TMP/wide/r/"
printf "{'scheduler': 'X', 'p': [%s]}\n" "$(seq -s, 1 2500)" >"$TMP/wide/r/params.py"
"$RTLENS" batch -q -o "$TMP/wo" "$TMP/wide"
ok $? "a run with 2501 parameters: batch exits 0"
is "$(q "$TMP/wo/rtlens.db" "SELECT COUNT(*) FROM run_param")" 2501 "run_param keeps every parameter"
is "$(q "$TMP/wo/rtlens.db" "SELECT COUNT(*) FROM pragma_table_info('run_summary')")" 1012 \
	"run_summary: the first 1000 parameter columns and the 12 fixed ones"

if [ ! -d "$SHARED/testdata" ]; then
	skip "shared test data not found at $SHARED (../shared absent): the real experiment tree not checked"
	finish
fi
# the shared recordings laid out as an experiment tree (links, params.py copied)
L=$SHARED/testdata/litmus
R=$TMP/real
mkdir -p "$R/exp/sched=RUN_trial=48" "$R/exp/g6" "$R/qemu"
for f in "$L"/sched_trace/run-trial48/st-*.bin; do ln -s "$f" "$R/exp/sched=RUN_trial=48/"; done
cp "$L/sched_trace/run-trial48/params.py.txt" "$R/exp/sched=RUN_trial=48/params.py"
for f in "$L"/sched_trace/unit-trace-g6/*.bin; do ln -s "$f" "$R/exp/g6/"; done
for f in "$L"/recorded-qemu/*.bin; do ln -s "$f" "$R/qemu/"; done
"$RTLENS" batch -q -j1 -o "$TMP/r1" "$R"
ok $? "batch over the real tree exits 0"
"$RTLENS" batch -q -j2 -o "$TMP/r2" "$R"
ok $(cmp -s "$TMP/r1/rtlens.db" "$TMP/r2/rtlens.db" && cmp -s "$TMP/r1/runs.csv" "$TMP/r2/runs.csv"; echo $?) \
	"real tree: -j1 and -j2 byte-identical"
RD=$TMP/r1/rtlens.db
is "$(q "$RD" "SELECT name FROM run ORDER BY name" | tr '\n' ' ')" \
	"real/exp/g6 real/exp/sched=RUN_trial=48 real/qemu/host=qemu_scheduler=GSN-EDF_trace=demo real/qemu/host=qemu_scheduler=GSN-EDF_trace=demo-calibrated real/qemu/host=qemu_scheduler=PFAIR_trace=demo real/qemu/host=qemu_scheduler=PSN-EDF_trace=demo " \
	"real tree: six runs, the four qemu recordings each with its schedule and overhead files"
is "$(q "$RD" "SELECT scheduler, final_util, trial FROM run_summary WHERE name LIKE '%RUN%'")" \
	"RUN,3.623024,48" "real tree: run-trial48's params.py as columns"
is "$(q "$RD" "SELECT jobs FROM run_summary WHERE name LIKE '%PSN-EDF%'")" \
	"$(($("$RTLENS" jobs "$L"/recorded-qemu/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin | wc -l) - 1))" \
	"real tree: PSN-EDF's jobs = rtlens jobs on its schedule files"
is "$(q "$RD" "SELECT CXS_n FROM run_summary WHERE name LIKE '%PSN-EDF%'")" \
	"$("$RTLENS" overheads -q --format csv "$L"/recorded-qemu/overheads_host=qemu_scheduler=PSN-EDF_trace=demo_*.bin |
		awk -F, '$4 == "CXS" { print $6 }')" "real tree: PSN-EDF's CXS samples = rtlens overheads on its overhead files"
# the whole shared testdata as one tree: every format, notes and tool outputs beside
# the traces; runs that are not traces fail with a located error, the others are written
"$RTLENS" batch --list "$SHARED/testdata" >"$TMP/all.list" 2>/dev/null
"$RTLENS" batch -j2 -o "$TMP/all" "$SHARED/testdata" >/dev/null 2>"$TMP/all.err"
is $? 1 "the whole shared testdata: exit 1 (some folders hold tool outputs, not traces)"
sed -n 's/.* runs: \([0-9]*\) read, 0 unchanged, \([0-9]*\) failed.*/\1 \2/p' "$TMP/all.err" >"$TMP/all.n"
read -r nread nfail <"$TMP/all.n"
is "$((nread + nfail))" "$(wc -l <"$TMP/all.list" | tr -d ' ')" "every run listed is read or failed"
is "$(q "$TMP/all/rtlens.db" 'SELECT COUNT(*) FROM run')" "$nread" "the runs read are in the database"
is "$(grep -c ': failed (exit status' "$TMP/all.err")" "$nfail" "each failed run is named"
is "$(grep -B1 ': failed (exit status' "$TMP/all.err" | grep -c 'error: unrecognised trace format')" "$nfail" \
	"each with its located error"
is "$(q "$TMP/all/rtlens.db" "SELECT COUNT(DISTINCT family) FROM run")" 4 "runs of all four families"
finish
