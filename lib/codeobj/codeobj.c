/* SPDX-License-Identifier: MIT */
/*
 * codeobj.c - the device code object validator (libmusa_codeobj.a), shared
 * by the UMD (to answer the module API) and the KMD (before it loads code).
 *
 * Trusts nothing in the image: the ELF header, every section header and
 * every metadata field are checked against the image size before they are
 * used, so no input can make it read outside [image, image + size). What
 * the dynamic loader follows (program headers, dynamic section, symbols,
 * relocations; no section headers) is checked by loadcheck.c. Uses libelf
 * only; calls nothing of the other layers. Nothing is exported.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "musa_codeobj.h"
#include "codeobj_load.h"

#if defined(__x86_64__)
#define CO_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define CO_MACHINE EM_AARCH64
#else
#error "unsupported host machine for device code objects"
#endif

static pthread_once_t co_elf_once = PTHREAD_ONCE_INIT;
static bool co_elf_ok;

static void co_elf_init(void)
{
	co_elf_ok = elf_version(EV_CURRENT) != EV_NONE;
}

/* [off, off + len) inside [0, size) without overflow. */
static bool in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

struct co_ctx {
	const unsigned char *img;
	size_t size;
	Elf *elf;
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strtab;
	size_t strsz;
	size_t shnum;
};

static int check_header(const unsigned char *img, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;

	if (size < sizeof(Elf64_Ehdr) || memcmp(img, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	if (img[EI_CLASS] != ELFCLASS64 || img[EI_DATA] != ELFDATA2LSB ||
	    img[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_type != ET_DYN || eh->e_machine != CO_MACHINE || eh->e_version != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_ehsize != sizeof(Elf64_Ehdr))
		return -ENOEXEC;
	/* No extended numbering: the section table is what e_shnum says. */
	if (eh->e_shnum == 0 || eh->e_shstrndx == SHN_UNDEF || eh->e_shstrndx >= eh->e_shnum ||
	    !in_bounds(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), size))
		return -ENOEXEC;
	if (eh->e_phnum && (eh->e_phentsize != sizeof(Elf64_Phdr) ||
			    !in_bounds(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size)))
		return -ENOEXEC;
	return 0;
}

/* Every section that occupies file bytes lies inside the image. */
static int check_sections(struct co_ctx *c)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)c->img;

	if (elf_getshdrnum(c->elf, &c->shnum) != 0 || c->shnum == 0)
		return -ENOEXEC;
	if (!in_bounds(eh->e_shoff, (uint64_t)c->shnum * sizeof(Elf64_Shdr), c->size))
		return -ENOEXEC;
	while ((scn = elf_nextscn(c->elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		if (sh.sh_type != SHT_NOBITS && !in_bounds(sh.sh_offset, sh.sh_size, c->size))
			return -ENOEXEC;
		if (sh.sh_link >= c->shnum)
			return -ENOEXEC;
	}
	return 0;
}

static int find_dynsym(struct co_ctx *c)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh, strsh;

	while ((scn = elf_nextscn(c->elf, scn)) != NULL) {
		Elf_Scn *strscn;

		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		if (sh.sh_type != SHT_DYNSYM)
			continue;
		if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym) ||
		    sh.sh_offset % _Alignof(Elf64_Sym))
			return -ENOEXEC;
		strscn = elf_getscn(c->elf, sh.sh_link);
		if (!strscn || !gelf_getshdr(strscn, &strsh) || strsh.sh_type != SHT_STRTAB ||
		    strsh.sh_size == 0 || c->img[strsh.sh_offset + strsh.sh_size - 1] != '\0')
			return -ENOEXEC;
		c->syms = (const Elf64_Sym *)(c->img + sh.sh_offset);
		c->nsyms = sh.sh_size / sizeof(Elf64_Sym);
		c->strtab = (const char *)c->img + strsh.sh_offset;
		c->strsz = strsh.sh_size;
		return 0;
	}
	return -ENOEXEC;
}

/* The entry must be a defined function in .dynsym, in an executable section. */
static bool entry_defined(const struct co_ctx *c, const char *name)
{
	for (size_t i = 1; i < c->nsyms; i++) {
		const Elf64_Sym *s = &c->syms[i];
		unsigned char bind = ELF64_ST_BIND(s->st_info);
		Elf_Scn *scn;
		GElf_Shdr sh;

		if (s->st_name >= c->strsz || strcmp(c->strtab + s->st_name, name) != 0)
			continue;
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    s->st_shndx >= c->shnum || (bind != STB_GLOBAL && bind != STB_WEAK))
			return false;
		scn = elf_getscn(c->elf, s->st_shndx);
		return scn && gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR);
	}
	return false;
}

/* A variable's pointer cell: a defined object of one pointer in .dynsym,
 * in a section that occupies memory at run time. */
static bool cell_defined(const struct co_ctx *c, const char *name)
{
	for (size_t i = 1; i < c->nsyms; i++) {
		const Elf64_Sym *s = &c->syms[i];
		unsigned char bind = ELF64_ST_BIND(s->st_info);
		Elf_Scn *scn;
		GElf_Shdr sh;

		if (s->st_name >= c->strsz || strcmp(c->strtab + s->st_name, name) != 0)
			continue;
		if (ELF64_ST_TYPE(s->st_info) != STT_OBJECT || s->st_size != sizeof(void *) ||
		    s->st_shndx == SHN_UNDEF || s->st_shndx >= c->shnum ||
		    (bind != STB_GLOBAL && bind != STB_WEAK))
			return false;
		scn = elf_getscn(c->elf, s->st_shndx);
		return scn && gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC);
	}
	return false;
}

static int find_meta(struct co_ctx *c, const unsigned char **meta, size_t *meta_size)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(c->elf, &shstrndx) != 0)
		return -ENOEXEC;
	while ((scn = elf_nextscn(c->elf, scn)) != NULL) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			return -ENOEXEC;
		name = elf_strptr(c->elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, MUSA_META_SECTION) != 0)
			continue;
		if (sh.sh_type != SHT_PROGBITS)
			return -ENOEXEC;
		/* Records are read in place: their fields must be aligned. */
		/* musa_meta_var holds a __u64: 8, not the kernel header's 4 (fuzz_codeobj). */
		if ((uintptr_t)(c->img + sh.sh_offset) % 8)
			return -ENOEXEC;
		*meta = c->img + sh.sh_offset;
		*meta_size = sh.sh_size;
		return 0;
	}
	return -ENOEXEC;
}

/* NUL exactly at s[len] and nowhere before; len > 0. */
static bool str_ok(const char *s, uint32_t len)
{
	return len > 0 && s[len] == '\0' && memchr(s, '\0', len) == NULL;
}

/*
 * Size and alignment each param kind demands. Scalars: exactly `size` and
 * `align`. Aggregates (size 0): any size > 0 that is a multiple of the
 * alignment, which lies between the members' alignment (`align` here) and
 * 8: the KMD describes them to libffi as arrays of one member type, and up
 * to 8 the alignment of an aggregate changes nothing in how it is passed.
 */
static const struct {
	uint32_t size, align;
} param_kinds[MUSA_PARAM_KINDS] = {
	[MUSA_PARAM_BYTES]      = { 0, 0 },
	[MUSA_PARAM_I8]         = { 1, 1 },
	[MUSA_PARAM_I16]        = { 2, 2 },
	[MUSA_PARAM_I32]        = { 4, 4 },
	[MUSA_PARAM_I64]        = { 8, 8 },
	[MUSA_PARAM_U8]         = { 1, 1 },
	[MUSA_PARAM_U16]        = { 2, 2 },
	[MUSA_PARAM_U32]        = { 4, 4 },
	[MUSA_PARAM_U64]        = { 8, 8 },
	[MUSA_PARAM_F32]        = { 4, 4 },
	[MUSA_PARAM_F64]        = { 8, 8 },
	[MUSA_PARAM_PTR]        = { sizeof(void *), _Alignof(void *) },
	[MUSA_PARAM_STRUCT]     = { 0, 1 },
	[MUSA_PARAM_STRUCT_F32] = { 0, 4 },
	[MUSA_PARAM_STRUCT_F64] = { 0, 8 },
};

/* A param's kind agrees with its size and alignment; BYTES only when the
 * kernel has an entry that knows the layout. */
static bool param_kind_ok(const struct musa_meta_param *p, bool ffi)
{
	if (p->kind >= MUSA_PARAM_KINDS)
		return false;
	if (p->kind == MUSA_PARAM_BYTES)
		return !ffi;
	if (param_kinds[p->kind].size)
		return p->size == param_kinds[p->kind].size &&
		       p->align == param_kinds[p->kind].align;
	return p->size && p->size % p->align == 0 && p->align >= param_kinds[p->kind].align &&
	       p->align <= 8;
}

/*
 * The header of a kernel record: its size for the record's version, or 0
 * for a header that is not one. Only the fields both versions share are
 * read before the version is known.
 */
static size_t check_kernel_header(const struct musa_meta_kernel *k, size_t avail)
{
	size_t size;
	uint32_t known;

	if (avail < MUSA_META_KERNEL_V1_SIZE || k->magic != MUSA_META_MAGIC)
		return 0;
	if (k->version == MUSA_META_VERSION) {
		size = sizeof(*k);
		known = MUSA_META_F_KNOWN;
	} else if (k->version == MUSA_META_VERSION_1) {
		size = MUSA_META_KERNEL_V1_SIZE;
		known = MUSA_META_F_KNOWN_V1;
	} else {
		return 0;
	}
	if (avail < size || k->record_size % 8 || k->record_size < size || k->record_size > avail)
		return 0;
	if (k->flags & ~known || k->arch == 0)
		return 0;
	if (k->kernarg_align && !is_pow2(k->kernarg_align))
		return 0;
	return size;
}

/* The stack sizes a record declares, or the defaults of one without them;
 * the entry's need includes the threads' own. */
static int record_stack(const struct musa_meta_kernel *k, size_t header,
			struct musa_codeobj_kernel *out)
{
	if (header < sizeof(*k)) {
		out->private_size = 0;
		out->scratch_size = MUSA_META_SCRATCH_DEFAULT;
		return 0;
	}
	if (k->scratch_size < k->private_size)
		return -ENOEXEC;
	out->private_size = k->private_size;
	out->scratch_size = k->scratch_size;
	return 0;
}

static int check_record(const struct co_ctx *c, const unsigned char *rec, size_t avail,
			struct musa_codeobj_kernel *out)
{
	const struct musa_meta_kernel *k = (const struct musa_meta_kernel *)rec;
	const struct musa_meta_param *params;
	const char *name, *entry;
	size_t header = check_kernel_header(k, avail);
	uint64_t need;

	if (!header || record_stack(k, header, out))
		return -ENOEXEC;
	need = header + (uint64_t)k->nparams * sizeof(struct musa_meta_param) +
	       (uint64_t)k->name_len + 1 + (uint64_t)k->entry_len + 1;
	/* Exactly the fields plus zero padding to the next multiple of 8. */
	if (((need + 7) & ~7ull) != k->record_size)
		return -ENOEXEC;
	for (uint64_t i = need; i < k->record_size; i++)
		if (rec[i])
			return -ENOEXEC;

	params = (const struct musa_meta_param *)(rec + header);
	for (uint32_t i = 0; i < k->nparams; i++) {
		const struct musa_meta_param *p = &params[i];

		if ((uint64_t)p->offset + p->size > k->kernarg_size || !is_pow2(p->align) ||
		    p->offset % p->align || !param_kind_ok(p, k->flags & MUSA_META_F_FFI))
			return -ENOEXEC;
	}
	name = (const char *)(params + k->nparams);
	entry = name + k->name_len + 1;
	if (!str_ok(name, k->name_len) || !str_ok(entry, k->entry_len))
		return -ENOEXEC;
	if (!entry_defined(c, entry))
		return -ENOEXEC;
	/* The KMD runs an FFI kernel's groups through the object's own runner. */
	if ((k->flags & MUSA_META_F_FFI) && !entry_defined(c, MUSA_FFI_RUNNER))
		return -ENOEXEC;
	out->meta = k;
	out->params = params;
	out->name = name;
	out->entry = entry;
	return 0;
}

static int check_var(const struct co_ctx *c, const unsigned char *rec, size_t avail,
		     struct musa_codeobj_var *out)
{
	const struct musa_meta_var *v = (const struct musa_meta_var *)rec;
	const char *name, *sym;
	uint64_t need;

	if (avail < sizeof(*v) ||
	    (v->version != MUSA_META_VERSION && v->version != MUSA_META_VERSION_1))
		return -ENOEXEC;
	if (v->record_size % 8 || v->record_size < sizeof(*v) || v->record_size > avail)
		return -ENOEXEC;
	if (v->flags & ~MUSA_META_VAR_ALL || v->size == 0)
		return -ENOEXEC;
	need = sizeof(*v) + (uint64_t)v->name_len + 1 + (uint64_t)v->sym_len + 1;
	if (((need + 7) & ~7ull) != v->record_size)
		return -ENOEXEC;
	for (uint64_t i = need; i < v->record_size; i++)
		if (rec[i])
			return -ENOEXEC;
	name = (const char *)(v + 1);
	sym = name + v->name_len + 1;
	if (!str_ok(name, v->name_len) || !str_ok(sym, v->sym_len) || !cell_defined(c, sym))
		return -ENOEXEC;
	out->meta = v;
	out->name = name;
	out->sym = sym;
	return 0;
}

/* Appends a variable record; names are unique among variables. */
static int add_var(struct co_ctx *c, const unsigned char *rec, size_t avail,
		   struct musa_codeobj *out, size_t *cap, size_t *off)
{
	struct musa_codeobj_var *vn;
	int ret;

	if (out->nvars == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;

		vn = realloc(out->vars, ncap * sizeof(*vn));
		if (!vn)
			return -ENOMEM;
		out->vars = vn;
		*cap = ncap;
	}
	vn = &out->vars[out->nvars];
	ret = check_var(c, rec, avail, vn);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < out->nvars; i++)
		if (!strcmp(out->vars[i].name, vn->name))
			return -ENOEXEC;
	out->nvars++;
	*off += vn->meta->record_size;
	return 0;
}

static int walk_records(struct co_ctx *c, const unsigned char *meta, size_t meta_size,
			struct musa_codeobj *out)
{
	size_t off = 0, cap = 0, vcap = 0;
	int ret;

	while (off < meta_size) {
		struct musa_codeobj_kernel *kn;
		size_t rest = meta_size - off;

		if (rest >= 8 && !memcmp(meta + off, "\0\0\0\0\0\0\0\0", 8)) {
			off += 8;
			continue;
		}
		if (rest < 8) {
			for (size_t i = off; i < meta_size; i++)
				if (meta[i])
					return -ENOEXEC;
			break;
		}
		if (((const struct musa_meta_var *)(meta + off))->magic == MUSA_META_VAR_MAGIC) {
			ret = add_var(c, meta + off, rest, out, &vcap, &off);
			if (ret)
				return ret;
			continue;
		}
		if (out->nkernels == cap) {
			size_t ncap = cap ? cap * 2 : 8;

			kn = realloc(out->kernels, ncap * sizeof(*kn));
			if (!kn)
				return -ENOMEM;
			out->kernels = kn;
			cap = ncap;
		}
		kn = &out->kernels[out->nkernels];
		ret = check_record(c, meta + off, rest, kn);
		if (ret)
			return ret;
		if (out->nkernels && kn->meta->arch != out->arch)
			return -ENOEXEC;
		for (uint32_t i = 0; i < out->nkernels; i++)
			if (!strcmp(out->kernels[i].name, kn->name))
				return -ENOEXEC;
		out->arch = kn->meta->arch;
		out->nkernels++;
		off += kn->meta->record_size;
	}
	return 0;
}

int musa_codeobj_parse(const void *image, size_t size, struct musa_codeobj *out)
{
	struct co_ctx c = { .img = image, .size = size };
	const unsigned char *meta;
	size_t meta_size;
	int ret;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	/* Headers and records are read in place. */
	if (!image || (uintptr_t)image % 8)
		return -ENOEXEC;
	pthread_once(&co_elf_once, co_elf_init);
	if (!co_elf_ok)
		return -ENOEXEC;
	ret = check_header(c.img, size);
	if (!ret)
		ret = co_check_load(c.img, size);
	if (ret)
		return ret;
	/* libelf only reads the image: ELF_C_READ_MEMORY maps nothing, writes nothing. */
	c.elf = elf_memory((char *)(uintptr_t)image, size);
	if (!c.elf || elf_kind(c.elf) != ELF_K_ELF) {
		ret = -ENOEXEC;
		goto out;
	}
	ret = check_sections(&c);
	if (!ret)
		ret = find_dynsym(&c);
	if (!ret)
		ret = find_meta(&c, &meta, &meta_size);
	if (!ret)
		ret = walk_records(&c, meta, meta_size, out);
out:
	if (c.elf)
		elf_end(c.elf);
	if (ret)
		musa_codeobj_free(out);
	return ret;
}

void musa_codeobj_free(struct musa_codeobj *co)
{
	if (!co)
		return;
	free(co->kernels);
	co->kernels = NULL;
	co->nkernels = 0;
	free(co->vars);
	co->vars = NULL;
	co->nvars = 0;
	co->arch = 0;
}

/* The archs code objects are built for (kmd-shim/device.c, tools/mcc/arch.c
 * hold the same list): compute capability major*10+minor, warp lanes. */
static const struct {
	uint32_t arch, warp;
} co_archs[] = {
	{ 21, 128 }, { 22, 128 }, { 31, 32 },
	{ 50, 32 }, { 52, 32 }, { 53, 32 }, { 60, 32 }, { 61, 32 }, { 62, 32 },
	{ 70, 32 }, { 72, 32 }, { 75, 32 }, { 80, 32 },
};

uint32_t musa_codeobj_arch_warp(uint32_t arch)
{
	for (size_t i = 0; i < sizeof(co_archs) / sizeof(co_archs[0]); i++)
		if (co_archs[i].arch == arch)
			return co_archs[i].warp;
	return 0;
}

uint32_t musa_codeobj_arch_at(uint32_t i)
{
	return i < sizeof(co_archs) / sizeof(co_archs[0]) ? co_archs[i].arch : 0;
}

int musa_codeobj_arch_runs_on(uint32_t image_arch, uint32_t dev_arch, uint32_t dev_warp)
{
	uint32_t warp = musa_codeobj_arch_warp(image_arch);

	if (image_arch == dev_arch)
		return 1;
	return warp != 0 && warp == dev_warp && image_arch <= dev_arch;
}
