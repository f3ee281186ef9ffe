/* SPDX-License-Identifier: MIT */
/*
 * test_memcpy.c - muMemcpy* (sync, async, unified) and muMemsetD8/16/32.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "umd_test.h"

#define N 10000

START_TEST(test_htod_dtoh_round_trip)
{
	static unsigned char src[N], dst[N];
	MUdeviceptr d;

	for (int i = 0; i < N; i++)
		src[i] = (unsigned char)(i * 7 + 3);
	MU_OK(muMemAlloc(&d, N));
	MU_OK(muMemcpyHtoD(d, src, N));
	MU_OK(muMemcpyDtoH(dst, d, N));
	ck_assert_int_eq(memcmp(src, dst, N), 0);
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(test_unaligned_host_and_device_offsets)
{
	static unsigned char src[N], dst[N];
	MUdeviceptr d;

	for (int i = 0; i < N; i++)
		src[i] = (unsigned char)(i ^ 0x5a);
	memset(dst, 0, sizeof(dst));
	MU_OK(muMemAlloc(&d, N));
	MU_OK(muMemcpyHtoD(d + 3, src + 5, 4000));
	MU_OK(muMemcpyDtoH(dst + 1, d + 3, 4000));
	ck_assert_int_eq(memcmp(src + 5, dst + 1, 4000), 0);
	ck_assert_int_eq(dst[0], 0);
	ck_assert_int_eq(dst[4001], 0);
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(test_dtod_and_unified_memcpy)
{
	int src[256], dst[256];
	MUdeviceptr a, b;

	for (int i = 0; i < 256; i++)
		src[i] = i * i;
	MU_OK(muMemAlloc(&a, sizeof(src)));
	MU_OK(muMemAlloc(&b, 2 << 20));
	MU_OK(muMemcpy(a, (MUdeviceptr)(uintptr_t)src, sizeof(src)));
	MU_OK(muMemcpyDtoD(b + 4096, a, sizeof(src)));
	MU_OK(muMemcpy((MUdeviceptr)(uintptr_t)dst, b + 4096, sizeof(dst)));
	ck_assert_int_eq(memcmp(src, dst, sizeof(src)), 0);
	MU_OK(muMemFree(a));
	MU_OK(muMemFree(b));
}
END_TEST

START_TEST(test_async_copies_on_a_stream)
{
	int src[1024], dst[1024];
	MUdeviceptr a, b;
	MUstream s;

	for (int i = 0; i < 1024; i++)
		src[i] = -i;
	memset(dst, 0, sizeof(dst));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	MU_OK(muMemAlloc(&a, sizeof(src)));
	MU_OK(muMemAlloc(&b, sizeof(src)));
	MU_OK(muMemcpyHtoDAsync(a, src, sizeof(src), s));
	MU_OK(muMemcpyDtoDAsync(b, a, sizeof(src), s));
	MU_OK(muMemsetD32Async(a, 0, 1024, s));
	MU_OK(muMemcpyAsync((MUdeviceptr)(uintptr_t)dst, b, sizeof(dst), s));
	MU_OK(muStreamSynchronize(s));
	ck_assert_int_eq(memcmp(src, dst, sizeof(src)), 0);
	MU_OK(muMemcpyDtoHAsync(dst, a, sizeof(dst), s));
	MU_OK(muStreamSynchronize(s));
	ck_assert_int_eq(dst[0], 0);
	ck_assert_int_eq(dst[1023], 0);
	MU_OK(muStreamDestroy(s));
	MU_OK(muMemFree(a));
	MU_OK(muMemFree(b));
}
END_TEST

START_TEST(test_zero_byte_copy_succeeds)
{
	MUdeviceptr d;
	int x = 0;

	MU_OK(muMemAlloc(&d, 16));
	MU_OK(muMemcpyHtoD(d, &x, 0));
	MU_OK(muMemcpyDtoH(&x, d, 0));
	MU_OK(muMemsetD8(d, 1, 0));
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(test_copy_outside_allocation_is_invalid_value)
{
	static char buf[8192];
	MUdeviceptr d;

	MU_OK(muMemAlloc(&d, 1000));
	ck_assert_int_eq(muMemcpyHtoD(d, buf, 1001), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyHtoD(d + 500, buf, 501), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyDtoH(buf, d + 1, 1000), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyDtoD(d, d + 600, 500), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyDtoD(d, (MUdeviceptr)(uintptr_t)buf, 10), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyHtoD((MUdeviceptr)(uintptr_t)buf, buf + 100, 10),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyHtoD(0, buf, 10), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(test_bad_host_pointer_is_invalid_value)
{
	long page = sysconf(_SC_PAGESIZE);
	char *ro, *gone;
	MUdeviceptr d;

	MU_OK(muMemAlloc(&d, (size_t)page));
	ck_assert_int_eq(muMemcpyHtoD(d, (void *)16, 64), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyDtoH((void *)16, d, 64), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyHtoD(d, NULL, 64), MUSA_ERROR_INVALID_VALUE);
	/* A page with no access stands for memory the process does not have:
	 * an unmapped page could be handed out again by another thread (the
	 * device's workers, a sanitizer's allocator) before the copy runs. */
	gone = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(gone, MAP_FAILED);
	ck_assert_int_eq(muMemcpyHtoD(d, gone, 64), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemcpyDtoH(gone, d, 64), MUSA_ERROR_INVALID_VALUE);
	munmap(gone, (size_t)page);
	/* A read-only page is a fine source and an invalid destination. */
	ro = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(ro, MAP_FAILED);
	MU_OK(muMemcpyHtoD(d, ro, 64));
	ck_assert_int_eq(muMemcpyDtoH(ro, d, 64), MUSA_ERROR_INVALID_VALUE);
	munmap(ro, (size_t)page);
	/* The context is unharmed. */
	MU_OK(muCtxSynchronize());
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(test_memset_d8_d16_d32_values)
{
	unsigned char b[64];
	unsigned short h[64];
	unsigned int w[64];
	MUdeviceptr d;

	MU_OK(muMemAlloc(&d, 4096));
	MU_OK(muMemsetD32(d, 0, 1024));
	MU_OK(muMemsetD8(d + 1, 0xab, 62));
	MU_OK(muMemcpyDtoH(b, d, 64));
	ck_assert_uint_eq(b[0], 0);
	ck_assert_uint_eq(b[1], 0xab);
	ck_assert_uint_eq(b[62], 0xab);
	ck_assert_uint_eq(b[63], 0);
	MU_OK(muMemsetD16(d + 512, 0xbeef, 64));
	MU_OK(muMemcpyDtoH(h, d + 512, sizeof(h)));
	for (int i = 0; i < 64; i++)
		ck_assert_uint_eq(h[i], 0xbeef);
	MU_OK(muMemsetD32(d + 1024, 0x12345678u, 64));
	MU_OK(muMemcpyDtoH(w, d + 1024, sizeof(w)));
	for (int i = 0; i < 64; i++)
		ck_assert_uint_eq(w[i], 0x12345678u);
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(test_memset_rejects_misalignment_and_overrun)
{
	MUdeviceptr d;
	int x;

	MU_OK(muMemAlloc(&d, 1024));
	ck_assert_int_eq(muMemsetD16(d + 1, 0, 4), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemsetD32(d + 2, 0, 4), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemsetD8(d, 0, 1025), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemsetD32(d, 0, 257), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemsetD32(d, 0, SIZE_MAX / 2), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemsetD8((MUdeviceptr)(uintptr_t)&x, 0, 4), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muMemFree(d));
}
END_TEST

START_TEST(test_async_forms_reject_bad_stream)
{
	MUdeviceptr d;
	MUstream s;
	int x;

	MU_OK(muMemAlloc(&d, 64));
	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muStreamDestroy(s));
	ck_assert_int_eq(muMemcpyHtoDAsync(d, &x, 4, s), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muMemsetD8Async(d, 0, 4, s), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muMemcpyDtoDAsync(d, d, 4, (MUstream)&x), MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muMemsetD8Async(d, 0, 4, MU_STREAM_LEGACY));
	MU_OK(muMemFree(d));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_memcpy_memset");
	TCase *tc = tcase_create("memcpy");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_htod_dtoh_round_trip);
	tcase_add_test(tc, test_unaligned_host_and_device_offsets);
	tcase_add_test(tc, test_dtod_and_unified_memcpy);
	tcase_add_test(tc, test_async_copies_on_a_stream);
	tcase_add_test(tc, test_zero_byte_copy_succeeds);
	tcase_add_test(tc, test_copy_outside_allocation_is_invalid_value);
	tcase_add_test(tc, test_bad_host_pointer_is_invalid_value);
	tcase_add_test(tc, test_async_forms_reject_bad_stream);
	suite_add_tcase(s, tc);
	tc = tcase_create("memset");
	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_memset_d8_d16_d32_values);
	tcase_add_test(tc, test_memset_rejects_misalignment_and_overrun);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
