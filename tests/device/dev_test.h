/* SPDX-License-Identifier: MIT */
/*
 * dev_test.h - shared by the device-language tests (tests/device/test_<feature>.mu):
 * Check boilerplate, device buffers, and the warp size of the device the
 * tests run on (32 for mp_31, 128 for mp_21/mp_22: every test computes its
 * expectations from it).
 */
#ifndef DEV_TEST_H
#define DEV_TEST_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <musa_runtime.h>

#define MUSA_OK(call) ck_assert_int_eq((int)(call), (int)musaSuccess)

/* Launches, waits, and checks that the launch itself succeeded. */
#define DEV_SYNC() do {                                                        \
	MUSA_OK(musaGetLastError());                                           \
	MUSA_OK(musaDeviceSynchronize());                                      \
} while (0)

static inline int dev_warp_size(void)
{
	int w = 0;

	MUSA_OK(musaDeviceGetAttribute(&w, musaDevAttrWarpSize, 0));
	ck_assert(w == 32 || w == 128);
	return w;
}

static inline void *dev_alloc(size_t n)
{
	void *p = NULL;

	MUSA_OK(musaMalloc(&p, n));
	MUSA_OK(musaMemset(p, 0, n));
	return p;
}

static inline void dev_get(void *dst, const void *src, size_t n)
{
	MUSA_OK(musaMemcpy(dst, src, n, musaMemcpyDeviceToHost));
}

static inline void dev_put(void *dst, const void *src, size_t n)
{
	MUSA_OK(musaMemcpy(dst, src, n, musaMemcpyHostToDevice));
}

/* main(): runs the given tests (a NULL-terminated array) in one suite. */
#define DEV_TEST_MAIN(suite_name, ...)                                         \
	int main(void)                                                         \
	{                                                                      \
		const TTest *tests[] = {__VA_ARGS__, NULL};                     \
		Suite *s = suite_create(suite_name);                           \
		TCase *tc = tcase_create("core");                              \
		SRunner *sr;                                                   \
		int failed, i;                                                 \
		for (i = 0; tests[i]; i++)                                     \
			tcase_add_test(tc, tests[i]);                                 \
		suite_add_tcase(s, tc);                                        \
		sr = srunner_create(s);                                        \
		srunner_run_all(sr, CK_NORMAL);                                \
		failed = srunner_ntests_failed(sr);                            \
		srunner_free(sr);                                              \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                   \
	}

#endif /* DEV_TEST_H */
