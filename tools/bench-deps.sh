#!/bin/sh
# The POCL peer of `make bench`: Debian's POCL CPU device behind the OpenCL
# ICD loader. Installs the packages with apt-get when run as root; otherwise
# names the exact apt-get line. Prints 1 on stdout when the OpenCL peer can
# be built and run, 0 when the bench must skip the POCL columns; messages go
# to stderr. Never fails: the MUSA and C-loop figures do not need OpenCL.
PKGS="pocl-opencl-icd ocl-icd-opencl-dev opencl-headers"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing the OpenCL peer of the bench:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	if apt-get update -qq >&2 && apt-get install -y -qq $missing >/dev/null; then
		missing=""
	else
		echo "apt-get failed" >&2
	fi
fi
if [ -n "$missing" ]; then
	echo "POCL columns skipped: missing$missing. Run as root:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	echo 0
	exit 0
fi
echo 1
