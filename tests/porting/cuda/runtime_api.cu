// Runtime API in CUDA's names: the C++ overloads and default arguments of
// cuda_runtime.h, symbols, events, streams, host callbacks (CUDART_CB), the
// macros nvcc defines, headers nvcc makes visible without an #include, and
// kernels declared and launched the ways real programs write them.
// musify converts it; mcc builds it; it prints PASSED.
#include <cuda_runtime.h>
#include <cstdio>

#include "check_cuda.h"

#if !defined(__CUDACC__) || !defined(CUDART_VERSION)
#error "nvcc's macros are missing"
#endif

__constant__ float scale_c;
__device__ int hits;

// The legacy arch macro: code for a modern device must take the new path.
__device__ int arch_path()
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 700
	return 2;
#elif defined(__CUDA_ARCH__)
	return 1;
#else
	return 0;
#endif
}

__global__ static void scale(float *x, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n) {
		x[i] *= scale_c;
		if (arch_path() == 2)
			atomicAdd(&hits, 1);
	}
}

static __global__ void fill(int *out, int v, int n)
{
	for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
		out[i] = v;
}

static int callbacks;
static void CUDART_CB on_done(cudaStream_t, cudaError_t status, void *arg)
{
	if (status == cudaSuccess)
		*(int *)arg += 1;
}

int main()
{
	const int n = 1000;
	float h[n];
	float *d = NULL;
	int *di = NULL;
	cudaEvent_t e0, e1;
	cudaStream_t s;
	cudaDeviceProp prop;
	float ms = -1.0f, two = 2.0f;
	int got = 0, zero = 0, hi[64];

	// The message keeps CUDA's names: musify leaves strings alone.
	const char *msg = "cudaMalloc failed";
	if (msg[0] != 'c' || msg[4] != 'M')
		return fail("string literal renamed", __LINE__);

	for (int i = 0; i < n; i++)
		h[i] = (float)i;
	CHECK(cudaGetDeviceProperties(&prop, 0));
	if (prop.major < 7)
		return fail("device reports a legacy compute capability", __LINE__);
	CHECK(cudaMalloc(&d, n * sizeof(float)));          // template overload: float **
	CHECK(cudaMalloc(&di, sizeof hi));
	CHECK(cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice));
	CHECK(cudaMemcpyToSymbol(scale_c, &two, sizeof two)); // offset, kind defaulted
	CHECK(cudaMemcpyToSymbol(hits, &zero, sizeof zero));
	CHECK(cudaEventCreate(&e0));
	CHECK(cudaEventCreate(&e1, cudaEventDefault));     // the flags overload
	CHECK(cudaStreamCreate(&s));
	CHECK(cudaEventRecord(e0));                         // stream defaulted
	scale << < (n + 255) / 256, 256 >> > (d, n);        // spaced chevrons
	CHECK(cudaGetLastError());
	fill<<<
		2, 32, 0, s
	>>>(di, 7, 64);
	CHECK(cudaStreamAddCallback(s, on_done, &callbacks, 0));
	CHECK(cudaEventRecord(e1, s));
	CHECK(cudaStreamSynchronize(s));
	CHECK(cudaDeviceSynchronize());
	CHECK(cudaEventElapsedTime(&ms, e0, e1));
	CHECK(cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost));
	CHECK(cudaMemcpyFromSymbol(&got, hits, sizeof got));
	CHECK(cudaMemcpy(hi, di, sizeof hi, cudaMemcpyDeviceToHost));

	// memcpy and strlen with no <cstring>: nvcc's implicit headers have them.
	float first[2];
	memcpy(first, h + 1, sizeof first);
	if (first[0] != 2.0f || first[1] != 4.0f || h[999] != 1998.0f)
		return fail("scale", __LINE__);
	if (got != n)
		return fail("__CUDA_ARCH__ >= 700 path not taken", __LINE__);
	for (int i = 0; i < 64; i++)
		if (hi[i] != 7)
			return fail("fill", __LINE__);
	if (callbacks != 1 || ms < 0.0f || strlen(msg) != 17)
		return fail("callback or event time", __LINE__);
	CHECK(cudaEventDestroy(e0));
	CHECK(cudaEventDestroy(e1));
	CHECK(cudaStreamDestroy(s));
	CHECK(cudaFree(d));
	CHECK(cudaFree(di));
	printf("PASSED\n");
	return 0;
}
