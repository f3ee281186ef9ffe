/* SPDX-License-Identifier: MIT */
/*
 * device_drv.c - conformance of the driver's initialization and device
 * management: muInit, device ordinals, names, memory, attributes, PCI bus
 * ids, UUIDs and the legacy property queries.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cts.h"

CTS_TEST(device_drv, calls_before_init)
{
	int n = 0;
	MUdevice d;

	CTS_DRV(muDeviceGetCount(&n), MUSA_ERROR_NOT_INITIALIZED);
	CTS_DRV(muDeviceGet(&d, 0), MUSA_ERROR_NOT_INITIALIZED);
	/* These work before muInit. */
	CTS_DRV_OK(muDriverGetVersion(&n));
}

CTS_TEST(device_drv, init)
{
	CTS_DRV(muInit(1), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muInit(0));
}

CTS_TEST(device_drv, get_and_count)
{
	int n = 0;
	MUdevice d = -1;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGetCount(&n));
	ck_assert_int_ge(n, 1);
	for (int i = 0; i < n; i++) {
		CTS_DRV_OK(muDeviceGet(&d, i));
		ck_assert_int_ge(d, 0);
	}
	CTS_DRV(muDeviceGetCount(NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGet(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGet(&d, n), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muDeviceGet(&d, -1), MUSA_ERROR_INVALID_DEVICE);
}

CTS_TEST(device_drv, name_and_total_mem)
{
	char name[256], small[4];
	size_t bytes = 0;
	MUdevice d;
	int n;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGetCount(&n));
	CTS_DRV_OK(muDeviceGet(&d, 0));
	CTS_DRV_OK(muDeviceGetName(name, sizeof(name), d));
	ck_assert_uint_gt(strlen(name), 0);
	CTS_DRV_OK(muDeviceGetName(small, sizeof(small), d));
	ck_assert_uint_lt(strlen(small), sizeof(small));
	ck_assert_int_eq(strncmp(small, name, strlen(small)), 0);
	CTS_DRV_OK(muDeviceTotalMem(&bytes, d));
	ck_assert_uint_gt(bytes, 0);
	CTS_DRV(muDeviceGetName(NULL, 16, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetName(name, sizeof(name), n), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muDeviceTotalMem(NULL, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceTotalMem(&bytes, n), MUSA_ERROR_INVALID_DEVICE);
}

CTS_TEST(device_drv, attributes)
{
	int v = 0, major = 0, minor = 0, n;
	MUdevice d;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGetCount(&n));
	CTS_DRV_OK(muDeviceGet(&d, 0));
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_WARP_SIZE, d));
	ck_assert_int_gt(v, 0);
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, d));
	ck_assert_int_ge(v, 64);
	CTS_DRV_OK(muDeviceGetAttribute(&major, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d));
	CTS_DRV_OK(muDeviceGetAttribute(&minor, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d));
	ck_assert_int_ge(major, 1);
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, d));
	ck_assert_int_gt(v, 0);
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_WIDTH, d));
	ck_assert_int_ge(v, 0);
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_SURFACE_ALIGNMENT, d));
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MAX_PERSISTING_L2_CACHE_SIZE, d));
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED, d));
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH, d));
	CTS_DRV(muDeviceGetAttribute(NULL, MU_DEVICE_ATTRIBUTE_WARP_SIZE, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetAttribute(&v, (MUdevice_attribute)0, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetAttribute(&v, (MUdevice_attribute)100000, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_WARP_SIZE, n), MUSA_ERROR_INVALID_DEVICE);
}

CTS_TEST(device_drv, compute_capability_and_properties)
{
	int major = -1, minor = -1, amaj, amin, v;
	MUdevprop p;
	MUdevice d;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGet(&d, 0));
	CTS_DRV_OK(muDeviceComputeCapability(&major, &minor, d));
	CTS_DRV_OK(muDeviceGetAttribute(&amaj, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d));
	CTS_DRV_OK(muDeviceGetAttribute(&amin, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d));
	ck_assert_int_eq(major, amaj);
	ck_assert_int_eq(minor, amin);
	CTS_DRV_OK(muDeviceGetProperties(&p, d));
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, d));
	ck_assert_int_eq(p.maxThreadsPerBlock, v);
	CTS_DRV_OK(muDeviceGetAttribute(&v, MU_DEVICE_ATTRIBUTE_WARP_SIZE, d));
	ck_assert_int_eq(p.SIMDWidth, v);
	ck_assert_int_gt(p.sharedMemPerBlock, 0);
	ck_assert_int_gt(p.clockRate, 0);
	CTS_DRV(muDeviceComputeCapability(NULL, &minor, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceComputeCapability(&major, NULL, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceComputeCapability(&major, &minor, 1000), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muDeviceGetProperties(NULL, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetProperties(&p, 1000), MUSA_ERROR_INVALID_DEVICE);
}

CTS_TEST(device_drv, pci_bus_id)
{
	char id[32], other[32];
	MUdevice d = -1;
	int n;

#ifndef CTS_CUDA
	setenv("MUSA_SWDEV", "count=2", 0);
#endif
	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGetCount(&n));
	for (int i = 0; i < n; i++) {
		int bus = -1;
		unsigned int b;

		CTS_DRV_OK(muDeviceGetPCIBusId(id, sizeof(id), i));
		CTS_DRV_OK(muDeviceGetAttribute(&bus, MU_DEVICE_ATTRIBUTE_PCI_BUS_ID, i));
		ck_assert_int_eq(sscanf(id, "%*x:%x:", &b), 1);
		ck_assert_uint_eq(b, (unsigned int)bus);
		CTS_DRV_OK(muDeviceGetByPCIBusId(&d, id));
		ck_assert_int_eq(d, i);
		for (int j = 0; j < i; j++) {
			CTS_DRV_OK(muDeviceGetPCIBusId(other, sizeof(other), j));
			ck_assert_str_ne(id, other);
		}
	}
	CTS_DRV(muDeviceGetPCIBusId(NULL, 32, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetPCIBusId(id, sizeof(id), n), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muDeviceGetByPCIBusId(NULL, id), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetByPCIBusId(&d, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetByPCIBusId(&d, "ffff:ff:1f.7"), MUSA_ERROR_INVALID_DEVICE);
}

CTS_TEST(device_drv, uuid)
{
	MUuuid a, b;
	int n, nz = 0;

#ifndef CTS_CUDA
	setenv("MUSA_SWDEV", "count=2", 0);
#endif
	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGetCount(&n));
	CTS_DRV_OK(muDeviceGetUuid(&a, 0));
	CTS_DRV_OK(muDeviceGetUuid(&b, 0));
	ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
	for (int i = 0; i < 16; i++)
		nz |= a.bytes[i];
	ck_assert_int_ne(nz, 0);
	if (n > 1) {
		CTS_DRV_OK(muDeviceGetUuid(&b, 1));
		ck_assert_int_ne(memcmp(&a, &b, sizeof(a)), 0);
	}
	CTS_DRV_OK(muDeviceGetUuid_v2(&b, 0));
	ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
	CTS_DRV(muDeviceGetUuid(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetUuid(&a, n), MUSA_ERROR_INVALID_DEVICE);
}

#ifndef CTS_CUDA
CTS_TEST(device_drv, luid_is_windows_only)
{
	char luid[8];
	unsigned int mask;

	CTS_DRV_OK(muInit(0));
	CTS_DRV(muDeviceGetLuid(luid, &mask, 0), MUSA_ERROR_NOT_SUPPORTED);
	CTS_DRV(muDeviceGetLuid(NULL, &mask, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetLuid(luid, &mask, 1000), MUSA_ERROR_INVALID_DEVICE);
}

CTS_TEST(device_drv, visible_devices_reorder)
{
	char id[32];
	int n = 0;

	setenv("MUSA_SWDEV", "count=2", 1);
	setenv("MUSA_VISIBLE_DEVICES", "1,0", 1);
	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGetCount(&n));
	ck_assert_int_eq(n, 2);
	CTS_DRV_OK(muDeviceGetPCIBusId(id, sizeof(id), 0));
	ck_assert_str_eq(id, "0000:01:00.0");
}

CTS_TEST(device_drv, visible_devices_empty)
{
	setenv("MUSA_VISIBLE_DEVICES", "", 1);
	CTS_DRV(muInit(0), MUSA_ERROR_NO_DEVICE);
}
#endif
