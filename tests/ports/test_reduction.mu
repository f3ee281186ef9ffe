/* SPDX-License-Identifier: MIT */
/*
 * test_reduction.mu - the job of cuda-samples' reduction: summing an array
 * with the sample's successive kernels, each one a step of optimisation:
 *   reduce0  interleaved addressing, divergent modulo test
 *   reduce1  interleaved addressing, strided index (no divergence)
 *   reduce2  sequential addressing (no bank conflicts)
 *   reduce3  first add during the global load
 *   reduce4  templated on the block size, last warp by __shfl_down_sync
 *   reduce5  fully unrolled over the template block size
 *   reduce6  grid-stride loop, templated on block size and nIsPow2
 *   cg_reduce  cooperative groups: thread_block, tiled_partition<32>,
 *              cg::reduce with cg::plus
 * All use dynamic shared memory (extern __shared__ through a templated
 * accessor, as the sample does), sized at launch. Integers, so the device
 * sums must equal the host sum exactly. The warp-level steps are written for
 * any warp size that divides the block (32 or 128 here).
 */
#include <musa_cooperative_groups.h>

#include "port_test.h"

namespace cg = cooperative_groups;

/* Dynamic shared memory seen as T[]; one extern array per element type,
 * since an extern __shared__ array cannot be declared with a dependent type. */
template <class T> struct SharedMemory;
template <> struct SharedMemory<int> {
	__device__ int *get()
	{
		extern __shared__ int smem_int[];
		return smem_int;
	}
};

__global__ void reduce0(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	unsigned tid = threadIdx.x, i = blockIdx.x * blockDim.x + threadIdx.x;

	sdata[tid] = i < n ? in[i] : 0;
	__syncthreads();
	for (unsigned s = 1; s < blockDim.x; s *= 2) {
		if (tid % (2 * s) == 0)
			sdata[tid] += sdata[tid + s];
		__syncthreads();
	}
	if (tid == 0)
		out[blockIdx.x] = sdata[0];
}

__global__ void reduce1(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	unsigned tid = threadIdx.x, i = blockIdx.x * blockDim.x + threadIdx.x;

	sdata[tid] = i < n ? in[i] : 0;
	__syncthreads();
	for (unsigned s = 1; s < blockDim.x; s *= 2) {
		unsigned idx = 2 * s * tid;

		if (idx < blockDim.x)
			sdata[idx] += sdata[idx + s];
		__syncthreads();
	}
	if (tid == 0)
		out[blockIdx.x] = sdata[0];
}

__global__ void reduce2(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	unsigned tid = threadIdx.x, i = blockIdx.x * blockDim.x + threadIdx.x;

	sdata[tid] = i < n ? in[i] : 0;
	__syncthreads();
	for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
		if (tid < s)
			sdata[tid] += sdata[tid + s];
		__syncthreads();
	}
	if (tid == 0)
		out[blockIdx.x] = sdata[0];
}

/* Each block covers 2 * blockDim.x elements. */
__global__ void reduce3(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	unsigned tid = threadIdx.x, i = blockIdx.x * blockDim.x * 2 + threadIdx.x;
	int sum = i < n ? in[i] : 0;

	if (i + blockDim.x < n)
		sum += in[i + blockDim.x];
	sdata[tid] = sum;
	__syncthreads();
	for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
		if (tid < s)
			sdata[tid] = sum = sum + sdata[tid + s];
		__syncthreads();
	}
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* Sums v over the warp; lane 0 gets the total. */
__device__ __forceinline__ int warp_sum(int v)
{
	for (int off = warpSize / 2; off > 0; off /= 2)
		v += __shfl_down_sync(0xffffffffu, v, off);
	return v;
}

/* Tree in shared memory down to one warp's worth, then shuffles. */
template <unsigned blockSize>
__global__ void reduce4(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	unsigned tid = threadIdx.x, i = blockIdx.x * blockSize * 2 + threadIdx.x;
	int sum = i < n ? in[i] : 0;

	if (i + blockSize < n)
		sum += in[i + blockSize];
	sdata[tid] = sum;
	__syncthreads();
	for (unsigned s = blockSize / 2; s >= (unsigned)warpSize; s >>= 1) {
		if (tid < s)
			sdata[tid] = sum = sum + sdata[tid + s];
		__syncthreads();
	}
	if (tid < (unsigned)warpSize)
		sum = warp_sum(sum);
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* The tree fully unrolled: every step's bound is a compile-time constant. */
template <unsigned blockSize>
__global__ void reduce5(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	unsigned tid = threadIdx.x, i = blockIdx.x * blockSize * 2 + threadIdx.x;
	int sum = i < n ? in[i] : 0;

	if (i + blockSize < n)
		sum += in[i + blockSize];
	sdata[tid] = sum;
	__syncthreads();
	if (blockSize >= 1024 && tid < 512 && warpSize <= 512)
		sdata[tid] = sum = sum + sdata[tid + 512];
	__syncthreads();
	if (blockSize >= 512 && tid < 256 && warpSize <= 256)
		sdata[tid] = sum = sum + sdata[tid + 256];
	__syncthreads();
	if (blockSize >= 256 && tid < 128 && warpSize <= 128)
		sdata[tid] = sum = sum + sdata[tid + 128];
	__syncthreads();
	if (blockSize >= 128 && tid < 64 && warpSize <= 64)
		sdata[tid] = sum = sum + sdata[tid + 64];
	__syncthreads();
	if (blockSize >= 64 && tid < 32 && warpSize <= 32)
		sdata[tid] = sum = sum + sdata[tid + 32];
	__syncthreads();
	if (tid < (unsigned)warpSize)
		sum = warp_sum(sum);
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* Any n and any grid: each thread first sums a grid-stride slice, taking
 * two elements per step; when n is a power of two (nIsPow2) the second load
 * needs no bounds check. Then warps reduce by shuffles and the first warp
 * reduces the warps' sums. */
template <unsigned blockSize, bool nIsPow2>
__global__ void reduce6(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	unsigned tid = threadIdx.x, i = blockIdx.x * blockSize * 2 + threadIdx.x;
	unsigned grid = blockSize * 2 * gridDim.x;
	unsigned nwarps = blockSize / warpSize;
	int sum = 0;

	while (i < n) {
		sum += in[i];
		if (nIsPow2 || i + blockSize < n)
			sum += in[i + blockSize];
		i += grid;
	}
	sum = warp_sum(sum);
	if (tid % warpSize == 0)
		sdata[tid / warpSize] = sum;
	__syncthreads();
	if (tid < (unsigned)warpSize) {
		sum = tid < nwarps ? sdata[tid] : 0;
		sum = warp_sum(sum);
	}
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* Cooperative groups: each 32-thread tile reduces with cg::reduce, the tile
 * leaders' sums meet in shared memory and the first tile reduces those. */
__global__ void cg_reduce(const int *in, int *out, unsigned n)
{
	int *sdata = SharedMemory<int>().get();
	cg::thread_block cta = cg::this_thread_block();
	cg::thread_block_tile<32> tile32 = cg::tiled_partition<32>(cta);
	unsigned tid = cta.thread_rank(), ntiles = cta.size() / 32;
	unsigned i = blockIdx.x * cta.size() * 2 + tid;
	int sum = 0;

	for (; i < n; i += cta.size() * 2 * gridDim.x) {
		sum += in[i];
		if (i + cta.size() < n)
			sum += in[i + cta.size()];
	}
	sum = cg::reduce(tile32, sum, cg::plus<int>());
	if (tile32.thread_rank() == 0)
		sdata[tile32.meta_group_rank()] = sum;
	cg::sync(cta);
	if (tile32.meta_group_rank() == 0) {
		sum = tile32.thread_rank() < ntiles ? sdata[tile32.thread_rank()] : 0;
		sum = cg::reduce(tile32, sum, cg::plus<int>());
		if (tile32.thread_rank() == 0)
			out[blockIdx.x] = sum;
	}
}

enum { N = (1 << 16) + 77 };   /* not a power of two: every bound is hit */

struct input {
	int *h, *d, *dout, *hout;
	long long want;
};

static void input_make(struct input *in, unsigned n)
{
	unsigned seed = 2024u + n;

	in->h = (int *)malloc(n * sizeof(int));
	in->hout = (int *)malloc(n * sizeof(int));
	in->want = 0;
	for (unsigned i = 0; i < n; i++) {
		in->h[i] = (int)(port_rand(&seed) % 201) - 100;
		in->want += in->h[i];
	}
	in->d = (int *)dev_alloc(n * sizeof(int));
	in->dout = (int *)dev_alloc(n * sizeof(int));
	dev_put(in->d, in->h, n * sizeof(int));
}

static void input_free(struct input *in)
{
	MUSA_OK(musaFree(in->d));
	MUSA_OK(musaFree(in->dout));
	free(in->h);
	free(in->hout);
}

/* Sums the per-block results on the host, as the sample's CPU final pass. */
static long long partial_sum(struct input *in, unsigned blocks)
{
	long long s = 0;

	DEV_SYNC();
	dev_get(in->hout, in->dout, blocks * sizeof(int));
	for (unsigned b = 0; b < blocks; b++)
		s += in->hout[b];
	return s;
}

START_TEST(reduce0_to_3)
{
	static const unsigned threads[] = {64, 128, 256, 512};
	struct input in;

	input_make(&in, N);
	for (unsigned k = 0; k < 4; k++)
		for (unsigned t = 0; t < 4; t++) {
			unsigned per_block = threads[t] * (k == 3 ? 2 : 1);
			unsigned blocks = (N + per_block - 1) / per_block;

			switch (k) {
			case 0: reduce0<<<blocks, threads[t], threads[t] * sizeof(int)>>>(in.d, in.dout, N); break;
			case 1: reduce1<<<blocks, threads[t], threads[t] * sizeof(int)>>>(in.d, in.dout, N); break;
			case 2: reduce2<<<blocks, threads[t], threads[t] * sizeof(int)>>>(in.d, in.dout, N); break;
			default: reduce3<<<blocks, threads[t], threads[t] * sizeof(int)>>>(in.d, in.dout, N); break;
			}
			ck_assert_msg(partial_sum(&in, blocks) == in.want, "reduce%u, %u threads", k, threads[t]);
		}
	input_free(&in);
}
END_TEST

/* Launches reduce4 or reduce5 for a block size known at run time: a switch
 * over the instantiations, as the sample's host code does. */
static void launch45(int which, unsigned bs, unsigned blocks, struct input *in)
{
	size_t sh = bs * sizeof(int);

/* mcc sees launches in the source text, so each is spelled out. */
	switch (bs) {
	case 32:
		if (which == 4)
			reduce4<32><<<blocks, 32, sh>>>(in->d, in->dout, N);
		else
			reduce5<32><<<blocks, 32, sh>>>(in->d, in->dout, N);
		break;
	case 64:
		if (which == 4)
			reduce4<64><<<blocks, 64, sh>>>(in->d, in->dout, N);
		else
			reduce5<64><<<blocks, 64, sh>>>(in->d, in->dout, N);
		break;
	case 128:
		if (which == 4)
			reduce4<128><<<blocks, 128, sh>>>(in->d, in->dout, N);
		else
			reduce5<128><<<blocks, 128, sh>>>(in->d, in->dout, N);
		break;
	case 256:
		if (which == 4)
			reduce4<256><<<blocks, 256, sh>>>(in->d, in->dout, N);
		else
			reduce5<256><<<blocks, 256, sh>>>(in->d, in->dout, N);
		break;
	case 512:
		if (which == 4)
			reduce4<512><<<blocks, 512, sh>>>(in->d, in->dout, N);
		else
			reduce5<512><<<blocks, 512, sh>>>(in->d, in->dout, N);
		break;
	case 1024:
		if (which == 4)
			reduce4<1024><<<blocks, 1024, sh>>>(in->d, in->dout, N);
		else
			reduce5<1024><<<blocks, 1024, sh>>>(in->d, in->dout, N);
		break;
	default:
		ck_abort_msg("no instance for %u threads", bs);
	}
}

START_TEST(reduce4_5_templated)
{
	struct input in;
	unsigned warp = (unsigned)dev_warp_size();

	input_make(&in, N);
	for (unsigned bs = 32; bs <= 1024; bs *= 2) {
		unsigned blocks = (N + 2 * bs - 1) / (2 * bs);

		if (bs % warp)  /* the warp steps need whole warps */
			continue;
		for (int which = 4; which <= 5; which++) {
			launch45(which, bs, blocks, &in);
			ck_assert_msg(partial_sum(&in, blocks) == in.want, "reduce%d<%u>", which, bs);
		}
	}
	input_free(&in);
}
END_TEST

/* reduce6: a fixed grid of 16 blocks; two passes on the device, the second
 * over the first's 16 partial sums, as the sample's GPU final pass. */
static void launch6(unsigned bs, bool pow2, unsigned blocks, const int *d, int *dout, unsigned n)
{
	size_t sh = bs / (unsigned)dev_warp_size() * sizeof(int);

	switch (bs) {
	case 32:
		if (pow2)
			reduce6<32, true><<<blocks, 32, sh>>>(d, dout, n);
		else
			reduce6<32, false><<<blocks, 32, sh>>>(d, dout, n);
		break;
	case 128:
		if (pow2)
			reduce6<128, true><<<blocks, 128, sh>>>(d, dout, n);
		else
			reduce6<128, false><<<blocks, 128, sh>>>(d, dout, n);
		break;
	case 256:
		if (pow2)
			reduce6<256, true><<<blocks, 256, sh>>>(d, dout, n);
		else
			reduce6<256, false><<<blocks, 256, sh>>>(d, dout, n);
		break;
	case 1024:
		if (pow2)
			reduce6<1024, true><<<blocks, 1024, sh>>>(d, dout, n);
		else
			reduce6<1024, false><<<blocks, 1024, sh>>>(d, dout, n);
		break;
	default:
		ck_abort_msg("no instance for %u threads", bs);
	}
	MUSA_OK(musaGetLastError());
}

static void run6(unsigned bs, unsigned n)
{
	struct input in;
	bool pow2 = (n & (n - 1)) == 0;
	int total = 0;

	if (bs % (unsigned)dev_warp_size())
		return;
	input_make(&in, n);
	launch6(bs, pow2, 16, in.d, in.dout, n);
	launch6(bs, false, 1, in.dout, in.dout + 16, 16);
	DEV_SYNC();
	dev_get(&total, in.dout + 16, sizeof(int));
	ck_assert_msg(total == in.want, "reduce6<%u, %d>: %d, want %lld", bs, pow2, total, in.want);
	input_free(&in);
}

START_TEST(reduce6_pow2_and_not)
{
	run6(128, 1 << 16);
	run6(128, N);
	run6(256, 1 << 17);
	run6(256, N);
	run6(1024, N);
	run6(32, 1000);
}
END_TEST

START_TEST(cg_tiles)
{
	static const unsigned threads[] = {32, 128, 256, 1024};
	struct input in;

	input_make(&in, N);
	for (unsigned t = 0; t < 4; t++) {
		unsigned blocks = 24;

		cg_reduce<<<blocks, threads[t], threads[t] / 32 * sizeof(int)>>>(in.d, in.dout, N);
		/* The kernel synchronises through cooperative groups only (no
		 * __syncthreads word), as the sample's does: mcc must see that
		 * it needs fibers, or its warp collectives fail the launch. */
		ck_assert_int_eq((int)musaDeviceSynchronize(), (int)musaSuccess);
		ck_assert_msg(partial_sum(&in, blocks) == in.want, "cg, %u threads", threads[t]);
	}
	input_free(&in);
}
END_TEST

DEV_TEST_MAIN("ports-reduction", reduce0_to_3, reduce4_5_templated, reduce6_pow2_and_not,
	      cg_tiles)
