/* One image per --offload-arch: warpSize and __MUSA_ARCH__ are those of the
 * image the runtime picked for the device. argv[1] "noimage": the program
 * was built without an image for the device, the launch must say so;
 * "print": prints the device's name, capability and warp size too. */
#include <string.h>
#include "check.h"

__global__ void info(int *o)
{
	o[0] = warpSize;
	o[1] = __MUSA_ARCH__;
}

int main(int argc, char **argv)
{
	musaDeviceProp p;
	int h[2] = {0, 0}, *d;

	CHECK(musaGetDeviceProperties(&p, 0));
	if (argc > 1 && !strcmp(argv[1], "print"))   /* the arch table test */
		printf("%s %d.%d %d\n", p.name, p.major, p.minor, p.warpSize);
	CHECK(musaMalloc(&d, sizeof(h)));
	info<<<1, 1>>>(d);
	if (argc > 1 && !strcmp(argv[1], "noimage")) {
		EXPECT(musaGetLastError() == musaErrorNoKernelImageForDevice);
		return 0;
	}
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	EXPECT(h[0] == p.warpSize);
	EXPECT(h[1] == p.major * 100 + p.minor * 10);
	CHECK(musaFree(d));
	return 0;
}
