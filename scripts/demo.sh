#!/bin/sh
# scripts/demo.sh [BUILD] - what `make demo` runs (one line per area).
set -e
sh scripts/demo-draw.sh "${1:-build}"
