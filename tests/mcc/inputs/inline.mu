/*
 * Kernels that call __device__ functions holding barriers. mcc inlines
 * the calls and runs the kernels as loops between the barriers (fx_*), or
 * keeps fibers when a call cannot be inlined (fb_*). Each kernel is
 * checked against a host reference; test_mcc builds this file with and
 * without --no-fission and reads `mcc -v` for which kernels got loops.
 */
#include "check.h"

#define B 64
#define T 8             /* 8x8 tiles: B threads */

__device__ int g_scale;

/* Every thread gets the sum of v over its block. */
__device__ int block_sum(int v, int *s)
{
	s[threadIdx.x] = v;
	__syncthreads();
	for (int k = B / 2; k > 0; k /= 2) {
		if ((int)threadIdx.x < k)
			s[threadIdx.x] += s[threadIdx.x + k];
		__syncthreads();
	}
	int total = s[0];
	__syncthreads();
	return total;
}

/* A barrier function that calls another, and names a file-scope variable. */
__device__ int scaled_sum(int v, int *s)
{
	int r = block_sum(v, s) * g_scale;
	return r;
}

/* Transposes one TxT tile through a tile in shared memory (the
 * parameter's declarator wraps its name). */
__device__ void transpose_tile(const int *src, int *dst, int w, int (*tile)[T + 1])
{
	int tx = threadIdx.x % T, ty = threadIdx.x / T;

	tile[ty][tx] = src[ty * w + tx];
	__syncthreads();
	dst[ty * w + tx] = tile[tx][ty];
}

/* A reference parameter: the caller's variable changes. */
__device__ void add_neighbour(int &acc, int *s)
{
	s[threadIdx.x] = acc;
	__syncthreads();
	acc += s[(threadIdx.x + 1) % B];
	__syncthreads();
}

/* Declaration, assignment and compound assignment forms. */
__global__ void fx_inl_forms(const int *in, int *out)
{
	__shared__ int s[B];
	int t = threadIdx.x, v = in[blockIdx.x * B + t];
	int sum = block_sum(v, s);
	int twice;

	twice = block_sum(2 * v, s);
	twice += block_sum(v, s);
	out[blockIdx.x * B + t] = sum * 1000 + twice - v;
}

/* A call inside a call, a file-scope variable, the body of an if. */
__global__ void fx_inl_nested(const int *in, int *out, int mode)
{
	__shared__ int s[B];
	int t = threadIdx.x, v = in[blockIdx.x * B + t];
	int r = 0;

	if (mode == 1)
		r = scaled_sum(v, s);
	else
		r = block_sum(v, s);
	out[blockIdx.x * B + t] = r + t;
}

/* A void function with uniform arguments, nw's shape. */
__global__ void fx_inl_void(const int *in, int *out, int w)
{
	__shared__ int tile[T][T + 1];
	int bx = blockIdx.x % (w / T), by = blockIdx.x / (w / T);

	transpose_tile(in + by * T * w + bx * T, out + bx * T * w + by * T, w, tile);
}

/* A reference parameter bound to a per-thread variable, twice. */
__global__ void fx_inl_ref(const int *in, int *out)
{
	__shared__ int s[B];
	int x = in[blockIdx.x * B + threadIdx.x];

	add_neighbour(x, s);
	add_neighbour(x, s);
	out[blockIdx.x * B + threadIdx.x] = x;
}

/* The kernel's own g_scale would hide the one scaled_sum reads: mcc
 * cannot inline the call and keeps fibers. */
__global__ void fb_inl_hidden(const int *in, int *out)
{
	__shared__ int s[B];
	int g_scale = 5;
	int v = in[blockIdx.x * B + threadIdx.x];

	out[blockIdx.x * B + threadIdx.x] = g_scale;
	out[blockIdx.x * B + threadIdx.x] += scaled_sum(v, s);
}

static int check(void)
{
	const int nb = 4, n = nb * B, w = 2 * T;
	int h[n], r[n], *in, *out, scale = 3;

	for (int i = 0; i < n; i++)
		h[i] = (i * 37) % 101 - 50;
	CHECK(musaMalloc(&in, sizeof(h)));
	CHECK(musaMalloc(&out, sizeof(h)));
	CHECK(musaMemcpy(in, h, sizeof(h), musaMemcpyHostToDevice));
	CHECK(musaMemcpyToSymbol(g_scale, &scale, sizeof(int)));

	fx_inl_forms<<<nb, B>>>(in, out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++) {
		int sum = 0;

		for (int t = 0; t < B; t++)
			sum += h[b * B + t];
		for (int t = 0; t < B; t++)
			EXPECT(r[b * B + t] == sum * 1000 + 3 * sum - h[b * B + t]);
	}

	for (int mode = 0; mode < 2; mode++) {
		fx_inl_nested<<<nb, B>>>(in, out, mode);
		CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
		for (int b = 0; b < nb; b++) {
			int sum = 0;

			for (int t = 0; t < B; t++)
				sum += h[b * B + t];
			for (int t = 0; t < B; t++)
				EXPECT(r[b * B + t] == (mode == 1 ? sum * scale : sum) + t);
		}
	}

	/* a w x w matrix (w = 2T) in 4 tiles */
	fx_inl_void<<<(w / T) * (w / T), B>>>(in, out, w);
	CHECK(musaMemcpy(r, out, w * w * sizeof(int), musaMemcpyDeviceToHost));
	for (int i = 0; i < w; i++)
		for (int j = 0; j < w; j++)
			EXPECT(r[j * w + i] == h[i * w + j]);

	fx_inl_ref<<<nb, B>>>(in, out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++)
		for (int t = 0; t < B; t++) {
			const int *x = h + b * B;
			int y1 = x[t] + x[(t + 1) % B], y2 = x[(t + 1) % B] + x[(t + 2) % B];

			EXPECT(r[b * B + t] == y1 + y2);
		}

	fb_inl_hidden<<<nb, B>>>(in, out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++) {
		int sum = 0;

		for (int t = 0; t < B; t++)
			sum += h[b * B + t];
		for (int t = 0; t < B; t++)
			EXPECT(r[b * B + t] == 5 + sum * scale);
	}
	CHECK(musaFree(in));
	CHECK(musaFree(out));
	return 0;
}

int main(void)
{
	if (check())
		return 1;
	CHECK(musaDeviceSynchronize());
	return 0;
}
