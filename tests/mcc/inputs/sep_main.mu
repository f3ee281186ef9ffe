#include "check.h"

__global__ void fill_value(int *p, int v);

int main(void)
{
	int host[256], *dev;

	CHECK(musaMalloc(&dev, sizeof(host)));
	fill_value<<<4, 64>>>(dev, 7);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(host, dev, sizeof(host), musaMemcpyDeviceToHost));
	for (int i = 0; i < 256; i++)
		EXPECT(host[i] == 7);
	CHECK(musaFree(dev));
	return 0;
}
