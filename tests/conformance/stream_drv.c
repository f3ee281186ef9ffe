/* SPDX-License-Identifier: MIT */
/*
 * stream_drv.c - conformance of the driver API's streams: flags and
 * priorities, attribute queries (priority, flags, context, device, id),
 * host functions and callbacks, MU_STREAM_PER_THREAD, stream waits,
 * attach, and destroy with pending work.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "cts.h"
#include "stream_util.h"

CTS_TEST(stream_drv, create_flags)
{
	MUstream s;
	unsigned int f = 99;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, MU_STREAM_DEFAULT));
	CTS_DRV_OK(muStreamGetFlags(s, &f));
	ck_assert_uint_eq(f, MU_STREAM_DEFAULT);
	CTS_DRV_OK(muStreamDestroy(s));
	CTS_DRV_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	CTS_DRV_OK(muStreamGetFlags(s, &f));
	ck_assert_uint_eq(f, MU_STREAM_NON_BLOCKING);
	CTS_DRV(muStreamGetFlags(s, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamDestroy(s));
	CTS_DRV(muStreamCreate(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamCreate(&s, 0x10), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamCreateWithPriority(&s, 0x10, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamCreateWithPriority(NULL, 0, 0), MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(stream_drv, priorities)
{
	int least = 99, greatest = 99, p = 99;
	MUstream hi, lo, over;

	cts_drv_init();
	CTS_DRV_OK(muCtxGetStreamPriorityRange(&least, &greatest));
	ck_assert_int_ge(least, greatest);
#ifndef CTS_CUDA
	ck_assert_int_eq(least, 0);
	ck_assert_int_eq(greatest, -2);
#endif
	CTS_DRV_OK(muCtxGetStreamPriorityRange(NULL, NULL));
	CTS_DRV_OK(muStreamCreateWithPriority(&hi, 0, greatest));
	CTS_DRV_OK(muStreamCreateWithPriority(&lo, 0, least));
	CTS_DRV_OK(muStreamCreateWithPriority(&over, 0, greatest - 100));
	CTS_DRV_OK(muStreamGetPriority(hi, &p));
	ck_assert_int_eq(p, greatest);
	CTS_DRV_OK(muStreamGetPriority(lo, &p));
	ck_assert_int_eq(p, least);
	CTS_DRV_OK(muStreamGetPriority(over, &p));
	ck_assert_int_eq(p, greatest);
	CTS_DRV_OK(muStreamGetPriority(NULL, &p));
	ck_assert_int_eq(p, 0);
	CTS_DRV(muStreamGetPriority(hi, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamDestroy(hi));
	CTS_DRV_OK(muStreamDestroy(lo));
	CTS_DRV_OK(muStreamDestroy(over));
}

CTS_TEST(stream_drv, ctx_device_id)
{
	MUcontext ctx = cts_drv_init(), got = NULL;
	MUdevice dev = -1;
	MUstream a, b;
	unsigned long long ia = 0, ib = 0, il = 0, ipt = 0;

	CTS_DRV_OK(muStreamCreate(&a, 0));
	CTS_DRV_OK(muStreamCreate(&b, 0));
	CTS_DRV_OK(muStreamGetCtx(a, &got));
	ck_assert_ptr_eq(got, ctx);
	CTS_DRV_OK(muStreamGetCtx(NULL, &got));
	ck_assert_ptr_eq(got, ctx);
	CTS_DRV_OK(muStreamGetDevice(a, &dev));
	ck_assert_int_eq(dev, 0);
	CTS_DRV_OK(muStreamGetId(a, &ia));
	CTS_DRV_OK(muStreamGetId(b, &ib));
	CTS_DRV_OK(muStreamGetId(MU_STREAM_LEGACY, &il));
	CTS_DRV_OK(muStreamGetId(MU_STREAM_PER_THREAD, &ipt));
	ck_assert(ia != ib && ia != il && ib != il && ipt != il);
	CTS_DRV(muStreamGetCtx(a, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamGetDevice(a, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamGetId(a, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamDestroy(a));
	CTS_DRV_OK(muStreamDestroy(b));
#ifndef CTS_CUDA
	CTS_DRV(muStreamGetCtx(a, &got), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muStreamGetDevice(a, &dev), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muStreamGetId(a, &ia), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muStreamGetPriority(a, &dev), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muStreamDestroy(a), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muStreamDestroy(MU_STREAM_PER_THREAD), MUSA_ERROR_INVALID_HANDLE);
#endif
}

CTS_TEST(stream_drv, launch_host_func)
{
	struct cts_log log = { 0 };
	struct cts_log_entry e[4];
	struct cts_gate g = { 0 };
	MUstream s;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, 0));
	CTS_DRV_OK(muLaunchHostFunc(s, cts_gate_fn, &g));
	for (int i = 0; i < 4; i++) {
		e[i].log = &log;
		e[i].id = i;
		CTS_DRV_OK(muLaunchHostFunc(s, cts_log_fn, &e[i]));
	}
	CTS_DRV(muStreamQuery(s), MUSA_ERROR_NOT_READY);
	cts_gate_open(&g);
	CTS_DRV_OK(muStreamSynchronize(s));
	CTS_DRV_OK(muStreamQuery(s));
	ck_assert_int_eq(atomic_load(&log.n), 4);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(log.seq[i], i);
		ck_assert(!pthread_equal(log.who[i], pthread_self()));
	}
	CTS_DRV(muLaunchHostFunc(s, NULL, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamDestroy(s));
#ifndef CTS_CUDA
	CTS_DRV(muLaunchHostFunc(s, cts_log_fn, &e[0]), MUSA_ERROR_INVALID_HANDLE);
#endif
}

struct drv_cb_seen {
	atomic_int calls;
	MUstream stream;
	MUresult status;
	void *data;
};

static void drv_cb(MUstream hStream, MUresult status, void *userData)
{
	struct drv_cb_seen *c = (struct drv_cb_seen *)userData;

	c->stream = hStream;
	c->status = status;
	c->data = userData;
	atomic_fetch_add(&c->calls, 1);
}

CTS_TEST(stream_drv, add_callback)
{
	struct drv_cb_seen c = { 0 };
	MUstream s;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, 0));
	CTS_DRV_OK(muStreamAddCallback(s, drv_cb, &c, 0));
	CTS_DRV_OK(muStreamSynchronize(s));
	ck_assert_int_eq(atomic_load(&c.calls), 1);
	ck_assert_ptr_eq(c.stream, s);
	ck_assert_int_eq(c.status, MUSA_SUCCESS);
	ck_assert_ptr_eq(c.data, &c);
	CTS_DRV(muStreamAddCallback(s, drv_cb, &c, 1), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamAddCallback(s, NULL, &c, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamSynchronize(s));
	ck_assert_int_eq(atomic_load(&c.calls), 1);
	CTS_DRV_OK(muStreamDestroy(s));
}

CTS_TEST(stream_drv, per_thread_stream)
{
	struct cts_gate g = { 0 };
	struct cts_log log = { 0 };
	struct cts_log_entry e1 = { &log, 1 }, e2 = { &log, 2 };
	unsigned int f = 99;

	cts_drv_init();
	CTS_DRV_OK(muStreamGetFlags(MU_STREAM_PER_THREAD, &f));
	ck_assert_uint_eq(f, 0);
	CTS_DRV_OK(muLaunchHostFunc(MU_STREAM_PER_THREAD, cts_gate_fn, &g));
	CTS_DRV_OK(muLaunchHostFunc(MU_STREAM_PER_THREAD, cts_log_fn, &e1));
	/* The legacy stream waits for the (blocking) per-thread stream. */
	CTS_DRV_OK(muLaunchHostFunc(MU_STREAM_LEGACY, cts_log_fn, &e2));
	CTS_DRV(muStreamQuery(MU_STREAM_PER_THREAD), MUSA_ERROR_NOT_READY);
	cts_gate_open(&g);
	CTS_DRV_OK(muStreamSynchronize(MU_STREAM_LEGACY));
	ck_assert_int_eq(atomic_load(&log.n), 2);
	ck_assert_int_eq(log.seq[0], 1);
	ck_assert_int_eq(log.seq[1], 2);
	CTS_DRV_OK(muStreamSynchronize(MU_STREAM_PER_THREAD));
}

CTS_TEST(stream_drv, wait_event)
{
	struct cts_gate g = { 0 };
	struct cts_log log = { 0 };
	struct cts_log_entry e1 = { &log, 1 }, e2 = { &log, 2 };
	MUstream a, b;
	MUevent ev;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&a, MU_STREAM_NON_BLOCKING));
	CTS_DRV_OK(muStreamCreate(&b, MU_STREAM_NON_BLOCKING));
	CTS_DRV_OK(muEventCreate(&ev, MU_EVENT_DISABLE_TIMING));
	CTS_DRV_OK(muLaunchHostFunc(a, cts_gate_fn, &g));
	CTS_DRV_OK(muLaunchHostFunc(a, cts_log_fn, &e1));
	CTS_DRV_OK(muEventRecord(ev, a));
	CTS_DRV_OK(muStreamWaitEvent(b, ev, 0));
	CTS_DRV_OK(muLaunchHostFunc(b, cts_log_fn, &e2));
	CTS_DRV(muStreamQuery(b), MUSA_ERROR_NOT_READY);
	cts_gate_open(&g);
	CTS_DRV_OK(muStreamSynchronize(b));
	ck_assert_int_eq(atomic_load(&log.n), 2);
	ck_assert_int_eq(log.seq[0], 1);
	ck_assert_int_eq(log.seq[1], 2);
	CTS_DRV(muStreamWaitEvent(b, ev, 0x4), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamWaitEvent(b, NULL, 0), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV_OK(muEventDestroy(ev));
	CTS_DRV_OK(muStreamDestroy(a));
	CTS_DRV_OK(muStreamDestroy(b));
}

CTS_TEST(stream_drv, attach_mem)
{
	MUdeviceptr m;
	MUstream s;

	cts_drv_init();
	if (muMemAllocManaged(&m, 4096, MU_MEM_ATTACH_GLOBAL) != MUSA_SUCCESS)
		CTS_SKIP("no managed memory");
	CTS_DRV_OK(muStreamCreate(&s, 0));
	CTS_DRV_OK(muStreamAttachMemAsync(s, m, 0, MU_MEM_ATTACH_SINGLE));
	CTS_DRV_OK(muStreamAttachMemAsync(s, m, 0, MU_MEM_ATTACH_HOST));
	CTS_DRV_OK(muStreamAttachMemAsync(s, m, 0, MU_MEM_ATTACH_GLOBAL));
	CTS_DRV(muStreamAttachMemAsync(s, m, 0, 0x8), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamAttachMemAsync(s, m, 0, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamSynchronize(s));
	CTS_DRV_OK(muStreamDestroy(s));
	CTS_DRV_OK(muMemFree(m));
}

CTS_TEST(stream_drv, destroy_pending)
{
	struct cts_gate g = { 0 };
	struct cts_log log = { 0 };
	struct cts_log_entry e = { &log, 1 };
	MUstream s;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	CTS_DRV_OK(muLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_DRV_OK(muLaunchHostFunc(s, cts_log_fn, &e));
	CTS_DRV_OK(muStreamDestroy(s));
	ck_assert_int_eq(atomic_load(&log.n), 0);
	cts_gate_open(&g);
	CTS_DRV_OK(muCtxSynchronize());
	ck_assert_int_eq(atomic_load(&log.n), 1);
	ck_assert_int_eq(atomic_load(&g.timed_out), 0);
}

/* Host functions pending when the context goes away do not crash it. */
CTS_TEST(stream_drv, ctx_destroy_with_host_funcs)
{
	struct cts_log log = { 0 };
	struct cts_log_entry e = { &log, 1 };
	MUcontext ctx;
	MUstream s;
	MUdevice dev;

	cts_drv_init();
	CTS_DRV_OK(muDeviceGet(&dev, 0));
	CTS_DRV_OK(cts_ctx_create(&ctx, 0, dev));
	CTS_DRV_OK(muStreamCreate(&s, 0));
	for (int i = 0; i < 8; i++)
		CTS_DRV_OK(muLaunchHostFunc(s, cts_log_fn, &e));
	CTS_DRV_OK(muLaunchHostFunc(MU_STREAM_PER_THREAD, cts_log_fn, &e));
	CTS_DRV_OK(muCtxDestroy(ctx));
	ck_assert_int_eq(atomic_load(&log.n), 9);
}
