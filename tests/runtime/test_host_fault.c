/* SPDX-License-Identifier: MIT */
/*
 * test_host_fault.c - the copy engine meeting registered host memory that
 * the process unmapped or made read-only after musaHostRegister: the copy
 * or fill ends as a fault of the context (musaErrorIllegalAddress, sticky,
 * cleared by musaDeviceReset), never as a crash of the process, whether
 * the copy engine moves it whole or split over the compute units. One
 * wrong thing per test.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt_test.h"

#define NPAGES 4

static size_t page_bytes(void)
{
	return (size_t)sysconf(_SC_PAGESIZE) * NPAGES;
}

/* Registered host pages plus a device buffer of the same size. */
static void *registered(size_t n, void **dev)
{
	void *h = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(h, MAP_FAILED);
	memset(h, 0x5a, n);
	ck_assert_int_eq(musaHostRegister(h, n, musaHostRegisterDefault), musaSuccess);
	ck_assert_int_eq(musaMalloc(dev, n), musaSuccess);
	ck_assert_int_eq(musaMemset(*dev, 0x11, n), musaSuccess);
	return h;
}

/*
 * The pages go away: an inaccessible mapping replaces them in one step, so
 * no other thread (the device's workers, a sanitizer's allocator) can be
 * handed the same addresses between an munmap and the copy.
 */
static void take_away(void *h, size_t n)
{
	ck_assert_ptr_eq(mmap(h, n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), h);
}

/* The sticky fault, then a reset and a copy that works. */
static void expect_contained(musaError_t got)
{
	unsigned char v[8] = { 0 }, *d = NULL;

	ck_assert_int_eq(got, musaErrorIllegalAddress);
	ck_assert_int_eq(musaDeviceSynchronize(), musaErrorIllegalAddress);
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaMalloc((void **)&d, sizeof(v)), musaSuccess);
	ck_assert_int_eq(musaMemset(d, 7, sizeof(v)), musaSuccess);
	ck_assert_int_eq(musaMemcpy(v, d, sizeof(v), musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_uint_eq(v[0], 7);
	ck_assert_uint_eq(v[7], 7);
}

START_TEST(test_copy_into_unmapped_registered_memory)
{
	size_t n = page_bytes();
	void *d = NULL, *h = registered(n, &d);

	take_away(h, n);
	expect_contained(musaMemcpy(h, d, n, musaMemcpyDeviceToHost));
}
END_TEST

START_TEST(test_copy_into_read_only_registered_memory)
{
	size_t n = page_bytes();
	void *d = NULL, *h = registered(n, &d);

	ck_assert_int_eq(mprotect(h, n, PROT_READ), 0);
	expect_contained(musaMemcpy(h, d, n, musaMemcpyDeviceToHost));
	/* Nothing was written. */
	ck_assert_uint_eq(((unsigned char *)h)[0], 0x5a);
	ck_assert_uint_eq(((unsigned char *)h)[n - 1], 0x5a);
}
END_TEST

START_TEST(test_copy_from_unmapped_registered_memory)
{
	size_t n = page_bytes();
	void *d = NULL, *h = registered(n, &d);

	take_away(h, n);
	expect_contained(musaMemcpy(d, h, n, musaMemcpyHostToDevice));
}
END_TEST

START_TEST(test_async_copy_into_unmapped_registered_memory)
{
	size_t n = page_bytes();
	void *d = NULL, *h = registered(n, &d);
	musaStream_t s = NULL;

	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	take_away(h, n);
	ck_assert_int_eq(musaMemcpyAsync(h, d, n, musaMemcpyDeviceToHost, s), musaSuccess);
	expect_contained(musaStreamSynchronize(s));
}
END_TEST

START_TEST(test_fill_into_read_only_registered_memory)
{
	size_t n = page_bytes();
	void *d = NULL, *h = registered(n, &d), *hd = NULL;

	ck_assert_int_eq(musaHostGetDevicePointer(&hd, h, 0), musaSuccess);
	ck_assert_int_eq(mprotect(h, n, PROT_READ), 0);
	expect_contained(musaMemset(hd, 0, n));
	ck_assert_uint_eq(((unsigned char *)h)[0], 0x5a);
}
END_TEST

/* Large enough to be split over the compute units; one page of it (in
 * the last part) goes away. */
#define SPLIT_BYTES (8u << 20)

START_TEST(test_split_copy_into_partly_unmapped_registered_memory)
{
	void *d = NULL, *h = registered(SPLIT_BYTES, &d);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	take_away((char *)h + SPLIT_BYTES - 2 * page, page);
	expect_contained(musaMemcpy(h, d, SPLIT_BYTES, musaMemcpyDeviceToHost));
}
END_TEST

START_TEST(test_split_fill_into_partly_read_only_registered_memory)
{
	void *d = NULL, *h = registered(SPLIT_BYTES, &d), *hd = NULL;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	ck_assert_int_eq(musaHostGetDevicePointer(&hd, h, 0), musaSuccess);
	ck_assert_int_eq(mprotect(h, page, PROT_READ), 0);
	expect_contained(musaMemset(hd, 0, SPLIT_BYTES));
	ck_assert_uint_eq(((unsigned char *)h)[0], 0x5a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_host_fault");
	TCase *tc = tcase_create("registered");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_copy_into_unmapped_registered_memory);
	tcase_add_test(tc, test_copy_into_read_only_registered_memory);
	tcase_add_test(tc, test_copy_from_unmapped_registered_memory);
	tcase_add_test(tc, test_async_copy_into_unmapped_registered_memory);
	tcase_add_test(tc, test_fill_into_read_only_registered_memory);
	tcase_add_test(tc, test_split_copy_into_partly_unmapped_registered_memory);
	tcase_add_test(tc, test_split_fill_into_partly_read_only_registered_memory);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
