/* SPDX-License-Identifier: MIT */
/*
 * kern_meta.h - helpers to write .musa_meta kernel records by hand, for the
 * code objects the kmd tests load (tests/kmd/NAME.kern.c). A record is a
 * struct laid out exactly as musa_codeobj.h describes; all records of an
 * object are members of one variable, so their order is the source order.
 */
#ifndef KERN_META_H
#define KERN_META_H

#include "musa_codeobj.h"

#define KERN_EXPORT __attribute__((visibility("default")))

#define KREC_NEED(np, name, entry) \
	(sizeof(struct musa_meta_kernel) + (np) * sizeof(struct musa_meta_param) + \
	 sizeof(name) + sizeof(entry))
#define KREC_PAD(np, name, entry) ((8 - KREC_NEED(np, name, entry) % 8) % 8)

/* Declares struct krec_<tag> for a record with np params. */
#define KREC_TYPE(tag, np, name, entry)                         \
	struct krec_##tag {                                     \
		struct musa_meta_kernel k;                      \
		struct musa_meta_param p[np];                   \
		char name_[sizeof(name)];                       \
		char entry_[sizeof(entry)];                     \
		char pad_[KREC_PAD(np, name, entry)];           \
	}

/* Initializer of such a record. */
#define KREC_INIT(tag, np, name, entry, ksize, kalign, flags, ...)          \
	{ { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(struct krec_##tag), 31, \
	    (flags), (np), (ksize), (kalign), 0, 0, sizeof(name) - 1,        \
	    sizeof(entry) - 1 },                                             \
	  { __VA_ARGS__ }, name, entry, { 0 } }

#define KPARAM(off, size, align) { (off), (size), (align), MUSA_PARAM_BYTES }

#endif /* KERN_META_H */
