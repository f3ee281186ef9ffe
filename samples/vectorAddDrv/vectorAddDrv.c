/* SPDX-License-Identifier: MIT */
/*
 * vectorAddDrv - vectorAdd through the driver API: the kernel comes from
 * vectorAdd_kernel.mubin (mcc --device-only) beside this executable,
 * loaded with muModuleLoad and launched with muLaunchKernel.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <musa.h>

#define TRY(call) do {                                                          \
	MUresult r_ = (call);                                                   \
	if (r_ != MUSA_SUCCESS) {                                               \
		const char *s_ = NULL;                                          \
		muGetErrorName(r_, &s_);                                        \
		fprintf(stderr, "%s failed: %s\n", #call, s_ ? s_ : "?");       \
		goto out;                                                       \
	}                                                                       \
} while (0)

/* <directory of this executable>/vectorAdd_kernel.mubin */
static int module_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + sizeof("/vectorAdd_kernel.mubin") > size)
		return -1;
	strcpy(slash, "/vectorAdd_kernel.mubin");
	return 0;
}

int main(void)
{
	const int N = 50000;
	size_t size = N * sizeof(float);
	float *h_A = malloc(size), *h_B = malloc(size), *h_C = malloc(size);
	MUdeviceptr d_A = 0, d_B = 0, d_C = 0;
	MUdevice dev;
	MUcontext ctx = NULL;
	MUmodule mod = NULL;
	MUfunction fn;
	char path[PATH_MAX];
	int i, n = N, ok = 0, threads = 256, blocks = (N + 255) / 256;
	void *args[4];

	printf("Vector Addition (Driver API)\n");
	if (!h_A || !h_B || !h_C || module_path(path, sizeof(path)) != 0)
		goto out;
	for (i = 0; i < N; i++) {
		h_A[i] = (float)i / N;
		h_B[i] = (float)(N - i) / N;
	}
	TRY(muInit(0));
	TRY(muDeviceGet(&dev, 0));
	TRY(muCtxCreate(&ctx, 0, dev));
	TRY(muModuleLoad(&mod, path));
	TRY(muModuleGetFunction(&fn, mod, "vectorAdd"));
	TRY(muMemAlloc(&d_A, size));
	TRY(muMemAlloc(&d_B, size));
	TRY(muMemAlloc(&d_C, size));
	TRY(muMemcpyHtoD(d_A, h_A, size));
	TRY(muMemcpyHtoD(d_B, h_B, size));
	args[0] = &d_A;
	args[1] = &d_B;
	args[2] = &d_C;
	args[3] = &n;
	TRY(muLaunchKernel(fn, blocks, 1, 1, threads, 1, 1, 0, NULL, args, NULL));
	TRY(muCtxSynchronize());
	TRY(muMemcpyDtoH(h_C, d_C, size));
	for (i = 0; i < N; i++)
		if (fabsf(h_C[i] - (h_A[i] + h_B[i])) > 1e-6f) {
			fprintf(stderr, "Result verification failed at element %d\n", i);
			goto out;
		}
	ok = 1;
out:
	if (d_A)
		muMemFree(d_A);
	if (d_B)
		muMemFree(d_B);
	if (d_C)
		muMemFree(d_C);
	if (mod)
		muModuleUnload(mod);
	if (ctx)
		muCtxDestroy(ctx);
	free(h_A);
	free(h_B);
	free(h_C);
	printf("%s\n", ok ? "Test PASSED" : "Test FAILED");
	return ok ? 0 : 1;
}
