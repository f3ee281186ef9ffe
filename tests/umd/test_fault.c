/* SPDX-License-Identifier: MIT */
/*
 * test_fault.c - device faults and process lifetime as the driver API
 * reports them: each fault kind becomes its sticky MUresult, a fault on
 * device 0 leaves device 1 alone, and a child forked after muInit cannot
 * use the driver. Kernels: tests/kmd/faults.kern.c.
 */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "umd_test.h"
#include "../common/san.h"

#define FAULTS_PATH TEST_BUILD_DIR "/tests/kmd/faults.so"

struct fault_args {
	uint64_t addr;
	MUdeviceptr out;
	int32_t zero;
	int32_t depth;
};

/* Launches `name` from faults.so on the current context with `a`. */
static MUresult launch(const char *name, struct fault_args *a, unsigned int grid,
		       unsigned int block)
{
	MUmodule m;
	MUfunction f;
	void *args[] = { &a->addr, &a->out, &a->zero, &a->depth };

	MU_OK(muModuleLoad(&m, FAULTS_PATH));
	MU_OK(muModuleGetFunction(&f, m, name));
	return muLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, NULL, args, NULL);
}

static void expect_fault(const char *name, struct fault_args *a, unsigned int block,
			 MUresult want)
{
	MUdeviceptr d;

	MU_OK(launch(name, a, 1, block));
	ck_assert_int_eq(muCtxSynchronize(), want);
	ck_assert_int_eq(muCtxSynchronize(), want);
	ck_assert_int_eq(muMemAlloc(&d, 64), want);
}

START_TEST(test_fault_kinds_map_to_sticky_results)
{
	static const struct { const char *name; int32_t depth; unsigned int block; MUresult r; } k[] = {
		{ "poke", 0, 1, MUSA_ERROR_ILLEGAL_ADDRESS },
		{ "trap", 0, 1, MUSA_ERROR_ILLEGAL_INSTRUCTION },
		{ "divzero", 0, 1, MUSA_ERROR_LAUNCH_FAILED },
		{ "recurse", 1 << 20, 32, MUSA_ERROR_HARDWARE_STACK_ERROR },
		{ "assert", 0, 1, MUSA_ERROR_ASSERT },
	};

	MU_OK(muInit(0));
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		MUcontext c;
		struct fault_args a = { .depth = k[i].depth };

		if (UNDER_TSAN && k[i].depth)
			continue;   /* the fiber stack overflow: see UNDER_TSAN */

		MU_OK(muCtxCreate(&c, 0, 0));
		MU_OK(muMemAlloc(&a.out, 64));
		expect_fault(k[i].name, &a, k[i].block, k[i].r);
		MU_OK(muCtxDestroy(c));
	}
}
END_TEST

START_TEST(test_fault_watchdog_is_launch_timeout)
{
	MUcontext c;
	struct fault_args a = { 0 };
	MUdeviceptr flag;

	setenv("MUSA_WATCHDOG_MS", "100", 1);
	MU_OK(muInit(0));
	MU_OK(muCtxCreate(&c, 0, 0));
	MU_OK(muMemAlloc(&flag, 64));
	MU_OK(muMemsetD8(flag, 0, 64));
	a.addr = flag;
	a.out = flag;
	expect_fault("spin", &a, 1, MUSA_ERROR_LAUNCH_TIMEOUT);
	MU_OK(muCtxDestroy(c));
}
END_TEST

START_TEST(test_fault_on_device0_leaves_device1_alone)
{
	MUcontext c0, c1;
	struct fault_args a = { 0 };
	uint32_t v[2] = { 0 };
	int n = 0;

	setenv("MUSA_SWDEV", "count=2,cus=2,mem=256M", 1);
	MU_OK(muInit(0));
	MU_OK(muDeviceGetCount(&n));
	ck_assert_int_eq(n, 2);
	MU_OK(muCtxCreate(&c1, 0, 1));
	MU_OK(muCtxCreate(&c0, 0, 0));
	MU_OK(muMemAlloc(&a.out, 64));
	expect_fault("poke", &a, 1, MUSA_ERROR_ILLEGAL_ADDRESS);
	MU_OK(muCtxSetCurrent(c1));
	MU_OK(muMemAlloc(&a.out, 64));
	MU_OK(launch("store", &a, 2, 1));
	MU_OK(muCtxSynchronize());
	MU_OK(muMemcpyDtoH(v, a.out, sizeof(v)));
	ck_assert_uint_eq(v[0], 42);
	ck_assert_uint_eq(v[1], 43);
	MU_OK(muCtxDestroy(c0));
	MU_OK(muCtxDestroy(c1));
}
END_TEST

/* 0 when every call the child makes is refused as not initialized. */
static int forked_child_checks(MUdeviceptr parent_ptr)
{
	MUdeviceptr d;
	MUcontext c;
	int n;

	if (muCtxSynchronize() != MUSA_ERROR_NOT_INITIALIZED)
		return 1;
	if (muMemAlloc(&d, 64) != MUSA_ERROR_NOT_INITIALIZED)
		return 2;
	if (muMemsetD8(parent_ptr, 0, 4) != MUSA_ERROR_NOT_INITIALIZED)
		return 3;
	if (muInit(0) != MUSA_ERROR_NOT_INITIALIZED)
		return 4;
	if (muDeviceGetCount(&n) != MUSA_ERROR_NOT_INITIALIZED)
		return 5;
	if (muCtxCreate(&c, 0, 0) != MUSA_ERROR_NOT_INITIALIZED)
		return 6;
	return 0;
}

START_TEST(test_forked_child_cannot_use_parent_context)
{
	MUdeviceptr d;
	int status = -1;
	pid_t pid;

	ut_setup();
	MU_OK(muMemAlloc(&d, 64));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(forked_child_checks(d));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	/* The parent is unaffected. */
	MU_OK(muMemsetD8(d, 1, 64));
	MU_OK(muCtxSynchronize());
	ut_teardown();
}
END_TEST

START_TEST(test_child_forked_before_init_can_init)
{
	int status = -1;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		MUcontext c;

		_exit(muInit(0) != MUSA_SUCCESS ? 1 : muCtxCreate(&c, 0, 0) != MUSA_SUCCESS ? 2 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_fault");
	TCase *tc = tcase_create("faults");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fault_kinds_map_to_sticky_results);
	if (!UNDER_TSAN)
		tcase_add_test(tc, test_fault_watchdog_is_launch_timeout);
	tcase_add_test(tc, test_fault_on_device0_leaves_device1_alone);
	suite_add_tcase(s, tc);
	tc = tcase_create("fork");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_forked_child_cannot_use_parent_context);
	tcase_add_test(tc, test_child_forked_before_init_can_init);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
