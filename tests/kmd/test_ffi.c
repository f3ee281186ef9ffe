/* SPDX-License-Identifier: MIT */
/*
 * test_ffi.c - kernels that carry only typed parameter metadata
 * (MUSA_META_F_FFI), called through libffi by the kmd: results of real
 * KERNEL_DISPATCHes of tests/kmd/ffi.kern.c (scalars, pointers, aggregates
 * by value, more arguments than registers, a barrier kernel run as
 * fibers), a module unloaded while its dispatch is queued, and CODE_LOAD
 * refusing FFI records libffi cannot be given, one rule per test.
 */
#include "kmd_test.h"
#include "musa_codeobj.h"
#include "ffi_kern.h"

#define FK_PATH TEST_BUILD_DIR "/tests/kmd/ffi.so"

FK_TSAN_IGNORE_LIBFFI

/* A BO for the device and a CPU view of it. */
struct kt_buf {
	uint32_t handle;
	uint64_t va;
	void *cpu;
	size_t size;
};

static struct kt_buf buf_new(int fd, size_t size)
{
	struct kt_buf b = { .size = size };

	b.va = kt_bo_va(fd, size, &b.handle);
	b.cpu = kt_cpu_map(fd, b.handle, size);
	memset(b.cpu, 0, size);
	return b;
}

static void *dev_ptr(const struct kt_buf *b)
{
	return (void *)(uintptr_t)b->va;
}

/* CODE_LOAD of an image; the errno, 0 on success. */
static int load_image(int fd, const void *img, size_t size, uint32_t *kernels, uint32_t *module)
{
	uint32_t bo = kt_code_bo(fd, img, size), count = FK_NKERNELS;

	return kt_code_load(fd, bo, size, kernels, &count, module);
}

static uint32_t load_ffi(int fd, uint32_t *kernels)
{
	size_t size;
	void *img = kt_read_file(FK_PATH, &size);
	uint32_t module = 0;

	ck_assert_int_eq(load_image(fd, img, size, kernels, &module), 0);
	ck_assert_uint_ne(module, 0);
	free(img);
	return module;
}

static void assert_no_fault(int fd)
{
	struct drm_musa_ctx_query cq = { 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &cq), 0);
	ck_assert_uint_eq(cq.fault_kind, DRM_MUSA_FAULT_NONE);
}

/* results */

START_TEST(test_ffi_axpy_scalars_and_pointers)
{
	enum { N = 1000 };
	int fd = kt_open();
	uint32_t kernels[FK_NKERNELS], q = kt_queue(fd);
	struct kt_buf x = buf_new(fd, N * sizeof(float)), y = buf_new(fd, N * sizeof(float));
	struct kt_buf ka = buf_new(fd, 4096);
	struct fk_axpy_args *a = ka.cpu;
	float *xs = x.cpu, *ys = y.cpu;
	struct drm_musa_packet p;

	load_ffi(fd, kernels);
	for (int i = 0; i < N; i++) {
		xs[i] = (float)i;
		ys[i] = (float)(2 * i + 1);
	}
	a->n = N;
	a->a = 3.0f;
	a->x = dev_ptr(&x);
	a->y = dev_ptr(&y);
	/* 4 x 256 threads: the last 24 are past n and must write nothing */
	p = kt_dispatch(kernels[FK_AXPY], ka.va, sizeof(*a), 4, 1, 1, 256, 1, 1);
	kt_run(fd, q, &p, 1);
	assert_no_fault(fd);
	for (int i = 0; i < N; i++)
		ck_assert_float_eq(ys[i], 3.0f * i + 2 * i + 1);
	musa_kmd_close(fd);
}
END_TEST

static void mixed_args(struct fk_mixed_args *a, double *out)
{
	/* every value and every sum exact in a double */
	a->out = out;
	a->c = -3;
	a->i = 1000;
	a->f = 0.5f;
	a->d = 0.25;
	a->ip = (struct fk_ipair){ 7, 2 };
	a->fp = (struct fk_fpair){ 1.5f, 4.0f };
	a->u = 65000;
	a->dp = (struct fk_dpair){ 10.5, 0.5 };
	a->big = (struct fk_big){ 1, 20, 300 };
	a->u64 = 1ull << 40;
	a->f2 = 0.125f;
	a->d2 = 3.0;
	a->f3 = -1.0f;
}

START_TEST(test_ffi_mixed_types_and_aggregates_by_value)
{
	enum { G = 2, B = 64 };
	int fd = kt_open();
	uint32_t kernels[FK_NKERNELS], q = kt_queue(fd);
	struct kt_buf out = buf_new(fd, G * B * sizeof(double)), ka = buf_new(fd, 4096);
	struct fk_mixed_args *a = ka.cpu, host;
	const double *o = out.cpu;
	struct drm_musa_packet p;

	load_ffi(fd, kernels);
	mixed_args(a, dev_ptr(&out));
	host = *a;
	p = kt_dispatch(kernels[FK_MIXED], ka.va, sizeof(*a), G, 1, 1, B, 1, 1);
	kt_run(fd, q, &p, 1);
	assert_no_fault(fd);
	for (uint32_t i = 0; i < G * B; i++)
		ck_assert_msg(o[i] == fk_mixed_expect(&host, i), "out[%u] = %f, want %f", i, o[i],
			      fk_mixed_expect(&host, i));
	musa_kmd_close(fd);
}
END_TEST

/* The expected result of ffi_revcount over groups of b threads. */
static void revcount_check(const int32_t *data, const uint32_t *odd, uint32_t g, uint32_t b)
{
	for (uint32_t grp = 0; grp < g; grp++) {
		uint32_t want_odd = 0;

		for (uint32_t t = 0; t < b; t++) {
			int32_t orig = (int32_t)((grp * b + t) * 7 % 11);

			want_odd += orig & 1;
			ck_assert_int_eq(data[grp * b + (b - 1 - t)], orig);
		}
		ck_assert_uint_eq(odd[grp], want_odd);
	}
}

START_TEST(test_ffi_barrier_kernel_runs_as_fibers)
{
	enum { G = 3, B = 128 };
	int fd = kt_open();
	uint32_t kernels[FK_NKERNELS], q = kt_queue(fd);
	struct kt_buf data = buf_new(fd, G * B * sizeof(int32_t));
	struct kt_buf odd = buf_new(fd, G * sizeof(uint32_t)), ka = buf_new(fd, 4096);
	struct fk_revcount_args *a = ka.cpu;
	int32_t *d = data.cpu;
	struct drm_musa_packet p;

	load_ffi(fd, kernels);
	for (uint32_t i = 0; i < G * B; i++)
		d[i] = (int32_t)(i * 7 % 11);
	a->data = dev_ptr(&data);
	a->odd_counts = dev_ptr(&odd);
	p = kt_dispatch(kernels[FK_REVCOUNT], ka.va, sizeof(*a), G, 1, 1, B, 1, 1);
	kt_run(fd, q, &p, 1);
	assert_no_fault(fd);
	revcount_check(d, odd.cpu, G, B);
	musa_kmd_close(fd);
}
END_TEST

/* The libffi call belongs to the module, which a queued dispatch holds. */
START_TEST(test_ffi_unload_while_dispatch_queued)
{
	enum { G = 8, B = 256 };
	int fd = kt_open();
	uint32_t kernels[FK_NKERNELS], q = kt_queue(fd), so = kt_syncobj(fd, 0), module;
	struct kt_buf data = buf_new(fd, G * B * sizeof(int32_t));
	struct kt_buf odd = buf_new(fd, G * sizeof(uint32_t)), ka = buf_new(fd, 4096);
	struct fk_revcount_args *a = ka.cpu;
	struct drm_musa_code_unload u = { 0 };
	int32_t *d = data.cpu;
	struct drm_musa_packet p;

	module = load_ffi(fd, kernels);
	for (uint32_t i = 0; i < G * B; i++)
		d[i] = (int32_t)(i * 7 % 11);
	a->data = dev_ptr(&data);
	a->odd_counts = dev_ptr(&odd);
	p = kt_dispatch(kernels[FK_REVCOUNT], ka.va, sizeof(*a), G, 1, 1, B, 1, 1);
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, so, 0), 0);
	u.module = module;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_UNLOAD, &u), 0);
	ck_assert_int_eq(kt_wait(fd, so, 0, 10000000000ll), 0);
	assert_no_fault(fd);
	revcount_check(d, odd.cpu, G, B);
	musa_kmd_close(fd);
}
END_TEST

/* CODE_LOAD validation */

/* The params of kernel record `rec` (0-based) of the image, in place. */
static struct musa_meta_param *image_params(unsigned char *img, size_t size, unsigned rec)
{
	for (size_t off = 0; off + sizeof(struct musa_meta_kernel) <= size; off += 8) {
		struct musa_meta_kernel *k = (struct musa_meta_kernel *)(img + off);

		if (k->magic != MUSA_META_MAGIC || k->version != MUSA_META_VERSION ||
		    !(k->flags & MUSA_META_F_FFI))
			continue;
		while (rec--) {
			off += k->record_size;
			k = (struct musa_meta_kernel *)(img + off);
			ck_assert_uint_eq(k->magic, MUSA_META_MAGIC);
		}
		return (struct musa_meta_param *)(k + 1);
	}
	ck_abort_msg("no FFI kernel record in %s", FK_PATH);
	return NULL;
}

/* Loads ffi.so with param `param` of record `rec` changed by `edit`. */
static int load_edited(unsigned rec, unsigned param,
		       void (*edit)(struct musa_meta_param *p))
{
	int fd = kt_open(), err;
	size_t size;
	unsigned char *img = kt_read_file(FK_PATH, &size);
	uint32_t kernels[FK_NKERNELS], module = 0;

	edit(&image_params(img, size, rec)[param]);
	err = load_image(fd, img, size, kernels, &module);
	free(img);
	musa_kmd_close(fd);
	return err;
}

static void to_bytes(struct musa_meta_param *p) { p->kind = MUSA_PARAM_BYTES; }
static void to_unknown(struct musa_meta_param *p) { p->kind = MUSA_PARAM_KINDS; }
static void to_i64(struct musa_meta_param *p) { p->kind = MUSA_PARAM_I64; }
static void to_f32_aggregate(struct musa_meta_param *p) { p->kind = MUSA_PARAM_STRUCT_F32; }
static void to_f64_aggregate(struct musa_meta_param *p) { p->kind = MUSA_PARAM_STRUCT_F64; }
static void unchanged(struct musa_meta_param *p) { (void)p; }

START_TEST(test_ffi_load_unchanged_image_succeeds)
{
	ck_assert_int_eq(load_edited(FK_MIXED, 0, unchanged), 0);
}
END_TEST

START_TEST(test_ffi_load_rejects_bytes_param)
{
	/* struct fk_ipair as opaque bytes: libffi would not know its class */
	ck_assert_int_eq(load_edited(FK_MIXED, 5, to_bytes), ENOEXEC);
}
END_TEST

START_TEST(test_ffi_load_rejects_unknown_kind)
{
	ck_assert_int_eq(load_edited(FK_AXPY, 0, to_unknown), ENOEXEC);
}
END_TEST

START_TEST(test_ffi_load_rejects_scalar_of_wrong_size)
{
	/* int32_t n described as a 4-byte I64 */
	ck_assert_int_eq(load_edited(FK_AXPY, 0, to_i64), ENOEXEC);
}
END_TEST

START_TEST(test_ffi_load_rejects_float_aggregate_of_bytes)
{
	/* struct fk_ipair (align 4) is fine as floats; uint16_t u (align 2) is not */
	ck_assert_int_eq(load_edited(FK_MIXED, 7, to_f32_aggregate), ENOEXEC);
}
END_TEST

START_TEST(test_ffi_load_rejects_double_aggregate_of_align_4)
{
	ck_assert_int_eq(load_edited(FK_MIXED, 5, to_f64_aggregate), ENOEXEC);
}
END_TEST

START_TEST(test_ffi_load_rejects_image_without_runner)
{
	int fd = kt_open();
	size_t size, n = strlen(MUSA_FFI_RUNNER), hits = 0;
	unsigned char *img = kt_read_file(FK_PATH, &size);
	uint32_t kernels[FK_NKERNELS], module = 0;

	for (size_t i = 0; i + n <= size; i++)
		if (!memcmp(img + i, MUSA_FFI_RUNNER, n)) {
			img[i] = 'X';
			hits++;
		}
	ck_assert_uint_gt(hits, 0);
	ck_assert_int_eq(load_image(fd, img, size, kernels, &module), ENOEXEC);
	free(img);
	musa_kmd_close(fd);
}
END_TEST

static Suite *ffi_suite(void)
{
	Suite *s = suite_create("kmd_ffi");
	TCase *run = tcase_create("dispatch");
	TCase *load = tcase_create("code_load");

	tcase_set_timeout(run, 30);
	tcase_add_test(run, test_ffi_axpy_scalars_and_pointers);
	tcase_add_test(run, test_ffi_mixed_types_and_aggregates_by_value);
	tcase_add_test(run, test_ffi_barrier_kernel_runs_as_fibers);
	tcase_add_test(run, test_ffi_unload_while_dispatch_queued);
	tcase_add_test(load, test_ffi_load_unchanged_image_succeeds);
	tcase_add_test(load, test_ffi_load_rejects_bytes_param);
	tcase_add_test(load, test_ffi_load_rejects_unknown_kind);
	tcase_add_test(load, test_ffi_load_rejects_scalar_of_wrong_size);
	tcase_add_test(load, test_ffi_load_rejects_float_aggregate_of_bytes);
	tcase_add_test(load, test_ffi_load_rejects_double_aggregate_of_align_4);
	tcase_add_test(load, test_ffi_load_rejects_image_without_runner);
	suite_add_tcase(s, run);
	suite_add_tcase(s, load);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(ffi_suite());
}
