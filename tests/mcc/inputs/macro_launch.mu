/* Launches written inside macro bodies, kernels and configurations that
 * are macros: mcc rewrites the launch in the #define itself, whatever
 * kernel the macro is used with (a macro parameter, a template instance,
 * one that depends on the template the macro is used in). */
#include "check.h"

#define N 1000

__global__ void scale(float *x, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		x[i] *= 2.0f;
}

template <int F>
__global__ void tscale(float *x, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		x[i] *= (float)F;
}

namespace ops {
template <class T>
__global__ void add(T *x, T v, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		x[i] += v;
}
}

/* a barrier kernel with dynamic shared memory: reverses each block */
__global__ void reverse(int *p)
{
	extern __shared__ int s[];
	unsigned t = threadIdx.x;

	s[t] = p[blockIdx.x * blockDim.x + t];
	__syncthreads();
	p[blockIdx.x * blockDim.x + t] = s[blockDim.x - 1 - t];
}

#define LAUNCH(k, n) k<<<(n + 255) / 256, 256>>>(x, n)
/* chevrons with blanks, across continued lines, comments inside */
#define LAUNCH_SPLIT(k, n) \
	k << < (n + 127) / 128, /* the block */ \
	       128 >> > (x, \
			 n)
#define RUN(k, g, b, ...) k<<<g, b>>>(__VA_ARGS__)
#define RUN_SHARED(k, g, b, st, ...) k<<<g, b, (b) * sizeof(int), st>>>(__VA_ARGS__)
#define GRID dim3((N + 255) / 256)
#define BLOCK dim3(256)
#define KERNEL scale
#define TKERNEL tscale<5>
#define CHECK_LAUNCH(launch) do { launch; CHECK(musaGetLastError()); } while (0)

/* the macro used inside a host template: the instance depends on T */
template <class T>
static int add_one(T *x, int n)
{
	RUN(ops::add<T>, (n + 63) / 64, 64, x, (T)1, n);
	return musaGetLastError() == musaSuccess ? 0 : 1;
}

int main(void)
{
	float *x;
	double *xd;
	int *p, hp[4 * 64];
	int line;
	musaStream_t st;

	CHECK(musaMallocManaged(&x, N * sizeof(float)));
	for (int i = 0; i < N; i++)
		x[i] = 1.0f;
	LAUNCH(scale, N);                               /* 2 */
	LAUNCH_SPLIT(tscale<3>, N);                     /* 6 */
	KERNEL<<<GRID, BLOCK>>>(x, N);                  /* 12 */
	TKERNEL<<<GRID, BLOCK>>>(x, N);                 /* 60 */
	CHECK_LAUNCH(LAUNCH(tscale<2>, N));             /* 120 */
	EXPECT(add_one(x, N) == 0);                     /* 121 */
	CHECK(musaDeviceSynchronize());
	for (int i = 0; i < N; i++)
		EXPECT(x[i] == 121.0f);

	CHECK(musaMallocManaged(&xd, N * sizeof(double)));
	for (int i = 0; i < N; i++)
		xd[i] = 0.5;
	EXPECT(add_one(xd, N) == 0);
	CHECK(musaDeviceSynchronize());
	for (int i = 0; i < N; i++)
		EXPECT(xd[i] == 1.5);

	CHECK(musaMalloc(&p, sizeof(hp)));
	for (int i = 0; i < 4 * 64; i++)
		hp[i] = i;
	CHECK(musaMemcpy(p, hp, sizeof(hp), musaMemcpyHostToDevice));
	CHECK(musaStreamCreate(&st));
	RUN_SHARED(reverse, 4, 64, st, p);
	CHECK(musaStreamSynchronize(st));
	CHECK(musaMemcpy(hp, p, sizeof(hp), musaMemcpyDeviceToHost));
	for (int i = 0; i < 4 * 64; i++)
		EXPECT(hp[i] == (i / 64) * 64 + 63 - i % 64);

	/* the lines after the macros are where they were */
	line = __LINE__;
	EXPECT(line == 111);
	CHECK(musaStreamDestroy(st));
	CHECK(musaFree(x));
	CHECK(musaFree(xd));
	CHECK(musaFree(p));
	return 0;
}
