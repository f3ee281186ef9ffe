/* SPDX-License-Identifier: MIT */
/*
 * test_lifetime.c - what an fd's life owns: closing it releases queued
 * work and every mapping it made, and a BO exported with PRIME lives on in
 * another process that imports it (two processes sharing a buffer).
 */
#include <stdbool.h>
#include <sys/wait.h>

#include "kmd_test.h"

/* Mappings of BO memfds in this process (a device fd's own memfd is not one). */
static int memfd_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "/memfd:musa-bo ") != NULL;
	fclose(f);
	return n;
}

/* Whether a memfd (a BO) is mapped at `va`. */
static bool mapped_memfd_at(uint64_t va)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool found = false;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;

		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && va >= lo && va < hi)
			found = strstr(line, "/memfd:") != NULL;
	}
	fclose(f);
	return found;
}

START_TEST(test_close_releases_queued_work_and_mappings)
{
	int before, fd;
	uint32_t bo, q, gate;
	uint64_t va;
	struct drm_musa_packet p[2] = { { .type = DRM_MUSA_PKT_WAIT }, { .type = DRM_MUSA_PKT_FILL } };
	int64_t start;

	kt_env();
	before = memfd_mappings();
	fd = kt_open();
	va = kt_bo_va(fd, 1 << 20, &bo);
	(void)kt_cpu_map(fd, bo, 1 << 20);
	ck_assert(mapped_memfd_at(va));
	ck_assert_int_eq(memfd_mappings(), before + 2);
	q = kt_queue(fd);
	gate = kt_syncobj(fd, 0);
	/* Work that can never run: it waits on a point nobody signals. */
	p[0].sync.syncobj = gate;
	p[0].sync.point = 0;
	p[1].fill.dst = va;
	p[1].fill.count = 1 << 18;
	p[1].fill.elem_size = 4;
	p[1].fill.value = 5;
	ck_assert_int_eq(kt_submit(fd, q, p, 2, 0, 0), 0);
	start = kt_now_ns();
	ck_assert_int_eq(musa_kmd_close(fd), 0);
	ck_assert_int_lt(kt_now_ns() - start, 5000000000ll);
	/* The BO no longer backs its device address ... */
	ck_assert(!mapped_memfd_at(va));
	/* ... and of its memory only our own CPU mapping is left. */
	ck_assert_int_eq(memfd_mappings(), before + 1);
}
END_TEST

START_TEST(test_second_fd_cannot_use_first_fds_handles)
{
	int a, b;
	uint32_t bo;
	struct drm_musa_vm_map m = { 0 };

	kt_env();
	a = kt_open();
	b = kt_open();
	bo = kt_bo(a, 4096);
	m.handle = bo;
	ck_assert_int_eq(kt_ioctl(b, DRM_IOCTL_MUSA_VM_MAP, &m), ENOENT);
	musa_kmd_close(a);
	musa_kmd_close(b);
}
END_TEST

/* The child opens its own device fd, imports the parent's buffer, reads
 * the parent's data through the device address and a CPU mapping, and
 * answers in the same buffer. */
static int ipc_child(int dmabuf)
{
	struct drm_prime_handle imp = { .fd = dmabuf };
	struct drm_musa_vm_map m = { 0 };
	struct drm_musa_bo_mmap_offset o = { 0 };
	int fd = musa_kmd_open(0, O_CLOEXEC);
	uint32_t *cpu;

	if (fd < 0 || musa_kmd_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp))
		return 10;
	m.handle = imp.handle;
	o.handle = imp.handle;
	if (musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m) ||
	    musa_kmd_ioctl(fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o))
		return 11;
	cpu = musa_kmd_mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)o.offset);
	if (cpu == MAP_FAILED)
		return 12;
	for (uint32_t i = 0; i < 16; i++)
		if (cpu[i] != 0xC0DE0000u + i ||
		    ((volatile uint32_t *)(uintptr_t)m.va)[i] != 0xC0DE0000u + i)
			return 13;
	cpu[100] = 0xA11CE;
	return musa_kmd_close(fd) ? 14 : 0;
}

START_TEST(test_prime_buffer_shared_with_forked_child)
{
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
	int fd, status = -1;
	uint32_t bo, *cpu;
	pid_t pid;

	kt_env();
	fd = kt_open();
	(void)kt_bo_va(fd, 4096, &bo);
	cpu = kt_cpu_map(fd, bo, 4096);
	for (uint32_t i = 0; i < 16; i++)
		cpu[i] = 0xC0DE0000u + i;
	exp.handle = bo;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp), 0);
	ck_assert_int_ge(exp.fd, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(ipc_child(exp.fd));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_uint_eq(cpu[100], 0xA11CE);
	close(exp.fd);
	musa_kmd_close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kmd_lifetime");
	TCase *tc = tcase_create("lifetime");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_close_releases_queued_work_and_mappings);
	tcase_add_test(tc, test_second_fd_cannot_use_first_fds_handles);
	tcase_add_test(tc, test_prime_buffer_shared_with_forked_child);
	suite_add_tcase(s, tc);
	return kt_run_suite(s);
}
