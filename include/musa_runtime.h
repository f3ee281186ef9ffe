/* SPDX-License-Identifier: MIT */
/*
 * musa_runtime.h - what a .mu or host program includes: the runtime API,
 * the vector types and, in C++, the templated conveniences CUDA offers.
 */
#ifndef MUSA_RUNTIME_H
#define MUSA_RUNTIME_H

#include "musa_runtime_api.h"

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
#endif

#endif /* MUSA_RUNTIME_H */
