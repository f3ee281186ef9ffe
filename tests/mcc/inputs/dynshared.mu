/* extern __shared__: every declaration, of any type and name, in a kernel
 * or at file scope, is the group's one dynamic buffer sized at launch. */
#include <string.h>
#include "check.h"

extern __shared__ float file_buf[];

struct Pair { double d; int i; };

/* two aliases of one buffer, read across threads after a barrier */
__global__ void alias(int *out)
{
	extern __shared__ int ibuf[];
	extern __shared__ unsigned char bytes[];
	unsigned t = threadIdx.x;
	int v;

	ibuf[t] = (int)t * 3 + (int)blockIdx.x * 1000;
	__syncthreads();
	memcpy(&v, bytes + ((t + 1) % blockDim.x) * sizeof(int), sizeof(v));
	out[blockIdx.x * blockDim.x + t] = v;
}

/* file-scope declaration, no barrier: the loop-mode path */
__global__ void through_file_scope(float *out, int n)
{
	unsigned t = threadIdx.x;

	file_buf[t] = (float)(t + blockIdx.x);
	if ((int)(blockIdx.x * blockDim.x + t) < n)
		out[blockIdx.x * blockDim.x + t] = file_buf[t] * 2.0f;
}

/* a large buffer of structs: 48 KiB, every byte written by some thread */
__global__ void big(long long *out)
{
	extern __shared__ Pair pairs[];
	unsigned per = 3072 / blockDim.x;

	for (unsigned k = 0; k < per; k++) {
		pairs[threadIdx.x * per + k].d = threadIdx.x + 0.5;
		pairs[threadIdx.x * per + k].i = (int)k;
	}
	__syncthreads();
	if (threadIdx.x == 0) {
		long long s = 0;
		for (unsigned k = 0; k < 3072; k++)
			s += (long long)(pairs[k].d * 2) + pairs[k].i;
		*out = s;
	}
}

int main(void)
{
	int hi[256], *di;
	float hf[300], *df;
	long long hs, *ds, want = 0;

	CHECK(musaMalloc(&di, sizeof(hi)));
	alias<<<4, 64, 64 * sizeof(int)>>>(di);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hi, di, sizeof(hi), musaMemcpyDeviceToHost));
	for (int b = 0; b < 4; b++)
		for (int t = 0; t < 64; t++)
			EXPECT(hi[b * 64 + t] == ((t + 1) % 64) * 3 + b * 1000);

	CHECK(musaMalloc(&df, sizeof(hf)));
	through_file_scope<<<3, 128, 128 * sizeof(float)>>>(df, 300);
	CHECK(musaMemcpy(hf, df, sizeof(hf), musaMemcpyDeviceToHost));
	for (int i = 0; i < 300; i++)
		EXPECT(hf[i] == 2.0f * (float)(i % 128 + i / 128));

	CHECK(musaMalloc(&ds, sizeof(hs)));
	big<<<1, 256, 3072 * sizeof(Pair)>>>(ds);
	CHECK(musaMemcpy(&hs, ds, sizeof(hs), musaMemcpyDeviceToHost));
	for (int t = 0; t < 256; t++)
		for (int k = 0; k < 12; k++)
			want += 2 * t + 1 + k;
	EXPECT(hs == want);
	CHECK(musaFree(di));
	CHECK(musaFree(df));
	CHECK(musaFree(ds));
	return 0;
}
