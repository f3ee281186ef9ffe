/* SPDX-License-Identifier: MIT */
/*
 * ffi.kern.c - a hand-written code object whose kernels have no work-group
 * entry: each record (MUSA_META_F_FFI) names a plain C kernel function and
 * types its parameters, and the KMD calls it through libffi, once per
 * thread, inside the object's own compiler-rt runner. See ffi_kern.h.
 */
#include <stddef.h>
#include <stdint.h>

#include "ffi_kern.h"
#include "kern_meta.h"
#include "musa_vector_types.h"

/* compiler-rt's thread-locals and barrier (libmusa_device.a, linked in). */
extern __thread uint3 threadIdx __attribute__((visibility("hidden")));
extern __thread uint3 blockIdx __attribute__((visibility("hidden")));
extern __thread dim3 blockDim __attribute__((visibility("hidden")));
int __syncthreads_count(int pred) __attribute__((visibility("hidden")));

/* The runner the KMD looks up. Declared with default visibility, as a
 * hidden reference would hide the definition; referring to it pulls
 * ffi_runner.o out of the archive. */
int __musa_ffi_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		      unsigned flags) KERN_EXPORT;
__attribute__((used)) static int (*const keep_runner)(const struct musa_wg *,
						     void (*)(const void *), unsigned) =
	__musa_ffi_run_wg;

KERN_EXPORT void ffi_axpy(int32_t n, float a, const float *x, float *y)
{
	uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < (uint32_t)n)
		y[i] = a * x[i] + y[i];
}

KERN_EXPORT void ffi_mixed(double *out, int8_t c, int32_t i, float f, double d,
			   struct fk_ipair ip, struct fk_fpair fp, uint16_t u,
			   struct fk_dpair dp, struct fk_big big, uint64_t u64, float f2,
			   double d2, float f3)
{
	uint32_t gid = blockIdx.x * blockDim.x + threadIdx.x;
	struct fk_mixed_args a = { out, c, i, f, d, ip, fp, u, dp, big, u64, f2, d2, f3 };

	out[gid] = fk_mixed_expect(&a, gid);
}

KERN_EXPORT void ffi_revcount(int32_t *data, uint32_t *odd_counts)
{
	static __thread int32_t tile[FK_REVCOUNT_MAX];
	uint32_t t = threadIdx.x, n = blockDim.x, base = blockIdx.x * n;
	int odd;

	tile[t] = data[base + t];
	odd = __syncthreads_count(tile[t] & 1);
	data[base + t] = tile[n - 1 - t];
	if (t == 0)
		odd_counts[blockIdx.x] = (uint32_t)odd;
}

#define FPARAM(type, m, kind) \
	{ offsetof(type, m), sizeof(((type *)0)->m), _Alignof(__typeof__(((type *)0)->m)), (kind) }
#define FREC(tag, np, name, flags, type, ...) \
	KREC_INIT(tag, np, name, name, sizeof(type), _Alignof(type), (flags) | MUSA_META_F_FFI, \
		  __VA_ARGS__)

KREC_TYPE(axpy, 4, "ffi_axpy", "ffi_axpy");
KREC_TYPE(mixed, 14, "ffi_mixed", "ffi_mixed");
KREC_TYPE(reverse, 2, "ffi_revcount", "ffi_revcount");

static __attribute__((used, section(MUSA_META_SECTION), aligned(8))) const struct {
	struct krec_axpy axpy;
	struct krec_mixed mixed;
	struct krec_reverse reverse;
} meta = {
	FREC(axpy, 4, "ffi_axpy", 0, struct fk_axpy_args,
	     FPARAM(struct fk_axpy_args, n, MUSA_PARAM_I32),
	     FPARAM(struct fk_axpy_args, a, MUSA_PARAM_F32),
	     FPARAM(struct fk_axpy_args, x, MUSA_PARAM_PTR),
	     FPARAM(struct fk_axpy_args, y, MUSA_PARAM_PTR)),
	FREC(mixed, 14, "ffi_mixed", 0, struct fk_mixed_args,
	     FPARAM(struct fk_mixed_args, out, MUSA_PARAM_PTR),
	     FPARAM(struct fk_mixed_args, c, MUSA_PARAM_I8),
	     FPARAM(struct fk_mixed_args, i, MUSA_PARAM_I32),
	     FPARAM(struct fk_mixed_args, f, MUSA_PARAM_F32),
	     FPARAM(struct fk_mixed_args, d, MUSA_PARAM_F64),
	     FPARAM(struct fk_mixed_args, ip, MUSA_PARAM_STRUCT),
	     FPARAM(struct fk_mixed_args, fp, MUSA_PARAM_STRUCT_F32),
	     FPARAM(struct fk_mixed_args, u, MUSA_PARAM_U16),
	     FPARAM(struct fk_mixed_args, dp, MUSA_PARAM_STRUCT_F64),
	     FPARAM(struct fk_mixed_args, big, MUSA_PARAM_STRUCT),
	     FPARAM(struct fk_mixed_args, u64, MUSA_PARAM_U64),
	     FPARAM(struct fk_mixed_args, f2, MUSA_PARAM_F32),
	     FPARAM(struct fk_mixed_args, d2, MUSA_PARAM_F64),
	     FPARAM(struct fk_mixed_args, f3, MUSA_PARAM_F32)),
	FREC(reverse, 2, "ffi_revcount", MUSA_META_F_BARRIER, struct fk_revcount_args,
	     FPARAM(struct fk_revcount_args, data, MUSA_PARAM_PTR),
	     FPARAM(struct fk_revcount_args, odd_counts, MUSA_PARAM_PTR)),
};
