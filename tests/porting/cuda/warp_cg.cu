// Cooperative groups from <cooperative_groups.h> (a name MUSA keeps),
// half and bfloat16 types from cuda_fp16.h / cuda_bf16.h and the warp
// intrinsics of compute capability 8.0, in CUDA's names. Prints PASSED.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <cstdio>

namespace cg = cooperative_groups;

__global__ void block_sum(const int *in, int *out, int n)
{
	__shared__ int partial[32];
	cg::thread_block block = cg::this_thread_block();
	cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int v = i < n ? in[i] : 0;
	int s = cg::reduce(warp, v, cg::plus<int>());
	if (warp.thread_rank() == 0)
		partial[warp.meta_group_rank()] = s;
	block.sync();
	if (threadIdx.x == 0) {
		int t = 0;
		for (unsigned w = 0; w < warp.meta_group_size(); w++)
			t += partial[w];
		atomicAdd(out, t);
	}
}

// One warp: __reduce_add_sync, __match_any_sync, __dp4a, half and bf16.
__global__ void intrinsics(unsigned *out, float *fout)
{
	unsigned lane = threadIdx.x;
	unsigned sum = __reduce_add_sync(0xffffffffu, lane);
	unsigned same = __match_any_sync(0xffffffffu, lane / 8);
	int dp = __dp4a(0x01020304, 0x01010101, 10);
	__half h = __float2half(1.5f) * __float2half(2.0f);
	__nv_bfloat16 b = __float2bfloat16(3.0f) + __float2bfloat16(0.5f);
	if (lane == 9) {
		out[0] = sum;
		out[1] = same;
		out[2] = (unsigned)dp;
		fout[0] = __half2float(h);
		fout[1] = __bfloat162float(b);
	}
}

int main()
{
	const int n = 100000;
	int *in, *out, host_out = 0;
	unsigned *u, hu[3];
	float *f, hf[2];

	if (cudaMallocManaged(&in, n * sizeof(int)) != cudaSuccess)
		return printf("FAILED: cudaMallocManaged\n"), 1;
	cudaMalloc(&out, sizeof(int));
	cudaMemset(out, 0, sizeof(int));
	for (int i = 0; i < n; i++)
		in[i] = i % 7;
	block_sum<<<(n + 255) / 256, 256>>>(in, out, n);
	cudaMalloc(&u, sizeof hu);
	cudaMalloc(&f, sizeof hf);
	intrinsics<<<1, 32>>>(u, f);
	cudaMemcpy(&host_out, out, sizeof(int), cudaMemcpyDeviceToHost);
	cudaMemcpy(hu, u, sizeof hu, cudaMemcpyDeviceToHost);
	cudaMemcpy(hf, f, sizeof hf, cudaMemcpyDeviceToHost);
	long want = 0;
	for (int i = 0; i < n; i++)
		want += i % 7;
	if (cudaGetLastError() != cudaSuccess || host_out != want) {
		printf("FAILED: block sum %d, expected %ld\n", host_out, want);
		return 1;
	}
	if (hu[0] != 496 || hu[1] != 0x0000ff00u || hu[2] != 20 || hf[0] != 3.0f || hf[1] != 3.5f) {
		printf("FAILED: intrinsics %u %#x %u %g %g\n", hu[0], hu[1], hu[2], hf[0], hf[1]);
		return 1;
	}
	cudaFree(in);
	cudaFree(out);
	cudaFree(u);
	cudaFree(f);
	printf("PASSED\n");
	return 0;
}
