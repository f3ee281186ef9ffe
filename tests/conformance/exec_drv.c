/* SPDX-License-Identifier: MIT */
/*
 * exec_drv.c - conformance of the driver's execution control:
 * muLaunchKernel (parameters by pointer array and by buffer), function
 * attributes and their settable ones, cache preferences, the occupancy
 * calculator with its C callback, and cooperative launches.
 */
#include <stdlib.h>

#include "cts.h"

struct drv_env {
	MUmodule mod;
	MUfunction fill;
	MUfunction add;
	MUdeviceptr buf;
	int n;
};

static void drv_setup(struct drv_env *e, int n)
{
	const char *path = cts_module_path();

	cts_drv_init();
	if (!path)
		CTS_SKIP("no module for the driver-API tests");
	CTS_DRV_OK(muModuleLoad(&e->mod, path));
	CTS_DRV_OK(muModuleGetFunction(&e->fill, e->mod, "cts_fill"));
	CTS_DRV_OK(muModuleGetFunction(&e->add, e->mod, "cts_add"));
	CTS_DRV_OK(muMemAlloc(&e->buf, (size_t)n * sizeof(int)));
	e->n = n;
}

static void drv_expect(const struct drv_env *e, int v)
{
	int *h = malloc((size_t)e->n * sizeof(int));

	ck_assert_ptr_ne(h, NULL);
	CTS_DRV_OK(muMemcpyDtoH(h, e->buf, (size_t)e->n * sizeof(int)));
	for (int i = 0; i < e->n; i++)
		ck_assert_msg(h[i] == v, "element %d: %d, expected %d", i, h[i], v);
	free(h);
}

static MUresult fill(struct drv_env *e, int v, unsigned int grid, unsigned int block,
		     unsigned int shared)
{
	void *args[] = { &e->buf, &v, &e->n };

	return muLaunchKernel(e->fill, grid, 1, 1, block, 1, 1, shared, NULL, args, NULL);
}

CTS_TEST(exec_drv, launch_kernel_params)
{
	struct drv_env e;

	drv_setup(&e, 1000);
	CTS_DRV_OK(fill(&e, 8, 4, 256, 0));
	CTS_DRV_OK(muCtxSynchronize());
	drv_expect(&e, 8);
	{
		void *args[] = { &e.buf, &(int){ 2 }, &e.n };

		CTS_DRV_OK(muLaunchKernel(e.add, 8, 1, 1, 128, 1, 1, 0, NULL, args, NULL));
		CTS_DRV_OK(muCtxSynchronize());
		drv_expect(&e, 10);
	}
	CTS_DRV_OK(muMemFree(e.buf));
	CTS_DRV_OK(muModuleUnload(e.mod));
}

CTS_TEST(exec_drv, launch_kernel_extra_buffer)
{
	struct drv_env e;
	struct {
		MUdeviceptr p;
		int v;
		int n;
	} buf;
	size_t size = sizeof(buf);

	drv_setup(&e, 512);
	buf.p = e.buf;
	buf.v = 31;
	buf.n = e.n;
	{
		void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &buf, MU_LAUNCH_PARAM_BUFFER_SIZE,
				  &size, MU_LAUNCH_PARAM_END };

		CTS_DRV_OK(muLaunchKernel(e.fill, 2, 1, 1, 256, 1, 1, 0, NULL, NULL, extra));
	}
	CTS_DRV_OK(muCtxSynchronize());
	drv_expect(&e, 31);
	CTS_DRV_OK(muMemFree(e.buf));
}

CTS_TEST(exec_drv, launch_kernel_bad_arguments)
{
	struct drv_env e;
	int v = 1;
	void *args[] = { NULL, &v, NULL };
	unsigned int big = 0;

	drv_setup(&e, 64);
	args[0] = &e.buf;
	args[2] = &e.n;
	CTS_DRV(fill(&e, 1, 0, 64, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(fill(&e, 1, 1, 0, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(fill(&e, 1, 1, 4096, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muDeviceGetAttribute((int *)&big, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, 0));
	CTS_DRV(fill(&e, 1, 1, 64, big + 1), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV_OK(muModuleUnload(e.mod));
	CTS_DRV(muLaunchKernel(e.fill, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL),
		MUSA_ERROR_INVALID_HANDLE);
}

CTS_TEST(exec_drv, func_attributes)
{
	static const MUfunction_attribute all[] = {
		MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, MU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES,
		MU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES, MU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES,
		MU_FUNC_ATTRIBUTE_NUM_REGS, MU_FUNC_ATTRIBUTE_PTX_VERSION,
		MU_FUNC_ATTRIBUTE_BINARY_VERSION, MU_FUNC_ATTRIBUTE_CACHE_MODE_CA,
		MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
		MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT,
	};
	struct drv_env e;
	int v, maxdev, optin, st;

	drv_setup(&e, 16);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		v = -12345;
		CTS_DRV_OK(muFuncGetAttribute(&v, all[i], e.fill));
		ck_assert_msg(v != -12345, "attribute %d not written", (int)all[i]);
	}
	CTS_DRV_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, e.fill));
	CTS_DRV_OK(muDeviceGetAttribute(&maxdev, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 0));
	ck_assert_int_gt(v, 0);
	ck_assert_int_le(v, maxdev);
	CTS_DRV_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, e.fill));
	CTS_DRV_OK(muFuncGetAttribute(&st, MU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, e.fill));
	CTS_DRV_OK(muDeviceGetAttribute(&optin, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, 0));
	ck_assert_int_le(v + st, optin);
	CTS_DRV(muFuncGetAttribute(NULL, MU_FUNC_ATTRIBUTE_NUM_REGS, e.fill), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muFuncGetAttribute(&v, (MUfunction_attribute)1000, e.fill), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_NUM_REGS, NULL), MUSA_ERROR_INVALID_HANDLE);
}

CTS_TEST(exec_drv, func_set_attribute_limits_launch)
{
	struct drv_env e;
	int v, optin;

	drv_setup(&e, 256);
	CTS_DRV_OK(muFuncSetAttribute(e.fill, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 512));
	CTS_DRV_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, e.fill));
	ck_assert_int_eq(v, 512);
	CTS_DRV_OK(fill(&e, 4, 1, 256, 512));
	CTS_DRV(fill(&e, 5, 1, 256, 513), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muCtxSynchronize());
	drv_expect(&e, 4);
	/* The other kernel keeps its default. */
	CTS_DRV_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, e.add));
	ck_assert_int_gt(v, 512);
	CTS_DRV_OK(muDeviceGetAttribute(&optin, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, 0));
	CTS_DRV(muFuncSetAttribute(e.fill, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, optin + 1),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muFuncSetAttribute(e.fill, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 100));
	CTS_DRV_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, e.fill));
	ck_assert_int_eq(v, 100);
	CTS_DRV(muFuncSetAttribute(e.fill, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 101),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muFuncSetAttribute(e.fill, MU_FUNC_ATTRIBUTE_NUM_REGS, 1), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muFuncSetAttribute(NULL, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 1),
		MUSA_ERROR_INVALID_HANDLE);
}

CTS_TEST(exec_drv, func_cache_config)
{
	struct drv_env e;

	drv_setup(&e, 16);
	CTS_DRV_OK(muFuncSetCacheConfig(e.fill, MU_FUNC_CACHE_PREFER_SHARED));
	CTS_DRV(muFuncSetCacheConfig(e.fill, (MUfunc_cache)8), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muFuncSetCacheConfig(NULL, MU_FUNC_CACHE_PREFER_L1), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV_OK(muFuncSetSharedMemConfig(e.fill, MU_SHARED_MEM_CONFIG_EIGHT_BYTE_BANK_SIZE));
	CTS_DRV(muFuncSetSharedMemConfig(e.fill, (MUsharedconfig)8), MUSA_ERROR_INVALID_VALUE);
}

static size_t smem_of_block(int block_size)
{
	return (size_t)block_size * 16;
}

CTS_TEST(exec_drv, occupancy)
{
	struct drv_env e;
	int blocks = 0, min_grid = 0, bs = 0, sms, maxdev, smem_sm;
	size_t avail = 0;

	drv_setup(&e, 16);
	CTS_DRV_OK(muDeviceGetAttribute(&sms, MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, 0));
	CTS_DRV_OK(muDeviceGetAttribute(&maxdev, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 0));
	CTS_DRV_OK(muDeviceGetAttribute(&smem_sm, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR, 0));
	CTS_DRV_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, e.fill, 128, 0));
	ck_assert_int_ge(blocks, 1);
	CTS_DRV_OK(muOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
		&blocks, e.fill, 128, 0, MU_OCCUPANCY_DISABLE_CACHING_OVERRIDE));
	ck_assert_int_ge(blocks, 1);
	CTS_DRV_OK(muOccupancyMaxPotentialBlockSize(&min_grid, &bs, e.fill, NULL, 0, 0));
	ck_assert_int_gt(bs, 0);
	ck_assert_int_le(bs, maxdev);
	ck_assert_int_ge(min_grid, sms);
	CTS_DRV_OK(muOccupancyMaxPotentialBlockSize(&min_grid, &bs, e.fill, NULL, 0, 64));
	ck_assert_int_le(bs, 64);
	ck_assert_int_gt(bs, 0);
	CTS_DRV_OK(muOccupancyMaxPotentialBlockSize(&min_grid, &bs, e.fill, smem_of_block, 0, 0));
	ck_assert_int_gt(bs, 0);
	CTS_DRV_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, e.fill, bs,
							       smem_of_block(bs)));
	ck_assert_int_eq(min_grid, blocks * sms);
	ck_assert_int_le((long long)blocks * (long long)smem_of_block(bs), smem_sm);
	CTS_DRV_OK(muOccupancyAvailableDynamicSMemPerBlock(&avail, e.fill, 1, 128));
	ck_assert_uint_gt(avail, 0);
	CTS_DRV(muOccupancyMaxActiveBlocksPerMultiprocessor(NULL, e.fill, 128, 0),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, e.fill, 0, 0),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, e.fill, maxdev + 1, 0),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, NULL, 128, 0),
		MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muOccupancyMaxPotentialBlockSize(NULL, &bs, e.fill, NULL, 0, 0),
		MUSA_ERROR_INVALID_VALUE);
	{
		int min2 = 0, bs2 = 0;

		CTS_DRV_OK(muOccupancyMaxPotentialBlockSize(&min_grid, &bs, e.fill, NULL, 0, 0));
		CTS_DRV_OK(muOccupancyMaxPotentialBlockSizeWithFlags(&min2, &bs2, e.fill, NULL, 0, 0,
								     MU_OCCUPANCY_DEFAULT));
		ck_assert_int_eq(bs2, bs);
		ck_assert_int_eq(min2, min_grid);
		CTS_DRV(muOccupancyMaxPotentialBlockSizeWithFlags(&min2, NULL, e.fill, NULL, 0, 0,
								  MU_OCCUPANCY_DEFAULT),
			MUSA_ERROR_INVALID_VALUE);
	}
	CTS_DRV(muOccupancyAvailableDynamicSMemPerBlock(NULL, e.fill, 1, 128),
		MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(exec_drv, cooperative_launch)
{
	struct drv_env e;
	int per_sm = 0, sms, v = 17;
	void *args[3];

	drv_setup(&e, 1024);
	args[0] = &e.buf;
	args[1] = &v;
	args[2] = &e.n;
	CTS_DRV_OK(muLaunchCooperativeKernel(e.fill, 4, 1, 1, 256, 1, 1, 0, NULL, args));
	CTS_DRV_OK(muCtxSynchronize());
	drv_expect(&e, 17);
	CTS_DRV_OK(muDeviceGetAttribute(&sms, MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, 0));
	CTS_DRV_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, e.fill, 256, 0));
	CTS_DRV(muLaunchCooperativeKernel(e.fill, (unsigned int)(per_sm * sms + 1), 1, 1, 256, 1, 1,
					  0, NULL, args),
		MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE);
	CTS_DRV(muLaunchCooperativeKernel(e.fill, 1, 1, 1, 0, 1, 1, 0, NULL, args),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muLaunchCooperativeKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, args),
		MUSA_ERROR_INVALID_HANDLE);
}

#ifndef CTS_CUDA
CTS_TEST(exec_drv, launch_blocking_env)
{
	struct drv_env e;
	int *h;

	setenv("MUSA_LAUNCH_BLOCKING", "1", 1);
	drv_setup(&e, 1 << 18);
	CTS_DRV_OK(fill(&e, 3, (1 << 18) / 256, 256, 0));
	/* Device memory is host memory: the kernel has finished. */
	h = (int *)(uintptr_t)e.buf;
	ck_assert_int_eq(h[0], 3);
	ck_assert_int_eq(h[(1 << 18) - 1], 3);
	{
		MUdeviceptr bad = 0x1000;
		int v = 1, n = 64;
		void *args[] = { &bad, &v, &n };

		CTS_DRV(muLaunchKernel(e.fill, 1, 1, 1, 64, 1, 1, 0, NULL, args, NULL),
			MUSA_ERROR_ILLEGAL_ADDRESS);
	}
}
#endif
