#include "check.h"

__global__ void rev(int *out, int n)
{
	extern __shared__ int tmp[];
	tmp[threadIdx.x] = out[threadIdx.x];
	__syncthreads();
	out[threadIdx.x] = tmp[n - 1 - threadIdx.x];
}

int main(void)
{
	int host[48], *dev;
	musaStream_t st;

	for (int i = 0; i < 48; i++)
		host[i] = i;
	CHECK(musaStreamCreate(&st));
	CHECK(musaMalloc(&dev, sizeof(host)));
	CHECK(musaMemcpy(dev, host, sizeof(host), musaMemcpyHostToDevice));
	rev <<< 1 , 48 , 48 * sizeof ( int ) , st >>> ( dev ,
		48 );
	CHECK(musaStreamSynchronize(st));
	CHECK(musaMemcpy(host, dev, sizeof(host), musaMemcpyDeviceToHost));
	for (int i = 0; i < 48; i++)
		EXPECT(host[i] == 47 - i);
	CHECK(musaStreamDestroy(st));
	CHECK(musaFree(dev));
	return 0;
}
