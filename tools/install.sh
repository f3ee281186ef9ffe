#!/bin/sh
# Installs a build tree: tools/install.sh BUILD PREFIX VERSION
# Libraries go to PREFIX/lib, headers to PREFIX/include, mcc, musify and
# musa-smi to PREFIX/bin, pkg-config files to PREFIX/lib/pkgconfig, the CMake
# package (find_package(MUSA), tools/cmake) to PREFIX/lib/cmake/MUSA. mcc
# finds ../include and ../lib relative to itself, musa-smi ../lib, and the
# CMake package its prefix relative to itself, so the tree is relocatable.
set -eu
B=$1; P=$2; VER=$3
SRC=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$P/lib/pkgconfig" "$P/lib/cmake/MUSA" "$P/include/uapi" "$P/bin"
for l in libmusart libmusa libmusa_kmd libmccl; do
	cp -P "$B/lib/$l.so" "$B/lib/$l.so.1" "$B/lib/$l.so.$VER" "$P/lib/"
done
# MCCL's MPI transport, when OpenMPI was there to build it
if [ -f "$B/lib/libmccl_mpi.so.1.0.0" ]; then
	cp -P "$B/lib/libmccl_mpi.so" "$B/lib/libmccl_mpi.so.1" "$B/lib/libmccl_mpi.so.1.0.0" "$P/lib/"
fi
cp "$B/lib/libmusa_device.a" "$P/lib/"
cp "$B"/include/*.h "$P/include/"
cp "$B"/include/uapi/*.h "$P/include/uapi/"
# Device headers under CUDA's subdirectory names (cooperative_groups/...).
for d in "$B"/include/*/; do
	n=$(basename "$d")
	[ "$n" = uapi ] && continue
	mkdir -p "$P/include/$n"
	cp "$d"*.h "$P/include/$n/"
done
cp "$B/bin/mcc" "$P/bin/mcc"
cp "$B/bin/musify" "$P/bin/musify"
cp "$B/bin/musa-smi" "$P/bin/musa-smi"
cp "$B/bin/musa-memcheck" "$P/bin/musa-memcheck"
for pc in musart musa; do
	case $pc in
	musart) desc="MUSA runtime API"; libs="-lmusart";;
	musa)   desc="MUSA driver API";  libs="-lmusa";;
	esac
	# prefix from the file's own place (pkg-config's pcfiledir), so that a
	# moved tree or a DESTDIR staging install stays right
	cat > "$P/lib/pkgconfig/$pc.pc" <<PC
prefix=\${pcfiledir}/../..
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: $pc
Description: $desc (software device)
Version: $VER
Libs: -L\${libdir} -Wl,-rpath,\${libdir} $libs
Cflags: -I\${includedir}
PC
done
for f in MUSAConfig MUSAConfigVersion; do
	sed "s|@MUSA_VERSION@|$VER|g" "$SRC/cmake/$f.cmake.in" > "$P/lib/cmake/MUSA/$f.cmake"
done
cp "$SRC/cmake/MUSATargets.cmake" "$SRC/cmake/MUSAFunctions.cmake" \
	"$SRC/cmake/musa-link.sh" "$P/lib/cmake/MUSA/"
echo "Installed into $P"
