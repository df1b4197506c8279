#!/bin/sh
# Regenerate testdata/bad/trace-dat/ and tests/fuzz/corpus/trace-dat/ from our
# own generator (build/gen-trace-dat): small trace.dat files, valid and
# damaged. Each bad file has NAME.expect: line 1 the exit status of
# `rtlens info`, line 2 a string its stderr must contain.
set -e
B=${1:-build}
G=$B/gen-trace-dat
D=testdata/bad/trace-dat
C=tests/fuzz/corpus/trace-dat
mkdir -p "$D" "$C"
rm -f "$D"/* "$C"/*
exp() { printf '%s\n%s\n' "$2" "$3" >"$D/$1.expect"; }

$G -v 6 -n 400 -b commit -o "$D/commit-exceeds-page.dat"
exp commit-exceeds-page 1 "page header commit size 8192 exceeds the page"
$G -v 6 -n 400 -b unknown-id -o "$D/unknown-event-id.dat"
exp unknown-event-id 0 "event id 375 has no format in the file"
$G -v 7 -z zstd -n 2000 -b chunk -o "$D/corrupt-zstd-chunk.dat"
exp corrupt-zstd-chunk 1 "corrupt compressed chunk; its events are lost"
$G -v 7 -z zlib -n 2000 -b chunk -o "$D/corrupt-zlib-chunk.dat"
exp corrupt-zlib-chunk 1 "corrupt compressed chunk; its events are lost"
$G -v 6 -n 400 -b lost -o "$D/lost-pages.dat"
exp lost-pages 0 "17 events lost before this page"
$G -v 6 -n 400 -o "$C/v6.dat"
$G -v 7 -z none -n 300 -o "$C/v7-none.dat"
$G -v 7 -z zstd -n 300 -o "$C/v7-zstd.dat"
$G -v 7 -z zlib -n 300 -o "$C/v7-zlib.dat"
# truncations of valid files
head -c 300 "$C/v6.dat" >"$D/truncated-metadata.dat"
exp truncated-metadata 1 "exceeds the 36 bytes left"
n=$(wc -c <"$C/v6.dat")
head -c $((n - 2000)) "$C/v6.dat" >"$D/truncated-cpu-data.dat"
exp truncated-cpu-data 1 "(truncated file?)"
n=$(wc -c <"$C/v7-zstd.dat")
head -c $((n - 200)) "$C/v7-zstd.dat" >"$D/truncated-options-section.dat"
exp truncated-options-section 1 "section offset"
# a version we do not know, and garbage after the magic
printf '\027\010\104tracing9\000\000\010\000\020\000\000' >"$D/version-9.dat"
exp version-9 1 "trace.dat version \"9\""
{ printf '\027\010\104tracing6\000\000\010\000\020\000\000'; head -c 3000 "$C/v6.dat" | tail -c 2000; } >"$D/garbage-after-header.dat"
exp garbage-after-header 1 "expected \"header_page\""
