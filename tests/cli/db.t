#!/bin/sh
# rtlens db: one run into SQLite. The job table holds the rows of
# `rtlens jobs`, the st_job_stats view those of `rtlens jobs --compat`,
# task_summary those of `rtlens jobs --summary`; parameters come from
# key=value names and params.py; the file is byte-identical on a re-run;
# damaged input leaves no file behind.
. "$(dirname "$0")/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP the sqlite3 command-line tool is not installed (Debian sqlite3)"
	exit 0
fi
q() { sqlite3 -batch -list -separator , "$@"; }
STJS_COLS="task, job, period, response, dl_miss, lateness, tardiness, forced, acet, preemptions, migrations"

# check_run NAME DB FILE...: the database's rows against the other commands' output
check_run() {
	name=$1 db=$2
	shift 2
	"$RTLENS" jobs "$@" >"$TMP/jobs.csv" 2>/dev/null
	is "$(q "$db" 'SELECT COUNT(*) FROM job')" "$(($(wc -l <"$TMP/jobs.csv") - 1))" \
		"$name: one job row per row of rtlens jobs"
	tail -n +2 "$TMP/jobs.csv" | cut -d, -f1,3-10,16,17 >"$TMP/jobs.want"
	q "$db" "SELECT pid, job, release, deadline, completion, response, lateness, tardiness,
		dl_miss, status, flags FROM job ORDER BY rowid" | tr -d '"' >"$TMP/jobs.got"
	same_file "$TMP/jobs.got" "$TMP/jobs.want" "$name: job columns equal the CSV's, in its order"
	"$RTLENS" jobs --compat "$@" | grep -v '^#' | tr -d ' ' >"$TMP/compat.want"
	q "$db" "SELECT $STJS_COLS FROM st_job_stats" >"$TMP/compat.got"
	ok $(test -s "$TMP/compat.want"; echo $?) "$name: rtlens jobs --compat has rows"
	same_file "$TMP/compat.got" "$TMP/compat.want" "$name: st_job_stats = rtlens jobs --compat"
	"$RTLENS" jobs --summary --format csv "$@" | tail -n +2 >"$TMP/sum.csv"
	is "$(q "$db" 'SELECT COUNT(*) FROM task_summary')" "$(wc -l <"$TMP/sum.csv" | tr -d ' ')" \
		"$name: task_summary has one row per task of jobs --summary"
	cut -d, -f1,2,5-8,10,14,15 "$TMP/sum.csv" >"$TMP/sum.want"
	q "$db" "SELECT pid, name, jobs, completed, incomplete, dl_misses, resp_min, resp_max,
		max_tardiness FROM task_summary" >"$TMP/sum.got"
	same_file "$TMP/sum.got" "$TMP/sum.want" "$name: task_summary's columns equal the summary's"
	is "$(q "$db" 'SELECT jobs, misses FROM run_summary')" \
		"$(q "$db" 'SELECT COUNT(*), SUM(dl_miss = 1) FROM job')" \
		"$name: run_summary counts the job table"
	is "$(q "$db" "SELECT format('%.17g,%.17g,%.17g', miss_ratio, mean_tardiness, mean_response),
		max_tardiness, max_response FROM run_summary")" \
		"$(q "$db" "SELECT format('%.17g,%.17g,%.17g', CAST(SUM(dl_miss) AS REAL) / COUNT(dl_miss),
		AVG(tardiness), AVG(response)), MAX(tardiness), MAX(response) FROM job")" \
		"$name: run_summary's ratio, means and maxima (job_totals) = aggregates over the job table"
	is "$(q "$db" "SELECT value FROM stats WHERE name = 'jobs_complete'")" \
		"$(grep -c ',complete,' "$TMP/jobs.csv")" "$name: stats counts complete jobs"
}

D=$RL_SRCDIR/testdata/demo
"$RTLENS" db -o "$TMP/demo.db" "$D" 2>"$TMP/err"
ok $? "db on the demo folder exits 0"
check_run demo "$TMP/demo.db" "$D"/st-0.bin "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
is "$(q "$TMP/demo.db" 'SELECT nfiles, format, family FROM run')" "4,sched_trace-2016,litmus" \
	"the run: 4 files, their format and family"
is "$(q "$TMP/demo.db" 'SELECT COUNT(*), SUM(records > 0) FROM source_file')" "4,4" \
	"a source_file row per input, each with records"
q "$TMP/demo.db" "SELECT sha256 || '  ' || path FROM source_file ORDER BY idx" >"$TMP/sha.got"
(cd / && sha256sum $(q "$TMP/demo.db" 'SELECT path FROM source_file ORDER BY idx')) >"$TMP/sha.want"
same_file "$TMP/sha.got" "$TMP/sha.want" "source_file.sha256 = sha256sum of each input"
# a compressed input: sha256 of the file as stored, fnv1a64 (run_id's) of the bytes read
mkdir -p "$TMP/gz"
gzip -c "$D/st-1.bin" >"$TMP/gz/st-1.bin.gz"
cp "$D/st-0.bin" "$D/st-2.bin" "$D/st-3.bin" "$TMP/gz/"
"$RTLENS" db -q -o "$TMP/gz.db" "$TMP/gz"/st-*
ok $? "db on a run with a gzip-compressed input exits 0"
is "$(q "$TMP/gz.db" "SELECT sha256 FROM source_file WHERE path LIKE '%.gz'")" \
	"$(sha256sum <"$TMP/gz/st-1.bin.gz" | cut -d' ' -f1)" "a .gz input: sha256sum of the compressed file"
is "$(q "$TMP/gz.db" "SELECT fnv1a64 FROM source_file WHERE path LIKE '%.gz'")" \
	"$(q "$TMP/demo.db" "SELECT fnv1a64 FROM source_file WHERE path LIKE '%st-1.bin'")" \
	"a .gz input: fnv1a64 of the bytes read, as uncompressed"
is "$(q "$TMP/gz.db" 'SELECT run_id FROM run')" "$(q "$TMP/demo.db" 'SELECT run_id FROM run')" \
	"compressing an input keeps the run_id (it hashes what the readers read)"
is "$(q "$TMP/demo.db" 'SELECT COUNT(*) FROM task')" \
	"$("$RTLENS" info "$D"/st-*.bin 2>/dev/null | sed -n 's/^tasks: *\([0-9]*\).*/\1/p')" \
	"a task row per task rtlens info counts"
is "$(q "$TMP/demo.db" "PRAGMA integrity_check")" "ok" "the database passes integrity_check"
is "$(q "$TMP/demo.db" "SELECT value FROM meta WHERE key = 'schema_version'")" 5 "schema version"
is "$(q "$TMP/demo.db" "SELECT COUNT(*) FROM sqlite_schema WHERE sql LIKE '%STRICT'")" \
	"$(q "$TMP/demo.db" "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'")" \
	"every table is STRICT"

"$RTLENS" db --st-format 2016 -o "$TMP/opt.db" "$D" 2>/dev/null
is "$(q "$TMP/opt.db" "SELECT value FROM meta WHERE key = 'st_format'")" 2016 \
	"meta records a result-changing input option"
is "$(q "$TMP/demo.db" "SELECT COUNT(*) FROM meta WHERE key = 'st_format'")" 0 \
	"and nothing when it is not given"

# sched_slice: one per switch-in, never overlapping on a CPU
OVERLAP="SELECT COUNT(*) FROM (SELECT ts, LAG(ts + dur) OVER (PARTITION BY run, cpu ORDER BY ts)
	AS prev_end FROM sched_slice) WHERE prev_end > ts"
"$RTLENS" info "$D"/st-*.bin >"$TMP/info" 2>/dev/null
is "$(q "$TMP/demo.db" 'SELECT COUNT(*) FROM sched_slice')" \
	"$(awk '$1 == "SWITCH_TO" { print $2 }' "$TMP/info")" "sched_slice: a slice per SWITCH_TO record"
is "$(q "$TMP/demo.db" "SELECT COUNT(*) FROM sched_slice WHERE end_state = 'completed'")" \
	"$(awk '$1 == "COMPLETION" { print $2 }' "$TMP/info")" "sched_slice: a completed slice per COMPLETION"
is "$(q "$TMP/demo.db" "$OVERLAP")" 0 "sched_slice: slices of a CPU do not overlap"
is "$(q "$TMP/demo.db" "SELECT COUNT(*) FROM sched_slice s JOIN task t USING (run, task_id)
	WHERE s.pid != t.pid OR s.dur < 0")" 0 "sched_slice: pids are the tasks', durations not negative"

# determinism: the same inputs give the same bytes; another order, the same run_id
"$RTLENS" db -o "$TMP/demo2.db" "$D" 2>/dev/null
ok $? "a second run exits 0"
ok $(cmp -s "$TMP/demo.db" "$TMP/demo2.db"; echo $?) "the second database is byte-identical"
"$RTLENS" db -o "$TMP/demo3.db" "$D"/st-3.bin "$D"/st-1.bin "$D"/st-0.bin "$D"/st-2.bin 2>/dev/null
is "$(q "$TMP/demo3.db" 'SELECT run_id FROM run')" "$(q "$TMP/demo.db" 'SELECT run_id FROM run')" \
	"files in another order: the same run_id"
cp "$D/st-0.bin" "$TMP/st-0.bin"
printf 'x' | dd of="$TMP/st-0.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
"$RTLENS" db -q -o "$TMP/other.db" "$TMP/st-0.bin" "$D"/st-1.bin "$D"/st-2.bin "$D"/st-3.bin
ok $(test "$(q "$TMP/other.db" 'SELECT run_id FROM run')" != \
	"$(q "$TMP/demo.db" 'SELECT run_id FROM run')"; echo $?) "one changed byte: another run_id"

# parameters: key=value parts of folder and file names, params.py as a literal
P="$TMP/scheduler=GSN-EDF_n=4"
mkdir -p "$P"
cp "$D"/st-*.bin "$P/"
mv "$P/st-0.bin" "$P/st_trial=7_cpu=0.bin"
cat >"$P/params.py" <<'PY'
{'cpus': 4, 'scheduler': 'GSN-EDF', 'release_master': False,
 'tasks': {'n': 4, 'periods': [10, 25]}, 'name': 'it\'s'}
PY
echo "notes" >"$P/notes.txt"
"$RTLENS" db -o "$TMP/p.db" "$P" 2>"$TMP/err"
ok $? "db on a folder with params.py exits 0"
q "$TMP/p.db" "SELECT origin, key, value FROM run_param ORDER BY origin, key" >"$TMP/params"
cat >"$TMP/params.want" <<'EOF2'
file,trial,7
folder,n,4
folder,scheduler,GSN-EDF
params.py,cpus,4
params.py,name,it's
params.py,release_master,False
params.py,scheduler,GSN-EDF
params.py,tasks.n,4
params.py,tasks.periods.0,10
params.py,tasks.periods.1,25
EOF2
same_file "$TMP/params" "$TMP/params.want" "run_param: names' key=value parts (not cpu) and params.py"
is "$(q "$TMP/p.db" 'SELECT COUNT(*) FROM source_file')" 4 "the folder's notes.txt and params.py are not inputs"
printf "{'a': __import__('os').system('touch %s/ran')}\n" "$TMP" >"$P/params.py"
"$RTLENS" db -o "$TMP/p2.db" "$P" 2>"$TMP/err"
is $? 1 "a params.py that is not a literal: exit 1"
grep -q 'params.py.*offset 6\|params.py:6\|0x6' "$TMP/err"
ok $? "the error names params.py and where: $(head -1 "$TMP/err")"
ok $(test ! -e "$TMP/ran"; echo $?) "nothing in params.py was executed"
ok $(test ! -e "$TMP/p2.db" && ! ls "$TMP"/p2.db.tmp* >/dev/null 2>&1; echo $?) \
	"no database left behind"

# damaged input: exit 1, no file (nor temporary) left
head -c 42001 "$D/st-0.bin" >"$TMP/bad.bin"
"$RTLENS" db -o "$TMP/bad.db" "$TMP/bad.bin" "$D/st-1.bin" 2>"$TMP/err"
is $? 1 "a truncated input: exit 1"
grep -q 'truncated' "$TMP/err"
ok $? "the warning says why"
ok $(test ! -e "$TMP/bad.db" && ! ls "$TMP"/bad.db.tmp* >/dev/null 2>&1; echo $?) \
	"no database nor temporary file left behind"
"$RTLENS" db "$D" >/dev/null 2>&1
is $? 2 "no -o: usage error"
"$RTLENS" db --help | grep -q 'st_job_stats'
ok $? "--help lists the views"

if [ ! -d "$SHARED/testdata" ]; then
	skip "shared test data not found at $SHARED (../shared absent): real runs not checked"
	finish
fi
T=$SHARED/testdata/litmus/sched_trace/run-trial48
"$RTLENS" db -o "$TMP/t48.db" "$T" 2>"$TMP/err"
ok $? "db on run-trial48's folder exits 0"
check_run run-trial48 "$TMP/t48.db" "$T"/st-0.bin "$T"/st-1.bin "$T"/st-2.bin "$T"/st-3.bin
is "$(q "$TMP/t48.db" "$OVERLAP")" 0 "run-trial48: slices of a CPU do not overlap"
is "$(q "$TMP/t48.db" "SELECT COUNT(*) FROM sched_slice WHERE end_state = 'completed'")" \
	"$("$RTLENS" info "$T"/st-*.bin 2>/dev/null | awk '$1 == "COMPLETION" { print $2 }')" \
	"run-trial48: a completed slice per COMPLETION, which RUN records after the switch-out"
"$RTLENS" db -o "$TMP/t48b.db" "$T" 2>/dev/null
ok $(cmp -s "$TMP/t48.db" "$TMP/t48b.db"; echo $?) "run-trial48: byte-identical on a second run"

Q=$SHARED/testdata/litmus/recorded-qemu
"$RTLENS" db -o "$TMP/q.db" "$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin 2>/dev/null
ok $? "db on a recorded-qemu run exits 0"
is "$(q "$TMP/q.db" "SELECT key, value FROM run_param WHERE origin = 'file' ORDER BY key" | tr '\n' ' ')" \
	"host,qemu scheduler,PSN-EDF trace,demo " "run_param: the file names' key=value parts"
check_run recorded-qemu "$TMP/q.db" "$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin

"$RTLENS" db -o "$TMP/mixed.db" "$Q"/schedule_host=qemu_scheduler=GSN-EDF_trace=demo_cpu=0.bin \
	"$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=1.bin 2>"$TMP/err"
is $? 2 "files of two recordings: refused (exit 2), one run per database"
ok $(test ! -e "$TMP/mixed.db" && ! ls "$TMP"/mixed.db.tmp* >/dev/null 2>&1; echo $?) \
	"and no database left behind"

# Feather-Trace: overhead_stats = the overhead report's series (cycle events compared)
F="$Q"/overheads_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin
"$RTLENS" db -o "$TMP/f.db" $F 2>/dev/null
ok $? "db on a Feather-Trace run exits 0"
# db keeps cycles; overheads would convert them at the rate estimated from the run's
# sched_trace beside the files: links to the overhead files alone keep its report in cycles
mkdir "$TMP/ftonly"
for f in $F; do ln -s "$f" "$TMP/ftonly/"; done
F2="$TMP"/ftonly/overheads_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin
"$RTLENS" overheads --format csv $F2 | awk -F, '$5 == "cycles"' | cut -d, -f4,6-8,10,17,20,21 >"$TMP/ovh.want"
q "$TMP/f.db" "SELECT event, n, min, max, printf('%.3f', median), discard_irq, discard_non_rt,
	discard_incomplete FROM overhead_stats WHERE unit = 'cycles'" >"$TMP/ovh.got"
ok $(test -s "$TMP/ovh.want"; echo $?) "the overhead report has cycle rows"
same_file "$TMP/ovh.got" "$TMP/ovh.want" "overhead_stats: n, min, max, median, discards as rtlens overheads"
is "$(q "$TMP/f.db" "SELECT COUNT(*) FROM overhead_stats WHERE unit = 'ns'")" \
	"$("$RTLENS" overheads --format csv $F2 | awk -F, '$5 == "us"' | wc -l | tr -d ' ')" \
	"overhead_stats: the latency series too (raw ns)"

# overhead_sample holds every kept sample (status kept; the discarded ones: db-discards.t),
# histogram their counts; clock_offset = rtlens skew
is "$(q "$TMP/f.db" "SELECT SUM(n) FROM overhead_stats")" "$(q "$TMP/f.db" "SELECT COUNT(*) FROM overhead_sample WHERE status = 'kept'")" \
	"overhead_sample: one row per kept sample of the report"
is "$(q "$TMP/f.db" "SELECT COUNT(*) FROM overhead_stats o WHERE o.max IS NOT (SELECT MAX(value)
	FROM overhead_sample s WHERE s.run = o.run AND s.grp = o.grp AND s.event = o.event AND s.cpu IS o.cpu AND s.status = 'kept')")" 0 \
	"overhead_sample: each series' largest sample is overhead_stats' max"
is "$(q "$TMP/f.db" "SELECT COUNT(*) FROM histogram WHERE count <= 0 OR lo > hi OR cum > 1")" 0 \
	"histogram: buckets are non-empty, ordered, cumulative shares at most 1"
SY=$SHARED/testdata/synthetic/feather-trace/gsn-edf-4cpu
"$RTLENS" db -q -o "$TMP/sy.db" "$SY"
"$RTLENS" skew "$SY" 2>/dev/null | awk '/^cpus:/ { on = 1; next } on && $1 ~ /^[0-9]+$/ { print $1 "," $2 "," $3 "," $4 "," $5 }' >"$TMP/skew.want"
q "$TMP/sy.db" "SELECT cpu, offset, uncert, pairs, quality FROM clock_offset ORDER BY cpu" >"$TMP/skew.got"
ok $(test -s "$TMP/skew.want"; echo $?) "rtlens skew estimates offsets for the synthetic Feather-Trace run"
same_file "$TMP/skew.got" "$TMP/skew.want" "clock_offset: the offsets, uncertainties and qualities of rtlens skew"

LX=$SHARED/testdata/ftrace/sched-v6.dat
"$RTLENS" db -q -o "$TMP/lx.db" "$LX"
"$RTLENS" skew "$LX" 2>/dev/null | awk '/^cpus:/ { on = 1; next } on && $1 ~ /^[0-9]+$/ { print $1 "," $2 "," $3 "," $4 "," $5 }' >"$TMP/lskew.want"
q "$TMP/lx.db" "SELECT cpu, offset, uncert, pairs, quality FROM clock_offset WHERE unit = 'ns' ORDER BY cpu" >"$TMP/lskew.got"
ok $(test -s "$TMP/lskew.want"; echo $?) "rtlens skew estimates offsets for sched-v6.dat"
same_file "$TMP/lskew.got" "$TMP/lskew.want" "clock_offset of a Linux trace: those of rtlens skew (ns)"

# a recorded-qemu run of schedule_* and overheads_* files: jobs and overheads in one run
"$RTLENS" db -q -o "$TMP/both.db" "$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin $F
ok $? "db on the schedule and overhead files of one recording exits 0"
is "$(q "$TMP/both.db" "SELECT (SELECT COUNT(*) FROM job), (SELECT COUNT(*) FROM overhead_stats), nfiles FROM run")" \
	"$(q "$TMP/q.db" "SELECT COUNT(*) FROM job"),$(q "$TMP/f.db" "SELECT COUNT(*) FROM overhead_stats"),$(q "$TMP/q.db" "SELECT nfiles FROM run" | awk -v f="$(q "$TMP/f.db" "SELECT nfiles FROM run")" '{ print $1 + f }')" \
	"its jobs are the schedule files', its overhead series the overhead files'"
"$RTLENS" db -q -o "$TMP/two.db" "$Q"/schedule_host=qemu_scheduler=PSN-EDF_trace=demo_cpu=*.bin \
	"$Q"/overheads_host=qemu_scheduler=GSN-EDF_trace=demo_cpu=*.bin 2>"$TMP/err"
is $? 2 "schedule files of one recording with overhead files of another: refused (exit 2)"

# other families: rt-app jobs from CTF, RTDS server periods from xentrace,
# Linux wake-up jobs (linux_job) from CTF and trace.dat
for in in ctf/lttng-ust-rtapp xen/pennpanda-rtds-mode-change/trace.bin ctf/perf-ctf \
	ftrace/sched-v6.dat; do
	"$RTLENS" db -q -o "$TMP/o.db" "$SHARED/testdata/$in"
	ok $? "db on $in exits 0"
	"$RTLENS" jobs -q "$SHARED/testdata/$in" >"$TMP/j.csv"
	tab=job
	head -1 "$TMP/j.csv" | grep -q '^pid,name,job,activation' && tab=linux_job
	is "$(q "$TMP/o.db" "SELECT COUNT(*) FROM $tab")" "$(($(wc -l <"$TMP/j.csv") - 1))" \
		"$in: $tab holds the jobs of rtlens jobs"
	is "$(q "$TMP/o.db" 'SELECT COUNT(*) FROM st_job_stats')" 0 "$in: no st-job-stats rows (sched_trace only)"
	q "$TMP/o.db" 'SELECT run_id FROM run' >>"$TMP/ids"
done
"$RTLENS" jobs -q --linux-jobs "$SHARED/testdata/ctf/perf-ctf" | tail -n +2 | sort >"$TMP/lx.want"
"$RTLENS" db -q -o "$TMP/o.db" "$SHARED/testdata/ctf/perf-ctf"
q "$TMP/o.db" "SELECT l.pid, t.name, job, activation, start, end, response, sched_latency, exec,
	preemptions, migrations, cpu, l.prio, status FROM linux_job l JOIN task t USING (run, task_id)" |
	sort >"$TMP/lx.got"
same_file "$TMP/lx.got" "$TMP/lx.want" "perf-ctf: linux_job rows = rtlens jobs --linux-jobs rows"
is "$(sort -u "$TMP/ids" | wc -l | tr -d ' ')" 4 "CTF folders are hashed by their files: four run_ids"
# st-job-stats' text from the tables alone (st_job_stats_task and _row through
# the st_job_stats_text view): byte-identical to the original tool's output
T48=$SHARED/testdata/litmus/sched_trace/run-trial48
"$RTLENS" db -q -o "$TMP/t48.db" "$T48"/st-*.bin
q "$TMP/t48.db" "SELECT line FROM st_job_stats_text" >"$TMP/t48.txt"
same_file "$TMP/t48.txt" "$SHARED/testdata/reference/litmus/run-trial48.st-job-stats.txt" \
	"st_job_stats_text of run-trial48 = st-job-stats' reference output"
for ref in "$Q"/tool-output/st-job-stats/*.txt; do
	n=$(basename "$ref" .txt)
	n=${n#st-job-stats_}
	"$RTLENS" db -q -o "$TMP/sq.db" "$Q"/schedule_host=qemu_${n}_cpu=*.bin
	q "$TMP/sq.db" "SELECT line FROM st_job_stats_text" >"$TMP/sq.txt"
	same_file "$TMP/sq.txt" "$ref" "st_job_stats_text of $n = st-job-stats' reference output"
done
"$RTLENS" merge -o "$TMP/tm.db" "$TMP/t48.db" "$TMP/sq.db"
q "$TMP/tm.db" "SELECT line FROM st_job_stats_text WHERE run_id = (SELECT run_id FROM run
	WHERE nfiles = 4 AND run IN (SELECT run FROM source_file WHERE path LIKE '%st-0.bin'))" >"$TMP/tm.txt"
same_file "$TMP/tm.txt" "$TMP/t48.txt" "after a merge: the run's st-job-stats text is unchanged"
# cyclictest results (rt-tests): histogram rows per thread, the JSON header as run parameters
C=$RL_SRCDIR/testdata/cyclictest
"$RTLENS" db -o "$TMP/cyc.db" "$C/rec1.json" 2>"$TMP/err"
ok $? "db on a cyclictest --json file exits 0"
is "$(q "$TMP/cyc.db" 'SELECT format, family FROM run')" "cyclictest-json,rt-tests" "the run: cyclictest JSON, rt-tests"
is "$(q "$TMP/cyc.db" "SELECT value FROM run_param WHERE key = 'cmdline' AND origin = 'rt-tests'")" \
	"$(sed -n 's/^  "cmdline:": "\(.*\)",$/\1/p' "$C/rec1.json")" "run_param cmdline: the JSON header's \"cmdline:\""
is "$(q "$TMP/cyc.db" "SELECT value FROM run_param WHERE key = 'rt_test_version'")" \
	"$(sed -n 's/^  "rt_test_version:": "\(.*\)",$/\1/p' "$C/rec1.json")" "run_param rt_test_version: the JSON header's"
is "$(q "$TMP/cyc.db" "SELECT grp, SUM(count), MAX(hi) FROM histogram GROUP BY grp ORDER BY grp" | tr '\n' ' ')" \
	"$(awk '/"cycles":/ { c = $2 } /"max":/ { gsub(",", "", c); m = $2; gsub(",", "", m); printf "rec1.json:%d,%s,%s ", n++, c, m }' "$C/rec1.json")" \
	"histogram: per thread the cycles counted, up to the exact max (JSON cycles and max)"
is "$(q "$TMP/cyc.db" "SELECT count FROM histogram WHERE lo >= 400 ORDER BY grp" | tr '\n' ' ')" \
	"$(sed -n 's/^# Histogram Overflows: *//p' "$C/rec1.hist" | awk '{ printf "%d %d ", $1, $2 }')" \
	"its overflow rows (cycles - the JSON histogram) = the histfile's Histogram Overflows"
is "$(q "$TMP/cyc.db" "SELECT grp, n, min, max, format('%.2f|%.2f|%.2f', mean, median, p99) FROM overhead_stats ORDER BY grp" | tr '\n' ' ')" \
	"$("$RTLENS" latency --format csv "$C/rec1.json" 2>/dev/null | awk -F, 'NR > 1 { printf "rec1.json:%d,%d,%d,%d,%.2f|%.2f|%.2f ", $3, $6, $7, $8, $9, $10, $15 }')" \
	"overhead_stats per thread: n, min, max, mean, median as rtlens latency reports them"
"$RTLENS" db -o "$TMP/cych.db" "$C/rec1.hist" 2>"$TMP/err"
ok $? "db on the histfile of the same run exits 0"
is "$(q "$TMP/cych.db" "SELECT COUNT(*) FROM run_param")" 0 "a histfile has no header: no run parameters"
q "$TMP/cyc.db" "SELECT substr(grp, 11), lo, count FROM histogram WHERE lo < 400" >"$TMP/cyc.json.rows"
q "$TMP/cych.db" "SELECT substr(grp, 11), lo, count FROM histogram WHERE lo < 400" >"$TMP/cyc.hist.rows"
same_file "$TMP/cyc.hist.rows" "$TMP/cyc.json.rows" "histfile and JSON of one run: the same bucket rows"
# a text trace whose one damaged line names cpu 286578: the cpu table holds the
# cpus seen (0 and 286578), not every number below the highest (before: 286579
# rows, seconds of inserts; found by fuzz-db as a timeout)
cat >"$TMP/cpus.txt" <<'TXT'
# tracer: nop
          <idle>-0     [000] d..2.   100.000100: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120
               a-10    [000] d..2.   100.000200: sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120
               a-10    [286578] d..2.   100.000300: sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120
TXT
"$RTLENS" db -o "$TMP/cpus.db" "$TMP/cpus.txt" 2>"$TMP/err"
is "$(q "$TMP/cpus.db" "SELECT group_concat(cpu) FROM (SELECT cpu FROM cpu ORDER BY cpu)")" "0,286578" \
	"cpu table: the cpus seen, not the range below a damaged cpu number"
finish
