/* A function's __shared__ variables are bound once per call to their
 * thread-local storage (gen_device.c): several declarators in one
 * declaration, a block-scope variable hiding another of the same name,
 * sizeof and address-of through the binding, a dependent element type, a
 * __device__ function's own shared array, and a barrier kernel's tree
 * reduction indexed by blockIdx.x * 2 * blockDim.x on a grid of more than
 * 2^20 blocks (blocks at and past 2^20 take the general copy of the loop). */
#include "check.h"

#define N 64

__device__ int dev_stage(int v)
{
	__shared__ int scratch[N];
	unsigned t = threadIdx.x;

	scratch[t] = v;
	__syncthreads();
	int r = scratch[(t + 1) % blockDim.x];
	__syncthreads();
	return r;
}

__global__ void declarators(int *out)
{
	__shared__ int a[N], b[N], *p;
	__shared__ float x;
	unsigned t = threadIdx.x;

	a[t] = (int)t;
	b[t] = 2 * (int)t;
	if (t == 0) {
		p = &a[0];
		x = (float)(sizeof(a) / sizeof(a[0]));
	}
	__syncthreads();
	int v = p[(t + 1) % N] + b[N - 1 - t] + (int)x;
	{
		__shared__ int a[N];   /* hides the outer a */

		a[t] = 1000;
		__syncthreads();
		v += a[(t + 3) % N];
	}
	v += a[t];   /* the outer a again */
	out[t] = v;
}

/* runs as fibers: dev_stage's shared array keeps it from being inlined */
__global__ void staged(int *out)
{
	out[threadIdx.x] += dev_stage((int)threadIdx.x);
}

template <class T>
__global__ void tmpl(T *out)
{
	__shared__ T tile[N];
	unsigned t = threadIdx.x;

	tile[t] = (T)t / (T)2;
	__syncthreads();
	out[t] = tile[N - 1 - t] * (T)(sizeof(tile) / sizeof(T));
}

/* two threads per block, two inputs per thread */
__global__ void reduce2(const int *in, int *out)
{
	__shared__ int s[2];
	unsigned tid = threadIdx.x;
	unsigned i = blockIdx.x * (blockDim.x * 2) + tid;

	s[tid] = in[i] + in[i + blockDim.x];
	__syncthreads();
	if (tid == 0)
		out[blockIdx.x] = s[0] + s[1];
}

int main(void)
{
	int *di, hi[N];
	double *dd, hd[N];
	const unsigned blocks = (1u << 20) + 3;
	int *din, *dout, *hout;

	CHECK(musaMalloc(&di, sizeof(hi)));
	declarators<<<1, N>>>(di);
	CHECK(musaGetLastError());
	staged<<<1, N>>>(di);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hi, di, sizeof(hi), musaMemcpyDeviceToHost));
	for (int t = 0; t < N; t++)
		EXPECT(hi[t] == (t + 1) % N + 2 * (N - 1 - t) + N + 1000 + t + (t + 1) % N);

	CHECK(musaMalloc(&dd, sizeof(hd)));
	tmpl<double><<<1, N>>>(dd);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hd, dd, sizeof(hd), musaMemcpyDeviceToHost));
	for (int t = 0; t < N; t++)
		EXPECT(hd[t] == (double)(N - 1 - t) / 2.0 * N);

	/* in[k] = k % 7 + 1: block b adds in[4b .. 4b+3] */
	hout = (int *)malloc(blocks * sizeof(int));
	EXPECT(hout != NULL);
	CHECK(musaMalloc(&din, (size_t)blocks * 4 * sizeof(int)));
	CHECK(musaMalloc(&dout, (size_t)blocks * sizeof(int)));
	{
		int *hin = (int *)malloc((size_t)blocks * 4 * sizeof(int));

		EXPECT(hin != NULL);
		for (size_t k = 0; k < (size_t)blocks * 4; k++)
			hin[k] = (int)(k % 7) + 1;
		CHECK(musaMemcpy(din, hin, (size_t)blocks * 4 * sizeof(int), musaMemcpyHostToDevice));
		free(hin);
	}
	reduce2<<<blocks, 2>>>(din, dout);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hout, dout, blocks * sizeof(int), musaMemcpyDeviceToHost));
	for (size_t b = 0; b < blocks; b++) {
		int want = 0;

		for (size_t k = 4 * b; k < 4 * b + 4; k++)
			want += (int)(k % 7) + 1;
		EXPECT(hout[b] == want);
	}
	free(hout);
	CHECK(musaFree(din));
	CHECK(musaFree(dout));
	CHECK(musaFree(di));
	CHECK(musaFree(dd));
	return 0;
}
