#!/bin/sh
# port-check.sh: builds the porting targets of an untouched upstream checkout
# with musify + mcc and runs each program's own check; prints a table.
#
#   tools/port-check.sh [-B BUILD] [-w WORKDIR] [-p NAME[,NAME...]] UPSTREAM_DIR...
#
# UPSTREAM_DIR is a checkout of NVIDIA's cuda-samples (it has Samples/ and
# Common/) or of Rodinia 3.1 (it has cuda/ and common/; yuhc/gpu-rodinia).
# Give both to check every target. bandwidthTest left cuda-samples after
# v12.8: a v12.8 checkout (or any directory holding
# Samples/1_Utilities/bandwidthTest) given as well supplies it.
#
# Nothing in UPSTREAM_DIR is modified: each tree is copied into WORKDIR,
# converted there by `musify --in-place`, and built with the compile options
# of the upstream build files (cuda-samples' CMakeLists, Rodinia's
# Makefiles), nvcc replaced by mcc. Inputs that Rodinia reads from its
# separate data download come from tools/port-check/portaux (generators of
# this project), and the output of Rodinia programs with no check of their
# own is compared with a reference (docs/porting.md says which).
# Each build or run step may take PORT_CHECK_TIMEOUT seconds (default
# 1800: scan's 100 identical iterations per size run its barrier kernels as
# fibers). Exit status: 0 when every target found passed, 1 otherwise.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
W=${TMPDIR:-/tmp}/musa-port-check
ONLY=
while getopts B:w:p:h o; do
	case $o in
	B) B=$(cd "$OPTARG" && pwd) ;;
	w) W=$OPTARG ;;
	p) ONLY=",$OPTARG," ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-B BUILD] [-w WORKDIR] [-p NAMES] UPSTREAM_DIR..." >&2; exit 2; }

MCC=$B/bin/mcc
MUSIFY=$B/bin/musify
for t in "$MCC" "$MUSIFY"; do
	[ -x "$t" ] || { echo "port-check: $t not built (run make first)" >&2; exit 2; }
done
mkdir -p "$W" || exit 2
W=$(cd "$W" && pwd)
LOG=$W/logs
rm -rf "$LOG" && mkdir -p "$LOG"

CS=; CS_BW=; ROD=
for d in "$@"; do
	d=$(cd "$d" && pwd) || exit 2
	if [ -d "$d/Samples" ] && [ -d "$d/Common" ]; then
		[ -z "$CS" ] && CS=$d
		[ -z "$CS_BW" ] && [ -d "$d/Samples/1_Utilities/bandwidthTest" ] && CS_BW=$d
	elif [ -d "$d/cuda" ] && [ -d "$d/common" ]; then
		ROD=$d
	elif [ -d "$d/Samples/1_Utilities/bandwidthTest" ]; then
		CS_BW=$d
	else
		echo "port-check: $d is neither a cuda-samples nor a Rodinia checkout" >&2
		exit 2
	fi
done

# portaux: input generators and the output comparison (plain C, host only).
AUX=$W/portaux
cc -O2 -o "$AUX" "$TOP/tools/port-check/portaux.c" -lm || exit 2
FIXED_TIME=$W/fixed_time.so
cc -O2 -shared -fPIC -o "$FIXED_TIME" "$TOP/tools/port-check/fixed_time.c" || exit 2

# conversion
# One musify run per tree, so renamed headers (helper_cuda.h ->
# helper_musa.h) and the includes naming them change together.
convert() { # convert SRC DEST PATH...
	src=$1; dst=$2; shift 2
	rm -rf "$dst" && mkdir -p "$dst"
	(cd "$src" && tar cf - "$@") | (cd "$dst" && tar xf -)
	"$MUSIFY" --in-place -q "$dst" > "$LOG/musify-$(basename "$dst").txt" 2>&1
	echo $? > "$LOG/musify-$(basename "$dst").rc"
}
[ -n "$CS" ] && convert "$CS" "$W/cuda-samples" Samples Common
# bandwidthTest with the Common/ of its own checkout when it has one.
if [ -n "$CS_BW" ]; then
	common_from=$CS_BW
	[ -d "$CS_BW/Common" ] || common_from=$CS
	rm -rf "$W/cuda-samples-bw" && mkdir -p "$W/cuda-samples-bw"
	(cd "$CS_BW" && tar cf - Samples/1_Utilities/bandwidthTest) | (cd "$W/cuda-samples-bw" && tar xf -)
	[ -n "$common_from" ] && (cd "$common_from" && tar cf - Common) | (cd "$W/cuda-samples-bw" && tar xf -)
	"$MUSIFY" --in-place -q "$W/cuda-samples-bw" > "$LOG/musify-cuda-samples-bw.txt" 2>&1
fi
[ -n "$ROD" ] && convert "$ROD" "$W/rodinia" cuda common

# running one target
RESULTS=$W/results.txt
: > "$RESULTS"
fails=0

selected() { [ -z "$ONLY" ] || case $ONLY in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# record NAME WHERE RESULT DETAIL
record() {
	printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" >> "$RESULTS"
	printf '%-26s %-6s %s\n' "$1" "$3" "$4"
	[ "$3" = pass ] || fails=$((fails + 1))
}

# step NAME LOGNAME CMD...: runs a build or run step in the current
# directory, output to the log; fails the step on a non-zero status.
step() {
	_n=$1; _l=$2; shift 2
	echo "+ $*" >> "$LOG/$_n.$_l.log"
	timeout "${PORT_CHECK_TIMEOUT:-1800}" "$@" >> "$LOG/$_n.$_l.log" 2>&1
}

# cuda-samples build: the options of the samples' CMakeLists (CMake's
# CUDA_ARCHITECTURES list as --generate-code, separable compilation, C++17,
# -lineinfo, --extended-lambda) with nvcc replaced by mcc.
CS_ARCH="--generate-code=arch=compute_75,code=[compute_75,sm_75] --generate-code=arch=compute_80,code=[compute_80,sm_80] --generate-code=arch=compute_86,code=[compute_86,sm_86] --generate-code=arch=compute_90,code=[compute_90,sm_90] --generate-code=arch=compute_120,code=[compute_120,sm_120]"
cs_build() { # cs_build NAME SRCDIR-IN-PORT EXTRA-LIBS SOURCES...
	name=$1; dir=$2; libs=$3; shift 3
	cd "$dir" || return 1
	objs=
	for s in "$@"; do
		o=$(basename "$s").o
		case $s in
		*.mu) step "$name" build "$MCC" -O3 -std=c++17 -Wno-deprecated-gpu-targets -lineinfo \
			--extended-lambda $CS_ARCH -dc -I"$CSP/Common" "$s" -o "$o" || return 1 ;;
		*) step "$name" build g++ -O3 -std=c++17 -I"$B/include" -I"$CSP/Common" -c "$s" -o "$o" || return 1 ;;
		esac
		objs="$objs $o"
	done
	step "$name" build "$MCC" $CS_ARCH $objs -o "$name" $libs
}

# cs_target NAME SAMPLE-DIR PASS-REGEX LIBS SOURCES... [-- ARGS...]
cs_target() {
	name=$1; sdir=$2; pass=$3; libs=$4; shift 4
	selected "$name" || return 0
	root=$CSP
	[ "$name" = bandwidthTest ] && root=$W/cuda-samples-bw
	srcs=; args=
	while [ $# -gt 0 ]; do
		[ "$1" = -- ] && { shift; args="$*"; break; }
		srcs="$srcs $1"; shift
	done
	if [ ! -d "$root/Samples/$sdir" ]; then
		record "$name" cuda-samples missing "not in the checkouts given"; return
	fi
	( CSP=$root; cs_build "$name" "$root/Samples/$sdir" "$libs" $srcs ) ||
		{ record "$name" cuda-samples fail "build (logs/$name.build.log)"; return; }
	(cd "$root/Samples/$sdir" && step "$name" run env MUSA_SWDEV="${SWDEV:-count=2}" ./"$name" $args)
	rc=$?
	# The samples' check is their exit status (EXIT_SUCCESS; EXIT_WAIVED is
	# 2) and, where they print one, their verdict line.
	if [ $rc -eq 0 ] && ! grep -Eq 'FAIL|ERROR|[Ww]aiv' "$LOG/$name.run.log" &&
	   { [ -z "$pass" ] || grep -Eq "$pass" "$LOG/$name.run.log"; }; then
		record "$name" cuda-samples pass "exit 0${pass:+, \"$(grep -Eo "$pass" "$LOG/$name.run.log" | tail -1)\"}"
	else
		record "$name" cuda-samples fail "exit $rc (logs/$name.run.log)"
	fi
}

if [ -n "$CS" ] || [ -n "$CS_BW" ]; then
	CSP=$W/cuda-samples
	cs_target vectorAdd 0_Introduction/vectorAdd "Test PASSED" "" vectorAdd.mu
	cs_target matrixMul 0_Introduction/matrixMul "Result = PASS" "" matrixMul.mu
	cs_target reduction 2_Concepts_and_Techniques/reduction "Test passed" "" reduction.cpp reduction_kernel.mu
	cs_target simpleStreams 0_Introduction/simpleStreams "" "" simpleStreams.mu
	cs_target bandwidthTest 1_Utilities/bandwidthTest "Result = PASS" "" bandwidthTest.mu
	cs_target deviceQuery 1_Utilities/deviceQuery "Result = PASS" "" deviceQuery.cpp
	cs_target simpleAtomicIntrinsics 0_Introduction/simpleAtomicIntrinsics "completed, returned OK" "" \
		simpleAtomicIntrinsics.mu simpleAtomicIntrinsics_cpu.cpp
	cs_target simpleP2P 0_Introduction/simpleP2P "Test passed" "" simpleP2P.mu
	cs_target simpleMultiGPU 0_Introduction/simpleMultiGPU "" "" simpleMultiGPU.mu
	cs_target simpleIPC 0_Introduction/simpleIPC "" "" simpleIPC.mu ../../../Common/helper_multiprocess.cpp
	cs_target scan 2_Concepts_and_Techniques/scan "" "" main.cpp scan_gold.cpp scan.mu
	cs_target simplePrintf 0_Introduction/simplePrintf "Value is:10" "" simplePrintf.mu
	cs_target simpleVoteIntrinsics 0_Introduction/simpleVoteIntrinsics "" "" simpleVoteIntrinsics.mu
	cs_target shfl_scan 2_Concepts_and_Techniques/shfl_scan "" "" shfl_scan.mu
	cs_target convolutionSeparable 2_Concepts_and_Techniques/convolutionSeparable "Test passed" "" \
		convolutionSeparable.mu convolutionSeparable_gold.cpp main.cpp
	cs_target threadFenceReduction 2_Concepts_and_Techniques/threadFenceReduction "" "" \
		threadFenceReduction.mu
	cs_target simpleTexture 0_Introduction/simpleTexture "completed, returned OK" "" simpleTexture.mu
	cs_target streamOrderedAllocation 2_Concepts_and_Techniques/streamOrderedAllocation "PASSED" "" \
		streamOrderedAllocation.mu
	cs_target StreamPriorities 3_CUDA_Features/StreamPriorities "" "" StreamPriorities.mu
	cs_target simpleCooperativeGroups 0_Introduction/simpleCooperativeGroups "" "" \
		simpleCooperativeGroups.mu
	cs_target BlackScholes 5_Domain_Specific/BlackScholes "Test passed" "" BlackScholes.mu BlackScholes_gold.cpp
	cs_target fastWalshTransform 5_Domain_Specific/fastWalshTransform "Test passed" "" \
		fastWalshTransform.mu fastWalshTransform_gold.cpp
fi

# Rodinia
# Each target is a function: build with the flags of its Makefile (nvcc ->
# mcc, -lcuda/-lcudart -> the MUSA libraries), generate its input, run,
# check. rod_check NAME CMD... records pass when CMD succeeds.
rod_check() {
	name=$1; shift
	if step "$name" check "$@"; then
		record "$name" rodinia pass "$(tail -1 "$LOG/$name.check.log")"
	else
		record "$name" rodinia fail "check (logs/$name.check.log)"
	fi
}
rod_fail() { record "$1" rodinia fail "$2 (logs/$1.$2.log)"; }

# The upstream OpenMP build of the same program, the reference.
omp_build() { # omp_build NAME DIR CMD...
	n=$1; d=$2; shift 2
	(cd "$d" && step "$n" reference "$@")
}

ROD_MCC_LIBS="-lmusa -lmusart -lm"

rod_hotspot() {
	d=$RP/cuda/hotspot; cd "$d" || return
	step hotspot build "$MCC" hotspot.mu -o hotspot -L"$B/lib" || { rod_fail hotspot build; return; }
	"$AUX" gen-grid 512 512 1 temp_512 power_512 >/dev/null
	step hotspot run ./hotspot 512 2 2 temp_512 power_512 output.out || { rod_fail hotspot run; return; }
	step hotspot reference "$AUX" ref-hotspot 512 2 temp_512 power_512 output.ref ||
		{ rod_fail hotspot reference; return; }
	rod_check hotspot "$AUX" compare output.out output.ref 1e-4
}

rod_nw() {
	d=$RP/cuda/nw; cd "$d" || return
	step nw build "$MCC" -DTRACEBACK needle.mu -o needle || { rod_fail nw build; return; }
	step nw run ./needle 2048 10 || { rod_fail nw run; return; }
	mv result.txt result.out
	step nw reference g++ -O2 -fopenmp -DTRACEBACK -o "$W/nw_omp" "$ROD/openmp/nw/needle.cpp" ||
		{ rod_fail nw reference; return; }
	step nw reference "$W/nw_omp" 2048 10 2 || { rod_fail nw reference; return; }
	rod_check nw "$AUX" compare result.out result.txt 0
}

rod_bfs() {
	d=$RP/cuda/bfs; cd "$d" || return
	step bfs build "$MCC" bfs.mu -o bfs.out -I../util -DTIMING || { rod_fail bfs build; return; }
	"$AUX" gen-graph 65536 graph65536.txt >/dev/null
	step bfs run ./bfs.out graph65536.txt || { rod_fail bfs run; return; }
	mv result.txt result.out
	step bfs reference g++ -O2 -fopenmp -o "$W/bfs_omp" "$ROD/openmp/bfs/bfs.cpp" ||
		{ rod_fail bfs reference; return; }
	step bfs reference "$W/bfs_omp" 2 graph65536.txt || { rod_fail bfs reference; return; }
	rod_check bfs "$AUX" compare result.out result.txt 0
}

# gaussian prints its solution only when `verbose` is set, and no option
# sets it (-q clears it): it has no output to check. The run must end
# normally; tests/ports/test_gaussian.mu checks the same kernels' results.
rod_gaussian() {
	d=$RP/cuda/gaussian; cd "$d" || return
	step gaussian build "$MCC" gaussian.mu -o gaussian || { rod_fail gaussian build; return; }
	"$AUX" gen-linear 256 matrix256.txt solution256.txt >/dev/null
	step gaussian run ./gaussian -f matrix256.txt || { rod_fail gaussian run; return; }
	rod_check gaussian grep -E "^Time total" "$LOG/gaussian.run.log"
}

rod_kmeans() {
	d=$RP/cuda/kmeans; cd "$d" || return
	for c in cluster getopt kmeans kmeans_clustering rmse; do
		step kmeans build gcc -g -fopenmp -O2 -c $c.c || { rod_fail kmeans build; return; }
	done
	step kmeans build "$MCC" -O2 -c kmeans_musa.mu || { rod_fail kmeans build; return; }
	step kmeans build gcc -g -fopenmp -O2 cluster.o getopt.o kmeans.o kmeans_clustering.o kmeans_musa.o \
		rmse.o -o kmeans -L"$B/lib" -Wl,-rpath,"$B/lib" $ROD_MCC_LIBS || { rod_fail kmeans build; return; }
	"$AUX" gen-points 20000 34 5 kdd_small >/dev/null
	step kmeans run ./kmeans -o -i kdd_small || { rod_fail kmeans run; return; }
	rod_check kmeans "$AUX" check-kmeans kdd_small "$LOG/kmeans.run.log"
}

# backprop prints no result either (facetrain has no output); the run must
# end normally. tests/ports/test_backprop.mu checks its kernels.
rod_backprop() {
	d=$RP/cuda/backprop; cd "$d" || return
	for c in backprop facetrain imagenet; do
		step backprop build gcc -g -O2 -c $c.c || { rod_fail backprop build; return; }
	done
	step backprop build "$MCC" -O2 -c backprop_musa.mu || { rod_fail backprop build; return; }
	step backprop build gcc -g -O2 backprop.o facetrain.o imagenet.o backprop_musa.o -o backprop \
		-L"$B/lib" -Wl,-rpath,"$B/lib" $ROD_MCC_LIBS || { rod_fail backprop build; return; }
	step backprop run ./backprop 65536 || { rod_fail backprop run; return; }
	rod_check backprop grep -E "Training done" "$LOG/backprop.run.log"
}

# srad and the upstream OpenMP srad differ in their statistics (whole image
# vs a region), so the reference is the same port built with --no-fission
# and run on one compute unit: every thread a fiber, in order.
rod_srad() {
	d=$RP/cuda/srad/srad_v1; cd "$d" || return
	step srad_v1 build "$MCC" -O2 main.mu -o srad -lm || { rod_fail srad_v1 build; return; }
	mkdir -p ../../../data/srad
	"$AUX" gen-pgm 502 458 ../../../data/srad/image.pgm >/dev/null
	step srad_v1 run ./srad 100 0.5 502 458 || { rod_fail srad_v1 run; return; }
	mv image_out.pgm image_out.out
	step srad_v1 reference "$MCC" -O2 --no-fission main.mu -o srad_fibers -lm &&
	step srad_v1 reference env MUSA_SWDEV=cus=1 ./srad_fibers 100 0.5 502 458 ||
		{ rod_fail srad_v1 reference; return; }
	rod_check srad_v1 sh -c "'$AUX' check-pgm image_out.out 502 458 && '$AUX' compare image_out.out image_out.pgm 0"
}

rod_particlefilter() {
	d=$RP/cuda/particlefilter; cd "$d" || return
	step particlefilter_naive build "$MCC" -lm -g -O3 -use_fast_math -arch sm_13 \
		ex_particle_MUSA_naive_seq.mu -o particlefilter_naive -lmusa ||
		{ rod_fail particlefilter_naive build; return; }
	step particlefilter_naive run ./particlefilter_naive -x 128 -y 128 -z 10 -np 1000 ||
		{ rod_fail particlefilter_naive run; return; }
	rod_check particlefilter_naive "$AUX" check-particles "$LOG/particlefilter_naive.run.log" 10
}

rod_hotspot3D() {
	d=$RP/cuda/hotspot3D; cd "$d" || return
	step hotspot3D build "$MCC" -g -G 3D.mu -o 3D || { rod_fail hotspot3D build; return; }
	"$AUX" gen-grid 512 512 8 temp_512x8 power_512x8 >/dev/null
	step hotspot3D run ./3D 512 8 100 power_512x8 temp_512x8 output.out || { rod_fail hotspot3D run; return; }
	rod_check hotspot3D "$AUX" check-accuracy "$LOG/hotspot3D.run.log" 1e-3
}

rod_lavaMD() {
	d=$RP/cuda/lavaMD; cd "$d" || return
	# The makefile's steps, with its OUTPUT switch on (result.txt).
	step lavaMD build gcc -DOUTPUT main.c -c -o main.o -O3 &&
	step lavaMD build "$MCC" kernel/kernel_gpu_musa_wrapper.mu -c -o kernel/kernel_gpu_musa_wrapper.o \
		-O3 -arch sm_13 &&
	step lavaMD build gcc util/num/num.c -c -o util/num/num.o -O3 &&
	step lavaMD build gcc util/timer/timer.c -c -o util/timer/timer.o -O3 &&
	step lavaMD build "$MCC" util/device/device.mu -c -o util/device/device.o -O3 &&
	step lavaMD build gcc main.o kernel/kernel_gpu_musa_wrapper.o util/num/num.o util/timer/timer.o \
		util/device/device.o -lm -L"$B/lib" -Wl,-rpath,"$B/lib" -lmusa -lmusart -lgomp -o lavaMD ||
		{ rod_fail lavaMD build; return; }
	# Program and reference seed rand() with time(NULL): fix the clock.
	step lavaMD run env LD_PRELOAD="$FIXED_TIME" ./lavaMD -boxes1d 10 || { rod_fail lavaMD run; return; }
	mv result.txt result.out
	(cd "$ROD/openmp/lavaMD" && step lavaMD reference gcc -O2 -fopenmp -DOUTPUT -o "$W/lavaMD_omp" main.c \
		kernel/kernel_cpu.c util/num/num.c util/timer/timer.c -lm) || { rod_fail lavaMD reference; return; }
	step lavaMD reference env LD_PRELOAD="$FIXED_TIME" "$W/lavaMD_omp" -cores 2 -boxes1d 10 || { rod_fail lavaMD reference; return; }
	rod_check lavaMD "$AUX" compare result.out result.txt 1e-3
}

# cfd includes the CUDA SDK's helper_cuda.h/helper_timer.h: from the
# converted cuda-samples Common/, so it needs that checkout too.
rod_cfd() {
	d=$RP/cuda/cfd; cd "$d" || return
	[ -d "$W/cuda-samples/Common" ] || { record cfd rodinia fail "needs a cuda-samples checkout for Common/"; return; }
	step cfd build "$MCC" -O2 -Xptxas -v --gpu-architecture=compute_20 --gpu-code=compute_20 euler3d.mu \
		-o euler3d -I"$W/cuda-samples/Common" || { rod_fail cfd build; return; }
	"$AUX" gen-mesh 20000 mesh.domn >/dev/null
	step cfd run ./euler3d mesh.domn || { rod_fail cfd run; return; }
	for f in density momentum density_energy; do tail -n +2 $f > $f.out; done
	step cfd reference g++ -O3 -Dblock_length=8 -fopenmp -o "$W/cfd_omp" "$ROD/openmp/cfd/euler3d_cpu.cpp" ||
		{ rod_fail cfd reference; return; }
	step cfd reference "$W/cfd_omp" mesh.domn || { rod_fail cfd reference; return; }
	# The first line holds the padded element count, which differs.
	for f in density momentum density_energy; do tail -n +2 $f > $f.ref; done
	rod_check cfd sh -c "'$AUX' compare density.out density.ref 1e-3 && '$AUX' compare momentum.out momentum.ref 1e-3 &&
		'$AUX' compare density_energy.out density_energy.ref 1e-3"
}

if [ -n "$ROD" ]; then
	RP=$W/rodinia
	for t in hotspot nw bfs gaussian kmeans backprop srad_v1 particlefilter_naive hotspot3D lavaMD cfd; do
		selected "$t" || continue
		case $t in
		srad_v1) (rod_srad) ;;
		particlefilter_naive) (rod_particlefilter) ;;
		*) (rod_$t) ;;
		esac
	done
fi

# table
echo
echo "| program | from | result | check |"
echo "|---|---|---|---|"
cat "$RESULTS"
echo
echo "logs: $LOG"
[ "$(grep -c '| pass |' "$RESULTS")" -eq "$(wc -l < "$RESULTS")" ]
