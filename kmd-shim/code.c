/* SPDX-License-Identifier: MIT */
/*
 * code.c - CODE_LOAD / CODE_UNLOAD: a code object is read out of a BO,
 * validated with musa_codeobj_parse() before anything of it runs (the
 * metadata and everything the dynamic loader follows: docs/uapi.md, "The
 * code-object trust boundary"), written to a memfd that is then sealed
 * and made owner-read-only, and dlopen'ed from /proc/<pid>/fd/N; each
 * kernel record becomes a per-fd kernel handle naming the resolved entry.
 *
 * A module is refcounted: queued dispatches hold it, so an unload while
 * they run dlcloses only after they finish.
 *
 * Device variables live in the loaded object's data segment (host memory
 * outside the device window). At load the writable PT_LOAD ranges, less
 * the part RELRO makes read-only, become identity mappings of the fd
 * (vm.c), so COPY/FILL packets on variables validate like any BO range;
 * they are dropped at CODE_UNLOAD. CODE_GLOBAL resolves a variable record
 * by name to its address through the record's pointer cell.
 *
 * A kernel record with MUSA_META_F_FFI names the kernel function, not a
 * work-group entry: it gets a libffi call (ffi.c), owned by the module so
 * that queued dispatches keep it after CODE_UNLOAD.
 * Calls bo.c (lookup), vm.c, ffi.c and lib/codeobj (the validator).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmd.h"

void kmd_module_get(struct kmd_module *m)
{
	atomic_fetch_add(&m->refcount, 1);
}

void kmd_module_put(struct kmd_module *m)
{
	if (!m || atomic_fetch_sub(&m->refcount, 1) != 1)
		return;
	if (m->dl) {
		void *still;

		dlclose(m->dl);
		/*
		 * dlopen finds loaded objects by name, and the name is the fd
		 * number. An object that stays loaded (NODELETE, e.g. C++ unique
		 * symbols) keeps its fd open, so the number is never reused.
		 */
		still = dlopen(m->path, RTLD_NOW | RTLD_NOLOAD);
		if (still) {
			dlclose(still);
			kmd_log("code object %s stays loaded; keeping its fd", m->path);
			m->memfd = -1;
		}
	}
	if (m->memfd >= 0)
		close(m->memfd);
	for (uint32_t i = 0; m->ffi && i < m->nkernels; i++)
		kmd_ffi_kernel_destroy(m->ffi[i]);
	free(m->ffi);
	for (uint32_t i = 0; i < m->nvars; i++)
		free(m->vars[i].name);
	free(m->vars);
	free(m->kernel_handles);
	free(m);
}

static int read_image(struct kmd_bo *bo, uint64_t size, void **out)
{
	unsigned char *img = malloc(size);
	uint64_t done = 0;

	if (!img)
		return -ENOMEM;
	if (bo->memfd < 0) {
		if (kmd_copy_from_user(img, bo->userptr, size)) {
			free(img);
			return -EFAULT;
		}
		*out = img;
		return 0;
	}
	while (done < size) {
		ssize_t n = pread(bo->memfd, img + done, size - done, (off_t)done);

		if (n <= 0) {
			free(img);
			return -EIO;
		}
		done += (uint64_t)n;
	}
	*out = img;
	return 0;
}

static int write_all(int fd, const void *buf, size_t size)
{
	const unsigned char *p = buf;

	while (size) {
		ssize_t n = write(fd, p, size);

		if (n <= 0)
			return -EIO;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

/* Removes the module's kernel handles and the module handle. f->lock held. */
static void module_unpublish(struct kmd_file *f, struct kmd_module *m, uint32_t nk)
{
	for (uint32_t i = 0; i < nk; i++) {
		struct kmd_kernel *k = kmd_handle_remove(&f->kernels, m->kernel_handles[i]);

		if (k) {
			kmd_module_put(k->module);
			free(k);
		}
	}
}

struct data_scan {
	uintptr_t base;           /* l_addr of the module */
	struct kmd_module *m;
	bool found;
};

/* Records the writable segments of the object loaded at scan->base. */
static int data_ranges_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct data_scan *ds = arg;
	uint64_t relro_end = 0, page = (uint64_t)sysconf(_SC_PAGESIZE);

	(void)size;
	if (info->dlpi_addr != ds->base || ds->found)
		return 0;
	ds->found = true;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		/* the loader mprotects [page_down(start), page_down(end)) read-only */
		if (ph->p_type == PT_GNU_RELRO)
			relro_end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & ~(page - 1);
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uint64_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
			continue;
		if (relro_end > lo && relro_end <= hi)
			lo = relro_end;
		if (lo < hi && ds->m->nranges < sizeof(ds->m->ranges) / sizeof(ds->m->ranges[0])) {
			ds->m->ranges[ds->m->nranges].va = lo;
			ds->m->ranges[ds->m->nranges].size = hi - lo;
			ds->m->nranges++;
		}
	}
	return 1;
}

struct seg_find {
	uintptr_t base;           /* l_addr of the module */
	uintptr_t addr;
	size_t len;
	bool exec;                /* must be in an executable segment */
	bool found;
};

static int seg_find_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct seg_find *sf = arg;

	(void)size;
	if (info->dlpi_addr != sf->base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || (sf->exec && !(ph->p_flags & PF_X)))
			continue;
		if (sf->addr >= lo && sf->addr - lo <= ph->p_memsz &&
		    sf->len <= ph->p_memsz - (sf->addr - lo))
			sf->found = true;
	}
	return 1;
}

/*
 * Whether [p, p + len) lies in a segment of the module (an executable one
 * with exec). What dlsym returns is read or called by the KMD: a symbol the
 * validator saw in the section table may still resolve elsewhere through
 * the dynamic table, so each address is checked against what was mapped.
 */
static bool module_has(struct kmd_module *m, const void *p, size_t len, bool exec)
{
	struct link_map *lm = NULL;
	struct seg_find sf = { .addr = (uintptr_t)p, .len = len, .exec = exec };

	if (dlinfo(m->dl, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return false;
	sf.base = lm->l_addr;
	dl_iterate_phdr(seg_find_cb, &sf);
	return sf.found;
}

/* Variables: their addresses from the pointer cells, and the data ranges. */
static int module_vars(struct kmd_module *m, const struct musa_codeobj *co)
{
	struct link_map *lm = NULL;
	struct data_scan ds = { 0 };

	if (dlinfo(m->dl, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return -ENOEXEC;
	ds.base = lm->l_addr;
	ds.m = m;
	dl_iterate_phdr(data_ranges_cb, &ds);
	if (!co->nvars)
		return 0;
	m->vars = calloc(co->nvars, sizeof(*m->vars));
	if (!m->vars)
		return -ENOMEM;
	for (uint32_t i = 0; i < co->nvars; i++) {
		void *const *cell = dlsym(m->dl, co->vars[i].sym);

		if (!cell || (uintptr_t)cell % _Alignof(void *) ||
		    !module_has(m, cell, sizeof(*cell), false))
			return -ENOEXEC;
		m->vars[i].name = strdup(co->vars[i].name);
		if (!m->vars[i].name)
			return -ENOMEM;
		m->nvars = i + 1;
		m->vars[i].va = (uint64_t)(uintptr_t)*cell;
		m->vars[i].size = co->vars[i].meta->size;
	}
	return 0;
}

/* An F_FFI kernel: `sym` is the kernel function; its groups run through
 * the object's own runner. */
static int module_ffi_kernel(struct kmd_module *m, const struct musa_codeobj_kernel *ck,
			     void *sym, uint32_t i, struct kmd_kernel *k)
{
	void *runner = dlsym(m->dl, MUSA_FFI_RUNNER);
	int ret;

	if (!runner || !module_has(m, runner, 1, true))
		return -ENOEXEC;
	if (!m->ffi) {
		m->ffi = calloc(m->nkernels, sizeof(*m->ffi));
		if (!m->ffi)
			return -ENOMEM;
	}
	ret = kmd_ffi_kernel_create(ck, sym, runner, &m->ffi[i]);
	if (ret)
		return ret;
	k->entry = NULL;  /* kmd_ffi_dispatch_begin() supplies it */
	k->ffi = m->ffi[i];
	return 0;
}

/*
 * Tools that find code by the file a mapping came from (valgrind, perf)
 * see a memfd as "/memfd:musa-code (deleted)" and cannot read it. With
 * MUSA_CODE_DIR=dir, or under valgrind, each code object is also written
 * as a file and loaded from there: in dir it stays after the run (perf
 * reads it then); under valgrind alone it goes as soon as it is loaded,
 * as valgrind reads debug information when the object is mapped. The file
 * is written from the checked image; the memfd stays the object's name
 * for nobody but this code. Returns the directory, or NULL for the memfd.
 */
static const char *code_file_dir(bool *keep)
{
	const char *dir = getenv("MUSA_CODE_DIR"), *pre = getenv("LD_PRELOAD");

	*keep = dir && *dir;
	if (*keep)
		return dir;
	if (pre && strstr(pre, "vgpreload_")) {
		dir = getenv("TMPDIR");
		return dir && *dir ? dir : "/tmp";
	}
	return NULL;
}

/* Writes the image to a new file in dir, named into m->path; 0 or -errno. */
static int code_file_write(struct kmd_module *m, const char *dir, const void *image, size_t size)
{
	static atomic_uint seq;
	int fd, ret;

	if ((size_t)snprintf(m->path, sizeof(m->path), "%s/musa-code-%ld-%u-XXXXXX.so", dir,
			     (long)getpid(), atomic_fetch_add(&seq, 1)) >= sizeof(m->path))
		return -ENAMETOOLONG;
	fd = mkstemps(m->path, 3);
	if (fd < 0)
		return -errno;
	ret = fchmod(fd, 0500) ? -errno : write_all(fd, image, size);
	close(fd);
	if (ret)
		unlink(m->path);
	return ret;
}

static int module_load(struct kmd_module *m, const void *image, size_t size,
		       const struct musa_codeobj *co, struct kmd_kernel **kernels)
{
	const char *dir;
	bool keep = false;
	int ret;

	m->memfd = memfd_create("musa-code", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m->memfd < 0)
		return -errno;
	/* owner-read only: /proc/<pid>/fd/N opens honour the mode */
	if (fchmod(m->memfd, 0400) != 0)
		return -errno;
	ret = write_all(m->memfd, image, size);
	if (ret)
		return ret;
	/*
	 * Sealed before the loader sees it: no one holding or reopening the
	 * fd can change the code that runs, and the size the validator
	 * checked is the size that is mapped.
	 */
	if (fcntl(m->memfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL))
		return -errno;
	/*
	 * Named by the process id, not /proc/self: the name is what the link
	 * map shows, and a debugger (gdb reads the link map to find shared
	 * objects and their DWARF) or valgrind opening /proc/self/... would
	 * reach its own fds instead.
	 */
	dir = code_file_dir(&keep);
	if (dir && code_file_write(m, dir, image, size) == 0) {
		m->dl = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
		if (!keep || !m->dl)
			unlink(m->path);
	}
	if (!m->dl) {
		if (dir)
			kmd_log("cannot load a code object file in %s; loading the memfd", dir);
		snprintf(m->path, sizeof(m->path), "/proc/%ld/fd/%d", (long)getpid(), m->memfd);
		m->dl = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!m->dl) {
		kmd_log("dlopen of code object failed: %s", dlerror());
		return -ENOEXEC;
	}
	/* optional: where a faulting group stood, for fault reports */
	{
		void *where = dlsym(m->dl, MUSA_WG_WHERE_SYM);

		if (where && module_has(m, where, 1, true))
			m->where = (musa_wg_where_fn)where;
	}
	for (uint32_t i = 0; i < co->nkernels; i++) {
		const struct musa_meta_kernel *meta = co->kernels[i].meta;
		void *sym = dlsym(m->dl, co->kernels[i].entry);

		if (!sym || !module_has(m, sym, 1, true))
			return -ENOEXEC;
		if (meta->flags & MUSA_META_F_FFI) {
			ret = module_ffi_kernel(m, &co->kernels[i], sym, i, kernels[i]);
			if (ret)
				return ret;
		} else {
			kernels[i]->entry = (musa_wg_entry_fn)sym;
		}
		kernels[i]->kernarg_size = meta->kernarg_size;
		kernels[i]->kernarg_align = meta->kernarg_align ? meta->kernarg_align : 1;
		kernels[i]->static_shared = meta->static_shared;
		kernels[i]->max_threads = meta->max_threads;
		kernels[i]->flags = meta->flags;
		kernels[i]->scratch_size = co->kernels[i].scratch_size;
	}
	return module_vars(m, co);
}

/* A module of n kernels with nothing loaded yet, and its n unpublished
 * kernels in *kernels (freed with kernels_free()). */
static int module_new(uint32_t n, struct kmd_module **out, struct kmd_kernel ***kernels)
{
	struct kmd_module *m = calloc(1, sizeof(*m));
	struct kmd_kernel **k = calloc(n ? n : 1, sizeof(*k));

	*out = m;
	*kernels = k;
	if (!m)
		return -ENOMEM;
	atomic_init(&m->refcount, 1);
	m->memfd = -1;
	m->nkernels = n;
	m->kernel_handles = calloc(n ? n : 1, sizeof(uint32_t));
	if (!k || !m->kernel_handles)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		k[i] = calloc(1, sizeof(*k[i]));
		if (!k[i])
			return -ENOMEM;
		k[i]->module = m;
	}
	return 0;
}

/* The kernels not published (those left non-NULL) and the array. */
static void kernels_free(struct kmd_kernel **kernels, uint32_t n)
{
	for (uint32_t i = 0; kernels && i < n; i++)
		free(kernels[i]);
	free(kernels);
}

/*
 * Gives the loaded module's kernels handles (each takes a reference; its
 * slot in `kernels` becomes NULL), maps its data ranges and gives it a
 * handle; all or nothing. f->lock held.
 */
static int module_publish(struct kmd_file *f, struct kmd_module *m, struct kmd_kernel **kernels,
			  uint32_t *mhandle)
{
	uint32_t published = 0;
	int ret = 0;

	for (uint32_t i = 0; i < m->nkernels && !ret; i++) {
		ret = kmd_handle_alloc(&f->kernels, kernels[i], &m->kernel_handles[i]);
		if (!ret) {
			kmd_module_get(m);
			kernels[i] = NULL;
			published++;
		}
	}
	for (uint32_t i = 0; i < m->nranges && !ret; i++)
		ret = kmd_vm_map_module(f, m, m->ranges[i].va, m->ranges[i].size);
	if (!ret)
		ret = kmd_handle_alloc(&f->modules, m, mhandle);
	if (ret) {
		kmd_vm_unmap_module(f, m);
		module_unpublish(f, m, published);
	}
	return ret;
}

/* Loads the validated `co` of `image` as a new module of f, and writes the
 * kernel handles to the caller's array. */
static int code_load(struct kmd_file *f, struct drm_musa_code_load *a, const void *image,
		     const struct musa_codeobj *co)
{
	struct kmd_kernel **kernels = NULL;
	struct kmd_module *m = NULL;
	uint32_t n = co->nkernels, mhandle = 0;
	int ret;

	ret = module_new(n, &m, &kernels);
	if (!ret)
		ret = module_load(m, image, a->size, co, kernels);
	if (ret)
		goto out;
	pthread_mutex_lock(&f->lock);
	ret = module_publish(f, m, kernels, &mhandle);
	pthread_mutex_unlock(&f->lock);
	if (ret)
		goto out;
	ret = kmd_copy_to_user(a->kernels, m->kernel_handles, (size_t)n * sizeof(uint32_t));
	if (ret) {
		pthread_mutex_lock(&f->lock);
		kmd_handle_remove(&f->modules, mhandle);
		kmd_vm_unmap_module(f, m);
		module_unpublish(f, m, n);
		pthread_mutex_unlock(&f->lock);
		goto out;
	}
	a->kernel_count = n;
	a->module = mhandle;
	kernels_free(kernels, n);
	return 0;
out:
	kernels_free(kernels, n);
	kmd_module_put(m);
	return ret;
}

int kmd_ioctl_code_load(struct kmd_file *f, void *data)
{
	struct drm_musa_code_load *a = data;
	struct musa_codeobj co = { 0 };
	struct kmd_bo *bo;
	void *image = NULL;
	int ret;

	if (a->flags)
		return -EINVAL;
	bo = kmd_bo_lookup(f, a->bo_handle);
	if (!bo)
		return -ENOENT;
	if (a->size == 0 || a->size > bo->size) {
		ret = -EINVAL;
		goto out;
	}
	ret = read_image(bo, a->size, &image);
	if (!ret)
		ret = musa_codeobj_parse(image, a->size, &co);
	if (ret)
		goto out;
	if (a->kernel_count < co.nkernels) {
		/* the size query loads nothing */
		a->kernel_count = co.nkernels;
		a->module = 0;
	} else {
		ret = code_load(f, a, image, &co);
	}
	musa_codeobj_free(&co);
out:
	free(image);
	kmd_bo_put(bo);
	return ret;
}

int kmd_ioctl_code_unload(struct kmd_file *f, void *data)
{
	struct drm_musa_code_unload *a = data;
	struct kmd_module *m;

	if (a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	kmd_rings_take_all(f);   /* what the rings hold was written before */
	m = kmd_handle_remove(&f->modules, a->module);
	if (m) {
		kmd_vm_unmap_module(f, m);
		module_unpublish(f, m, m->nkernels);
	}
	pthread_mutex_unlock(&f->lock);
	if (!m)
		return -ENOENT;
	kmd_module_put(m);
	return 0;
}

void kmd_code_release_all(struct kmd_file *f)
{
	struct kmd_module *m;

	while ((m = kmd_handle_pop(&f->modules))) {
		kmd_vm_unmap_module(f, m);
		module_unpublish(f, m, m->nkernels);
		kmd_module_put(m);
	}
}

int kmd_ioctl_code_global(struct kmd_file *f, void *data)
{
	struct drm_musa_code_global *a = data;
	struct kmd_module *m;
	char *name;
	int ret = -ENOENT;

	if (a->flags || a->pad || a->name_len == 0 || a->name_len > DRM_MUSA_MAX_NAME)
		return -EINVAL;
	name = malloc((size_t)a->name_len + 1);
	if (!name)
		return -ENOMEM;
	if (kmd_copy_from_user(name, a->name, a->name_len)) {
		free(name);
		return -EFAULT;
	}
	name[a->name_len] = '\0';
	if (memchr(name, '\0', a->name_len)) {
		free(name);
		return -EINVAL;
	}
	pthread_mutex_lock(&f->lock);
	m = kmd_handle_get(&f->modules, a->module);
	for (uint32_t i = 0; m && i < m->nvars; i++) {
		if (strcmp(m->vars[i].name, name) == 0) {
			a->va = m->vars[i].va;
			a->size = m->vars[i].size;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	free(name);
	return ret;
}
