#!/bin/sh
# Damaged xentrace files (testdata/bad/xentrace) through `rtlens info` and `rtlens xen`:
# the exit status and located message of NAME.expect; every file is what gen-xentrace -B writes.
. "$(dirname "$0")/lib.sh"

D=$RL_SRCDIR/testdata/bad/xentrace
for exp in "$D"/*.expect; do
	f=${exp%.expect}
	n=$(basename "$f")
	want_rc=$(sed -n 1p "$exp")
	want_re=$(sed -n 2p "$exp")
	args=$(sed -n 3p "$exp")
	for cmd in info xen; do
		# shellcheck disable=SC2086
		"$RTLENS" $cmd $args "$f" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		if [ $cmd = xen ] && [ "$n" = not-xentrace.xt ]; then
			want=1
		else
			want=$want_rc
		fi
		is "$rc" "$want" "$cmd $n: exit status $want"
		grep -Eq -- "$want_re" "$TMP/err"
		ok $? "$cmd $n: stderr says: $want_re"
	done
	kase=${n%.xt}
	kase=${kase%-forced}
	"$RL_BUILD/gen-xentrace" -B "$kase" -o "$TMP/regen"
	same_file "$TMP/regen" "$f" "$n is what gen-xentrace -B $kase writes"
done
# the second problem in the truncated window is located too
"$RTLENS" info "$D/window-past-eof.xt" >/dev/null 2>"$TMP/err"
grep -q "window-past-eof.xt:0x1c: warning: record 0x00021011 of 16 bytes cut by the end of the file" "$TMP/err"
ok $? "the record cut by the end of the file is located"
# quiet mode still fails on damage
"$RTLENS" info -q "$D/zero-tsc.xt" >/dev/null 2>"$TMP/err"
is "$?" 1 "-q: damage still exits 1"
is "$(wc -c <"$TMP/err" | tr -d ' ')" 0 "-q: nothing on stderr"
finish
