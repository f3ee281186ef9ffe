/* The program tests/debug/test_trace.c records (MUSA_TRACE, MUSA_PROFILE).
 *
 * `trace_streams streams`: two streams; on the first a host-to-device
 * copy and two launches of `scale`, then an event record; on the second a
 * memset, a wait for that event, a launch of `add_one` with 64 bytes of
 * dynamic shared memory, a device-to-device and a device-to-host copy.
 * `trace_streams bracket`: `before_start`, then musaProfilerStart(),
 * `bracketed` three times, musaProfilerStop(), then `after_stop`.
 * Each kernel's groups do enough work that several compute units take
 * part. Exit 0 when the results are right. */
#include <stdio.h>
#include <string.h>
#include <musa_runtime.h>
#include <musa_profiler_api.h>

#define N (64 * 256)
#define ROUNDS 400

__device__ float work(float v)
{
	for (int i = 0; i < ROUNDS; i++)
		v = v * 0.999f + 0.001f;
	return v;
}

__global__ void scale(float *x, float s, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		x[i] = x[i] * s + 0.0f * work(x[i]);
}

__global__ void add_one(float *x, float *y, int n)
{
	extern __shared__ float tmp[];
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (threadIdx.x < 16)
		tmp[threadIdx.x] = 1.0f;
	__syncthreads();
	if (i < n)
		y[i] = x[i] + tmp[threadIdx.x % 16] + 0.0f * work(x[i]);
}

__global__ void before_start(float *x) { x[blockIdx.x] = work(1.0f); }
__global__ void bracketed(float *x) { x[blockIdx.x] = work(2.0f); }
__global__ void after_stop(float *x) { x[blockIdx.x] = work(3.0f); }

#define CHECK(call) do { \
	musaError_t e_ = (call); \
	if (e_ != musaSuccess) { \
		fprintf(stderr, "%s: %s\n", #call, musaGetErrorString(e_)); \
		return 1; \
	} \
} while (0)

static float host[N];

static int streams(void)
{
	musaStream_t s1, s2;
	musaEvent_t ev;
	float *a, *b, *c;

	for (int i = 0; i < N; i++)
		host[i] = (float)(i % 100);
	CHECK(musaMalloc(&a, sizeof(host)));
	CHECK(musaMalloc(&b, sizeof(host)));
	CHECK(musaMalloc(&c, sizeof(host)));
	CHECK(musaStreamCreateWithFlags(&s1, musaStreamNonBlocking));
	CHECK(musaStreamCreateWithFlags(&s2, musaStreamNonBlocking));
	CHECK(musaEventCreate(&ev));

	CHECK(musaMemcpyAsync(a, host, sizeof(host), musaMemcpyHostToDevice, s1));
	scale<<<N / 256, 256, 0, s1>>>(a, 2.0f, N);
	scale<<<N / 256, 256, 0, s1>>>(a, 0.5f, N);
	CHECK(musaGetLastError());
	CHECK(musaEventRecord(ev, s1));

	CHECK(musaMemsetAsync(b, 0, sizeof(host), s2));
	CHECK(musaStreamWaitEvent(s2, ev, 0));
	add_one<<<N / 256, 256, 64, s2>>>(a, b, N);
	CHECK(musaGetLastError());
	CHECK(musaMemcpyAsync(c, b, sizeof(host), musaMemcpyDeviceToDevice, s2));
	CHECK(musaMemcpyAsync(host, c, sizeof(host), musaMemcpyDeviceToHost, s2));
	CHECK(musaStreamSynchronize(s2));
	CHECK(musaDeviceSynchronize());

	for (int i = 0; i < N; i++)
		if (host[i] != (float)(i % 100) + 1.0f) {
			fprintf(stderr, "element %d is %f\n", i, host[i]);
			return 1;
		}
	CHECK(musaEventDestroy(ev));
	CHECK(musaStreamDestroy(s1));
	CHECK(musaStreamDestroy(s2));
	printf("trace_streams: streams ok\n");
	return 0;
}

static int bracket(void)
{
	float *x;

	CHECK(musaMalloc(&x, 64 * sizeof(float)));
	before_start<<<64, 32>>>(x);
	CHECK(musaDeviceSynchronize());
	CHECK(musaProfilerStart());
	for (int i = 0; i < 3; i++)
		bracketed<<<64, 32>>>(x);
	CHECK(musaDeviceSynchronize());
	CHECK(musaProfilerStop());
	after_stop<<<64, 32>>>(x);
	CHECK(musaDeviceSynchronize());
	printf("trace_streams: bracket ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "bracket") == 0)
		return bracket();
	return streams();
}
