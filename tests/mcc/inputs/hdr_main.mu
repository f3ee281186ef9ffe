/* Kernels from included headers: quoted, twice, and through -I. */
#include "check.h"
#include "hdr_kernels.muh"
#include "hdr_kernels.muh"
#include <hdr_more.cuh>

int main(void)
{
	int h[64], *d;

	CHECK(musaMalloc(&d, sizeof(h)));
	hdr_fill<<<2, 32>>>(d, 5);
	hdr_add<<<1, 64>>>(d, 1);
	for (int i = 0; i < 64; i++)
		h[i] = i;
	CHECK(musaMemcpy(d, h, sizeof(h), musaMemcpyHostToDevice));
	hdr_reverse_scale<3><<<1, 64>>>(d);
	hdr_add<<<1, 64>>>(d, 1);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < 64; i++)
		EXPECT(h[i] == (63 - i) * 3 + 1);
	CHECK(musaFree(d));
	return 0;
}
