/* SPDX-License-Identifier: MIT */
/*
 * test_launch.c - muLaunchKernel: results of real kernels, parameter
 * packing (kernelParams and the extra buffer form), launch validation, and
 * sticky device faults.
 */
#include <stdint.h>
#include <string.h>

#include "umd_test.h"

#define NV 5000

START_TEST(test_vadd_computes_sum)
{
	static float a[NV], b[NV], c[NV];
	MUdeviceptr da, db, dc;
	MUmodule m;
	MUfunction f = ut_func(&m, "vadd");
	int n = NV;
	void *args[] = { &da, &db, &dc, &n };

	for (int i = 0; i < NV; i++) {
		a[i] = (float)i;
		b[i] = (float)(2 * i + 1);
	}
	MU_OK(muMemAlloc(&da, sizeof(a)));
	MU_OK(muMemAlloc(&db, sizeof(b)));
	MU_OK(muMemAlloc(&dc, sizeof(c)));
	MU_OK(muMemcpyHtoD(da, a, sizeof(a)));
	MU_OK(muMemcpyHtoD(db, b, sizeof(b)));
	MU_OK(muLaunchKernel(f, (NV + 127) / 128, 1, 1, 128, 1, 1, 0, NULL, args, NULL));
	MU_OK(muMemcpyDtoH(c, dc, sizeof(c)));
	for (int i = 0; i < NV; i++)
		ck_assert_float_eq(c[i], (float)(3 * i + 1));
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_fill2d_covers_grid_and_block_y)
{
	enum { W = 70, H = 45 };
	static int out[W * H];
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "fill2d");
	int w = W, h = H;
	void *args[] = { &d, &w, &h };

	MU_OK(muMemAlloc(&d, sizeof(out)));
	MU_OK(muMemsetD32(d, 0xffffffffu, W * H));
	MU_OK(muLaunchKernel(f, (W + 15) / 16, (H + 7) / 8, 1, 16, 8, 1, 0, NULL, args, NULL));
	MU_OK(muCtxSynchronize());
	MU_OK(muMemcpyDtoH(out, d, sizeof(out)));
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			ck_assert_int_eq(out[y * W + x], y * 1000 + x);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_params_packed_at_metadata_offsets)
{
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "scale");
	char c = 3;
	double x = 2.5;
	float r = 0;
	void *args[] = { &c, &x, &d };

	MU_OK(muMemAlloc(&d, sizeof(float)));
	MU_OK(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL));
	MU_OK(muMemcpyDtoH(&r, d, sizeof(r)));
	ck_assert_float_eq(r, 7.5f);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_extra_buffer_form_launches)
{
	struct { char c; double f; MUdeviceptr out; } buf;
	size_t size = sizeof(buf);
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "scale");
	float r = 0;
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &buf, MU_LAUNCH_PARAM_BUFFER_SIZE, &size,
			  MU_LAUNCH_PARAM_END };

	MU_OK(muMemAlloc(&d, sizeof(float)));
	memset(&buf, 0, sizeof(buf));
	buf.c = 4;
	buf.f = -0.5;
	buf.out = d;
	MU_OK(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, extra));
	MU_OK(muMemcpyDtoH(&r, d, sizeof(r)));
	ck_assert_float_eq(r, -2.0f);
	size = 8;
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, extra),
			 MUSA_ERROR_INVALID_VALUE);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_launch_rejects_bad_dimensions)
{
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "vadd");
	int n = 0, maxx, maxgz;
	void *args[] = { &d, &d, &d, &n };

	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muDeviceGetAttribute(&maxx, MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, 0));
	MU_OK(muDeviceGetAttribute(&maxgz, MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, 0));
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 2048, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 64, 64, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 0, 1, 1, 32, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 32, 0, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, (unsigned)maxgz + 1, 32, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, (unsigned)maxx + 1, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	MU_OK(muCtxSynchronize());
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_launch_rejects_too_much_shared_memory)
{
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "vadd");
	int n = 0, smem;
	void *args[] = { &d, &d, &d, &n };

	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muDeviceGetAttribute(&smem, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, 0));
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 32, 1, 1, (unsigned)smem + 1, NULL, args, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	MU_OK(muLaunchKernel(f, 1, 1, 1, 32, 1, 1, (unsigned)smem, NULL, args, NULL));
	MU_OK(muCtxSynchronize());
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_launch_bounds_exceeded_is_out_of_resources)
{
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "scale");
	char c = 1;
	double x = 1;
	void *args[] = { &c, &x, &d };

	MU_OK(muMemAlloc(&d, 64));
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 65, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_launch_rejects_bad_parameters)
{
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "vadd");
	int n = 0;
	size_t size = 32;
	void *args[] = { &d, &d, &d, &n };
	void *holes[] = { &d, NULL, &d, &n };
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, args, MU_LAUNCH_PARAM_BUFFER_SIZE, &size,
			  MU_LAUNCH_PARAM_END };
	void *bad_extra[] = { (void *)0x7, args, MU_LAUNCH_PARAM_END };

	MU_OK(muMemAlloc(&d, 64));
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, args, extra),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, holes, NULL),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, bad_extra),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muLaunchKernel((MUfunction)&n, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, (MUstream)&n, args, NULL),
			 MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_many_launches_reuse_kernarg_slots)
{
	enum { LAUNCHES = 700 };
	MUdeviceptr d;
	MUmodule m;
	MUfunction f = ut_func(&m, "poke");
	int out[LAUNCHES];

	MU_OK(muMemAlloc(&d, sizeof(out)));
	for (int i = 0; i < LAUNCHES; i++) {
		MUdeviceptr p = d + (MUdeviceptr)i * sizeof(int);
		int v = i * 3;
		void *args[] = { &p, &v };

		MU_OK(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL));
	}
	MU_OK(muMemcpyDtoH(out, d, sizeof(out)));
	for (int i = 0; i < LAUNCHES; i++)
		ck_assert_int_eq(out[i], i * 3);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_fault_is_sticky_until_primary_reset)
{
	MUcontext p;
	MUmodule m;
	MUfunction f;
	MUdeviceptr d, bad = 8;
	int v = 1;
	void *args[] = { &bad, &v };

	MU_OK(muDevicePrimaryCtxRetain(&p, 0));
	MU_OK(muCtxPushCurrent(p));
	f = ut_func(&m, "poke");
	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL));
	ck_assert_int_eq(muCtxSynchronize(), MUSA_ERROR_ILLEGAL_ADDRESS);
	ck_assert_int_eq(muCtxSynchronize(), MUSA_ERROR_ILLEGAL_ADDRESS);
	ck_assert_int_eq(muMemAlloc(&d, 64), MUSA_ERROR_ILLEGAL_ADDRESS);
	ck_assert_int_eq(muMemsetD8(d, 0, 4), MUSA_ERROR_ILLEGAL_ADDRESS);
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_ILLEGAL_ADDRESS);
	ck_assert_int_eq(muStreamSynchronize(NULL), MUSA_ERROR_ILLEGAL_ADDRESS);
	/* Another context of the same device is unaffected. */
	MU_OK(muCtxPushCurrent(ut_ctx));
	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muMemsetD8(d, 0, 64));
	MU_OK(muCtxSynchronize());
	MU_OK(muCtxPopCurrent(NULL));
	/* A reset clears the fault; new work succeeds. */
	MU_OK(muDevicePrimaryCtxReset(0));
	MU_OK(muMemAlloc(&d, 64));
	f = ut_func(&m, "poke");
	bad = d;
	MU_OK(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL));
	MU_OK(muCtxSynchronize());
	v = 0;
	MU_OK(muMemcpyDtoH(&v, d, sizeof(v)));
	ck_assert_int_eq(v, 1);
	MU_OK(muCtxPopCurrent(NULL));
	MU_OK(muDevicePrimaryCtxRelease(0));
}
END_TEST

/* The same rules with a fault that needs no signal: a failed device assert. */
START_TEST(test_assert_is_sticky_for_every_call_until_reset)
{
	MUcontext p;
	MUmodule m;
	MUfunction f;
	MUstream s;
	MUevent e;
	MUdeviceptr d;
	int code = 2; /* MUSA_WG_ASSERT */
	void *args[] = { &code };

	MU_OK(muDevicePrimaryCtxRetain(&p, 0));
	MU_OK(muCtxPushCurrent(p));
	f = ut_func(&m, "fail");
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muEventCreate(&e, 0));
	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muLaunchKernel(f, 4, 1, 1, 1, 1, 1, 0, s, args, NULL));
	ck_assert_int_eq(muStreamSynchronize(s), MUSA_ERROR_ASSERT);
	ck_assert_int_eq(muCtxSynchronize(), MUSA_ERROR_ASSERT);
	ck_assert_int_eq(muStreamQuery(s), MUSA_ERROR_ASSERT);
	ck_assert_int_eq(muEventRecord(e, s), MUSA_ERROR_ASSERT);
	ck_assert_int_eq(muEventQuery(e), MUSA_ERROR_ASSERT);
	ck_assert_int_eq(muMemcpyDtoH(&code, d, 4), MUSA_ERROR_ASSERT);
	ck_assert_int_eq(muModuleLoad(&m, KERNELS_PATH), MUSA_ERROR_ASSERT);
	MU_OK(muDevicePrimaryCtxReset(0));
	MU_OK(muCtxSynchronize());
	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muMemsetD32(d, 5, 16));
	MU_OK(muMemcpyDtoH(&code, d, 4));
	ck_assert_int_eq(code, 5);
	MU_OK(muCtxPopCurrent(NULL));
	MU_OK(muDevicePrimaryCtxRelease(0));
}
END_TEST

START_TEST(test_mcc_saxpy)
{
	enum { NS = 3000 };
	static float x[NS], y[NS];
	MUdeviceptr dx, dy;
	MUmodule m;
	MUfunction f;
	int n = NS;
	float a = 2.0f;
	void *args[] = { &n, &a, &dx, &dy };

	MU_OK(muModuleLoad(&m, MCCDEV_PATH));
	MU_OK(muModuleGetFunction(&f, m, "saxpy"));
	for (int i = 0; i < NS; i++) {
		x[i] = (float)i;
		y[i] = 1.0f;
	}
	MU_OK(muMemAlloc(&dx, sizeof(x)));
	MU_OK(muMemAlloc(&dy, sizeof(y)));
	MU_OK(muMemcpyHtoD(dx, x, sizeof(x)));
	MU_OK(muMemcpyHtoD(dy, y, sizeof(y)));
	MU_OK(muLaunchKernel(f, (NS + 255) / 256, 1, 1, 256, 1, 1, 0, NULL, args, NULL));
	MU_OK(muMemcpyDtoH(y, dy, sizeof(y)));
	for (int i = 0; i < NS; i++)
		ck_assert_float_eq(y[i], 2.0f * (float)i + 1.0f);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_mcc_barrier_kernel_with_dynamic_shared_memory)
{
	enum { BLOCKS = 6, THREADS = 128 };
	static int in[BLOCKS * THREADS];
	int out[BLOCKS];
	MUdeviceptr din, dout;
	MUmodule m;
	MUfunction f;
	void *args[] = { &din, &dout };

	MU_OK(muModuleLoad(&m, MCCDEV_PATH));
	MU_OK(muModuleGetFunction(&f, m, "block_sum"));
	for (int i = 0; i < BLOCKS * THREADS; i++)
		in[i] = i;
	MU_OK(muMemAlloc(&din, sizeof(in)));
	MU_OK(muMemAlloc(&dout, sizeof(out)));
	MU_OK(muMemcpyHtoD(din, in, sizeof(in)));
	MU_OK(muLaunchKernel(f, BLOCKS, 1, 1, THREADS, 1, 1, THREADS * sizeof(int), NULL, args, NULL));
	MU_OK(muMemcpyDtoH(out, dout, sizeof(out)));
	for (int b = 0; b < BLOCKS; b++) {
		int lo = b * THREADS, hi = lo + THREADS - 1;

		ck_assert_int_eq(out[b], (lo + hi) * THREADS / 2);
	}
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_launch_on_other_context_function_is_invalid_handle)
{
	MUcontext other;
	MUmodule m;
	MUfunction f = ut_func(&m, "poke");
	MUdeviceptr d = 0;
	int v = 0;
	void *args[] = { &d, &v };

	MU_OK(muCtxCreate(&other, 0, 0));
	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, args, NULL),
			 MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muCtxDestroy(other));
	MU_OK(muModuleUnload(m));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_launch");
	TCase *tc = tcase_create("launch");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_vadd_computes_sum);
	tcase_add_test(tc, test_fill2d_covers_grid_and_block_y);
	tcase_add_test(tc, test_params_packed_at_metadata_offsets);
	tcase_add_test(tc, test_extra_buffer_form_launches);
	tcase_add_test(tc, test_launch_rejects_bad_dimensions);
	tcase_add_test(tc, test_launch_rejects_too_much_shared_memory);
	tcase_add_test(tc, test_launch_bounds_exceeded_is_out_of_resources);
	tcase_add_test(tc, test_launch_rejects_bad_parameters);
	tcase_add_test(tc, test_many_launches_reuse_kernarg_slots);
	tcase_add_test(tc, test_launch_on_other_context_function_is_invalid_handle);
	suite_add_tcase(s, tc);
	tc = tcase_create("mcc");
	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_mcc_saxpy);
	tcase_add_test(tc, test_mcc_barrier_kernel_with_dynamic_shared_memory);
	suite_add_tcase(s, tc);
	tc = tcase_create("fault");
	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_assert_is_sticky_for_every_call_until_reset);
	tcase_add_test(tc, test_fault_is_sticky_until_primary_reset);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
