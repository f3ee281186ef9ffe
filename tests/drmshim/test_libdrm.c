/* SPDX-License-Identifier: MIT */
/*
 * test_libdrm.c - drm-shim mode: unmodified libdrm against the software
 * device through LD_PRELOAD=libmusa_drm_shim.so.
 *
 * Only libdrm's public API (xf86drm.h), plain libc calls and the structs of
 * uapi/musa_drm.h are used, as a program written for a real kernel would.
 * The program is not linked with any MUSA library: main() re-executes it
 * with the shim (and any sanitizer runtime, which must come first) in
 * LD_PRELOAD when it is not there yet.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "uapi/musa_drm.h"

#define SHIM_LIB   TEST_BUILD_DIR "/lib/libmusa_drm_shim.so"
#define NODE0      "/dev/dri/renderD128"
#define NODE1      "/dev/dri/renderD129"
/* One small device keeps the suite cheap; --multi-device asks for two. */
#define SWDEV_ONE  "count=1,cus=2,mem=256M"
#define SWDEV_TWO  "count=2,cus=2,mem=256M"
#define REEXEC_ENV "MUSA_DRMSHIM_TEST_REEXEC"

static char self_exe[4096];

static int open_node(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open(%s): %s", path, strerror(errno));
	return fd;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint32_t bo_create(int fd, uint64_t size)
{
	struct drm_musa_bo_create c = { .size = size };

	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_BO_CREATE, &c, sizeof(c)), 0);
	ck_assert_uint_ne(c.handle, 0);
	return c.handle;
}

static void *bo_map(int fd, uint32_t handle, size_t size)
{
	struct drm_musa_bo_mmap_offset o = { .handle = handle };
	void *p;

	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_BO_MMAP_OFFSET, &o, sizeof(o)), 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)o.offset);
	ck_assert_msg(p != MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

static drmDevicePtr find_render_device(drmDevicePtr *devs, int n, const char *node)
{
	for (int i = 0; i < n; i++)
		if ((devs[i]->available_nodes & (1 << DRM_NODE_RENDER)) &&
		    strcmp(devs[i]->nodes[DRM_NODE_RENDER], node) == 0)
			return devs[i];
	return NULL;
}

START_TEST(test_render_node_stats_as_drm_char_device)
{
	struct stat st;

	ck_assert_int_eq(stat(NODE0, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_uint_eq(major(st.st_rdev), 226);
	ck_assert_uint_eq(minor(st.st_rdev), 128);
	ck_assert_int_eq(lstat(NODE0, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_int_eq(access(NODE0, R_OK | W_OK), 0);
	ck_assert_int_eq(stat("/dev/dri", &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_render_node_fd_fstat_matches_the_node)
{
	int fd = open_node(NODE0);
	struct statx stx;
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_uint_eq(st.st_rdev, makedev(226, 128));
	ck_assert_int_eq(fstatat(fd, "", &st, AT_EMPTY_PATH), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(226, 128));
	ck_assert_int_eq(statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx), 0);
	ck_assert(S_ISCHR(stx.stx_mode));
	ck_assert_uint_eq(stx.stx_rdev_major, 226);
	ck_assert_uint_eq(stx.stx_rdev_minor, 128);
	close(fd);
}
END_TEST

START_TEST(test_absent_nodes_are_enoent)
{
	struct stat st;

	errno = 0;
	ck_assert_int_eq(open("/dev/dri/renderD191", O_RDWR), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(stat("/dev/dri/card0", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(open(NODE0 "/x", O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	errno = 0;
	ck_assert_int_eq(open(NODE0, O_RDWR | O_DIRECTORY), -1);
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

START_TEST(test_drmGetVersion_reports_musa)
{
	int fd = open_node(NODE0);
	drmVersionPtr v = drmGetVersion(fd);

	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->name, "musa");
	ck_assert_int_eq(v->name_len, 4);
	ck_assert_int_eq(v->version_major, MUSA_DRM_VERSION_MAJOR);
	ck_assert_int_eq(v->version_minor, MUSA_DRM_VERSION_MINOR);
	ck_assert_str_eq(v->desc, MUSA_DRM_DRIVER_DESC);
	drmFreeVersion(v);
	close(fd);
}
END_TEST

START_TEST(test_drmGetCap_reports_syncobj_timeline_and_prime)
{
	int fd = open_node(NODE0);
	uint64_t v = 0;

	ck_assert_int_eq(drmGetCap(fd, DRM_CAP_SYNCOBJ, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(drmGetCap(fd, DRM_CAP_PRIME, &v), 0);
	ck_assert_uint_eq(v, DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT);
	/* As drm_getcap() answers a render-only driver for a cap it lacks. */
	errno = 0;
	ck_assert_int_eq(drmGetCap(fd, 0x7777, &v), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	close(fd);
}
END_TEST

START_TEST(test_closed_node_fd_is_ebadf)
{
	int fd = open_node(NODE0);
	struct drm_version v;

	ck_assert_int_eq(close(fd), 0);
	memset(&v, 0, sizeof(v));
	errno = 0;
	ck_assert_int_eq(drmIoctl(fd, DRM_IOCTL_VERSION, &v), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(test_non_drm_ioctl_on_node_is_enotty)
{
	int fd = open_node(NODE0);
	int n;

	errno = 0;
	ck_assert_int_eq(ioctl(fd, FIONREAD, &n), -1);
	ck_assert_int_eq(errno, ENOTTY);
	close(fd);
}
END_TEST

START_TEST(test_drmGetDevices2_lists_the_render_node)
{
	drmDevicePtr devs[16], d;
	int n = drmGetDevices2(0, NULL, 0);

	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(drmGetDevices2(0, devs, 16), 1);
	d = find_render_device(devs, 1, NODE0);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->bustype, DRM_BUS_PLATFORM);
	ck_assert_str_eq(d->businfo.platform->fullname, "/musa@0");
	ck_assert_str_eq(d->deviceinfo.platform->compatible[0], "mthreads,musa-swdev");
	ck_assert_ptr_null(d->deviceinfo.platform->compatible[1]);
	drmFreeDevices(devs, 1);
}
END_TEST

START_TEST(test_drmGetDevice2_and_FromDevId_find_the_fd_device)
{
	int fd = open_node(NODE0);
	drmDevicePtr a = NULL, b = NULL;

	ck_assert_int_eq(drmGetDevice2(fd, 0, &a), 0);
	ck_assert_str_eq(a->nodes[DRM_NODE_RENDER], NODE0);
	ck_assert_int_eq(drmGetDeviceFromDevId(makedev(226, 128), 0, &b), 0);
	ck_assert_int_eq(drmDevicesEqual(a, b), 1);
	drmFreeDevice(&a);
	drmFreeDevice(&b);
	ck_assert_int_eq(drmGetDeviceFromDevId(makedev(226, 191), 0, &b), -EINVAL);
	close(fd);
}
END_TEST

START_TEST(test_device_names_from_fd)
{
	int fd = open_node(NODE0);
	char *s;

	s = drmGetDeviceNameFromFd2(fd);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, NODE0);
	free(s);
	s = drmGetRenderDeviceNameFromFd(fd);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, NODE0);
	free(s);
	ck_assert_ptr_null(drmGetPrimaryDeviceNameFromFd(fd));
	ck_assert_int_eq(drmGetNodeTypeFromFd(fd), DRM_NODE_RENDER);
	close(fd);
}
END_TEST

START_TEST(test_drmOpenWithType_finds_musa_by_name)
{
	int fd = drmOpenWithType("musa", NULL, DRM_NODE_RENDER);
	drmVersionPtr v;

	ck_assert_int_ge(fd, 0);
	v = drmGetVersion(fd);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->name, "musa");
	drmFreeVersion(v);
	ck_assert_int_eq(drmClose(fd), 0);
}
END_TEST

START_TEST(test_sysfs_view_matches_the_kernel_layout)
{
	char link[256] = "", *rp;
	struct dirent *e;
	bool seen = false;
	char line[128];
	struct stat st;
	FILE *f;
	DIR *d;
	ssize_t n;

	n = readlink("/sys/dev/char/226:128/device/subsystem", link, sizeof(link) - 1);
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(strrchr(link, '/'), "/platform");
	rp = realpath("/sys/dev/char/226:128", NULL);
	ck_assert_ptr_nonnull(rp);
	ck_assert_str_eq(rp, "/sys/devices/platform/musa.0/drm/renderD128");
	free(rp);

	f = fopen("/sys/dev/char/226:128/uevent", "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		seen |= strcmp(line, "DEVNAME=dri/renderD128\n") == 0;
	fclose(f);
	ck_assert(seen);
	errno = 0;
	ck_assert_ptr_null(fopen("/sys/dev/char/226:128/uevent", "w"));
	ck_assert_int_eq(errno, EACCES);

	/* A trailing slash follows the last link and wants a directory. */
	ck_assert_int_eq(stat("/sys/dev/char/226:128/", &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(lstat("/sys/dev/char/226:128", &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	errno = 0;
	ck_assert_int_eq(stat(NODE0 "/", &st), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	/* ls -l asks for labels: "no attribute", not "no file". */
	errno = 0;
	ck_assert_int_eq(lgetxattr(NODE0, "security.selinux", line, sizeof(line)), -1);
	ck_assert_int_eq(errno, ENODATA);

	d = opendir("/sys/dev/char/226:128/device/drm");
	ck_assert_ptr_nonnull(d);
	seen = false;
	while ((e = readdir(d)))
		seen |= strcmp(e->d_name, "renderD128") == 0 && e->d_type == DT_DIR;
	ck_assert_int_eq(closedir(d), 0);
	ck_assert(seen);

	d = opendir("/dev/dri");
	ck_assert_ptr_nonnull(d);
	seen = false;
	while ((e = readdir(d)))
		seen |= strcmp(e->d_name, "renderD128") == 0 && e->d_type == DT_CHR;
	closedir(d);
	ck_assert(seen);
}
END_TEST

START_TEST(test_syncobj_binary_signal_wait_reset)
{
	int fd = open_node(NODE0);
	uint32_t h, first = ~0u;

	ck_assert_int_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &h), 0);
	ck_assert_int_eq(drmSyncobjWait(fd, &h, 1, now_ns() + 1000000000, 0, &first), 0);
	ck_assert_uint_eq(first, 0);
	ck_assert_int_eq(drmSyncobjReset(fd, &h, 1), 0);
	ck_assert_int_eq(drmSyncobjWait(fd, &h, 1, now_ns(), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
					NULL), -ETIME);
	ck_assert_int_eq(drmSyncobjSignal(fd, &h, 1), 0);
	ck_assert_int_eq(drmSyncobjWait(fd, &h, 1, now_ns(), 0, NULL), 0);
	ck_assert_int_eq(drmSyncobjDestroy(fd, h), 0);
	close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_without_fence_is_einval)
{
	int fd = open_node(NODE0);
	uint32_t h;

	ck_assert_int_eq(drmSyncobjCreate(fd, 0, &h), 0);
	ck_assert_int_eq(drmSyncobjWait(fd, &h, 1, now_ns() + 1000000, 0, NULL), -EINVAL);
	ck_assert_int_eq(drmSyncobjWait(fd, &h, 1, now_ns(), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
					NULL), -ETIME);
	ck_assert_int_eq(drmSyncobjDestroy(fd, h), 0);
	close(fd);
}
END_TEST

START_TEST(test_syncobj_unknown_handles_are_enoent_and_einval)
{
	int fd = open_node(NODE0);
	uint32_t h = 4242, real;

	ck_assert_int_eq(drmSyncobjWait(fd, &h, 1, now_ns(), 0, NULL), -ENOENT);
	errno = 0;
	ck_assert_int_eq(drmSyncobjDestroy(fd, h), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(drmSyncobjCreate(fd, 0, &real), 0);
	ck_assert_int_eq(drmSyncobjDestroy(fd, real), 0);
	errno = 0;
	ck_assert_int_eq(drmSyncobjDestroy(fd, real), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_any_and_all)
{
	int fd = open_node(NODE0);
	uint32_t h[2], first = ~0u;

	ck_assert_int_eq(drmSyncobjCreate(fd, 0, &h[0]), 0);
	ck_assert_int_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &h[1]), 0);
	ck_assert_int_eq(drmSyncobjWait(fd, h, 2, now_ns(), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
					&first), 0);
	ck_assert_uint_eq(first, 1);
	ck_assert_int_eq(drmSyncobjWait(fd, h, 2, now_ns(),
					DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
					DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL), -ETIME);
	ck_assert_int_eq(drmSyncobjSignal(fd, h, 1), 0);
	ck_assert_int_eq(drmSyncobjWait(fd, h, 2, now_ns(), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL),
			 0);
	close(fd);
}
END_TEST

START_TEST(test_syncobj_timeline_signal_query_wait)
{
	int fd = open_node(NODE0);
	uint32_t h;
	uint64_t point = 5, value = 0, want;

	ck_assert_int_eq(drmSyncobjCreate(fd, 0, &h), 0);
	ck_assert_int_eq(drmSyncobjTimelineSignal(fd, &h, &point, 1), 0);
	ck_assert_int_eq(drmSyncobjQuery(fd, &h, &value, 1), 0);
	ck_assert_uint_eq(value, 5);
	want = 3;
	ck_assert_int_eq(drmSyncobjTimelineWait(fd, &h, &want, 1, now_ns() + 1000000000, 0, NULL), 0);
	want = 5;
	ck_assert_int_eq(drmSyncobjTimelineWait(fd, &h, &want, 1, now_ns(), 0, NULL), 0);
	want = 7;
	ck_assert_int_eq(drmSyncobjTimelineWait(fd, &h, &want, 1, now_ns(),
						DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL),
			 -ETIME);
	point = 7;
	ck_assert_int_eq(drmSyncobjTimelineSignal(fd, &h, &point, 1), 0);
	ck_assert_int_eq(drmSyncobjTimelineWait(fd, &h, &want, 1, now_ns(), 0, NULL), 0);
	ck_assert_int_eq(drmSyncobjQuery(fd, &h, &value, 1), 0);
	ck_assert_uint_eq(value, 7);
	ck_assert_int_eq(drmSyncobjDestroy(fd, h), 0);
	close(fd);
}
END_TEST

START_TEST(test_bo_mmap_through_the_node_fd_reads_back)
{
	int fd = open_node(NODE0);
	const size_t size = 2 * 4096;
	uint32_t h = bo_create(fd, size);
	uint32_t *p = bo_map(fd, h, size);

	for (size_t i = 0; i < size / 4; i++)
		p[i] = (uint32_t)i * 2654435761u;
	ck_assert_int_eq(munmap(p, size), 0);
	p = bo_map(fd, h, size);
	for (size_t i = 0; i < size / 4; i++)
		ck_assert_uint_eq(p[i], (uint32_t)i * 2654435761u);
	ck_assert_int_eq(munmap(p, size), 0);
	ck_assert_int_eq(drmCloseBufferHandle(fd, h), 0);
	errno = 0;
	ck_assert_int_eq(drmCloseBufferHandle(fd, h), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(fd);
}
END_TEST

START_TEST(test_mmap_of_unknown_offset_is_einval)
{
	int fd = open_node(NODE0);

	errno = 0;
	ck_assert_ptr_eq(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)1 << 40), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	close(fd);
}
END_TEST

START_TEST(test_bo_create_rejects_flags_and_huge_sizes)
{
	int fd = open_node(NODE0);
	struct drm_musa_bo_create c = { .size = 4096, .flags = 1 };

	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_BO_CREATE, &c, sizeof(c)), -EINVAL);
	c.flags = 0;
	c.size = 1ull << 40;
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_BO_CREATE, &c, sizeof(c)), -ENOMEM);
	close(fd);
}
END_TEST

START_TEST(test_unknown_driver_ioctl_is_einval)
{
	int fd = open_node(NODE0);
	uint64_t buf[2] = { 0 };

	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_NUM_IOCTLS + 5, buf, sizeof(buf)),
			 -EINVAL);
	close(fd);
}
END_TEST

START_TEST(test_prime_export_import_across_fds)
{
	int a = open_node(NODE0), b = open_node(NODE0);
	const size_t size = 4096;
	uint32_t h = bo_create(a, size), ha = 0, hb = 0;
	uint8_t *pa = bo_map(a, h, size), *pb;
	int dmabuf = -1;

	memset(pa, 0x5a, size);
	ck_assert_int_eq(drmPrimeHandleToFD(a, h, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	ck_assert_int_ge(dmabuf, 0);
	ck_assert_int_eq(drmPrimeFDToHandle(a, dmabuf, &ha), 0);
	ck_assert_uint_eq(ha, h);
	ck_assert_int_eq(drmPrimeFDToHandle(b, dmabuf, &hb), 0);
	ck_assert_uint_ne(hb, 0);
	pb = bo_map(b, hb, size);
	for (size_t i = 0; i < size; i++)
		ck_assert_uint_eq(pb[i], 0x5a);
	pb[7] = 0x11;
	ck_assert_uint_eq(pa[7], 0x11);
	munmap(pa, size);
	munmap(pb, size);
	close(dmabuf);
	close(a);
	close(b);
}
END_TEST

START_TEST(test_prime_import_of_bad_fds)
{
	int fd = open_node(NODE0), pipefd[2];
	uint32_t h;

	ck_assert_int_eq(pipe(pipefd), 0);
	errno = 0;
	ck_assert_int_eq(drmPrimeFDToHandle(fd, pipefd[0], &h), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	errno = 0;
	ck_assert_int_eq(drmPrimeFDToHandle(fd, pipefd[0], &h), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(drmPrimeHandleToFD(fd, 999, DRM_CLOEXEC, &pipefd[0]), -1);
	ck_assert_int_eq(errno, ENOENT);
	close(fd);
}
END_TEST

START_TEST(test_device_query_two_call_protocol)
{
	int fd = open_node(NODE0);
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = { .query = DRM_MUSA_QUERY_DEVICE_INFO };

	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_DEVICE_QUERY, &q, sizeof(q)), 0);
	ck_assert_uint_eq(q.size, sizeof(info));
	memset(&info, 0xff, sizeof(info));
	q.data = (uintptr_t)&info;
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_DEVICE_QUERY, &q, sizeof(q)), 0);
	ck_assert_uint_eq(info.device_index, 0);
	ck_assert_uint_eq(info.warp_size, 32);
	ck_assert_uint_eq(info.compute_units, 2);
	ck_assert_uint_eq(info.memory_size, 256ull << 20);
	ck_assert_uint_eq(info.engines & (DRM_MUSA_ENGINE_COMPUTE | DRM_MUSA_ENGINE_COPY),
			  DRM_MUSA_ENGINE_COMPUTE | DRM_MUSA_ENGINE_COPY);
	q.pad = 1;
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_DEVICE_QUERY, &q, sizeof(q)), -EINVAL);
	q.pad = 0;
	q.data = 8;  /* unmapped user pointer */
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_DEVICE_QUERY, &q, sizeof(q)), -EFAULT);
	close(fd);
}
END_TEST

/* GET_PARAM through the node: one key per call, the values DEVICE_QUERY gives. */
START_TEST(test_get_param_through_the_node)
{
	int fd = open_node(NODE0);
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};
	struct drm_musa_get_param g = { .param = DRM_MUSA_PARAM_UAPI_VERSION };
	char name[sizeof(info.name)];

	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_DEVICE_QUERY, &q, sizeof(q)), 0);
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_GET_PARAM, &g, sizeof(g)), 0);
	ck_assert_uint_eq(g.value, (uint64_t)MUSA_DRM_VERSION_MAJOR << 32 | MUSA_DRM_VERSION_MINOR);
	g.param = DRM_MUSA_PARAM_MEMORY_SIZE;
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_GET_PARAM, &g, sizeof(g)), 0);
	ck_assert_uint_eq(g.value, info.memory_size);
	g.param = DRM_MUSA_PARAM_MAX_GRID_DIM;
	g.index = 2;
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_GET_PARAM, &g, sizeof(g)), 0);
	ck_assert_uint_eq(g.value, info.max_grid_dim[2]);
	g.param = DRM_MUSA_PARAM_NAME;
	for (g.index = 0; g.index < DRM_MUSA_PARAM_NAME_WORDS; g.index++) {
		ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_GET_PARAM, &g, sizeof(g)), 0);
		memcpy(name + 8 * g.index, &g.value, 8);
	}
	ck_assert_str_eq(name, info.name);
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_GET_PARAM, &g, sizeof(g)), -EINVAL);
	g.param = DRM_MUSA_PARAM_COUNT;
	g.index = 0;
	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_GET_PARAM, &g, sizeof(g)), -EINVAL);
	close(fd);
}
END_TEST

/* Duplicates and reused numbers */

/* Bytes the device's BOs hold, as seen through any node fd. */
static uint64_t mem_used(int fd)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	ck_assert_int_eq(drmCommandWriteRead(fd, DRM_MUSA_DEVICE_QUERY, &q, sizeof(q)), 0);
	return info.memory_used;
}

/* A number no file of this process uses, for dup2 and dup3 to land on. */
#define SPARE_FD 200

enum { DUP_DUP, DUP_DUP2, DUP_DUP3, DUP_FCNTL, DUP_FCNTL_CLOEXEC, DUP_FORMS };

static int dup_by(int fd, int form)
{
	ck_assert_int_eq(fcntl(SPARE_FD, F_GETFD), -1);
	switch (form) {
	case DUP_DUP:
		return dup(fd);
	case DUP_DUP2:
		return dup2(fd, SPARE_FD);
	case DUP_DUP3:
		return dup3(fd, SPARE_FD, O_CLOEXEC);
	case DUP_FCNTL:
		return fcntl(fd, F_DUPFD, 64);
	default:
		return fcntl(fd, F_DUPFD_CLOEXEC, 64);
	}
}

/* The VERSION ioctl's answer on fd: 0, or the errno. */
static int version_errno(int fd)
{
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	return ioctl(fd, DRM_IOCTL_VERSION, &v) ? errno : 0;
}

START_TEST(test_dup2_of_a_file_over_the_node_fd_makes_it_that_file)
{
	int fd = open_node(NODE0), null = open("/dev/null", O_RDWR | O_CLOEXEC);

	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, fd), fd);
	ck_assert_int_eq(version_errno(fd), ENOTTY);
	close(null);
	close(fd);
}
END_TEST

START_TEST(test_dup2_over_the_node_fd_releases_its_file)
{
	int watch = open_node(NODE0), fd = open_node(NODE0);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	uint64_t before = mem_used(watch);

	ck_assert_int_ge(null, 0);
	bo_create(fd, 64 << 20);
	ck_assert_uint_eq(mem_used(watch), before + (64 << 20));
	ck_assert_int_eq(dup2(null, fd), fd);
	ck_assert_uint_eq(mem_used(watch), before);
	close(null);
	close(fd);
	close(watch);
}
END_TEST

START_TEST(test_close_range_then_reused_number_is_the_new_file)
{
	int fd = open_node(NODE0), reused;

	ck_assert_int_eq(close_range(fd, fd, 0), 0);
	reused = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_eq(reused, fd);
	ck_assert_int_eq(version_errno(reused), ENOTTY);
	close(reused);
}
END_TEST

START_TEST(test_raw_close_range_then_reused_number_is_the_new_file)
{
	int fd = open_node(NODE0), reused;

	/* Behind the shim's back: libc never sees this close. */
	ck_assert_int_eq(syscall(SYS_close_range, fd, fd, 0), 0);
	reused = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_eq(reused, fd);
	ck_assert_int_eq(version_errno(reused), ENOTTY);
	close(reused);
}
END_TEST

START_TEST(test_raw_dup2_over_the_node_fd_fstats_as_the_new_file)
{
	int fd = open_node(NODE0), null = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct stat st;

	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(syscall(SYS_dup3, null, fd, O_CLOEXEC), fd);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(1, 3));
	close(null);
	close(fd);
}
END_TEST

START_TEST(test_node_fd_closed_behind_the_shims_back_is_released_by_the_next_open)
{
	int watch = open_node(NODE0), fd = open_node(NODE0), again;
	uint64_t before = mem_used(watch);

	bo_create(fd, 64 << 20);
	ck_assert_int_eq(syscall(SYS_close_range, fd, fd, 0), 0);
	again = open_node(NODE0);
	ck_assert_uint_eq(mem_used(watch), before);
	close(again);
	close(watch);
}
END_TEST

START_TEST(test_dup_of_the_node_fd_shares_its_drm_file)
{
	int fd = open_node(NODE0), d = dup_by(fd, _i);
	struct drm_musa_bo_mmap_offset o = { 0 };
	struct stat st;

	ck_assert_int_ge(d, 0);
	o.handle = bo_create(fd, 4096);
	/* A handle of the file, through the other fd of the same file. */
	ck_assert_int_eq(drmCommandWriteRead(d, DRM_MUSA_BO_MMAP_OFFSET, &o, sizeof(o)), 0);
	ck_assert_int_eq(fstat(d, &st), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(226, 128));
	close(d);
	close(fd);
}
END_TEST

START_TEST(test_dup_of_the_node_fd_outlives_the_original)
{
	int fd = open_node(NODE0), d = dup_by(fd, _i);
	uint32_t h = bo_create(fd, 4096);
	uint32_t *p;

	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(close(fd), 0);
	p = bo_map(d, h, 4096);
	p[0] = 0xfeedu;
	ck_assert_int_eq(munmap(p, 4096), 0);
	ck_assert_int_eq(drmCloseBufferHandle(d, h), 0);
	ck_assert_int_eq(close(d), 0);
}
END_TEST

START_TEST(test_last_close_of_node_fd_duplicates_releases_the_file)
{
	int watch = open_node(NODE0), fd = open_node(NODE0), d;
	uint64_t before = mem_used(watch);

	bo_create(fd, 64 << 20);
	d = dup(fd);
	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_uint_eq(mem_used(watch), before + (64 << 20));
	ck_assert_int_eq(close(d), 0);
	ck_assert_uint_eq(mem_used(watch), before);
	close(watch);
}
END_TEST

START_TEST(test_dup2_of_a_node_fd_over_another_replaces_its_file)
{
	int watch = open_node(NODE0), a = open_node(NODE0), b = open_node(NODE0);
	uint64_t before = mem_used(watch);
	struct drm_musa_bo_mmap_offset o = { 0 };

	bo_create(b, 64 << 20);
	o.handle = bo_create(a, 4096);
	ck_assert_int_eq(dup2(a, b), b);
	/* b's own file went; b now reaches a's. */
	ck_assert_uint_eq(mem_used(watch), before + 4096);
	ck_assert_int_eq(drmCommandWriteRead(b, DRM_MUSA_BO_MMAP_OFFSET, &o, sizeof(o)), 0);
	close(a);
	close(b);
	ck_assert_uint_eq(mem_used(watch), before);
	close(watch);
}
END_TEST

START_TEST(test_closefrom_releases_node_fds)
{
	int watch = open_node(NODE0), fd = open_node(NODE0), reused;
	uint64_t before = mem_used(watch);

	bo_create(fd, 64 << 20);
	closefrom(fd);
	ck_assert_uint_eq(mem_used(watch), before);
	reused = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_eq(reused, fd);
	ck_assert_int_eq(version_errno(reused), ENOTTY);
	close(reused);
	close(watch);
}
END_TEST

START_TEST(test_unrelated_file_io_is_untouched)
{
	char dir[] = "/tmp/drmshim-XXXXXX", path[64], lnk[64], buf[64] = "";
	struct dirent *e;
	struct stat st;
	bool seen = false;
	char *rp;
	FILE *f;
	DIR *d;
	int fd, p[2];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	snprintf(lnk, sizeof(lnk), "%s/link", dir);
	fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "hello", 5), 5);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 5);
	ck_assert_int_eq(symlink(path, lnk), 0);
	ck_assert_int_eq(readlink(lnk, buf, sizeof(buf) - 1), (ssize_t)strlen(path));
	ck_assert_int_eq(memcmp(buf, path, strlen(path)), 0);
	rp = realpath(lnk, NULL);
	ck_assert_ptr_nonnull(rp);
	ck_assert_str_eq(rp, path);
	free(rp);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "hello");
	fclose(f);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		seen |= strcmp(e->d_name, "file") == 0;
	closedir(d);
	ck_assert(seen);
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(1, 3));
	errno = 0;
	ck_assert_int_eq(stat("/dev/dri-not-ours", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(pipe(p), 0);
	errno = 0;
	ck_assert_int_eq(ioctl(p[0], DRM_IOCTL_VERSION, buf), -1);
	ck_assert_int_eq(errno, ENOTTY);
	close(p[0]);
	close(p[1]);
	unlink(lnk);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/*
 * Every variant of an interposed libc function reaches the tree: the 64
 * forms, the *at forms, and the glibc < 2.33 and _FORTIFY_SOURCE entry
 * points, which headers no longer declare and are looked up by name.
 */
#define NODE0_LINK   "/sys/dev/char/226:128"
#define NODE0_TARGET "../../devices/platform/musa.0/drm/renderD128"
#define NODE0_SYSFS  "/sys/devices/platform/musa.0/drm/renderD128"

static void *entry_point(const char *name)
{
	void *p = dlsym(RTLD_DEFAULT, name);

	ck_assert_msg(p, "%s: %s", name, dlerror());
	return p;
}

START_TEST(test_stat_variants_describe_each_node_type)
{
	struct stat64 st64;
	struct statx stx;
	struct stat st;

	ck_assert_int_eq(stat64(NODE0, &st64), 0);
	ck_assert_uint_eq(st64.st_mode, S_IFCHR | 0666);
	ck_assert_uint_eq(st64.st_rdev, makedev(226, 128));
	ck_assert_uint_eq(st64.st_dev, makedev(0, 5));
	ck_assert_int_eq(lstat64(NODE0_LINK, &st64), 0);
	ck_assert_uint_eq(st64.st_mode, S_IFLNK | 0777);
	ck_assert_int_eq(st64.st_size, (off_t)strlen(NODE0_TARGET));
	ck_assert_uint_eq(st64.st_dev, makedev(0, 22));
	ck_assert_int_eq(fstatat(AT_FDCWD, NODE0_LINK, &st, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert_uint_eq(st.st_mode, S_IFLNK | 0777);
	ck_assert_int_eq(fstatat64(AT_FDCWD, NODE0_LINK, &st64, 0), 0);
	ck_assert_uint_eq(st64.st_mode, S_IFDIR | 0755);
	ck_assert_uint_eq(st64.st_nlink, 2);
	ck_assert_int_eq(stat(NODE0_SYSFS "/dev", &st), 0);
	ck_assert_uint_eq(st.st_mode, S_IFREG | 0444);
	ck_assert_int_eq(st.st_size, 4096);
	ck_assert_uint_eq(st.st_nlink, 1);
	ck_assert_uint_eq(st.st_dev, makedev(0, 22));
	ck_assert_int_eq(stat("/dev/dri", &st), 0);
	ck_assert_uint_eq(st.st_mode, S_IFDIR | 0755);
	ck_assert_uint_eq(st.st_dev, makedev(0, 5));
	ck_assert_int_eq(statx(AT_FDCWD, NODE0, 0, STATX_BASIC_STATS, &stx), 0);
	ck_assert_uint_eq(stx.stx_mode, S_IFCHR | 0666);
	ck_assert_uint_eq(stx.stx_rdev_minor, 128);
	ck_assert_int_eq(statx(AT_FDCWD, NODE0_LINK, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
			       &stx), 0);
	ck_assert(S_ISLNK(stx.stx_mode));
	errno = 0;
	ck_assert_int_eq(statx(AT_FDCWD, "/dev/dri/renderD191", 0, STATX_BASIC_STATS, &stx), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(lstat64("/dev/dri/renderD191", &st64), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_stat64_variants_of_a_node_fd_match_the_node)
{
	int fd = open_node(NODE0);
	struct stat64 st64;

	ck_assert_int_eq(fstat64(fd, &st64), 0);
	ck_assert_uint_eq(st64.st_mode, S_IFCHR | 0666);
	ck_assert_uint_eq(st64.st_rdev, makedev(226, 128));
	memset(&st64, 0, sizeof(st64));
	ck_assert_int_eq(fstatat64(fd, "", &st64, AT_EMPTY_PATH), 0);
	ck_assert_uint_eq(st64.st_rdev, makedev(226, 128));
	close(fd);
}
END_TEST

START_TEST(test_pre_2_33_stat_entry_points_see_the_tree)
{
	int (*xstat)(int, const char *, struct stat *) = entry_point("__xstat");
	int (*xstat64)(int, const char *, struct stat64 *) = entry_point("__xstat64");
	int (*lxstat)(int, const char *, struct stat *) = entry_point("__lxstat");
	int (*lxstat64)(int, const char *, struct stat64 *) = entry_point("__lxstat64");
	int (*fxstat)(int, int, struct stat *) = entry_point("__fxstat");
	int (*fxstat64)(int, int, struct stat64 *) = entry_point("__fxstat64");
	int (*fxstatat)(int, int, const char *, struct stat *, int) = entry_point("__fxstatat");
	int (*fxstatat64)(int, int, const char *, struct stat64 *, int) =
		entry_point("__fxstatat64");
	int fd = open_node(NODE0);
	struct stat64 st64;
	struct stat st;

	ck_assert_int_eq(xstat(1, NODE0, &st), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(226, 128));
	ck_assert_int_eq(xstat64(1, NODE0_LINK, &st64), 0);
	ck_assert(S_ISDIR(st64.st_mode));
	ck_assert_int_eq(lxstat(1, NODE0_LINK, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(lxstat64(1, NODE0_LINK, &st64), 0);
	ck_assert(S_ISLNK(st64.st_mode));
	ck_assert_int_eq(fxstat(1, fd, &st), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(226, 128));
	ck_assert_int_eq(fxstat64(1, fd, &st64), 0);
	ck_assert_uint_eq(st64.st_rdev, makedev(226, 128));
	ck_assert_int_eq(fxstatat(1, AT_FDCWD, NODE0_LINK, &st, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(fxstatat64(1, fd, "", &st64, AT_EMPTY_PATH), 0);
	ck_assert_uint_eq(st64.st_rdev, makedev(226, 128));
	errno = 0;
	ck_assert_int_eq(xstat(1, "/dev/dri/card0", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	close(fd);
}
END_TEST

START_TEST(test_access_variants_grant_what_the_node_type_allows)
{
	errno = 0;
	ck_assert_int_eq(access(NODE0, X_OK), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(euidaccess(NODE0, R_OK | W_OK), 0);
	ck_assert_int_eq(eaccess(NODE0_SYSFS "/dev", R_OK), 0);
	errno = 0;
	ck_assert_int_eq(eaccess(NODE0_SYSFS "/dev", W_OK), -1);
	ck_assert_int_eq(errno, EACCES);
	errno = 0;
	ck_assert_int_eq(euidaccess(NODE0_SYSFS "/dev", X_OK), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(faccessat(AT_FDCWD, "/dev/dri", R_OK | X_OK, 0), 0);
	errno = 0;
	ck_assert_int_eq(faccessat(AT_FDCWD, "/dev/dri", W_OK, 0), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(faccessat(AT_FDCWD, NODE0_LINK, F_OK, AT_SYMLINK_NOFOLLOW), 0);
	errno = 0;
	ck_assert_int_eq(access(NODE0, 0x40), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(eaccess("/dev/dri/renderD191", F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_readlink_and_realpath_variants)
{
	char *(*realpath_chk)(const char *, char *, size_t) = entry_point("__realpath_chk");
	char buf[PATH_MAX];

	ck_assert_int_eq(readlinkat(AT_FDCWD, NODE0_LINK, buf, sizeof(buf)),
			 (ssize_t)strlen(NODE0_TARGET));
	ck_assert_int_eq(memcmp(buf, NODE0_TARGET, strlen(NODE0_TARGET)), 0);
	/* As the kernel: a short buffer gets the start, no terminator. */
	ck_assert_int_eq(readlink(NODE0_LINK, buf, 5), 5);
	ck_assert_int_eq(memcmp(buf, NODE0_TARGET, 5), 0);
	errno = 0;
	ck_assert_int_eq(readlink(NODE0, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(readlinkat(AT_FDCWD, "/dev/dri/renderD191", buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, ENOENT);

	ck_assert_ptr_eq(realpath(NODE0_LINK "/dev", buf), buf);
	ck_assert_str_eq(buf, NODE0_SYSFS "/dev");
	errno = 0;
	ck_assert_ptr_null(realpath("/dev/dri/renderD191", buf));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_eq(realpath_chk(NODE0_LINK, buf, sizeof(buf)), buf);
	ck_assert_str_eq(buf, NODE0_SYSFS);
	errno = 0;
	ck_assert_ptr_null(realpath_chk(NODE0_LINK, buf, 8));
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

START_TEST(test_xattr_queries_find_no_attributes_on_the_tree)
{
	char buf[64];

	errno = 0;
	ck_assert_int_eq(getxattr(NODE0, "user.test", buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, ENODATA);
	ck_assert_int_eq(listxattr(NODE0_LINK, buf, sizeof(buf)), 0);
	ck_assert_int_eq(llistxattr(NODE0_LINK, buf, sizeof(buf)), 0);
	errno = 0;
	ck_assert_int_eq(getxattr("/dev/dri/renderD191", "user.test", buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(llistxattr("/dev/dri/renderD191", buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/*
 * open64, openat, openat64 and the four _FORTIFY_SOURCE forms (`how` 0 to
 * 6), each without a mode.
 */
static int open_by(int how, const char *path, int flags)
{
	switch (how) {
	case 0:
		return open64(path, flags);
	case 1:
		return openat(AT_FDCWD, path, flags);
	case 2:
		return openat64(AT_FDCWD, path, flags);
	case 3:
		return ((int (*)(const char *, int))entry_point("__open_2"))(path, flags);
	case 4:
		return ((int (*)(const char *, int))entry_point("__open64_2"))(path, flags);
	case 5:
		return ((int (*)(int, const char *, int))entry_point("__openat_2"))(AT_FDCWD, path,
										   flags);
	default:
		return ((int (*)(int, const char *, int))entry_point("__openat64_2"))(AT_FDCWD,
										     path, flags);
	}
}
#define OPEN_FORMS 7

START_TEST(test_open_variants_reach_the_tree)
{
	char buf[16] = "";
	int fd = open_by(_i, NODE0, O_RDWR | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(version_errno(fd), 0);
	close(fd);
	fd = open_by(_i, NODE0_LINK "/dev", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 8);
	ck_assert_str_eq(buf, "226:128\n");
	close(fd);
	errno = 0;
	ck_assert_int_eq(open_by(_i, NODE0_LINK, O_RDONLY | O_NOFOLLOW), -1);
	ck_assert_int_eq(errno, ELOOP);
	errno = 0;
	ck_assert_int_eq(open_by(_i, NODE0_SYSFS "/dev", O_WRONLY), -1);
	ck_assert_int_eq(errno, EACCES);
	errno = 0;
	ck_assert_int_eq(open_by(_i, NODE0_SYSFS "/dev", O_RDONLY | O_DIRECTORY), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	errno = 0;
	ck_assert_int_eq(open_by(_i, "/dev/dri", O_RDONLY), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	errno = 0;
	ck_assert_int_eq(open_by(_i, "/dev/dri", O_RDWR), -1);
	ck_assert_int_eq(errno, EISDIR);
	errno = 0;
	ck_assert_int_eq(open_by(_i, "/dev/dri/renderD191", O_RDWR), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_open_with_a_mode_reaches_the_tree)
{
	errno = 0;
	ck_assert_int_eq(open(NODE0, O_RDWR | O_CREAT | O_EXCL, 0600), -1);
	ck_assert_int_eq(errno, EEXIST);
	errno = 0;
	ck_assert_int_eq(open64(NODE0_SYSFS "/dev", O_RDONLY | O_CREAT | O_EXCL, 0600), -1);
	ck_assert_int_eq(errno, EEXIST);
	errno = 0;
	ck_assert_int_eq(openat(AT_FDCWD, NODE0, O_RDWR | O_CREAT | O_EXCL, 0600), -1);
	ck_assert_int_eq(errno, EEXIST);
	errno = 0;
	ck_assert_int_eq(openat64(AT_FDCWD, "/dev/dri", O_RDONLY | O_CREAT | O_EXCL, 0600), -1);
	ck_assert_int_eq(errno, EEXIST);
}
END_TEST

START_TEST(test_fopen_variants_reach_the_tree)
{
	char line[32] = "";
	FILE *f = fopen64(NODE0_LINK "/dev", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "226:128\n");
	fclose(f);
	f = fopen64(NODE0, "r+e");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(version_errno(fileno(f)), 0);
	fclose(f);
	errno = 0;
	ck_assert_ptr_null(fopen("/dev/dri", "r"));
	ck_assert_int_eq(errno, EISDIR);
	errno = 0;
	ck_assert_ptr_null(fopen64("/dev/dri/renderD191", "r"));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* readdir_r is deprecated in the headers; its type is spelled out here. */
typedef int readdir_r_fn(DIR *, struct dirent *, struct dirent **);
typedef int readdir64_r_fn(DIR *, struct dirent64 *, struct dirent64 **);

START_TEST(test_directory_stream_variants)
{
	readdir_r_fn *next_r = entry_point("readdir_r");
	readdir64_r_fn *next64_r = entry_point("readdir64_r");
	struct dirent64 entry64, *result64;
	struct dirent entry, *result;
	DIR *d = opendir("/dev/dri");
	bool seen = false;
	struct dirent64 *e64;
	long pos;

	ck_assert_ptr_nonnull(d);
	while ((e64 = readdir64(d)))
		seen |= strcmp(e64->d_name, "renderD128") == 0 && e64->d_type == DT_CHR;
	ck_assert(seen);
	pos = telldir(d);
	ck_assert_int_eq(pos, 3);  /* ".", "..", renderD128 */
	rewinddir(d);
	ck_assert_int_eq(next_r(d, &entry, &result), 0);
	ck_assert_ptr_eq(result, &entry);
	ck_assert_str_eq(entry.d_name, ".");
	ck_assert_int_eq(next64_r(d, &entry64, &result64), 0);
	ck_assert_ptr_eq(result64, &entry64);
	ck_assert_str_eq(entry64.d_name, "..");
	seekdir(d, pos);
	ck_assert_int_eq(next_r(d, &entry, &result), 0);
	ck_assert_ptr_null(result);
	ck_assert_int_eq(next64_r(d, &entry64, &result64), 0);
	ck_assert_ptr_null(result64);
	errno = 0;
	ck_assert_int_eq(dirfd(d), -1);
	ck_assert_int_eq(errno, ENOTSUP);
	ck_assert_int_eq(closedir(d), 0);
	errno = 0;
	ck_assert_ptr_null(opendir(NODE0));
	ck_assert_int_eq(errno, ENOTDIR);
	errno = 0;
	ck_assert_ptr_null(opendir("/dev/dri/renderD191"));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_fcntl64_dupfd_of_the_node_fd_is_a_node_fd)
{
	int fd = open_node(NODE0), d = fcntl64(fd, F_DUPFD_CLOEXEC, 64);

	ck_assert_int_ge(d, 64);
	ck_assert_int_eq(version_errno(d), 0);
	close(fd);
	ck_assert_int_eq(version_errno(d), 0);
	close(d);
	errno = 0;
	ck_assert_int_eq(fcntl64(fd, F_DUPFD, 0), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

static void *open_ioctl_close_loop(void *arg)
{
	for (int i = 0; i < 100; i++) {
		int fd = open(NODE0, O_RDWR | O_CLOEXEC);
		uint32_t h;
		drmVersionPtr v;

		if (fd < 0)
			return (void *)"open";
		v = drmGetVersion(fd);
		if (!v || strcmp(v->name, "musa") != 0)
			return (void *)"version";
		drmFreeVersion(v);
		if (drmSyncobjCreate(fd, 0, &h) || drmSyncobjDestroy(fd, h))
			return (void *)"syncobj";
		if (close(fd))
			return (void *)"close";
	}
	return NULL;
}

static void *plain_file_loop(void *arg)
{
	for (int i = 0; i < 200; i++) {
		int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
		struct stat st;

		if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
			return (void *)"plain file";
		close(fd);
	}
	return NULL;
}

START_TEST(test_concurrent_node_and_file_traffic)
{
	pthread_t t[5];
	void *ret;

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, open_ioctl_close_loop, NULL), 0);
	ck_assert_int_eq(pthread_create(&t[4], NULL, plain_file_loop, NULL), 0);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(pthread_join(t[i], &ret), 0);
		ck_assert_msg(ret == NULL, "thread %d failed at %s", i, (const char *)ret);
	}
}
END_TEST

/* Runs in a fresh process whose MUSA_SWDEV asks for two devices. */
static int multi_device_main(void)
{
	drmDevicePtr devs[4], d0, d1;
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};
	struct stat st;
	int n, fd;

	if (stat(NODE1, &st) || st.st_rdev != makedev(226, 129))
		return 10;
	n = drmGetDevices2(0, devs, 4);
	if (n != 2)
		return 11;
	d0 = find_render_device(devs, n, NODE0);
	d1 = find_render_device(devs, n, NODE1);
	if (!d0 || !d1 || strcmp(d1->businfo.platform->fullname, "/musa@1") != 0 ||
	    drmDevicesEqual(d0, d1))
		return 12;
	drmFreeDevices(devs, n);
	fd = open(NODE1, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 13;
	if (drmCommandWriteRead(fd, DRM_MUSA_DEVICE_QUERY, &q, sizeof(q)) || info.device_index != 1)
		return 14;
	close(fd);
	errno = 0;
	if (open("/dev/dri/renderD130", O_RDWR) != -1 || errno != ENOENT)
		return 15;
	return 0;
}

START_TEST(test_second_device_is_renderD129)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setenv("MUSA_SWDEV", SWDEV_TWO, 1);
		execl(self_exe, self_exe, "--multi-device", (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

struct loaded {
	bool shim;
	char san[1024];  /* sanitizer runtimes, ':'-separated, in load order */
};

static int scan_object(struct dl_phdr_info *info, size_t size, void *ctx)
{
	static const char *const san_prefixes[] = {
		"libasan.so", "libtsan.so", "libubsan.so", "liblsan.so", "libclang_rt.",
	};
	struct loaded *l = ctx;
	const char *base = strrchr(info->dlpi_name, '/');

	base = base ? base + 1 : info->dlpi_name;
	if (strncmp(base, "libmusa_drm_shim.so", 19) == 0)
		l->shim = true;
	for (size_t i = 0; i < sizeof(san_prefixes) / sizeof(san_prefixes[0]); i++) {
		if (strncmp(base, san_prefixes[i], strlen(san_prefixes[i])) == 0 &&
		    strlen(l->san) + strlen(info->dlpi_name) + 2 < sizeof(l->san)) {
			if (l->san[0])
				strcat(l->san, ":");
			strcat(l->san, info->dlpi_name);
		}
	}
	return 0;
}

/*
 * A sanitizer's shared runtime insists on being the first object, so it
 * goes before the shim; what LD_PRELOAD held already is kept after it.
 */
static int reexec_with_shim(char **argv)
{
	const char *old = getenv("LD_PRELOAD");
	struct loaded l = { 0 };
	char *preload;

	dl_iterate_phdr(scan_object, &l);
	if (l.shim)
		return 0;
	if (getenv(REEXEC_ENV)) {
		fprintf(stderr, "test_libdrm: %s did not load through LD_PRELOAD=%s\n", SHIM_LIB,
			old ? old : "");
		return -1;
	}
	if (asprintf(&preload, "%s%s%s%s%s", l.san, l.san[0] ? ":" : "", SHIM_LIB,
		     old && old[0] ? ":" : "", old ? old : "") < 0)
		return -1;
	setenv("LD_PRELOAD", preload, 1);
	setenv(REEXEC_ENV, "1", 1);
	free(preload);
	execv(self_exe, argv);
	fprintf(stderr, "test_libdrm: re-exec of %s failed: %s\n", self_exe, strerror(errno));
	return -1;
}

static Suite *drmshim_suite(void)
{
	Suite *s = suite_create("drmshim");
	TCase *node = tcase_create("node");
	TCase *enumeration = tcase_create("enumeration");
	TCase *sync = tcase_create("syncobj");
	TCase *bo = tcase_create("bo");
	TCase *dups = tcase_create("dup");
	TCase *other = tcase_create("passthrough");
	TCase *variants = tcase_create("variants");

	tcase_add_test(node, test_render_node_stats_as_drm_char_device);
	tcase_add_test(node, test_render_node_fd_fstat_matches_the_node);
	tcase_add_test(node, test_absent_nodes_are_enoent);
	tcase_add_test(node, test_drmGetVersion_reports_musa);
	tcase_add_test(node, test_drmGetCap_reports_syncobj_timeline_and_prime);
	tcase_add_test(node, test_closed_node_fd_is_ebadf);
	tcase_add_test(node, test_non_drm_ioctl_on_node_is_enotty);
	suite_add_tcase(s, node);

	tcase_add_test(enumeration, test_drmGetDevices2_lists_the_render_node);
	tcase_add_test(enumeration, test_drmGetDevice2_and_FromDevId_find_the_fd_device);
	tcase_add_test(enumeration, test_device_names_from_fd);
	tcase_add_test(enumeration, test_drmOpenWithType_finds_musa_by_name);
	tcase_add_test(enumeration, test_sysfs_view_matches_the_kernel_layout);
	tcase_add_test(enumeration, test_second_device_is_renderD129);
	suite_add_tcase(s, enumeration);

	tcase_add_test(sync, test_syncobj_binary_signal_wait_reset);
	tcase_add_test(sync, test_syncobj_wait_without_fence_is_einval);
	tcase_add_test(sync, test_syncobj_unknown_handles_are_enoent_and_einval);
	tcase_add_test(sync, test_syncobj_wait_any_and_all);
	tcase_add_test(sync, test_syncobj_timeline_signal_query_wait);
	suite_add_tcase(s, sync);

	tcase_add_test(bo, test_bo_mmap_through_the_node_fd_reads_back);
	tcase_add_test(bo, test_mmap_of_unknown_offset_is_einval);
	tcase_add_test(bo, test_bo_create_rejects_flags_and_huge_sizes);
	tcase_add_test(bo, test_unknown_driver_ioctl_is_einval);
	tcase_add_test(bo, test_prime_export_import_across_fds);
	tcase_add_test(bo, test_prime_import_of_bad_fds);
	tcase_add_test(bo, test_device_query_two_call_protocol);
	tcase_add_test(bo, test_get_param_through_the_node);
	suite_add_tcase(s, bo);

	tcase_add_test(dups, test_dup2_of_a_file_over_the_node_fd_makes_it_that_file);
	tcase_add_test(dups, test_dup2_over_the_node_fd_releases_its_file);
	tcase_add_test(dups, test_close_range_then_reused_number_is_the_new_file);
	tcase_add_test(dups, test_raw_close_range_then_reused_number_is_the_new_file);
	tcase_add_test(dups, test_raw_dup2_over_the_node_fd_fstats_as_the_new_file);
	tcase_add_test(dups, test_node_fd_closed_behind_the_shims_back_is_released_by_the_next_open);
	tcase_add_loop_test(dups, test_dup_of_the_node_fd_shares_its_drm_file, 0, DUP_FORMS);
	tcase_add_loop_test(dups, test_dup_of_the_node_fd_outlives_the_original, 0, DUP_FORMS);
	tcase_add_test(dups, test_last_close_of_node_fd_duplicates_releases_the_file);
	tcase_add_test(dups, test_dup2_of_a_node_fd_over_another_replaces_its_file);
	tcase_add_test(dups, test_closefrom_releases_node_fds);
	suite_add_tcase(s, dups);

	tcase_add_test(variants, test_stat_variants_describe_each_node_type);
	tcase_add_test(variants, test_stat64_variants_of_a_node_fd_match_the_node);
	tcase_add_test(variants, test_pre_2_33_stat_entry_points_see_the_tree);
	tcase_add_test(variants, test_access_variants_grant_what_the_node_type_allows);
	tcase_add_test(variants, test_readlink_and_realpath_variants);
	tcase_add_test(variants, test_xattr_queries_find_no_attributes_on_the_tree);
	tcase_add_loop_test(variants, test_open_variants_reach_the_tree, 0, OPEN_FORMS);
	tcase_add_test(variants, test_open_with_a_mode_reaches_the_tree);
	tcase_add_test(variants, test_fopen_variants_reach_the_tree);
	tcase_add_test(variants, test_directory_stream_variants);
	tcase_add_test(variants, test_fcntl64_dupfd_of_the_node_fd_is_a_node_fd);
	suite_add_tcase(s, variants);

	tcase_add_test(other, test_unrelated_file_io_is_untouched);
	tcase_add_test(other, test_concurrent_node_and_file_traffic);
	suite_add_tcase(s, other);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	ssize_t n;
	int failed;

	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	if (argc > 1 && strcmp(argv[1], "--multi-device") == 0)
		return multi_device_main();
	setenv("MUSA_SWDEV", SWDEV_ONE, 1);
	if (reexec_with_shim(argv))
		return 1;

	sr = srunner_create(drmshim_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
