/* SPDX-License-Identifier: MIT */
/*
 * device.c - the software devices: MUSA_SWDEV parsing (once), device info,
 * memory accounting, the reserved VA window and its allocator, and the
 * GET_PARAM and DEVICE_QUERY ioctls.
 *
 * Calls only kmd_copy_to_user() and kmd_log().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kmd.h"

#define KMD_MAX_DEVICES 16
#define KMD_DEFAULT_MEM (8ull << 30)

struct kmd_arch {
	const char *name;
	uint32_t major, minor, warp;
};

/*
 * The device archs (docs/design.md, "Compute capability"): MUSA's own
 * mp_* numbering, then CUDA-compatible ones with 32-lane warps up to
 * sm_80, the newest whose features the kernel language provides. mcc's
 * table (tools/mcc/arch.c) and the code-object format's
 * (lib/codeobj/codeobj.c) list the same archs; tests/mcc checks
 * that they agree.
 */
static const struct kmd_arch kmd_arches[] = {
	{ "mp_21", 2, 1, 128 },
	{ "mp_22", 2, 2, 128 },
	{ "mp_31", 3, 1, 32 },
	{ "sm_50", 5, 0, 32 },
	{ "sm_52", 5, 2, 32 },
	{ "sm_53", 5, 3, 32 },
	{ "sm_60", 6, 0, 32 },
	{ "sm_61", 6, 1, 32 },
	{ "sm_62", 6, 2, 32 },
	{ "sm_70", 7, 0, 32 },
	{ "sm_72", 7, 2, 32 },
	{ "sm_75", 7, 5, 32 },
	{ "sm_80", 8, 0, 32 },
};

#define KMD_DEFAULT_ARCH "sm_80"

struct kmd_config {
	unsigned int count;
	/* arch=A:B:C: device i gets arch[min(i, narch - 1)] */
	const struct kmd_arch *arch[KMD_MAX_DEVICES];
	unsigned int narch;
	uint32_t cus;
	uint64_t mem;
};

static pthread_once_t dev_once = PTHREAD_ONCE_INIT;
static struct kmd_device *devices;
static unsigned int ndevices;

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'K': case 'k': mul = 1ull << 10; end++; break;
	case 'M': case 'm': mul = 1ull << 20; end++; break;
	case 'G': case 'g': mul = 1ull << 30; end++; break;
	case 'T': case 't': mul = 1ull << 40; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v == 0 || v > UINT64_MAX / mul)
		return -EINVAL;
	*out = v * mul;
	return 0;
}

static int parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static const struct kmd_arch *arch_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(kmd_arches) / sizeof(kmd_arches[0]); i++)
		if (strlen(kmd_arches[i].name) == len && memcmp(kmd_arches[i].name, name, len) == 0)
			return &kmd_arches[i];
	return NULL;
}

/* "sm_80" for every device, or "sm_80:mp_21" per device (the last one
 * holds for the devices after it). All names must be known, else no change. */
static int set_arch(struct kmd_config *c, const char *v)
{
	const struct kmd_arch *list[KMD_MAX_DEVICES];
	unsigned int n = 0;

	for (;;) {
		size_t len = strcspn(v, ":");

		if (n == KMD_MAX_DEVICES || !(list[n] = arch_find(v, len)))
			return -EINVAL;
		n++;
		if (!v[len])
			break;
		v += len + 1;
	}
	memcpy(c->arch, list, n * sizeof(list[0]));
	c->narch = n;
	return 0;
}

/* A malformed key is logged and ignored: the defaults still give a device. */
static void parse_swdev(struct kmd_config *c, const char *spec)
{
	char *dup = strdup(spec), *save = NULL, *tok;

	if (!dup)
		return;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		uint32_t u;
		int ret = -EINVAL;

		if (eq) {
			*eq = '\0';
			if (strcmp(tok, "count") == 0) {
				ret = parse_u32(eq + 1, 1, KMD_MAX_DEVICES, &u);
				if (!ret)
					c->count = u;
			} else if (strcmp(tok, "cus") == 0) {
				ret = parse_u32(eq + 1, 1, 1024, &u);
				if (!ret)
					c->cus = u;
			} else if (strcmp(tok, "arch") == 0) {
				ret = set_arch(c, eq + 1);
			} else if (strcmp(tok, "mem") == 0) {
				ret = parse_size(eq + 1, &c->mem);
			}
		}
		if (ret)
			kmd_warn("MUSA_SWDEV: ignoring '%s%s%s' (keys: count=1..%u, cus=1..1024, "
				 "arch=NAME[:NAME...], mem=SIZE[K|M|G|T])", tok, eq ? "=" : "",
				 eq ? eq + 1 : "", KMD_MAX_DEVICES);
	}
	free(dup);
}

static void device_info_fill(struct kmd_device *d, const struct kmd_config *c)
{
	struct drm_musa_device_info *i = &d->info;
	const struct kmd_arch *a = c->arch[d->index < c->narch ? d->index : c->narch - 1];

	snprintf(i->name, sizeof(i->name), "MUSA Software Device %s", a->name);
	i->arch_major = a->major;
	i->arch_minor = a->minor;
	i->compute_units = c->cus;
	i->warp_size = a->warp;
	i->max_threads_per_block = 1024;
	i->max_block_dim[0] = 1024;
	i->max_block_dim[1] = 1024;
	i->max_block_dim[2] = 64;
	i->max_grid_dim[0] = 0x7fffffffu;
	i->max_grid_dim[1] = 65535;
	i->max_grid_dim[2] = 65535;
	i->shared_mem_per_block = 48 * 1024;
	i->clock_rate_khz = 1000000;
	i->device_index = d->index;
	i->max_threads_per_cu = 2048;
	i->regs_per_block = 65536;
	i->memory_size = c->mem;
	i->engines = DRM_MUSA_ENGINE_COMPUTE | DRM_MUSA_ENGINE_COPY;
}

static void devices_init(void)
{
	struct kmd_config c = { .count = 1 };
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	const char *spec = getenv("MUSA_SWDEV");
	struct kmd_device *devs;
	uint64_t mem_default;

	set_arch(&c, KMD_DEFAULT_ARCH);
	c.cus = cores > 0 ? (uint32_t)cores : 1;
	c.mem = KMD_DEFAULT_MEM;
	if (pages > 0 && psz > 0 && (uint64_t)pages * (uint64_t)psz / 2 < c.mem)
		c.mem = (uint64_t)pages * (uint64_t)psz / 2;
	mem_default = c.mem = (c.mem + (uint64_t)psz - 1) & ~((uint64_t)psz - 1);
	if (spec)
		parse_swdev(&c, spec);
	c.mem = (c.mem + (uint64_t)psz - 1) & ~((uint64_t)psz - 1);

	devs = calloc(c.count, sizeof(*devs));
	if (!devs)
		return;
	for (unsigned int i = 0; i < c.count; i++) {
		struct kmd_device *d = &devs[i];

		d->index = i;
		pthread_mutex_init(&d->lock, NULL);
		atomic_init(&d->next_mmap_offset, KMD_MMAP_OFFSET_BASE);
		device_info_fill(d, &c);
		/* Room for the guard gaps of many small BOs beside the memory. */
		d->window_size = c.mem * 2 + (4ull << 30);
		d->window = mmap(NULL, d->window_size, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (d->window == MAP_FAILED && c.mem > mem_default) {
			/* mem= asked for more than the address space holds: the
			 * default size rather than no device */
			kmd_warn("MUSA_SWDEV: mem=%llu bytes does not fit this process's address "
				 "space; device %u has %llu", (unsigned long long)c.mem, i,
				 (unsigned long long)mem_default);
			c.mem = mem_default;
			device_info_fill(d, &c);
			d->window_size = c.mem * 2 + (4ull << 30);
			d->window = mmap(NULL, d->window_size, PROT_NONE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		}
		if (d->window == MAP_FAILED) {
			kmd_log("cannot reserve %llu bytes for device %u",
				(unsigned long long)d->window_size, i);
			c.count = i;
			break;
		}
		d->info.va_start = (uintptr_t)d->window;
		d->info.va_size = d->window_size;
		d->holes = malloc(sizeof(*d->holes));
		if (!d->holes) {
			munmap(d->window, d->window_size);
			c.count = i;
			break;
		}
		d->holes[0].start = (uintptr_t)d->window;
		d->holes[0].size = d->window_size;
		d->nholes = 1;
		d->holes_cap = 1;
	}
	devices = devs;
	ndevices = c.count;
}

struct kmd_device *kmd_device_get(unsigned int index)
{
	pthread_once(&dev_once, devices_init);
	if (index >= ndevices)
		return NULL;
	return &devices[index];
}

int kmd_device_mem_charge(struct kmd_device *dev, uint64_t bytes)
{
	int ret = 0;

	pthread_mutex_lock(&dev->lock);
	if (bytes > dev->info.memory_size - dev->memory_used)
		ret = -ENOMEM;
	else
		dev->memory_used += bytes;
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

void kmd_device_mem_uncharge(struct kmd_device *dev, uint64_t bytes)
{
	pthread_mutex_lock(&dev->lock);
	dev->memory_used -= bytes;
	pthread_mutex_unlock(&dev->lock);
}

static uint64_t va_span(uint64_t size)
{
	return ((size + KMD_VA_ALIGN - 1) & ~(uint64_t)(KMD_VA_ALIGN - 1)) + KMD_GUARD_BYTES;
}

/* First fit over the sorted free extents; the guard gap is part of the span. */
int kmd_device_va_alloc(struct kmd_device *dev, uint64_t size, uint64_t *va)
{
	uint64_t span;
	int ret = -ENOMEM;

	if (size == 0 || size > dev->window_size)
		return -ENOMEM;
	span = va_span(size);
	pthread_mutex_lock(&dev->lock);
	for (uint32_t i = 0; i < dev->nholes; i++) {
		struct kmd_va_hole *h = &dev->holes[i];

		if (h->size < span)
			continue;
		*va = h->start;
		h->start += span;
		h->size -= span;
		if (h->size == 0) {
			memmove(h, h + 1, (dev->nholes - i - 1) * sizeof(*h));
			dev->nholes--;
		}
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

void kmd_device_va_free(struct kmd_device *dev, uint64_t va, uint64_t size)
{
	uint64_t span = va_span(size);
	uint32_t i;

	pthread_mutex_lock(&dev->lock);
	for (i = 0; i < dev->nholes && dev->holes[i].start < va; i++)
		;
	/* Merge with the neighbours when they touch. */
	if (i > 0 && dev->holes[i - 1].start + dev->holes[i - 1].size == va) {
		dev->holes[i - 1].size += span;
		if (i < dev->nholes && va + span == dev->holes[i].start) {
			dev->holes[i - 1].size += dev->holes[i].size;
			memmove(&dev->holes[i], &dev->holes[i + 1],
				(dev->nholes - i - 1) * sizeof(dev->holes[0]));
			dev->nholes--;
		}
	} else if (i < dev->nholes && va + span == dev->holes[i].start) {
		dev->holes[i].start = va;
		dev->holes[i].size += span;
	} else {
		if (dev->nholes == dev->holes_cap) {
			uint32_t cap = dev->holes_cap * 2;
			struct kmd_va_hole *n = realloc(dev->holes, cap * sizeof(*n));

			if (!n) {
				/* Losing a hole only leaks address space, never memory. */
				pthread_mutex_unlock(&dev->lock);
				return;
			}
			dev->holes = n;
			dev->holes_cap = cap;
		}
		memmove(&dev->holes[i + 1], &dev->holes[i],
			(dev->nholes - i) * sizeof(dev->holes[0]));
		dev->holes[i].start = va;
		dev->holes[i].size = span;
		dev->nholes++;
	}
	pthread_mutex_unlock(&dev->lock);
}

/* The device's properties now (memory_used is kept beside the info). */
static void device_info_now(struct kmd_device *dev, struct drm_musa_device_info *info)
{
	pthread_mutex_lock(&dev->lock);
	*info = dev->info;
	info->memory_used = dev->memory_used;
	pthread_mutex_unlock(&dev->lock);
}

/* The compatibility path: the whole drm_musa_device_info at once. */
int kmd_ioctl_device_query(struct kmd_file *f, void *data)
{
	struct drm_musa_device_query *q = data;
	struct drm_musa_device_info info;

	if (q->flags || q->pad || q->query != DRM_MUSA_QUERY_DEVICE_INFO)
		return -EINVAL;
	if (q->size == 0) {
		q->size = sizeof(info);
		return 0;
	}
	if (q->size < sizeof(info))
		return -EINVAL;
	device_info_now(f->dev, &info);
	if (kmd_copy_to_user(q->data, &info, sizeof(info)))
		return -EFAULT;
	q->size = sizeof(info);
	return 0;
}

/* Where a GET_PARAM key's value lies in drm_musa_device_info: `count`
 * elements of `size` bytes (4 or 8) from `offset`; size 0: no such key. */
struct kmd_param {
	uint16_t offset;
	uint8_t size;
	uint8_t count;
};

#define INFO_SIZE(field) sizeof(((struct drm_musa_device_info *)0)->field)
#define PARAM(key, field) \
	[DRM_MUSA_PARAM_##key] = { offsetof(struct drm_musa_device_info, field), \
				   INFO_SIZE(field), 1 }
#define PARAM_ARRAY(key, field) \
	[DRM_MUSA_PARAM_##key] = { offsetof(struct drm_musa_device_info, field), \
				   INFO_SIZE(field[0]), INFO_SIZE(field) / INFO_SIZE(field[0]) }

static const struct kmd_param kmd_params[DRM_MUSA_PARAM_COUNT] = {
	[DRM_MUSA_PARAM_NAME] = { offsetof(struct drm_musa_device_info, name), 8,
				  DRM_MUSA_PARAM_NAME_WORDS },
	PARAM(ARCH_MAJOR, arch_major),
	PARAM(ARCH_MINOR, arch_minor),
	PARAM(COMPUTE_UNITS, compute_units),
	PARAM(WARP_SIZE, warp_size),
	PARAM(MAX_THREADS_PER_BLOCK, max_threads_per_block),
	PARAM_ARRAY(MAX_BLOCK_DIM, max_block_dim),
	PARAM_ARRAY(MAX_GRID_DIM, max_grid_dim),
	PARAM(SHARED_MEM_PER_BLOCK, shared_mem_per_block),
	PARAM(CLOCK_RATE_KHZ, clock_rate_khz),
	PARAM(DEVICE_INDEX, device_index),
	PARAM(MAX_THREADS_PER_CU, max_threads_per_cu),
	PARAM(REGS_PER_BLOCK, regs_per_block),
	PARAM(MEMORY_SIZE, memory_size),
	PARAM(MEMORY_USED, memory_used),
	PARAM(VA_START, va_start),
	PARAM(VA_SIZE, va_size),
	PARAM(ENGINES, engines),
};

_Static_assert(INFO_SIZE(name) == 8 * DRM_MUSA_PARAM_NAME_WORDS, "name words");

int kmd_ioctl_get_param(struct kmd_file *f, void *data)
{
	struct drm_musa_get_param *a = data;
	struct drm_musa_device_info info;
	const struct kmd_param *p;
	uint32_t v32;

	if (a->param == DRM_MUSA_PARAM_UAPI_VERSION) {
		if (a->index)
			return -EINVAL;
		a->value = (uint64_t)MUSA_DRM_VERSION_MAJOR << 32 | MUSA_DRM_VERSION_MINOR;
		return 0;
	}
	if (a->param >= DRM_MUSA_PARAM_COUNT || !kmd_params[a->param].size)
		return -EINVAL;
	p = &kmd_params[a->param];
	if (a->index >= p->count)
		return -EINVAL;
	device_info_now(f->dev, &info);
	if (p->size == sizeof(v32)) {
		memcpy(&v32, (const char *)&info + p->offset + a->index * p->size, sizeof(v32));
		a->value = v32;
	} else {
		memcpy(&a->value, (const char *)&info + p->offset + a->index * p->size,
		       sizeof(a->value));
	}
	return 0;
}
