/*
 * Barrier kernels of every shape that mcc compiles as loops between the
 * barriers (fission), and some it must leave to fibers, each checked
 * against a host reference. test_mcc builds this file twice, with and
 * without --no-fission, and reads which kernels got fission from the
 * device code object.
 */
#include "check.h"
#include <musa_cooperative_groups.h>

namespace cg = cooperative_groups;

#define B 64

struct acc2 {
	float sum;
	int n;
};

/* Tiled product of 16x16 tiles: mixed uniform and per-thread declarators,
 * a two-variable loop, #pragma unroll. */
__global__ void fx_matmul(float *C, const float *A, const float *Bm, int w)
{
	__shared__ float As[16][16];
	__shared__ float Bs[16][16];
	int bx = blockIdx.x, by = blockIdx.y, tx = threadIdx.x, ty = threadIdx.y;
	int aBegin = w * 16 * by, aEnd = aBegin + w - 1;
	float c = 0.0f;

	for (int a = aBegin, b = 16 * bx; a <= aEnd; a += 16, b += 16 * w) {
		As[ty][tx] = A[a + w * ty + tx];
		Bs[ty][tx] = Bm[b + w * ty + tx];
		__syncthreads();
#pragma unroll
		for (int k = 0; k < 16; ++k)
			c += As[ty][k] * Bs[k][tx];
		__syncthreads();
	}
	C[(by * 16 + ty) * w + bx * 16 + tx] = c;
}

/* Tree reduction; the input pointer moves by a uniform amount first. */
__global__ void fx_reduce(const int *in, int *out)
{
	__shared__ int s[B];
	unsigned tid = threadIdx.x;

	in += blockIdx.x * B;
	s[tid] = in[tid];
	__syncthreads();
	for (unsigned k = B / 2; k > 0; k >>= 1) {
		if (tid < k)
			s[tid] += s[tid + k];
		__syncthreads();
	}
	if (tid == 0)
		out[blockIdx.x] = s[0];
}

/* Per-thread state carried across barriers: a scalar updated in every
 * round, an array, a pointer, a struct, a value read from memory. */
__global__ void fx_carried(const int *in, int *out, int rounds)
{
	__shared__ int ring[B];
	int t = threadIdx.x;
	const int seed = in[blockIdx.x * B + t];
	int hist[3] = {0, 0, 0};
	struct acc2 a;
	int *dst = out + blockIdx.x * B;
	int v;

	a.sum = 0.0f;
	a.n = 0;
	v = seed;
	for (int r = 0; r < rounds; r++) {
		ring[t] = v;
		__syncthreads();
		v = ring[(t + 1) % B] + 1;
		hist[r % 3] += v;
		a.sum += (float)v;
		a.n++;
		__syncthreads();
	}
	dst[t] = v + hist[0] - hist[1] + hist[2] + (int)a.sum * 0 + a.n + seed;
}

/* Hillis-Steele inclusive scan: a while loop on a uniform step, a
 * per-thread temporary read after a barrier. */
__global__ void fx_scan(const int *in, int *out)
{
	__shared__ int buf[B];
	int t = threadIdx.x;
	int step = 1;

	buf[t] = in[blockIdx.x * B + t];
	__syncthreads();
	while (step < (int)blockDim.x) {
		int x = t >= step ? buf[t - step] : 0;
		__syncthreads();
		buf[t] += x;
		__syncthreads();
		step *= 2;
	}
	out[blockIdx.x * B + t] = buf[t];
}

/* do-while and if/else on uniform conditions, a branch without a barrier. */
__global__ void fx_branches(int *out, int mode, int reps)
{
	__shared__ int s[B];
	int t = threadIdx.x;
	int i = 0;

	if (mode == 1) {
		s[t] = t;
		__syncthreads();
		out[t] = s[B - 1 - t];
	} else if (mode == 2) {
		s[t] = 2 * t;
		__syncthreads();
		out[t] = s[(t + 3) % B];
	} else {
		out[t] = -t;
	}
	__syncthreads();
	do {
		s[t] = out[t] + i;
		__syncthreads();
		out[t] = s[(t + 1) % B];
		__syncthreads();
		i++;
	} while (i < reps);
}

/* Uniform jumps: a guard on the block, break and continue in the loop,
 * and a per-thread return after the last barrier. */
__global__ void fx_jumps(int *out, int nblocks, int stop, int n)
{
	__shared__ int s[B];
	int t = threadIdx.x, g = blockIdx.x * B + t;

	if (blockIdx.x >= (unsigned)nblocks)
		return;
	s[t] = 0;
	__syncthreads();
	for (int it = 0; it < 100; it++) {
		if (it % 2)
			continue;
		s[t] += it;
		__syncthreads();
		if (it == stop)
			break;
		int next = s[(t + 1) % B] & 1;
		__syncthreads();
		s[t] += next;
		__syncthreads();
	}
	if (g >= n)
		return;
	out[g] = s[t];
}

/* 3-D blocks: a transpose of each 4x4x4 cube through shared memory. */
__global__ void fx_cube(const int *in, int *out)
{
	__shared__ int c[4][4][4];
	unsigned x = threadIdx.x, y = threadIdx.y, z = threadIdx.z;
	unsigned base = blockIdx.x * 64;

	c[z][y][x] = in[base + (z * 4 + y) * 4 + x];
	__syncthreads();
	out[base + (z * 4 + y) * 4 + x] = c[x][y][z];
}

/* Templates: one body, two instances. */
template <int N>
__global__ void fx_tsum(const float *in, float *out)
{
	__shared__ float s[N];
	int t = threadIdx.x;

	s[t] = in[blockIdx.x * N + t];
	__syncthreads();
	if (t == 0) {
		float sum = 0;
		for (int i = 0; i < N; i++)
			sum += s[i];
		out[blockIdx.x] = sum;
	}
}

/* A device function that reads the thread index itself. */
__device__ int lane_of_block(void)
{
	return (int)(threadIdx.x % 8);
}

__global__ void fx_devfunc(int *out)
{
	__shared__ int s[B];
	int t = threadIdx.x;

	s[t] = lane_of_block();
	__syncthreads();
	out[blockIdx.x * B + t] = s[B - 1 - t] * 100 + lane_of_block() + (int)blockIdx.x * 1000;
}

/* Dynamic shared memory, a variable declared without a value and set in
 * both branches of a per-thread condition. */
__global__ void fx_dynamic(int *out)
{
	extern __shared__ int dyn[];
	int t = threadIdx.x;
	int v;

	if (t & 1)
		v = -t;
	else
		v = t * 3;
	dyn[t] = v;
	__syncthreads();
	out[t] = dyn[(t + 5) % blockDim.x] + v;
}

/* Single-statement bodies of barrier if/else and loops. */
__global__ void fx_single(int *out, int mode)
{
	__shared__ int s[B];
	int t = threadIdx.x;

	s[t] = t;
	if (mode)
		__syncthreads();
	else
		__syncthreads();
	if (mode == 7)
		out[t] = s[(t + 1) % B];
	else {
		__syncthreads();
		out[t] = s[(t + 2) % B];
	}
	for (int i = 0; i < 2; i++)
		__syncthreads();
}

/* Cooperative-groups block handles: their sync() is the block barrier. */
__global__ void fx_cg(int *out)
{
	__shared__ int s[B];
	cg::thread_block cta = cg::this_thread_block();
	auto blk = cooperative_groups::this_thread_block();
	int t = threadIdx.x;

	s[t] = t * 2;
	cg::sync(cta);
	out[t] = s[(t + 1) % B];
	blk.sync();
	s[t] = out[t] + (int)cta.thread_rank();
	cta.sync();
	out[t] = s[B - 1 - t];
}

/* Rodinia srad's reduce shape: one counter `i` for the barrier loops, for
 * a barrier-free loop with uniform bounds (the divisibility factor, run
 * once per group) and for a per-thread loop of one thread at the end (its
 * region works on a copy of `i`); `nf` clamped under a uniform `if`. */
__global__ void fx_uniform_counter(const int *in, int *out, int n)
{
	int tx = threadIdx.x;
	int bx = blockIdx.x;
	int nf = n - bx * B;
	int df = 0;
	__shared__ int s[B];
	int i;

	if (nf > B)
		nf = B;
	s[tx] = tx < nf ? in[bx * B + tx] : 0;
	__syncthreads();
	for (i = 2; i <= B; i = 2 * i) {
		if (nf >= i)
			df = i;
	}
	for (i = 2; i <= df; i = 2 * i) {
		if ((tx + 1) % i == 0 && tx < df)
			s[tx] += s[tx - i / 2];
		__syncthreads();
	}
	if (tx == df - 1) {
		for (i = bx * B + df; i < bx * B + nf; i++)
			s[tx] += in[i];
		out[bx] = s[tx];
	}
}

/* A variable written by some threads and read after a barrier is per
 * thread, not a region's copy. */
__global__ void fx_private_read(int *out)
{
	__shared__ int s[B];
	int k = 0;

	s[threadIdx.x] = 1;
	__syncthreads();
	if (threadIdx.x == 3)
		k = 5;
	__syncthreads();
	out[threadIdx.x] = s[(threadIdx.x + 1) % B] + k;
}

/* ... also when the later read is the next round of a barrier loop. */
__global__ void fx_loop_private(int *out, int rounds)
{
	__shared__ int s[B];
	int j = 0, r;

	s[threadIdx.x] = 0;
	for (r = 0; r < rounds; r++) {
		__syncthreads();
		if ((int)threadIdx.x == r)
			j = r;
		s[threadIdx.x] += j;
		__syncthreads();
	}
	out[threadIdx.x] = s[threadIdx.x];
}

/* Parameters written per thread: each thread keeps its own copy across
 * the barriers. */
__global__ void fx_param_private(int *out, int base, int step)
{
	__shared__ int s[B];

	base += (int)threadIdx.x * step;   /* per thread */
	out += blockIdx.x * B;             /* the same in every thread */
	s[threadIdx.x] = base;
	__syncthreads();
	step = s[(threadIdx.x + 1) % B];
	__syncthreads();
	out[threadIdx.x] = base * 1000 + step;
}

/* Threads that return before a barrier leave the group. */
__global__ void fx_early_return(int *out)
{
	__shared__ int s;
	if (threadIdx.x >= 16)
		return;
	if (threadIdx.x == 0)
		s = 7;
	__syncthreads();
	out[threadIdx.x] = s;
	if (threadIdx.x == 5)
		return;
	__syncthreads();
	out[threadIdx.x] += 1;
}

/* Shapes fission must refuse (fibers keep them right). */

__global__ void fb_per_thread_loop(int *out, int n)
{
	__shared__ int s[B];
	s[threadIdx.x] = 0;
	__syncthreads();
	for (int i = threadIdx.x; i < n; i += blockDim.x) {
		s[(i + 1) % B] += 0;
		out[i] = i;
		__syncthreads();
	}
}

__global__ void fb_count(int *out)
{
	out[threadIdx.x] = __syncthreads_count(threadIdx.x & 1);
}

static int check_matmul(void)
{
	const int w = 48;
	float *hA = (float *)malloc(w * w * 4), *hB = (float *)malloc(w * w * 4);
	float *hC = (float *)malloc(w * w * 4), *A, *Bm, *C;

	for (int i = 0; i < w * w; i++) {
		hA[i] = (float)(i % 7 - 3);
		hB[i] = (float)(i % 5 - 2);
	}
	CHECK(musaMalloc(&A, w * w * 4));
	CHECK(musaMalloc(&Bm, w * w * 4));
	CHECK(musaMalloc(&C, w * w * 4));
	CHECK(musaMemcpy(A, hA, w * w * 4, musaMemcpyHostToDevice));
	CHECK(musaMemcpy(Bm, hB, w * w * 4, musaMemcpyHostToDevice));
	fx_matmul<<<dim3(w / 16, w / 16), dim3(16, 16)>>>(C, A, Bm, w);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hC, C, w * w * 4, musaMemcpyDeviceToHost));
	for (int r = 0; r < w; r++)
		for (int c = 0; c < w; c++) {
			float want = 0;
			for (int k = 0; k < w; k++)
				want += hA[r * w + k] * hB[k * w + c];
			EXPECT(hC[r * w + c] == want);
		}
	CHECK(musaFree(A));
	CHECK(musaFree(Bm));
	CHECK(musaFree(C));
	free(hA);
	free(hB);
	free(hC);
	return 0;
}

static int check_int_kernels(void)
{
	const int nb = 5, n = nb * B;
	int h[nb * B], r[nb * B], *in, *out;

	for (int i = 0; i < n; i++)
		h[i] = (i * 37) % 101 - 50;
	CHECK(musaMalloc(&in, sizeof(h)));
	CHECK(musaMalloc(&out, sizeof(h)));
	CHECK(musaMemcpy(in, h, sizeof(h), musaMemcpyHostToDevice));

	fx_reduce<<<nb, B>>>(in, out);
	CHECK(musaMemcpy(r, out, nb * sizeof(int), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++) {
		int want = 0;
		for (int i = 0; i < B; i++)
			want += h[b * B + i];
		EXPECT(r[b] == want);
	}

	fx_carried<<<nb, B>>>(in, out, 7);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++) {
		int v[B], hist[B][3] = {{0}};
		for (int t = 0; t < B; t++)
			v[t] = h[b * B + t];
		for (int round = 0; round < 7; round++) {
			int nv[B];
			for (int t = 0; t < B; t++)
				nv[t] = v[(t + 1) % B] + 1;
			for (int t = 0; t < B; t++) {
				v[t] = nv[t];
				hist[t][round % 3] += v[t];
			}
		}
		for (int t = 0; t < B; t++)
			EXPECT(r[b * B + t] == v[t] + hist[t][0] - hist[t][1] + hist[t][2] + 7 + h[b * B + t]);
	}

	fx_scan<<<nb, B>>>(in, out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++) {
		int run = 0;
		for (int t = 0; t < B; t++) {
			run += h[b * B + t];
			EXPECT(r[b * B + t] == run);
		}
	}

	for (int mode = 1; mode <= 3; mode++) {
		int want[B], s[B];
		fx_branches<<<1, B>>>(out, mode, 3);
		CHECK(musaMemcpy(r, out, B * sizeof(int), musaMemcpyDeviceToHost));
		for (int t = 0; t < B; t++)
			want[t] = mode == 1 ? B - 1 - t : mode == 2 ? 2 * ((t + 3) % B) : -t;
		for (int i = 0; i < 3; i++) {
			for (int t = 0; t < B; t++)
				s[t] = want[t] + i;
			for (int t = 0; t < B; t++)
				want[t] = s[(t + 1) % B];
		}
		for (int t = 0; t < B; t++)
			EXPECT(r[t] == want[t]);
	}

	CHECK(musaMemset(out, 0xff, sizeof(h)));
	fx_jumps<<<nb, B>>>(out, nb - 1, 6, n - 10);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++) {
		int s[B] = {0};
		for (int it = 0; it < 100; it++) {
			int ns[B];
			if (it % 2)
				continue;
			for (int t = 0; t < B; t++)
				s[t] += it;
			if (it == 6)
				break;
			for (int t = 0; t < B; t++)
				ns[t] = s[t] + (s[(t + 1) % B] & 1);
			for (int t = 0; t < B; t++)
				s[t] = ns[t];
		}
		for (int t = 0; t < B; t++) {
			int g = b * B + t;
			EXPECT(r[g] == (b >= nb - 1 || g >= n - 10 ? -1 : s[t]));
		}
	}

	fx_cube<<<nb, dim3(4, 4, 4)>>>(in, out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++)
		for (int z = 0; z < 4; z++)
			for (int y = 0; y < 4; y++)
				for (int x = 0; x < 4; x++)
					EXPECT(r[b * 64 + (z * 4 + y) * 4 + x] == h[b * 64 + (x * 4 + y) * 4 + z]);

	fx_devfunc<<<nb, B>>>(out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++)
		for (int t = 0; t < B; t++)
			EXPECT(r[b * B + t] == ((B - 1 - t) % 8) * 100 + t % 8 + b * 1000);

	fx_dynamic<<<1, B, B * sizeof(int)>>>(out);
	CHECK(musaMemcpy(r, out, B * sizeof(int), musaMemcpyDeviceToHost));
	for (int t = 0; t < B; t++) {
		int u = (t + 5) % B;
		EXPECT(r[t] == ((u & 1) ? -u : u * 3) + ((t & 1) ? -t : t * 3));
	}

	for (int mode = 0; mode <= 7; mode += 7) {
		fx_single<<<1, B>>>(out, mode);
		CHECK(musaMemcpy(r, out, B * sizeof(int), musaMemcpyDeviceToHost));
		for (int t = 0; t < B; t++)
			EXPECT(r[t] == (t + (mode == 7 ? 1 : 2)) % B);
	}

	fx_cg<<<1, B>>>(out);
	CHECK(musaMemcpy(r, out, B * sizeof(int), musaMemcpyDeviceToHost));
	for (int t = 0; t < B; t++) {
		int u = B - 1 - t;
		EXPECT(r[t] == ((u + 1) % B) * 2 + u);
	}

	fx_uniform_counter<<<nb, B>>>(in, out, n - 21);
	CHECK(musaMemcpy(r, out, nb * sizeof(int), musaMemcpyDeviceToHost));
	for (int b = 0; b < nb; b++) {
		int want = 0;
		for (int i = b * B; i < n - 21 && i < (b + 1) * B; i++)
			want += h[i];
		EXPECT(r[b] == want);
	}

	fx_private_read<<<1, B>>>(out);
	CHECK(musaMemcpy(r, out, B * sizeof(int), musaMemcpyDeviceToHost));
	for (int t = 0; t < B; t++)
		EXPECT(r[t] == 1 + (t == 3 ? 5 : 0));

	fx_loop_private<<<1, B>>>(out, 40);
	CHECK(musaMemcpy(r, out, B * sizeof(int), musaMemcpyDeviceToHost));
	for (int t = 0; t < B; t++)
		EXPECT(r[t] == (t < 40 ? t * (40 - t) : 0));

	fx_param_private<<<2, B>>>(out, 5, 3);
	CHECK(musaMemcpy(r, out, 2 * B * sizeof(int), musaMemcpyDeviceToHost));
	for (int b = 0; b < 2; b++)
		for (int t = 0; t < B; t++)
			EXPECT(r[b * B + t] == (5 + t * 3) * 1000 + 5 + ((t + 1) % B) * 3);

	fx_early_return<<<1, B>>>(out);
	CHECK(musaMemcpy(r, out, 16 * sizeof(int), musaMemcpyDeviceToHost));
	for (int t = 0; t < 16; t++)
		EXPECT(r[t] == (t == 5 ? 7 : 8));
	fb_per_thread_loop<<<1, B>>>(out, 2 * B);
	CHECK(musaMemcpy(r, out, 2 * B * sizeof(int), musaMemcpyDeviceToHost));
	for (int i = 0; i < 2 * B; i++)
		EXPECT(r[i] == i);
	fb_count<<<1, B>>>(out);
	CHECK(musaMemcpy(r, out, B * sizeof(int), musaMemcpyDeviceToHost));
	for (int t = 0; t < B; t++)
		EXPECT(r[t] == B / 2);
	CHECK(musaFree(in));
	CHECK(musaFree(out));
	return 0;
}

static int check_templates(void)
{
	float h[4 * 32], r[4], *in, *out;

	for (int i = 0; i < 4 * 32; i++)
		h[i] = (float)(i % 9);
	CHECK(musaMalloc(&in, sizeof(h)));
	CHECK(musaMalloc(&out, sizeof(r)));
	CHECK(musaMemcpy(in, h, sizeof(h), musaMemcpyHostToDevice));
	fx_tsum<32><<<4, 32>>>(in, out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < 4; b++) {
		float want = 0;
		for (int i = 0; i < 32; i++)
			want += h[b * 32 + i];
		EXPECT(r[b] == want);
	}
	fx_tsum<16><<<4, 16>>>(in, out);
	CHECK(musaMemcpy(r, out, sizeof(r), musaMemcpyDeviceToHost));
	for (int b = 0; b < 4; b++) {
		float want = 0;
		for (int i = 0; i < 16; i++)
			want += h[b * 16 + i];
		EXPECT(r[b] == want);
	}
	CHECK(musaFree(in));
	CHECK(musaFree(out));
	return 0;
}

int main(void)
{
	if (check_matmul() || check_int_kernels() || check_templates())
		return 1;
	CHECK(musaDeviceSynchronize());
	return 0;
}
