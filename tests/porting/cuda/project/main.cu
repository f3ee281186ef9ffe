// Builds a vector, sums it on the device through kernels_cuda.cu.
#include <cstdio>
#include "vec_cuda.cuh"

int main()
{
	const int n = 3000;
	static float h[n];
	float *d, got = 0.0f, want = 0.0f;

	for (int i = 0; i < n; i++) {
		h[i] = (float)(i % 10);
		want += weight(i) * h[i];
	}
	cudaMalloc(&d, sizeof h);
	cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
	cudaError_t err = vec_weighted_sum(d, n, &got);
	cudaFree(d);
	if (err != cudaSuccess || got != want) {
		printf("FAILED: %s, %g vs %g\n", cudaGetErrorString(err), got, want);
		return 1;
	}
	printf("PASSED\n");
	return 0;
}
