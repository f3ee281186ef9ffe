/* SPDX-License-Identifier: MIT */
/*
 * test_prime.c - PRIME_HANDLE_TO_FD / PRIME_FD_TO_HANDLE with the errnos of
 * drm_prime.c and dma-buf.c, self-import, peer mappings (a BO of device 0
 * mapped into device 1's window) and import by another process.
 */
#include "kmd_test.h"

#include <sys/wait.h>

static uint64_t mem_used(int fd)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	return info.memory_used;
}

static int export_bo(int fd, uint32_t handle, uint32_t flags)
{
	struct drm_prime_handle ex = { .handle = handle, .flags = flags, .fd = -1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex), 0);
	ck_assert_int_ge(ex.fd, 0);
	return ex.fd;
}

static int import_fd(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle im = { .fd = dmabuf };
	int err = kt_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im);

	if (handle)
		*handle = im.handle;
	return err;
}

/* drm_prime.c / dma-buf.c errnos */

START_TEST(test_prime_export_unknown_handle_is_enoent)
{
	int fd = kt_open();
	struct drm_prime_handle ex = { .handle = 9, .flags = DRM_CLOEXEC };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_prime_export_unknown_flag_is_einval)
{
	int fd = kt_open();
	struct drm_prime_handle ex = { .handle = kt_bo(fd, 4096), .flags = DRM_CLOEXEC | 0x4 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_prime_import_closed_fd_is_ebadf)
{
	int fd = kt_open();

	ck_assert_int_eq(import_fd(fd, 1000, NULL), EBADF);
	ck_assert_int_eq(import_fd(fd, -1, NULL), EBADF);
	musa_kmd_close(fd);
}
END_TEST

/* dma_buf_get() on an fd that is not a dma-buf. */
START_TEST(test_prime_import_non_bo_fd_is_einval)
{
	int fd = kt_open(), pipefd[2];
	int plain = memfd_create("not-a-bo", MFD_CLOEXEC);

	ck_assert_int_ge(plain, 0);
	ck_assert_int_eq(ftruncate(plain, 4096), 0);
	ck_assert_int_eq(import_fd(fd, plain, NULL), EINVAL);
	ck_assert_int_eq(pipe(pipefd), 0);
	ck_assert_int_eq(import_fd(fd, pipefd[0], NULL), EINVAL);
	/* The device fd itself is no dma-buf either. */
	ck_assert_int_eq(import_fd(fd, fd, NULL), EINVAL);
	close(plain);
	close(pipefd[0]);
	close(pipefd[1]);
	musa_kmd_close(fd);
}
END_TEST

/* drm_prime_fd_to_handle_ioctl() does not look at flags. */
START_TEST(test_prime_import_ignores_flags)
{
	int fd = kt_open();
	uint32_t h = kt_bo(fd, 4096);
	int dmabuf = export_bo(fd, h, DRM_CLOEXEC | DRM_RDWR);
	struct drm_prime_handle im = { .fd = dmabuf, .flags = 0xffffffffu };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im), 0);
	ck_assert_uint_eq(im.handle, h);
	close(dmabuf);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_prime_export_userptr_is_einval)
{
	int fd = kt_open();
	long psz = sysconf(_SC_PAGESIZE);
	void *host = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = psz };
	struct drm_prime_handle ex = { .flags = DRM_CLOEXEC };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	ex.handle = u.handle;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex), EINVAL);
	musa_kmd_close(fd);
	munmap(host, psz);
}
END_TEST

/* semantics */

START_TEST(test_prime_import_twice_gives_same_handle)
{
	int a = kt_open(), b = kt_open();
	uint32_t h = kt_bo(a, 4096), h1, h2;
	int fd1 = export_bo(a, h, DRM_CLOEXEC), fd2 = export_bo(a, h, DRM_CLOEXEC);

	ck_assert_int_eq(import_fd(b, fd1, &h1), 0);
	ck_assert_int_eq(import_fd(b, fd2, &h2), 0);
	ck_assert_uint_eq(h1, h2);
	/* Self-import gives the exporter's handle. */
	ck_assert_int_eq(import_fd(a, fd2, &h1), 0);
	ck_assert_uint_eq(h1, h);
	close(fd1);
	close(fd2);
	musa_kmd_close(a);
	musa_kmd_close(b);
}
END_TEST

START_TEST(test_prime_import_into_second_fd_charges_memory_once)
{
	int a = kt_open(), b = kt_open();
	uint32_t h = kt_bo(a, 1 << 20), hb;
	int dmabuf = export_bo(a, h, DRM_CLOEXEC);

	ck_assert_uint_eq(mem_used(a), 1 << 20);
	ck_assert_int_eq(import_fd(b, dmabuf, &hb), 0);
	ck_assert_uint_eq(mem_used(b), 1 << 20);
	/* The importer keeps the pages alive after the exporter let go. */
	ck_assert_int_eq(kt_ioctl(a, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h }), 0);
	ck_assert_uint_eq(mem_used(b), 1 << 20);
	close(dmabuf);
	ck_assert_int_eq(kt_ioctl(b, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = hb }), 0);
	ck_assert_uint_eq(mem_used(b), 0);
	musa_kmd_close(a);
	musa_kmd_close(b);
}
END_TEST

/* A dma-buf fd without DRM_RDWR is read-only for the CPU. */
START_TEST(test_prime_export_without_rdwr_is_read_only)
{
	int fd = kt_open();
	uint32_t h = kt_bo(fd, 4096);
	int ro = export_bo(fd, h, DRM_CLOEXEC), rw = export_bo(fd, h, DRM_CLOEXEC | DRM_RDWR);
	void *p;

	ck_assert_ptr_eq(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), MAP_FAILED);
	ck_assert_int_eq(errno, EACCES);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	munmap(p, 4096);
	ck_assert_int_eq(fcntl(ro, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(ro);
	close(rw);
	musa_kmd_close(fd);
}
END_TEST

/* A BO of device 0 imported into device 1 maps into device 1's window. */
START_TEST(test_prime_peer_mapping_across_devices)
{
	int d0 = kt_open(), d1 = musa_kmd_open(1, O_CLOEXEC);
	struct drm_musa_device_info i1;
	struct drm_musa_device_query dq = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(i1), .data = (uintptr_t)&i1,
	};
	uint32_t h0, h1, q1, so;
	uint64_t va0, va1, src1;
	int dmabuf;
	struct drm_musa_packet p;

	ck_assert_int_ge(d1, 0);
	va0 = kt_bo_va(d0, 8192, &h0);
	dmabuf = export_bo(d0, h0, DRM_CLOEXEC);
	ck_assert_int_eq(import_fd(d1, dmabuf, &h1), 0);
	va1 = kt_map(d1, h1);
	ck_assert_int_eq(kt_ioctl(d1, DRM_IOCTL_MUSA_DEVICE_QUERY, &dq), 0);
	ck_assert_uint_ge(va1, i1.va_start);
	ck_assert_uint_lt(va1, i1.va_start + i1.va_size);
	ck_assert_uint_ne(va1, va0);
	/* Device 1's copy engine writes pages device 0 sees. */
	src1 = kt_bo_va(d1, 4096, NULL);
	memset((void *)(uintptr_t)src1, 0xab, 64);
	q1 = kt_queue(d1);
	so = kt_syncobj(d1, 0);
	p = kt_copy(va1 + 4096, src1, 64);
	ck_assert_int_eq(kt_submit(d1, q1, &p, 1, so, 0), 0);
	ck_assert_int_eq(kt_wait(d1, so, 0, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)(va0 + 4096 + 63), 0xab);
	/* Unmapping on device 1 leaves device 0's mapping alone. */
	ck_assert_int_eq(kt_ioctl(d1, DRM_IOCTL_MUSA_VM_UNMAP,
				  &(struct drm_musa_vm_unmap){ .handle = h1, .va = va1 }), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)(va0 + 4096), 0xab);
	close(dmabuf);
	musa_kmd_close(d1);
	musa_kmd_close(d0);
}
END_TEST

/* another process */

#define CHILD_ARG "--prime-import-child"
#define RO_CHILD_ARG "--prime-ro-child"

/* Runs in a fresh exec'd process: imports the fd, checks the parent's
 * pattern through a device mapping and answers with a FILL. */
static int prime_child(int dmabuf)
{
	int fd = musa_kmd_open(0, O_CLOEXEC);
	struct drm_prime_handle im = { .fd = dmabuf };
	struct drm_musa_vm_map m = { 0 };
	struct drm_musa_queue_create qc = { 0 };
	struct drm_syncobj_create sc = { 0 };
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_FILL };

	if (fd < 0 || musa_kmd_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im))
		return 10;
	m.handle = im.handle;
	if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m))
		return 11;
	if (*(volatile uint32_t *)(uintptr_t)m.va != 0xc0ffee)
		return 12;
	if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &qc) ||
	    musa_kmd_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc))
		return 13;
	p.fill.dst = m.va + 64;
	p.fill.count = 1;
	p.fill.value = 0xbeef;
	p.fill.elem_size = 4;
	if (kt_submit(fd, qc.handle, &p, 1, sc.handle, 0) ||
	    kt_wait(fd, sc.handle, 0, 10000000000ll))
		return 14;
	musa_kmd_close(fd);
	return 0;
}

/*
 * Runs in a fresh exec'd process on an fd exported without DRM_RDWR:
 * "dev" checks that the device cannot write the import (COPY and FILL into
 * it are EFAULT, a COPY out of it works), "map" that no mapping of it is
 * writable (the VM mapping is read-only, the fake-offset mmap refuses
 * PROT_WRITE).
 */
static int prime_ro_child(const char *mode, int dmabuf)
{
	int fd = musa_kmd_open(0, O_CLOEXEC);
	struct drm_prime_handle im = { .fd = dmabuf };
	struct drm_musa_vm_map m = { 0 };

	if (fd < 0 || musa_kmd_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im))
		return 10;
	m.handle = im.handle;
	if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m))
		return 11;
	if (*(volatile uint32_t *)(uintptr_t)m.va != 0xc0ffee)
		return 12;
	if (!strcmp(mode, "dev")) {
		struct drm_musa_queue_create qc = { 0 };
		struct drm_syncobj_create sc = { 0 };
		struct drm_musa_packet p = { .type = DRM_MUSA_PKT_FILL };
		struct drm_musa_bo_create bc = { .size = 4096 };
		struct drm_musa_vm_map bm = { 0 };
		uint64_t mine;

		/* No ck_assert here: this process is not a Check test. */
		if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &bc))
			return 13;
		bm.handle = bc.handle;
		if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &bm) ||
		    musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &qc) ||
		    musa_kmd_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc))
			return 13;
		mine = bm.va;
		p.fill.dst = m.va + 64;
		p.fill.count = 1;
		p.fill.value = 0xbeef;
		p.fill.elem_size = 4;
		if (kt_submit(fd, qc.handle, &p, 1, sc.handle, 0) != EFAULT)
			return 14;
		p = kt_copy(m.va + 64, mine, 4);
		if (kt_submit(fd, qc.handle, &p, 1, sc.handle, 0) != EFAULT)
			return 15;
		p = kt_copy(mine, m.va, 4);  /* reading it is what it is for */
		if (kt_submit(fd, qc.handle, &p, 1, sc.handle, 0) ||
		    kt_wait(fd, sc.handle, 0, 10000000000ll) ||
		    *(volatile uint32_t *)(uintptr_t)mine != 0xc0ffee)
			return 16;
	} else {
		struct drm_musa_bo_mmap_offset mo = { .handle = im.handle };
		char line[256], want[32];
		FILE *maps;
		int found = 0;

		snprintf(want, sizeof(want), "%llx-", (unsigned long long)m.va);
		maps = fopen("/proc/self/maps", "re");
		if (!maps)
			return 17;
		while (fgets(line, sizeof(line), maps)) {
			char *sp = strchr(line, ' ');

			if (!strncmp(line, want, strlen(want)) && sp) {
				found = 1;
				if (sp[2] != '-')  /* "r-?s": no write permission */
					found = 2;
			}
		}
		fclose(maps);
		if (found != 1)
			return 18;
		if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &mo))
			return 19;
		if (musa_kmd_mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
				  (off_t)mo.offset) != MAP_FAILED || errno != EACCES)
			return 20;
	}
	musa_kmd_close(fd);
	return 0;
}

/* Exports a BO holding 0xc0ffee without DRM_RDWR, runs the child in
 * `mode` on it, and checks that the BO is unchanged. */
static void prime_ro_run(const char *mode)
{
	int fd = kt_open(), dmabuf, status;
	uint32_t h;
	uint64_t va = kt_bo_va(fd, 4096, &h);
	char arg[16];
	pid_t pid;

	*(volatile uint32_t *)(uintptr_t)va = 0xc0ffee;
	*(volatile uint32_t *)(uintptr_t)(va + 64) = 0x1234;
	dmabuf = export_bo(fd, h, 0);  /* read-only; no CLOEXEC: the child inherits it */
	snprintf(arg, sizeof(arg), "%d", dmabuf);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/proc/self/exe", "test_prime", RO_CHILD_ARG, mode, arg, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)(va + 64), 0x1234);
	close(dmabuf);
	musa_kmd_close(fd);
}

/* A read-only export stays read-only for the importer's device. */
START_TEST(test_prime_read_only_import_refuses_device_writes)
{
	prime_ro_run("dev");
}
END_TEST

/* A read-only export gives the importer no writable mapping. */
START_TEST(test_prime_read_only_import_maps_read_only)
{
	prime_ro_run("map");
}
END_TEST

/* BO memfds are owner-only: another user handed a read-only fd cannot
 * reopen it writable through /proc/<pid>/fd. */
START_TEST(test_prime_bo_memfd_is_owner_only)
{
	int fd = kt_open();
	int dmabuf = export_bo(fd, kt_bo(fd, 4096), DRM_CLOEXEC);
	struct stat st;

	ck_assert_int_eq(fstat(dmabuf, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	close(dmabuf);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_prime_fd_imported_by_another_process)
{
	int fd = kt_open(), dmabuf, status;
	uint32_t h;
	uint64_t va = kt_bo_va(fd, 4096, &h);
	char arg[16];
	pid_t pid;

	*(volatile uint32_t *)(uintptr_t)va = 0xc0ffee;
	dmabuf = export_bo(fd, h, DRM_RDWR);  /* no CLOEXEC: the child inherits it */
	snprintf(arg, sizeof(arg), "%d", dmabuf);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/proc/self/exe", "test_prime", CHILD_ARG, arg, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)(va + 64), 0xbeef);
	close(dmabuf);
	musa_kmd_close(fd);
}
END_TEST

static Suite *prime_suite(void)
{
	Suite *s = suite_create("kmd_prime");
	TCase *err = tcase_create("errnos");
	TCase *sem = tcase_create("semantics");

	tcase_add_test(err, test_prime_export_unknown_handle_is_enoent);
	tcase_add_test(err, test_prime_export_unknown_flag_is_einval);
	tcase_add_test(err, test_prime_import_closed_fd_is_ebadf);
	tcase_add_test(err, test_prime_import_non_bo_fd_is_einval);
	tcase_add_test(err, test_prime_import_ignores_flags);
	tcase_add_test(err, test_prime_export_userptr_is_einval);
	suite_add_tcase(s, err);

	tcase_add_test(sem, test_prime_import_twice_gives_same_handle);
	tcase_add_test(sem, test_prime_import_into_second_fd_charges_memory_once);
	tcase_add_test(sem, test_prime_export_without_rdwr_is_read_only);
	tcase_add_test(sem, test_prime_peer_mapping_across_devices);
	tcase_add_test(sem, test_prime_fd_imported_by_another_process);
	tcase_add_test(sem, test_prime_read_only_import_refuses_device_writes);
	tcase_add_test(sem, test_prime_read_only_import_maps_read_only);
	tcase_add_test(sem, test_prime_bo_memfd_is_owner_only);
	tcase_set_timeout(sem, 60);
	suite_add_tcase(s, sem);
	return s;
}

int main(int argc, char **argv)
{
	kt_env();
	if (argc == 3 && strcmp(argv[1], CHILD_ARG) == 0)
		return prime_child(atoi(argv[2]));
	if (argc == 4 && strcmp(argv[1], RO_CHILD_ARG) == 0)
		return prime_ro_child(argv[2], atoi(argv[3]));
	return kt_run_suite(prime_suite());
}
