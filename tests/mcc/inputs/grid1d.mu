#include "check.h"

__global__ void add(const float *a, const float *b, float *c, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		c[i] = a[i] + b[i];
}

int main(void)
{
	const int n = 1000;
	float ha[n], hb[n], hc[n];
	float *a, *b, *c;

	for (int i = 0; i < n; i++) { ha[i] = i; hb[i] = 2 * i; }
	CHECK(musaMalloc(&a, sizeof(ha)));
	CHECK(musaMalloc(&b, sizeof(hb)));
	CHECK(musaMalloc(&c, sizeof(hc)));
	CHECK(musaMemcpy(a, ha, sizeof(ha), musaMemcpyHostToDevice));
	CHECK(musaMemcpy(b, hb, sizeof(hb), musaMemcpyHostToDevice));
	add<<<(n + 127) / 128, 128>>>(a, b, c, n);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hc, c, sizeof(hc), musaMemcpyDeviceToHost));
	for (int i = 0; i < n; i++)
		EXPECT(hc[i] == 3.0f * i);
	musaFree(a); musaFree(b); musaFree(c);
	return 0;
}
