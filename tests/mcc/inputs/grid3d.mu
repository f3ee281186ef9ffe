#include "check.h"

__global__ void ids(int *out, dim3 size)
{
	unsigned x = blockIdx.x * blockDim.x + threadIdx.x;
	unsigned y = blockIdx.y * blockDim.y + threadIdx.y;
	unsigned z = blockIdx.z * blockDim.z + threadIdx.z;
	if (x < size.x && y < size.y && z < size.z)
		out[(z * size.y + y) * size.x + x] = (int)(x + 10 * y + 100 * z);
}

int main(void)
{
	dim3 size(7, 5, 3);
	int host[7 * 5 * 3], *dev;

	CHECK(musaMalloc(&dev, sizeof(host)));
	CHECK(musaMemset(dev, 0xff, sizeof(host)));
	ids<<<dim3(2, 3, 2), dim3(4, 2, 2)>>>(dev, size);
	CHECK(musaDeviceSynchronize());
	CHECK(musaMemcpy(host, dev, sizeof(host), musaMemcpyDeviceToHost));
	for (unsigned z = 0; z < size.z; z++)
		for (unsigned y = 0; y < size.y; y++)
			for (unsigned x = 0; x < size.x; x++)
				EXPECT(host[(z * size.y + y) * size.x + x] == (int)(x + 10 * y + 100 * z));
	CHECK(musaFree(dev));
	return 0;
}
