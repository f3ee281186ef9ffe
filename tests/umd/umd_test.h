/* SPDX-License-Identifier: MIT */
/*
 * umd_test.h - helpers shared by the libmusa (driver API) tests: a context
 * per test, the hand-written code objects, and a runner.
 *
 * Check runs every test in a forked child, so each test starts with a
 * driver that was never initialized; the parent never calls muInit.
 */
#ifndef UMD_TEST_H
#define UMD_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "musa.h"

#define KERNELS_PATH TEST_BUILD_DIR "/tests/umd/kernels.so"
#define ARCH21_PATH  TEST_BUILD_DIR "/tests/umd/arch21.so"
#define MCCDEV_PATH  TEST_BUILD_DIR "/tests/umd/mccdev.mubin"

#define MU_OK(call) ck_assert_int_eq((call), MUSA_SUCCESS)

static MUcontext ut_ctx;

/* Checked fixture: init and a fresh context current on the test thread. */
static inline void ut_setup(void)
{
	MU_OK(muInit(0));
	MU_OK(muCtxCreate(&ut_ctx, 0, 0));
}

static inline void ut_teardown(void)
{
	if (ut_ctx)
		muCtxDestroy(ut_ctx);
	ut_ctx = NULL;
}

/* Reads a whole file; NULL when it cannot. */
static inline void *ut_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

static inline MUfunction ut_func(MUmodule *mod, const char *name)
{
	MUfunction f;

	MU_OK(muModuleLoad(mod, KERNELS_PATH));
	MU_OK(muModuleGetFunction(&f, *mod, name));
	return f;
}

static inline int ut_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* UMD_TEST_H */
