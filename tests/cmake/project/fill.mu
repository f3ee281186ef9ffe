// fill.mu - a kernel of the program itself.
#include <musa_runtime.h>
#include "saxpy.h"

__global__ void fill_kernel(int n, float *x, float v)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        x[i] = v + i;
}

void fill(int n, float *x, float v)
{
    fill_kernel<<<(n + 127) / 128, 128>>>(n, x, v);
}
