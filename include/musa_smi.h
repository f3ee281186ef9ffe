/* SPDX-License-Identifier: MIT */
/*
 * musa_smi.h - the record a process using the driver publishes for
 * musa-smi (tools/smi, docs/smi.md).
 *
 * From muInit on, a process holds MUSA_SMI_DIR "/" MUSA_SMI_PREFIX "<pid>",
 * a file of one struct musa_smi_record it maps shared, and removes it at
 * exit. The process updates the counters with relaxed atomic adds; a reader
 * maps the file read-only and takes each 64-bit field with one aligned
 * atomic load, so every value it sees was true at some moment. The writer
 * fills the record first and stores `magic` last: a reader that finds
 * another magic skips the file. A record whose process is gone (killed, or
 * ended with _exit) stays behind; readers recognise it by its pid, or by a
 * start time that differs from that pid's, and delete it.
 *
 * Layout rules: fixed-width fields, 64-bit fields 8-byte aligned, explicit
 * padding that is zero. A later version only appends fields and raises
 * `size`; a reader takes the prefix it knows.
 */
#ifndef MUSA_SMI_H
#define MUSA_SMI_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MUSA_SMI_DIR         "/dev/shm"
#define MUSA_SMI_PREFIX      "musa-smi."
#define MUSA_SMI_MAGIC       0x494d5355u   /* "USMI" in little-endian bytes */
#define MUSA_SMI_VERSION     1u
#define MUSA_SMI_MAX_DEVICES 64
#define MUSA_SMI_NAME_LEN    64

/* What one process does on one of the devices it sees. */
struct musa_smi_device {
	uint32_t physical;   /* physical index of the device (its PCI bus number) */
	uint32_t pad;        /* 0 */
	uint64_t mem_used;   /* bytes of device and managed memory allocated now */
	uint64_t launches;   /* kernels launched since muInit */
};

struct musa_smi_record {
	uint32_t magic;        /* MUSA_SMI_MAGIC, stored last */
	uint32_t version;      /* MUSA_SMI_VERSION */
	uint32_t size;         /* bytes of the record as its writer knows it */
	int32_t pid;           /* the process, as in the file's name */
	uint64_t start_ticks;  /* process start, clock ticks after boot (field 22
				* of /proc/<pid>/stat); 0 when unknown */
	uint64_t start_time;   /* muInit, seconds since the Epoch */
	uint32_t ndevices;     /* entries of dev[] in use: the devices it sees */
	uint32_t pad;          /* 0 */
	char name[MUSA_SMI_NAME_LEN];   /* process name, NUL-terminated */
	struct musa_smi_device dev[MUSA_SMI_MAX_DEVICES];  /* by its ordinal */
};

/*
 * The start time (field 22, in clock ticks after boot) from the text of a
 * /proc/<pid>/stat file; 0 when the text is not such a line. The process
 * name (field 2) is in parentheses and may hold blanks and ')', so the
 * fields are counted from the last ')'.
 */
static inline uint64_t musa_smi_stat_start(const char *stat)
{
	const char *p = strrchr(stat, ')');
	unsigned long long v;
	char *end = NULL;

	if (!p || p[1] != ' ')
		return 0;
	p++;
	/* fields 3 to 21, each preceded by one blank */
	for (int field = 3; field <= 21; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return 0;
	}
	v = strtoull(p + 1, &end, 10);
	return end != p + 1 ? (uint64_t)v : 0;
}

#endif /* MUSA_SMI_H */
