// Kernels that fault in each way a fault report describes (test_fault_report.c).
#include <assert.h>
#include <stdio.h>
#include <string.h>

__global__ void store_null(int *p)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i == 45)
		p[i] = 1;
}

struct Scale {
	int k;
	__device__ int apply(int x) const { return k * x; }
};

// A call mcc does not look into: the loops keep threadIdx in memory.
__global__ void store_null_method(int *p, Scale s)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i == 45)
		p[s.apply(i)] = 1;
}

__global__ void store_null_barrier(int *p)
{
	__shared__ int s[64];
	int t = threadIdx.x;
	s[t] = t;
	__syncthreads();
	if (blockIdx.x == 1 && t == 13)
		p[s[63 - t]] = 1;
}

__global__ void check_positive(const int *v)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	assert(v[i] >= 0);
}

__global__ void trap_at(int *p)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i == 40)
		__trap();
	p[i] = i;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	int *d = NULL;
	int h[64];
	musaError_t e;

	for (int i = 0; i < 64; i++)
		h[i] = i == 37 ? -1 : i;
	musaMalloc(&d, sizeof(h));
	musaMemcpy(d, h, sizeof(h), musaMemcpyHostToDevice);
	if (!strcmp(c, "null"))
		store_null<<<2, 32>>>(NULL);
	else if (!strcmp(c, "null_method"))
		store_null_method<<<2, 32>>>(NULL, Scale{1});
	else if (!strcmp(c, "barrier"))
		store_null_barrier<<<2, 64>>>(NULL);
	else if (!strcmp(c, "assert"))
		check_positive<<<2, 32>>>(d);
	else if (!strcmp(c, "clean"))
		store_null<<<1, 32>>>(d);  /* thread 45 does not exist */
	else if (!strcmp(c, "trap"))
		trap_at<<<2, 32>>>(d);
	e = musaDeviceSynchronize();
	printf("sync: %s\n", musaGetErrorString(e));
	return 0;
}
