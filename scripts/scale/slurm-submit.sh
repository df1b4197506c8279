#!/bin/sh
# Slurm recipe: one array task per run of an experiment tree (slurm-array.sh),
# then a merge job that starts when every task succeeded (afterok).
#
#   scripts/scale/slurm-submit.sh TREE OUTDIR [SBATCH OPTIONS...]
#
# Prints the merge job's id; OUTDIR/all.db is the result. TREE and OUTDIR
# must be visible to the compute nodes at the same paths.
set -u
RTLENS=${RTLENS:-rtlens}
[ $# -ge 2 ] || { echo "usage: $0 TREE OUTDIR [SBATCH OPTIONS...]" >&2; exit 2; }
tree=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/db" || exit 1
"$RTLENS" batch --list "$tree" >"$out/runs.txt" || exit 1
n=$(wc -l <"$out/runs.txt")
[ "$n" -gt 0 ] || { echo "$0: no runs in $tree" >&2; exit 1; }
export RTLENS
arr=$(sbatch --parsable "$@" --array=0-$((n - 1)) -o "$out/db/%a.log" \
	"$here/slurm-array.sh" "$tree" "$out") || exit 1
arr=${arr%%;*}
sbatch --parsable "$@" --dependency=afterok:"$arr" -o "$out/merge.log" \
	"$here/slurm-merge.sh" "$out"
