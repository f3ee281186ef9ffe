/* SPDX-License-Identifier: MIT */
/*
 * graph_drv.c - conformance of the driver graph and capture API (muGraph*,
 * muStream*Capture*): nodes built from MUfunction handles of the test
 * module, launches with device results, and bad-parameter cases.
 */
#include <stdatomic.h>

#include "cts.h"

#define N 512

struct gd_env {
	MUcontext ctx;
	MUmodule mod;
	MUfunction add;
	MUdeviceptr d;
	MUstream s;
};

static void gd_setup(struct gd_env *e)
{
	const char *path;

	e->ctx = cts_drv_init();
	path = cts_module_path();
	if (!path)
		CTS_SKIP("no module for the driver-API tests");
	CTS_DRV_OK(muModuleLoad(&e->mod, path));
	CTS_DRV_OK(muModuleGetFunction(&e->add, e->mod, "cts_add"));
	CTS_DRV_OK(muMemAlloc(&e->d, N * sizeof(int)));
	CTS_DRV_OK(muStreamCreate(&e->s, 0));
}

static void gd_teardown(struct gd_env *e)
{
	CTS_DRV_OK(muStreamDestroy(e->s));
	CTS_DRV_OK(muMemFree(e->d));
	CTS_DRV_OK(muModuleUnload(e->mod));
}

static MUSA_KERNEL_NODE_PARAMS gd_add_params(MUfunction f, void **args)
{
	MUSA_KERNEL_NODE_PARAMS p;

	memset(&p, 0, sizeof(p));
	p.func = f;
	p.gridDimX = (N + 127) / 128;
	p.gridDimY = p.gridDimZ = 1;
	p.blockDimX = 128;
	p.blockDimY = p.blockDimZ = 1;
	p.kernelParams = args;
	return p;
}

static void gd_count(void *data)
{
	atomic_fetch_add((atomic_int *)data, 1);
}

CTS_TEST(graph_drv, memset_kernel_copy_host)
{
	static int h[N];
	struct gd_env e;
	MUSA_MEMSET_NODE_PARAMS mp;
	MUSA_KERNEL_NODE_PARAMS kp;
	MUSA_MEMCPY3D cp;
	MUSA_HOST_NODE_PARAMS hp;
	MUgraphNode ms, k, c, hn;
	MUgraph g;
	MUgraphExec x;
	atomic_int calls = 0;
	int v = 6, n = N;
	void *args[3];

	gd_setup(&e);
	args[0] = &e.d;
	args[1] = &v;
	args[2] = &n;
	CTS_DRV_OK(muGraphCreate(&g, 0));
	memset(&mp, 0, sizeof(mp));
	mp.dst = e.d;
	mp.value = 2;
	mp.elementSize = 4;
	mp.width = N;
	mp.height = 1;
	CTS_DRV_OK(muGraphAddMemsetNode(&ms, g, NULL, 0, &mp, e.ctx));
	kp = gd_add_params(e.add, args);
	CTS_DRV_OK(muGraphAddKernelNode(&k, g, &ms, 1, &kp));
	memset(&cp, 0, sizeof(cp));
	cp.srcMemoryType = MU_MEMORYTYPE_DEVICE;
	cp.srcDevice = e.d;
	cp.dstMemoryType = MU_MEMORYTYPE_HOST;
	cp.dstHost = h;
	cp.WidthInBytes = sizeof(h);
	cp.Height = 1;
	cp.Depth = 1;
	CTS_DRV_OK(muGraphAddMemcpyNode(&c, g, &k, 1, &cp, e.ctx));
	hp.fn = gd_count;
	hp.userData = &calls;
	CTS_DRV_OK(muGraphAddHostNode(&hn, g, &c, 1, &hp));
	CTS_DRV_OK(muGraphInstantiate(&x, g, 0));
	for (int i = 0; i < 4; i++) {
		memset(h, 0, sizeof(h));
		CTS_DRV_OK(muGraphLaunch(x, e.s));
		CTS_DRV_OK(muStreamSynchronize(e.s));
		ck_assert_int_eq(h[0], 8);
		ck_assert_int_eq(h[N - 1], 8);
	}
	ck_assert_int_eq(atomic_load(&calls), 4);
	CTS_DRV_OK(muGraphExecDestroy(x));
	CTS_DRV_OK(muGraphDestroy(g));
	gd_teardown(&e);
}

CTS_TEST(graph_drv, kernel_node_extra_and_errors)
{
	struct gd_env e;
	MUSA_KERNEL_NODE_PARAMS kp, got;
	MUgraphNode k, em;
	MUgraphNodeType t;
	MUgraph g;
	MUgraphExec x;
	struct {
		MUdeviceptr p;
		int v, n;
	} packed;
	size_t size = sizeof(packed);
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &packed, MU_LAUNCH_PARAM_BUFFER_SIZE,
			  &size, MU_LAUNCH_PARAM_END };
	int v = 1, n = N, h[N];
	void *args[3];

	gd_setup(&e);
	args[0] = &e.d;
	args[1] = &v;
	args[2] = &n;
	packed.p = e.d;
	packed.v = 3;
	packed.n = N;
	CTS_DRV_OK(muMemsetD32(e.d, 0, N));
	CTS_DRV_OK(muGraphCreate(&g, 0));
	kp = gd_add_params(e.add, NULL);
	kp.extra = extra;
	CTS_DRV_OK(muGraphAddKernelNode(&k, g, NULL, 0, &kp));
	CTS_DRV_OK(muGraphNodeGetType(k, &t));
	ck_assert_int_eq(t, MU_GRAPH_NODE_TYPE_KERNEL);
	CTS_DRV_OK(muGraphKernelNodeGetParams(k, &got));
	ck_assert_ptr_eq(got.func, e.add);
	ck_assert_uint_eq(got.blockDimX, 128);
	CTS_DRV_OK(muGraphInstantiate(&x, g, 0));
	CTS_DRV_OK(muGraphLaunch(x, e.s));
	CTS_DRV_OK(muStreamSynchronize(e.s));
	CTS_DRV_OK(muMemcpyDtoH(h, e.d, sizeof(h)));
	ck_assert_int_eq(h[0], 3);

	kp = gd_add_params(e.add, args);
	kp.extra = extra;   /* both */
	CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
#ifndef CTS_CUDA
	/* Checked when the node is added (CUDA may wait for the launch). */
	kp = gd_add_params(e.add, args);
	kp.gridDimX = 0;
	CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
	kp = gd_add_params(e.add, args);
	kp.blockDimX = 1u << 20;
	CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
#endif
	kp = gd_add_params(NULL, args);
	CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
	kp = gd_add_params(e.add, args);
	CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphAddKernelNode(NULL, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphAddKernelNode(&k, NULL, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphAddEmptyNode(&em, g, NULL, 0));
	CTS_DRV(muGraphKernelNodeGetParams(em, &got), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphKernelNodeSetParams(em, &kp), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphKernelNodeGetParams(k, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphExecDestroy(x));
	CTS_DRV_OK(muGraphDestroy(g));
	gd_teardown(&e);
}

#ifndef CTS_CUDA
/* A launch and a kernel node pack arguments the same way: each malformed
 * set of arguments gets the same error from both (CUDA may check a node's
 * arguments only when the graph is launched). */
CTS_TEST(graph_drv, kernel_node_refuses_what_a_launch_refuses)
{
	struct gd_env e;
	MUSA_KERNEL_NODE_PARAMS kp;
	MUgraphNode k;
	MUgraph g;
	struct {
		MUdeviceptr p;
		int v, n;
	} packed;
	size_t size = sizeof(packed), short_size = sizeof(packed) - 1;
	int v = 1, n = N;
	void *args[3], *holes[3];
	void *no_size[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &packed, MU_LAUNCH_PARAM_END };
	void *no_pointer[] = { MU_LAUNCH_PARAM_BUFFER_SIZE, &size, MU_LAUNCH_PARAM_END };
	void *too_short[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &packed, MU_LAUNCH_PARAM_BUFFER_SIZE,
			      &short_size, MU_LAUNCH_PARAM_END };
	void *unknown_key[] = { (void *)0x7, &packed, MU_LAUNCH_PARAM_END };
	void **bad_extra[] = { no_size, no_pointer, too_short, unknown_key };

	gd_setup(&e);
	args[0] = holes[0] = &e.d;
	args[1] = &v;
	holes[1] = NULL;
	args[2] = holes[2] = &n;
	packed.p = e.d;
	packed.v = 1;
	packed.n = N;
	CTS_DRV_OK(muGraphCreate(&g, 0));
	for (size_t i = 0; i < sizeof(bad_extra) / sizeof(bad_extra[0]); i++) {
		CTS_DRV(muLaunchKernel(e.add, 1, 1, 1, 128, 1, 1, 0, e.s, NULL, bad_extra[i]),
			MUSA_ERROR_INVALID_VALUE);
		kp = gd_add_params(e.add, NULL);
		kp.extra = bad_extra[i];
		CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
	}
	CTS_DRV(muLaunchKernel(e.add, 1, 1, 1, 128, 1, 1, 0, e.s, holes, NULL),
		MUSA_ERROR_INVALID_VALUE);
	kp = gd_add_params(e.add, holes);
	CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muLaunchKernel(e.add, 1, 1, 1, 128, 1, 1, 0, e.s, args, no_size),
		MUSA_ERROR_INVALID_VALUE);
	kp = gd_add_params(e.add, args);
	kp.extra = no_size;
	CTS_DRV(muGraphAddKernelNode(&k, g, NULL, 0, &kp), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamSynchronize(e.s));
	CTS_DRV_OK(muGraphDestroy(g));
	gd_teardown(&e);
}
#endif

CTS_TEST(graph_drv, memset_memcpy_errors)
{
	struct gd_env e;
	MUSA_MEMSET_NODE_PARAMS mp;
	MUSA_MEMCPY3D cp;
	MUgraphNode n;
	MUgraph g;
	int host[4];

	gd_setup(&e);
	CTS_DRV_OK(muGraphCreate(&g, 0));
	memset(&mp, 0, sizeof(mp));
	mp.dst = e.d;
	mp.elementSize = 4;
	mp.width = N;
	mp.height = 1;
	CTS_DRV_OK(muGraphAddMemsetNode(&n, g, NULL, 0, &mp, e.ctx));
	CTS_DRV(muGraphAddMemsetNode(&n, g, NULL, 0, NULL, e.ctx), MUSA_ERROR_INVALID_VALUE);
	mp.elementSize = 8;
	CTS_DRV(muGraphAddMemsetNode(&n, g, NULL, 0, &mp, e.ctx), MUSA_ERROR_INVALID_VALUE);
	mp.elementSize = 4;
#ifndef CTS_CUDA
	/* Past the allocation (CUDA's allocations are rounded up to pages). */
	mp.width = N + 1;
	CTS_DRV(muGraphAddMemsetNode(&n, g, NULL, 0, &mp, e.ctx), MUSA_ERROR_INVALID_VALUE);
	mp.width = N;
#endif
	mp.dst = 0;
	CTS_DRV(muGraphAddMemsetNode(&n, g, NULL, 0, &mp, e.ctx), MUSA_ERROR_INVALID_VALUE);

	memset(&cp, 0, sizeof(cp));
	cp.srcMemoryType = MU_MEMORYTYPE_HOST;
	cp.srcHost = host;
	cp.dstMemoryType = MU_MEMORYTYPE_DEVICE;
	cp.dstDevice = e.d;
	cp.WidthInBytes = sizeof(host);
	cp.Height = 1;
	cp.Depth = 1;
	CTS_DRV_OK(muGraphAddMemcpyNode(&n, g, NULL, 0, &cp, e.ctx));
#ifndef CTS_CUDA
	cp.dstDevice = 0x1000;   /* not an allocation */
	CTS_DRV(muGraphAddMemcpyNode(&n, g, NULL, 0, &cp, e.ctx), MUSA_ERROR_INVALID_VALUE);
	cp.dstDevice = e.d;
#endif
	cp.dstMemoryType = MU_MEMORYTYPE_ARRAY;
	CTS_DRV(muGraphAddMemcpyNode(&n, g, NULL, 0, &cp, e.ctx), MUSA_ERROR_INVALID_VALUE);
	cp.dstMemoryType = MU_MEMORYTYPE_DEVICE;
	cp.Height = 2;   /* rows need pitches */
	CTS_DRV(muGraphAddMemcpyNode(&n, g, NULL, 0, &cp, e.ctx), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphAddMemcpyNode(&n, g, NULL, 0, NULL, e.ctx), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphDestroy(g));
	gd_teardown(&e);
}

CTS_TEST(graph_drv, structure_clone_destroy)
{
	struct gd_env e;
	MUgraphNode a, b, c, nodes[4], found;
	MUgraph g, cl;
	MUgraphExec x;
	size_t num;

	gd_setup(&e);
	CTS_DRV_OK(muGraphCreate(&g, 0));
	CTS_DRV_OK(muGraphAddEmptyNode(&a, g, NULL, 0));
	CTS_DRV_OK(muGraphAddEmptyNode(&b, g, &a, 1));
	CTS_DRV_OK(muGraphAddEmptyNode(&c, g, NULL, 0));
	CTS_DRV_OK(cts_drv_graph_add_dependencies(g, &b, &c, 1));
	CTS_DRV(cts_drv_graph_add_dependencies(g, &b, &c, 1), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphGetNodes(g, NULL, &num));
	ck_assert_uint_eq(num, 3);
	num = 4;
	CTS_DRV_OK(muGraphGetRootNodes(g, nodes, &num));
	ck_assert_uint_eq(num, 1);
	ck_assert_ptr_eq(nodes[0], a);
	ck_assert_ptr_null(nodes[1]);
	CTS_DRV_OK(muGraphClone(&cl, g));
	CTS_DRV_OK(muGraphNodeFindInClone(&found, c, cl));
	CTS_DRV_OK(cts_drv_graph_node_get_dependencies(found, NULL, &num));
	ck_assert_uint_eq(num, 1);
	CTS_DRV_OK(muGraphDestroyNode(b));
	CTS_DRV_OK(cts_drv_graph_get_edges(g, NULL, NULL, &num));
	ck_assert_uint_eq(num, 0);
	CTS_DRV_OK(cts_drv_graph_get_edges(cl, NULL, NULL, &num));
	ck_assert_uint_eq(num, 2);
	CTS_DRV_OK(muGraphInstantiate(&x, cl, 0));
	CTS_DRV_OK(muGraphLaunch(x, NULL));
	CTS_DRV_OK(muCtxSynchronize());
	CTS_DRV(muGraphInstantiate(&x, g, MUSA_GRAPH_INSTANTIATE_FLAG_DEVICE_LAUNCH),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphCreate(&g, 2), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphCreate(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphClone(NULL, g), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphNodeGetType(NULL, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphExecDestroy(x));
	CTS_DRV(muGraphLaunch(NULL, e.s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphDestroy(cl));
	CTS_DRV_OK(muGraphDestroy(g));
	gd_teardown(&e);
}

CTS_TEST(graph_drv, capture_driver)
{
	struct gd_env e;
	MUstreamCaptureStatus st;
	MUstreamCaptureMode m = MU_STREAM_CAPTURE_MODE_GLOBAL;
	MUgraph g = NULL;
	MUgraphExec x;
	int v = 5, n = N, h[N];
	void *args[3];

	gd_setup(&e);
	args[0] = &e.d;
	args[1] = &v;
	args[2] = &n;
	CTS_DRV(muStreamBeginCapture(NULL, MU_STREAM_CAPTURE_MODE_GLOBAL),
		MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
	CTS_DRV_OK(muStreamBeginCapture(e.s, MU_STREAM_CAPTURE_MODE_GLOBAL));
	CTS_DRV_OK(muStreamIsCapturing(e.s, &st));
	ck_assert_int_eq(st, MU_STREAM_CAPTURE_STATUS_ACTIVE);
	CTS_DRV_OK(muMemsetD32Async(e.d, 1, N, e.s));
	CTS_DRV_OK(muLaunchKernel(e.add, (N + 127) / 128, 1, 1, 128, 1, 1, 0, e.s, args, NULL));
	CTS_DRV_OK(muMemcpyDtoHAsync(h, e.d, sizeof(h), e.s));
	CTS_DRV(muStreamSynchronize(NULL), MUSA_ERROR_STREAM_CAPTURE_IMPLICIT);
	CTS_DRV(muStreamEndCapture(e.s, &g), MUSA_ERROR_STREAM_CAPTURE_INVALIDATED);
	ck_assert_ptr_null(g);

	CTS_DRV_OK(muStreamBeginCapture(e.s, MU_STREAM_CAPTURE_MODE_GLOBAL));
	CTS_DRV_OK(muMemsetD32Async(e.d, 1, N, e.s));
	CTS_DRV_OK(muLaunchKernel(e.add, (N + 127) / 128, 1, 1, 128, 1, 1, 0, e.s, args, NULL));
	CTS_DRV_OK(muMemcpyDtoHAsync(h, e.d, sizeof(h), e.s));
	CTS_DRV_OK(muStreamEndCapture(e.s, &g));
	CTS_DRV(muStreamEndCapture(e.s, &g), MUSA_ERROR_ILLEGAL_STATE);
	CTS_DRV_OK(muGraphInstantiate(&x, g, 0));
	memset(h, 0, sizeof(h));
	CTS_DRV_OK(muGraphLaunch(x, e.s));
	CTS_DRV_OK(muStreamSynchronize(e.s));
	ck_assert_int_eq(h[0], 6);
	ck_assert_int_eq(h[N - 1], 6);
	CTS_DRV_OK(muThreadExchangeStreamCaptureMode(&m));
	CTS_DRV(muThreadExchangeStreamCaptureMode(NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muStreamIsCapturing(e.s, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphExecDestroy(x));
	CTS_DRV_OK(muGraphDestroy(g));
	gd_teardown(&e);
}

/* Node parameters read back and changed (in the graph and in an exec),
 * child graphs, event record / wait nodes, edge removal, upload. */
CTS_TEST(graph_drv, params_child_events_exec_updates)
{
	static int h[N];
	struct gd_env e;
	MUSA_MEMSET_NODE_PARAMS mp, mp2;
	MUSA_KERNEL_NODE_PARAMS kp;
	MUSA_MEMCPY3D cp, cp2;
	MUSA_HOST_NODE_PARAMS hp, hp2;
	MUgraphNode ms, k, c, hn, child, rec, wait, nodes[2], found;
	MUgraph g, sub, got;
	MUgraphExec x;
	MUevent ev, evo;
	atomic_int calls = 0, calls2 = 0;
	int v = 1, n = N;
	size_t num;
	void *args[3];

	gd_setup(&e);
	args[0] = &e.d;
	args[1] = &v;
	args[2] = &n;
	CTS_DRV_OK(muEventCreate(&ev, MU_EVENT_DISABLE_TIMING));

	/* sub: the kernel (+1) as a child graph */
	CTS_DRV_OK(muGraphCreate(&sub, 0));
	kp = gd_add_params(e.add, args);
	CTS_DRV_OK(muGraphAddKernelNode(&k, sub, NULL, 0, &kp));

	CTS_DRV_OK(muGraphCreate(&g, 0));
	memset(&mp, 0, sizeof(mp));
	mp.dst = e.d;
	mp.value = 10;
	mp.elementSize = 4;
	mp.width = N;
	mp.height = 1;
	CTS_DRV_OK(muGraphAddMemsetNode(&ms, g, NULL, 0, &mp, e.ctx));
	CTS_DRV_OK(muGraphMemsetNodeGetParams(ms, &mp2));
	ck_assert_uint_eq(mp2.value, 10);
	ck_assert_uint_eq(mp2.width, N);
	CTS_DRV_OK(muGraphAddChildGraphNode(&child, g, &ms, 1, sub));
	CTS_DRV_OK(muGraphChildGraphNodeGetGraph(child, &got));
	ck_assert_ptr_nonnull(got);
	CTS_DRV_OK(muGraphAddEventRecordNode(&rec, g, &child, 1, ev));
	CTS_DRV_OK(muGraphEventRecordNodeGetEvent(rec, &evo));
	ck_assert_ptr_eq(evo, ev);
	CTS_DRV_OK(muGraphAddEventWaitNode(&wait, g, &rec, 1, ev));
	CTS_DRV_OK(muGraphEventWaitNodeGetEvent(wait, &evo));
	ck_assert_ptr_eq(evo, ev);
	memset(&cp, 0, sizeof(cp));
	cp.srcMemoryType = MU_MEMORYTYPE_DEVICE;
	cp.srcDevice = e.d;
	cp.dstMemoryType = MU_MEMORYTYPE_HOST;
	cp.dstHost = h;
	cp.WidthInBytes = sizeof(h);
	cp.Height = 1;
	cp.Depth = 1;
	CTS_DRV_OK(muGraphAddMemcpyNode(&c, g, &wait, 1, &cp, e.ctx));
	CTS_DRV_OK(muGraphMemcpyNodeGetParams(c, &cp2));
	ck_assert_ptr_eq(cp2.dstHost, h);
	ck_assert_uint_eq(cp2.WidthInBytes, sizeof(h));
	CTS_DRV_OK(muGraphMemcpyNodeSetParams(c, &cp));
	hp.fn = gd_count;
	hp.userData = &calls;
	CTS_DRV_OK(muGraphAddHostNode(&hn, g, &c, 1, &hp));
	CTS_DRV_OK(muGraphHostNodeGetParams(hn, &hp2));
	ck_assert_ptr_eq(hp2.userData, &calls);

	/* edges: wait -> c is there; remove it and put it back */
	num = 0;
	CTS_DRV_OK(cts_drv_graph_node_get_dependent_nodes(wait, NULL, &num));
	ck_assert_uint_eq(num, 1);
	nodes[0] = wait;
	nodes[1] = c;
	CTS_DRV_OK(cts_drv_graph_remove_dependencies(g, &nodes[0], &nodes[1], 1));
	CTS_DRV(cts_drv_graph_remove_dependencies(g, &nodes[0], &nodes[1], 1),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(cts_drv_graph_add_dependencies(g, &nodes[0], &nodes[1], 1));

	CTS_DRV_OK(muGraphInstantiateWithFlags(&x, g, 0));
	CTS_DRV(muGraphInstantiateWithFlags(NULL, g, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muGraphUpload(x, e.s));
	CTS_DRV_OK(muGraphLaunch(x, e.s));
	CTS_DRV_OK(muStreamSynchronize(e.s));
	ck_assert_int_eq(h[0], 11);
	ck_assert_int_eq(h[N - 1], 11);
	ck_assert_int_eq(atomic_load(&calls), 1);

	/* The exec's own copies change; the graph's stay. */
	mp.value = 20;
	CTS_DRV_OK(muGraphExecMemsetNodeSetParams(x, ms, &mp, e.ctx));
	hp.userData = &calls2;
	CTS_DRV_OK(muGraphExecHostNodeSetParams(x, hn, &hp));
	CTS_DRV_OK(muGraphExecMemcpyNodeSetParams(x, c, &cp, e.ctx));
	CTS_DRV_OK(muGraphLaunch(x, e.s));
	CTS_DRV_OK(muStreamSynchronize(e.s));
	ck_assert_int_eq(h[0], 21);
	ck_assert_int_eq(atomic_load(&calls), 1);
	ck_assert_int_eq(atomic_load(&calls2), 1);
	CTS_DRV_OK(muGraphMemsetNodeGetParams(ms, &mp2));
	ck_assert_uint_eq(mp2.value, 10);
	/* a node the exec does not hold, and NULL parameters */
	CTS_DRV(muGraphExecHostNodeSetParams(x, hn, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphExecMemsetNodeSetParams(x, ms, NULL, e.ctx), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphExecKernelNodeSetParams(x, k, &kp), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphChildGraphNodeGetGraph(ms, &got), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphEventRecordNodeGetEvent(ms, &evo), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphEventWaitNodeGetEvent(rec, &evo), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphHostNodeGetParams(ms, &hp2), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphMemsetNodeSetParams(ms, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphMemcpyNodeGetParams(ms, &cp2), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphHostNodeSetParams(hn, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphAddChildGraphNode(&found, g, NULL, 0, NULL), MUSA_ERROR_INVALID_VALUE);
#ifndef CTS_CUDA
	/* a NULL event is an invalid handle, as for muEventRecord */
	CTS_DRV(muGraphAddEventRecordNode(&found, g, NULL, 0, NULL), MUSA_ERROR_INVALID_HANDLE);
#endif
	CTS_DRV(muGraphAddEventWaitNode(NULL, g, NULL, 0, ev), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGraphUpload(NULL, e.s), MUSA_ERROR_INVALID_VALUE);

	/* in the graph: the memset changes for the next instantiation */
	CTS_DRV_OK(muGraphMemsetNodeSetParams(ms, &mp));
	CTS_DRV_OK(muGraphHostNodeSetParams(hn, &hp));
	CTS_DRV_OK(muGraphExecDestroy(x));
	CTS_DRV_OK(muGraphInstantiate(&x, g, 0));
	CTS_DRV_OK(muGraphLaunch(x, e.s));
	CTS_DRV_OK(muStreamSynchronize(e.s));
	ck_assert_int_eq(h[N - 1], 21);
	ck_assert_int_eq(atomic_load(&calls2), 2);

	CTS_DRV_OK(muGraphExecDestroy(x));
	CTS_DRV_OK(muGraphDestroy(g));
	CTS_DRV_OK(muGraphDestroy(sub));
	CTS_DRV_OK(muEventDestroy(ev));
	gd_teardown(&e);
}
