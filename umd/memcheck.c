/* SPDX-License-Identifier: MIT */
/*
 * memcheck.c - the memory checker (MUSA_MEMCHECK=1, tools/musa-memcheck),
 * this device's compute-sanitizer memcheck, and the shared-memory race
 * checker (MUSA_RACECHECK=1), its racecheck, which runs on the same
 * checked builds (compiler-rt's memcheck.c finds the hazards; drains print
 * each pair of lines once).
 *
 * Three parts, described in docs/debugging.md:
 *  - Checked code. Every code object mcc makes carries a recipe for a build
 *    of itself in which each load and store calls compiler-rt's memcheck.c
 *    (musa_codeobj.h, MUSA_MEMCHECK_SECTION). With the checker on, a module
 *    load runs that recipe with the system compiler in a private directory
 *    and loads the result instead, binding its __musa_memcheck cell to the
 *    report buffer below; a module without a recipe runs unchecked, with a
 *    warning.
 *  - Shadow memory. One byte per 8 bytes of each device's window (ASan's
 *    encoding, reserved without backing): memory.c gives every allocation
 *    a red zone before and after it, keeps freed allocations poisoned in a
 *    quarantine for a while, and marks allocator space nobody holds.
 *  - Reports. Checked kernels append records (address, access, thread,
 *    block, code addresses); drains at synchronization points print them
 *    with the kernel, the source line (the checked build has line tables;
 *    libdw reads them from the loaded code object) and the allocation the
 *    address is nearest to. Copies and fills that leave their allocation
 *    are reported by the copy path. At exit an error summary is printed,
 *    and a run with errors exits with status 1.
 * May call: memory.c (umd_mem_nearest), log.c.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "umd.h"

#define UMD_MC_REDZONE 256u
#define UMD_MC_RECORDS 4096u
#define UMD_MC_MAX_FILES 16
#define UMD_MC_MAX_ARGS 4096

extern char **environ;

static pthread_once_t umd_mc_once = PTHREAD_ONCE_INIT;
static bool umd_mc_enabled;          /* the checked builds are loaded */
static bool umd_mc_memory;           /* MUSA_MEMCHECK: device memory is checked */
static bool umd_mc_race;             /* MUSA_RACECHECK: shared memory hazards */
static uint64_t umd_mc_hazards;      /* distinct hazards printed */
/* Hazards already printed, by their two code addresses and kinds. */
#define UMD_MC_HAZARDS 1024
static uint64_t umd_mc_seen[UMD_MC_HAZARDS][2];
static struct musa_memcheck *umd_mc;
static size_t umd_mc_len;
static pthread_mutex_t umd_mc_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t umd_mc_errors;       /* printed so far */
static uint64_t umd_mc_tail;         /* next record to print */

static bool umd_mc_env(const char *name, const char *what)
{
	const char *v = getenv(name);

	if (!v || !*v || !strcmp(v, "0"))
		return false;
	if (!strcmp(v, "1"))
		return true;
	umd_warn("%s=%s: not 0 or 1; the %s stays off", name, v, what);
	return false;
}

static void umd_mc_read_env(void)
{
	umd_mc_memory = umd_mc_env("MUSA_MEMCHECK", "memory checker");
	umd_mc_race = umd_mc_env("MUSA_RACECHECK", "race checker");
	umd_mc_enabled = umd_mc_memory || umd_mc_race;
}

bool umd_memcheck_on(void)
{
	pthread_once(&umd_mc_once, umd_mc_read_env);
	return umd_mc_enabled;
}

size_t umd_memcheck_redzone(void)
{
	return umd_mc && umd_mc_memory ? UMD_MC_REDZONE : 0;
}

uint64_t umd_memcheck_state(void)
{
	return (uint64_t)(uintptr_t)umd_mc;
}

static void umd_mc_exit(void);

void umd_memcheck_init(void)
{
	size_t len = sizeof(*umd_mc) + UMD_MC_RECORDS * sizeof(struct musa_memcheck_rec);
	struct musa_memcheck *mc;
	int n = 0;

	if (!umd_memcheck_on() || umd_mc)
		return;
	mc = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mc == MAP_FAILED) {
		umd_warn("MUSA_MEMCHECK: no memory for the report buffer; the checker stays off");
		return;
	}
	mc->cap = UMD_MC_RECORDS;
	mc->mode = umd_mc_race ? MUSA_MEMCHECK_MODE_RACE : 0;
	for (int i = 0; umd_mc_memory && i < umd_ndevs && n < MUSA_MEMCHECK_WINDOWS; i++) {
		const struct drm_musa_device_info *info = &umd_devs[i].info;
		void *sh = mmap(NULL, info->va_size / 8, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (sh == MAP_FAILED) {
			umd_warn("MUSA_MEMCHECK: no address space for device %d's shadow; "
				 "its memory is not checked", i);
			continue;
		}
		mc->win[n].base = info->va_start;
		mc->win[n].size = info->va_size;
		mc->win[n].shadow = (uint64_t)(uintptr_t)sh;
		n++;
	}
	mc->nwindows = (uint32_t)n;
	umd_mc_len = len;
	umd_mc = mc;
	atexit(umd_mc_exit);
}

static unsigned char *umd_mc_shadow(uint64_t p, uint64_t *off)
{
	for (uint32_t i = 0; umd_mc && i < umd_mc->nwindows; i++) {
		const struct musa_memcheck_window *w = &umd_mc->win[i];

		if (p - w->base < w->size) {
			*off = p - w->base;
			return (unsigned char *)(uintptr_t)w->shadow;
		}
	}
	return NULL;
}

void umd_memcheck_mark(uint64_t p, size_t len, unsigned int byte)
{
	uint64_t off;
	unsigned char *sh = umd_mc_shadow(p, &off);

	if (!sh || !len)
		return;
	/* allocations and blocks start on 8-byte bounds */
	memset(sh + (off >> 3), (int)byte, (len + 7) >> 3);
}

void umd_memcheck_alloc(uint64_t blk, size_t blk_len, uint64_t base, size_t size)
{
	uint64_t off;
	unsigned char *sh = umd_mc_shadow(base, &off);

	if (!sh)
		return;
	umd_memcheck_mark(blk, blk_len, MUSA_SHADOW_REDZONE);
	umd_memcheck_mark(base, size & ~(size_t)7, 0);
	if (size & 7)
		sh[(off + (size & ~(size_t)7)) >> 3] = (unsigned char)(size & 7);
}

/* The checked build of a module. */

/* The bytes of section `name` of an ELF image, bounds checked; NULL: none. */
static const char *umd_mc_section(const void *image, size_t size, const char *name,
				  size_t *len)
{
	const unsigned char *b = image;
	const Elf64_Ehdr *eh = image;
	const Elf64_Shdr *sh, *strs;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > size || eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	sh = (const Elf64_Shdr *)(b + eh->e_shoff);
	strs = &sh[eh->e_shstrndx];
	if (strs->sh_offset > size || strs->sh_size > size - strs->sh_offset)
		return NULL;
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		const char *n = (const char *)b + strs->sh_offset + sh[i].sh_name;

		if (sh[i].sh_name >= strs->sh_size ||
		    strnlen(n, strs->sh_size - sh[i].sh_name) != strlen(name) || strcmp(n, name))
			continue;
		if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_offset > size ||
		    sh[i].sh_size > size - sh[i].sh_offset)
			return NULL;
		*len = sh[i].sh_size;
		return (const char *)b + sh[i].sh_offset;
	}
	return NULL;
}

/* The next NUL-terminated string of [*p, end); NULL past the end. */
static const char *umd_mc_str(const char **p, const char *end)
{
	const char *s = *p;
	size_t n;

	if (s >= end)
		return NULL;
	n = strnlen(s, (size_t)(end - s));
	if (s + n == end)
		return NULL;
	*p = s + n + 1;
	return s;
}

static int umd_mc_num(const char **p, const char *end, size_t max, size_t *out)
{
	const char *s = umd_mc_str(p, end);
	char *e;
	unsigned long long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoull(s, &e, 10);
	if (*e || errno || v > max)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* `arg` with every MUSA_MEMCHECK_DIR replaced by dir. */
static char *umd_mc_subst(const char *arg, const char *dir)
{
	size_t k = strlen(MUSA_MEMCHECK_DIR), n = 0, dl = strlen(dir);
	const char *s;
	char *out, *o;

	for (s = arg; (s = strstr(s, MUSA_MEMCHECK_DIR)); s += k)
		n++;
	out = malloc(strlen(arg) + n * dl + 1);
	if (!out)
		return NULL;
	for (o = out, s = arg; *s;) {
		if (!strncmp(s, MUSA_MEMCHECK_DIR, k)) {
			memcpy(o, dir, dl);
			o += dl;
			s += k;
		} else {
			*o++ = *s++;
		}
	}
	*o = 0;
	return out;
}

static int umd_mc_write(const char *dir, const char *name, const char *b, size_t n)
{
	char path[PATH_MAX];
	int fd, ok;

	if (strchr(name, '/') || !*name || name[0] == '.' ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ok = 1;
	while (n && ok) {
		ssize_t w = write(fd, b, n);

		ok = w > 0;
		if (ok) {
			b += w;
			n -= (size_t)w;
		}
	}
	close(fd);
	return ok ? 0 : -1;
}

/* Removes what the build left in dir, then dir. */
static void umd_mc_cleanup(const char *dir, char **names, int n)
{
	char path[PATH_MAX];
	static const char *const made[] = { MUSA_MEMCHECK_OUT, "build.log" };

	for (int i = 0; i < n; i++)
		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) < (int)sizeof(path))
			unlink(path);
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		if (snprintf(path, sizeof(path), "%s/%s", dir, made[i]) < (int)sizeof(path))
			unlink(path);
	rmdir(dir);
}

/* The last line of the compiler's messages, for the warning. */
static void umd_mc_build_failed(const char *dir)
{
	char path[PATH_MAX], line[512] = "", last[512] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/build.log", dir);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "error"))
			snprintf(last, sizeof(last), "%s", line);
	if (f)
		fclose(f);
	last[strcspn(last, "\n")] = 0;
	umd_warn("MUSA_MEMCHECK: the checked build of a module failed (%s); its kernels run "
		 "unchecked", *last ? last : "the compiler did not run");
}

/* Runs the recipe in dir; the build's bytes, or NULL. */
static void *umd_mc_build(const char *blob, size_t len, const char *dir, size_t *out_size)
{
	const char *p = blob, *end = blob + len, *s;
	char *names[UMD_MC_MAX_FILES], **argv = NULL, path[PATH_MAX];
	size_t nfiles, nargs, i, flen;
	int nmade = 0, ok = 0, status, logfd = -1;
	posix_spawn_file_actions_t fa;
	void *image = NULL;
	pid_t pid;

	s = umd_mc_str(&p, end);
	if (!s || strcmp(s, MUSA_MEMCHECK_MAGIC) ||
	    umd_mc_num(&p, end, UMD_MC_MAX_FILES, &nfiles))
		goto out;
	for (i = 0; i < nfiles; i++) {
		const char *name = umd_mc_str(&p, end);

		if (!name || umd_mc_num(&p, end, (size_t)(end - p), &flen) ||
		    (size_t)(end - p) < flen + 1 || p[flen] ||
		    umd_mc_write(dir, name, p, flen))
			goto out;
		names[nmade++] = (char *)name;
		p += flen + 1;
	}
	if (umd_mc_num(&p, end, UMD_MC_MAX_ARGS, &nargs) || !nargs)
		goto out;
	argv = calloc(nargs + 1, sizeof(*argv));
	if (!argv)
		goto out;
	for (i = 0; i < nargs; i++) {
		s = umd_mc_str(&p, end);
		if (!s || !(argv[i] = umd_mc_subst(s, dir)))
			goto out;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/build.log", dir) >= sizeof(path))
		goto out;
	logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (logfd < 0 || posix_spawn_file_actions_init(&fa))
		goto out;
	posix_spawn_file_actions_adddup2(&fa, logfd, 1);
	posix_spawn_file_actions_adddup2(&fa, logfd, 2);
	ok = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0;
	posix_spawn_file_actions_destroy(&fa);
	while (ok && waitpid(pid, &status, 0) < 0)
		ok = errno == EINTR;
	ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (ok) {
		snprintf(path, sizeof(path), "%s/%s", dir, MUSA_MEMCHECK_OUT);
		image = umd_read_file(path, out_size);
	}
	if (!image)
		umd_mc_build_failed(dir);
out:
	if (logfd >= 0)
		close(logfd);
	if (!image && !argv)
		umd_warn("MUSA_MEMCHECK: a module's checked-build recipe is malformed; its "
			 "kernels run unchecked");
	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
	umd_mc_cleanup(dir, names, nmade);
	return image;
}

int umd_memcheck_image(void **image, size_t *size)
{
	const char *blob, *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];
	size_t len, nsize = 0;
	void *built;

	if (!umd_mc)
		return 0;
	blob = umd_mc_section(*image, *size, MUSA_MEMCHECK_SECTION, &len);
	if (!blob) {
		umd_warn("MUSA_MEMCHECK: a module has no checked-build recipe (not built by mcc, "
			 "or built with -rdc); its kernels run unchecked");
		return 0;
	}
	if (snprintf(dir, sizeof(dir), "%s/musa-memcheck.XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
		    (int)sizeof(dir) || !mkdtemp(dir)) {
		umd_warn("MUSA_MEMCHECK: no directory for a module's checked build: %s",
			 strerror(errno));
		return 0;
	}
	built = umd_mc_build(blob, len, dir, &nsize);
	if (!built)
		return 0;
	free(*image);
	*image = built;
	*size = nsize;
	return 1;
}

/* Reports. */

/* Where an address lies relative to the allocation nearest to it. */
static void umd_mc_place(uint64_t addr, FILE *out)
{
	struct umd_mem_near nr;

	if (umd_mem_nearest(addr, &nr)) {
		fprintf(out, "=========     Address 0x%" PRIx64 " is out of bounds\n", addr);
		return;
	}
	if (nr.freed) {
		fprintf(out, "=========     Address 0x%" PRIx64 " is %" PRIu64 " bytes inside a "
			"freed allocation at 0x%" PRIx64 " of size %zu bytes (use after free)\n",
			addr, addr - nr.base, nr.base, nr.size);
		return;
	}
	if (addr - nr.base < nr.size) {
		fprintf(out, "=========     Address 0x%" PRIx64 " is inside the allocation at 0x%"
			PRIx64 " of size %zu bytes\n", addr, nr.base, nr.size);
		return;
	}
	fprintf(out, "=========     Address 0x%" PRIx64 " is out of bounds\n", addr);
	if (addr < nr.base)
		fprintf(out, "=========     and is %" PRIu64 " bytes before the nearest allocation "
			"at 0x%" PRIx64 " of size %zu bytes\n", nr.base - addr, nr.base, nr.size);
	else
		fprintf(out, "=========     and is %" PRIu64 " bytes after the nearest allocation "
			"at 0x%" PRIx64 " of size %zu bytes\n", addr - (nr.base + nr.size), nr.base,
			nr.size);
}

static void umd_mc_print(struct umd_sym_cache *c, const struct musa_memcheck_rec *r)
{
	const char *k = umd_sym_kernel(c, r->entry_pc);
	char where[PATH_MAX + 256];

	/* r->pc is a return address: the access is the call before it */
	umd_sym_where(c, r->pc - 1, where, sizeof(where));
	fprintf(stderr, "========= Invalid __global__ %s of size %u bytes\n",
		r->flags & MUSA_MEMCHECK_WRITE ? "write" : "read", r->size);
	fprintf(stderr, "=========     at %s\n", where);
	fprintf(stderr, "=========     by thread (%u,%u,%u) in block (%u,%u,%u) of kernel %s\n",
		r->thread[0], r->thread[1], r->thread[2], r->block[0], r->block[1], r->block[2],
		k ? k : "(unknown)");
	if (r->flags & MUSA_MEMCHECK_MISALIGN)
		fprintf(stderr, "=========     Address 0x%" PRIx64 " is misaligned\n", r->addr);
	else
		umd_mc_place(r->addr, stderr);
	fprintf(stderr, "=========\n");
}

static const char *umd_mc_access(unsigned flags)
{
	return flags & MUSA_MEMCHECK_WRITE ? "Write" : "Read";
}

/* A hazard, once per pair of code addresses and kinds (every thread pair
 * that meets at the same two accesses is the same bug). */
static void umd_mc_print_race(struct umd_sym_cache *c, const struct musa_memcheck_rec *r)
{
	uint64_t a = r->pc * 2 + (r->flags & MUSA_MEMCHECK_WRITE);
	uint64_t b = r->other_pc * 2 + (r->other_flags & MUSA_MEMCHECK_WRITE);
	unsigned slot = (unsigned)((a * 0x9e3779b97f4a7c15ull ^ b) % UMD_MC_HAZARDS);
	const char *k = umd_sym_kernel(c, r->entry_pc);
	char w1[PATH_MAX + 256], w2[PATH_MAX + 256];
	const char *kind;

	for (unsigned i = 0; i < UMD_MC_HAZARDS; i++) {
		uint64_t *e = umd_mc_seen[(slot + i) % UMD_MC_HAZARDS];

		if (e[0] == a && e[1] == b)
			return;
		if (!e[0] && !e[1]) {
			e[0] = a;
			e[1] = b;
			break;
		}
	}
	kind = !(r->other_flags & MUSA_MEMCHECK_WRITE) ? "Write-after-read" :
	       r->flags & MUSA_MEMCHECK_WRITE ? "Write-after-write" : "Read-after-write";
	umd_sym_where(c, r->pc - 1, w1, sizeof(w1));
	umd_sym_where(c, r->other_pc - 1, w2, sizeof(w2));
	fprintf(stderr, "========= Error: Race reported between %s access at %s\n",
		umd_mc_access(r->other_flags), w2);
	fprintf(stderr, "=========     and %s access at %s [%u bytes]\n",
		umd_mc_access(r->flags), w1, r->size);
	fprintf(stderr, "=========     %s hazard on shared memory at 0x%" PRIx64 ", threads "
		"(%u,%u,%u) then (%u,%u,%u) of block (%u,%u,%u) of kernel %s, no barrier "
		"between\n", kind, r->addr, r->other_thread[0], r->other_thread[1],
		r->other_thread[2], r->thread[0], r->thread[1], r->thread[2], r->block[0],
		r->block[1], r->block[2], k ? k : "(unknown)");
	fprintf(stderr, "=========\n");
	umd_mc_hazards++;
}

void umd_memcheck_drain(void)
{
	struct musa_memcheck *mc = umd_mc;
	struct umd_sym_cache objs = { .n = 0 };
	uint64_t h, lim, i;

	if (!mc)
		return;
	pthread_mutex_lock(&umd_mc_lock);
	h = __atomic_load_n(&mc->head, __ATOMIC_ACQUIRE);
	lim = h < mc->cap ? h : mc->cap;
	for (i = umd_mc_tail; i < lim; i++) {
		if (!__atomic_load_n(&mc->rec[i].seq, __ATOMIC_ACQUIRE))
			break;  /* still being written */
		if (mc->rec[i].flags & MUSA_MEMCHECK_RACE) {
			umd_mc_print_race(&objs, &mc->rec[i]);
			continue;
		}
		umd_mc_print(&objs, &mc->rec[i]);
		umd_mc_errors++;
	}
	umd_mc_tail = i;
	if (i == lim && h > 0) {
		for (i = 0; i < lim; i++)
			__atomic_store_n(&mc->rec[i].seq, 0u, __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(&mc->head, &h, 0, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED)) {
			if (h > mc->cap) {
				fprintf(stderr, "========= %" PRIu64 " more errors were not recorded "
					"(the report buffer holds %" PRIu64 ")\n", h - mc->cap, mc->cap);
				umd_mc_errors += h - mc->cap;
			}
			umd_mc_tail = 0;
		}
	}
	pthread_mutex_unlock(&umd_mc_lock);
	umd_sym_cache_free(&objs);
	fflush(stderr);
}

void umd_memcheck_bad_range(const char *what, uint64_t p, size_t n)
{
	struct umd_mem_near nr;
	uint64_t off;

	if (!umd_mc || !umd_mc_shadow(p, &off))
		return;
	pthread_mutex_lock(&umd_mc_lock);
	fprintf(stderr, "========= Invalid %s of %zu bytes at 0x%" PRIx64 "\n", what, n, p);
	if (!umd_mem_nearest(p, &nr) && !nr.freed && p >= nr.base && p - nr.base < nr.size)
		fprintf(stderr, "=========     The range starts inside the allocation at 0x%" PRIx64
			" of size %zu bytes and ends %" PRIu64 " bytes past its end\n", nr.base,
			nr.size, p + n - (nr.base + nr.size));
	else
		umd_mc_place(p, stderr);
	fprintf(stderr, "=========\n");
	umd_mc_errors++;
	pthread_mutex_unlock(&umd_mc_lock);
}

static void umd_mc_exit(void)
{
	uint64_t n;

	umd_memcheck_drain();
	pthread_mutex_lock(&umd_mc_lock);
	n = umd_mc_errors + umd_mc_hazards;
	if (umd_mc_race)
		fprintf(stderr, "========= RACECHECK SUMMARY: %" PRIu64 " hazard%s displayed\n",
			umd_mc_hazards, umd_mc_hazards == 1 ? "" : "s");
	pthread_mutex_unlock(&umd_mc_lock);
	if (umd_mc_memory)
		fprintf(stderr, "========= ERROR SUMMARY: %" PRIu64 " error%s\n", umd_mc_errors,
			umd_mc_errors == 1 ? "" : "s");
	if (!n)
		return;
	fflush(NULL);
	_exit(1);
}
