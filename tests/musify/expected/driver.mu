// Driver API names: functions, types, enums and macros.
#include <musa.h>

int launch(MUfunction f, MUdeviceptr p, MUstream s)
{
	MUresult r = muInit(0);
	MUdevice dev;
	MUcontext ctx;
	size_t bytes = 16;
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &p, MU_LAUNCH_PARAM_BUFFER_SIZE, &bytes,
			  MU_LAUNCH_PARAM_END };

	if (r != MUSA_SUCCESS)
		return 1;
	muDeviceGet(&dev, 0);
	muDevicePrimaryCtxSetFlags(dev, MU_CTX_SCHED_AUTO);
	muDevicePrimaryCtxRetain(&ctx, dev);
	muCtxSetCurrent(ctx);
	r = muLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, s, NULL, extra);
	if (r == MUSA_ERROR_INVALID_VALUE)
		return 2;
	return muDevicePrimaryCtxRelease(dev) == MUSA_SUCCESS ? 0 : 3;
}
