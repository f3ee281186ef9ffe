/*
 * Kernels with warp operations: shuffles, votes, matches, reductions and
 * __syncwarp, alone or after block barriers, under conditions that differ
 * between threads, after early returns, in a __device__ function and in
 * a template. mcc runs the fx_* kernels as loops (each warp call's
 * operands are deposited by a loop of their own, docs/design.md "Warp
 * operations as regions") and keeps fibers for the fb_* ones. Every
 * kernel is checked against a host model of the same lanes, at the
 * device's warp size: test_mcc builds this file with and without
 * --no-fission, for warp sizes 32 and 128, and reads `mcc -v`.
 *
 * Lanes that do not take part in a shuffle (past the block, returned,
 * predicated off) read 0, as they do with fibers.
 */
#include "check.h"

#define FULL 0xffffffffu
#define NB 3            /* blocks per grid */

static int ws;          /* the device's warp size */

/* ---- kernels -------------------------------------------------------------------- */

/* Shared tree down to 64 values, then the first 32 threads shuffle. */
__global__ void fx_warp_tree(const int *in, int *out)
{
	__shared__ int s[256];
	unsigned tid = threadIdx.x;

	s[tid] = in[blockIdx.x * blockDim.x + tid];
	__syncthreads();
	for (unsigned k = blockDim.x / 2; k >= 64; k >>= 1) {
		if (tid < k)
			s[tid] += s[tid + k];
		__syncthreads();
	}
	int sum = 0;
	if (tid < 32) {
		sum = s[tid] + s[tid + 32];
		for (int off = 16; off > 0; off /= 2)
			sum += __shfl_down_sync(FULL, sum, off);
	}
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* No block barrier at all: a butterfly over 32-lane segments. */
__global__ void fx_warp_butterfly(const int *in, int *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = in[i];

	for (int m = 1; m < 32; m <<= 1)
		v += __shfl_xor_sync(FULL, v, m, 32);
	out[i] = v;
}

/* A block scan: shuffle scans per 32 lanes, warp totals in shared memory. */
__global__ void fx_warp_scan(const int *in, int *out)
{
	__shared__ int tot[32];
	int tid = threadIdx.x, lane = tid % 32, i = blockIdx.x * blockDim.x + tid;
	int v = in[i];

	for (int d = 1; d < 32; d <<= 1) {
		int n = __shfl_up_sync(FULL, v, d, 32);
		if (lane >= d)
			v += n;
	}
	if (lane == 31)
		tot[tid / 32] = v;
	__syncthreads();
	for (int w = 0; w < tid / 32; w++)
		v += tot[w];
	out[i] = v;
}

/* Votes, a reduction and a match, one statement each. */
__global__ void fx_warp_vote(const int *in, unsigned *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int x = in[i];
	unsigned b = __ballot_sync(FULL, x & 1);
	int any = __any_sync(FULL, x > 90);
	int all = __all_sync(FULL, x >= 2);
	unsigned r = __reduce_add_sync(FULL, (unsigned)x);
	unsigned m = __match_any_sync(FULL, x % 4);

	out[i * 5 + 0] = b;
	out[i * 5 + 1] = (unsigned)any;
	out[i * 5 + 2] = (unsigned)all;
	out[i * 5 + 3] = r;
	out[i * 5 + 4] = m;
}

/* A broadcast within segments of 8, and __syncwarp around shared memory. */
__global__ void fx_warp_bcast(const int *in, int *out)
{
	__shared__ int s[128];
	int tid = threadIdx.x, i = blockIdx.x * blockDim.x + tid;
	int v = __shfl_sync(FULL, in[i], 3, 8);

	s[tid] = v;
	__syncwarp();
	out[i] = v * 1000 + s[tid ^ 1];
}

/* Threads that returned take no part: their neighbours read 0. */
__global__ void fx_warp_early(const int *in, int *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = in[i];

	if (v % 5 == 0)
		return;
	v += __shfl_down_sync(FULL, v, 1);
	out[i] = v;
}

/* A predicated if with an else branch. */
__global__ void fx_warp_ifelse(const int *in, int *out)
{
	int tid = threadIdx.x, i = blockIdx.x * blockDim.x + tid;
	int v = in[i];

	if (tid % 2 == 0) {
		v = __shfl_xor_sync(0x55555555u, v, 2);
		v += 1;
	} else {
		v = -v;
	}
	out[i] = v;
}

/* A __device__ function with shuffles (inlined), after a block tree. */
__device__ int warp_sum(int v)
{
	for (int off = warpSize / 2; off > 0; off /= 2)
		v += __shfl_down_sync(FULL, v, off);
	return v;
}

__global__ void fx_warp_inline(const int *in, int *out)
{
	__shared__ int s[256];
	unsigned tid = threadIdx.x;
	int sum = in[blockIdx.x * blockDim.x + tid];

	s[tid] = sum;
	__syncthreads();
	for (unsigned k = blockDim.x / 2; k >= (unsigned)warpSize; k >>= 1) {
		if (tid < k)
			s[tid] = sum = sum + s[tid + k];
		__syncthreads();
	}
	if (tid < (unsigned)warpSize)
		sum = warp_sum(sum);
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* A template: the shuffle's value type is the kernel's own. */
template <class T>
__global__ void fx_warp_tsum(const T *in, T *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	T v = in[i];

	for (int off = 16; off > 0; off /= 2)
		v += __shfl_down_sync(FULL, v, off, 32);
	if (threadIdx.x % 32 == 0)
		out[i / 32] = v;
}

/* Warp sums, then the first threads add them under their own ballot:
 * lanes outside it read 0. */
__global__ void fx_warp_ballot_mask(const int *in, int *out)
{
	__shared__ int s[32];
	unsigned tid = threadIdx.x, nwarps = (blockDim.x + warpSize - 1) / warpSize;
	unsigned ballot;
	int sum = in[blockIdx.x * blockDim.x + tid];

	for (int off = warpSize / 2; off > 0; off /= 2)
		sum += __shfl_down_sync(FULL, sum, off);
	if (tid % warpSize == 0)
		s[tid / warpSize] = sum;
	__syncthreads();
	ballot = __ballot_sync(FULL, tid < nwarps);
	if (tid < nwarps) {
		sum = s[tid];
		for (int off = warpSize / 2; off > 0; off /= 2)
			sum += __shfl_down_sync(ballot, sum, off);
	}
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* A vote in an if's condition: the if is the call's statement. */
__global__ void fx_warp_cond(const int *in, int *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	out[i] = 0;
	if (__any_sync(FULL, in[i] > 90))
		out[i] = 1;
	else
		out[i] += 2;
}

/* These keep their fibers (mcc -v says why). */
__global__ void fb_warp_while(const int *in, int *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = in[i] % 10;

	while (__any_sync(FULL, v < 50))
		v += 7;
	out[i] = v;
}

__global__ void fb_warp_two(const int *in, int *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = in[i];

	v = __shfl_xor_sync(FULL, v, 1) + __shfl_xor_sync(FULL, v, 2);
	out[i] = v;
}

__global__ void fb_warp_divloop(const int *in, int *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = in[i];

	for (int k = 0; k < (int)threadIdx.x % 3; k++)
		v += __shfl_xor_sync(FULL, v, 1);
	out[i] = v;
}

/* ---- host models ---------------------------------------------------------------- */

/* Lane j's value in a shuffle: 0 when j is outside [0, n) or absent. */
static long long lane_val(const long long *v, const char *present, int j, int n)
{
	return j >= 0 && j < n && present[j] ? v[j] : 0;
}

/* One shuffle over a block of n lanes (op: 'i' idx, 'u' up, 'd' down, 'x'
 * xor): each present lane's result in r[]. */
static void shfl(char op, const long long *v, const char *present, int n, int arg, int width,
		 long long *r)
{
	int t, w = width > 0 && width <= ws && !(width & (width - 1)) ? width : ws;

	for (t = 0; t < n; t++) {
		int base = t - t % ws, lane = t - base, seg = lane & ~(w - 1), src;

		if (!present[t]) {
			r[t] = v[t];
			continue;
		}
		switch (op) {
		case 'i': src = seg + (arg & (w - 1)); break;
		case 'u': src = lane - arg; if (src < seg) { r[t] = v[t]; continue; } break;
		case 'd': src = lane + arg; if (src >= seg + w) { r[t] = v[t]; continue; } break;
		default: src = lane ^ arg; if (src >= seg + w) { r[t] = v[t]; continue; } break;
		}
		r[t] = src < ws ? lane_val(v, present, base + src, n) : 0;
	}
}

static int run(const char *name, const void *k, int nthreads, const int *h_in, int nin,
	       void *h_out, size_t out_bytes)
{
	int *d_in;
	void *d_out;
	void *args[2];

	CHECK(musaMalloc((void **)&d_in, (size_t)nin * sizeof(int)));
	CHECK(musaMalloc(&d_out, out_bytes));
	CHECK(musaMemcpy(d_in, h_in, (size_t)nin * sizeof(int), musaMemcpyHostToDevice));
	CHECK(musaMemset(d_out, 0x7f, out_bytes));
	args[0] = &d_in;
	args[1] = &d_out;
	CHECK(musaLaunchKernel(k, dim3(NB), dim3(nthreads), args, 0, 0));
	CHECK(musaDeviceSynchronize());
	CHECK(musaMemcpy(h_out, d_out, out_bytes, musaMemcpyDeviceToHost));
	CHECK(musaFree(d_in));
	CHECK(musaFree(d_out));
	(void)name;
	return 0;
}

static void fill(int *a, int n, unsigned seed)
{
	for (int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		a[i] = (int)(seed >> 16) % 100;
	}
}

#define EXPECT_EQ(name, i, got, want) do {                                          \
	if ((long long)(got) != (long long)(want)) {                                \
		fprintf(stderr, "%s[%d]: got %lld, want %lld (warp size %d)\n", name, \
			(int)(i), (long long)(got), (long long)(want), ws);           \
		return 1;                                                           \
	}                                                                           \
} while (0)

static int block_sums(const char *name, const void *k, int n)
{
	static int in[NB * 1024];
	int out[NB];

	fill(in, NB * n, 7);
	if (run(name, k, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++) {
		long long want = 0;

		for (int t = 0; t < n; t++)
			want += in[b * n + t];
		EXPECT_EQ(name, b, out[b], want);
	}
	return 0;
}

static int test_butterfly(void)
{
	const int n = 100;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 11);
	if (run("butterfly", (const void *)fx_warp_butterfly, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++) {
		long long v[n], r[n];
		char p[n];

		for (int t = 0; t < n; t++) {
			v[t] = in[b * n + t];
			p[t] = 1;
		}
		for (int m = 1; m < 32; m <<= 1) {
			shfl('x', v, p, n, m, 32, r);
			for (int t = 0; t < n; t++)
				v[t] += r[t];
		}
		for (int t = 0; t < n; t++)
			EXPECT_EQ("butterfly", b * n + t, out[b * n + t], v[t]);
	}
	return 0;
}

static int test_scan(void)
{
	const int n = 96;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 13);
	if (run("scan", (const void *)fx_warp_scan, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++) {
		long long acc = 0;

		for (int t = 0; t < n; t++) {
			acc += in[b * n + t];
			EXPECT_EQ("scan", b * n + t, out[b * n + t], acc);
		}
	}
	return 0;
}

static int test_vote(void)
{
	const int n = 100;
	int in[NB * n];
	unsigned out[NB * n * 5];

	fill(in, NB * n, 17);
	if (run("vote", (const void *)fx_warp_vote, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++)
		for (int t = 0; t < n; t++) {
			const int *x = in + b * n;
			int sub = t - t % 32, base = t - t % ws, any = 0, all = 1;
			unsigned bal = 0, red = 0, m = 0;

			for (int k = 0; k < 32 && sub + k < n; k++) {
				bal |= (unsigned)(x[sub + k] & 1) << k;
				red += (unsigned)x[sub + k];
				if (x[sub + k] % 4 == x[t] % 4)
					m |= 1u << k;
			}
			for (int k = base; k < base + ws && k < n; k++) {
				any |= x[k] > 90;
				all &= x[k] >= 2;
			}
			EXPECT_EQ("ballot", b * n + t, out[(b * n + t) * 5 + 0], bal);
			EXPECT_EQ("any", b * n + t, out[(b * n + t) * 5 + 1], any);
			EXPECT_EQ("all", b * n + t, out[(b * n + t) * 5 + 2], all);
			EXPECT_EQ("reduce_add", b * n + t, out[(b * n + t) * 5 + 3], red);
			EXPECT_EQ("match_any", b * n + t, out[(b * n + t) * 5 + 4], m);
		}
	return 0;
}

static int test_bcast(void)
{
	const int n = 44;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 19);
	if (run("bcast", (const void *)fx_warp_bcast, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++) {
		long long v[n], r[n];
		char p[n];

		for (int t = 0; t < n; t++) {
			v[t] = in[b * n + t];
			p[t] = 1;
		}
		shfl('i', v, p, n, 3, 8, r);
		for (int t = 0; t < n; t++) {
			EXPECT_EQ("bcast", b * n + t, out[b * n + t], r[t] * 1000 + r[t ^ 1]);
		}
	}
	return 0;
}

static int test_early(void)
{
	const int n = 70;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 23);
	if (run("early", (const void *)fx_warp_early, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++) {
		long long v[n], r[n];
		char p[n];

		for (int t = 0; t < n; t++) {
			v[t] = in[b * n + t];
			p[t] = in[b * n + t] % 5 != 0;
		}
		shfl('d', v, p, n, 1, 0, r);
		for (int t = 0; t < n; t++)
			EXPECT_EQ("early", b * n + t, out[b * n + t], p[t] ? v[t] + r[t] : 0x7f7f7f7f);
	}
	return 0;
}

static int test_ifelse(void)
{
	const int n = 64;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 29);
	if (run("ifelse", (const void *)fx_warp_ifelse, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++) {
		long long v[n], r[n];
		char p[n];

		for (int t = 0; t < n; t++) {
			v[t] = in[b * n + t];
			p[t] = t % 2 == 0;
		}
		shfl('x', v, p, n, 2, 0, r);
		for (int t = 0; t < n; t++)
			EXPECT_EQ("ifelse", b * n + t, out[b * n + t], p[t] ? r[t] + 1 : -v[t]);
	}
	return 0;
}

static int test_tsum(void)
{
	const int n = 96;
	int in[NB * n], out[NB * n / 32];
	double din[NB * n], dout[NB * n / 32];
	double *dd_in, *dd_out;

	fill(in, NB * n, 31);
	if (run("tsum", (const void *)fx_warp_tsum<int>, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int i = 0; i < NB * n; i++)
		din[i] = in[i] + 0.5;
	CHECK(musaMalloc((void **)&dd_in, sizeof(din)));
	CHECK(musaMalloc((void **)&dd_out, sizeof(dout)));
	CHECK(musaMemcpy(dd_in, din, sizeof(din), musaMemcpyHostToDevice));
	fx_warp_tsum<double><<<NB, n>>>(dd_in, dd_out);
	CHECK(musaMemcpy(dout, dd_out, sizeof(dout), musaMemcpyDeviceToHost));
	CHECK(musaFree(dd_in));
	CHECK(musaFree(dd_out));
	for (int w = 0; w < NB * n / 32; w++) {
		long long want = 0;

		for (int k = 0; k < 32; k++)
			want += in[w * 32 + k];
		EXPECT_EQ("tsum<int>", w, out[w], want);
		EXPECT_EQ("tsum<double>", w, dout[w] * 2, want * 2 + 32);
	}
	return 0;
}

static int test_fibers(void)
{
	const int n = 64;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 37);
	if (run("cond", (const void *)fx_warp_cond, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++)
		for (int t = 0; t < n; t++) {
			int base = t - t % ws, any = 0;

			for (int k = base; k < base + ws && k < n; k++)
				any |= in[b * n + k] > 90;
			EXPECT_EQ("cond", b * n + t, out[b * n + t], any ? 1 : 2);
		}
	if (run("while", (const void *)fb_warp_while, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++)
		for (int t = 0; t < n; t++) {
			int base = t - t % ws, steps = 0;

			/* the warp loops until no lane is below 50 */
			for (int k = base; k < base + ws && k < n; k++) {
				int v = in[b * n + k] % 10, s = 0;

				while (v < 50) {
					v += 7;
					s++;
				}
				steps = s > steps ? s : steps;
			}
			EXPECT_EQ("while", b * n + t, out[b * n + t], in[b * n + t] % 10 + 7 * steps);
		}
	if (run("two", (const void *)fb_warp_two, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++)
		for (int t = 0; t < n; t++) {
			const int *x = in + b * n;
			long long want = ((t ^ 1) / ws == t / ws ? x[t ^ 1] : 0) +
					 ((t ^ 2) / ws == t / ws ? x[t ^ 2] : 0);

			EXPECT_EQ("two", b * n + t, out[b * n + t], want);
		}
	return 0;
}

int main(void)
{
	CHECK(musaDeviceGetAttribute(&ws, musaDevAttrWarpSize, 0));
	EXPECT(ws == 32 || ws == 128);
	if (block_sums("tree", (const void *)fx_warp_tree, 256) ||
	    block_sums("inline", (const void *)fx_warp_inline, 256) ||
	    block_sums("ballot_mask", (const void *)fx_warp_ballot_mask, 256) ||
	    block_sums("ballot_mask", (const void *)fx_warp_ballot_mask, 1024) ||
	    test_butterfly() || test_scan() || test_vote() || test_bcast() || test_early() ||
	    test_ifelse() || test_tsum() || test_fibers())
		return 1;
	printf("warp: ok (warp size %d)\n", ws);
	return 0;
}
