/* SPDX-License-Identifier: MIT */
/*
 * tex.h - what the files of libmusa share about arrays (array.c) and
 * texture / surface objects (texture.c).
 *
 * An array is one ordinary device allocation of its context laid out row
 * after row, slice (or layer) after slice, with no padding: pitch = width *
 * element size, slice = pitch * height. Copies reach it as a pitched 2-D
 * region of height * depth rows.
 */
#ifndef UMD_TEX_H
#define UMD_TEX_H

#include "umd.h"

#define UMD_H_ARRAY ((enum umd_htype)110)

struct MUarray_st {
	MUcontext ctx;
	MUdeviceptr base;
	size_t bytes;
	MUSA_ARRAY3D_DESCRIPTOR desc;  /* as created (Height / Depth 0 when absent) */
	unsigned int chan_bytes;
	unsigned int elem;             /* bytes per element */
	size_t width, height, depth;   /* at least 1 each; depth counts layers too */
	size_t pitch, slice;
};

/* The array behind a live handle, or NULL. */
struct MUarray_st *umd_array_get(MUarray a);
/* Bytes per channel of a format (0: unknown format). */
unsigned int umd_array_format_bytes(MUarray_format f);
/* Frees the arrays and texture / surface objects of a context being
 * destroyed (its memory goes with the context's). */
void umd_array_forget_ctx(MUcontext ctx);
void umd_tex_forget_ctx(MUcontext ctx);

#endif /* UMD_TEX_H */
