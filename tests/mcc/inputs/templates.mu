/* Template kernels: instances found from the launches, one entry each. */
#include "check.h"

/* a tree reduction with shared memory and barriers (fibers) */
template <int BLOCK>
__global__ void block_sum(const int *in, int *out)
{
	__shared__ int s[BLOCK];
	unsigned t = threadIdx.x;

	s[t] = in[blockIdx.x * BLOCK + t];
	__syncthreads();
	for (int w = BLOCK / 2; w > 0; w /= 2) {
		if ((int)t < w)
			s[t] += s[t + w];
		__syncthreads();
	}
	if (t == 0)
		out[blockIdx.x] = s[0] + BLOCK * 1000000;
}

/* a type parameter, no barrier (loop mode) */
template <typename T>
__global__ void axpy(T *y, const T *x, T a, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		y[i] += a * x[i];
}

namespace ops {
template <typename T, int K>
__global__ void fill(T *v, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		v[i] = (T)(K * i);
}
}

template <int N> __global__ void declared_first(int *v);
template <int N> __global__ void declared_first(int *v) { v[threadIdx.x] = N; }

static int run_sum(void)
{
	int h[512], r[8], *in, *out;

	for (int i = 0; i < 512; i++)
		h[i] = i;
	CHECK(musaMalloc(&in, sizeof(h)));
	CHECK(musaMalloc(&out, sizeof(r)));
	CHECK(musaMemcpy(in, h, sizeof(h), musaMemcpyHostToDevice));
	block_sum<64><<<8, 64>>>(in, out);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < 8; b++) {
		int want = 0;
		for (int i = 0; i < 64; i++)
			want += b * 64 + i;
		EXPECT(r[b] == want + 64 * 1000000);
	}
	block_sum< 128 ><<<4, 128>>>(in, out);
	CHECK(musaMemcpy(r, out, 4 * sizeof(int), musaMemcpyDeviceToHost));
	for (int b = 0; b < 4; b++) {
		int want = 0;
		for (int i = 0; i < 128; i++)
			want += b * 128 + i;
		EXPECT(r[b] == want + 128 * 1000000);
	}
	CHECK(musaFree(in));
	CHECK(musaFree(out));
	return 0;
}

static int run_axpy(void)
{
	enum { N = 1000 };
	float hf[N], *yf, *xf;
	double hd[N], *yd, *xd;

	for (int i = 0; i < N; i++) {
		hf[i] = (float)i;
		hd[i] = i * 0.5;
	}
	CHECK(musaMalloc(&yf, sizeof(hf)));
	CHECK(musaMalloc(&xf, sizeof(hf)));
	CHECK(musaMalloc(&yd, sizeof(hd)));
	CHECK(musaMalloc(&xd, sizeof(hd)));
	CHECK(musaMemcpy(yf, hf, sizeof(hf), musaMemcpyHostToDevice));
	CHECK(musaMemcpy(xf, hf, sizeof(hf), musaMemcpyHostToDevice));
	CHECK(musaMemcpy(yd, hd, sizeof(hd), musaMemcpyHostToDevice));
	CHECK(musaMemcpy(xd, hd, sizeof(hd), musaMemcpyHostToDevice));
	axpy<float><<<(N + 127) / 128, 128>>>(yf, xf, 2.0f, N);
	axpy<double><<<(N + 255) / 256, 256>>>(yd, xd, 3.0, N);
	CHECK(musaMemcpy(hf, yf, sizeof(hf), musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(hd, yd, sizeof(hd), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++) {
		EXPECT(hf[i] == 3.0f * (float)i);
		EXPECT(hd[i] == 4.0 * (i * 0.5));
	}
	CHECK(musaFree(yf));
	CHECK(musaFree(xf));
	CHECK(musaFree(yd));
	CHECK(musaFree(xd));
	return 0;
}

static int run_fill(void)
{
	long long hl[100], *dl;
	short hs[100], *ds;
	int hv[32], *dv;

	CHECK(musaMalloc(&dl, sizeof(hl)));
	CHECK(musaMalloc(&ds, sizeof(hs)));
	CHECK(musaMalloc(&dv, sizeof(hv)));
	ops::fill<long long, 7><<<4, 32>>>(dl, 100);
	ops::fill<short, -3><<<1, 100>>>(ds, 100);
	declared_first<42><<<1, 32>>>(dv);
	CHECK(musaDeviceSynchronize());
	CHECK(musaMemcpy(hl, dl, sizeof(hl), musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(hs, ds, sizeof(hs), musaMemcpyDeviceToHost));
	CHECK(musaMemcpy(hv, dv, sizeof(hv), musaMemcpyDeviceToHost));
	for (int i = 0; i < 100; i++) {
		EXPECT(hl[i] == 7LL * i);
		EXPECT(hs[i] == (short)(-3 * i));
	}
	for (int i = 0; i < 32; i++)
		EXPECT(hv[i] == 42);
	CHECK(musaFree(dl));
	CHECK(musaFree(ds));
	CHECK(musaFree(dv));
	return 0;
}

int main(void)
{
	if (run_sum() || run_axpy() || run_fill())
		return 1;
	return 0;
}
