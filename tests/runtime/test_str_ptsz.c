/* SPDX-License-Identifier: MIT */
/*
 * test_str_ptsz.c - the per-thread default stream compile mode: built with
 * MUSA_API_PER_THREAD_DEFAULT_STREAM, stream 0 means musaStreamPerThread
 * for the stream-taking calls, synchronous copies and memsets are ordered
 * on the calling thread's per-thread stream, and two threads' default
 * streams do not wait for each other.
 */
#define MUSA_API_PER_THREAD_DEFAULT_STREAM 1

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "rt_test.h"

static void sleep_ms(int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000l };

	nanosleep(&ts, NULL);
}

struct gate {
	atomic_int open;
	atomic_int ran;
};

static void gate_fn(void *arg)
{
	struct gate *g = arg;

	for (int i = 0; i < 10000 && !atomic_load(&g->open); i++)
		sleep_ms(1);
	atomic_store(&g->ran, 1);
}

START_TEST(test_stream0_is_per_thread)
{
	unsigned long long a = 0, b = 0, l = 0;

	ck_assert_int_eq(musaStreamGetId(0, &a), musaSuccess);
	ck_assert_int_eq(musaStreamGetId(musaStreamPerThread, &b), musaSuccess);
	ck_assert_int_eq(musaStreamGetId(musaStreamLegacy, &l), musaSuccess);
	ck_assert(a == b);
	ck_assert(a != l);
}
END_TEST

START_TEST(test_stream0_work_goes_to_per_thread)
{
	struct gate g = { 0 };

	ck_assert_int_eq(musaLaunchHostFunc(0, gate_fn, &g), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(musaStreamPerThread), musaErrorNotReady);
	ck_assert_int_eq(musaStreamQuery(0), musaErrorNotReady);
	atomic_store(&g.open, 1);
	ck_assert_int_eq(musaStreamSynchronize(0), musaSuccess);
	ck_assert_int_eq(atomic_load(&g.ran), 1);
}
END_TEST

START_TEST(test_sync_copy_ordered_on_per_thread)
{
	struct gate g = { 0 };
	int *d = NULL, h[64], one[64];

	for (int i = 0; i < 64; i++)
		one[i] = 1;
	ck_assert_int_eq(musaMalloc((void **)&d, sizeof(h)), musaSuccess);
	ck_assert_int_eq(musaMemset(d, 0, sizeof(h)), musaSuccess);
	/* The async copy waits behind the gate; the synchronous copy after it
	 * is ordered on the same stream, so it sees the ones. */
	ck_assert_int_eq(musaLaunchHostFunc(0, gate_fn, &g), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(d, one, sizeof(one), musaMemcpyHostToDevice, 0),
			 musaSuccess);
	atomic_store(&g.open, 1);
	ck_assert_int_eq(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_int_eq(h[0], 1);
	ck_assert_int_eq(h[63], 1);
	ck_assert_int_eq(musaMemsetAsync(d, 0, sizeof(h), 0), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(0), musaSuccess);
	ck_assert_int_eq(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_int_eq(h[5], 0);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_event_record_stream0)
{
	struct gate g = { 0 };
	musaEvent_t ev;

	ck_assert_int_eq(musaEventCreate(&ev), musaSuccess);
	ck_assert_int_eq(musaLaunchHostFunc(0, gate_fn, &g), musaSuccess);
	ck_assert_int_eq(musaEventRecord(ev, 0), musaSuccess);
	ck_assert_int_eq(musaEventQuery(ev), musaErrorNotReady);
	atomic_store(&g.open, 1);
	ck_assert_int_eq(musaEventSynchronize(ev), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(ev), musaSuccess);
}
END_TEST

struct other_arg {
	struct gate g;
	atomic_int done;
};

static void *other_thread(void *p)
{
	struct other_arg *a = p;

	/* This thread's stream 0 is its own: it does not wait for the main
	 * thread's gate. */
	if (musaLaunchHostFunc(0, gate_fn, &a->g) == musaSuccess &&
	    musaStreamSynchronize(0) == musaSuccess)
		atomic_store(&a->done, 1);
	return NULL;
}

START_TEST(test_threads_do_not_wait_for_each_other)
{
	struct gate mine = { 0 };
	struct other_arg o = { { 0 }, 0 };
	pthread_t t;

	atomic_store(&o.g.open, 1);
	ck_assert_int_eq(musaLaunchHostFunc(0, gate_fn, &mine), musaSuccess);
	ck_assert_int_eq(pthread_create(&t, NULL, other_thread, &o), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(atomic_load(&o.done), 1);
	ck_assert_int_eq(atomic_load(&mine.ran), 0);
	atomic_store(&mine.open, 1);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(atomic_load(&mine.ran), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_ptsz");
	TCase *tc = tcase_create("ptsz");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_stream0_is_per_thread);
	tcase_add_test(tc, test_stream0_work_goes_to_per_thread);
	tcase_add_test(tc, test_sync_copy_ordered_on_per_thread);
	tcase_add_test(tc, test_event_record_stream0);
	tcase_add_test(tc, test_threads_do_not_wait_for_each_other);
	suite_add_tcase(s, tc);
	return rt_run_suites(&s, 1);
}
