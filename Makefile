# Top-level build of the MUSA-style software stack.
#
#   make            build everything into $(BUILD)/
#   make run        install missing build deps (as root), build, run the samples
#   make check      install missing build deps (as root), build, run all tests
#   make check-asan / check-tsan   the suite under sanitizers (own build dirs)
#   make bench      benchmarks against a C loop and POCL (docs/bench.md)
#   make install PREFIX=/usr/local
#
# Layout of $(BUILD): lib/ (libmusart, libmusa, libmusa_kmd, libmusa_device.a),
# include/ (public and device headers), bin/mcc, samples/, tests/.

BUILD   ?= build
# run, check, check-asan/tsan and bench build with one job per core unless
# make already got -j
JOBS    ?= $(shell nproc 2>/dev/null || echo 1)
SUBJ     = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS))
PREFIX  ?= /usr/local
CC      ?= gcc
CXX     ?= g++
SAN     ?=
OPT     ?= -O2
V       ?= 0

ifeq ($(V),0)
Q := @
else
Q :=
endif

ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin CXX),default)
CXX := g++
endif

SOVERSION := 1
VERSION   := 1.0.0

TOP       := $(abspath .)
B         := $(abspath $(BUILD))
DRM_CFLAGS := $(shell pkg-config --cflags libdrm 2>/dev/null || echo -I/usr/include/libdrm)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

WARN      := -Wall -Wextra
# Check's START_TEST and handler-style test helpers leave parameters unused.
TEST_WARN := $(WARN) -Wno-unused-parameter -Wno-missing-field-initializers
BASE_CFLAGS := $(OPT) -g -std=gnu11 $(WARN) -fPIC -fvisibility=hidden -pthread \
               -I$(TOP)/include -I$(TOP)/lib/log $(DRM_CFLAGS) $(SAN)
LIB_LDFLAGS := -shared -pthread -Wl,--no-undefined -Wl,-z,defs -Wl,-rpath,'$$$$ORIGIN' $(SAN)

# Sources
# the stack's logger (lib/log/musa_log.h): a private copy in each library
LOG_SRC    := lib/log/musa_log.c
KMD_SRC    := $(wildcard kmd-shim/*.c)
UMD_SRC    := $(wildcard umd/*.c)
RT_SRC     := $(wildcard runtime/*.c)
MCCL_SRC   := $(wildcard runtime/mccl/*.c)
DEVRT_SRC  := $(wildcard compiler-rt/*.c) $(wildcard compiler-rt/*.S)
CODEOBJ_SRC:= $(wildcard lib/codeobj/*.c)
MCC_SRC    := $(wildcard tools/mcc/*.c)
MCC_CXXSRC := $(wildcard tools/mcc/*.cpp)
MUSIFY_SRC := $(wildcard tools/musify/*.c)
SMI_SRC    := $(wildcard tools/smi/*.c)
PUB_HDRS   := $(wildcard include/*.h) $(wildcard include/uapi/*.h)
DEV_HDRS   := $(wildcard compiler-rt/include/*.h)
# Headers under CUDA's subdirectory names (cooperative_groups/reduce.h, ...).
DEV_SUBHDRS:= $(wildcard compiler-rt/include/*/*.h)

obj = $(patsubst %,$(B)/obj/%.o,$(1))

LOG_OBJ    := $(call obj,$(LOG_SRC))
DEVLOG_OBJ := $(B)/obj/device-log/musa_log.c.o
KMD_OBJ    := $(call obj,$(KMD_SRC))
UMD_OBJ    := $(call obj,$(UMD_SRC))
RT_OBJ     := $(call obj,$(RT_SRC))
MCCL_OBJ   := $(call obj,$(MCCL_SRC))
DEVRT_OBJ  := $(call obj,$(DEVRT_SRC))
CODEOBJ_OBJ:= $(call obj,$(CODEOBJ_SRC))
MCC_OBJ    := $(call obj,$(MCC_SRC) $(MCC_CXXSRC))
MUSIFY_OBJ := $(call obj,$(MUSIFY_SRC))
SMI_OBJ    := $(call obj,$(SMI_SRC))

LIBKMD   := $(B)/lib/libmusa_kmd.so
LIBMUSA  := $(B)/lib/libmusa.so
LIBMUSART:= $(B)/lib/libmusart.so
LIBMCCL  := $(B)/lib/libmccl.so
# MCCL's MPI transport and the MPI test program: built when OpenMPI is there
MPICC    ?= $(shell command -v mpicc 2>/dev/null)
LIBMCCLMPI := $(if $(MPICC),$(B)/lib/libmccl_mpi.so)
MPI_RANKS  := $(if $(MPICC),$(B)/tests/mccl/mpi_ranks)
LIBDEV   := $(B)/lib/libmusa_device.a
LIBCO    := $(B)/lib/libmusa_codeobj.a
MCC      := $(B)/bin/mcc
MUSIFY   := $(B)/bin/musify
SMI      := $(B)/bin/musa-smi
MEMCHECK := $(B)/bin/musa-memcheck
# mccl-tests: one program per operation, from one source
MCCL_PERF_OPS := all_reduce all_gather broadcast reduce_scatter sendrecv
MCCL_PERF := $(patsubst %,$(B)/bin/%_perf,$(MCCL_PERF_OPS)) \
	$(if $(MPICC),$(patsubst %,$(B)/bin/%_perf_mpi,$(MCCL_PERF_OPS)))
HDR_STAMP:= $(B)/include/.stamp

# drm-shim mode: LD_PRELOAD library that serves /dev/dri/renderD128 (+ sysfs)
DRMSHIM_SRC := $(wildcard kmd-shim/drm_shim/*.c)
DRMSHIM_OBJ := $(call obj,$(DRMSHIM_SRC))
LIBDRMSHIM  := $(B)/lib/libmusa_drm_shim.so

LIBS := $(LIBKMD) $(LIBMUSA) $(LIBMUSART) $(LIBDEV) $(if $(DRMSHIM_SRC),$(LIBDRMSHIM))

.SECONDEXPANSION:

.PHONY: all deps run check check-asan check-tsan bench install clean samples tests fuzz
.DEFAULT_GOAL := all

all: $(LIBS) $(LIBMCCL) $(LIBMCCLMPI) $(MCCL_PERF) $(MPI_RANKS) $(MCC) $(MUSIFY) $(SMI) $(MEMCHECK) $(HDR_STAMP) samples tests

deps:
	$(Q)sh tools/ensure-deps.sh

# Each layer's files log under its own category (CHECK() in musa_log.h).
$(KMD_OBJ): LOG_SELF := MUSA_LOG_KMD
$(DRMSHIM_OBJ): LOG_SELF := MUSA_LOG_SHIM
$(UMD_OBJ): LOG_SELF := MUSA_LOG_DRIVER
$(RT_OBJ) $(MCCL_OBJ): LOG_SELF := MUSA_LOG_RUNTIME
$(DEVRT_OBJ): LOG_SELF := MUSA_LOG_DEVICE

# Compile rules
$(B)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(BASE_CFLAGS) $(if $(LOG_SELF),-DMUSA_LOG_SELF=$(LOG_SELF)) -MMD -MP -I$(dir $<) \
		-c $< -o $@

$(B)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) -fPIC $(SAN) -c $< -o $@

# compiler-rt is linked into every device code object: no sanitizer, PIC.
DEVRT_CFLAGS := $(OPT) -g -std=gnu11 $(WARN) -fPIC -fvisibility=hidden -pthread -MMD -MP \
	-I$(TOP)/include -I$(TOP)/lib/log -Icompiler-rt/include
$(B)/obj/compiler-rt/%.c.o: compiler-rt/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(DEVRT_CFLAGS) -DMUSA_LOG_SELF=$(LOG_SELF) -c $< -o $@
$(DEVLOG_OBJ): $(LOG_SRC)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (device)"
	$(Q)$(CC) $(DEVRT_CFLAGS) -c $< -o $@
$(B)/obj/compiler-rt/%.S.o: compiler-rt/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) -fPIC -c $< -o $@

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Libraries
$(LIBCO): $(CODEOBJ_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBDEV): $(DEVRT_OBJ) $(DEVLOG_OBJ)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

define shlib
$(1): $(2) | $(3)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(CC) $(LIB_LDFLAGS) -Wl,-soname,$(notdir $(1)).$(SOVERSION) -o $(1).$(VERSION) $(2) $(4)
	$(Q)ln -sf $(notdir $(1)).$(VERSION) $(1).$(SOVERSION)
	$(Q)ln -sf $(notdir $(1)).$(SOVERSION) $(1)
endef

$(eval $(call shlib,$(LIBKMD),$(KMD_OBJ) $(LOG_OBJ) $(LIBCO),,-lelf -lffi -ldl -lpthread))
$(eval $(call shlib,$(LIBMUSA),$(UMD_OBJ) $(LOG_OBJ) $(LIBCO),$(LIBKMD),-L$(B)/lib -lmusa_kmd -ldrm -ldw -lelf -lpthread))
$(eval $(call shlib,$(LIBMUSART),$(RT_OBJ) $(LOG_OBJ),$(LIBMUSA),-L$(B)/lib -lmusa -lpthread))
$(eval $(call shlib,$(LIBMCCL),$(MCCL_OBJ),$(LIBMUSART),-L$(B)/lib -lmusart -lmusa -lpthread))
$(eval $(call shlib,$(LIBDRMSHIM),$(DRMSHIM_OBJ) $(LOG_OBJ),$(LIBKMD),-L$(B)/lib -lmusa_kmd -ldl -lpthread))

$(HDR_STAMP): $(PUB_HDRS) $(DEV_HDRS) $(DEV_SUBHDRS)
	@mkdir -p $(B)/include/uapi
	$(Q)cp include/*.h $(B)/include/
	$(Q)cp include/uapi/*.h $(B)/include/uapi/
	$(Q)if [ -n "$(DEV_HDRS)" ]; then cp $(DEV_HDRS) $(B)/include/; fi
	$(Q)for h in $(DEV_SUBHDRS); do d=$${h#compiler-rt/include/}; \
		mkdir -p $(B)/include/$${d%/*} && cp $$h $(B)/include/$$d || exit 1; done
	$(Q)touch $@

# mcc is a host tool, built without the sanitizers even in sanitizer builds:
# a short-lived driver whose allocations end with the process.
$(B)/obj/tools/mcc/%.c.o: tools/mcc/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(filter-out $(SAN),$(BASE_CFLAGS)) -DMCC_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

# mcc's front end (front.cpp) is clang: built against Debian's clang/LLVM
# 15 development packages (tools/ensure-deps.sh installs them).
LLVM_CONFIG ?= llvm-config-15
LLVM_LIBDIR := $(shell $(LLVM_CONFIG) --libdir 2>/dev/null)
CLANG_RES   := $(shell $(LLVM_CONFIG) --bindir 2>/dev/null)/../lib/clang/$(shell $(LLVM_CONFIG) --version 2>/dev/null)
$(B)/obj/tools/mcc/%.cpp.o: tools/mcc/%.cpp
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	$(Q)$(CXX) -O1 -std=c++17 -fPIC -fno-exceptions -fno-rtti -Wall -Wextra -Wno-unused-parameter \
		-I$(shell $(LLVM_CONFIG) --includedir) -I$(TOP)/include \
		-DMCC_CLANG_RESOURCE_DIR='"$(abspath $(CLANG_RES))"' \
		-DMCC_GCC_INCLUDE_DIR='"$(shell $(CC) -print-file-name=include)"' -MMD -MP -c $< -o $@

$(MCC): $(MCC_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) -o $@ $^ -L$(LLVM_LIBDIR) -lclang-cpp -lLLVM-15 -Wl,-rpath,$(LLVM_LIBDIR)

# musify (CUDA <-> MUSA sources) is a host tool like mcc; it reads the
# headers of $(B)/include at run time.
$(B)/obj/tools/musify/%.c.o: tools/musify/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(filter-out $(SAN),$(BASE_CFLAGS)) -DMUSIFY_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(MUSIFY): $(MUSIFY_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) -o $@ $^

# musa-smi (docs/smi.md) is a driver-API program: it loads libmusa, so it is
# built with the build's sanitizer, and finds the library as ../lib.
$(B)/obj/tools/smi/%.c.o: tools/smi/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(BASE_CFLAGS) -DSMI_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(SMI): $(SMI_OBJ) $(LIBMUSA)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) -o $@ $(SMI_OBJ) -L$(B)/lib -Wl,-rpath,'$$ORIGIN/../lib' -lmusa $(SAN)

$(MEMCHECK): tools/musa-memcheck
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# mcc as the build uses it: flags that must reach the host program too.
MCC_RUN := $(MCC) $(SAN)
TOOLCHAIN := $(LIBS) $(MCC) $(HDR_STAMP)

# Samples
SAMPLE_DIRS := $(patsubst samples/%/,%,$(sort $(dir $(wildcard samples/*/))))
SAMPLE_BINS := $(patsubst %,$(B)/samples/%,$(SAMPLE_DIRS))
-include $(wildcard samples/*/sample.mk)

samples: $(SAMPLE_BINS)

# Default rule: a sample is the .mu/.cu files of its directory built by mcc.
$(B)/samples/%: $(TOOLCHAIN) $$(wildcard samples/$$*/*.mu samples/$$*/*.cu samples/$$*/*.h)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 $(filter %.mu %.cu,$^) -o $@

# Tests
# tests/<area>/test_*.c   : a Check program linked with the layer's public library
# tests/<area>/test_*.mu  : a Check program built with mcc (runtime-level tests)
# tests/<area>/*.kern.mu  : device code objects built with mcc --device-only
TEST_C    := $(wildcard tests/*/test_*.c)
TEST_MU   := $(wildcard tests/*/test_*.mu)
TEST_KERN := $(wildcard tests/*/*.kern.mu)
TEST_BINS := $(patsubst %.c,$(B)/%,$(TEST_C)) $(patsubst %.mu,$(B)/%,$(TEST_MU))
TEST_MUBINS := $(patsubst %.kern.mu,$(B)/%.mubin,$(TEST_KERN))
# tests/<area>/*.kern.c   : hand-written code objects (no mcc), for the lower layers;
#                           linked like mcc's, without the C start files
TEST_KERNC  := $(wildcard tests/*/*.kern.c)
TEST_MUBINS += $(patsubst %.kern.c,$(B)/%.so,$(TEST_KERNC))
TEST_CFLAGS := $(OPT) -g -std=gnu11 $(TEST_WARN) -pthread -I$(TOP)/include $(DRM_CFLAGS) \
	-DTEST_BUILD_DIR='"$(B)"' -DTEST_SRC_DIR='"$(TOP)"' -DTEST_SAN_FLAGS='"$(SAN)"' $(SAN)
TEST_LDFLAGS := -L$(B)/lib -Wl,-rpath,$(B)/lib $(SAN)

tests: $(TEST_BINS) $(TEST_MUBINS)

# Which library a C test links is given by its directory.
TEST_LIB_kmd      := -lmusa_kmd
TEST_LIB_umd      := -lmusa
TEST_LIB_runtime  := -lmusart
TEST_LIB_mcc      :=
TEST_LIB_layering := -lelf
TEST_LIB_bench    := -lmusart
TEST_LIB_drmshim  :=
TEST_LIB_fault    := -lmusart
TEST_LIB_porting  :=
TEST_LIB_musify   :=
TEST_LIB_cmake    :=
TEST_LIB_debug    :=
TEST_LIB_tools    :=
TEST_LIB_mccl     := -lmccl -lmusart
MCCL_PERF_DEF_all_reduce     := OP_ALLREDUCE
MCCL_PERF_DEF_all_gather     := OP_ALLGATHER
MCCL_PERF_DEF_broadcast      := OP_BROADCAST
MCCL_PERF_DEF_reduce_scatter := OP_REDUCESCATTER
MCCL_PERF_DEF_sendrecv       := OP_SENDRECV
$(B)/lib/libmccl_mpi.so: runtime/mccl/mpi/mpi.c runtime/mccl/reduce.c runtime/mccl/mccl_int.h \
		$(HDR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  MPICC   $@"
	$(Q)$(MPICC) $(BASE_CFLAGS) -shared -Wl,--no-undefined -Wl,-soname,libmccl_mpi.so.1 \
		-o $@.1.0.0 runtime/mccl/mpi/mpi.c runtime/mccl/reduce.c $(SAN)
	$(Q)ln -sf libmccl_mpi.so.1.0.0 $@.1
	$(Q)ln -sf libmccl_mpi.so.1 $@
$(B)/tests/mccl/test_mccl: $(MPI_RANKS) $(LIBMCCLMPI)
$(B)/tests/mccl/mpi_ranks: tests/mccl/mpi_ranks.c tests/mccl/mccl_checks.h $(LIBMCCL) $(HDR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  MPICC   $@"
	$(Q)$(MPICC) $(TEST_CFLAGS) -o $@ $< $(TEST_LDFLAGS) -lmccl -lmusart
# with OpenMPI, all_reduce_perf_mpi & co.: one rank per MPI process, and the
# all-reduce beside MPI_Allreduce on the same buffers
$(B)/bin/%_perf_mpi: tools/mccl-tests/perf.c $(LIBMCCL) $(LIBMCCLMPI) $(HDR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  MPICC   $@"
	$(Q)$(MPICC) $(BASE_CFLAGS) -DMCCL_PERF_MPI -DMCCL_PERF_OP=$(MCCL_PERF_DEF_$*) -o $@ $< \
		-L$(B)/lib -Wl,-rpath,'$$ORIGIN/../lib' -lmccl -lmusart -lm
$(B)/bin/%_perf: tools/mccl-tests/perf.c $(LIBMCCL) $(HDR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(BASE_CFLAGS) -DMCCL_PERF_OP=$(MCCL_PERF_DEF_$*) -o $@ $< -L$(B)/lib \
		-Wl,-rpath,'$$ORIGIN/../lib' -lmccl -lmusart -lm
$(B)/tests/mccl/test_mccl: $(LIBMCCL)

# The suites that run musify need it built.
$(B)/tests/musify/test_musify $(B)/tests/porting/test_porting: $(MUSIFY)
# tests/tools/test_smi runs musa-smi against processes of smi_worker.mu.
$(B)/tests/tools/test_smi: $(SMI) $(B)/tests/tools/smi_worker
$(B)/tests/tools/smi_worker: tests/tools/smi_worker.mu $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 $< -o $@

$(B)/tests/%: tests/%.c $(TOOLCHAIN) $(wildcard tests/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(TEST_CFLAGS) -I$(dir $<) -o $@ $< $(TEST_LDFLAGS) \
		$(TEST_LIB_$(firstword $(subst /, ,$*))) -ldrm $(CHECK_LIBS)

# test_mcc_programs is the second half of test_mcc's programs (the same source).
$(B)/tests/mcc/test_mcc_programs: tests/mcc/test_mcc.c

# Suites that make the shim's allocations fail (kmd-shim/alloc.c) link its
# objects statically: libmusa_kmd.so exports only the door.
KMD_STATIC_TESTS := $(B)/tests/kmd/test_submit_alloc $(B)/tests/kmd/test_uapi_errno
$(KMD_STATIC_TESTS): $(B)/tests/kmd/%: tests/kmd/%.c $(KMD_OBJ) $(LOG_OBJ) $(LIBCO) $(TOOLCHAIN) \
		$(wildcard tests/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(TEST_CFLAGS) -I$(dir $<) -o $@ $< $(KMD_OBJ) $(LOG_OBJ) $(LIBCO) $(TEST_LDFLAGS) \
		-lelf -lffi -ldl -ldrm $(CHECK_LIBS)

$(B)/tests/%: tests/%.mu $(TOOLCHAIN) $(wildcard tests/*/*.h)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 --offload-arch=sm_80,mp_21 -I$(dir $<) -DTEST_BUILD_DIR='"$(B)"' \
		-DTEST_SRC_DIR='"$(TOP)"' $< -o $@ $(CHECK_LIBS)

$(B)/tests/%.mubin: tests/%.kern.mu $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 --device-only $< -o $@

$(B)/tests/%.so: tests/%.kern.c $(LIBDEV) $(HDR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -O2 -std=gnu11 -fPIC -shared -nostartfiles -fvisibility=hidden -I$(TOP)/include \
		-Icompiler-rt/include -o $@ $< $(LIBDEV) $(KERN_LIBS)
# a code object with a dependency the driver refuses (tests/umd/test_module.c)
$(B)/tests/umd/needed.so: KERN_LIBS := -Wl,--no-as-needed -lelf

# Conformance suite (tests/conformance, docs/conformance.md)
# Every tests/conformance/*.c is one API area of musa-cts; cts_kernels.mu holds
# the kernels it launches, built into the program and, device-only, into the
# module the driver-API tests load.
CTS_SRC    := $(wildcard tests/conformance/*.c)
CTS_OBJ    := $(patsubst %.c,$(B)/obj/%.c.o,$(CTS_SRC))
CTS        := $(B)/bin/musa-cts
CTS_MODULE := $(B)/tests/conformance/cts_kernels.mubin

$(B)/obj/tests/conformance/%.c.o: tests/conformance/%.c tests/conformance/cts.h $(HDR_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(TEST_CFLAGS) -MMD -MP -Itests/conformance \
		-DCTS_MODULE_PATH='"$(CTS_MODULE)"' -c $< -o $@

$(CTS): $(CTS_OBJ) tests/conformance/cts_kernels.mu $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 -Itests/conformance tests/conformance/cts_kernels.mu $(CTS_OBJ) \
		-o $@ -L$(B)/lib -lmusa $(CHECK_LIBS)

$(CTS_MODULE): tests/conformance/cts_kernels.mu $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 --device-only -DCTS_KERNELS_DEVICE_ONLY $< -o $@

tests: $(CTS) $(CTS_MODULE)

# The suite compiled against CUDA (CUDA_HOME, default /usr/local/cuda), and
# docs/api-coverage.md from the headers and the built libraries.
.PHONY: cts-cuda api-coverage
cts-cuda:
	$(Q)CC="$(CC)" CXX="$(CXX)" sh tools/cts-cuda.sh $(B)
api-coverage:
	$(Q)sh tools/api-coverage.sh $(B)

# Top-level commands
run: deps
	$(Q)$(MAKE) --no-print-directory $(SUBJ) all
	$(Q)sh tools/run-samples.sh $(B)

check: deps
	$(Q)$(MAKE) --no-print-directory $(SUBJ) all
	$(Q)sh tools/run-tests.sh $(B)

check-asan: deps
	$(Q)$(MAKE) --no-print-directory $(SUBJ) BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" all
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		sh tools/run-tests.sh $(abspath build-asan)

check-tsan: deps
	$(Q)$(MAKE) --no-print-directory $(SUBJ) BUILD=build-tsan OPT=-O1 SAN="-fsanitize=thread" all
	$(Q)TSAN_OPTIONS="suppressions=$(abspath tools/tsan.supp) $$TSAN_OPTIONS" \
		TEST_EXCLUDE='/tests/ports/test_reduction$$' sh tools/run-tests.sh $(abspath build-tsan)

# The peers are plain C built with the same optimization as the MUSA side;
# the POCL one only when tools/bench-deps.sh finds OpenCL (BENCH_OPENCL=1),
# and the stamp relinks the bench when that changes. See docs/bench.md.
# `make bench BENCH_CSV=file` also writes the rows as CSV.
bench: deps
	$(Q)$(MAKE) --no-print-directory $(SUBJ) all
	$(Q)ocl=$$(sh tools/bench-deps.sh) && \
		$(MAKE) --no-print-directory BENCH_OPENCL=$$ocl $(B)/bench/musa-bench && \
		$(B)/bench/musa-bench $(if $(BENCH_CSV),--csv $(abspath $(BENCH_CSV)))

BENCH_OPENCL ?= 0
BENCH_OBJ := $(call obj,bench/check.c bench/peer_cloop.c bench/peer_omp.c \
	$(if $(filter 1,$(BENCH_OPENCL)),bench/peer_ocl.c))
BENCH_STAMP := $(B)/bench/.opencl-$(BENCH_OPENCL)

$(B)/obj/bench/%.c.o: bench/%.c bench/bench.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) -O3 -g -std=gnu11 $(WARN) -pthread $(if $(filter %peer_omp.c,$<),-fopenmp) -c $< -o $@

$(BENCH_STAMP):
	@mkdir -p $(dir $@)
	$(Q)rm -f $(B)/bench/.opencl-*
	$(Q)touch $@

$(B)/bench/musa-bench: $(wildcard bench/*.mu) bench/bench.h $(BENCH_OBJ) $(BENCH_STAMP) $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O3 $(WARN) $(filter %.mu %.o,$^) $(if $(filter 1,$(BENCH_OPENCL)),-lOpenCL) \
		-lgomp -lpthread -o $@

# libFuzzer harnesses (clang): make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 60
fuzz: deps
	$(Q)sh tools/fuzz.sh $(FUZZ_SECONDS)

install: all
	$(Q)sh tools/install.sh $(B) $(DESTDIR)$(PREFIX) $(VERSION)

clean:
	rm -rf $(B) build-asan build-tsan

