/* SPDX-License-Identifier: MIT */
/*
 * musa-smi.c - the device status tool, shaped like nvidia-smi.
 *
 * Shows the devices a program would see under the current MUSA_SWDEV and
 * MUSA_VISIBLE_DEVICES, asked through the driver API (musa.h), and the
 * processes that use the driver, read from the records they publish
 * (include/musa_smi.h, umd/smi.c). Records whose process is gone are
 * deleted on the way, when this user may.
 *   musa-smi            a device table and a process table
 *   musa-smi -L         one line per device
 *   musa-smi -q         every attribute of every device, and its processes
 * Exit status: 0; 2 a bad command line; 6 no device; 1 another error.
 * May call: libmusa (musa.h), libc.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "musa.h"
#include "musa_smi.h"

#ifndef SMI_VERSION
#define SMI_VERSION "unknown"
#endif

#define SMI_EXIT_ERROR     1
#define SMI_EXIT_USAGE     2
#define SMI_EXIT_NO_DEVICE 6

#define SMI_MIB (1024ull * 1024ull)
/* Width of the keys of -q, indent included. */
#define SMI_KEY_WIDTH 56

struct smi_attr {
	MUdevice_attribute attr;
	const char *name;
};

#define ATTR(n) { MU_DEVICE_ATTRIBUTE_##n, #n }

/* Every attribute of musa.h, in the header's order. */
static const struct smi_attr smi_attrs[] = {
	ATTR(MAX_THREADS_PER_BLOCK),
	ATTR(MAX_BLOCK_DIM_X),
	ATTR(MAX_BLOCK_DIM_Y),
	ATTR(MAX_BLOCK_DIM_Z),
	ATTR(MAX_GRID_DIM_X),
	ATTR(MAX_GRID_DIM_Y),
	ATTR(MAX_GRID_DIM_Z),
	ATTR(MAX_SHARED_MEMORY_PER_BLOCK),
	ATTR(TOTAL_CONSTANT_MEMORY),
	ATTR(WARP_SIZE),
	ATTR(MAX_PITCH),
	ATTR(MAX_REGISTERS_PER_BLOCK),
	ATTR(CLOCK_RATE),
	ATTR(TEXTURE_ALIGNMENT),
	ATTR(GPU_OVERLAP),
	ATTR(MULTIPROCESSOR_COUNT),
	ATTR(KERNEL_EXEC_TIMEOUT),
	ATTR(INTEGRATED),
	ATTR(CAN_MAP_HOST_MEMORY),
	ATTR(COMPUTE_MODE),
	ATTR(CONCURRENT_KERNELS),
	ATTR(ECC_ENABLED),
	ATTR(PCI_BUS_ID),
	ATTR(PCI_DEVICE_ID),
	ATTR(TCC_DRIVER),
	ATTR(MEMORY_CLOCK_RATE),
	ATTR(GLOBAL_MEMORY_BUS_WIDTH),
	ATTR(L2_CACHE_SIZE),
	ATTR(MAX_THREADS_PER_MULTIPROCESSOR),
	ATTR(ASYNC_ENGINE_COUNT),
	ATTR(UNIFIED_ADDRESSING),
	ATTR(PCI_DOMAIN_ID),
	ATTR(COMPUTE_CAPABILITY_MAJOR),
	ATTR(COMPUTE_CAPABILITY_MINOR),
	ATTR(STREAM_PRIORITIES_SUPPORTED),
	ATTR(GLOBAL_L1_CACHE_SUPPORTED),
	ATTR(LOCAL_L1_CACHE_SUPPORTED),
	ATTR(MAX_SHARED_MEMORY_PER_MULTIPROCESSOR),
	ATTR(MAX_REGISTERS_PER_MULTIPROCESSOR),
	ATTR(MANAGED_MEMORY),
	ATTR(MULTI_GPU_BOARD),
	ATTR(MULTI_GPU_BOARD_GROUP_ID),
	ATTR(HOST_NATIVE_ATOMIC_SUPPORTED),
	ATTR(PAGEABLE_MEMORY_ACCESS),
	ATTR(CONCURRENT_MANAGED_ACCESS),
	ATTR(COMPUTE_PREEMPTION_SUPPORTED),
	ATTR(CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM),
	ATTR(COOPERATIVE_LAUNCH),
	ATTR(MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
	ATTR(MAX_BLOCKS_PER_MULTIPROCESSOR),
	ATTR(MAXIMUM_TEXTURE1D_WIDTH),
	ATTR(MAXIMUM_TEXTURE2D_WIDTH),
	ATTR(MAXIMUM_TEXTURE2D_HEIGHT),
	ATTR(MAXIMUM_TEXTURE3D_WIDTH),
	ATTR(MAXIMUM_TEXTURE3D_HEIGHT),
	ATTR(MAXIMUM_TEXTURE3D_DEPTH),
	ATTR(MAXIMUM_TEXTURE2D_LAYERED_WIDTH),
	ATTR(MAXIMUM_TEXTURE2D_LAYERED_HEIGHT),
	ATTR(MAXIMUM_TEXTURE2D_LAYERED_LAYERS),
	ATTR(SURFACE_ALIGNMENT),
	ATTR(MAXIMUM_TEXTURE1D_LAYERED_WIDTH),
	ATTR(MAXIMUM_TEXTURE1D_LAYERED_LAYERS),
	ATTR(MAXIMUM_TEXTURE2D_GATHER_WIDTH),
	ATTR(MAXIMUM_TEXTURE2D_GATHER_HEIGHT),
	ATTR(MAXIMUM_TEXTURE3D_WIDTH_ALTERNATE),
	ATTR(MAXIMUM_TEXTURE3D_HEIGHT_ALTERNATE),
	ATTR(MAXIMUM_TEXTURE3D_DEPTH_ALTERNATE),
	ATTR(TEXTURE_PITCH_ALIGNMENT),
	ATTR(MAXIMUM_TEXTURECUBEMAP_WIDTH),
	ATTR(MAXIMUM_TEXTURECUBEMAP_LAYERED_WIDTH),
	ATTR(MAXIMUM_TEXTURECUBEMAP_LAYERED_LAYERS),
	ATTR(MAXIMUM_SURFACE1D_WIDTH),
	ATTR(MAXIMUM_SURFACE2D_WIDTH),
	ATTR(MAXIMUM_SURFACE2D_HEIGHT),
	ATTR(MAXIMUM_SURFACE3D_WIDTH),
	ATTR(MAXIMUM_SURFACE3D_HEIGHT),
	ATTR(MAXIMUM_SURFACE3D_DEPTH),
	ATTR(MAXIMUM_SURFACE1D_LAYERED_WIDTH),
	ATTR(MAXIMUM_SURFACE1D_LAYERED_LAYERS),
	ATTR(MAXIMUM_SURFACE2D_LAYERED_WIDTH),
	ATTR(MAXIMUM_SURFACE2D_LAYERED_HEIGHT),
	ATTR(MAXIMUM_SURFACE2D_LAYERED_LAYERS),
	ATTR(MAXIMUM_SURFACECUBEMAP_WIDTH),
	ATTR(MAXIMUM_SURFACECUBEMAP_LAYERED_WIDTH),
	ATTR(MAXIMUM_SURFACECUBEMAP_LAYERED_LAYERS),
	ATTR(MAXIMUM_TEXTURE1D_LINEAR_WIDTH),
	ATTR(MAXIMUM_TEXTURE2D_LINEAR_WIDTH),
	ATTR(MAXIMUM_TEXTURE2D_LINEAR_HEIGHT),
	ATTR(MAXIMUM_TEXTURE2D_LINEAR_PITCH),
	ATTR(MAXIMUM_TEXTURE2D_MIPMAPPED_WIDTH),
	ATTR(MAXIMUM_TEXTURE2D_MIPMAPPED_HEIGHT),
	ATTR(MAXIMUM_TEXTURE1D_MIPMAPPED_WIDTH),
	ATTR(SINGLE_TO_DOUBLE_PRECISION_PERF_RATIO),
	ATTR(COOPERATIVE_MULTI_DEVICE_LAUNCH),
	ATTR(CAN_FLUSH_REMOTE_WRITES),
	ATTR(HOST_REGISTER_SUPPORTED),
	ATTR(PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES),
	ATTR(DIRECT_MANAGED_MEM_ACCESS_FROM_HOST),
	ATTR(VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED),
	ATTR(HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED),
	ATTR(HANDLE_TYPE_WIN32_HANDLE_SUPPORTED),
	ATTR(HANDLE_TYPE_WIN32_KMT_HANDLE_SUPPORTED),
	ATTR(GENERIC_COMPRESSION_SUPPORTED),
	ATTR(MAX_PERSISTING_L2_CACHE_SIZE),
	ATTR(MAX_ACCESS_POLICY_WINDOW_SIZE),
	ATTR(GPU_DIRECT_RDMA_WITH_MUSA_VMM_SUPPORTED),
	ATTR(RESERVED_SHARED_MEMORY_PER_BLOCK),
	ATTR(SPARSE_MUSA_ARRAY_SUPPORTED),
	ATTR(READ_ONLY_HOST_REGISTER_SUPPORTED),
	ATTR(TIMELINE_SEMAPHORE_INTEROP_SUPPORTED),
	ATTR(MEMORY_POOLS_SUPPORTED),
	ATTR(GPU_DIRECT_RDMA_SUPPORTED),
	ATTR(GPU_DIRECT_RDMA_FLUSH_WRITES_OPTIONS),
	ATTR(GPU_DIRECT_RDMA_WRITES_ORDERING),
	ATTR(MEMPOOL_SUPPORTED_HANDLE_TYPES),
	ATTR(CLUSTER_LAUNCH),
	ATTR(DEFERRED_MAPPING_MUSA_ARRAY_SUPPORTED),
	ATTR(CAN_USE_64_BIT_STREAM_MEM_OPS),
	ATTR(CAN_USE_STREAM_WAIT_VALUE_NOR),
	ATTR(DMA_BUF_SUPPORTED),
	ATTR(IPC_EVENT_SUPPORTED),
	ATTR(MEM_SYNC_DOMAIN_COUNT),
	ATTR(TENSOR_MAP_ACCESS_SUPPORTED),
	ATTR(UNIFIED_FUNCTION_POINTERS),
};

#undef ATTR

/* One device as this process sees it. */
struct smi_device {
	MUdevice dev;
	char name[256];
	char arch[16];
	int major, minor;
	int cus, warp, clock_khz;
	int physical;      /* PCI bus number: the index in the records */
	size_t total;
	uint64_t used;     /* what the listed processes hold on it */
};

/* One process, copied out of its record. */
struct smi_process {
	pid_t pid;
	char name[MUSA_SMI_NAME_LEN];
	uint64_t start_time;
	unsigned int ndevices;
	struct musa_smi_device dev[MUSA_SMI_MAX_DEVICES];
};

/* One line of the process table: a process on one of its devices. */
struct smi_row {
	const struct smi_process *proc;
	const struct musa_smi_device *dev;
	int gpu;           /* ordinal here, -1: a device this view does not show */
};

struct smi_state {
	int driver_version;
	struct smi_device *devs;
	int ndevs;
	struct smi_process *procs;
	size_t nprocs;
	struct smi_row *rows;
	size_t nrows;
};

static void smi_usage(FILE *f)
{
	fprintf(f,
		"Usage: musa-smi [-q | -L | -h]\n"
		"Shows the MUSA devices a program would see (MUSA_SWDEV, MUSA_VISIBLE_DEVICES)\n"
		"and the processes that use them.\n"
		"  -q, --query      every attribute of every device, and its processes\n"
		"  -L, --list-gpus  one line per device\n"
		"  -h, --help       this text\n"
		"Exit status: 0; 2 a bad command line; 6 no device; 1 another error.\n");
}

/* Reports a failed driver call; returns the exit status it calls for. */
static int smi_fail(const char *what, MUresult r)
{
	const char *name = NULL, *text = NULL;

	muGetErrorName(r, &name);
	muGetErrorString(r, &text);
	fprintf(stderr, "musa-smi: %s failed: %s (%s)\n", what, name ? name : "unknown error",
		text ? text : "no description");
	return SMI_EXIT_ERROR;
}

/* The arch name of a compute capability (docs/design.md, "Compute
 * capability"): MUSA's numbering below 5, CUDA's from 5 on. */
static void smi_arch_name(int major, int minor, char *buf, size_t n)
{
	snprintf(buf, n, "%s_%d%d", major < 5 ? "mp" : "sm", major, minor);
}

static MUresult smi_device_load(MUdevice dev, struct smi_device *d)
{
	MUresult r;

	d->dev = dev;
	r = muDeviceGetName(d->name, (int)sizeof(d->name), dev);
	if (!r)
		r = muDeviceComputeCapability(&d->major, &d->minor, dev);
	if (!r)
		r = muDeviceGetAttribute(&d->cus, MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev);
	if (!r)
		r = muDeviceGetAttribute(&d->warp, MU_DEVICE_ATTRIBUTE_WARP_SIZE, dev);
	if (!r)
		r = muDeviceGetAttribute(&d->clock_khz, MU_DEVICE_ATTRIBUTE_CLOCK_RATE, dev);
	if (!r)
		r = muDeviceGetAttribute(&d->physical, MU_DEVICE_ATTRIBUTE_PCI_BUS_ID, dev);
	if (!r)
		r = muDeviceTotalMem(&d->total, dev);
	smi_arch_name(d->major, d->minor, d->arch, sizeof(d->arch));
	return r;
}

/* The devices, through the driver; 0 or the exit status of the failure. */
static int smi_devices_load(struct smi_state *st)
{
	const char *visible;
	MUresult r;
	int n;

	/* This tool is not one of the processes it lists. */
	setenv("MUSA_SMI", "0", 1);
	r = muInit(0);
	if (r == MUSA_ERROR_NO_DEVICE) {
		visible = getenv("MUSA_VISIBLE_DEVICES");
		if (visible)
			fprintf(stderr, "musa-smi: no MUSA device found "
				"(MUSA_VISIBLE_DEVICES='%s' selects none)\n", visible);
		else
			fprintf(stderr, "musa-smi: no MUSA device found\n");
		return SMI_EXIT_NO_DEVICE;
	}
	if (r)
		return smi_fail("muInit", r);
	r = muDriverGetVersion(&st->driver_version);
	if (r)
		return smi_fail("muDriverGetVersion", r);
	r = muDeviceGetCount(&n);
	if (r)
		return smi_fail("muDeviceGetCount", r);
	if (n <= 0) {
		fprintf(stderr, "musa-smi: no MUSA device found\n");
		return SMI_EXIT_NO_DEVICE;
	}
	st->devs = calloc((size_t)n, sizeof(*st->devs));
	if (!st->devs) {
		fprintf(stderr, "musa-smi: out of memory\n");
		return SMI_EXIT_ERROR;
	}
	for (int i = 0; i < n; i++) {
		MUdevice dev;

		r = muDeviceGet(&dev, i);
		if (!r)
			r = smi_device_load(dev, &st->devs[i]);
		if (r)
			return smi_fail("reading the device properties", r);
	}
	st->ndevs = n;
	return 0;
}

/* Whether process pid, started at start_ticks (0: unknown), still runs. */
static bool smi_process_alive(pid_t pid, uint64_t start_ticks)
{
	char path[64], buf[1024];
	uint64_t now;
	ssize_t len;
	int fd;

	if (kill(pid, 0) == -1 && errno == ESRCH)
		return false;
	if (!start_ticks)
		return true;
	/* The pid may have been given to another process since. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return true;
	buf[len] = '\0';
	now = musa_smi_stat_start(buf);
	return !now || now == start_ticks;
}

/* The pid in a record's file name, or 0 when the name is not one. */
static pid_t smi_record_pid(const char *name)
{
	size_t plen = strlen(MUSA_SMI_PREFIX);
	const char *digits = name + plen;
	char *end;
	long v;

	if (strncmp(name, MUSA_SMI_PREFIX, plen) != 0 || *digits < '1' || *digits > '9')
		return 0;
	errno = 0;
	v = strtol(digits, &end, 10);
	if (*end || errno || v <= 0 || v > INT32_MAX)
		return 0;
	return (pid_t)v;
}

/*
 * Copies the record of file `name` into p: 0, 1 when the record is stale
 * (the caller deletes it), -1 when it cannot be read or is not a record
 * (yet): a process may be filling it in.
 */
static int smi_record_read(int dir, const char *name, pid_t pid, struct smi_process *p)
{
	const struct musa_smi_record *rec;
	struct stat sb;
	uint64_t ticks;
	int fd, ret = -1;

	fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size < (off_t)sizeof(*rec)) {
		close(fd);
		return -1;
	}
	rec = mmap(NULL, sizeof(*rec), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (rec == MAP_FAILED)
		return -1;
	if (__atomic_load_n(&rec->magic, __ATOMIC_ACQUIRE) != MUSA_SMI_MAGIC ||
	    rec->version < MUSA_SMI_VERSION || rec->size < sizeof(*rec) || rec->pid != pid)
		goto out;
	ticks = rec->start_ticks;
	if (!smi_process_alive(pid, ticks)) {
		ret = 1;
		goto out;
	}
	p->pid = pid;
	memcpy(p->name, rec->name, sizeof(p->name));
	p->name[sizeof(p->name) - 1] = '\0';
	p->start_time = rec->start_time;
	p->ndevices = rec->ndevices < MUSA_SMI_MAX_DEVICES ? rec->ndevices : MUSA_SMI_MAX_DEVICES;
	for (unsigned int i = 0; i < p->ndevices; i++) {
		p->dev[i].physical = rec->dev[i].physical;
		p->dev[i].pad = 0;
		p->dev[i].mem_used = __atomic_load_n(&rec->dev[i].mem_used, __ATOMIC_RELAXED);
		p->dev[i].launches = __atomic_load_n(&rec->dev[i].launches, __ATOMIC_RELAXED);
	}
	ret = 0;
out:
	munmap((void *)rec, sizeof(*rec));
	return ret;
}

static int smi_process_cmp(const void *a, const void *b)
{
	const struct smi_process *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The processes of the records in MUSA_SMI_DIR, by pid; stale records go.
 * A missing directory is an empty list. 0 or -1 (out of memory). */
static int smi_processes_load(struct smi_state *st)
{
	size_t cap = 0;
	struct dirent *e;
	DIR *d;

	d = opendir(MUSA_SMI_DIR);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid = smi_record_pid(e->d_name);
		int ret;

		if (!pid || pid == getpid())
			continue;
		if (!smi_process_alive(pid, 0)) {
			unlinkat(dirfd(d), e->d_name, 0);
			continue;
		}
		if (st->nprocs == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct smi_process *np = realloc(st->procs, ncap * sizeof(*np));

			if (!np) {
				closedir(d);
				return -1;
			}
			st->procs = np;
			cap = ncap;
		}
		ret = smi_record_read(dirfd(d), e->d_name, pid, &st->procs[st->nprocs]);
		if (ret == 1)
			unlinkat(dirfd(d), e->d_name, 0);
		else if (ret == 0)
			st->nprocs++;
	}
	closedir(d);
	if (st->nprocs)
		qsort(st->procs, st->nprocs, sizeof(*st->procs), smi_process_cmp);
	return 0;
}

/* The ordinal here of the device with PCI bus number physical, or -1. */
static int smi_gpu_of(const struct smi_state *st, uint32_t physical)
{
	for (int i = 0; i < st->ndevs; i++)
		if ((uint32_t)st->devs[i].physical == physical)
			return i;
	return -1;
}

static int smi_row_add(struct smi_state *st, size_t *cap, const struct smi_process *p,
		       const struct musa_smi_device *d)
{
	struct smi_row *row;

	if (st->nrows == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct smi_row *nr = realloc(st->rows, ncap * sizeof(*nr));

		if (!nr)
			return -1;
		st->rows = nr;
		*cap = ncap;
	}
	row = &st->rows[st->nrows++];
	row->proc = p;
	row->dev = d;
	row->gpu = smi_gpu_of(st, d->physical);
	if (row->gpu >= 0)
		st->devs[row->gpu].used += d->mem_used;
	return 0;
}

/*
 * The process table's lines: a process on each device it holds memory on
 * or launched kernels on, or on its first device when it did neither yet;
 * the devices' use is the sum of their lines. 0 or -1 (out of memory).
 */
static int smi_rows_build(struct smi_state *st)
{
	size_t cap = 0;

	for (size_t i = 0; i < st->nprocs; i++) {
		const struct smi_process *p = &st->procs[i];
		size_t first = st->nrows;

		for (unsigned int j = 0; j < p->ndevices; j++)
			if ((p->dev[j].mem_used || p->dev[j].launches) &&
			    smi_row_add(st, &cap, p, &p->dev[j]))
				return -1;
		if (st->nrows == first && p->ndevices && smi_row_add(st, &cap, p, &p->dev[0]))
			return -1;
	}
	return 0;
}

/* output */

struct smi_col {
	const char *title;
	int width;
	bool right;
};

static void smi_rule(const struct smi_col *c, int n, char fill)
{
	putchar(fill == '=' ? '|' : '+');
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < c[i].width + 2; k++)
			putchar(fill);
		putchar(i + 1 < n || fill != '=' ? '+' : '|');
	}
	putchar('\n');
}

static void smi_cells(const struct smi_col *c, int n, char cells[][64])
{
	putchar('|');
	for (int i = 0; i < n; i++)
		printf(" %*.*s |", c[i].right ? c[i].width : -c[i].width, c[i].width, cells[i]);
	putchar('\n');
}

static void smi_titles(const struct smi_col *c, int n)
{
	char cells[16][64];

	for (int i = 0; i < n; i++)
		snprintf(cells[i], sizeof(cells[i]), "%s", c[i].title);
	smi_rule(c, n, '-');
	smi_cells(c, n, cells);
	smi_rule(c, n, '=');
}

static unsigned long long smi_mib_down(uint64_t bytes)
{
	return (unsigned long long)(bytes / SMI_MIB);
}

/* Memory in use shows as at least 1 MiB. */
static unsigned long long smi_mib_up(uint64_t bytes)
{
	return (unsigned long long)((bytes + SMI_MIB - 1) / SMI_MIB);
}

static uint64_t smi_free_bytes(const struct smi_device *d)
{
	return d->used < d->total ? d->total - d->used : 0;
}

static void smi_time(char *buf, size_t n, time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, n, "%a %b %e %H:%M:%S %Y", &tm))
		snprintf(buf, n, "%lld", (long long)t);
}

static void smi_print_table(const struct smi_state *st)
{
	static const struct smi_col dcols[] = {
		{ "GPU", 3, true }, { "Name", 30, false }, { "Arch", 5, false },
		{ "CC", 4, false }, { "CUs", 4, true }, { "Warp", 4, true },
		{ "Clock", 9, true }, { "Memory-Usage", 19, true }, { "Free", 10, true },
	};
	static const struct smi_col pcols[] = {
		{ "GPU", 3, true }, { "PID", 8, true }, { "Process name", 32, false },
		{ "GPU Memory", 10, true }, { "Kernels", 12, true },
	};
	const int nd = (int)(sizeof(dcols) / sizeof(dcols[0]));
	const int np = (int)(sizeof(pcols) / sizeof(pcols[0]));
	char cells[16][64], now[64];
	int inner = -3;

	smi_time(now, sizeof(now), time(NULL));
	printf("%s\n", now);
	printf("MUSA-SMI %s    Driver Version: %d.%d    Devices: %d (software)\n", SMI_VERSION,
	       st->driver_version / 1000, st->driver_version % 1000 / 10, st->ndevs);
	smi_titles(dcols, nd);
	for (int i = 0; i < st->ndevs; i++) {
		const struct smi_device *d = &st->devs[i];

		snprintf(cells[0], sizeof(cells[0]), "%d", i);
		snprintf(cells[1], sizeof(cells[1]), "%.63s", d->name);
		snprintf(cells[2], sizeof(cells[2]), "%s", d->arch);
		snprintf(cells[3], sizeof(cells[3]), "%d.%d", d->major, d->minor);
		snprintf(cells[4], sizeof(cells[4]), "%d", d->cus);
		snprintf(cells[5], sizeof(cells[5]), "%d", d->warp);
		snprintf(cells[6], sizeof(cells[6]), "%d MHz", d->clock_khz / 1000);
		snprintf(cells[7], sizeof(cells[7]), "%lluMiB / %lluMiB", smi_mib_up(d->used),
			 smi_mib_down(d->total));
		snprintf(cells[8], sizeof(cells[8]), "%lluMiB", smi_mib_down(smi_free_bytes(d)));
		smi_cells(dcols, nd, cells);
		smi_rule(dcols, nd, '-');
	}

	printf("\nProcesses:\n");
	smi_titles(pcols, np);
	for (size_t i = 0; i < st->nrows; i++) {
		const struct smi_row *r = &st->rows[i];

		if (r->gpu >= 0)
			snprintf(cells[0], sizeof(cells[0]), "%d", r->gpu);
		else
			snprintf(cells[0], sizeof(cells[0]), "-");
		snprintf(cells[1], sizeof(cells[1]), "%d", (int)r->proc->pid);
		snprintf(cells[2], sizeof(cells[2]), "%s", r->proc->name);
		snprintf(cells[3], sizeof(cells[3]), "%lluMiB", smi_mib_up(r->dev->mem_used));
		snprintf(cells[4], sizeof(cells[4]), "%llu",
			 (unsigned long long)r->dev->launches);
		smi_cells(pcols, np, cells);
	}
	if (!st->nrows) {
		for (int i = 0; i < np; i++)
			inner += pcols[i].width + 3;
		printf("| %-*s |\n", inner, "No running processes found");
	}
	smi_rule(pcols, np, '-');
}

static void smi_uuid_text(MUdevice dev, char *buf, size_t n)
{
	const unsigned char *b;
	MUuuid u;

	if (muDeviceGetUuid(&u, dev)) {
		snprintf(buf, n, "N/A");
		return;
	}
	b = (const unsigned char *)u.bytes;
	snprintf(buf, n, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
}

static void smi_print_list(const struct smi_state *st)
{
	char uuid[64];

	for (int i = 0; i < st->ndevs; i++) {
		smi_uuid_text(st->devs[i].dev, uuid, sizeof(uuid));
		printf("GPU %d: %s (UUID: %s)\n", i, st->devs[i].name, uuid);
	}
}

/* One "key : value" line of -q, the key indented by `indent`. */
static void smi_kv(int indent, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void smi_kv(int indent, const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("%*s%-*s : ", indent, "", SMI_KEY_WIDTH - indent, key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void smi_kv_bytes(int indent, const char *key, uint64_t bytes)
{
	smi_kv(indent, key, "%llu MiB (%llu bytes)", smi_mib_down(bytes),
	       (unsigned long long)bytes);
}

static void smi_print_query(const struct smi_state *st)
{
	char buf[64];
	int value;

	printf("==============MUSA-SMI LOG==============\n\n");
	smi_time(buf, sizeof(buf), time(NULL));
	smi_kv(0, "Timestamp", "%s", buf);
	smi_kv(0, "Driver Version", "%d.%d", st->driver_version / 1000,
	       st->driver_version % 1000 / 10);
	smi_kv(0, "Attached GPUs", "%d", st->ndevs);
	for (int i = 0; i < st->ndevs; i++) {
		const struct smi_device *d = &st->devs[i];
		bool any = false;

		printf("\nGPU %d\n", i);
		smi_kv(4, "Product Name", "%s", d->name);
		smi_kv(4, "Architecture", "%s", d->arch);
		smi_kv(4, "Compute Capability", "%d.%d", d->major, d->minor);
		smi_uuid_text(d->dev, buf, sizeof(buf));
		smi_kv(4, "UUID", "%s", buf);
		if (muDeviceGetPCIBusId(buf, (int)sizeof(buf), d->dev))
			snprintf(buf, sizeof(buf), "N/A");
		smi_kv(4, "PCI Bus Id", "%s", buf);
		printf("    Memory Usage\n");
		smi_kv_bytes(8, "Total", d->total);
		smi_kv_bytes(8, "Used", d->used);
		smi_kv_bytes(8, "Free", smi_free_bytes(d));
		printf("    Attributes\n");
		for (size_t k = 0; k < sizeof(smi_attrs) / sizeof(smi_attrs[0]); k++) {
			if (muDeviceGetAttribute(&value, smi_attrs[k].attr, d->dev))
				smi_kv(8, smi_attrs[k].name, "N/A");
			else
				smi_kv(8, smi_attrs[k].name, "%d", value);
		}
		printf("    Processes\n");
		for (size_t k = 0; k < st->nrows; k++) {
			const struct smi_row *r = &st->rows[k];

			if (r->gpu != i)
				continue;
			any = true;
			smi_kv(8, "Process ID", "%d", (int)r->proc->pid);
			smi_kv(12, "Process Name", "%s", r->proc->name);
			smi_time(buf, sizeof(buf), (time_t)r->proc->start_time);
			smi_kv(12, "Start Time", "%s", buf);
			smi_kv_bytes(12, "Used GPU Memory", r->dev->mem_used);
			smi_kv(12, "Kernels Launched", "%llu", (unsigned long long)r->dev->launches);
		}
		if (!any)
			printf("        None\n");
	}
}

static void smi_state_free(struct smi_state *st)
{
	free(st->devs);
	free(st->procs);
	free(st->rows);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "query", no_argument, NULL, 'q' },
		{ "list-gpus", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct smi_state st = { 0 };
	int mode = 0, c, ret;

	while ((c = getopt_long(argc, argv, "qLh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
		case 'L':
			if (mode && mode != c) {
				fprintf(stderr, "musa-smi: -q and -L do not go together\n");
				return SMI_EXIT_USAGE;
			}
			mode = c;
			break;
		case 'h':
			smi_usage(stdout);
			return 0;
		default:
			smi_usage(stderr);
			return SMI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "musa-smi: unexpected argument '%s'\n", argv[optind]);
		smi_usage(stderr);
		return SMI_EXIT_USAGE;
	}
	ret = smi_devices_load(&st);
	if (ret)
		goto out;
	if (mode == 'L') {
		smi_print_list(&st);
		goto out;
	}
	if (smi_processes_load(&st) || smi_rows_build(&st)) {
		fprintf(stderr, "musa-smi: out of memory\n");
		ret = SMI_EXIT_ERROR;
		goto out;
	}
	if (mode == 'q')
		smi_print_query(&st);
	else
		smi_print_table(&st);
out:
	smi_state_free(&st);
	if (fflush(stdout) && !ret) {
		fprintf(stderr, "musa-smi: writing the output failed\n");
		ret = SMI_EXIT_ERROR;
	}
	return ret;
}
