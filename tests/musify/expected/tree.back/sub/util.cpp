#include <helper_cuda.h>
#include "../foo_cuda.cuh"

void reset_device() { checkCudaErrors(cudaDeviceReset()); }
