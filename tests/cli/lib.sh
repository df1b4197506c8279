# tests/cli/lib.sh - helpers for shell TAP tests (sourced by tests/cli/*.t).
# RL_BUILD: build directory (default build); RL_SRCDIR: project root.
RL_SRCDIR=${RL_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
RL_BUILD=${RL_BUILD:-$RL_SRCDIR/build}
RTLENS=$RL_BUILD/rtlens
SHARED=${RL_SHARED:-$RL_SRCDIR/../shared}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C
_n=0
_fail=0

ok() { # ok COND-EXIT-STATUS NAME
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _fail=$((_fail + 1)); fi
}
is() { # is GOT WANT NAME
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_n - $3"; else
		echo "not ok $_n - $3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; _fail=$((_fail + 1)); fi
}
# same_file GOT WANT NAME: byte-identical files, a diff excerpt on failure
same_file() {
	_n=$((_n + 1))
	if cmp -s "$1" "$2"; then echo "ok $_n - $3"; else
		echo "not ok $_n - $3"; diff "$1" "$2" | head -20 | sed 's/^/#   /'; _fail=$((_fail + 1)); fi
}
# golden GOT NAME: compare with tests/golden/NAME (RL_GOLDEN_UPDATE=1 rewrites it)
golden() {
	if [ -n "$RL_GOLDEN_UPDATE" ]; then cp "$1" "$RL_SRCDIR/tests/golden/$2"; fi
	same_file "$1" "$RL_SRCDIR/tests/golden/$2" "golden $2"
}
need_shared() {
	if [ ! -d "$SHARED/testdata" ]; then
		echo "1..0 # SKIP shared test data not found at $SHARED (../shared absent)"
		exit 0
	fi
}
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $1"; }
finish() { echo "1..$_n"; [ "$_fail" -eq 0 ]; exit $?; }
