#!/bin/sh
# Interrupted writes: SIGINT / SIGTERM remove the temporary output, keep the
# previous file and end with the signal's status (130, 143); a later run
# removes the temporary files of a run killed with SIGKILL, and only those.
. "$(dirname "$0")/lib.sh"
GEN=$RL_BUILD/gen-sched-trace
"$GEN" -o "$TMP/big" -n 50 -m 4 -g -u 2.5 -j 3000000 -s 5 --no-truth 2>/dev/null
ok $? "a 3 M-job trace to interrupt"

# interrupt SIG STATUS: a long rtlens jobs -o, signalled while it writes
interrupt() {
	printf 'previous\n' >"$TMP/out.csv"
	# a background job of a script starts with SIGINT ignored: perl restores
	# the default, as a terminal's foreground job has it
	perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or exit 127' \
		"$RTLENS" jobs --by-task "$TMP/big"/st-*.bin -o "$TMP/out.csv" 2>"$TMP/err" &
	pid=$!
	# wait until its temporary file exists (it is writing), then signal it
	i=0
	while [ $i -lt 200 ] && ! ls "$TMP" | grep -q '^out\.csv\.'; do
		sleep 0.01
		i=$((i + 1))
	done
	kill -"$1" $pid
	wait $pid
	st=$?
	if [ $st -eq 0 ]; then
		skip "rtlens finished before SIG$1 arrived"
		skip "(no temporary file to check)"
		skip "(no previous file to check)"
		return
	fi
	is "$st" "$2" "SIG$1 ends rtlens jobs -o with status $2"
	is "$(ls "$TMP" | grep -c '^out\.csv\.')" 0 "SIG$1 leaves no temporary file"
	is "$(cat "$TMP/out.csv")" previous "SIG$1 leaves the previous output intact"
}
interrupt INT 130
interrupt TERM 143

# stale temporaries: one of a pid that no longer runs, one of a live process
"$GEN" -o "$TMP/small" -n 3 -m 2 -j 50 -s 3 2>/dev/null
dead=999999
while kill -0 $dead 2>/dev/null; do dead=$((dead - 1)); done
: >"$TMP/res.csv.rltmp$dead.AbCdEf"
: >"$TMP/res.csv.rltmp$$.GhIjKl"
: >"$TMP/other.csv.rltmp$dead.MnOpQr"
"$RTLENS" jobs "$TMP/small"/st-*.bin -o "$TMP/res.csv"
ok $? "jobs -o res.csv exits 0"
[ ! -e "$TMP/res.csv.rltmp$dead.AbCdEf" ]
ok $? "the temporary file of a dead run writing res.csv is removed"
[ -e "$TMP/res.csv.rltmp$$.GhIjKl" ]
ok $? "the temporary file of a live process is kept"
[ -e "$TMP/other.csv.rltmp$dead.MnOpQr" ]
ok $? "another output's temporary file is kept"
[ -s "$TMP/res.csv" ]
ok $? "the output is written"

# the output's mode: the replaced file's, else what the umask allows
chmod 600 "$TMP/res.csv"
"$RTLENS" jobs "$TMP/small"/st-*.bin -o "$TMP/res.csv"
is "$(stat -c %a "$TMP/res.csv")" 600 "-o keeps the mode of the file it replaces"
(umask 027 && "$RTLENS" jobs "$TMP/small"/st-*.bin -o "$TMP/new.csv")
is "$(stat -c %a "$TMP/new.csv")" 640 "-o of a new file follows the umask (027: 640)"
finish
