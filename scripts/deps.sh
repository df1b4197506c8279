#!/bin/sh
# Install the Debian packages rtlens needs when pkg-config cannot find them.
# Used by `make deps` (and so by `make`, `make check`, `make demo`).
set -e
PKGS="libtraceevent babeltrace2 cairo fontconfig sqlite3 zlib libzstd"
DEBS="pkg-config libtraceevent-dev libbabeltrace2-dev libcairo2-dev libfontconfig-dev libsqlite3-dev zlib1g-dev libzstd-dev"
TOOLS="prove:perl make:make cc:gcc"
# `deps.sh check`: also the tools the tests run (format check, library-use check)
[ "$1" = check ] && TOOLS="$TOOLS clang-format:clang-format nm:binutils sqlite3:sqlite3 zstd:zstd gzip:gzip"
# `deps.sh fuzz`: clang and its libFuzzer runtime (make fuzz, make fuzz-smoke)
[ "$1" = fuzz ] && TOOLS="$TOOLS clang:clang"

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
if [ -z "$missing" ]; then
	for p in $PKGS; do
		pkg-config --exists "$p" || missing="$missing $p"
	done
fi
for t in $TOOLS; do
	command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t##*:}"
done
# tests/cli/compressed.t measures peak RSS with GNU time (not the shell keyword)
RT=""
[ "$1" = check ] && [ ! -x /usr/bin/time ] && RT=time && missing="$missing time"
# libFuzzer's runtime is a separate package from clang on Debian
FZ=""
if [ "$1" = fuzz ] && command -v clang >/dev/null 2>&1 &&
	[ ! -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
	FZ=libclang-rt-dev
	missing="$missing $FZ"
fi
[ -z "$missing" ] && exit 0

EXTRA=""
for t in $TOOLS; do
	command -v "${t%%:*}" >/dev/null 2>&1 || EXTRA="$EXTRA ${t##*:}"
done
EXTRA="$EXTRA $RT $FZ"
[ "$1" = fuzz ] && ! command -v clang >/dev/null 2>&1 && EXTRA="$EXTRA libclang-rt-dev"
echo "rtlens: missing:$missing; installing Debian packages: $DEBS$EXTRA perl" >&2
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
	command -v sudo >/dev/null 2>&1 || {
		echo "rtlens: not root and no sudo; install as root: apt-get install $DEBS perl" >&2
		exit 1
	}
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q --no-install-recommends $DEBS $EXTRA perl >&2
for p in $PKGS; do
	pkg-config --exists "$p" || { echo "rtlens: $p still missing after apt-get" >&2; exit 1; }
done
