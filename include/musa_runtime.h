/* SPDX-License-Identifier: MIT */
/*
 * musa_runtime.h - what a .mu or host program includes: the runtime API,
 * the vector types and, in C++, the templated conveniences CUDA offers.
 */
#ifndef MUSA_RUNTIME_H
#define MUSA_RUNTIME_H
/* The guard name CUDA's headers use, renamed: ported helpers (the CUDA
 * samples' helper_cuda.h) test it to see that the runtime API is in. */
#define __MUSA_RUNTIME_H__

#include "musa_runtime_api.h"
/* C++: musaCreateChannelDesc<T>(), texture<> and musaBindTexture (legacy). */
#include "musa_channel_descriptor.h"
#include "musa_texture_ref.h"

#if defined(__cplusplus)
template <class T>
static inline musaError_t musaMalloc(T **devPtr, size_t size)
{
	return ::musaMalloc((void **)(void *)devPtr, size);
}

template <class T>
static inline musaError_t musaLaunchKernel(T *func, dim3 gridDim, dim3 blockDim,
                                           void **args, size_t sharedMem = 0,
                                           musaStream_t stream = 0)
{
	return ::musaLaunchKernel((const void *)func, gridDim, blockDim, args, sharedMem, stream);
}
/* area devices: begin */
/* area devices: end */

/* area memory: begin */
/* musaMallocHost with flags is musaHostAlloc, as in CUDA. */
static inline musaError_t musaMallocHost(void **ptr, size_t size, unsigned int flags)
{
	return ::musaHostAlloc(ptr, size, flags);
}
template <class T>
static inline musaError_t musaMallocHost(T **ptr, size_t size, unsigned int flags = 0)
{
	return ::musaHostAlloc((void **)(void *)ptr, size, flags);
}
template <class T>
static inline musaError_t musaHostAlloc(T **ptr, size_t size, unsigned int flags)
{
	return ::musaHostAlloc((void **)(void *)ptr, size, flags);
}
template <class T>
static inline musaError_t musaHostGetDevicePointer(T **pDevice, void *pHost, unsigned int flags)
{
	return ::musaHostGetDevicePointer((void **)(void *)pDevice, pHost, flags);
}
template <class T>
static inline musaError_t musaMallocManaged(T **devPtr, size_t size,
                                            unsigned int flags = musaMemAttachGlobal)
{
	return ::musaMallocManaged((void **)(void *)devPtr, size, flags);
}
template <class T>
static inline musaError_t musaMallocPitch(T **devPtr, size_t *pitch, size_t width, size_t height)
{
	return ::musaMallocPitch((void **)(void *)devPtr, pitch, width, height);
}
template <class T>
static inline musaError_t musaMallocAsync(T **devPtr, size_t size, musaStream_t stream)
{
	return ::musaMallocAsync((void **)(void *)devPtr, size, stream);
}
template <class T>
static inline musaError_t musaMallocAsync(T **devPtr, size_t size, musaMemPool_t memPool,
                                          musaStream_t stream)
{
	return ::musaMallocFromPoolAsync((void **)(void *)devPtr, size, memPool, stream);
}
template <class T>
static inline musaError_t musaMallocFromPoolAsync(T **devPtr, size_t size, musaMemPool_t memPool,
                                                  musaStream_t stream)
{
	return ::musaMallocFromPoolAsync((void **)(void *)devPtr, size, memPool, stream);
}
template <class T>
static inline musaError_t musaIpcOpenMemHandle(T **devPtr, musaIpcMemHandle_t handle,
                                               unsigned int flags)
{
	return ::musaIpcOpenMemHandle((void **)(void *)devPtr, handle, flags);
}
/* CUDA 13's form: the destination as a location; a device is the only
 * kind of location here, anything else -> musaErrorInvalidValue. */
static inline musaError_t musaMemPrefetchAsync(const void *devPtr, size_t count,
                                               struct musaMemLocation location,
                                               unsigned int flags, musaStream_t stream = 0)
{
	if (flags || location.type != musaMemLocationTypeDevice)
		return musaErrorInvalidValue;
	return ::musaMemPrefetchAsync(devPtr, count, location.id, stream);
}
/* area memory: end */

/* area streams-events: begin */
static inline musaError_t musaEventCreate(musaEvent_t *event, unsigned int flags)
{
	return ::musaEventCreateWithFlags(event, flags);
}
template <class T>
static inline musaError_t musaStreamAttachMemAsync(musaStream_t stream, T *devPtr,
                                                   size_t length = 0,
                                                   unsigned int flags = musaMemAttachSingle)
{
	return ::musaStreamAttachMemAsync(stream, (void *)devPtr, length, flags);
}
/* area streams-events: end */

/* area graphs: begin */
/* The CUDA 11 form of musaGraphInstantiate, kept by CUDA 12's C++ header:
 * no error node or log is ever reported (the log gets an empty string). */
static inline musaError_t musaGraphInstantiate(musaGraphExec_t *pGraphExec, musaGraph_t graph,
                                               musaGraphNode_t *pErrorNode, char *pLogBuffer,
                                               size_t bufferSize)
{
	if (pErrorNode)
		*pErrorNode = NULL;
	if (pLogBuffer && bufferSize)
		pLogBuffer[0] = '\0';
	return ::musaGraphInstantiate(pGraphExec, graph, 0);
}
/* area graphs: end */

/* area execution: begin */
template <class T>
static inline musaError_t musaFuncGetAttributes(struct musaFuncAttributes *attr, T *entry)
{
	return ::musaFuncGetAttributes(attr, (const void *)entry);
}

template <class T>
static inline musaError_t musaFuncSetAttribute(T *entry, enum musaFuncAttribute attr, int value)
{
	return ::musaFuncSetAttribute((const void *)entry, attr, value);
}

template <class T>
static inline musaError_t musaFuncSetCacheConfig(T *func, enum musaFuncCache cacheConfig)
{
	return ::musaFuncSetCacheConfig((const void *)func, cacheConfig);
}

template <class T>
static inline musaError_t musaFuncSetSharedMemConfig(T *func, enum musaSharedMemConfig config)
{
	return ::musaFuncSetSharedMemConfig((const void *)func, config);
}

template <class T>
static inline musaError_t musaOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, T func,
                                                                        int blockSize,
                                                                        size_t dynamicSMemSize)
{
	return ::musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
		numBlocks, (const void *)func, blockSize, dynamicSMemSize, musaOccupancyDefault);
}

template <class T>
static inline musaError_t musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
	int *numBlocks, T func, int blockSize, size_t dynamicSMemSize, unsigned int flags)
{
	return ::musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
		numBlocks, (const void *)func, blockSize, dynamicSMemSize, flags);
}

template <class T>
static inline musaError_t musaOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize,
                                                                    T func, int numBlocks,
                                                                    int blockSize)
{
	return ::musaOccupancyAvailableDynamicSMemPerBlock(dynamicSmemSize, (const void *)func,
	                                                   numBlocks, blockSize);
}

template <class T>
static inline musaError_t musaLaunchCooperativeKernel(T *func, dim3 gridDim, dim3 blockDim,
                                                      void **args, size_t sharedMem = 0,
                                                      musaStream_t stream = 0)
{
	return ::musaLaunchCooperativeKernel((const void *)func, gridDim, blockDim, args,
	                                     sharedMem, stream);
}

/* Block size -> dynamic shared memory: the same bytes for every size. */
class __musaOccupancyB2DHelper {
	size_t n;

public:
	inline __musaOccupancyB2DHelper(size_t n_) : n(n_) {}
	inline size_t operator()(int) { return n; }
};

/* The block size with the highest occupancy (resident threads per
 * multiprocessor; the larger block wins a tie) and the smallest grid that
 * reaches it on every multiprocessor. blockSizeToDynamicSMemSize maps a
 * block size to its dynamic shared memory. */
template <typename UnaryFunction, class T>
static inline musaError_t musaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(
	int *minGridSize, int *blockSize, T func, UnaryFunction blockSizeToDynamicSMemSize,
	int blockSizeLimit = 0, unsigned int flags = 0)
{
	struct musaFuncAttributes attr;
	int dev, sms, warp, max_threads, best_bs = 0, best_blocks = 0, blocks;
	long long best = 0;
	musaError_t e;

	if (!minGridSize || !blockSize || !func || blockSizeLimit < 0)
		return musaErrorInvalidValue;
	if ((e = ::musaGetDevice(&dev)) != musaSuccess ||
	    (e = ::musaDeviceGetAttribute(&sms, musaDevAttrMultiProcessorCount, dev)) != musaSuccess ||
	    (e = ::musaDeviceGetAttribute(&warp, musaDevAttrWarpSize, dev)) != musaSuccess ||
	    (e = ::musaFuncGetAttributes(&attr, (const void *)func)) != musaSuccess)
		return e;
	max_threads = attr.maxThreadsPerBlock;
	if (blockSizeLimit > 0 && blockSizeLimit < max_threads)
		max_threads = blockSizeLimit;
	if (warp <= 0)
		warp = 32;
	for (int bs = max_threads; bs > 0; bs = (bs % warp) ? bs - bs % warp : bs - warp) {
		size_t smem = blockSizeToDynamicSMemSize(bs);

		if (smem > (size_t)attr.maxDynamicSharedSizeBytes)
			continue;
		e = ::musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
			&blocks, (const void *)func, bs, smem, flags);
		if (e != musaSuccess)
			return e;
		if ((long long)blocks * bs > best) {
			best = (long long)blocks * bs;
			best_bs = bs;
			best_blocks = blocks;
		}
	}
	*blockSize = best_bs;
	*minGridSize = best_blocks * sms;
	return musaSuccess;
}

template <typename UnaryFunction, class T>
static inline musaError_t musaOccupancyMaxPotentialBlockSizeVariableSMem(
	int *minGridSize, int *blockSize, T func, UnaryFunction blockSizeToDynamicSMemSize,
	int blockSizeLimit = 0)
{
	return musaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(
		minGridSize, blockSize, func, blockSizeToDynamicSMemSize, blockSizeLimit,
		musaOccupancyDefault);
}

template <class T>
static inline musaError_t musaOccupancyMaxPotentialBlockSize(int *minGridSize, int *blockSize,
                                                             T func, size_t dynamicSMemSize = 0,
                                                             int blockSizeLimit = 0)
{
	return musaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(
		minGridSize, blockSize, func, __musaOccupancyB2DHelper(dynamicSMemSize),
		blockSizeLimit, musaOccupancyDefault);
}

template <class T>
static inline musaError_t musaOccupancyMaxPotentialBlockSizeWithFlags(
	int *minGridSize, int *blockSize, T func, size_t dynamicSMemSize = 0,
	int blockSizeLimit = 0, unsigned int flags = 0)
{
	return musaOccupancyMaxPotentialBlockSizeVariableSMemWithFlags(
		minGridSize, blockSize, func, __musaOccupancyB2DHelper(dynamicSMemSize),
		blockSizeLimit, flags);
}
/* area execution: end */

#endif

#endif /* MUSA_RUNTIME_H */
