/* Bad accesses for the memory checker (tests/debug/test_memcheck.c):
 * argv[1] picks one; the kernel lines the reports must name are marked. */
#include <stdio.h>
#include <string.h>

__global__ void store_upto(float *a, int last)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i <= last)
		a[i] = 1.0f; /* line 10 */
}

__global__ void load_before(const int *a, int *out)
{
	out[threadIdx.x] = a[(int)threadIdx.x - 2]; /* line 15 */
}

__global__ void load_wide(const char *p, long long *out)
{
	*out = *(const long long *)(p + 2); /* line 20 */
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "clean";
	float *a, *b;
	int *ia, *out;
	long long *w;
	float host[512];

	musaMalloc(&a, 256 * sizeof(float));
	musaMalloc(&b, 256 * sizeof(float));
	musaMalloc(&ia, 64 * sizeof(int));
	musaMalloc(&out, 64 * sizeof(int));
	musaMalloc(&w, sizeof(*w));
	printf("a=%p b=%p ia=%p\n", (void *)a, (void *)b, (void *)ia);
	if (!strcmp(c, "clean")) {
		store_upto<<<2, 128>>>(a, 255);
		load_before<<<1, 32>>>(ia + 2, out);
		musaMemcpy(host, a, 256 * sizeof(float), musaMemcpyDeviceToHost);
	} else if (!strcmp(c, "overflow")) {
		/* one element past a, block 2 thread 0 */
		store_upto<<<3, 128>>>(a, 256);
	} else if (!strcmp(c, "neighbour")) {
		/* without red zones these land in b, which follows a */
		store_upto<<<1, 260>>>(a, 259);
	} else if (!strcmp(c, "underflow")) {
		/* threads 0 and 1 read ia[-2] and ia[-1] */
		load_before<<<1, 4>>>(ia, out);
	} else if (!strcmp(c, "uaf")) {
		musaFree(b);
		store_upto<<<1, 1>>>(b, 0);
	} else if (!strcmp(c, "copy")) {
		musaMemcpy(host, a, 512 * sizeof(float), musaMemcpyDeviceToHost);
	} else if (!strcmp(c, "misaligned")) {
		load_wide<<<1, 1>>>((const char *)a, w);
	}
	printf("sync: %s\n", musaGetErrorString(musaDeviceSynchronize()));
	return 0;
}
