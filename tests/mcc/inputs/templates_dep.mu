/*
 * Template kernels launched with template arguments of the enclosing host
 * template, as the CUDA reduction sample does: the instances come from how
 * the host templates are instantiated (explicitly, by a call, as a member
 * of a class template), mixed with a launch of fixed arguments.
 */
#include "check.h"

namespace ops {
template <class T, unsigned N, bool Twice>
__global__ void fill(T *p)
{
	p[blockIdx.x * N + threadIdx.x] = (T)(threadIdx.x * (Twice ? 2 : 1) + N);
}
}

template <class T>
void run(T *d, int threads)
{
	switch (threads) {
	case 64:
		ops::fill<T, 64, true><<<2, 64>>>(d);
		break;
	case 32:
		ops::fill<T, 32, false><<<2, 32>>>(d);
		break;
	}
}

template void run<int>(int *, int);

template <typename T, int Scale>
struct scaler {
	static void launch(T *d)
	{
		ops::fill<T, Scale, (Scale > 16)><<<1, Scale>>>(d);
	}
};

template <class T>
static int check(T *d, T *h, unsigned n, unsigned blocks, bool twice)
{
	CHECK(musaMemcpy(h, d, n * blocks * sizeof(T), musaMemcpyDeviceToHost));
	for (unsigned b = 0; b < blocks; b++)
		for (unsigned t = 0; t < n; t++)
			EXPECT(h[b * n + t] == (T)(t * (twice ? 2 : 1) + n));
	return 0;
}

int main(void)
{
	int *d, h[128];
	double *dd, hd[128];

	CHECK(musaMalloc(&d, sizeof(h)));
	CHECK(musaMalloc(&dd, sizeof(hd)));
	run(d, 64);
	CHECK(musaGetLastError());
	if (check(d, h, 64, 2, true))
		return 1;
	run(d, 32);
	if (check(d, h, 32, 2, false))
		return 1;
	run(dd, 32);   /* implicit instantiation by this call */
	if (check(dd, hd, 32, 2, false))
		return 1;
	scaler<double, 8>::launch(dd);
	if (check(dd, hd, 8, 1, false))
		return 1;
	scaler<int, 128>::launch(d);
	if (check(d, h, 128, 1, true))
		return 1;
	ops::fill<int, 16, true><<<1, 16>>>(d);
	if (check(d, h, 16, 1, true))
		return 1;
	CHECK(musaFree(d));
	CHECK(musaFree(dd));
	return 0;
}
