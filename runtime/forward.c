/* SPDX-License-Identifier: MIT */
/*
 * forward.c - the runtime entry points that only forward to one driver
 * call, generated from the lists below: each is the prologue of its list
 * (initialize, enter the device whose context the call runs in, resolve
 * the stream), the mu* call, and the one translation of its result
 * (rt_dev_result: a fault makes the device's errors sticky; rt_err for the
 * calls on no device), recorded as the thread's last error by rt_ret.
 * An entry is X(name, (parameters as musa_runtime_api.h declares them),
 * driver call).
 * Calls device.c, init.c, error.c, stream.c, event.c, graph.c (the
 * prologues) and the driver.
 */
#include <stdint.h>

#include "rt.h"

/* On the calling thread's current device. */
#define RT_FORWARD_ON_CURRENT_DEVICE(X) \
	X(musaDeviceSynchronize, (void), muCtxSynchronize()) \
	X(musaGraphCreate, (musaGraph_t *pGraph, unsigned int flags), \
	  muGraphCreate(pGraph, flags)) \
	X(musaGraphDestroy, (musaGraph_t graph), muGraphDestroy(graph)) \
	X(musaGraphAddEmptyNode, (musaGraphNode_t *pGraphNode, musaGraph_t graph, \
	  const musaGraphNode_t *pDependencies, size_t numDependencies), \
	  muGraphAddEmptyNode(pGraphNode, graph, pDependencies, numDependencies)) \
	X(musaGraphAddChildGraphNode, (musaGraphNode_t *pGraphNode, musaGraph_t graph, \
	  const musaGraphNode_t *pDependencies, size_t numDependencies, musaGraph_t childGraph), \
	  muGraphAddChildGraphNode(pGraphNode, graph, pDependencies, numDependencies, childGraph)) \
	X(musaGraphChildGraphNodeGetGraph, (musaGraphNode_t node, musaGraph_t *pGraph), \
	  muGraphChildGraphNodeGetGraph(node, pGraph)) \
	X(musaGraphEventRecordNodeGetEvent, (musaGraphNode_t node, musaEvent_t *event_out), \
	  muGraphEventRecordNodeGetEvent(node, (MUevent *)event_out)) \
	X(musaGraphEventWaitNodeGetEvent, (musaGraphNode_t node, musaEvent_t *event_out), \
	  muGraphEventWaitNodeGetEvent(node, (MUevent *)event_out)) \
	X(musaGraphAddDependencies, (musaGraph_t graph, const musaGraphNode_t *from, \
	  const musaGraphNode_t *to, size_t numDependencies), \
	  muGraphAddDependencies(graph, from, to, numDependencies)) \
	X(musaGraphRemoveDependencies, (musaGraph_t graph, const musaGraphNode_t *from, \
	  const musaGraphNode_t *to, size_t numDependencies), \
	  muGraphRemoveDependencies(graph, from, to, numDependencies)) \
	X(musaGraphGetNodes, (musaGraph_t graph, musaGraphNode_t *nodes, size_t *numNodes), \
	  muGraphGetNodes(graph, nodes, numNodes)) \
	X(musaGraphGetRootNodes, (musaGraph_t graph, musaGraphNode_t *pRootNodes, \
	  size_t *pNumRootNodes), \
	  muGraphGetRootNodes(graph, pRootNodes, pNumRootNodes)) \
	X(musaGraphGetEdges, (musaGraph_t graph, musaGraphNode_t *from, musaGraphNode_t *to, \
	  size_t *numEdges), \
	  muGraphGetEdges(graph, from, to, numEdges)) \
	X(musaGraphNodeGetDependencies, (musaGraphNode_t node, musaGraphNode_t *pDependencies, \
	  size_t *pNumDependencies), \
	  muGraphNodeGetDependencies(node, pDependencies, pNumDependencies)) \
	X(musaGraphNodeGetDependentNodes, (musaGraphNode_t node, \
	  musaGraphNode_t *pDependentNodes, size_t *pNumDependentNodes), \
	  muGraphNodeGetDependentNodes(node, pDependentNodes, pNumDependentNodes)) \
	X(musaGraphDestroyNode, (musaGraphNode_t node), muGraphDestroyNode(node)) \
	X(musaGraphClone, (musaGraph_t *pGraphClone, musaGraph_t originalGraph), \
	  muGraphClone(pGraphClone, originalGraph)) \
	X(musaGraphNodeFindInClone, (musaGraphNode_t *pNode, musaGraphNode_t originalNode, \
	  musaGraph_t clonedGraph), \
	  muGraphNodeFindInClone(pNode, originalNode, clonedGraph)) \
	X(musaGraphInstantiateWithFlags, (musaGraphExec_t *pGraphExec, musaGraph_t graph, \
	  unsigned long long flags), \
	  muGraphInstantiateWithFlags(pGraphExec, graph, flags)) \
	X(musaGraphExecDestroy, (musaGraphExec_t graphExec), muGraphExecDestroy(graphExec)) \
	X(musaHostRegister, (void *ptr, size_t size, unsigned int flags), \
	  muMemHostRegister(ptr, size, flags)) \
	X(musaHostGetFlags, (unsigned int *pFlags, void *pHost), muMemHostGetFlags(pFlags, pHost)) \
	X(musaMemAdvise, (const void *devPtr, size_t count, enum musaMemoryAdvise advice, \
	  int device), \
	  muMemAdvise((MUdeviceptr)(uintptr_t)devPtr, count, (MUmem_advise)advice, (MUdevice)device))

/* On the device of `stream`, with s its driver stream. */
#define RT_FORWARD_ON_STREAM(X) \
	X(musaStreamSynchronize, (musaStream_t stream), muStreamSynchronize(s)) \
	X(musaStreamQuery, (musaStream_t stream), muStreamQuery(s))

/* Graph launches and capture: the stream as rt_graph_stream_enter takes it. */
#define RT_FORWARD_ON_GRAPH_STREAM(X) \
	X(musaGraphLaunch, (musaGraphExec_t graphExec, musaStream_t stream), \
	  muGraphLaunch(graphExec, s)) \
	X(musaGraphUpload, (musaGraphExec_t graphExec, musaStream_t stream), \
	  muGraphUpload(graphExec, s)) \
	X(musaStreamBeginCapture, (musaStream_t stream, enum musaStreamCaptureMode mode), \
	  muStreamBeginCapture(s, (MUstreamCaptureMode)mode)) \
	X(musaStreamEndCapture, (musaStream_t stream, musaGraph_t *pGraph), \
	  muStreamEndCapture(s, pGraph))

/* On the device of `event`. */
#define RT_FORWARD_ON_EVENT(X) \
	X(musaEventQuery, (musaEvent_t event), muEventQuery((MUevent)event)) \
	X(musaEventSynchronize, (musaEvent_t event), muEventSynchronize((MUevent)event))

/* Memory pools: the runtime initialized, no device entered. */
#define RT_FORWARD_INITIALIZED(X) \
	X(musaMemPoolDestroy, (musaMemPool_t memPool), muMemPoolDestroy(memPool)) \
	X(musaMemPoolSetAttribute, (musaMemPool_t memPool, enum musaMemPoolAttr attr, \
	  void *value), \
	  muMemPoolSetAttribute(memPool, (MUmemPool_attribute)attr, value)) \
	X(musaMemPoolGetAttribute, (musaMemPool_t memPool, enum musaMemPoolAttr attr, \
	  void *value), \
	  muMemPoolGetAttribute(memPool, (MUmemPool_attribute)attr, value)) \
	X(musaMemPoolTrimTo, (musaMemPool_t memPool, size_t minBytesToKeep), \
	  muMemPoolTrimTo(memPool, minBytesToKeep))

#define RT_DEFINE_ON_CURRENT_DEVICE(name, params, call)   \
	MUSART_API musaError_t name params                \
	{                                                 \
		int dev;                                  \
		musaError_t e = rt_cur_enter(&dev);       \
							  \
		if (e != musaSuccess)                     \
			return rt_ret(e);                 \
		return rt_ret(rt_dev_result(dev, call));  \
	}

#define RT_DEFINE_ON_STREAM(name, params, call)                    \
	MUSART_API musaError_t name params                         \
	{                                                          \
		MUstream s;                                        \
		int dev;                                           \
		musaError_t e = rt_stream_enter(stream, &dev, &s); \
								   \
		if (e != musaSuccess)                              \
			return rt_ret(e);                          \
		return rt_ret(rt_dev_result(dev, call));           \
	}

#define RT_DEFINE_ON_GRAPH_STREAM(name, params, call)                    \
	MUSART_API musaError_t name params                               \
	{                                                                \
		MUstream s;                                              \
		int dev;                                                 \
		musaError_t e = rt_graph_stream_enter(stream, &dev, &s); \
									 \
		if (e != musaSuccess)                                    \
			return rt_ret(e);                                \
		return rt_ret(rt_dev_result(dev, call));                 \
	}

#define RT_DEFINE_ON_EVENT(name, params, call)               \
	MUSART_API musaError_t name params                   \
	{                                                    \
		int dev;                                     \
		musaError_t e = rt_event_enter(event, &dev); \
							     \
		if (e != musaSuccess)                        \
			return rt_ret(e);                    \
		return rt_ret(rt_dev_result(dev, call));     \
	}

#define RT_DEFINE_INITIALIZED(name, params, call) \
	MUSART_API musaError_t name params        \
	{                                         \
		musaError_t e = rt_init();        \
						  \
		if (e != musaSuccess)             \
			return rt_ret(e);         \
		return rt_ret(rt_err(call));      \
	}

RT_FORWARD_ON_CURRENT_DEVICE(RT_DEFINE_ON_CURRENT_DEVICE)
RT_FORWARD_ON_STREAM(RT_DEFINE_ON_STREAM)
RT_FORWARD_ON_GRAPH_STREAM(RT_DEFINE_ON_GRAPH_STREAM)
RT_FORWARD_ON_EVENT(RT_DEFINE_ON_EVENT)
RT_FORWARD_INITIALIZED(RT_DEFINE_INITIALIZED)
