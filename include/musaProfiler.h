/* SPDX-License-Identifier: MIT */
/*
 * musaProfiler.h - the driver API's profiler control under the header name
 * CUDA programs include it by (cudaProfiler.h, renamed): muProfilerStart
 * and muProfilerStop, declared with the rest of the driver API.
 */
#ifndef MUSA_PROFILER_H
#define MUSA_PROFILER_H

#include "musa.h"

#endif /* MUSA_PROFILER_H */
