#include <musa_runtime.h>

template <typename T> __global__ void set(T *p) { *p = T(1); }

void go(int *p)
{
	/* line 8: the device pass cannot deduce T */
	set<<<1, 1>>>(p);
}
