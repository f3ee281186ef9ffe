#include "check.h"

#define BLOCK 128

/* Block sum by tree reduction: wrong without a working barrier. */
__global__ void block_sum(const int *in, int *out)
{
	__shared__ int buf[BLOCK];
	unsigned t = threadIdx.x;

	buf[t] = in[blockIdx.x * BLOCK + t];
	__syncthreads();
	for (unsigned s = BLOCK / 2; s > 0; s >>= 1) {
		if (t < s)
			buf[t] += buf[t + s];
		__syncthreads();
	}
	if (t == 0)
		out[blockIdx.x] = buf[0];
	/* every thread reads the result after the last barrier */
	if (buf[0] != out[blockIdx.x])
		out[blockIdx.x] = -1;
}

/* Threads that return early still let the others pass the barrier. */
__global__ void early_exit(int *out)
{
	__shared__ int v;
	if (threadIdx.x >= 16)
		return;
	if (threadIdx.x == 0)
		v = 42;
	__syncthreads();
	out[threadIdx.x] = v + __syncthreads_count(threadIdx.x & 1);
}

int main(void)
{
	const int blocks = 8;
	int host[blocks * BLOCK], sums[blocks], *in, *out;

	for (int i = 0; i < blocks * BLOCK; i++)
		host[i] = i % 97;
	CHECK(musaMalloc(&in, sizeof(host)));
	CHECK(musaMalloc(&out, sizeof(host)));
	CHECK(musaMemcpy(in, host, sizeof(host), musaMemcpyHostToDevice));
	block_sum<<<blocks, BLOCK>>>(in, out);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(sums, out, sizeof(sums), musaMemcpyDeviceToHost));
	for (int b = 0; b < blocks; b++) {
		int want = 0;
		for (int i = 0; i < BLOCK; i++)
			want += host[b * BLOCK + i];
		EXPECT(sums[b] == want);
	}
	early_exit<<<1, 64>>>(out);
	CHECK(musaMemcpy(sums, out, sizeof(sums), musaMemcpyDeviceToHost));
	for (int i = 0; i < 8; i++)
		EXPECT(sums[i] == 42 + 8);
	CHECK(musaFree(in));
	CHECK(musaFree(out));
	return 0;
}
