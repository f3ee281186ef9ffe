// saxpy.h - the library's interface (include directory of target saxpy).
#pragma once

#ifndef SAXPY_A
#error "SAXPY_A comes from target_compile_definitions(saxpy PUBLIC ...)"
#endif

// y[i] = SAXPY_A * x[i] + y[i] on the device, n elements.
void saxpy(int n, const float *x, float *y);
// x[i] = v + i on the device.
void fill(int n, float *x, float v);
