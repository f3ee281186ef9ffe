/* SPDX-License-Identifier: MIT */
/*
 * test_memory.c - musaMalloc/musaFree, musaMemcpy(Async) in every kind with
 * the pointers checked against the kind and the allocation, and
 * musaMemset(Async). Each negative case sends otherwise valid arguments
 * with one thing wrong and checks that nothing changed.
 */
#include <stdint.h>
#include <string.h>

#include "rt_test.h"

#define BUF 4096

static void *dev_buf(size_t n)
{
	void *d = NULL;

	ck_assert_int_eq(musaMalloc(&d, n), musaSuccess);
	ck_assert_ptr_nonnull(d);
	return d;
}

static void fill_dev(void *d, unsigned char v, size_t n)
{
	ck_assert_int_eq(musaMemset(d, v, n), musaSuccess);
}

/* Every byte of the device range equals v. */
static void expect_dev(const void *d, unsigned char v, size_t n)
{
	unsigned char *h = malloc(n);

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(musaMemcpy(h, d, n, musaMemcpyDeviceToHost), musaSuccess);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(h[i] == v, "byte %zu is %#x, expected %#x", i, h[i], v);
	free(h);
}

/* malloc / free */

START_TEST(test_musaMalloc_null_ptr)
{
	ck_assert_int_eq(musaMalloc(NULL, 64), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaMalloc_zero_size_gives_null)
{
	void *d = (void *)0x1234;

	ck_assert_int_eq(musaMalloc(&d, 0), musaSuccess);
	ck_assert_ptr_null(d);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMalloc_too_large_is_memory_allocation)
{
	void *d = (void *)0x1234;

	ck_assert_int_eq(musaMalloc(&d, (size_t)1 << 60), musaErrorMemoryAllocation);
	ck_assert_ptr_eq(d, (void *)0x1234);
	ck_assert_int_eq(musaGetLastError(), musaErrorMemoryAllocation);
}
END_TEST

START_TEST(test_musaMalloc_distinct_usable_buffers)
{
	void *a = dev_buf(BUF), *b = dev_buf(BUF);

	ck_assert_ptr_ne(a, b);
	fill_dev(a, 0x11, BUF);
	fill_dev(b, 0x22, BUF);
	expect_dev(a, 0x11, BUF);
	expect_dev(b, 0x22, BUF);
	ck_assert_int_eq(musaFree(a), musaSuccess);
	ck_assert_int_eq(musaFree(b), musaSuccess);
}
END_TEST

START_TEST(test_musaFree_null_is_noop)
{
	ck_assert_int_eq(musaFree(NULL), musaSuccess);
}
END_TEST

START_TEST(test_musaFree_host_pointer)
{
	int x;

	ck_assert_int_eq(musaFree(&x), musaErrorInvalidValue);
	ck_assert_int_eq(musaFree((void *)16), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaFree_twice)
{
	void *d = dev_buf(BUF);

	ck_assert_int_eq(musaFree(d), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaFree_interior_pointer)
{
	char *d = dev_buf(BUF);

	ck_assert_int_eq(musaFree(d + 8), musaErrorInvalidValue);
	/* The allocation is still alive and whole. */
	fill_dev(d, 0x5, BUF);
	expect_dev(d, 0x5, BUF);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

/* memcpy */

START_TEST(test_musaMemcpy_roundtrip_h2d_d2d_d2h)
{
	unsigned char src[BUF], dst[BUF];
	void *a = dev_buf(BUF), *b = dev_buf(BUF);

	for (int i = 0; i < BUF; i++)
		src[i] = (unsigned char)(i * 7 + 3);
	memset(dst, 0, sizeof(dst));
	ck_assert_int_eq(musaMemcpy(a, src, BUF, musaMemcpyHostToDevice), musaSuccess);
	ck_assert_int_eq(musaMemcpy(b, a, BUF, musaMemcpyDeviceToDevice), musaSuccess);
	ck_assert_int_eq(musaMemcpy(dst, b, BUF, musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_mem_eq(src, dst, BUF);
	ck_assert_int_eq(musaFree(a), musaSuccess);
	ck_assert_int_eq(musaFree(b), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_host_to_host)
{
	char src[64] = "host to host", dst[64] = { 0 };

	ck_assert_int_eq(musaMemcpy(dst, src, sizeof(src), musaMemcpyHostToHost), musaSuccess);
	ck_assert_str_eq(dst, "host to host");
}
END_TEST

START_TEST(test_musaMemcpy_default_infers_direction)
{
	unsigned char src[256], mid[256], dst[256];
	void *a = dev_buf(256), *b = dev_buf(256);

	for (int i = 0; i < 256; i++)
		src[i] = (unsigned char)(255 - i);
	ck_assert_int_eq(musaMemcpy(a, src, 256, musaMemcpyDefault), musaSuccess);
	ck_assert_int_eq(musaMemcpy(b, a, 256, musaMemcpyDefault), musaSuccess);
	ck_assert_int_eq(musaMemcpy(dst, b, 256, musaMemcpyDefault), musaSuccess);
	ck_assert_int_eq(musaMemcpy(mid, dst, 256, musaMemcpyDefault), musaSuccess);
	ck_assert_mem_eq(src, mid, 256);
	ck_assert_int_eq(musaFree(a), musaSuccess);
	ck_assert_int_eq(musaFree(b), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_bad_kind)
{
	char h[16] = { 0 };
	void *d = dev_buf(16);

	ck_assert_int_eq(musaMemcpy(d, h, 16, (enum musaMemcpyKind)5),
	                 musaErrorInvalidMemcpyDirection);
	ck_assert_int_eq(musaMemcpy(d, h, 16, (enum musaMemcpyKind)-1),
	                 musaErrorInvalidMemcpyDirection);
	ck_assert_int_eq(musaMemcpyAsync(d, h, 16, (enum musaMemcpyKind)7, NULL),
	                 musaErrorInvalidMemcpyDirection);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidMemcpyDirection);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_h2d_with_host_dst)
{
	char h[16] = "abc", h2[16] = { 0 };

	ck_assert_int_eq(musaMemcpy(h2, h, 16, musaMemcpyHostToDevice), musaErrorInvalidValue);
	ck_assert_int_eq(h2[0], 0);
}
END_TEST

START_TEST(test_musaMemcpy_h2d_with_device_src)
{
	void *a = dev_buf(64), *b = dev_buf(64);

	fill_dev(a, 1, 64);
	fill_dev(b, 2, 64);
	ck_assert_int_eq(musaMemcpy(a, b, 64, musaMemcpyHostToDevice), musaErrorInvalidValue);
	expect_dev(a, 1, 64);
	ck_assert_int_eq(musaFree(a), musaSuccess);
	ck_assert_int_eq(musaFree(b), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_d2h_with_device_dst)
{
	void *a = dev_buf(64), *b = dev_buf(64);

	fill_dev(a, 1, 64);
	fill_dev(b, 2, 64);
	ck_assert_int_eq(musaMemcpy(a, b, 64, musaMemcpyDeviceToHost), musaErrorInvalidValue);
	expect_dev(a, 1, 64);
	ck_assert_int_eq(musaFree(a), musaSuccess);
	ck_assert_int_eq(musaFree(b), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_d2d_with_host_side)
{
	char h[64];
	void *d = dev_buf(64);

	memset(h, 9, sizeof(h));
	fill_dev(d, 1, 64);
	ck_assert_int_eq(musaMemcpy(d, h, 64, musaMemcpyDeviceToDevice), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy(h, d, 64, musaMemcpyDeviceToDevice), musaErrorInvalidValue);
	expect_dev(d, 1, 64);
	ck_assert_int_eq(h[0], 9);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_h2h_with_device_side)
{
	char h[64] = { 0 };
	void *d = dev_buf(64);

	ck_assert_int_eq(musaMemcpy(h, d, 64, musaMemcpyHostToHost), musaErrorInvalidValue);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_out_of_range)
{
	char h[2 * BUF];
	char *d = dev_buf(BUF);

	memset(h, 0x77, sizeof(h));
	fill_dev(d, 0, BUF);
	ck_assert_int_eq(musaMemcpy(d, h, BUF + 1, musaMemcpyHostToDevice), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy(d + BUF / 2, h, BUF / 2 + 1, musaMemcpyHostToDevice),
	                 musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy(h, d + 1, BUF, musaMemcpyDeviceToHost), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy(d + 8, d, SIZE_MAX - 4, musaMemcpyDeviceToDevice),
	                 musaErrorInvalidValue);
	expect_dev(d, 0, BUF);
	/* Exactly up to the end is fine. */
	ck_assert_int_eq(musaMemcpy(d + BUF / 2, h, BUF / 2, musaMemcpyHostToDevice), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_bad_host_pointer)
{
	char h[64] = { 0 };
	void *d = dev_buf(64);

	fill_dev(d, 3, 64);
	ck_assert_int_eq(musaMemcpy(d, (void *)16, 64, musaMemcpyHostToDevice), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy((void *)16, d, 64, musaMemcpyDeviceToHost), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy(h, (void *)16, 64, musaMemcpyHostToHost), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy((void *)16, h, 64, musaMemcpyHostToHost), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpy(d, (void *)16, 64, musaMemcpyDefault), musaErrorInvalidValue);
	expect_dev(d, 3, 64);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_read_only_host_dst)
{
	static const char ro[4096] __attribute__((aligned(4096))) = { 1 };
	void *d = dev_buf(64);

	fill_dev(d, 4, 64);
	ck_assert_int_eq(musaMemcpy((void *)ro, d, 64, musaMemcpyDeviceToHost), musaErrorInvalidValue);
	ck_assert_int_eq(ro[0], 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpy_freed_device_pointer)
{
	char h[64] = { 0 };
	void *d = dev_buf(64);

	ck_assert_int_eq(musaFree(d), musaSuccess);
	ck_assert_int_eq(musaMemcpy(h, d, 64, musaMemcpyDeviceToHost), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaMemcpy_zero_count)
{
	ck_assert_int_eq(musaMemcpy(NULL, NULL, 0, musaMemcpyHostToDevice), musaSuccess);
	ck_assert_int_eq(musaMemcpy(NULL, NULL, 0, musaMemcpyDefault), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(NULL, NULL, 0, musaMemcpyDeviceToHost, NULL), musaSuccess);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
}
END_TEST

START_TEST(test_musaMemcpyAsync_on_stream)
{
	enum { N = 1 << 16 };
	unsigned char *src = malloc(N), *dst = calloc(1, N);
	void *d = dev_buf(N);
	musaStream_t s;

	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(dst);
	for (int i = 0; i < N; i++)
		src[i] = (unsigned char)(i ^ (i >> 8));
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(d, src, N, musaMemcpyHostToDevice, s), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(dst, d, N, musaMemcpyDeviceToHost, s), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
	ck_assert_mem_eq(src, dst, N);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaSuccess);
	free(src);
	free(dst);
}
END_TEST

START_TEST(test_musaMemcpyAsync_bad_stream)
{
	char h[64] = { 0 };
	void *d = dev_buf(64);
	musaStream_t s;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(d, h, 64, musaMemcpyHostToDevice, s),
	                 musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaMemcpyAsync(d, h, 64, musaMemcpyHostToDevice, (musaStream_t)h),
	                 musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaMemcpyAsync(d, h, 64, musaMemcpyHostToDevice, musaStreamLegacy),
	                 musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(musaStreamLegacy), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

/* memset */

START_TEST(test_musaMemset_fills_bytes)
{
	char *d = dev_buf(BUF);

	fill_dev(d, 0, BUF);
	ck_assert_int_eq(musaMemset(d + 100, 0xab, 200), musaSuccess);
	{
		unsigned char h[BUF];
		ck_assert_int_eq(musaMemcpy(h, d, BUF, musaMemcpyDeviceToHost), musaSuccess);
		for (int i = 0; i < BUF; i++)
			ck_assert_uint_eq(h[i], (i >= 100 && i < 300) ? 0xab : 0);
	}
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemset_value_truncated_to_byte)
{
	void *d = dev_buf(64);

	ck_assert_int_eq(musaMemset(d, 0x1234, 64), musaSuccess);
	expect_dev(d, 0x34, 64);
	ck_assert_int_eq(musaMemset(d, -1, 64), musaSuccess);
	expect_dev(d, 0xff, 64);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemset_host_pointer)
{
	char h[64] = { 0 };

	ck_assert_int_eq(musaMemset(h, 1, sizeof(h)), musaErrorInvalidValue);
	ck_assert_int_eq(h[0], 0);
	ck_assert_int_eq(musaMemset((void *)16, 1, 64), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemset(NULL, 1, 64), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaMemset_out_of_range)
{
	char *d = dev_buf(BUF);

	fill_dev(d, 0, BUF);
	ck_assert_int_eq(musaMemset(d, 1, BUF + 1), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemset(d + BUF - 4, 1, 5), musaErrorInvalidValue);
	expect_dev(d, 0, BUF);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

START_TEST(test_musaMemset_zero_count)
{
	ck_assert_int_eq(musaMemset(NULL, 0, 0), musaSuccess);
	ck_assert_int_eq(musaMemsetAsync(NULL, 0, 0, NULL), musaSuccess);
}
END_TEST

START_TEST(test_musaMemsetAsync_on_stream)
{
	void *d = dev_buf(BUF);
	musaStream_t s;

	ck_assert_int_eq(musaStreamCreateWithFlags(&s, musaStreamNonBlocking), musaSuccess);
	ck_assert_int_eq(musaMemsetAsync(d, 0x42, BUF, s), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
	expect_dev(d, 0x42, BUF);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaMemsetAsync(d, 0x42, BUF, s), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

static Suite *malloc_suite(void)
{
	Suite *s = suite_create("runtime_malloc");
	TCase *tc = tcase_create("malloc");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_musaMalloc_null_ptr);
	tcase_add_test(tc, test_musaMalloc_zero_size_gives_null);
	tcase_add_test(tc, test_musaMalloc_too_large_is_memory_allocation);
	tcase_add_test(tc, test_musaMalloc_distinct_usable_buffers);
	tcase_add_test(tc, test_musaFree_null_is_noop);
	tcase_add_test(tc, test_musaFree_host_pointer);
	tcase_add_test(tc, test_musaFree_twice);
	tcase_add_test(tc, test_musaFree_interior_pointer);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *memcpy_suite(void)
{
	Suite *s = suite_create("runtime_memcpy");
	TCase *tc = tcase_create("memcpy");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_musaMemcpy_roundtrip_h2d_d2d_d2h);
	tcase_add_test(tc, test_musaMemcpy_host_to_host);
	tcase_add_test(tc, test_musaMemcpy_default_infers_direction);
	tcase_add_test(tc, test_musaMemcpy_bad_kind);
	tcase_add_test(tc, test_musaMemcpy_h2d_with_host_dst);
	tcase_add_test(tc, test_musaMemcpy_h2d_with_device_src);
	tcase_add_test(tc, test_musaMemcpy_d2h_with_device_dst);
	tcase_add_test(tc, test_musaMemcpy_d2d_with_host_side);
	tcase_add_test(tc, test_musaMemcpy_h2h_with_device_side);
	tcase_add_test(tc, test_musaMemcpy_out_of_range);
	tcase_add_test(tc, test_musaMemcpy_bad_host_pointer);
	tcase_add_test(tc, test_musaMemcpy_read_only_host_dst);
	tcase_add_test(tc, test_musaMemcpy_freed_device_pointer);
	tcase_add_test(tc, test_musaMemcpy_zero_count);
	tcase_add_test(tc, test_musaMemcpyAsync_on_stream);
	tcase_add_test(tc, test_musaMemcpyAsync_bad_stream);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *memset_suite(void)
{
	Suite *s = suite_create("runtime_memset");
	TCase *tc = tcase_create("memset");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_musaMemset_fills_bytes);
	tcase_add_test(tc, test_musaMemset_value_truncated_to_byte);
	tcase_add_test(tc, test_musaMemset_host_pointer);
	tcase_add_test(tc, test_musaMemset_out_of_range);
	tcase_add_test(tc, test_musaMemset_zero_count);
	tcase_add_test(tc, test_musaMemsetAsync_on_stream);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *suites[] = { malloc_suite(), memcpy_suite(), memset_suite() };

	return rt_run_suites(suites, 3);
}
