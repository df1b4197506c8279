#!/bin/sh
# Slurm job array task: the run on line SLURM_ARRAY_TASK_ID + 1 of
# OUTDIR/runs.txt into OUTDIR/db/SLURM_ARRAY_TASK_ID.db (submitted by
# slurm-submit.sh; runs without Slurm too, given SLURM_ARRAY_TASK_ID).
#
#   sbatch --array=0-$((N - 1)) slurm-array.sh TREE OUTDIR
#SBATCH --job-name=rtlens-run
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
set -u
RTLENS=${RTLENS:-rtlens}
tree=$1 out=$2
id=${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task (SLURM_ARRAY_TASK_ID unset)}
name=$(sed -n "$((id + 1))p" "$out/runs.txt")
[ -n "$name" ] || { echo "$0: no run $id in $out/runs.txt" >&2; exit 2; }
mkdir -p "$out/db"
exec "$RTLENS" db -q --run "$name" -o "$out/db/$id.db" "$tree"
