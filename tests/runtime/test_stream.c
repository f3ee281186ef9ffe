/* SPDX-License-Identifier: MIT */
/*
 * test_stream.c - streams and events through the runtime: creation flags,
 * destroyed and made-up handles, the default streams, queries while work is
 * pending, cross-stream waits and event timing order.
 */
#include <string.h>

#include "rt_test.h"

static struct rt_kernels_fatbin kernels;

static void setup_kernels(void)
{
	rt_register_test_kernels(&kernels);
}

/* streams */

START_TEST(test_musaStreamCreate_null_ptr)
{
	ck_assert_int_eq(musaStreamCreate(NULL), musaErrorInvalidValue);
	ck_assert_int_eq(musaStreamCreateWithFlags(NULL, musaStreamDefault), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaStreamCreateWithFlags_bad_flags)
{
	musaStream_t s = (musaStream_t)0x99;

	ck_assert_int_eq(musaStreamCreateWithFlags(&s, 0x2), musaErrorInvalidValue);
	ck_assert_int_eq(musaStreamCreateWithFlags(&s, 0x80000000u), musaErrorInvalidValue);
	ck_assert_ptr_eq(s, (musaStream_t)0x99);
}
END_TEST

START_TEST(test_musaStreamCreateWithFlags_both_flags)
{
	musaStream_t a, b;

	ck_assert_int_eq(musaStreamCreateWithFlags(&a, musaStreamDefault), musaSuccess);
	ck_assert_int_eq(musaStreamCreateWithFlags(&b, musaStreamNonBlocking), musaSuccess);
	ck_assert_ptr_ne(a, b);
	ck_assert_int_eq(musaStreamQuery(a), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(b), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(a), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(b), musaSuccess);
}
END_TEST

START_TEST(test_musaStreamDestroy_destroyed_stream)
{
	musaStream_t s;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaStreamSynchronize(s), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaStreamQuery(s), musaErrorInvalidResourceHandle);
}
END_TEST

START_TEST(test_musaStreamDestroy_default_streams)
{
	ck_assert_int_eq(musaStreamDestroy(NULL), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaStreamDestroy(musaStreamLegacy), musaErrorInvalidResourceHandle);
}
END_TEST

START_TEST(test_musaStream_made_up_handle)
{
	int x;

	ck_assert_int_eq(musaStreamSynchronize((musaStream_t)&x), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaStreamDestroy((musaStream_t)&x), musaErrorInvalidResourceHandle);
}
END_TEST

START_TEST(test_musaStreamSynchronize_default_streams)
{
	ck_assert_int_eq(musaStreamSynchronize(NULL), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(musaStreamLegacy), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(NULL), musaSuccess);
}
END_TEST

START_TEST(test_musaStreamQuery_not_ready_while_running)
{
	musaStream_t s;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(rt_launch_sleep(300, s), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(s), musaErrorNotReady);
	ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(s), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
}
END_TEST

START_TEST(test_musaStream_orders_copy_kernel_copy)
{
	enum { N = 10000 };
	int *h = malloc(N * sizeof(int));
	int *d = NULL;
	musaStream_t s;

	ck_assert_ptr_nonnull(h);
	for (int i = 0; i < N; i++)
		h[i] = i;
	ck_assert_int_eq(musaMalloc((void **)&d, N * sizeof(int)), musaSuccess);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(d, h, N * sizeof(int), musaMemcpyHostToDevice, s), musaSuccess);
	ck_assert_int_eq(rt_launch_add_one(d, N, 128, s), musaSuccess);
	ck_assert_int_eq(rt_launch_add_one(d, N, 256, s), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(h, d, N * sizeof(int), musaMemcpyDeviceToHost, s), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], i + 2);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaSuccess);
	free(h);
}
END_TEST

START_TEST(test_musaStreamWaitEvent_bad_flags)
{
	musaStream_t s;
	musaEvent_t e;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&e), musaSuccess);
	ck_assert_int_eq(musaStreamWaitEvent(s, e, 1), musaErrorInvalidValue);
	ck_assert_int_eq(musaStreamWaitEvent(s, e, 0), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
}
END_TEST

START_TEST(test_musaStreamWaitEvent_destroyed_event)
{
	musaStream_t s;
	musaEvent_t e;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&e), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
	ck_assert_int_eq(musaStreamWaitEvent(s, e, 0), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaStreamWaitEvent(s, NULL, 0), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
}
END_TEST

START_TEST(test_musaStreamWaitEvent_orders_across_streams)
{
	musaStream_t a, b;
	musaEvent_t e;
	int *d = NULL, h = 0;

	ck_assert_int_eq(musaMalloc((void **)&d, sizeof(int)), musaSuccess);
	ck_assert_int_eq(musaMemset(d, 0, sizeof(int)), musaSuccess);
	ck_assert_int_eq(musaStreamCreateWithFlags(&a, musaStreamNonBlocking), musaSuccess);
	ck_assert_int_eq(musaStreamCreateWithFlags(&b, musaStreamNonBlocking), musaSuccess);
	ck_assert_int_eq(musaEventCreateWithFlags(&e, musaEventDisableTiming), musaSuccess);
	/* a: sleep, then +1; b waits for a's event, then copies out. */
	ck_assert_int_eq(rt_launch_sleep(100, a), musaSuccess);
	ck_assert_int_eq(rt_launch_add_one(d, 1, 1, a), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e, a), musaSuccess);
	ck_assert_int_eq(musaStreamWaitEvent(b, e, 0), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(&h, d, sizeof(int), musaMemcpyDeviceToHost, b), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(b), musaSuccess);
	ck_assert_int_eq(h, 1);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(a), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(b), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

/* events */

START_TEST(test_musaEventCreate_null_ptr)
{
	ck_assert_int_eq(musaEventCreate(NULL), musaErrorInvalidValue);
	ck_assert_int_eq(musaEventCreateWithFlags(NULL, 0), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaEventCreateWithFlags_bad_flags)
{
	musaEvent_t e = (musaEvent_t)0x99;

	ck_assert_int_eq(musaEventCreateWithFlags(&e, 0x8), musaErrorInvalidValue);
	ck_assert_int_eq(musaEventCreateWithFlags(&e, musaEventInterprocess), musaErrorInvalidValue);
	ck_assert_ptr_eq(e, (musaEvent_t)0x99);
}
END_TEST

START_TEST(test_musaEventDestroy_destroyed_event)
{
	musaEvent_t e;

	ck_assert_int_eq(musaEventCreate(&e), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventRecord(e, NULL), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventQuery(e), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventSynchronize(e), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventDestroy(NULL), musaErrorInvalidResourceHandle);
}
END_TEST

START_TEST(test_musaEventRecord_bad_stream)
{
	musaEvent_t e;
	musaStream_t s;

	ck_assert_int_eq(musaEventCreate(&e), musaSuccess);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e, s), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventRecord(e, NULL), musaSuccess);
	ck_assert_int_eq(musaEventSynchronize(e), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
}
END_TEST

START_TEST(test_musaEventQuery_not_ready_then_success)
{
	musaEvent_t e;
	musaStream_t s;

	ck_assert_int_eq(musaEventCreate(&e), musaSuccess);
	ck_assert_int_eq(musaEventQuery(e), musaSuccess);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(rt_launch_sleep(300, s), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e, s), musaSuccess);
	ck_assert_int_eq(musaEventQuery(e), musaErrorNotReady);
	ck_assert_int_eq(musaEventSynchronize(e), musaSuccess);
	ck_assert_int_eq(musaEventQuery(e), musaSuccess);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
}
END_TEST

START_TEST(test_musaEventElapsedTime_ordering)
{
	musaEvent_t e0, e1, e2;
	musaStream_t s;
	float t01 = -1, t02 = -1, t12 = -1;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&e0), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&e1), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&e2), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e0, s), musaSuccess);
	ck_assert_int_eq(rt_launch_sleep(30, s), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e1, s), musaSuccess);
	ck_assert_int_eq(rt_launch_sleep(30, s), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e2, s), musaSuccess);
	ck_assert_int_eq(musaEventSynchronize(e2), musaSuccess);
	ck_assert_int_eq(musaEventElapsedTime(&t01, e0, e1), musaSuccess);
	ck_assert_int_eq(musaEventElapsedTime(&t02, e0, e2), musaSuccess);
	ck_assert_int_eq(musaEventElapsedTime(&t12, e1, e2), musaSuccess);
	ck_assert_msg(t01 >= 25.0f, "t01 = %f", t01);
	ck_assert_msg(t12 >= 25.0f, "t12 = %f", t12);
	ck_assert_msg(t02 >= t01 && t02 >= t12, "t01 %f t12 %f t02 %f", t01, t12, t02);
	ck_assert_int_eq(musaEventDestroy(e0), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e1), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e2), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
}
END_TEST

START_TEST(test_musaEventElapsedTime_null_ms)
{
	musaEvent_t a, b;

	ck_assert_int_eq(musaEventCreate(&a), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&b), musaSuccess);
	ck_assert_int_eq(musaEventRecord(a, NULL), musaSuccess);
	ck_assert_int_eq(musaEventRecord(b, NULL), musaSuccess);
	ck_assert_int_eq(musaEventSynchronize(b), musaSuccess);
	ck_assert_int_eq(musaEventElapsedTime(NULL, a, b), musaErrorInvalidValue);
	ck_assert_int_eq(musaEventDestroy(a), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(b), musaSuccess);
}
END_TEST

START_TEST(test_musaEventElapsedTime_disable_timing)
{
	musaEvent_t a, b;
	float ms = -7;

	ck_assert_int_eq(musaEventCreateWithFlags(&a, musaEventDisableTiming), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&b), musaSuccess);
	ck_assert_int_eq(musaEventRecord(a, NULL), musaSuccess);
	ck_assert_int_eq(musaEventRecord(b, NULL), musaSuccess);
	ck_assert_int_eq(musaEventSynchronize(b), musaSuccess);
	ck_assert_int_eq(musaEventElapsedTime(&ms, a, b), musaErrorInvalidResourceHandle);
	ck_assert_float_eq(ms, -7);
	ck_assert_int_eq(musaEventDestroy(a), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(b), musaSuccess);
}
END_TEST

START_TEST(test_musaEventElapsedTime_destroyed_event)
{
	musaEvent_t a, b;
	float ms;

	ck_assert_int_eq(musaEventCreate(&a), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&b), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(b), musaSuccess);
	ck_assert_int_eq(musaEventElapsedTime(&ms, a, b), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventElapsedTime(&ms, b, a), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventDestroy(a), musaSuccess);
}
END_TEST

static Suite *stream_suite(void)
{
	Suite *s = suite_create("runtime_stream");
	TCase *tc = tcase_create("stream");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_musaStreamCreate_null_ptr);
	tcase_add_test(tc, test_musaStreamCreateWithFlags_bad_flags);
	tcase_add_test(tc, test_musaStreamCreateWithFlags_both_flags);
	tcase_add_test(tc, test_musaStreamDestroy_destroyed_stream);
	tcase_add_test(tc, test_musaStreamDestroy_default_streams);
	tcase_add_test(tc, test_musaStream_made_up_handle);
	tcase_add_test(tc, test_musaStreamSynchronize_default_streams);
	tcase_add_test(tc, test_musaStreamQuery_not_ready_while_running);
	tcase_add_test(tc, test_musaStream_orders_copy_kernel_copy);
	tcase_add_test(tc, test_musaStreamWaitEvent_bad_flags);
	tcase_add_test(tc, test_musaStreamWaitEvent_destroyed_event);
	tcase_add_test(tc, test_musaStreamWaitEvent_orders_across_streams);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *event_suite(void)
{
	Suite *s = suite_create("runtime_event");
	TCase *tc = tcase_create("event");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_musaEventCreate_null_ptr);
	tcase_add_test(tc, test_musaEventCreateWithFlags_bad_flags);
	tcase_add_test(tc, test_musaEventDestroy_destroyed_event);
	tcase_add_test(tc, test_musaEventRecord_bad_stream);
	tcase_add_test(tc, test_musaEventQuery_not_ready_then_success);
	tcase_add_test(tc, test_musaEventElapsedTime_ordering);
	tcase_add_test(tc, test_musaEventElapsedTime_null_ms);
	tcase_add_test(tc, test_musaEventElapsedTime_disable_timing);
	tcase_add_test(tc, test_musaEventElapsedTime_destroyed_event);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *suites[] = { stream_suite(), event_suite() };

	return rt_run_suites(suites, 2);
}
