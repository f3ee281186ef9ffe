/* SPDX-License-Identifier: MIT */
/*
 * dma.c - the copy engine: 2-D copies and fills. Addresses were checked
 * against the fd's VM mappings when the packet was submitted, and the
 * packet holds those mappings. Device BOs stay mapped while held; the pages
 * of a userptr BO belong to the process, which may unmap or protect them at
 * any time, so the CP runs these under kmd_fault_guard().
 * Calls nothing else of the shim.
 */
#include <errno.h>
#include <string.h>

#include "kmd.h"

int kmd_dma_copy_extent(uint64_t base, uint64_t width, uint64_t height,
			uint64_t pitch, uint64_t *bytes)
{
	uint64_t span;

	if (height > 1 && pitch < width)
		return -EINVAL;  /* rows would overlap */
	if (height > 1 && pitch > (UINT64_MAX - width) / (height - 1))
		return -EINVAL;
	span = (height - 1) * pitch + width;
	if (base + span < base)
		return -EINVAL;
	*bytes = span;
	return 0;
}

void kmd_dma_copy(const struct drm_musa_pkt_copy *c)
{
	unsigned char *dst = (unsigned char *)(uintptr_t)c->dst;
	const unsigned char *src = (const unsigned char *)(uintptr_t)c->src;

	if (c->height == 1 || (c->src_pitch == c->width && c->dst_pitch == c->width)) {
		memmove(dst, src, c->width * c->height);
		return;
	}
	for (uint64_t row = 0; row < c->height; row++)
		memmove(dst + row * c->dst_pitch, src + row * c->src_pitch, c->width);
}

void kmd_dma_fill(const struct drm_musa_pkt_fill *fl)
{
	void *dst = (void *)(uintptr_t)fl->dst;

	switch (fl->elem_size) {
	case 1:
		memset(dst, (int)(fl->value & 0xff), fl->count);
		break;
	case 2: {
		uint16_t *p = dst, v = (uint16_t)fl->value;

		for (uint64_t i = 0; i < fl->count; i++)
			p[i] = v;
		break;
	}
	default: {
		uint32_t *p = dst, v = fl->value;

		for (uint64_t i = 0; i < fl->count; i++)
			p[i] = v;
		break;
	}
	}
}
