/* SPDX-License-Identifier: MIT */
/*
 * ffi_kern.h - the kernels of tests/kmd/ffi.kern.c, a code object whose
 * records carry only typed parameter metadata (MUSA_META_F_FFI): the
 * kernel functions, their by-value aggregates, and the kernarg layout of
 * each (a struct whose members are the parameters in order, which is what
 * the metadata offsets describe). Shared by the object and the kmd and umd
 * tests. Record order = kernel handle order in CODE_LOAD.
 */
#ifndef FFI_KERN_H
#define FFI_KERN_H

#include <stdint.h>

enum { FK_AXPY, FK_MIXED, FK_REVCOUNT, FK_NKERNELS };

#define FK_REVCOUNT_MAX 256  /* threads per group of ffi_revcount */

struct fk_ipair { int32_t a, b; };        /* MUSA_PARAM_STRUCT */
struct fk_fpair { float x, y; };          /* MUSA_PARAM_STRUCT_F32 */
struct fk_dpair { double x, y; };         /* MUSA_PARAM_STRUCT_F64 */
struct fk_big { int64_t a, b, c; };       /* MUSA_PARAM_STRUCT, passed in memory */

/* y[i] = a * x[i] + y[i] for i < n */
struct fk_axpy_args {
	int32_t n;
	float a;
	const float *x;
	float *y;
};

/* out[i] = a combination of every parameter and the global thread index i;
 * more float and integer arguments than there are argument registers. */
struct fk_mixed_args {
	double *out;
	int8_t c;
	int32_t i;
	float f;
	double d;
	struct fk_ipair ip;
	struct fk_fpair fp;
	uint16_t u;
	struct fk_dpair dp;
	struct fk_big big;
	uint64_t u64;
	float f2;
	double d2;
	float f3;
};

/* A barrier kernel: each group reverses its slice of data in place and
 * writes, per group, how many threads saw an odd value. */
struct fk_revcount_args {
	int32_t *data;
	uint32_t *odd_counts;
};

/* What ffi_mixed computes for global thread index gid. */
static inline double fk_mixed_expect(const struct fk_mixed_args *a, uint32_t gid)
{
	return (double)a->c + a->i + a->f + a->d + a->ip.a - a->ip.b + a->fp.x * a->fp.y +
	       a->u + a->dp.x - a->dp.y + (double)(a->big.a + 2 * a->big.b + 3 * a->big.c) +
	       (double)a->u64 + a->f2 * 2.0 + a->d2 * 4.0 + a->f3 * 8.0 + gid * 1000.0;
}

/*
 * libffi is not instrumented and runs the callee on a frame it carved with
 * alloca, so ThreadSanitizer sees its argument copies on two compute-unit
 * threads as a race on one stack (reproduced without the shim: two threads
 * calling ffi_call with a by-value struct passed in memory). The test
 * programs that dispatch FFI kernels ignore the calls libffi makes into
 * the interceptors; the kernels themselves stay checked.
 */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FK_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define FK_TSAN 1
#endif
#ifdef FK_TSAN
#define FK_TSAN_IGNORE_LIBFFI                                       \
	const char *__tsan_default_suppressions(void);              \
	const char *__tsan_default_suppressions(void)               \
	{                                                           \
		return "called_from_lib:libffi.so\n";              \
	}
#else
#define FK_TSAN_IGNORE_LIBFFI
#endif

#endif /* FFI_KERN_H */
