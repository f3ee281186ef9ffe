/* SPDX-License-Identifier: MIT */
/*
 * init.c - muInit: finds the devices once per process.
 *
 * Opens physical device 0, 1, ... through the transport until ENODEV, asks
 * each for its properties with GET_PARAM, one key at a time (the only
 * source of device properties), closes it again, and orders the visible ones as
 * MUSA_VISIBLE_DEVICES says. The outcome of the first call is kept, as
 * CUDA keeps it. A child forked after muInit cannot use the driver (its
 * contexts' fds, queues and compute units are the parent's, and the
 * threads behind them did not survive the fork): every call there, muInit
 * included, returns MUSA_ERROR_NOT_INITIALIZED, as CUDA's do. A fork
 * handler marks the child, so the check costs no system call.
 * A process that found its devices is listed by musa-smi (smi.c), and
 * reads its profiler settings (profiler.c).
 * May call: transport.c, errno.c, smi.c, profiler.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "umd.h"

struct umd_dev umd_devs[UMD_MAX_DEVICES];
int umd_ndevs;

static pthread_mutex_t umd_init_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int umd_init_state;   /* 0: not tried, 1: ok, 2: failed */
static MUresult umd_init_result;
static _Atomic int umd_forked;       /* this process is a child forked after init */

static void umd_atfork_child(void)
{
	if (atomic_load(&umd_init_state) != 0)
		atomic_store(&umd_forked, 1);
}

/* Where each GET_PARAM key goes in drm_musa_device_info: `count` values
 * of `size` bytes (4 or 8) from `offset`. */
struct umd_param {
	uint32_t param;
	uint16_t offset;
	uint8_t size;
	uint8_t count;
};

#define UMD_INFO_SIZE(field) sizeof(((struct drm_musa_device_info *)0)->field)
#define UMD_PARAM(key, field) \
	{ DRM_MUSA_PARAM_##key, offsetof(struct drm_musa_device_info, field), \
	  UMD_INFO_SIZE(field), 1 }
#define UMD_PARAM_ARRAY(key, field) \
	{ DRM_MUSA_PARAM_##key, offsetof(struct drm_musa_device_info, field), \
	  UMD_INFO_SIZE(field[0]), UMD_INFO_SIZE(field) / UMD_INFO_SIZE(field[0]) }

static const struct umd_param umd_params[] = {
	{ DRM_MUSA_PARAM_NAME, offsetof(struct drm_musa_device_info, name), 8,
	  DRM_MUSA_PARAM_NAME_WORDS },
	UMD_PARAM(ARCH_MAJOR, arch_major),
	UMD_PARAM(ARCH_MINOR, arch_minor),
	UMD_PARAM(COMPUTE_UNITS, compute_units),
	UMD_PARAM(WARP_SIZE, warp_size),
	UMD_PARAM(MAX_THREADS_PER_BLOCK, max_threads_per_block),
	UMD_PARAM_ARRAY(MAX_BLOCK_DIM, max_block_dim),
	UMD_PARAM_ARRAY(MAX_GRID_DIM, max_grid_dim),
	UMD_PARAM(SHARED_MEM_PER_BLOCK, shared_mem_per_block),
	UMD_PARAM(CLOCK_RATE_KHZ, clock_rate_khz),
	UMD_PARAM(DEVICE_INDEX, device_index),
	UMD_PARAM(MAX_THREADS_PER_CU, max_threads_per_cu),
	UMD_PARAM(REGS_PER_BLOCK, regs_per_block),
	UMD_PARAM(MEMORY_SIZE, memory_size),
	UMD_PARAM(MEMORY_USED, memory_used),
	UMD_PARAM(VA_START, va_start),
	UMD_PARAM(VA_SIZE, va_size),
	UMD_PARAM(ENGINES, engines),
};

int umd_dev_param(const struct umd_tr *tr, uint32_t param, uint32_t index, uint64_t *value)
{
	struct drm_musa_get_param g = { .param = param, .index = index };
	int ret = umd_tr_ioctl(tr, DRM_IOCTL_MUSA_GET_PARAM, &g);

	if (!ret)
		*value = g.value;
	return ret;
}

int umd_dev_query(const struct umd_tr *tr, struct drm_musa_device_info *info)
{
	memset(info, 0, sizeof(*info));
	for (size_t i = 0; i < sizeof(umd_params) / sizeof(umd_params[0]); i++) {
		const struct umd_param *p = &umd_params[i];

		for (uint32_t k = 0; k < p->count; k++) {
			char *dst = (char *)info + p->offset + k * p->size;
			uint64_t value;
			uint32_t v32;
			int ret = umd_dev_param(tr, p->param, k, &value);

			if (ret)
				return ret;
			if (p->size == sizeof(v32)) {
				v32 = (uint32_t)value;
				memcpy(dst, &v32, sizeof(v32));
			} else {
				memcpy(dst, &value, sizeof(value));
			}
		}
	}
	info->name[sizeof(info->name) - 1] = '\0';
	return 0;
}

/* Physical devices in kmd order. */
static int umd_enumerate(struct drm_musa_device_info *phys, int max)
{
	int n;

	for (n = 0; n < max; n++) {
		struct umd_tr tr;
		int ret = umd_tr_open((unsigned int)n, &tr);

		if (ret) {
			if (ret != -ENODEV)
				umd_log("opening device %d failed: errno %d", n, -ret);
			break;
		}
		ret = umd_dev_query(&tr, &phys[n]);
		umd_tr_close(&tr);
		if (ret) {
			umd_log("GET_PARAM on device %d failed: errno %d", n, -ret);
			break;
		}
	}
	return n;
}

/* MUSA_VISIBLE_DEVICES="1,0": the list stops at the first entry that is not
 * a device, as on real hardware. Without it every device is visible. */
static void umd_apply_visibility(const struct drm_musa_device_info *phys, int nphys)
{
	const char *env = getenv("MUSA_VISIBLE_DEVICES");
	int used[UMD_MAX_DEVICES] = { 0 };

	umd_ndevs = 0;
	if (!env) {
		for (int i = 0; i < nphys; i++) {
			umd_devs[i].kmd_index = (unsigned int)i;
			umd_devs[i].info = phys[i];
		}
		umd_ndevs = nphys;
		return;
	}
	while (*env && umd_ndevs < UMD_MAX_DEVICES) {
		char *end;
		long v;

		while (*env == ' ')
			env++;
		v = strtol(env, &end, 10);
		if (end == env || v < 0 || v >= nphys || used[v]) {
			/* as on real hardware the list ends here; say so */
			umd_warn("MUSA_VISIBLE_DEVICES: '%s' is not a device index below %d "
				 "listed once; the list ends there", env, nphys);
			break;
		}
		used[v] = 1;
		umd_devs[umd_ndevs].kmd_index = (unsigned int)v;
		umd_devs[umd_ndevs].info = phys[v];
		umd_ndevs++;
		while (*end == ' ')
			end++;
		if (*end != ',')
			break;
		env = end + 1;
	}
}

static MUresult umd_do_init(void)
{
	struct drm_musa_device_info *phys;
	int nphys;

	umd_log_check();
	phys = calloc(UMD_MAX_DEVICES, sizeof(*phys));
	if (!phys)
		return MUSA_ERROR_OUT_OF_MEMORY;
	nphys = umd_enumerate(phys, UMD_MAX_DEVICES);
	umd_apply_visibility(phys, nphys);
	free(phys);
	for (int i = 0; i < umd_ndevs; i++)
		pthread_mutex_init(&umd_devs[i].lock, NULL);
	umd_log("%d physical device(s), %d visible", nphys, umd_ndevs);
	umd_memcheck_init();
	return umd_ndevs ? MUSA_SUCCESS : MUSA_ERROR_NO_DEVICE;
}

UMD_API MUresult muInit(unsigned int flags)
{
	MUresult r;

	CHECK(flags != 0, MUSA_ERROR_INVALID_VALUE);
	if (atomic_load(&umd_forked))
		return MUSA_ERROR_NOT_INITIALIZED;
	if (atomic_load(&umd_init_state) == 1)
		return MUSA_SUCCESS;
	pthread_mutex_lock(&umd_init_lock);
	if (atomic_load(&umd_init_state) == 0) {
		pthread_atfork(NULL, NULL, umd_atfork_child);
		umd_init_result = umd_do_init();
		if (umd_init_result == MUSA_SUCCESS) {
			umd_smi_publish();
			umd_prof_init();
		}
		atomic_store(&umd_init_state, umd_init_result == MUSA_SUCCESS ? 1 : 2);
	}
	r = umd_init_result;
	pthread_mutex_unlock(&umd_init_lock);
	return r;
}

MUresult umd_check_init(void)
{
	if (atomic_load(&umd_forked))
		return MUSA_ERROR_NOT_INITIALIZED;
	return atomic_load(&umd_init_state) == 1 ? MUSA_SUCCESS : MUSA_ERROR_NOT_INITIALIZED;
}

UMD_API MUresult muDriverGetVersion(int *driverVersion)
{
	CHECK(!driverVersion, MUSA_ERROR_INVALID_VALUE);
	*driverVersion = MUSA_VERSION;
	return MUSA_SUCCESS;
}
