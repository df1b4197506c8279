#!/bin/sh
# tests/fuzz/gen-db-corpus.sh - regenerate tests/fuzz/corpus/db/ (committed):
# an experiment-scripts params.py, a small generated sched_trace file and a
# few lines of ftrace text, for fuzz-db.c.
set -e
cd "$(dirname "$0")/../.."
D=tests/fuzz/corpus/db
mkdir -p "$D" build
make -s build/gen-sched-trace
build/gen-sched-trace -o build/fzdb -n 3 -m 1 -j 60 -s 5 --no-truth 2>/dev/null
cp build/fzdb/st-0.bin "$D/st-3tasks.bin"
cat >"$D/params.py" <<'PY'
{'scheduler': 'GSN-EDF', 'duration': 30, "tasks": 12, 'util': 0.75,
 'release_master': None, 'cpus': [0, 1, 2, 3], 'nested': {'a': (1, 2,), 'b': True},
 'name': 'it\'s "quoted"\n', 'neg': -1.5e-3, 'big': 12345678901234567890}
PY
cat >"$D/ftrace.txt" <<'TXT'
# tracer: nop
          <idle>-0       [001] d..2.   100.000010: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=rt next_pid=42 next_prio=19
              rt-42      [001] d..3.   100.000500: sched_switch: prev_comm=rt prev_pid=42 prev_prio=19 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120
          <idle>-0       [001] dNh2.   100.001000: sched_wakeup: comm=rt pid=42 prio=19 target_cpu=001
TXT
ls -la "$D"
