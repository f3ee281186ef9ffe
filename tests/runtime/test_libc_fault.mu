/* SPDX-License-Identifier: MIT */
/*
 * test_libc_fault.mu - a kernel fault that happens inside a library the
 * kernel calls (libc's memset, memcpy, vsnprintf) is contained like any
 * other: the launch ends with musaErrorIllegalAddress, the process lives,
 * and musaDeviceReset recovers. The bad pointers lie outside the device
 * memory window and the kernels have no barrier (they run on the
 * compute-unit thread's own stack), so neither of those can be what marks
 * the fault as the kernel's. One wrong thing per test.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <musa_runtime.h>

#define BAD_ADDR ((uintptr_t)0x40)

/* gcc turns this loop into a call to memset at -O2. */
__global__ void zero_loop(int *p, int n)
{
	if (threadIdx.x == 0)
		for (int i = 0; i < n; i++)
			p[i] = 0;
}

/* Each block its own bad range: two groups fault at once, and neither
 * writes what the other does. */
__global__ void zero_memset(void *p, size_t n)
{
	if (threadIdx.x == 0)
		memset((char *)p + blockIdx.x * n, 0, n);
}

__global__ void copy_memcpy(void *dst, const void *src, size_t n)
{
	if (threadIdx.x == 0)
		memcpy(dst, src, n);
}

__global__ void print_string(const char *s)
{
	if (threadIdx.x == 0)
		printf("%s\n", s);
}

__global__ void store(int *out)
{
	out[threadIdx.x] = 42 + (int)threadIdx.x;
}

/* After the fault: the error is sticky, a reset clears it and new work runs. */
static void expect_contained(void)
{
	int *d = NULL, v[2] = { 0, 0 };

	ck_assert_int_eq(musaDeviceSynchronize(), musaErrorIllegalAddress);
	ck_assert_int_eq(musaGetLastError(), musaErrorIllegalAddress);
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaMalloc((void **)&d, sizeof(v)), musaSuccess);
	store<<<1, 2>>>(d);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(musaMemcpy(v, d, sizeof(v), musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_int_eq(v[0], 42);
	ck_assert_int_eq(v[1], 43);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}

START_TEST(test_store_loop_through_memset_on_bad_pointer)
{
	zero_loop<<<1, 32>>>((int *)BAD_ADDR, 4096);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	expect_contained();
}
END_TEST

START_TEST(test_memset_on_bad_pointer)
{
	zero_memset<<<2, 32>>>((void *)BAD_ADDR, 1 << 16);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	expect_contained();
}
END_TEST

START_TEST(test_memcpy_from_bad_pointer)
{
	void *d = NULL;

	ck_assert_int_eq(musaMalloc(&d, 4096), musaSuccess);
	copy_memcpy<<<1, 1>>>(d, (const void *)BAD_ADDR, 4096);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	expect_contained();
}
END_TEST

START_TEST(test_printf_of_bad_string)
{
	print_string<<<1, 1>>>((const char *)BAD_ADDR);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	expect_contained();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_libc_fault");
	TCase *tc = tcase_create("libc");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_store_loop_through_memset_on_bad_pointer);
	tcase_add_test(tc, test_memset_on_bad_pointer);
	tcase_add_test(tc, test_memcpy_from_bad_pointer);
	tcase_add_test(tc, test_printf_of_bad_string);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
