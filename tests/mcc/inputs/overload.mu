#include <musa_runtime.h>

__global__ void k(int *p) { *p = 1; }

/* line 6: a second kernel named k */
__global__ void k(float *p) { *p = 1.0f; }
