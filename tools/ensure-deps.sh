#!/bin/sh
# Installs the Debian packages the build needs when run as root; otherwise
# names the exact apt-get line and fails. Used by `make run` and `make check`.
# clang/LLVM 15 development packages: mcc's front end (tools/mcc/front.cpp).
PKGS="gcc g++ make libdrm-dev libelf-dev libffi-dev libdw-dev check pkg-config binutils cmake gdb lldb-15 valgrind openmpi-bin libopenmpi-dev llvm-15-dev libclang-15-dev libclang-cpp15-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "Installing build dependencies:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq $missing >/dev/null && exit 0
	echo "apt-get failed; run: apt-get install -y$missing" >&2
	exit 1
fi
echo "Missing build dependencies. Run as root:" >&2
echo "  apt-get update && apt-get install -y$missing" >&2
exit 1
