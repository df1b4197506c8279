#!/bin/sh
# Slurm merge job (after the array: --dependency=afterok:ARRAY_JOB_ID):
# OUTDIR/db/*.db into OUTDIR/all.db.
#SBATCH --job-name=rtlens-merge
#SBATCH --ntasks=1
set -u
RTLENS=${RTLENS:-rtlens}
out=$1
set -- "$out"/db/*.db
[ -e "$1" ] || { echo "$0: no run database in $out/db" >&2; exit 1; }
exec "$RTLENS" merge -o "$out/all.db" "$@"
