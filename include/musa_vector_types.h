/* SPDX-License-Identifier: MIT */
/*
 * musa_vector_types.h - the CUDA vector types (char1 .. double4, uint3,
 * dim3) and their make_<type>() constructors, shared by host code, the
 * host pass and the device pass, in C and C++.
 *
 * Sizes and alignments are CUDA's, so a struct holding them has the same
 * layout on both sides of a launch: 2- and 4-element vectors are aligned to
 * their size (capped at 16), 1- and 3-element ones to their element. uint3
 * and dim3 stay as they were (dim3 is a constructor-bearing class in C++).
 */
#ifndef MUSA_VECTOR_TYPES_H
#define MUSA_VECTOR_TYPES_H

typedef struct uint3 {
	unsigned int x, y, z;
} uint3;

#if defined(__cplusplus)
struct dim3 {
	unsigned int x, y, z;
	constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1)
		: x(vx), y(vy), z(vz) {}
	constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
	constexpr operator uint3() const { return uint3{x, y, z}; }
};
#else
typedef struct dim3 {
	unsigned int x, y, z;
} dim3;
#endif

#define __MUSA_VEC_FN static __inline__ __attribute__((always_inline, unused))

/* One type per arity; `a` is the alignment CUDA gives it. */
#define __MUSA_VEC1(n, T, a)                                                   \
	typedef struct __attribute__((aligned(a))) n##1 { T x; } n##1;         \
	__MUSA_VEC_FN n##1 make_##n##1(T x)                                    \
	{ n##1 v; v.x = x; return v; }
#define __MUSA_VEC2(n, T, a)                                                   \
	typedef struct __attribute__((aligned(a))) n##2 { T x, y; } n##2;      \
	__MUSA_VEC_FN n##2 make_##n##2(T x, T y)                               \
	{ n##2 v; v.x = x; v.y = y; return v; }
#define __MUSA_VEC3(n, T, a)                                                   \
	typedef struct __attribute__((aligned(a))) n##3 { T x, y, z; } n##3;   \
	__MUSA_VEC_FN n##3 make_##n##3(T x, T y, T z)                          \
	{ n##3 v; v.x = x; v.y = y; v.z = z; return v; }
#define __MUSA_VEC4(n, T, a)                                                   \
	typedef struct __attribute__((aligned(a))) n##4 { T x, y, z, w; } n##4; \
	__MUSA_VEC_FN n##4 make_##n##4(T x, T y, T z, T w)                     \
	{ n##4 v; v.x = x; v.y = y; v.z = z; v.w = w; return v; }

/* Alignments of arity 1, 2, 3 and 4. */
#define __MUSA_VEC_ALL(n, T, a1, a2, a3, a4)                                   \
	__MUSA_VEC1(n, T, a1) __MUSA_VEC2(n, T, a2)                            \
	__MUSA_VEC3(n, T, a3) __MUSA_VEC4(n, T, a4)

__MUSA_VEC_ALL(char, signed char, 1, 2, 1, 4)
__MUSA_VEC_ALL(uchar, unsigned char, 1, 2, 1, 4)
__MUSA_VEC_ALL(short, short, 2, 4, 2, 8)
__MUSA_VEC_ALL(ushort, unsigned short, 2, 4, 2, 8)
__MUSA_VEC_ALL(int, int, 4, 8, 4, 16)
__MUSA_VEC1(uint, unsigned int, 4)
__MUSA_VEC2(uint, unsigned int, 8)
__MUSA_VEC4(uint, unsigned int, 16)
__MUSA_VEC_ALL(long, long, sizeof(long), 2 * sizeof(long), sizeof(long), 16)
__MUSA_VEC_ALL(ulong, unsigned long, sizeof(long), 2 * sizeof(long), sizeof(long), 16)
__MUSA_VEC_ALL(longlong, long long, 8, 16, 8, 16)
__MUSA_VEC_ALL(ulonglong, unsigned long long, 8, 16, 8, 16)
__MUSA_VEC_ALL(float, float, 4, 8, 4, 16)
__MUSA_VEC_ALL(double, double, 8, 16, 8, 16)

/* uint3 is declared above without the macro (it predates it). */
__MUSA_VEC_FN uint3 make_uint3(unsigned int x, unsigned int y, unsigned int z)
{
	uint3 v;
	v.x = x;
	v.y = y;
	v.z = z;
	return v;
}

#undef __MUSA_VEC_ALL
#undef __MUSA_VEC1
#undef __MUSA_VEC2
#undef __MUSA_VEC3
#undef __MUSA_VEC4

#endif /* MUSA_VECTOR_TYPES_H */
