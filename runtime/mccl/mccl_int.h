/* SPDX-License-Identifier: MIT */
/*
 * mccl_int.h - what the files of libmccl share.
 */
#ifndef MCCL_INT_H
#define MCCL_INT_H

#include <stddef.h>

#include "mccl.h"

#define MCCL_MAX_RANKS 64
/* The reduction a pre-multiplied sum op (mcclRedOpCreatePreMulSum) runs. */
#define MCCL_OP_PREMUL (-1)

/* The scalars of a pre-multiplied sum, one per rank. */
struct mccl_premul {
	double scalar[MCCL_MAX_RANKS];
};

size_t mccl_type_size(int type);
double mccl_scalar_value(int type, const void *p);
/* out[i] = op over in[0..n)[i] for i in [begin, end). */
void mccl_reduce(int type, int op, void *out, const void *const *in, int n, size_t begin,
		 size_t end, const struct mccl_premul *pm);

#endif /* MCCL_INT_H */
