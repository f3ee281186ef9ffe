#!/bin/sh
# musa-link.sh - the link launcher of MUSAFunctions.cmake for targets whose
# link needs mcc (device link of -rdc objects). CMake runs it as
#   sh musa-link.sh MCC C++-COMPILER LINK-ARGUMENTS...
# and it runs MCC with CMake's link arguments in place of the compiler's.
# mcc links with its own host compiler (MCC_CXX, default g++).
mcc=$1
shift 2 || { echo "musa-link.sh: usage: musa-link.sh MCC COMPILER ARGS..." >&2; exit 2; }
exec "$mcc" "$@"
