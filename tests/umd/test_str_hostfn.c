/* SPDX-License-Identifier: MIT */
/*
 * test_str_hostfn.c - host functions and stream lifetimes under load (also
 * meant for TSan): many streams and threads queuing host functions,
 * destroying streams with work pending, per-thread streams of exiting
 * threads, contexts destroyed and primary contexts reset with host
 * functions queued, and a forked child.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "musa.h"

static MUcontext init_primary(void)
{
	MUcontext ctx;
	MUdevice dev;

	ck_assert_int_eq(muInit(0), MUSA_SUCCESS);
	ck_assert_int_eq(muDeviceGet(&dev, 0), MUSA_SUCCESS);
	ck_assert_int_eq(muDevicePrimaryCtxRetain(&ctx, dev), MUSA_SUCCESS);
	ck_assert_int_eq(muCtxSetCurrent(ctx), MUSA_SUCCESS);
	return ctx;
}

static void count_fn(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

struct worker {
	MUcontext ctx;
	atomic_int *count;
	int ok;
};

#define STREAMS_PER_THREAD 4
#define FNS_PER_STREAM 50

static void *worker_main(void *p)
{
	struct worker *w = p;
	MUstream s[STREAMS_PER_THREAD];

	w->ok = 0;
	if (muCtxSetCurrent(w->ctx))
		return NULL;
	for (int i = 0; i < STREAMS_PER_THREAD; i++)
		if (muStreamCreate(&s[i], i & 1 ? MU_STREAM_NON_BLOCKING : 0))
			return NULL;
	for (int k = 0; k < FNS_PER_STREAM; k++) {
		for (int i = 0; i < STREAMS_PER_THREAD; i++)
			if (muLaunchHostFunc(s[i], count_fn, w->count))
				return NULL;
		if (muLaunchHostFunc(MU_STREAM_PER_THREAD, count_fn, w->count))
			return NULL;
	}
	/* Half are destroyed with work pending, half synchronized first. */
	for (int i = 0; i < STREAMS_PER_THREAD; i++) {
		if (i & 1 && muStreamSynchronize(s[i]))
			return NULL;
		if (muStreamDestroy(s[i]))
			return NULL;
	}
	w->ok = 1;
	return NULL;
}

START_TEST(test_many_threads_and_streams)
{
	enum { T = 6 };
	atomic_int count = 0;
	struct worker w[T];
	pthread_t th[T];
	MUcontext ctx = init_primary();

	for (int i = 0; i < T; i++) {
		w[i].ctx = ctx;
		w[i].count = &count;
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < T; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(w[i].ok, 1);
	}
	ck_assert_int_eq(muCtxSynchronize(), MUSA_SUCCESS);
	ck_assert_int_eq(atomic_load(&count), T * FNS_PER_STREAM * (STREAMS_PER_THREAD + 1));
}
END_TEST

START_TEST(test_ctx_destroy_with_pending)
{
	atomic_int count = 0;
	MUcontext ctx;
	MUdevice dev;

	ck_assert_int_eq(muInit(0), MUSA_SUCCESS);
	ck_assert_int_eq(muDeviceGet(&dev, 0), MUSA_SUCCESS);
	for (int round = 0; round < 5; round++) {
		MUstream s, gone;

		ck_assert_int_eq(muCtxCreate(&ctx, 0, dev), MUSA_SUCCESS);
		ck_assert_int_eq(muStreamCreate(&s, 0), MUSA_SUCCESS);
		ck_assert_int_eq(muStreamCreate(&gone, 0), MUSA_SUCCESS);
		for (int i = 0; i < 20; i++) {
			ck_assert_int_eq(muLaunchHostFunc(s, count_fn, &count), MUSA_SUCCESS);
			ck_assert_int_eq(muLaunchHostFunc(gone, count_fn, &count), MUSA_SUCCESS);
			ck_assert_int_eq(muLaunchHostFunc(NULL, count_fn, &count), MUSA_SUCCESS);
		}
		ck_assert_int_eq(muStreamDestroy(gone), MUSA_SUCCESS);
		ck_assert_int_eq(muCtxDestroy(ctx), MUSA_SUCCESS);
		ck_assert_int_eq(atomic_load(&count), (round + 1) * 60);
	}
}
END_TEST

START_TEST(test_primary_reset_with_pending)
{
	atomic_int count = 0;
	MUstream s;

	init_primary();
	ck_assert_int_eq(muStreamCreate(&s, 0), MUSA_SUCCESS);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(muLaunchHostFunc(s, count_fn, &count), MUSA_SUCCESS);
	ck_assert_int_eq(muDevicePrimaryCtxReset(0), MUSA_SUCCESS);
	ck_assert_int_eq(atomic_load(&count), 20);
	ck_assert_int_eq(muStreamSynchronize(s), MUSA_ERROR_INVALID_HANDLE);
}
END_TEST

struct pt_arg {
	MUcontext ctx;
	atomic_int *count;
};

static void *pt_thread(void *p)
{
	struct pt_arg *a = p;
	atomic_int *count = a->count;

	if (muCtxSetCurrent(a->ctx))
		return NULL;
	muLaunchHostFunc(MU_STREAM_PER_THREAD, count_fn, count);
	muStreamSynchronize(MU_STREAM_PER_THREAD);
	return NULL;
}

START_TEST(test_per_thread_streams_of_exited_threads)
{
	atomic_int count = 0;
	struct pt_arg a = { init_primary(), &count };
	unsigned long long first = 0, id = 0;

	for (int i = 0; i < 40; i++) {
		pthread_t t;

		ck_assert_int_eq(pthread_create(&t, NULL, pt_thread, &a), 0);
		ck_assert_int_eq(pthread_join(t, NULL), 0);
	}
	ck_assert_int_eq(atomic_load(&count), 40);
	/* The main thread's per-thread stream is its own, made once. */
	ck_assert_int_eq(muStreamGetId(MU_STREAM_PER_THREAD, &first), MUSA_SUCCESS);
	ck_assert_int_eq(muStreamGetId(MU_STREAM_PER_THREAD, &id), MUSA_SUCCESS);
	ck_assert(first == id);
}
END_TEST

START_TEST(test_forked_child)
{
	atomic_int count = 0;
	MUstream s;
	pid_t pid;
	int status;

	init_primary();
	ck_assert_int_eq(muStreamCreate(&s, 0), MUSA_SUCCESS);
	ck_assert_int_eq(muLaunchHostFunc(s, count_fn, &count), MUSA_SUCCESS);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int bad = muLaunchHostFunc(s, count_fn, &count) != MUSA_ERROR_NOT_INITIALIZED ||
			  muStreamSynchronize(s) != MUSA_ERROR_NOT_INITIALIZED ||
			  muStreamGetPriority(s, &status) != MUSA_ERROR_NOT_INITIALIZED;
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(muStreamSynchronize(s), MUSA_SUCCESS);
	ck_assert_int_eq(atomic_load(&count), 1);
	ck_assert_int_eq(muStreamDestroy(s), MUSA_SUCCESS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_str_hostfn");
	TCase *tc = tcase_create("hostfn");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_many_threads_and_streams);
	tcase_add_test(tc, test_ctx_destroy_with_pending);
	tcase_add_test(tc, test_primary_reset_with_pending);
	tcase_add_test(tc, test_per_thread_streams_of_exited_threads);
	tcase_add_test(tc, test_forked_child);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
