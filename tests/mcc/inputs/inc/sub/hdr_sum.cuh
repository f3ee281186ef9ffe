#ifndef HDR_SUM_CUH
#define HDR_SUM_CUH
#include "hdr_util.h"

/* Device variables defined in a header: the program reaches them by
 * symbol. */
__constant__ int hdr_bias;
__device__ int hdr_total;

/* A barrier function in a header: a kernel's call of it is inlined, so
 * the kernel runs as loops. */
__device__ int hdr_block_sum(int *s, int v)
{
	s[threadIdx.x] = v;
	__syncthreads();
	for (int w = blockDim.x / 2; w > 0; w /= HDR_STEP) {
		if ((int)threadIdx.x < w)
			s[threadIdx.x] += s[threadIdx.x + w];
		__syncthreads();
	}
	return s[0];
}

__global__ void hdr_sum(const int *p, int *out)
{
	__shared__ int s[64];
	int t = hdr_block_sum(s, p[threadIdx.x] + hdr_bias);

	if (threadIdx.x == 0) {
		*out = t;
		atomicAdd(&hdr_total, t);
	}
}
#endif
