/* SPDX-License-Identifier: MIT */
/*
 * test_init.c - muInit, versions and device management of the driver API.
 */
#include <string.h>

#include "umd_test.h"

START_TEST(test_calls_before_muInit_return_not_initialized)
{
	int n;
	MUdevice d;
	MUcontext c;
	MUdeviceptr p;
	char name[8];

	ck_assert_int_eq(muDeviceGetCount(&n), MUSA_ERROR_NOT_INITIALIZED);
	ck_assert_int_eq(muDeviceGet(&d, 0), MUSA_ERROR_NOT_INITIALIZED);
	ck_assert_int_eq(muDeviceGetName(name, sizeof(name), 0), MUSA_ERROR_NOT_INITIALIZED);
	ck_assert_int_eq(muCtxCreate(&c, 0, 0), MUSA_ERROR_NOT_INITIALIZED);
	ck_assert_int_eq(muDevicePrimaryCtxRetain(&c, 0), MUSA_ERROR_NOT_INITIALIZED);
	ck_assert_int_eq(muMemAlloc(&p, 16), MUSA_ERROR_NOT_INITIALIZED);
	ck_assert_int_eq(muCtxSynchronize(), MUSA_ERROR_NOT_INITIALIZED);
}
END_TEST

START_TEST(test_muDriverGetVersion_works_before_init)
{
	int v = 0;

	MU_OK(muDriverGetVersion(&v));
	ck_assert_int_eq(v, MUSA_VERSION);
	ck_assert_int_eq(muDriverGetVersion(NULL), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_muInit_rejects_nonzero_flags)
{
	int n;

	ck_assert_int_eq(muInit(1), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetCount(&n), MUSA_ERROR_NOT_INITIALIZED);
	MU_OK(muInit(0));
	MU_OK(muInit(0));
}
END_TEST

START_TEST(test_muInit_without_devices_returns_no_device)
{
	int n;

	setenv("MUSA_VISIBLE_DEVICES", "", 1);
	ck_assert_int_eq(muInit(0), MUSA_ERROR_NO_DEVICE);
	ck_assert_int_eq(muInit(0), MUSA_ERROR_NO_DEVICE);
	ck_assert_int_eq(muDeviceGetCount(&n), MUSA_ERROR_NOT_INITIALIZED);
}
END_TEST

START_TEST(test_drm_node_transport_missing_node_is_no_device)
{
	/* MUSA_DRM_NODE switches the door to libdrm on that node only. */
	setenv("MUSA_DRM_NODE", TEST_BUILD_DIR "/no/such/renderD128", 1);
	ck_assert_int_eq(muInit(0), MUSA_ERROR_NO_DEVICE);
}
END_TEST

START_TEST(test_muDeviceGet_rejects_bad_ordinal_and_null)
{
	MUdevice d;
	int n;

	MU_OK(muInit(0));
	MU_OK(muDeviceGetCount(&n));
	ck_assert_int_ge(n, 1);
	MU_OK(muDeviceGet(&d, 0));
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(muDeviceGet(&d, n), MUSA_ERROR_INVALID_DEVICE);
	ck_assert_int_eq(muDeviceGet(&d, -1), MUSA_ERROR_INVALID_DEVICE);
	ck_assert_int_eq(muDeviceGet(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetCount(NULL), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_muDeviceGetName_truncates_and_rejects_bad_args)
{
	char name[128], small[4];

	MU_OK(muInit(0));
	MU_OK(muDeviceGetName(name, sizeof(name), 0));
	ck_assert_uint_gt(strlen(name), 0);
	MU_OK(muDeviceGetName(small, sizeof(small), 0));
	ck_assert_uint_eq(strlen(small), 3);
	ck_assert_int_eq(strncmp(small, name, 3), 0);
	ck_assert_int_eq(muDeviceGetName(NULL, 16, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetName(name, 0, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetName(name, sizeof(name), 99), MUSA_ERROR_INVALID_DEVICE);
}
END_TEST

START_TEST(test_muDeviceGetAttribute_reports_swdev_arch)
{
	int v;

	setenv("MUSA_SWDEV", "count=1,arch=mp_31,cus=3", 1);
	MU_OK(muInit(0));
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_WARP_SIZE, 0));
	ck_assert_int_eq(v, 32);
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, 0));
	ck_assert_int_eq(v, 3);
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, 0));
	ck_assert_int_eq(v, 1);
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, 0));
	ck_assert_int_eq(v, 3);
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 0));
	ck_assert_int_ge(v, 256);
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING, 0));
	ck_assert_int_eq(v, 1);
}
END_TEST

START_TEST(test_muDeviceGetAttribute_warp_size_follows_arch)
{
	int v;

	setenv("MUSA_SWDEV", "arch=mp_21", 1);
	MU_OK(muInit(0));
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_WARP_SIZE, 0));
	ck_assert_int_eq(v, 128);
	MU_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, 0));
	ck_assert_int_eq(v, 2);
}
END_TEST

START_TEST(test_muDeviceGetAttribute_rejects_unknown_attribute)
{
	int v;

	MU_OK(muInit(0));
	ck_assert_int_eq(muDeviceGetAttribute(&v, (MUdevice_attribute)0, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetAttribute(&v, (MUdevice_attribute)1000, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MAX, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetAttribute(NULL, MU_DEVICE_ATTRIBUTE_WARP_SIZE, 0),
			 MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_WARP_SIZE, 5),
			 MUSA_ERROR_INVALID_DEVICE);
}
END_TEST

START_TEST(test_muDeviceTotalMem_matches_swdev_memory)
{
	size_t bytes = 0;

	setenv("MUSA_SWDEV", "mem=1G", 1);
	MU_OK(muInit(0));
	MU_OK(muDeviceTotalMem(&bytes, 0));
	ck_assert_uint_eq(bytes, 1ull << 30);
	ck_assert_int_eq(muDeviceTotalMem(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muDeviceTotalMem(&bytes, 7), MUSA_ERROR_INVALID_DEVICE);
}
END_TEST

START_TEST(test_visible_devices_select_and_order)
{
	int n, bus0, bus1;

	setenv("MUSA_SWDEV", "count=2", 1);
	setenv("MUSA_VISIBLE_DEVICES", "1,0", 1);
	MU_OK(muInit(0));
	MU_OK(muDeviceGetCount(&n));
	ck_assert_int_eq(n, 2);
	MU_OK(muDeviceGetAttribute(&bus0, MU_DEVICE_ATTRIBUTE_PCI_BUS_ID, 0));
	MU_OK(muDeviceGetAttribute(&bus1, MU_DEVICE_ATTRIBUTE_PCI_BUS_ID, 1));
	ck_assert_int_eq(bus0, 1);
	ck_assert_int_eq(bus1, 0);
}
END_TEST

START_TEST(test_visible_devices_stop_at_first_invalid_entry)
{
	int n, bus;

	setenv("MUSA_SWDEV", "count=2", 1);
	setenv("MUSA_VISIBLE_DEVICES", "1,7,0", 1);
	MU_OK(muInit(0));
	MU_OK(muDeviceGetCount(&n));
	ck_assert_int_eq(n, 1);
	MU_OK(muDeviceGetAttribute(&bus, MU_DEVICE_ATTRIBUTE_PCI_BUS_ID, 0));
	ck_assert_int_eq(bus, 1);
}
END_TEST

START_TEST(test_two_devices_have_two_contexts)
{
	MUcontext c0, c1;
	MUdevice d;

	setenv("MUSA_SWDEV", "count=2", 1);
	MU_OK(muInit(0));
	MU_OK(muCtxCreate(&c0, 0, 0));
	MU_OK(muCtxCreate(&c1, 0, 1));
	MU_OK(muCtxGetDevice(&d));
	ck_assert_int_eq(d, 1);
	MU_OK(muCtxDestroy(c1));
	MU_OK(muCtxGetDevice(&d));
	ck_assert_int_eq(d, 0);
	MU_OK(muCtxDestroy(c0));
}
END_TEST

static Suite *init_suite(void)
{
	Suite *s = suite_create("umd_init_device");
	TCase *tc = tcase_create("init");

	unsetenv("MUSA_VISIBLE_DEVICES");
	unsetenv("MUSA_DRM_NODE");
	tcase_add_test(tc, test_calls_before_muInit_return_not_initialized);
	tcase_add_test(tc, test_muDriverGetVersion_works_before_init);
	tcase_add_test(tc, test_muInit_rejects_nonzero_flags);
	tcase_add_test(tc, test_muInit_without_devices_returns_no_device);
	tcase_add_test(tc, test_drm_node_transport_missing_node_is_no_device);
	suite_add_tcase(s, tc);
	tc = tcase_create("device");
	tcase_add_test(tc, test_muDeviceGet_rejects_bad_ordinal_and_null);
	tcase_add_test(tc, test_muDeviceGetName_truncates_and_rejects_bad_args);
	tcase_add_test(tc, test_muDeviceGetAttribute_reports_swdev_arch);
	tcase_add_test(tc, test_muDeviceGetAttribute_warp_size_follows_arch);
	tcase_add_test(tc, test_muDeviceGetAttribute_rejects_unknown_attribute);
	tcase_add_test(tc, test_muDeviceTotalMem_matches_swdev_memory);
	tcase_add_test(tc, test_visible_devices_select_and_order);
	tcase_add_test(tc, test_visible_devices_stop_at_first_invalid_entry);
	tcase_add_test(tc, test_two_devices_have_two_contexts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(init_suite());
}
