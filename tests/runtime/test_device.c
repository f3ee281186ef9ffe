/* SPDX-License-Identifier: MIT */
/*
 * test_device.c - device management through the runtime: counting and
 * selecting devices (per thread), properties and attributes (agreeing with
 * each other), synchronization and reset.
 */
#include <pthread.h>
#include <string.h>

#include "rt_test.h"

START_TEST(test_musaGetDeviceCount_null_count)
{
	ck_assert_int_eq(musaGetDeviceCount(NULL), musaErrorInvalidValue);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaGetDeviceCount_at_least_one)
{
	int n = -1;

	ck_assert_int_eq(musaGetDeviceCount(&n), musaSuccess);
	ck_assert_int_ge(n, 1);
}
END_TEST

START_TEST(test_musaSetDevice_out_of_range)
{
	int n = 0, d = -1;

	ck_assert_int_eq(musaGetDeviceCount(&n), musaSuccess);
	ck_assert_int_eq(musaSetDevice(-1), musaErrorInvalidDevice);
	ck_assert_int_eq(musaSetDevice(n), musaErrorInvalidDevice);
	/* A rejected ordinal leaves the current device alone. */
	ck_assert_int_eq(musaGetDevice(&d), musaSuccess);
	ck_assert_int_eq(d, 0);
}
END_TEST

START_TEST(test_musaGetDevice_null_device)
{
	ck_assert_int_eq(musaGetDevice(NULL), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaSetDevice_last_then_get)
{
	int n = 0, d = -1;

	ck_assert_int_eq(musaGetDeviceCount(&n), musaSuccess);
	ck_assert_int_eq(musaSetDevice(n - 1), musaSuccess);
	ck_assert_int_eq(musaGetDevice(&d), musaSuccess);
	ck_assert_int_eq(d, n - 1);
}
END_TEST

static void *get_device_thread(void *arg)
{
	int *d = arg;

	if (musaGetDevice(d) != musaSuccess)
		*d = -2;
	return NULL;
}

START_TEST(test_musaSetDevice_is_per_thread)
{
	pthread_t t;
	int n = 0, d = -1;

	ck_assert_int_eq(musaGetDeviceCount(&n), musaSuccess);
	ck_assert_int_eq(musaSetDevice(n - 1), musaSuccess);
	ck_assert_int_eq(pthread_create(&t, NULL, get_device_thread, &d), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(d, 0);
}
END_TEST

START_TEST(test_second_device_has_its_own_memory_and_streams)
{
	int n = 0;
	char h[256], back[256];
	void *d1 = NULL;
	musaStream_t s0;

	ck_assert_int_eq(musaGetDeviceCount(&n), musaSuccess);
	ck_assert_int_ge(n, 2);
	ck_assert_int_eq(musaStreamCreate(&s0), musaSuccess);
	ck_assert_int_eq(musaSetDevice(1), musaSuccess);
	ck_assert_int_eq(musaMalloc(&d1, sizeof(h)), musaSuccess);
	memset(h, 0x6d, sizeof(h));
	/* A stream of device 0 cannot order work of device 1. */
	ck_assert_int_eq(musaMemcpyAsync(d1, h, sizeof(h), musaMemcpyHostToDevice, s0),
	                 musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaMemcpy(d1, h, sizeof(h), musaMemcpyHostToDevice), musaSuccess);
	ck_assert_int_eq(musaMemcpy(back, d1, sizeof(h), musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_mem_eq(h, back, sizeof(h));
	/* Stream calls follow the stream's device, not the current one. */
	ck_assert_int_eq(musaStreamSynchronize(s0), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s0), musaSuccess);
	ck_assert_int_eq(musaFree(d1), musaSuccess);
}
END_TEST

START_TEST(test_musaGetDeviceProperties_null_prop)
{
	ck_assert_int_eq(musaGetDeviceProperties(NULL, 0), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaGetDeviceProperties_bad_device)
{
	struct musaDeviceProp p;

	memset(&p, 0x5a, sizeof(p));
	ck_assert_int_eq(musaGetDeviceProperties(&p, -1), musaErrorInvalidDevice);
	ck_assert_int_eq(musaGetDeviceProperties(&p, 1 << 20), musaErrorInvalidDevice);
	/* Nothing written on failure. */
	ck_assert_int_eq((unsigned char)p.name[0], 0x5a);
}
END_TEST

START_TEST(test_musaGetDeviceProperties_agree_with_attributes)
{
	static const struct {
		enum musaDeviceAttr attr;
		size_t off;
	} ints[] = {
		{ musaDevAttrWarpSize, offsetof(struct musaDeviceProp, warpSize) },
		{ musaDevAttrMaxThreadsPerBlock, offsetof(struct musaDeviceProp, maxThreadsPerBlock) },
		{ musaDevAttrMaxBlockDimX, offsetof(struct musaDeviceProp, maxThreadsDim[0]) },
		{ musaDevAttrMaxBlockDimY, offsetof(struct musaDeviceProp, maxThreadsDim[1]) },
		{ musaDevAttrMaxBlockDimZ, offsetof(struct musaDeviceProp, maxThreadsDim[2]) },
		{ musaDevAttrMaxGridDimX, offsetof(struct musaDeviceProp, maxGridSize[0]) },
		{ musaDevAttrMaxGridDimY, offsetof(struct musaDeviceProp, maxGridSize[1]) },
		{ musaDevAttrMaxGridDimZ, offsetof(struct musaDeviceProp, maxGridSize[2]) },
		{ musaDevAttrComputeCapabilityMajor, offsetof(struct musaDeviceProp, major) },
		{ musaDevAttrComputeCapabilityMinor, offsetof(struct musaDeviceProp, minor) },
		{ musaDevAttrMultiProcessorCount, offsetof(struct musaDeviceProp, multiProcessorCount) },
		{ musaDevAttrUnifiedAddressing, offsetof(struct musaDeviceProp, unifiedAddressing) },
	};
	struct musaDeviceProp p;
	int v;

	ck_assert_int_eq(musaGetDeviceProperties(&p, 0), musaSuccess);
	ck_assert_int_gt((int)strlen(p.name), 0);
	ck_assert_uint_gt(p.totalGlobalMem, 0);
	ck_assert_int_gt(p.maxThreadsPerBlock, 0);
	ck_assert_int_gt(p.warpSize, 0);
	ck_assert_int_gt(p.multiProcessorCount, 0);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		int field;
		memcpy(&field, (char *)&p + ints[i].off, sizeof(field));
		ck_assert_int_eq(musaDeviceGetAttribute(&v, ints[i].attr, 0), musaSuccess);
		ck_assert_msg(v == field, "attribute %d: %d, property %d", (int)ints[i].attr, v, field);
	}
	ck_assert_int_eq(musaDeviceGetAttribute(&v, musaDevAttrMaxSharedMemoryPerBlock, 0),
	                 musaSuccess);
	ck_assert_uint_eq(p.sharedMemPerBlock, (size_t)v);
}
END_TEST

START_TEST(test_musaDeviceGetAttribute_null_value)
{
	ck_assert_int_eq(musaDeviceGetAttribute(NULL, musaDevAttrWarpSize, 0), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaDeviceGetAttribute_bad_device)
{
	int v = 7;

	ck_assert_int_eq(musaDeviceGetAttribute(&v, musaDevAttrWarpSize, -1), musaErrorInvalidDevice);
	ck_assert_int_eq(v, 7);
}
END_TEST

START_TEST(test_musaDeviceGetAttribute_bad_attribute)
{
	int v = 7;

	ck_assert_int_eq(musaDeviceGetAttribute(&v, (enum musaDeviceAttr)9999, 0),
	                 musaErrorInvalidValue);
	ck_assert_int_eq(v, 7);
}
END_TEST

START_TEST(test_musaDeviceSynchronize_idle_device)
{
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(musaThreadSynchronize(), musaSuccess);
}
END_TEST

START_TEST(test_musaDeviceSynchronize_waits_for_copies)
{
	enum { N = 1 << 20 };
	unsigned char *h = malloc(N);
	void *d = NULL;

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(musaMalloc(&d, N), musaSuccess);
	ck_assert_int_eq(musaMemsetAsync(d, 0x3c, N, NULL), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(musaMemcpy(h, d, N, musaMemcpyDeviceToHost), musaSuccess);
	for (size_t i = 0; i < N; i += 4099)
		ck_assert_uint_eq(h[i], 0x3c);
	ck_assert_int_eq(musaFree(d), musaSuccess);
	free(h);
}
END_TEST

START_TEST(test_musaDeviceReset_never_used_device)
{
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
}
END_TEST

START_TEST(test_musaDeviceReset_destroys_allocations_and_streams)
{
	void *d = NULL, *d2 = NULL;
	musaStream_t s;
	musaEvent_t e;

	ck_assert_int_eq(musaMalloc(&d, 4096), musaSuccess);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&e), musaSuccess);
	ck_assert_int_eq(musaDeviceReset(), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaEventDestroy(e), musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaFree(d), musaErrorInvalidValue);
	/* The device works again afterwards. */
	ck_assert_int_eq(musaMalloc(&d2, 4096), musaSuccess);
	ck_assert_int_eq(musaMemset(d2, 1, 4096), musaSuccess);
	ck_assert_int_eq(musaFree(d2), musaSuccess);
}
END_TEST

START_TEST(test_musaMemGetInfo_null_args)
{
	size_t f, t;

	ck_assert_int_eq(musaMemGetInfo(NULL, &t), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemGetInfo(&f, NULL), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaMemGetInfo_free_within_total)
{
	struct musaDeviceProp p;
	size_t f = 0, t = 0;

	ck_assert_int_eq(musaMemGetInfo(&f, &t), musaSuccess);
	ck_assert_uint_gt(t, 0);
	ck_assert_uint_le(f, t);
	ck_assert_int_eq(musaGetDeviceProperties(&p, 0), musaSuccess);
	ck_assert_uint_eq(t, p.totalGlobalMem);
}
END_TEST

static Suite *device_suite(void)
{
	Suite *s = suite_create("runtime_device");
	TCase *tc = tcase_create("device");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_musaGetDeviceCount_null_count);
	tcase_add_test(tc, test_musaGetDeviceCount_at_least_one);
	tcase_add_test(tc, test_musaSetDevice_out_of_range);
	tcase_add_test(tc, test_musaGetDevice_null_device);
	tcase_add_test(tc, test_musaSetDevice_last_then_get);
	tcase_add_test(tc, test_musaSetDevice_is_per_thread);
	tcase_add_test(tc, test_second_device_has_its_own_memory_and_streams);
	tcase_add_test(tc, test_musaGetDeviceProperties_null_prop);
	tcase_add_test(tc, test_musaGetDeviceProperties_bad_device);
	tcase_add_test(tc, test_musaGetDeviceProperties_agree_with_attributes);
	tcase_add_test(tc, test_musaDeviceGetAttribute_null_value);
	tcase_add_test(tc, test_musaDeviceGetAttribute_bad_device);
	tcase_add_test(tc, test_musaDeviceGetAttribute_bad_attribute);
	tcase_add_test(tc, test_musaDeviceSynchronize_idle_device);
	tcase_add_test(tc, test_musaDeviceSynchronize_waits_for_copies);
	tcase_add_test(tc, test_musaDeviceReset_never_used_device);
	tcase_add_test(tc, test_musaDeviceReset_destroys_allocations_and_streams);
	tcase_add_test(tc, test_musaMemGetInfo_null_args);
	tcase_add_test(tc, test_musaMemGetInfo_free_within_total);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *suites[] = { device_suite() };

	/* The multi-device cases need two devices; set before anything
	 * initializes the driver. */
	setenv("MUSA_SWDEV", "count=2", 1);
	return rt_run_suites(suites, 1);
}
