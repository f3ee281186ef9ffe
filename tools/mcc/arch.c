/* SPDX-License-Identifier: MIT */
/*
 * arch.c - the archs mcc builds device images for, and how nvcc's arch
 * names map onto them (docs/design.md, "Compute capability").
 *
 * An image's arch is its compute capability major*10+minor (31 for mp_31,
 * 80 for sm_80); __MUSA_ARCH__ is ten times that. MUSA's own mp_* names
 * and the CUDA-compatible sm_50 .. sm_80 are the table below, the same
 * list as the device's (kmd-shim/device.c) and the code-object format's
 * (lib/codeobj/codeobj.c). nvcc names outside the table map to the
 * nearest end with a note: older ones (sm_13, sm_35, ...) to sm_50, newer
 * ones (sm_86, sm_90a, sm_120, ...) to sm_80, the newest arch whose
 * features the kernel language provides.
 * May call libc, buf.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"

static const struct mcc_arch mcc_archs[] = {
	{ "mp_21", 21, 128 },
	{ "mp_22", 22, 128 },
	{ "mp_31", 31, 32 },
	{ "sm_50", 50, 32 },
	{ "sm_52", 52, 32 },
	{ "sm_53", 53, 32 },
	{ "sm_60", 60, 32 },
	{ "sm_61", 61, 32 },
	{ "sm_62", 62, 32 },
	{ "sm_70", 70, 32 },
	{ "sm_72", 72, 32 },
	{ "sm_75", 75, 32 },
	{ "sm_80", 80, 32 },
};

#define NARCHS (sizeof(mcc_archs) / sizeof(mcc_archs[0]))
#define OLDEST_SM 50u
#define NEWEST_SM 80u

int mcc_quiet_arch_notes;

const struct mcc_arch *mcc_arch_at(unsigned i)
{
	return i < NARCHS ? &mcc_archs[i] : NULL;
}

const struct mcc_arch *mcc_arch_find(unsigned arch)
{
	for (unsigned i = 0; i < NARCHS; i++)
		if (mcc_archs[i].arch == arch)
			return &mcc_archs[i];
	return NULL;
}

static const struct mcc_arch *by_name(const char *name, size_t n)
{
	for (unsigned i = 0; i < NARCHS; i++)
		if (strlen(mcc_archs[i].name) == n && !memcmp(mcc_archs[i].name, name, n))
			return &mcc_archs[i];
	return NULL;
}

/* `native`: device 0's arch, read from MUSA_SWDEV the way the software
 * device reads it (key=value pairs split by commas, arch=A or arch=A:B:...
 * per device, the last valid key wins), sm_80 without it. mcc never
 * loads the driver. */
static unsigned native_arch(void)
{
	const char *s = getenv("MUSA_SWDEV");
	unsigned arch = 80;

	while (s && *s) {
		size_t n = strcspn(s, ",");

		if (n > 5 && !memcmp(s, "arch=", 5)) {
			const char *v = s + 5;
			const struct mcc_arch *first = by_name(v, strcspn(v, ":,"));
			int ok = first != NULL;

			/* every name of the list must be known, as the device wants */
			for (const char *p = v; ok && p < s + n;) {
				size_t l = strcspn(p, ":,");

				ok = by_name(p, l) != NULL;
				p += l + (p[l] == ':');
			}
			if (ok)
				arch = first->arch;
		}
		s += n + (s[n] == ',');
	}
	return arch;
}

/* One note per distinct text: a Makefile names an arch in every rule. */
static void note_once(const char *fmt, const char *a, const char *b)
{
	static char **seen;
	static int nseen;
	struct mcc_buf t = {0};

	if (mcc_quiet_arch_notes)
		return;
	mcc_buf_printf(&t, fmt, a, b);
	for (int i = 0; i < nseen; i++)
		if (!strcmp(seen[i], t.s)) {
			mcc_buf_free(&t);
			return;
		}
	seen = mcc_xrealloc(seen, (size_t)(nseen + 1) * sizeof(*seen));
	seen[nseen++] = t.s;
	fprintf(stderr, "mcc: note: %s\n", t.s);
}

int mcc_arch_resolve(const char *name, unsigned *arch)
{
	const struct mcc_arch *a = by_name(name, strlen(name));
	const char *num = NULL;
	char sm[16];
	unsigned long v;
	char *end;

	if (a) {
		*arch = a->arch;
		return 0;
	}
	if (!strcmp(name, "native")) {
		*arch = native_arch();
		return 0;
	}
	/* nvcc's real (sm_XX, lto_XX) and virtual (compute_XX) archs, with
	 * the a/f suffixes of the newer ones */
	if (!strncmp(name, "sm_", 3) || !strncmp(name, "lto_", 4))
		num = strchr(name, '_') + 1;
	else if (!strncmp(name, "compute_", 8))
		num = name + 8;
	if (!num || !isdigit((unsigned char)*num))
		return -1;
	v = strtoul(num, &end, 10);
	if ((*end && strcmp(end, "a") && strcmp(end, "f")) || v > 9999)
		return -1;
	if (v < OLDEST_SM) {
		note_once("%s is older than the oldest arch here; building %s", name, "sm_50");
		*arch = OLDEST_SM;
		return 0;
	}
	if (v > NEWEST_SM) {
		note_once("%s is newer than the newest arch here; building %s", name, "sm_80");
		*arch = NEWEST_SM;
		return 0;
	}
	snprintf(sm, sizeof(sm), "sm_%lu", v);
	a = by_name(sm, strlen(sm));
	if (!a || *end)
		return -1;   /* sm_51, sm_80a: no such arch */
	*arch = a->arch;
	return 0;
}

const char *mcc_arch_name(unsigned arch)
{
	const struct mcc_arch *a = mcc_arch_find(arch);

	return a ? a->name : "?";
}
