/*
 * test_layering.c - proves from the built libraries that each layer talks to
 * the one below only through its door (DESIGN.md, "Rules that keep the
 * layers honest"):
 *  - libmusart imports no ioctl, no libdrm symbol and nothing of the kmd
 *    shim; every mu* symbol it imports is a driver API function of musa.h;
 *  - libmusa imports from libmusa_kmd only the transport entry points of
 *    uapi/musa_kmd.h, and no software-device internals;
 *  - each library exports only its public API.
 * Reads the dynamic symbol tables with libelf; needs nothing but the build.
 */
#include <check.h>
#include <ctype.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct symset {
	char **names;
	size_t n, cap;
};

static void symset_add(struct symset *s, const char *name)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->names = realloc(s->names, s->cap * sizeof(*s->names));
		ck_assert_ptr_nonnull(s->names);
	}
	s->names[s->n++] = strdup(name);
}

static int symset_has(const struct symset *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return 1;
	return 0;
}

static void symset_free(struct symset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	memset(s, 0, sizeof(*s));
}

/* Collects the undefined (imports) or defined global (exports) dynamic
 * symbols of a library, and its DT_NEEDED entries. */
static void read_dynamic(const char *path, struct symset *imports,
                         struct symset *exports, struct symset *needed)
{
	int fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "cannot open %s", path);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(e);
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		gelf_getshdr(scn, &sh);
		Elf_Data *d = elf_getdata(scn, NULL);
		if (sh.sh_type == SHT_DYNSYM) {
			size_t cnt = sh.sh_size / sh.sh_entsize;
			for (size_t i = 1; i < cnt; i++) {
				GElf_Sym sym;
				gelf_getsym(d, (int)i, &sym);
				const char *nm = elf_strptr(e, sh.sh_link, sym.st_name);
				if (!nm || !*nm)
					continue;
				int bind = GELF_ST_BIND(sym.st_info);
				if (sym.st_shndx == SHN_UNDEF)
					symset_add(imports, nm);
				else if ((bind == STB_GLOBAL || bind == STB_WEAK) &&
				         GELF_ST_VISIBILITY(sym.st_other) == STV_DEFAULT &&
				         GELF_ST_TYPE(sym.st_info) != STT_NOTYPE)
					symset_add(exports, nm);
			}
		} else if (sh.sh_type == SHT_DYNAMIC) {
			size_t cnt = sh.sh_size / sh.sh_entsize;
			for (size_t i = 0; i < cnt; i++) {
				GElf_Dyn dyn;
				gelf_getdyn(d, (int)i, &dyn);
				if (dyn.d_tag == DT_NEEDED)
					symset_add(needed, elf_strptr(e, sh.sh_link, dyn.d_un.d_val));
			}
		}
	}
	elf_end(e);
	close(fd);
}

static void lib_path(char *buf, size_t len, const char *lib)
{
	snprintf(buf, len, "%s/lib/%s", TEST_BUILD_DIR, lib);
}

/* The names of the functions a public header declares, `<prefix>Name(`. */
static void header_functions(const char *header, const char *prefix, struct symset *out)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/include/%s", TEST_SRC_DIR, header);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char line[1024];
	size_t plen = strlen(prefix);
	while (fgets(line, sizeof(line), f)) {
		for (char *p = line; (p = strstr(p, prefix)) != NULL; p += plen) {
			if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
				continue;
			char *q = p + plen;
			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			if (*q == '(' && q > p + plen) {
				char name[256];
				snprintf(name, sizeof(name), "%.*s", (int)(q - p), p);
				if (!symset_has(out, name))
					symset_add(out, name);
			}
		}
	}
	fclose(f);
}

static int starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

START_TEST(test_musart_imports_no_ioctl_drm_or_kmd)
{
	struct symset imp = {0}, exp = {0}, need = {0}, api = {0};
	char path[4096];
	lib_path(path, sizeof(path), "libmusart.so");
	read_dynamic(path, &imp, &exp, &need);
	header_functions("musa.h", "mu", &api);
	ck_assert_uint_gt(api.n, 30);
	for (size_t i = 0; i < imp.n; i++) {
		const char *s = imp.names[i];
		ck_assert_msg(strcmp(s, "ioctl") != 0, "libmusart imports ioctl");
		ck_assert_msg(!starts_with(s, "drm"), "libmusart imports %s", s);
		ck_assert_msg(!starts_with(s, "musa_kmd_") && !starts_with(s, "kmd_"),
		              "libmusart imports %s", s);
		if (starts_with(s, "mu") && isupper((unsigned char)s[2]))
			ck_assert_msg(symset_has(&api, s),
			              "libmusart imports %s, which musa.h does not declare", s);
	}
	for (size_t i = 0; i < need.n; i++) {
		ck_assert_msg(!strstr(need.names[i], "libdrm"), "libmusart needs %s", need.names[i]);
		ck_assert_msg(!strstr(need.names[i], "musa_kmd"), "libmusart needs %s", need.names[i]);
	}
	ck_assert_msg(symset_has(&need, "libmusa.so.1"), "libmusart does not link libmusa");
	symset_free(&imp); symset_free(&exp); symset_free(&need); symset_free(&api);
}
END_TEST

START_TEST(test_musa_reaches_kmd_only_through_door)
{
	static const char *const door[] = {
		"musa_kmd_open", "musa_kmd_ioctl", "musa_kmd_mmap", "musa_kmd_close",
		"musa_kmd_dup",
	};
	struct symset imp = {0}, exp = {0}, need = {0};
	struct symset kimp = {0}, kexp = {0}, kneed = {0};
	char path[4096];
	lib_path(path, sizeof(path), "libmusa.so");
	read_dynamic(path, &imp, &exp, &need);
	lib_path(path, sizeof(path), "libmusa_kmd.so");
	read_dynamic(path, &kimp, &kexp, &kneed);

	/* Everything libmusa takes from the shim is one of the door's entries. */
	for (size_t i = 0; i < imp.n; i++) {
		const char *s = imp.names[i];
		if (!symset_has(&kexp, s))
			continue;
		int ok = 0;
		for (size_t d = 0; d < sizeof(door) / sizeof(door[0]); d++)
			ok |= strcmp(s, door[d]) == 0;
		ck_assert_msg(ok, "libmusa calls shim internal %s", s);
	}
	ck_assert_msg(symset_has(&imp, "musa_kmd_ioctl"), "libmusa does not use the ioctl door");
	/* The shim exports nothing but the door. */
	for (size_t i = 0; i < kexp.n; i++) {
		int ok = 0;
		for (size_t d = 0; d < sizeof(door) / sizeof(door[0]); d++)
			ok |= strcmp(kexp.names[i], door[d]) == 0;
		ck_assert_msg(ok, "libmusa_kmd exports %s", kexp.names[i]);
	}
	symset_free(&imp); symset_free(&exp); symset_free(&need);
	symset_free(&kimp); symset_free(&kexp); symset_free(&kneed);
}
END_TEST

START_TEST(test_exports_are_public_api_only)
{
	struct symset imp = {0}, exp = {0}, need = {0}, api = {0};
	char path[4096];
	lib_path(path, sizeof(path), "libmusa.so");
	read_dynamic(path, &imp, &exp, &need);
	header_functions("musa.h", "mu", &api);
	for (size_t i = 0; i < exp.n; i++)
		ck_assert_msg(symset_has(&api, exp.names[i]),
		              "libmusa exports %s, not in musa.h", exp.names[i]);
	symset_free(&imp); symset_free(&exp); symset_free(&need); symset_free(&api);

	lib_path(path, sizeof(path), "libmusart.so");
	read_dynamic(path, &imp, &exp, &need);
	header_functions("musa_runtime_api.h", "musa", &api);
	header_functions("musa_runtime_api.h", "__musa", &api);
	for (size_t i = 0; i < exp.n; i++)
		ck_assert_msg(symset_has(&api, exp.names[i]),
		              "libmusart exports %s, not in musa_runtime_api.h", exp.names[i]);
	symset_free(&imp); symset_free(&exp); symset_free(&need); symset_free(&api);
}
END_TEST

START_TEST(test_runtime_sources_never_include_uapi)
{
	char cmd[4096];
	snprintf(cmd, sizeof(cmd),
	         "grep -rlE 'uapi/|musa_drm\\.h|musa_kmd\\.h|xf86drm|\\bioctl *\\(' %s/runtime",
	         TEST_SRC_DIR);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char line[4096];
	int found = fgets(line, sizeof(line), p) != NULL;
	pclose(p);
	ck_assert_msg(!found, "runtime source reaches below the driver API: %s", line);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("layering");
	TCase *tc = tcase_create("doors");
	tcase_add_test(tc, test_musart_imports_no_ioctl_drm_or_kmd);
	tcase_add_test(tc, test_musa_reaches_kmd_only_through_door);
	tcase_add_test(tc, test_exports_are_public_api_only);
	tcase_add_test(tc, test_runtime_sources_never_include_uapi);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
