#!/bin/sh
# Module boundaries (STYLE.md 3.1, DESIGN.md 1): dependencies point one way only.
#   cli -> back ends (stats, draw) -> filters, skew -> readers -> model
# Each module may include its own headers and those of the modules below it:
#   model    model
#   readers  readers model
#   filters  filters readers model         (skew likewise: skew readers model)
#   stats    stats filters skew readers model
#   draw     draw stats filters skew readers model
#   cli      everything
# Fails on any #include "..." that goes sideways or upwards, and on library
# code that prints or exits.
#
# usage: check-deps.sh [ROOT]   ROOT: the tree to check (default: this one);
#                               the tests point it at a scratch tree
if [ $# -gt 0 ]; then
	cd "$1" || exit 2
else
	cd "$(dirname "$0")/.." || exit 2
fi
bad=0
allowed() { # MODULE -> allowed project modules
	case $1 in
	model) echo "model" ;;
	readers) echo "readers model" ;;
	filters|skew) echo "$1 readers model" ;;
	stats) echo "stats filters skew readers model" ;;
	draw) echo "draw stats filters skew readers model" ;;
	cli) echo "cli model readers skew filters stats draw" ;;
	*) echo "*" ;;
	esac
}
for dir in model readers skew filters stats draw cli; do
	[ -d "$dir" ] || continue
	ok=$(allowed "$dir")
	for f in "$dir"/*.[ch]; do
		[ -f "$f" ] || continue
		grep -o '#include "[^"]*"' "$f" | sed 's/#include "//; s/"$//' | while read -r inc; do
			case $inc in
			../*/*) mod=${inc#../}; mod=${mod%%/*} ;;
			*/*) mod=${inc%%/*} ;;
			*) mod=$dir ;;
			esac
			case " $ok " in
			*" $mod "*) ;;
			*) echo "check-deps: $f includes $inc ($dir may not depend on $mod)"; exit 1 ;;
			esac
		done || bad=1
	done
done
# library code never prints or exits
lib=$(ls model/*.c readers/*.c stats/*.c filters/*.c skew/*.c draw/*.c 2>/dev/null)
if [ -n "$lib" ] && grep -nE '\b(printf|perror|exit|abort)\s*\(' $lib | grep -v '^\S*:\s*\*'; then
	echo "check-deps: library code must not print or exit (only cli/ does)"
	bad=1
fi
[ $bad -eq 0 ] && echo "check-deps: module boundaries respected"
exit $bad
