/* SPDX-License-Identifier: MIT */
/*
 * test_dev_exec.c - the driver's device, occupancy and function-state
 * details beyond the conformance suite: the exact occupancy model of the
 * software device, per-function and per-context state that dies with its
 * module or context, cooperative grid limits, bus ids of reordered
 * devices, and the MUSA_LOG=debug trace of driver calls.
 */
#include <string.h>
#include <unistd.h>

#include "umd_test.h"

static int attr(MUdevice_attribute a)
{
	int v = -1;

	MU_OK(muDeviceGetAttribute(&v, a, 0));
	return v;
}

START_TEST(test_occupancy_model)
{
	MUmodule m;
	MUfunction f = ut_func(&m, "vadd");
	int threads_sm = attr(MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR);
	int blocks_sm = attr(MU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR);
	int smem_sm = attr(MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR);
	int smem_blk = attr(MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK);
	int warp = attr(MU_DEVICE_ATTRIBUTE_WARP_SIZE);
	int n = -1, want;

	/* Threads bound the count for big blocks ... */
	MU_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&n, f, 512, 0));
	ck_assert_int_eq(n, threads_sm / 512 < blocks_sm ? threads_sm / 512 : blocks_sm);
	/* ... block slots for small ones, where a block takes a whole warp. */
	MU_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&n, f, 1, 0));
	want = threads_sm / warp < blocks_sm ? threads_sm / warp : blocks_sm;
	ck_assert_int_eq(n, want);
	/* ... and shared memory when blocks use it. */
	MU_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&n, f, 32, (size_t)smem_blk));
	ck_assert_int_eq(n, smem_sm / smem_blk);
	MU_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&n, f, 32, (size_t)smem_blk + 1));
	ck_assert_int_eq(n, 0);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_function_state_dies_with_module)
{
	MUmodule m;
	MUfunction f = ut_func(&m, "vadd");
	int v;

	MU_OK(muFuncSetAttribute(f, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 100));
	MU_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, f));
	ck_assert_int_eq(v, 100);
	MU_OK(muModuleUnload(m));
	ck_assert_int_eq(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, f),
			 MUSA_ERROR_INVALID_HANDLE);
	/* A fresh load starts from the default, even at the same address. */
	f = ut_func(&m, "vadd");
	MU_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, f));
	ck_assert_int_eq(v, attr(MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK));
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_context_config_dies_with_context)
{
	MUcontext c;
	MUfunc_cache cfg;

	MU_OK(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_EQUAL));
	MU_OK(muCtxDestroy(ut_ctx));
	ut_ctx = NULL;
	MU_OK(muCtxCreate(&c, 0, 0));
	MU_OK(muCtxGetCacheConfig(&cfg));
	ck_assert_int_eq(cfg, MU_FUNC_CACHE_PREFER_NONE);
	MU_OK(muCtxDestroy(c));
}
END_TEST

START_TEST(test_primary_reset_clears_config)
{
	MUcontext p;
	MUfunc_cache cfg;

	MU_OK(muDevicePrimaryCtxRetain(&p, 0));
	MU_OK(muCtxPushCurrent(p));
	MU_OK(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_L1));
	MU_OK(muDevicePrimaryCtxReset(0));
	MU_OK(muCtxGetCacheConfig(&cfg));
	ck_assert_int_eq(cfg, MU_FUNC_CACHE_PREFER_NONE);
	MU_OK(muCtxPopCurrent(NULL));
	MU_OK(muDevicePrimaryCtxRelease(0));
}
END_TEST

START_TEST(test_cooperative_grid_limit_is_exact)
{
	MUmodule m;
	MUfunction f = ut_func(&m, "spin");
	int per = 0, sms = attr(MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);

	MU_OK(muOccupancyMaxActiveBlocksPerMultiprocessor(&per, f, 1024, 0));
	ck_assert_int_gt(per, 0);
	/* One block too many is refused before anything is queued. */
	ck_assert_int_eq(muLaunchCooperativeKernel(f, (unsigned int)(per * sms + 1), 1, 1, 1024, 1,
						   1, 0, NULL, NULL),
			 MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_bus_ids_follow_physical_devices)
{
	char id[16];
	MUdevice d = -1;

	setenv("MUSA_SWDEV", "count=3", 1);
	setenv("MUSA_VISIBLE_DEVICES", "2,1", 1);
	MU_OK(muInit(0));
	MU_OK(muDeviceGetPCIBusId(id, sizeof(id), 0));
	ck_assert_str_eq(id, "0000:02:00.0");
	MU_OK(muDeviceGetByPCIBusId(&d, "0000:01:00.0"));
	ck_assert_int_eq(d, 1);
	MU_OK(muDeviceGetByPCIBusId(&d, "02:00.0"));
	ck_assert_int_eq(d, 0);
	MU_OK(muDeviceGetByPCIBusId(&d, "0000:01:00"));
	ck_assert_int_eq(d, 1);
	MU_OK(muDeviceGetByPCIBusId(&d, "0000:02:00.0"));
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(muDeviceGetByPCIBusId(&d, "0000:00:00.0"), MUSA_ERROR_INVALID_DEVICE);
	ck_assert_int_eq(muDeviceGetByPCIBusId(&d, "0000:01:00.0x"), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetByPCIBusId(&d, ""), MUSA_ERROR_INVALID_VALUE);
	/* A short buffer gets a truncated, terminated string. */
	MU_OK(muDeviceGetPCIBusId(id, 5, 0));
	ck_assert_str_eq(id, "0000");
}
END_TEST

/* Runs muInit and then fn under MUSA_LOG=debug, with stderr caught in buf. */
static void log_debug_stderr(void (*fn)(void), char *buf, size_t size)
{
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	setenv("MUSA_LOG", "debug", 1);
	ck_assert_ptr_ne(f, NULL);
	dup2(fileno(f), 2);
	MU_OK(muInit(0));
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void get_attribute_zero(void)
{
	int v;

	muDeviceGetAttribute(&v, (MUdevice_attribute)0, 0);
}

START_TEST(test_log_debug_traces_driver_calls)
{
	char buf[4096];

	log_debug_stderr(get_attribute_zero, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "muDeviceGetAttribute -> 1") != NULL, "no trace in: %s", buf);
}
END_TEST

static void error_name_without_a_pointer(void)
{
	ck_assert_int_eq(muGetErrorName(MUSA_SUCCESS, NULL), MUSA_ERROR_INVALID_VALUE);
}

START_TEST(test_log_debug_names_the_failed_check)
{
	char buf[4096];

	log_debug_stderr(error_name_without_a_pointer, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "check failed: !pStr in muGetErrorName") != NULL,
		      "no check in: %s", buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_dev_exec");
	TCase *tc = tcase_create("dev_exec");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_occupancy_model);
	tcase_add_test(tc, test_function_state_dies_with_module);
	tcase_add_test(tc, test_context_config_dies_with_context);
	tcase_add_test(tc, test_primary_reset_clears_config);
	tcase_add_test(tc, test_cooperative_grid_limit_is_exact);
	suite_add_tcase(s, tc);
	/* These set the environment before muInit: no fixture. */
	tc = tcase_create("env");
	tcase_add_test(tc, test_bus_ids_follow_physical_devices);
	tcase_add_test(tc, test_log_debug_traces_driver_calls);
	tcase_add_test(tc, test_log_debug_names_the_failed_check);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
