/* Legacy texture and surface references at namespace scope are device
 * variables: musaMemcpyToSymbol updates the kernels' copy. A stand-in
 * template plays the part of the runtime's texture<> here. */
#include "check.h"

template <class T, int dim = 1, int mode = 0> struct texture { T v[4]; };
template <class T, int dim = 1> struct surface { T v[4]; };

texture<float, 1, 0> t_features;
static texture<int, 2> t_static;
namespace ns {
texture<float> t_ns;
}
surface<int, 2> s_out;

__global__ void read_all(float *o)
{
	int i = threadIdx.x;

	o[i] = t_features.v[i] + t_static.v[i] + ns::t_ns.v[0] + s_out.v[i];
}

int main(void)
{
	texture<float, 1, 0> h1 = {{1, 2, 3, 4}};
	texture<int, 2> h2 = {{10, 20, 30, 40}};
	texture<float> h3 = {{100, 0, 0, 0}};
	surface<int, 2> h4 = {{1000, 2000, 3000, 4000}};
	float *d, r[4];

	CHECK(musaMemcpyToSymbol(t_features, &h1, sizeof(h1)));
	CHECK(musaMemcpyToSymbol(t_static, &h2, sizeof(h2)));
	CHECK(musaMemcpyToSymbol(ns::t_ns, &h3, sizeof(h3)));
	CHECK(musaMemcpyToSymbol(s_out, &h4, sizeof(h4)));
	CHECK(musaMalloc(&d, sizeof(r)));
	read_all<<<1, 4>>>(d);
	CHECK(musaMemcpy(r, d, sizeof(r), musaMemcpyDeviceToHost));
	for (int i = 0; i < 4; i++)
		EXPECT(r[i] == 1011.0f * (i + 1) + 100.0f);
	CHECK(musaFree(d));
	return 0;
}
