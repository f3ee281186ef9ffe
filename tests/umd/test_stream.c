/* SPDX-License-Identifier: MIT */
/*
 * test_stream.c - streams: creation flags, ordering, query/synchronize,
 * the legacy default stream's implicit synchronization, destroy semantics.
 * A "spin" kernel sleeps on the device so that pending work is observable.
 */
#include <pthread.h>
#include <stdint.h>

#include "umd_test.h"

static MUmodule ut_mod;
static MUfunction ut_spin;

static void setup(void)
{
	ut_setup();
	ut_spin = ut_func(&ut_mod, "spin");
}

/* Queues spin(flag, ms, value) on s. */
static void spin(MUstream s, MUdeviceptr flag, int ms, int value)
{
	void *args[] = { &flag, &ms, &value };

	MU_OK(muLaunchKernel(ut_spin, 1, 1, 1, 1, 1, 1, 0, s, args, NULL));
}

START_TEST(test_muStreamCreate_rejects_bad_flags_and_null)
{
	MUstream s;

	ck_assert_int_eq(muStreamCreate(&s, 0x2), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muStreamCreate(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muStreamCreateWithPriority(&s, 0x10, 0), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_stream_flags_round_trip)
{
	MUstream a, b, c;
	unsigned int fl = 99;

	MU_OK(muStreamCreate(&a, MU_STREAM_DEFAULT));
	MU_OK(muStreamCreate(&b, MU_STREAM_NON_BLOCKING));
	MU_OK(muStreamCreateWithPriority(&c, 0, -1));
	MU_OK(muStreamGetFlags(a, &fl));
	ck_assert_uint_eq(fl, MU_STREAM_DEFAULT);
	MU_OK(muStreamGetFlags(b, &fl));
	ck_assert_uint_eq(fl, MU_STREAM_NON_BLOCKING);
	MU_OK(muStreamGetFlags(NULL, &fl));
	ck_assert_uint_eq(fl, MU_STREAM_DEFAULT);
	ck_assert_int_eq(muStreamGetFlags(a, NULL), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muStreamDestroy(a));
	MU_OK(muStreamDestroy(b));
	MU_OK(muStreamDestroy(c));
}
END_TEST

START_TEST(test_destroyed_stream_is_invalid_handle)
{
	MUstream s;
	unsigned int fl;

	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muStreamDestroy(s));
	ck_assert_int_eq(muStreamDestroy(s), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muStreamSynchronize(s), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muStreamQuery(s), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muStreamGetFlags(s, &fl), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muStreamDestroy(NULL), MUSA_ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(test_query_reports_pending_then_done)
{
	MUstream s;
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muStreamQuery(s));
	spin(s, d, 300, 42);
	ck_assert_int_eq(muStreamQuery(s), MUSA_ERROR_NOT_READY);
	MU_OK(muStreamSynchronize(s));
	MU_OK(muStreamQuery(s));
	MU_OK(muMemcpyDtoH(&v, d, 4));
	ck_assert_int_eq(v, 42);
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_work_on_one_stream_runs_in_order)
{
	MUstream s;
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	spin(s, d, 100, 1);
	MU_OK(muMemsetD32Async(d, 2, 1, s));
	spin(s, d, 0, 3);
	MU_OK(muMemcpyDtoHAsync(&v, d, 4, s));
	MU_OK(muStreamSynchronize(s));
	ck_assert_int_eq(v, 3);
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_legacy_stream_waits_for_blocking_streams)
{
	MUstream s;
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muMemsetD32(d, 0, 1));
	MU_OK(muStreamCreate(&s, MU_STREAM_DEFAULT));
	spin(s, d, 300, 7);
	/* A synchronous copy runs on the legacy stream: it waits for s. */
	MU_OK(muMemcpyDtoH(&v, d, 4));
	ck_assert_int_eq(v, 7);
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_blocking_stream_waits_for_legacy_stream)
{
	MUstream s;
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, MU_STREAM_DEFAULT));
	spin(NULL, d, 300, 5);
	MU_OK(muMemcpyDtoHAsync(&v, d, 4, s));
	MU_OK(muStreamSynchronize(s));
	ck_assert_int_eq(v, 5);
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_non_blocking_stream_does_not_wait_for_legacy)
{
	MUstream s;
	MUdeviceptr a, b;
	int v = -1;

	MU_OK(muMemAlloc(&a, 4));
	MU_OK(muMemAlloc(&b, 4));
	MU_OK(muMemsetD32(b, 9, 1));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	spin(s, a, 800, 1);
	/* The legacy stream does not wait for a non-blocking stream. */
	MU_OK(muMemcpyDtoH(&v, b, 4));
	ck_assert_int_eq(v, 9);
	ck_assert_int_eq(muStreamQuery(s), MUSA_ERROR_NOT_READY);
	MU_OK(muStreamSynchronize(s));
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_destroy_lets_queued_work_finish)
{
	MUstream s;
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	spin(s, d, 200, 11);
	MU_OK(muStreamDestroy(s));
	MU_OK(muCtxSynchronize());
	MU_OK(muMemcpyDtoH(&v, d, 4));
	ck_assert_int_eq(v, 11);
}
END_TEST

START_TEST(test_ctx_synchronize_waits_for_all_streams)
{
	MUstream s1, s2;
	MUdeviceptr d;
	int v[2] = { 0, 0 };

	MU_OK(muMemAlloc(&d, 8));
	MU_OK(muStreamCreate(&s1, MU_STREAM_NON_BLOCKING));
	MU_OK(muStreamCreate(&s2, MU_STREAM_NON_BLOCKING));
	spin(s1, d, 200, 1);
	spin(s2, d + 4, 250, 2);
	MU_OK(muCtxSynchronize());
	MU_OK(muStreamQuery(s1));
	MU_OK(muStreamQuery(s2));
	MU_OK(muMemcpyDtoH(v, d, 8));
	ck_assert_int_eq(v[0], 1);
	ck_assert_int_eq(v[1], 2);
	MU_OK(muStreamDestroy(s1));
	MU_OK(muStreamDestroy(s2));
}
END_TEST

START_TEST(test_stream_of_other_context_is_invalid_handle)
{
	MUcontext other;
	MUstream s;
	MUdeviceptr d;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muCtxCreate(&other, 0, 0));
	ck_assert_int_eq(muMemsetD8Async(d, 0, 4, s), MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muCtxDestroy(other));
	MU_OK(muMemsetD8Async(d, 0, 4, s));
	MU_OK(muStreamDestroy(s));
}
END_TEST

struct worker {
	MUcontext ctx;
	int id;
	int errors;
};

/* Each thread: its own stream, its own buffer, fills and reads back. */
static void *worker_run(void *arg)
{
	struct worker *w = arg;
	MUstream s;
	MUdeviceptr d;
	unsigned int buf[256];

	if (muCtxPushCurrent(w->ctx) || muStreamCreate(&s, w->id % 2 ? MU_STREAM_NON_BLOCKING : 0) ||
	    muMemAlloc(&d, sizeof(buf))) {
		w->errors++;
		return NULL;
	}
	for (unsigned int i = 0; i < 40; i++) {
		unsigned int v = (unsigned int)w->id * 1000u + i;

		if (muMemsetD32Async(d, v, 256, s) || muMemcpyDtoHAsync(buf, d, sizeof(buf), s) ||
		    muStreamSynchronize(s)) {
			w->errors++;
			continue;
		}
		for (int j = 0; j < 256; j++)
			w->errors += buf[j] != v;
	}
	w->errors += muMemFree(d) != MUSA_SUCCESS;
	w->errors += muStreamDestroy(s) != MUSA_SUCCESS;
	return NULL;
}

START_TEST(test_threads_share_a_context)
{
	enum { T = 4 };
	pthread_t t[T];
	struct worker w[T];

	for (int i = 0; i < T; i++) {
		w[i] = (struct worker){ ut_ctx, i, 0 };
		pthread_create(&t[i], NULL, worker_run, &w[i]);
	}
	for (int i = 0; i < T; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].errors, 0);
	}
	MU_OK(muCtxSynchronize());
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_stream");
	TCase *tc = tcase_create("stream");

	tcase_add_checked_fixture(tc, setup, ut_teardown);
	tcase_add_test(tc, test_muStreamCreate_rejects_bad_flags_and_null);
	tcase_add_test(tc, test_stream_flags_round_trip);
	tcase_add_test(tc, test_destroyed_stream_is_invalid_handle);
	tcase_add_test(tc, test_query_reports_pending_then_done);
	tcase_add_test(tc, test_work_on_one_stream_runs_in_order);
	tcase_add_test(tc, test_legacy_stream_waits_for_blocking_streams);
	tcase_add_test(tc, test_blocking_stream_waits_for_legacy_stream);
	tcase_add_test(tc, test_non_blocking_stream_does_not_wait_for_legacy);
	tcase_add_test(tc, test_destroy_lets_queued_work_finish);
	tcase_add_test(tc, test_ctx_synchronize_waits_for_all_streams);
	tcase_add_test(tc, test_stream_of_other_context_is_invalid_handle);
	tcase_add_test(tc, test_threads_share_a_context);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
