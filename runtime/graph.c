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

static musaError_t rt_kernel_node_params(const struct musaKernelNodeParams *p, int dev,
			      MUSA_KERNEL_NODE_PARAMS *out)
{
	MUfunction f;
	musaError_t e;

	if (!p->func)
		return musaErrorInvalidDeviceFunction;
	e = rt_function_get(p->func, dev, &f);
	if (e != musaSuccess)
		return e;
	rt_graph_function_note(f, p->func);
	*out = (MUSA_KERNEL_NODE_PARAMS){
		.func = f,
		.gridDimX = p->gridDim.x, .gridDimY = p->gridDim.y, .gridDimZ = p->gridDim.z,
		.blockDimX = p->blockDim.x, .blockDimY = p->blockDim.y, .blockDimZ = p->blockDim.z,
		.sharedMemBytes = p->sharedMemBytes,
		.kernelParams = p->kernelParams,
		.extra = p->extra,
	};
	return musaSuccess;
}

static MUSA_MEMSET_NODE_PARAMS rt_memset_node_params(const struct musaMemsetParams *p)
{
	return (MUSA_MEMSET_NODE_PARAMS){
		.dst = (MUdeviceptr)(uintptr_t)p->dst,
		.pitch = p->pitch,
		.value = p->value,
		.elementSize = p->elementSize,
		.width = p->width,
		.height = p->height,
	};
}

static MUSA_HOST_NODE_PARAMS rt_host_node_params(const struct musaHostNodeParams *p)
{
	return (MUSA_HOST_NODE_PARAMS){ .fn = p->fn, .userData = p->userData };
}

/* Graphs and nodes */

MUSART_API musaError_t musaGraphAddKernelNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
					      const musaGraphNode_t *pDependencies,
					      size_t numDependencies,
					      const struct musaKernelNodeParams *pNodeParams)
{
	MUSA_KERNEL_NODE_PARAMS kp;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pGraphNode || !pNodeParams, rt_ret(musaErrorInvalidValue));
	e = rt_kernel_node_params(pNodeParams, dev, &kp);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muGraphAddKernelNode(pGraphNode, graph, pDependencies,
							      numDependencies, &kp)));
}

MUSART_API musaError_t musaGraphKernelNodeGetParams(musaGraphNode_t node,
						    struct musaKernelNodeParams *pNodeParams)
{
	MUSA_KERNEL_NODE_PARAMS kp;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	r = muGraphKernelNodeGetParams(node, &kp);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	pNodeParams->func = rt_graph_function_stub(kp.func);
	pNodeParams->gridDim = (dim3){ kp.gridDimX, kp.gridDimY, kp.gridDimZ };
	pNodeParams->blockDim = (dim3){ kp.blockDimX, kp.blockDimY, kp.blockDimZ };
	pNodeParams->sharedMemBytes = kp.sharedMemBytes;
	pNodeParams->kernelParams = kp.kernelParams;
	pNodeParams->extra = kp.extra;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaGraphKernelNodeSetParams(musaGraphNode_t node,
						    const struct musaKernelNodeParams *pNodeParams)
{
	MUSA_KERNEL_NODE_PARAMS kp;
	MUgraphNodeType t;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	r = muGraphNodeGetType(node, &t);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	CHECK(!pNodeParams || t != MU_GRAPH_NODE_TYPE_KERNEL, rt_ret(musaErrorInvalidValue));
	e = rt_kernel_node_params(pNodeParams, dev, &kp);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muGraphKernelNodeSetParams(node, &kp)));
}

/* musaMemcpy3DParms -> MUSA_MEMCPY3D. */
static musaError_t rt_memcpy_node_params(const struct musaMemcpy3DParms *p, MUSA_MEMCPY3D *out)
{
	enum musaMemcpyKind kind = p->kind;
	MUmemorytype dt, st;
	musaError_t e;

	CHECK(p->srcArray || p->dstArray, musaErrorInvalidValue);
	if ((unsigned int)kind > musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	CHECK(!p->srcPtr.ptr || !p->dstPtr.ptr, musaErrorInvalidValue);
	e = rt_mem_sides(p->dstPtr.ptr, p->srcPtr.ptr, &kind, &dt, &st);
	if (e != musaSuccess)
		return e;
	*out = (MUSA_MEMCPY3D){ 0 };
	out->srcMemoryType = st;
	if (st == MU_MEMORYTYPE_HOST)
		out->srcHost = p->srcPtr.ptr;
	else
		out->srcDevice = (MUdeviceptr)(uintptr_t)p->srcPtr.ptr;
	out->dstMemoryType = dt;
	if (dt == MU_MEMORYTYPE_HOST)
		out->dstHost = p->dstPtr.ptr;
	else
		out->dstDevice = (MUdeviceptr)(uintptr_t)p->dstPtr.ptr;
	out->srcXInBytes = p->srcPos.x;
	out->srcY = p->srcPos.y;
	out->srcZ = p->srcPos.z;
	out->srcPitch = p->srcPtr.pitch;
	out->srcHeight = p->srcPtr.ysize;
	out->dstXInBytes = p->dstPos.x;
	out->dstY = p->dstPos.y;
	out->dstZ = p->dstPos.z;
	out->dstPitch = p->dstPtr.pitch;
	out->dstHeight = p->dstPtr.ysize;
	out->WidthInBytes = p->extent.width;
	out->Height = p->extent.height;
	out->Depth = p->extent.depth;
	return musaSuccess;
}

static musaError_t rt_add_memcpy(musaGraphNode_t *pGraphNode, musaGraph_t graph,
				 const musaGraphNode_t *pDependencies, size_t numDependencies,
				 const struct musaMemcpy3DParms *p)
{
	MUSA_MEMCPY3D cp;
	MUcontext ctx = NULL;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	CHECK(!pGraphNode || !p, musaErrorInvalidValue);
	e = rt_memcpy_node_params(p, &cp);
	if (e != musaSuccess)
		return e;
	muCtxGetCurrent(&ctx);
	return rt_dev_result(dev, muGraphAddMemcpyNode(pGraphNode, graph, pDependencies,
						       numDependencies, &cp, ctx));
}

MUSART_API musaError_t musaGraphAddMemcpyNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
					      const musaGraphNode_t *pDependencies,
					      size_t numDependencies,
					      const struct musaMemcpy3DParms *pCopyParams)
{
	return rt_ret(rt_add_memcpy(pGraphNode, graph, pDependencies, numDependencies,
				    pCopyParams));
}

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

MUSART_API musaError_t musaGraphAddMemcpyNode1D(musaGraphNode_t *pGraphNode, musaGraph_t graph,
						const musaGraphNode_t *pDependencies,
						size_t numDependencies, void *dst, const void *src,
						size_t count, enum musaMemcpyKind kind)
{
	struct musaMemcpy3DParms p = rt_memcpy_1d_params(dst, src, count, kind);

	return rt_ret(rt_add_memcpy(pGraphNode, graph, pDependencies, numDependencies, &p));
}

MUSART_API musaError_t musaGraphMemcpyNodeGetParams(musaGraphNode_t node,
						    struct musaMemcpy3DParms *pNodeParams)
{
	MUSA_MEMCPY3D c;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);
	int sh, dh;

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	r = muGraphMemcpyNodeGetParams(node, &c);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	sh = c.srcMemoryType == MU_MEMORYTYPE_HOST;
	dh = c.dstMemoryType == MU_MEMORYTYPE_HOST;
	memset(pNodeParams, 0, sizeof(*pNodeParams));
	pNodeParams->srcPtr.ptr = sh ? (void *)(uintptr_t)c.srcHost : (void *)(uintptr_t)c.srcDevice;
	pNodeParams->srcPtr.pitch = c.srcPitch;
	pNodeParams->srcPtr.xsize = c.WidthInBytes;
	pNodeParams->srcPtr.ysize = c.srcHeight;
	pNodeParams->srcPos = (struct musaPos){ c.srcXInBytes, c.srcY, c.srcZ };
	pNodeParams->dstPtr.ptr = dh ? c.dstHost : (void *)(uintptr_t)c.dstDevice;
	pNodeParams->dstPtr.pitch = c.dstPitch;
	pNodeParams->dstPtr.xsize = c.WidthInBytes;
	pNodeParams->dstPtr.ysize = c.dstHeight;
	pNodeParams->dstPos = (struct musaPos){ c.dstXInBytes, c.dstY, c.dstZ };
	pNodeParams->extent = (struct musaExtent){ c.WidthInBytes, c.Height, c.Depth };
	if (c.srcMemoryType == MU_MEMORYTYPE_UNIFIED || c.dstMemoryType == MU_MEMORYTYPE_UNIFIED)
		pNodeParams->kind = musaMemcpyDefault;
	else
		pNodeParams->kind = sh ? (dh ? musaMemcpyHostToHost : musaMemcpyHostToDevice) :
				   (dh ? musaMemcpyDeviceToHost : musaMemcpyDeviceToDevice);
	return rt_ret(musaSuccess);
}

/* Sets a copy node of a graph (x NULL) or of an exec. */
static musaError_t rt_set_memcpy(musaGraphExec_t x, musaGraphNode_t node,
				 const struct musaMemcpy3DParms *p)
{
	MUSA_MEMCPY3D cp;
	MUcontext ctx = NULL;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	CHECK(!p, musaErrorInvalidValue);
	e = rt_memcpy_node_params(p, &cp);
	if (e != musaSuccess)
		return e;
	if (!x)
		return rt_dev_result(dev, muGraphMemcpyNodeSetParams(node, &cp));
	muCtxGetCurrent(&ctx);
	return rt_dev_result(dev, muGraphExecMemcpyNodeSetParams(x, node, &cp, ctx));
}

MUSART_API musaError_t musaGraphMemcpyNodeSetParams(musaGraphNode_t node,
						    const struct musaMemcpy3DParms *pNodeParams)
{
	return rt_ret(rt_set_memcpy(NULL, node, pNodeParams));
}

MUSART_API musaError_t musaGraphMemcpyNodeSetParams1D(musaGraphNode_t node, void *dst,
						      const void *src, size_t count,
						      enum musaMemcpyKind kind)
{
	struct musaMemcpy3DParms p = rt_memcpy_1d_params(dst, src, count, kind);

	return rt_ret(rt_set_memcpy(NULL, node, &p));
}

MUSART_API musaError_t musaGraphExecMemcpyNodeSetParams(musaGraphExec_t hGraphExec,
							musaGraphNode_t node,
							const struct musaMemcpy3DParms *pNodeParams)
{
	CHECK(!hGraphExec, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_set_memcpy(hGraphExec, node, pNodeParams));
}

MUSART_API musaError_t musaGraphExecMemcpyNodeSetParams1D(musaGraphExec_t hGraphExec,
							  musaGraphNode_t node, void *dst,
							  const void *src, size_t count,
							  enum musaMemcpyKind kind)
{
	struct musaMemcpy3DParms p = rt_memcpy_1d_params(dst, src, count, kind);

	CHECK(!hGraphExec, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_set_memcpy(hGraphExec, node, &p));
}

MUSART_API musaError_t musaGraphExecMemsetNodeSetParams(musaGraphExec_t hGraphExec,
							musaGraphNode_t node,
							const struct musaMemsetParams *pNodeParams)
{
	MUSA_MEMSET_NODE_PARAMS mp;
	MUcontext ctx = NULL;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	mp = rt_memset_node_params(pNodeParams);
	muCtxGetCurrent(&ctx);
	return rt_ret(rt_dev_result(dev, muGraphExecMemsetNodeSetParams(hGraphExec, node, &mp, ctx)));
}

MUSART_API musaError_t musaGraphExecHostNodeSetParams(musaGraphExec_t hGraphExec,
						      musaGraphNode_t node,
						      const struct musaHostNodeParams *pNodeParams)
{
	MUSA_HOST_NODE_PARAMS hp;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	hp = rt_host_node_params(pNodeParams);
	return rt_ret(rt_dev_result(dev, muGraphExecHostNodeSetParams(hGraphExec, node, &hp)));
}

MUSART_API musaError_t musaGraphAddMemsetNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
					      const musaGraphNode_t *pDependencies,
					      size_t numDependencies,
					      const struct musaMemsetParams *pMemsetParams)
{
	MUSA_MEMSET_NODE_PARAMS mp;
	MUcontext ctx = NULL;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pMemsetParams, rt_ret(musaErrorInvalidValue));
	mp = rt_memset_node_params(pMemsetParams);
	muCtxGetCurrent(&ctx);
	return rt_ret(rt_dev_result(dev, muGraphAddMemsetNode(pGraphNode, graph, pDependencies,
							      numDependencies, &mp, ctx)));
}

MUSART_API musaError_t musaGraphMemsetNodeGetParams(musaGraphNode_t node,
						    struct musaMemsetParams *pNodeParams)
{
	MUSA_MEMSET_NODE_PARAMS mp;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	r = muGraphMemsetNodeGetParams(node, &mp);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	pNodeParams->dst = (void *)(uintptr_t)mp.dst;
	pNodeParams->pitch = mp.pitch;
	pNodeParams->value = mp.value;
	pNodeParams->elementSize = mp.elementSize;
	pNodeParams->width = mp.width;
	pNodeParams->height = mp.height;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaGraphMemsetNodeSetParams(musaGraphNode_t node,
						    const struct musaMemsetParams *pNodeParams)
{
	MUSA_MEMSET_NODE_PARAMS mp;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	mp = rt_memset_node_params(pNodeParams);
	return rt_ret(rt_dev_result(dev, muGraphMemsetNodeSetParams(node, &mp)));
}

MUSART_API musaError_t musaGraphAddHostNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
					    const musaGraphNode_t *pDependencies,
					    size_t numDependencies,
					    const struct musaHostNodeParams *pNodeParams)
{
	MUSA_HOST_NODE_PARAMS hp;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	hp = rt_host_node_params(pNodeParams);
	return rt_ret(rt_dev_result(dev, muGraphAddHostNode(pGraphNode, graph, pDependencies,
							    numDependencies, &hp)));
}

MUSART_API musaError_t musaGraphHostNodeGetParams(musaGraphNode_t node,
						  struct musaHostNodeParams *pNodeParams)
{
	MUSA_HOST_NODE_PARAMS hp;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	r = muGraphHostNodeGetParams(node, &hp);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	pNodeParams->fn = hp.fn;
	pNodeParams->userData = hp.userData;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaGraphHostNodeSetParams(musaGraphNode_t node,
						  const struct musaHostNodeParams *pNodeParams)
{
	MUSA_HOST_NODE_PARAMS hp;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	hp = rt_host_node_params(pNodeParams);
	return rt_ret(rt_dev_result(dev, muGraphHostNodeSetParams(node, &hp)));
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

MUSART_API musaError_t musaGraphExecKernelNodeSetParams(musaGraphExec_t hGraphExec,
							musaGraphNode_t node,
							const struct musaKernelNodeParams *pNodeParams)
{
	MUSA_KERNEL_NODE_PARAMS kp;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!pNodeParams, rt_ret(musaErrorInvalidValue));
	e = rt_kernel_node_params(pNodeParams, dev, &kp);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muGraphExecKernelNodeSetParams(hGraphExec, node, &kp)));
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
