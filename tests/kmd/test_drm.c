/* SPDX-License-Identifier: MIT */
/*
 * test_drm.c - the door of the kmd shim: open/close, the ioctl table and
 * its argument-size rules, and the generic VERSION / GET_CAP / GEM_CLOSE
 * ioctls.
 */
#include "kmd_test.h"

static uint64_t mem_used(int fd)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	return info.memory_used;
}

/* open / close */

START_TEST(test_open_rejects_missing_device_with_enodev)
{
	errno = 0;
	ck_assert_int_eq(musa_kmd_open(2, 0), -1);
	ck_assert_int_eq(errno, ENODEV);
}
END_TEST

START_TEST(test_open_rejects_unknown_flags)
{
	errno = 0;
	ck_assert_int_eq(musa_kmd_open(0, O_NONBLOCK), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_open_second_device_reports_its_index)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};
	int fd = musa_kmd_open(1, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	ck_assert_uint_eq(info.device_index, 1);
	ck_assert_int_eq(musa_kmd_close(fd), 0);
}
END_TEST

START_TEST(test_ioctl_rejects_unregistered_fd_with_ebadf)
{
	struct drm_get_cap c = { .capability = DRM_CAP_SYNCOBJ };

	ck_assert_int_eq(kt_ioctl(0, DRM_IOCTL_GET_CAP, &c), EBADF);
	errno = 0;
	ck_assert_int_eq(musa_kmd_close(0), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(test_close_releases_device_memory)
{
	int a = kt_open(), b = kt_open();
	uint64_t before = mem_used(b);

	kt_bo_va(a, 64 << 20, NULL);
	ck_assert_uint_eq(mem_used(b), before + (64 << 20));
	ck_assert_int_eq(musa_kmd_close(a), 0);
	ck_assert_uint_eq(mem_used(b), before);
	ck_assert_int_eq(kt_ioctl(a, DRM_IOCTL_MUSA_BO_CREATE, &(struct drm_musa_bo_create){ .size = 4096 }),
			 EBADF);
	musa_kmd_close(b);
}
END_TEST

START_TEST(test_dup_is_another_fd_of_the_same_file)
{
	int a = kt_open(), b = dup(a);
	struct drm_musa_bo_mmap_offset o = { 0 };

	ck_assert_int_ge(b, 0);
	ck_assert_int_eq(musa_kmd_dup(a, b), 0);
	o.handle = kt_bo(a, 4096);
	ck_assert_int_eq(kt_ioctl(b, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o), 0);
	ck_assert_int_eq(musa_kmd_close(a), 0);
	ck_assert_int_eq(kt_ioctl(b, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o), 0);
	ck_assert_int_eq(musa_kmd_close(b), 0);
}
END_TEST

START_TEST(test_last_close_of_dups_releases_device_memory)
{
	int watch = kt_open(), a = kt_open(), b = dup(a);
	uint64_t before = mem_used(watch);

	ck_assert_int_eq(musa_kmd_dup(a, b), 0);
	kt_bo(a, 64 << 20);
	ck_assert_int_eq(musa_kmd_close(a), 0);
	ck_assert_uint_eq(mem_used(watch), before + (64 << 20));
	ck_assert_int_eq(musa_kmd_close(b), 0);
	ck_assert_uint_eq(mem_used(watch), before);
	musa_kmd_close(watch);
}
END_TEST

START_TEST(test_dup_rejects_an_fd_of_another_file_with_ebadf)
{
	int a = kt_open(), null = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct drm_get_cap c = { .capability = DRM_CAP_SYNCOBJ };

	ck_assert_int_ge(null, 0);
	errno = 0;
	ck_assert_int_eq(musa_kmd_dup(a, null), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(kt_ioctl(null, DRM_IOCTL_GET_CAP, &c), EBADF);
	close(null);
	musa_kmd_close(a);
}
END_TEST

START_TEST(test_reused_number_is_no_device_fd)
{
	int fd = kt_open(), null = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct drm_get_cap c = { .capability = DRM_CAP_SYNCOBJ };

	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, fd), fd);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_CAP, &c), EBADF);
	close(null);
	close(fd);
}
END_TEST

START_TEST(test_close_of_reused_number_leaves_the_new_file_open)
{
	int fd = kt_open(), null = open("/dev/null", O_RDWR | O_CLOEXEC);

	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, fd), fd);
	errno = 0;
	ck_assert_int_eq(musa_kmd_close(fd), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1);
	close(null);
	close(fd);
}
END_TEST

START_TEST(test_file_closed_behind_the_drivers_back_is_released_by_the_next_open)
{
	int watch = kt_open(), fd = kt_open(), again;
	uint64_t before = mem_used(watch);

	kt_bo(fd, 64 << 20);
	ck_assert_int_eq(close(fd), 0);
	again = kt_open();
	ck_assert_uint_eq(mem_used(watch), before);
	musa_kmd_close(again);
	musa_kmd_close(watch);
}
END_TEST

START_TEST(test_handles_are_private_per_fd)
{
	int a = kt_open(), b = kt_open();
	uint32_t bo = kt_bo(a, 4096);
	struct drm_musa_vm_map m = { .handle = bo };
	struct drm_gem_close c = { .handle = bo };

	ck_assert_int_eq(kt_ioctl(b, DRM_IOCTL_MUSA_VM_MAP, &m), ENOENT);
	ck_assert_int_eq(kt_ioctl(b, DRM_IOCTL_GEM_CLOSE, &c), EINVAL);
	ck_assert_int_eq(kt_ioctl(a, DRM_IOCTL_GEM_CLOSE, &c), 0);
	musa_kmd_close(a);
	musa_kmd_close(b);
}
END_TEST

/* the ioctl table */

START_TEST(test_ioctl_rejects_non_drm_type_with_enotty)
{
	int fd = kt_open();
	struct drm_musa_bo_create c = { .size = 4096 };

	ck_assert_int_eq(kt_ioctl(fd, _IOWR('x', DRM_COMMAND_BASE + DRM_MUSA_BO_CREATE,
					     struct drm_musa_bo_create), &c), ENOTTY);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_ioctl_rejects_unknown_driver_nr_with_einval)
{
	int fd = kt_open();
	struct drm_musa_bo_create c = { .size = 4096 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_NUM_IOCTLS,
					      struct drm_musa_bo_create), &c), EINVAL);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOWR(DRM_COMMAND_END - 1, struct drm_musa_bo_create), &c),
			 EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_ioctl_rejects_unserved_core_nr_with_einval)
{
	int fd = kt_open();
	struct drm_unique u = { 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_UNIQUE, &u), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_ioctl_rejects_bad_arg_pointer_with_efault)
{
	int fd = kt_open();
	void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, NULL), EFAULT);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_CREATE, page), EFAULT);
	ck_assert_int_eq(mem_used(fd), 0);
	munmap(page, 4096);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_ioctl_zero_extends_older_smaller_struct)
{
	int fd = kt_open();
	/* An older DEVICE_QUERY without flags/pad: 16 bytes. */
	struct { __u32 query, size; __u64 data; } old = { DRM_MUSA_QUERY_DEVICE_INFO, 0, 0 };
	unsigned long req = _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE,
				 DRM_COMMAND_BASE + DRM_MUSA_DEVICE_QUERY, sizeof(old));
	/* A BO_CREATE with only `size`: the zero-extended flags are valid. */
	struct { __u64 size; } bo_old = { 4096 };
	unsigned long bo_req = _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE,
				    DRM_COMMAND_BASE + DRM_MUSA_BO_CREATE, sizeof(bo_old));

	ck_assert_int_eq(kt_ioctl(fd, req, &old), 0);
	ck_assert_uint_eq(old.size, sizeof(struct drm_musa_device_info));
	ck_assert_int_eq(kt_ioctl(fd, bo_req, &bo_old), 0);
	ck_assert_uint_eq(bo_old.size, 4096);
	ck_assert_uint_eq(mem_used(fd), 4096);
	musa_kmd_close(fd);
}
END_TEST

struct bo_create_next {
	struct drm_musa_bo_create c;
	__u64 future;
};

#define BO_CREATE_NEXT _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, \
			    DRM_COMMAND_BASE + DRM_MUSA_BO_CREATE, sizeof(struct bo_create_next))

START_TEST(test_ioctl_accepts_larger_struct_with_zero_tail)
{
	int fd = kt_open();
	struct bo_create_next n = { .c.size = 4096 };

	ck_assert_int_eq(kt_ioctl(fd, BO_CREATE_NEXT, &n), 0);
	ck_assert_uint_ne(n.c.handle, 0);
	ck_assert_uint_eq(n.future, 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_ioctl_rejects_larger_struct_with_nonzero_tail)
{
	int fd = kt_open();
	struct bo_create_next n = { .c.size = 4096, .future = 1 };

	ck_assert_int_eq(kt_ioctl(fd, BO_CREATE_NEXT, &n), EINVAL);
	ck_assert_uint_eq(n.c.handle, 0);
	ck_assert_uint_eq(mem_used(fd), 0);
	musa_kmd_close(fd);
}
END_TEST

/* generic ioctls */

START_TEST(test_version_two_call_lengths)
{
	int fd = kt_open();
	struct drm_version v = { 0 };
	char name[16] = { 0 }, desc[64] = { 0 }, date[16] = { 0 }, shortname[2] = { 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	ck_assert_int_eq(v.version_major, 1);
	ck_assert_int_eq(v.version_minor, MUSA_DRM_VERSION_MINOR);
	ck_assert_int_eq(v.version_patchlevel, 0);
	ck_assert_uint_eq(v.name_len, strlen("musa"));
	ck_assert_uint_eq(v.desc_len, strlen(MUSA_DRM_DRIVER_DESC));
	ck_assert_uint_gt(v.date_len, 0);
	v.name = name;
	v.desc = desc;
	v.date = date;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	ck_assert_str_eq(name, "musa");
	ck_assert_str_eq(desc, MUSA_DRM_DRIVER_DESC);
	/* A short buffer gets a truncated copy and the full length. */
	v.name = shortname;
	v.name_len = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	ck_assert_int_eq(shortname[0], 'm');
	ck_assert_int_eq(shortname[1], 0);
	ck_assert_uint_eq(v.name_len, 4);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_version_rejects_bad_name_pointer_with_efault)
{
	int fd = kt_open();
	struct drm_version v = { .name_len = 8, .name = (char *)16 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_VERSION, &v), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_get_cap_reports_syncobj_timeline_prime)
{
	int fd = kt_open();
	struct drm_get_cap c = { .capability = DRM_CAP_SYNCOBJ };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_CAP, &c), 0);
	ck_assert_uint_eq(c.value, 1);
	c.capability = DRM_CAP_SYNCOBJ_TIMELINE;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_CAP, &c), 0);
	ck_assert_uint_eq(c.value, 1);
	c.capability = DRM_CAP_PRIME;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_CAP, &c), 0);
	ck_assert_uint_eq(c.value, DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT);
	musa_kmd_close(fd);
}
END_TEST

/* drm_getcap(): caps beyond the render-only ones need DRIVER_MODESET. */
START_TEST(test_get_cap_unknown_cap_is_eopnotsupp_on_render_only_driver)
{
	int fd = kt_open();
	struct drm_get_cap c = { .capability = 0xdead, .value = 7 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_CAP, &c), EOPNOTSUPP);
	ck_assert_uint_eq(c.value, 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_get_cap_kms_cap_is_eopnotsupp_on_render_only_driver)
{
	int fd = kt_open();
	struct drm_get_cap c = { .capability = DRM_CAP_DUMB_BUFFER };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_CAP, &c), EOPNOTSUPP);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_get_cap_rejects_bad_arg_pointer_with_efault)
{
	int fd = kt_open();

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GET_CAP, (void *)8), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_version_rejects_bad_desc_pointer_with_efault)
{
	int fd = kt_open();
	struct drm_version v = { .desc_len = 8, .desc = (char *)16 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_VERSION, &v), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_gem_close_rejects_unknown_handle_with_einval)
{
	int fd = kt_open();
	struct drm_gem_close c = { .handle = 42 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

/* drm_gem_close_ioctl() never looks at pad. */
START_TEST(test_gem_close_ignores_pad_as_the_kernel_does)
{
	int fd = kt_open();
	struct drm_gem_close c = { .handle = kt_bo(fd, 4096), .pad = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_gem_close_handle_zero_is_einval)
{
	int fd = kt_open();
	struct drm_gem_close c = { .handle = 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_gem_close_releases_memory)
{
	int fd = kt_open();
	uint32_t h;

	kt_bo_va(fd, 1 << 20, &h);
	ck_assert_uint_eq(mem_used(fd), 1 << 20);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = h }), 0);
	ck_assert_uint_eq(mem_used(fd), 0);
	musa_kmd_close(fd);
}
END_TEST

static Suite *drm_suite(void)
{
	Suite *s = suite_create("kmd_drm");
	TCase *door = tcase_create("door");
	TCase *table = tcase_create("ioctl_table");
	TCase *generic = tcase_create("generic");

	tcase_add_test(door, test_open_rejects_missing_device_with_enodev);
	tcase_add_test(door, test_open_rejects_unknown_flags);
	tcase_add_test(door, test_open_second_device_reports_its_index);
	tcase_add_test(door, test_ioctl_rejects_unregistered_fd_with_ebadf);
	tcase_add_test(door, test_close_releases_device_memory);
	tcase_add_test(door, test_handles_are_private_per_fd);
	tcase_add_test(door, test_dup_is_another_fd_of_the_same_file);
	tcase_add_test(door, test_last_close_of_dups_releases_device_memory);
	tcase_add_test(door, test_dup_rejects_an_fd_of_another_file_with_ebadf);
	tcase_add_test(door, test_reused_number_is_no_device_fd);
	tcase_add_test(door, test_close_of_reused_number_leaves_the_new_file_open);
	tcase_add_test(door, test_file_closed_behind_the_drivers_back_is_released_by_the_next_open);
	suite_add_tcase(s, door);

	tcase_add_test(table, test_ioctl_rejects_non_drm_type_with_enotty);
	tcase_add_test(table, test_ioctl_rejects_unknown_driver_nr_with_einval);
	tcase_add_test(table, test_ioctl_rejects_unserved_core_nr_with_einval);
	tcase_add_test(table, test_ioctl_rejects_bad_arg_pointer_with_efault);
	tcase_add_test(table, test_ioctl_zero_extends_older_smaller_struct);
	tcase_add_test(table, test_ioctl_accepts_larger_struct_with_zero_tail);
	tcase_add_test(table, test_ioctl_rejects_larger_struct_with_nonzero_tail);
	suite_add_tcase(s, table);

	tcase_add_test(generic, test_version_two_call_lengths);
	tcase_add_test(generic, test_version_rejects_bad_name_pointer_with_efault);
	tcase_add_test(generic, test_get_cap_reports_syncobj_timeline_prime);
	tcase_add_test(generic, test_get_cap_unknown_cap_is_eopnotsupp_on_render_only_driver);
	tcase_add_test(generic, test_get_cap_kms_cap_is_eopnotsupp_on_render_only_driver);
	tcase_add_test(generic, test_get_cap_rejects_bad_arg_pointer_with_efault);
	tcase_add_test(generic, test_version_rejects_bad_desc_pointer_with_efault);
	tcase_add_test(generic, test_gem_close_rejects_unknown_handle_with_einval);
	tcase_add_test(generic, test_gem_close_ignores_pad_as_the_kernel_does);
	tcase_add_test(generic, test_gem_close_handle_zero_is_einval);
	tcase_add_test(generic, test_gem_close_releases_memory);
	suite_add_tcase(s, generic);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(drm_suite());
}
