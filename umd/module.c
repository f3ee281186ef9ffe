/* SPDX-License-Identifier: MIT */
/*
 * module.c - modules and functions: loading a code object (from a file, an
 * image in memory whose size the ELF header gives, or an image of known
 * size), looking kernels up by name, and their attributes and parameters.
 *
 * An image is validated with musa_codeobj_parse() before anything of it
 * reaches the kmd; its arch must run on the device's (the same arch, or one
 * of the same warp size and no higher capability: musa_codeobj_arch_runs_on).
 * It is then uploaded into a code BO through a CPU mapping and loaded with
 * CODE_LOAD, which hands back one kernel handle per metadata record. The
 * UMD keeps a private copy of the image because the parsed metadata (names,
 * parameter layout) points into it.
 * Variables (muModuleGetGlobal) are resolved once at load with CODE_GLOBAL;
 * their ranges count as device memory for copies (umd_module_var_range),
 * and the device-runtime ones are bound to the context's buffers (printf.c).
 * Settable function attributes and preferences live in their function
 * (struct MUfunc_st) and go with its module.
 * May call: bo.c, transport.c, libmusa_codeobj.a, context.c, printf.c,
 * handle.c, memcheck.c.
 */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "musa_log.h"
#include "umd.h"

/* Size of an ELF image from its header: the section header table is the
 * last thing a linker writes, so it ends the file. 0 when not an ELF64. */
static size_t umd_elf_size(const void *image)
{
	const Elf64_Ehdr *eh = image;
	uint64_t end;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return 0;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    eh->e_shoff < sizeof(Elf64_Ehdr) || eh->e_shoff > (1ull << 40))
		return 0;
	end = eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize;
	if (eh->e_phoff && eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize > end)
		return 0;
	return (size_t)end;
}

/* Copies the image into a fresh code BO and loads it; fills m->kmd_module
 * and the kernel handles. */
static MUresult umd_module_upload(MUcontext ctx, struct MUmod_st *m, uint32_t *handles)
{
	struct drm_musa_bo_create c = { .size = m->size };
	struct drm_musa_bo_mmap_offset o = { 0 };
	struct drm_musa_code_load cl = { 0 };
	struct drm_gem_close gc = { 0 };
	void *p;
	int ret;

	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_BO_CREATE, &c);
	if (ret)
		return umd_errno(ret);
	o.handle = c.handle;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o);
	if (ret)
		goto out;
	p = umd_tr_mmap(&ctx->tr, m->size, PROT_READ | PROT_WRITE, o.offset);
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(p, m->image, m->size);
	munmap(p, m->size);
	cl.bo_handle = c.handle;
	cl.size = m->size;
	cl.kernels = (uint64_t)(uintptr_t)handles;
	cl.kernel_count = m->co.nkernels;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_CODE_LOAD, &cl);
	if (!ret && cl.kernel_count != m->co.nkernels) {
		/* The kmd read the image differently from us: do not guess. */
		struct drm_musa_code_unload u = { .module = cl.module };

		umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_CODE_UNLOAD, &u);
		ret = -ENOEXEC;
	}
	if (!ret)
		m->kmd_module = cl.module;
out:
	/* The loaded code does not need the BO any more. */
	gc.handle = c.handle;
	umd_tr_ioctl(&ctx->tr, DRM_IOCTL_GEM_CLOSE, &gc);
	return umd_errno(ret);
}

/* CODE_GLOBAL for every variable record: addresses for the API and copies. */
static MUresult umd_module_vars(MUcontext ctx, struct MUmod_st *m)
{
	m->var_va = calloc(m->co.nvars ? m->co.nvars : 1, sizeof(*m->var_va));
	if (!m->var_va)
		return MUSA_ERROR_OUT_OF_MEMORY;
	for (uint32_t i = 0; i < m->co.nvars; i++) {
		struct drm_musa_code_global g = {
			.module = m->kmd_module,
			.name = (uint64_t)(uintptr_t)m->co.vars[i].name,
			.name_len = m->co.vars[i].meta->name_len,
		};
		int ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);

		if (ret)
			return umd_errno(ret);
		/* The kmd read the image differently from us: do not guess. */
		if (g.size != m->co.vars[i].meta->size)
			return MUSA_ERROR_INVALID_IMAGE;
		m->var_va[i] = g.va;
	}
	return MUSA_SUCCESS;
}

/* Default attributes: all the dynamic shared memory a block may have. */
static void umd_func_attrs_default(MUcontext ctx, struct MUfunc_st *f)
{
	uint32_t per_block = ctx->dev->info.shared_mem_per_block;
	uint32_t static_shared = f->k->meta->static_shared;

	f->attrs.max_dynamic_shared =
		static_shared >= per_block ? 0 : (int)(per_block - static_shared);
	f->attrs.carveout = -1;
	f->attrs.cache = MU_FUNC_CACHE_PREFER_NONE;
	f->attrs.shared_mem = MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE;
}

/* The last put of a module (umd_object_put): its code leaves the device. */
static void umd_module_free(struct umd_object *o)
{
	struct MUmod_st *m = umd_container_of(o, struct MUmod_st, obj);
	MUcontext ctx = m->ctx;

	umd_memcheck_drain();  /* reports name the code while it is loaded */
	if (!ctx->closing && m->kmd_module) {
		struct drm_musa_code_unload u = { .module = m->kmd_module };

		umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_CODE_UNLOAD, &u);
	}
	free(m->funcs);
	free(m->var_va);
	musa_codeobj_free(&m->co);
	free(m->image);
	free(m);
}

/* Loads a code object into ctx (of the caller's reference). */
static MUresult umd_module_load(MUcontext ctx, MUmodule *out, const void *image, size_t size)
{
	uint32_t *handles = NULL;
	struct MUmod_st *m;
	unsigned int arch;
	MUresult r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return MUSA_ERROR_OUT_OF_MEMORY;
	umd_object_init(&m->obj, umd_module_free, ctx);
	m->ctx = ctx;
	m->size = size;
	umd_list_init(&m->link);
	m->image = malloc(size);
	if (!m->image) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err_free;
	}
	memcpy(m->image, image, size);
	if (musa_codeobj_parse(m->image, size, &m->co)) {
		r = MUSA_ERROR_INVALID_IMAGE;
		goto err_image;
	}
	if (umd_memcheck_on()) {
		/* the checked build of a valid image, when there is one */
		if (umd_memcheck_image(&m->image, &m->size)) {
			musa_codeobj_free(&m->co);
			if (musa_codeobj_parse(m->image, m->size, &m->co)) {
				r = MUSA_ERROR_INVALID_IMAGE;
				goto err_image;
			}
		}
	}
	arch = ctx->dev->info.arch_major * 10 + ctx->dev->info.arch_minor;
	if (m->co.nkernels && !musa_codeobj_arch_runs_on(m->co.arch, arch, ctx->dev->info.warp_size)) {
		r = MUSA_ERROR_NO_BINARY_FOR_GPU;
		goto err_co;
	}
	m->funcs = calloc(m->co.nkernels ? m->co.nkernels : 1, sizeof(*m->funcs));
	handles = calloc(m->co.nkernels ? m->co.nkernels : 1, sizeof(*handles));
	if (!m->funcs || !handles) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err_funcs;
	}
	r = umd_module_upload(ctx, m, handles);
	if (r)
		goto err_funcs;
	for (uint32_t i = 0; i < m->co.nkernels; i++) {
		m->funcs[i].mod = m;
		m->funcs[i].k = &m->co.kernels[i];
		m->funcs[i].handle = handles[i];
		umd_func_attrs_default(ctx, &m->funcs[i]);
	}
	free(handles);
	handles = NULL;
	r = umd_module_vars(ctx, m);
	if (r)
		goto err_loaded;
	if (umd_handle_add(m, UMD_H_MODULE)) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err_loaded;
	}
	for (uint32_t i = 0; i < m->co.nkernels; i++) {
		if (umd_handle_add(&m->funcs[i], UMD_H_FUNC)) {
			r = MUSA_ERROR_OUT_OF_MEMORY;
			goto err_loaded;
		}
	}
	pthread_mutex_lock(&ctx->lock);
	umd_list_add(&ctx->modules, &m->link);
	pthread_mutex_unlock(&ctx->lock);
	/* After the list add: the binding copies target the module's variables. */
	r = umd_devrt_bind(ctx, m);
	if (r)
		goto err_loaded;
	*out = m;
	return MUSA_SUCCESS;

err_loaded:
	pthread_mutex_lock(&ctx->lock);
	umd_module_release(ctx, m);
	pthread_mutex_unlock(&ctx->lock);
	return r;
err_funcs:
	free(handles);
	free(m->funcs);
err_co:
	musa_codeobj_free(&m->co);
err_image:
	free(m->image);
err_free:
	free(m);
	return r;
}

/* Takes the module out of its context: its functions' handles go (the
 * module's own is gone already). ctx->lock held. */
static void umd_module_unlink(struct MUmod_st *m)
{
	umd_list_del(&m->link);
	for (uint32_t i = 0; i < m->co.nkernels; i++)
		umd_handle_del(&m->funcs[i]);
}

void umd_module_release(MUcontext ctx, struct MUmod_st *m)
{
	(void)ctx;
	umd_handle_del(m);
	umd_module_unlink(m);
	umd_object_put(&m->obj);
}

void umd_module_put(struct MUmod_st *m)
{
	umd_handle_put(&m->obj);
}

int umd_module_var_range(MUcontext ctx, uint64_t p, size_t n)
{
	struct umd_list *l;
	int found = 0;

	pthread_mutex_lock(&ctx->lock);
	for (l = ctx->modules.next; l != &ctx->modules && !found; l = l->next) {
		struct MUmod_st *m = umd_container_of(l, struct MUmod_st, link);

		for (uint32_t i = 0; m->var_va && i < m->co.nvars && !found; i++) {
			uint64_t va = m->var_va[i], size = m->co.vars[i].meta->size;

			found = p >= va && p - va <= size && n <= size - (p - va);
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	return found;
}

int umd_module_var_alloc(uint64_t p, struct umd_mem_info *out)
{
	struct umd_list *l;
	MUcontext ctx;
	int ret = -1;

	if (umd_ctx_current(&ctx))
		return -1;
	pthread_mutex_lock(&ctx->lock);
	for (l = ctx->modules.next; l != &ctx->modules && ret; l = l->next) {
		struct MUmod_st *m = umd_container_of(l, struct MUmod_st, link);

		for (uint32_t i = 0; m->var_va && i < m->co.nvars && ret; i++) {
			uint64_t va = m->var_va[i], size = m->co.vars[i].meta->size;

			if (p >= va && p - va < size) {
				memset(out, 0, sizeof(*out));
				out->kind = UMD_MEM_DEVICE;
				out->base = va;
				out->size = (size_t)size;
				out->ctx = ctx;
				ret = 0;
			}
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	umd_ctx_put(ctx);
	return ret;
}

UMD_API MUresult muModuleGetGlobal(MUdeviceptr *dptr, size_t *bytes, MUmodule hmod,
				   const char *name)
{
	struct MUmod_st *m;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!name, MUSA_ERROR_INVALID_VALUE);
	m = umd_handle_get(hmod, UMD_H_MODULE);
	CHECK(!m, MUSA_ERROR_INVALID_HANDLE);
	r = MUSA_ERROR_NOT_FOUND;
	for (uint32_t i = 0; i < m->co.nvars; i++) {
		if (strcmp(m->co.vars[i].name, name) == 0) {
			if (dptr)
				*dptr = m->var_va[i];
			if (bytes)
				*bytes = (size_t)m->co.vars[i].meta->size;
			r = MUSA_SUCCESS;
			break;
		}
	}
	umd_module_put(m);
	return r;
}

static MUresult umd_module_load_size_on(MUcontext ctx, MUmodule *module, const void *image,
					size_t size)
{
	CHECK(!module || !image, MUSA_ERROR_INVALID_VALUE);
	if (size < sizeof(Elf64_Ehdr))
		return MUSA_ERROR_INVALID_IMAGE;
	return umd_module_load(ctx, module, image, size);
}

UMD_API MUresult muModuleLoadDataSize(MUmodule *module, const void *image, size_t size)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_module_load_size_on(ctx, module, image, size));
}

static MUresult umd_module_load_data_on(MUcontext ctx, MUmodule *module, const void *image)
{
	size_t size;

	CHECK(!module || !image, MUSA_ERROR_INVALID_VALUE);
	size = umd_elf_size(image);
	if (!size)
		return MUSA_ERROR_INVALID_IMAGE;
	return umd_module_load(ctx, module, image, size);
}

UMD_API MUresult muModuleLoadData(MUmodule *module, const void *image)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_module_load_data_on(ctx, module, image));
}

/*
 * Reads a code-object file whole. Only a regular file is one: a directory,
 * FIFO, socket or device node is MUSA_ERROR_FILE_NOT_FOUND without a read
 * (the open does not block on a FIFO with no writer), as is a file that
 * cannot be opened or read.
 */
static MUresult module_read_file(const char *fname, void **out, size_t *len)
{
	struct stat st;
	MUresult r = MUSA_SUCCESS;
	size_t got = 0;
	char *buf = NULL;
	int fd = open(fname, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return MUSA_ERROR_FILE_NOT_FOUND;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		r = MUSA_ERROR_FILE_NOT_FOUND;
	else if ((uint64_t)st.st_size < sizeof(Elf64_Ehdr))
		r = MUSA_ERROR_INVALID_IMAGE;
	else if ((uint64_t)st.st_size > SIZE_MAX || !(buf = malloc((size_t)st.st_size)))
		r = MUSA_ERROR_OUT_OF_MEMORY;
	while (r == MUSA_SUCCESS && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)  /* an error, or the file shrank under us */
			r = n < 0 ? MUSA_ERROR_FILE_NOT_FOUND : MUSA_ERROR_INVALID_IMAGE;
		else
			got += (size_t)n;
	}
	close(fd);
	if (r != MUSA_SUCCESS) {
		free(buf);
		return r;
	}
	*out = buf;
	*len = got;
	return MUSA_SUCCESS;
}

static MUresult umd_module_load_file_on(MUcontext ctx, MUmodule *module, const char *fname)
{
	MUresult r;
	void *buf;
	size_t len;

	CHECK(!module || !fname, MUSA_ERROR_INVALID_VALUE);
	r = module_read_file(fname, &buf, &len);
	if (r)
		return r;
	r = umd_module_load(ctx, module, buf, len);
	free(buf);
	return r;
}

UMD_API MUresult muModuleLoad(MUmodule *module, const char *fname)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_module_load_file_on(ctx, module, fname));
}

UMD_API MUresult muModuleUnload(MUmodule hmod)
{
	struct MUmod_st *m;
	MUcontext ctx;
	MUresult r = umd_check_init();
	int removed;

	if (r)
		return r;
	m = umd_handle_get(hmod, UMD_H_MODULE);
	CHECK(!m, MUSA_ERROR_INVALID_HANDLE);
	ctx = m->ctx;
	/* Kernels still queued must not lose their code. */
	if (!atomic_load(&ctx->sticky))
		umd_ctx_sync(ctx);
	pthread_mutex_lock(&ctx->lock);
	/* Of two racing unloads of the handle only one removes it. */
	removed = umd_handle_del(m);
	if (removed)
		umd_module_unlink(m);
	pthread_mutex_unlock(&ctx->lock);
	/* The reference its load took, before the lookup's (whose context
	 * reference keeps the context alive for a release that takes its
	 * lock): the code goes now, or with the put of a call still using
	 * the module or one of its functions. */
	if (removed)
		umd_object_put(&m->obj);
	umd_module_put(m);
	return removed ? MUSA_SUCCESS : MUSA_ERROR_INVALID_HANDLE;
}

UMD_API MUresult muModuleGetFunction(MUfunction *hfunc, MUmodule hmod, const char *name)
{
	struct MUmod_st *m;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!hfunc || !name, MUSA_ERROR_INVALID_VALUE);
	m = umd_handle_get(hmod, UMD_H_MODULE);
	CHECK(!m, MUSA_ERROR_INVALID_HANDLE);
	r = MUSA_ERROR_NOT_FOUND;
	for (uint32_t i = 0; i < m->co.nkernels; i++) {
		if (strcmp(m->co.kernels[i].name, name) == 0) {
			*hfunc = &m->funcs[i];
			r = MUSA_SUCCESS;
			break;
		}
	}
	umd_module_put(m);
	return r;
}

void umd_func_attrs_get(MUfunction f, struct umd_func_attrs *out)
{
	MUcontext ctx = f->mod->ctx;

	pthread_mutex_lock(&ctx->lock);
	*out = f->attrs;
	pthread_mutex_unlock(&ctx->lock);
}

/* One attribute of hfunc, whose module the caller holds. */
static MUresult umd_func_attr(int *pi, MUfunction_attribute attrib, MUfunction hfunc)
{
	const struct musa_meta_kernel *k;
	const struct drm_musa_device_info *info;
	struct umd_func_attrs fa;

	k = hfunc->k->meta;
	info = &hfunc->mod->ctx->dev->info;
	switch (attrib) {
	case MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
		*pi = (int)(k->max_threads && k->max_threads < info->max_threads_per_block ?
			    k->max_threads : info->max_threads_per_block);
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES:
		*pi = (int)k->static_shared;
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES:
		*pi = hfunc->k->private_size > INT_MAX ? INT_MAX : (int)hfunc->k->private_size;
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES:
	case MU_FUNC_ATTRIBUTE_NUM_REGS:
		/* Native code: no constant bank or registers to report. */
		*pi = 0;
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_PTX_VERSION:
	case MU_FUNC_ATTRIBUTE_BINARY_VERSION:
		*pi = (int)k->arch;
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_CACHE_MODE_CA:
		*pi = 0;
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES:
		umd_func_attrs_get(hfunc, &fa);
		*pi = fa.max_dynamic_shared;
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT:
		umd_func_attrs_get(hfunc, &fa);
		*pi = fa.carveout;
		return MUSA_SUCCESS;
	case MU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET:
	case MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH:
	case MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_HEIGHT:
	case MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_DEPTH:
	case MU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED:
	case MU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE:
		/* No thread-block clusters. */
		*pi = 0;
		return MUSA_SUCCESS;
	default:
		return MUSA_ERROR_INVALID_VALUE;
	}
}

UMD_API MUresult muFuncGetAttribute(int *pi, MUfunction_attribute attrib, MUfunction hfunc)
{
	MUresult r = umd_check_init();

	if (r)
		return UMD_RET(r);
	if (!pi)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	if (!umd_handle_get(hfunc, UMD_H_FUNC))
		return UMD_RET(MUSA_ERROR_INVALID_HANDLE);
	r = umd_func_attr(pi, attrib, hfunc);
	umd_module_put(hfunc->mod);
	return UMD_RET(r);
}

/* Sets one attribute of hfunc, whose module the caller holds. */
static MUresult umd_func_set_attr(MUfunction hfunc, MUfunction_attribute attrib, int value)
{
	const struct drm_musa_device_info *info;
	MUcontext ctx;
	int *field;

	ctx = hfunc->mod->ctx;
	info = &ctx->dev->info;
	switch (attrib) {
	case MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES:
		/* The optin maximum is the per-block one on this device. */
		CHECK(value < 0 || (uint64_t)value + hfunc->k->meta->static_shared >
				    info->shared_mem_per_block,
		      MUSA_ERROR_INVALID_VALUE);
		field = &hfunc->attrs.max_dynamic_shared;
		break;
	case MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT:
		CHECK(value < -1 || value > 100, MUSA_ERROR_INVALID_VALUE);
		field = &hfunc->attrs.carveout;
		break;
	default:
		return MUSA_ERROR_INVALID_VALUE;
	}
	pthread_mutex_lock(&ctx->lock);
	*field = value;
	pthread_mutex_unlock(&ctx->lock);
	return MUSA_SUCCESS;
}

UMD_API MUresult muFuncSetAttribute(MUfunction hfunc, MUfunction_attribute attrib, int value)
{
	MUresult r = umd_check_init();

	if (r)
		return UMD_RET(r);
	if (!umd_handle_get(hfunc, UMD_H_FUNC))
		return UMD_RET(MUSA_ERROR_INVALID_HANDLE);
	r = umd_func_set_attr(hfunc, attrib, value);
	umd_module_put(hfunc->mod);
	return UMD_RET(r);
}

/* Sets the cache (bank == 0) or shared memory bank (bank == 1) preference. */
static MUresult umd_func_set_config(MUfunction hfunc, int bank, int value)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!umd_handle_get(hfunc, UMD_H_FUNC), MUSA_ERROR_INVALID_HANDLE);
	if (value < 0 || value > (bank ? MU_SHARED_MEM_CONFIG_EIGHT_BYTE_BANK_SIZE :
				   MU_FUNC_CACHE_PREFER_EQUAL)) {
		r = MUSA_ERROR_INVALID_VALUE;
	} else {
		pthread_mutex_lock(&hfunc->mod->ctx->lock);
		if (bank)
			hfunc->attrs.shared_mem = value;
		else
			hfunc->attrs.cache = value;
		pthread_mutex_unlock(&hfunc->mod->ctx->lock);
	}
	umd_module_put(hfunc->mod);
	return r;
}

UMD_API MUresult muFuncSetCacheConfig(MUfunction hfunc, MUfunc_cache config)
{
	return UMD_RET(umd_func_set_config(hfunc, 0, (int)config));
}

UMD_API MUresult muFuncSetSharedMemConfig(MUfunction hfunc, MUsharedconfig config)
{
	return UMD_RET(umd_func_set_config(hfunc, 1, (int)config));
}

UMD_API MUresult muFuncGetParamCount(MUfunction func, size_t *paramCount)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!paramCount, MUSA_ERROR_INVALID_VALUE);
	CHECK(!umd_handle_get(func, UMD_H_FUNC), MUSA_ERROR_INVALID_HANDLE);
	*paramCount = func->k->meta->nparams;
	umd_module_put(func->mod);
	return MUSA_SUCCESS;
}

UMD_API MUresult muFuncGetParamInfo(MUfunction func, size_t paramIndex, size_t *paramOffset,
				    size_t *paramSize)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!umd_handle_get(func, UMD_H_FUNC), MUSA_ERROR_INVALID_HANDLE);
	if (paramIndex >= func->k->meta->nparams || (!paramOffset && !paramSize)) {
		r = MUSA_ERROR_INVALID_VALUE;
	} else {
		if (paramOffset)
			*paramOffset = func->k->params[paramIndex].offset;
		if (paramSize)
			*paramSize = func->k->params[paramIndex].size;
	}
	umd_module_put(func->mod);
	return r;
}
