/* __shared__, __constant__ and __device__ anywhere among the declaration
 * specifiers, as CUDA allows and real code writes them (cuda-samples'
 * threadFenceReduction: `extern float __shared__ smem[];`), static and
 * dynamic shared memory, at block and file scope, in a barrier-free kernel
 * (loop mode), a barrier kernel (fission) and a kernel with a warp
 * operation (fibers). */
#include "check.h"

#define N 64

float __shared__ file_static[N];          /* type first, at file scope */
extern float __shared__ file_dyn[];       /* dynamic, type first, at file scope */
float __constant__ coef[4] = {1.0f, 2.0f, 3.0f, 4.0f};
int __device__ gbias = 100;
static int __device__ gscale = 3;

/* loop mode: no barrier */
__global__ void loop_kernel(float *out)
{
	float __shared__ a[N];
	volatile __shared__ int flag;
	static __shared__ float b[N];
	__shared__ static float c[N];
	int static __shared__ d[N];
	extern volatile float __shared__ dyn[];
	unsigned t = threadIdx.x;

	a[t] = (float)t;
	b[t] = 2.0f * (float)t;
	c[t] = 3.0f * (float)t;
	d[t] = (int)t;
	flag = 1;
	dyn[t] = coef[t % 4];
	file_static[t] = 1.0f;
	out[blockIdx.x * N + t] = a[t] + b[t] + c[t] + (float)d[t] + (float)flag + dyn[t] +
				  file_static[t] + (float)(gbias * gscale);
}

/* fission: barriers, neighbours read across threads */
__global__ void barrier_kernel(float *out)
{
	float __shared__ a[N];
	static volatile __shared__ int count;
	__shared__ extern float dyn[];
	extern float __shared__ smem[];   /* the same buffer again */
	unsigned t = threadIdx.x;

	if (t == 0)
		count = 0;
	a[t] = (float)t;
	dyn[t] = (float)(2 * t);
	__syncthreads();
	if (t == 0)
		count = (int)blockDim.x;
	out[blockIdx.x * N + t] = a[(t + 1) % N] + smem[(t + 2) % N] + file_dyn[t];
	__syncthreads();
	out[blockIdx.x * N + t] += (float)count;
}

/* fibers: two warp operations in one statement */
__global__ void warp_kernel(int *out)
{
	int __shared__ s[N];
	extern int __shared__ idyn[];
	unsigned t = threadIdx.x;

	s[t] = (int)t;
	idyn[t] = 10 * (int)t;
	__syncthreads();
	out[t] = s[N - 1 - t] + idyn[(t + 1) % N] + __shfl_sync(0xffffffffu, (int)t, 0, 32) +
		 __shfl_sync(0xffffffffu, 0, 0, 32);
}

/* templates: the element type is a template parameter */
template <class T>
__global__ void tmpl_kernel(T *out)
{
	extern T __shared__ sdata[];
	T __shared__ tile[N];
	unsigned t = threadIdx.x;

	sdata[t] = (T)t;
	tile[t] = (T)(N - t);
	__syncthreads();
	out[t] = sdata[(t + 1) % N] * tile[t];
}

int main(void)
{
	float hf[2 * N], *df;
	int hi[N], *di;
	double hd[N], *dd;

	CHECK(musaMalloc(&df, sizeof(hf)));
	loop_kernel<<<2, N, N * sizeof(float)>>>(df);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hf, df, sizeof(hf), musaMemcpyDeviceToHost));
	for (int i = 0; i < 2 * N; i++) {
		int t = i % N;

		EXPECT(hf[i] == (float)(7 * t + 1) + (float)(t % 4 + 1) + 1.0f + 300.0f);
	}

	barrier_kernel<<<2, N, N * sizeof(float)>>>(df);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hf, df, sizeof(hf), musaMemcpyDeviceToHost));
	for (int i = 0; i < 2 * N; i++) {
		int t = i % N;

		/* file_dyn is the same dynamic buffer as dyn and smem */
		EXPECT(hf[i] == (float)((t + 1) % N) + (float)(2 * ((t + 2) % N)) + (float)(2 * t) +
				 (float)N);
	}

	CHECK(musaMalloc(&di, sizeof(hi)));
	warp_kernel<<<1, N, N * sizeof(int)>>>(di);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hi, di, sizeof(hi), musaMemcpyDeviceToHost));
	for (int t = 0; t < N; t++)
		EXPECT(hi[t] == N - 1 - t + 10 * ((t + 1) % N) + (t / 32) * 32);

	CHECK(musaMalloc(&dd, sizeof(hd)));
	tmpl_kernel<double><<<1, N, N * sizeof(double)>>>(dd);
	CHECK(musaGetLastError());
	CHECK(musaMemcpy(hd, dd, sizeof(hd), musaMemcpyDeviceToHost));
	for (int t = 0; t < N; t++)
		EXPECT(hd[t] == (double)((t + 1) % N) * (double)(N - t));
	CHECK(musaFree(df));
	CHECK(musaFree(di));
	CHECK(musaFree(dd));
	return 0;
}
