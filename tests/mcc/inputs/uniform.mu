/*
 * Barrier kernels whose values reach them through macros, device
 * functions and references: which values are the same in every thread of
 * a block is the divergence analysis' answer (front.cpp, class Vary;
 * docs/design.md "Uniformity"), and fission builds its separators from it.
 * mcc runs the fx_* kernels as loops and keeps fibers for the fb_* ones;
 * every kernel is checked against a host model. test_mcc builds this file
 * with and without --no-fission and reads `mcc -v`.
 */
#include "check.h"

#define NB 3            /* blocks per grid */
#define NT 64           /* threads per block */

/* the thread index through a macro: a per-thread value */
#define TID threadIdx.x
#define CEIL_DIV(a, b) (((a) + (b) - 1) / (b))
/* writes a local the text around it does not name */
#define BUMP_ROUND (round_ += 2)

/* ---- device functions ---------------------------------------------------- */

/* pure: the same value in every thread for the same argument */
__device__ unsigned half(unsigned x)
{
	unsigned r = x;

	r >>= 1;
	return r;
}

/* reads the thread index: differs */
__device__ unsigned lane8(void)
{
	return threadIdx.x % 8;
}

/* its value differs through control: only odd threads take a */
__device__ int odd_only(int a)
{
	int r = 0;

	if (threadIdx.x & 1)
		r = a;
	return r;
}

/* writes the caller's variable through a reference */
__device__ void set_to_tid(int &r)
{
	r = (int)threadIdx.x * 3;
}

/* writes v to the caller's variable */
__device__ void store(int &r, int v)
{
	r = v;
}

/* one more than 1 only for threads that do not exist here */
__device__ int count_from_tid(void)
{
	return 1 + (threadIdx.x >= 100000);
}

/* ---- kernels ------------------------------------------------------------- */

/* a per-thread value through an object-like macro, carried over a barrier */
__global__ void fx_macro_tid(const int *in, int *out)
{
	__shared__ int s[NT];
	int t = TID;

	s[t] = in[blockIdx.x * NT + t];
	__syncthreads();
	out[blockIdx.x * NT + t] = s[NT - 1 - t] + t * 1000;
}

/* a tree whose trip count comes from a pure device function */
__global__ void fx_pure_fn(const int *in, int *out)
{
	__shared__ int s[NT];
	unsigned t = threadIdx.x;

	s[t] = in[blockIdx.x * NT + t];
	__syncthreads();
	for (unsigned d = half(blockDim.x); d > 0; d = half(d)) {
		if (t < d)
			s[t] += s[t + d];
		__syncthreads();
	}
	out[blockIdx.x * NT + t] = s[0] - s[t];
}

/* a tiled sum whose tile count is a function-like macro of the arguments */
__global__ void fx_macro_bound(const int *in, int *out, int n)
{
	__shared__ int tile[NT];
	int tiles = CEIL_DIV(n, (int)blockDim.x), acc = 0;

	for (int k = 0; k < tiles; k++) {
		int i = k * (int)blockDim.x + (int)threadIdx.x;

		tile[threadIdx.x] = i < n ? in[i] : 0;
		__syncthreads();
		acc += tile[(threadIdx.x + 1) % blockDim.x];
		__syncthreads();
	}
	out[blockIdx.x * NT + threadIdx.x] = acc;
}

/* values that differ through device functions, control and a reference */
__global__ void fx_fn_values(const int *in, int *out)
{
	__shared__ int s[NT];
	unsigned g = lane8();
	int o = odd_only(7), r = 0, x = 0;

	set_to_tid(r);
	if (threadIdx.x % 3 == 0)
		x = 5;
	s[threadIdx.x] = in[blockIdx.x * NT + threadIdx.x];
	__syncthreads();
	out[blockIdx.x * NT + threadIdx.x] = s[g] + o * 100 + r * 10000 + x * 1000000;
}

/* a local written in a macro's body by some threads only */
__global__ void fx_macro_write(const int *in, int *out)
{
	__shared__ int s[NT];
	int round_ = 1;

	s[threadIdx.x] = in[blockIdx.x * NT + threadIdx.x];
	__syncthreads();
	if (threadIdx.x & 1)
		BUMP_ROUND;
	__syncthreads();
	out[blockIdx.x * NT + threadIdx.x] = s[NT - 1 - threadIdx.x] * round_;
}

/* values that differ through a loop some threads leave early, a
 * reference written under a condition, and a pointer */
__global__ void fx_indirect(const int *in, int *out)
{
	__shared__ int s[NT];
	int last = 0, x = 0, n = 4;
	int *p = &n;

	for (int i = 0; i < 8; i++) {
		if (i == (int)(threadIdx.x % 4))
			break;
		last = i + 1;
	}
	if (threadIdx.x & 2)
		store(x, 9);
	*p = (int)threadIdx.x % 5;
	s[threadIdx.x] = in[blockIdx.x * NT + threadIdx.x];
	__syncthreads();
	out[blockIdx.x * NT + threadIdx.x] = s[(threadIdx.x + 1) % NT] + last * 10 + x * 100 + n * 1000;
}

/* a barrier loop whose bound the analysis cannot prove the same */
__global__ void fb_count_from_tid(const int *in, int *out)
{
	__shared__ int s[NT];
	int acc = 0;

	for (int i = 0; i < count_from_tid(); i++) {
		s[threadIdx.x] = in[blockIdx.x * NT + threadIdx.x] + i;
		__syncthreads();
		acc += s[NT - 1 - threadIdx.x];
		__syncthreads();
	}
	out[blockIdx.x * NT + threadIdx.x] = acc;
}

/* ---- host ------------------------------------------------------------------ */

static int run(const void *k, const int *in, int nin, int *out, int n)
{
	int *d_in, *d_out;
	void *args[3] = { &d_in, &d_out, &n };

	CHECK(musaMalloc((void **)&d_in, (size_t)nin * sizeof(int)));
	CHECK(musaMalloc((void **)&d_out, NB * NT * sizeof(int)));
	CHECK(musaMemcpy(d_in, in, (size_t)nin * sizeof(int), musaMemcpyHostToDevice));
	CHECK(musaMemset(d_out, 0x7f, NB * NT * sizeof(int)));
	CHECK(musaLaunchKernel(k, dim3(NB), dim3(NT), args, 0, 0));
	CHECK(musaDeviceSynchronize());
	CHECK(musaMemcpy(out, d_out, NB * NT * sizeof(int), musaMemcpyDeviceToHost));
	CHECK(musaFree(d_in));
	CHECK(musaFree(d_out));
	return 0;
}

int main(void)
{
	static int in[NB * NT * 2], out[NB * NT];
	int b, t, n = 150;

	for (int i = 0; i < NB * NT * 2; i++)
		in[i] = (int)((i * 7919u) % 211u);

	if (run((const void *)fx_macro_tid, in, NB * NT, out, 0))
		return 1;
	for (b = 0; b < NB; b++)
		for (t = 0; t < NT; t++)
			EXPECT(out[b * NT + t] == in[b * NT + NT - 1 - t] + t * 1000);

	if (run((const void *)fx_pure_fn, in, NB * NT, out, 0))
		return 1;
	for (b = 0; b < NB; b++) {
		int s[NT];

		for (t = 0; t < NT; t++)
			s[t] = in[b * NT + t];
		for (int d = NT / 2; d > 0; d /= 2)
			for (t = 0; t < d; t++)
				s[t] += s[t + d];
		for (t = 0; t < NT; t++)
			EXPECT(out[b * NT + t] == s[0] - s[t]);
	}

	if (run((const void *)fx_macro_bound, in, NB * NT * 2, out, n))
		return 1;
	for (b = 0; b < NB; b++)
		for (t = 0; t < NT; t++) {
			int acc = 0;

			for (int k = 0; k < (n + NT - 1) / NT; k++) {
				int i = k * NT + (t + 1) % NT;

				acc += i < n ? in[i] : 0;
			}
			EXPECT(out[b * NT + t] == acc);
		}

	if (run((const void *)fx_fn_values, in, NB * NT, out, 0))
		return 1;
	for (b = 0; b < NB; b++)
		for (t = 0; t < NT; t++)
			EXPECT(out[b * NT + t] == in[b * NT + t % 8] + (t & 1 ? 700 : 0) + t * 30000 +
						 (t % 3 == 0 ? 5000000 : 0));

	if (run((const void *)fx_macro_write, in, NB * NT, out, 0))
		return 1;
	for (b = 0; b < NB; b++)
		for (t = 0; t < NT; t++)
			EXPECT(out[b * NT + t] == in[b * NT + NT - 1 - t] * (t & 1 ? 3 : 1));

	if (run((const void *)fx_indirect, in, NB * NT, out, 0))
		return 1;
	for (b = 0; b < NB; b++)
		for (t = 0; t < NT; t++)
			EXPECT(out[b * NT + t] == in[b * NT + (t + 1) % NT] + (t % 4) * 10 + (t & 2 ? 900 : 0) +
						 (t % 5) * 1000);

	if (run((const void *)fb_count_from_tid, in, NB * NT, out, 0))
		return 1;
	for (b = 0; b < NB; b++)
		for (t = 0; t < NT; t++)
			EXPECT(out[b * NT + t] == in[b * NT + NT - 1 - t]);

	printf("uniform: ok\n");
	return 0;
}
