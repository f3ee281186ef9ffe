/* A program for gdb (tests/debug/test_gdb.c): the kernel is defined after
 * main, so no host line follows it and gdb keeps a breakpoint on it
 * pending until the code object loads. */
#include <stdio.h>
#include <musa_runtime.h>

__global__ void scale(int *out, int k);

int main(void)
{
	int *d, h[8];

	if (musaMalloc(&d, sizeof(h)) != musaSuccess)
		return 1;
	scale<<<2, 4>>>(d, 3);
	if (musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost) != musaSuccess)
		return 1;
	for (int i = 0; i < 8; i++)
		if (h[i] != 3 * i + 7)
			return 1;
	printf("gdb_kernel: done\n");
	return 0;
}

__global__ void scale(int *out, int k)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	int local = i * k + 7;

	out[i] = local;   /* gdb: break here */
}
