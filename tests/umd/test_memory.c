/* SPDX-License-Identifier: MIT */
/*
 * test_memory.c - muMemAlloc/muMemFree, the allocation table and its
 * queries (muMemGetAddressRange, muPointerGetAttribute, muMemGetInfo), and
 * the release of pinned host memory (muMemFreeHost, muMemHostUnregister).
 */
#include <stdint.h>
#include <stdlib.h>

#include "umd_test.h"

START_TEST(test_muMemAlloc_rejects_zero_size_and_null)
{
	MUdeviceptr p;

	ck_assert_int_eq(muMemAlloc(&p, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemAlloc(NULL, 64), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_muMemAlloc_larger_than_device_is_out_of_memory)
{
	MUdeviceptr p;
	size_t total;

	MU_OK(muDeviceTotalMem(&total, 0));
	ck_assert_int_eq(muMemAlloc(&p, total + 4096), MUSA_ERROR_OUT_OF_MEMORY);
	ck_assert_int_eq(muMemAlloc(&p, SIZE_MAX), MUSA_ERROR_OUT_OF_MEMORY);
}
END_TEST

START_TEST(test_small_allocations_are_distinct_and_aligned)
{
	MUdeviceptr p[64];

	for (int i = 0; i < 64; i++) {
		MU_OK(muMemAlloc(&p[i], (size_t)(1 + i * 37)));
		ck_assert_uint_eq(p[i] % 256, 0);
		for (int j = 0; j < i; j++) {
			MUdeviceptr lo = p[j] < p[i] ? p[j] : p[i];
			MUdeviceptr hi = p[j] < p[i] ? p[i] : p[j];
			size_t lo_size = (size_t)(1 + (lo == p[j] ? j : i) * 37);

			ck_assert_uint_ge(hi, lo + lo_size);
		}
	}
	for (int i = 0; i < 64; i++)
		MU_OK(muMemFree(p[i]));
}
END_TEST

START_TEST(test_freed_small_space_is_reused)
{
	MUdeviceptr a, b;

	MU_OK(muMemAlloc(&a, 1000));
	MU_OK(muMemFree(a));
	MU_OK(muMemAlloc(&b, 1000));
	ck_assert_uint_eq(a, b);
	MU_OK(muMemFree(b));
}
END_TEST

START_TEST(test_large_allocation_works)
{
	MUdeviceptr p, base;
	size_t size;

	MU_OK(muMemAlloc(&p, 3 << 20));
	MU_OK(muMemGetAddressRange(&base, &size, p + (2 << 20)));
	ck_assert_uint_eq(base, p);
	ck_assert_uint_eq(size, 3 << 20);
	MU_OK(muMemsetD32(p, 0xdeadbeef, (3 << 20) / 4));
	MU_OK(muMemFree(p));
}
END_TEST

START_TEST(test_muMemFree_rejects_unknown_and_interior_pointers)
{
	MUdeviceptr p;

	MU_OK(muMemAlloc(&p, 4096));
	ck_assert_int_eq(muMemFree(p + 16), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemFree(0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemFree((MUdeviceptr)(uintptr_t)&p), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muMemFree(p));
	ck_assert_int_eq(muMemFree(p), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_muMemGetAddressRange_finds_base_and_size)
{
	MUdeviceptr p, base = 0;
	size_t size = 0;

	MU_OK(muMemAlloc(&p, 1000));
	MU_OK(muMemGetAddressRange(&base, &size, p + 999));
	ck_assert_uint_eq(base, p);
	ck_assert_uint_eq(size, 1000);
	MU_OK(muMemGetAddressRange(NULL, &size, p));
	MU_OK(muMemGetAddressRange(&base, NULL, p));
	ck_assert_int_eq(muMemGetAddressRange(&base, &size, p + 1000), MUSA_ERROR_NOT_FOUND);
	ck_assert_int_eq(muMemGetAddressRange(&base, &size, (MUdeviceptr)(uintptr_t)&p),
			 MUSA_ERROR_NOT_FOUND);
	MU_OK(muMemFree(p));
	ck_assert_int_eq(muMemGetAddressRange(&base, &size, p), MUSA_ERROR_NOT_FOUND);
}
END_TEST

START_TEST(test_muPointerGetAttribute_describes_device_memory)
{
	MUdeviceptr p, v;
	unsigned int type = 0;
	MUcontext c;
	size_t size;
	int ord = -1;

	MU_OK(muMemAlloc(&p, 512));
	MU_OK(muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE, p + 8));
	ck_assert_uint_eq(type, MU_MEMORYTYPE_DEVICE);
	MU_OK(muPointerGetAttribute(&c, MU_POINTER_ATTRIBUTE_CONTEXT, p));
	ck_assert_ptr_eq(c, ut_ctx);
	MU_OK(muPointerGetAttribute(&v, MU_POINTER_ATTRIBUTE_DEVICE_POINTER, p + 8));
	ck_assert_uint_eq(v, p + 8);
	MU_OK(muPointerGetAttribute(&v, MU_POINTER_ATTRIBUTE_RANGE_START_ADDR, p + 100));
	ck_assert_uint_eq(v, p);
	MU_OK(muPointerGetAttribute(&size, MU_POINTER_ATTRIBUTE_RANGE_SIZE, p + 100));
	ck_assert_uint_eq(size, 512);
	MU_OK(muPointerGetAttribute(&ord, MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL, p));
	ck_assert_int_eq(ord, 0);
	MU_OK(muMemFree(p));
}
END_TEST

START_TEST(test_muPointerGetAttribute_rejects_host_pointer_and_bad_args)
{
	MUdeviceptr p;
	unsigned int type;
	void *host;
	int x;

	MU_OK(muMemAlloc(&p, 512));
	ck_assert_int_eq(muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE,
					       (MUdeviceptr)(uintptr_t)&x), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muPointerGetAttribute(NULL, MU_POINTER_ATTRIBUTE_MEMORY_TYPE, p),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muPointerGetAttribute(&host, MU_POINTER_ATTRIBUTE_HOST_POINTER, p),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muPointerGetAttribute(&type, (MUpointer_attribute)77, p),
			 MUSA_ERROR_INVALID_VALUE);
	MU_OK(muMemFree(p));
}
END_TEST

START_TEST(test_muMemGetInfo_accounts_allocations)
{
	size_t free0, free1, total;
	MUdeviceptr p;

	MU_OK(muMemGetInfo(&free0, &total));
	ck_assert_uint_gt(total, 0);
	ck_assert_uint_le(free0, total);
	MU_OK(muMemAlloc(&p, 16 << 20));
	MU_OK(muMemGetInfo(&free1, &total));
	ck_assert_uint_le(free1 + (16 << 20), free0);
	MU_OK(muMemFree(p));
	ck_assert_int_eq(muMemGetInfo(NULL, &total), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemGetInfo(&free0, NULL), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_muMemGetInfo_total_is_the_device_total)
{
	size_t free_bytes, total, device_total;

	MU_OK(muMemGetInfo(&free_bytes, &total));
	MU_OK(muDeviceTotalMem(&device_total, 0));
	ck_assert_uint_eq(total, device_total);
}
END_TEST

/* Pinned memory of muMemHostAlloc is freed, never unregistered; registered
 * memory is unregistered, never freed. A refused call keeps the memory as it
 * was. */
START_TEST(test_host_free_and_unregister_refuse_the_other_kind)
{
	char *reg = aligned_alloc(4096, 8192);
	unsigned int flags;
	void *h;

	ck_assert_ptr_nonnull(reg);
	MU_OK(muMemHostAlloc(&h, 4096, 0));
	MU_OK(muMemHostRegister(reg, 8192, 0));
	ck_assert_int_eq(muMemHostUnregister(h), MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED);
	ck_assert_int_eq(muMemFreeHost(reg), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemFreeHost(NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muMemHostUnregister(NULL), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muMemHostGetFlags(&flags, h));
	MU_OK(muMemHostGetFlags(&flags, reg));
	MU_OK(muMemHostUnregister(reg));
	MU_OK(muMemFreeHost(h));
	ck_assert_int_eq(muMemHostUnregister(reg), MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED);
	ck_assert_int_eq(muMemFreeHost(h), MUSA_ERROR_INVALID_VALUE);
	free(reg);
}
END_TEST

START_TEST(test_context_destroy_releases_allocations)
{
	MUdeviceptr p;
	unsigned int type;

	MU_OK(muMemAlloc(&p, 128));
	MU_OK(muCtxDestroy(ut_ctx));
	ut_ctx = NULL;
	ck_assert_int_eq(muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE, p),
			 MUSA_ERROR_INVALID_VALUE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_memory");
	TCase *tc = tcase_create("alloc");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_muMemAlloc_rejects_zero_size_and_null);
	tcase_add_test(tc, test_muMemAlloc_larger_than_device_is_out_of_memory);
	tcase_add_test(tc, test_small_allocations_are_distinct_and_aligned);
	tcase_add_test(tc, test_freed_small_space_is_reused);
	tcase_add_test(tc, test_large_allocation_works);
	tcase_add_test(tc, test_muMemFree_rejects_unknown_and_interior_pointers);
	tcase_add_test(tc, test_muMemGetAddressRange_finds_base_and_size);
	tcase_add_test(tc, test_muPointerGetAttribute_describes_device_memory);
	tcase_add_test(tc, test_muPointerGetAttribute_rejects_host_pointer_and_bad_args);
	tcase_add_test(tc, test_muMemGetInfo_accounts_allocations);
	tcase_add_test(tc, test_muMemGetInfo_total_is_the_device_total);
	tcase_add_test(tc, test_host_free_and_unregister_refuse_the_other_kind);
	tcase_add_test(tc, test_context_destroy_releases_allocations);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
