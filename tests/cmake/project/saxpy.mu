// saxpy.mu - the kernel of the static library saxpy.
#include <musa_runtime.h>
#include "saxpy.h"

__global__ void saxpy_kernel(int n, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = SAXPY_A * x[i] + y[i];
}

void saxpy(int n, const float *x, float *y)
{
    saxpy_kernel<<<(n + 127) / 128, 128>>>(n, x, y);
}
