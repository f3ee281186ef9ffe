/* SPDX-License-Identifier: MIT */
/*
 * exec.c - conformance of the runtime's execution control: musaLaunchKernel
 * and its configuration checks, kernel attributes, dynamic shared memory
 * limits, cache preferences, the occupancy calculator, cooperative
 * launches, and MUSA_LAUNCH_BLOCKING (MUSA-only).
 */
#include <stdlib.h>

#include "cts.h"

static void not_a_kernel(void)
{
}

static dim3 mk3(unsigned int x, unsigned int y, unsigned int z)
{
	dim3 d;

	d.x = x;
	d.y = y;
	d.z = z;
	return d;
}

static int *dev_alloc(int n)
{
	int *p = NULL;

	CTS_RT_OK(musaMalloc((void **)&p, (size_t)n * sizeof(int)));
	return p;
}

static void expect_all(const int *dp, int n, int v)
{
	int *h = malloc((size_t)n * sizeof(int));

	ck_assert_ptr_ne(h, NULL);
	CTS_RT_OK(musaMemcpy(h, dp, (size_t)n * sizeof(int), musaMemcpyDeviceToHost));
	for (int i = 0; i < n; i++)
		ck_assert_msg(h[i] == v, "element %d: %d, expected %d", i, h[i], v);
	free(h);
}

static musaError_t launch_fill(int *p, int v, int n, dim3 grid, dim3 block, size_t shared)
{
	void *args[] = { &p, &v, &n };

	return musaLaunchKernel(cts_kernel_fill(), grid, block, args, shared, 0);
}

CTS_TEST(exec, launch_kernel_runs)
{
	int n = 3000, *p = dev_alloc(n);

	CTS_RT_OK(launch_fill(p, 42, n, mk3((n + 127) / 128, 1, 1), mk3(128, 1, 1), 0));
	CTS_RT_OK(musaDeviceSynchronize());
	expect_all(p, n, 42);
	/* A two-dimensional grid: the y blocks repeat the x range. */
	CTS_RT_OK(launch_fill(p, 5, n, mk3(24, 2, 1), mk3(128, 1, 1), 0));
	expect_all(p, n, 5);
	CTS_RT_OK(musaFree(p));
}

CTS_TEST(exec, launch_kernel_bad_configuration)
{
	struct musaDeviceProp prop;
	int n = 256, *p = dev_alloc(n);

	CTS_RT_OK(musaGetDeviceProperties(&prop, 0));
	CTS_RT(launch_fill(p, 1, n, mk3(0, 1, 1), mk3(64, 1, 1), 0), musaErrorInvalidConfiguration);
	musaGetLastError();
	CTS_RT(launch_fill(p, 1, n, mk3(1, 1, 1), mk3(0, 1, 1), 0), musaErrorInvalidConfiguration);
	musaGetLastError();
	CTS_RT(launch_fill(p, 1, n, mk3(1, 1, 1), mk3((unsigned int)prop.maxThreadsPerBlock + 1, 1, 1), 0),
	       musaErrorInvalidConfiguration);
	musaGetLastError();
	CTS_RT(launch_fill(p, 1, n, mk3(1, 1, 1), mk3(1, 1, (unsigned int)prop.maxThreadsDim[2] + 1), 0),
	       musaErrorInvalidConfiguration);
	musaGetLastError();
	CTS_RT(launch_fill(p, 1, n, mk3(1, (unsigned int)prop.maxGridSize[1] + 1, 1), mk3(32, 1, 1), 0),
	       musaErrorInvalidConfiguration);
	CTS_RT(musaGetLastError(), musaErrorInvalidConfiguration);
	/* Nothing ran. The device still works. */
	CTS_RT_OK(launch_fill(p, 9, n, mk3(1, 1, 1), mk3(256, 1, 1), 0));
	expect_all(p, n, 9);
	CTS_RT_OK(musaFree(p));
}

CTS_TEST(exec, launch_kernel_bad_function)
{
	dim3 g = mk3(1, 1, 1), b = mk3(1, 1, 1);

	CTS_RT(musaLaunchKernel(NULL, g, b, NULL, 0, 0), musaErrorInvalidDeviceFunction);
	CTS_RT(musaLaunchKernel((const void *)not_a_kernel, g, b, NULL, 0, 0),
	       musaErrorInvalidDeviceFunction);
	CTS_RT(musaGetLastError(), musaErrorInvalidDeviceFunction);
}

CTS_TEST(exec, func_get_attributes)
{
	struct musaFuncAttributes a;
	struct musaDeviceProp prop;

	CTS_RT_OK(musaGetDeviceProperties(&prop, 0));
	memset(&a, 0xff, sizeof(a));
	CTS_RT_OK(musaFuncGetAttributes(&a, cts_kernel_fill()));
	ck_assert_int_gt(a.maxThreadsPerBlock, 0);
	ck_assert_int_le(a.maxThreadsPerBlock, prop.maxThreadsPerBlock);
	ck_assert_uint_eq(a.sharedSizeBytes, 0);
	ck_assert_int_ge(a.numRegs, 0);
	ck_assert_int_gt(a.ptxVersion, 0);
	ck_assert_int_gt(a.binaryVersion, 0);
	ck_assert_int_ge(a.maxDynamicSharedSizeBytes, 0);
	ck_assert_uint_le((size_t)a.maxDynamicSharedSizeBytes + a.sharedSizeBytes,
			  prop.sharedMemPerBlockOptin);
	CTS_RT(musaFuncGetAttributes(NULL, cts_kernel_fill()), musaErrorInvalidValue);
	CTS_RT(musaFuncGetAttributes(&a, NULL), musaErrorInvalidDeviceFunction);
	CTS_RT(musaFuncGetAttributes(&a, (const void *)not_a_kernel), musaErrorInvalidDeviceFunction);
}

CTS_TEST(exec, func_max_dynamic_shared_memory)
{
	struct musaFuncAttributes a;
	struct musaDeviceProp prop;
	int n = 256, *p = dev_alloc(n);

	CTS_RT_OK(musaGetDeviceProperties(&prop, 0));
	CTS_RT_OK(musaFuncSetAttribute(cts_kernel_fill(), musaFuncAttributeMaxDynamicSharedMemorySize,
				       1024));
	CTS_RT_OK(musaFuncGetAttributes(&a, cts_kernel_fill()));
	ck_assert_int_eq(a.maxDynamicSharedSizeBytes, 1024);
	CTS_RT_OK(launch_fill(p, 6, n, mk3(1, 1, 1), mk3(256, 1, 1), 1024));
	expect_all(p, n, 6);
	/* More than the attribute allows fails, and nothing runs. */
	CTS_RT(launch_fill(p, 7, n, mk3(1, 1, 1), mk3(256, 1, 1), 2048), musaErrorInvalidValue);
	CTS_RT(musaGetLastError(), musaErrorInvalidValue);
	expect_all(p, n, 6);
	/* Raising it back allows the launch. */
	CTS_RT_OK(musaFuncSetAttribute(cts_kernel_fill(), musaFuncAttributeMaxDynamicSharedMemorySize,
				       4096));
	CTS_RT_OK(launch_fill(p, 7, n, mk3(1, 1, 1), mk3(256, 1, 1), 2048));
	expect_all(p, n, 7);
	/* Above the optin maximum. */
	CTS_RT(musaFuncSetAttribute(cts_kernel_fill(), musaFuncAttributeMaxDynamicSharedMemorySize,
				    (int)prop.sharedMemPerBlockOptin + 1), musaErrorInvalidValue);
	CTS_RT(musaFuncSetAttribute(cts_kernel_fill(), musaFuncAttributeMaxDynamicSharedMemorySize,
				    -1), musaErrorInvalidValue);
	CTS_RT_OK(musaFuncGetAttributes(&a, cts_kernel_fill()));
	ck_assert_int_eq(a.maxDynamicSharedSizeBytes, 4096);
	CTS_RT_OK(musaFree(p));
}

CTS_TEST(exec, func_set_attribute_carveout_and_errors)
{
	struct musaFuncAttributes a;

	CTS_RT_OK(musaFuncSetAttribute(cts_kernel_add(),
				       musaFuncAttributePreferredSharedMemoryCarveout, 50));
	CTS_RT_OK(musaFuncGetAttributes(&a, cts_kernel_add()));
	ck_assert_int_eq(a.preferredShmemCarveout, 50);
	CTS_RT_OK(musaFuncSetAttribute(cts_kernel_add(),
				       musaFuncAttributePreferredSharedMemoryCarveout,
				       musaSharedmemCarveoutDefault));
	CTS_RT(musaFuncSetAttribute(cts_kernel_add(),
				    musaFuncAttributePreferredSharedMemoryCarveout, 101),
	       musaErrorInvalidValue);
	CTS_RT(musaFuncSetAttribute(cts_kernel_add(),
				    musaFuncAttributePreferredSharedMemoryCarveout, -2),
	       musaErrorInvalidValue);
	CTS_RT(musaFuncSetAttribute(cts_kernel_add(), (enum musaFuncAttribute)3, 0),
	       musaErrorInvalidValue);
	CTS_RT(musaFuncSetAttribute(NULL, musaFuncAttributeMaxDynamicSharedMemorySize, 0),
	       musaErrorInvalidDeviceFunction);
}

CTS_TEST(exec, func_cache_and_shared_mem_config)
{
	int n = 64, *p = dev_alloc(n);

	CTS_RT_OK(musaFuncSetCacheConfig(cts_kernel_fill(), musaFuncCachePreferL1));
	CTS_RT_OK(musaFuncSetCacheConfig(cts_kernel_fill(), musaFuncCachePreferNone));
	CTS_RT(musaFuncSetCacheConfig(cts_kernel_fill(), (enum musaFuncCache)4), musaErrorInvalidValue);
	CTS_RT(musaFuncSetCacheConfig(NULL, musaFuncCachePreferL1), musaErrorInvalidDeviceFunction);
	CTS_RT_OK(musaFuncSetSharedMemConfig(cts_kernel_fill(), musaSharedMemBankSizeFourByte));
	CTS_RT(musaFuncSetSharedMemConfig(cts_kernel_fill(), (enum musaSharedMemConfig)5),
	       musaErrorInvalidValue);
	/* Preferences change nothing a kernel computes. */
	CTS_RT_OK(launch_fill(p, 11, n, mk3(1, 1, 1), mk3(64, 1, 1), 0));
	expect_all(p, n, 11);
	CTS_RT_OK(musaFree(p));
}

CTS_TEST(exec, occupancy_max_active_blocks)
{
	struct musaDeviceProp prop;
	int b = -1, b_smem = -1, b_big = -1;

	CTS_RT_OK(musaGetDeviceProperties(&prop, 0));
	CTS_RT_OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&b, cts_kernel_fill(), 256, 0));
	ck_assert_int_ge(b, 1);
	ck_assert_int_le(b, prop.maxBlocksPerMultiProcessor);
	ck_assert_int_le(b * 256, prop.maxThreadsPerMultiProcessor);
	CTS_RT_OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&b_smem, cts_kernel_fill(), 256,
								prop.sharedMemPerBlock));
	ck_assert_int_ge(b_smem, 1);
	ck_assert_int_le(b_smem, b);
	ck_assert_uint_le((size_t)b_smem * prop.sharedMemPerBlock, prop.sharedMemPerMultiprocessor);
	CTS_RT_OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&b_big, cts_kernel_fill(),
								prop.maxThreadsPerBlock, 0));
	ck_assert_int_le(b_big, b);
	CTS_RT_OK(musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
		&b, cts_kernel_fill(), 128, 0, musaOccupancyDisableCachingOverride));
	ck_assert_int_ge(b, 1);
	CTS_RT(musaOccupancyMaxActiveBlocksPerMultiprocessor(NULL, cts_kernel_fill(), 256, 0),
	       musaErrorInvalidValue);
	CTS_RT(musaOccupancyMaxActiveBlocksPerMultiprocessor(&b, cts_kernel_fill(), 0, 0),
	       musaErrorInvalidValue);
	CTS_RT(musaOccupancyMaxActiveBlocksPerMultiprocessor(&b, cts_kernel_fill(),
							     prop.maxThreadsPerBlock + 1, 0),
	       musaErrorInvalidValue);
	CTS_RT(musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(&b, cts_kernel_fill(), 256, 0,
								      0x10),
	       musaErrorInvalidValue);
	CTS_RT(musaOccupancyMaxActiveBlocksPerMultiprocessor(&b, NULL, 256, 0),
	       musaErrorInvalidDeviceFunction);
}

CTS_TEST(exec, occupancy_available_dynamic_smem)
{
	struct musaDeviceProp prop;
	size_t one = 0, two = 0;
	int blocks = 0;

	CTS_RT_OK(musaGetDeviceProperties(&prop, 0));
	CTS_RT_OK(musaOccupancyAvailableDynamicSMemPerBlock(&one, cts_kernel_fill(), 1, 128));
	ck_assert_uint_gt(one, 0);
	ck_assert_uint_le(one, prop.sharedMemPerBlockOptin);
	CTS_RT_OK(musaOccupancyAvailableDynamicSMemPerBlock(&two, cts_kernel_fill(), 2, 128));
	ck_assert_uint_le(two, one);
	/* That much really lets two blocks be resident. */
	if (two) {
		CTS_RT_OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, cts_kernel_fill(), 128,
									two));
		ck_assert_int_ge(blocks, 2);
	}
	CTS_RT(musaOccupancyAvailableDynamicSMemPerBlock(NULL, cts_kernel_fill(), 1, 128),
	       musaErrorInvalidValue);
	CTS_RT(musaOccupancyAvailableDynamicSMemPerBlock(&one, NULL, 1, 128),
	       musaErrorInvalidDeviceFunction);
}

CTS_TEST(exec, cooperative_launch)
{
	struct musaDeviceProp prop;
	int n = 1024, *p = dev_alloc(n), per_sm = 0, coop = 0;
	void *args[3];
	unsigned int too_many;

	CTS_RT_OK(musaDeviceGetAttribute(&coop, musaDevAttrCooperativeLaunch, 0));
	if (!coop)
		CTS_SKIP("device 0 has no cooperative launch");
	CTS_RT_OK(musaGetDeviceProperties(&prop, 0));
	args[0] = &p;
	{
		static int v = 13;

		args[1] = &v;
	}
	args[2] = &n;
	CTS_RT_OK(musaLaunchCooperativeKernel(cts_kernel_fill(), mk3(4, 1, 1), mk3(256, 1, 1), args, 0, 0));
	expect_all(p, n, 13);
	CTS_RT_OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, cts_kernel_fill(), 256, 0));
	too_many = (unsigned int)(per_sm * prop.multiProcessorCount + 1);
	CTS_RT(musaLaunchCooperativeKernel(cts_kernel_fill(), mk3(too_many, 1, 1), mk3(256, 1, 1), args, 0, 0),
	       musaErrorCooperativeLaunchTooLarge);
	CTS_RT(musaGetLastError(), musaErrorCooperativeLaunchTooLarge);
	CTS_RT(musaLaunchCooperativeKernel(cts_kernel_fill(), mk3(1, 1, 1), mk3(0, 1, 1), args, 0, 0),
	       musaErrorInvalidConfiguration);
	CTS_RT(musaLaunchCooperativeKernel(NULL, mk3(1, 1, 1), mk3(1, 1, 1), args, 0, 0),
	       musaErrorInvalidDeviceFunction);
	CTS_RT_OK(musaFree(p));
}

#ifndef CTS_CUDA
CTS_TEST(exec, launch_blocking_waits_for_the_kernel)
{
	int n = 1 << 20, *p;

	setenv("MUSA_LAUNCH_BLOCKING", "1", 1);
	p = dev_alloc(n);
	CTS_RT_OK(cts_launch_fill(p, 21, n, 0));
	/* Device memory is host memory here: done means written. */
	for (int i = 0; i < n; i += 4093)
		ck_assert_int_eq(p[i], 21);
	ck_assert_int_eq(p[n - 1], 21);
	CTS_RT_OK(musaFree(p));
}

CTS_TEST(exec, launch_blocking_returns_the_kernel_error)
{
	setenv("MUSA_LAUNCH_BLOCKING", "1", 1);
	CTS_RT_OK(musaSetDevice(0));
	/* A fault inside the kernel is the launch's own result. */
	CTS_RT(cts_launch_fill((int *)(uintptr_t)0x1000, 1, 256, 0), musaErrorIllegalAddress);
	CTS_RT(musaDeviceSynchronize(), musaErrorIllegalAddress);
}

CTS_TEST(exec, shared_memory_above_device_limit)
{
	struct musaDeviceProp prop;
	int n = 64, *p = dev_alloc(n);

	CTS_RT_OK(musaGetDeviceProperties(&prop, 0));
	CTS_RT(launch_fill(p, 1, n, mk3(1, 1, 1), mk3(64, 1, 1), prop.sharedMemPerBlockOptin + 1),
	       musaErrorInvalidConfiguration);
	CTS_RT_OK(musaFree(p));
}
#endif
