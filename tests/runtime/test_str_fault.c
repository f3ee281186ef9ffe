/* SPDX-License-Identifier: MIT */
/*
 * test_str_fault.c - host functions and callbacks around a device fault: a
 * callback queued behind a faulting kernel still runs and gets the sticky
 * error as its status, work behind it does not hang, and musaDeviceReset
 * with host functions queued on several streams returns. Kernels:
 * tests/kmd/faults.kern.c, registered by hand.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "rt_test.h"

#define FAULTS_PATH TEST_BUILD_DIR "/tests/kmd/faults.so"

static const char stub_poke;
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
	__musaRegisterFatBinaryEnd(h);
}

struct gate {
	atomic_int open;
};

static void gate_fn(void *arg)
{
	struct gate *g = arg;
	struct timespec ms = { 0, 1000000 };

	for (int i = 0; i < 10000 && !atomic_load(&g->open); i++)
		nanosleep(&ms, NULL);
}

struct seen {
	atomic_int calls;
	musaError_t status;
};

static void cb(musaStream_t stream, musaError_t status, void *arg)
{
	struct seen *s = arg;

	(void)stream;
	s->status = status;
	atomic_fetch_add(&s->calls, 1);
}

static void count_fn(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

START_TEST(test_callback_gets_fault_status)
{
	struct fault_args a = { 0 };
	void *args[] = { &a.addr, &a.out, &a.zero, &a.depth };
	struct gate g = { 0 };
	struct seen before = { 0 }, after = { 0 };
	atomic_int count = 0;
	musaStream_t s;

	ck_assert_int_eq(musaMalloc((void **)&a.out, 64), musaSuccess);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaStreamAddCallback(s, cb, &before, 0), musaSuccess);
	ck_assert_int_eq(musaLaunchHostFunc(s, gate_fn, &g), musaSuccess);
	a.addr = 0;  /* the kernel writes to NULL */
	ck_assert_int_eq(musaLaunchKernel(&stub_poke, rt_dim3(1, 1, 1), rt_dim3(1, 1, 1), args, 0, s),
			 musaSuccess);
	ck_assert_int_eq(musaStreamAddCallback(s, cb, &after, 0), musaSuccess);
	ck_assert_int_eq(musaLaunchHostFunc(s, count_fn, &count), musaSuccess);
	atomic_store(&g.open, 1);
	ck_assert_int_eq(musaStreamSynchronize(s), musaErrorIllegalAddress);
	ck_assert_int_eq(musaDeviceSynchronize(), musaErrorIllegalAddress);
	ck_assert_int_eq(atomic_load(&before.calls), 1);
	ck_assert_int_eq(before.status, musaSuccess);
	ck_assert_int_eq(atomic_load(&after.calls), 1);
	ck_assert_int_eq(after.status, musaErrorIllegalAddress);
	ck_assert_int_eq(atomic_load(&count), 1);
	/* Sticky: no new host functions are accepted. */
	ck_assert_int_eq(musaLaunchHostFunc(s, count_fn, &count), musaErrorIllegalAddress);
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(s), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaLaunchHostFunc(0, count_fn, &count), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(atomic_load(&count), 2);
}
END_TEST

START_TEST(test_reset_with_pending_host_funcs)
{
	atomic_int count = 0;
	musaStream_t s[4];

	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(musaStreamCreateWithFlags(&s[i], i & 1), musaSuccess);
		for (int k = 0; k < 10; k++)
			ck_assert_int_eq(musaLaunchHostFunc(s[i], count_fn, &count), musaSuccess);
	}
	ck_assert_int_eq(musaLaunchHostFunc(musaStreamPerThread, count_fn, &count), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s[0]), musaSuccess);
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(atomic_load(&count), 41);
	ck_assert_int_eq(musaStreamSynchronize(musaStreamPerThread), musaSuccess);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_str_fault");
	TCase *tc = tcase_create("fault");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_faults, NULL);
	tcase_add_test(tc, test_callback_gets_fault_status);
	tcase_add_test(tc, test_reset_with_pending_host_funcs);
	suite_add_tcase(s, tc);
	return rt_run_suites(&s, 1);
}
