/*
 * Kernels with cooperative-groups tiles: a tile's shuffles (of an int and
 * of a 16-byte value, which takes two warp operations), votes, sync(),
 * cg::reduce and the scans over tiles of up to 32 threads, after block
 * barriers and under conditions that differ between threads. mcc runs
 * the fx_* kernels as loops (a tile's collective is a warp call whose
 * operations are replayed, docs/design.md "Warp operations as regions")
 * and keeps fibers for the fb_* ones. Every kernel is checked against a
 * host model: test_mcc builds this file with and without --no-fission,
 * for warp sizes 32 and 128, and reads `mcc -v`.
 */
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <cooperative_groups/scan.h>

#include "check.h"

namespace cg = cooperative_groups;

#define NB 3            /* blocks per grid */

static int ws;          /* the device's warp size */

/* ---- kernels -------------------------------------------------------------------- */

/* The reduction sample's shape: a shared tree with block syncs, then the
 * first tile of 32 shuffles down. */
__global__ void fx_tile_tree(const int *in, int *out)
{
	__shared__ int s[256];
	cg::thread_block cta = cg::this_thread_block();
	unsigned tid = threadIdx.x;
	int sum = in[blockIdx.x * blockDim.x + tid];

	s[tid] = sum;
	cg::sync(cta);
	for (unsigned k = blockDim.x / 2; k > 32; k >>= 1) {
		if (tid < k)
			s[tid] = sum = sum + s[tid + k];
		cg::sync(cta);
	}
	cg::thread_block_tile<32> tile32 = cg::tiled_partition<32>(cta);

	if (cta.thread_rank() < 32) {
		sum += s[tid + 32];
		for (int off = tile32.size() / 2; off > 0; off /= 2)
			sum += tile32.shfl_down(sum, off);
	}
	if (cta.thread_rank() == 0)
		out[blockIdx.x] = sum;
}

/* cg::reduce over tiles of 16 (sum) and 8 (max), with auto handles. */
__global__ void fx_tile_reduce(const int *in, int *out)
{
	auto cta = cg::this_thread_block();
	auto t16 = cg::tiled_partition<16>(cta);
	cg::thread_block_tile<8> t8 = cg::tiled_partition<8>(cta);
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = in[i];

	int sum = cg::reduce(t16, v, cg::plus<int>());
	int top = cg::reduce(t8, v, cg::greater<int>());
	out[i] = sum * 1000 + top;
}

struct pair16 {
	double a;
	long long b;
};

/* A 16-byte value through a tile's shfl_xor: two warp operations per call. */
__global__ void fx_tile_wide(const int *in, int *out)
{
	cg::thread_block cta = cg::this_thread_block();
	cg::thread_block_tile<32> t = cg::tiled_partition<32>(cta);
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	pair16 p;

	p.a = in[i] + 0.5;
	p.b = -in[i];
	pair16 q = t.shfl_xor(p, 3);
	out[i] = (int)(q.a * 2) * 1000 - (int)q.b;
}

/* Scans and votes of a tile of 32, a sync() of the tile between a shared
 * write and the neighbour's read. */
__global__ void fx_tile_scan_vote(const int *in, int *out)
{
	__shared__ int s[128];
	cg::thread_block cta = cg::this_thread_block();
	cg::thread_block_tile<32> t = cg::tiled_partition<32>(cta);
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = in[i];

	int inc = cg::inclusive_scan(t, v);
	int exc = cg::exclusive_scan(t, v, cg::plus<int>());
	unsigned odd = t.ballot(v & 1);
	s[threadIdx.x] = v;
	t.sync();
	int next = s[threadIdx.x - t.thread_rank() + (t.thread_rank() + 1) % t.size()];
	if (t.any(v > 97))
		next += 1000000;
	out[4 * i] = inc;
	out[4 * i + 1] = exc;
	out[4 * i + 2] = (int)odd;
	out[4 * i + 3] = next;
}

/* These keep their fibers (mcc -v says why). */
__global__ void fb_tile_dynamic(const int *in, int *out)
{
	cg::thread_block cta = cg::this_thread_block();
	cg::thread_group g = cg::tiled_partition(cta, 16);
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	out[i] = cg::reduce(g, in[i], cg::plus<int>());
}

/* ---- host ------------------------------------------------------------------------ */

static int run(const void *k, int nthreads, const int *h_in, int nin, void *h_out,
	       size_t out_bytes)
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

static int test_tree(void)
{
	const int n = 256;
	static int in[NB * n];
	int out[NB];

	fill(in, NB * n, 3);
	if (run((const void *)fx_tile_tree, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int b = 0; b < NB; b++) {
		long long want = 0;

		for (int t = 0; t < n; t++)
			want += in[b * n + t];
		EXPECT_EQ("tree", b, out[b], want);
	}
	return 0;
}

/* Blocks of 96 threads: tiles of 16 and 8 divide them. */
static int test_reduce(void)
{
	const int n = 96;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 5);
	if (run((const void *)fx_tile_reduce, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int i = 0; i < NB * n; i++) {
		int sum = 0, top = 0;

		for (int k = i - i % 16; k < i - i % 16 + 16; k++)
			sum += in[k];
		for (int k = i - i % 8; k < i - i % 8 + 8; k++)
			top = in[k] > top ? in[k] : top;
		EXPECT_EQ("reduce", i, out[i], sum * 1000 + top);
	}
	return 0;
}

static int test_wide(void)
{
	const int n = 64;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 9);
	if (run((const void *)fx_tile_wide, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int i = 0; i < NB * n; i++) {
		int src = i ^ 3;

		EXPECT_EQ("wide", i, out[i], (2 * in[src] + 1) * 1000 + in[src]);
	}
	return 0;
}

static int test_scan_vote(void)
{
	const int n = 128;
	int in[NB * n], out[4 * NB * n];

	fill(in, NB * n, 13);
	if (run((const void *)fx_tile_scan_vote, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int i = 0; i < NB * n; i++) {
		int base = i - i % 32, inc = 0, any = 0;
		unsigned odd = 0;

		for (int k = base; k <= i; k++)
			inc += in[k];
		for (int k = base; k < base + 32; k++) {
			odd |= (unsigned)(in[k] & 1) << (k - base);
			any |= in[k] > 97;
		}
		EXPECT_EQ("inclusive_scan", i, out[4 * i], inc);
		EXPECT_EQ("exclusive_scan", i, out[4 * i + 1], inc - in[i]);
		EXPECT_EQ("ballot", i, (unsigned)out[4 * i + 2], odd);
		EXPECT_EQ("sync", i, out[4 * i + 3], in[base + (i - base + 1) % 32] + (any ? 1000000 : 0));
	}
	return 0;
}

static int test_fibers(void)
{
	const int n = 64;
	int in[NB * n], out[NB * n];

	fill(in, NB * n, 17);
	if (run((const void *)fb_tile_dynamic, n, in, NB * n, out, sizeof(out)))
		return 1;
	for (int i = 0; i < NB * n; i++) {
		int sum = 0;

		for (int k = i - i % 16; k < i - i % 16 + 16; k++)
			sum += in[k];
		EXPECT_EQ("dynamic", i, out[i], sum);
	}
	return 0;
}

int main(void)
{
	CHECK(musaDeviceGetAttribute(&ws, musaDevAttrWarpSize, 0));
	EXPECT(ws == 32 || ws == 128);
	if (test_tree() || test_reduce() || test_wide() || test_scan_vote() || test_fibers())
		return 1;
	printf("tiles: ok (warp size %d)\n", ws);
	return 0;
}
