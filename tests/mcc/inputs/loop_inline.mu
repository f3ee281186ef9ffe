/* Loop mode: barrier-free kernels run as loops with the body inlined; a
 * device function that reads threadIdx still sees the running thread. */
#include "check.h"

__device__ unsigned flat_tid(void)
{
	return (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
}

__device__ float sq(float v) { return v * v; }

/* indices read through a device function: thread-local copies kept */
__global__ void via_function(unsigned *out)
{
	unsigned b = (blockIdx.z * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;
	out[b * blockDim.x * blockDim.y * blockDim.z + flat_tid()] = b * 10000 + flat_tid();
}

/* only index-free calls: no thread-local writes at all */
__global__ void pure(float *y, const float *x, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		y[i] = sq(x[i]) + fabsf(x[i]);
}

__global__ void no_params(void) {}

int main(void)
{
	enum { N = 4099 };
	static float hx[N], hy[N];
	static unsigned hu[2 * 3 * 2 * 4 * 5 * 3];
	float *x, *y;
	unsigned *u;

	for (int i = 0; i < N; i++)
		hx[i] = (float)(i - 2000) * 0.25f;
	CHECK(musaMalloc(&x, sizeof(hx)));
	CHECK(musaMalloc(&y, sizeof(hy)));
	CHECK(musaMemcpy(x, hx, sizeof(hx), musaMemcpyHostToDevice));
	pure<<<(N + 255) / 256, 256>>>(y, x, N);
	CHECK(musaMemcpy(hy, y, sizeof(hy), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++)
		EXPECT(hy[i] == hx[i] * hx[i] + fabsf(hx[i]));

	CHECK(musaMalloc(&u, sizeof(hu)));
	via_function<<<dim3(2, 3, 2), dim3(4, 5, 3)>>>(u);
	no_params<<<1, 1>>>();
	CHECK(musaMemcpy(hu, u, sizeof(hu), musaMemcpyDeviceToHost));
	for (unsigned b = 0; b < 12; b++)
		for (unsigned t = 0; t < 60; t++)
			EXPECT(hu[b * 60 + t] == b * 10000 + t);
	CHECK(musaFree(x));
	CHECK(musaFree(y));
	CHECK(musaFree(u));
	return 0;
}
