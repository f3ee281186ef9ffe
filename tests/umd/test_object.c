/* SPDX-License-Identifier: MIT */
/*
 * test_object.c - libmusa's objects: a lookup takes a reference that the
 * caller drops, the last put frees the object once, a destroy (or module
 * unload) racing with calls that use the object in other threads gives
 * them success or the documented error (never a use of freed memory: run
 * under ASan), and the
 * state of an object dies with it (a new stream, context, function or
 * per-thread stream starts with the defaults, not what its predecessor at
 * the same address had).
 *
 * A context is counted too: a destroy or primary reset racing calls that
 * use the context (as the current one, or through its streams and events)
 * waits for them, and a call either ran or found the context gone.
 *
 * The reference counting and handle registry (umd/handle.c) are built into
 * this test to be checked directly; the rest goes through the driver API.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "umd_test.h"
#include "../../umd/handle.c"

/* A counted object for the registry checks. */
struct test_counted {
	struct umd_object obj;
	_Atomic int releases;
};

static void test_counted_release(struct umd_object *o)
{
	struct test_counted *c = umd_container_of(o, struct test_counted, obj);

	/* The release removes the handle, as a table that holds objects
	 * without a reference does: a lookup in between must fail. */
	umd_handle_del(c);
	atomic_fetch_add(&c->releases, 1);
}

START_TEST(test_object_released_once_on_last_put)
{
	struct test_counted c = { .releases = 0 };

	umd_object_init(&c.obj, test_counted_release, NULL);
	umd_object_get(&c.obj);
	umd_object_get(&c.obj);
	umd_object_put(&c.obj);
	umd_object_put(&c.obj);
	ck_assert_int_eq(atomic_load(&c.releases), 0);
	umd_object_put(&c.obj);
	ck_assert_int_eq(atomic_load(&c.releases), 1);
}
END_TEST

START_TEST(test_handle_get_takes_a_reference_of_the_right_type)
{
	struct test_counted c = { .releases = 0 };

	umd_object_init(&c.obj, test_counted_release, NULL);
	ck_assert_int_eq(umd_handle_add(&c, UMD_H_STREAM), 0);
	ck_assert_ptr_null(umd_handle_get(&c, UMD_H_EVENT));
	ck_assert_ptr_null(umd_handle_get(NULL, UMD_H_STREAM));
	ck_assert_ptr_eq(umd_handle_get(&c, UMD_H_STREAM), &c);
	ck_assert_uint_eq(atomic_load(&c.obj.refs), 2);
	/* Removed: lookups fail while the held reference keeps it alive. */
	ck_assert_int_eq(umd_handle_del(&c), 1);
	ck_assert_int_eq(umd_handle_del(&c), 0);
	ck_assert_ptr_null(umd_handle_get(&c, UMD_H_STREAM));
	umd_object_put(&c.obj);
	ck_assert_int_eq(atomic_load(&c.releases), 0);
	umd_object_put(&c.obj);
	ck_assert_int_eq(atomic_load(&c.releases), 1);
}
END_TEST

struct test_getter {
	struct test_counted *c;
	_Atomic int *stop;
	int used_after_release;
	long taken;
};

/* Looks the object up and drops the reference, over and over. */
static void *test_getter_main(void *arg)
{
	struct test_getter *g = arg;

	while (!atomic_load(g->stop)) {
		struct test_counted *c = umd_handle_get(g->c, UMD_H_EVENT);

		if (!c)
			continue;
		g->taken++;
		if (atomic_load(&c->releases))
			g->used_after_release = 1;
		umd_object_put(&c->obj);
	}
	return NULL;
}

START_TEST(test_lookup_racing_last_put_never_revives_the_object)
{
	for (int round = 0; round < 50; round++) {
		struct test_counted c = { .releases = 0 };
		struct test_getter g[4];
		pthread_t t[4];
		_Atomic int stop = 0;
		struct timespec pause = { 0, 200000 };

		umd_object_init(&c.obj, test_counted_release, NULL);
		ck_assert_int_eq(umd_handle_add(&c, UMD_H_EVENT), 0);
		for (int i = 0; i < 4; i++) {
			g[i] = (struct test_getter){ .c = &c, .stop = &stop };
			ck_assert_int_eq(pthread_create(&t[i], NULL, test_getter_main, &g[i]), 0);
		}
		nanosleep(&pause, NULL);
		/* The creation's reference goes while the handle is still in
		 * the table: whoever drops the count to zero releases it. */
		umd_object_put(&c.obj);
		nanosleep(&pause, NULL);
		atomic_store(&stop, 1);
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], NULL);
			ck_assert_int_eq(g[i].used_after_release, 0);
		}
		ck_assert_int_eq(atomic_load(&c.releases), 1);
		ck_assert_ptr_null(umd_handle_get(&c, UMD_H_EVENT));
	}
}
END_TEST

static MUmodule test_mod;
static MUfunction test_spin;

static void setup(void)
{
	ut_setup();
	test_spin = ut_func(&test_mod, "spin");
}

/* The stream (or event) the racing threads use; replaced by the main
 * thread, which destroys the old one. */
static _Atomic(void *) test_current;
static _Atomic int test_stop;
static MUdeviceptr test_flag;

static int test_ok_or_destroyed(MUresult r)
{
	return r == MUSA_SUCCESS || r == MUSA_ERROR_NOT_READY || r == MUSA_ERROR_INVALID_HANDLE;
}

static void test_host_fn(void *data)
{
	(void)data;
}

/* Starts n threads running fn (each given its index). */
static void test_start_users(pthread_t *t, int n, void *(*fn)(void *))
{
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, fn, (void *)(uintptr_t)i), 0);
}

/* Stops the threads; each returns whether a call gave a wrong answer. */
static void test_join_users(pthread_t *t, int n)
{
	atomic_store(&test_stop, 1);
	for (int i = 0; i < n; i++) {
		void *bad;

		pthread_join(t[i], &bad);
		ck_assert_ptr_null(bad);
	}
}

/* Uses whatever stream is current, in every way a call can name one. */
static void *test_stream_user(void *arg)
{
	/* each thread its own word: the threads' streams do not order their
	 * writes, so a shared word would be a data race of the test */
	MUdeviceptr flag = test_flag + sizeof(int) * (uintptr_t)arg;
	int bad = 0;

	MU_OK(muCtxSetCurrent(ut_ctx));
	while (!atomic_load(&test_stop)) {
		MUstream s = atomic_load(&test_current);
		int ms = 0, value = 1;
		void *args[] = { &flag, &ms, &value };
		unsigned long long id;
		unsigned int flags;

		bad |= !test_ok_or_destroyed(muLaunchKernel(test_spin, 1, 1, 1, 1, 1, 1, 0, s,
							    args, NULL));
		bad |= !test_ok_or_destroyed(muStreamQuery(s));
		bad |= !test_ok_or_destroyed(muStreamGetFlags(s, &flags));
		bad |= !test_ok_or_destroyed(muStreamGetId(s, &id));
		bad |= !test_ok_or_destroyed(muMemsetD32Async(flag, 0, 1, s));
		bad |= !test_ok_or_destroyed(muLaunchHostFunc(s, test_host_fn, NULL));
		bad |= !test_ok_or_destroyed(muStreamSynchronize(s));
	}
	return (void *)(intptr_t)bad;
}

START_TEST(test_stream_destroyed_while_other_threads_use_it)
{
	pthread_t t[3];
	MUstream s;

	MU_OK(muMemAlloc(&test_flag, 3 * sizeof(int)));
	MU_OK(muStreamCreate(&s, 0));
	atomic_store(&test_current, s);
	test_start_users(t, 3, test_stream_user);
	for (int round = 0; round < 200; round++) {
		MUstream next, old = atomic_load(&test_current);
		struct timespec pause = { 0, 300000 };

		MU_OK(muStreamCreate(&next, round % 2 ? MU_STREAM_NON_BLOCKING : 0));
		atomic_store(&test_current, next);
		nanosleep(&pause, NULL);
		MU_OK(muStreamDestroy(old));
	}
	test_join_users(t, 3);
	MU_OK(muStreamDestroy(atomic_load(&test_current)));
	MU_OK(muCtxSynchronize());
	MU_OK(muMemFree(test_flag));
}
END_TEST

/* Uses whatever event is current, in every way a call can name one. */
static void *test_event_user(void *arg)
{
	MUstream s;
	int bad = 0;

	(void)arg;
	MU_OK(muCtxSetCurrent(ut_ctx));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	while (!atomic_load(&test_stop)) {
		MUevent e = atomic_load(&test_current);
		float ms;

		bad |= !test_ok_or_destroyed(muEventRecord(e, s));
		bad |= !test_ok_or_destroyed(muEventQuery(e));
		bad |= !test_ok_or_destroyed(muStreamWaitEvent(s, e, 0));
		bad |= !test_ok_or_destroyed(muEventSynchronize(e));
		bad |= !test_ok_or_destroyed(muEventElapsedTime(&ms, e, e));
	}
	MU_OK(muStreamDestroy(s));
	return (void *)(intptr_t)bad;
}

START_TEST(test_event_destroyed_while_other_threads_use_it)
{
	pthread_t t[3];
	MUevent e;

	MU_OK(muEventCreate(&e, 0));
	atomic_store(&test_current, e);
	test_start_users(t, 3, test_event_user);
	for (int round = 0; round < 200; round++) {
		MUevent next, old = atomic_load(&test_current);
		struct timespec pause = { 0, 300000 };

		MU_OK(muEventCreate(&next, round % 2 ? MU_EVENT_DISABLE_TIMING : 0));
		atomic_store(&test_current, next);
		nanosleep(&pause, NULL);
		MU_OK(muEventDestroy(old));
	}
	test_join_users(t, 3);
	MU_OK(muEventDestroy(atomic_load(&test_current)));
}
END_TEST

/* Queries whatever function is current, in the ways that follow it. */
static void *test_function_user(void *arg)
{
	int bad = 0;

	(void)arg;
	MU_OK(muCtxSetCurrent(ut_ctx));
	while (!atomic_load(&test_stop)) {
		MUfunction f = atomic_load(&test_current);
		size_t count;
		int value;

		bad |= !test_ok_or_destroyed(
			muFuncGetAttribute(&value, MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f));
		bad |= !test_ok_or_destroyed(muFuncSetAttribute(
			f, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 25));
		bad |= !test_ok_or_destroyed(muFuncGetParamCount(f, &count));
		bad |= !test_ok_or_destroyed(
			muOccupancyMaxActiveBlocksPerMultiprocessor(&value, f, 32, 0));
	}
	return (void *)(intptr_t)bad;
}

START_TEST(test_module_unloaded_while_other_threads_use_its_function)
{
	pthread_t t[3];
	MUmodule m;
	MUfunction f;

	MU_OK(muModuleLoad(&m, KERNELS_PATH));
	MU_OK(muModuleGetFunction(&f, m, "vadd"));
	atomic_store(&test_current, f);
	test_start_users(t, 3, test_function_user);
	for (int round = 0; round < 100; round++) {
		struct timespec pause = { 0, 300000 };
		MUmodule next;
		MUfunction g;

		MU_OK(muModuleLoad(&next, KERNELS_PATH));
		MU_OK(muModuleGetFunction(&g, next, "vadd"));
		atomic_store(&test_current, g);
		nanosleep(&pause, NULL);
		MU_OK(muModuleUnload(m));
		m = next;
	}
	test_join_users(t, 3);
	MU_OK(muModuleUnload(m));
	ck_assert_int_eq(muModuleUnload(m), MUSA_ERROR_INVALID_HANDLE);
}
END_TEST

struct test_sync {
	MUstream s;
	MUresult r;
};

static void *test_sync_main(void *arg)
{
	struct test_sync *t = arg;

	MU_OK(muCtxSetCurrent(ut_ctx));
	t->r = muStreamSynchronize(t->s);
	return NULL;
}

START_TEST(test_sync_holding_a_stream_outlives_its_destroy)
{
	struct timespec pause = { 0, 20000000 };
	struct test_sync t = { .r = MUSA_ERROR_UNKNOWN };
	int ms = 100, value = 7, host = 0;
	void *args[] = { &test_flag, &ms, &value };
	pthread_t th;

	MU_OK(muMemAlloc(&test_flag, sizeof(int)));
	MU_OK(muStreamCreate(&t.s, 0));
	MU_OK(muLaunchKernel(test_spin, 1, 1, 1, 1, 1, 1, 0, t.s, args, NULL));
	ck_assert_int_eq(pthread_create(&th, NULL, test_sync_main, &t), 0);
	nanosleep(&pause, NULL);
	MU_OK(muStreamDestroy(t.s));
	ck_assert_int_eq(muStreamQuery(t.s), MUSA_ERROR_INVALID_HANDLE);
	pthread_join(th, NULL);
	MU_OK(t.r);
	MU_OK(muMemcpyDtoH(&host, test_flag, sizeof(host)));
	ck_assert_int_eq(host, 7);
	MU_OK(muMemFree(test_flag));
}
END_TEST

START_TEST(test_new_streams_get_new_ids)
{
	unsigned long long first, again, legacy, legacy2;
	MUstream s;

	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muStreamGetId(s, &first));
	MU_OK(muStreamGetId(s, &again));
	ck_assert_uint_eq(first, again);
	MU_OK(muStreamDestroy(s));
	for (int i = 0; i < 8; i++) {
		unsigned long long id;

		/* The allocator may hand out the same address again. */
		MU_OK(muStreamCreate(&s, 0));
		MU_OK(muStreamGetId(s, &id));
		ck_assert_uint_ne(id, first);
		ck_assert_uint_gt(id, first);
		first = id;
		MU_OK(muStreamDestroy(s));
	}
	MU_OK(muStreamGetId(NULL, &legacy));
	MU_OK(muStreamGetId(MU_STREAM_LEGACY, &legacy2));
	ck_assert_uint_eq(legacy, legacy2);
}
END_TEST

START_TEST(test_new_stream_is_not_capturing_after_a_capturing_one_went)
{
	MUstreamCaptureStatus status;
	MUstream s;

	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muStreamBeginCapture(s, MU_STREAM_CAPTURE_MODE_RELAXED));
	MU_OK(muStreamIsCapturing(s, &status));
	ck_assert_int_eq(status, MU_STREAM_CAPTURE_STATUS_ACTIVE);
	MU_OK(muStreamDestroy(s));
	ck_assert_int_eq(muStreamIsCapturing(s, &status), MUSA_ERROR_INVALID_HANDLE);
	for (int i = 0; i < 4; i++) {
		/* The allocator may hand out the same address again. */
		MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
		MU_OK(muStreamIsCapturing(s, &status));
		ck_assert_int_eq(status, MU_STREAM_CAPTURE_STATUS_NONE);
		MU_OK(muStreamDestroy(s));
	}
}
END_TEST

struct test_thread_stream {
	unsigned long long id;
	pthread_mutex_t *lock;
	pthread_cond_t *cond;
	int *release;
};

/* Notes the id of this thread's per-thread stream, then waits until told
 * to exit. */
static void *test_per_thread_main(void *arg)
{
	struct test_thread_stream *t = arg;
	unsigned long long id;

	MU_OK(muCtxSetCurrent(ut_ctx));
	MU_OK(muStreamGetId(MU_STREAM_PER_THREAD, &id));
	__atomic_store_n(&t->id, id, __ATOMIC_RELEASE);   /* the main thread polls it */
	pthread_mutex_lock(t->lock);
	while (!*t->release)
		pthread_cond_wait(t->cond, t->lock);
	pthread_mutex_unlock(t->lock);
	return NULL;
}

START_TEST(test_per_thread_stream_goes_to_the_next_thread_after_exit)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	int release_a = 0, release_b = 0, release_c = 1;
	struct test_thread_stream a = { 0, &lock, &cond, &release_a };
	struct test_thread_stream b = { 0, &lock, &cond, &release_b };
	struct test_thread_stream c = { 0, &lock, &cond, &release_c };
	unsigned long long mine, again;
	pthread_t ta, tb, tc;
	struct timespec pause = { 0, 10000000 };

	MU_OK(muStreamGetId(MU_STREAM_PER_THREAD, &mine));
	MU_OK(muStreamGetId(MU_STREAM_PER_THREAD, &again));
	ck_assert_uint_eq(mine, again);
	ck_assert_int_eq(pthread_create(&ta, NULL, test_per_thread_main, &a), 0);
	ck_assert_int_eq(pthread_create(&tb, NULL, test_per_thread_main, &b), 0);
	while (!__atomic_load_n(&a.id, __ATOMIC_ACQUIRE) ||
	       !__atomic_load_n(&b.id, __ATOMIC_ACQUIRE))
		nanosleep(&pause, NULL);
	/* Threads alive at once have streams of their own. */
	ck_assert_uint_ne(a.id, b.id);
	ck_assert_uint_ne(a.id, mine);
	ck_assert_uint_ne(b.id, mine);
	pthread_mutex_lock(&lock);
	release_a = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(ta, NULL);
	/* a exited: the next thread takes its stream over, not b's. */
	ck_assert_int_eq(pthread_create(&tc, NULL, test_per_thread_main, &c), 0);
	pthread_join(tc, NULL);
	ck_assert_uint_eq(c.id, a.id);
	pthread_mutex_lock(&lock);
	release_b = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(tb, NULL);
	/* Not a handle of its own: it cannot be destroyed. */
	ck_assert_int_eq(muStreamDestroy(MU_STREAM_PER_THREAD), MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muStreamSynchronize(MU_STREAM_PER_THREAD));
}
END_TEST

START_TEST(test_function_attributes_start_over_when_the_module_is_reloaded)
{
	int max_dynamic, carveout, value;
	MUmodule m;
	MUfunction f;

	MU_OK(muModuleLoad(&m, KERNELS_PATH));
	MU_OK(muModuleGetFunction(&f, m, "vadd"));
	MU_OK(muFuncGetAttribute(&max_dynamic, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, f));
	MU_OK(muFuncGetAttribute(&carveout, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, f));
	ck_assert_int_gt(max_dynamic, 1024);
	ck_assert_int_eq(carveout, -1);
	MU_OK(muFuncSetAttribute(f, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 1024));
	MU_OK(muFuncSetAttribute(f, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, 50));
	MU_OK(muFuncSetCacheConfig(f, MU_FUNC_CACHE_PREFER_SHARED));
	MU_OK(muFuncGetAttribute(&value, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, f));
	ck_assert_int_eq(value, 1024);
	MU_OK(muFuncGetAttribute(&value, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, f));
	ck_assert_int_eq(value, 50);
	MU_OK(muModuleUnload(m));
	ck_assert_int_eq(muFuncGetAttribute(&value,
					    MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, f),
			 MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muModuleLoad(&m, KERNELS_PATH));
	MU_OK(muModuleGetFunction(&f, m, "vadd"));
	MU_OK(muFuncGetAttribute(&value, MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, f));
	ck_assert_int_eq(value, max_dynamic);
	MU_OK(muFuncGetAttribute(&value, MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, f));
	ck_assert_int_eq(value, -1);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_context_preferences_start_over_in_a_new_context)
{
	MUfunc_cache cache;
	MUsharedconfig shared;
	MUcontext c;
	MUdevice dev;

	MU_OK(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_SHARED));
	MU_OK(muCtxSetSharedMemConfig(MU_SHARED_MEM_CONFIG_EIGHT_BYTE_BANK_SIZE));
	MU_OK(muCtxGetCacheConfig(&cache));
	ck_assert_int_eq(cache, MU_FUNC_CACHE_PREFER_SHARED);
	MU_OK(muCtxDestroy(ut_ctx));
	ut_ctx = NULL;
	for (int i = 0; i < 4; i++) {
		/* The allocator may hand out the same address again. */
		MU_OK(muCtxCreate(&c, 0, 0));
		MU_OK(muCtxGetCacheConfig(&cache));
		MU_OK(muCtxGetSharedMemConfig(&shared));
		ck_assert_int_eq(cache, MU_FUNC_CACHE_PREFER_NONE);
		ck_assert_int_eq(shared, MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE);
		MU_OK(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_L1));
		MU_OK(muCtxDestroy(c));
	}
	/* A reset primary context starts over too. */
	MU_OK(muDeviceGet(&dev, 0));
	MU_OK(muDevicePrimaryCtxRetain(&c, dev));
	MU_OK(muCtxSetCurrent(c));
	MU_OK(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_EQUAL));
	MU_OK(muDevicePrimaryCtxReset(dev));
	MU_OK(muCtxGetCacheConfig(&cache));
	ck_assert_int_eq(cache, MU_FUNC_CACHE_PREFER_NONE);
	MU_OK(muDevicePrimaryCtxRelease(dev));
}
END_TEST

/* A call racing the destroy of its context: it ran, or the context (or an
 * object made in it) is gone; a free of memory of a context destroyed
 * since may find no such allocation. */
static int test_ok_or_context_gone(MUresult r)
{
	return r == MUSA_SUCCESS || r == MUSA_ERROR_INVALID_CONTEXT ||
	       r == MUSA_ERROR_INVALID_HANDLE || r == MUSA_ERROR_INVALID_VALUE;
}

/* Uses the context in test_current (or the one already current when it
 * is NULL) in the ways a call resolves it: as the current context, and
 * through a stream and an event of it. */
static void *test_context_user(void *arg)
{
	int bad = 0;

	(void)arg;
	while (!atomic_load(&test_stop)) {
		MUcontext c = atomic_load(&test_current);
		size_t free_bytes, total;
		MUdeviceptr p;
		MUdevice dev;
		MUstream s;
		MUevent e;

		if (c && muCtxSetCurrent(c) != MUSA_SUCCESS)
			continue;   /* destroyed already */
		bad |= !test_ok_or_context_gone(muCtxSynchronize());
		bad |= !test_ok_or_context_gone(muCtxGetDevice(&dev));
		bad |= !test_ok_or_context_gone(muMemGetInfo(&free_bytes, &total));
		if (test_ok_or_context_gone(muMemAlloc(&p, 4096)) != 1)
			bad = 1;
		else
			bad |= !test_ok_or_context_gone(muMemFree(p));
		if (muStreamCreate(&s, MU_STREAM_NON_BLOCKING) == MUSA_SUCCESS) {
			bad |= !test_ok_or_context_gone(muMemsetD8Async(0, 0, 0, s));
			bad |= !test_ok_or_context_gone(muLaunchHostFunc(s, test_host_fn, NULL));
			if (muEventCreate(&e, 0) == MUSA_SUCCESS) {
				bad |= !test_ok_or_context_gone(muEventRecord(e, s));
				bad |= !test_ok_or_context_gone(muEventSynchronize(e));
				bad |= !test_ok_or_context_gone(muEventDestroy(e));
			}
			bad |= !test_ok_or_context_gone(muStreamSynchronize(s));
			bad |= !test_ok_or_context_gone(muStreamDestroy(s));
		}
	}
	return (void *)(intptr_t)bad;
}

START_TEST(test_context_destroyed_while_other_threads_use_it)
{
	pthread_t t[3];

	atomic_store(&test_current, ut_ctx);
	test_start_users(t, 3, test_context_user);
	for (int round = 0; round < 60; round++) {
		MUcontext next, old = atomic_load(&test_current);
		struct timespec pause = { 0, 2000000 };

		MU_OK(muCtxCreate(&next, 0, 0));
		MU_OK(muCtxPopCurrent(NULL));
		atomic_store(&test_current, next);
		nanosleep(&pause, NULL);
		MU_OK(muCtxDestroy(old));
		/* Gone at once for every thread, though calls may still run. */
		ck_assert_int_eq(muCtxPushCurrent(old), MUSA_ERROR_INVALID_CONTEXT);
		ck_assert_int_eq(muCtxDestroy(old), MUSA_ERROR_INVALID_CONTEXT);
	}
	test_join_users(t, 3);
	ut_ctx = atomic_load(&test_current);
}
END_TEST

START_TEST(test_primary_context_reset_while_other_threads_use_it)
{
	pthread_t t[3];
	MUcontext primary;
	MUdevice dev;

	MU_OK(muDeviceGet(&dev, 0));
	MU_OK(muDevicePrimaryCtxRetain(&primary, dev));
	atomic_store(&test_current, primary);
	test_start_users(t, 3, test_context_user);
	for (int round = 0; round < 40; round++) {
		struct timespec pause = { 0, 2000000 };

		nanosleep(&pause, NULL);
		MU_OK(muDevicePrimaryCtxReset(dev));
	}
	test_join_users(t, 3);
	/* The same handle, working again. */
	MU_OK(muCtxPushCurrent(primary));
	MU_OK(muCtxSynchronize());
	MU_OK(muCtxPopCurrent(NULL));
	MU_OK(muDevicePrimaryCtxRelease(dev));
}
END_TEST

static _Atomic int test_gate, test_entered;

static void test_gated_host_fn(void *data)
{
	(void)data;
	atomic_store(&test_entered, 1);
	while (!atomic_load(&test_gate))
		sched_yield();
}

struct test_destroyer {
	MUcontext ctx;
	MUresult r;
	_Atomic int done;
};

static void *test_destroy_main(void *arg)
{
	struct test_destroyer *d = arg;

	d->r = muCtxDestroy(d->ctx);
	atomic_store(&d->done, 1);
	return NULL;
}

struct test_waiter {
	MUcontext ctx;
	MUresult r;
};

/* Queues a host function that waits for the gate, then waits for it. */
static void *test_wait_main(void *arg)
{
	struct test_waiter *w = arg;
	MUstream s;

	MU_OK(muCtxSetCurrent(w->ctx));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muLaunchHostFunc(s, test_gated_host_fn, NULL));
	w->r = muStreamSynchronize(s);
	return NULL;
}

START_TEST(test_context_destroy_waits_for_the_calls_using_it)
{
	struct test_destroyer d = { .ctx = ut_ctx, .r = MUSA_ERROR_UNKNOWN };
	struct test_waiter w = { .ctx = ut_ctx, .r = MUSA_ERROR_UNKNOWN };
	struct timespec pause = { 0, 50000000 };
	pthread_t tw, td;

	atomic_store(&test_gate, 0);
	atomic_store(&test_entered, 0);
	ck_assert_int_eq(pthread_create(&tw, NULL, test_wait_main, &w), 0);
	while (!atomic_load(&test_entered))
		sched_yield();
	ck_assert_int_eq(pthread_create(&td, NULL, test_destroy_main, &d), 0);
	nanosleep(&pause, NULL);
	/* The handle went at once; the destroy waits for the sync. */
	ck_assert_int_eq(atomic_load(&d.done), 0);
	ck_assert_int_eq(muCtxPushCurrent(ut_ctx), MUSA_ERROR_INVALID_CONTEXT);
	atomic_store(&test_gate, 1);
	pthread_join(tw, NULL);
	pthread_join(td, NULL);
	ck_assert_int_eq(w.r, MUSA_SUCCESS);
	ck_assert_int_eq(d.r, MUSA_SUCCESS);
	ut_ctx = NULL;
}
END_TEST

static Suite *object_suite(void)
{
	Suite *s = suite_create("umd_object");
	TCase *tc = tcase_create("references");

	tcase_add_test(tc, test_object_released_once_on_last_put);
	tcase_add_test(tc, test_handle_get_takes_a_reference_of_the_right_type);
	tcase_add_test(tc, test_lookup_racing_last_put_never_revives_the_object);
	suite_add_tcase(s, tc);

	tc = tcase_create("races");
	tcase_add_checked_fixture(tc, setup, ut_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_stream_destroyed_while_other_threads_use_it);
	tcase_add_test(tc, test_event_destroyed_while_other_threads_use_it);
	tcase_add_test(tc, test_module_unloaded_while_other_threads_use_its_function);
	tcase_add_test(tc, test_sync_holding_a_stream_outlives_its_destroy);
	tcase_add_test(tc, test_context_destroyed_while_other_threads_use_it);
	tcase_add_test(tc, test_primary_context_reset_while_other_threads_use_it);
	tcase_add_test(tc, test_context_destroy_waits_for_the_calls_using_it);
	suite_add_tcase(s, tc);

	tc = tcase_create("state");
	tcase_add_checked_fixture(tc, setup, ut_teardown);
	tcase_add_test(tc, test_new_streams_get_new_ids);
	tcase_add_test(tc, test_new_stream_is_not_capturing_after_a_capturing_one_went);
	tcase_add_test(tc, test_per_thread_stream_goes_to_the_next_thread_after_exit);
	tcase_add_test(tc, test_function_attributes_start_over_when_the_module_is_reloaded);
	tcase_add_test(tc, test_context_preferences_start_over_in_a_new_context);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(object_suite());
}
