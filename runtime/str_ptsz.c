/* SPDX-License-Identifier: MIT */
/*
 * str_ptsz.c - entry points of the per-thread default stream mode. A
 * program built with MUSA_API_PER_THREAD_DEFAULT_STREAM calls these instead
 * of the plain names (macros of musa_runtime_api.h): stream 0 becomes
 * musaStreamPerThread (_ptsz), and the synchronous copies and memsets run
 * on the per-thread stream and wait for it (_ptds). Each forwards to the
 * plain entry point, which records the thread's last error.
 * Calls only the plain entry points.
 */
#include "rt.h"

musaStream_t rt_per_thread_stream(musaStream_t s)
{
	return s ? s : musaStreamPerThread;
}

/* Waits for the per-thread stream after a queued synchronous operation. */
static musaError_t rt_pt_finish(musaError_t e)
{
	if (e != musaSuccess)
		return e;
	return musaStreamSynchronize(musaStreamPerThread);
}

MUSART_API musaError_t musaMemcpy_ptds(void *dst, const void *src, size_t count,
				       enum musaMemcpyKind kind)
{
	return rt_pt_finish(musaMemcpyAsync(dst, src, count, kind, musaStreamPerThread));
}

MUSART_API musaError_t musaMemcpyAsync_ptsz(void *dst, const void *src, size_t count,
					    enum musaMemcpyKind kind, musaStream_t stream)
{
	return musaMemcpyAsync(dst, src, count, kind, rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaMemset_ptds(void *devPtr, int value, size_t count)
{
	return rt_pt_finish(musaMemsetAsync(devPtr, value, count, musaStreamPerThread));
}

MUSART_API musaError_t musaMemsetAsync_ptsz(void *devPtr, int value, size_t count,
					    musaStream_t stream)
{
	return musaMemsetAsync(devPtr, value, count, rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaMemcpyToSymbol_ptds(const void *symbol, const void *src, size_t count,
					       size_t offset, enum musaMemcpyKind kind)
{
	return rt_pt_finish(musaMemcpyToSymbolAsync(symbol, src, count, offset, kind,
						    musaStreamPerThread));
}

MUSART_API musaError_t musaMemcpyFromSymbol_ptds(void *dst, const void *symbol, size_t count,
						 size_t offset, enum musaMemcpyKind kind)
{
	return rt_pt_finish(musaMemcpyFromSymbolAsync(dst, symbol, count, offset, kind,
						      musaStreamPerThread));
}

MUSART_API musaError_t musaMemcpyToSymbolAsync_ptsz(const void *symbol, const void *src,
						    size_t count, size_t offset,
						    enum musaMemcpyKind kind, musaStream_t stream)
{
	return musaMemcpyToSymbolAsync(symbol, src, count, offset, kind,
				       rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaMemcpyFromSymbolAsync_ptsz(void *dst, const void *symbol,
						      size_t count, size_t offset,
						      enum musaMemcpyKind kind, musaStream_t stream)
{
	return musaMemcpyFromSymbolAsync(dst, symbol, count, offset, kind,
					 rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaLaunchKernel_ptsz(const void *func, dim3 gridDim, dim3 blockDim,
					     void **args, size_t sharedMem, musaStream_t stream)
{
	return musaLaunchKernel(func, gridDim, blockDim, args, sharedMem,
				rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaStreamSynchronize_ptsz(musaStream_t stream)
{
	return musaStreamSynchronize(rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaStreamQuery_ptsz(musaStream_t stream)
{
	return musaStreamQuery(rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaStreamWaitEvent_ptsz(musaStream_t stream, musaEvent_t event,
						unsigned int flags)
{
	return musaStreamWaitEvent(rt_per_thread_stream(stream), event, flags);
}

MUSART_API musaError_t musaStreamGetPriority_ptsz(musaStream_t hStream, int *priority)
{
	return musaStreamGetPriority(rt_per_thread_stream(hStream), priority);
}

MUSART_API musaError_t musaStreamGetFlags_ptsz(musaStream_t hStream, unsigned int *flags)
{
	return musaStreamGetFlags(rt_per_thread_stream(hStream), flags);
}

MUSART_API musaError_t musaStreamGetId_ptsz(musaStream_t hStream, unsigned long long *streamId)
{
	return musaStreamGetId(rt_per_thread_stream(hStream), streamId);
}

MUSART_API musaError_t musaStreamGetDevice_ptsz(musaStream_t hStream, int *device)
{
	return musaStreamGetDevice(rt_per_thread_stream(hStream), device);
}

MUSART_API musaError_t musaStreamAddCallback_ptsz(musaStream_t stream,
						  musaStreamCallback_t callback,
						  void *userData, unsigned int flags)
{
	return musaStreamAddCallback(rt_per_thread_stream(stream), callback, userData, flags);
}

MUSART_API musaError_t musaStreamAttachMemAsync_ptsz(musaStream_t stream, void *devPtr,
						     size_t length, unsigned int flags)
{
	return musaStreamAttachMemAsync(rt_per_thread_stream(stream), devPtr, length, flags);
}

MUSART_API musaError_t musaLaunchHostFunc_ptsz(musaStream_t stream, musaHostFn_t fn,
					       void *userData)
{
	return musaLaunchHostFunc(rt_per_thread_stream(stream), fn, userData);
}

MUSART_API musaError_t musaEventRecord_ptsz(musaEvent_t event, musaStream_t stream)
{
	return musaEventRecord(event, rt_per_thread_stream(stream));
}

MUSART_API musaError_t musaEventRecordWithFlags_ptsz(musaEvent_t event, musaStream_t stream,
						     unsigned int flags)
{
	return musaEventRecordWithFlags(event, rt_per_thread_stream(stream), flags);
}
