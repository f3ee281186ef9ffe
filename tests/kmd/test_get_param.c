/* SPDX-License-Identifier: MIT */
/*
 * test_get_param.c - GET_PARAM: every key and index answers what the
 * compatibility path DEVICE_QUERY says, MEMORY_USED follows the BOs, and
 * the keys past the table or an index past a key's count are EINVAL.
 */
#include <stdbool.h>
#include <stddef.h>

#include "kmd_test.h"

static struct drm_musa_device_info gp_info(int fd)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q), 0);
	return info;
}

static uint64_t gp_get(int fd, uint32_t param, uint32_t index)
{
	struct drm_musa_get_param g = { .param = param, .index = index, .value = ~0ull };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_GET_PARAM, &g), 0);
	return g.value;
}

/* Every key with its place in drm_musa_device_info: count values of size
 * bytes from offset (for NAME, 8-byte words of the name). */
static const struct {
	uint32_t param;
	size_t offset, size;
	uint32_t count;
} gp_keys[] = {
#define GP(key, field, n) { DRM_MUSA_PARAM_##key, offsetof(struct drm_musa_device_info, field), \
			    sizeof(((struct drm_musa_device_info *)0)->field) / (n), (n) }
	GP(NAME, name, DRM_MUSA_PARAM_NAME_WORDS),
	GP(ARCH_MAJOR, arch_major, 1),
	GP(ARCH_MINOR, arch_minor, 1),
	GP(COMPUTE_UNITS, compute_units, 1),
	GP(WARP_SIZE, warp_size, 1),
	GP(MAX_THREADS_PER_BLOCK, max_threads_per_block, 1),
	GP(MAX_BLOCK_DIM, max_block_dim, 3),
	GP(MAX_GRID_DIM, max_grid_dim, 3),
	GP(SHARED_MEM_PER_BLOCK, shared_mem_per_block, 1),
	GP(CLOCK_RATE_KHZ, clock_rate_khz, 1),
	GP(DEVICE_INDEX, device_index, 1),
	GP(MAX_THREADS_PER_CU, max_threads_per_cu, 1),
	GP(REGS_PER_BLOCK, regs_per_block, 1),
	GP(MEMORY_SIZE, memory_size, 1),
	GP(MEMORY_USED, memory_used, 1),
	GP(VA_START, va_start, 1),
	GP(VA_SIZE, va_size, 1),
	GP(ENGINES, engines, 1),
#undef GP
};

START_TEST(test_get_param_every_key_matches_device_query)
{
	int fd;
	struct drm_musa_device_info info;
	bool seen[DRM_MUSA_PARAM_COUNT] = { [DRM_MUSA_PARAM_UAPI_VERSION] = true };

	kt_env();
	fd = musa_kmd_open(1, O_CLOEXEC);   /* device 1: the index key is not 0 */
	ck_assert_int_ge(fd, 0);
	info = gp_info(fd);
	for (size_t k = 0; k < sizeof(gp_keys) / sizeof(gp_keys[0]); k++) {
		seen[gp_keys[k].param] = true;
		for (uint32_t i = 0; i < gp_keys[k].count; i++) {
			uint64_t want = 0, got = gp_get(fd, gp_keys[k].param, i);
			const char *at = (const char *)&info + gp_keys[k].offset + i * gp_keys[k].size;

			if (gp_keys[k].size == 4) {
				uint32_t v;

				memcpy(&v, at, 4);
				want = v;
			} else {
				memcpy(&want, at, 8);
			}
			ck_assert_msg(got == want, "param %u index %u: %llu, DEVICE_QUERY %llu",
				      gp_keys[k].param, i, (unsigned long long)got,
				      (unsigned long long)want);
		}
	}
	for (uint32_t p = 0; p < DRM_MUSA_PARAM_COUNT; p++)
		ck_assert_msg(seen[p], "param %u is not checked", p);
	ck_assert_uint_eq(gp_get(fd, DRM_MUSA_PARAM_DEVICE_INDEX, 0), 1);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_get_param_uapi_version_is_versions)
{
	int fd;
	char name[16];
	struct drm_version v = { .name = name, .name_len = sizeof(name) };

	kt_env();
	fd = kt_open();
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	ck_assert_uint_eq(gp_get(fd, DRM_MUSA_PARAM_UAPI_VERSION, 0),
			  (uint64_t)v.version_major << 32 | (uint32_t)v.version_minor);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_get_param_memory_used_follows_bos)
{
	int fd;
	uint64_t before;
	uint32_t bo;
	struct drm_gem_close c = { 0 };

	kt_env();
	fd = kt_open();
	before = gp_get(fd, DRM_MUSA_PARAM_MEMORY_USED, 0);
	bo = kt_bo(fd, 1 << 20);
	ck_assert_uint_eq(gp_get(fd, DRM_MUSA_PARAM_MEMORY_USED, 0), before + (1 << 20));
	c.handle = bo;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), 0);
	ck_assert_uint_eq(gp_get(fd, DRM_MUSA_PARAM_MEMORY_USED, 0), before);
	musa_kmd_close(fd);
}
END_TEST

/* Every index one past a key's count, and the first key past the table. */
START_TEST(test_get_param_rejects_index_past_count_and_unknown_keys)
{
	int fd;
	struct drm_musa_get_param g = { .param = DRM_MUSA_PARAM_UAPI_VERSION, .index = 1 };

	kt_env();
	fd = kt_open();
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_GET_PARAM, &g), EINVAL);
	for (size_t k = 0; k < sizeof(gp_keys) / sizeof(gp_keys[0]); k++) {
		g.param = gp_keys[k].param;
		g.index = gp_keys[k].count;
		ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_GET_PARAM, &g), EINVAL);
	}
	g.param = DRM_MUSA_PARAM_COUNT;
	g.index = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_GET_PARAM, &g), EINVAL);
	g.param = ~0u;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_GET_PARAM, &g), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kmd_get_param");
	TCase *tc = tcase_create("get_param");

	tcase_add_test(tc, test_get_param_every_key_matches_device_query);
	tcase_add_test(tc, test_get_param_uapi_version_is_versions);
	tcase_add_test(tc, test_get_param_memory_used_follows_bos);
	tcase_add_test(tc, test_get_param_rejects_index_past_count_and_unknown_keys);
	suite_add_tcase(s, tc);
	return kt_run_suite(s);
}
