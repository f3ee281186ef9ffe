/* Built with -arch=sm_70 (or another arch) and WANT_ARCH: the image's
 * __MUSA_ARCH__ is that arch's, and it runs on the device when its
 * warp size matches and its capability is not higher (the default sm_80). */
#include <string.h>
#include "check.h"

__global__ void info(int *o)
{
#if __MUSA_ARCH__ >= 700
	o[0] = __MUSA_ARCH__;
#else
	o[0] = -__MUSA_ARCH__;
#endif
	o[1] = warpSize;
}

int main(void)
{
	musaDeviceProp p;
	int h[2] = {0, 0}, *d;

	CHECK(musaGetDeviceProperties(&p, 0));
	CHECK(musaMalloc(&d, sizeof(h)));
	info<<<1, 1>>>(d);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	EXPECT(h[0] == WANT_ARCH);
	EXPECT(h[1] == p.warpSize);
	EXPECT(p.major * 10 + p.minor >= (WANT_ARCH < 0 ? -WANT_ARCH : WANT_ARCH) / 10);
	CHECK(musaFree(d));
	return 0;
}
