/* SPDX-License-Identifier: MIT */
/*
 * smi.c - the process's entry in musa-smi's process table (tools/smi).
 *
 * At muInit the process creates MUSA_SMI_DIR/musa-smi.<pid>, one struct
 * musa_smi_record of include/musa_smi.h mapped shared; memory.c (device
 * memory held) and launch.c (kernels launched) keep its counters current
 * with relaxed atomic adds, and the file is removed at exit. Publishing is
 * best effort: without a writable /dev/shm, or with MUSA_SMI=0, the process
 * is not listed and nothing else changes. A child forked after muInit
 * shares the mapping but cannot use the driver, so it never writes the
 * record, and its exit leaves the parent's file alone.
 * May call: libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "musa_smi.h"
#include "umd.h"

/* Set once under muInit's lock, before any other thread may use a device;
 * the mapping stays until the process ends, so a launch racing with exit
 * still writes to mapped memory. */
static struct musa_smi_record *umd_smi_rec;
static pid_t umd_smi_owner;
static char umd_smi_path[sizeof(MUSA_SMI_DIR "/" MUSA_SMI_PREFIX) + 16];
static _Atomic int umd_smi_removed;

/* MUSA_SMI: 1 (default) publishes, 0 does not. */
static bool umd_smi_wanted(void)
{
	const char *v = getenv("MUSA_SMI");

	if (!v || !*v || strcmp(v, "1") == 0)
		return true;
	if (strcmp(v, "0") == 0)
		return false;
	umd_warn("MUSA_SMI: ignoring '%s' (0 or 1)", v);
	return true;
}

/* This process's start time from /proc/self/stat; 0 when unknown. */
static uint64_t umd_smi_start_ticks(void)
{
	char buf[1024];
	ssize_t n;
	int fd;

	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return musa_smi_stat_start(buf);
}

/*
 * Creates the file with room for the record. A file that already carries
 * this pid in its name is a leftover (of a process that had the pid
 * before, or of this one before an exec): it is replaced once.
 */
static int umd_smi_create(void)
{
	int fd, ret;

	for (int tries = 0; tries < 2; tries++) {
		fd = open(umd_smi_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd >= 0)
			break;
		if (errno != EEXIST || unlink(umd_smi_path))
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	/* Blocks reserved now: a full tmpfs fails here, not with SIGBUS at a
	 * later write through the mapping. */
	ret = posix_fallocate(fd, 0, sizeof(struct musa_smi_record));
	if (ret) {
		unlink(umd_smi_path);
		close(fd);
		return -ret;
	}
	return fd;
}

static void umd_smi_remove(void)
{
	if (!umd_smi_rec || atomic_exchange(&umd_smi_removed, 1))
		return;
	if (getpid() == umd_smi_owner)
		unlink(umd_smi_path);
}

/* The file goes at exit (atexit, registered by umd_smi_publish) or when
 * the library's destructors run, whichever comes first. */
__attribute__((destructor)) static void umd_smi_fini(void)
{
	umd_smi_remove();
}

void umd_smi_publish(void)
{
	struct musa_smi_record *rec;
	int fd, n;

	if (umd_smi_rec || !umd_smi_wanted())
		return;
	umd_smi_owner = getpid();
	snprintf(umd_smi_path, sizeof(umd_smi_path), "%s/%s%d", MUSA_SMI_DIR, MUSA_SMI_PREFIX,
		 (int)umd_smi_owner);
	fd = umd_smi_create();
	if (fd < 0) {
		umd_log("musa-smi: not listed, %s: errno %d", umd_smi_path, -fd);
		return;
	}
	rec = mmap(NULL, sizeof(*rec), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (rec == MAP_FAILED) {
		umd_log("musa-smi: not listed, cannot map %s", umd_smi_path);
		unlink(umd_smi_path);
		return;
	}
	rec->version = MUSA_SMI_VERSION;
	rec->size = sizeof(*rec);
	rec->pid = (int32_t)umd_smi_owner;
	rec->start_ticks = umd_smi_start_ticks();
	rec->start_time = (uint64_t)time(NULL);
	snprintf(rec->name, sizeof(rec->name), "%s", program_invocation_short_name);
	n = umd_ndevs < MUSA_SMI_MAX_DEVICES ? umd_ndevs : MUSA_SMI_MAX_DEVICES;
	for (int i = 0; i < n; i++)
		rec->dev[i].physical = umd_dev_pci_bus(&umd_devs[i]);
	rec->ndevices = (uint32_t)n;
	__atomic_store_n(&rec->magic, MUSA_SMI_MAGIC, __ATOMIC_RELEASE);
	umd_smi_rec = rec;
	atexit(umd_smi_remove);
	umd_log("musa-smi: listed as %s", umd_smi_path);
}

void umd_smi_mem(MUdevice ordinal, enum umd_mem_kind kind, int64_t delta)
{
	if (!umd_smi_rec || (kind != UMD_MEM_DEVICE && kind != UMD_MEM_MANAGED) ||
	    ordinal < 0 || ordinal >= MUSA_SMI_MAX_DEVICES)
		return;
	__atomic_add_fetch(&umd_smi_rec->dev[ordinal].mem_used, (uint64_t)delta,
			   __ATOMIC_RELAXED);
}

void umd_smi_launch(MUdevice ordinal)
{
	if (!umd_smi_rec || ordinal < 0 || ordinal >= MUSA_SMI_MAX_DEVICES)
		return;
	__atomic_add_fetch(&umd_smi_rec->dev[ordinal].launches, 1, __ATOMIC_RELAXED);
}
