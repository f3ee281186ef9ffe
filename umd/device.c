/* SPDX-License-Identifier: MIT */
/*
 * device.c - device management of the driver API: ordinals, names, total
 * memory and attributes. Every answer comes from the GET_PARAM queries
 * made at muInit (init.c); attributes the software device has no field
 * for are constants of what it is (a CPU: integrated, unified addressing,
 * host-native atomics).
 * May call: init.c state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
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
	CHECK(!device, MUSA_ERROR_INVALID_VALUE);
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
	CHECK(!count, MUSA_ERROR_INVALID_VALUE);
	*count = umd_ndevs;
	return MUSA_SUCCESS;
}

UMD_API MUresult muDeviceGetName(char *name, int len, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	CHECK(!name || len <= 0, MUSA_ERROR_INVALID_VALUE);
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
	CHECK(!bytes, MUSA_ERROR_INVALID_VALUE);
	*bytes = (size_t)d->info.memory_size;
	return MUSA_SUCCESS;
}

enum umd_attr_src {
	UMD_ATTR_NONE = 0,   /* not an attribute */
	UMD_ATTR_FIELD,      /* a __u32 of drm_musa_device_info */
	UMD_ATTR_CONST,
	UMD_ATTR_ENGINE,     /* 1 when the engine bit is set */
	UMD_ATTR_FUNC,       /* computed by a function of the device */
};

struct umd_attr {
	enum umd_attr_src src;
	size_t off;
	int value;
	int (*fn)(const struct umd_dev *d);
};

unsigned int umd_dev_pci_bus(const struct umd_dev *d)
{
	return d->info.device_index;
}

/* Work-groups on a compute unit run one after another, each with its own
 * shared memory; the occupancy model lets two full-size blocks share a
 * multiprocessor. */
unsigned int umd_dev_smem_per_cu(const struct umd_dev *d)
{
	return 2 * d->info.shared_mem_per_block;
}

static int umd_attr_pci_bus(const struct umd_dev *d)
{
	return (int)umd_dev_pci_bus(d);
}

static int umd_attr_smem_per_cu(const struct umd_dev *d)
{
	return (int)umd_dev_smem_per_cu(d);
}

/* The watchdog (MUSA_WATCHDOG_MS) is the run time limit on kernels. */
static int umd_attr_exec_timeout(const struct umd_dev *d)
{
	const char *v = getenv("MUSA_WATCHDOG_MS");

	(void)d;
	return v && strtoul(v, NULL, 10) > 0;
}

#define F(field) { UMD_ATTR_FIELD, offsetof(struct drm_musa_device_info, field), 0, NULL }
#define C(v)     { UMD_ATTR_CONST, 0, (v), NULL }
#define FN(f)    { UMD_ATTR_FUNC, 0, 0, (f) }

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
	/* What musaMalloc guarantees (256-byte granules), so linear textures
	 * may start at any allocation. */
	[MU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT] = C(256),
	[MU_DEVICE_ATTRIBUTE_GPU_OVERLAP] = { UMD_ATTR_ENGINE, 0, DRM_MUSA_ENGINE_COPY, NULL },
	[MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT] = F(compute_units),
	[MU_DEVICE_ATTRIBUTE_KERNEL_EXEC_TIMEOUT] = FN(umd_attr_exec_timeout),
	[MU_DEVICE_ATTRIBUTE_INTEGRATED] = C(1),
	/* Kernels run on the host: every host page is reachable. */
	[MU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY] = C(1),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_MODE] = C(0),
	/* Textures and surfaces are sampled in software (texture.c); the
	 * limits are those of a current GPU. Cubemaps and mipmaps are not
	 * supported: their limits are 0. */
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_WIDTH] = C(131072),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_WIDTH] = C(131072),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_HEIGHT] = C(65536),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH] = C(16384),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT] = C(16384),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH] = C(16384),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_WIDTH] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_HEIGHT] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_LAYERS] = C(2048),
	[MU_DEVICE_ATTRIBUTE_SURFACE_ALIGNMENT] = C(512),
	[MU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS] = C(1),
	[MU_DEVICE_ATTRIBUTE_ECC_ENABLED] = C(0),
	[MU_DEVICE_ATTRIBUTE_PCI_BUS_ID] = FN(umd_attr_pci_bus),
	[MU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID] = C(0),
	[MU_DEVICE_ATTRIBUTE_TCC_DRIVER] = C(0),
	[MU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE] = F(clock_rate_khz),
	[MU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH] = C(64),
	[MU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE] = C(4 * 1024 * 1024),
	[MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR] = F(max_threads_per_cu),
	[MU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT] = { UMD_ATTR_ENGINE, 0, DRM_MUSA_ENGINE_COPY, NULL },
	[MU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING] = C(1),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_WIDTH] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_LAYERS] = C(2048),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_WIDTH] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_HEIGHT] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH_ALTERNATE] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT_ALTERNATE] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH_ALTERNATE] = C(0),
	[MU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID] = C(0),
	[MU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT] = C(32),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_WIDTH] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_WIDTH] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_LAYERS] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_WIDTH] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_WIDTH] = C(131072),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_HEIGHT] = C(65536),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_WIDTH] = C(16384),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_HEIGHT] = C(16384),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_DEPTH] = C(16384),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_WIDTH] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_LAYERS] = C(2048),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_WIDTH] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_HEIGHT] = C(32768),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_LAYERS] = C(2048),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_WIDTH] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_WIDTH] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_LAYERS] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LINEAR_WIDTH] = C(268435456),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_WIDTH] = C(131072),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_HEIGHT] = C(65000),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_PITCH] = C(2097120),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_WIDTH] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_HEIGHT] = C(0),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR] = F(arch_major),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR] = F(arch_minor),
	[MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_MIPMAPPED_WIDTH] = C(0),
	[MU_DEVICE_ATTRIBUTE_STREAM_PRIORITIES_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR] = FN(umd_attr_smem_per_cu),
	[MU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR] = F(regs_per_block),
	[MU_DEVICE_ATTRIBUTE_MANAGED_MEMORY] = C(1),
	[MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD] = C(0),
	[MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD_GROUP_ID] = C(0),
	[MU_DEVICE_ATTRIBUTE_HOST_NATIVE_ATOMIC_SUPPORTED] = C(1),
	/* Double-precision vector lanes are half the single-precision ones on
	 * the host CPU that runs the kernels. */
	[MU_DEVICE_ATTRIBUTE_SINGLE_TO_DOUBLE_PRECISION_PERF_RATIO] = C(2),
	[MU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS] = C(0),
	[MU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS] = C(0),
	[MU_DEVICE_ATTRIBUTE_COMPUTE_PREEMPTION_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM] = C(0),
	[MU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH] = C(1),
	[MU_DEVICE_ATTRIBUTE_COOPERATIVE_MULTI_DEVICE_LAUNCH] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN] = F(shared_mem_per_block),
	[MU_DEVICE_ATTRIBUTE_CAN_FLUSH_REMOTE_WRITES] = C(0),
	[MU_DEVICE_ATTRIBUTE_HOST_REGISTER_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES] = C(0),
	[MU_DEVICE_ATTRIBUTE_DIRECT_MANAGED_MEM_ACCESS_FROM_HOST] = C(1),
	[MU_DEVICE_ATTRIBUTE_VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_HANDLE_TYPE_WIN32_HANDLE_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_HANDLE_TYPE_WIN32_KMT_HANDLE_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR] = C(32),
	[MU_DEVICE_ATTRIBUTE_GENERIC_COMPRESSION_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAX_PERSISTING_L2_CACHE_SIZE] = C(0),
	[MU_DEVICE_ATTRIBUTE_MAX_ACCESS_POLICY_WINDOW_SIZE] = C(0),
	[MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_WITH_MUSA_VMM_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK] = C(0),
	[MU_DEVICE_ATTRIBUTE_SPARSE_MUSA_ARRAY_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_READ_ONLY_HOST_REGISTER_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_TIMELINE_SEMAPHORE_INTEROP_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED] = C(1),
	[MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_FLUSH_WRITES_OPTIONS] = C(1),  /* host flush */
	[MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_WRITES_ORDERING] = C(0),
	[MU_DEVICE_ATTRIBUTE_MEMPOOL_SUPPORTED_HANDLE_TYPES] = C(0),
	[MU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH] = C(0),
	[MU_DEVICE_ATTRIBUTE_DEFERRED_MAPPING_MUSA_ARRAY_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_CAN_USE_64_BIT_STREAM_MEM_OPS] = C(0),
	[MU_DEVICE_ATTRIBUTE_CAN_USE_STREAM_WAIT_VALUE_NOR] = C(0),
	[MU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_IPC_EVENT_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_MEM_SYNC_DOMAIN_COUNT] = C(1),
	[MU_DEVICE_ATTRIBUTE_TENSOR_MAP_ACCESS_SUPPORTED] = C(0),
	[MU_DEVICE_ATTRIBUTE_UNIFIED_FUNCTION_POINTERS] = C(0),
};

#undef F
#undef C
#undef FN

static MUresult umd_dev_attr(int *pi, MUdevice_attribute attrib, MUdevice dev)
{
	const struct umd_attr *a;
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);
	uint32_t v;

	if (r)
		return r;
	CHECK(!pi || (int)attrib <= 0 || attrib >= MU_DEVICE_ATTRIBUTE_MAX,
	      MUSA_ERROR_INVALID_VALUE);
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
	case UMD_ATTR_FUNC:
		*pi = a->fn(d);
		return MUSA_SUCCESS;
	default:
		return MUSA_ERROR_INVALID_VALUE;
	}
}

UMD_API MUresult muDeviceGetAttribute(int *pi, MUdevice_attribute attrib, MUdevice dev)
{
	return UMD_RET(umd_dev_attr(pi, attrib, dev));
}

UMD_API MUresult muDeviceGetPCIBusId(char *pciBusId, int len, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return UMD_RET(r);
	if (!pciBusId || len <= 0)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	snprintf(pciBusId, (size_t)len, "%04x:%02x:%02x.%x", 0u, umd_dev_pci_bus(d), 0u, 0u);
	return UMD_RET(MUSA_SUCCESS);
}

/* Parses "dddd:bb:dd.f", "bb:dd.f", "dddd:bb:dd" or "bb:dd" (hex). */
static int umd_parse_bus_id(const char *s, unsigned int *dom, unsigned int *bus,
			    unsigned int *slot, unsigned int *fn)
{
	unsigned int v[4];
	int n = 0;
	char sep[4] = { 0 };
	const char *p = s;

	while (n < 4) {
		char *end;
		unsigned long x = strtoul(p, &end, 16);

		if (end == p || x > 0xffff || *p == '-' || *p == '+' || *p == ' ')
			return -1;
		v[n] = (unsigned int)x;
		sep[n] = *end;
		n++;
		if (*end == '\0')
			break;
		if (*end != ':' && *end != '.')
			return -1;
		p = end + 1;
	}
	if (sep[n - 1] != '\0')
		return -1;
	*fn = 0;
	if (n == 4 && sep[0] == ':' && sep[1] == ':' && sep[2] == '.') {
		*dom = v[0], *bus = v[1], *slot = v[2], *fn = v[3];
	} else if (n == 3 && sep[0] == ':' && sep[1] == ':') {
		*dom = v[0], *bus = v[1], *slot = v[2];
	} else if (n == 3 && sep[0] == ':' && sep[1] == '.') {
		*dom = 0, *bus = v[0], *slot = v[1], *fn = v[2];
	} else if (n == 2 && sep[0] == ':') {
		*dom = 0, *bus = v[0], *slot = v[1];
	} else {
		return -1;
	}
	return 0;
}

UMD_API MUresult muDeviceGetByPCIBusId(MUdevice *dev, const char *pciBusId)
{
	unsigned int dom, bus, slot, fn;
	MUresult r = umd_check_init();

	if (r)
		return UMD_RET(r);
	if (!dev || !pciBusId)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	if (umd_parse_bus_id(pciBusId, &dom, &bus, &slot, &fn))
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	if (dom != 0 || slot != 0 || fn != 0)
		return UMD_RET(MUSA_ERROR_INVALID_DEVICE);
	for (int i = 0; i < umd_ndevs; i++) {
		if (umd_dev_pci_bus(&umd_devs[i]) == bus) {
			*dev = i;
			return UMD_RET(MUSA_SUCCESS);
		}
	}
	return UMD_RET(MUSA_ERROR_INVALID_DEVICE);
}

UMD_API MUresult muDeviceComputeCapability(int *major, int *minor, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return UMD_RET(r);
	if (!major || !minor)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	*major = (int)d->info.arch_major;
	*minor = (int)d->info.arch_minor;
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muDeviceGetProperties(MUdevprop *prop, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return UMD_RET(r);
	if (!prop)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	memset(prop, 0, sizeof(*prop));
	prop->maxThreadsPerBlock = (int)d->info.max_threads_per_block;
	for (int i = 0; i < 3; i++) {
		prop->maxThreadsDim[i] = (int)d->info.max_block_dim[i];
		prop->maxGridSize[i] = d->info.max_grid_dim[i] > 0x7fffffffu ?
				       0x7fffffff : (int)d->info.max_grid_dim[i];
	}
	prop->sharedMemPerBlock = (int)d->info.shared_mem_per_block;
	prop->totalConstantMemory = 65536;
	prop->SIMDWidth = (int)d->info.warp_size;
	prop->memPitch = 2147483647;
	prop->regsPerBlock = (int)d->info.regs_per_block;
	prop->clockRate = (int)d->info.clock_rate_khz;
	prop->textureAlign = 512;
	return UMD_RET(MUSA_SUCCESS);
}

/* A stable identity: "MUSA" then the physical index and the arch, with the
 * version and variant bits of an RFC 4122 name-based UUID. */
UMD_API MUresult muDeviceGetUuid(MUuuid *uuid, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);
	unsigned char b[16] = { 'M', 'U', 'S', 'A', 's', 'w', 0x50, 0x00,
				0x80, 0, 0, 0, 0, 0, 0, 0 };

	if (r)
		return UMD_RET(r);
	if (!uuid)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	b[7] = (unsigned char)(d->info.arch_major * 10 + d->info.arch_minor);
	b[12] = (unsigned char)(d->info.device_index >> 24);
	b[13] = (unsigned char)(d->info.device_index >> 16);
	b[14] = (unsigned char)(d->info.device_index >> 8);
	b[15] = (unsigned char)d->info.device_index;
	memcpy(uuid->bytes, b, sizeof(b));
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muDeviceGetUuid_v2(MUuuid *uuid, MUdevice dev)
{
	return muDeviceGetUuid(uuid, dev);
}

UMD_API MUresult muDeviceGetLuid(char *luid, unsigned int *deviceNodeMask, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return UMD_RET(r);
	if (!luid || !deviceNodeMask)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	/* A LUID is a Windows adapter identity; none exists here. */
	return UMD_RET(MUSA_ERROR_NOT_SUPPORTED);
}
