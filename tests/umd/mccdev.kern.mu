/* SPDX-License-Identifier: MIT */
/*
 * mccdev.kern.mu - device code built by `mcc --device-only` for the UMD
 * launch tests: a plain kernel and one with __syncthreads and dynamic
 * shared memory (the fiber path), loaded with muModuleLoad.
 */
__global__ void saxpy(int n, float a, const float *x, float *y)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		y[i] = a * x[i] + y[i];
}

/* out[b] = sum of block b's blockDim.x inputs, by a tree in shared memory. */
__global__ void block_sum(const int *in, int *out)
{
	extern __shared__ int buf[];
	unsigned int t = threadIdx.x;

	buf[t] = in[blockIdx.x * blockDim.x + t];
	__syncthreads();
	for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
		if (t < s)
			buf[t] += buf[t + s];
		__syncthreads();
	}
	if (t == 0)
		out[blockIdx.x] = buf[0];
}
