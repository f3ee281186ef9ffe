/* SPDX-License-Identifier: MIT */
/*
 * module_drv.c - conformance of the driver's modules: loading a code
 * object from a file or from memory, finding kernels, function parameters
 * and unloading (cts_module_path() names the module of cts_kernels.mu).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cts.h"

static const char *module_or_skip(void)
{
	const char *path = cts_module_path();

	if (!path)
		CTS_SKIP("no module for the driver-API tests");
	return path;
}

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	void *buf;

	ck_assert_ptr_ne(f, NULL);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_gt(n, 0);
	rewind(f);
	/* 8-byte aligned, as code objects want. */
	buf = aligned_alloc(64, ((size_t)n + 63) & ~(size_t)63);
	ck_assert_ptr_ne(buf, NULL);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

CTS_TEST(module_drv, load_get_function_unload)
{
	const char *path = module_or_skip();
	MUmodule m = NULL;
	MUfunction f1 = NULL, f2 = NULL, f3 = NULL;

	cts_drv_init();
	CTS_DRV_OK(muModuleLoad(&m, path));
	CTS_DRV_OK(muModuleGetFunction(&f1, m, "cts_fill"));
	CTS_DRV_OK(muModuleGetFunction(&f2, m, "cts_add"));
	CTS_DRV_OK(muModuleGetFunction(&f3, m, "cts_wait_flag"));
	ck_assert_ptr_ne(f1, NULL);
	ck_assert_ptr_ne(f1, f2);
	CTS_DRV(muModuleGetFunction(&f1, m, "no_such_kernel"), MUSA_ERROR_NOT_FOUND);
	CTS_DRV(muModuleGetFunction(NULL, m, "cts_fill"), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muModuleGetFunction(&f1, m, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muModuleUnload(m));
	CTS_DRV(muModuleUnload(m), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muModuleGetFunction(&f1, m, "cts_fill"), MUSA_ERROR_INVALID_HANDLE);
}

CTS_TEST(module_drv, load_data)
{
	const char *path = module_or_skip();
	size_t len;
	void *img = read_file(path, &len);
	MUmodule m = NULL;
	MUfunction f;

	cts_drv_init();
	CTS_DRV_OK(muModuleLoadData(&m, img));
	CTS_DRV_OK(muModuleGetFunction(&f, m, "cts_fill"));
	CTS_DRV_OK(muModuleUnload(m));
	CTS_DRV(muModuleLoadData(NULL, img), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muModuleLoadData(&m, NULL), MUSA_ERROR_INVALID_VALUE);
	free(img);
}

CTS_TEST(module_drv, load_errors)
{
	static const char garbage[256] = "this is not a code object";
	MUmodule m;

	cts_drv_init();
	CTS_DRV(muModuleLoad(&m, "/nonexistent/dir/module.bin"), MUSA_ERROR_FILE_NOT_FOUND);
	CTS_DRV(muModuleLoad(NULL, "x"), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muModuleLoad(&m, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muModuleLoadData(&m, garbage), MUSA_ERROR_INVALID_IMAGE);
}

CTS_TEST(module_drv, load_needs_a_context)
{
	const char *path = module_or_skip();
	MUmodule m;

	CTS_DRV_OK(muInit(0));
	CTS_DRV(muModuleLoad(&m, path), MUSA_ERROR_INVALID_CONTEXT);
}

#ifndef CTS_CUDA
CTS_TEST(module_drv, param_info)
{
	const char *path = module_or_skip();
	size_t count = 0, off = 0, size = 0;
	MUmodule m;
	MUfunction f;

	cts_drv_init();
	CTS_DRV_OK(muModuleLoad(&m, path));
	CTS_DRV_OK(muModuleGetFunction(&f, m, "cts_fill"));
	CTS_DRV_OK(muFuncGetParamCount(f, &count));
	ck_assert_uint_eq(count, 3);
	CTS_DRV_OK(muFuncGetParamInfo(f, 0, &off, &size));
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(size, sizeof(int *));
	CTS_DRV_OK(muFuncGetParamInfo(f, 2, &off, &size));
	ck_assert_uint_eq(off, sizeof(int *) + sizeof(int));
	ck_assert_uint_eq(size, sizeof(int));
	CTS_DRV(muFuncGetParamInfo(f, 3, &off, &size), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muFuncGetParamCount(f, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muModuleUnload(m));
}
#endif
