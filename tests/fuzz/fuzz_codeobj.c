/* SPDX-License-Identifier: MIT */
/*
 * fuzz_codeobj.c - libFuzzer harness for the code-object validator
 * (lib/codeobj, musa_codeobj_parse). The input is the image.
 *
 * Validation only: nothing here loads, maps or runs an image. The input is
 * copied into a buffer of exactly its size (8-byte aligned, as the loaders
 * hand it over), so ASan sees any read past the end. On success every
 * record the validator hands back must lie inside the image with the
 * properties musa_codeobj.h promises; a violation aborts.
 *
 * Calls only musa_codeobj_parse / musa_codeobj_free (include/musa_codeobj.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "musa_codeobj.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((noreturn)) static void die(const char *what)
{
	fprintf(stderr, "fuzz_codeobj: invariant broken: %s\n", what);
	abort();
}

static int inside(const void *p, size_t len, const uint8_t *img, size_t size)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)img;

	return a >= b && a - b <= size && len <= size - (a - b);
}

static void check_kernel(const struct musa_codeobj *co, uint32_t i, const uint8_t *img,
			 size_t size)
{
	const struct musa_codeobj_kernel *k = &co->kernels[i];
	const struct musa_meta_kernel *m = k->meta;

	size_t header = MUSA_META_KERNEL_V1_SIZE;

	if (!inside(m, header, img, size) || (uintptr_t)m % 8)
		die("record header outside the image or misaligned");
	if (m->magic != MUSA_META_MAGIC || m->arch != co->arch ||
	    (m->version != MUSA_META_VERSION && m->version != MUSA_META_VERSION_1))
		die("record with a bad magic, version or arch accepted");
	if (m->version == MUSA_META_VERSION) {
		header = sizeof(*m);
		if (!inside(m, header, img, size) || m->scratch_size < m->private_size ||
		    k->private_size != m->private_size || k->scratch_size != m->scratch_size)
			die("version 2 header past the image or its stack sizes not taken");
	} else if (k->private_size != 0 || k->scratch_size != MUSA_META_SCRATCH_DEFAULT ||
		   (m->flags & ~MUSA_META_F_KNOWN_V1)) {
		die("version 1 record without the default stack sizes or with a version 2 flag");
	}
	if ((const unsigned char *)k->params != (const unsigned char *)m + header)
		die("params not right after the header of the record's version");
	if (m->record_size % 8 || !inside(m, m->record_size, img, size))
		die("record size not a multiple of 8 or past the image");
	if (!inside(k->params, (size_t)m->nparams * sizeof(*k->params), img, size))
		die("params outside the image");
	for (uint32_t p = 0; p < m->nparams; p++) {
		const struct musa_meta_param *pr = &k->params[p];

		if ((uint64_t)pr->offset + pr->size > m->kernarg_size)
			die("param outside the kernarg block");
		if (!pr->align || (pr->align & (pr->align - 1)) || pr->offset % pr->align)
			die("param alignment not a power of two or not honoured");
	}
	if (!inside(k->name, (size_t)m->name_len + 1, img, size) ||
	    !inside(k->entry, (size_t)m->entry_len + 1, img, size))
		die("name or entry outside the image");
	if (strlen(k->name) != m->name_len || strlen(k->entry) != m->entry_len)
		die("name or entry length disagrees with the record");
	for (uint32_t j = 0; j < i; j++)
		if (!strcmp(co->kernels[j].name, k->name))
			die("duplicate kernel name accepted");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct musa_codeobj co;
	uint8_t *img;
	int ret;

	/* malloc is 16-byte aligned; size 0 still gets a distinct pointer. */
	img = malloc(size ? size : 1);
	if (!img)
		return 0;
	memcpy(img, data, size);
	ret = musa_codeobj_parse(img, size, &co);
	if (ret == 0) {
		if (co.nkernels && !co.kernels)
			die("kernels missing");
		for (uint32_t i = 0; i < co.nkernels; i++)
			check_kernel(&co, i, img, size);
		musa_codeobj_free(&co);
	} else if (ret != -ENOEXEC && ret != -ENOMEM) {
		die("parse returned an error other than -ENOEXEC/-ENOMEM");
	} else if (co.kernels || co.nkernels) {
		die("failed parse left kernels behind");
	}
	free(img);
	return 0;
}
