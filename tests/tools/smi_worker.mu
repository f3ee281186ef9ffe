/* SPDX-License-Identifier: MIT */
/*
 * smi_worker.mu - a process for tests/tools/test_smi.c to find in
 * musa-smi's process table: `smi_worker MIB KERNELS` allocates MIB MiB of
 * device memory with one musaMalloc, launches KERNELS kernels on it and
 * waits for them, prints "ready", then waits until its stdin closes, frees
 * the memory and exits 0. Any failure: a message and exit 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <musa_runtime.h>

__global__ void fill(int *x, int value, size_t n)
{
	size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		x[i] = value;
}

static int failed(const char *what, musaError_t err)
{
	printf("smi_worker: %s: %s\n", what, musaGetErrorString(err));
	return 1;
}

int main(int argc, char **argv)
{
	size_t bytes, n;
	int *d = NULL, kernels;
	musaError_t err;
	char c;

	if (argc != 3) {
		printf("usage: smi_worker MIB KERNELS\n");
		return 1;
	}
	bytes = strtoul(argv[1], NULL, 10) << 20;
	kernels = atoi(argv[2]);
	n = bytes / sizeof(int);
	err = musaFree(0);  /* initialises the runtime without allocating */
	if (err != musaSuccess)
		return failed("musaFree(0)", err);
	if (bytes) {
		err = musaMalloc(&d, bytes);
		if (err != musaSuccess)
			return failed("musaMalloc", err);
	}
	for (int k = 0; k < kernels; k++)
		fill<<<(unsigned int)((n + 255) / 256 + 1), 256>>>(d, k, n);
	err = musaDeviceSynchronize();
	if (err != musaSuccess)
		return failed("the kernels", err);
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	if (d) {
		err = musaFree(d);
		if (err != musaSuccess)
			return failed("musaFree", err);
	}
	return 0;
}
