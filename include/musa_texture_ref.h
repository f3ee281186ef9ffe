/* SPDX-License-Identifier: MIT */
/*
 * musa_texture_ref.h - legacy texture references (CUDA 11's
 * cuda_texture_types.h and the binding templates of cuda_runtime.h),
 * removed from CUDA 12 and kept here for ported programs. A texture<>
 * variable must be a __device__ variable (mcc treats file-scope texture<>
 * variables as such): its host shadow holds the reference's attributes and
 * the texture object a musaBindTexture* call made, which the call copies to
 * the device copy for the fetches (musa_texture_functions.h). C++ only;
 * included by musa_runtime.h.
 */
#ifndef MUSA_TEXTURE_REF_H
#define MUSA_TEXTURE_REF_H

#if defined(__cplusplus)
#include "musa_channel_descriptor.h"

template <class T, int texType = musaTextureType1D,
	  enum musaTextureReadMode mode = musaReadModeElementType>
struct texture : public textureReference {
	constexpr texture(int norm = 0, enum musaTextureFilterMode fMode = musaFilterModePoint,
			  enum musaTextureAddressMode aMode = musaAddressModeClamp)
		: textureReference{ norm, fMode, { aMode, aMode, aMode }, __musa_channel_desc<T>(),
				    0, 0, musaFilterModePoint, 0.0f, 0.0f, 0.0f, 0, 0ull,
				    (int)mode, {} }
	{
	}
	constexpr texture(int norm, enum musaTextureFilterMode fMode,
			  enum musaTextureAddressMode aMode, struct musaChannelFormatDesc desc)
		: textureReference{ norm, fMode, { aMode, aMode, aMode }, desc, 0, 0,
				    musaFilterModePoint, 0.0f, 0.0f, 0.0f, 0, 0ull, (int)mode, {} }
	{
	}
};

template <class T, int dim, enum musaTextureReadMode readMode>
static __inline__ musaError_t musaBindTexture(size_t *offset, const struct texture<T, dim, readMode> &tex,
					      const void *devPtr,
					      const struct musaChannelFormatDesc &desc,
					      size_t size = ~(size_t)0 >> 32)
{
	return ::musaBindTexture(offset, &tex, devPtr, &desc, size);
}

template <class T, int dim, enum musaTextureReadMode readMode>
static __inline__ musaError_t musaBindTexture(size_t *offset, const struct texture<T, dim, readMode> &tex,
					      const void *devPtr, size_t size = ~(size_t)0 >> 32)
{
	return ::musaBindTexture(offset, &tex, devPtr, &tex.channelDesc, size);
}

template <class T, int dim, enum musaTextureReadMode readMode>
static __inline__ musaError_t musaBindTexture2D(size_t *offset,
						const struct texture<T, dim, readMode> &tex,
						const void *devPtr,
						const struct musaChannelFormatDesc &desc,
						size_t width, size_t height, size_t pitch)
{
	return ::musaBindTexture2D(offset, &tex, devPtr, &desc, width, height, pitch);
}

template <class T, int dim, enum musaTextureReadMode readMode>
static __inline__ musaError_t musaBindTexture2D(size_t *offset,
						const struct texture<T, dim, readMode> &tex,
						const void *devPtr, size_t width, size_t height,
						size_t pitch)
{
	return ::musaBindTexture2D(offset, &tex, devPtr, &tex.channelDesc, width, height, pitch);
}

template <class T, int dim, enum musaTextureReadMode readMode>
static __inline__ musaError_t musaBindTextureToArray(const struct texture<T, dim, readMode> &tex,
						     musaArray_const_t array,
						     const struct musaChannelFormatDesc &desc)
{
	return ::musaBindTextureToArray(&tex, array, &desc);
}

template <class T, int dim, enum musaTextureReadMode readMode>
static __inline__ musaError_t musaBindTextureToArray(const struct texture<T, dim, readMode> &tex,
						     musaArray_const_t array)
{
	struct musaChannelFormatDesc desc;
	musaError_t e = ::musaGetChannelDesc(&desc, array);

	return e == musaSuccess ? ::musaBindTextureToArray(&tex, array, &desc) : e;
}

template <class T, int dim, enum musaTextureReadMode readMode>
static __inline__ musaError_t musaUnbindTexture(const struct texture<T, dim, readMode> &tex)
{
	return ::musaUnbindTexture(&tex);
}
#endif /* __cplusplus */

#endif /* MUSA_TEXTURE_REF_H */
