/* SPDX-License-Identifier: MIT */
/*
 * stream_ptsz.c - the entry points of the per-thread default stream mode
 * (_ptsz / _ptds), called by name: stream 0 is the calling thread's
 * per-thread stream, and the synchronous forms wait for it. A program built
 * with MUSA_API_PER_THREAD_DEFAULT_STREAM reaches them through the plain
 * names. Their names exist only as macro expansions in CUDA's headers, so
 * these tests are MUSA-only.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "cts.h"
#include "stream_util.h"

#ifndef CTS_CUDA

#define PN 1024

static void pt_count_cb(musaStream_t s, musaError_t st, void *data)
{
	(void)s;
	if (st == musaSuccess)
		atomic_fetch_add((atomic_int *)data, 1);
}

static void pt_count_fn(void *data)
{
	atomic_fetch_add((atomic_int *)data, 1);
}

/* Work queued on stream 0 through the _ptsz entries lands on
 * musaStreamPerThread, in order, behind a gate that holds the stream. */
CTS_TEST(stream_ptsz, stream_zero_is_the_per_thread_stream)
{
	struct cts_gate gate = { 0 };
	int *h = NULL;  /* pinned: an async copy to pageable memory would wait */
	atomic_int calls = 0;
	unsigned long long id0 = 0, id1 = 1;
	unsigned int flags = 99;
	int *d = NULL, prio = 99, dev = -1, v = 2, n = PN;
	void *args[3];
	musaEvent_t ev;

	CTS_RT_OK(musaMallocHost((void **)&h, PN * sizeof(int)));
	CTS_RT_OK(musaMalloc((void **)&d, PN * sizeof(int)));
	CTS_RT_OK(musaEventCreateWithFlags(&ev, musaEventDisableTiming));
	CTS_RT_OK(musaLaunchHostFunc_ptsz(0, cts_gate_fn, &gate));
	CTS_RT(musaStreamQuery_ptsz(0), musaErrorNotReady);
	CTS_RT(musaStreamQuery(musaStreamPerThread), musaErrorNotReady);
	CTS_RT_OK(musaMemsetAsync_ptsz(d, 0, PN * sizeof(int), 0));
	args[0] = &d;
	args[1] = &v;
	args[2] = &n;
	CTS_RT_OK(musaLaunchKernel_ptsz(cts_kernel_fill(), (dim3){ (PN + 255) / 256, 1, 1 }, (dim3){ 256, 1, 1 },
					args, 0, 0));
	CTS_RT_OK(musaMemcpyAsync_ptsz(h, d, PN * sizeof(int), musaMemcpyDeviceToHost, 0));
	CTS_RT_OK(musaStreamAddCallback_ptsz(0, pt_count_cb, &calls, 0));
	CTS_RT_OK(musaEventRecord_ptsz(ev, 0));
	CTS_RT(musaEventQuery(ev), musaErrorNotReady);
	ck_assert_int_eq(atomic_load(&calls), 0);
	cts_gate_open(&gate);
	CTS_RT_OK(musaStreamSynchronize_ptsz(0));
	CTS_RT_OK(musaEventQuery(ev));
	ck_assert_int_eq(h[0], 2);
	ck_assert_int_eq(h[PN - 1], 2);
	ck_assert_int_eq(atomic_load(&calls), 1);
	ck_assert(!atomic_load(&gate.timed_out));

	CTS_RT_OK(musaStreamGetFlags_ptsz(0, &flags));
	ck_assert_uint_eq(flags, musaStreamDefault);
	CTS_RT_OK(musaStreamGetPriority_ptsz(0, &prio));
	ck_assert_int_eq(prio, 0);
	CTS_RT_OK(musaStreamGetDevice_ptsz(0, &dev));
	ck_assert_int_eq(dev, 0);
	CTS_RT_OK(musaStreamGetId_ptsz(0, &id0));
	CTS_RT_OK(musaStreamGetId(musaStreamPerThread, &id1));
	ck_assert(id0 == id1);
	CTS_RT_OK(musaStreamWaitEvent_ptsz(0, ev, 0));
	CTS_RT_OK(musaEventRecordWithFlags_ptsz(ev, 0, 0));
	CTS_RT_OK(musaStreamAttachMemAsync_ptsz(0, d, 0, musaMemAttachSingle));
	CTS_RT(musaStreamGetFlags_ptsz(0, NULL), musaErrorInvalidValue);
	CTS_RT(musaStreamWaitEvent_ptsz(0, ev, 0x80), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamSynchronize_ptsz(0));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaFreeHost(h));
}

/* The synchronous _ptds forms are ordered after the per-thread stream's
 * work and have finished when they return. */
CTS_TEST(stream_ptsz, synchronous_forms_wait)
{
	static int h[PN], src[CTS_SYMBOL_N], back[CTS_SYMBOL_N];
	struct cts_gate gate = { 0 };
	atomic_int calls = 0;
	int *d = NULL;

	for (int i = 0; i < CTS_SYMBOL_N; i++)
		src[i] = 100 + i;
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset_ptds(d, 0, sizeof(h)));
	CTS_RT_OK(musaLaunchHostFunc_ptsz(0, pt_count_fn, &calls));
	CTS_RT_OK(musaLaunchHostFunc_ptsz(0, cts_gate_fn, &gate));
	CTS_RT_OK(cts_launch_fill(d, 5, PN, musaStreamPerThread));
	cts_gate_open(&gate);
	/* Ordered after the fill on the per-thread stream. */
	CTS_RT_OK(musaMemcpy_ptds(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[PN - 1], 5);
	ck_assert_int_eq(atomic_load(&calls), 1);

	CTS_RT_OK(musaMemcpyToSymbol_ptds(cts_symbol_dev(), src, sizeof(src), 0,
					  musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpyFromSymbol_ptds(back, cts_symbol_dev(), sizeof(back), 0,
					    musaMemcpyDeviceToHost));
	ck_assert_int_eq(back[CTS_SYMBOL_N - 1], 100 + CTS_SYMBOL_N - 1);
	src[0] = -7;
	CTS_RT_OK(musaMemcpyToSymbolAsync_ptsz(cts_symbol_dev(), src, sizeof(int), 0,
					       musaMemcpyHostToDevice, 0));
	CTS_RT_OK(musaMemcpyFromSymbolAsync_ptsz(back, cts_symbol_dev(), sizeof(int), 0,
						 musaMemcpyDeviceToHost, 0));
	CTS_RT_OK(musaStreamSynchronize_ptsz(0));
	ck_assert_int_eq(back[0], -7);
	CTS_RT(musaMemcpyToSymbol_ptds(&calls, src, 4, 0, musaMemcpyHostToDevice),
	       musaErrorInvalidSymbol);
	CTS_RT(musaMemset_ptds(NULL, 0, 16), musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaFree(d));
}

/* Two host threads alive at once: each one's stream 0 is its own stream
 * (a thread's stream may be reused once the thread has exited). */
static pthread_barrier_t pt_both;

static void *pt_thread(void *arg)
{
	unsigned long long *id = arg;

	if (musaStreamGetId_ptsz(0, id) != musaSuccess)
		*id = 0;
	pthread_barrier_wait(&pt_both);
	return NULL;
}

CTS_TEST(stream_ptsz, one_stream_per_thread)
{
	unsigned long long a = 0, b = 0, mine = 0;
	pthread_t t1, t2;

	CTS_RT_OK(musaStreamGetId_ptsz(0, &mine));
	ck_assert_int_eq(pthread_barrier_init(&pt_both, NULL, 2), 0);
	ck_assert_int_eq(pthread_create(&t1, NULL, pt_thread, &a), 0);
	ck_assert_int_eq(pthread_create(&t2, NULL, pt_thread, &b), 0);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_barrier_destroy(&pt_both);
	ck_assert(a != 0 && b != 0 && mine != 0);
	ck_assert(a != b && a != mine && b != mine);
}

/* Capture and graph launch on the per-thread stream through stream 0. */
CTS_TEST(stream_ptsz, capture_and_graph_launch)
{
	static int h[PN];
	enum musaStreamCaptureStatus st = musaStreamCaptureStatusNone;
	unsigned long long cid = 0;
	musaGraphExec_t x;
	musaGraph_t g = NULL;
	int *d = NULL;

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaStreamBeginCapture_ptsz(0, musaStreamCaptureModeThreadLocal));
	CTS_RT_OK(musaStreamIsCapturing_ptsz(0, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusActive);
	CTS_RT_OK(musaStreamGetCaptureInfo_ptsz(0, &st, &cid, NULL, NULL, NULL));
	ck_assert_int_eq(st, musaStreamCaptureStatusActive);
	CTS_RT_OK(musaMemsetAsync_ptsz(d, 0, sizeof(h), 0));
	CTS_RT_OK(cts_launch_add(d, 3, PN, musaStreamPerThread));
	CTS_RT_OK(musaMemcpyAsync_ptsz(h, d, sizeof(h), musaMemcpyDeviceToHost, 0));
	CTS_RT_OK(musaStreamEndCapture_ptsz(0, &g));
	ck_assert_ptr_nonnull(g);
	CTS_RT_OK(musaStreamIsCapturing_ptsz(0, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusNone);
	CTS_RT(musaStreamEndCapture_ptsz(0, &g), musaErrorIllegalState);
	musaGetLastError();
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphUpload_ptsz(x, 0));
	for (int i = 0; i < 3; i++) {
		h[0] = -1;
		CTS_RT_OK(musaGraphLaunch_ptsz(x, 0));
		CTS_RT_OK(musaStreamSynchronize_ptsz(0));
		ck_assert_int_eq(h[0], 3);
	}
	CTS_RT(musaGraphLaunch_ptsz(NULL, 0), musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

#endif /* CTS_CUDA */
