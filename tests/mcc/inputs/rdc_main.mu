/* -rdc: calls into rdc_lib.mu's device code; one code object after the
 * device link, so the variable is one object for both files' kernels. */
#include "check.h"

extern __device__ int rdc_scale;
__device__ int rdc_apply(int x);
__global__ void rdc_fill(int *v, int n);

__global__ void twice_applied(int *v, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		v[i] = rdc_apply(rdc_apply(i)) + rdc_scale * 1000;
}

int main(void)
{
	enum { N = 300 };
	int h[N], *d, five = 5;

	CHECK(musaMalloc(&d, sizeof(h)));
	rdc_fill<<<(N + 127) / 128, 128>>>(d, N);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++)
		EXPECT(h[i] == 3 * i + 1);
	/* the variable is registered once, by the file that defines it */
	CHECK(musaMemcpyToSymbol(rdc_scale, &five, sizeof(five)));
	twice_applied<<<(N + 63) / 64, 64>>>(d, N);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++)
		EXPECT(h[i] == 5 * (5 * i + 1) + 1 + 5000);
	CHECK(musaFree(d));
	return 0;
}
