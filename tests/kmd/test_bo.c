/* SPDX-License-Identifier: MIT */
/*
 * test_bo.c - DEVICE_QUERY, buffer objects, userptr, VM_MAP / VM_UNMAP,
 * mmap through the device fd, and PRIME export/import.
 */
#include "kmd_test.h"

static struct drm_musa_device_info query_info(int fd)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	return info;
}

/* DEVICE_QUERY */

START_TEST(test_device_query_two_call)
{
	int fd = kt_open();
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = { .query = DRM_MUSA_QUERY_DEVICE_INFO };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	ck_assert_uint_eq(q.size, sizeof(info));
	memset(&info, 0, sizeof(info));
	q.data = (uintptr_t)&info;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	ck_assert_uint_eq(q.size, sizeof(info));
	ck_assert_uint_eq(info.arch_major, 3);
	ck_assert_uint_eq(info.arch_minor, 1);
	ck_assert_uint_eq(info.warp_size, 32);
	ck_assert_uint_eq(info.compute_units, 2);
	ck_assert_uint_eq(info.memory_size, 256ull << 20);
	ck_assert_uint_eq(info.max_threads_per_block, 1024);
	ck_assert_uint_eq(info.max_block_dim[2], 64);
	ck_assert_uint_eq(info.max_grid_dim[0], 0x7fffffffu);
	ck_assert_uint_eq(info.shared_mem_per_block, 48 * 1024);
	ck_assert_uint_ge(info.va_size, info.memory_size);
	ck_assert_uint_ne(info.va_start, 0);
	ck_assert_ptr_nonnull(memchr(info.name, '\0', sizeof(info.name)));
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_device_query_rejects_small_buffer)
{
	int fd = kt_open();
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info) - 8, .data = (uintptr_t)&info,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), EINVAL);
	ck_assert_uint_eq(q.size, sizeof(info) - 8);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_device_query_larger_buffer_reports_written_size)
{
	int fd = kt_open();
	unsigned char buf[sizeof(struct drm_musa_device_info) + 64];
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(buf), .data = (uintptr_t)buf,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	ck_assert_uint_eq(q.size, sizeof(struct drm_musa_device_info));
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_device_query_rejects_nonzero_pad_flags_and_unknown_query)
{
	int fd = kt_open();
	struct drm_musa_device_query q = { .query = DRM_MUSA_QUERY_DEVICE_INFO, .pad = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), EINVAL);
	q.pad = 0;
	q.flags = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), EINVAL);
	q.flags = 0;
	q.query = 7;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_device_query_rejects_bad_data_pointer_with_efault)
{
	int fd = kt_open();
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(struct drm_musa_device_info),
		.data = 64,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

/* BO_CREATE */

START_TEST(test_bo_create_rejects_zero_size)
{
	int fd = kt_open();
	struct drm_musa_bo_create c = { .size = 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_bo_create_rejects_unknown_flag)
{
	int fd = kt_open();
	struct drm_musa_bo_create c = { .size = 4096, .flags = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c), EINVAL);
	ck_assert_uint_eq(c.handle, 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_bo_create_rejects_larger_than_device_with_enomem)
{
	int fd = kt_open();
	struct drm_musa_bo_create c = { .size = (256ull << 20) + 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c), ENOMEM);
	c.size = UINT64_MAX;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c), ENOMEM);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_bo_create_rejects_larger_than_free_memory_with_enomem)
{
	int fd = kt_open();
	struct drm_musa_bo_create c = { .size = 200ull << 20 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c), 0);
	c.handle = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, &c), ENOMEM);
	ck_assert_uint_eq(query_info(fd).memory_used, 200ull << 20);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_bo_create_rounds_to_pages)
{
	int fd = kt_open();

	kt_bo(fd, 1);
	ck_assert_uint_eq(query_info(fd).memory_used, (uint64_t)sysconf(_SC_PAGESIZE));
	musa_kmd_close(fd);
}
END_TEST

/* mmap and VM */

START_TEST(test_bo_cpu_and_device_mappings_share_pages)
{
	int fd = kt_open();
	uint32_t h;
	uint64_t va = kt_bo_va(fd, 8192, &h);
	struct drm_musa_device_info info = query_info(fd);
	uint32_t *cpu = kt_cpu_map(fd, h, 8192);
	uint32_t *dev = (uint32_t *)(uintptr_t)va;

	ck_assert_uint_ge(va, info.va_start);
	ck_assert_uint_le(va + 8192, info.va_start + info.va_size);
	for (int i = 0; i < 2048; i++)
		cpu[i] = (uint32_t)i * 3;
	for (int i = 0; i < 2048; i++)
		ck_assert_uint_eq(dev[i], (uint32_t)i * 3);
	dev[5] = 77;
	ck_assert_uint_eq(cpu[5], 77);
	munmap(cpu, 8192);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_vm_map_leaves_guard_gap)
{
	int fd = kt_open();
	uint64_t a = kt_bo_va(fd, 4096, NULL), b = kt_bo_va(fd, 4096, NULL);
	uint64_t lo = a < b ? a : b, hi = a < b ? b : a;

	ck_assert_uint_ge(hi - lo, 4096 + 64 * 1024);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_bo_mmap_offset_rejects_unknown_handle_and_flag)
{
	int fd = kt_open();
	struct drm_musa_bo_mmap_offset o = { .handle = 9 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o), ENOENT);
	o.handle = kt_bo(fd, 4096);
	o.flags = 2;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_mmap_rejects_unknown_offset_and_overlong_length)
{
	int fd = kt_open();
	uint32_t h = kt_bo(fd, 4096);
	struct drm_musa_bo_mmap_offset o = { .handle = h };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o), 0);
	errno = 0;
	ck_assert_ptr_eq(musa_kmd_mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_eq(musa_kmd_mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, (off_t)o.offset),
			 MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_vm_map_rejects_unknown_handle_and_flag)
{
	int fd = kt_open();
	struct drm_musa_vm_map m = { .handle = 3 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m), ENOENT);
	m.handle = kt_bo(fd, 4096);
	m.flags = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_MAP, &m), EINVAL);
	ck_assert_uint_eq(m.va, 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_vm_unmap_rules)
{
	int fd = kt_open();
	uint32_t h;
	uint64_t va = kt_bo_va(fd, 4096, &h);
	struct drm_musa_vm_unmap u = { .handle = h, .va = va, .pad = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_UNMAP, &u), EINVAL);
	u.pad = 0;
	u.va = va + 4096;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_UNMAP, &u), EINVAL);
	u.handle = h + 100;
	u.va = va;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_UNMAP, &u), ENOENT);
	u.handle = h;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_UNMAP, &u), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_UNMAP, &u), EINVAL);
	/* The range went back to the window and can be handed out again. */
	ck_assert_uint_eq(kt_map(fd, h), va);
	musa_kmd_close(fd);
}
END_TEST

/* USERPTR */

START_TEST(test_userptr_maps_at_host_address)
{
	int fd = kt_open();
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	void *host = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = 2 * psz };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	ck_assert_uint_eq(kt_map(fd, u.handle), (uintptr_t)host);
	ck_assert_uint_eq(query_info(fd).memory_used, 0);
	musa_kmd_close(fd);
	munmap(host, 2 * psz);
}
END_TEST

START_TEST(test_userptr_rejects_unaligned_range)
{
	int fd = kt_open();
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	char *host = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host + 8, .size = psz };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EINVAL);
	u.user_ptr = (uintptr_t)host;
	u.size = psz + 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EINVAL);
	u.size = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EINVAL);
	u.size = psz;
	u.flags = 2;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EINVAL);
	musa_kmd_close(fd);
	munmap(host, 2 * psz);
}
END_TEST

START_TEST(test_userptr_rejects_unmapped_range_with_efault)
{
	int fd = kt_open();
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	char *host = mmap(NULL, 3 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = 3 * psz };

	munmap(host + psz, psz);  /* a hole in the middle */
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EFAULT);
	musa_kmd_close(fd);
	munmap(host, 3 * psz);
}
END_TEST

START_TEST(test_userptr_read_only_memory_needs_read_only_flag)
{
	int fd = kt_open();
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	void *host = mmap(NULL, psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = psz };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EFAULT);
	u.flags = DRM_MUSA_USERPTR_READ_ONLY;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	musa_kmd_close(fd);
	munmap(host, psz);
}
END_TEST

/* A range over several mappings (the middle page protected on its own):
 * every one must allow the access, whichever line of the maps it is on. */
START_TEST(test_userptr_range_over_several_mappings)
{
	int fd = kt_open();
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	char *host = mmap(NULL, 3 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = 3 * psz };

	ck_assert_int_eq(mprotect(host + psz, psz, PROT_READ), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EFAULT);
	u.flags = DRM_MUSA_USERPTR_READ_ONLY;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	ck_assert_int_eq(mprotect(host + psz, psz, PROT_NONE), 0);
	u.handle = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), EFAULT);
	/* the pages after the inaccessible one alone are fine */
	u.user_ptr = (uintptr_t)(host + 2 * psz);
	u.size = psz;
	u.flags = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	musa_kmd_close(fd);
	munmap(host, 3 * psz);
}
END_TEST

/* PRIME */

START_TEST(test_prime_export_import_shares_pages)
{
	int a = kt_open(), b = kt_open();
	uint32_t ha;
	uint64_t va_a = kt_bo_va(a, 4096, &ha);
	struct drm_prime_handle ex = { .handle = ha, .flags = DRM_CLOEXEC };
	struct drm_prime_handle im = { 0 };
	uint64_t va_b;

	ck_assert_int_eq(kt_ioctl(a, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex), 0);
	ck_assert_int_ge(ex.fd, 0);
	im.fd = ex.fd;
	ck_assert_int_eq(kt_ioctl(b, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im), 0);
	va_b = kt_map(b, im.handle);
	*(volatile uint32_t *)(uintptr_t)va_a = 0xfeedu;
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)va_b, 0xfeedu);
	/* Importing into the exporter gives back the same handle. */
	im.handle = 0;
	ck_assert_int_eq(kt_ioctl(a, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im), 0);
	ck_assert_uint_eq(im.handle, ha);
	close(ex.fd);
	musa_kmd_close(a);
	musa_kmd_close(b);
}
END_TEST

START_TEST(test_prime_rejects_unknown_handle_and_flags)
{
	int fd = kt_open();
	struct drm_prime_handle ex = { .handle = 5 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex), ENOENT);
	ex.handle = kt_bo(fd, 4096);
	ex.flags = 0x10;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

static Suite *bo_suite(void)
{
	Suite *s = suite_create("kmd_bo");
	TCase *q = tcase_create("device_query");
	TCase *bo = tcase_create("bo_create");
	TCase *vm = tcase_create("vm");
	TCase *up = tcase_create("userptr");
	TCase *prime = tcase_create("prime");

	tcase_add_test(q, test_device_query_two_call);
	tcase_add_test(q, test_device_query_rejects_small_buffer);
	tcase_add_test(q, test_device_query_larger_buffer_reports_written_size);
	tcase_add_test(q, test_device_query_rejects_nonzero_pad_flags_and_unknown_query);
	tcase_add_test(q, test_device_query_rejects_bad_data_pointer_with_efault);
	suite_add_tcase(s, q);

	tcase_add_test(bo, test_bo_create_rejects_zero_size);
	tcase_add_test(bo, test_bo_create_rejects_unknown_flag);
	tcase_add_test(bo, test_bo_create_rejects_larger_than_device_with_enomem);
	tcase_add_test(bo, test_bo_create_rejects_larger_than_free_memory_with_enomem);
	tcase_add_test(bo, test_bo_create_rounds_to_pages);
	suite_add_tcase(s, bo);

	tcase_add_test(vm, test_bo_cpu_and_device_mappings_share_pages);
	tcase_add_test(vm, test_vm_map_leaves_guard_gap);
	tcase_add_test(vm, test_bo_mmap_offset_rejects_unknown_handle_and_flag);
	tcase_add_test(vm, test_mmap_rejects_unknown_offset_and_overlong_length);
	tcase_add_test(vm, test_vm_map_rejects_unknown_handle_and_flag);
	tcase_add_test(vm, test_vm_unmap_rules);
	suite_add_tcase(s, vm);

	tcase_add_test(up, test_userptr_maps_at_host_address);
	tcase_add_test(up, test_userptr_rejects_unaligned_range);
	tcase_add_test(up, test_userptr_rejects_unmapped_range_with_efault);
	tcase_add_test(up, test_userptr_read_only_memory_needs_read_only_flag);
	tcase_add_test(up, test_userptr_range_over_several_mappings);
	suite_add_tcase(s, up);

	tcase_add_test(prime, test_prime_export_import_shares_pages);
	tcase_add_test(prime, test_prime_rejects_unknown_handle_and_flags);
	suite_add_tcase(s, prime);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(bo_suite());
}
