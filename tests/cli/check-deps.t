#!/bin/sh
# Module boundaries (STYLE.md 3.1) and the libraries rtlens uses. rtlens is
# linked with --as-needed, so a library is linked only if rtlens calls into
# it: each one must be linked (ldd) and used (rtlens has undefined dynamic
# symbols with its prefix that the library defines).
. "$(dirname "$0")/lib.sh"
sh "$RL_SRCDIR/scripts/check-deps.sh" >"$TMP/out" 2>&1
ok $? "module boundaries respected: $(tail -1 "$TMP/out")"

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
