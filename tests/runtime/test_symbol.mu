/* SPDX-License-Identifier: MIT */
/*
 * test_symbol.mu - __device__, __constant__ and __managed__ variables:
 * kernels read and write them, the symbol API copies to and from them
 * (with offsets, kinds and streams), and every error path returns its
 * exact code. Each test runs in its own forked process (Check's default),
 * so the runtime starts fresh.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <musa_runtime.h>

#define OK(call) ck_assert_int_eq((int)(call), (int)musaSuccess)

struct params {
	int scale;
	float bias;
	double table[3];
};

__constant__ float coeffs[8];
__constant__ struct params prm;
__device__ int counter;
__device__ unsigned int hist[16] = {1, 2, 3};
__device__ double scalar_init = 2.5;
__managed__ int managed_val = 7;
__managed__ float managed_arr[4];

namespace ns {
__device__ long long in_ns;
}

__global__ void apply(const float *in, float *out, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		out[i] = in[i] * coeffs[i % 8] * (float)prm.scale + prm.bias +
			 (float)prm.table[i % 3];
}

__global__ void count(void)
{
	atomicAdd(&counter, 1);
	atomicAdd(&hist[threadIdx.x % 16], 1u);
}

__global__ void copy_init(double *out)
{
	out[0] = scalar_init;
	out[1] = (double)hist[2];
	ns::in_ns = 1234567890123ll;
}

__global__ void bump_managed(void)
{
	if (threadIdx.x == 0)
		managed_val += 10;
	managed_arr[threadIdx.x] = managed_arr[threadIdx.x] * 2.0f + (float)threadIdx.x;
}

START_TEST(test_constant_array_and_struct_feed_a_kernel)
{
	float host_c[8], in[64], out[64], *din, *dout;
	struct params p = {3, 0.5f, {1.0, 2.0, 4.0}};

	for (int i = 0; i < 8; i++)
		host_c[i] = (float)(i + 1);
	for (int i = 0; i < 64; i++)
		in[i] = (float)i;
	OK(musaMalloc((void **)&din, sizeof(in)));
	OK(musaMalloc((void **)&dout, sizeof(out)));
	OK(musaMemcpy(din, in, sizeof(in), musaMemcpyHostToDevice));
	OK(musaMemcpyToSymbol(coeffs, host_c, sizeof(host_c)));
	OK(musaMemcpyToSymbol(prm, &p, sizeof(p), 0, musaMemcpyHostToDevice));
	apply<<<2, 32>>>(din, dout, 64);
	OK(musaGetLastError());
	OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	for (int i = 0; i < 64; i++)
		ck_assert_float_eq(out[i], (float)i * (float)(i % 8 + 1) * 3.0f + 0.5f +
					   (float)p.table[i % 3]);
	OK(musaFree(din));
	OK(musaFree(dout));
}
END_TEST

START_TEST(test_device_vars_written_by_kernels_read_back)
{
	unsigned int h[16];
	int c = 5;

	OK(musaMemcpyToSymbol(counter, &c, sizeof(c)));
	count<<<4, 64>>>();
	OK(musaDeviceSynchronize());
	OK(musaMemcpyFromSymbol(&c, counter, sizeof(c)));
	ck_assert_int_eq(c, 5 + 256);
	OK(musaMemcpyFromSymbol(h, hist, sizeof(h), 0, musaMemcpyDeviceToHost));
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(h[i], (i < 3 ? (unsigned)i + 1 : 0u) + 16u);
}
END_TEST

START_TEST(test_initializers_namespaces_and_offsets)
{
	double *dout, out[2];
	long long v = 0;
	unsigned int part[2], two[2] = {100, 200};

	OK(musaMalloc((void **)&dout, sizeof(out)));
	/* a partial write at an offset keeps the rest of the initializer */
	OK(musaMemcpyToSymbol(hist, two, sizeof(two), 3 * sizeof(unsigned int)));
	copy_init<<<1, 1>>>(dout);
	OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	ck_assert_double_eq(out[0], 2.5);
	ck_assert_double_eq(out[1], 3.0);
	OK(musaMemcpyFromSymbol(part, hist, sizeof(part), 2 * sizeof(unsigned int)));
	ck_assert_uint_eq(part[0], 3u);
	ck_assert_uint_eq(part[1], 100u);
	OK(musaMemcpyFromSymbol(&v, ns::in_ns, sizeof(v)));
	ck_assert(v == 1234567890123ll);
	OK(musaFree(dout));
}
END_TEST

START_TEST(test_device_to_device_and_async_forms)
{
	float src[8] = {1, 2, 3, 4, 5, 6, 7, 8}, back[8] = {0};
	float *d;
	musaStream_t s;

	OK(musaStreamCreate(&s));
	OK(musaMalloc((void **)&d, sizeof(src)));
	OK(musaMemcpy(d, src, sizeof(src), musaMemcpyHostToDevice));
	OK(musaMemcpyToSymbolAsync(coeffs, d, sizeof(src), 0, musaMemcpyDeviceToDevice, s));
	OK(musaMemset(d, 0, sizeof(src)));
	OK(musaStreamSynchronize(s));
	OK(musaMemcpyFromSymbolAsync(d, coeffs, 4 * sizeof(float), 4 * sizeof(float),
				     musaMemcpyDefault, s));
	OK(musaStreamSynchronize(s));
	OK(musaMemcpy(back, d, 4 * sizeof(float), musaMemcpyDeviceToHost));
	for (int i = 0; i < 4; i++)
		ck_assert_float_eq(back[i], src[i + 4]);
	OK(musaMemcpyFromSymbolAsync(back, coeffs, sizeof(back), 0, musaMemcpyDeviceToHost, s));
	OK(musaStreamSynchronize(s));
	for (int i = 0; i < 8; i++)
		ck_assert_float_eq(back[i], src[i]);
	OK(musaFree(d));
	OK(musaStreamDestroy(s));
}
END_TEST

START_TEST(test_symbol_address_and_size)
{
	void *addr = NULL;
	size_t size = 0;
	unsigned int h[16];

	OK(musaGetSymbolSize(&size, hist));
	ck_assert_uint_eq(size, sizeof(hist));
	OK(musaGetSymbolSize(&size, prm));
	ck_assert_uint_eq(size, sizeof(struct params));
	OK(musaGetSymbolAddress(&addr, hist));
	ck_assert_ptr_nonnull(addr);
	ck_assert_ptr_ne(addr, (void *)hist);  /* the device copy, not the shadow */
	/* the address is device memory for the ordinary copy and memset calls */
	OK(musaMemset(addr, 0xff, sizeof(h)));
	OK(musaMemcpy(h, addr, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(h[i], 0xffffffffu);
	for (int i = 0; i < 16; i++)
		h[i] = (unsigned)i * 7u;
	OK(musaMemcpy(addr, h, sizeof(h), musaMemcpyHostToDevice));
	memset(h, 0, sizeof(h));
	OK(musaMemcpyFromSymbol(h, hist, sizeof(h)));
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(h[i], (unsigned)i * 7u);
	/* past the variable's end it is not device memory */
	ck_assert_int_eq(musaMemcpy(addr, h, sizeof(h) + 4, musaMemcpyHostToDevice),
			 musaErrorInvalidValue);
	musaGetLastError();
}
END_TEST

START_TEST(test_managed_shared_by_host_and_kernels)
{
	void *addr = NULL;
	size_t size = 0;
	int v = 0;

	ck_assert_int_eq(managed_val, 7);
	for (int i = 0; i < 4; i++)
		managed_arr[i] = (float)i;
	bump_managed<<<1, 4>>>();
	OK(musaDeviceSynchronize());
	ck_assert_int_eq(managed_val, 17);
	for (int i = 0; i < 4; i++)
		ck_assert_float_eq(managed_arr[i], (float)(3 * i));
	managed_val = 100;
	bump_managed<<<1, 1>>>();
	OK(musaDeviceSynchronize());
	ck_assert_int_eq(managed_val, 110);
	OK(musaGetSymbolAddress(&addr, managed_val));
	ck_assert_ptr_eq(addr, (void *)&managed_val);
	OK(musaGetSymbolSize(&size, managed_arr));
	ck_assert_uint_eq(size, sizeof(managed_arr));
	v = 42;
	OK(musaMemcpyToSymbol(managed_val, &v, sizeof(v)));
	ck_assert_int_eq(managed_val, 42);
}
END_TEST

static int not_a_symbol;

/* CUDA before 5.0 took a variable's name as the symbol; Rodinia's kmeans
 * still passes "c_clusters". The name reaches the same variable. */
START_TEST(test_symbol_by_name_string)
{
	float in[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8] = {0};
	size_t size = 0;
	void *by_name = NULL, *by_var = NULL;

	/* A literal, as programs write it: C++ binds the array itself. */
	OK(musaMemcpyToSymbol("coeffs", in, sizeof(in), 0, musaMemcpyHostToDevice));
	OK(musaMemcpyFromSymbol(out, coeffs, sizeof(out)));
	for (int i = 0; i < 8; i++)
		ck_assert_float_eq(out[i], in[i]);
	OK(musaGetSymbolSize(&size, "hist"));
	ck_assert_uint_eq(size, sizeof(hist));
	OK(musaGetSymbolAddress(&by_name, "hist"));
	OK(musaGetSymbolAddress(&by_var, hist));
	ck_assert_ptr_eq(by_name, by_var);
	/* unknown names, and pointers that are neither: no crash, an error */
	ck_assert_int_eq(musaMemcpyToSymbol("no_such_variable", in, 4, 0, musaMemcpyHostToDevice),
			 musaErrorInvalidSymbol);
	ck_assert_int_eq(musaGetSymbolSize(&size, (const void *)(uintptr_t)0x10), musaErrorInvalidSymbol);
	ck_assert_int_eq(musaGetSymbolSize(&size, (const void *)(uintptr_t)-4096), musaErrorInvalidSymbol);
	musaGetLastError();
}
END_TEST

START_TEST(test_symbol_errors)
{
	float buf[16] = {0};
	void *addr = NULL;
	size_t size = 0;
	float *d;

	ck_assert_int_eq(musaMemcpyToSymbol(not_a_symbol, buf, 4), musaErrorInvalidSymbol);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidSymbol);
	ck_assert_int_eq(musaMemcpyFromSymbol(buf, not_a_symbol, 4), musaErrorInvalidSymbol);
	ck_assert_int_eq(musaGetSymbolAddress(&addr, not_a_symbol), musaErrorInvalidSymbol);
	ck_assert_int_eq(musaGetSymbolSize(&size, not_a_symbol), musaErrorInvalidSymbol);
	ck_assert_int_eq(musaGetSymbolSize(NULL, coeffs), musaErrorInvalidValue);
	/* one byte past the end, by count and by offset */
	ck_assert_int_eq(musaMemcpyToSymbol(coeffs, buf, sizeof(coeffs) + 1), musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpyToSymbol(coeffs, buf, 4, sizeof(coeffs) - 3),
			 musaErrorInvalidValue);
	ck_assert_int_eq(musaMemcpyFromSymbol(buf, coeffs, 8, sizeof(coeffs) + 8),
			 musaErrorInvalidValue);
	/* exactly to the end is fine */
	OK(musaMemcpyToSymbol(coeffs, buf, 4, sizeof(coeffs) - 4));
	/* a kind that cannot reach a variable */
	ck_assert_int_eq(musaMemcpyToSymbol(coeffs, buf, 4, 0, musaMemcpyDeviceToHost),
			 musaErrorInvalidMemcpyDirection);
	ck_assert_int_eq(musaMemcpyFromSymbol(buf, coeffs, 4, 0, musaMemcpyHostToDevice),
			 musaErrorInvalidMemcpyDirection);
	/* a kind that contradicts the pointer */
	ck_assert_int_eq(musaMemcpyToSymbol(coeffs, buf, 4, 0, musaMemcpyDeviceToDevice),
			 musaErrorInvalidValue);
	OK(musaMalloc((void **)&d, 64));
	ck_assert_int_eq(musaMemcpyToSymbol(coeffs, d, 4, 0, musaMemcpyHostToDevice),
			 musaErrorInvalidValue);
	OK(musaFree(d));
	musaGetLastError();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symbol");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_constant_array_and_struct_feed_a_kernel);
	tcase_add_test(tc, test_device_vars_written_by_kernels_read_back);
	tcase_add_test(tc, test_initializers_namespaces_and_offsets);
	tcase_add_test(tc, test_device_to_device_and_async_forms);
	tcase_add_test(tc, test_symbol_address_and_size);
	tcase_add_test(tc, test_managed_shared_by_host_and_kernels);
	tcase_add_test(tc, test_symbol_errors);
	tcase_add_test(tc, test_symbol_by_name_string);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
