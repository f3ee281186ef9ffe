// Driver API in CUDA's names: primary context, module loaded from a code object
// built from saxpy_kernel.cu (nvcc -cubin there, mcc --device-only here),
// cuLaunchKernel with both argument forms, memory, streams, events and
// error strings. Usage: driver_api MODULE_FILE. Prints PASSED.
#include <cuda.h>
#include <cstdio>

#define DRV(call)                                                              \
	do {                                                                   \
		CUresult r_ = (call);                                          \
		if (r_ != CUDA_SUCCESS) {                                      \
			const char *name_ = NULL;                              \
			cuGetErrorName(r_, &name_);                            \
			printf("FAILED: %s: %s at line %d\n", #call,            \
			       name_ ? name_ : "?", __LINE__);                 \
			return 1;                                              \
		}                                                              \
	} while (0)

int main(int argc, char **argv)
{
	const int n = 4096;
	CUdevice dev;
	CUcontext ctx;
	CUmodule mod;
	CUfunction saxpy;
	CUdeviceptr dx, dy;
	CUstream stream;
	CUevent done;
	float hx[n], hy[n], a = 3.0f;
	int count = 0, major = 0, nn = n;
	char name[128];
	const char *str = NULL;

	if (argc < 2) {
		printf("usage: %s MODULE\n", argv[0]);
		return 2;
	}
	DRV(cuInit(0));
	DRV(cuDeviceGetCount(&count));
	DRV(cuDeviceGet(&dev, 0));
	DRV(cuDeviceGetName(name, sizeof name, dev));
	DRV(cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev));
	DRV(cuDevicePrimaryCtxRetain(&ctx, dev));
	DRV(cuCtxSetCurrent(ctx));
	DRV(cuModuleLoad(&mod, argv[1]));
	DRV(cuModuleGetFunction(&saxpy, mod, "saxpy"));
	DRV(cuMemAlloc(&dx, sizeof hx));
	DRV(cuMemAlloc(&dy, sizeof hy));
	for (int i = 0; i < n; i++) {
		hx[i] = (float)i;
		hy[i] = 1.0f;
	}
	DRV(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
	DRV(cuEventCreate(&done, CU_EVENT_DEFAULT));
	DRV(cuMemcpyHtoDAsync(dx, hx, sizeof hx, stream));
	DRV(cuMemcpyHtoD(dy, hy, sizeof hy));

	void *params[] = { &a, &dx, &dy, &nn };
	DRV(cuLaunchKernel(saxpy, n / 256, 1, 1, 256, 1, 1, 0, stream, params, NULL));

	// The same launch with a packed argument buffer (CU_LAUNCH_PARAM_*).
	struct { float a; int pad; CUdeviceptr x, y; int n; } packed = { 1.0f, 0, dx, dy, n };
	size_t size = sizeof packed;
	void *extra[] = { CU_LAUNCH_PARAM_BUFFER_POINTER, &packed, CU_LAUNCH_PARAM_BUFFER_SIZE, &size,
			  CU_LAUNCH_PARAM_END };
	DRV(cuLaunchKernel(saxpy, n / 256, 1, 1, 256, 1, 1, 0, stream, NULL, extra));
	DRV(cuEventRecord(done, stream));
	DRV(cuEventSynchronize(done));
	DRV(cuMemcpyDtoH(hy, dy, sizeof hy));
	for (int i = 0; i < n; i++) {
		if (hy[i] != 4.0f * i + 1.0f) {
			printf("FAILED: y[%d] = %g\n", i, hy[i]);
			return 1;
		}
	}
	// A bad handle gets an error code, as on CUDA.
	if (cuModuleGetFunction(&saxpy, mod, "no_such_kernel") != CUDA_ERROR_NOT_FOUND) {
		printf("FAILED: missing kernel\n");
		return 1;
	}
	DRV(cuGetErrorString(CUDA_ERROR_INVALID_VALUE, &str));
	DRV(cuEventDestroy(done));
	DRV(cuStreamDestroy(stream));
	DRV(cuMemFree(dx));
	DRV(cuMemFree(dy));
	DRV(cuModuleUnload(mod));
	DRV(cuDevicePrimaryCtxRelease(dev));
	printf("%d device(s), %s, compute %d.x\nPASSED\n", count, name, major);
	return 0;
}
