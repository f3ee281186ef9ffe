/* Shapes the front end (clang's AST) must get right: template kernels in
 * anonymous namespaces launched from templates, deduced template
 * arguments, a local constant as a template argument, a launch in a member
 * of a class template, kernels named only by address, and the static
 * shared memory musaFuncGetAttributes reports. <omp.h> is gcc's own
 * header, with gcc's attributes (Rodinia's kmeans includes it). */
#include <omp.h>
#include "check.h"

namespace {
template <typename T> __global__ void fill(T *p, T v)
{
	p[blockIdx.x * blockDim.x + threadIdx.x] = v;
}
}

template <typename T> void run_fill(T *p, T v, int n)
{
	fill<<<n / 32, 32>>>(p, v);   /* T deduced, in a template */
}

template <int B> __global__ void block_sum(int *out)
{
	__shared__ int s[B];

	s[threadIdx.x] = (int)threadIdx.x;
	__syncthreads();
	if (threadIdx.x == 0) {
		int t = 0;

		for (int i = 0; i < B; i++)
			t += s[i];
		*out = t;
	}
}

namespace ops {
template <class T> struct scaler {
	T f;
	void apply(T *p, int n) const;
};

template <class T> __global__ void scale(T *p, T f) { p[threadIdx.x] *= f; }

template <class T> void scaler<T>::apply(T *p, int n) const { scale<<<1, n>>>(p, f); }
}

__device__ float helper_sum(const float *p)
{
	__shared__ float tile[64];   /* counted for the kernels that call this */

	tile[threadIdx.x] = p[threadIdx.x];
	__syncthreads();
	return tile[0] + tile[63];
}

__global__ void with_helper(const float *p, float *o)
{
	__shared__ double extra[8];

	extra[threadIdx.x % 8] = 1.0;
	o[threadIdx.x] = helper_sum(p) + (float)extra[0];
}

template <typename T> __global__ void by_address(T *p) { p[threadIdx.x] = (T)threadIdx.x; }

int main(void)
{
	float *f;
	double *d;
	int *i;
	musaFuncAttributes a;

	CHECK(musaMallocManaged(&f, 256 * sizeof(float)));
	CHECK(musaMallocManaged(&d, 256 * sizeof(double)));
	CHECK(musaMallocManaged(&i, sizeof(int)));

	run_fill(f, 2.5f, 256);
	run_fill(d, -1.0, 64);
	CHECK(musaDeviceSynchronize());
	EXPECT(f[0] == 2.5f && f[255] == 2.5f && d[0] == -1.0 && d[63] == -1.0);

	const int B = 128;
	block_sum<B><<<1, B>>>(i);
	CHECK(musaDeviceSynchronize());
	EXPECT(*i == B * (B - 1) / 2);

	ops::scaler<float> sc = {3.0f};
	sc.apply(f, 64);
	CHECK(musaDeviceSynchronize());
	EXPECT(f[0] == 7.5f && f[63] == 7.5f && f[64] == 2.5f);

	/* static shared memory, from the AST: the template instance's own
	 * array, and a device function's through its caller */
	CHECK(musaFuncGetAttributes(&a, block_sum<B>));
	EXPECT(a.sharedSizeBytes == B * sizeof(int));
	CHECK(musaFuncGetAttributes(&a, with_helper));
	EXPECT(a.sharedSizeBytes == 64 * sizeof(float) + 8 * sizeof(double));

	/* an instance named only by its address is registered */
	CHECK(musaFuncGetAttributes(&a, by_address<short>));
	void *args[] = {&i};
	CHECK(musaLaunchKernel((const void *)by_address<int>, dim3(1), dim3(1), args, 0, 0));
	CHECK(musaDeviceSynchronize());
	EXPECT(*i == 0);
	puts("frontend: ok");
	return 0;
}
