/* MUSA C: kernels and launches in a plain C source (C, not C++: malloc's
 * void * converts without a cast). */
#include "check.h"

__global__ void saxpy(int n, float a, const float *x, float *y)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		y[i] = a * x[i] + y[i];
}

__global__ void total(const float *y, float *sum)
{
	atomicAdd(sum, y[threadIdx.x]);
}

int main(void)
{
	enum { N = 256 };
	float hx[N], hy[N], s, *x, *y, *sum;
	int i, *scratch = malloc(sizeof(int));

	for (i = 0; i < N; i++) { hx[i] = 1.0f; hy[i] = (float)i; }
	CHECK(musaMalloc((void **)&x, sizeof(hx)));
	CHECK(musaMalloc((void **)&y, sizeof(hy)));
	CHECK(musaMalloc((void **)&sum, sizeof(float)));
	CHECK(musaMemcpy(x, hx, sizeof(hx), musaMemcpyHostToDevice));
	CHECK(musaMemcpy(y, hy, sizeof(hy), musaMemcpyHostToDevice));
	CHECK(musaMemset(sum, 0, sizeof(float)));
	dim3 g = {N / 64, 1, 1};
	saxpy<<<g, 64>>>(N, 2.0f, x, y);
	total<<<1, N>>>(y, sum);
	CHECK(musaMemcpy(hy, y, sizeof(hy), musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(&s, sum, sizeof(s), musaMemcpyDeviceToHost));
	for (i = 0; i < N; i++)
		EXPECT(hy[i] == 2.0f + i);
	EXPECT(s == 2.0f * N + N * (N - 1) / 2);
	free(scratch);
	return 0;
}
