/* SPDX-License-Identifier: MIT */
/*
 * dlink.c - the device link of relocatable device code (-rdc=true / -dc),
 * as nvcc's: each object compiled with -rdc carries its relocatable device
 * objects in the non-allocated section .musa_rdc (gen_host.c); at the final
 * link mcc reads them back from every object it links, links those of one
 * arch into ONE code object (driver.c runs the compiler for that), and adds
 * a stub that registers the resulting fat binary once: __musa_rdc_handle(),
 * which every -rdc object's constructor calls to register its kernels and
 * variables. Static libraries (ar archives) count with all their members,
 * as their objects' host halves may all be linked. May call libc and buf.c.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"

static int spill(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "mcc: error: cannot write %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

/* The bytes of section `name` of an ELF64 relocatable object held in
 * [img, img + n): *len set, NULL when absent or not such an object. */
static const char *elf_section(const char *img, size_t n, const char *name, size_t *len)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh, strh;
	size_t i;

	if (n < sizeof(eh))
		return NULL;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > n ||
	    (n - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum || eh.e_shstrndx >= eh.e_shnum)
		return NULL;
	memcpy(&strh, img + eh.e_shoff + (size_t)eh.e_shstrndx * sizeof(sh), sizeof(sh));
	if (strh.sh_offset > n || strh.sh_size > n - strh.sh_offset)
		return NULL;
	for (i = 0; i < eh.e_shnum; i++) {
		memcpy(&sh, img + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_name >= strh.sh_size ||
		    strnlen(img + strh.sh_offset + sh.sh_name, strh.sh_size - sh.sh_name) != strlen(name) ||
		    strcmp(img + strh.sh_offset + sh.sh_name, name) != 0)
			continue;
		if (sh.sh_type == SHT_NOBITS || sh.sh_offset > n || sh.sh_size > n - sh.sh_offset)
			return NULL;
		*len = sh.sh_size;
		return img + sh.sh_offset;
	}
	return NULL;
}

/* Appends the device objects of one ELF object image ("obj" names it in
 * messages). */
static int extract_image(const char *obj, const char *img, size_t n, const char *dir,
			 struct mcc_rdc *out)
{
	static int seq;
	size_t len = 0, off = 0;
	const char *data;

	seq++;
	data = elf_section(img, n, ".musa_rdc", &len);
	/* records, 8-aligned; the assembler may pad between them with zeros */
	while (data && off + 16 <= len) {
		uint32_t magic, arch;
		uint64_t size;
		struct mcc_buf path = {0};

		memcpy(&magic, data + off, 4);
		if (magic == 0) {
			off += 8;
			continue;
		}
		memcpy(&arch, data + off + 4, 4);
		memcpy(&size, data + off + 8, 8);
		if (magic != MCC_RDC_MAGIC || size > len - off - 16) {
			fprintf(stderr, "mcc: error: %s: corrupt device code section\n", obj);
			return -1;
		}
		mcc_buf_printf(&path, "%s/rdc%d_%d.o", dir, seq, out->n);
		if (spill(path.s, data + off + 16, (size_t)size) != 0) {
			mcc_buf_free(&path);
			return -1;
		}
		out->objs = mcc_xrealloc(out->objs, (size_t)(out->n + 1) * sizeof(*out->objs));
		out->objs[out->n].arch = arch;
		out->objs[out->n].path = path.s;
		out->objs[out->n].size = size;
		out->n++;
		off += 16 + (((size_t)size + 7) & ~(size_t)7);
	}
	return 0;
}

/*
 * The members of an ar archive ("!<arch>\n", then per member a 60-byte
 * header whose bytes 48..57 give the size in decimal, the data, padding to
 * an even offset). The symbol table and long-name members are no ELF
 * objects and hold no device code; elf_section() passes over them.
 */
static int extract_archive(const char *obj, const char *img, size_t n, const char *dir,
			   struct mcc_rdc *out)
{
	size_t off = 8;

	while (off + 60 <= n) {
		const char *h = img + off;
		char num[11];
		char *end;
		unsigned long long size;

		if (h[58] != '`' || h[59] != '\n')
			break;
		memcpy(num, h + 48, 10);
		num[10] = 0;
		size = strtoull(num, &end, 10);
		if (end == num || size > n - off - 60) {
			fprintf(stderr, "mcc: error: %s: corrupt archive\n", obj);
			return -1;
		}
		if (extract_image(obj, h + 60, (size_t)size, dir, out) != 0)
			return -1;
		off += 60 + (size_t)size + (size & 1);
	}
	if (off < n) {
		fprintf(stderr, "mcc: error: %s: corrupt archive\n", obj);
		return -1;
	}
	return 0;
}

int mcc_rdc_extract(const char *obj, const char *dir, struct mcc_rdc *out)
{
	size_t n;
	char *img = mcc_read_file(obj, &n);
	int rc;

	if (!img) {
		fprintf(stderr, "mcc: error: %s: %s\n", obj, strerror(errno));
		return -1;
	}
	if (n >= 8 && !memcmp(img, "!<arch>\n", 8))
		rc = extract_archive(obj, img, n, dir, out);
	else
		rc = extract_image(obj, img, n, dir, out);
	free(img);
	return rc;
}

void mcc_rdc_free(struct mcc_rdc *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		free((char *)r->objs[i].path);
	free(r->objs);
	r->objs = NULL;
	r->n = 0;
}

void mcc_gen_rdc_stub(const struct mcc_image *images, int nimages, const char *tag,
		      struct mcc_buf *out)
{
	mcc_buf_puts(out, "#include <musa_runtime.h>\n");
	mcc_gen_fatbin(images, nimages, tag, out);
	/* Constructors run before main, one at a time: the first -rdc
	 * object's constructor registers the fat binary for all of them. */
	mcc_buf_puts(out, "static void **__musa_rdc_fat;\n"
		     "__attribute__((visibility(\"hidden\"))) void **__musa_rdc_handle(void)\n{\n"
		     "\tif (!__musa_rdc_fat)\n"
		     "\t\t__musa_rdc_fat = __musaRegisterFatBinary((void *)&__musa_fat_wrapper);\n"
		     "\treturn __musa_rdc_fat;\n}\n"
		     "static void __attribute__((destructor)) __musa_rdc_unregister(void)\n{\n"
		     "\tif (__musa_rdc_fat)\n\t\t__musaUnregisterFatBinary(__musa_rdc_fat);\n"
		     "\t__musa_rdc_fat = 0;\n}\n");
}
