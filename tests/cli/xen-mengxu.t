#!/bin/sh
# Meng Xu's 2014 pre-release RTDS recording: read to the end without damage,
# its non-standard RTDS payloads reported as unknown, not misdecoded.
. "$(dirname "$0")/lib.sh"
need_shared
T=$SHARED/testdata/xen/mengxu-2014-rtds-prerelease/trace2.data
[ -f "$T" ] || { echo "1..0 # SKIP $T absent"; exit 0; }

"$RTLENS" info --json "$T" >"$TMP/info" 2>"$TMP/err"
ok $? "info exits 0"
# every record but the wrap padding, counted independently of the reader by
# walking the windows' words with od and awk
want=$(od -An -tu4 -v -w4 "$T" | awk '{ w[n++] = $1 } END {
	i = 0
	while (i + 3 <= n) {
		if (w[i] != 536997891) { print "bad"; exit }
		end = i + 3 + w[i + 2] / 4; j = i + 3
		while (j < end) {
			h = w[j]; nw = int(h / 268435456) % 8; t = (h >= 2147483648)
			if (h % 268435456 != 126978) c++
			j += 1 + 2 * t + nw
		}
		i = end
	}
	print c }')
is "$(sed -n 's/.*"events":\([0-9]*\).*/\1/p' "$TMP/info")" "$want" "every record but wrap padding is an event"
for id in 0x00022802 0x00022805; do
	grep -q "event $id with 6 payload words matches no Xen 4.5-4.6 layout" "$TMP/err"
	ok $? "$id with 6 words reported as an unknown layout"
done
grep -q "widely spread" "$TMP/err"
ok $? "the dispersed clock estimate is flagged"
"$RTLENS" xen "$T" >"$TMP/x" 2>/dev/null
ok $? "xen exits 0"
grep -q "^Per-PCPU" "$TMP/x"
ok $? "xen prints the PCPU table"
grep -q "^xentrace: xentrace-4.5, 4 PCPUs," "$TMP/x"
ok $? "4 PCPUs (tickles naming garbage cpus do not add any)"
finish
