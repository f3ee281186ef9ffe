// A legacy texture reference (texture<>, cudaBindTexture, tex1Dfetch), as
// Rodinia's programs use them. CUDA 12 removed these from its headers, so
// this file takes no part in the round trip through nvcc. Prints PASSED.
#include <cuda_runtime.h>
#include <cstdio>

texture<float, 1, cudaReadModeElementType> lin_ref;
static texture<float4, 1> vec_ref;

__global__ void fetch(float *out, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n) {
		float4 v = tex1Dfetch(vec_ref, i / 4);
		out[i] = tex1Dfetch(lin_ref, i) * 2.0f + v.x;
	}
}

int main()
{
	const int n = 256;
	float h[n], res[n], *d_lin, *d_out;
	float4 hv[n / 4], *d_vec;

	for (int i = 0; i < n; i++)
		h[i] = (float)i;
	for (int i = 0; i < n / 4; i++)
		hv[i] = make_float4(1000.0f * i, 0, 0, 0);
	cudaMalloc(&d_lin, sizeof h);
	cudaMalloc(&d_vec, sizeof hv);
	cudaMalloc(&d_out, sizeof res);
	cudaMemcpy(d_lin, h, sizeof h, cudaMemcpyHostToDevice);
	cudaMemcpy(d_vec, hv, sizeof hv, cudaMemcpyHostToDevice);
	cudaChannelFormatDesc ch = cudaCreateChannelDesc(32, 0, 0, 0, cudaChannelFormatKindFloat);
	if (cudaBindTexture(NULL, &lin_ref, d_lin, &ch, sizeof h) != cudaSuccess ||
	    cudaBindTexture(NULL, vec_ref, d_vec, sizeof hv) != cudaSuccess)
		return printf("FAILED: cudaBindTexture\n"), 1;
	fetch<<<n / 64, 64>>>(d_out, n);
	cudaMemcpy(res, d_out, sizeof res, cudaMemcpyDeviceToHost);
	for (int i = 0; i < n; i++)
		if (res[i] != 2.0f * i + 1000.0f * (i / 4))
			return printf("FAILED: fetch(%d) = %g\n", i, res[i]), 1;
	cudaUnbindTexture(&lin_ref);
	cudaUnbindTexture(vec_ref);
	cudaFree(d_lin);
	cudaFree(d_vec);
	cudaFree(d_out);
	if (cudaGetLastError() != cudaSuccess)
		return printf("FAILED: %s\n", cudaGetErrorString(cudaGetLastError())), 1;
	printf("PASSED\n");
	return 0;
}
