/* SPDX-License-Identifier: MIT */
/*
 * musa_texture_types.h - the runtime's types of arrays, textures and
 * surfaces, named as CUDA's (driver_types.h, texture_types.h,
 * surface_types.h) with cuda -> musa: channel formats, musaArray_t,
 * resource, texture and resource-view descriptors, texture and surface
 * object handles, and the legacy texture and surface references.
 * Included by musa_runtime_api.h; plain C.
 */
#ifndef MUSA_TEXTURE_TYPES_H
#define MUSA_TEXTURE_TYPES_H
/* CUDA's guard names, which ported code tests. */
#define __TEXTURE_TYPES_H__
#define __SURFACE_TYPES_H__

#include <stddef.h>

#if defined(__cplusplus)
extern "C" {
#endif

/* channel formats and arrays */
enum musaChannelFormatKind {
	musaChannelFormatKindSigned = 0,
	musaChannelFormatKindUnsigned = 1,
	musaChannelFormatKindFloat = 2,     /* 32 bits: float; 16 bits: half */
	musaChannelFormatKindNone = 3,
	musaChannelFormatKindNV12 = 4,
	musaChannelFormatKindUnsignedNormalized8X1 = 5,
	musaChannelFormatKindUnsignedNormalized8X2 = 6,
	musaChannelFormatKindUnsignedNormalized8X4 = 7,
	musaChannelFormatKindUnsignedNormalized16X1 = 8,
	musaChannelFormatKindUnsignedNormalized16X2 = 9,
	musaChannelFormatKindUnsignedNormalized16X4 = 10,
	musaChannelFormatKindSignedNormalized8X1 = 11,
	musaChannelFormatKindSignedNormalized8X2 = 12,
	musaChannelFormatKindSignedNormalized8X4 = 13,
	musaChannelFormatKindSignedNormalized16X1 = 14,
	musaChannelFormatKindSignedNormalized16X2 = 15,
	musaChannelFormatKindSignedNormalized16X4 = 16,
	musaChannelFormatKindUnsignedBlockCompressed1 = 17,
	musaChannelFormatKindUnsignedBlockCompressed1SRGB = 18,
	musaChannelFormatKindUnsignedBlockCompressed2 = 19,
	musaChannelFormatKindUnsignedBlockCompressed2SRGB = 20,
	musaChannelFormatKindUnsignedBlockCompressed3 = 21,
	musaChannelFormatKindUnsignedBlockCompressed3SRGB = 22,
	musaChannelFormatKindUnsignedBlockCompressed4 = 23,
	musaChannelFormatKindSignedBlockCompressed4 = 24,
	musaChannelFormatKindUnsignedBlockCompressed5 = 25,
	musaChannelFormatKindSignedBlockCompressed5 = 26,
	musaChannelFormatKindUnsignedBlockCompressed6H = 27,
	musaChannelFormatKindSignedBlockCompressed6H = 28,
	musaChannelFormatKindUnsignedBlockCompressed7 = 29,
	musaChannelFormatKindUnsignedBlockCompressed7SRGB = 30,
	musaChannelFormatKindUnsignedNormalized1010102 = 31
};

/* Bits per channel (x, y, z, w) and their kind. */
struct musaChannelFormatDesc {
	int x;
	int y;
	int z;
	int w;
	enum musaChannelFormatKind f;
};

/* A MUSA array: the runtime's name for a driver array (MUarray). */
struct musaArray;
typedef struct musaArray *musaArray_t;
typedef const struct musaArray *musaArray_const_t;
struct musaMipmappedArray;
typedef struct musaMipmappedArray *musaMipmappedArray_t;
typedef const struct musaMipmappedArray *musaMipmappedArray_const_t;

#define musaArrayDefault          0x00
#define musaArrayLayered          0x01  /* musaMalloc3DArray: depth counts layers */
#define musaArraySurfaceLoadStore 0x02  /* surfaces may be made on the array */
#define musaArrayCubemap          0x04
#define musaArrayTextureGather    0x08  /* 2-D only */
#define musaArrayColorAttachment  0x20
#define musaArraySparse           0x40
#define musaArrayDeferredMapping  0x80

/* resources */
enum musaResourceType {
	musaResourceTypeArray = 0x00,
	musaResourceTypeMipmappedArray = 0x01,
	musaResourceTypeLinear = 0x02,
	musaResourceTypePitch2D = 0x03
};

enum musaResourceViewFormat {
	musaResViewFormatNone = 0x00,
	musaResViewFormatUnsignedChar1 = 0x01,
	musaResViewFormatUnsignedChar2 = 0x02,
	musaResViewFormatUnsignedChar4 = 0x03,
	musaResViewFormatSignedChar1 = 0x04,
	musaResViewFormatSignedChar2 = 0x05,
	musaResViewFormatSignedChar4 = 0x06,
	musaResViewFormatUnsignedShort1 = 0x07,
	musaResViewFormatUnsignedShort2 = 0x08,
	musaResViewFormatUnsignedShort4 = 0x09,
	musaResViewFormatSignedShort1 = 0x0a,
	musaResViewFormatSignedShort2 = 0x0b,
	musaResViewFormatSignedShort4 = 0x0c,
	musaResViewFormatUnsignedInt1 = 0x0d,
	musaResViewFormatUnsignedInt2 = 0x0e,
	musaResViewFormatUnsignedInt4 = 0x0f,
	musaResViewFormatSignedInt1 = 0x10,
	musaResViewFormatSignedInt2 = 0x11,
	musaResViewFormatSignedInt4 = 0x12,
	musaResViewFormatHalf1 = 0x13,
	musaResViewFormatHalf2 = 0x14,
	musaResViewFormatHalf4 = 0x15,
	musaResViewFormatFloat1 = 0x16,
	musaResViewFormatFloat2 = 0x17,
	musaResViewFormatFloat4 = 0x18,
	musaResViewFormatUnsignedBlockCompressed1 = 0x19,
	musaResViewFormatUnsignedBlockCompressed2 = 0x1a,
	musaResViewFormatUnsignedBlockCompressed3 = 0x1b,
	musaResViewFormatUnsignedBlockCompressed4 = 0x1c,
	musaResViewFormatSignedBlockCompressed4 = 0x1d,
	musaResViewFormatUnsignedBlockCompressed5 = 0x1e,
	musaResViewFormatSignedBlockCompressed5 = 0x1f,
	musaResViewFormatUnsignedBlockCompressed6H = 0x20,
	musaResViewFormatSignedBlockCompressed6H = 0x21,
	musaResViewFormatUnsignedBlockCompressed7 = 0x22
};

struct musaResourceDesc {
	enum musaResourceType resType;
	union {
		struct {
			musaArray_t array;
		} array;
		struct {
			musaMipmappedArray_t mipmap;
		} mipmap;
		struct {
			void *devPtr;
			struct musaChannelFormatDesc desc;
			size_t sizeInBytes;
		} linear;
		struct {
			void *devPtr;
			struct musaChannelFormatDesc desc;
			size_t width;          /* elements */
			size_t height;
			size_t pitchInBytes;
		} pitch2D;
		struct {
			int reserved[32];
		} reserved;
	} res;
	unsigned int flags;  /* must be 0 */
};

struct musaResourceViewDesc {
	enum musaResourceViewFormat format;
	size_t width;
	size_t height;
	size_t depth;
	unsigned int firstMipmapLevel;
	unsigned int lastMipmapLevel;
	unsigned int firstLayer;
	unsigned int lastLayer;
	unsigned int reserved[16];  /* must be 0 */
};

/* textures (texture_types.h) */
#define musaTextureType1D             0x01
#define musaTextureType2D             0x02
#define musaTextureType3D             0x03
#define musaTextureTypeCubemap        0x0C
#define musaTextureType1DLayered      0xF1
#define musaTextureType2DLayered      0xF2
#define musaTextureTypeCubemapLayered 0xFC

enum musaTextureAddressMode {
	musaAddressModeWrap = 0,    /* normalized coordinates only; else clamp */
	musaAddressModeClamp = 1,
	musaAddressModeMirror = 2,  /* normalized coordinates only; else clamp */
	musaAddressModeBorder = 3
};

enum musaTextureFilterMode {
	musaFilterModePoint = 0,
	musaFilterModeLinear = 1    /* float results only */
};

enum musaTextureReadMode {
	musaReadModeElementType = 0,
	musaReadModeNormalizedFloat = 1  /* 8- and 16-bit integers -> [0, 1] / [-1, 1] */
};

struct musaTextureDesc {
	enum musaTextureAddressMode addressMode[3];
	enum musaTextureFilterMode filterMode;
	enum musaTextureReadMode readMode;
	int sRGB;
	float borderColor[4];
	int normalizedCoords;
	unsigned int maxAnisotropy;
	enum musaTextureFilterMode mipmapFilterMode;
	float mipmapLevelBias;
	float minMipmapLevelClamp;
	float maxMipmapLevelClamp;
	int disableTrilinearOptimization;
	int seamlessCubemap;
};

/* The device address of the object's descriptor (docs/design.md). */
typedef unsigned long long musaTextureObject_t;

/* surfaces (surface_types.h) */
#define musaSurfaceType1D             0x01
#define musaSurfaceType2D             0x02
#define musaSurfaceType3D             0x03
#define musaSurfaceTypeCubemap        0x0C
#define musaSurfaceType1DLayered      0xF1
#define musaSurfaceType2DLayered      0xF2
#define musaSurfaceTypeCubemapLayered 0xFC

enum musaSurfaceBoundaryMode {
	musaBoundaryModeZero = 0,   /* reads outside give 0, writes are dropped */
	musaBoundaryModeClamp = 1,  /* the coordinate is clamped to the last element */
	musaBoundaryModeTrap = 2    /* the kernel faults (musaErrorIllegalAddress) */
};

enum musaSurfaceFormatMode {
	musaFormatModeForced = 0,
	musaFormatModeAuto = 1
};

typedef unsigned long long musaSurfaceObject_t;

/* legacy references (CUDA 11's textureReference / surfaceReference) */
/* A texture reference: the attributes a musaBindTexture* call turns into a
 * texture object, which it stores in __musaObject for the fetches. */
struct textureReference {
	int normalized;
	enum musaTextureFilterMode filterMode;
	enum musaTextureAddressMode addressMode[3];
	struct musaChannelFormatDesc channelDesc;
	int sRGB;
	unsigned int maxAnisotropy;
	enum musaTextureFilterMode mipmapFilterMode;
	float mipmapLevelBias;
	float minMipmapLevelClamp;
	float maxMipmapLevelClamp;
	int disableTrilinearOptimization;
	musaTextureObject_t __musaObject;   /* 0 while unbound */
	int __musaReadMode;                 /* enum musaTextureReadMode of the template */
	int __musaReserved[11];
};

struct surfaceReference {
	struct musaChannelFormatDesc channelDesc;
};

#if defined(__cplusplus)
}
#endif

#endif /* MUSA_TEXTURE_TYPES_H */
