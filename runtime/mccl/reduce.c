/* SPDX-License-Identifier: MIT */
/*
 * reduce.c - the element-wise reductions of MCCL: for every data type and
 * operation, out[i] = op(in_0[i], ..., in_{n-1}[i]) over a range of
 * elements. Half and bfloat16 are reduced in float and rounded once per
 * step, as a GPU's per-element operation does. `out` may be one of the
 * inputs: every element is read from all inputs before it is written.
 * May call: libc.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mccl_int.h"

static float half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
	float f;

	if (exp == 0) {
		/* zero or subnormal: man * 2^-24 */
		f = (float)man * 5.9604644775390625e-8f;
		return sign ? -f : f;
	}
	if (exp == 31)
		bits = sign | 0x7f800000u | (man << 13);
	else
		bits = sign | ((exp + 112) << 23) | (man << 13);
	memcpy(&f, &bits, sizeof(f));
	return f;
}

/* Round to nearest even, with overflow to infinity and subnormals. */
static uint16_t float_to_half(float f)
{
	uint32_t x, sign, man;
	int exp;

	memcpy(&x, &f, sizeof(x));
	sign = (x >> 16) & 0x8000u;
	if ((x & 0x7f800000u) == 0x7f800000u)
		return (uint16_t)(sign | 0x7c00u | ((x & 0x7fffffu) ? 0x200u : 0));
	exp = (int)((x >> 23) & 0xff) - 127 + 15;
	man = x & 0x7fffffu;
	if (exp >= 31)
		return (uint16_t)(sign | 0x7c00u);
	if (exp <= 0) {
		uint32_t m, shift, r;

		if (exp < -10)
			return (uint16_t)sign;
		m = man | 0x800000u;
		shift = (uint32_t)(14 - exp);
		r = m >> shift;
		if ((m >> (shift - 1) & 1) && ((m & ((1u << (shift - 1)) - 1)) || (r & 1)))
			r++;
		return (uint16_t)(sign | r);
	}
	{
		uint32_t r = ((uint32_t)exp << 10) | (man >> 13);

		if ((man & 0x1000u) && ((man & 0xfffu) || (r & 1)))
			r++;   /* may carry into the exponent, up to infinity: right */
		return (uint16_t)(sign | r);
	}
}

static float bf16_to_float(uint16_t b)
{
	uint32_t x = (uint32_t)b << 16;
	float f;

	memcpy(&f, &x, sizeof(f));
	return f;
}

static uint16_t float_to_bf16(float f)
{
	uint32_t x;

	memcpy(&x, &f, sizeof(x));
	if ((x & 0x7f800000u) == 0x7f800000u && (x & 0x7fffffu))
		return (uint16_t)((x >> 16) | 0x40u);  /* quiet NaN */
	x += 0x7fffu + ((x >> 16) & 1);
	return (uint16_t)(x >> 16);
}

size_t mccl_type_size(int type)
{
	switch (type) {
	case mcclInt8: case mcclUint8: return 1;
	case mcclFloat16: case mcclBfloat16: return 2;
	case mcclInt32: case mcclUint32: case mcclFloat32: return 4;
	case mcclInt64: case mcclUint64: case mcclFloat64: return 8;
	default: return 0;
	}
}

/*
 * One reduction per C type T, computed in type A (T itself, or float for
 * the 16-bit floats): LOAD turns an element into A, STORE back. A block of
 * elements at a time is gathered in `acc` and written once at the end, so
 * `out` may be one of the inputs, and the inner loops (one input, one op)
 * vectorize. Integer averages divide the sum, truncating, as NCCL does; a
 * pre-multiplied sum multiplies every input by its rank's scalar first.
 */
#define MCCL_BLOCK 512
#define MCCL_REDUCE(name, T, A, LOAD, STORE)                                          \
	static void name(void *const *outs, int nout, const void *const *in, int n,   \
			 size_t b, size_t e, int op, const struct mccl_premul *pm)      \
	{                                                                          \
		A acc[MCCL_BLOCK];                                                 \
		for (size_t i0 = b; i0 < e; i0 += MCCL_BLOCK) {                    \
			size_t m = e - i0 < MCCL_BLOCK ? e - i0 : MCCL_BLOCK;       \
			const T *x = (const T *)in[0] + i0;                        \
			if (op == MCCL_OP_PREMUL) {                                \
				A s = (A)pm->scalar[0];                            \
				for (size_t j = 0; j < m; j++)                     \
					acc[j] = (A)(LOAD(x[j]) * s);              \
			} else {                                                   \
				for (size_t j = 0; j < m; j++)                     \
					acc[j] = LOAD(x[j]);                       \
			}                                                          \
			for (int k = 1; k < n; k++) {                              \
				x = (const T *)in[k] + i0;                         \
				switch (op) {                                      \
				case mcclSum: case mcclAvg:                        \
					for (size_t j = 0; j < m; j++)             \
						acc[j] = (A)(acc[j] + LOAD(x[j])); \
					break;                                     \
				case mcclProd:                                     \
					for (size_t j = 0; j < m; j++)             \
						acc[j] = (A)(acc[j] * LOAD(x[j])); \
					break;                                     \
				case mcclMax:                                      \
					for (size_t j = 0; j < m; j++) {           \
						A v = LOAD(x[j]);                  \
						acc[j] = v > acc[j] ? v : acc[j];  \
					}                                          \
					break;                                     \
				case mcclMin:                                      \
					for (size_t j = 0; j < m; j++) {           \
						A v = LOAD(x[j]);                  \
						acc[j] = v < acc[j] ? v : acc[j];  \
					}                                          \
					break;                                     \
				default: {                                         \
					A s = (A)pm->scalar[k];                    \
					for (size_t j = 0; j < m; j++)             \
						acc[j] = (A)(acc[j] + LOAD(x[j]) * s); \
					break;                                     \
				}                                                  \
				}                                                  \
			}                                                          \
			if (op == mcclAvg)                                         \
				for (size_t j = 0; j < m; j++)                     \
					acc[j] = (A)(acc[j] / (A)n);               \
			for (int o = 0; o < nout; o++) {                           \
				T *out = (T *)outs[o] + i0;                        \
				for (size_t j = 0; j < m; j++)                     \
					out[j] = STORE(acc[j]);                    \
			}                                                          \
		}                                                                  \
	}

#define MCCL_ID(x) (x)
MCCL_REDUCE(reduce_i8, int8_t, int8_t, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_u8, uint8_t, uint8_t, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_i32, int32_t, int32_t, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_u32, uint32_t, uint32_t, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_i64, int64_t, int64_t, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_u64, uint64_t, uint64_t, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_f32, float, float, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_f64, double, double, MCCL_ID, MCCL_ID)
MCCL_REDUCE(reduce_f16, uint16_t, float, half_to_float, float_to_half)
MCCL_REDUCE(reduce_bf16, uint16_t, float, bf16_to_float, float_to_bf16)

void mccl_reduce_to(int type, int op, void *const *outs, int nout, const void *const *in, int n,
		    size_t begin, size_t end, const struct mccl_premul *pm)
{
	void *const *out = outs;

	switch (type) {
	case mcclInt8: reduce_i8(out, nout, in, n, begin, end, op, pm); break;
	case mcclUint8: reduce_u8(out, nout, in, n, begin, end, op, pm); break;
	case mcclInt32: reduce_i32(out, nout, in, n, begin, end, op, pm); break;
	case mcclUint32: reduce_u32(out, nout, in, n, begin, end, op, pm); break;
	case mcclInt64: reduce_i64(out, nout, in, n, begin, end, op, pm); break;
	case mcclUint64: reduce_u64(out, nout, in, n, begin, end, op, pm); break;
	case mcclFloat16: reduce_f16(out, nout, in, n, begin, end, op, pm); break;
	case mcclFloat32: reduce_f32(out, nout, in, n, begin, end, op, pm); break;
	case mcclFloat64: reduce_f64(out, nout, in, n, begin, end, op, pm); break;
	case mcclBfloat16: reduce_bf16(out, nout, in, n, begin, end, op, pm); break;
	default: break;
	}
}

void mccl_reduce(int type, int op, void *out, const void *const *in, int n, size_t begin,
		 size_t end, const struct mccl_premul *pm)
{
	mccl_reduce_to(type, op, &out, 1, in, n, begin, end, pm);
}

/* The scalar of a pre-multiplied sum as a double, from where it lives. */
double mccl_scalar_value(int type, const void *p)
{
	switch (type) {
	case mcclInt8: return *(const int8_t *)p;
	case mcclUint8: return *(const uint8_t *)p;
	case mcclInt32: return *(const int32_t *)p;
	case mcclUint32: return *(const uint32_t *)p;
	case mcclInt64: return (double)*(const int64_t *)p;
	case mcclUint64: return (double)*(const uint64_t *)p;
	case mcclFloat16: return half_to_float(*(const uint16_t *)p);
	case mcclFloat32: return *(const float *)p;
	case mcclFloat64: return *(const double *)p;
	case mcclBfloat16: return bf16_to_float(*(const uint16_t *)p);
	default: return 0;
	}
}

/*
 * Rank r's share of a collective whose ranks' buffers this process can
 * address: a slice of the elements for the reductions (written straight
 * into every receive buffer that needs it), its own receive buffer for
 * broadcast and all-gather. The ranks' shares touch disjoint elements.
 */
void mccl_share(int kind, int type, int op, size_t count, int root, int n, int r,
		const void *const *sends, void *const *recvs, const double *scalars)
{
	size_t es = mccl_type_size(type), b = count * (size_t)r / (size_t)n;
	size_t e = count * (size_t)(r + 1) / (size_t)n;
	const void *in[MCCL_MAX_RANKS];
	static const struct mccl_premul none;
	struct mccl_premul pm;
	const struct mccl_premul *pmp = &none;

	if (op == MCCL_OP_PREMUL) {
		for (int q = 0; q < n; q++)
			pm.scalar[q] = scalars[q];
		pmp = &pm;
	}
	switch (kind) {
	case MCCL_K_ALLREDUCE:
		for (int q = 0; q < n; q++)
			in[q] = sends[q];
		mccl_reduce_to(type, op, recvs, n, in, n, b, e, pmp);
		break;
	case MCCL_K_REDUCE:
		for (int q = 0; q < n; q++)
			in[q] = sends[q];
		mccl_reduce(type, op, recvs[root], in, n, b, e, pmp);
		break;
	case MCCL_K_BROADCAST:
		if (sends[root] != recvs[r])
			memmove(recvs[r], sends[root], count * es);
		break;
	case MCCL_K_ALLGATHER:
		for (int q = 0; q < n; q++) {
			char *dst = (char *)recvs[r] + (size_t)q * count * es;

			if (dst != sends[q])
				memmove(dst, sends[q], count * es);
		}
		break;
	case MCCL_K_REDUCESCATTER:
		/* every rank's block r, reduced into this rank's receive buffer */
		for (int q = 0; q < n; q++)
			in[q] = (const char *)sends[q] + (size_t)r * count * es;
		mccl_reduce(type, op, recvs[r], in, n, 0, count, pmp);
		break;
	}
}
