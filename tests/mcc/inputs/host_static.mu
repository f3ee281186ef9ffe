/*
 * A host static object whose constructor counts its runs in the process
 * environment (shared by the program and its loaded code objects): once
 * the kernel has run, so the module is loaded, it has run exactly once.
 * <iostream> adds gcc's static ios_base::Init to the same file.
 */
#include <iostream>
#include <stdio.h>
#include <stdlib.h>
#include "check.h"

struct Counted {
	Counted()
	{
		const char *v = getenv("MCC_TEST_CTOR_COUNT");
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", (v ? atoi(v) : 0) + 1);
		setenv("MCC_TEST_CTOR_COUNT", buf, 1);
	}
};

static Counted counted;

__global__ void iota(int *p)
{
	p[threadIdx.x] = threadIdx.x;
}

int main(void)
{
	int h[32], *d;
	const char *count;

	CHECK(musaMalloc(&d, sizeof(h)));
	iota<<<1, 32>>>(d);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < 32; i++)
		EXPECT(h[i] == i);
	count = getenv("MCC_TEST_CTOR_COUNT");
	EXPECT(count != NULL);
	EXPECT(atoi(count) == 1);
	std::cout << std::flush;
	musaFree(d);
	return 0;
}
