/* SPDX-License-Identifier: MIT */
/*
 * memory.c - conformance of the runtime's memory API: page-locked host
 * memory, managed memory, pointer attributes, pitched 2-D/3-D memory,
 * peer access and copies, stream-ordered allocation and memory pools,
 * and the error codes of musaMalloc/musaMemcpy/musaMemset.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cts.h"

#define N 4096

/* pinned host memory */

CTS_TEST(memory, malloc_host_roundtrip)
{
	int *h = NULL, *d = NULL;

	CTS_RT_OK(musaMallocHost((void **)&h, N * sizeof(int)));
	ck_assert_ptr_nonnull(h);
	for (int i = 0; i < N; i++)
		h[i] = i;
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(musaMemcpy(d, h, N * sizeof(int), musaMemcpyHostToDevice));
	memset(h, 0, N * sizeof(int));
	CTS_RT_OK(musaMemcpy(h, d, N * sizeof(int), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], i);
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaFreeHost(h));
}

CTS_TEST(memory, malloc_host_bad_args)
{
	void *p = (void *)1;
	int x;

	CTS_RT(musaMallocHost(NULL, 64), musaErrorInvalidValue);
	CTS_RT_OK(musaMallocHost(&p, 0));
	ck_assert_ptr_null(p);
	CTS_RT_OK(musaFreeHost(NULL));
	CTS_RT(musaFreeHost(&x), musaErrorInvalidValue);
	musaGetLastError();
}

CTS_TEST(memory, host_alloc_flags)
{
	unsigned int flags[] = { musaHostAllocDefault, musaHostAllocPortable, musaHostAllocMapped,
				 musaHostAllocWriteCombined,
				 musaHostAllocPortable | musaHostAllocMapped };

	for (unsigned int i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		void *p = NULL;
		unsigned int got = 99;

		CTS_RT_OK(musaHostAlloc(&p, 1000, flags[i]));
		ck_assert_ptr_nonnull(p);
		CTS_RT_OK(musaHostGetFlags(&got, p));
		ck_assert_uint_eq(got & flags[i], flags[i]);
		CTS_RT_OK(musaFreeHost(p));
	}
}

CTS_TEST(memory, host_alloc_bad_flags)
{
	void *p = NULL;

	CTS_RT(musaHostAlloc(&p, 64, 0x80), musaErrorInvalidValue);
	CTS_RT(musaHostAlloc(NULL, 64, 0), musaErrorInvalidValue);
	CTS_RT(musaGetLastError(), musaErrorInvalidValue);
}

CTS_TEST(memory, host_alloc_kernel_and_async_copy)
{
	int *h = NULL, *dp = NULL, *d = NULL;
	musaStream_t s;

	CTS_RT_OK(musaHostAlloc((void **)&h, N * sizeof(int), musaHostAllocMapped));
	CTS_RT_OK(musaHostGetDevicePointer((void **)&dp, h, 0));
	ck_assert_ptr_nonnull(dp);
	CTS_RT_OK(cts_launch_fill(dp, 42, N, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], 42);

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMalloc((void **)&d, N * sizeof(int)));
	CTS_RT_OK(cts_launch_fill(d, 5, N, s));
	CTS_RT_OK(musaMemcpyAsync(h, d, N * sizeof(int), musaMemcpyDeviceToHost, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], 5);
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaFreeHost(h));
}

CTS_TEST(memory, host_get_device_pointer_bad_args)
{
	void *h = NULL, *d = NULL;
	int stack;

	CTS_RT_OK(musaHostAlloc(&h, 256, musaHostAllocMapped));
	CTS_RT(musaHostGetDevicePointer(&d, h, 1), musaErrorInvalidValue);
	CTS_RT(musaHostGetDevicePointer(NULL, h, 0), musaErrorInvalidValue);
	CTS_RT(musaHostGetDevicePointer(&d, &stack, 0), musaErrorInvalidValue);
	CTS_RT(musaHostGetFlags(NULL, h), musaErrorInvalidValue);
	unsigned int f;
	CTS_RT(musaHostGetFlags(&f, &stack), musaErrorInvalidValue);
	CTS_RT_OK(musaFreeHost(h));
	musaGetLastError();
}

CTS_TEST(memory, host_register_roundtrip)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int *h = aligned_alloc(page, 4 * page), *dp = NULL;
	int n = (int)(4 * page / sizeof(int));

	ck_assert_ptr_nonnull(h);
	CTS_RT_OK(musaHostRegister(h, 4 * page, musaHostRegisterMapped));
	CTS_RT_OK(musaHostGetDevicePointer((void **)&dp, h, 0));
	CTS_RT_OK(cts_launch_fill(dp, 9, n, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(h[i], 9);
	CTS_RT_OK(musaHostUnregister(h));
	free(h);
}

CTS_TEST(memory, host_register_errors)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *h = aligned_alloc(page, 4 * page);

	CTS_RT(musaHostRegister(NULL, page, 0), musaErrorInvalidValue);
	CTS_RT(musaHostRegister(h, 0, 0), musaErrorInvalidValue);
	CTS_RT(musaHostRegister(h, page, 0x100), musaErrorInvalidValue);
	CTS_RT_OK(musaHostRegister(h, 2 * page, musaHostRegisterDefault));
	CTS_RT(musaHostRegister(h, 2 * page, 0), musaErrorHostMemoryAlreadyRegistered);
	CTS_RT(musaHostRegister(h + page, 2 * page, 0), musaErrorHostMemoryAlreadyRegistered);
	CTS_RT(musaHostUnregister(h + 3 * page), musaErrorHostMemoryNotRegistered);
	CTS_RT_OK(musaHostUnregister(h));
	CTS_RT(musaHostUnregister(h), musaErrorHostMemoryNotRegistered);
	musaGetLastError();
	free(h);
}

CTS_TEST(memory, host_register_read_only)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *h = aligned_alloc(page, page);
	char *d = NULL;

	memset(h, 3, page);
	CTS_RT_OK(musaMalloc((void **)&d, page));
	CTS_RT_OK(musaHostRegister(h, page, musaHostRegisterReadOnly));
	CTS_RT_OK(musaMemcpy(d, h, page, musaMemcpyHostToDevice));
	CTS_RT_OK(musaHostUnregister(h));
	CTS_RT_OK(musaFree(d));
	free(h);
}

/* managed memory */

CTS_TEST(memory, malloc_managed_host_and_kernel)
{
	int *m = NULL;

	CTS_RT_OK(musaMallocManaged((void **)&m, N * sizeof(int), musaMemAttachGlobal));
	for (int i = 0; i < N; i++)
		m[i] = -1;
	CTS_RT_OK(cts_launch_add(m, 3, N, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(m[i], 2);
	CTS_RT_OK(musaFree(m));
}

CTS_TEST(memory, malloc_managed_attach_host)
{
	int *m = NULL, h[16];

	CTS_RT_OK(musaMallocManaged((void **)&m, sizeof(h), musaMemAttachHost));
	CTS_RT_OK(musaMemset(m, 0, sizeof(h)));
	CTS_RT_OK(musaMemcpy(h, m, sizeof(h), musaMemcpyDefault));
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(h[i], 0);
	CTS_RT_OK(musaFree(m));
}

CTS_TEST(memory, malloc_managed_bad_args)
{
	void *m = NULL;

	CTS_RT(musaMallocManaged(&m, 64, 0), musaErrorInvalidValue);
	CTS_RT(musaMallocManaged(&m, 64, 3), musaErrorInvalidValue);
	CTS_RT(musaMallocManaged(&m, 64, musaMemAttachSingle), musaErrorInvalidValue);
	CTS_RT(musaMallocManaged(NULL, 64, musaMemAttachGlobal), musaErrorInvalidValue);
	CTS_RT(musaMallocManaged(&m, 0, musaMemAttachGlobal), musaErrorInvalidValue);
	musaGetLastError();
}

/* CUDA 13 changed these two to take a location struct; the test follows
 * CUDA 12's signatures, as the MUSA API does. */
#if !defined(CTS_CUDA) || CUDART_VERSION < 13000
CTS_TEST(memory, prefetch_and_advise)
{
	char *m = NULL, *d = NULL;
	musaStream_t s;

	CTS_RT_OK(musaMallocManaged((void **)&m, 8192, musaMemAttachGlobal));
	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMemPrefetchAsync(m, 8192, 0, s));
	CTS_RT_OK(musaMemPrefetchAsync(m + 100, 100, musaCpuDeviceId, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaMemAdvise(m, 8192, musaMemAdviseSetReadMostly, 0));
	CTS_RT_OK(musaMemAdvise(m, 8192, musaMemAdviseUnsetReadMostly, 0));
	CTS_RT_OK(musaMemAdvise(m, 8192, musaMemAdviseSetPreferredLocation, musaCpuDeviceId));
	CTS_RT_OK(musaMemAdvise(m, 8192, musaMemAdviseSetAccessedBy, 0));
	CTS_RT_OK(musaMemAdvise(m, 8192, musaMemAdviseUnsetAccessedBy, 0));

	CTS_RT(musaMemAdvise(m, 8192, (enum musaMemoryAdvise)0, 0), musaErrorInvalidValue);
	CTS_RT(musaMemAdvise(m, 8192, (enum musaMemoryAdvise)99, 0), musaErrorInvalidValue);
	CTS_RT(musaMemAdvise(m, 8192, musaMemAdviseSetAccessedBy, 99), musaErrorInvalidDevice);
	CTS_RT(musaMemPrefetchAsync(m, 8192, 99, s), musaErrorInvalidDevice);
	CTS_RT(musaMemPrefetchAsync(m, 8193, 0, s), musaErrorInvalidValue);
	CTS_RT_OK(musaMalloc((void **)&d, 64));
	CTS_RT(musaMemPrefetchAsync(d, 64, 0, s), musaErrorInvalidValue);
	CTS_RT(musaMemAdvise(d, 64, musaMemAdviseSetReadMostly, 0), musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaFree(m));
}
#endif

/* pointer attributes */

CTS_TEST(memory, pointer_attributes_kinds)
{
	struct musaPointerAttributes a;
	void *d = NULL, *h = NULL, *m = NULL;
	int stack = 0;

	CTS_RT_OK(musaMalloc(&d, 256));
	CTS_RT_OK(musaMallocHost(&h, 256));
	CTS_RT_OK(musaMallocManaged(&m, 256, musaMemAttachGlobal));

	CTS_RT_OK(musaPointerGetAttributes(&a, (char *)d + 8));
	ck_assert_int_eq(a.type, musaMemoryTypeDevice);
	ck_assert_int_eq(a.device, 0);
	ck_assert_ptr_eq(a.devicePointer, (char *)d + 8);
	ck_assert_ptr_null(a.hostPointer);

	CTS_RT_OK(musaPointerGetAttributes(&a, h));
	ck_assert_int_eq(a.type, musaMemoryTypeHost);
	ck_assert_ptr_eq(a.hostPointer, h);
	ck_assert_ptr_eq(a.devicePointer, h);

	CTS_RT_OK(musaPointerGetAttributes(&a, m));
	ck_assert_int_eq(a.type, musaMemoryTypeManaged);
	ck_assert_ptr_eq(a.hostPointer, m);
	ck_assert_ptr_eq(a.devicePointer, m);

	CTS_RT_OK(musaPointerGetAttributes(&a, &stack));
	ck_assert_int_eq(a.type, musaMemoryTypeUnregistered);

	CTS_RT(musaPointerGetAttributes(NULL, d), musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaFreeHost(h));
	CTS_RT_OK(musaFree(m));
}

CTS_TEST(memory, mem_get_info)
{
	size_t f0 = 0, t = 0, f1 = 0;
	void *d = NULL;

	CTS_RT_OK(musaMemGetInfo(&f0, &t));
	ck_assert_uint_gt(t, 0);
	ck_assert_uint_le(f0, t);
	CTS_RT_OK(musaMalloc(&d, 16 << 20));
	CTS_RT_OK(musaMemGetInfo(&f1, &t));
	ck_assert_uint_lt(f1, f0);
	CTS_RT_OK(musaFree(d));
	CTS_RT(musaMemGetInfo(NULL, &t), musaErrorInvalidValue);
	CTS_RT(musaMemGetInfo(&f0, NULL), musaErrorInvalidValue);
	musaGetLastError();
}

/* malloc / memcpy / memset error codes */

CTS_TEST(memory, memcpy_memset_errors)
{
	char *d = NULL, h[64];

	CTS_RT_OK(musaMalloc((void **)&d, 64));
	CTS_RT(musaMemcpy(d, h, 64, (enum musaMemcpyKind)7), musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpy(d, h, 65, musaMemcpyHostToDevice), musaErrorInvalidValue);
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_RT(musaMemcpy(h, d, 64, musaMemcpyHostToDevice), musaErrorInvalidValue);
#endif
	CTS_RT(musaMemset(h, 0, 64), musaErrorInvalidValue);
	CTS_RT(musaMemset(d, 0, 65), musaErrorInvalidValue);
	CTS_RT_OK(musaMemcpy(d, h, 0, musaMemcpyHostToDevice));
	CTS_RT(musaFree(d + 1), musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(memory, memcpy_default_pinned_managed)
{
	int *h = NULL, *m = NULL, *d = NULL;

	CTS_RT_OK(musaMallocHost((void **)&h, 256 * sizeof(int)));
	CTS_RT_OK(musaMallocManaged((void **)&m, 256 * sizeof(int), musaMemAttachGlobal));
	CTS_RT_OK(musaMalloc((void **)&d, 256 * sizeof(int)));
	for (int i = 0; i < 256; i++)
		h[i] = i * 3;
	CTS_RT_OK(musaMemcpy(d, h, 256 * sizeof(int), musaMemcpyDefault));
	CTS_RT_OK(musaMemcpy(m, d, 256 * sizeof(int), musaMemcpyDeviceToDevice));
	for (int i = 0; i < 256; i++)
		ck_assert_int_eq(m[i], i * 3);
	CTS_RT_OK(musaMemset(h, 0, 256 * sizeof(int)));
	CTS_RT_OK(musaMemcpy(h, m, 256 * sizeof(int), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[255], 255 * 3);
	CTS_RT_OK(musaFree(d));
	CTS_RT_OK(musaFree(m));
	CTS_RT_OK(musaFreeHost(h));
}

/* pitched memory */

CTS_TEST(memory, malloc_pitch_copy2d)
{
	enum { W = 100, H = 37 };
	unsigned char src[H][W], dst[H][W];
	void *d = NULL;
	size_t pitch = 0;

	CTS_RT_OK(musaMallocPitch(&d, &pitch, W, H));
	ck_assert_uint_ge(pitch, W);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			src[y][x] = (unsigned char)(x * 7 + y);
	CTS_RT_OK(musaMemset2D(d, pitch, 0xee, pitch, H));
	CTS_RT_OK(musaMemcpy2D(d, pitch, src, W, W, H, musaMemcpyHostToDevice));
	memset(dst, 0, sizeof(dst));
	CTS_RT_OK(musaMemcpy2D(dst, W, d, pitch, W, H, musaMemcpyDeviceToHost));
	ck_assert_int_eq(memcmp(src, dst, sizeof(src)), 0);
	/* The padding was not touched. */
	if (pitch > W) {
		unsigned char pad;

		CTS_RT_OK(musaMemcpy(&pad, (char *)d + W, 1, musaMemcpyDeviceToHost));
		ck_assert_uint_eq(pad, 0xee);
	}
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(memory, memcpy2d_async_and_memset2d)
{
	enum { W = 64, H = 16 };
	unsigned char h[H][W];
	void *d = NULL;
	size_t pitch = 0;
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMallocPitch(&d, &pitch, W, H));
	CTS_RT_OK(musaMemset2DAsync(d, pitch, 0x5a, W, H, s));
	CTS_RT_OK(musaMemcpy2DAsync(h, W, d, pitch, W, H, musaMemcpyDeviceToHost, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			ck_assert_uint_eq(h[y][x], 0x5a);
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(memory, pitch_errors)
{
	enum { W = 64, H = 4 };
	unsigned char h[H][W];
	void *d = NULL;
	size_t pitch = 0;

	CTS_RT(musaMallocPitch(NULL, &pitch, W, H), musaErrorInvalidValue);
	CTS_RT(musaMallocPitch(&d, NULL, W, H), musaErrorInvalidValue);
	CTS_RT_OK(musaMallocPitch(&d, &pitch, W, H));
	CTS_RT(musaMemcpy2D(d, W - 1, h, W, W, H, musaMemcpyHostToDevice),
	       musaErrorInvalidPitchValue);
	CTS_RT(musaMemcpy2D(d, pitch, h, W - 1, W, H, musaMemcpyHostToDevice),
	       musaErrorInvalidPitchValue);
	CTS_RT(musaMemcpy2D(d, pitch, h, W, W, H, (enum musaMemcpyKind)9),
	       musaErrorInvalidMemcpyDirection);
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_RT(musaMemcpy2D(d, pitch, h, W, W, H + 1, musaMemcpyHostToDevice),
	       musaErrorInvalidValue);
	CTS_RT(musaMemcpy2D(h, W, d, pitch, W, H, musaMemcpyHostToDevice),
	       musaErrorInvalidValue);
#endif
	CTS_RT(musaMemset2D(d, W - 1, 0, W, H), musaErrorInvalidPitchValue);
	CTS_RT(musaMemset2D(h, W, 0, W, H), musaErrorInvalidValue);
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_RT(musaMemset2D(d, pitch, 0, W, H + 1), musaErrorInvalidValue);
#endif
	CTS_RT_OK(musaMemcpy2D(d, pitch, h, W, 0, H, musaMemcpyHostToDevice));
	musaGetLastError();
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(memory, malloc3d_memset3d_memcpy3d)
{
	enum { W = 40, H = 5, D = 3 };
	unsigned char h[D][H][W], back[D][H][W];
	struct musaPitchedPtr pp;
	struct musaMemcpy3DParms p;

	CTS_RT_OK(musaMalloc3D(&pp, make_musaExtent(W, H, D)));
	ck_assert_ptr_nonnull(pp.ptr);
	ck_assert_uint_ge(pp.pitch, W);
	ck_assert_uint_eq(pp.xsize, W);
	ck_assert_uint_eq(pp.ysize, H);
	CTS_RT_OK(musaMemset3D(pp, 0x11, make_musaExtent(W, H, D)));
	for (int z = 0; z < D; z++)
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++)
				h[z][y][x] = (unsigned char)(z * 50 + y * 7 + x);
	memset(&p, 0, sizeof(p));
	p.srcPtr = make_musaPitchedPtr(h, W, W, H);
	p.dstPtr = pp;
	p.extent = make_musaExtent(W, H, D);
	p.kind = musaMemcpyHostToDevice;
	CTS_RT_OK(musaMemcpy3D(&p));
	memset(&p, 0, sizeof(p));
	p.srcPtr = pp;
	p.dstPtr = make_musaPitchedPtr(back, W, W, H);
	p.extent = make_musaExtent(W, H, D);
	p.kind = musaMemcpyDeviceToHost;
	CTS_RT_OK(musaMemcpy3D(&p));
	ck_assert_int_eq(memcmp(h, back, sizeof(h)), 0);

	/* The stream-ordered forms, on a stream. */
	{
		musaStream_t s;

		CTS_RT_OK(musaStreamCreate(&s));
		CTS_RT_OK(musaMemset3DAsync(pp, 0x22, make_musaExtent(W, H, D), s));
		memset(&p, 0, sizeof(p));
		p.srcPtr = pp;
		p.dstPtr = make_musaPitchedPtr(back, W, W, H);
		p.extent = make_musaExtent(W, H, D);
		p.kind = musaMemcpyDeviceToHost;
		CTS_RT_OK(musaMemcpy3DAsync(&p, s));
		CTS_RT_OK(musaStreamSynchronize(s));
		for (int z = 0; z < D; z++)
			ck_assert_int_eq(back[z][H - 1][W - 1], 0x22);
		CTS_RT(musaMemcpy3DAsync(NULL, s), musaErrorInvalidValue);
		CTS_RT_OK(musaStreamDestroy(s));
		musaGetLastError();
	}

	CTS_RT(musaMemcpy3D(NULL), musaErrorInvalidValue);
	p.kind = (enum musaMemcpyKind)8;
	CTS_RT(musaMemcpy3D(&p), musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMalloc3D(NULL, make_musaExtent(W, H, D)), musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaFree(pp.ptr));
}

/* stream-ordered allocation */

CTS_TEST(memory, malloc_async_roundtrip)
{
	int *d = NULL, h[N];
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMallocAsync((void **)&d, sizeof(h), s));
	ck_assert_ptr_nonnull(d);
	CTS_RT_OK(cts_launch_fill(d, 11, N, s));
	CTS_RT_OK(musaMemcpyAsync(h, d, sizeof(h), musaMemcpyDeviceToHost, s));
	CTS_RT_OK(musaFreeAsync(d, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], 11);
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(memory, malloc_async_errors)
{
	void *d = NULL;
	int x = 0;

	(void)x;
	CTS_RT(musaMallocAsync(NULL, 64, 0), musaErrorInvalidValue);
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_RT(musaMallocAsync(&d, 0, 0), musaErrorInvalidValue);
	CTS_RT(musaFreeAsync(&x, 0), musaErrorInvalidValue);
	CTS_RT(musaFreeAsync(NULL, 0), musaErrorInvalidValue);
#endif
	CTS_RT_OK(musaMallocAsync(&d, 64, 0));
	CTS_RT_OK(musaFreeAsync(d, 0));
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_RT(musaFreeAsync(d, 0), musaErrorInvalidValue);
#endif
	musaGetLastError();
	CTS_RT_OK(musaDeviceSynchronize());
}

CTS_TEST(memory, mem_pool_default_and_attributes)
{
	musaMemPool_t def = NULL, cur = NULL;
	uint64_t v = 1, used = 0, reserved = 0;
	void *d = NULL;
	musaStream_t s;

	CTS_RT_OK(musaDeviceGetDefaultMemPool(&def, 0));
	ck_assert_ptr_nonnull(def);
	CTS_RT_OK(musaDeviceGetMemPool(&cur, 0));
	ck_assert_ptr_eq(def, cur);
	CTS_RT_OK(musaMemPoolGetAttribute(def, musaMemPoolAttrReleaseThreshold, &v));
	ck_assert_uint_eq(v, 0);
	v = 1 << 20;
	CTS_RT_OK(musaMemPoolSetAttribute(def, musaMemPoolAttrReleaseThreshold, &v));
	v = 0;
	CTS_RT_OK(musaMemPoolGetAttribute(def, musaMemPoolAttrReleaseThreshold, &v));
	ck_assert_uint_eq(v, 1 << 20);

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMallocAsync(&d, 4096, s));
	CTS_RT_OK(musaMemPoolGetAttribute(def, musaMemPoolAttrUsedMemCurrent, &used));
	CTS_RT_OK(musaMemPoolGetAttribute(def, musaMemPoolAttrReservedMemCurrent, &reserved));
	ck_assert_uint_ge(used, 4096);
	ck_assert_uint_ge(reserved, used);
	CTS_RT_OK(musaFreeAsync(d, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaMemPoolGetAttribute(def, musaMemPoolAttrUsedMemCurrent, &used));
	ck_assert_uint_eq(used, 0);
	CTS_RT_OK(musaMemPoolTrimTo(def, 0));
	CTS_RT_OK(musaMemPoolGetAttribute(def, musaMemPoolAttrReservedMemCurrent, &reserved));
	ck_assert_uint_eq(reserved, 0);
	v = 0;
	CTS_RT_OK(musaMemPoolSetAttribute(def, musaMemPoolAttrUsedMemHigh, &v));
	CTS_RT_OK(musaStreamDestroy(s));

	v = 5;
	CTS_RT(musaMemPoolSetAttribute(def, musaMemPoolAttrUsedMemHigh, &v), musaErrorInvalidValue);
	CTS_RT(musaMemPoolSetAttribute(def, musaMemPoolAttrUsedMemCurrent, &v),
	       musaErrorInvalidValue);
	CTS_RT(musaMemPoolGetAttribute(def, (enum musaMemPoolAttr)77, &v), musaErrorInvalidValue);
	CTS_RT(musaMemPoolGetAttribute(def, musaMemPoolAttrUsedMemCurrent, NULL),
	       musaErrorInvalidValue);
	CTS_RT(musaDeviceGetDefaultMemPool(&def, 99), musaErrorInvalidDevice);
	CTS_RT(musaDeviceGetDefaultMemPool(NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaMemPoolDestroy(def), musaErrorInvalidValue);
	musaGetLastError();
}

CTS_TEST(memory, mem_pool_create_use_destroy)
{
	struct musaMemPoolProps props;
	musaMemPool_t pool = NULL, cur = NULL, def = NULL;
	int *d = NULL, h[256];
	musaStream_t s;

	memset(&props, 0, sizeof(props));
	props.allocType = musaMemAllocationTypePinned;
	props.location.type = musaMemLocationTypeDevice;
	props.location.id = 0;
	CTS_RT_OK(musaMemPoolCreate(&pool, &props));
	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMallocFromPoolAsync((void **)&d, sizeof(h), pool, s));
	CTS_RT_OK(cts_launch_fill(d, 77, 256, s));
	CTS_RT_OK(musaMemcpyAsync(h, d, sizeof(h), musaMemcpyDeviceToHost, s));
	CTS_RT_OK(musaFreeAsync(d, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	ck_assert_int_eq(h[255], 77);

	CTS_RT_OK(musaDeviceSetMemPool(0, pool));
	CTS_RT_OK(musaDeviceGetMemPool(&cur, 0));
	ck_assert_ptr_eq(cur, pool);
	CTS_RT_OK(musaMallocAsync((void **)&d, 64, s));
	CTS_RT_OK(musaFreeAsync(d, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaMemPoolDestroy(pool));
	/* The device's current pool is its default one again. */
	CTS_RT_OK(musaDeviceGetMemPool(&cur, 0));
	CTS_RT_OK(musaDeviceGetDefaultMemPool(&def, 0));
	ck_assert_ptr_eq(cur, def);
	CTS_RT(musaMemPoolDestroy(pool), musaErrorInvalidValue);
	CTS_RT(musaMallocFromPoolAsync((void **)&d, 64, pool, s), musaErrorInvalidValue);
	CTS_RT(musaMallocFromPoolAsync((void **)&d, 64, NULL, s), musaErrorInvalidValue);
	CTS_RT_OK(musaStreamDestroy(s));
	musaGetLastError();
}

CTS_TEST(memory, mem_pool_create_bad_props)
{
	struct musaMemPoolProps props;
	musaMemPool_t pool = NULL;

	memset(&props, 0, sizeof(props));
	CTS_RT(musaMemPoolCreate(&pool, &props), musaErrorInvalidValue);
	props.allocType = musaMemAllocationTypePinned;
	props.location.type = musaMemLocationTypeDevice;
	props.location.id = 99;
	CTS_RT(musaMemPoolCreate(&pool, &props), musaErrorInvalidValue);
	props.location.id = 0;
	CTS_RT(musaMemPoolCreate(NULL, &props), musaErrorInvalidValue);
	CTS_RT(musaMemPoolCreate(&pool, NULL), musaErrorInvalidValue);
	CTS_RT(musaDeviceSetMemPool(0, NULL), musaErrorInvalidValue);
	musaGetLastError();
}

/* The pool does not hand a freed block out again before the stream that
 * freed it has reached the free. */
CTS_TEST(memory, free_async_is_stream_ordered)
{
	volatile int *flag = NULL;
	int *out = NULL, *a = NULL, *b = NULL;
	musaStream_t s1, s2;
	musaMemPool_t def;
	uint64_t keep = UINT64_MAX;

	CTS_RT_OK(musaDeviceGetDefaultMemPool(&def, 0));
	CTS_RT_OK(musaMemPoolSetAttribute(def, musaMemPoolAttrReleaseThreshold, &keep));
	CTS_RT_OK(musaHostAlloc((void **)&flag, sizeof(int), musaHostAllocMapped));
	*flag = 0;
	CTS_RT_OK(musaStreamCreateWithFlags(&s1, musaStreamNonBlocking));
	CTS_RT_OK(musaStreamCreateWithFlags(&s2, musaStreamNonBlocking));
	CTS_RT_OK(musaMallocAsync((void **)&a, 4096, s1));
	out = a;
	CTS_RT_OK(cts_launch_wait_flag(flag, out, s1));  /* holds s1 */
	CTS_RT_OK(musaFreeAsync(a, s1));
	CTS_RT_OK(musaMallocAsync((void **)&b, 4096, s2));
	ck_assert_ptr_ne(a, b);
	*flag = 1;
	CTS_RT_OK(musaStreamSynchronize(s1));
	CTS_RT_OK(musaFreeAsync(b, s2));
	CTS_RT_OK(musaStreamSynchronize(s2));
	CTS_RT_OK(musaStreamDestroy(s1));
	CTS_RT_OK(musaStreamDestroy(s2));
	CTS_RT_OK(musaFreeHost((void *)flag));
}

/* peer access */

CTS_TEST(memory, peer_can_access_single_device)
{
	int can = -1;

	CTS_RT_OK(musaDeviceCanAccessPeer(&can, 0, 0));
	ck_assert_int_eq(can, 0);
	CTS_RT(musaDeviceCanAccessPeer(&can, 0, 99), musaErrorInvalidDevice);
	CTS_RT(musaDeviceCanAccessPeer(&can, -1, 0), musaErrorInvalidDevice);
	CTS_RT(musaDeviceCanAccessPeer(NULL, 0, 0), musaErrorInvalidValue);
	CTS_RT(musaDeviceEnablePeerAccess(0, 0), musaErrorInvalidDevice);
	CTS_RT(musaDeviceEnablePeerAccess(99, 0), musaErrorInvalidDevice);
	CTS_RT(musaDeviceDisablePeerAccess(99), musaErrorInvalidDevice);
	musaGetLastError();
}

CTS_TEST(memory, peer_enable_disable)
{
	int can = 0;

	CTS_REQUIRE_DEVICES(2);
	CTS_RT_OK(musaDeviceCanAccessPeer(&can, 0, 1));
	ck_assert_int_eq(can, 1);
	CTS_RT_OK(musaSetDevice(0));
	CTS_RT(musaDeviceDisablePeerAccess(1), musaErrorPeerAccessNotEnabled);
	CTS_RT(musaDeviceEnablePeerAccess(1, 1), musaErrorInvalidValue);
	CTS_RT_OK(musaDeviceEnablePeerAccess(1, 0));
	CTS_RT(musaDeviceEnablePeerAccess(1, 0), musaErrorPeerAccessAlreadyEnabled);
	CTS_RT_OK(musaDeviceDisablePeerAccess(1));
	CTS_RT(musaDeviceDisablePeerAccess(1), musaErrorPeerAccessNotEnabled);
	musaGetLastError();
}

CTS_TEST(memory, peer_copies)
{
	int *d0 = NULL, *d1 = NULL, h[N], *k0 = NULL;
	musaStream_t s;

	CTS_REQUIRE_DEVICES(2);
	CTS_RT_OK(musaSetDevice(1));
	CTS_RT_OK(musaMalloc((void **)&d1, sizeof(h)));
	CTS_RT_OK(cts_launch_fill(d1, 31, N, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	CTS_RT_OK(musaSetDevice(0));
	CTS_RT_OK(musaMalloc((void **)&d0, sizeof(h)));
	CTS_RT_OK(musaMalloc((void **)&k0, sizeof(h)));
	CTS_RT_OK(musaMemcpyPeer(d0, 0, d1, 1, sizeof(h)));
	CTS_RT_OK(musaMemcpy(h, d0, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 31);
	ck_assert_int_eq(h[N - 1], 31);
	/* Unified addressing: a plain copy between the devices' pointers. */
	CTS_RT_OK(cts_launch_fill(d0, 8, N, 0));
	CTS_RT_OK(musaMemcpy(d1, d0, sizeof(h), musaMemcpyDefault));
	CTS_RT_OK(musaMemcpy(k0, d1, sizeof(h), musaMemcpyDeviceToDevice));
	CTS_RT_OK(musaMemcpy(h, k0, sizeof(h), musaMemcpyDefault));
	ck_assert_int_eq(h[N / 2], 8);
	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMemcpyPeerAsync(d1, 1, d0, 0, sizeof(h), s));
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT(musaMemcpyPeer(d0, 7, d1, 1, sizeof(h)), musaErrorInvalidDevice);
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_RT(musaMemcpyPeer(d0, 0, d1, 1, sizeof(h) + 1), musaErrorInvalidValue);
#endif
	musaGetLastError();
	CTS_RT_OK(musaFree(d0));
	CTS_RT_OK(musaFree(k0));
	CTS_RT_OK(musaSetDevice(1));
	CTS_RT_OK(musaFree(d1));
}
