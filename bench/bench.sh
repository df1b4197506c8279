#!/bin/sh
# bench/bench.sh [BUILD] - run every area's benchmark (one line per area).
B=${1:-build}
sh bench/draw.sh "$B"
