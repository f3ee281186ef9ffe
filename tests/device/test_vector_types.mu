/* SPDX-License-Identifier: MIT */
/*
 * test_vector_types.mu - CUDA's vector types and make_<type>(): the device
 * pass lays them out as the host does (sizes and alignments are CUDA's),
 * and kernels build and read them.
 */
#include <stddef.h>

#include "dev_test.h"

/* CUDA's alignments, checked where the host compiles this file. */
static_assert(alignof(char2) == 2 && alignof(char3) == 1 && alignof(char4) == 4, "char");
static_assert(alignof(short2) == 4 && alignof(short4) == 8 && sizeof(short3) == 6, "short");
static_assert(alignof(int2) == 8 && alignof(int3) == 4 && alignof(int4) == 16, "int");
static_assert(alignof(float2) == 8 && alignof(float3) == 4 && alignof(float4) == 16, "float");
static_assert(alignof(double2) == 16 && alignof(double3) == 8 && alignof(double4) == 16, "double");
static_assert(alignof(longlong2) == 16 && alignof(ulonglong4) == 16, "longlong");
static_assert(sizeof(uchar1) == 1 && sizeof(ushort4) == 8 && sizeof(uint4) == 16, "sizes");
static_assert(sizeof(float3) == 12 && sizeof(double4) == 32 && sizeof(long4) == 32, "sizes");

#define LAYOUT_TYPES(X) X(char1) X(char2) X(char3) X(char4) X(uchar4) X(short2)   \
	X(short3) X(short4) X(ushort2) X(int1) X(int2) X(int3) X(int4) X(uint2) \
	X(uint3) X(uint4) X(long2) X(long4) X(ulong3) X(longlong2) X(longlong4) \
	X(ulonglong2) X(float1) X(float2) X(float3) X(float4) X(double1)      \
	X(double2) X(double3) X(double4)
#define SIZE_ALIGN(T) sizeof(T), alignof(T),

/* A parameter struct mixing them: the host's offsets must be the device's. */
struct mixed {
	char c;
	float4 f4;
	char3 c3;
	double2 d2;
	short3 s3;
	int2 i2;
};

__global__ void k_layout(unsigned long *out)
{
	const unsigned long v[] = {LAYOUT_TYPES(SIZE_ALIGN) offsetof(struct mixed, f4),
				   offsetof(struct mixed, c3), offsetof(struct mixed, d2),
				   offsetof(struct mixed, s3), offsetof(struct mixed, i2),
				   sizeof(struct mixed)};
	unsigned i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		out[i] = v[i];
}

START_TEST(device_layout_matches_host)
{
	const unsigned long want[] = {LAYOUT_TYPES(SIZE_ALIGN) offsetof(struct mixed, f4),
				      offsetof(struct mixed, c3), offsetof(struct mixed, d2),
				      offsetof(struct mixed, s3), offsetof(struct mixed, i2),
				      sizeof(struct mixed)};
	unsigned long got[sizeof(want) / sizeof(want[0])];
	unsigned long *d = (unsigned long *)dev_alloc(sizeof(got));
	unsigned i;

	k_layout<<<1, 1>>>(d);
	DEV_SYNC();
	dev_get(got, d, sizeof(got));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(got[i] == want[i], "item %u: device %lu, host %lu", i, got[i], want[i]);
	MUSA_OK(musaFree(d));
}
END_TEST

/* Builds vectors with make_*, passes them by value and through memory. */
__global__ void k_make(const float4 *in, float4 *out4, double2 *out2, int3 *out3, uchar4 *outc,
		       struct mixed m, longlong2 *outl)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	float4 v = in[i];

	out4[i] = make_float4(v.w, v.z * 2.0f, v.y + m.f4.x, v.x - 1.0f);
	out2[i] = make_double2(v.x * 0.5, m.d2.y);
	out3[i] = make_int3(i, -i, m.i2.x + m.c3.z);
	outc[i] = make_uchar4((unsigned char)i, 1, 2, (unsigned char)(255 - i));
	outl[i] = make_longlong2(-(long long)i << 40, (long long)m.s3.z);
}

START_TEST(make_and_pass_by_value)
{
	enum { N = 128 };
	float4 hin[N], h4[N];
	double2 h2[N];
	int3 h3[N];
	uchar4 hc[N];
	longlong2 hl[N];
	struct mixed m;
	float4 *din = (float4 *)dev_alloc(sizeof(hin)), *d4 = (float4 *)dev_alloc(sizeof(h4));
	double2 *d2 = (double2 *)dev_alloc(sizeof(h2));
	int3 *d3 = (int3 *)dev_alloc(sizeof(h3));
	uchar4 *dc = (uchar4 *)dev_alloc(sizeof(hc));
	longlong2 *dl = (longlong2 *)dev_alloc(sizeof(hl));
	int i;

	memset(&m, 0, sizeof(m));
	m.f4 = make_float4(100.0f, 0, 0, 0);
	m.c3 = make_char3(0, 0, 7);
	m.d2 = make_double2(0, -3.25);
	m.s3 = make_short3(0, 0, -12);
	m.i2 = make_int2(1000, 0);
	for (i = 0; i < N; i++)
		hin[i] = make_float4((float)i, (float)(2 * i), (float)(3 * i), (float)(4 * i));
	dev_put(din, hin, sizeof(hin));
	k_make<<<2, N / 2>>>(din, d4, d2, d3, dc, m, dl);
	DEV_SYNC();
	dev_get(h4, d4, sizeof(h4));
	dev_get(h2, d2, sizeof(h2));
	dev_get(h3, d3, sizeof(h3));
	dev_get(hc, dc, sizeof(hc));
	dev_get(hl, dl, sizeof(hl));
	for (i = 0; i < N; i++) {
		ck_assert(h4[i].x == 4.0f * i && h4[i].y == 6.0f * i);
		ck_assert(h4[i].z == 2.0f * i + 100.0f && h4[i].w == i - 1.0f);
		ck_assert(h2[i].x == 0.5 * i && h2[i].y == -3.25);
		ck_assert(h3[i].x == i && h3[i].y == -i && h3[i].z == 1007);
		ck_assert(hc[i].x == i && hc[i].y == 1 && hc[i].z == 2 && hc[i].w == 255 - i);
		ck_assert(hl[i].x == -((long long)i << 40) && hl[i].y == -12);
	}
	MUSA_OK(musaFree(din));
	MUSA_OK(musaFree(d4));
	MUSA_OK(musaFree(d2));
	MUSA_OK(musaFree(d3));
	MUSA_OK(musaFree(dc));
	MUSA_OK(musaFree(dl));
}
END_TEST

DEV_TEST_MAIN("device_vector_types", device_layout_matches_host, make_and_pass_by_value)
