/* SPDX-License-Identifier: MIT */
/*
 * kernels.kern.c - the one code object fuzz_ioctl loads: kernels that are
 * safe under any launch the kmd accepts. They read nothing but their
 * kernarg block (whose range SUBMIT checked) and write nothing but the
 * group's dynamic shared memory, so whatever the fuzzer dispatches, a
 * crash can only come from the driver. Record order = kernel handle order:
 *   0 nop       does nothing
 *   1 touch     sums its kernarg block into dynamic shared memory
 *   2 verdict   ends the group with the status its argument names (OK,
 *               OUT_OF_RESOURCES, ASSERT): the fault-recording paths
 *   3 bounded   __launch_bounds__(64) and 1 KiB of static shared memory
 */
#include <stdint.h>
#include <string.h>

#include "../kmd/kern_meta.h"

struct touch_args {
	uint64_t a;
	uint32_t b;
};

struct verdict_args {
	uint32_t status;
};

KERN_EXPORT int fuzz_nop(const struct musa_wg *wg)
{
	(void)wg;
	return MUSA_WG_OK;
}

KERN_EXPORT int fuzz_touch(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;
	const struct touch_args *a = l->kernarg;
	uint64_t sum = a->a + a->b + wg->block_idx[0] + wg->block_idx[1] + wg->block_idx[2];

	if (l->dyn_shared_size)
		memset(wg->dyn_shared, (int)(sum & 0xff), l->dyn_shared_size);
	return MUSA_WG_OK;
}

KERN_EXPORT int fuzz_verdict(const struct musa_wg *wg)
{
	const struct verdict_args *a = wg->launch->kernarg;

	switch (a->status % 3) {
	case 1:
		return MUSA_WG_OUT_OF_RESOURCES;
	case 2:
		return MUSA_WG_ASSERT;
	default:
		return MUSA_WG_OK;
	}
}

KERN_EXPORT int fuzz_bounded(const struct musa_wg *wg)
{
	(void)wg;
	return MUSA_WG_OK;
}

KREC_TYPE(nop, 0, "nop", "fuzz_nop");
KREC_TYPE(touch, 2, "touch", "fuzz_touch");
KREC_TYPE(verdict, 1, "verdict", "fuzz_verdict");
KREC_TYPE(bounded, 0, "bounded", "fuzz_bounded");

struct kern_records {
	struct krec_nop nop;
	struct krec_touch touch;
	struct krec_verdict verdict;
	struct krec_bounded bounded;
};

_Static_assert(sizeof(struct kern_records) % 8 == 0, "records are 8-byte multiples");

/* KREC_INIT with the static shared size and launch bound it leaves at 0. */
#define FREC_INIT(tag, np, name, entry, ksize, kalign, shared, bound, ...)   \
	{ { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(struct krec_##tag), 31, \
	    0, (np), (ksize), (kalign), (shared), (bound), sizeof(name) - 1,  \
	    sizeof(entry) - 1 },                                             \
	  { __VA_ARGS__ }, name, entry, { 0 } }

__attribute__((section(".musa_meta"), used, aligned(8)))
static const struct kern_records kern_records = {
	KREC_INIT(nop, 0, "nop", "fuzz_nop", 0, 0, 0),
	KREC_INIT(touch, 2, "touch", "fuzz_touch", sizeof(struct touch_args), 8, 0,
		  KPARAM(0, 8, 8), KPARAM(8, 4, 4)),
	KREC_INIT(verdict, 1, "verdict", "fuzz_verdict", sizeof(struct verdict_args), 4, 0,
		  KPARAM(0, 4, 4)),
	FREC_INIT(bounded, 0, "bounded", "fuzz_bounded", 0, 0, 1024, 64),
};
