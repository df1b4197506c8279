#!/bin/sh
# Module boundaries (STYLE.md 3.1) and the libraries rtlens links against.
. "$(dirname "$0")/lib.sh"
sh "$RL_SRCDIR/scripts/check-deps.sh" >"$TMP/out" 2>&1
ok $? "module boundaries respected: $(tail -1 "$TMP/out")"
for lib in libtraceevent libbabeltrace2 libcairo libsqlite3 libz libzstd; do
	ldd "$RTLENS" | grep -q "$lib\.so"
	ok $? "rtlens is linked with $lib"
done
finish
