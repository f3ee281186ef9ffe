// Tokens musify must get right: cudaMalloc in a comment stays.
/* Block comment: cudaFree(p); CUDA_SUCCESS; <cuda_runtime.h> */
#include <musa_runtime.h>
#include <musa.h>
#include "musa_profiler_api.h"
#include <musa_runtime_api.h>
#include <cooperative_groups.h>
#include <cstdio>
#if __has_include(<musa_fp16.h>)
#include <musa_fp16.h>
#endif

#define LONG_MACRO(x) \
	musaMemset((x), 0, 4) /* cudaMemset inside */

static const char *s1 = "cudaMalloc failed: CUDA error";
static const char *s2 = u8"cudaFree";
static const wchar_t *s3 = L"cudaSuccess";
static const char *s4 = R"raw(cudaMemcpy "quoted" cudaMemcpy)raw";
static const char c1 = 'c', c2 = '\'';
static const float eps = 1e-5f, big = 0x1p-3, sep = 1'000'000;

__global__ void kernel(float *mycudaMalloc, int cudaMallocWrapper_count)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	__shared__ float tile[32];
	tile[threadIdx.x] = mycudaMalloc[i];
	__syncthreads();
	atomicAdd(&mycudaMalloc[0], __shfl_sync(0xffffffffu, tile[0], 0));
}

int main()
{
	float *d = nullptr;
	musaError_t err = musaMalloc(&d, 64 * sizeof(float));
	dim3 grid(1), block(32);
	kernel<<<grid, block>>>(d, 0);
	musaDeviceSynchronize();
	LONG_MACRO(d);
#ifdef __MUSACC__
	printf("%s %s\n", s1, musaGetErrorString(err));
#endif
	return err == musaSuccess ? 0 : MUSART_VERSION;
}
