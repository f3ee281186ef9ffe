/* SPDX-License-Identifier: MIT */
/*
 * symbol.c - code addresses in reports: which kernel an entry address
 * belongs to and which source line an instruction came from. Code objects
 * are loaded by the kmd with dlopen under /proc/<pid>/fd/<n> names, so
 * dladdr finds the object of an address and libdw reads its line tables
 * (present when mcc built it with -g, and always in the memory checker's
 * builds). A cache holds what one report or one drain opened.
 * May call: libc, libelf, libdw, the code-object parser.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "umd.h"

void *umd_read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *b = NULL;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && st.st_size > 0 && (b = malloc((size_t)st.st_size))) {
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, b + got, (size_t)st.st_size - got);

			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (got != (size_t)st.st_size) {
			free(b);
			b = NULL;
		}
	}
	close(fd);
	*size = got;
	return b;
}

static struct umd_sym_obj *umd_sym_obj_of(struct umd_sym_cache *c, const void *pc, Dl_info *di)
{
	struct umd_sym_obj *o;

	if (!pc || !dladdr(pc, di) || !di->dli_fname)
		return NULL;
	for (int i = 0; i < c->n; i++)
		if (c->o[i].base == (uintptr_t)di->dli_fbase && !strcmp(c->o[i].fname, di->dli_fname))
			return &c->o[i];
	if (c->n == (int)(sizeof(c->o) / sizeof(c->o[0])))
		return NULL;
	o = &c->o[c->n++];
	memset(o, 0, sizeof(*o));
	snprintf(o->fname, sizeof(o->fname), "%s", di->dli_fname);
	o->base = (uintptr_t)di->dli_fbase;
	o->fd = open(o->fname, O_RDONLY | O_CLOEXEC);
	if (o->fd >= 0) {
		o->elf = elf_begin(o->fd, ELF_C_READ_MMAP, NULL);
		o->dw = o->elf ? dwarf_begin_elf(o->elf, DWARF_C_READ, NULL) : NULL;
		o->image = umd_read_file(o->fname, &o->size);
		o->have_co = o->image && !musa_codeobj_parse(o->image, o->size, &o->co);
	}
	return o;
}

void umd_sym_cache_free(struct umd_sym_cache *c)
{
	for (int i = 0; i < c->n; i++) {
		struct umd_sym_obj *o = &c->o[i];

		if (o->dw)
			dwarf_end(o->dw);
		if (o->elf)
			elf_end(o->elf);
		if (o->fd >= 0)
			close(o->fd);
		if (o->have_co)
			musa_codeobj_free(&o->co);
		free(o->image);
	}
	c->n = 0;
}

const char *umd_sym_kernel(struct umd_sym_cache *c, uint64_t pc)
{
	Dl_info di;
	struct umd_sym_obj *o = umd_sym_obj_of(c, (const void *)(uintptr_t)pc, &di);

	if (!o || !o->have_co || !di.dli_sname)
		return NULL;
	for (uint32_t i = 0; i < o->co.nkernels; i++)
		if (!strcmp(o->co.kernels[i].entry, di.dli_sname))
			return o->co.kernels[i].name;
	return NULL;
}

int umd_sym_where(struct umd_sym_cache *c, uint64_t pc, char *buf, size_t n)
{
	Dl_info di;
	struct umd_sym_obj *o = umd_sym_obj_of(c, (const void *)(uintptr_t)pc, &di);
	Dwarf_Addr a = pc - (o ? o->base : 0);
	Dwarf_Die cu, *scopes = NULL;
	Dwarf_Line *line;
	const char *file = NULL, *fn = NULL, *lib;
	int lineno = 0, ns;

	snprintf(buf, n, "0x%" PRIx64, pc);
	if (!o)
		return 0;
	if (!o->dw || !dwarf_addrdie(o->dw, a, &cu)) {
		/* no line table: the symbol, and the library unless it is a
		 * code object (whose file name says nothing) */
		lib = strrchr(o->fname, '/');
		lib = lib ? lib + 1 : o->fname;
		if (di.dli_sname)
			snprintf(buf, n, "0x%" PRIx64 " in %s%s%s%s", pc, di.dli_sname,
				 o->have_co ? "" : " (", o->have_co ? "" : lib,
				 o->have_co ? "" : ")");
		return 0;
	}
	line = dwarf_getsrc_die(&cu, a);
	if (line) {
		file = dwarf_linesrc(line, NULL, NULL);
		dwarf_lineno(line, &lineno);
	}
	ns = dwarf_getscopes(&cu, a, &scopes);
	for (int i = 0; i < ns && !fn; i++)
		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram ||
		    dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine)
			fn = dwarf_diename(&scopes[i]);
	free(scopes);
	if (!file)
		return 0;
	/* mcc's loops inline a kernel k's body as __musa_body_<n>_k */
	if (fn && !strncmp(fn, "__musa_body_", 12)) {
		const char *p = fn + 12;

		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '_' && p[1])
			fn = p + 1;
	}
	snprintf(buf, n, "%s:%d%s%s", file, lineno, fn ? " in " : "", fn ? fn : "");
	return 1;
}
