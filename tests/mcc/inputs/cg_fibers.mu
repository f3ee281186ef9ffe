/* Kernels that synchronise only through cooperative groups still get
 * fibers: mcc sees the group collectives, not just __syncthreads. */
#include <musa_cooperative_groups.h>
#include "check.h"

namespace cg = cooperative_groups;

/* cta.sync() as a member call */
__global__ void rotate(int *out)
{
	__shared__ int s[256];
	cg::thread_block cta = cg::this_thread_block();
	unsigned t = cta.thread_rank();

	s[t] = (int)t * 7;
	cta.sync();
	out[t] = s[(t + 1) % cta.size()];
}

/* a helper taking the tile: the collective hides in a device function */
__device__ int tile_sum(cg::thread_block_tile<32> tile, int v)
{
	for (int d = 16; d > 0; d /= 2)
		v += tile.shfl_down(v, d);
	return v;
}

__global__ void sums(const int *in, int *out)
{
	cg::thread_block_tile<32> tile = cg::tiled_partition<32>(cg::this_thread_block());
	int v = tile_sum(tile, in[threadIdx.x]);

	if (tile.thread_rank() == 0)
		out[threadIdx.x / 32] = v;
}

int main(void)
{
	int h[256], r[8], *d, *o;

	CHECK(musaMalloc(&d, sizeof(h)));
	CHECK(musaMalloc(&o, sizeof(h)));
	rotate<<<1, 256>>>(d);
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int t = 0; t < 256; t++)
		EXPECT(h[t] == ((t + 1) % 256) * 7);
	for (int t = 0; t < 256; t++)
		h[t] = t;
	CHECK(musaMemcpy(d, h, sizeof(h), musaMemcpyHostToDevice));
	sums<<<1, 256>>>(d, o);
	CHECK(musaMemcpy(r, o, sizeof(r), musaMemcpyDeviceToHost));
	for (int w = 0; w < 8; w++)
		EXPECT(r[w] == 32 * 32 * w + 31 * 16);
	CHECK(musaFree(d));
	CHECK(musaFree(o));
	return 0;
}
