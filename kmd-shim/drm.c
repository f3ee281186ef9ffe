/* SPDX-License-Identifier: MIT */
/*
 * drm.c - the door of the kernel-driver shim: fd registry, the ioctl table
 * with its argument-size rules, fault-safe user copies, and the generic
 * VERSION / GET_CAP ioctls.
 *
 * May call every other kmd-shim file (handlers and release functions) and the
 * stack's logger (lib/log); the other files call back only kmd_copy_*_user()
 * and kmd_log().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kmd.h"
#include "musa_log.h"

/* Debug lines under the kmd category of the stack's logger (MUSA_LOG=debug
 * or debug:kmd). */
void kmd_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_va(MUSA_LOG_KMD, MUSA_LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* A setting the user got wrong: always one line on stderr, whatever
 * MUSA_LOG says (docs/environment.md). */
void kmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_warn_va(fmt, ap);
	va_end(ap);
}

/* User copies */

/*
 * The process's pid for process_vm_readv/writev: getpid() is a system
 * call. A fork child learns its own from the atfork handler.
 */
static pthread_once_t self_once = PTHREAD_ONCE_INIT;
static _Atomic pid_t self_pid;

static void self_child(void)
{
	atomic_store(&self_pid, getpid());
}

static void self_init(void)
{
	atomic_store(&self_pid, getpid());
	pthread_atfork(NULL, NULL, self_child);
}

static pid_t self(void)
{
	pthread_once(&self_once, self_init);
	return atomic_load_explicit(&self_pid, memory_order_relaxed);
}

/*
 * A bad pointer is EFAULT, not SIGSEGV, as the kernel's copy_from_user
 * makes it. The copy is a plain one under the fault handler's guard
 * (fault.c), with no system call; where that handler could not be
 * installed, process_vm_readv/writev on our own pid check the range.
 */
static int user_copy(void *dst, const void *src, size_t n, bool to_user)
{
	struct iovec local = { to_user ? (void *)src : dst, n };
	struct iovec remote = { to_user ? dst : (void *)src, n };
	ssize_t done;
	int ret;

	if (n == 0)
		return 0;
	if (!(to_user ? dst : src))
		return -EFAULT;
	ret = kmd_fault_user_copy(dst, src, n);
	if (ret != -ENOSYS)
		return ret;
	done = to_user ? process_vm_writev(self(), &local, 1, &remote, 1, 0)
		       : process_vm_readv(self(), &local, 1, &remote, 1, 0);
	return done == (ssize_t)n ? 0 : -EFAULT;
}

int kmd_copy_from_user(void *dst, uint64_t user_src, size_t n)
{
	return user_copy(dst, (const void *)(uintptr_t)user_src, n, false);
}

int kmd_copy_to_user(uint64_t user_dst, const void *src, size_t n)
{
	return user_copy((void *)(uintptr_t)user_dst, src, n, true);
}

/* Fd registry */

/*
 * Every fd of a DRM file has an entry holding one reference: the fd
 * musa_kmd_open() made and each duplicate announced with musa_kmd_dup().
 * The process can close or reuse a number without telling the driver
 * (close_range, dup2 over it, a raw syscall, fclose of an fdopen stream),
 * so an entry is believed only while its number still names the file's
 * memfd: each lookup compares the fd's (st_dev, st_ino) with the file's
 * and drops an entry that no longer matches. The memfd stays mapped while
 * the file lives, so its inode number cannot pass to another file.
 */

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kmd_file **reg_files;  /* indexed by fd */
static size_t reg_cap;

/*
 * The identity of the file fd names. A raw statx: under drm-shim mode the
 * preloaded fstat would describe a device fd as the render node.
 */
static int fd_ident(int fd, uint64_t *dev, uint64_t *ino)
{
	struct statx stx;

	if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_INO, &stx))
		return -errno;
	*dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	*ino = stx.stx_ino;
	return 0;
}

/* True when fd still names f's memfd. Leaves errno alone. */
static bool file_named_by(const struct kmd_file *f, int fd)
{
	int saved = errno;
	uint64_t dev, ino;
	bool ok = fd_ident(fd, &dev, &ino) == 0 && dev == f->ident_dev && ino == f->ident_ino;

	errno = saved;
	return ok;
}

/*
 * Makes fd an entry of f, taking over one reference the caller holds.
 * *old gets what the entry held before (f itself when it already was f's),
 * for the caller to put once the lock is dropped.
 */
static int reg_set(int fd, struct kmd_file *f, struct kmd_file **old)
{
	*old = NULL;
	pthread_mutex_lock(&reg_lock);
	if ((size_t)fd >= reg_cap) {
		size_t cap = reg_cap ? reg_cap : 64;
		struct kmd_file **n;

		while (cap <= (size_t)fd)
			cap *= 2;
		n = realloc(reg_files, cap * sizeof(*n));
		if (!n) {
			pthread_mutex_unlock(&reg_lock);
			return -ENOMEM;
		}
		memset(n + reg_cap, 0, (cap - reg_cap) * sizeof(*n));
		reg_files = n;
		reg_cap = cap;
	}
	*old = reg_files[fd];
	reg_files[fd] = f;
	pthread_mutex_unlock(&reg_lock);
	return 0;
}

/* Removes fd's entry if it still holds f; true when it did. */
static bool reg_drop_if(int fd, struct kmd_file *f)
{
	bool dropped = false;

	pthread_mutex_lock(&reg_lock);
	if ((size_t)fd < reg_cap && reg_files[fd] == f) {
		reg_files[fd] = NULL;
		dropped = true;
	}
	pthread_mutex_unlock(&reg_lock);
	return dropped;
}

static void file_put(struct kmd_file *f);

/* f with a reference, or NULL when fd is no (longer a) device fd. */
static struct kmd_file *file_get(int fd)
{
	struct kmd_file *f = NULL;

	pthread_mutex_lock(&reg_lock);
	if (fd >= 0 && (size_t)fd < reg_cap && reg_files[fd]) {
		f = reg_files[fd];
		atomic_fetch_add(&f->refcount, 1);
	}
	pthread_mutex_unlock(&reg_lock);
	if (!f || file_named_by(f, fd))
		return f;
	kmd_log("fd %d no longer names its device file: entry dropped", fd);
	if (reg_drop_if(fd, f))
		file_put(f);
	file_put(f);
	return NULL;
}

/*
 * Drops the entries whose numbers were closed or reused behind the
 * driver's back, so what those files held goes back to the device.
 */
static void reg_sweep(void)
{
	for (size_t fd = 0;; fd++) {
		struct kmd_file *f = NULL;

		pthread_mutex_lock(&reg_lock);
		for (; fd < reg_cap; fd++) {
			if (reg_files[fd] && !file_named_by(reg_files[fd], (int)fd)) {
				f = reg_files[fd];
				reg_files[fd] = NULL;
				break;
			}
		}
		pthread_mutex_unlock(&reg_lock);
		if (!f)
			return;
		kmd_log("fd %zu no longer names its device file: entry dropped", fd);
		file_put(f);
	}
}

/* Everything the fd owned goes, queues first so their work drains. */
static void file_put(struct kmd_file *f)
{
	if (atomic_fetch_sub(&f->refcount, 1) != 1)
		return;
	kmd_queue_release_all(f);
	kmd_code_release_all(f);
	kmd_vm_release_all(f);
	kmd_bo_release_all(f);
	kmd_syncobj_release_all(f);
	kmd_handles_fini(&f->bos);
	kmd_handles_fini(&f->syncobjs);
	kmd_handles_fini(&f->queues);
	kmd_handles_fini(&f->modules);
	kmd_handles_fini(&f->kernels);
	kmd_trace_fini(&f->trace);
	free(f->vmas);
	if (f->pin != MAP_FAILED)
		munmap(f->pin, (size_t)sysconf(_SC_PAGESIZE));
	pthread_mutex_destroy(&f->fault_lock);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

/* The ioctl table */

struct kmd_ioctl_desc {
	unsigned long cmd;   /* canonical request: direction and size */
	kmd_ioctl_fn func;
};

#define KMD_IOCTL(req, fn) [_IOC_NR(req)] = { (req), (fn) }

static const struct kmd_ioctl_desc kmd_ioctls[256] = {
	KMD_IOCTL(DRM_IOCTL_VERSION, kmd_ioctl_version),
	KMD_IOCTL(DRM_IOCTL_GET_CAP, kmd_ioctl_get_cap),
	KMD_IOCTL(DRM_IOCTL_GEM_CLOSE, kmd_ioctl_gem_close),
	KMD_IOCTL(DRM_IOCTL_PRIME_HANDLE_TO_FD, kmd_ioctl_prime_handle_to_fd),
	KMD_IOCTL(DRM_IOCTL_PRIME_FD_TO_HANDLE, kmd_ioctl_prime_fd_to_handle),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_CREATE, kmd_ioctl_syncobj_create),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_DESTROY, kmd_ioctl_syncobj_destroy),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_WAIT, kmd_ioctl_syncobj_wait),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_RESET, kmd_ioctl_syncobj_reset),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_SIGNAL, kmd_ioctl_syncobj_signal),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, kmd_ioctl_syncobj_timeline_wait),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_QUERY, kmd_ioctl_syncobj_query),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_TRANSFER, kmd_ioctl_syncobj_transfer),
	KMD_IOCTL(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, kmd_ioctl_syncobj_timeline_signal),
	KMD_IOCTL(DRM_IOCTL_MUSA_DEVICE_QUERY, kmd_ioctl_device_query),
	KMD_IOCTL(DRM_IOCTL_MUSA_BO_CREATE, kmd_ioctl_bo_create),
	KMD_IOCTL(DRM_IOCTL_MUSA_BO_MMAP_OFFSET, kmd_ioctl_bo_mmap_offset),
	KMD_IOCTL(DRM_IOCTL_MUSA_BO_USERPTR, kmd_ioctl_bo_userptr),
	KMD_IOCTL(DRM_IOCTL_MUSA_VM_MAP, kmd_ioctl_vm_map),
	KMD_IOCTL(DRM_IOCTL_MUSA_VM_UNMAP, kmd_ioctl_vm_unmap),
	KMD_IOCTL(DRM_IOCTL_MUSA_CODE_LOAD, kmd_ioctl_code_load),
	KMD_IOCTL(DRM_IOCTL_MUSA_CODE_UNLOAD, kmd_ioctl_code_unload),
	KMD_IOCTL(DRM_IOCTL_MUSA_QUEUE_CREATE, kmd_ioctl_queue_create),
	KMD_IOCTL(DRM_IOCTL_MUSA_QUEUE_DESTROY, kmd_ioctl_queue_destroy),
	KMD_IOCTL(DRM_IOCTL_MUSA_SUBMIT, kmd_ioctl_submit),
	KMD_IOCTL(DRM_IOCTL_MUSA_CTX_QUERY, kmd_ioctl_ctx_query),
	KMD_IOCTL(DRM_IOCTL_MUSA_CODE_GLOBAL, kmd_ioctl_code_global),
	KMD_IOCTL(DRM_IOCTL_MUSA_QUEUE_DOORBELL, kmd_ioctl_queue_doorbell),
	KMD_IOCTL(DRM_IOCTL_MUSA_TRACE, kmd_ioctl_trace),
	KMD_IOCTL(DRM_IOCTL_MUSA_GET_PARAM, kmd_ioctl_get_param),
};

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * The DRM core's argument rules: copy in the user's size, zero-extend to
 * the table's size, reject a longer struct whose extra bytes are not zero,
 * copy out at most the table's size, whatever the handler returned.
 */
static int kmd_dispatch(struct kmd_file *f, unsigned long request, void *arg)
{
	const struct kmd_ioctl_desc *d;
	size_t usize, ksize, in_size, out_size;
	unsigned char stack_buf[256];
	unsigned char *kdata;
	int ret;

	if (_IOC_TYPE(request) != DRM_IOCTL_BASE)
		return -ENOTTY;
	d = &kmd_ioctls[_IOC_NR(request)];
	if (!d->func)
		return -EINVAL;

	usize = _IOC_SIZE(request);
	ksize = _IOC_SIZE(d->cmd);
	in_size = (_IOC_DIR(request) & _IOC_DIR(d->cmd) & _IOC_WRITE) ? usize : 0;
	out_size = (_IOC_DIR(request) & _IOC_DIR(d->cmd) & _IOC_READ) ? usize : 0;
	if (out_size > ksize)
		out_size = ksize;

	kdata = stack_buf;
	if (in_size > sizeof(stack_buf) || ksize > sizeof(stack_buf)) {
		kdata = calloc(1, in_size > ksize ? in_size : ksize);
		if (!kdata)
			return -ENOMEM;
	} else {
		memset(stack_buf, 0, sizeof(stack_buf));
	}

	ret = kmd_copy_from_user(kdata, (uintptr_t)arg, in_size);
	if (ret)
		goto out;
	if (in_size > ksize && !all_zero(kdata + ksize, in_size - ksize)) {
		ret = -EINVAL;
		goto out;
	}
	if (in_size > ksize)
		memset(kdata + ksize, 0, in_size - ksize);

	/* As drm_ioctl(): the struct goes back even when the handler failed. */
	ret = d->func(f, kdata);
	if (kmd_copy_to_user((uintptr_t)arg, kdata, out_size))
		ret = -EFAULT;
out:
	if (kdata != stack_buf)
		free(kdata);
	return ret;
}

/* The door */

KMD_EXPORT int musa_kmd_open(unsigned int index, int flags)
{
	struct kmd_device *dev;
	struct kmd_file *f, *old;
	int err;

	if (flags & ~O_CLOEXEC) {
		errno = EINVAL;
		return -1;
	}
	dev = kmd_device_get(index);
	if (!dev) {
		errno = ENODEV;
		return -1;
	}
	reg_sweep();
	f = calloc(1, sizeof(*f));
	if (!f) {
		errno = ENOMEM;
		return -1;
	}
	atomic_init(&f->refcount, 1);
	f->dev = dev;
	f->pin = MAP_FAILED;
	pthread_mutex_init(&f->lock, NULL);
	pthread_mutex_init(&f->fault_lock, NULL);
	kmd_trace_init(&f->trace);
	f->fd = memfd_create("musa-device", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (f->fd < 0) {
		err = errno;
		goto err_free;
	}
	err = -fd_ident(f->fd, &f->ident_dev, &f->ident_ino);
	if (err)
		goto err_close;
	f->pin = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE, MAP_SHARED, f->fd, 0);
	if (f->pin == MAP_FAILED) {
		err = errno;
		goto err_close;
	}
	err = -reg_set(f->fd, f, &old);
	if (err)
		goto err_unmap;
	/* A stale entry of a number closed behind our back. */
	if (old)
		file_put(old);
	kmd_log("open device %u -> fd %d", index, f->fd);
	return f->fd;

err_unmap:
	munmap(f->pin, (size_t)sysconf(_SC_PAGESIZE));
err_close:
	close(f->fd);
err_free:
	kmd_trace_fini(&f->trace);
	pthread_mutex_destroy(&f->fault_lock);
	pthread_mutex_destroy(&f->lock);
	free(f);
	errno = err;
	return -1;
}

KMD_EXPORT int musa_kmd_dup(int fd, int newfd)
{
	struct kmd_file *f = file_get(fd), *old;
	int err;

	if (!f) {
		errno = EBADF;
		return -1;
	}
	if (newfd == fd) {
		file_put(f);
		return 0;
	}
	if (newfd < 0 || !file_named_by(f, newfd)) {
		file_put(f);
		errno = EBADF;
		return -1;
	}
	/* The reference from file_get() becomes the new entry's. */
	err = reg_set(newfd, f, &old);
	if (err) {
		file_put(f);
		errno = -err;
		return -1;
	}
	if (old)
		file_put(old);
	kmd_log("fd %d is a duplicate of fd %d", newfd, fd);
	return 0;
}

KMD_EXPORT int musa_kmd_ioctl(int fd, unsigned long request, void *arg)
{
	struct kmd_file *f = file_get(fd);
	int ret;

	if (!f) {
		errno = EBADF;
		return -1;
	}
	ret = kmd_dispatch(f, request, arg);
	file_put(f);
	if (ret < 0) {
		kmd_log("ioctl nr 0x%02x on fd %d: %s", (unsigned)_IOC_NR(request), fd,
			strerror(-ret));
		errno = -ret;
		return -1;
	}
	return 0;
}

KMD_EXPORT void *musa_kmd_mmap(void *addr, size_t length, int prot, int flags, int fd,
			       off_t offset)
{
	struct kmd_file *f = file_get(fd);
	struct kmd_bo *bo;
	void *p;
	int err;

	if (!f) {
		errno = EBADF;
		return MAP_FAILED;
	}
	if (length == 0 || offset < 0) {
		file_put(f);
		errno = EINVAL;
		return MAP_FAILED;
	}
	pthread_mutex_lock(&f->lock);
	bo = kmd_bo_find_mmap(f, (uint64_t)offset, length);
	pthread_mutex_unlock(&f->lock);
	if (!bo) {
		file_put(f);
		errno = EINVAL;
		return MAP_FAILED;
	}
	p = mmap(addr, length, prot, flags, bo->memfd, (off_t)((uint64_t)offset - bo->mmap_offset));
	err = errno;
	kmd_bo_put(bo);
	file_put(f);
	errno = err;
	return p;
}

KMD_EXPORT int musa_kmd_close(int fd)
{
	struct kmd_file *f = NULL;
	bool ours;

	pthread_mutex_lock(&reg_lock);
	if (fd >= 0 && (size_t)fd < reg_cap) {
		f = reg_files[fd];
		reg_files[fd] = NULL;
	}
	pthread_mutex_unlock(&reg_lock);
	if (!f) {
		errno = EBADF;
		return -1;
	}
	/*
	 * The number may be reused once closed: leave the registry first. A
	 * number that names another file now only loses its stale entry.
	 */
	ours = file_named_by(f, fd);
	if (ours)
		close(fd);
	file_put(f);
	if (!ours) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

/* Generic ioctls */

static int copy_field(uint64_t ubuf, __kernel_size_t *ulen, const char *value)
{
	size_t len = strlen(value);
	size_t n = len < *ulen ? len : *ulen;

	*ulen = len;
	if (n && ubuf)
		return kmd_copy_to_user(ubuf, value, n);
	return 0;
}

int kmd_ioctl_version(struct kmd_file *f, void *data)
{
	struct drm_version *v = data;
	int ret;

	(void)f;
	v->version_major = MUSA_DRM_VERSION_MAJOR;
	v->version_minor = MUSA_DRM_VERSION_MINOR;
	v->version_patchlevel = 0;
	ret = copy_field((uintptr_t)v->name, &v->name_len, MUSA_DRM_DRIVER_NAME);
	if (!ret)
		ret = copy_field((uintptr_t)v->date, &v->date_len, "20240101");
	if (!ret)
		ret = copy_field((uintptr_t)v->desc, &v->desc_len, MUSA_DRM_DRIVER_DESC);
	return ret;
}

struct kmd_cap {
	uint64_t cap;
	uint64_t value;
};

static const struct kmd_cap kmd_caps[] = {
	{ DRM_CAP_PRIME, DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT },
	{ DRM_CAP_TIMESTAMP_MONOTONIC, 1 },
	{ DRM_CAP_SYNCOBJ, 1 },
	{ DRM_CAP_SYNCOBJ_TIMELINE, 1 },
};

/*
 * drm_getcap() answers the caps above for every driver; any other cap is
 * a KMS cap, and a driver without DRIVER_MODESET (a render-only one, as
 * this is) gets EOPNOTSUPP for it, known or not.
 */
int kmd_ioctl_get_cap(struct kmd_file *f, void *data)
{
	struct drm_get_cap *c = data;

	(void)f;
	c->value = 0;
	for (size_t i = 0; i < sizeof(kmd_caps) / sizeof(kmd_caps[0]); i++) {
		if (kmd_caps[i].cap == c->capability) {
			c->value = kmd_caps[i].value;
			return 0;
		}
	}
	return -EOPNOTSUPP;
}
