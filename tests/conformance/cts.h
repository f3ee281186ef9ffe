/* SPDX-License-Identifier: MIT */
/*
 * cts.h - the conformance suite's harness (tests/conformance/, musa-cts).
 *
 * One file per API area. A test is written as
 *
 *     CTS_TEST(memory, malloc_zero_size)
 *     {
 *             void *p = (void *)1;
 *             ck_assert_int_eq(musaMalloc(&p, 0), musaSuccess);
 *     }
 *
 * and is known to the runner as "memory/malloc_zero_size"; names must be
 * unique within an area. Tests use Check's ck_assert* macros and run in a
 * forked child each (CK_FORK=no runs them in-process), so a test may leave
 * the process in any state. CTS_SKIP("why") ends a test as skipped (the
 * feature is absent on the implementation under test, e.g. only one
 * device); CTS_REQUIRE_DEVICES(n) skips unless n devices are visible.
 *
 * The same sources build against CUDA: with -DCTS_CUDA the musa and mu
 * names are mapped to CUDA's by the generated cts_cuda_map.h (see
 * docs/conformance.md). Use only names that exist in both APIs in such
 * tests; MUSA-only behaviour goes under #ifndef CTS_CUDA.
 */
#ifndef CTS_H
#define CTS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef CTS_CUDA
#include "cts_cuda_map.h"
#else
#include "musa.h"
#include "musa_runtime_api.h"
#endif

#if defined(__cplusplus)
extern "C" {
#endif

/* Registers a test (called by CTS_TEST's constructor). */
void cts_register(const char *area, const TTest *test);

/* Number of devices the runtime sees (0 when it reports none or fails). */
int cts_device_count(void);

/* Driver-API set-up: muInit(0), then the primary context of device 0
 * retained and made current (asserts success). */
MUcontext cts_drv_init(void);

/* Kernels of cts_kernels.mu, as host stubs (for musaLaunchKernel, graph
 * kernel nodes, musaFuncGetAttributes ...):
 *   fill(int *p, int v, int n)          p[i] = v  for i < n
 *   add(int *p, int v, int n)           p[i] += v for i < n
 *   wait_flag(volatile int *flag, int *out)   spins until *flag != 0 (at most
 *        about 10 s), then *out = 1; *flag must be host memory the device can
 *        read (musaHostAlloc ... Mapped), to test NotReady states.
 * The launch helpers use 256-thread blocks and return musaGetLastError(). */
const void *cts_kernel_fill(void);
const void *cts_kernel_add(void);
const void *cts_kernel_wait_flag(void);
musaError_t cts_launch_fill(int *p, int v, int n, musaStream_t s);
musaError_t cts_launch_add(int *p, int v, int n, musaStream_t s);
musaError_t cts_launch_wait_flag(volatile int *flag, int *out, musaStream_t s);

/* Path of a file of the build (the code object of driver-API tests), or NULL
 * when the implementation under test has none (such tests CTS_SKIP). The
 * environment variable MUSA_CTS_MODULE overrides the built-in path. The
 * module holds the kernels above under the names "cts_fill", "cts_add" and
 * "cts_wait_flag". */
const char *cts_module_path(void);

#if defined(__cplusplus)
}
#endif

#define CTS_TEST(area, name)                                                      \
	static void cts_##area##_##name##_fn(int _i CK_ATTRIBUTE_UNUSED);            \
	static const TTest cts_##area##_##name##_tt = {                               \
		#area "/" #name, cts_##area##_##name##_fn, __FILE__, __LINE__ };      \
	__attribute__((constructor)) static void cts_##area##_##name##_reg(void)     \
	{                                                                             \
		cts_register(#area, &cts_##area##_##name##_tt);                        \
	}                                                                             \
	static void cts_##area##_##name##_fn(int _i CK_ATTRIBUTE_UNUSED)

/* Ends the test as skipped; the runner counts it apart from failures. */
#define CTS_SKIP_PREFIX "SKIP: "
#define CTS_SKIP(...) ck_abort_msg(CTS_SKIP_PREFIX __VA_ARGS__)

#define CTS_REQUIRE_DEVICES(n)                                                    \
	do {                                                                          \
		if (cts_device_count() < (n))                                         \
			CTS_SKIP("needs %d devices, %d visible", (n), cts_device_count()); \
	} while (0)

/* Asserts an exact runtime / driver result, printing both names. */
#define CTS_RT(call, expect)                                                      \
	do {                                                                          \
		int cts_r_ = (int)(call), cts_e_ = (int)(expect);                     \
		ck_assert_msg(cts_r_ == cts_e_, "%s returned %d (%s), expected %d (%s)", \
			      #call, cts_r_, musaGetErrorName((musaError_t)cts_r_),    \
			      cts_e_, musaGetErrorName((musaError_t)cts_e_));          \
	} while (0)

#define CTS_DRV(call, expect)                                                     \
	do {                                                                          \
		const char *cts_n1_ = "?", *cts_n2_ = "?";                            \
		int cts_r_ = (int)(call), cts_e_ = (int)(expect);                     \
		muGetErrorName((MUresult)cts_r_, &cts_n1_);                            \
		muGetErrorName((MUresult)cts_e_, &cts_n2_);                            \
		ck_assert_msg(cts_r_ == cts_e_, "%s returned %d (%s), expected %d (%s)", \
			      #call, cts_r_, cts_n1_ ? cts_n1_ : "?", cts_e_,          \
			      cts_n2_ ? cts_n2_ : "?");                                \
	} while (0)

#define CTS_RT_OK(call)  CTS_RT(call, musaSuccess)
#define CTS_DRV_OK(call) CTS_DRV(call, MUSA_SUCCESS)

#endif /* CTS_H */
