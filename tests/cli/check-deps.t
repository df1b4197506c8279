#!/bin/sh
# Module boundaries (STYLE.md 3.1) and the libraries rtlens links against.
. "$(dirname "$0")/lib.sh"
sh "$RL_SRCDIR/scripts/check-deps.sh" >"$TMP/out" 2>&1
ok $? "module boundaries respected: $(tail -1 "$TMP/out")"

# The checker itself, on scratch trees: one file per case, each with one include.
# deps_case DIR INCLUDE WANT-EXIT NAME
deps_case() {
	rm -rf "$TMP/tree"
	mkdir -p "$TMP/tree/$1"
	printf '#include "%s"\nint x;\n' "$2" >"$TMP/tree/$1/scratch.c"
	sh "$RL_SRCDIR/scripts/check-deps.sh" "$TMP/tree" >"$TMP/dout" 2>&1
	is "$?" "$3" "$4"
}
deps_case model ../readers/readers.h 1 "model may not include readers (upwards)"
deps_case readers ../stats/stats.h 1 "readers may not include stats (upwards)"
deps_case filters ../skew/skew.h 1 "filters may not include skew (sideways)"
deps_case skew ../filters/filters.h 1 "skew may not include filters (sideways)"
deps_case stats ../draw/draw.h 1 "stats may not include draw (sideways)"
deps_case draw ../cli/cli.h 1 "draw may not include cli (upwards)"
grep -q 'draw may not depend on cli' "$TMP/dout"
ok $? "the failure names the file's module and the one it may not depend on"
deps_case stats ../readers/readers.h 0 "stats may include readers"
deps_case draw ../filters/filters.h 0 "draw may include filters"
deps_case skew ../readers/readers.h 0 "skew may include readers"
deps_case cli ../draw/draw.h 0 "cli may include anything"
rm -rf "$TMP/tree"
mkdir -p "$TMP/tree/stats"
printf 'void f(void) { printf("x"); }\n' >"$TMP/tree/stats/say.c"
sh "$RL_SRCDIR/scripts/check-deps.sh" "$TMP/tree" >/dev/null 2>&1
is "$?" 1 "library code that prints is refused"

for lib in libtraceevent libbabeltrace2 libcairo libsqlite3 libz libzstd; do
	ldd "$RTLENS" | grep -q "$lib\.so"
	ok $? "rtlens is linked with $lib"
done
finish
