/* SPDX-License-Identifier: MIT */
/*
 * test_module.c - muModuleLoad/LoadData/LoadDataSize/Unload,
 * muModuleGetFunction, muFuncGetAttribute, muFuncGetParamCount/Info.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "musa_codeobj.h"
#include "umd_test.h"

#define CTOR_PATH   TEST_BUILD_DIR "/tests/umd/ctor.so"
#define NEEDED_PATH TEST_BUILD_DIR "/tests/umd/needed.so"

/* The first program header of `type` in an image read from a file. */
static Elf64_Phdr *find_phdr(unsigned char *img, uint32_t type)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == type)
			return &ph[i];
	return NULL;
}

START_TEST(test_muModuleLoad_from_file_finds_kernels)
{
	MUmodule m;
	MUfunction f, g;

	MU_OK(muModuleLoad(&m, KERNELS_PATH));
	MU_OK(muModuleGetFunction(&f, m, "vadd"));
	MU_OK(muModuleGetFunction(&g, m, "fill2d"));
	ck_assert_ptr_ne(f, g);
	ck_assert_int_eq(muModuleGetFunction(&f, m, "nope"), MUSA_ERROR_NOT_FOUND);
	ck_assert_int_eq(muModuleGetFunction(&f, m, "vad"), MUSA_ERROR_NOT_FOUND);
	ck_assert_int_eq(muModuleGetFunction(NULL, m, "vadd"), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muModuleGetFunction(&f, m, NULL), MUSA_ERROR_INVALID_VALUE);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_muModuleLoadData_takes_size_from_elf_header)
{
	size_t size;
	void *img = ut_read_file(KERNELS_PATH, &size);
	MUmodule m;
	MUfunction f;

	ck_assert_ptr_nonnull(img);
	MU_OK(muModuleLoadData(&m, img));
	/* The driver keeps its own copy: the caller's image may go away. */
	memset(img, 0, size);
	free(img);
	MU_OK(muModuleGetFunction(&f, m, "spin"));
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_muModuleLoadDataSize_loads_image)
{
	size_t size;
	void *img = ut_read_file(KERNELS_PATH, &size);
	MUmodule m;
	MUfunction f;

	ck_assert_ptr_nonnull(img);
	MU_OK(muModuleLoadDataSize(&m, img, size));
	MU_OK(muModuleGetFunction(&f, m, "poke"));
	MU_OK(muModuleUnload(m));
	free(img);
}
END_TEST

START_TEST(test_corrupted_magic_is_invalid_image)
{
	size_t size;
	unsigned char *img = ut_read_file(KERNELS_PATH, &size);
	MUmodule m = NULL;

	ck_assert_ptr_nonnull(img);
	img[1] = 'X';
	ck_assert_int_eq(muModuleLoadData(&m, img), MUSA_ERROR_INVALID_IMAGE);
	ck_assert_int_eq(muModuleLoadDataSize(&m, img, size), MUSA_ERROR_INVALID_IMAGE);
	ck_assert_ptr_null(m);
	free(img);
}
END_TEST

START_TEST(test_truncated_image_is_invalid_image)
{
	size_t size;
	unsigned char *img = ut_read_file(KERNELS_PATH, &size);
	MUmodule m;

	ck_assert_ptr_nonnull(img);
	ck_assert_int_eq(muModuleLoadDataSize(&m, img, size / 2), MUSA_ERROR_INVALID_IMAGE);
	ck_assert_int_eq(muModuleLoadDataSize(&m, img, 32), MUSA_ERROR_INVALID_IMAGE);
	ck_assert_int_eq(muModuleLoadDataSize(&m, img, 0), MUSA_ERROR_INVALID_IMAGE);
	free(img);
}
END_TEST

START_TEST(test_corrupted_metadata_is_invalid_image)
{
	size_t size;
	unsigned char *img = ut_read_file(KERNELS_PATH, &size);
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const char *names;
	MUmodule m;
	int hit = 0;

	ck_assert_ptr_nonnull(img);
	eh = (const Elf64_Ehdr *)img;
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	names = (const char *)img + sh[eh->e_shstrndx].sh_offset;
	for (int i = 0; i < eh->e_shnum; i++) {
		if (strcmp(names + sh[i].sh_name, ".musa_meta") == 0) {
			img[sh[i].sh_offset] ^= 0xff;  /* the record magic */
			hit = 1;
		}
	}
	ck_assert(hit);
	ck_assert_int_eq(muModuleLoadDataSize(&m, img, size), MUSA_ERROR_INVALID_IMAGE);
	free(img);
}
END_TEST

/* The loader reads the dynamic section at its address: one outside every
 * segment and past the end of the file must be refused, not followed. */
START_TEST(test_dynamic_outside_the_file_is_invalid_image)
{
	size_t size;
	unsigned char *img = ut_read_file(KERNELS_PATH, &size);
	Elf64_Phdr *dyn;
	MUmodule m = NULL;

	ck_assert_ptr_nonnull(img);
	dyn = find_phdr(img, PT_DYNAMIC);
	ck_assert_ptr_nonnull(dyn);
	dyn->p_offset = size + 0x10000;
	dyn->p_vaddr = dyn->p_paddr = 0x40000000;
	ck_assert_int_eq(muModuleLoadDataSize(&m, img, size), MUSA_ERROR_INVALID_IMAGE);
	ck_assert_ptr_null(m);
	free(img);
}
END_TEST

START_TEST(test_object_with_constructor_is_invalid_image)
{
	MUmodule m = NULL;

	ck_assert_int_eq(muModuleLoad(&m, CTOR_PATH), MUSA_ERROR_INVALID_IMAGE);
	ck_assert_ptr_null(m);
}
END_TEST

/* Refusing it is not enough: nothing of it may have run by then. */
START_TEST(test_constructor_of_refused_object_does_not_run)
{
	MUmodule m = NULL;

	unsetenv("MUSA_TEST_CTOR_RAN");
	if (muModuleLoad(&m, CTOR_PATH) == MUSA_SUCCESS)
		muModuleUnload(m);
	ck_assert_ptr_null(getenv("MUSA_TEST_CTOR_RAN"));
}
END_TEST

START_TEST(test_foreign_dependency_is_invalid_image)
{
	MUmodule m = NULL;

	ck_assert_int_eq(muModuleLoad(&m, NEEDED_PATH), MUSA_ERROR_INVALID_IMAGE);
	ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_wrong_arch_is_no_binary_for_gpu)
{
	MUmodule m;

	ck_assert_int_eq(muModuleLoad(&m, ARCH21_PATH), MUSA_ERROR_NO_BINARY_FOR_GPU);
}
END_TEST

/*
 * Which image archs load on which device archs: the same arch, or one of
 * the same warp size and no higher capability (forward compatibility);
 * everything else, and archs the format does not know, is
 * NO_BINARY_FOR_GPU. One row per loop iteration, each in its own process
 * (Check forks), so MUSA_SWDEV is read afresh.
 */
static const struct {
	const char *swdev;
	int dev;
	uint32_t image_arch;
	MUresult want;
} arch_rows[] = {
	{ "arch=sm_80", 0, 80, MUSA_SUCCESS },
	{ "arch=sm_80", 0, 75, MUSA_SUCCESS },
	{ "arch=sm_80", 0, 50, MUSA_SUCCESS },
	{ "arch=sm_80", 0, 31, MUSA_SUCCESS },
	{ "arch=sm_70", 0, 80, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=sm_70", 0, 72, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=sm_80", 0, 21, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=sm_80", 0, 22, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=mp_22", 0, 21, MUSA_SUCCESS },
	{ "arch=mp_21", 0, 22, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=mp_21", 0, 31, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=mp_31", 0, 50, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=sm_80", 0, 90, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "arch=sm_80", 0, 51, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "", 0, 80, MUSA_SUCCESS },     /* the default device is sm_80 */
	{ "count=2,arch=sm_80:mp_21", 1, 21, MUSA_SUCCESS },
	{ "count=2,arch=sm_80:mp_21", 1, 80, MUSA_ERROR_NO_BINARY_FOR_GPU },
	{ "count=3,arch=mp_21:sm_70", 2, 70, MUSA_SUCCESS },
};

/* Sets the arch of every kernel record of a code object in memory. */
static void set_image_arch(unsigned char *img, uint32_t arch)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	const char *names = (const char *)img + sh[eh->e_shstrndx].sh_offset;
	int hit = 0;

	for (int i = 0; i < eh->e_shnum; i++) {
		unsigned char *p, *end;

		if (strcmp(names + sh[i].sh_name, MUSA_META_SECTION) != 0)
			continue;
		p = img + sh[i].sh_offset;
		end = p + sh[i].sh_size;
		while (p + sizeof(struct musa_meta_kernel) <= end) {
			struct musa_meta_kernel *k = (struct musa_meta_kernel *)p;

			if (k->magic != MUSA_META_MAGIC) {
				p += 8;
				continue;
			}
			k->arch = arch;
			hit = 1;
			p += k->record_size;
		}
	}
	ck_assert(hit);
}

START_TEST(test_image_arch_runs_on_same_arch_or_older_of_same_warp)
{
	MUdevice dev;
	MUcontext ctx;
	MUmodule m;
	FILE *f;
	unsigned char *img;
	long size;

	ck_assert_int_eq(setenv("MUSA_SWDEV", arch_rows[_i].swdev, 1), 0);
	MU_OK(muInit(0));
	MU_OK(muDeviceGet(&dev, arch_rows[_i].dev));
	MU_OK(muCtxCreate(&ctx, 0, dev));
	f = fopen(ARCH21_PATH, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	img = malloc((size_t)size);
	ck_assert_ptr_nonnull(img);
	ck_assert_uint_eq(fread(img, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	set_image_arch(img, arch_rows[_i].image_arch);
	ck_assert_msg(muModuleLoadDataSize(&m, img, (size_t)size) == arch_rows[_i].want,
		      "MUSA_SWDEV=%s device %d, image arch %u", arch_rows[_i].swdev,
		      arch_rows[_i].dev, arch_rows[_i].image_arch);
	if (arch_rows[_i].want == MUSA_SUCCESS)
		MU_OK(muModuleUnload(m));
	MU_OK(muCtxDestroy(ctx));
	free(img);
}
END_TEST

START_TEST(test_missing_file_is_file_not_found)
{
	MUmodule m;

	ck_assert_int_eq(muModuleLoad(&m, TEST_BUILD_DIR "/no/such/file.mubin"),
			 MUSA_ERROR_FILE_NOT_FOUND);
	ck_assert_int_eq(muModuleLoad(NULL, KERNELS_PATH), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muModuleLoad(&m, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muModuleLoadData(&m, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muModuleLoadData(NULL, &m), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_non_elf_file_is_invalid_image)
{
	MUmodule m;

	ck_assert_int_eq(muModuleLoad(&m, TEST_SRC_DIR "/tests/umd/test_module.c"),
			 MUSA_ERROR_INVALID_IMAGE);
}
END_TEST

/* Only a regular file holds a code object: a directory, a FIFO with no
 * writer (which must not block the call) and a device node are
 * FILE_NOT_FOUND, and nothing is loaded. */
START_TEST(test_directory_is_file_not_found)
{
	MUmodule m = NULL;

	ck_assert_int_eq(muModuleLoad(&m, TEST_BUILD_DIR), MUSA_ERROR_FILE_NOT_FOUND);
	ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_fifo_is_file_not_found_without_blocking)
{
	char dir[] = "/tmp/umd-module-XXXXXX", path[64];
	MUmodule m = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(10);  /* a blocking open fails the test instead of hanging it */
	ck_assert_int_eq(muModuleLoad(&m, path), MUSA_ERROR_FILE_NOT_FOUND);
	alarm(0);
	ck_assert_ptr_null(m);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_device_node_is_file_not_found)
{
	MUmodule m = NULL;

	ck_assert_int_eq(muModuleLoad(&m, "/dev/zero"), MUSA_ERROR_FILE_NOT_FOUND);
	ck_assert_int_eq(muModuleLoad(&m, "/dev/null"), MUSA_ERROR_FILE_NOT_FOUND);
	ck_assert_ptr_null(m);
}
END_TEST

START_TEST(test_unload_twice_is_invalid_handle)
{
	MUmodule m;
	MUfunction f;
	int v;

	MU_OK(muModuleLoad(&m, KERNELS_PATH));
	MU_OK(muModuleGetFunction(&f, m, "vadd"));
	MU_OK(muModuleUnload(m));
	ck_assert_int_eq(muModuleUnload(m), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muModuleGetFunction(&f, m, "vadd"), MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_NUM_REGS, f),
			 MUSA_ERROR_INVALID_HANDLE);
	ck_assert_int_eq(muModuleUnload(NULL), MUSA_ERROR_INVALID_HANDLE);
}
END_TEST

START_TEST(test_param_count_and_info_follow_metadata)
{
	MUmodule m;
	MUfunction f = ut_func(&m, "scale");
	size_t n, off, size;

	MU_OK(muFuncGetParamCount(f, &n));
	ck_assert_uint_eq(n, 3);
	MU_OK(muFuncGetParamInfo(f, 0, &off, &size));
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(size, 1);
	MU_OK(muFuncGetParamInfo(f, 1, &off, &size));
	ck_assert_uint_eq(off, 8);
	ck_assert_uint_eq(size, 8);
	MU_OK(muFuncGetParamInfo(f, 2, &off, NULL));
	ck_assert_uint_eq(off, 16);
	ck_assert_int_eq(muFuncGetParamInfo(f, 3, &off, &size), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muFuncGetParamCount(f, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muFuncGetParamCount((MUfunction)&n, &n), MUSA_ERROR_INVALID_HANDLE);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_func_attributes)
{
	MUmodule m;
	MUfunction f = ut_func(&m, "scale"), g;
	int v, maxt;

	MU_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f));
	ck_assert_int_eq(v, 64);
	MU_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f));
	ck_assert_int_eq(v, 128);
	MU_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_BINARY_VERSION, f));
	ck_assert_int_eq(v, 31);
	MU_OK(muModuleGetFunction(&g, m, "vadd"));
	MU_OK(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, g));
	MU_OK(muDeviceGetAttribute(&maxt, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, 0));
	ck_assert_int_eq(v, maxt);
	ck_assert_int_eq(muFuncGetAttribute(&v, MU_FUNC_ATTRIBUTE_MAX, f), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muFuncGetAttribute(NULL, MU_FUNC_ATTRIBUTE_NUM_REGS, f),
			 MUSA_ERROR_INVALID_VALUE);
	MU_OK(muModuleUnload(m));
}
END_TEST

START_TEST(test_context_destroy_unloads_modules)
{
	MUmodule m;
	MUfunction f;

	MU_OK(muModuleLoad(&m, KERNELS_PATH));
	MU_OK(muCtxDestroy(ut_ctx));
	ut_ctx = NULL;
	ck_assert_int_eq(muModuleGetFunction(&f, m, "vadd"), MUSA_ERROR_INVALID_HANDLE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_module");
	TCase *tc = tcase_create("module");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_add_test(tc, test_muModuleLoad_from_file_finds_kernels);
	tcase_add_test(tc, test_muModuleLoadData_takes_size_from_elf_header);
	tcase_add_test(tc, test_muModuleLoadDataSize_loads_image);
	tcase_add_test(tc, test_corrupted_magic_is_invalid_image);
	tcase_add_test(tc, test_truncated_image_is_invalid_image);
	tcase_add_test(tc, test_corrupted_metadata_is_invalid_image);
	tcase_add_test(tc, test_dynamic_outside_the_file_is_invalid_image);
	tcase_add_test(tc, test_object_with_constructor_is_invalid_image);
	tcase_add_test(tc, test_constructor_of_refused_object_does_not_run);
	tcase_add_test(tc, test_foreign_dependency_is_invalid_image);
	tcase_add_test(tc, test_wrong_arch_is_no_binary_for_gpu);
	tcase_add_test(tc, test_missing_file_is_file_not_found);
	tcase_add_test(tc, test_non_elf_file_is_invalid_image);
	tcase_add_test(tc, test_directory_is_file_not_found);
	tcase_add_test(tc, test_fifo_is_file_not_found_without_blocking);
	tcase_add_test(tc, test_device_node_is_file_not_found);
	tcase_add_test(tc, test_unload_twice_is_invalid_handle);
	tcase_add_test(tc, test_param_count_and_info_follow_metadata);
	tcase_add_test(tc, test_func_attributes);
	tcase_add_test(tc, test_context_destroy_unloads_modules);
	suite_add_tcase(s, tc);
	tc = tcase_create("arch");
	tcase_add_loop_test(tc, test_image_arch_runs_on_same_arch_or_older_of_same_warp, 0,
			    (int)(sizeof(arch_rows) / sizeof(arch_rows[0])));
	suite_add_tcase(s, tc);
	return ut_run(s);
}
