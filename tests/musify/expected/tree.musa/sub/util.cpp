#include <helper_musa.h>
#include "../foo_musa.muh"

void reset_device() { checkCudaErrors(musaDeviceReset()); }
