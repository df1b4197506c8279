#!/bin/sh
# bench/bench.sh [BUILD] - run every area's benchmark (make bench).
B=${1:-build}
D=$(dirname "$0")
sh "$D/ftrace.sh" "$B"
