/* SPDX-License-Identifier: MIT */
/*
 * ffi.c - kernels that carry only typed parameter metadata
 * (MUSA_META_F_FFI): at CODE_LOAD each gets an ffi_cif built from its
 * param kinds; at dispatch every thread of a group is one ffi_call of the
 * kernel function with arguments read in place from the kernarg block.
 *
 * The thread-locals the kernel reads (threadIdx, blockIdx, the fiber
 * scheduler's group) belong to the code object's private copy of
 * compiler-rt, so a group runs through the object's exported
 * MUSA_FFI_RUNNER with a thread function of ours. The runner hands that
 * function the launch's kernarg pointer, so for an FFI dispatch the kernarg
 * becomes our per-dispatch call state (struct ffi_dispatch), which keeps
 * the argument pointers into the real kernarg block. Calls libffi and
 * fault.c.
 */
#include <errno.h>
#include <ffi.h>
#include <stdlib.h>

#include "kmd.h"

typedef int (*ffi_run_wg_fn)(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
			     unsigned flags);

struct kmd_ffi_kernel {
	ffi_cif cif;
	void (*fn)(void);
	ffi_run_wg_fn run_wg;
	uint32_t flags;            /* MUSA_META_F_*, for the runner */
	uint32_t nparams;
	uint32_t *offsets;         /* of each param in the kernarg block */
	ffi_type **atypes;         /* the cif's argument types */
	ffi_type *aggregates;      /* one per param; used by the STRUCT kinds */
};

/* What one dispatch's threads share: the call and its argument pointers. */
struct ffi_dispatch {
	const struct kmd_ffi_kernel *k;
	void *argv[];
};

/* libffi's type of each scalar kind; NULL for the aggregates and BYTES. */
static ffi_type *const kind_scalar[MUSA_PARAM_KINDS] = {
	[MUSA_PARAM_I8]  = &ffi_type_sint8,
	[MUSA_PARAM_I16] = &ffi_type_sint16,
	[MUSA_PARAM_I32] = &ffi_type_sint32,
	[MUSA_PARAM_I64] = &ffi_type_sint64,
	[MUSA_PARAM_U8]  = &ffi_type_uint8,
	[MUSA_PARAM_U16] = &ffi_type_uint16,
	[MUSA_PARAM_U32] = &ffi_type_uint32,
	[MUSA_PARAM_U64] = &ffi_type_uint64,
	[MUSA_PARAM_F32] = &ffi_type_float,
	[MUSA_PARAM_F64] = &ffi_type_double,
	[MUSA_PARAM_PTR] = &ffi_type_pointer,
};

/*
 * A by-value aggregate as an array of members of one type: same size and
 * (per the kind) register class as the C struct, which with an alignment
 * of at most 8 is all the calling convention looks at. STRUCT's members
 * are unsigned integers of the aggregate's alignment.
 */
static int aggregate_type(const struct musa_meta_param *p, ffi_type *t)
{
	static ffi_type *const uint_by_size[9] = {
		[1] = &ffi_type_uint8, [2] = &ffi_type_uint16,
		[4] = &ffi_type_uint32, [8] = &ffi_type_uint64,
	};
	ffi_type *member = NULL;
	ffi_type **elems;
	uint32_t n;

	if (p->kind == MUSA_PARAM_STRUCT_F32)
		member = &ffi_type_float;
	else if (p->kind == MUSA_PARAM_STRUCT_F64)
		member = &ffi_type_double;
	else if (p->kind == MUSA_PARAM_STRUCT && p->align <= 8)
		member = uint_by_size[p->align];
	if (!member || p->size == 0 || p->size % member->size || p->align > 8 ||
	    p->align < member->alignment)
		return -ENOEXEC;
	n = p->size / (uint32_t)member->size;
	elems = calloc((size_t)n + 1, sizeof(*elems));
	if (!elems)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		elems[i] = member;
	t->size = 0;
	t->alignment = 0;
	t->type = FFI_TYPE_STRUCT;
	t->elements = elems;  /* NULL-terminated by calloc */
	return 0;
}

void kmd_ffi_kernel_destroy(struct kmd_ffi_kernel *fk)
{
	if (!fk)
		return;
	for (uint32_t i = 0; fk->aggregates && i < fk->nparams; i++)
		free(fk->aggregates[i].elements);
	free(fk->aggregates);
	free(fk->atypes);
	free(fk->offsets);
	free(fk);
}

int kmd_ffi_kernel_create(const struct musa_codeobj_kernel *k, void *fn, void *run_wg,
			  struct kmd_ffi_kernel **out)
{
	uint32_t n = k->meta->nparams;
	struct kmd_ffi_kernel *fk = calloc(1, sizeof(*fk));
	int ret = -ENOMEM;

	if (!fk)
		return -ENOMEM;
	fk->fn = (void (*)(void))fn;
	fk->run_wg = (ffi_run_wg_fn)run_wg;
	fk->flags = k->meta->flags;
	fk->nparams = n;
	fk->offsets = calloc(n ? n : 1, sizeof(*fk->offsets));
	fk->atypes = calloc(n ? n : 1, sizeof(*fk->atypes));
	fk->aggregates = calloc(n ? n : 1, sizeof(*fk->aggregates));
	if (!fk->offsets || !fk->atypes || !fk->aggregates)
		goto err;
	for (uint32_t i = 0; i < n; i++) {
		const struct musa_meta_param *p = &k->params[i];

		fk->offsets[i] = p->offset;
		if (p->kind >= MUSA_PARAM_KINDS) {
			ret = -ENOEXEC;
			goto err;
		}
		fk->atypes[i] = kind_scalar[p->kind];
		if (fk->atypes[i]) {
			if (fk->atypes[i]->size != p->size) {
				ret = -ENOEXEC;
				goto err;
			}
			continue;
		}
		ret = aggregate_type(p, &fk->aggregates[i]);
		if (ret)
			goto err;
		fk->atypes[i] = &fk->aggregates[i];
	}
	/* ffi_prep_cif also lays out the aggregates (their size and alignment). */
	if (ffi_prep_cif(&fk->cif, FFI_DEFAULT_ABI, n, &ffi_type_void, fk->atypes) != FFI_OK) {
		ret = -ENOEXEC;
		goto err;
	}
	for (uint32_t i = 0; i < n; i++)
		if (fk->atypes[i]->size != k->params[i].size ||
		    fk->atypes[i]->alignment > k->params[i].align) {
			ret = -ENOEXEC;
			goto err;
		}
	*out = fk;
	return 0;
err:
	kmd_ffi_kernel_destroy(fk);
	return ret;
}

/* One thread of the kernel; runs on the compute-unit thread or a fiber. */
static void ffi_thread(const void *arg)
{
	const struct ffi_dispatch *fd = arg;
	ffi_arg ret;

	ffi_call((ffi_cif *)&fd->k->cif, fd->k->fn, &ret, (void **)fd->argv);
}

/* The work-group entry of every FFI dispatch (kernarg: its ffi_dispatch). */
static int ffi_entry(const struct musa_wg *wg)
{
	const struct ffi_dispatch *fd = wg->launch->kernarg;

	return fd->k->run_wg(wg, ffi_thread, fd->k->flags);
}

void *kmd_ffi_dispatch_begin(struct kmd_dispatch *d)
{
	const struct kmd_ffi_kernel *k = d->ffi;
	struct ffi_dispatch *fd = malloc(sizeof(*fd) + (size_t)k->nparams * sizeof(void *));
	const unsigned char *kernarg = d->launch.kernarg;

	if (!fd)
		return NULL;
	fd->k = k;
	/* cp.c checked the block holds kernarg_size bytes, and the validator
	 * that every param lies inside it. */
	for (uint32_t i = 0; i < k->nparams; i++)
		fd->argv[i] = (void *)(uintptr_t)(kernarg + k->offsets[i]);
	d->entry = ffi_entry;
	d->launch.kernarg = fd;
	return fd;
}

void kmd_ffi_dispatch_end(void *state)
{
	free(state);
}
