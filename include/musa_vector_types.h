/* SPDX-License-Identifier: MIT */
/* musa_vector_types.h - uint3 and dim3, shared by host and device code. */
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

#endif /* MUSA_VECTOR_TYPES_H */
