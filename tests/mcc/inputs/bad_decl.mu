#include <musa_runtime.h>

__global__ void ok(int *p) { *p = 1; }

/* line 5: the second parameter has no name */
__global__ void broken(int *p, float)
{
}
