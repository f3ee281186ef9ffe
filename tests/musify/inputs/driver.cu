// Driver API names: functions, types, enums and macros.
#include <cuda.h>

int launch(CUfunction f, CUdeviceptr p, CUstream s)
{
	CUresult r = cuInit(0);
	CUdevice dev;
	CUcontext ctx;
	size_t bytes = 16;
	void *extra[] = { CU_LAUNCH_PARAM_BUFFER_POINTER, &p, CU_LAUNCH_PARAM_BUFFER_SIZE, &bytes,
			  CU_LAUNCH_PARAM_END };

	if (r != CUDA_SUCCESS)
		return 1;
	cuDeviceGet(&dev, 0);
	cuDevicePrimaryCtxSetFlags(dev, CU_CTX_SCHED_AUTO);
	cuDevicePrimaryCtxRetain(&ctx, dev);
	cuCtxSetCurrent(ctx);
	r = cuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, s, NULL, extra);
	if (r == CUDA_ERROR_INVALID_VALUE)
		return 2;
	return cuDevicePrimaryCtxRelease(dev) == CUDA_SUCCESS ? 0 : 3;
}
