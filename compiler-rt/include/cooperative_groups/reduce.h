/* SPDX-License-Identifier: MIT */
/*
 * cooperative_groups/reduce.h - CUDA's name for a part of cooperative groups;
 * musa_cooperative_groups.h holds all of them.
 */
#ifndef MUSA_CG_REDUCE_H
#define MUSA_CG_REDUCE_H
#include "../musa_cooperative_groups.h"
#endif
