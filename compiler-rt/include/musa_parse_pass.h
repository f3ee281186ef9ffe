/* SPDX-License-Identifier: MIT */
/*
 * musa_parse_pass.h - force-included by mcc into its parse of a .mu file
 * (tools/mcc/front.cpp): clang reads the file in CUDA mode with the device
 * pass's declarations, and the qualifiers become clang's CUDA attributes,
 * so the AST says what is a kernel, a device function or variable and
 * where shared memory is. The parse only reads; nothing of it is
 * compiled. mcc makes the functions of system headers (these included)
 * __host__ __device__ for the parse.
 */
#ifndef MUSA_PARSE_PASS_H
#define MUSA_PARSE_PASS_H

#include "musa_device_pass.h"

#undef __global__
#undef __device__
#undef __host__
#undef __shared__
#undef __constant__
#undef __managed__
#undef __launch_bounds__
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#define __shared__ __attribute__((shared))
#define __constant__ __attribute__((constant))
/* clang's `managed` is HIP's: a device variable marked for mcc */
#define __managed__ __attribute__((device, annotate("musa_managed")))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))

/* Placement new in device code (<new> declares the host's); a device
 * function, outside the system headers' __host__ __device__ region. */
#if defined(__cplusplus)
#pragma clang force_cuda_host_device end
__device__ inline void *operator new(size_t, void *__p) noexcept { return __p; }
__device__ inline void *operator new[](size_t, void *__p) noexcept { return __p; }
#pragma clang force_cuda_host_device begin
#endif

/* What clang's CUDA mode turns k<<<g, b, s, st>>>(...) into a call of. */
#if defined(__cplusplus)
int cudaConfigureCall(dim3 grid, dim3 block, size_t shared = 0, musaStream_t stream = 0);
extern "C" unsigned __cudaPushCallConfiguration(dim3 grid, dim3 block, size_t shared = 0,
						 musaStream_t stream = 0);
#else
/* C: without a prototype, so integers, dim3 and uint3 all pass */
int cudaConfigureCall();
unsigned __cudaPushCallConfiguration();
#endif

#endif /* MUSA_PARSE_PASS_H */
