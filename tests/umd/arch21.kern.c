/* SPDX-License-Identifier: MIT */
/*
 * arch21.kern.c - a valid code object built for arch mp_21 only (warp size
 * 128): loading it on a device with 32-lane warps (the default sm_80, or
 * mp_31) must fail with MUSA_ERROR_NO_BINARY_FOR_GPU.
 */
#include <stdint.h>

#include "musa_codeobj.h"

__attribute__((visibility("default"))) int nop_entry(const struct musa_wg *wg)
{
	(void)wg;
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	char name[sizeof("nop")];
	char entry[sizeof("nop_entry")];
	char pad[(8 - (sizeof("nop") + sizeof("nop_entry")) % 8) % 8];
} nop_meta __attribute__((section(MUSA_META_SECTION), used, aligned(8))) = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(nop_meta), 21, 0, 0, 0, 1, 0, 0, 3, 9 },
	.name = "nop", .entry = "nop_entry"
};
