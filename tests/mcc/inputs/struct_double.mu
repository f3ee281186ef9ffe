#include "check.h"

struct Params {
	char tag;
	double scale;
	int offset[3];
};

__global__ void apply(double *out, Params p, double bias, char c, long long big)
{
	int i = threadIdx.x;
	out[i] = i * p.scale + p.offset[i % 3] + bias + (c == 'q' ? 1000.0 : 0.0) +
		 (big == (1ll << 40) ? 0.0 : 1e9) + (p.tag == 'z' ? 0.0 : 1e12);
}

int main(void)
{
	double host[30], *dev;
	Params p = {'z', 0.5, {1, 2, 3}};

	CHECK(musaMalloc(&dev, sizeof(host)));
	apply<<<1, 30>>>(dev, p, 0.25, 'q', 1ll << 40);
	CHECK(musaMemcpy(host, dev, sizeof(host), musaMemcpyDeviceToHost));
	for (int i = 0; i < 30; i++)
		EXPECT(host[i] == i * 0.5 + (i % 3 + 1) + 0.25 + 1000.0);
	CHECK(musaFree(dev));
	return 0;
}
