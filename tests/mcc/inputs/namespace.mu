#include "check.h"

namespace outer {
struct Scale { int mul; };
namespace inner {
__global__ void apply(int *v, Scale s)
{
	v[threadIdx.x] *= s.mul;
}
}
}

namespace {
__global__ void inc(int *v) { v[threadIdx.x] += 1; }
}

int main(void)
{
	int host[32], *dev;

	for (int i = 0; i < 32; i++)
		host[i] = i;
	CHECK(musaMalloc(&dev, sizeof(host)));
	CHECK(musaMemcpy(dev, host, sizeof(host), musaMemcpyHostToDevice));
	outer::Scale s = {3};
	outer::inner::apply<<<1, 32>>>(dev, s);
	inc<<<1, 32>>>(dev);
	CHECK(musaMemcpy(host, dev, sizeof(host), musaMemcpyDeviceToHost));
	for (int i = 0; i < 32; i++)
		EXPECT(host[i] == 3 * i + 1);
	CHECK(musaFree(dev));
	return 0;
}
