/* SPDX-License-Identifier: MIT */
/*
 * musa_profiler_api.h - the profiler control calls under the header name
 * CUDA programs include them by (cuda_profiler_api.h, renamed). They are
 * declared with the rest of the runtime API.
 */
#ifndef MUSA_PROFILER_API_H
#define MUSA_PROFILER_API_H

#include "musa_runtime_api.h"

#endif /* MUSA_PROFILER_API_H */
