/* SPDX-License-Identifier: MIT */
/*
 * test_ffi.c - muModuleLoad + muLaunchKernel of kernels that carry only
 * typed parameter metadata (tests/kmd/ffi.kern.c, MUSA_META_F_FFI): the
 * UMD packs kernelParams at the metadata offsets, or copies the `extra`
 * buffer, as for any kernel; the kmd calls the kernel through libffi.
 * Also: an image whose FFI record is not callable is refused at load.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "umd_test.h"
#include "musa_codeobj.h"
#include "../kmd/ffi_kern.h"

#define FFI_PATH TEST_BUILD_DIR "/tests/kmd/ffi.so"

FK_TSAN_IGNORE_LIBFFI

static MUfunction ffi_func(MUmodule *m, const char *name)
{
	MUfunction f;

	MU_OK(muModuleLoad(m, FFI_PATH));
	MU_OK(muModuleGetFunction(&f, *m, name));
	return f;
}

START_TEST(test_ffi_axpy_kernel_params)
{
	enum { N = 3000 };
	static float x[N], y[N];
	MUdeviceptr dx, dy;
	MUmodule m;
	MUfunction f = ffi_func(&m, "ffi_axpy");
	int32_t n = N;
	float a = -2.0f;
	void *args[] = { &n, &a, &dx, &dy };

	for (int i = 0; i < N; i++) {
		x[i] = (float)i;
		y[i] = (float)(5 * i);
	}
	MU_OK(muMemAlloc(&dx, sizeof(x)));
	MU_OK(muMemAlloc(&dy, sizeof(y)));
	MU_OK(muMemcpyHtoD(dx, x, sizeof(x)));
	MU_OK(muMemcpyHtoD(dy, y, sizeof(y)));
	MU_OK(muLaunchKernel(f, (N + 127) / 128, 1, 1, 128, 1, 1, 0, NULL, args, NULL));
	MU_OK(muMemcpyDtoH(y, dy, sizeof(y)));
	for (int i = 0; i < N; i++)
		ck_assert_float_eq(y[i], (float)(3 * i));
	MU_OK(muModuleUnload(m));
}
END_TEST

static void mixed_args(struct fk_mixed_args *a, MUdeviceptr out)
{
	/* every value and every sum exact in a double */
	memset(a, 0, sizeof(*a));
	a->out = (double *)(uintptr_t)out;
	a->c = 5;
	a->i = -77;
	a->f = 2.75f;
	a->d = -0.125;
	a->ip = (struct fk_ipair){ -4, 9 };
	a->fp = (struct fk_fpair){ 0.5f, -6.0f };
	a->u = 12;
	a->dp = (struct fk_dpair){ 1.25, 2.5 };
	a->big = (struct fk_big){ -100, 7, 11 };
	a->u64 = 123456789ull;
	a->f2 = 64.0f;
	a->d2 = -0.75;
	a->f3 = 0.0625f;
}

static void mixed_check(MUdeviceptr out, const struct fk_mixed_args *a, uint32_t n)
{
	double o[256];

	ck_assert_uint_le(n, 256);
	MU_OK(muMemcpyDtoH(o, out, n * sizeof(double)));
	for (uint32_t i = 0; i < n; i++)
		ck_assert_msg(o[i] == fk_mixed_expect(a, i), "out[%u] = %f, want %f", i, o[i],
			      fk_mixed_expect(a, i));
}

START_TEST(test_ffi_mixed_kernel_params)
{
	struct fk_mixed_args a;
	MUdeviceptr out;
	MUmodule m;
	MUfunction f = ffi_func(&m, "ffi_mixed");
	void *args[14];

	MU_OK(muMemAlloc(&out, 4 * 32 * sizeof(double)));
	mixed_args(&a, out);
	/* one pointer per parameter, each at its own host address */
	args[0] = &out;
	args[1] = &a.c;
	args[2] = &a.i;
	args[3] = &a.f;
	args[4] = &a.d;
	args[5] = &a.ip;
	args[6] = &a.fp;
	args[7] = &a.u;
	args[8] = &a.dp;
	args[9] = &a.big;
	args[10] = &a.u64;
	args[11] = &a.f2;
	args[12] = &a.d2;
	args[13] = &a.f3;
	MU_OK(muLaunchKernel(f, 4, 1, 1, 32, 1, 1, 0, NULL, args, NULL));
	mixed_check(out, &a, 4 * 32);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_ffi_mixed_extra_buffer)
{
	struct fk_mixed_args a;
	size_t size = sizeof(a);
	MUdeviceptr out;
	MUmodule m;
	MUfunction f = ffi_func(&m, "ffi_mixed");
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &a, MU_LAUNCH_PARAM_BUFFER_SIZE, &size,
			  MU_LAUNCH_PARAM_END };

	MU_OK(muMemAlloc(&out, 2 * 64 * sizeof(double)));
	mixed_args(&a, out);
	MU_OK(muLaunchKernel(f, 2, 1, 1, 64, 1, 1, 0, NULL, NULL, extra));
	mixed_check(out, &a, 2 * 64);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_ffi_barrier_kernel)
{
	enum { G = 5, B = 64 };
	int32_t data[G * B];
	uint32_t odd[G];
	MUdeviceptr dd, dodd;
	MUmodule m;
	MUfunction f = ffi_func(&m, "ffi_revcount");
	void *args[] = { &dd, &dodd };

	for (int i = 0; i < G * B; i++)
		data[i] = i * i % 13;
	MU_OK(muMemAlloc(&dd, sizeof(data)));
	MU_OK(muMemAlloc(&dodd, sizeof(odd)));
	MU_OK(muMemcpyHtoD(dd, data, sizeof(data)));
	MU_OK(muLaunchKernel(f, G, 1, 1, B, 1, 1, 0, NULL, args, NULL));
	MU_OK(muMemcpyDtoH(data, dd, sizeof(data)));
	MU_OK(muMemcpyDtoH(odd, dodd, sizeof(odd)));
	for (int g = 0; g < G; g++) {
		uint32_t want = 0;

		for (int t = 0; t < B; t++) {
			int orig = (g * B + t) * (g * B + t) % 13;

			want += orig & 1;
			ck_assert_int_eq(data[g * B + B - 1 - t], orig);
		}
		ck_assert_uint_eq(odd[g], want);
	}
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_ffi_load_rejects_bytes_param)
{
	size_t size = 0;
	unsigned char *img = ut_read_file(FFI_PATH, &size);
	MUmodule m;
	bool patched = false;

	ck_assert_ptr_nonnull(img);
	/* the first FFI record's first param becomes opaque bytes */
	for (size_t off = 0; off + sizeof(struct musa_meta_kernel) <= size && !patched; off += 8) {
		struct musa_meta_kernel *k = (struct musa_meta_kernel *)(img + off);

		if (k->magic == MUSA_META_MAGIC && k->version == MUSA_META_VERSION &&
		    (k->flags & MUSA_META_F_FFI) && k->nparams) {
			((struct musa_meta_param *)(k + 1))->kind = MUSA_PARAM_BYTES;
			patched = true;
		}
	}
	ck_assert(patched);
	ck_assert_int_eq(muModuleLoadData(&m, img), MUSA_ERROR_INVALID_IMAGE);
	free(img);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_ffi");
	TCase *tc = tcase_create("ffi");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_ffi_axpy_kernel_params);
	tcase_add_test(tc, test_ffi_mixed_kernel_params);
	tcase_add_test(tc, test_ffi_mixed_extra_buffer);
	tcase_add_test(tc, test_ffi_barrier_kernel);
	tcase_add_test(tc, test_ffi_load_rejects_bytes_param);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
