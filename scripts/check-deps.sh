#!/bin/sh
# Module boundaries (STYLE.md 3.1): dependencies point one way only.
#   cli -> readers skew filters stats draw -> model
# Fails on any #include "..." that goes sideways or upwards.
cd "$(dirname "$0")/.." || exit 1
bad=0
allowed() { # MODULE -> allowed project modules
	case $1 in
	model) echo "model" ;;
	readers|skew) echo "$1 model" ;;
	filters) echo "filters readers model" ;;
	stats) echo "stats filters skew readers model" ;;
	draw) echo "draw model stats" ;;
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
if grep -nE '\b(printf|perror|exit|abort)\s*\(' model/*.c readers/*.c stats/*.c \
	$(ls filters/*.c skew/*.c draw/*.c 2>/dev/null) | grep -v '^\S*:\s*\*'; then
	echo "check-deps: library code must not print or exit (only cli/ does)"
	bad=1
fi
[ $bad -eq 0 ] && echo "check-deps: module boundaries respected"
exit $bad
