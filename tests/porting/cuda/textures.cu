// Textures and surfaces in CUDA's names: a CUDA array filled with
// cudaMemcpy2DToArray, a texture object with normalized coordinates and
// linear filtering, and a surface written by a kernel and read back.
// Prints PASSED.
#include <cuda_runtime.h>
#include <cstdio>

__global__ void sample(cudaTextureObject_t tex, float *out, int w, int h)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = blockIdx.y * blockDim.y + threadIdx.y;
	if (x < w && y < h)
		out[y * w + x] = tex2D<float>(tex, (x + 0.5f) / w, (y + 0.5f) / h);
}

__global__ void write_surface(cudaSurfaceObject_t surf, int w, int h)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = blockIdx.y * blockDim.y + threadIdx.y;
	if (x < w && y < h)
		surf2Dwrite((float)(x * 100 + y), surf, x * (int)sizeof(float), y);
}

int main()
{
	const int w = 64, h = 32;
	static float img[h][w], res[h][w];
	float *d_out;
	cudaArray_t arr, sarr;
	cudaChannelFormatDesc fmt = cudaCreateChannelDesc<float>();

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			img[y][x] = (float)(y * w + x);
	cudaMallocArray(&arr, &fmt, w, h);
	cudaMemcpy2DToArray(arr, 0, 0, img, w * sizeof(float), w * sizeof(float), h, cudaMemcpyHostToDevice);

	cudaResourceDesc res_desc = {};
	res_desc.resType = cudaResourceTypeArray;
	res_desc.res.array.array = arr;
	cudaTextureDesc tex_desc = {};
	tex_desc.addressMode[0] = cudaAddressModeClamp;
	tex_desc.addressMode[1] = cudaAddressModeClamp;
	tex_desc.filterMode = cudaFilterModeLinear;
	tex_desc.readMode = cudaReadModeElementType;
	tex_desc.normalizedCoords = 1;
	cudaTextureObject_t tex = 0;
	if (cudaCreateTextureObject(&tex, &res_desc, &tex_desc, NULL) != cudaSuccess)
		return printf("FAILED: cudaCreateTextureObject\n"), 1;

	cudaMalloc(&d_out, sizeof res);
	dim3 block(16, 16), grid(w / 16, h / 16);
	sample<<<grid, block>>>(tex, d_out, w, h);
	cudaMemcpy(res, d_out, sizeof res, cudaMemcpyDeviceToHost);
	// Sampling at texel centres returns the texels exactly.
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if (res[y][x] != img[y][x])
				return printf("FAILED: tex2D(%d, %d) = %g\n", x, y, res[y][x]), 1;

	cudaMallocArray(&sarr, &fmt, w, h, cudaArraySurfaceLoadStore);
	res_desc.res.array.array = sarr;
	cudaSurfaceObject_t surf = 0;
	cudaCreateSurfaceObject(&surf, &res_desc);
	write_surface<<<grid, block>>>(surf, w, h);
	cudaMemcpy2DFromArray(res, w * sizeof(float), sarr, 0, 0, w * sizeof(float), h, cudaMemcpyDeviceToHost);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if (res[y][x] != (float)(x * 100 + y))
				return printf("FAILED: surface (%d, %d) = %g\n", x, y, res[y][x]), 1;

	cudaDestroyTextureObject(tex);
	cudaDestroySurfaceObject(surf);
	cudaFreeArray(arr);
	cudaFreeArray(sarr);
	cudaFree(d_out);
	if (cudaGetLastError() != cudaSuccess)
		return printf("FAILED: %s\n", cudaGetErrorString(cudaGetLastError())), 1;
	printf("PASSED\n");
	return 0;
}
