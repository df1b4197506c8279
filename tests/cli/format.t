#!/bin/sh
# The tree is clang-format clean (.clang-format, clang-format 14 as in Debian 12):
# every C file of the library, the command line, the tests and the benchmarks.
. "$(dirname "$0")/lib.sh"
if ! command -v clang-format >/dev/null 2>&1; then
	skip "clang-format not installed (make check installs Debian's clang-format)"
	finish
fi
ver=$(clang-format --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
if [ "$ver" != 14 ]; then
	skip "clang-format $ver is not Debian 12's 14: its output differs"
	finish
fi
cd "$RL_SRCDIR" || exit 1
n=0
bad=""
for f in $(ls model/*.[ch] readers/*.[ch] filters/*.[ch] skew/*.[ch] stats/*.[ch] draw/*.[ch] \
	cli/*.[ch] tests/*.[ch] tests/fuzz/*.[ch] bench/*.c 2>/dev/null); do
	n=$((n + 1))
	clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
[ "$n" -gt 50 ]
ok $? "found the project's C files ($n)"
[ -z "$bad" ]
ok $? "every C file is clang-format clean${bad:+ (not:$bad; run make format)}"
finish
