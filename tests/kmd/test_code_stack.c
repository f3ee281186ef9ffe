/* SPDX-License-Identifier: MIT */
/*
 * test_code_stack.c - the stack sizes kernel records declare: CODE_LOAD
 * reads them (and loads version 1 records, which declare none), SUBMIT
 * refuses a dispatch whose work-group entry needs more stack than a
 * compute unit gives, with E2BIG, and leaves the context usable. Uses the
 * hand-written code object stack.kern.c.
 */
#include "kmd_test.h"
#include "musa_codeobj.h"

#define ST_KERNELS TEST_BUILD_DIR "/tests/kmd/stack.so"

enum { ST_FITS, ST_HUGE, ST_OLD, ST_NKERNELS };

/* Loads `img` (stack.so, maybe altered); CODE_LOAD's result. */
static int st_load(int fd, const void *img, size_t size, uint32_t *kernels)
{
	uint32_t bo = kt_code_bo(fd, img, size), count = ST_NKERNELS;

	return kt_code_load(fd, bo, size, kernels, &count, NULL);
}

/* The index-th kernel record of the image, found by its magic. */
static struct musa_meta_kernel *st_record(void *img, size_t size, int index)
{
	unsigned char *p = img;

	for (size_t off = 0; off + MUSA_META_KERNEL_V1_SIZE <= size; off += 8) {
		struct musa_meta_kernel *k = (struct musa_meta_kernel *)(p + off);

		if (k->magic == MUSA_META_MAGIC && k->arch == 31 && index-- == 0)
			return k;
	}
	ck_abort_msg("kernel record not found");
	return NULL;
}

static void st_ctx_ok(int fd)
{
	struct drm_musa_ctx_query cq = { 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &cq), 0);
	ck_assert_uint_eq(cq.status, DRM_MUSA_CTX_STATUS_OK);
	ck_assert_uint_eq(cq.fault_kind, DRM_MUSA_FAULT_NONE);
}

START_TEST(test_dispatch_needing_more_stack_than_a_compute_unit_is_refused)
{
	int fd = kt_open();
	size_t size;
	void *img = kt_read_file(ST_KERNELS, &size);
	uint32_t kernels[ST_NKERNELS], q = kt_queue(fd), so = kt_syncobj(fd, 0), hk;
	uint64_t out = kt_bo_va(fd, 4096, NULL), kva = kt_bo_va(fd, 4096, &hk);
	volatile uint32_t *count = (volatile uint32_t *)(uintptr_t)out;
	struct drm_musa_packet p[2];

	ck_assert_int_eq(st_load(fd, img, size, kernels), 0);
	*(uint64_t *)(uintptr_t)kva = out;
	/* alone, and behind a dispatch that fits: nothing is queued */
	p[0] = kt_dispatch(kernels[ST_HUGE], kva, 8, 3, 1, 1, 1, 1, 1);
	ck_assert_int_eq(kt_submit(fd, q, p, 1, so, 0), E2BIG);
	p[0] = kt_dispatch(kernels[ST_FITS], kva, 8, 3, 1, 1, 1, 1, 1);
	p[1] = kt_dispatch(kernels[ST_HUGE], kva, 8, 3, 1, 1, 1, 1, 1);
	ck_assert_int_eq(kt_submit(fd, q, p, 2, so, 0), E2BIG);
	ck_assert_uint_eq(*count, 0);
	st_ctx_ok(fd);
	/* the context goes on: the largest need a compute unit gives runs */
	kt_run(fd, q, p, 1);
	ck_assert_uint_eq(*count, 3);
	st_ctx_ok(fd);
	free(img);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_version_1_record_without_sizes_loads_and_runs)
{
	int fd = kt_open();
	size_t size;
	void *img = kt_read_file(ST_KERNELS, &size);
	uint32_t kernels[ST_NKERNELS], q = kt_queue(fd);
	uint64_t out = kt_bo_va(fd, 4096, NULL), kva = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_packet p;

	ck_assert_uint_eq(st_record(img, size, ST_OLD)->version, MUSA_META_VERSION_1);
	ck_assert_int_eq(st_load(fd, img, size, kernels), 0);
	*(uint64_t *)(uintptr_t)kva = out;
	p = kt_dispatch(kernels[ST_OLD], kva, 8, 5, 1, 1, 2, 1, 1);
	kt_run(fd, q, &p, 1);
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)out, 5);
	st_ctx_ok(fd);
	free(img);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_code_load_refuses_bad_stack_fields_with_enoexec)
{
	int fd = kt_open();
	size_t size;
	void *img = kt_read_file(ST_KERNELS, &size);
	uint32_t kernels[ST_NKERNELS];
	struct musa_meta_kernel *fits = st_record(img, size, ST_FITS);
	struct musa_meta_kernel *old = st_record(img, size, ST_OLD);

	/* a thread's own stack is part of what the entry needs */
	fits->private_size = fits->scratch_size + 1;
	ck_assert_int_eq(st_load(fd, img, size, kernels), ENOEXEC);
	fits->private_size = 4096;
	ck_assert_int_eq(st_load(fd, img, size, kernels), 0);
	/* a version 1 record cannot carry the flags of version 2 */
	old->flags = MUSA_META_F_STACK_DYNAMIC;
	ck_assert_int_eq(st_load(fd, img, size, kernels), ENOEXEC);
	old->flags = 0;
	/* nor is a version 1 record sized as a version 2 one */
	old->version = MUSA_META_VERSION;
	ck_assert_int_eq(st_load(fd, img, size, kernels), ENOEXEC);
	old->version = 3;
	ck_assert_int_eq(st_load(fd, img, size, kernels), ENOEXEC);
	free(img);
	musa_kmd_close(fd);
}
END_TEST

static Suite *code_stack_suite(void)
{
	Suite *s = suite_create("kmd_code_stack");
	TCase *tc = tcase_create("stack");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dispatch_needing_more_stack_than_a_compute_unit_is_refused);
	tcase_add_test(tc, test_version_1_record_without_sizes_loads_and_runs);
	tcase_add_test(tc, test_code_load_refuses_bad_stack_fields_with_enoexec);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(code_stack_suite());
}
