/* SPDX-License-Identifier: MIT */
/*
 * stream.c - conformance of the runtime's streams: creation flags and
 * priorities, attribute queries, query/synchronize, host functions and
 * callbacks (order, thread, independence of streams), the legacy and
 * per-thread default streams, stream waits on events, destroy with pending
 * work, streams of the driver API.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "cts.h"
#include "stream_util.h"

CTS_TEST(stream, create_destroy)
{
	musaStream_t s, nb;
	unsigned int flags = 99;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamCreateWithFlags(&nb, musaStreamNonBlocking));
	CTS_RT_OK(musaStreamGetFlags(s, &flags));
	ck_assert_uint_eq(flags, musaStreamDefault);
	CTS_RT_OK(musaStreamGetFlags(nb, &flags));
	ck_assert_uint_eq(flags, musaStreamNonBlocking);
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaStreamQuery(nb));
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT_OK(musaStreamDestroy(nb));
}

CTS_TEST(stream, create_bad_args)
{
	musaStream_t s;

	CTS_RT(musaStreamCreate(NULL), musaErrorInvalidValue);
	CTS_RT(musaStreamCreateWithFlags(NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaStreamCreateWithFlags(&s, 0x4), musaErrorInvalidValue);
	CTS_RT(musaStreamCreateWithPriority(NULL, 0, 0), musaErrorInvalidValue);
	CTS_RT(musaStreamCreateWithPriority(&s, 0x8, 0), musaErrorInvalidValue);
	musaGetLastError();
}

#ifndef CTS_CUDA
CTS_TEST(stream, destroyed_handle)
{
	musaStream_t s;
	unsigned int flags;
	int prio;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT(musaStreamDestroy(s), musaErrorInvalidResourceHandle);
	CTS_RT(musaStreamSynchronize(s), musaErrorInvalidResourceHandle);
	CTS_RT(musaStreamQuery(s), musaErrorInvalidResourceHandle);
	CTS_RT(musaStreamGetFlags(s, &flags), musaErrorInvalidResourceHandle);
	CTS_RT(musaStreamGetPriority(s, &prio), musaErrorInvalidResourceHandle);
	CTS_RT(musaLaunchHostFunc(s, cts_set_fn, &prio), musaErrorInvalidResourceHandle);
	CTS_RT(musaStreamDestroy((musaStream_t)&prio), musaErrorInvalidResourceHandle);
	CTS_RT(musaStreamSynchronize((musaStream_t)&prio), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidResourceHandle);
}

CTS_TEST(stream, default_streams_not_destroyable)
{
	CTS_RT(musaStreamDestroy(musaStreamLegacy), musaErrorInvalidResourceHandle);
	CTS_RT(musaStreamDestroy(musaStreamPerThread), musaErrorInvalidResourceHandle);
	musaGetLastError();
}
#endif

CTS_TEST(stream, priority_range)
{
	int least = 99, greatest = 99;

	CTS_RT_OK(musaDeviceGetStreamPriorityRange(&least, &greatest));
	ck_assert_int_ge(least, greatest);
#ifndef CTS_CUDA
	ck_assert_int_eq(least, 0);
	ck_assert_int_eq(greatest, -2);
#endif
	/* Either pointer may be NULL. */
	CTS_RT_OK(musaDeviceGetStreamPriorityRange(NULL, &greatest));
	CTS_RT_OK(musaDeviceGetStreamPriorityRange(&least, NULL));
	CTS_RT_OK(musaDeviceGetStreamPriorityRange(NULL, NULL));
}

CTS_TEST(stream, priorities_clamped)
{
	int least, greatest, p = 99;
	musaStream_t hi, lo, over, under;

	CTS_RT_OK(musaDeviceGetStreamPriorityRange(&least, &greatest));
	CTS_RT_OK(musaStreamCreateWithPriority(&hi, musaStreamDefault, greatest));
	CTS_RT_OK(musaStreamCreateWithPriority(&lo, musaStreamNonBlocking, least));
	CTS_RT_OK(musaStreamCreateWithPriority(&over, 0, greatest - 10));
	CTS_RT_OK(musaStreamCreateWithPriority(&under, 0, least + 10));
	CTS_RT_OK(musaStreamGetPriority(hi, &p));
	ck_assert_int_eq(p, greatest);
	CTS_RT_OK(musaStreamGetPriority(lo, &p));
	ck_assert_int_eq(p, least);
	CTS_RT_OK(musaStreamGetPriority(over, &p));
	ck_assert_int_eq(p, greatest);
	CTS_RT_OK(musaStreamGetPriority(under, &p));
	ck_assert_int_eq(p, least);
	CTS_RT_OK(musaStreamGetPriority(0, &p));
	ck_assert_int_eq(p, 0);
	CTS_RT(musaStreamGetPriority(hi, NULL), musaErrorInvalidValue);
	CTS_RT(musaStreamGetFlags(hi, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamDestroy(hi));
	CTS_RT_OK(musaStreamDestroy(lo));
	CTS_RT_OK(musaStreamDestroy(over));
	CTS_RT_OK(musaStreamDestroy(under));
	musaGetLastError();
}

CTS_TEST(stream, get_id_and_device)
{
	musaStream_t a, b;
	unsigned long long ia = 0, ib = 0, il = 0, ipt = 0, ia2 = 0;
	int dev = -1;

	CTS_RT_OK(musaStreamCreate(&a));
	CTS_RT_OK(musaStreamCreate(&b));
	CTS_RT_OK(musaStreamGetId(a, &ia));
	CTS_RT_OK(musaStreamGetId(b, &ib));
	CTS_RT_OK(musaStreamGetId(a, &ia2));
	CTS_RT_OK(musaStreamGetId(musaStreamLegacy, &il));
	CTS_RT_OK(musaStreamGetId(musaStreamPerThread, &ipt));
	ck_assert(ia != ib);
	ck_assert(ia == ia2);
	ck_assert(il != ia && il != ib && ipt != il && ipt != ia);
	CTS_RT(musaStreamGetId(a, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamGetDevice(a, &dev));
	ck_assert_int_eq(dev, 0);
	CTS_RT_OK(musaStreamGetDevice(0, &dev));
	ck_assert_int_eq(dev, 0);
	CTS_RT(musaStreamGetDevice(a, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamDestroy(a));
	CTS_RT_OK(musaStreamDestroy(b));
	musaGetLastError();
}

CTS_TEST(stream, query_not_ready)
{
	struct cts_gate g = { 0 };
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamQuery(s));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT(musaStreamQuery(s), musaErrorNotReady);
	/* NotReady is not an error: it is not recorded. */
	CTS_RT_OK(musaGetLastError());
	cts_gate_open(&g);
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaStreamQuery(s));
	ck_assert_int_eq(atomic_load(&g.timed_out), 0);
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(stream, host_func_order_and_thread)
{
	struct cts_log log = { 0 };
	struct cts_log_entry e[8];
	musaStream_t s;
	int *d = NULL, h[256];

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	for (int i = 0; i < 8; i++) {
		e[i].log = &log;
		e[i].id = i;
		CTS_RT_OK(cts_launch_fill(d, i, 256, s));
		CTS_RT_OK(musaLaunchHostFunc(s, cts_log_fn, &e[i]));
	}
	CTS_RT_OK(musaStreamSynchronize(s));
	ck_assert_int_eq(atomic_load(&log.n), 8);
	for (int i = 0; i < 8; i++) {
		ck_assert_int_eq(log.seq[i], i);
		ck_assert(!pthread_equal(log.who[i], pthread_self()));
	}
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 7);
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(stream, host_func_blocks_later_work)
{
	struct cts_gate g = { 0 };
	musaStream_t s;
	musaEvent_t ev;
	int *d = NULL, h[64];

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreateWithFlags(&ev, musaEventDisableTiming));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(cts_launch_fill(d, 5, 64, s));
	CTS_RT_OK(musaEventRecord(ev, s));
	cts_sleep_ms(50);
	CTS_RT(musaEventQuery(ev), musaErrorNotReady);
	CTS_RT(musaStreamQuery(s), musaErrorNotReady);
	cts_gate_open(&g);
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[63], 5);
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(stream, host_funcs_of_streams_independent)
{
	/* a's host function waits for b's: one worker for all streams would
	 * deadlock (bounded here: the wait gives up after 5 s). */
	atomic_int flag[2] = { 0, 0 };
	musaStream_t a, b;

	CTS_RT_OK(musaStreamCreateWithFlags(&a, musaStreamNonBlocking));
	CTS_RT_OK(musaStreamCreateWithFlags(&b, musaStreamNonBlocking));
	CTS_RT_OK(musaLaunchHostFunc(a, cts_wait_fn, flag));
	cts_sleep_ms(20);
	CTS_RT_OK(musaLaunchHostFunc(b, cts_set_fn, &flag[0]));
	CTS_RT_OK(musaStreamSynchronize(a));
	CTS_RT_OK(musaStreamSynchronize(b));
	ck_assert_int_eq(atomic_load(&flag[1]), 1);
	CTS_RT_OK(musaStreamDestroy(a));
	CTS_RT_OK(musaStreamDestroy(b));
}

CTS_TEST(stream, host_func_bad_args)
{
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT(musaLaunchHostFunc(s, NULL, NULL), musaErrorInvalidValue);
	CTS_RT(musaLaunchHostFunc(0, NULL, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamDestroy(s));
	musaGetLastError();
}

struct cb_seen {
	atomic_int calls;
	musaStream_t stream;
	musaError_t status;
	void *data;
	pthread_t who;
};

static void cb_record(musaStream_t stream, musaError_t status, void *userData)
{
	struct cb_seen *c = (struct cb_seen *)userData;

	c->stream = stream;
	c->status = status;
	c->data = userData;
	c->who = pthread_self();
	atomic_fetch_add(&c->calls, 1);
}

CTS_TEST(stream, add_callback)
{
	struct cb_seen c = { 0 }, c0 = { 0 };
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamAddCallback(s, cb_record, &c, 0));
	CTS_RT_OK(musaStreamAddCallback(0, cb_record, &c0, 0));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(atomic_load(&c.calls), 1);
	ck_assert_ptr_eq(c.stream, s);
	ck_assert_int_eq(c.status, musaSuccess);
	ck_assert_ptr_eq(c.data, &c);
	ck_assert(!pthread_equal(c.who, pthread_self()));
	ck_assert_int_eq(atomic_load(&c0.calls), 1);
	ck_assert_ptr_eq(c0.stream, NULL);
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(stream, add_callback_bad_args)
{
	struct cb_seen c = { 0 };
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT(musaStreamAddCallback(s, cb_record, &c, 1), musaErrorInvalidValue);
	CTS_RT(musaStreamAddCallback(s, NULL, &c, 0), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamSynchronize(s));
	ck_assert_int_eq(atomic_load(&c.calls), 0);
	CTS_RT_OK(musaStreamDestroy(s));
#ifndef CTS_CUDA
	CTS_RT(musaStreamAddCallback(s, cb_record, &c, 0), musaErrorInvalidResourceHandle);
#endif
	musaGetLastError();
}

CTS_TEST(stream, destroy_with_pending_work)
{
	struct cts_gate g = { 0 };
	struct cts_log log = { 0 };
	struct cts_log_entry e = { &log, 1 };
	musaStream_t s;
	int *d = NULL, h[64];

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	CTS_RT_OK(musaStreamCreateWithFlags(&s, musaStreamNonBlocking));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(cts_launch_fill(d, 9, 64, s));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_log_fn, &e));
	/* Returns at once although the gate is closed ... */
	CTS_RT_OK(musaStreamDestroy(s));
	ck_assert_int_eq(atomic_load(&log.n), 0);
	/* ... and the work still runs, in order, once it opens. */
	cts_gate_open(&g);
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(atomic_load(&log.n), 1);
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 9);
	ck_assert_int_eq(atomic_load(&g.timed_out), 0);
	CTS_RT_OK(musaFree(d));
}

/* The legacy stream waits for blocking streams and they wait for it; a
 * non-blocking stream takes part in neither. */
CTS_TEST(stream, legacy_implicit_sync)
{
	struct cts_gate g = { 0 };
	struct cts_log log = { 0 };
	struct cts_log_entry e1 = { &log, 1 }, e2 = { &log, 2 }, e3 = { &log, 3 };
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_log_fn, &e1));
	CTS_RT_OK(musaLaunchHostFunc(0, cts_log_fn, &e2));  /* waits for s */
	CTS_RT_OK(musaLaunchHostFunc(s, cts_log_fn, &e3));  /* waits for legacy */
	cts_sleep_ms(50);
	ck_assert_int_eq(atomic_load(&log.n), 0);
	cts_gate_open(&g);
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(atomic_load(&log.n), 3);
	ck_assert_int_eq(log.seq[0], 1);
	ck_assert_int_eq(log.seq[1], 2);
	ck_assert_int_eq(log.seq[2], 3);
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(stream, non_blocking_no_implicit_sync)
{
	atomic_int flag[2] = { 0, 0 };
	musaStream_t nb;

	/* nb waits for a flag only the legacy stream's host function sets. */
	CTS_RT_OK(musaStreamCreateWithFlags(&nb, musaStreamNonBlocking));
	CTS_RT_OK(musaLaunchHostFunc(nb, cts_wait_fn, flag));
	CTS_RT_OK(musaLaunchHostFunc(0, cts_set_fn, &flag[0]));
	CTS_RT_OK(musaStreamSynchronize(0));
	CTS_RT_OK(musaStreamSynchronize(nb));
	ck_assert_int_eq(atomic_load(&flag[1]), 1);
	CTS_RT_OK(musaStreamDestroy(nb));
}

CTS_TEST(stream, per_thread_stream_usable)
{
	int *d = NULL, h[128];
	unsigned int flags = 99;
	int prio = 99;

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemsetAsync(d, 0, sizeof(h), musaStreamPerThread));
	CTS_RT_OK(cts_launch_fill(d, 3, 128, musaStreamPerThread));
	CTS_RT_OK(musaStreamSynchronize(musaStreamPerThread));
	CTS_RT_OK(musaStreamQuery(musaStreamPerThread));
	CTS_RT_OK(musaMemcpyAsync(h, d, sizeof(h), musaMemcpyDeviceToHost, musaStreamPerThread));
	CTS_RT_OK(musaStreamSynchronize(musaStreamPerThread));
	ck_assert_int_eq(h[127], 3);
	CTS_RT_OK(musaStreamGetFlags(musaStreamPerThread, &flags));
	ck_assert_uint_eq(flags, musaStreamDefault);
	CTS_RT_OK(musaStreamGetPriority(musaStreamPerThread, &prio));
	ck_assert_int_eq(prio, 0);
	CTS_RT_OK(musaFree(d));
}

static void *pt_id_thread(void *arg)
{
	unsigned long long *id = (unsigned long long *)arg;

	if (musaStreamGetId(musaStreamPerThread, id) != musaSuccess)
		*id = 0;
	return NULL;
}

CTS_TEST(stream, per_thread_stream_per_thread)
{
	unsigned long long mine = 0, again = 0, other = 0;
	pthread_t t;

	CTS_RT_OK(musaStreamGetId(musaStreamPerThread, &mine));
	CTS_RT_OK(musaStreamGetId(musaStreamPerThread, &again));
	ck_assert(mine == again);
	ck_assert_int_eq(pthread_create(&t, NULL, pt_id_thread, &other), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert(other != 0);
	ck_assert(other != mine);
}

/* The per-thread stream is blocking: it synchronizes with the legacy one. */
CTS_TEST(stream, per_thread_syncs_with_legacy)
{
	struct cts_gate g = { 0 };
	struct cts_log log = { 0 };
	struct cts_log_entry e1 = { &log, 1 }, e2 = { &log, 2 };

	CTS_RT_OK(musaLaunchHostFunc(musaStreamPerThread, cts_gate_fn, &g));
	CTS_RT_OK(musaLaunchHostFunc(musaStreamPerThread, cts_log_fn, &e1));
	CTS_RT_OK(musaLaunchHostFunc(musaStreamLegacy, cts_log_fn, &e2));
	cts_sleep_ms(30);
	ck_assert_int_eq(atomic_load(&log.n), 0);
	cts_gate_open(&g);
	CTS_RT_OK(musaStreamSynchronize(musaStreamLegacy));
	ck_assert_int_eq(atomic_load(&log.n), 2);
	ck_assert_int_eq(log.seq[0], 1);
	ck_assert_int_eq(log.seq[1], 2);
}

CTS_TEST(stream, wait_event_orders_streams)
{
	struct cts_gate g = { 0 };
	struct cts_log log = { 0 };
	struct cts_log_entry e1 = { &log, 1 }, e2 = { &log, 2 };
	musaStream_t a, b;
	musaEvent_t ev;

	CTS_RT_OK(musaStreamCreateWithFlags(&a, musaStreamNonBlocking));
	CTS_RT_OK(musaStreamCreateWithFlags(&b, musaStreamNonBlocking));
	CTS_RT_OK(musaEventCreateWithFlags(&ev, musaEventDisableTiming));
	CTS_RT_OK(musaLaunchHostFunc(a, cts_gate_fn, &g));
	CTS_RT_OK(musaLaunchHostFunc(a, cts_log_fn, &e1));
	CTS_RT_OK(musaEventRecord(ev, a));
	CTS_RT_OK(musaStreamWaitEvent(b, ev, 0));
	CTS_RT_OK(musaLaunchHostFunc(b, cts_log_fn, &e2));
	cts_sleep_ms(30);
	CTS_RT(musaStreamQuery(b), musaErrorNotReady);
	cts_gate_open(&g);
	CTS_RT_OK(musaStreamSynchronize(b));
	ck_assert_int_eq(atomic_load(&log.n), 2);
	ck_assert_int_eq(log.seq[0], 1);
	ck_assert_int_eq(log.seq[1], 2);
	/* Waiting for a never-recorded event is a no-op. */
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaStreamWaitEvent(b, ev, musaEventWaitDefault));
	CTS_RT_OK(musaStreamSynchronize(b));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaStreamDestroy(a));
	CTS_RT_OK(musaStreamDestroy(b));
}

CTS_TEST(stream, wait_event_bad_args)
{
	musaStream_t s;
	musaEvent_t ev;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT(musaStreamWaitEvent(s, ev, 0x4), musaErrorInvalidValue);
	CTS_RT(musaStreamWaitEvent(s, NULL, 0), musaErrorInvalidResourceHandle);
	CTS_RT_OK(musaEventDestroy(ev));
#ifndef CTS_CUDA
	CTS_RT(musaStreamWaitEvent(s, ev, 0), musaErrorInvalidResourceHandle);
#endif
	CTS_RT_OK(musaStreamDestroy(s));
	musaGetLastError();
}

CTS_TEST(stream, attach_mem_async)
{
	void *m = NULL;
	musaStream_t s;

	if (musaMallocManaged(&m, 4096, musaMemAttachGlobal) != musaSuccess) {
		musaGetLastError();
		CTS_SKIP("no managed memory");
	}
	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamAttachMemAsync(s, m, 0, musaMemAttachSingle));
	CTS_RT_OK(musaStreamAttachMemAsync(s, m, 0, musaMemAttachGlobal));
	CTS_RT_OK(musaStreamAttachMemAsync(s, m, 0, musaMemAttachHost));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT(musaStreamAttachMemAsync(s, m, 0, 0x8), musaErrorInvalidValue);
	CTS_RT(musaStreamAttachMemAsync(s, m, 0, 0), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT_OK(musaFree(m));
	musaGetLastError();
}

/* Streams made with the driver API work in runtime calls. */
CTS_TEST(stream, driver_stream_in_runtime)
{
	MUstream ds;
	int *d = NULL, h[32];
	int dev = -1;
	struct cts_log log = { 0 };
	struct cts_log_entry e = { &log, 1 };

	CTS_RT_OK(musaFree(0));  /* the primary context exists */
	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&ds, MU_STREAM_NON_BLOCKING));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemsetAsync(d, 0, sizeof(h), (musaStream_t)ds));
	CTS_RT_OK(cts_launch_fill(d, 4, 32, (musaStream_t)ds));
	CTS_RT_OK(musaLaunchHostFunc((musaStream_t)ds, cts_log_fn, &e));
	CTS_RT_OK(musaStreamSynchronize((musaStream_t)ds));
	CTS_RT_OK(musaStreamQuery((musaStream_t)ds));
	CTS_RT_OK(musaStreamGetDevice((musaStream_t)ds, &dev));
	ck_assert_int_eq(dev, 0);
	ck_assert_int_eq(atomic_load(&log.n), 1);
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[31], 4);
	CTS_RT_OK(musaStreamDestroy((musaStream_t)ds));
#ifndef CTS_CUDA
	CTS_DRV(muStreamSynchronize(ds), MUSA_ERROR_INVALID_HANDLE);
	CTS_RT(musaStreamSynchronize((musaStream_t)ds), musaErrorInvalidResourceHandle);
#endif
	CTS_RT_OK(musaFree(d));
	musaGetLastError();
}

CTS_TEST(stream, second_device_stream_mismatch)
{
	musaStream_t s1;
	int *d0 = NULL;

	CTS_REQUIRE_DEVICES(2);
	CTS_RT_OK(musaMalloc((void **)&d0, 256));
	CTS_RT_OK(musaSetDevice(1));
	CTS_RT_OK(musaStreamCreate(&s1));
	CTS_RT_OK(musaSetDevice(0));
	/* Stream operations run on the stream's device. */
	CTS_RT_OK(musaStreamSynchronize(s1));
	CTS_RT_OK(musaStreamQuery(s1));
	{
		int dev = -1;

		CTS_RT_OK(musaStreamGetDevice(s1, &dev));
		ck_assert_int_eq(dev, 1);
	}
	CTS_RT_OK(musaStreamDestroy(s1));
	CTS_RT_OK(musaFree(d0));
}
