/* SPDX-License-Identifier: MIT */
/*
 * device.c - device management of the driver API: ordinals, names, total
 * memory and attributes. Every answer comes from the DEVICE_QUERY made at
 * muInit; attributes the software device has no field for are constants of
 * what it is (a CPU: integrated, unified addressing, host-native atomics).
 * May call: init.c state.
 */
#include <string.h>

#include "umd.h"

MUresult umd_dev_get(MUdevice dev, struct umd_dev **out)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	if (dev < 0 || dev >= umd_ndevs)
		return MUSA_ERROR_INVALID_DEVICE;
	*out = &umd_devs[dev];
	return MUSA_SUCCESS;
}

UMD_API MUresult muDeviceGet(MUdevice *device, int ordinal)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	if (!device)
		return MUSA_ERROR_INVALID_VALUE;
	if (ordinal < 0 || ordinal >= umd_ndevs)
		return MUSA_ERROR_INVALID_DEVICE;
	*device = ordinal;
	return MUSA_SUCCESS;
}

UMD_API MUresult muDeviceGetCount(int *count)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	if (!count)
		return MUSA_ERROR_INVALID_VALUE;
	*count = umd_ndevs;
	return MUSA_SUCCESS;
}

UMD_API MUresult muDeviceGetName(char *name, int len, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	if (!name || len <= 0)
		return MUSA_ERROR_INVALID_VALUE;
	strncpy(name, d->info.name, (size_t)len - 1);
	name[len - 1] = '\0';
	return MUSA_SUCCESS;
}

UMD_API MUresult muDeviceTotalMem(size_t *bytes, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	if (!bytes)
		return MUSA_ERROR_INVALID_VALUE;
	*bytes = (size_t)d->info.memory_size;
	return MUSA_SUCCESS;
}

enum umd_attr_src {
	UMD_ATTR_NONE = 0,   /* not an attribute */
	UMD_ATTR_FIELD,      /* a __u32 of drm_musa_device_info */
	UMD_ATTR_CONST,
	UMD_ATTR_ENGINE,     /* 1 when the engine bit is set */
};

struct umd_attr {
	enum umd_attr_src src;
	size_t off;
	int value;
};

#define F(field) { UMD_ATTR_FIELD, offsetof(struct drm_musa_device_info, field), 0 }
#define C(v)     { UMD_ATTR_CONST, 0, (v) }

static const struct umd_attr umd_attrs[MU_DEVICE_ATTRIBUTE_MAX] = {
	[MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK] = F(max_threads_per_block),
	[MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X] = F(max_block_dim[0]),
	[MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y] = F(max_block_dim[1]),
	[MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z] = F(max_block_dim[2]),
	[MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X] = F(max_grid_dim[0]),
	[MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y] = F(max_grid_dim[1]),
	[MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z] = F(max_grid_dim[2]),
	[MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK] = F(shared_mem_per_block),
	[MU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY] = C(65536),
	[MU_DEVICE_ATTRIBUTE_WARP_SIZE] = F(warp_size),
	[MU_DEVICE_ATTRIBUTE_MAX_PITCH] = C(2147483647),
	[MU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK] = F(regs_per_block),
	[MU_DEVICE_ATTRIBUTE_CLOCK_RATE] = F(clock_rate_khz),
	[MU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT] = C(512),
	[MU_DEVICE_ATTRIBUTE_GPU_OVERLAP] = { UMD_ATTR_ENGINE, 0, DRM_MUSA_ENGINE_COPY },
	[MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT] = F(compute_units),
	[MU_DEVICE_ATTRIBUTE_KERNEL_EXEC_TIMEOUT] = C(0),
	[MU_DEVICE_ATTRIBUTE_INTEGRATED] = C(1),
	[MU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY] = C(0),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_MODE] = C(0),
	[MU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS] = C(1),
	[MU_DEVICE_ATTRIBUTE_ECC_ENABLED] = C(0),
	[MU_DEVICE_ATTRIBUTE_PCI_BUS_ID] = F(device_index),
	[MU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID] = C(0),
	[MU_DEVICE_ATTRIBUTE_TCC_DRIVER] = C(0),
	[MU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE] = F(clock_rate_khz),
	[MU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH] = C(64),
	[MU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE] = C(4 * 1024 * 1024),
	[MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR] = F(max_threads_per_cu),
	[MU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT] = { UMD_ATTR_ENGINE, 0, DRM_MUSA_ENGINE_COPY },
	[MU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING] = C(1),
	[MU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID] = C(0),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR] = F(arch_major),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR] = F(arch_minor),
	[MU_DEVICE_ATTRIBUTE_STREAM_PRIORITIES_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR] = F(shared_mem_per_block),
	[MU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR] = F(regs_per_block),
	[MU_DEVICE_ATTRIBUTE_MANAGED_MEMORY] = C(0),
	[MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD] = C(0),
	[MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD_GROUP_ID] = C(0),
	[MU_DEVICE_ATTRIBUTE_HOST_NATIVE_ATOMIC_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS] = C(0),
	[MU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS] = C(0),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_PREEMPTION_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM] = C(0),
	[MU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN] = F(shared_mem_per_block),
	[MU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR] = C(32),
};

#undef F
#undef C

UMD_API MUresult muDeviceGetAttribute(int *pi, MUdevice_attribute attrib, MUdevice dev)
{
	const struct umd_attr *a;
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);
	uint32_t v;

	if (r)
		return r;
	if (!pi || (int)attrib <= 0 || attrib >= MU_DEVICE_ATTRIBUTE_MAX)
		return MUSA_ERROR_INVALID_VALUE;
	a = &umd_attrs[attrib];
	switch (a->src) {
	case UMD_ATTR_FIELD:
		memcpy(&v, (const char *)&d->info + a->off, sizeof(v));
		*pi = v > 0x7fffffffu ? 0x7fffffff : (int)v;
		return MUSA_SUCCESS;
	case UMD_ATTR_CONST:
		*pi = a->value;
		return MUSA_SUCCESS;
	case UMD_ATTR_ENGINE:
		*pi = (d->info.engines & (uint32_t)a->value) ? 1 : 0;
		return MUSA_SUCCESS;
	default:
		return MUSA_ERROR_INVALID_VALUE;
	}
}
