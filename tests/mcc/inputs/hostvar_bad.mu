/* A host variable is not visible in device code (nvcc: "identifier is
 * undefined in device code"); a constant one is its value. */
#include <musa_runtime.h>

int table[4] = {1, 2, 3, 4};
const int scale = 3;

__global__ void k(int *p)
{
	p[threadIdx.x] = scale * table[threadIdx.x % 4];   /* line 10 */
}
