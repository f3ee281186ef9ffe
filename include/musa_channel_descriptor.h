/* SPDX-License-Identifier: MIT */
/*
 * musa_channel_descriptor.h - musaCreateChannelDesc<T>() (CUDA's
 * channel_descriptor.h): the channel descriptor of an element type, and the
 * half-float helpers. C++ only; included by musa_runtime.h. The descriptors
 * are constant expressions, so that a texture<> variable is constant-
 * initialized in both passes of mcc.
 */
#ifndef MUSA_CHANNEL_DESCRIPTOR_H
#define MUSA_CHANNEL_DESCRIPTOR_H

#if defined(__cplusplus)
#include "musa_runtime_api.h"

/* Bits of each channel and their kind; unknown types: none. */
template <class T> struct __musa_channel {
	enum { x = 0, y = 0, z = 0, w = 0 };
	static const enum musaChannelFormatKind f = musaChannelFormatKindNone;
};
#define __MUSA_CHANNEL(T, b, n, k)                                                     \
	template <> struct __musa_channel<T> {                                         \
		enum { x = b, y = (n) > 1 ? b : 0, z = (n) > 2 ? b : 0, w = (n) > 3 ? b : 0 }; \
		static const enum musaChannelFormatKind f = k;                          \
	};
#define __MUSA_CHANNEL_VEC(V, S, b, k)                                                 \
	__MUSA_CHANNEL(S, b, 1, k) __MUSA_CHANNEL(V##1, b, 1, k)                       \
	__MUSA_CHANNEL(V##2, b, 2, k) __MUSA_CHANNEL(V##4, b, 4, k)
__MUSA_CHANNEL(char, 8, 1, musaChannelFormatKindSigned)
__MUSA_CHANNEL_VEC(char, signed char, 8, musaChannelFormatKindSigned)
__MUSA_CHANNEL_VEC(uchar, unsigned char, 8, musaChannelFormatKindUnsigned)
__MUSA_CHANNEL_VEC(short, short, 16, musaChannelFormatKindSigned)
__MUSA_CHANNEL_VEC(ushort, unsigned short, 16, musaChannelFormatKindUnsigned)
__MUSA_CHANNEL_VEC(int, int, 32, musaChannelFormatKindSigned)
__MUSA_CHANNEL_VEC(uint, unsigned int, 32, musaChannelFormatKindUnsigned)
__MUSA_CHANNEL_VEC(float, float, 32, musaChannelFormatKindFloat)
#undef __MUSA_CHANNEL_VEC
#undef __MUSA_CHANNEL

template <class T> static constexpr struct musaChannelFormatDesc __musa_channel_desc()
{
	return musaChannelFormatDesc{ __musa_channel<T>::x, __musa_channel<T>::y, __musa_channel<T>::z,
				      __musa_channel<T>::w, __musa_channel<T>::f };
}

template <class T> static __inline__ struct musaChannelFormatDesc musaCreateChannelDesc(void)
{
	return __musa_channel_desc<T>();
}

static __inline__ struct musaChannelFormatDesc musaCreateChannelDescHalf(void)
{
	return musaChannelFormatDesc{ 16, 0, 0, 0, musaChannelFormatKindFloat };
}
static __inline__ struct musaChannelFormatDesc musaCreateChannelDescHalf1(void)
{
	return musaChannelFormatDesc{ 16, 0, 0, 0, musaChannelFormatKindFloat };
}
static __inline__ struct musaChannelFormatDesc musaCreateChannelDescHalf2(void)
{
	return musaChannelFormatDesc{ 16, 16, 0, 0, musaChannelFormatKindFloat };
}
static __inline__ struct musaChannelFormatDesc musaCreateChannelDescHalf4(void)
{
	return musaChannelFormatDesc{ 16, 16, 16, 16, musaChannelFormatKindFloat };
}
#endif /* __cplusplus */

#endif /* MUSA_CHANNEL_DESCRIPTOR_H */
