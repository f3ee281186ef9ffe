/* Kernel parameters without names, as nvcc takes them: the launch still
 * passes every argument, in its place. */
#include "check.h"

__global__ void set(int *p, float, int v) { *p = v; }
__global__ void add_one(int *p, float (*)[4], double) { *p += 1; }

int main(void)
{
	int *p;

	CHECK(musaMallocManaged(&p, sizeof(int)));
	set<<<1, 1>>>(p, 1.0f, 7);
	add_one<<<1, 1>>>(p, nullptr, 2.0);
	CHECK(musaDeviceSynchronize());
	EXPECT(*p == 8);
	return 0;
}
