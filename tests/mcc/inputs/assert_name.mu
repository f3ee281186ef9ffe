/* A failed device assert in each execution mode: its message names the
 * kernel as the source declares it. Each launch must end in
 * musaErrorAssert; the test reads the messages from stderr. */
#include <assert.h>
#include <stdio.h>

#include "check.h"

/* No barrier: loop mode. */
__global__ void plain_kernel(int *p, int n)
{
	assert(n > 1000);
	p[threadIdx.x] = n;
}

/* A barrier between two phases: fission. */
__global__ void barrier_kernel(int *p, int n)
{
	__shared__ int s[32];

	s[threadIdx.x] = n;
	__syncthreads();
	assert(s[0] > 1000);
	p[threadIdx.x] = s[31 - threadIdx.x];
}

namespace outer {
__global__ void scoped_kernel(float *p)
{
	assert(p == nullptr);
}
}

template <typename T> __global__ void templ_kernel(T *p)
{
	assert(p == nullptr);
}

static int launch_and_reset(int which, int *d)
{
	musaError_t e;

	switch (which) {
	case 0: plain_kernel<<<1, 32>>>(d, 5); break;
	case 1: barrier_kernel<<<1, 32>>>(d, 5); break;
	case 2: outer::scoped_kernel<<<1, 1>>>((float *)d); break;
	default: templ_kernel<int><<<1, 1>>>(d); break;
	}
	e = musaDeviceSynchronize();
	if (e != musaErrorAssert) {
		fprintf(stderr, "kernel %d: %s\n", which, musaGetErrorString(e));
		return 1;
	}
	return musaDeviceReset() != musaSuccess;
}

int main(void)
{
	for (int which = 0; which < 4; which++) {
		int *d = NULL;

		if (musaMalloc((void **)&d, 32 * sizeof(int)) != musaSuccess)
			return 1;
		if (launch_and_reset(which, d))
			return 1;
	}
	return 0;
}
