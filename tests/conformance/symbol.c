/* SPDX-License-Identifier: MIT */
/*
 * symbol.c - conformance of the symbol API: musaMemcpyToSymbol,
 * musaMemcpyFromSymbol (+Async), musaGetSymbolAddress, musaGetSymbolSize on
 * the __device__ and __constant__ variables of cts_kernels.mu, and
 * muModuleGetGlobal on the same variables in the driver-API module.
 */
#include <stdint.h>

#include "cts.h"

#define SYM_BYTES (CTS_SYMBOL_N * sizeof(int))

/* A host variable that is not a registered symbol. */
static int cts_not_a_symbol[CTS_SYMBOL_N];

static void sym_fill(int *h, int base)
{
	for (int i = 0; i < CTS_SYMBOL_N; i++)
		h[i] = base + i;
}

CTS_TEST(symbol, to_and_from_round_trip)
{
	int in[CTS_SYMBOL_N], out[CTS_SYMBOL_N];

	sym_fill(in, 100);
	memset(out, 0, sizeof(out));
	musaGetLastError();
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), in, sizeof(in), 0,
				     musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpyFromSymbol(out, cts_symbol_dev(), sizeof(out), 0,
				       musaMemcpyDeviceToHost));
	ck_assert_mem_eq(in, out, sizeof(in));
	CTS_RT_OK(musaGetLastError());
}

CTS_TEST(symbol, kernel_reads_device_and_constant)
{
	int v[CTS_SYMBOL_N], c[CTS_SYMBOL_N], out[CTS_SYMBOL_N], *d = NULL;

	sym_fill(v, 1000);
	sym_fill(c, 7);
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), v, sizeof(v), 0, musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_const_dev(), c, sizeof(c), 0,
				     musaMemcpyHostToDevice));
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(out)));
	CTS_RT_OK(cts_launch_symbol_read(d, CTS_SYMBOL_N, 0));
	CTS_RT_OK(musaMemcpy(out, d, sizeof(out), musaMemcpyDeviceToHost));
	for (int i = 0; i < CTS_SYMBOL_N; i++)
		ck_assert_int_eq(out[i], v[i] + c[i]);
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(symbol, offset_writes_part)
{
	int base[CTS_SYMBOL_N], two[2] = { -1, -2 }, out[CTS_SYMBOL_N], part[3];

	sym_fill(base, 0);
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), base, sizeof(base), 0,
				     musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), two, sizeof(two), 4 * sizeof(int),
				     musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpyFromSymbol(out, cts_symbol_dev(), sizeof(out), 0,
				       musaMemcpyDeviceToHost));
	for (int i = 0; i < CTS_SYMBOL_N; i++)
		ck_assert_int_eq(out[i], i == 4 ? -1 : i == 5 ? -2 : i);
	/* A read at an offset, ending at the variable's last byte. */
	CTS_RT_OK(musaMemcpyFromSymbol(part, cts_symbol_dev(), sizeof(part),
				       SYM_BYTES - sizeof(part), musaMemcpyDeviceToHost));
	ck_assert_int_eq(part[0], CTS_SYMBOL_N - 3);
	ck_assert_int_eq(part[2], CTS_SYMBOL_N - 1);
	/* count 0 at the end is allowed. */
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), two, 0, SYM_BYTES, musaMemcpyHostToDevice));
}

CTS_TEST(symbol, async_on_a_stream)
{
	int in[CTS_SYMBOL_N], out[CTS_SYMBOL_N];
	musaStream_t s;

	sym_fill(in, 42);
	memset(out, 0, sizeof(out));
	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaMemcpyToSymbolAsync(cts_symbol_dev(), in, sizeof(in), 0,
					  musaMemcpyHostToDevice, s));
	CTS_RT_OK(musaMemcpyFromSymbolAsync(out, cts_symbol_dev(), sizeof(out), 0,
					    musaMemcpyDeviceToHost, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	ck_assert_mem_eq(in, out, sizeof(in));
	/* The default stream (0) too. */
	CTS_RT_OK(musaMemcpyToSymbolAsync(cts_symbol_const_dev(), in, sizeof(in), 0,
					  musaMemcpyHostToDevice, 0));
	memset(out, 0, sizeof(out));
	CTS_RT_OK(musaMemcpyFromSymbolAsync(out, cts_symbol_const_dev(), sizeof(out), 0,
					    musaMemcpyDeviceToHost, 0));
	CTS_RT_OK(musaDeviceSynchronize());
	ck_assert_mem_eq(in, out, sizeof(in));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(symbol, device_to_device_and_default_kinds)
{
	int in[CTS_SYMBOL_N], out[CTS_SYMBOL_N], *d = NULL;

	sym_fill(in, 300);
	CTS_RT_OK(musaMalloc((void **)&d, 2 * SYM_BYTES));
	CTS_RT_OK(musaMemcpy(d, in, SYM_BYTES, musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), d, SYM_BYTES, 0,
				     musaMemcpyDeviceToDevice));
	CTS_RT_OK(musaMemcpyFromSymbol(d + CTS_SYMBOL_N, cts_symbol_dev(), SYM_BYTES, 0,
				       musaMemcpyDeviceToDevice));
	CTS_RT_OK(musaMemcpy(out, d + CTS_SYMBOL_N, SYM_BYTES, musaMemcpyDeviceToHost));
	ck_assert_mem_eq(in, out, sizeof(in));
	/* musaMemcpyDefault: the runtime tells host from device memory. */
	sym_fill(in, 500);
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), in, sizeof(in), 0, musaMemcpyDefault));
	memset(out, 0, sizeof(out));
	CTS_RT_OK(musaMemcpyFromSymbol(out, cts_symbol_dev(), sizeof(out), 0, musaMemcpyDefault));
	ck_assert_mem_eq(in, out, sizeof(in));
	CTS_RT_OK(musaMemcpyFromSymbolAsync(d, cts_symbol_dev(), SYM_BYTES, 0,
					    musaMemcpyDefault, 0));
	memset(out, 0, sizeof(out));
	CTS_RT_OK(musaMemcpy(out, d, SYM_BYTES, musaMemcpyDeviceToHost));
	ck_assert_mem_eq(in, out, sizeof(in));
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(symbol, address_and_size)
{
	void *addr = NULL, *caddr = NULL;
	size_t size = 0;
	int in[CTS_SYMBOL_N], out[CTS_SYMBOL_N];

	CTS_RT_OK(musaGetSymbolAddress(&addr, cts_symbol_dev()));
	ck_assert_ptr_nonnull(addr);
	CTS_RT_OK(musaGetSymbolSize(&size, cts_symbol_dev()));
	ck_assert_uint_eq(size, SYM_BYTES);
	CTS_RT_OK(musaGetSymbolAddress(&caddr, cts_symbol_const_dev()));
	ck_assert_ptr_nonnull(caddr);
	ck_assert_ptr_ne(addr, caddr);
	size = 0;
	CTS_RT_OK(musaGetSymbolSize(&size, cts_symbol_const_dev()));
	ck_assert_uint_eq(size, SYM_BYTES);
	/* The address is device memory holding the variable. */
	sym_fill(in, 77);
	CTS_RT_OK(musaMemcpy(addr, in, sizeof(in), musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpyFromSymbol(out, cts_symbol_dev(), sizeof(out), 0,
				       musaMemcpyDeviceToHost));
	ck_assert_mem_eq(in, out, sizeof(in));
	/* The same address on a second query. */
	{
		void *again = NULL;

		CTS_RT_OK(musaGetSymbolAddress(&again, cts_symbol_dev()));
		ck_assert_ptr_eq(again, addr);
	}
}

CTS_TEST(symbol, unknown_symbol)
{
	void *addr = (void *)0x1;
	size_t size = 3;
	int h[CTS_SYMBOL_N] = { 0 };

	CTS_RT(musaMemcpyToSymbol(cts_not_a_symbol, h, sizeof(h), 0, musaMemcpyHostToDevice),
	       musaErrorInvalidSymbol);
	CTS_RT(musaGetLastError(), musaErrorInvalidSymbol);
	CTS_RT_OK(musaGetLastError());
	CTS_RT(musaMemcpyFromSymbol(h, cts_not_a_symbol, sizeof(h), 0, musaMemcpyDeviceToHost),
	       musaErrorInvalidSymbol);
	CTS_RT(musaMemcpyToSymbolAsync(cts_not_a_symbol, h, sizeof(h), 0,
				       musaMemcpyHostToDevice, 0),
	       musaErrorInvalidSymbol);
	CTS_RT(musaMemcpyFromSymbolAsync(h, cts_not_a_symbol, sizeof(h), 0,
					 musaMemcpyDeviceToHost, 0),
	       musaErrorInvalidSymbol);
	CTS_RT(musaGetSymbolAddress(&addr, cts_not_a_symbol), musaErrorInvalidSymbol);
	CTS_RT(musaGetSymbolSize(&size, cts_not_a_symbol), musaErrorInvalidSymbol);
	ck_assert_ptr_eq(addr, (void *)0x1);
	ck_assert_uint_eq(size, 3);
	CTS_RT(musaGetSymbolAddress(&addr, NULL), musaErrorInvalidSymbol);
	CTS_RT(musaGetSymbolSize(&size, NULL), musaErrorInvalidSymbol);
	/* The errors are not sticky. */
	musaGetLastError();
	CTS_RT_OK(musaDeviceSynchronize());
	CTS_RT_OK(musaGetLastError());
}

CTS_TEST(symbol, range_past_the_end)
{
	int h[CTS_SYMBOL_N + 1], keep[CTS_SYMBOL_N], out[CTS_SYMBOL_N];

	sym_fill(keep, 9);
	sym_fill(h, -50);
	CTS_RT_OK(musaMemcpyToSymbol(cts_symbol_dev(), keep, sizeof(keep), 0,
				     musaMemcpyHostToDevice));
	CTS_RT(musaMemcpyToSymbol(cts_symbol_dev(), h, SYM_BYTES + sizeof(int), 0,
				  musaMemcpyHostToDevice),
	       musaErrorInvalidValue);
	CTS_RT(musaGetLastError(), musaErrorInvalidValue);
	CTS_RT(musaMemcpyToSymbol(cts_symbol_dev(), h, 2 * sizeof(int), SYM_BYTES - sizeof(int),
				  musaMemcpyHostToDevice),
	       musaErrorInvalidValue);
	CTS_RT(musaMemcpyToSymbol(cts_symbol_dev(), h, 1, SYM_BYTES + 4, musaMemcpyHostToDevice),
	       musaErrorInvalidValue);
	CTS_RT(musaMemcpyFromSymbol(h, cts_symbol_dev(), SYM_BYTES + 1, 0,
				    musaMemcpyDeviceToHost),
	       musaErrorInvalidValue);
	CTS_RT(musaMemcpyToSymbolAsync(cts_symbol_dev(), h, sizeof(int), SYM_BYTES,
				       musaMemcpyHostToDevice, 0),
	       musaErrorInvalidValue);
	CTS_RT(musaMemcpyFromSymbolAsync(h, cts_symbol_dev(), SIZE_MAX, 0,
					 musaMemcpyDeviceToHost, 0),
	       musaErrorInvalidValue);
	CTS_RT(musaMemcpyFromSymbol(h, cts_symbol_dev(), sizeof(int), SIZE_MAX,
				    musaMemcpyDeviceToHost),
	       musaErrorInvalidValue);
	/* Nothing was written. */
	CTS_RT_OK(musaMemcpyFromSymbol(out, cts_symbol_dev(), sizeof(out), 0,
				       musaMemcpyDeviceToHost));
	ck_assert_mem_eq(keep, out, sizeof(keep));
}

CTS_TEST(symbol, wrong_direction)
{
	int h[CTS_SYMBOL_N] = { 0 };

	CTS_RT(musaMemcpyToSymbol(cts_symbol_dev(), h, sizeof(h), 0, musaMemcpyDeviceToHost),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaGetLastError(), musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpyToSymbol(cts_symbol_dev(), h, sizeof(h), 0, musaMemcpyHostToHost),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpyFromSymbol(h, cts_symbol_dev(), sizeof(h), 0, musaMemcpyHostToDevice),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpyFromSymbol(h, cts_symbol_dev(), sizeof(h), 0, musaMemcpyHostToHost),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpyToSymbolAsync(cts_symbol_dev(), h, sizeof(h), 0,
				       musaMemcpyDeviceToHost, 0),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpyFromSymbolAsync(h, cts_symbol_dev(), sizeof(h), 0,
					 musaMemcpyHostToDevice, 0),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpyToSymbol(cts_symbol_dev(), h, sizeof(h), 0, (enum musaMemcpyKind)42),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaGetLastError(), musaErrorInvalidMemcpyDirection);
	CTS_RT_OK(musaGetLastError());
}

CTS_TEST(symbol, null_out_pointers)
{
	CTS_RT(musaGetSymbolAddress(NULL, cts_symbol_dev()), musaErrorInvalidValue);
	CTS_RT(musaGetLastError(), musaErrorInvalidValue);
	CTS_RT(musaGetSymbolSize(NULL, cts_symbol_dev()), musaErrorInvalidValue);
	CTS_RT(musaGetLastError(), musaErrorInvalidValue);
	CTS_RT_OK(musaGetLastError());
}

/* driver API: muModuleGetGlobal on the cts module */

static MUmodule sym_module(void)
{
	MUmodule m = NULL;
	const char *path = cts_module_path();

	cts_drv_init();
	if (!path)
		CTS_SKIP("no module for the driver-API tests");
	CTS_DRV_OK(muModuleLoad(&m, path));
	return m;
}

CTS_TEST(symbol, module_get_global)
{
	MUmodule m = sym_module();
	MUdeviceptr var = 0, cvar = 0, again = 0;
	size_t bytes = 0, cbytes = 0;
	int in[CTS_SYMBOL_N], out[CTS_SYMBOL_N];

	CTS_DRV_OK(muModuleGetGlobal(&var, &bytes, m, "cts_symbol_var"));
	ck_assert(var != 0);
	ck_assert_uint_eq(bytes, SYM_BYTES);
	CTS_DRV_OK(muModuleGetGlobal(&cvar, &cbytes, m, "cts_symbol_const"));
	ck_assert(cvar != 0 && cvar != var);
	ck_assert_uint_eq(cbytes, SYM_BYTES);
	/* Either output may be NULL. */
	CTS_DRV_OK(muModuleGetGlobal(&again, NULL, m, "cts_symbol_var"));
	ck_assert(again == var);
	bytes = 0;
	CTS_DRV_OK(muModuleGetGlobal(NULL, &bytes, m, "cts_symbol_var"));
	ck_assert_uint_eq(bytes, SYM_BYTES);
	CTS_DRV_OK(muModuleGetGlobal(NULL, NULL, m, "cts_symbol_var"));
	/* The address is device memory the copy functions reach. */
	sym_fill(in, 61);
	CTS_DRV_OK(muMemcpyHtoD(var, in, sizeof(in)));
	CTS_DRV_OK(muMemcpyDtoH(out, var, sizeof(out)));
	ck_assert_mem_eq(in, out, sizeof(in));
	CTS_DRV_OK(muMemcpyDtoD(cvar, var, sizeof(in)));
	memset(out, 0, sizeof(out));
	CTS_DRV_OK(muMemcpyDtoH(out, cvar, sizeof(out)));
	ck_assert_mem_eq(in, out, sizeof(in));
	CTS_DRV_OK(muModuleUnload(m));
}

CTS_TEST(symbol, module_get_global_errors)
{
	MUmodule m = sym_module();
	MUdeviceptr var = 5;
	size_t bytes = 6;

	CTS_DRV(muModuleGetGlobal(&var, &bytes, m, "cts_no_such_variable"), MUSA_ERROR_NOT_FOUND);
	ck_assert(var == 5);
	ck_assert_uint_eq(bytes, 6);
	/* A kernel is not a variable. */
	CTS_DRV(muModuleGetGlobal(&var, &bytes, m, "cts_fill"), MUSA_ERROR_NOT_FOUND);
	CTS_DRV(muModuleGetGlobal(&var, &bytes, m, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert(var == 5);
	CTS_DRV_OK(muModuleUnload(m));
}
