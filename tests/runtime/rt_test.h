/* SPDX-License-Identifier: MIT */
/*
 * rt_test.h - helpers shared by the runtime tests: loading the hand-written
 * code object (kernels.kern.c, built to tests/runtime/kernels.so) and
 * registering it the way an mcc-generated constructor does. Header-only;
 * every test program includes it at most once.
 */
#ifndef RT_TEST_H
#define RT_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "musa_runtime.h"

#define RT_KERNELS_PATH TEST_BUILD_DIR "/tests/runtime/kernels.so"
/* A code object for mp_21 (128-lane warps) with one kernel, "nop". */
#define RT_ARCH21_PATH  TEST_BUILD_DIR "/tests/umd/arch21.so"
#define RT_TEST_ARCH 31u

/* Host-side handles of the kernels: any unique address serves as a stub. */
static const char rt_stub_add_one __attribute__((unused));
static const char rt_stub_poke __attribute__((unused));
static const char rt_stub_sleep_ms __attribute__((unused));
static const char rt_stub_assert_fail __attribute__((unused));
static const char rt_stub_missing __attribute__((unused));

struct rt_kernels_fatbin {
	struct __musaFatImage image;
	struct __musaFatBinaryWrapper wrapper;
	void **handle;
	void *data;
};

static inline void *rt_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_gt(n, 0);
	rewind(f);
	buf = malloc((size_t)n);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* Registers `data` as a fat binary with one image for `arch`. */
static inline void **rt_register_image(struct rt_kernels_fatbin *fb, unsigned int arch,
                                       void *data, size_t size)
{
	fb->data = data;
	fb->image.arch = arch;
	fb->image.pad = 0;
	fb->image.data = data;
	fb->image.size = size;
	fb->wrapper.magic = MUSA_FATBIN_MAGIC;
	fb->wrapper.version = MUSA_FATBIN_VERSION;
	fb->wrapper.images = &fb->image;
	fb->wrapper.count = 1;
	fb->handle = __musaRegisterFatBinary(&fb->wrapper);
	ck_assert_ptr_nonnull(fb->handle);
	return fb->handle;
}

static inline void rt_register_kernel(void **handle, const char *stub, const char *name)
{
	__musaRegisterFunction(handle, stub, (char *)name, name, -1, NULL, NULL, NULL, NULL, NULL);
}

/* The test kernels, registered for the default arch. */
static inline void rt_register_test_kernels(struct rt_kernels_fatbin *fb)
{
	size_t size;
	void *data = rt_read_file(RT_KERNELS_PATH, &size);
	void **h = rt_register_image(fb, RT_TEST_ARCH, data, size);

	rt_register_kernel(h, &rt_stub_add_one, "add_one");
	rt_register_kernel(h, &rt_stub_poke, "poke");
	rt_register_kernel(h, &rt_stub_sleep_ms, "sleep_ms");
	rt_register_kernel(h, &rt_stub_assert_fail, "assert_fail");
	__musaRegisterFatBinaryEnd(h);
}

static inline dim3 rt_dim3(unsigned int x, unsigned int y, unsigned int z)
{
	dim3 d = { x, y, z };
	return d;
}

static inline musaError_t rt_launch_add_one(int *p, unsigned int n, unsigned int block,
                                            musaStream_t stream)
{
	void *args[] = { &p, &n };
	unsigned int grid = (n + block - 1) / block;

	return musaLaunchKernel(&rt_stub_add_one, rt_dim3(grid ? grid : 1, 1, 1),
	                        rt_dim3(block, 1, 1), args, 0, stream);
}

static inline musaError_t rt_launch_sleep(unsigned int ms, musaStream_t stream)
{
	void *args[] = { &ms };

	return musaLaunchKernel(&rt_stub_sleep_ms, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0,
	                        stream);
}

static inline int rt_run_suites(Suite **suites, int n)
{
	SRunner *sr = srunner_create(suites[0]);
	int failed;

	for (int i = 1; i < n; i++)
		srunner_add_suite(sr, suites[i]);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

#endif /* RT_TEST_H */
