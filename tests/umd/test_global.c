/* SPDX-License-Identifier: MIT */
/*
 * test_global.c - muModuleGetGlobal and variables as device memory at the
 * driver level: addresses and sizes from the module, copies and fills on
 * them, a kernel reading and writing them, the error codes of bad
 * arguments, and the context limits (muCtxSetLimit / muCtxGetLimit).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "musa.h"
#include "umd_test.h"

#define GLOBALS_PATH TEST_BUILD_DIR "/tests/umd/globals.mubin"

static MUmodule load_globals(void)
{
	MUmodule mod;

	MU_OK(muModuleLoad(&mod, GLOBALS_PATH));
	return mod;
}

START_TEST(test_get_global_address_and_size)
{
	MUmodule mod = load_globals();
	MUdeviceptr table = 0, gain = 0, total = 0;
	size_t bytes = 0;
	float g = 0;

	MU_OK(muModuleGetGlobal(&table, &bytes, mod, "table"));
	ck_assert(table != 0);
	ck_assert_uint_eq(bytes, 32 * sizeof(int));
	MU_OK(muModuleGetGlobal(&gain, NULL, mod, "gain"));
	MU_OK(muModuleGetGlobal(NULL, &bytes, mod, "gain"));
	ck_assert_uint_eq(bytes, sizeof(float));
	MU_OK(muModuleGetGlobal(&total, &bytes, mod, "dev::total"));
	ck_assert_uint_eq(bytes, sizeof(unsigned long long));
	/* the initializer is in the device copy */
	MU_OK(muMemcpyDtoH(&g, gain, sizeof(g)));
	ck_assert_float_eq(g, 1.5f);
	MU_OK(muModuleUnload(mod));
}
END_TEST

START_TEST(test_kernel_reads_and_writes_globals)
{
	MUmodule mod = load_globals();
	MUfunction f;
	MUdeviceptr table, gain, total;
	int host[32];
	unsigned long long sum = 0, expect = 0;
	float g = 2.0f;
	unsigned int i;

	MU_OK(muModuleGetFunction(&f, mod, "scale_table"));
	MU_OK(muModuleGetGlobal(&table, NULL, mod, "table"));
	MU_OK(muModuleGetGlobal(&gain, NULL, mod, "gain"));
	MU_OK(muModuleGetGlobal(&total, NULL, mod, "dev::total"));
	for (i = 0; i < 32; i++)
		host[i] = (int)i + 1;
	MU_OK(muMemcpyHtoD(table, host, sizeof(host)));
	MU_OK(muMemcpyHtoD(gain, &g, sizeof(g)));
	MU_OK(muMemsetD8(total, 0, sizeof(sum)));
	MU_OK(muLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, NULL, NULL, NULL));
	MU_OK(muCtxSynchronize());
	MU_OK(muMemcpyDtoH(host, table, sizeof(host)));
	MU_OK(muMemcpyDtoH(&sum, total, sizeof(sum)));
	for (i = 0; i < 32; i++) {
		ck_assert_int_eq(host[i], 2 * ((int)i + 1));
		expect += (unsigned long long)host[i];
	}
	ck_assert(sum == expect);
	/* a variable's address also works as a device pointer of the D2D copy */
	MU_OK(muMemsetD32(table, 7u, 32));
	MU_OK(muMemcpyDtoD(table + 31 * sizeof(int), table, sizeof(int)));
	MU_OK(muModuleUnload(mod));
}
END_TEST

START_TEST(test_get_global_errors)
{
	MUmodule mod = load_globals();
	MUdeviceptr p;
	size_t bytes;
	int buf[33] = {0};

	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, mod, "nope"), MUSA_ERROR_NOT_FOUND);
	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, mod, "total"), MUSA_ERROR_NOT_FOUND);
	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, mod, "scale_table"), MUSA_ERROR_NOT_FOUND);
	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, mod, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, (MUmodule)buf, "table"),
			 MUSA_ERROR_INVALID_HANDLE);
	/* no printf, no malloc: no device-runtime variables, no buffers */
	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, mod, "__musa_printf_fifo"),
			 MUSA_ERROR_NOT_FOUND);
	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, mod, "__musa_heap"), MUSA_ERROR_NOT_FOUND);
	/* one element past the variable is not device memory */
	MU_OK(muModuleGetGlobal(&p, &bytes, mod, "table"));
	ck_assert_int_eq(muMemcpyHtoD(p, buf, bytes + sizeof(int)), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemsetD32(p, 0, 33), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muModuleUnload(mod));
	/* after unloading, the variable is gone from the device's view */
	ck_assert_int_eq(muMemcpyHtoD(p, buf, sizeof(int)), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muModuleGetGlobal(&p, &bytes, mod, "table"), MUSA_ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(test_ctx_limits)
{
	size_t v = 0;

	MU_OK(muCtxGetLimit(&v, MU_LIMIT_PRINTF_FIFO_SIZE));
	ck_assert_uint_eq(v, 1u << 20);
	MU_OK(muCtxGetLimit(&v, MU_LIMIT_MALLOC_HEAP_SIZE));
	ck_assert_uint_eq(v, 8u << 20);
	MU_OK(muCtxSetLimit(MU_LIMIT_MALLOC_HEAP_SIZE, 3u << 20));
	MU_OK(muCtxGetLimit(&v, MU_LIMIT_MALLOC_HEAP_SIZE));
	ck_assert_uint_eq(v, 3u << 20);
	ck_assert_int_eq(muCtxSetLimit(MU_LIMIT_PRINTF_FIFO_SIZE, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muCtxSetLimit(MU_LIMIT_STACK_SIZE, 8192), MUSA_SUCCESS);
	ck_assert_int_eq(muCtxGetLimit(&v, MU_LIMIT_STACK_SIZE), MUSA_SUCCESS);
	ck_assert_uint_eq(v, 8192);
	ck_assert_int_eq(muCtxSetLimit(MU_LIMIT_STACK_SIZE, 1u << 20), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muCtxSetLimit(MU_LIMIT_PERSISTING_L2_CACHE_SIZE, 1024),
			 MUSA_ERROR_UNSUPPORTED_LIMIT);
	ck_assert_int_eq(muCtxGetLimit(&v, (MUlimit)9), MUSA_ERROR_UNSUPPORTED_LIMIT);
	ck_assert_int_eq(muCtxGetLimit(NULL, MU_LIMIT_PRINTF_FIFO_SIZE), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_global");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_get_global_address_and_size);
	tcase_add_test(tc, test_kernel_reads_and_writes_globals);
	tcase_add_test(tc, test_get_global_errors);
	tcase_add_test(tc, test_ctx_limits);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
