/* SPDX-License-Identifier: MIT */
/*
 * graph.c - conformance of the runtime graph API (musaGraph*): building
 * graphs node by node, their structure queries, parameters, cloning,
 * instantiation and launch, with device results checked.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "cts.h"

#define N 1000

static void *gr_kfunc_add(void)
{
	return (void *)(uintptr_t)cts_kernel_add();
}

static struct musaKernelNodeParams gr_add_params(void **args)
{
	struct musaKernelNodeParams p;

	memset(&p, 0, sizeof(p));
	p.func = gr_kfunc_add();
	p.gridDim = (dim3){ (N + 255) / 256, 1, 1 };
	p.blockDim = (dim3){ 256, 1, 1 };
	p.kernelParams = args;
	return p;
}

static struct musaMemsetParams gr_memset_params(int *d, unsigned int v)
{
	struct musaMemsetParams p;

	memset(&p, 0, sizeof(p));
	p.dst = d;
	p.value = v;
	p.elementSize = 4;
	p.width = N;
	p.height = 1;
	return p;
}

struct gr_host_rec {
	atomic_int calls;
	int *h;
	int seen;   /* h[0] when the host node ran */
};

static void gr_host_fn(void *data)
{
	struct gr_host_rec *r = data;

	r->seen = r->h[0];
	atomic_fetch_add(&r->calls, 1);
}

static void gr_count_fn(void *data)
{
	atomic_fetch_add((atomic_int *)data, 1);
}

/* memset(1) -> add(+v) -> copy to host -> host node, launched `times`. */
static void gr_pipeline(musaStream_t s, int times)
{
	static int h[N];
	struct gr_host_rec rec = { 0 };
	struct musaKernelNodeParams kp;
	struct musaMemsetParams mp;
	struct musaHostNodeParams hp;
	musaGraphNode_t ms, k, cp, host;
	musaGraph_t g;
	musaGraphExec_t x;
	int *d = NULL, v = 3, n = N;
	void *args[3];

	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	args[0] = &d;
	args[1] = &v;
	args[2] = &n;
	rec.h = h;
	CTS_RT_OK(musaGraphCreate(&g, 0));
	mp = gr_memset_params(d, 1);
	CTS_RT_OK(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp));
	kp = gr_add_params(args);
	CTS_RT_OK(musaGraphAddKernelNode(&k, g, &ms, 1, &kp));
	CTS_RT_OK(musaGraphAddMemcpyNode1D(&cp, g, &k, 1, h, d, N * sizeof(int),
					   musaMemcpyDeviceToHost));
	hp.fn = gr_host_fn;
	hp.userData = &rec;
	CTS_RT_OK(musaGraphAddHostNode(&host, g, &cp, 1, &hp));
	/* The node keeps its own copy of the arguments. */
	v = 100;
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	for (int i = 0; i < times; i++) {
		memset(h, 0, sizeof(h));
		CTS_RT_OK(musaGraphLaunch(x, s));
		CTS_RT_OK(musaStreamSynchronize(s));
		ck_assert_int_eq(h[0], 4);
		ck_assert_int_eq(h[N - 1], 4);
		ck_assert_int_eq(rec.seen, 4);
	}
	ck_assert_int_eq(atomic_load(&rec.calls), times);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(graph, pipeline_default_stream)
{
	gr_pipeline(0, 3);
}

CTS_TEST(graph, pipeline_user_stream)
{
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	gr_pipeline(s, 3);
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(graph, create_destroy)
{
	musaGraph_t g;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT(musaGraphCreate(NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaGraphCreate(&g, 1), musaErrorInvalidValue);
	CTS_RT(musaGraphDestroy(NULL), musaErrorInvalidValue);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidValue);
}

#ifndef CTS_CUDA
CTS_TEST(graph, destroyed_handles)
{
	musaGraph_t g;
	musaGraphNode_t n;
	musaGraphExec_t x;
	size_t num;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&n, g, NULL, 0));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT(musaGraphExecDestroy(x), musaErrorInvalidValue);
	CTS_RT(musaGraphLaunch(x, 0), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphDestroyNode(n));
	CTS_RT(musaGraphDestroyNode(n), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT(musaGraphDestroy(g), musaErrorInvalidValue);
	CTS_RT(musaGraphGetNodes(g, NULL, &num), musaErrorInvalidValue);
}
#endif

CTS_TEST(graph, launch_repeat_100)
{
	struct musaKernelNodeParams kp;
	musaGraphNode_t k;
	musaGraph_t g;
	musaGraphExec_t x;
	musaStream_t s;
	int *d = NULL, v = 1, n = N, h[N];
	void *args[3] = { &d, &v, &n };

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	kp = gr_add_params(args);
	CTS_RT_OK(musaGraphAddKernelNode(&k, g, NULL, 0, &kp));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	for (int i = 0; i < 100; i++)
		CTS_RT_OK(musaGraphLaunch(x, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], 100);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(graph, launches_ordered_across_streams)
{
	struct musaKernelNodeParams kp;
	musaGraphNode_t k;
	musaGraph_t g;
	musaGraphExec_t x;
	musaStream_t s[2];
	int *d = NULL, v = 1, n = N, h[N];
	void *args[3] = { &d, &v, &n };

	CTS_RT_OK(musaStreamCreateWithFlags(&s[0], musaStreamNonBlocking));
	CTS_RT_OK(musaStreamCreateWithFlags(&s[1], musaStreamNonBlocking));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	kp = gr_add_params(args);
	CTS_RT_OK(musaGraphAddKernelNode(&k, g, NULL, 0, &kp));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	for (int i = 0; i < 20; i++)
		CTS_RT_OK(musaGraphLaunch(x, s[i % 2]));
	CTS_RT_OK(musaDeviceSynchronize());
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], 20);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaStreamDestroy(s[0]));
	CTS_RT_OK(musaStreamDestroy(s[1]));
}

/* a -> b, a -> c, b -> d, c -> d */
CTS_TEST(graph, structure_queries)
{
	musaGraphNode_t a, b, c, d, nodes[6], from[5], to[5];
	enum musaGraphNodeType t;
	musaGraph_t g;
	size_t num;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&a, g, NULL, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&b, g, &a, 1));
	CTS_RT_OK(musaGraphAddEmptyNode(&c, g, &a, 1));
	nodes[0] = b;
	nodes[1] = c;
	CTS_RT_OK(musaGraphAddEmptyNode(&d, g, nodes, 2));

	CTS_RT_OK(musaGraphGetNodes(g, NULL, &num));
	ck_assert_uint_eq(num, 4);
	num = 6;
	CTS_RT_OK(musaGraphGetNodes(g, nodes, &num));
	ck_assert_uint_eq(num, 4);
	ck_assert_ptr_null(nodes[4]);
	ck_assert_ptr_null(nodes[5]);
	num = 2;
	CTS_RT_OK(musaGraphGetNodes(g, nodes, &num));
	ck_assert_uint_eq(num, 2);

	CTS_RT_OK(musaGraphGetRootNodes(g, NULL, &num));
	ck_assert_uint_eq(num, 1);
	CTS_RT_OK(musaGraphGetRootNodes(g, nodes, &num));
	ck_assert_ptr_eq(nodes[0], a);

	CTS_RT_OK(cts_graph_get_edges(g, NULL, NULL, &num));
	ck_assert_uint_eq(num, 4);
	num = 5;
	CTS_RT_OK(cts_graph_get_edges(g, from, to, &num));
	ck_assert_uint_eq(num, 4);
	ck_assert_ptr_null(from[4]);
	ck_assert_ptr_null(to[4]);
	CTS_RT(cts_graph_get_edges(g, from, NULL, &num), musaErrorInvalidValue);
	CTS_RT(cts_graph_get_edges(g, NULL, NULL, NULL), musaErrorInvalidValue);

	CTS_RT_OK(cts_graph_node_get_dependencies(d, NULL, &num));
	ck_assert_uint_eq(num, 2);
	CTS_RT_OK(cts_graph_node_get_dependent_nodes(a, NULL, &num));
	ck_assert_uint_eq(num, 2);
	num = 1;
	CTS_RT_OK(cts_graph_node_get_dependent_nodes(b, nodes, &num));
	ck_assert_uint_eq(num, 1);
	ck_assert_ptr_eq(nodes[0], d);
	CTS_RT(cts_graph_node_get_dependencies(d, NULL, NULL), musaErrorInvalidValue);

	CTS_RT_OK(musaGraphNodeGetType(a, &t));
	ck_assert_int_eq(t, musaGraphNodeTypeEmpty);
	CTS_RT(musaGraphNodeGetType(a, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphNodeGetType(NULL, &t), musaErrorInvalidValue);
	CTS_RT(musaGraphGetNodes(NULL, NULL, &num), musaErrorInvalidValue);
	CTS_RT(musaGraphGetNodes(g, NULL, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphGetRootNodes(g, NULL, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphDestroy(g));
}

CTS_TEST(graph, dependencies_add_remove)
{
	musaGraphNode_t a, b, c, other, deps[2];
	musaGraph_t g, g2;
	size_t num;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphCreate(&g2, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&a, g, NULL, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&b, g, NULL, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&other, g2, NULL, 0));
	CTS_RT_OK(cts_graph_add_dependencies(g, &a, &b, 1));
	CTS_RT_OK(cts_graph_node_get_dependencies(b, NULL, &num));
	ck_assert_uint_eq(num, 1);
	/* The same edge again, a self edge, a node of another graph. */
	CTS_RT(cts_graph_add_dependencies(g, &a, &b, 1), musaErrorInvalidValue);
	CTS_RT(cts_graph_add_dependencies(g, &a, &a, 1), musaErrorInvalidValue);
	CTS_RT(cts_graph_add_dependencies(g, &a, &other, 1), musaErrorInvalidValue);
	CTS_RT(cts_graph_add_dependencies(NULL, &a, &b, 1), musaErrorInvalidValue);
	CTS_RT(cts_graph_add_dependencies(g, NULL, &b, 1), musaErrorInvalidValue);
	CTS_RT_OK(cts_graph_remove_dependencies(g, &a, &b, 1));
	CTS_RT(cts_graph_remove_dependencies(g, &a, &b, 1), musaErrorInvalidValue);
	CTS_RT_OK(cts_graph_node_get_dependencies(b, NULL, &num));
	ck_assert_uint_eq(num, 0);
	/* Node dependencies: duplicates, other graph, NULL array. */
	deps[0] = a;
	deps[1] = a;
	CTS_RT(musaGraphAddEmptyNode(&c, g, deps, 2), musaErrorInvalidValue);
	CTS_RT(musaGraphAddEmptyNode(&c, g, &other, 1), musaErrorInvalidValue);
	CTS_RT(musaGraphAddEmptyNode(&c, g, NULL, 1), musaErrorInvalidValue);
	CTS_RT(musaGraphAddEmptyNode(NULL, g, NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaGraphAddEmptyNode(&c, NULL, NULL, 0), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphGetNodes(g, NULL, &num));
	ck_assert_uint_eq(num, 2);
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaGraphDestroy(g2));
}

CTS_TEST(graph, cycle_is_refused)
{
	musaGraphNode_t a, b;
	musaGraph_t g;
	musaGraphExec_t x;
	musaError_t e;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&a, g, NULL, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&b, g, &a, 1));
	/* Either the edge closing the cycle or instantiation fails. */
	e = cts_graph_add_dependencies(g, &b, &a, 1);
	if (e == musaSuccess) {
		ck_assert_int_ne(musaGraphInstantiate(&x, g, 0), musaSuccess);
	} else {
		ck_assert_int_eq(e, musaErrorInvalidValue);
	}
	musaGetLastError();
	CTS_RT_OK(musaGraphDestroy(g));
}

CTS_TEST(graph, destroy_node_drops_edges)
{
	musaGraphNode_t a, b, c;
	musaGraph_t g;
	size_t num;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&a, g, NULL, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&b, g, &a, 1));
	CTS_RT_OK(musaGraphAddEmptyNode(&c, g, &b, 1));
	CTS_RT_OK(musaGraphDestroyNode(b));
	CTS_RT_OK(musaGraphGetNodes(g, NULL, &num));
	ck_assert_uint_eq(num, 2);
	CTS_RT_OK(cts_graph_get_edges(g, NULL, NULL, &num));
	ck_assert_uint_eq(num, 0);
	CTS_RT_OK(cts_graph_node_get_dependent_nodes(a, NULL, &num));
	ck_assert_uint_eq(num, 0);
	CTS_RT_OK(musaGraphGetRootNodes(g, NULL, &num));
	ck_assert_uint_eq(num, 2);
	CTS_RT(musaGraphDestroyNode(NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphDestroy(g));
}

CTS_TEST(graph, clone_is_independent)
{
	struct musaMemsetParams mp;
	musaGraphNode_t ms, found;
	musaGraph_t g, c;
	musaGraphExec_t x;
	int *d = NULL, h[N];
	size_t num;

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	mp = gr_memset_params(d, 7);
	CTS_RT_OK(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp));
	CTS_RT_OK(musaGraphClone(&c, g));
	CTS_RT_OK(musaGraphNodeFindInClone(&found, ms, c));
	ck_assert_ptr_ne(found, ms);
	CTS_RT(musaGraphNodeFindInClone(&found, ms, g), musaErrorInvalidValue);
	/* Changing the original leaves the clone alone. */
	mp = gr_memset_params(d, 9);
	CTS_RT_OK(musaGraphMemsetNodeSetParams(ms, &mp));
	CTS_RT_OK(musaGraphMemsetNodeGetParams(found, &mp));
	ck_assert_uint_eq(mp.value, 7);
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaGraphGetNodes(c, NULL, &num));
	ck_assert_uint_eq(num, 1);
	CTS_RT_OK(musaGraphInstantiate(&x, c, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 7);
	ck_assert_int_eq(h[N - 1], 7);
	CTS_RT(musaGraphClone(NULL, c), musaErrorInvalidValue);
	CTS_RT(musaGraphClone(&g, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(c));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(graph, kernel_node_params)
{
	struct musaKernelNodeParams kp, got;
	musaGraphNode_t k;
	musaGraph_t g;
	musaGraphExec_t x;
	int *d = NULL, v = 2, n = N, h[N];
	void *args[3] = { &d, &v, &n };

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	kp = gr_add_params(args);
	CTS_RT_OK(musaGraphAddKernelNode(&k, g, NULL, 0, &kp));
	CTS_RT_OK(musaGraphKernelNodeGetParams(k, &got));
	ck_assert_ptr_eq(got.func, kp.func);
	ck_assert_uint_eq(got.gridDim.x, kp.gridDim.x);
	ck_assert_uint_eq(got.blockDim.x, 256);
	ck_assert_int_eq(*(int *)got.kernelParams[1], 2);
	/* Set on the graph: value 5; the exec then gets value 10. */
	v = 5;
	CTS_RT_OK(musaGraphKernelNodeSetParams(k, &kp));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 5);
	v = 10;
	CTS_RT_OK(musaGraphExecKernelNodeSetParams(x, k, &kp));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[N - 1], 15);
	CTS_RT_OK(musaGraphKernelNodeGetParams(k, &got));
	ck_assert_int_eq(*(int *)got.kernelParams[1], 5);
	CTS_RT(musaGraphExecKernelNodeSetParams(x, k, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphExecKernelNodeSetParams(NULL, k, &kp), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(graph, kernel_node_bad_params)
{
	struct musaKernelNodeParams kp;
	musaGraphNode_t k, e;
	musaGraph_t g;
	int *d = NULL, v = 1, n = N;
	void *args[3] = { &d, &v, &n };
	int not_a_kernel;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&e, g, NULL, 0));
	kp = gr_add_params(args);
	CTS_RT(musaGraphAddKernelNode(&k, g, NULL, 0, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphAddKernelNode(NULL, g, NULL, 0, &kp), musaErrorInvalidValue);
	CTS_RT(musaGraphAddKernelNode(&k, NULL, NULL, 0, &kp), musaErrorInvalidValue);
	kp.func = &not_a_kernel;
	CTS_RT(musaGraphAddKernelNode(&k, g, NULL, 0, &kp), musaErrorInvalidDeviceFunction);
#ifndef CTS_CUDA
	kp = gr_add_params(args);
	kp.blockDim.x = 0;
	CTS_RT(musaGraphAddKernelNode(&k, g, NULL, 0, &kp), musaErrorInvalidValue);
#endif
	kp = gr_add_params(args);
	CTS_RT(musaGraphKernelNodeGetParams(e, &kp), musaErrorInvalidValue);
	CTS_RT(musaGraphKernelNodeSetParams(e, &kp), musaErrorInvalidValue);
	CTS_RT(musaGraphKernelNodeGetParams(NULL, &kp), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphDestroy(g));
}

CTS_TEST(graph, memset_node)
{
	struct musaMemsetParams mp, got;
	musaGraphNode_t ms, e;
	musaGraph_t g;
	musaGraphExec_t x;
	unsigned char *d = NULL, h[64 * 4];
	int host;

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	/* 2-D: 4 rows of 16 bytes with a 64-byte pitch. */
	memset(&mp, 0, sizeof(mp));
	mp.dst = d;
	mp.pitch = 64;
	mp.value = 0xab;
	mp.elementSize = 1;
	mp.width = 16;
	mp.height = 4;
	CTS_RT_OK(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp));
	CTS_RT_OK(musaGraphMemsetNodeGetParams(ms, &got));
	ck_assert_ptr_eq(got.dst, d);
	ck_assert_uint_eq(got.width, 16);
	ck_assert_uint_eq(got.height, 4);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int r = 0; r < 4; r++) {
		ck_assert_uint_eq(h[r * 64], 0xab);
		ck_assert_uint_eq(h[r * 64 + 15], 0xab);
		ck_assert_uint_eq(h[r * 64 + 16], 0);
	}
	CTS_RT_OK(musaGraphAddEmptyNode(&e, g, NULL, 0));
	mp.elementSize = 3;
	CTS_RT(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp), musaErrorInvalidValue);
	mp.elementSize = 1;
	mp.pitch = 8;   /* below the row width */
	CTS_RT(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp), musaErrorInvalidValue);
	mp.pitch = 64;
#ifndef CTS_CUDA
	mp.height = 1000;   /* past the allocation */
	CTS_RT(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp), musaErrorInvalidValue);
#endif
	mp.height = 1;
	mp.dst = &host;   /* not device memory */
	CTS_RT(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp), musaErrorInvalidValue);
	CTS_RT(musaGraphAddMemsetNode(&ms, g, NULL, 0, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphMemsetNodeGetParams(e, &got), musaErrorInvalidValue);
	CTS_RT(musaGraphMemsetNodeGetParams(ms, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(graph, host_node)
{
	struct musaHostNodeParams hp, got;
	atomic_int count = 0, other = 0;
	musaGraphNode_t hn, e;
	musaGraph_t g;
	musaGraphExec_t x;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	hp.fn = gr_count_fn;
	hp.userData = &count;
	CTS_RT_OK(musaGraphAddHostNode(&hn, g, NULL, 0, &hp));
	CTS_RT_OK(musaGraphHostNodeGetParams(hn, &got));
	ck_assert_ptr_eq(got.userData, &count);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(atomic_load(&count), 2);
	/* The exec keeps the parameters it was made with. */
	hp.userData = &other;
	CTS_RT_OK(musaGraphHostNodeSetParams(hn, &hp));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(atomic_load(&count), 3);
	ck_assert_int_eq(atomic_load(&other), 0);
	hp.fn = NULL;
	CTS_RT(musaGraphAddHostNode(&hn, g, NULL, 0, &hp), musaErrorInvalidValue);
	CTS_RT(musaGraphHostNodeSetParams(hn, &hp), musaErrorInvalidValue);
	CTS_RT(musaGraphAddHostNode(&hn, g, NULL, 0, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphAddEmptyNode(&e, g, NULL, 0));
	CTS_RT(musaGraphHostNodeGetParams(e, &got), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
}

CTS_TEST(graph, memcpy_nodes)
{
	musaGraphNode_t h2d, d2d, d2h;
	musaGraph_t g;
	musaGraphExec_t x;
	int *a = NULL, *b = NULL, src[N], dst[N];

	for (int i = 0; i < N; i++)
		src[i] = i * 3;
	memset(dst, 0, sizeof(dst));
	CTS_RT_OK(musaMalloc((void **)&a, sizeof(src)));
	CTS_RT_OK(musaMalloc((void **)&b, sizeof(src)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddMemcpyNode1D(&h2d, g, NULL, 0, a, src, sizeof(src),
					   musaMemcpyHostToDevice));
	CTS_RT_OK(musaGraphAddMemcpyNode1D(&d2d, g, &h2d, 1, b, a, sizeof(src),
					   musaMemcpyDeviceToDevice));
	CTS_RT_OK(musaGraphAddMemcpyNode1D(&d2h, g, &d2d, 1, dst, b, sizeof(src),
					   musaMemcpyDefault));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaStreamSynchronize(0));
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(dst[i], i * 3);
	CTS_RT(musaGraphAddMemcpyNode1D(&h2d, g, NULL, 0, a, src, sizeof(src),
					(enum musaMemcpyKind)9), musaErrorInvalidMemcpyDirection);
	CTS_RT(musaGraphAddMemcpyNode1D(NULL, g, NULL, 0, a, src, sizeof(src),
					musaMemcpyHostToDevice), musaErrorInvalidValue);
	CTS_RT(musaGraphAddMemcpyNode(&h2d, g, NULL, 0, NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(a));
	CTS_RT_OK(musaFree(b));
}

CTS_TEST(graph, memcpy_node_3d)
{
	struct musaMemcpy3DParms p;
	musaGraphNode_t cp, back;
	musaGraph_t g;
	musaGraphExec_t x;
	unsigned char *d = NULL, src[8 * 4], dst[8 * 4];

	for (int i = 0; i < (int)sizeof(src); i++)
		src[i] = (unsigned char)i;
	memset(dst, 0xff, sizeof(dst));
	CTS_RT_OK(musaMalloc((void **)&d, 64 * 4));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	/* Host 4 rows of 8 bytes -> device rows with a 64-byte pitch. */
	memset(&p, 0, sizeof(p));
	p.srcPtr = make_musaPitchedPtr(src, 8, 8, 4);
	p.dstPtr = make_musaPitchedPtr(d, 64, 8, 4);
	p.extent = make_musaExtent(8, 4, 1);
	p.kind = musaMemcpyHostToDevice;
	CTS_RT_OK(musaGraphAddMemcpyNode(&cp, g, NULL, 0, &p));
	/* ... and back into a packed host buffer. */
	memset(&p, 0, sizeof(p));
	p.srcPtr = make_musaPitchedPtr(d, 64, 8, 4);
	p.dstPtr = make_musaPitchedPtr(dst, 8, 8, 4);
	p.extent = make_musaExtent(8, 4, 1);
	p.kind = musaMemcpyDeviceToHost;
	CTS_RT_OK(musaGraphAddMemcpyNode(&back, g, &cp, 1, &p));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaStreamSynchronize(0));
	ck_assert_int_eq(memcmp(src, dst, sizeof(src)), 0);

	/* The exec's copy of the second node now reads only the first two
	 * rows; the graph's node keeps four until it is changed too. */
	memset(dst, 0xff, sizeof(dst));
	p.extent = make_musaExtent(8, 2, 1);
	CTS_RT_OK(musaGraphExecMemcpyNodeSetParams(x, back, &p));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaStreamSynchronize(0));
	ck_assert_int_eq(memcmp(src, dst, 16), 0);
	ck_assert_int_eq(dst[16], 0xff);
	memset(dst, 0xff, sizeof(dst));
	p.extent = make_musaExtent(8, 3, 1);
	CTS_RT_OK(musaGraphMemcpyNodeSetParams(back, &p));
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaStreamSynchronize(0));
	ck_assert_int_eq(memcmp(src, dst, 24), 0);
	ck_assert_int_eq(dst[24], 0xff);
	CTS_RT(musaGraphMemcpyNodeSetParams(back, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphExecMemcpyNodeSetParams(x, back, NULL), musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(graph, child_graph)
{
	struct musaKernelNodeParams kp;
	struct musaMemsetParams mp;
	musaGraphNode_t k, ms, ch, cp;
	musaGraph_t child, g, inner;
	musaGraphExec_t x;
	int *d = NULL, v = 4, n = N, h[N];
	void *args[3] = { &d, &v, &n };
	size_t num;

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&child, 0));
	kp = gr_add_params(args);
	CTS_RT_OK(musaGraphAddKernelNode(&k, child, NULL, 0, &kp));
	CTS_RT_OK(musaGraphAddKernelNode(&k, child, &k, 1, &kp));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	mp = gr_memset_params(d, 1);
	CTS_RT_OK(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp));
	CTS_RT_OK(musaGraphAddChildGraphNode(&ch, g, &ms, 1, child));
	/* The node holds a copy: the child may go. */
	CTS_RT_OK(musaGraphDestroy(child));
	CTS_RT_OK(musaGraphChildGraphNodeGetGraph(ch, &inner));
	CTS_RT_OK(musaGraphGetNodes(inner, NULL, &num));
	ck_assert_uint_eq(num, 2);
	CTS_RT_OK(musaGraphAddMemcpyNode1D(&cp, g, &ch, 1, h, d, sizeof(h),
					   musaMemcpyDeviceToHost));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaStreamSynchronize(0));
	ck_assert_int_eq(h[0], 9);
	ck_assert_int_eq(h[N - 1], 9);
	CTS_RT(musaGraphAddChildGraphNode(&ch, g, NULL, 0, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphChildGraphNodeGetGraph(ms, &inner), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(graph, event_nodes)
{
	musaGraphNode_t rec, wait;
	musaEvent_t ev, got;
	musaGraph_t g;
	musaGraphExec_t x;
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddEventRecordNode(&rec, g, NULL, 0, ev));
	CTS_RT_OK(musaGraphAddEventWaitNode(&wait, g, &rec, 1, ev));
	CTS_RT_OK(musaGraphEventRecordNodeGetEvent(rec, &got));
	ck_assert_ptr_eq(got, ev);
	CTS_RT_OK(musaGraphEventWaitNodeGetEvent(wait, &got));
	ck_assert_ptr_eq(got, ev);
	CTS_RT(musaGraphEventRecordNodeGetEvent(wait, &got), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaEventQuery(ev));
	CTS_RT(musaGraphAddEventRecordNode(&rec, g, NULL, 0, NULL),
	       musaErrorInvalidResourceHandle);
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(graph, instantiate_and_launch_errors)
{
	musaGraphNode_t n;
	musaGraph_t g;
	musaGraphExec_t x;
	musaStream_t s;

	CTS_RT_OK(musaGraphCreate(&g, 0));
	CTS_RT_OK(musaGraphAddEmptyNode(&n, g, NULL, 0));
	CTS_RT(musaGraphInstantiate(NULL, g, 0), musaErrorInvalidValue);
	CTS_RT(musaGraphInstantiate(&x, NULL, 0), musaErrorInvalidValue);
	CTS_RT_OK(musaGraphInstantiateWithFlags(&x, g, musaGraphInstantiateFlagAutoFreeOnLaunch));
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphUpload(x, 0));
	CTS_RT(musaGraphLaunch(NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaGraphUpload(NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaGraphExecDestroy(NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaStreamDestroy(s));
#ifndef CTS_CUDA
	CTS_RT(musaGraphLaunch(x, s), musaErrorInvalidResourceHandle);
#endif
	/* An empty graph launches too. */
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
}

/* Instantiated graphs launched from several threads at once. */
struct gr_thread_arg {
	musaGraphExec_t x;
	musaStream_t s;
	musaError_t e;
};

static void *gr_thread(void *p)
{
	struct gr_thread_arg *a = p;

	a->e = musaSuccess;
	for (int i = 0; i < 25 && a->e == musaSuccess; i++)
		a->e = musaGraphLaunch(a->x, a->s);
	if (a->e == musaSuccess)
		a->e = musaStreamSynchronize(a->s);
	return NULL;
}

CTS_TEST(graph, launch_from_threads)
{
	struct musaKernelNodeParams kp;
	struct gr_thread_arg ta[2];
	pthread_t th[2];
	musaGraphNode_t k;
	musaGraph_t g;
	int *d = NULL, v = 1, n = N, h[N];
	void *args[3] = { &d, &v, &n };

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMemset(d, 0, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	kp = gr_add_params(args);
	CTS_RT_OK(musaGraphAddKernelNode(&k, g, NULL, 0, &kp));
	for (int i = 0; i < 2; i++) {
		CTS_RT_OK(musaGraphInstantiate(&ta[i].x, g, 0));
		CTS_RT_OK(musaStreamCreate(&ta[i].s));
	}
	/* Both add into the same buffer: run them one after the other. */
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(pthread_create(&th[i], NULL, gr_thread, &ta[i]), 0);
		pthread_join(th[i], NULL);
		CTS_RT_OK(ta[i].e);
	}
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 50);
	for (int i = 0; i < 2; i++) {
		CTS_RT_OK(musaGraphExecDestroy(ta[i].x));
		CTS_RT_OK(musaStreamDestroy(ta[i].s));
	}
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(graph, exec_node_set_params)
{
	struct musaMemsetParams mp;
	struct musaHostNodeParams hp;
	struct musaMemcpy3DParms cp;
	atomic_int c1 = 0, c2 = 0;
	musaGraphNode_t ms, cpy, hn;
	musaGraph_t g;
	musaGraphExec_t x;
	int *d = NULL, h[N], h2[N];

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaGraphCreate(&g, 0));
	mp = gr_memset_params(d, 1);
	CTS_RT_OK(musaGraphAddMemsetNode(&ms, g, NULL, 0, &mp));
	CTS_RT_OK(musaGraphAddMemcpyNode1D(&cpy, g, &ms, 1, h, d, sizeof(h),
					   musaMemcpyDeviceToHost));
	hp.fn = gr_count_fn;
	hp.userData = &c1;
	CTS_RT_OK(musaGraphAddHostNode(&hn, g, &cpy, 1, &hp));
	CTS_RT_OK(musaGraphMemcpyNodeGetParams(cpy, &cp));
	ck_assert_ptr_eq(cp.dstPtr.ptr, h);
	ck_assert_ptr_eq(cp.srcPtr.ptr, d);
	ck_assert_uint_eq(cp.extent.width, sizeof(h));
	ck_assert_int_eq(cp.kind, musaMemcpyDeviceToHost);
	CTS_RT_OK(musaGraphInstantiate(&x, g, 0));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(h[N - 1], 1);
	ck_assert_int_eq(atomic_load(&c1), 1);
	/* Change the exec's copies: value 2, into h2, counting in c2. */
	mp = gr_memset_params(d, 2);
	CTS_RT_OK(musaGraphExecMemsetNodeSetParams(x, ms, &mp));
	CTS_RT_OK(musaGraphExecMemcpyNodeSetParams1D(x, cpy, h2, d, sizeof(h2),
						     musaMemcpyDeviceToHost));
	hp.userData = &c2;
	CTS_RT_OK(musaGraphExecHostNodeSetParams(x, hn, &hp));
	CTS_RT_OK(musaGraphLaunch(x, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_int_eq(h2[0], 2);
	ck_assert_int_eq(h[0], 1);
	ck_assert_int_eq(atomic_load(&c1), 1);
	ck_assert_int_eq(atomic_load(&c2), 1);
	/* Wrong node types and bad arguments. */
	CTS_RT(musaGraphExecMemsetNodeSetParams(x, hn, &mp), musaErrorInvalidValue);
	CTS_RT(musaGraphExecHostNodeSetParams(x, ms, &hp), musaErrorInvalidValue);
	CTS_RT(musaGraphExecMemsetNodeSetParams(x, ms, NULL), musaErrorInvalidValue);
	CTS_RT(musaGraphMemcpyNodeGetParams(ms, &cp), musaErrorInvalidValue);
	CTS_RT(musaGraphMemcpyNodeSetParams1D(cpy, h, d, sizeof(h), (enum musaMemcpyKind)8),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT_OK(musaGraphMemcpyNodeSetParams1D(cpy, h2, d, sizeof(h2), musaMemcpyDefault));
	CTS_RT_OK(musaGraphExecDestroy(x));
	CTS_RT_OK(musaGraphDestroy(g));
	CTS_RT_OK(musaFree(d));
}
