/* SPDX-License-Identifier: MIT */
/*
 * graph.c - runtime graphs and stream capture: musaGraph* and
 * musaStream*Capture* on the driver's muGraph* / muStream*Capture*.
 *
 * Graph, node and exec handles are the driver's. The runtime resolves what
 * only it knows: a kernel node's host stub becomes the driver function of
 * the current device (register.c), a memcpy kind becomes driver memory
 * types (memory.c), musaMemsetParams' pointer a device address. Kernel
 * nodes remember the stub they were given so GetParams can return it.
 * The node kinds share one node-parameter path (rt_node_run) driven by a
 * table per kind.
 * The calls that only forward to the driver are generated in forward.c.
 * Calls device.c, stream.c, str_ptsz.c, register.c, memory.c, event.c and
 * the driver.
 */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

/* Host stubs of kernel functions */

/* MUfunction -> host stub, for the kernels the graph calls resolved. */
struct rt_graph_function {
	struct rt_graph_function *next;
	MUfunction f;
	const void *stub;
};

static pthread_mutex_t rt_graph_functions_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rt_graph_function *rt_graph_functions;

static void rt_graph_function_note(MUfunction f, const void *stub)
{
	struct rt_graph_function *g;

	pthread_mutex_lock(&rt_graph_functions_lock);
	for (g = rt_graph_functions; g; g = g->next)
		if (g->f == f)
			break;
	if (!g) {
		g = malloc(sizeof(*g));
		if (g) {
			g->f = f;
			g->next = rt_graph_functions;
			rt_graph_functions = g;
		}
	}
	if (g)
		g->stub = stub;
	pthread_mutex_unlock(&rt_graph_functions_lock);
}

/* The stub of f, or f itself when the runtime never saw it (a kernel
 * captured from a stream, or added through the driver API). */
static void *rt_graph_function_stub(MUfunction f)
{
	const void *stub = f;

	pthread_mutex_lock(&rt_graph_functions_lock);
	for (struct rt_graph_function *g = rt_graph_functions; g; g = g->next) {
		if (g->f == f) {
			stub = g->stub;
			break;
		}
	}
	pthread_mutex_unlock(&rt_graph_functions_lock);
	return (void *)stub;
}

musaError_t rt_graph_stream_enter(musaStream_t stream, int *dev, MUstream *out)
{
	musaError_t e;

	if (!stream || stream == musaStreamLegacy || stream == musaStreamPerThread)
		*dev = rt_current_device();
	else if (!rt_handles_find(&rt_streams, stream, dev))
		return musaErrorInvalidResourceHandle;
	e = rt_dev_enter(*dev);
	if (e != musaSuccess)
		return e;
	return rt_stream_resolve(stream, *dev, out);
}

/* Node parameters */

/* The driver's parameters of a node of any kind the runtime converts. */
union rt_node_params {
	MUSA_KERNEL_NODE_PARAMS kernel;
	MUSA_MEMCPY3D memcpy;
	MUSA_MEMSET_NODE_PARAMS memset;
	MUSA_HOST_NODE_PARAMS host;
};

/* What a node-parameter call does. */
enum rt_node_op {
	RT_NODE_ADD,       /* adds a node to a graph */
	RT_NODE_GET,       /* reads the parameters of a node */
	RT_NODE_SET,       /* sets the parameters of a node */
	RT_NODE_EXEC_SET,  /* sets them on the node's instance in an executable graph */
};

/* A node-parameter call: the operation and the handles it names. */
struct rt_node_call {
	enum rt_node_op op;
	musaGraphNode_t *added;               /* RT_NODE_ADD: receives the new node */
	musaGraph_t graph;                    /* RT_NODE_ADD */
	const musaGraphNode_t *dependencies;  /* RT_NODE_ADD */
	size_t count;                         /* RT_NODE_ADD: number of dependencies */
	musaGraphNode_t node;                 /* the other operations */
	musaGraphExec_t exec;                 /* RT_NODE_EXEC_SET */
	MUcontext ctx;                        /* the current context (copy and memset nodes) */
};

/* A node kind: how its parameters become the driver's and back, and its
 * driver calls. */
struct rt_node_kind {
	MUgraphNodeType type;
	/* Adding checks the pointer that receives the node before the
	 * parameters are converted. */
	int checks_added;
	/* Setting checks the node's type before the parameters are converted
	 * (their conversion has errors of its own). */
	int checks_type;
	/* Setting in an executable graph checks the graph is given before the
	 * device is entered. */
	int checks_exec;
	/* The runtime's parameters `in` as the driver's, for device `dev`. */
	musaError_t (*to_driver)(const void *in, int dev, union rt_node_params *out);
	/* The driver's parameters as the runtime's. */
	void (*to_runtime)(const union rt_node_params *in, void *out);
	/* The driver call of c->op on the driver's parameters. */
	MUresult (*driver)(const struct rt_node_call *c, union rt_node_params *p);
};

/* Runs a node-parameter call on the current device: `in` the runtime's
 * parameters to add or set, `out` where a read puts them. */
static musaError_t rt_node_run(const struct rt_node_kind *k, struct rt_node_call *c,
			       const void *in, void *out)
{
	union rt_node_params p;
	MUgraphNodeType type;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	if (c->op == RT_NODE_GET) {
		CHECK(!out, musaErrorInvalidValue);
		r = k->driver(c, &p);
		if (r == MUSA_SUCCESS)
			k->to_runtime(&p, out);
		return rt_dev_result(dev, r);
	}
	if (c->op == RT_NODE_SET && k->checks_type) {
		r = muGraphNodeGetType(c->node, &type);
		if (r != MUSA_SUCCESS)
			return rt_dev_result(dev, r);
		CHECK(type != k->type, musaErrorInvalidValue);
	}
	CHECK(!in || (c->op == RT_NODE_ADD && k->checks_added && !c->added), musaErrorInvalidValue);
	e = k->to_driver(in, dev, &p);
	if (e != musaSuccess)
		return e;
	muCtxGetCurrent(&c->ctx);
	return rt_dev_result(dev, k->driver(c, &p));
}

static musaError_t rt_node_add(const struct rt_node_kind *k, musaGraphNode_t *added,
			       musaGraph_t graph, const musaGraphNode_t *dependencies,
			       size_t count, const void *in)
{
	struct rt_node_call c = { .op = RT_NODE_ADD, .added = added, .graph = graph,
				  .dependencies = dependencies, .count = count };

	return rt_node_run(k, &c, in, NULL);
}

static musaError_t rt_node_get(const struct rt_node_kind *k, musaGraphNode_t node, void *out)
{
	struct rt_node_call c = { .op = RT_NODE_GET, .node = node };

	return rt_node_run(k, &c, NULL, out);
}

static musaError_t rt_node_set(const struct rt_node_kind *k, musaGraphNode_t node, const void *in)
{
	struct rt_node_call c = { .op = RT_NODE_SET, .node = node };

	return rt_node_run(k, &c, in, NULL);
}

static musaError_t rt_node_exec_set(const struct rt_node_kind *k, musaGraphExec_t exec,
				    musaGraphNode_t node, const void *in)
{
	struct rt_node_call c = { .op = RT_NODE_EXEC_SET, .exec = exec, .node = node };

	CHECK(k->checks_exec && !exec, musaErrorInvalidValue);
	return rt_node_run(k, &c, in, NULL);
}

/* Kernel nodes: the host stub becomes the device's driver function. */
static musaError_t rt_kernel_to_driver(const void *in, int dev, union rt_node_params *out)
{
	const struct musaKernelNodeParams *p = in;
	MUfunction f;
	musaError_t e;

	if (!p->func)
		return musaErrorInvalidDeviceFunction;
	e = rt_function_get(p->func, dev, &f);
	if (e != musaSuccess)
		return e;
	rt_graph_function_note(f, p->func);
	out->kernel = (MUSA_KERNEL_NODE_PARAMS){
		.func = f,
		.gridDimX = p->gridDim.x, .gridDimY = p->gridDim.y, .gridDimZ = p->gridDim.z,
		.blockDimX = p->blockDim.x, .blockDimY = p->blockDim.y, .blockDimZ = p->blockDim.z,
		.sharedMemBytes = p->sharedMemBytes,
		.kernelParams = p->kernelParams,
		.extra = p->extra,
	};
	return musaSuccess;
}

static void rt_kernel_to_runtime(const union rt_node_params *in, void *out)
{
	const MUSA_KERNEL_NODE_PARAMS *kp = &in->kernel;

	*(struct musaKernelNodeParams *)out = (struct musaKernelNodeParams){
		.func = rt_graph_function_stub(kp->func),
		.gridDim = { kp->gridDimX, kp->gridDimY, kp->gridDimZ },
		.blockDim = { kp->blockDimX, kp->blockDimY, kp->blockDimZ },
		.sharedMemBytes = kp->sharedMemBytes,
		.kernelParams = kp->kernelParams,
		.extra = kp->extra,
	};
}

static MUresult rt_kernel_driver(const struct rt_node_call *c, union rt_node_params *p)
{
	switch (c->op) {
	case RT_NODE_ADD:
		return muGraphAddKernelNode(c->added, c->graph, c->dependencies, c->count,
					    &p->kernel);
	case RT_NODE_GET:
		return muGraphKernelNodeGetParams(c->node, &p->kernel);
	case RT_NODE_SET:
		return muGraphKernelNodeSetParams(c->node, &p->kernel);
	default:
		return muGraphExecKernelNodeSetParams(c->exec, c->node, &p->kernel);
	}
}

static const struct rt_node_kind rt_kernel_node = {
	.type = MU_GRAPH_NODE_TYPE_KERNEL,
	.checks_added = 1,
	.checks_type = 1,
	.to_driver = rt_kernel_to_driver,
	.to_runtime = rt_kernel_to_runtime,
	.driver = rt_kernel_driver,
};

/* Copy nodes: a memcpy kind becomes the driver's memory type of each side. */
static musaError_t rt_memcpy_to_driver(const void *in, int dev, union rt_node_params *out)
{
	const struct musaMemcpy3DParms *p = in;
	enum musaMemcpyKind kind = p->kind;
	MUSA_MEMCPY3D *c = &out->memcpy;
	MUmemorytype dt, st;
	musaError_t e;

	(void)dev;
	CHECK(p->srcArray || p->dstArray, musaErrorInvalidValue);
	if ((unsigned int)kind > musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	CHECK(!p->srcPtr.ptr || !p->dstPtr.ptr, musaErrorInvalidValue);
	e = rt_mem_sides(p->dstPtr.ptr, p->srcPtr.ptr, &kind, &dt, &st);
	if (e != musaSuccess)
		return e;
	*c = (MUSA_MEMCPY3D){ 0 };
	c->srcMemoryType = st;
	if (st == MU_MEMORYTYPE_HOST)
		c->srcHost = p->srcPtr.ptr;
	else
		c->srcDevice = (MUdeviceptr)(uintptr_t)p->srcPtr.ptr;
	c->dstMemoryType = dt;
	if (dt == MU_MEMORYTYPE_HOST)
		c->dstHost = p->dstPtr.ptr;
	else
		c->dstDevice = (MUdeviceptr)(uintptr_t)p->dstPtr.ptr;
	c->srcXInBytes = p->srcPos.x;
	c->srcY = p->srcPos.y;
	c->srcZ = p->srcPos.z;
	c->srcPitch = p->srcPtr.pitch;
	c->srcHeight = p->srcPtr.ysize;
	c->dstXInBytes = p->dstPos.x;
	c->dstY = p->dstPos.y;
	c->dstZ = p->dstPos.z;
	c->dstPitch = p->dstPtr.pitch;
	c->dstHeight = p->dstPtr.ysize;
	c->WidthInBytes = p->extent.width;
	c->Height = p->extent.height;
	c->Depth = p->extent.depth;
	return musaSuccess;
}

static void rt_memcpy_to_runtime(const union rt_node_params *in, void *out)
{
	const MUSA_MEMCPY3D *c = &in->memcpy;
	struct musaMemcpy3DParms *p = out;
	int sh = c->srcMemoryType == MU_MEMORYTYPE_HOST;
	int dh = c->dstMemoryType == MU_MEMORYTYPE_HOST;

	memset(p, 0, sizeof(*p));
	p->srcPtr.ptr = sh ? (void *)(uintptr_t)c->srcHost : (void *)(uintptr_t)c->srcDevice;
	p->srcPtr.pitch = c->srcPitch;
	p->srcPtr.xsize = c->WidthInBytes;
	p->srcPtr.ysize = c->srcHeight;
	p->srcPos = (struct musaPos){ c->srcXInBytes, c->srcY, c->srcZ };
	p->dstPtr.ptr = dh ? c->dstHost : (void *)(uintptr_t)c->dstDevice;
	p->dstPtr.pitch = c->dstPitch;
	p->dstPtr.xsize = c->WidthInBytes;
	p->dstPtr.ysize = c->dstHeight;
	p->dstPos = (struct musaPos){ c->dstXInBytes, c->dstY, c->dstZ };
	p->extent = (struct musaExtent){ c->WidthInBytes, c->Height, c->Depth };
	if (c->srcMemoryType == MU_MEMORYTYPE_UNIFIED || c->dstMemoryType == MU_MEMORYTYPE_UNIFIED)
		p->kind = musaMemcpyDefault;
	else
		p->kind = sh ? (dh ? musaMemcpyHostToHost : musaMemcpyHostToDevice) :
			       (dh ? musaMemcpyDeviceToHost : musaMemcpyDeviceToDevice);
}

static MUresult rt_memcpy_driver(const struct rt_node_call *c, union rt_node_params *p)
{
	switch (c->op) {
	case RT_NODE_ADD:
		return muGraphAddMemcpyNode(c->added, c->graph, c->dependencies, c->count,
					    &p->memcpy, c->ctx);
	case RT_NODE_GET:
		return muGraphMemcpyNodeGetParams(c->node, &p->memcpy);
	case RT_NODE_SET:
		return muGraphMemcpyNodeSetParams(c->node, &p->memcpy);
	default:
		return muGraphExecMemcpyNodeSetParams(c->exec, c->node, &p->memcpy, c->ctx);
	}
}

static const struct rt_node_kind rt_memcpy_node = {
	.type = MU_GRAPH_NODE_TYPE_MEMCPY,
	.checks_added = 1,
	.checks_exec = 1,
	.to_driver = rt_memcpy_to_driver,
	.to_runtime = rt_memcpy_to_runtime,
	.driver = rt_memcpy_driver,
};

/* A 1-D copy as musaMemcpy3DParms. */
static struct musaMemcpy3DParms rt_memcpy_1d_params(void *dst, const void *src, size_t count,
						    enum musaMemcpyKind kind)
{
	struct musaMemcpy3DParms p;

	memset(&p, 0, sizeof(p));
	p.srcPtr.ptr = (void *)(uintptr_t)src;
	p.srcPtr.pitch = count;
	p.srcPtr.xsize = count;
	p.srcPtr.ysize = 1;
	p.dstPtr.ptr = dst;
	p.dstPtr.pitch = count;
	p.dstPtr.xsize = count;
	p.dstPtr.ysize = 1;
	p.extent.width = count;
	p.extent.height = 1;
	p.extent.depth = 1;
	p.kind = kind;
	return p;
}

/* Memset nodes: musaMemsetParams' pointer becomes a device address. */
static musaError_t rt_memset_to_driver(const void *in, int dev, union rt_node_params *out)
{
	const struct musaMemsetParams *p = in;

	(void)dev;
	out->memset = (MUSA_MEMSET_NODE_PARAMS){
		.dst = (MUdeviceptr)(uintptr_t)p->dst,
		.pitch = p->pitch,
		.value = p->value,
		.elementSize = p->elementSize,
		.width = p->width,
		.height = p->height,
	};
	return musaSuccess;
}

static void rt_memset_to_runtime(const union rt_node_params *in, void *out)
{
	const MUSA_MEMSET_NODE_PARAMS *mp = &in->memset;
	struct musaMemsetParams *p = out;

	p->dst = (void *)(uintptr_t)mp->dst;
	p->pitch = mp->pitch;
	p->value = mp->value;
	p->elementSize = mp->elementSize;
	p->width = mp->width;
	p->height = mp->height;
}

static MUresult rt_memset_driver(const struct rt_node_call *c, union rt_node_params *p)
{
	switch (c->op) {
	case RT_NODE_ADD:
		return muGraphAddMemsetNode(c->added, c->graph, c->dependencies, c->count,
					    &p->memset, c->ctx);
	case RT_NODE_GET:
		return muGraphMemsetNodeGetParams(c->node, &p->memset);
	case RT_NODE_SET:
		return muGraphMemsetNodeSetParams(c->node, &p->memset);
	default:
		return muGraphExecMemsetNodeSetParams(c->exec, c->node, &p->memset, c->ctx);
	}
}

static const struct rt_node_kind rt_memset_node = {
	.type = MU_GRAPH_NODE_TYPE_MEMSET,
	.to_driver = rt_memset_to_driver,
	.to_runtime = rt_memset_to_runtime,
	.driver = rt_memset_driver,
};

/* Host nodes: the same function and argument in both APIs. */
static musaError_t rt_host_to_driver(const void *in, int dev, union rt_node_params *out)
{
	const struct musaHostNodeParams *p = in;

	(void)dev;
	out->host = (MUSA_HOST_NODE_PARAMS){ .fn = p->fn, .userData = p->userData };
	return musaSuccess;
}

static void rt_host_to_runtime(const union rt_node_params *in, void *out)
{
	struct musaHostNodeParams *p = out;

	p->fn = in->host.fn;
	p->userData = in->host.userData;
}

static MUresult rt_host_driver(const struct rt_node_call *c, union rt_node_params *p)
{
	switch (c->op) {
	case RT_NODE_ADD:
		return muGraphAddHostNode(c->added, c->graph, c->dependencies, c->count, &p->host);
	case RT_NODE_GET:
		return muGraphHostNodeGetParams(c->node, &p->host);
	case RT_NODE_SET:
		return muGraphHostNodeSetParams(c->node, &p->host);
	default:
		return muGraphExecHostNodeSetParams(c->exec, c->node, &p->host);
	}
}

static const struct rt_node_kind rt_host_node = {
	.type = MU_GRAPH_NODE_TYPE_HOST,
	.to_driver = rt_host_to_driver,
	.to_runtime = rt_host_to_runtime,
	.driver = rt_host_driver,
};

/* Graphs and nodes */

/* The four entry points of each node kind, generated from this list:
 * X(add, get parameters, set parameters, set parameters in an executable
 * graph, kind, the runtime's parameter type). */
#define RT_NODE_ENTRY_POINTS(X) \
	X(musaGraphAddKernelNode, musaGraphKernelNodeGetParams, musaGraphKernelNodeSetParams, \
	  musaGraphExecKernelNodeSetParams, rt_kernel_node, struct musaKernelNodeParams) \
	X(musaGraphAddMemcpyNode, musaGraphMemcpyNodeGetParams, musaGraphMemcpyNodeSetParams, \
	  musaGraphExecMemcpyNodeSetParams, rt_memcpy_node, struct musaMemcpy3DParms) \
	X(musaGraphAddMemsetNode, musaGraphMemsetNodeGetParams, musaGraphMemsetNodeSetParams, \
	  musaGraphExecMemsetNodeSetParams, rt_memset_node, struct musaMemsetParams) \
	X(musaGraphAddHostNode, musaGraphHostNodeGetParams, musaGraphHostNodeSetParams, \
	  musaGraphExecHostNodeSetParams, rt_host_node, struct musaHostNodeParams)

#define RT_DEFINE_NODE_ENTRY_POINTS(add, get, set, exec_set, kind, type)                    \
	MUSART_API musaError_t add(musaGraphNode_t *pGraphNode, musaGraph_t graph,          \
				   const musaGraphNode_t *pDependencies,                    \
				   size_t numDependencies, const type *pNodeParams)         \
	{                                                                                   \
		return rt_ret(rt_node_add(&kind, pGraphNode, graph, pDependencies,          \
					  numDependencies, pNodeParams));                   \
	}                                                                                   \
	MUSART_API musaError_t get(musaGraphNode_t node, type *pNodeParams)                 \
	{                                                                                   \
		return rt_ret(rt_node_get(&kind, node, pNodeParams));                       \
	}                                                                                   \
	MUSART_API musaError_t set(musaGraphNode_t node, const type *pNodeParams)           \
	{                                                                                   \
		return rt_ret(rt_node_set(&kind, node, pNodeParams));                       \
	}                                                                                   \
	MUSART_API musaError_t exec_set(musaGraphExec_t hGraphExec, musaGraphNode_t node,   \
					const type *pNodeParams)                            \
	{                                                                                   \
		return rt_ret(rt_node_exec_set(&kind, hGraphExec, node, pNodeParams));      \
	}

RT_NODE_ENTRY_POINTS(RT_DEFINE_NODE_ENTRY_POINTS)

MUSART_API musaError_t musaGraphAddMemcpyNode1D(musaGraphNode_t *pGraphNode, musaGraph_t graph,
						const musaGraphNode_t *pDependencies,
						size_t numDependencies, void *dst, const void *src,
						size_t count, enum musaMemcpyKind kind)
{
	struct musaMemcpy3DParms p = rt_memcpy_1d_params(dst, src, count, kind);

	return rt_ret(rt_node_add(&rt_memcpy_node, pGraphNode, graph, pDependencies,
				  numDependencies, &p));
}

MUSART_API musaError_t musaGraphMemcpyNodeSetParams1D(musaGraphNode_t node, void *dst,
						      const void *src, size_t count,
						      enum musaMemcpyKind kind)
{
	struct musaMemcpy3DParms p = rt_memcpy_1d_params(dst, src, count, kind);

	return rt_ret(rt_node_set(&rt_memcpy_node, node, &p));
}

MUSART_API musaError_t musaGraphExecMemcpyNodeSetParams1D(musaGraphExec_t hGraphExec,
							  musaGraphNode_t node, void *dst,
							  const void *src, size_t count,
							  enum musaMemcpyKind kind)
{
	struct musaMemcpy3DParms p = rt_memcpy_1d_params(dst, src, count, kind);

	return rt_ret(rt_node_exec_set(&rt_memcpy_node, hGraphExec, node, &p));
}

static musaError_t rt_add_event_node(musaGraphNode_t *pGraphNode, musaGraph_t graph,
				     const musaGraphNode_t *deps, size_t n, musaEvent_t event,
				     int record)
{
	int dev, edev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	CHECK(!pGraphNode, musaErrorInvalidValue);
	e = rt_event_lookup(event, &edev);
	if (e != musaSuccess)
		return e;
	return rt_dev_result(dev, record ?
		       muGraphAddEventRecordNode(pGraphNode, graph, deps, n, (MUevent)event) :
		       muGraphAddEventWaitNode(pGraphNode, graph, deps, n, (MUevent)event));
}

MUSART_API musaError_t musaGraphAddEventRecordNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
						   const musaGraphNode_t *pDependencies,
						   size_t numDependencies, musaEvent_t event)
{
	return rt_ret(rt_add_event_node(pGraphNode, graph, pDependencies, numDependencies,
					event, 1));
}

MUSART_API musaError_t musaGraphAddEventWaitNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
						 const musaGraphNode_t *pDependencies,
						 size_t numDependencies, musaEvent_t event)
{
	return rt_ret(rt_add_event_node(pGraphNode, graph, pDependencies, numDependencies,
					event, 0));
}

MUSART_API musaError_t musaGraphNodeGetType(musaGraphNode_t node, enum musaGraphNodeType *pType)
{
	MUgraphNodeType t;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pType, rt_ret(musaErrorInvalidValue));
	r = muGraphNodeGetType(node, &t);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	*pType = (enum musaGraphNodeType)t;
	return rt_ret(musaSuccess);
}

/* Executable graphs */

MUSART_API musaError_t musaGraphInstantiate(musaGraphExec_t *pGraphExec, musaGraph_t graph,
					    unsigned long long flags)
{
	return musaGraphInstantiateWithFlags(pGraphExec, graph, flags);
}

/* Stream capture */

MUSART_API musaError_t musaStreamIsCapturing(musaStream_t stream,
					     enum musaStreamCaptureStatus *pCaptureStatus)
{
	MUstreamCaptureStatus st;
	MUresult r;
	MUstream s;
	int dev;
	musaError_t e = rt_graph_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pCaptureStatus, rt_ret(musaErrorInvalidValue));
	r = muStreamIsCapturing(s, &st);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	*pCaptureStatus = (enum musaStreamCaptureStatus)st;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaStreamGetCaptureInfo(musaStream_t stream,
						enum musaStreamCaptureStatus *captureStatus_out,
						unsigned long long *id_out, musaGraph_t *graph_out,
						const musaGraphNode_t **dependencies_out,
						size_t *numDependencies_out)
{
	MUstreamCaptureStatus st;
	MUresult r;
	MUstream s;
	int dev;
	musaError_t e = rt_graph_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!captureStatus_out, rt_ret(musaErrorInvalidValue));
	r = muStreamGetCaptureInfo(s, &st, id_out, graph_out, dependencies_out,
				   numDependencies_out);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	*captureStatus_out = (enum musaStreamCaptureStatus)st;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaThreadExchangeStreamCaptureMode(enum musaStreamCaptureMode *mode)
{
	MUstreamCaptureMode m;
	MUresult r;
	musaError_t e = rt_init();

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!mode, rt_ret(musaErrorInvalidValue));
	m = (MUstreamCaptureMode)*mode;
	r = muThreadExchangeStreamCaptureMode(&m);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_err(r));
	*mode = (enum musaStreamCaptureMode)m;
	return rt_ret(musaSuccess);
}

/* Per-thread default stream entries */

MUSART_API musaError_t musaGraphLaunch_ptsz(musaGraphExec_t graphExec, musaStream_t stream)
{
	return musaGraphLaunch(graphExec, rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaGraphUpload_ptsz(musaGraphExec_t graphExec, musaStream_t stream)
{
	return musaGraphUpload(graphExec, rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaStreamBeginCapture_ptsz(musaStream_t stream,
						   enum musaStreamCaptureMode mode)
{
	return musaStreamBeginCapture(rt_per_thread_stream(stream), mode);
}

MUSART_API musaError_t musaStreamEndCapture_ptsz(musaStream_t stream, musaGraph_t *pGraph)
{
	return musaStreamEndCapture(rt_per_thread_stream(stream), pGraph);
}

MUSART_API musaError_t musaStreamIsCapturing_ptsz(musaStream_t stream,
						  enum musaStreamCaptureStatus *pCaptureStatus)
{
	return musaStreamIsCapturing(rt_per_thread_stream(stream), pCaptureStatus);
}

MUSART_API musaError_t musaStreamGetCaptureInfo_ptsz(musaStream_t stream,
						     enum musaStreamCaptureStatus *captureStatus_out,
						     unsigned long long *id_out, musaGraph_t *graph_out,
						     const musaGraphNode_t **dependencies_out,
						     size_t *numDependencies_out)
{
	return musaStreamGetCaptureInfo(rt_per_thread_stream(stream), captureStatus_out, id_out,
					graph_out, dependencies_out, numDependencies_out);
}
