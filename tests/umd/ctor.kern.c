/* SPDX-License-Identifier: MIT */
/*
 * ctor.kern.c - a hand-written code object with a constructor, which the
 * loader would run at load: the driver must refuse it (DT_INIT_ARRAY), and
 * the constructor must not run. It marks its run in the environment
 * (MUSA_TEST_CTOR_RAN). One kernel:
 *   noop()   does nothing
 */
#include <stdint.h>
#include <stdlib.h>

#include "musa_codeobj.h"

#define EXPORT __attribute__((visibility("default")))
#define META __attribute__((section(MUSA_META_SECTION), used, aligned(8)))

__attribute__((constructor)) static void ctor_marks_env(void)
{
	setenv("MUSA_TEST_CTOR_RAN", "1", 1);
}

EXPORT int noop_entry(const struct musa_wg *wg)
{
	(void)wg;
	return MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	char name[sizeof("noop")];
	char entry[sizeof("noop_entry")];
	char pad[(8 - (sizeof("noop") + sizeof("noop_entry")) % 8) % 8];
} noop_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(noop_meta), 31, 0, 0, 0, 1, 0, 0, 4, 10 },
	.name = "noop", .entry = "noop_entry"
};
