/* SPDX-License-Identifier: MIT */
/*
 * test_context.c - contexts, the current-context stack and primary contexts.
 */
#include <pthread.h>

#include "umd_test.h"

static void init(void)
{
	MU_OK(muInit(0));
}

START_TEST(test_muCtxCreate_makes_context_current)
{
	MUcontext c, cur;
	MUdevice d = -1;
	unsigned int fl = 99;

	MU_OK(muCtxCreate(&c, MU_CTX_SCHED_YIELD, 0));
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, c);
	MU_OK(muCtxGetDevice(&d));
	ck_assert_int_eq(d, 0);
	MU_OK(muCtxGetFlags(&fl));
	ck_assert_uint_eq(fl, MU_CTX_SCHED_YIELD);
	MU_OK(muCtxSynchronize());
	MU_OK(muCtxDestroy(c));
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_null(cur);
}
END_TEST

START_TEST(test_muCtxCreate_rejects_bad_arguments)
{
	MUcontext c;

	ck_assert_int_eq(muCtxCreate(NULL, 0, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muCtxCreate(&c, 0x100, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muCtxCreate(&c, MU_CTX_SCHED_SPIN | MU_CTX_SCHED_YIELD, 0),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muCtxCreate(&c, 0, 42), MUSA_ERROR_INVALID_DEVICE);
	ck_assert_int_eq(muCtxCreate(&c, 0, -1), MUSA_ERROR_INVALID_DEVICE);
}
END_TEST

START_TEST(test_no_current_context_is_invalid_context)
{
	MUdevice d;
	unsigned int fl;
	MUdeviceptr p;
	MUstream s;

	ck_assert_int_eq(muCtxGetDevice(&d), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muCtxGetFlags(&fl), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muCtxSynchronize(), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muMemAlloc(&p, 64), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muStreamCreate(&s, 0), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muCtxPopCurrent(NULL), MUSA_ERROR_INVALID_CONTEXT);
}
END_TEST

START_TEST(test_muCtxDestroy_twice_is_invalid_context)
{
	MUcontext c;

	MU_OK(muCtxCreate(&c, 0, 0));
	MU_OK(muCtxDestroy(c));
	ck_assert_int_eq(muCtxDestroy(c), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muCtxDestroy(NULL), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muCtxSetCurrent(c), MUSA_ERROR_INVALID_CONTEXT);
	ck_assert_int_eq(muCtxPushCurrent(c), MUSA_ERROR_INVALID_CONTEXT);
}
END_TEST

START_TEST(test_push_pop_stack_order)
{
	MUcontext a, b, cur, popped;

	MU_OK(muCtxCreate(&a, 0, 0));
	MU_OK(muCtxCreate(&b, 0, 0));
	MU_OK(muCtxPopCurrent(&popped));
	ck_assert_ptr_eq(popped, b);
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, a);
	MU_OK(muCtxPushCurrent(b));
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, b);
	MU_OK(muCtxSetCurrent(a));
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, a);
	MU_OK(muCtxPopCurrent(&popped));
	ck_assert_ptr_eq(popped, a);
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, a);
	MU_OK(muCtxSetCurrent(NULL));
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_null(cur);
	ck_assert_int_eq(muCtxGetCurrent(NULL), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muCtxDestroy(a));
	MU_OK(muCtxDestroy(b));
}
END_TEST

static void *other_thread(void *arg)
{
	MUcontext cur = (MUcontext)1;

	(void)arg;
	muCtxGetCurrent(&cur);
	return cur;
}

START_TEST(test_current_context_is_per_thread)
{
	MUcontext c;
	pthread_t t;
	void *seen;

	MU_OK(muCtxCreate(&c, 0, 0));
	pthread_create(&t, NULL, other_thread, NULL);
	pthread_join(t, &seen);
	ck_assert_ptr_null(seen);
	MU_OK(muCtxDestroy(c));
}
END_TEST

START_TEST(test_primary_context_is_refcounted)
{
	MUcontext p1, p2;
	unsigned int fl;
	int active;

	MU_OK(muDevicePrimaryCtxGetState(0, &fl, &active));
	ck_assert_int_eq(active, 0);
	MU_OK(muDevicePrimaryCtxRetain(&p1, 0));
	MU_OK(muDevicePrimaryCtxRetain(&p2, 0));
	ck_assert_ptr_eq(p1, p2);
	MU_OK(muDevicePrimaryCtxGetState(0, &fl, &active));
	ck_assert_int_eq(active, 1);
	MU_OK(muDevicePrimaryCtxRelease(0));
	MU_OK(muDevicePrimaryCtxGetState(0, &fl, &active));
	ck_assert_int_eq(active, 1);
	MU_OK(muDevicePrimaryCtxRelease(0));
	MU_OK(muDevicePrimaryCtxGetState(0, &fl, &active));
	ck_assert_int_eq(active, 0);
	ck_assert_int_eq(muDevicePrimaryCtxRelease(0), MUSA_ERROR_INVALID_CONTEXT);
}
END_TEST

START_TEST(test_primary_context_rejects_bad_arguments)
{
	MUcontext p;
	unsigned int fl;
	int active;

	ck_assert_int_eq(muDevicePrimaryCtxRetain(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDevicePrimaryCtxRetain(&p, 9), MUSA_ERROR_INVALID_DEVICE);
	ck_assert_int_eq(muDevicePrimaryCtxRelease(9), MUSA_ERROR_INVALID_DEVICE);
	ck_assert_int_eq(muDevicePrimaryCtxReset(9), MUSA_ERROR_INVALID_DEVICE);
	ck_assert_int_eq(muDevicePrimaryCtxGetState(0, NULL, &active), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDevicePrimaryCtxGetState(0, &fl, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDevicePrimaryCtxSetFlags(0, 0x40), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDevicePrimaryCtxSetFlags(3, 0), MUSA_ERROR_INVALID_DEVICE);
}
END_TEST

START_TEST(test_primary_context_flags_are_kept)
{
	MUcontext p;
	unsigned int fl;
	int active;

	MU_OK(muDevicePrimaryCtxSetFlags(0, MU_CTX_SCHED_BLOCKING_SYNC));
	MU_OK(muDevicePrimaryCtxGetState(0, &fl, &active));
	ck_assert_uint_eq(fl, MU_CTX_SCHED_BLOCKING_SYNC);
	MU_OK(muDevicePrimaryCtxRetain(&p, 0));
	MU_OK(muCtxSetCurrent(p));
	MU_OK(muCtxGetFlags(&fl));
	ck_assert_uint_eq(fl, MU_CTX_SCHED_BLOCKING_SYNC);
	ck_assert_int_eq(muCtxDestroy(p), MUSA_ERROR_INVALID_CONTEXT);
	MU_OK(muDevicePrimaryCtxRelease(0));
}
END_TEST

START_TEST(test_primary_reset_frees_resources_and_keeps_handle)
{
	MUcontext p, cur;
	MUdeviceptr d;
	MUstream s;

	MU_OK(muDevicePrimaryCtxRetain(&p, 0));
	MU_OK(muCtxSetCurrent(p));
	MU_OK(muMemAlloc(&d, 4096));
	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muDevicePrimaryCtxReset(0));
	MU_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, p);
	ck_assert_int_eq(muStreamDestroy(s), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muMemFree(d), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muMemAlloc(&d, 4096));
	MU_OK(muMemsetD8(d, 7, 4096));
	MU_OK(muMemFree(d));
	MU_OK(muDevicePrimaryCtxRelease(0));
}
END_TEST

START_TEST(test_contexts_have_separate_allocations)
{
	MUcontext a, b;
	MUdeviceptr da;
	MUcontext owner;

	MU_OK(muCtxCreate(&a, 0, 0));
	MU_OK(muMemAlloc(&da, 256));
	MU_OK(muCtxCreate(&b, 0, 0));
	MU_OK(muPointerGetAttribute(&owner, MU_POINTER_ATTRIBUTE_CONTEXT, da));
	ck_assert_ptr_eq(owner, a);
	ck_assert_int_eq(muMemFree(da), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muCtxDestroy(b));
	MU_OK(muMemFree(da));
	MU_OK(muCtxDestroy(a));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_context");
	TCase *tc = tcase_create("context");

	tcase_add_checked_fixture(tc, init, NULL);
	tcase_add_test(tc, test_muCtxCreate_makes_context_current);
	tcase_add_test(tc, test_muCtxCreate_rejects_bad_arguments);
	tcase_add_test(tc, test_no_current_context_is_invalid_context);
	tcase_add_test(tc, test_muCtxDestroy_twice_is_invalid_context);
	tcase_add_test(tc, test_push_pop_stack_order);
	tcase_add_test(tc, test_current_context_is_per_thread);
	tcase_add_test(tc, test_contexts_have_separate_allocations);
	suite_add_tcase(s, tc);
	tc = tcase_create("primary");
	tcase_add_checked_fixture(tc, init, NULL);
	tcase_add_test(tc, test_primary_context_is_refcounted);
	tcase_add_test(tc, test_primary_context_rejects_bad_arguments);
	tcase_add_test(tc, test_primary_context_flags_are_kept);
	tcase_add_test(tc, test_primary_reset_frees_resources_and_keeps_handle);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
