/* SPDX-License-Identifier: MIT */
/*
 * fuzz_codeload.c - libFuzzer harness for the whole code-loading path of
 * kmd-shim: the input is a code-object image, put in a BO and handed to
 * CODE_LOAD through the public door (musa_kmd_open/ioctl/mmap/close), so it
 * goes through the validator (musa_codeobj_parse with loadcheck.c) and, if
 * accepted, through the memfd, the seals and dlopen, the entry and variable
 * lookups, and CODE_UNLOAD's dlclose.
 *
 * In process, on purpose: what the validator accepts is exactly what must
 * be safe to dlopen in a live process (no code of the image runs at load),
 * so a crash inside the dynamic loader, or any code of the image running
 * and failing, is the finding this harness looks for; a child per input
 * would lose libFuzzer's coverage feedback. No kernel is ever dispatched.
 *
 * Checks: a refused image is ENOEXEC (or ENOMEM), an accepted one has a
 * module and as many kernel handles as the size query said, and after
 * each input the process holds the fds it held before: the code memfd of
 * an unloaded module is closed, unless the object stays loaded (NODELETE,
 * C++ unique symbols; code.c keeps its fd so that its name stays unique).
 * Past FZ_MAX_KEPT such objects the harness stops loading images.
 *
 * Calls only include/uapi/musa_kmd.h with the structs of musa_drm.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi/musa_drm.h"
#include "uapi/musa_kmd.h"

#define FZ_SWDEV "count=1,arch=mp_31,cus=1,mem=64M"
#define FZ_MAX_IMAGE (4u << 20)
#define FZ_MAX_KERNELS 256u
#define FZ_MAX_KEPT 256

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int dev_fd = -1;

__attribute__((noreturn)) static void die(const char *what)
{
	fprintf(stderr, "fuzz_codeload: invariant broken: %s\n", what);
	abort();
}

/* Open fds of the process, less the code memfds of objects that stay
 * loaded (counted in *kept). */
static int count_fds(int *kept)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		die("cannot list /proc/self/fd");
	*kept = 0;
	while ((e = readdir(d))) {
		char path[300], link[64];
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		link[len > 0 ? len : 0] = '\0';
		if (!strncmp(link, "/memfd:musa-code", 16))
			(*kept)++;
		else
			n++;
	}
	closedir(d);
	return n - 1;  /* the directory's own fd */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("MUSA_SWDEV", FZ_SWDEV, 1);
	dev_fd = musa_kmd_open(0, O_CLOEXEC);
	if (dev_fd < 0)
		die("cannot open device 0");
	return 0;
}

static int code_load(uint32_t bo, uint64_t size, uint32_t *kernels, uint32_t *count,
		     uint32_t *module)
{
	struct drm_musa_code_load l = {
		.bo_handle = bo, .size = size, .kernels = (uintptr_t)kernels,
		.kernel_count = *count,
	};
	int err = musa_kmd_ioctl(dev_fd, DRM_IOCTL_MUSA_CODE_LOAD, &l) ? errno : 0;

	*count = l.kernel_count;
	*module = l.module;
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t kernels[FZ_MAX_KERNELS];
	struct drm_musa_bo_create c = { .size = size };
	struct drm_musa_bo_mmap_offset o = { 0 };
	struct drm_gem_close gc = { 0 };
	uint32_t count = 0, module = 0;
	int kept, kept_after, fds = count_fds(&kept), err;
	void *p;

	if (size == 0 || size > FZ_MAX_IMAGE || kept > FZ_MAX_KEPT)
		return 0;
	if (musa_kmd_ioctl(dev_fd, DRM_IOCTL_MUSA_BO_CREATE, &c))
		return 0;  /* out of device memory: not this harness's subject */
	o.handle = c.handle;
	if (musa_kmd_ioctl(dev_fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o))
		die("BO_MMAP_OFFSET of a fresh BO failed");
	p = musa_kmd_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dev_fd, (off_t)o.offset);
	if (p == MAP_FAILED)
		die("mmap of a fresh BO failed");
	memcpy(p, data, size);
	munmap(p, size);

	/* the size query (it loads an image without kernels), then the load */
	err = code_load(c.handle, size, kernels, &count, &module);
	if (!err && module && count)
		die("the size query of an image with kernels loaded a module");
	if (!err && !module && count <= FZ_MAX_KERNELS) {
		uint32_t want = count;

		err = code_load(c.handle, size, kernels, &count, &module);
		if (!err && (!module || count != want))
			die("an accepted image gave no module or another kernel count");
	}
	if (!err && module) {
		struct drm_musa_code_unload u = { .module = module };

		if (musa_kmd_ioctl(dev_fd, DRM_IOCTL_MUSA_CODE_UNLOAD, &u))
			die("CODE_UNLOAD of a loaded module failed");
	}
	if (err && err != ENOEXEC && err != ENOMEM)
		die("CODE_LOAD failed with an errno other than ENOEXEC/ENOMEM");

	gc.handle = c.handle;
	if (musa_kmd_ioctl(dev_fd, DRM_IOCTL_GEM_CLOSE, &gc))
		die("GEM_CLOSE failed");
	if (count_fds(&kept_after) != fds || kept_after < kept || kept_after > kept + 1)
		die("an fd outlived the input");
	return 0;
}
