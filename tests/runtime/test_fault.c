/* SPDX-License-Identifier: MIT */
/*
 * test_fault.c - device faults as the runtime reports them (DESIGN.md's
 * fault table): the sticky musaError_t from musaDeviceSynchronize and every
 * later call, musaGetLastError, recovery with musaDeviceReset, and a forked
 * child refused. Kernels: tests/kmd/faults.kern.c, registered by hand.
 */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_test.h"
#include "../common/san.h"

#define FAULTS_PATH TEST_BUILD_DIR "/tests/kmd/faults.so"

static const char stub_poke, stub_trap, stub_divzero, stub_recurse, stub_assert, stub_spin,
	stub_store;
static struct rt_kernels_fatbin faults;

struct fault_args {
	uint64_t addr;
	uint32_t *out;
	int32_t zero;
	int32_t depth;
};

static void setup_faults(void)
{
	size_t size;
	void *data = rt_read_file(FAULTS_PATH, &size);
	void **h = rt_register_image(&faults, RT_TEST_ARCH, data, size);

	rt_register_kernel(h, &stub_poke, "poke");
	rt_register_kernel(h, &stub_trap, "trap");
	rt_register_kernel(h, &stub_divzero, "divzero");
	rt_register_kernel(h, &stub_recurse, "recurse");
	rt_register_kernel(h, &stub_assert, "assert");
	rt_register_kernel(h, &stub_spin, "spin");
	rt_register_kernel(h, &stub_store, "store");
	__musaRegisterFatBinaryEnd(h);
}

static musaError_t launch(const char *stub, struct fault_args *a, unsigned int grid,
			  unsigned int block)
{
	void *args[] = { &a->addr, &a->out, &a->zero, &a->depth };

	return musaLaunchKernel(stub, rt_dim3(grid, 1, 1), rt_dim3(block, 1, 1), args, 0, NULL);
}

/* The fault is sticky; a reset clears it and new work runs. */
static void expect_sticky_then_reset(const char *stub, struct fault_args *a, unsigned int block,
				     musaError_t want)
{
	struct fault_args s = { 0 };
	uint32_t v[2] = { 0 };
	void *d = NULL;

	ck_assert_int_eq(launch(stub, a, 1, block), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), want);
	ck_assert_int_eq(musaMalloc(&d, 64), want);
	ck_assert_int_eq(musaMemset(a->out, 0, 4), want);
	ck_assert_int_eq(launch(&stub_store, a, 1, 1), want);
	ck_assert_int_eq(musaDeviceSynchronize(), want);
	ck_assert_int_eq(musaGetLastError(), want);
	ck_assert_int_eq(musaPeekAtLastError(), want);

	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(musaMalloc((void **)&s.out, 64), musaSuccess);
	ck_assert_int_eq(launch(&stub_store, &s, 2, 1), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(musaMemcpy(v, s.out, sizeof(v), musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_uint_eq(v[0], 42);
	ck_assert_uint_eq(v[1], 43);
	ck_assert_int_eq(musaFree(s.out), musaSuccess);
}

static struct fault_args fresh_args(void)
{
	struct fault_args a = { 0 };

	ck_assert_int_eq(musaMalloc((void **)&a.out, 64), musaSuccess);
	ck_assert_int_eq(musaMemset(a.out, 0, 64), musaSuccess);
	return a;
}

START_TEST(test_null_write_is_illegal_address)
{
	struct fault_args a = fresh_args();

	a.addr = 0;
	expect_sticky_then_reset(&stub_poke, &a, 1, musaErrorIllegalAddress);
}
END_TEST

START_TEST(test_trap_is_illegal_instruction)
{
	struct fault_args a = fresh_args();

	expect_sticky_then_reset(&stub_trap, &a, 1, musaErrorIllegalInstruction);
}
END_TEST

START_TEST(test_integer_divide_by_zero_is_launch_failure)
{
	struct fault_args a = fresh_args();

	expect_sticky_then_reset(&stub_divzero, &a, 1, musaErrorLaunchFailure);
}
END_TEST

START_TEST(test_stack_overflow_is_hardware_stack_error)
{
	struct fault_args a = fresh_args();

	a.depth = 1 << 20;
	expect_sticky_then_reset(&stub_recurse, &a, 32, musaErrorHardwareStackError);
}
END_TEST

START_TEST(test_device_assert_is_assert)
{
	struct fault_args a = fresh_args();

	expect_sticky_then_reset(&stub_assert, &a, 1, musaErrorAssert);
}
END_TEST

START_TEST(test_watchdog_is_launch_timeout)
{
	struct fault_args a;

	setenv("MUSA_WATCHDOG_MS", "100", 1);
	a = fresh_args();
	a.addr = (uintptr_t)a.out;   /* zero: spins until the watchdog */
	expect_sticky_then_reset(&stub_spin, &a, 1, musaErrorLaunchTimeout);
}
END_TEST

START_TEST(test_forked_child_gets_initialization_error)
{
	struct fault_args a = fresh_args();
	int status = -1;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		void *d = NULL;

		_exit(musaMalloc(&d, 64) == musaErrorInitializationError ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(musaFree(a.out), musaSuccess);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_fault");
	TCase *tc = tcase_create("sticky");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_faults, NULL);
	tcase_add_test(tc, test_null_write_is_illegal_address);
	tcase_add_test(tc, test_trap_is_illegal_instruction);
	tcase_add_test(tc, test_integer_divide_by_zero_is_launch_failure);
	if (!UNDER_TSAN)
		tcase_add_test(tc, test_stack_overflow_is_hardware_stack_error);
	tcase_add_test(tc, test_device_assert_is_assert);
	if (!UNDER_TSAN)
		tcase_add_test(tc, test_watchdog_is_launch_timeout);
	tcase_add_test(tc, test_forked_child_gets_initialization_error);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
