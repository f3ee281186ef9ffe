#!/bin/sh
# Installs a build tree: tools/install.sh BUILD PREFIX VERSION
# Libraries go to PREFIX/lib, headers to PREFIX/include, mcc to PREFIX/bin,
# pkg-config files to PREFIX/lib/pkgconfig. mcc finds ../include and ../lib
# relative to itself, so the tree is relocatable.
set -eu
B=$1; P=$2; VER=$3
mkdir -p "$P/lib/pkgconfig" "$P/include/uapi" "$P/bin"
for l in libmusart libmusa libmusa_kmd; do
	cp -P "$B/lib/$l.so" "$B/lib/$l.so.1" "$B/lib/$l.so.$VER" "$P/lib/"
done
cp "$B/lib/libmusa_device.a" "$P/lib/"
cp "$B"/include/*.h "$P/include/"
cp "$B"/include/uapi/*.h "$P/include/uapi/"
cp "$B/bin/mcc" "$P/bin/mcc"
for pc in musart musa; do
	case $pc in
	musart) desc="MUSA runtime API"; libs="-lmusart";;
	musa)   desc="MUSA driver API";  libs="-lmusa";;
	esac
	cat > "$P/lib/pkgconfig/$pc.pc" <<PC
prefix=$P
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: $pc
Description: $desc (software device)
Version: $VER
Libs: -L\${libdir} -Wl,-rpath,\${libdir} $libs
Cflags: -I\${includedir}
PC
done
echo "Installed into $P"
