#include "check.h"

__device__ int square(int x) { return x * x; }

/* The barrier hides in a device function: the kernel must still get fibers. */
__device__ void stage(int *buf, int t)
{
	buf[t] = square(t);
	__syncthreads();
}

__host__ __device__ int twice(int x) { return 2 * x; }

__global__ void k(int *out)
{
	__shared__ int buf[64];
	int t = threadIdx.x;

	stage(buf, t);
	out[t] = twice(buf[63 - t]);
}

int main(void)
{
	int host[64], *dev;

	EXPECT(twice(21) == 42);
	CHECK(musaMalloc(&dev, sizeof(host)));
	k<<<1, 64>>>(dev);
	CHECK(musaMemcpy(host, dev, sizeof(host), musaMemcpyDeviceToHost));
	for (int t = 0; t < 64; t++)
		EXPECT(host[t] == 2 * (63 - t) * (63 - t));
	CHECK(musaFree(dev));
	return 0;
}
