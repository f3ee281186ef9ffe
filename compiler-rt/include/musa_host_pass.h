/* SPDX-License-Identifier: MIT */
/*
 * musa_host_pass.h - force-included by mcc into the host pass of a .mu (or
 * musa-c) file. Kernel bodies never reach the host compiler (mcc replaces
 * them with launch stubs), but __host__ __device__ functions do, so what
 * they may use compiles here too: qualifiers expand to nothing, and the
 * index variables, barriers and warp operations act as a single thread,
 * which is what host execution of such a function is.
 */
#ifndef MUSA_HOST_PASS_H
#define MUSA_HOST_PASS_H

#define __MUSACC__ 1

#include <stddef.h>
#include <stdint.h>

#include "musa_device_functions.h"
#include "musa_texture_functions.h"

#define __global__
#define __device__
#define __host__
#define __shared__

static const uint3 threadIdx __attribute__((unused)) = {0, 0, 0};
static const uint3 blockIdx __attribute__((unused)) = {0, 0, 0};
#if defined(__cplusplus)
static const dim3 blockDim __attribute__((unused)) = dim3(1, 1, 1);
static const dim3 gridDim __attribute__((unused)) = dim3(1, 1, 1);
#else
static const dim3 blockDim __attribute__((unused)) = {1, 1, 1};
static const dim3 gridDim __attribute__((unused)) = {1, 1, 1};
#endif

__MUSA_FN void __syncthreads(void) {}
__MUSA_FN int __syncthreads_count(int pred) { return pred != 0; }
__MUSA_FN int __syncthreads_and(int pred) { return pred != 0; }
__MUSA_FN int __syncthreads_or(int pred) { return pred != 0; }
__MUSA_FN unsigned __activemask(void) { return 1u; }
__MUSA_FN unsigned __ballot_sync(unsigned mask, int pred) { return pred ? (mask & 1u) : 0u; }
__MUSA_FN int __any_sync(unsigned mask, int pred) { (void)mask; return pred != 0; }
__MUSA_FN int __all_sync(unsigned mask, int pred) { (void)mask; return pred != 0; }

/* Lane 0 alone: it matches itself, and a reduction is its own value. */
__MUSA_FN unsigned __musa_match_any_bits(unsigned mask, uint64_t bits)
{
	(void)bits;
	return mask & 1u;
}
__MUSA_FN unsigned __musa_match_all_bits(unsigned mask, uint64_t bits)
{
	(void)bits;
	return mask & 1u;
}
__MUSA_FN unsigned __musa_reduce_bits(unsigned op, unsigned mask, unsigned v)
{
	(void)op;
	(void)mask;
	return v;
}
__MUSA_FN void __nanosleep(unsigned int ns)
{
	struct timespec ts = { 0, ns < 1000000u ? (long)ns : 1000000l };

	nanosleep(&ts, NULL);
}
#include "musa_warp_functions.h"

#if defined(__cplusplus)
__MUSA_FN void __syncwarp(unsigned mask = 0xffffffffu) { (void)mask; }
template <class T> static inline T __shfl_sync(unsigned, T v, int, int = 32) { return v; }
template <class T> static inline T __shfl_up_sync(unsigned, T v, unsigned, int = 32) { return v; }
template <class T> static inline T __shfl_down_sync(unsigned, T v, unsigned, int = 32) { return v; }
template <class T> static inline T __shfl_xor_sync(unsigned, T v, int, int = 32) { return v; }

/* Launch configuration arguments may be dim3, uint3 or integers. */
#else
__MUSA_FN dim3 __musa_dim3_of_dim3(dim3 d) { return d; }
__MUSA_FN dim3 __musa_dim3_of_uint3(uint3 u) { dim3 d = {u.x, u.y, u.z}; return d; }
__MUSA_FN dim3 __musa_dim3_of_uint(unsigned long long x)
{
	dim3 d = {(unsigned int)x, 1, 1};
	return d;
}
#define __musa_dim3(x) _Generic((x), dim3: __musa_dim3_of_dim3,                 \
	uint3: __musa_dim3_of_uint3, default: __musa_dim3_of_uint)(x)
#define __syncwarp(...) ((void)0)
#define __shfl_sync(m, v, ...) (v)
#define __shfl_up_sync(m, v, ...) (v)
#define __shfl_down_sync(m, v, ...) (v)
#define __shfl_xor_sync(m, v, ...) (v)
#endif

#endif /* MUSA_HOST_PASS_H */
