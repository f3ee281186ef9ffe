/* Kernels whose stack sizes the device pass measures (test_mcc). */
__global__ void big(int *out, int n)
{
	volatile int a[100000];

	for (int i = 0; i < 100000; i++)
		a[i] = i * n;
	out[threadIdx.x] = a[(threadIdx.x + n) % 100000];
}

__global__ void small(int *out)
{
	out[threadIdx.x] = (int)threadIdx.x;
}

__global__ void carried(int *out)
{
	__shared__ int s[1024];
	int t = (int)threadIdx.x, v = t * 3 + out[t];

	s[t] = t;
	__syncthreads();
	out[t] = v + s[(t + 1) % (int)blockDim.x];
}

__global__ void vla(int *out, int n)
{
	volatile int a[n];

	for (int i = 0; i < n; i++)
		a[i] = i;
	out[threadIdx.x] = a[threadIdx.x % n];
}
