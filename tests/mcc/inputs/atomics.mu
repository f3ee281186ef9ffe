#include "check.h"

__global__ void count(int *i, unsigned *u, float *f, unsigned *mx)
{
	atomicAdd(i, 1);
	atomicAdd(u, 2u);
	atomicAdd(f, 0.5f);
	atomicMax(mx, blockIdx.x * blockDim.x + threadIdx.x);
}

int main(void)
{
	int *i, hi;
	unsigned *u, hu, *mx, hmx;
	float *f, hf;

	CHECK(musaMalloc(&i, sizeof(int)));
	CHECK(musaMalloc(&u, sizeof(unsigned)));
	CHECK(musaMalloc(&f, sizeof(float)));
	CHECK(musaMalloc(&mx, sizeof(unsigned)));
	CHECK(musaMemset(i, 0, sizeof(int)));
	CHECK(musaMemset(u, 0, sizeof(unsigned)));
	CHECK(musaMemset(f, 0, sizeof(float)));
	CHECK(musaMemset(mx, 0, sizeof(unsigned)));
	count<<<64, 256>>>(i, u, f, mx);
	CHECK(musaDeviceSynchronize());
	CHECK(musaMemcpy(&hi, i, sizeof(hi), musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(&hu, u, sizeof(hu), musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(&hf, f, sizeof(hf), musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(&hmx, mx, sizeof(hmx), musaMemcpyDeviceToHost));
	EXPECT(hi == 64 * 256);
	EXPECT(hu == 2u * 64 * 256);
	EXPECT(hf == 0.5f * 64 * 256);
	EXPECT(hmx == 64 * 256 - 1);
	return 0;
}
