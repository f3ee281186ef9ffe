/* SPDX-License-Identifier: MIT */
/*
 * test_dev_templates.mu - the C++ conveniences of musa_runtime.h for
 * kernels: templated musaFuncGetAttributes / musaFuncSetAttribute /
 * occupancy queries taking the kernel itself, musaOccupancyMaxPotentialBlockSize
 * (fixed and block-size dependent dynamic shared memory), cooperative
 * launches, and a kernel with __launch_bounds__ whose attributes and
 * occupancy queries honour it. Each test runs in its own forked process.
 */
#include <check.h>
#include <stdlib.h>

#include <musa_runtime.h>

#define OK(call) ck_assert_int_eq((int)(call), (int)musaSuccess)

__global__ void scale(float *p, float s, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		p[i] *= s;
}

__global__ void __launch_bounds__(128) staged(int *out)
{
	__shared__ int tile[256];

	tile[threadIdx.x] = (int)threadIdx.x;
	__syncthreads();
	out[blockIdx.x * blockDim.x + threadIdx.x] = tile[blockDim.x - 1 - threadIdx.x];
}

__global__ void uses_dyn(int *out)
{
	extern __shared__ int dyn[];

	dyn[threadIdx.x] = 3 * (int)threadIdx.x;
	__syncthreads();
	out[threadIdx.x] = dyn[threadIdx.x];
}

struct smem_per_thread {
	size_t operator()(int block) const { return (size_t)block * 32; }
};

START_TEST(test_func_attributes_template)
{
	musaFuncAttributes a;

	OK(musaFuncGetAttributes(&a, scale));
	ck_assert_int_gt(a.maxThreadsPerBlock, 128);
	ck_assert_uint_eq(a.sharedSizeBytes, 0);
	OK(musaFuncGetAttributes(&a, staged));
	ck_assert_int_eq(a.maxThreadsPerBlock, 128);
	/* mcc does not record static __shared__ sizes yet (metadata 0 =
	 * unknown), so sharedSizeBytes is not checked here. */
}
END_TEST

START_TEST(test_launch_bounds_limit_occupancy_queries)
{
	int n = 0;

	OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&n, staged, 128, 0));
	ck_assert_int_ge(n, 1);
	ck_assert_int_eq((int)musaOccupancyMaxActiveBlocksPerMultiprocessor(&n, staged, 256, 0),
			 (int)musaErrorInvalidValue);
}
END_TEST

START_TEST(test_set_attribute_template_limits_dynamic_smem)
{
	int *out;

	OK(musaMallocManaged(&out, 256 * sizeof(int)));
	OK(musaFuncSetAttribute(uses_dyn, musaFuncAttributeMaxDynamicSharedMemorySize, 512));
	uses_dyn<<<1, 128, 512>>>(out);
	OK(musaGetLastError());
	OK(musaDeviceSynchronize());
	for (int i = 0; i < 128; i++)
		ck_assert_int_eq(out[i], 3 * i);
	uses_dyn<<<1, 256, 1024>>>(out);
	ck_assert_int_eq((int)musaGetLastError(), (int)musaErrorInvalidValue);
	OK(musaFree(out));
}
END_TEST

START_TEST(test_max_potential_block_size)
{
	int min_grid = 0, block = 0, per_sm = 0, sms = 0;

	OK(musaDeviceGetAttribute(&sms, musaDevAttrMultiProcessorCount, 0));
	OK(musaOccupancyMaxPotentialBlockSize(&min_grid, &block, scale));
	ck_assert_int_gt(block, 0);
	OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, scale, block, 0));
	ck_assert_int_eq(min_grid, per_sm * sms);
	OK(musaOccupancyMaxPotentialBlockSize(&min_grid, &block, scale, 0, 96));
	ck_assert_int_le(block, 96);
	ck_assert_int_gt(block, 0);
	/* __launch_bounds__ caps it. */
	OK(musaOccupancyMaxPotentialBlockSize(&min_grid, &block, staged));
	ck_assert_int_le(block, 128);
	/* Shared memory growing with the block size. */
	OK(musaOccupancyMaxPotentialBlockSizeVariableSMem(&min_grid, &block, uses_dyn,
							  smem_per_thread()));
	ck_assert_int_gt(block, 0);
	OK(musaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, uses_dyn, block,
							 smem_per_thread()(block)));
	ck_assert_int_eq(min_grid, per_sm * sms);
	/* The WithFlags forms (musaOccupancyDefault) agree. */
	{
		int mg2 = 0, b2 = 0;

		OK(musaOccupancyMaxPotentialBlockSizeVariableSMem(&min_grid, &block, uses_dyn,
								  smem_per_thread()));
		OK(musaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(
			&mg2, &b2, uses_dyn, smem_per_thread(), 0, musaOccupancyDefault));
		ck_assert_int_eq(b2, block);
		ck_assert_int_eq(mg2, min_grid);
		OK(musaOccupancyMaxPotentialBlockSize(&min_grid, &block, scale));
		OK(musaOccupancyMaxPotentialBlockSizeWithFlags(&mg2, &b2, scale, 0, 0,
							       musaOccupancyDefault));
		ck_assert_int_eq(b2, block);
		ck_assert_int_eq(mg2, min_grid);
	}
	ck_assert_int_eq((int)musaOccupancyMaxPotentialBlockSize(NULL, &block, scale),
			 (int)musaErrorInvalidValue);
}
END_TEST

START_TEST(test_available_dynamic_smem_template)
{
	size_t avail = 0;

	OK(musaOccupancyAvailableDynamicSMemPerBlock(&avail, uses_dyn, 2, 64));
	ck_assert_uint_gt(avail, 0);
}
END_TEST

START_TEST(test_cooperative_launch_template)
{
	float *p;
	float s = 2.0f;
	int n = 1024;
	void *args[] = { &p, &s, &n };

	OK(musaMallocManaged(&p, n * sizeof(float)));
	for (int i = 0; i < n; i++)
		p[i] = (float)i;
	OK(musaLaunchCooperativeKernel(scale, dim3(4), dim3(256), args));
	OK(musaDeviceSynchronize());
	for (int i = 0; i < n; i++)
		ck_assert(p[i] == 2.0f * (float)i);
	OK(musaFree(p));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_dev_templates");
	TCase *tc = tcase_create("templates");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_func_attributes_template);
	tcase_add_test(tc, test_launch_bounds_limit_occupancy_queries);
	tcase_add_test(tc, test_set_attribute_template_limits_dynamic_smem);
	tcase_add_test(tc, test_max_potential_block_size);
	tcase_add_test(tc, test_available_dynamic_smem_template);
	tcase_add_test(tc, test_cooperative_launch_template);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
