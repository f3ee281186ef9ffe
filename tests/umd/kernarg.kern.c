/* SPDX-License-Identifier: MIT */
/*
 * kernarg.kern.c - a hand-written device code object for the kernel-argument
 * tests (tests/umd/test_kernarg.c), .musa_meta records per
 * include/musa_codeobj.h:
 *   sum(int *out, int a, int b)   *out = a + b, by thread 0 of block 0
 *   wide(int *out, struct { int v[1100]; } w)   a parameter block of
 *       4408 bytes, over the 4 KiB a launch may pass
 */
#include <stddef.h>
#include <stdint.h>

#include "musa_codeobj.h"

#define EXPORT __attribute__((visibility("default")))
#define META __attribute__((section(MUSA_META_SECTION), used, aligned(8)))
#define P(type, field) { offsetof(type, field), sizeof(((type *)0)->field), \
			    _Alignof(__typeof__(((type *)0)->field)), MUSA_PARAM_BYTES }

struct sum_args { int *out; int a; int b; };

EXPORT int sum_entry(const struct musa_wg *wg)
{
	const struct sum_args *a = wg->launch->kernarg;

	if (wg->block_idx[0] == 0)
		*a->out = a->a + a->b;
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[3];
	char name[sizeof("sum")];
	char entry[sizeof("sum_entry")];
	char pad[(8 - (sizeof("sum") + sizeof("sum_entry")) % 8) % 8];
} sum_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(sum_meta), 31, 0, 3,
	  sizeof(struct sum_args), _Alignof(struct sum_args), 0, 0, 3, 9 },
	.p = { P(struct sum_args, out), P(struct sum_args, a), P(struct sum_args, b) },
	.name = "sum", .entry = "sum_entry"
};

struct wide_args { int *out; struct { int v[1100]; } w; };

EXPORT int wide_entry(const struct musa_wg *wg)
{
	const struct wide_args *a = wg->launch->kernarg;

	*a->out = a->w.v[1099];
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[2];
	char name[sizeof("wide")];
	char entry[sizeof("wide_entry")];
	char pad[(8 - (sizeof("wide") + sizeof("wide_entry")) % 8) % 8];
} wide_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(wide_meta), 31, 0, 2,
	  sizeof(struct wide_args), _Alignof(struct wide_args), 0, 0, 4, 10 },
	.p = { P(struct wide_args, out), P(struct wide_args, w) },
	.name = "wide", .entry = "wide_entry"
};
