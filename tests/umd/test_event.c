/* SPDX-License-Identifier: MIT */
/*
 * test_event.c - events: record/query/synchronize, elapsed time and its
 * error rules, cross-stream waits with muStreamWaitEvent.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>

#include "umd_test.h"

static MUmodule ut_mod;
static MUfunction ut_spin;

static void setup(void)
{
	ut_setup();
	ut_spin = ut_func(&ut_mod, "spin");
}

static void spin(MUstream s, MUdeviceptr flag, int ms, int value)
{
	void *args[] = { &flag, &ms, &value };

	MU_OK(muLaunchKernel(ut_spin, 1, 1, 1, 1, 1, 1, 0, s, args, NULL));
}

START_TEST(test_muEventCreate_rejects_bad_flags)
{
	MUevent e;

	ck_assert_int_eq(muEventCreate(&e, 0x8), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muEventCreate(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muEventCreate(&e, MU_EVENT_INTERPROCESS), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muEventCreate(&e, MU_EVENT_INTERPROCESS | MU_EVENT_DISABLE_TIMING));
	MU_OK(muEventDestroy(e));
}
END_TEST

START_TEST(test_unrecorded_event_is_complete)
{
	MUevent e;

	MU_OK(muEventCreate(&e, 0));
	MU_OK(muEventQuery(e));
	MU_OK(muEventSynchronize(e));
	MU_OK(muEventDestroy(e));
}
END_TEST

START_TEST(test_event_query_pending_then_done)
{
	MUstream s;
	MUevent e;
	MUdeviceptr d;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muEventCreate(&e, MU_EVENT_DEFAULT));
	spin(s, d, 300, 1);
	MU_OK(muEventRecord(e, s));
	ck_assert_int_eq(muEventQuery(e), MUSA_ERROR_NOT_READY);
	MU_OK(muEventSynchronize(e));
	MU_OK(muEventQuery(e));
	MU_OK(muEventDestroy(e));
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_elapsed_time_measures_work)
{
	MUevent a, b;
	MUdeviceptr d;
	float ms = -1;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muEventCreate(&a, 0));
	MU_OK(muEventCreate(&b, 0));
	MU_OK(muEventRecord(a, NULL));
	spin(NULL, d, 150, 1);
	MU_OK(muEventRecord(b, NULL));
	MU_OK(muEventSynchronize(b));
	MU_OK(muEventElapsedTime(&ms, a, b));
	ck_assert_float_ge(ms, 140.0f);
	ck_assert_float_lt(ms, 5000.0f);
	MU_OK(muEventElapsedTime(&ms, b, a));
	ck_assert_float_le(ms, -140.0f);
	MU_OK(muEventDestroy(a));
	MU_OK(muEventDestroy(b));
}
END_TEST

START_TEST(test_elapsed_time_error_rules)
{
	MUevent a, b, nt;
	MUstream s;
	MUdeviceptr d;
	float ms;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muEventCreate(&a, 0));
	MU_OK(muEventCreate(&b, 0));
	MU_OK(muEventCreate(&nt, MU_EVENT_DISABLE_TIMING));
	ck_assert_int_eq(muEventElapsedTime(&ms, a, b), MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muEventRecord(a, s));
	MU_OK(muEventRecord(nt, s));
	ck_assert_int_eq(muEventElapsedTime(&ms, a, b), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muEventElapsedTime(&ms, a, nt), MUSA_ERROR_INVALID_HANDLE);
	spin(s, d, 300, 1);
	MU_OK(muEventRecord(b, s));
	ck_assert_int_eq(muEventElapsedTime(&ms, a, b), MUSA_ERROR_NOT_READY);
	ck_assert_int_eq(muEventElapsedTime(NULL, a, b), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muStreamSynchronize(s));
	MU_OK(muEventElapsedTime(&ms, a, b));
	MU_OK(muEventDestroy(a));
	ck_assert_int_eq(muEventElapsedTime(&ms, a, b), MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muEventDestroy(b));
	MU_OK(muEventDestroy(nt));
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_destroyed_event_is_invalid_handle)
{
	MUevent e;

	MU_OK(muEventCreate(&e, 0));
	MU_OK(muEventDestroy(e));
	ck_assert_int_eq(muEventDestroy(e), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muEventRecord(e, NULL), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muEventQuery(e), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muEventSynchronize(e), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muStreamWaitEvent(NULL, e, 0), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muEventDestroy(NULL), MUSA_ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(test_stream_wait_event_orders_streams)
{
	MUstream s1, s2;
	MUevent e;
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muMemsetD32(d, 0, 1));
	MU_OK(muStreamCreate(&s1, MU_STREAM_NON_BLOCKING));
	MU_OK(muStreamCreate(&s2, MU_STREAM_NON_BLOCKING));
	MU_OK(muEventCreate(&e, MU_EVENT_DISABLE_TIMING));
	spin(s1, d, 300, 77);
	MU_OK(muEventRecord(e, s1));
	MU_OK(muStreamWaitEvent(s2, e, 0));
	MU_OK(muMemcpyDtoHAsync(&v, d, 4, s2));
	MU_OK(muStreamSynchronize(s2));
	ck_assert_int_eq(v, 77);
	ck_assert_int_eq(muStreamWaitEvent(s2, e, 1), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muEventDestroy(e));
	MU_OK(muStreamDestroy(s1));
	MU_OK(muStreamDestroy(s2));
}
END_TEST

START_TEST(test_event_survives_its_stream)
{
	MUstream s;
	MUevent e;
	MUdeviceptr d;

	MU_OK(muMemAlloc(&d, 4));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muEventCreate(&e, 0));
	spin(s, d, 100, 1);
	MU_OK(muEventRecord(e, s));
	MU_OK(muStreamDestroy(s));
	MU_OK(muEventSynchronize(e));
	MU_OK(muEventQuery(e));
	MU_OK(muEventDestroy(e));
}
END_TEST

START_TEST(test_record_on_other_context_stream_is_invalid_handle)
{
	MUcontext other;
	MUstream s;
	MUevent e;

	MU_OK(muEventCreate(&e, 0));
	MU_OK(muCtxCreate(&other, 0, 0));
	MU_OK(muStreamCreate(&s, 0));
	ck_assert_int_eq(muEventRecord(e, s), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muEventRecord(e, NULL), MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muStreamDestroy(s));
	MU_OK(muCtxDestroy(other));
	MU_OK(muEventRecord(e, NULL));
	MU_OK(muEventSynchronize(e));
	MU_OK(muEventDestroy(e));
}
END_TEST


/* Handles destroyed while other threads synchronize on them: every call
 * gets a result or INVALID_HANDLE, never freed memory. The allocator fills
 * freed blocks with a pattern, so following a freed event crashes (and
 * ASan reports it in check-asan). */
#define RACE_ROUNDS 6000
#define RACE_READERS 3

struct race {
	_Atomic(MUevent) pub;
	_Atomic(MUstream) spub;
	atomic_int done;
	atomic_int bad;
	MUstream s;
};

static int race_result_ok(MUresult r)
{
	return r == MUSA_SUCCESS || r == MUSA_ERROR_INVALID_HANDLE || r == MUSA_ERROR_NOT_READY;
}

static void *race_reader(void *arg)
{
	struct race *rc = arg;
	unsigned int i = 0;
	float ms;

	while (!atomic_load(&rc->done)) {
		MUevent e = atomic_load(&rc->pub);
		MUstream st = atomic_load(&rc->spub);
		MUresult r;

		if (!e)
			continue;
		switch (i++ % 5) {
		case 0:
			r = muEventSynchronize(e);
			break;
		case 1:
			r = muEventQuery(e);
			break;
		case 2:
			r = muEventElapsedTime(&ms, e, e);
			break;
		case 3:
			r = st ? muStreamSynchronize(st) : MUSA_SUCCESS;
			break;
		default:
			r = st ? muStreamQuery(st) : MUSA_SUCCESS;
			break;
		}
		if (!race_result_ok(r))
			atomic_fetch_add(&rc->bad, 1);
	}
	return NULL;
}

START_TEST(test_sync_racing_destroy_gets_an_error_not_freed_memory)
{
	struct race rc = { 0 };
	pthread_t th[RACE_READERS];

	/* glibc's allocator fills freed blocks; ASan's ignores this and
	 * reports a use after free itself. */
	(void)mallopt(M_PERTURB, 0xa5);
	MU_OK(muStreamCreate(&rc.s, MU_STREAM_NON_BLOCKING));
	for (int i = 0; i < RACE_READERS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, race_reader, &rc), 0);
	for (int i = 0; i < RACE_ROUNDS; i++) {
		MUevent e;
		MUstream st;

		MU_OK(muEventCreate(&e, 0));
		MU_OK(muStreamCreate(&st, MU_STREAM_NON_BLOCKING));
		MU_OK(muEventRecord(e, st));
		atomic_store(&rc.pub, e);
		atomic_store(&rc.spub, st);
		MU_OK(muEventDestroy(e));
		MU_OK(muStreamDestroy(st));
	}
	atomic_store(&rc.done, 1);
	for (int i = 0; i < RACE_READERS; i++)
		pthread_join(th[i], NULL);
	ck_assert_int_eq(atomic_load(&rc.bad), 0);
	MU_OK(muStreamDestroy(rc.s));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_event");
	TCase *tc = tcase_create("event");

	/* The destroy race runs thousands of rounds: a busy machine needs
	 * more than Check's default 4 s. */
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, ut_teardown);
	tcase_add_test(tc, test_muEventCreate_rejects_bad_flags);
	tcase_add_test(tc, test_unrecorded_event_is_complete);
	tcase_add_test(tc, test_event_query_pending_then_done);
	tcase_add_test(tc, test_elapsed_time_measures_work);
	tcase_add_test(tc, test_elapsed_time_error_rules);
	tcase_add_test(tc, test_destroyed_event_is_invalid_handle);
	tcase_add_test(tc, test_stream_wait_event_orders_streams);
	tcase_add_test(tc, test_event_survives_its_stream);
	tcase_add_test(tc, test_record_on_other_context_stream_is_invalid_handle);
	tcase_add_test(tc, test_sync_racing_destroy_gets_an_error_not_freed_memory);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
