#!/bin/sh
# Linux tasks: tids with names from comm fields (exec renames), PID reuse
# (a fork of a used tid, or its reappearance after it died) makes a new task.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/t.txt" <<'TXT'
# tracer: nop
            bash-100   [000] .....    10.000001: sched_process_fork: comm=bash pid=100 child_comm=bash child_pid=200
            bash-100   [000] d..2.    10.000002: sched_wakeup_new: comm=bash pid=200 prio=120 target_cpu=000
            bash-100   [000] d..2.    10.000003: sched_switch: prev_comm=bash prev_pid=100 prev_prio=120 prev_state=S ==> next_comm=bash next_pid=200 next_prio=120
            bash-200   [000] .....    10.000004: sched_process_exec: filename=/usr/bin/my-realtime-application pid=200 old_pid=200
 my-realtime-app-200   [000] .....    10.000005: sched_process_exit: comm=my-realtime-app pid=200 prio=120 group_dead=1
 my-realtime-app-200   [000] d..2.    10.000006: sched_switch: prev_comm=my-realtime-app prev_pid=200 prev_prio=120 prev_state=X ==> next_comm=swapper/0 next_pid=0 next_prio=120
          <idle>-0     [000] d.h2.    10.000007: sched_wakeup: comm=bash pid=100 prio=120 target_cpu=000
          <idle>-0     [000] d..2.    10.000008: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=bash next_pid=100 next_prio=120
            bash-100   [000] .....    10.000009: sched_process_fork: comm=bash pid=100 child_comm=bash child_pid=200
            bash-100   [000] d..2.    10.000010: sched_wakeup_new: comm=bash pid=200 prio=120 target_cpu=000
            bash-100   [000] d..2.    10.000011: sched_switch: prev_comm=bash prev_pid=100 prev_prio=120 prev_state=S ==> next_comm=bash next_pid=200 next_prio=120
            bash-200   [000] d..2.    10.000012: sched_switch: prev_comm=bash prev_pid=200 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120
TXT
"$RTLENS" info --json "$TMP/t.txt" >"$TMP/i.json" 2>"$TMP/err"
is "$?" 0 "text trace reads"
is "$(perl -ne 'print $1 if /"tasks":(\d+)/' "$TMP/i.json")" 3 "three tasks: bash, tid 200 before and after reuse"
"$RTLENS" jobs "$TMP/t.txt" >"$TMP/j.csv"
is "$(awk -F, 'NR > 1 { print $1, $2, $3, $4, $6, $14 }' "$TMP/j.csv" | tr '\n' ';')" \
	"100 bash 1 10000007000 10000011000 complete;200 my-realtime-app 1 10000002000 10000006000 complete;200 bash 1 10000010000 10000012000 complete;" \
	"jobs per task: the reused tid is a new task; exec renamed the first (15-byte comm)"
finish
