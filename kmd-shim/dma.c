/* SPDX-License-Identifier: MIT */
/*
 * dma.c - the copy engine: 2-D copies and fills. Addresses were checked
 * against the fd's VM mappings when the packet was submitted, and the
 * packet holds those mappings. Device BOs stay mapped while held; the pages
 * of a userptr BO belong to the process, which may unmap or protect them at
 * any time, so the CP runs these under kmd_fault_guard().
 *
 * A large copy or fill is cut into parts (kmd_dma_parts), one per compute
 * unit, that the CP hands to the CUs as the groups of a dispatch, so it
 * runs on every CU at once; a small one runs whole on the CP thread.
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

/*
 * A copy or fill of at least KMD_DMA_SPLIT_MIN bytes runs as one part per
 * compute unit (parts of KMD_DMA_PART_MIN bytes at least): each CU moves
 * one long run, so libc's memcpy and memset pick the same strategy
 * (streaming stores past the cache size) as for the whole range.
 */
#define KMD_DMA_SPLIT_MIN (2ull << 20)
#define KMD_DMA_PART_MIN  (1ull << 20)

/* Both sides of the copy are width * height bytes back to back. */
static bool copy_flat(const struct drm_musa_pkt_copy *c)
{
	return c->height == 1 || (c->src_pitch == c->width && c->dst_pitch == c->width);
}

static uint64_t parts_of(uint64_t bytes, uint64_t units, uint32_t cus)
{
	uint64_t n = bytes / KMD_DMA_PART_MIN;

	if (bytes < KMD_DMA_SPLIT_MIN || units < 2 || cus < 2)
		return 1;
	if (n > cus)
		n = cus;
	if (n > units)
		n = units;
	return n < 2 ? 2 : n;
}

uint64_t kmd_dma_parts(const struct drm_musa_packet *p, uint32_t cus)
{
	if (p->type == DRM_MUSA_PKT_FILL)
		return parts_of(p->fill.count * p->fill.elem_size, p->fill.count, cus);
	if (p->type != DRM_MUSA_PKT_COPY)
		return 1;

	const struct drm_musa_pkt_copy *c = &p->copy;
	uint64_t sspan, dspan;

	if (kmd_dma_copy_extent(c->src, c->width, c->height, c->src_pitch, &sspan) ||
	    kmd_dma_copy_extent(c->dst, c->width, c->height, c->dst_pitch, &dspan))
		return 1;
	/* Overlapping sides keep memmove's meaning: one part, in order. */
	if (c->src < c->dst + dspan && c->dst < c->src + sspan)
		return 1;
	if (copy_flat(c))
		return parts_of(c->width * c->height, c->width * c->height, cus);
	return parts_of(c->width * c->height, c->height, cus);  /* whole rows per part */
}

/* Units [lo, hi) of part i of n, out of `units`. */
static void part_range(uint64_t units, uint64_t i, uint64_t n, uint64_t *lo, uint64_t *hi)
{
	uint64_t q = units / n, r = units % n;

	*lo = i * q + (i < r ? i : r);
	*hi = *lo + q + (i < r);
}

void kmd_dma_run_part(const struct drm_musa_packet *p, uint64_t i, uint64_t n)
{
	uint64_t lo, hi;

	if (n <= 1) {
		if (p->type == DRM_MUSA_PKT_FILL)
			kmd_dma_fill(&p->fill);
		else
			kmd_dma_copy(&p->copy);
		return;
	}
	if (p->type == DRM_MUSA_PKT_FILL) {
		struct drm_musa_pkt_fill fl = p->fill;

		part_range(fl.count, i, n, &lo, &hi);
		fl.dst += lo * fl.elem_size;
		fl.count = hi - lo;
		kmd_dma_fill(&fl);
		return;
	}

	const struct drm_musa_pkt_copy *c = &p->copy;

	if (copy_flat(c)) {
		uint64_t bytes = c->width * c->height;

		/* parts start on cache lines */
		part_range((bytes + 63) / 64, i, n, &lo, &hi);
		lo *= 64;
		hi = hi * 64 < bytes ? hi * 64 : bytes;
		memcpy((unsigned char *)(uintptr_t)(c->dst + lo),
		       (const unsigned char *)(uintptr_t)(c->src + lo), hi - lo);
		return;
	}
	part_range(c->height, i, n, &lo, &hi);
	for (uint64_t row = lo; row < hi; row++)
		memcpy((unsigned char *)(uintptr_t)(c->dst + row * c->dst_pitch),
		       (const unsigned char *)(uintptr_t)(c->src + row * c->src_pitch), c->width);
}
