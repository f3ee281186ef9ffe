/* SPDX-License-Identifier: MIT */
/*
 * loadcheck.c - what the dynamic loader will follow in a code object,
 * checked before the KMD hands the image to dlopen (docs/uapi.md, "The
 * code-object trust boundary").
 *
 * ld.so reads no section headers: it maps the PT_LOAD segments, then walks
 * the dynamic section and the tables it points to in the mapped image,
 * without bounds. Here every such structure is read the way the loader
 * will read it, through its virtual address translated back into the file
 * by the PT_LOAD that maps it, and is refused unless it lies inside the
 * image, inside a segment and is of a shape mcc's device link produces:
 *
 *  - program headers: PT_LOAD readable, page-aligned, inside the file,
 *    ascending and on pages of their own, none writable and executable; one PT_DYNAMIC,
 *    one PT_GNU_STACK (not executable), at most one PT_TLS; notes, the
 *    eh_frame header, RELRO and PT_PHDR inside a segment; no PT_INTERP and
 *    no type the loader might give a meaning later.
 *  - the dynamic section: only tags from an allow-list; no DT_INIT*,
 *    DT_FINI*, DT_PREINIT_ARRAY, DT_TEXTREL, DT_RPATH/RUNPATH, DT_SONAME,
 *    filters, DT_REL or DT_RELR; DT_NEEDED only of the system libraries.
 *  - tables the loader reads (strings, symbols, hash tables, versions,
 *    relocations) lie in read-only segments, so no relocation rewrites them.
 *  - hash chains end (dlsym walks them), symbol and version indices are in
 *    range, no STT_GNU_IFUNC symbol (its resolver would run at load).
 *  - relocations of the types mcc's objects carry, each writing inside a
 *    writable segment and outside the dynamic section.
 *
 * Calls only libc. Nothing is exported.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "codeobj_load.h"

#if defined(__x86_64__)
#define LC_R_NONE      R_X86_64_NONE
#define LC_R_RELATIVE  R_X86_64_RELATIVE
#define LC_R_JUMP_SLOT R_X86_64_JUMP_SLOT
#define LC_LDSO        "ld-linux-x86-64.so.2"
#elif defined(__aarch64__)
#define LC_R_NONE      R_AARCH64_NONE
#define LC_R_RELATIVE  R_AARCH64_RELATIVE
#define LC_R_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define LC_LDSO        "ld-linux-aarch64.so.1"
#endif

#define LC_MAX_PHDRS   64
#define LC_MAX_LOADS   16
#define LC_MAX_NEEDED  16
#define LC_MAX_SYMS    (1u << 20)
#define LC_MAX_VERS    4096       /* Verneed + Vernaux entries */
#define LC_MAX_SPAN    (1ull << 40)
#define LC_MAX_TLS     (64u << 20)

/* The system libraries a code object may depend on (by soname). */
static const char *const lc_needed_ok[] = {
	"libc.so.6", "libm.so.6", "libmvec.so.1", "libstdc++.so.6", "libgcc_s.so.1",
	"libpthread.so.0", "libdl.so.2", "librt.so.1", LC_LDSO,
};

/* Whether the relocation type may appear in DT_RELA (DT_JMPREL holds only
 * JUMP_SLOT). Absolute, GOT, relative and dynamic-TLS relocations: what a
 * -fPIC shared object of mcc's device link carries. No COPY (executables
 * only), no IRELATIVE (runs a resolver of the image), no TPOFF (initial-exec
 * TLS: the loader then carves static TLS for the symbol's object, dividing
 * by its TLS alignment, 0 for an object without TLS). */
static bool rela_type_ok(uint32_t t)
{
	switch (t) {
#if defined(__x86_64__)
	case R_X86_64_NONE: case R_X86_64_64: case R_X86_64_GLOB_DAT:
	case R_X86_64_RELATIVE: case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64:
		return true;
#elif defined(__aarch64__)
	case R_AARCH64_NONE: case R_AARCH64_ABS64: case R_AARCH64_GLOB_DAT:
	case R_AARCH64_RELATIVE: case R_AARCH64_TLS_DTPMOD: case R_AARCH64_TLS_DTPREL:
	case R_AARCH64_TLSDESC:
		return true;
#endif
	default:
		return false;
	}
}

static bool rela_type_tls(uint32_t t)
{
#if defined(__x86_64__)
	return t == R_X86_64_DTPMOD64 || t == R_X86_64_DTPOFF64;
#else
	return t == R_AARCH64_TLS_DTPMOD || t == R_AARCH64_TLS_DTPREL || t == R_AARCH64_TLSDESC;
#endif
}

struct lc {
	const unsigned char *img;
	size_t size;
	uint64_t page;
	const Elf64_Phdr *load[LC_MAX_LOADS];
	unsigned nload;
	const Elf64_Phdr *dyn, *tls;
	/* from the dynamic section; present[] says which singletons were seen */
	uint64_t val[DT_NUM];
	bool present[DT_NUM];
	uint64_t gnu_hash, versym, verneed, verneednum, flags_1, relacount;
	bool has_gnu_hash, has_versym, has_verneed;
	uint32_t needed[LC_MAX_NEEDED];
	unsigned nneeded;
	const char *strtab;
	uint64_t strsz;
	const Elf64_Sym *syms;
	uint64_t nsyms;
	uint32_t max_ver;     /* highest version index Vernaux entries define */
};

/* a + b <= lim without overflow */
static bool fits(uint64_t a, uint64_t b, uint64_t lim)
{
	return a <= lim && b <= lim - a;
}

/*
 * The file bytes behind [va, va + len) of the loaded image: inside the
 * file-backed part of one PT_LOAD (read-only ones only with ro), aligned to
 * `align`. NULL otherwise. What is read through it is what the loader
 * reads at l_addr + va.
 */
static const void *lc_at(const struct lc *c, uint64_t va, uint64_t len, bool ro, uint64_t align)
{
	for (unsigned i = 0; i < c->nload; i++) {
		const Elf64_Phdr *p = c->load[i];

		if (va < p->p_vaddr || !fits(va - p->p_vaddr, len, p->p_filesz))
			continue;
		if (ro && (p->p_flags & PF_W))
			return NULL;
		if ((p->p_offset + (va - p->p_vaddr)) % align)
			return NULL;
		return c->img + p->p_offset + (va - p->p_vaddr);
	}
	return NULL;
}

/* [va, va + len) lies in the memory of one PT_LOAD (writable with w). */
static bool lc_mapped(const struct lc *c, uint64_t va, uint64_t len, bool w)
{
	for (unsigned i = 0; i < c->nload; i++) {
		const Elf64_Phdr *p = c->load[i];

		if (va >= p->p_vaddr && fits(va - p->p_vaddr, len, p->p_memsz))
			return !w || (p->p_flags & PF_W);
	}
	return false;
}

/* The part of the file the segment `p` names lies inside a PT_LOAD's file
 * part with the same bytes at the same address. */
static bool lc_same_bytes(const struct lc *c, const Elf64_Phdr *p)
{
	const unsigned char *at = lc_at(c, p->p_vaddr, p->p_filesz, false, 1);

	return at && (uint64_t)(at - c->img) == p->p_offset;
}

/* A NUL-terminated string at strtab + off, inside DT_STRSZ. */
static const char *lc_str(const struct lc *c, uint64_t off)
{
	if (off >= c->strsz || !memchr(c->strtab + off, '\0', c->strsz - off))
		return NULL;
	return c->strtab + off;
}

/*
 * The notes of a PT_NOTE / PT_GNU_PROPERTY segment: the loader walks them
 * (GNU property notes on x86-64 and aarch64) by their own sizes, and the
 * properties inside a GNU property note by theirs; both must stay inside
 * the segment.
 */
static bool notes_ok(const struct lc *c, const Elf64_Phdr *p)
{
	const unsigned char *n = c->img + p->p_offset;
	uint64_t align = p->p_align == 8 ? 8 : 4, off = 0, size = p->p_filesz;

	if (p->p_align > 8 || p->p_offset % align)
		return false;
	while (off < size) {
		const Elf64_Nhdr *h = (const Elf64_Nhdr *)(n + off);
		uint64_t name, desc;
		const unsigned char *d;

		if (size - off < sizeof(*h))
			return false;
		name = ((uint64_t)h->n_namesz + 3) & ~3ull;
		desc = ((uint64_t)h->n_descsz + align - 1) & ~(align - 1);
		if (name + desc > size - off - sizeof(*h))
			return false;
		d = n + off + sizeof(*h) + name;
		if (h->n_namesz == 4 && h->n_type == NT_GNU_PROPERTY_TYPE_0 &&
		    !memcmp(h + 1, "GNU", 4)) {
			uint64_t q = 0;

			while (q < h->n_descsz) {
				uint32_t datasz;

				if (h->n_descsz - q < 8)
					return false;
				memcpy(&datasz, d + q + 4, 4);
				q += 8 + (((uint64_t)datasz + 7) & ~7ull);
				if (q > desc)
					return false;
			}
		}
		off += sizeof(*h) + name + desc;
	}
	return true;
}

/* The PT_LOAD headers, first: everything else is placed against them. */
static int check_loads(struct lc *c, const Elf64_Phdr *ph, unsigned phnum)
{
	uint64_t prev_end = 0;

	for (unsigned i = 0; i < phnum; i++) {
		const Elf64_Phdr *p = &ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (c->nload == LC_MAX_LOADS)
			return -ENOEXEC;
		/* page-aligned, congruent offset and address (the loader's own checks) */
		if (p->p_align < c->page || (p->p_align & (p->p_align - 1)) ||
		    (p->p_vaddr - p->p_offset) % p->p_align)
			return -ENOEXEC;
		if (!fits(p->p_offset, p->p_filesz, c->size) || p->p_filesz > p->p_memsz ||
		    !fits(p->p_vaddr, p->p_memsz, LC_MAX_SPAN) || p->p_memsz == 0)
			return -ENOEXEC;
		/* the loader reads headers, notes and tables in place: all readable */
		if ((p->p_flags & ~(uint32_t)(PF_R | PF_W | PF_X)) || !(p->p_flags & PF_R))
			return -ENOEXEC;
		if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
			return -ENOEXEC;
		/* zero-filled memory only where the loader may write */
		if (p->p_memsz > p->p_filesz && !(p->p_flags & PF_W))
			return -ENOEXEC;
		/* ascending, each on pages of its own */
		if (c->nload && (p->p_vaddr & ~(c->page - 1)) < prev_end)
			return -ENOEXEC;
		prev_end = (p->p_vaddr + p->p_memsz + c->page - 1) & ~(c->page - 1);
		c->load[c->nload++] = p;
	}
	return c->nload ? 0 : -ENOEXEC;
}

/* One header other than PT_LOAD, checked against the segments; *stack
 * counts PT_GNU_STACK. */
static int check_other_phdr(struct lc *c, const Elf64_Phdr *p, bool *stack)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)c->img;

	switch (p->p_type) {
	case PT_NULL:
	case PT_LOAD:
		return 0;
	case PT_DYNAMIC:
		if (c->dyn || p->p_filesz != p->p_memsz || p->p_filesz < sizeof(Elf64_Dyn) ||
		    p->p_filesz % sizeof(Elf64_Dyn) || p->p_vaddr % 8 || !lc_same_bytes(c, p) ||
		    !lc_mapped(c, p->p_vaddr, p->p_memsz, true))
			return -ENOEXEC;
		c->dyn = p;
		return 0;
	case PT_TLS:
		/* the initialization image is data inside a segment; the
		 * alignment divides in the loader's static TLS carving */
		if (c->tls || p->p_filesz > p->p_memsz || p->p_memsz > LC_MAX_TLS ||
		    !p->p_align || (p->p_align & (p->p_align - 1)) || p->p_align > c->page ||
		    (p->p_filesz && !lc_same_bytes(c, p)))
			return -ENOEXEC;
		c->tls = p;
		return 0;
	case PT_GNU_STACK:
		if (*stack || (p->p_flags & PF_X))
			return -ENOEXEC;
		*stack = true;
		return 0;
	case PT_GNU_RELRO:
		return lc_mapped(c, p->p_vaddr, p->p_memsz, true) ? 0 : -ENOEXEC;
	case PT_PHDR:
		if (p->p_offset != eh->e_phoff ||
		    p->p_filesz != (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) ||
		    p->p_memsz != p->p_filesz || !lc_same_bytes(c, p))
			return -ENOEXEC;
		return 0;
	case PT_NOTE:
	case PT_GNU_PROPERTY:
		/* read in place by the loader */
		if (p->p_filesz != p->p_memsz || !lc_same_bytes(c, p) || !notes_ok(c, p))
			return -ENOEXEC;
		return 0;
	case PT_GNU_EH_FRAME:
		/* read in place by the unwinder */
		if (p->p_filesz != p->p_memsz || !lc_same_bytes(c, p))
			return -ENOEXEC;
		return 0;
	default:
		/* PT_INTERP, PT_SHLIB and whatever the loader might learn */
		return -ENOEXEC;
	}
}

static int check_phdrs(struct lc *c)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)c->img;
	const Elf64_Phdr *ph;
	bool stack = false;
	int ret;

	if (eh->e_phnum == 0 || eh->e_phnum > LC_MAX_PHDRS || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff % 8 || !fits(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), c->size))
		return -ENOEXEC;
	if (eh->e_ident[EI_OSABI] != ELFOSABI_SYSV && eh->e_ident[EI_OSABI] != ELFOSABI_GNU)
		return -ENOEXEC;
	if (eh->e_ident[EI_ABIVERSION] != 0)
		return -ENOEXEC;
	ph = (const Elf64_Phdr *)(c->img + eh->e_phoff);
	ret = check_loads(c, ph, eh->e_phnum);
	for (unsigned i = 0; !ret && i < eh->e_phnum; i++)
		ret = check_other_phdr(c, &ph[i], &stack);
	if (ret)
		return ret;
	/* without PT_GNU_STACK the loader makes every thread stack executable */
	if (!c->dyn || !stack)
		return -ENOEXEC;
	return 0;
}

/* Records one dynamic entry; refuses tags outside the allow-list. */
static int take_dyn(struct lc *c, const Elf64_Dyn *d)
{
	uint64_t tag = (uint64_t)d->d_tag;

	switch (tag) {
	case DT_NEEDED:
		if (c->nneeded == LC_MAX_NEEDED || d->d_un.d_val > UINT32_MAX)
			return -ENOEXEC;
		c->needed[c->nneeded++] = (uint32_t)d->d_un.d_val;
		return 0;
	case DT_PLTRELSZ: case DT_PLTGOT: case DT_HASH: case DT_STRTAB: case DT_SYMTAB:
	case DT_RELA: case DT_RELASZ: case DT_RELAENT: case DT_STRSZ: case DT_SYMENT:
	case DT_SYMBOLIC: case DT_PLTREL: case DT_JMPREL: case DT_BIND_NOW: case DT_FLAGS:
		if (c->present[tag])
			return -ENOEXEC;
		c->present[tag] = true;
		c->val[tag] = d->d_un.d_val;
		return 0;
	case DT_GNU_HASH:
		if (c->has_gnu_hash)
			return -ENOEXEC;
		c->has_gnu_hash = true;
		c->gnu_hash = d->d_un.d_ptr;
		return 0;
	case DT_VERSYM:
		if (c->has_versym)
			return -ENOEXEC;
		c->has_versym = true;
		c->versym = d->d_un.d_ptr;
		return 0;
	case DT_VERNEED:
		if (c->has_verneed)
			return -ENOEXEC;
		c->has_verneed = true;
		c->verneed = d->d_un.d_ptr;
		return 0;
	case DT_VERNEEDNUM:
		c->verneednum = d->d_un.d_val;
		return 0;
	case DT_RELACOUNT:
		/* the loader applies that many entries as RELATIVE, unchecked */
		c->relacount = d->d_un.d_val;
		return 0;
	case DT_FLAGS_1:
		c->flags_1 = d->d_un.d_val;
		return 0;
	default:
		/*
		 * DT_INIT, DT_FINI, DT_*_ARRAY*: code of the image run by the
		 * loader. DT_TEXTREL: writes to code. DT_RPATH, DT_RUNPATH,
		 * DT_AUXILIARY, DT_FILTER: other objects from other places.
		 * DT_SONAME: the object would answer later dlopens of that
		 * name. DT_REL*, DT_RELR*, DT_VERDEF, DT_DEBUG and the rest:
		 * not produced by mcc's device link.
		 */
		return -ENOEXEC;
	}
}

static int check_dynamic(struct lc *c)
{
	const Elf64_Dyn *d = lc_at(c, c->dyn->p_vaddr, c->dyn->p_filesz, false, 8);
	uint64_t n = c->dyn->p_filesz / sizeof(*d), i;
	int ret;

	if (!d)
		return -ENOEXEC;
	/* the loader reads up to DT_NULL, whatever p_filesz says */
	for (i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
		ret = take_dyn(c, &d[i]);
		if (ret)
			return ret;
	}
	if (i == n)
		return -ENOEXEC;
	if (!c->present[DT_STRTAB] || !c->present[DT_STRSZ] || !c->present[DT_SYMTAB] ||
	    !c->present[DT_SYMENT] || c->val[DT_SYMENT] != sizeof(Elf64_Sym))
		return -ENOEXEC;
	if (c->val[DT_FLAGS] & ~(uint64_t)(DF_SYMBOLIC | DF_BIND_NOW | DF_STATIC_TLS))
		return -ENOEXEC;
	if (c->flags_1 & ~(uint64_t)(DF_1_NOW | DF_1_NODELETE))
		return -ENOEXEC;
	c->strsz = c->val[DT_STRSZ];
	c->strtab = lc_at(c, c->val[DT_STRTAB], c->strsz, true, 1);
	if (!c->strtab || c->strsz == 0 || c->strtab[c->strsz - 1] != '\0')
		return -ENOEXEC;
	return 0;
}

static int check_needed(const struct lc *c)
{
	for (unsigned i = 0; i < c->nneeded; i++) {
		const char *name = lc_str(c, c->needed[i]);
		bool ok = false;

		for (size_t j = 0; name && j < sizeof(lc_needed_ok) / sizeof(lc_needed_ok[0]); j++)
			ok |= strcmp(name, lc_needed_ok[j]) == 0;
		if (!ok)
			return -ENOEXEC;
	}
	return 0;
}

/* Walks one GNU hash chain from symbol index `i`; the chain ends at an
 * entry with bit 0 set. Updates *nsyms to cover it. */
static int gnu_chain(const struct lc *c, uint64_t chains_va, uint32_t symoff, uint32_t i,
		     uint64_t *nsyms)
{
	for (;; i++) {
		const uint32_t *e;

		if (i >= LC_MAX_SYMS)
			return -ENOEXEC;
		e = lc_at(c, chains_va + 4ull * (i - symoff), 4, true, 4);
		if (!e)
			return -ENOEXEC;
		if (*nsyms < (uint64_t)i + 1)
			*nsyms = (uint64_t)i + 1;
		if (*e & 1)
			return 0;
	}
}

/*
 * The hash tables: dlsym and the loader's lookups walk them without bounds,
 * and they are the only record of how many symbols DT_SYMTAB holds.
 */
static int check_hash(struct lc *c)
{
	uint64_t nsyms = 0;

	if (!c->has_gnu_hash && !c->present[DT_HASH])
		return -ENOEXEC;
	if (c->has_gnu_hash) {
		const uint32_t *h = lc_at(c, c->gnu_hash, 16, true, 8);
		uint32_t nbuckets, symoff, bloom, shift;
		const uint32_t *buckets;
		uint64_t bva;

		if (!h)
			return -ENOEXEC;
		nbuckets = h[0];
		symoff = h[1];
		bloom = h[2];
		shift = h[3];
		/* a bucket count of 0 divides by zero; the bloom mask is size - 1 */
		if (!nbuckets || nbuckets > LC_MAX_SYMS || !bloom || (bloom & (bloom - 1)) ||
		    bloom > LC_MAX_SYMS || shift >= 64 || symoff > LC_MAX_SYMS)
			return -ENOEXEC;
		bva = c->gnu_hash + 16 + 8ull * bloom;
		buckets = lc_at(c, c->gnu_hash, 16 + 8ull * bloom + 4ull * nbuckets, true, 8);
		if (!buckets)
			return -ENOEXEC;
		buckets = (const uint32_t *)((const unsigned char *)buckets + 16 + 8ull * bloom);
		nsyms = symoff;
		for (uint32_t b = 0; b < nbuckets; b++) {
			if (!buckets[b])
				continue;
			if (buckets[b] < symoff ||
			    gnu_chain(c, bva + 4ull * nbuckets, symoff, buckets[b], &nsyms))
				return -ENOEXEC;
		}
	}
	if (c->present[DT_HASH]) {
		const uint32_t *h = lc_at(c, c->val[DT_HASH], 8, true, 4);
		uint32_t nbucket, nchain;
		const uint32_t *tab;

		if (!h)
			return -ENOEXEC;
		nbucket = h[0];
		nchain = h[1];
		if (!nbucket || nbucket > LC_MAX_SYMS || nchain > LC_MAX_SYMS)
			return -ENOEXEC;
		tab = lc_at(c, c->val[DT_HASH], 8 + 4ull * (nbucket + nchain), true, 4);
		if (!tab)
			return -ENOEXEC;
		tab += 2;
		/* every index in range, every chain ends (no loop) */
		for (uint32_t b = 0; b < nbucket; b++) {
			uint32_t s = tab[b], steps = 0;

			while (s != STN_UNDEF) {
				if (s >= nchain || ++steps > nchain)
					return -ENOEXEC;
				s = tab[nbucket + s];
			}
		}
		if (nsyms < nchain)
			nsyms = nchain;
	}
	if (nsyms == 0)
		nsyms = 1;
	c->nsyms = nsyms;
	c->syms = lc_at(c, c->val[DT_SYMTAB], nsyms * sizeof(Elf64_Sym), true, 8);
	return c->syms ? 0 : -ENOEXEC;
}

static int check_syms(const struct lc *c)
{
	for (uint64_t i = 0; i < c->nsyms; i++) {
		const Elf64_Sym *s = &c->syms[i];

		if (!lc_str(c, s->st_name))
			return -ENOEXEC;
		/* looking an IFUNC up runs its resolver, code of the image */
		if (ELF64_ST_TYPE(s->st_info) == STT_GNU_IFUNC)
			return -ENOEXEC;
		if (ELF64_ST_TYPE(s->st_info) == STT_TLS && s->st_shndx != SHN_UNDEF && !c->tls)
			return -ENOEXEC;
	}
	return 0;
}

/*
 * Symbol versions. The loader walks Verneed and Vernaux entries by their
 * next offsets until one is 0 (DT_VERNEEDNUM is not consulted), asserts
 * that each vn_file is a loaded dependency, and indexes its table of
 * versions with DT_VERSYM entries unchecked; DT_VERSYM must then exist.
 */
static int check_versions(struct lc *c)
{
	uint64_t va = c->verneed, count = 0, entries = 0;

	c->max_ver = 1;  /* 0 local, 1 global: always defined */
	/* with version needs the loader takes DT_VERSYM's address unchecked */
	if (c->has_verneed != c->has_versym)
		return -ENOEXEC;
	if (c->has_verneed) {
		for (;;) {
			const Elf64_Verneed *vn = lc_at(c, va, sizeof(*vn), true, 4);
			const char *file;
			uint64_t ava;
			bool dep = false;

			if (!vn || vn->vn_version != VER_NEED_CURRENT || ++entries > LC_MAX_VERS)
				return -ENOEXEC;
			file = lc_str(c, vn->vn_file);
			for (unsigned i = 0; file && i < c->nneeded; i++)
				dep |= strcmp(file, c->strtab + c->needed[i]) == 0;
			if (!dep)
				return -ENOEXEC;
			ava = va + vn->vn_aux;
			/* the loader follows vna_next to 0, not vn_cnt: both must agree */
			for (uint32_t k = 1;; k++) {
				const Elf64_Vernaux *a = lc_at(c, ava, sizeof(*a), true, 4);

				if (!a || !lc_str(c, a->vna_name) || ++entries > LC_MAX_VERS)
					return -ENOEXEC;
				if ((a->vna_other & 0x7fff) > c->max_ver)
					c->max_ver = a->vna_other & 0x7fff;
				if (!a->vna_next) {
					if (k != vn->vn_cnt)
						return -ENOEXEC;
					break;
				}
				ava += a->vna_next;
			}
			count++;
			if (!vn->vn_next)
				break;
			va += vn->vn_next;
		}
		if (count != c->verneednum)
			return -ENOEXEC;
	} else if (c->verneednum) {
		return -ENOEXEC;
	}
	if (c->has_versym) {
		const uint16_t *v = lc_at(c, c->versym, c->nsyms * 2, true, 2);

		if (!v)
			return -ENOEXEC;
		for (uint64_t i = 0; i < c->nsyms; i++)
			if ((v[i] & 0x7fff) > c->max_ver)
				return -ENOEXEC;
	}
	return 0;
}

/* One relocation table: [va, va + sz) of Elf64_Rela. jmprel: DT_JMPREL. */
static int check_relocs(const struct lc *c, uint64_t va, uint64_t sz, bool jmprel,
			uint64_t nrelative)
{
	const Elf64_Rela *r;
	uint64_t n = sz / sizeof(*r);

	if (sz % sizeof(*r) || nrelative > n)
		return -ENOEXEC;
	if (!n)
		return 0;
	r = lc_at(c, va, sz, true, 8);
	if (!r)
		return -ENOEXEC;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t type = ELF64_R_TYPE(r[i].r_info);
		uint64_t sym = ELF64_R_SYM(r[i].r_info), off = r[i].r_offset, width = 8;

		if (jmprel ? type != LC_R_JUMP_SLOT : !rela_type_ok(type))
			return -ENOEXEC;
		if (i < nrelative && type != LC_R_RELATIVE)
			return -ENOEXEC;
		if (sym >= c->nsyms)
			return -ENOEXEC;
		if (rela_type_tls(type) && sym == 0 && !c->tls)
			return -ENOEXEC;
		if (type == LC_R_NONE)
			continue;
#if defined(__aarch64__)
		width = type == R_AARCH64_TLSDESC ? 16 : 8;
#endif
		/* the loader writes at l_addr + r_offset inside a writable
		 * segment, never into the dynamic section it reads afterwards */
		if (!lc_mapped(c, off, width, true) ||
		    (off < c->dyn->p_vaddr + c->dyn->p_memsz && c->dyn->p_vaddr < off + width))
			return -ENOEXEC;
	}
	return 0;
}

static int check_all_relocs(const struct lc *c)
{
	uint64_t relacount = c->relacount;
	int ret;

	if (c->present[DT_RELA] != c->present[DT_RELASZ] ||
	    (c->present[DT_RELA] && (!c->present[DT_RELAENT] ||
				     c->val[DT_RELAENT] != sizeof(Elf64_Rela))))
		return -ENOEXEC;
	if (c->present[DT_RELAENT] && c->val[DT_RELAENT] != sizeof(Elf64_Rela))
		return -ENOEXEC;
	if (relacount && !c->present[DT_RELA])
		return -ENOEXEC;
	if (c->present[DT_RELA]) {
		ret = check_relocs(c, c->val[DT_RELA], c->val[DT_RELASZ], false, relacount);
		if (ret)
			return ret;
	}
	/* DT_PLTREL alone makes the loader read the other two */
	if (c->present[DT_JMPREL] != c->present[DT_PLTRELSZ] ||
	    c->present[DT_JMPREL] != c->present[DT_PLTREL])
		return -ENOEXEC;
	if (c->present[DT_PLTREL] && c->val[DT_PLTREL] != DT_RELA)
		return -ENOEXEC;
	if (c->present[DT_JMPREL]) {
		ret = check_relocs(c, c->val[DT_JMPREL], c->val[DT_PLTRELSZ], true, 0);
		if (ret)
			return ret;
	}
	/*
	 * The loader subtracts DT_PLTRELSZ from DT_RELASZ when both tables end
	 * at the same address (and merges adjacent ones): that must not wrap,
	 * and the tables must not overlap otherwise (both ranges are inside
	 * the image here, an empty DT_RELA aside).
	 */
	if (c->present[DT_JMPREL] && c->present[DT_RELA] && c->val[DT_PLTRELSZ]) {
		uint64_t rela = c->val[DT_RELA], relasz = c->val[DT_RELASZ];
		uint64_t jmp = c->val[DT_JMPREL], jmpsz = c->val[DT_PLTRELSZ];

		if (relasz < jmpsz && relasz <= UINT64_MAX - rela && rela + relasz == jmp + jmpsz)
			return -ENOEXEC;
		if (relasz && jmp < rela + relasz && rela < jmp + jmpsz)
			return -ENOEXEC;
	}
	/* the loader fills the first GOT slots when it binds lazily */
	if (c->present[DT_JMPREL] && !c->present[DT_PLTGOT])
		return -ENOEXEC;
	if (c->present[DT_PLTGOT] && !lc_mapped(c, c->val[DT_PLTGOT], 3 * 8, true))
		return -ENOEXEC;
	return 0;
}

int co_check_load(const unsigned char *img, size_t size)
{
	struct lc c = { .img = img, .size = size };
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	c.page = page > 0 ? (uint64_t)page : 4096;
	ret = check_phdrs(&c);
	if (!ret)
		ret = check_dynamic(&c);
	if (!ret)
		ret = check_needed(&c);
	if (!ret)
		ret = check_hash(&c);
	if (!ret)
		ret = check_syms(&c);
	if (!ret)
		ret = check_versions(&c);
	if (!ret)
		ret = check_all_relocs(&c);
	return ret;
}
