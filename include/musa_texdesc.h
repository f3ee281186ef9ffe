/* SPDX-License-Identifier: MIT */
/*
 * musa_texdesc.h - the descriptor behind a texture or surface object: the
 * contract between libmusa, which writes it into device memory it owns,
 * and device code (musa_texture_functions.h), which reads it at the
 * address the object handle holds. Fixed-width fields only; 128 bytes.
 * docs/design.md ("Textures and surfaces") describes the rules.
 */
#ifndef MUSA_TEXDESC_H
#define MUSA_TEXDESC_H

#include <stdint.h>

#define MUSA_TEXDESC_MAGIC_TEX  0x5845544du  /* "MTEX" */
#define MUSA_TEXDESC_MAGIC_SURF 0x4652534du  /* "MSRF" */
#define MUSA_TEXDESC_SIZE       128u

/* Data type of one channel. */
enum musa_texdesc_kind {
	MUSA_TEXDESC_SINT = 0,
	MUSA_TEXDESC_UINT = 1,
	MUSA_TEXDESC_FLOAT = 2,   /* 4 bytes */
	MUSA_TEXDESC_HALF = 3,    /* 2 bytes, read as float */
};

struct musa_texdesc {
	uint32_t magic;             /* MUSA_TEXDESC_MAGIC_TEX or _SURF */
	uint32_t kind;              /* enum musa_texdesc_kind */
	uint32_t chan_bytes;        /* 1, 2 or 4 */
	uint32_t channels;          /* 1, 2 or 4 */
	uint32_t elem_bytes;        /* chan_bytes * channels */
	uint32_t dims;              /* coordinates of one layer: 1, 2 or 3 */
	uint32_t layered;           /* 1: one more coordinate, the layer */
	uint32_t linear;            /* 1: linear memory, read by tex1Dfetch */
	uint32_t address[3];        /* MUaddress_mode per coordinate */
	uint32_t filter;            /* MUfilter_mode */
	uint32_t read_normalized;   /* 8/16-bit integers read as [0,1] / [-1,1] */
	uint32_t coords_normalized; /* coordinates in [0, 1) */
	uint32_t srgb;              /* 8-bit unsigned normalized reads decode sRGB */
	uint32_t pad;
	float border[4];            /* border colour */
	uint64_t base;              /* device address of element (0, 0, 0, layer 0) */
	uint64_t width;             /* elements */
	uint64_t height;            /* rows; 1 for 1-D */
	uint64_t depth;             /* slices (3-D) or layers (layered); else 1 */
	uint64_t pitch;             /* bytes between rows */
	uint64_t slice;             /* bytes between slices or layers */
};

#if defined(__cplusplus)
static_assert(sizeof(struct musa_texdesc) == MUSA_TEXDESC_SIZE, "texdesc size");
#else
_Static_assert(sizeof(struct musa_texdesc) == MUSA_TEXDESC_SIZE, "texdesc size");
#endif

#endif /* MUSA_TEXDESC_H */
