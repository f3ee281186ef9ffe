/* SPDX-License-Identifier: MIT */
/*
 * deviceQuery - lists the devices and their properties. PASSED when at
 * least one device is found.
 */
#include <stdio.h>

#include <musa_runtime.h>

int main(void)
{
	int count = 0, drv = 0, rt = 0, dev;
	musaError_t err = musaGetDeviceCount(&count);

	printf("deviceQuery Starting...\n\n");
	if (err != musaSuccess) {
		printf("musaGetDeviceCount returned %d (%s)\nResult = FAILED\n", (int)err,
		       musaGetErrorString(err));
		return 1;
	}
	if (count == 0) {
		printf("There are no available device(s) that support MUSA\nResult = FAILED\n");
		return 1;
	}
	printf("Detected %d MUSA Capable device(s)\n", count);
	if (musaDriverGetVersion(&drv) != musaSuccess || musaRuntimeGetVersion(&rt) != musaSuccess) {
		printf("cannot read the driver and runtime versions\nResult = FAILED\n");
		return 1;
	}
	for (dev = 0; dev < count; dev++) {
		struct musaDeviceProp p;

		err = musaGetDeviceProperties(&p, dev);
		if (err != musaSuccess) {
			printf("musaGetDeviceProperties(%d): %s\nResult = FAILED\n", dev,
			       musaGetErrorString(err));
			return 1;
		}
		printf("\nDevice %d: \"%s\"\n", dev, p.name);
		printf("  MUSA Driver Version / Runtime Version          %d.%d / %d.%d\n",
		       drv / 1000, (drv % 100) / 10, rt / 1000, (rt % 100) / 10);
		printf("  MUSA Capability Major/Minor version number:    %d.%d\n", p.major, p.minor);
		printf("  Total amount of global memory:                 %.0f MBytes (%zu bytes)\n",
		       p.totalGlobalMem / 1048576.0, p.totalGlobalMem);
		printf("  Multiprocessors:                               %d\n", p.multiProcessorCount);
		printf("  GPU Max Clock rate:                            %.0f MHz\n", p.clockRate * 1e-3);
		printf("  Memory Clock rate:                             %.0f MHz\n", p.memoryClockRate * 1e-3);
		printf("  Memory Bus Width:                              %d-bit\n", p.memoryBusWidth);
		printf("  L2 Cache Size:                                 %d bytes\n", p.l2CacheSize);
		printf("  Total amount of constant memory:               %zu bytes\n", p.totalConstMem);
		printf("  Total amount of shared memory per block:       %zu bytes\n", p.sharedMemPerBlock);
		printf("  Total shared memory per multiprocessor:        %zu bytes\n",
		       p.sharedMemPerMultiprocessor);
		printf("  Total number of registers available per block: %d\n", p.regsPerBlock);
		printf("  Warp size:                                     %d\n", p.warpSize);
		printf("  Maximum number of threads per multiprocessor:  %d\n",
		       p.maxThreadsPerMultiProcessor);
		printf("  Maximum number of threads per block:           %d\n", p.maxThreadsPerBlock);
		printf("  Max dimension size of a thread block (x,y,z): (%d, %d, %d)\n",
		       p.maxThreadsDim[0], p.maxThreadsDim[1], p.maxThreadsDim[2]);
		printf("  Max dimension size of a grid size    (x,y,z): (%d, %d, %d)\n",
		       p.maxGridSize[0], p.maxGridSize[1], p.maxGridSize[2]);
		printf("  Maximum memory pitch:                          %zu bytes\n", p.memPitch);
		printf("  Texture alignment:                             %zu bytes\n", p.textureAlignment);
		printf("  Concurrent copy and kernel execution:          %s with %d copy engine(s)\n",
		       p.deviceOverlap ? "Yes" : "No", p.asyncEngineCount);
		printf("  Integrated GPU sharing Host Memory:            %s\n", p.integrated ? "Yes" : "No");
		printf("  Support host page-locked memory mapping:       %s\n",
		       p.canMapHostMemory ? "Yes" : "No");
		printf("  Device supports Unified Addressing (UVA):      %s\n",
		       p.unifiedAddressing ? "Yes" : "No");
		printf("  Device supports Managed Memory:                %s\n", p.managedMemory ? "Yes" : "No");
		printf("  Device PCI Domain ID / Bus ID / location ID:   %d / %d / %d\n",
		       p.pciDomainID, p.pciBusID, p.pciDeviceID);
	}
	printf("\ndeviceQuery, MUSA Driver = MUSART, MUSA Driver Version = %d.%d, "
	       "MUSA Runtime Version = %d.%d, NumDevs = %d\n",
	       drv / 1000, (drv % 100) / 10, rt / 1000, (rt % 100) / 10, count);
	printf("Result = PASSED\n");
	return 0;
}
