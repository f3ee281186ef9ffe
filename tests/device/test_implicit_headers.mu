/* SPDX-License-Identifier: MIT */
/*
 * test_implicit_headers.mu - what nvcc's implicit cuda_runtime.h makes
 * visible compiles here without an #include (memcpy, strncpy, malloc,
 * clock, toupper, INT_MAX, std::sqrt, std::pair, placement new; printf and
 * assert in kernels), and libstdc++'s headers compile after the device
 * headers have defined __noinline__ and __forceinline__, which user code
 * still uses. Exit status 0 when every check holds.
 */
#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <vector>

__noinline__ __host__ __device__ int scaled(int x) { return 3 * x; }
__forceinline__ __host__ __device__ int offset(int x) { return x + 7; }

struct cell {
	int v;
	__host__ __device__ explicit cell(int x) : v(x) {}
};

__global__ void k(int *out, const char *s)
{
	int i = threadIdx.x;
	char buf[8];
	alignas(cell) unsigned char raw[sizeof(cell)];
	cell *c = new (raw) cell(i);

	memcpy(buf, s, 4);
	assert(buf[0] == 'm');
	out[i] = scaled(offset(c->v)) + buf[i % 4] + (INT_MAX > 0);
	if (i == 0 && out[i] < 0)
		printf("unreachable %d\n", out[i]);
}

int main()
{
	char name[16], *d_s;
	int host[4], *d_out, fails = 0;
	void *p = malloc(16);
	clock_t t0 = clock();
	std::pair<int, double> pr = std::make_pair(2, std::sqrt(16.0));
	auto sp = std::make_shared<std::vector<int>>(std::vector<int>{3, 1, 2});
	std::map<int, int> m{{1, 2}};
	std::mt19937 rng(1);
	std::function<int(int)> f = [](int x) { return scaled(x); };

	strncpy(name, "musa", sizeof(name));
	name[0] = (char)toupper(name[0]);
	std::sort(sp->begin(), sp->end());
	fails += strcmp(name, "Musa") != 0;
	fails += pr.first != 2 || pr.second != 4.0 || (*sp)[0] != 1 || m[1] != 2 || f(2) != 6;
	fails += clock() < t0 || p == NULL || rng() == 0;
	free(p);
	strcpy(name, "musa");
	if (musaMalloc(&d_out, sizeof(host)) != musaSuccess || musaMalloc(&d_s, 8) != musaSuccess ||
	    musaMemcpy(d_s, name, 5, musaMemcpyHostToDevice) != musaSuccess)
		return 1;
	k<<<1, 4>>>(d_out, d_s);
	if (musaMemcpy(host, d_out, sizeof(host), musaMemcpyDeviceToHost) != musaSuccess)
		return 1;
	for (int i = 0; i < 4; i++)
		fails += host[i] != 3 * (i + 7) + name[i] + 1;
	musaFree(d_out);
	musaFree(d_s);
	if (fails)
		fprintf(stderr, "test_implicit_headers: %d checks failed\n", fails);
	return fails != 0;
}
