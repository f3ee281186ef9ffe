/* SPDX-License-Identifier: MIT */
/*
 * kernels.kern.c - a hand-written device code object for the UMD tests (no
 * mcc): .musa_meta records per include/musa_codeobj.h and one exported
 * work-group entry per kernel that loops over the group's threads itself.
 *   vadd(const float *a, const float *b, float *c, int n)   1-D
 *   fill2d(int *out, int width, int height)   out[y*width+x] = y*1000+x
 *   spin(int *flag, int ms, int value)   one thread sleeps, then stores
 *   poke(int *addr, int value)   *addr = value (a fault at a bad address)
 *   scale(char c, double f, float *out)   checks parameter packing/alignment
 *   fail(int code)   the work-group returns code (MUSA_WG_ASSERT: a failed assert)
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "musa_codeobj.h"

#define EXPORT __attribute__((visibility("default")))
#define META __attribute__((section(MUSA_META_SECTION), used, aligned(8)))
#define P(type, field) { offsetof(type, field), sizeof(((type *)0)->field), \
			    _Alignof(__typeof__(((type *)0)->field)), MUSA_PARAM_BYTES }

/* vadd */
struct vadd_args { const float *a; const float *b; float *c; int n; };

EXPORT int vadd_entry(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;
	const struct vadd_args *a = l->kernarg;

	for (uint32_t t = 0; t < l->block[0]; t++) {
		uint32_t i = wg->block_idx[0] * l->block[0] + t;

		if (i < (uint32_t)a->n)
			a->c[i] = a->a[i] + a->b[i];
	}
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[4];
	char name[sizeof("vadd")];
	char entry[sizeof("vadd_entry")];
	char pad[(8 - (sizeof("vadd") + sizeof("vadd_entry")) % 8) % 8];
} vadd_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(vadd_meta), 31, 0, 4,
	  sizeof(struct vadd_args), _Alignof(struct vadd_args), 0, 0, 4, 10 },
	.p = { P(struct vadd_args, a), P(struct vadd_args, b), P(struct vadd_args, c),
	  P(struct vadd_args, n) },
	.name = "vadd", .entry = "vadd_entry"
};

/* fill2d */
struct fill2d_args { int *out; int width; int height; };

EXPORT int fill2d_entry(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;
	const struct fill2d_args *a = l->kernarg;

	for (uint32_t ty = 0; ty < l->block[1]; ty++) {
		for (uint32_t tx = 0; tx < l->block[0]; tx++) {
			uint32_t x = wg->block_idx[0] * l->block[0] + tx;
			uint32_t y = wg->block_idx[1] * l->block[1] + ty;

			if (x < (uint32_t)a->width && y < (uint32_t)a->height)
				a->out[y * (uint32_t)a->width + x] = (int)(y * 1000 + x);
		}
	}
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[3];
	char name[sizeof("fill2d")];
	char entry[sizeof("fill2d_entry")];
	char pad[(8 - (sizeof("fill2d") + sizeof("fill2d_entry")) % 8) % 8];
} fill2d_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(fill2d_meta), 31, 0, 3,
	  sizeof(struct fill2d_args), _Alignof(struct fill2d_args), 0, 0, 6, 12 },
	.p = { P(struct fill2d_args, out), P(struct fill2d_args, width),
	  P(struct fill2d_args, height) },
	.name = "fill2d", .entry = "fill2d_entry"
};

/* spin */
struct spin_args { int *flag; int ms; int value; };

EXPORT int spin_entry(const struct musa_wg *wg)
{
	const struct spin_args *a = wg->launch->kernarg;
	struct timespec ts = { a->ms / 1000, (long)(a->ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
	*(volatile int *)a->flag = a->value;
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[3];
	char name[sizeof("spin")];
	char entry[sizeof("spin_entry")];
	char pad[(8 - (sizeof("spin") + sizeof("spin_entry")) % 8) % 8];
} spin_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(spin_meta), 31, 0, 3,
	  sizeof(struct spin_args), _Alignof(struct spin_args), 0, 0, 4, 10 },
	.p = { P(struct spin_args, flag), P(struct spin_args, ms), P(struct spin_args, value) },
	.name = "spin", .entry = "spin_entry"
};

/* poke */
struct poke_args { int *addr; int value; };

EXPORT int poke_entry(const struct musa_wg *wg)
{
	const struct poke_args *a = wg->launch->kernarg;

	*(volatile int *)a->addr = a->value;
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[2];
	char name[sizeof("poke")];
	char entry[sizeof("poke_entry")];
	char pad[(8 - (sizeof("poke") + sizeof("poke_entry")) % 8) % 8];
} poke_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(poke_meta), 31, 0, 2,
	  sizeof(struct poke_args), _Alignof(struct poke_args), 0, 0, 4, 10 },
	.p = { P(struct poke_args, addr), P(struct poke_args, value) },
	.name = "poke", .entry = "poke_entry"
};

/* scale: mixed sizes and alignments, declared __launch_bounds__(64) */
struct scale_args { char c; double f; float *out; };

EXPORT int scale_entry(const struct musa_wg *wg)
{
	const struct scale_args *a = wg->launch->kernarg;

	a->out[0] = (float)(a->c * a->f);
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[3];
	char name[sizeof("scale")];
	char entry[sizeof("scale_entry")];
	char pad[(8 - (sizeof("scale") + sizeof("scale_entry")) % 8) % 8];
} scale_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(scale_meta), 31, 0, 3,
	  sizeof(struct scale_args), _Alignof(struct scale_args), 128, 64, 5, 11 },
	.p = { P(struct scale_args, c), P(struct scale_args, f), P(struct scale_args, out) },
	.name = "scale", .entry = "scale_entry"
};

/* fail: the work-group reports `code` (e.g. MUSA_WG_ASSERT) */
struct fail_args { int code; };

EXPORT int fail_entry(const struct musa_wg *wg)
{
	const struct fail_args *a = wg->launch->kernarg;

	return a->code;
}

static const struct {
	struct musa_meta_kernel k;
	struct musa_meta_param p[1];
	char name[sizeof("fail")];
	char entry[sizeof("fail_entry")];
	char pad[(8 - (sizeof("fail") + sizeof("fail_entry")) % 8) % 8];
} fail_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(fail_meta), 31, 0, 1,
	  sizeof(struct fail_args), _Alignof(struct fail_args), 0, 0, 4, 10 },
	.p = { P(struct fail_args, code) },
	.name = "fail", .entry = "fail_entry"
};
