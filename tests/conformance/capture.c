/* SPDX-License-Identifier: MIT */
/*
 * capture.c - conformance of stream capture (musaStreamBeginCapture ...
 * musaStreamEndCapture): captured work becomes a graph that runs when
 * launched, fork/join across streams through events, and the calls that
 * are illegal while a stream captures.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "cts.h"

#define N 1000

static void cap_count_fn(void *data)
{
	atomic_fetch_add((atomic_int *)data, 1);
}

static size_t cap_nodes(musaGraph_t g)
{
	size_t n = 0;

	CTS_RT_OK(musaGraphGetNodes(g, NULL, &n));
	return n;
}

/* Captured: memset(1) -> add 3 -> copy to host -> host fn. */
CTS_TEST(capture, basic_sequence)
{
	static int h[N];
	atomic_int calls = 0;
	enum musaStreamCaptureStatus st;
	musaGraph_t g = NULL;
	musaGraphExec_t x;
	musaStream_t s;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT_OK(musaStreamIsCapturing(s, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusActive);
	CTS_RT_OK(musaMemsetAsync(d, 0, sizeof(h), s));
	CTS_RT_OK(cts_launch_add(d, 3, N, s));
	CTS_RT_OK(cts_launch_add(d, 1, N, s));
	CTS_RT_OK(musaMemcpyAsync(h, d, sizeof(h), musaMemcpyDeviceToHost, s));
	CTS_RT_OK(musaLaunchHostFunc(s, cap_count_fn, &calls));
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	ck_assert_ptr_nonnull(g);
	CTS_RT_OK(musaStreamIsCapturing(s, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusNone);
	/* Nothing ran while capturing. */
	ck_assert_int_eq(atomic_load(&calls), 0);
	ck_assert_uint_eq(cap_nodes(g), 5);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	for (int i = 0; i < 3; i++) {
		memset(h, 0, sizeof(h));
		CTS_RT_OK(musaGraphLaunch(x, s));
		CTS_RT_OK(musaStreamSynchronize(s));
		ck_assert_int_eq(h[0], 4);
		ck_assert_int_eq(h[N - 1], 4);
	}
	ck_assert_int_eq(atomic_load(&calls), 3);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

/* s1 forks to s2 through an event, each works on half of the buffer, s1
 * joins s2 back; the result equals the same work done without capture. */
static void cap_fork_join(int *d, musaStream_t s1, musaStream_t s2, musaEvent_t fork,
			  musaEvent_t join)
{
	CTS_RT_OK(musaMemsetAsync(d, 0, 2 * N * sizeof(int), s1));
	CTS_RT_OK(musaEventRecord(fork, s1));
	CTS_RT_OK(musaStreamWaitEvent(s2, fork, 0));
	CTS_RT_OK(cts_launch_add(d, 5, N, s1));
	CTS_RT_OK(cts_launch_add(d + N, 7, N, s2));
	CTS_RT_OK(cts_launch_add(d + N, 1, N, s2));
	CTS_RT_OK(musaEventRecord(join, s2));
	CTS_RT_OK(musaStreamWaitEvent(s1, join, 0));
	CTS_RT_OK(cts_launch_add(d, 2, 2 * N, s1));
}

CTS_TEST(capture, fork_join_two_streams)
{
	static int want[2 * N], got[2 * N];
	enum musaStreamCaptureStatus st;
	musaStream_t s1, s2;
	musaEvent_t fork, join;
	musaGraph_t g = NULL;
	musaGraphNode_t roots[2];
	musaGraphExec_t x;
	size_t num;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s1));
	CTS_RT_OK(musaStreamCreate(&s2));
	CTS_RT_OK(musaEventCreateWithFlags(&fork, musaEventDisableTiming));
	CTS_RT_OK(musaEventCreateWithFlags(&join, musaEventDisableTiming));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(want)));
	/* Reference, run directly. */
	cap_fork_join(d, s1, s2, fork, join);
	CTS_RT_OK(musaMemcpyAsync(want, d, sizeof(want), musaMemcpyDeviceToHost, s1));
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(want[0], 7);
	ck_assert_int_eq(want[N], 10);

	CTS_RT_OK(musaMemset(d, 0xff, sizeof(want)));
	CTS_RT_OK(musaStreamBeginCapture(s1, musaStreamCaptureModeGlobal));
	CTS_RT_OK(musaMemsetAsync(d, 0, 2 * N * sizeof(int), s1));
	CTS_RT_OK(musaEventRecord(fork, s1));
	CTS_RT(musaEventQuery(fork), musaErrorCapturedEvent);
	ck_assert_int_eq(musaGetLastError(), musaErrorCapturedEvent);
	CTS_RT_OK(musaStreamWaitEvent(s2, fork, 0));
	CTS_RT_OK(musaStreamIsCapturing(s2, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusActive);
	CTS_RT_OK(cts_launch_add(d, 5, N, s1));
	CTS_RT_OK(cts_launch_add(d + N, 7, N, s2));
	CTS_RT_OK(cts_launch_add(d + N, 1, N, s2));
	CTS_RT_OK(musaEventRecord(join, s2));
	CTS_RT_OK(musaStreamWaitEvent(s1, join, 0));
	CTS_RT_OK(cts_launch_add(d, 2, 2 * N, s1));
	CTS_RT_OK(musaMemcpyAsync(got, d, sizeof(got), musaMemcpyDeviceToHost, s1));
	CTS_RT_OK(musaStreamEndCapture(s1, &g));
	CTS_RT_OK(musaStreamIsCapturing(s2, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusNone);
	ck_assert_uint_eq(cap_nodes(g), 6);
	num = 2;
	CTS_RT_OK(musaGraphGetRootNodes(g, roots, &num));
	ck_assert_uint_eq(num, 1);
	/* The two branches run in parallel: the node after the fork has two
	 * dependents. */
	CTS_RT_OK(cts_graph_node_get_dependent_nodes(roots[0], NULL, &num));
	ck_assert_uint_eq(num, 2);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	for (int i = 0; i < 2; i++) {
		memset(got, 0, sizeof(got));
		CTS_RT_OK(musaGraphLaunch(x, s1));
		CTS_RT_OK(musaStreamSynchronize(s1));
		ck_assert_int_eq(memcmp(want, got, sizeof(want)), 0);
	}
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaEventDestroy(fork));
	CTS_RT_OK(musaEventDestroy(join));
	CTS_RT_OK(musaStreamDestroy(s1));
	CTS_RT_OK(musaStreamDestroy(s2));
}

CTS_TEST(capture, unjoined_fork)
{
	musaStream_t s1, s2;
	musaEvent_t fork;
	musaGraph_t g = (musaGraph_t)1;
	enum musaStreamCaptureStatus st;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s1));
	CTS_RT_OK(musaStreamCreate(&s2));
	CTS_RT_OK(musaEventCreate(&fork));
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(musaStreamBeginCapture(s1, musaStreamCaptureModeGlobal));
	CTS_RT_OK(musaEventRecord(fork, s1));
	CTS_RT_OK(musaStreamWaitEvent(s2, fork, 0));
	CTS_RT_OK(cts_launch_add(d, 1, N, s2));
	/* Only the origin stream can end the capture. */
	CTS_RT(musaStreamEndCapture(s2, &g), musaErrorStreamCaptureUnmatched);
	CTS_RT(musaStreamEndCapture(s1, &g), musaErrorStreamCaptureUnjoined);
	ck_assert_ptr_null(g);
	CTS_RT_OK(musaStreamIsCapturing(s2, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusNone);
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaEventDestroy(fork));
	CTS_RT_OK(musaStreamDestroy(s1));
	CTS_RT_OK(musaStreamDestroy(s2));
}

static void cap_invalidated_by(int query)
{
	enum musaStreamCaptureStatus st;
	musaGraph_t g = (musaGraph_t)1;
	musaStream_t s;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT_OK(cts_launch_add(d, 1, N, s));
	if (query)
		CTS_RT(musaStreamQuery(s), musaErrorStreamCaptureUnsupported);
	else
		CTS_RT(musaStreamSynchronize(s), musaErrorStreamCaptureUnsupported);
	CTS_RT_OK(musaStreamIsCapturing(s, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusInvalidated);
	/* Later work in the invalidated capture fails too. */
	musaGetLastError();
	ck_assert_int_eq(cts_launch_add(d, 1, N, s), musaErrorStreamCaptureInvalidated);
	CTS_RT(musaStreamEndCapture(s, &g), musaErrorStreamCaptureInvalidated);
	ck_assert_ptr_null(g);
	/* The stream works normally again. */
	CTS_RT_OK(musaMemsetAsync(d, 0, N * sizeof(int), s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(capture, synchronize_invalidates)
{
	cap_invalidated_by(0);
}

CTS_TEST(capture, query_invalidates)
{
	cap_invalidated_by(1);
}

CTS_TEST(capture, legacy_stream_implicit)
{
	enum musaStreamCaptureStatus st;
	musaGraph_t g = (musaGraph_t)1;
	musaStream_t s;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT(musaStreamIsCapturing(0, &st), musaErrorStreamCaptureImplicit);
	CTS_RT(musaMemsetAsync(d, 0, N * sizeof(int), 0), musaErrorStreamCaptureImplicit);
	CTS_RT(musaStreamEndCapture(s, &g), musaErrorStreamCaptureInvalidated);
	ck_assert_ptr_null(g);
	CTS_RT_OK(musaStreamIsCapturing(0, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusNone);
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(capture, nonblocking_stream_leaves_legacy_alone)
{
	musaGraph_t g = NULL;
	musaStream_t s;
	int *d = NULL, h[N];

	CTS_RT_OK(musaStreamCreateWithFlags(&s, musaStreamNonBlocking));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeRelaxed));
	CTS_RT_OK(cts_launch_add(d, 1, N, s));
	CTS_RT_OK(musaMemsetAsync(d, 0, sizeof(h), 0));
	CTS_RT_OK(musaStreamSynchronize(0));
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	ck_assert_ptr_nonnull(g);
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 0);
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(capture, captured_event)
{
	musaGraph_t g = NULL;
	musaStream_t s;
	musaEvent_t ev;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT_OK(musaEventRecord(ev, s));
	CTS_RT(musaEventQuery(ev), musaErrorCapturedEvent);
	CTS_RT(musaEventSynchronize(ev), musaErrorCapturedEvent);
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	CTS_RT_OK(musaGraphDestroy(g));
	/* Recorded again outside a capture, it is an ordinary event. */
	CTS_RT_OK(musaEventRecord(ev, s));
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(capture, begin_errors)
{
	musaGraph_t g = NULL;
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT(musaStreamBeginCapture(0, musaStreamCaptureModeGlobal),
	       musaErrorStreamCaptureUnsupported);
	CTS_RT(musaStreamBeginCapture(s, (enum musaStreamCaptureMode)7), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeThreadLocal));
	CTS_RT(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal), musaErrorIllegalState);
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(cap_nodes(g), 0);
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaStreamDestroy(s));
#ifndef CTS_CUDA
	CTS_RT(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal),
	       musaErrorInvalidResourceHandle);
#endif
}

CTS_TEST(capture, end_errors)
{
	musaGraph_t g = NULL;
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT(musaStreamEndCapture(s, &g), musaErrorIllegalState);
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT(musaStreamEndCapture(s, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT(musaStreamIsCapturing(s, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamDestroy(s));
}

struct cap_end_arg {
	musaStream_t s;
	musaGraph_t g;
	musaError_t e;
};

static void *cap_end_thread(void *p)
{
	struct cap_end_arg *a = p;

	a->e = musaStreamEndCapture(a->s, &a->g);
	return NULL;
}

static musaError_t cap_end_elsewhere(musaStream_t s, musaGraph_t *g)
{
	struct cap_end_arg a = { s, NULL, musaErrorUnknown };
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, cap_end_thread, &a), 0);
	pthread_join(t, NULL);
	*g = a.g;
	return a.e;
}

CTS_TEST(capture, end_on_wrong_thread)
{
	musaGraph_t g = NULL;
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT(cap_end_elsewhere(s, &g), musaErrorStreamCaptureWrongThread);
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	CTS_RT_OK(musaGraphDestroy(g));
	/* Relaxed captures may end on any thread. */
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeRelaxed));
	CTS_RT_OK(cap_end_elsewhere(s, &g));
	ck_assert_ptr_nonnull(g);
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(capture, get_capture_info)
{
	enum musaStreamCaptureStatus st;
	const musaGraphNode_t *deps = NULL;
	unsigned long long id = 0, id2 = 0;
	musaGraph_t g = NULL, cg = NULL;
	size_t ndeps = 99;
	musaStream_t s;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(cts_stream_get_capture_info(s, &st, NULL, NULL, NULL, NULL));
	ck_assert_int_eq(st, musaStreamCaptureStatusNone);
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT_OK(cts_stream_get_capture_info(s, &st, &id, &cg, &deps, &ndeps));
	ck_assert_int_eq(st, musaStreamCaptureStatusActive);
	ck_assert_ptr_nonnull(cg);
	ck_assert_uint_eq(ndeps, 0);
	CTS_RT_OK(cts_launch_add(d, 1, N, s));
	CTS_RT_OK(cts_stream_get_capture_info(s, &st, &id2, NULL, &deps, &ndeps));
	ck_assert_uint_eq(ndeps, 1);
	ck_assert_uint_eq(id, id2);
	CTS_RT(cts_stream_get_capture_info(s, NULL, NULL, NULL, NULL, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	ck_assert_ptr_eq(g, cg);
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT_OK(cts_stream_get_capture_info(s, &st, &id2, NULL, NULL, NULL));
	ck_assert_uint_ne(id, id2);
	CTS_RT_OK(musaStreamEndCapture(s, &cg));
	CTS_RT_OK(musaGraphDestroy(cg));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(capture, exchange_mode)
{
	enum musaStreamCaptureMode m = musaStreamCaptureModeRelaxed;

	CTS_RT_OK(musaThreadExchangeStreamCaptureMode(&m));
	ck_assert_int_eq(m, musaStreamCaptureModeGlobal);
	CTS_RT_OK(musaThreadExchangeStreamCaptureMode(&m));
	ck_assert_int_eq(m, musaStreamCaptureModeRelaxed);
	CTS_RT(musaThreadExchangeStreamCaptureMode(NULL), musaErrorInvalidValue);
	m = (enum musaStreamCaptureMode)5;
	CTS_RT(musaThreadExchangeStreamCaptureMode(&m), musaErrorInvalidValue);
}

CTS_TEST(capture, graph_launch_inside_capture)
{
	struct musaKernelNodeParams kp;
	musaGraphNode_t k;
	enum musaGraphNodeType t;
	musaGraphNode_t nodes[2];
	musaGraph_t inner, g = NULL;
	musaGraphExec_t xi, x;
	musaStream_t s;
	int *d = NULL, v = 2, n = N, h[N];
	void *args[3] = { &d, &v, &n };
	size_t num = 2;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&inner, 0));
	memset(&kp, 0, sizeof(kp));
	kp.func = (void *)(uintptr_t)cts_kernel_add();
	kp.gridDim = (dim3){ (N + 255) / 256, 1, 1 };
	kp.blockDim = (dim3){ 256, 1, 1 };
	kp.kernelParams = args;
	CTS_RT_OK(musaGraphAddKernelNode(&k, inner, NULL, 0, &kp));
	CTS_RT_OK(musaGraphInstantiate(&xi, inner, 0));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT_OK(musaMemsetAsync(d, 0, sizeof(h), s));
	CTS_RT_OK(musaGraphLaunch(xi, s));
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	CTS_RT_OK(musaGraphGetNodes(g, nodes, &num));
	ck_assert_uint_eq(num, 2);
	CTS_RT_OK(musaGraphNodeGetType(nodes[0], &t));
	if (t != musaGraphNodeTypeGraph)
		CTS_RT_OK(musaGraphNodeGetType(nodes[1], &t));
	ck_assert_int_eq(t, musaGraphNodeTypeGraph);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 2);
	ck_assert_int_eq(h[N - 1], 2);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphExecDestroy(xi));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaGraphDestroy(inner));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

/* Capture, instantiate, launch and destroy over and over. */
CTS_TEST(capture, stress_capture_launch)
{
	musaGraph_t g;
	musaGraphExec_t x;
	musaStream_t s;
	int *d = NULL, h[N];

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	for (int i = 0; i < 50; i++) {
		CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeThreadLocal));
		CTS_RT_OK(cts_launch_add(d, 1, N, s));
		CTS_RT_OK(cts_launch_add(d, 1, N, s));
		CTS_RT_OK(musaStreamEndCapture(s, &g));
		CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
		CTS_RT_OK(musaGraphDestroy(g));
		CTS_RT_OK(musaGraphLaunch(x, s));
		CTS_RT_OK(musaGraphLaunch(x, s));
		CTS_RT_OK(musaGraphExecDestroy(x));
	}
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 200);
	ck_assert_int_eq(h[N - 1], 200);
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(capture, per_thread_stream)
{
	musaGraph_t g = NULL;
	musaGraphExec_t x;
	enum musaStreamCaptureStatus st;
	int *d = NULL, h[N];

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaStreamBeginCapture(musaStreamPerThread, musaStreamCaptureModeGlobal));
	CTS_RT_OK(musaStreamIsCapturing(musaStreamPerThread, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusActive);
	CTS_RT_OK(musaMemsetAsync(d, 0, sizeof(h), musaStreamPerThread));
	CTS_RT_OK(cts_launch_add(d, 9, N, musaStreamPerThread));
	CTS_RT_OK(musaStreamEndCapture(musaStreamPerThread, &g));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, musaStreamPerThread));
	CTS_RT_OK(musaStreamSynchronize(musaStreamPerThread));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 9);
	ck_assert_int_eq(h[N - 1], 9);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(capture, merge_of_two_captures)
{
	musaStream_t s1, s2;
	musaEvent_t ev;
	musaGraph_t g1 = NULL, g2 = NULL;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s1));
	CTS_RT_OK(musaStreamCreate(&s2));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(musaStreamBeginCapture(s1, musaStreamCaptureModeRelaxed));
	CTS_RT_OK(musaStreamBeginCapture(s2, musaStreamCaptureModeRelaxed));
	CTS_RT_OK(cts_launch_add(d, 1, N, s1));
	CTS_RT_OK(musaEventRecord(ev, s1));
	CTS_RT(musaStreamWaitEvent(s2, ev, 0), musaErrorStreamCaptureMerge);
	musaGetLastError();
	musaStreamEndCapture(s2, &g2);
	musaStreamEndCapture(s1, &g1);
	if (g1)
		CTS_RT_OK(musaGraphDestroy(g1));
	if (g2)
		CTS_RT_OK(musaGraphDestroy(g2));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaStreamDestroy(s1));
	CTS_RT_OK(musaStreamDestroy(s2));
}

#ifndef CTS_CUDA
/* A capturing stream waiting for an event recorded outside the capture. */
CTS_TEST(capture, wait_outside_event_isolation)
{
	musaGraph_t g = NULL;
	musaStream_t s1, s2;
	musaEvent_t ev, fresh;
	int *d = NULL;

	CTS_RT_OK(musaStreamCreate(&s1));
	CTS_RT_OK(musaStreamCreate(&s2));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaEventCreate(&fresh));
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(cts_launch_add(d, 1, N, s2));
	CTS_RT_OK(musaEventRecord(ev, s2));
	CTS_RT_OK(musaStreamBeginCapture(s1, musaStreamCaptureModeGlobal));
	CTS_RT(musaStreamWaitEvent(s1, ev, 0), musaErrorStreamCaptureIsolation);
	/* A never-recorded event is empty work: nothing to wait for. */
	CTS_RT_OK(musaStreamWaitEvent(s1, fresh, 0));
	CTS_RT_OK(musaStreamEndCapture(s1, &g));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaEventDestroy(fresh));
	CTS_RT_OK(musaStreamDestroy(s1));
	CTS_RT_OK(musaStreamDestroy(s2));
}
#endif

/* 2-D copies and fills queued on a capturing stream become graph nodes. */
CTS_TEST(capture, pitched_copy_and_fill)
{
	enum { W = 16, H = 8 };
	static unsigned char h[H][W];
	musaGraph_t g = NULL;
	musaGraphExec_t x;
	musaStream_t s;
	unsigned char *d = NULL;
	size_t pitch = 0;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMallocPitch((void **)&d, &pitch, W, H));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT_OK(musaMemset2DAsync(d, pitch, 0x5a, W, H, s));
	CTS_RT_OK(musaMemcpy2DAsync(h, W, d, pitch, W, H, musaMemcpyDeviceToHost, s));
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	ck_assert_uint_eq(cap_nodes(g), 2);
	/* Nothing ran yet. */
	ck_assert_int_eq(h[H - 1][W - 1], 0);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	for (int r = 0; r < H; r++)
		for (int c = 0; c < W; c++)
			ck_assert_int_eq(h[r][c], 0x5a);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

/* Allocation and device-wide synchronization are "potentially unsafe" while
 * a global-mode capture runs: refused, and the capture is invalidated. In
 * relaxed mode they are allowed. */
CTS_TEST(capture, unsafe_calls_in_global_mode)
{
	enum musaStreamCaptureStatus st;
	musaGraph_t g = NULL;
	musaStream_t s;
	void *p = NULL;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeGlobal));
	CTS_RT(musaMalloc(&p, 256), musaErrorStreamCaptureUnsupported);
	musaGetLastError();
	CTS_RT_OK(musaStreamIsCapturing(s, &st));
	ck_assert_int_eq(st, musaStreamCaptureStatusInvalidated);
	CTS_RT(musaStreamEndCapture(s, &g), musaErrorStreamCaptureInvalidated);
	ck_assert_ptr_null(g);
	musaGetLastError();

	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeRelaxed));
	CTS_RT_OK(musaMalloc(&p, 256));
	CTS_RT_OK(musaStreamEndCapture(s, &g));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(p));
	CTS_RT_OK(musaStreamDestroy(s));
}

#ifndef CTS_CUDA
/* Stream-ordered allocation is not captured here: refused on a capturing
 * stream (musaErrorStreamCaptureUnsupported), which invalidates the capture. */
CTS_TEST(capture, malloc_async_refused)
{
	musaGraph_t g = NULL;
	musaStream_t s;
	void *p = NULL;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamBeginCapture(s, musaStreamCaptureModeRelaxed));
	CTS_RT(musaMallocAsync(&p, 256, s), musaErrorStreamCaptureUnsupported);
	CTS_RT(musaStreamEndCapture(s, &g), musaErrorStreamCaptureInvalidated);
	musaGetLastError();
	CTS_RT_OK(musaStreamDestroy(s));
}
#endif
