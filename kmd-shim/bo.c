/* SPDX-License-Identifier: MIT */
/*
 * bo.c - buffer objects: memfd-backed device memory and userptr wrappers of
 * host memory, their per-fd handles, fake mmap offsets, GEM_CLOSE and the
 * PRIME export/import of a BO as a real fd.
 *
 * A device BO is a sealed memfd (size frozen, so no importer can shrink it
 * under a mapping). Every memfd BO of the process sits in a registry keyed
 * by inode: importing an fd whose inode is known gives back that very
 * kmd_bo (one object, charged once, to the device that created it), as the
 * kernel's self-import does; an fd exported by another process is
 * recognised by its name and seals and becomes a new, uncharged BO.
 *
 * Calls device.c (memory accounting) and vm.c (unmap on close).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef F_ADD_SEALS
#include <linux/fcntl.h>
#endif

#include "kmd.h"

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

void kmd_bo_get(struct kmd_bo *bo)
{
	atomic_fetch_add(&bo->refcount, 1);
}

#define BO_MEMFD_NAME  "musa-bo"
#define BO_MEMFD_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

/* An entry of the process-wide PRIME registry: a memfd BO by inode. */
struct prime_entry {
	dev_t st_dev;
	ino_t st_ino;
	struct kmd_bo *bo;
};

/* Also orders the last put of a memfd BO against a lookup that revives it. */
static pthread_mutex_t prime_lock = PTHREAD_MUTEX_INITIALIZER;
static struct prime_entry *prime_reg;
static size_t prime_n, prime_cap;

static pthread_once_t prime_fork_once = PTHREAD_ONCE_INIT;

/* A thread of the parent may have held the lock at fork(); the child's
 * only thread starts with it free, so it can still import. */
static void prime_atfork_child(void)
{
	pthread_mutex_init(&prime_lock, NULL);
}

static void prime_fork_hook(void)
{
	pthread_atfork(NULL, NULL, prime_atfork_child);
}

static int prime_register(struct kmd_bo *bo)
{
	struct stat st;
	int ret = 0;

	pthread_once(&prime_fork_once, prime_fork_hook);
	if (fstat(bo->memfd, &st))
		return -ENOMEM;
	pthread_mutex_lock(&prime_lock);
	if (prime_n == prime_cap) {
		size_t cap = prime_cap ? prime_cap * 2 : 64;
		struct prime_entry *n = realloc(prime_reg, cap * sizeof(*n));

		if (!n) {
			ret = -ENOMEM;
			goto out;
		}
		prime_reg = n;
		prime_cap = cap;
	}
	prime_reg[prime_n].st_dev = st.st_dev;
	prime_reg[prime_n].st_ino = st.st_ino;
	prime_reg[prime_n].bo = bo;
	prime_n++;
out:
	pthread_mutex_unlock(&prime_lock);
	return ret;
}

/* prime_lock held. */
static void prime_unregister_locked(struct kmd_bo *bo)
{
	for (size_t i = 0; i < prime_n; i++) {
		if (prime_reg[i].bo == bo) {
			prime_reg[i] = prime_reg[--prime_n];
			return;
		}
	}
}

/*
 * The live BO of inode (dev, ino) with a new reference, or NULL. A BO this
 * process created is always the answer (the process can write it anyway);
 * of buffers of another process, only one imported with the same access
 * (`read_only`), so a read-only import never hands out a writable BO and a
 * read-write import is not held back by an earlier read-only one.
 */
static struct kmd_bo *prime_lookup(dev_t dev, ino_t ino, bool read_only)
{
	struct kmd_bo *bo = NULL;

	pthread_mutex_lock(&prime_lock);
	for (size_t i = 0; i < prime_n; i++) {
		struct kmd_bo *b = prime_reg[i].bo;

		if (prime_reg[i].st_dev != dev || prime_reg[i].st_ino != ino)
			continue;
		if (!b->dev && !(b->flags & KMD_BO_READ_ONLY) != !read_only)
			continue;
		bo = b;
		kmd_bo_get(bo);
		break;
	}
	pthread_mutex_unlock(&prime_lock);
	return bo;
}

static void bo_free(struct kmd_bo *bo)
{
	if (bo->memfd >= 0) {
		close(bo->memfd);
		if (bo->dev)
			kmd_device_mem_uncharge(bo->dev, bo->size);
	}
	free(bo);
}

void kmd_bo_put(struct kmd_bo *bo)
{
	if (!bo)
		return;
	if (bo->memfd < 0) {
		if (atomic_fetch_sub(&bo->refcount, 1) == 1)
			bo_free(bo);
		return;
	}
	pthread_mutex_lock(&prime_lock);
	if (atomic_fetch_sub(&bo->refcount, 1) != 1) {
		pthread_mutex_unlock(&prime_lock);
		return;
	}
	prime_unregister_locked(bo);
	pthread_mutex_unlock(&prime_lock);
	bo_free(bo);
}

struct kmd_bo *kmd_bo_lookup(struct kmd_file *f, uint32_t handle)
{
	struct kmd_bo *bo;

	pthread_mutex_lock(&f->lock);
	bo = kmd_handle_get(&f->bos, handle);
	if (bo)
		kmd_bo_get(bo);
	pthread_mutex_unlock(&f->lock);
	return bo;
}

struct kmd_bo *kmd_bo_find_mmap(struct kmd_file *f, uint64_t off, uint64_t len)
{
	for (uint32_t i = 0; i < f->bos.cap; i++) {
		struct kmd_bo *bo = f->bos.slots[i];

		if (!bo || !bo->mmap_offset || off < bo->mmap_offset)
			continue;
		if (off - bo->mmap_offset < bo->size &&
		    len <= bo->size - (off - bo->mmap_offset)) {
			kmd_bo_get(bo);
			return bo;
		}
	}
	return NULL;
}

/* Fake offsets are process-wide: an imported BO may be mmapped through
 * the fd of another device than the one that created it. */
static atomic_uint_fast64_t next_mmap_offset = KMD_MMAP_OFFSET_BASE;

static int bo_install(struct kmd_file *f, struct kmd_bo *bo, uint32_t *handle)
{
	int ret;

	pthread_mutex_lock(&f->lock);
	ret = kmd_handle_alloc(&f->bos, bo, handle);
	pthread_mutex_unlock(&f->lock);
	return ret;
}

int kmd_ioctl_bo_create(struct kmd_file *f, void *data)
{
	struct drm_musa_bo_create *a = data;
	uint64_t psz = page_size(), size;
	struct kmd_bo *bo;
	int ret;

	if (a->flags)
		return -EINVAL;
	if (a->size == 0 || a->size > UINT64_MAX - psz)
		return a->size ? -ENOMEM : -EINVAL;
	size = (a->size + psz - 1) & ~(psz - 1);
	if (size > f->dev->info.memory_size || size > (uint64_t)INT64_MAX)
		return -ENOMEM;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	atomic_init(&bo->refcount, 1);
	bo->dev = f->dev;
	bo->size = size;
	bo->memfd = -1;
	ret = kmd_device_mem_charge(f->dev, size);
	if (ret)
		goto err_free;
	bo->memfd = memfd_create(BO_MEMFD_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (bo->memfd < 0) {
		ret = errno == EMFILE || errno == ENFILE ? -errno : -ENOMEM;
		goto err_uncharge;
	}
	/* Owner only (memfds start as 0777): another user that is handed a
	 * read-only PRIME fd cannot reopen it writable through /proc. */
	(void)fchmod(bo->memfd, 0600);
	if (ftruncate(bo->memfd, (off_t)size) ||
	    fcntl(bo->memfd, F_ADD_SEALS, BO_MEMFD_SEALS)) {
		ret = -ENOMEM;
		goto err_close;
	}
	ret = prime_register(bo);
	if (ret)
		goto err_close;
	ret = bo_install(f, bo, &a->handle);
	if (ret)
		goto err_unregister;
	return 0;

err_unregister:
	pthread_mutex_lock(&prime_lock);
	prime_unregister_locked(bo);
	pthread_mutex_unlock(&prime_lock);
err_close:
	close(bo->memfd);
err_uncharge:
	kmd_device_mem_uncharge(f->dev, size);
err_free:
	free(bo);
	return ret;
}

int kmd_ioctl_bo_mmap_offset(struct kmd_file *f, void *data)
{
	struct drm_musa_bo_mmap_offset *a = data;
	struct kmd_bo *bo;
	int ret = 0;

	if (a->flags)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	bo = kmd_handle_get(&f->bos, a->handle);
	if (!bo) {
		ret = -ENOENT;
	} else if (bo->memfd < 0) {
		ret = -EINVAL;  /* a userptr BO is host memory already */
	} else {
		if (!bo->mmap_offset)
			bo->mmap_offset = atomic_fetch_add(&next_mmap_offset,
							   bo->size + page_size());
		a->offset = bo->mmap_offset;
	}
	pthread_mutex_unlock(&f->lock);
	return ret;
}

/* A hex number at *p, which moves past it; false when there is none. */
static bool maps_hex(const char **p, const char *e, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;

	for (; s < e; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;

		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	if (s == *p)
		return false;
	*p = s;
	*out = v;
	return true;
}

/*
 * Whether [start, end) lies in readable (and, with `write`, writable)
 * mappings of the process, from /proc/self/maps. The lines come in
 * address order, so reading stops at the first line past the range or
 * the first hole; read in blocks and parsed in place (a range check runs
 * on every copy to or from pageable memory).
 */
#define MAPS_BLOCK 65536   /* one read for the maps of most processes */

static bool host_range_mapped(uint64_t start, uint64_t end, bool write)
{
	char *buf = malloc(MAPS_BLOCK);
	size_t have = 0;
	uint64_t cur = start;
	bool stop = false;
	int fd = buf ? open("/proc/self/maps", O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0) {
		free(buf);
		return false;
	}
	while (cur < end && !stop) {
		ssize_t got = read(fd, buf + have, MAPS_BLOCK - have);
		const char *p = buf, *e;

		if (got <= 0)
			break;
		have += (size_t)got;
		e = buf + have;
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			uint64_t lo, hi;

			if (!nl)
				break;
			/* "lo-hi perms ..." */
			if (maps_hex(&p, nl, &lo) && p < nl && *p++ == '-' && maps_hex(&p, nl, &hi) &&
			    nl - p >= 3 && *p == ' ' && hi > cur) {
				if (lo > cur || p[1] != 'r' || (write && p[2] != 'w')) {
					stop = true;   /* a hole, or not accessible */
					break;
				}
				cur = hi;
				if (cur >= end)
					break;
			}
			p = nl + 1;
		}
		/* keep the partial last line for the next block */
		have = (size_t)(e - p);
		memmove(buf, p, have);
		if (have == MAPS_BLOCK)
			break;   /* a line longer than the buffer: not a maps line */
	}
	close(fd);
	free(buf);
	return cur >= end;
}

int kmd_ioctl_bo_userptr(struct kmd_file *f, void *data)
{
	struct drm_musa_bo_userptr *a = data;
	uint64_t psz = page_size();
	struct kmd_bo *bo;
	int ret;

	if (a->flags & ~DRM_MUSA_USERPTR_READ_ONLY)
		return -EINVAL;
	if (a->size == 0 || (a->size & (psz - 1)) || (a->user_ptr & (psz - 1)) ||
	    a->user_ptr + a->size < a->user_ptr)
		return -EINVAL;
	if (a->user_ptr == 0 ||
	    !host_range_mapped(a->user_ptr, a->user_ptr + a->size,
			       !(a->flags & DRM_MUSA_USERPTR_READ_ONLY)))
		return -EFAULT;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	atomic_init(&bo->refcount, 1);
	bo->dev = f->dev;
	bo->size = a->size;
	bo->memfd = -1;
	bo->userptr = a->user_ptr;
	bo->flags = a->flags;
	ret = bo_install(f, bo, &a->handle);
	if (ret)
		free(bo);
	return ret;
}

int kmd_ioctl_gem_close(struct kmd_file *f, void *data)
{
	struct drm_gem_close *a = data;
	struct kmd_bo *bo;

	/* drm_gem_close_ioctl() does not look at pad; neither do we. */
	pthread_mutex_lock(&f->lock);
	kmd_rings_take_all(f);   /* what the rings hold was written before */
	bo = kmd_handle_remove(&f->bos, a->handle);
	if (bo)
		kmd_vm_unmap_bo(f, bo);
	pthread_mutex_unlock(&f->lock);
	if (!bo)
		return -EINVAL;
	kmd_bo_put(bo);
	return 0;
}

void kmd_bo_release_all(struct kmd_file *f)
{
	struct kmd_bo *bo;

	while ((bo = kmd_handle_pop(&f->bos)))
		kmd_bo_put(bo);
}

/*
 * Export hands out a new open file of the BO's memfd: read-only unless
 * DRM_RDWR, as a dma-buf fd is, so mmap(PROT_WRITE) of it fails the same
 * way. Another process imports it with PRIME_FD_TO_HANDLE.
 */
int kmd_ioctl_prime_handle_to_fd(struct kmd_file *f, void *data)
{
	struct drm_prime_handle *a = data;
	char path[64];
	struct kmd_bo *bo;
	int fd;

	if (a->flags & ~(uint32_t)(DRM_CLOEXEC | DRM_RDWR))
		return -EINVAL;
	bo = kmd_bo_lookup(f, a->handle);
	if (!bo)
		return -ENOENT;
	if (bo->memfd < 0) {
		kmd_bo_put(bo);
		return -EINVAL;  /* host memory of this process: nothing to share */
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", bo->memfd);
	fd = open(path, ((a->flags & DRM_RDWR) ? O_RDWR : O_RDONLY) |
		  ((a->flags & DRM_CLOEXEC) ? O_CLOEXEC : 0));
	kmd_bo_put(bo);
	if (fd < 0)
		return errno == EMFILE || errno == ENFILE ? -errno : -ENOMEM;
	a->fd = fd;
	return 0;
}

/* Whether `fd` is a BO memfd of this stack, possibly of another process. */
static bool is_bo_memfd(int fd, const struct stat *st)
{
	static const char want[] = "/memfd:" BO_MEMFD_NAME " ";
	char path[64], link[sizeof(want)];
	ssize_t n;

	if (!S_ISREG(st->st_mode) || st->st_size <= 0 ||
	    ((uint64_t)st->st_size & (page_size() - 1)))
		return false;
	if (fcntl(fd, F_GET_SEALS) != BO_MEMFD_SEALS)
		return false;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link));
	return n >= (ssize_t)sizeof(want) - 1 && memcmp(link, want, sizeof(want) - 1) == 0;
}

/* The handle of `bo` in `f`, or 0. f->lock held. */
static uint32_t bo_handle_of(struct kmd_file *f, const struct kmd_bo *bo)
{
	for (uint32_t i = 0; i < f->bos.cap; i++)
		if (f->bos.slots[i] == bo)
			return i + 1;
	return 0;
}

/*
 * A BO for an fd exported by another process, charged to no device: an open
 * file of its own with the access the fd has. A read-only fd (exported
 * without DRM_RDWR) gives a read-only BO: mapped PROT_READ, refused as a
 * destination by the copy engine, and its fake-offset mmap fails for
 * PROT_WRITE, so the import never grants more than the export did.
 */
static int bo_from_foreign_fd(int fd, const struct stat *st, bool read_only,
			      struct kmd_bo **out)
{
	char path[64];
	struct kmd_bo *bo;
	int ret;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	atomic_init(&bo->refcount, 1);
	bo->size = (uint64_t)st->st_size;
	bo->flags = read_only ? KMD_BO_READ_ONLY : 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	bo->memfd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (bo->memfd < 0) {
		ret = errno == EMFILE || errno == ENFILE ? -errno : -EINVAL;
		free(bo);
		return ret;
	}
	ret = prime_register(bo);
	if (ret) {
		close(bo->memfd);
		free(bo);
		return ret;
	}
	*out = bo;
	return 0;
}

/*
 * drm_prime_fd_to_handle_ioctl() ignores flags; dma_buf_get() answers EBADF
 * for a closed fd and EINVAL for one that is not a dma-buf. Importing a BO
 * this fd already has a handle for gives that handle again.
 */
int kmd_ioctl_prime_fd_to_handle(struct kmd_file *f, void *data)
{
	struct drm_prime_handle *a = data;
	struct kmd_bo *bo;
	struct stat st;
	uint32_t handle;
	bool read_only;
	int ret, fl;

	if (a->fd < 0 || fstat(a->fd, &st) || (fl = fcntl(a->fd, F_GETFL)) < 0)
		return -EBADF;
	if (!is_bo_memfd(a->fd, &st))
		return -EINVAL;
	read_only = (fl & O_ACCMODE) == O_RDONLY;
	bo = prime_lookup(st.st_dev, st.st_ino, read_only);
	if (!bo) {
		ret = bo_from_foreign_fd(a->fd, &st, read_only, &bo);
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&f->lock);
	handle = bo_handle_of(f, bo);
	if (handle) {
		a->handle = handle;
		pthread_mutex_unlock(&f->lock);
		kmd_bo_put(bo);
		return 0;
	}
	ret = kmd_handle_alloc(&f->bos, bo, &a->handle);
	pthread_mutex_unlock(&f->lock);
	if (ret)
		kmd_bo_put(bo);
	return ret;
}
