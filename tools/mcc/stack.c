/* SPDX-License-Identifier: MIT */
/*
 * stack.c - the stack sizes of a device pass's kernels. The device compile
 * runs with -fstack-usage; its report gives each function's frame. For
 * every kernel instance the frames of its entry, of mcc's per-thread
 * function or group loop and of the kernel's own function become the
 * record's private_size and scratch_size (include/musa_codeobj.h, "Stack
 * sizes"), written into the .musa_meta records of the compiled object in
 * place: the records hold only numbers and names, so no relocation
 * touches them, and the sizes are known only once the object is built.
 * May call libc, buf.c, gen_loop.c.
 */
#include <dirent.h>
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mcc.h"
#include "musa_codeobj.h"

/* One function of the stack-usage report. */
struct stack_frame {
	char *func;            /* as the compiler names it, demangled or not */
	unsigned long long bytes;
	int unbounded;         /* "dynamic" without "bounded" */
};

struct stack_report {
	struct stack_frame *frames;
	int n;
};

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The function part of "file:line[:column]:function": gcc writes the
 * column, clang does not. */
static const char *skip_location(const char *s)
{
	for (const char *p = s; *p; p++) {
		const char *q = p + 1;

		if (*p != ':' || !is_digit(*q))
			continue;
		while (is_digit(*q))
			q++;
		if (*q != ':')
			continue;
		q++;
		if (is_digit(*q)) {
			const char *c = q;

			while (is_digit(*c))
				c++;
			if (*c == ':')
				q = c + 1;
		}
		return q;
	}
	return s;
}

/* Reads "location:function<TAB>bytes<TAB>qualifiers" lines. */
static int report_read_file(const char *path, struct stack_report *r)
{
	size_t len;
	char *text = mcc_read_file(path, &len), *line, *save = NULL;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab1 = strchr(line, '\t'), *tab2, *end;
		struct stack_frame *f;

		if (!tab1 || !(tab2 = strchr(tab1 + 1, '\t')))
			continue;
		*tab1 = '\0';
		r->frames = mcc_xrealloc(r->frames, (size_t)(r->n + 1) * sizeof(*r->frames));
		f = &r->frames[r->n];
		f->bytes = strtoull(tab1 + 1, &end, 10);
		if (end != tab2)
			continue;
		f->func = mcc_strndup(skip_location(line), strlen(skip_location(line)));
		f->unbounded = strstr(tab2 + 1, "dynamic") && !strstr(tab2 + 1, "bounded");
		r->n++;
	}
	free(text);
	return 0;
}

/* Reads every .su file in dir, then removes them and dir; -1 when there
 * was none. */
static int report_read(const char *dir, struct stack_report *r)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		struct mcc_buf path = {0};

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		mcc_buf_printf(&path, "%s/%s", dir, e->d_name);
		if (n > 3 && !strcmp(e->d_name + n - 3, ".su") && report_read_file(path.s, r) == 0)
			found = 1;
		unlink(path.s);
		mcc_buf_free(&path);
	}
	closedir(d);
	rmdir(dir);
	return found ? 0 : -1;
}

static void report_free(struct stack_report *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->frames[i].func);
	free(r->frames);
}

/*
 * Whether `func` names identifier `id`: as a whole word of a C or
 * demangled C++ name ("void ns::k<8>(float*)"), or as a length-prefixed
 * part of an Itanium-mangled one ("_ZN2ns1kILi8EEvPf"). With `prefix`,
 * `id` may go on with '_' and more (mcc's __musa_loop_3_v for
 * __musa_loop_3).
 */
static int names(const char *func, const char *id, int prefix)
{
	size_t n = strlen(id);

	for (const char *p = strstr(func, id); p; p = strstr(p + 1, id)) {
		char after = p[n];
		const char *d = p;

		if (!(after == '\0' || !is_ident(after) || (prefix && after == '_')) &&
		    strncmp(func, "_Z", 2) != 0)
			continue;
		if (p == func || !is_ident(p[-1]))
			return 1;
		while (d > func && is_digit(d[-1]))
			d--;
		if (d < p && strncmp(func, "_Z", 2) == 0 && strtoul(d, NULL, 10) == n)
			return 1;
	}
	return 0;
}

/* The largest frame the report gives a function named `id`. */
static unsigned long long frame_of(const struct stack_report *r, const char *id, int prefix,
				   int *unbounded)
{
	unsigned long long max = 0;

	for (int i = 0; i < r->n; i++) {
		if (!names(r->frames[i].func, id, prefix))
			continue;
		if (r->frames[i].bytes > max)
			max = r->frames[i].bytes;
		*unbounded |= r->frames[i].unbounded;
	}
	return max;
}

/* One kernel instance's sizes, keyed by its entry's name. */
struct stack_sizes {
	char *entry;
	uint32_t private_size, scratch_size;
	int unbounded;
};

static uint32_t clamp32(unsigned long long v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void instance_sizes(const struct mcc_unit *u, int n, int id, const char *etag,
			   const struct stack_report *r, struct stack_sizes *s)
{
	const struct mcc_kernel *k = &u->kernels[n];
	struct mcc_buf b = {0};
	unsigned long long own = 0, entry;

	if (etag)
		mcc_buf_printf(&b, "__musa_entry_%s_%d", etag, id);
	else
		mcc_buf_printf(&b, "__musa_entry_%d", id);
	s->entry = b.s;
	s->unbounded = 0;
	entry = frame_of(r, s->entry, 0, &s->unbounded);
	b = (struct mcc_buf){0};
	mcc_buf_printf(&b, "__musa_thread_%d", id);
	own += frame_of(r, b.s, 0, &s->unbounded);
	mcc_buf_free(&b);
	mcc_buf_printf(&b, "__musa_loop_%d", id);
	own += frame_of(r, b.s, 1, &s->unbounded);
	mcc_buf_free(&b);
	if (k->inlined) {
		mcc_loop_body_name(u, n, &b);
		own += frame_of(r, b.s, 0, &s->unbounded);
		mcc_buf_free(&b);
	} else {
		own += frame_of(r, k->name, 0, &s->unbounded);
	}
	s->private_size = clamp32(own);
	s->scratch_size = clamp32(entry + own + MUSA_META_STACK_MARGIN);
}

/* Writes the sizes into every version 2 kernel record of one .musa_meta
 * section whose entry has some. */
static int patch_section(unsigned char *sec, size_t size, const struct stack_sizes *s, int ns)
{
	size_t off = 0;

	while (off + 8 <= size) {
		struct musa_meta_kernel k = {0};
		const char *entry;
		size_t head;

		if (!memcmp(sec + off, "\0\0\0\0\0\0\0\0", 8)) {
			off += 8;
			continue;
		}
		memcpy(&k, sec + off, size - off < sizeof(k) ? size - off : sizeof(k));
		if (k.record_size < 8 || k.record_size % 8 || k.record_size > size - off)
			return -1;
		if (k.magic != MUSA_META_MAGIC || k.version != MUSA_META_VERSION) {
			off += k.record_size;
			continue;
		}
		head = sizeof(k) + (size_t)k.nparams * sizeof(struct musa_meta_param) + k.name_len + 1;
		if (head + k.entry_len + 1 > k.record_size)
			return -1;
		entry = (const char *)sec + off + head;
		for (int i = 0; i < ns; i++) {
			if (strlen(s[i].entry) != k.entry_len || memcmp(entry, s[i].entry, k.entry_len))
				continue;
			k.private_size = s[i].private_size;
			k.scratch_size = s[i].scratch_size;
			if (s[i].unbounded)
				k.flags |= MUSA_META_F_STACK_DYNAMIC;
			memcpy(sec + off, &k, sizeof(k));
		}
		off += k.record_size;
	}
	return 0;
}

/* Every section named .musa_meta of the ELF object in img. */
static int patch_object(unsigned char *img, size_t size, const struct stack_sizes *s, int ns)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Shdr *sh, *strsh;

	if (size < sizeof(*eh) || memcmp(img, ELFMAG, SELFMAG) || img[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
	    (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum || eh->e_shstrndx >= eh->e_shnum)
		return -1;
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	strsh = &sh[eh->e_shstrndx];
	if (strsh->sh_offset > size || size - strsh->sh_offset < strsh->sh_size)
		return -1;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_PROGBITS || sh[i].sh_name >= strsh->sh_size ||
		    strncmp((const char *)img + strsh->sh_offset + sh[i].sh_name, MUSA_META_SECTION,
			    strsh->sh_size - sh[i].sh_name) != 0)
			continue;
		if (sh[i].sh_offset > size || size - sh[i].sh_offset < sh[i].sh_size ||
		    patch_section(img + sh[i].sh_offset, sh[i].sh_size, s, ns))
			return -1;
	}
	return 0;
}

int mcc_stack_sizes(const struct mcc_unit *u, const char *etag, const char *report,
		    const char *object)
{
	struct stack_report r = {0};
	struct stack_sizes *s = NULL;
	int ns = 0, id = 0, rc = -1;
	unsigned char *img = NULL;
	size_t size;
	FILE *f;

	if (report_read(report, &r)) {
		fprintf(stderr, "mcc: %s: the compiler wrote no stack-usage report\n", u->path);
		return -1;
	}
	for (int i = 0; i < u->nkernels; i++) {
		int insts = u->kernels[i].tmpl_params ? u->kernels[i].ninsts : 1;

		for (int j = 0; j < insts; j++, id++) {
			s = mcc_xrealloc(s, (size_t)(ns + 1) * sizeof(*s));
			instance_sizes(u, i, id, etag, &r, &s[ns++]);
		}
	}
	img = (unsigned char *)mcc_read_file(object, &size);
	if (img && patch_object(img, size, s, ns) == 0 && (f = fopen(object, "r+b"))) {
		rc = fwrite(img, 1, size, f) == size ? 0 : -1;
		if (fclose(f))
			rc = -1;
	}
	if (rc)
		fprintf(stderr, "mcc: %s: cannot write the kernels' stack sizes\n", object);
	for (int i = 0; i < ns; i++)
		free(s[i].entry);
	free(s);
	free(img);
	report_free(&r);
	return rc;
}
