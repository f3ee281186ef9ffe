/* Kernels declared the ways real CUDA code declares them (__global__
 * static, static __global__, static inline, extern "C") and launched with
 * blanks inside the chevrons or across lines. No musa_runtime.h include:
 * mcc makes it visible, as nvcc does with cuda_runtime.h. */
#include <stdio.h>

__global__ static void k_static(int *p) { p[threadIdx.x] = 1; }
static __global__ void k_static2(int *p) { p[threadIdx.x] += 2; }
__global__ static inline void k_inline(int *p) { p[threadIdx.x] += 4; }
extern "C" __global__ void k_c(int *p) { p[threadIdx.x] += 8; }
__global__ static void k_barrier(int *p)
{
	__shared__ int s[32];
	s[threadIdx.x] = p[threadIdx.x];
	__syncthreads();
	p[threadIdx.x] = s[31 - threadIdx.x] + 16;
}

template <class T> struct box { T v; };
/* `> > >` closing nested templates is no launch */
static box<box<box<int> > > nested = {{{3}}};

int main(void)
{
	int *d, h[32];

	if (musaMalloc(&d, sizeof(h)) != musaSuccess)
		return 1;
	k_static << < 1, 32 >> > (d);
	k_static2<<< 1,
		     32 >>>(d);
	k_inline < < < 1, 32 > > > (d);
	k_c<<<1, 32>> >(d);
	k_barrier<<< dim3(1), dim3(32) >>>(d);
	if (musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost) != musaSuccess)
		return 1;
	for (int i = 0; i < 32; i++)
		if (h[i] != 31) {
			fprintf(stderr, "h[%d] = %d\n", i, h[i]);
			return 1;
		}
	return nested.v.v.v == 3 ? 0 : 1;
}
