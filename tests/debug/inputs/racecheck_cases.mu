// Shared-memory hazards for the race checker (test_racecheck.c): one kind
// per case, and correct kernels that must report nothing.
#include <stdio.h>
#include <string.h>

__global__ void shift_no_sync(int *out)
{
	__shared__ int s[64];
	int t = threadIdx.x;
	s[t] = t;
	out[t] = s[(t + 1) % 64];
}

__global__ void shift_synced(int *out)
{
	__shared__ int s[64];
	int t = threadIdx.x;
	s[t] = t;
	__syncthreads();
	out[t] = s[(t + 1) % 64];
}

__global__ void count_atomic(int *out)
{
	__shared__ int n;
	if (threadIdx.x == 0)
		n = 0;
	__syncthreads();
	atomicAdd(&n, 1);
	__syncthreads();
	if (threadIdx.x == 0)
		out[0] = n;
}

__global__ void warp_sum(int *out)
{
	__shared__ int s[32];
	int t = threadIdx.x;
	s[t] = t;
	__syncwarp();
	for (int d = 16; d > 0; d /= 2) {
		int v = t < d ? s[t + d] : 0;
		__syncwarp();
		if (t < d)
			s[t] += v;
		__syncwarp();
	}
	if (t == 0)
		out[0] = s[0];
}

__global__ void dyn_overwrite(int *out)
{
	extern __shared__ int d[];
	d[0] = threadIdx.x;
	__syncthreads();
	out[threadIdx.x] = d[0];
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	int *d = NULL, h[64];
	musaError_t e;

	musaMalloc(&d, sizeof(h));
	if (!strcmp(c, "shift"))
		shift_no_sync<<<1, 64>>>(d);
	else if (!strcmp(c, "clean")) {
		shift_synced<<<2, 64>>>(d);
		count_atomic<<<2, 64>>>(d);
		warp_sum<<<2, 32>>>(d);
	} else if (!strcmp(c, "dyn"))
		dyn_overwrite<<<1, 32, 64>>>(d);
	e = musaDeviceSynchronize();
	musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost);
	printf("sync: %s\n", musaGetErrorString(e));
	return 0;
}
