// main.cpp - host code, built by the C++ compiler: y = SAXPY_A * x + y.
#include <musa_runtime.h>
#include <cstdio>
#include <vector>
#include "saxpy.h"

int main()
{
    const int n = 1000;
    float *x, *y;
    std::vector<float> h(n);

    if (musaMalloc(&x, n * sizeof(float)) != musaSuccess ||
        musaMalloc(&y, n * sizeof(float)) != musaSuccess) {
        std::printf("FAILED: musaMalloc\n");
        return 1;
    }
    fill(n, x, 1.0f);    // x[i] = 1 + i
    fill(n, y, 10.0f);   // y[i] = 10 + i
    saxpy(n, x, y);
    if (musaMemcpy(h.data(), y, n * sizeof(float), musaMemcpyDeviceToHost) != musaSuccess) {
        std::printf("FAILED: %s\n", musaGetErrorString(musaGetLastError()));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        float want = SAXPY_A * (1.0f + i) + (10.0f + i);
        if (h[i] != want) {
            std::printf("FAILED: y[%d] = %g, want %g\n", i, h[i], want);
            return 1;
        }
    }
    musaFree(x);
    musaFree(y);
    std::printf("PASSED\n");
    return 0;
}
