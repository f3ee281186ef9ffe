/*
 * A kernel fission takes but whose loop form does not compile: the carried
 * variable's type has no default constructor, so it cannot live in the
 * per-thread array (its value reads memory: it cannot be computed again in
 * the next region either). mcc warns and compiles the kernel as fibers
 * instead.
 */
#include "check.h"

struct no_default {
	int v;
	__device__ no_default(int x) : v(x) {}
};

__global__ void rotate(int *out)
{
	__shared__ int s[64];
	no_default a = no_default(out[threadIdx.x] * 0 + (int)threadIdx.x * 3);

	s[threadIdx.x] = a.v;
	__syncthreads();
	out[threadIdx.x] = s[(threadIdx.x + 1) % 64] + a.v;
}

int main(void)
{
	int h[64], *d;

	CHECK(musaMalloc(&d, sizeof(h)));
	rotate<<<1, 64>>>(d);
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int t = 0; t < 64; t++)
		EXPECT(h[t] == ((t + 1) % 64) * 3 + t * 3);
	CHECK(musaFree(d));
	return 0;
}
