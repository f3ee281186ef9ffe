/* SPDX-License-Identifier: MIT */
/*
 * test_graph.c - deeper tests of driver graphs and stream capture: long
 * captures, repeated fork/join, captures fed from several threads, graphs
 * and streams going away during a capture, execs outliving their context,
 * the parameter rules of host nodes.
 */
#include <pthread.h>
#include <string.h>

#include "umd_test.h"

static size_t tg_nodes(MUgraph g)
{
	size_t n = 0;

	MU_OK(muGraphGetNodes(g, NULL, &n));
	return n;
}

/* 20000 dependent operations: EndCapture's join check and instantiation
 * must not recurse per node. */
START_TEST(long_chain)
{
	MUdeviceptr d;
	MUstream s;
	MUgraph g;
	MUgraphExec x;
	unsigned int h[64];

	MU_OK(muMemAlloc(&d, sizeof(h)));
	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muStreamBeginCapture(s, MU_STREAM_CAPTURE_MODE_GLOBAL));
	for (unsigned int i = 0; i < 20000; i++)
		MU_OK(muMemsetD32Async(d, i, 64, s));
	MU_OK(muStreamEndCapture(s, &g));
	ck_assert_uint_eq(tg_nodes(g), 20000);
	MU_OK(muGraphInstantiate(&x, g, 0));
	MU_OK(muGraphLaunch(x, s));
	MU_OK(muStreamSynchronize(s));
	MU_OK(muMemcpyDtoH(h, d, sizeof(h)));
	ck_assert_uint_eq(h[0], 19999);
	ck_assert_uint_eq(h[63], 19999);
	MU_OK(muGraphExecDestroy(x));
	MU_OK(muGraphDestroy(g));
	MU_OK(muStreamDestroy(s));
	MU_OK(muMemFree(d));
}
END_TEST

/* 200 rounds of fork to a second stream and join back. */
START_TEST(repeated_fork_join)
{
	MUdeviceptr d;
	MUstream s1, s2;
	MUevent fork, join;
	MUgraph g;
	MUgraphExec x;
	unsigned int h[2];
	size_t edges;

	MU_OK(muMemAlloc(&d, sizeof(h)));
	MU_OK(muStreamCreate(&s1, 0));
	MU_OK(muStreamCreate(&s2, MU_STREAM_NON_BLOCKING));
	MU_OK(muEventCreate(&fork, MU_EVENT_DISABLE_TIMING));
	MU_OK(muEventCreate(&join, MU_EVENT_DISABLE_TIMING));
	MU_OK(muStreamBeginCapture(s1, MU_STREAM_CAPTURE_MODE_RELAXED));
	for (unsigned int i = 0; i < 200; i++) {
		MU_OK(muEventRecord(fork, s1));
		MU_OK(muStreamWaitEvent(s2, fork, 0));
		MU_OK(muMemsetD32Async(d, i, 1, s1));
		MU_OK(muMemsetD32Async(d + 4, i * 2, 1, s2));
		MU_OK(muEventRecord(join, s2));
		MU_OK(muStreamWaitEvent(s1, join, 0));
	}
	MU_OK(muStreamEndCapture(s1, &g));
	ck_assert_uint_eq(tg_nodes(g), 400);
	MU_OK(muGraphGetEdges(g, NULL, NULL, &edges));
	ck_assert_uint_eq(edges, 2 * 2 * 199);
	MU_OK(muGraphInstantiate(&x, g, 0));
	MU_OK(muGraphLaunch(x, s1));
	MU_OK(muStreamSynchronize(s1));
	MU_OK(muMemcpyDtoH(h, d, sizeof(h)));
	ck_assert_uint_eq(h[0], 199);
	ck_assert_uint_eq(h[1], 398);
	/* The events were last recorded in the capture. */
	ck_assert_int_eq(muEventQuery(join), MUSA_ERROR_CAPTURED_EVENT);
	MU_OK(muGraphExecDestroy(x));
	MU_OK(muGraphDestroy(g));
	MU_OK(muEventDestroy(fork));
	MU_OK(muEventDestroy(join));
	MU_OK(muStreamDestroy(s1));
	MU_OK(muStreamDestroy(s2));
	MU_OK(muMemFree(d));
}
END_TEST

struct tg_arg {
	MUcontext ctx;
	MUstream s;
	MUdeviceptr d;
	MUresult r;
};

static void *tg_feed(void *p)
{
	struct tg_arg *a = p;

	a->r = muCtxSetCurrent(a->ctx);
	for (unsigned int i = 0; i < 500 && !a->r; i++)
		a->r = muMemsetD32Async(a->d, i, 16, a->s);
	return NULL;
}

/* Two threads add to two streams of one relaxed capture at once. */
START_TEST(capture_from_threads)
{
	struct tg_arg a[2];
	pthread_t t[2];
	MUdeviceptr d;
	MUstream s1, s2;
	MUevent fork, join;
	MUgraph g;

	MU_OK(muMemAlloc(&d, 128));
	MU_OK(muStreamCreate(&s1, 0));
	MU_OK(muStreamCreate(&s2, 0));
	MU_OK(muEventCreate(&fork, 0));
	MU_OK(muEventCreate(&join, 0));
	MU_OK(muStreamBeginCapture(s1, MU_STREAM_CAPTURE_MODE_RELAXED));
	MU_OK(muEventRecord(fork, s1));
	MU_OK(muStreamWaitEvent(s2, fork, 0));
	for (int i = 0; i < 2; i++) {
		a[i].ctx = ut_ctx;
		a[i].s = i ? s2 : s1;
		a[i].d = d + 64 * (unsigned int)i;
		ck_assert_int_eq(pthread_create(&t[i], NULL, tg_feed, &a[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		MU_OK(a[i].r);
	}
	MU_OK(muEventRecord(join, s2));
	MU_OK(muStreamWaitEvent(s1, join, 0));
	MU_OK(muStreamEndCapture(s1, &g));
	ck_assert_uint_eq(tg_nodes(g), 1000);
	MU_OK(muGraphDestroy(g));
	MU_OK(muEventDestroy(fork));
	MU_OK(muEventDestroy(join));
	MU_OK(muStreamDestroy(s1));
	MU_OK(muStreamDestroy(s2));
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(capture_graph_is_protected)
{
	const MUgraphNode *deps;
	MUstreamCaptureStatus st;
	MUdeviceptr d;
	MUstream s;
	MUgraph g, cg;
	size_t n;

	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muStreamBeginCapture(s, MU_STREAM_CAPTURE_MODE_GLOBAL));
	MU_OK(muMemsetD8Async(d, 1, 64, s));
	MU_OK(muStreamGetCaptureInfo(s, &st, NULL, &cg, &deps, &n));
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(muGraphDestroyNode(deps[0]), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muGraphDestroy(cg), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muStreamEndCapture(s, &g));
	ck_assert_ptr_eq(g, cg);
	MU_OK(muGraphDestroy(g));
	MU_OK(muStreamDestroy(s));
	MU_OK(muMemFree(d));
}
END_TEST

/* A joined stream destroyed mid-capture invalidates the capture. */
START_TEST(stream_destroyed_during_capture)
{
	MUstream s1, s2, s3;
	MUevent fork;
	MUgraph g = (MUgraph)1;
	MUstreamCaptureStatus st;

	MU_OK(muStreamCreate(&s1, 0));
	MU_OK(muStreamCreate(&s2, 0));
	MU_OK(muEventCreate(&fork, 0));
	MU_OK(muStreamBeginCapture(s1, MU_STREAM_CAPTURE_MODE_GLOBAL));
	MU_OK(muEventRecord(fork, s1));
	MU_OK(muStreamWaitEvent(s2, fork, 0));
	MU_OK(muStreamDestroy(s2));
	/* A new stream, perhaps at the same address, is not capturing. */
	MU_OK(muStreamCreate(&s3, 0));
	MU_OK(muStreamIsCapturing(s3, &st));
	ck_assert_int_eq(st, MU_STREAM_CAPTURE_STATUS_NONE);
	ck_assert_int_eq(muStreamEndCapture(s1, &g), MUSA_ERROR_STREAM_CAPTURE_INVALIDATED);
	ck_assert_ptr_null(g);
	MU_OK(muEventDestroy(fork));
	MU_OK(muStreamDestroy(s1));
	MU_OK(muStreamDestroy(s3));
}
END_TEST

/* An exec made in a context that was destroyed can still be destroyed. */
START_TEST(exec_outlives_context)
{
	MUdeviceptr d;
	MUgraph g;
	MUgraphNode n;
	MUgraphExec x;
	MUSA_MEMSET_NODE_PARAMS mp;

	MU_OK(muMemAlloc(&d, 64));
	memset(&mp, 0, sizeof(mp));
	mp.dst = d;
	mp.elementSize = 1;
	mp.width = 64;
	mp.height = 1;
	MU_OK(muGraphCreate(&g, 0));
	MU_OK(muGraphAddMemsetNode(&n, g, NULL, 0, &mp, ut_ctx));
	MU_OK(muGraphInstantiate(&x, g, 0));
	MU_OK(muGraphLaunch(x, NULL));
	MU_OK(muCtxSynchronize());
	MU_OK(muCtxDestroy(ut_ctx));
	ut_ctx = NULL;
	MU_OK(muCtxCreate(&ut_ctx, 0, 0));
	ck_assert_int_ne(muGraphLaunch(x, NULL), MUSA_SUCCESS);
	MU_OK(muGraphExecDestroy(x));
	MU_OK(muGraphDestroy(g));
}
END_TEST

static void tg_host_fn(void *data)
{
	++*(int *)data;
}

/* A host node needs a function, whether added, set, or set in an exec; an
 * exec takes new parameters only for the nodes it was made from. */
START_TEST(host_node_parameters)
{
	int runs = 0, other = 0;
	MUSA_HOST_NODE_PARAMS hp = { .fn = tg_host_fn, .userData = &runs };
	MUSA_HOST_NODE_PARAMS none = { .fn = NULL, .userData = &runs };
	MUSA_HOST_NODE_PARAMS got;
	MUgraph g;
	MUgraphNode n, late;
	MUgraphExec x;

	MU_OK(muGraphCreate(&g, 0));
	ck_assert_int_eq(muGraphAddHostNode(&n, g, NULL, 0, &none), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muGraphAddHostNode(&n, g, NULL, 0, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_uint_eq(tg_nodes(g), 0);
	MU_OK(muGraphAddHostNode(&n, g, NULL, 0, &hp));
	ck_assert_int_eq(muGraphHostNodeSetParams(n, &none), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muGraphHostNodeGetParams(n, &got));
	ck_assert_ptr_eq(got.userData, &runs);
	MU_OK(muGraphInstantiate(&x, g, 0));
	MU_OK(muGraphAddHostNode(&late, g, NULL, 0, &hp));
	ck_assert_int_eq(muGraphExecHostNodeSetParams(x, late, &hp), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muGraphExecHostNodeSetParams(x, n, &none), MUSA_ERROR_INVALID_VALUE);
	hp.userData = &other;
	MU_OK(muGraphExecHostNodeSetParams(x, n, &hp));
	MU_OK(muGraphLaunch(x, NULL));
	MU_OK(muCtxSynchronize());
	ck_assert_int_eq(other, 1);
	ck_assert_int_eq(runs, 0);
	/* The graph's own node kept its parameters. */
	MU_OK(muGraphHostNodeGetParams(n, &got));
	ck_assert_ptr_eq(got.userData, &runs);
	MU_OK(muGraphExecDestroy(x));
	MU_OK(muGraphDestroy(g));
}
END_TEST

static Suite *tg_suite(void)
{
	Suite *s = suite_create("graph");
	TCase *tc = tcase_create("graph");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, long_chain);
	tcase_add_test(tc, repeated_fork_join);
	tcase_add_test(tc, capture_from_threads);
	tcase_add_test(tc, capture_graph_is_protected);
	tcase_add_test(tc, stream_destroyed_during_capture);
	tcase_add_test(tc, exec_outlives_context);
	tcase_add_test(tc, host_node_parameters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(tg_suite());
}
