/* SPDX-License-Identifier: MIT */
/*
 * kmd_test.h - helpers shared by the kmd Check tests. Everything goes
 * through the door of include/uapi/musa_kmd.h (open/ioctl/mmap/close) with
 * the structs of musa_drm.h and libdrm's drm.h, as the UMD does.
 */
#ifndef KMD_TEST_H
#define KMD_TEST_H

#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "uapi/musa_drm.h"
#include "uapi/musa_kmd.h"

/* Two small devices, so tests run anywhere and ENOMEM is cheap to reach. */
#define KT_SWDEV "count=2,arch=mp_31,cus=2,mem=256M"
#define KT_KERNELS TEST_BUILD_DIR "/tests/kmd/kernels.so"

enum { KT_VADD, KT_INDEX3D, KT_FAIL, KT_DYNSHARED, KT_NKERNELS };

static inline void kt_env(void)
{
	setenv("MUSA_SWDEV", KT_SWDEV, 1);
}

/* The errno of a failing ioctl, 0 on success. */
static inline int kt_ioctl(int fd, unsigned long req, void *arg)
{
	return musa_kmd_ioctl(fd, req, arg) ? errno : 0;
}

static inline int kt_open(void)
{
	int fd = musa_kmd_open(0, O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static inline uint32_t kt_bo(int fd, uint64_t size)
{
	struct drm_musa_bo_create c = { .size = size };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c), 0);
	ck_assert_uint_ne(c.handle, 0);
	return c.handle;
}

static inline uint64_t kt_map(int fd, uint32_t handle)
{
	struct drm_musa_vm_map m = { .handle = handle };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m), 0);
	ck_assert_uint_ne(m.va, 0);
	return m.va;
}

/* A BO mapped on the device; returns its device address. */
static inline uint64_t kt_bo_va(int fd, uint64_t size, uint32_t *handle)
{
	uint32_t h = kt_bo(fd, size);

	if (handle)
		*handle = h;
	return kt_map(fd, h);
}

/* A CPU mapping through BO_MMAP_OFFSET + mmap on the device fd. */
static inline void *kt_cpu_map(int fd, uint32_t handle, size_t size)
{
	struct drm_musa_bo_mmap_offset o = { .handle = handle };
	void *p;

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o), 0);
	p = musa_kmd_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)o.offset);
	ck_assert_ptr_ne(p, MAP_FAILED);
	return p;
}

static inline uint32_t kt_queue(int fd)
{
	struct drm_musa_queue_create q = { 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q), 0);
	return q.handle;
}

static inline uint32_t kt_syncobj(int fd, uint32_t flags)
{
	struct drm_syncobj_create c = { .flags = flags };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c), 0);
	return c.handle;
}

static inline int64_t kt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int kt_wait(int fd, uint32_t so, uint64_t point, int64_t rel_ns)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&so, .points = (uintptr_t)&point,
		.timeout_nsec = kt_now_ns() + rel_ns, .count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};

	return kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

/* Submits packets and signals syncobj `so` at `point` when they finished. */
static inline int kt_submit(int fd, uint32_t queue, struct drm_musa_packet *p, uint32_t n,
			    uint32_t so, uint64_t point)
{
	struct drm_musa_submit s = {
		.queue = queue, .packets = (uintptr_t)p, .packet_count = n,
		.packet_size = sizeof(*p), .signal_syncobj = so, .signal_point = point,
	};

	return kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s);
}

/* Submits and waits (10 s) for completion. */
static inline void kt_run(int fd, uint32_t queue, struct drm_musa_packet *p, uint32_t n)
{
	uint32_t so = kt_syncobj(fd, 0);

	ck_assert_int_eq(kt_submit(fd, queue, p, n, so, 0), 0);
	ck_assert_int_eq(kt_wait(fd, so, 0, 10000000000ll), 0);
}

static inline void *kt_read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *buf;

	ck_assert_msg(fd >= 0, "cannot open %s", path);
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*size = (size_t)st.st_size;
	return buf;
}

/* Puts `image` in a new BO; returns the BO handle. */
static inline uint32_t kt_code_bo(int fd, const void *image, size_t size)
{
	uint32_t bo = kt_bo(fd, size);
	void *p = kt_cpu_map(fd, bo, size);

	memcpy(p, image, size);
	munmap(p, size);
	return bo;
}

static inline int kt_code_load(int fd, uint32_t bo, uint64_t size, uint32_t *kernels,
			       uint32_t *count, uint32_t *module)
{
	struct drm_musa_code_load l = {
		.bo_handle = bo, .size = size, .kernels = (uintptr_t)kernels,
		.kernel_count = *count,
	};
	int err = kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);

	*count = l.kernel_count;
	if (module)
		*module = l.module;
	return err;
}

/* Loads tests/kmd/kernels.so; fills kernels[KT_NKERNELS]. */
static inline uint32_t kt_load_kernels(int fd, uint32_t *kernels)
{
	size_t size;
	void *img = kt_read_file(KT_KERNELS, &size);
	uint32_t bo = kt_code_bo(fd, img, size), count = KT_NKERNELS, module = 0;

	free(img);
	ck_assert_int_eq(kt_code_load(fd, bo, size, kernels, &count, &module), 0);
	ck_assert_uint_eq(count, KT_NKERNELS);
	ck_assert_uint_ne(module, 0);
	return module;
}

static inline struct drm_musa_packet kt_dispatch(uint32_t kernel, uint64_t kernarg,
						 uint32_t kernarg_size, uint32_t gx, uint32_t gy,
						 uint32_t gz, uint32_t bx, uint32_t by, uint32_t bz)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_KERNEL_DISPATCH };

	p.dispatch.kernel = kernel;
	p.dispatch.kernarg = kernarg;
	p.dispatch.kernarg_size = kernarg_size;
	p.dispatch.grid[0] = gx;
	p.dispatch.grid[1] = gy;
	p.dispatch.grid[2] = gz;
	p.dispatch.block[0] = bx;
	p.dispatch.block[1] = by;
	p.dispatch.block[2] = bz;
	return p;
}

static inline struct drm_musa_packet kt_fill(uint64_t dst, uint64_t count, uint32_t value,
					      uint32_t elem_size)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_FILL };

	p.fill.dst = dst;
	p.fill.count = count;
	p.fill.value = value;
	p.fill.elem_size = elem_size;
	return p;
}

static inline struct drm_musa_packet kt_copy(uint64_t dst, uint64_t src, uint64_t bytes)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_COPY };

	p.copy.dst = dst;
	p.copy.src = src;
	p.copy.width = bytes;
	p.copy.height = 1;
	p.copy.src_pitch = bytes;
	p.copy.dst_pitch = bytes;
	return p;
}

static inline int kt_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* KMD_TEST_H */
