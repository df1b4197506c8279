#!/bin/sh
# GNU parallel recipe: one `rtlens db` per run of an experiment tree, then
# one `rtlens merge`. The merged database holds exactly the rows of
# `rtlens batch -o OUTDIR TREE` (it is the same file).
#
#   scripts/scale/parallel.sh TREE OUTDIR [JOBS]
#
# Writes OUTDIR/runs.txt (the run names), OUTDIR/db/N.db (one per run),
# OUTDIR/joblog (GNU parallel's: --resume-failed reads it) and
# OUTDIR/all.db. RTLENS names the binary (default: rtlens on PATH).
# Exit status: 0, or 1 when a run failed (its database is missing; the
# merge holds the others).
set -u
RTLENS=${RTLENS:-rtlens}
[ $# -ge 2 ] || { echo "usage: $0 TREE OUTDIR [JOBS]" >&2; exit 2; }
tree=$1 out=$2 jobs=${3:-}
mkdir -p "$out/db" || exit 1
"$RTLENS" batch --list "$tree" >"$out/runs.txt" || exit 1
# {#} is the job's line number in runs.txt; --halt never: every run is tried
parallel --will-cite ${jobs:+-j "$jobs"} --halt never --joblog "$out/joblog" \
	"$RTLENS" db -q --run {} -o "$out/db/{#}.db" "$tree" :::: "$out/runs.txt"
status=$?
set -- "$out"/db/*.db
[ -e "$1" ] || { echo "$0: no run database was written" >&2; exit 1; }
"$RTLENS" merge -o "$out/all.db" "$@" || exit 1
[ "$status" -eq 0 ] || exit 1
