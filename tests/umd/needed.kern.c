/* SPDX-License-Identifier: MIT */
/*
 * needed.kern.c - a hand-written code object that depends on a library
 * outside the system set a code object may link (libelf, DT_NEEDED): the
 * driver must refuse it. One kernel:
 *   version()   calls libelf's elf_version (the reason for the dependency)
 */
#include <libelf.h>
#include <stdint.h>

#include "musa_codeobj.h"

#define EXPORT __attribute__((visibility("default")))
#define META __attribute__((section(MUSA_META_SECTION), used, aligned(8)))

EXPORT int version_entry(const struct musa_wg *wg)
{
	(void)wg;
	return elf_version(EV_CURRENT) == EV_NONE ? MUSA_WG_ASSERT : MUSA_WG_OK;
}

static const struct {
	struct musa_meta_kernel k;
	char name[sizeof("version")];
	char entry[sizeof("version_entry")];
	char pad[(8 - (sizeof("version") + sizeof("version_entry")) % 8) % 8];
} version_meta META = {
	.k = { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(version_meta), 31, 0, 0, 0, 1, 0, 0,
	  7, 13 },
	.name = "version", .entry = "version_entry"
};
