#include "check.h"

__global__ void fill(unsigned *out, int w, int h)
{
	unsigned x = blockIdx.x * blockDim.x + threadIdx.x;
	unsigned y = blockIdx.y * blockDim.y + threadIdx.y;
	if (x < (unsigned)w && y < (unsigned)h)
		out[y * w + x] = (y << 16) | x | (gridDim.x == 4 && blockDim.y == 8 ? 0u : 0x80000000u);
}

int main(void)
{
	const int w = 60, h = 30;
	unsigned host[w * h], *dev;

	CHECK(musaMalloc(&dev, sizeof(host)));
	dim3 block(16, 8);
	dim3 grid((w + block.x - 1) / block.x, (h + block.y - 1) / block.y);
	fill<<<grid, block>>>(dev, w, h);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(host, dev, sizeof(host), musaMemcpyDeviceToHost));
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			EXPECT(host[y * w + x] == (((unsigned)y << 16) | (unsigned)x));
	CHECK(musaFree(dev));
	return 0;
}
