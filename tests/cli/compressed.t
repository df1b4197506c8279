#!/bin/sh
# gzip and zstd inputs are decompressed as a stream into an unnamed temporary
# file (readers/input.c): the same output as the uncompressed files, memory
# that does not grow with the decompressed size, decompression bombs refused
# early with a located error, damaged streams located, nothing left in TMPDIR.
. "$(dirname "$0")/lib.sh"
GEN=$RL_BUILD/gen-sched-trace
for t in gzip zstd; do
	if ! command -v $t >/dev/null; then
		echo "1..0 # SKIP $t not installed (scripts/deps.sh check installs it)"
		exit 0
	fi
done
mkdir -p "$TMP/spill"
export TMPDIR="$TMP/spill"

# the same trace, plain, gzip -1 and zstd -1: about 24 MB decompressed
"$GEN" -o "$TMP/st" -n 40 -m 4 -j 240000 -s 3 --no-truth 2>/dev/null
mkdir -p "$TMP/gz" "$TMP/zst"
for f in "$TMP"/st/st-*.bin; do
	b=$(basename "$f")
	gzip -1 -c "$f" >"$TMP/gz/$b.gz"
	zstd -1 -q -c "$f" >"$TMP/zst/$b.zst"
done
"$RTLENS" jobs --summary "$TMP"/st/st-*.bin >"$TMP/plain.txt"
is "$?" 0 "plain files: exit 0"
for k in gz zst; do
	"$RTLENS" jobs --summary "$TMP/$k"/st-*.bin.$k >"$TMP/$k.txt"
	is "$?" 0 "$k files: exit 0"
	same_file "$TMP/$k.txt" "$TMP/plain.txt" "$k files: the same summary as the plain files"
done
"$RTLENS" dump "$TMP"/st/st-0.bin | md5sum >"$TMP/d0"
"$RTLENS" dump "$TMP"/zst/st-0.bin.zst | md5sum >"$TMP/d1"
same_file "$TMP/d1" "$TMP/d0" "zstd: the same dump, event by event"

# concatenated members and frames (cat a.gz b.gz) are one stream
head -c 2400000 "$TMP/st/st-1.bin" >"$TMP/a.bin"
tail -c +2400001 "$TMP/st/st-1.bin" >"$TMP/b.bin"
for k in gz zst; do
	if [ $k = gz ]; then c="gzip -c"; else c="zstd -q -c"; fi
	{ $c "$TMP/a.bin"; $c "$TMP/b.bin"; } >"$TMP/cat.bin.$k"
	"$RTLENS" dump "$TMP/cat.bin.$k" | md5sum >"$TMP/d2"
	"$RTLENS" dump "$TMP/st/st-1.bin" | md5sum >"$TMP/d3"
	same_file "$TMP/d2" "$TMP/d3" "$k: concatenated members read as one file"
done

# cut and corrupted streams: located errors, exit 1
for k in gz zst; do
	f=$TMP/gz/st-2.bin.gz
	[ $k = zst ] && f=$TMP/zst/st-2.bin.zst
	head -c 100000 "$f" >"$TMP/cut.$k"
	"$RTLENS" info "$TMP/cut.$k" >/dev/null 2>"$TMP/err"
	is "$?" 1 "$k cut at 100000 bytes: exit 1"
	grep -q "cut.$k:0x186a0: error: .* stream ends early (truncated file?)" "$TMP/err"
	ok $? "$k cut: located at the end of the file ($(head -1 "$TMP/err"))"
	{ head -c 50000 "$f"; head -c 4000 /dev/urandom; tail -c +54001 "$f"; } >"$TMP/bad.$k"
	"$RTLENS" info "$TMP/bad.$k" >/dev/null 2>"$TMP/err"
	rc=$?
	is "$rc" 1 "$k with 4000 random bytes inside: exit 1"
	grep -Eq "bad.$k:0x[0-9a-f]+: error: (corrupt (gzip|zstd) data|.*ends early)" "$TMP/err"
	ok $? "$k random bytes: located error ($(head -1 "$TMP/err"))"
done

# decompression bombs: 100 MB of zeros refused after 64 MB, memory flat
head -c 100M /dev/zero | gzip -c >"$TMP/bomb.gz"
head -c 100M /dev/zero | zstd -q -c >"$TMP/bomb.zst"
for k in gz zst; do
	start=$(date +%s)
	"$RTLENS" info "$TMP/bomb.$k" >/dev/null 2>"$TMP/err"
	is "$?" 1 "$k bomb: exit 1"
	grep -Eq "bomb.$k:0x[0-9a-f]+: error: (gzip|zstd) data decompresses to more than 200 times its size" "$TMP/err"
	ok $? "$k bomb: refused by the ratio, located ($(head -1 "$TMP/err"))"
	[ $(($(date +%s) - start)) -lt 20 ]
	ok $? "$k bomb: refused within 20 s"
	"$RTLENS" info --max-ratio 100000 --max-inflate 8M "$TMP/bomb.$k" >/dev/null 2>"$TMP/err"
	is "$?" 1 "$k bomb, ratio lifted: exit 1"
	grep -Eq "bomb.$k:0x[0-9a-f]+: error: decompressed size exceeds 8388608 bytes \(--max-inflate\)" "$TMP/err"
	ok $? "$k bomb, ratio lifted: refused by --max-inflate, located"
done
"$RTLENS" info --max-ratio 0 "$TMP/bomb.gz" >/dev/null 2>&1
is "$?" 2 "--max-ratio 0: usage error"

# memory: the decompressed bytes are not held in the heap. Sanitizer builds
# read every input into memory on purpose (RL_NO_MMAP), so they skip this.
if [ -x /usr/bin/time ] && ! nm "$RTLENS" 2>/dev/null | grep -q __asan_init; then
	rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
	p=$(rss "$RTLENS" info "$TMP"/st/st-*.bin)
	g=$(rss "$RTLENS" info "$TMP"/gz/st-*.bin.gz)
	z=$(rss "$RTLENS" info "$TMP"/zst/st-*.bin.zst)
	b=$(rss "$RTLENS" info --max-ratio 100000 "$TMP/bomb.gz")
	echo "# peak RSS (KB): plain $p, gzip $g, zstd $z; 100 MB bomb inflated whole: $b"
	[ "$g" -lt $((p + 12000)) ] && [ "$z" -lt $((p + 12000)) ]
	ok $? "24 MB decompressed: RSS within 12 MB of the plain files' (not + 24 MB)"
	[ "$b" -lt 60000 ]
	ok $? "100 MB bomb decompressed in full: RSS $b KB < 60 MB"
else
	skip "RSS: /usr/bin/time absent or a sanitizer build (inputs in memory on purpose)"
	skip "RSS of the bomb"
fi
n=$(find "$TMP/spill" -type f | wc -l)
is "$n" 0 "nothing left in TMPDIR"
finish
