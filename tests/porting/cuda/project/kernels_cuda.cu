// The kernel and its host wrapper, in their own translation unit.
#include "vec_cuda.cuh"

__global__ void weighted(const float *x, float *acc, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		atomicAdd(acc, weight(i) * x[i]);
}

cudaError_t vec_weighted_sum(const float *d_x, int n, float *result)
{
	float *d_acc;
	cudaError_t err = cudaMalloc(&d_acc, sizeof(float));
	if (err != cudaSuccess)
		return err;
	cudaMemset(d_acc, 0, sizeof(float));
	weighted<<<(n + 127) / 128, 128>>>(d_x, d_acc, n);
	err = cudaMemcpy(result, d_acc, sizeof(float), cudaMemcpyDeviceToHost);
	cudaFree(d_acc);
	return err;
}
