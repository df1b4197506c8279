#!/bin/sh
# make check-scale: the scale-out recipes of the README, run for real. GNU
# parallel (one rtlens db per run, then rtlens merge) and a Slurm job array
# (one task per run, an afterok merge job) on a single-node Slurm started
# here (munged, slurmctld, slurmd in a temporary folder, stopped after)
# must give the very database rtlens batch gives. Missing Debian packages
# (parallel; slurm-wlm, munge) are installed when this runs as root or with
# sudo; where Slurm cannot start, the array script runs with a fake
# SLURM_ARRAY_TASK_ID instead and the test says so.
. "$(dirname "$0")/../cli/lib.sh"
S=$RL_SRCDIR/scripts/scale
SLURM_DIR=$TMP/slurm
trap '"$S/slurm-local.sh" stop "$SLURM_DIR" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
export RTLENS

need_debs() { # need_debs CMD... -- DEB...: install the packages when a command is missing
	miss=
	while [ "$1" != -- ]; do command -v "$1" >/dev/null 2>&1 || miss=1; shift; done
	shift
	[ -z "$miss" ] && return 0
	SUDO=
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 || return 1
		SUDO=sudo
	fi
	echo "# installing Debian packages: $*"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@" \
		>"$TMP/apt.log" 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q >/dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q \
				--no-install-recommends "$@" >"$TMP/apt.log" 2>&1; }
}

if ! need_debs sqlite3 -- sqlite3; then
	echo "1..0 # SKIP sqlite3 missing and cannot be installed (not root, no sudo)"
	exit 0
fi
# a generated tree: 12 runs (more than the 10 databases SQLite attaches at once)
T=$TMP/tree
for s in GSN-EDF PSN-EDF; do
	for n in 4 6 8; do
		for trial in 0 1; do
			d=$T/sched=${s}_n=$n/trial=$trial
			mkdir -p "$d"
			g=
			[ $s = GSN-EDF ] && g=-g
			"$RL_BUILD/gen-sched-trace" -o "$d" -n $n -m 2 -j 300 -s $((n * 10 + trial)) $g \
				>/dev/null 2>&1
			printf "{'scheduler': '%s', 'tasks': %s, 'trial': %s}\n" $s $n $trial >"$d/params.py"
		done
	done
done
"$RTLENS" batch -q -o "$TMP/batch" "$T"
ok $? "rtlens batch over the generated tree exits 0"
REF=$TMP/batch/rtlens.db
N=$(sqlite3 "$REF" 'SELECT COUNT(*) FROM run')
is "$N" 12 "the tree has 12 runs"
sqlite3 "$REF" .dump >"$TMP/ref.dump"

# GNU parallel
if need_debs parallel -- parallel; then
	"$S/parallel.sh" "$T" "$TMP/par" 2 >"$TMP/par.out" 2>&1
	ok $? "GNU parallel recipe exits 0"
	is "$(tail -n +2 "$TMP/par/joblog" | awk -F'\t' '$7 == 0' | wc -l | tr -d ' ')" 12 \
		"GNU parallel: 12 jobs in its joblog, all exit 0"
	sqlite3 "$TMP/par/all.db" .dump >"$TMP/par.dump"
	same_file "$TMP/par.dump" "$TMP/ref.dump" "GNU parallel + rtlens merge = rtlens batch (sqlite3 .dump)"
	ok $(cmp -s "$TMP/par/all.db" "$REF"; echo $?) "and byte-identical"
else
	skip "GNU parallel missing and cannot be installed (not root, no sudo)"
fi

# Slurm
why=
if ! need_debs sbatch slurmctld slurmd munged -- slurm-wlm munge; then
	why="slurm-wlm and munge missing and cannot be installed (not root, no sudo)"
elif ! "$S/slurm-local.sh" start "$SLURM_DIR" >"$TMP/slurm.env" 2>"$TMP/slurm.err"; then
	why="a single-node Slurm could not start here: $(tail -1 "$TMP/slurm.err")"
fi
if [ -z "$why" ]; then
	. "$TMP/slurm.env"
	mjob=$("$S/slurm-submit.sh" "$T" "$TMP/sl" 2>"$TMP/sl.err")
	ok $? "Slurm recipe submitted (array of 12 tasks, merge job $mjob after it)"
	i=0
	while [ $i -lt 120 ] && [ -n "$(squeue -h 2>/dev/null)" ]; do
		sleep 1
		i=$((i + 1))
	done
	is "$(squeue -h 2>/dev/null | wc -l | tr -d ' ')" 0 "Slurm: every job ended within 120 s"
	is "$(ls "$TMP"/sl/db/*.db 2>/dev/null | wc -l | tr -d ' ')" 12 "Slurm: one database per array task"
	sqlite3 "$TMP/sl/all.db" .dump >"$TMP/sl.dump" 2>/dev/null
	same_file "$TMP/sl.dump" "$TMP/ref.dump" "Slurm array + afterok merge = rtlens batch (sqlite3 .dump)"
	ok $(cmp -s "$TMP/sl/all.db" "$REF"; echo $?) "and byte-identical"
	"$S/slurm-local.sh" stop "$SLURM_DIR"
else
	skip "Slurm: $why; running the array script with a fake SLURM_ARRAY_TASK_ID instead"
	mkdir -p "$TMP/sl"
	"$RTLENS" batch --list "$T" >"$TMP/sl/runs.txt"
	bad=0
	i=0
	while [ $i -lt 12 ]; do
		SLURM_ARRAY_TASK_ID=$i sh "$S/slurm-array.sh" "$T" "$TMP/sl" || bad=$((bad + 1))
		i=$((i + 1))
	done
	is "$bad" 0 "fake array: every task exits 0"
	sh "$S/slurm-merge.sh" "$TMP/sl"
	sqlite3 "$TMP/sl/all.db" .dump >"$TMP/sl.dump" 2>/dev/null
	same_file "$TMP/sl.dump" "$TMP/ref.dump" "fake array + merge = rtlens batch (sqlite3 .dump)"
fi
SLURM_ARRAY_TASK_ID=99 sh "$S/slurm-array.sh" "$T" "$TMP/sl" 2>"$TMP/err"
is $? 2 "an array index past the runs: exit 2"
finish
