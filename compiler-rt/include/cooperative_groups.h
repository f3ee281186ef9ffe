/* SPDX-License-Identifier: MIT */
/*
 * cooperative_groups.h - CUDA's name for cooperative groups, which ported
 * code includes unchanged (musify keeps it); musa_cooperative_groups.h
 * holds the implementation, the reduce, scan and memcpy_async parts too.
 */
#ifndef MUSA_CG_COOPERATIVE_GROUPS_H
#define MUSA_CG_COOPERATIVE_GROUPS_H
#include "musa_cooperative_groups.h"
#endif
