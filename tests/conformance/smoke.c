/* SPDX-License-Identifier: MIT */
/* smoke.c - the harness itself: a kernel from cts_kernels.mu runs. */
#include "cts.h"

CTS_TEST(harness, launch_fill)
{
	int *p = NULL, h[1000];

	CTS_RT_OK(musaMalloc((void **)&p, sizeof(h)));
	CTS_RT_OK(cts_launch_fill(p, 7, 1000, 0));
	CTS_RT_OK(musaMemcpy(h, p, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(h[i], 7);
	CTS_RT_OK(musaFree(p));
}

CTS_TEST(harness, drv_module_loads)
{
	MUmodule m;
	MUfunction f;
	const char *path = cts_module_path();

	cts_drv_init();
	if (!path)
		CTS_SKIP("no module for the driver-API tests");
	CTS_DRV_OK(muModuleLoad(&m, path));
	CTS_DRV_OK(muModuleGetFunction(&f, m, "cts_fill"));
	CTS_DRV_OK(muModuleUnload(m));
}
