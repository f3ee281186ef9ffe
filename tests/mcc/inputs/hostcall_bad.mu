/* nvcc refuses a __host__ function called from device code; so does mcc. */
#include <musa_runtime.h>

int host_only(int x) { return x + 1; }

__global__ void k(int *p)
{
	p[threadIdx.x] = host_only(3);   /* line 8 */
}
