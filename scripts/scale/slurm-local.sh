#!/bin/sh
# A throw-away single-node Slurm on this machine, for tests: munged and
# slurmctld/slurmd with everything (config, key, state, logs, sockets) in
# DIR, on ports of their own; nothing under /etc is touched.
#
#   scripts/scale/slurm-local.sh start DIR   (prints "export SLURM_CONF=...")
#   scripts/scale/slurm-local.sh stop DIR
#
# Needs root (slurmd) and Debian's slurm-wlm and munge.
set -u
cmd=${1:-} dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || exit 1

stop() {
	for p in slurmd slurmctld munged; do
		[ -f "$dir/$p.pid" ] && kill "$(cat "$dir/$p.pid")" 2>/dev/null
	done
	sleep 1
	for p in slurmd slurmctld munged; do
		[ -f "$dir/$p.pid" ] && kill -9 "$(cat "$dir/$p.pid")" 2>/dev/null
		rm -f "$dir/$p.pid"
	done
	return 0
}
if [ "$cmd" = stop ]; then
	stop
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "$0: slurmd needs root" >&2; exit 1; }
for b in munged mungekey slurmctld slurmd sbatch; do
	command -v "$b" >/dev/null 2>&1 || { echo "$0: $b not found (Debian slurm-wlm, munge)" >&2; exit 1; }
done
host=$(hostname -s)
cpus=$(nproc)
base=$((20000 + $$ % 20000))
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"
mungekey --create --keyfile="$dir/munge/munge.key" --force >/dev/null 2>&1 || exit 1
chmod 600 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
	--pid-file="$dir/munged.pid" --log-file="$dir/munged.log" \
	--seed-file="$dir/munge/munged.seed" || { echo "$0: munged did not start" >&2; exit 1; }
cat >"$dir/slurm.conf" <<CONF
ClusterName=rtlenstest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=rtlens Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i >"$dir/slurmctld.out" 2>&1 || { echo "$0: slurmctld did not start (see $dir/slurmctld.log)" >&2; stop; exit 1; }
slurmd >"$dir/slurmd.out" 2>&1 || { echo "$0: slurmd did not start (see $dir/slurmd.log)" >&2; stop; exit 1; }
# wait until the node takes jobs
i=0
while [ $i -lt 30 ]; do
	st=$(sinfo -h -o %t 2>/dev/null | head -1)
	case $st in idle*|mix*|alloc*) echo "export SLURM_CONF=$dir/slurm.conf"; exit 0 ;; esac
	sleep 1
	i=$((i + 1))
done
echo "$0: the node did not come up (state '$st'; see $dir/slurmctld.log, $dir/slurmd.log)" >&2
stop
exit 1
