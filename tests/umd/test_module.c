/* SPDX-License-Identifier: MIT */
/*
 * test_module.c - muModuleLoad/LoadData/LoadDataSize/Unload,
 * muModuleGetFunction, muFuncGetAttribute, muFuncGetParamCount/Info.
 */
#include <elf.h>
#include <string.h>

#include "umd_test.h"

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

START_TEST(test_wrong_arch_is_no_binary_for_gpu)
{
	MUmodule m;

	ck_assert_int_eq(muModuleLoad(&m, ARCH21_PATH), MUSA_ERROR_NO_BINARY_FOR_GPU);
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
	tcase_add_test(tc, test_wrong_arch_is_no_binary_for_gpu);
	tcase_add_test(tc, test_missing_file_is_file_not_found);
	tcase_add_test(tc, test_non_elf_file_is_invalid_image);
	tcase_add_test(tc, test_unload_twice_is_invalid_handle);
	tcase_add_test(tc, test_param_count_and_info_follow_metadata);
	tcase_add_test(tc, test_func_attributes);
	tcase_add_test(tc, test_context_destroy_unloads_modules);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
