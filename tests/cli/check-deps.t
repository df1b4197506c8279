#!/bin/sh
# Module boundaries (STYLE.md 3.1) and the libraries rtlens uses. rtlens is
# linked with --as-needed, so a library is linked only if rtlens calls into
# it: each one must be linked (ldd) and used (rtlens has undefined dynamic
# symbols with its prefix that the library defines).
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


if ! command -v nm >/dev/null 2>&1; then
	skip "nm not installed (Debian binutils): library use not checked"
	finish
fi
nm -D --undefined-only "$RTLENS" >"$TMP/undef"
is "$?" 0 "nm lists the undefined dynamic symbols of rtlens"
ldd "$RTLENS" >"$TMP/ldd"
is "$?" 0 "ldd lists the libraries of rtlens"

# uses LIB SYMBOL-REGEX: rtlens links LIB and refers to symbols matching the
# regex that LIB defines
uses() {
	so=$(awk -v l="$1.so" 'index($1, l) == 1 && $3 ~ /^\// { print $3 }' "$TMP/ldd")
	[ -n "$so" ] || return 1
	grep -E "^ *U ($2)" "$TMP/undef" | sed 's/^ *U //; s/@.*//' | sort -u >"$TMP/want"
	nm -D --defined-only "$so" | awk '{ sub(/@.*/, "", $NF); print $NF }' | sort -u >"$TMP/def"
	[ -s "$TMP/want" ] && [ -n "$(comm -12 "$TMP/want" "$TMP/def")" ]
}
while read -r lib re; do
	uses "$lib" "$re"
	ok $? "rtlens links $lib and uses it ($re)"
done <<EOF
libtraceevent tep_
libbabeltrace2 bt_
libcairo cairo_
libfontconfig Fc
libz deflate|inflate
libzstd ZSTD_
EOF

# SQLite comes with `rtlens db` (a later issue); until then nothing calls it
if grep -Eq '^ *U sqlite3_' "$TMP/undef"; then
	uses libsqlite3 sqlite3_
	ok $? "rtlens links libsqlite3 and uses it (sqlite3_)"
else
	skip "libsqlite3: not used until rtlens db exists"
fi
finish
