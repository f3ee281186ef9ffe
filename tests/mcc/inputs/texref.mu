/* Legacy texture references at namespace scope (plain, static, in a
 * namespace) are device variables: musaBindTexture updates the kernels'
 * copy and tex1Dfetch reads through it. surface<> references have no
 * runtime type; a stand-in template checks that they are device variables
 * too. */
#include "check.h"

template <class T, int dim = 1> struct surface { T v[4]; };

texture<float, 1, musaReadModeElementType> t_features;
static texture<int, 1> t_static;
namespace ns {
texture<float> t_ns;
}
surface<int, 2> s_out;

__global__ void read_all(float *o)
{
	int i = threadIdx.x;

	o[i] = tex1Dfetch(t_features, i) + (float)tex1Dfetch(t_static, i) +
	       tex1Dfetch(ns::t_ns, 0) + (float)s_out.v[i];
}

int main(void)
{
	float f[4] = {1, 2, 3, 4}, g[4] = {100, 0, 0, 0}, *df, *dg, *d, r[4];
	int n[4] = {10, 20, 30, 40}, *dn;
	surface<int, 2> h4 = {{1000, 2000, 3000, 4000}};

	CHECK(musaMalloc(&df, sizeof(f)));
	CHECK(musaMalloc(&dg, sizeof(g)));
	CHECK(musaMalloc(&dn, sizeof(n)));
	CHECK(musaMemcpy(df, f, sizeof(f), musaMemcpyHostToDevice));
	CHECK(musaMemcpy(dg, g, sizeof(g), musaMemcpyHostToDevice));
	CHECK(musaMemcpy(dn, n, sizeof(n), musaMemcpyHostToDevice));
	CHECK(musaBindTexture(NULL, t_features, df, sizeof(f)));
	CHECK(musaBindTexture(NULL, t_static, dn, sizeof(n)));
	CHECK(musaBindTexture(NULL, ns::t_ns, dg, sizeof(g)));
	CHECK(musaMemcpyToSymbol(s_out, &h4, sizeof(h4)));
	CHECK(musaMalloc(&d, sizeof(r)));
	read_all<<<1, 4>>>(d);
	CHECK(musaMemcpy(r, d, sizeof(r), musaMemcpyDeviceToHost));
	for (int i = 0; i < 4; i++)
		EXPECT(r[i] == 1011.0f * (i + 1) + 100.0f);
	CHECK(musaUnbindTexture(t_features));
	CHECK(musaUnbindTexture(t_static));
	CHECK(musaUnbindTexture(ns::t_ns));
	CHECK(musaFree(d));
	CHECK(musaFree(df));
	CHECK(musaFree(dg));
	CHECK(musaFree(dn));
	return 0;
}
