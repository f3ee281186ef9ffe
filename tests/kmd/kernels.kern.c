/* SPDX-License-Identifier: MIT */
/*
 * kernels.kern.c - a hand-written device code object for the kmd tests:
 * entries that run a whole work-group as a loop over its threads, and their
 * metadata records. Record order = kernel handle order in CODE_LOAD:
 *   0 vadd      c[i] = a[i] + b[i] for i < n
 *   1 index3d   out[global linear thread id] = encoded block/thread index
 *   2 fail      returns MUSA_WG_ASSERT from block (1,0,0)
 *   3 dynshared reverses each block's slice of `in` through dynamic shared memory
 */
#include <stdint.h>

#include "kern_meta.h"

struct vadd_args {
	const float *a;
	const float *b;
	float *c;
	uint32_t n;
};

struct index3d_args {
	uint32_t *out;
};

struct fail_args {
	uint32_t *out;
};

struct dynshared_args {
	const uint32_t *in;
	uint32_t *out;
};

KERN_EXPORT int kmd_test_vadd(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;
	const struct vadd_args *a = l->kernarg;

	for (uint32_t t = 0; t < l->block[0]; t++) {
		uint32_t i = wg->block_idx[0] * l->block[0] + t;

		if (i < a->n)
			a->c[i] = a->a[i] + a->b[i];
	}
	return MUSA_WG_OK;
}

KERN_EXPORT int kmd_test_index3d(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;
	const struct index3d_args *a = l->kernarg;
	uint64_t bx = l->block[0], by = l->block[1], bz = l->block[2];
	uint64_t block_lin = ((uint64_t)wg->block_idx[2] * l->grid[1] + wg->block_idx[1]) *
			     l->grid[0] + wg->block_idx[0];

	for (uint32_t z = 0; z < bz; z++)
		for (uint32_t y = 0; y < by; y++)
			for (uint32_t x = 0; x < bx; x++) {
				uint64_t t = (z * by + y) * bx + x;

				a->out[block_lin * bx * by * bz + t] =
					(wg->block_idx[0] << 24) | (wg->block_idx[1] << 16) |
					(wg->block_idx[2] << 12) | (x << 8) | (y << 4) | z;
			}
	return MUSA_WG_OK;
}

KERN_EXPORT int kmd_test_fail(const struct musa_wg *wg)
{
	const struct fail_args *a = wg->launch->kernarg;

	if (wg->block_idx[0] == 1)
		return MUSA_WG_ASSERT;
	a->out[wg->block_idx[0]] = 1;
	return MUSA_WG_OK;
}

KERN_EXPORT int kmd_test_dynshared(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;
	const struct dynshared_args *a = l->kernarg;
	uint32_t *sh = wg->dyn_shared;
	uint32_t n = l->block[0], base = wg->block_idx[0] * n;

	if (l->dyn_shared_size < n * sizeof(uint32_t))
		return MUSA_WG_OUT_OF_RESOURCES;
	for (uint32_t t = 0; t < n; t++)
		sh[t] = a->in[base + t];
	for (uint32_t t = 0; t < n; t++)
		a->out[base + t] = sh[n - 1 - t];
	return MUSA_WG_OK;
}

KREC_TYPE(vadd, 4, "vadd", "kmd_test_vadd");
KREC_TYPE(index3d, 1, "index3d", "kmd_test_index3d");
KREC_TYPE(fail, 1, "fail", "kmd_test_fail");
KREC_TYPE(dynshared, 2, "dynshared", "kmd_test_dynshared");

struct kern_records {
	struct krec_vadd vadd;
	struct krec_index3d index3d;
	struct krec_fail fail;
	struct krec_dynshared dynshared;
};

_Static_assert(sizeof(struct kern_records) % 8 == 0, "records are 8-byte multiples");

__attribute__((section(".musa_meta"), used, aligned(8)))
static const struct kern_records kern_records = {
	KREC_INIT(vadd, 4, "vadd", "kmd_test_vadd", sizeof(struct vadd_args), 8, 0,
		  KPARAM(0, 8, 8), KPARAM(8, 8, 8), KPARAM(16, 8, 8), KPARAM(24, 4, 4)),
	KREC_INIT(index3d, 1, "index3d", "kmd_test_index3d", sizeof(struct index3d_args), 8, 0,
		  KPARAM(0, 8, 8)),
	KREC_INIT(fail, 1, "fail", "kmd_test_fail", sizeof(struct fail_args), 8, 0,
		  KPARAM(0, 8, 8)),
	KREC_INIT(dynshared, 2, "dynshared", "kmd_test_dynshared",
		  sizeof(struct dynshared_args), 8, 0, KPARAM(0, 8, 8), KPARAM(8, 8, 8)),
};
