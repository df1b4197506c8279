#!/bin/sh
# rtlens skew on Feather-Trace: the senders of IPIs are looked up in the mapped
# per-cpu files when they are in time order, and in a sorted copy of the candidate
# records otherwise; both give the same pairs.
. "$(dirname "$0")/lib.sh"
D=$TMP/ft
mkdir "$D"
"$RL_BUILD/gen-feather-trace" -c 4 -n 3000 -S 5 "$D" >/dev/null 2>&1
ok $? "generator ran"
"$RTLENS" skew --json "$D" >"$TMP/a.json" 2>"$TMP/e"
ok $? "skew on time-ordered cpu files (searched in place)"
grep -q '"quality":"accurate"' "$TMP/a.json" && grep -q '"n_ab":[1-9]' "$TMP/a.json"
ok $? "... pairs found"
# cpu 1's file written backwards: not in time order, so the sorted copy is used
mkdir "$TMP/rev"
for f in "$D"/*; do cp "$f" "$TMP/rev/"; done
f1=$(ls "$TMP/rev"/*cpu=1.bin)
perl -e 'local $/; open my $f, "<", $ARGV[0] or die; binmode $f; my $d = <$f>; close $f;
	my @r = unpack("(a16)*", $d); open $f, ">", $ARGV[0] or die; binmode $f; print $f reverse @r' "$f1"
"$RTLENS" skew --json "$TMP/rev" >"$TMP/b.json" 2>"$TMP/e"
ok $? "skew with one cpu file out of time order (sorted copy)"
same_file "$TMP/b.json" "$TMP/a.json" "... the same estimate and pairs"
finish
