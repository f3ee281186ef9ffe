// musa-bench: the software device against its peers, in one run.
//   launch     empty-kernel launch + stream synchronize latency (us)
//              peer: an empty OpenMP parallel region, as many threads as CUs
//   async      10,000 empty-kernel launches then one synchronize, per launch
//              (us); peer: as many POCL enqueues then clFinish
//   gaussian   Gaussian elimination of a 1024x1024 system, two kernels per
//              row (ms); peer: the same two loops per row in OpenMP
//   vectorAdd  barrier-free, 3 arrays of BENCH_VADD_N floats (GB/s)
//              peer: a hand-written C loop, same data, same threads
//   matrixMul  tiled with shared memory and barriers (GFLOP/s)
//              peer: the same kernel in OpenCL on POCL
//   reduction  shared-memory tree reduction to one partial per group (GB/s)
//              peer: the same kernel in OpenCL on POCL
//   copies     musaMemcpy H2D, D2H (pageable and pinned host memory), D2D
//              and musaMemset of BENCH_COPY_BYTES (GB/s); peer: memcpy /
//              memset on the same buffers, one slice per OpenMP thread, as
//              many threads as CUs
//   scaling    vectorAdd and matrixMul with MUSA_SWDEV cus=1 against cus=N
//              (N: this device's CUs), each in a child process of its own
// Every figure is the best of BENCH_REPS runs after a warm-up run, and every
// result is checked against a host reference (check.c). MUSA runs are timed
// two ways: events recorded around the launch (device side: from the
// command processor reaching the launch to the last work-group done) and
// clock_gettime around launch + musaStreamSynchronize (host wall). The
// peers are timed with clock_gettime around starting the work + waiting for
// it (C loop: releasing the threads + the last one done; POCL:
// clEnqueueNDRangeKernel + clFinish). Ratios compare host wall with host
// wall, so both sides pay their submit and wake-up costs.
#include <musa_runtime.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define CHECK(x) do { musaError_t e_ = (x); if (e_ != musaSuccess) { \
	fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, musaGetErrorString(e_)); exit(1); } } while (0)

// Present only when the bench is linked with peer_ocl.c (OpenCL found).
extern "C" {
struct bench_ocl *bench_ocl_open(int nthreads, char *desc, size_t len) __attribute__((weak));
int bench_ocl_run(struct bench_ocl *o, enum bench_ocl_kernel k, double *wall_ms, double *dev_ms)
	__attribute__((weak));
int bench_ocl_check(struct bench_ocl *o, enum bench_ocl_kernel k) __attribute__((weak));
void bench_ocl_close(struct bench_ocl *o) __attribute__((weak));
int bench_ocl_burst(struct bench_ocl *o, int n, double *us_each) __attribute__((weak));
}

// `--csv FILE`: every row again, as comma-separated values.
static FILE *csv;

__global__ void empty_kernel(void) {}

__global__ void vadd(const float *a, const float *b, float *c, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		c[i] = a[i] + b[i];
}

#define TILE BENCH_MM_TILE
__global__ void sgemm_tiled(const float *A, const float *B, float *C, int n)
{
	__shared__ float As[TILE][TILE];
	__shared__ float Bs[TILE][TILE];
	int tx = threadIdx.x, ty = threadIdx.y;
	int row = blockIdx.y * TILE + ty, col = blockIdx.x * TILE + tx;
	float acc = 0.0f;
	for (int t = 0; t < n / TILE; t++) {
		As[ty][tx] = A[row * n + t * TILE + tx];
		Bs[ty][tx] = B[(t * TILE + ty) * n + col];
		__syncthreads();
		for (int k = 0; k < TILE; k++)
			acc += As[ty][k] * Bs[k][tx];
		__syncthreads();
	}
	C[row * n + col] = acc;
}

// reduce3 of the CUDA reduction sample: first add during the load, then a
// tree with sequential addressing.
#define RED_BLOCK BENCH_RED_BLOCK
__global__ void reduce(const float *in, float *out)
{
	__shared__ float s[RED_BLOCK];
	int tid = threadIdx.x;
	int i = blockIdx.x * (RED_BLOCK * 2) + tid;
	s[tid] = in[i] + in[i + RED_BLOCK];
	__syncthreads();
	for (int k = RED_BLOCK / 2; k > 0; k >>= 1) {
		if (tid < k)
			s[tid] += s[tid + k];
		__syncthreads();
	}
	if (tid == 0)
		out[blockIdx.x] = s[0];
}

// The same job as reduce, as reduce4 of the sample does it: the tree stops
// at one warp of values, which the first warp adds by shuffles.
__global__ void reduce_warp(const float *in, float *out)
{
	__shared__ float s[RED_BLOCK];
	int tid = threadIdx.x;
	int i = blockIdx.x * (RED_BLOCK * 2) + tid;
	float sum = in[i] + in[i + RED_BLOCK];
	s[tid] = sum;
	__syncthreads();
	for (int k = RED_BLOCK / 2; k >= warpSize; k >>= 1) {
		if (tid < k)
			s[tid] = sum = sum + s[tid + k];
		__syncthreads();
	}
	if (tid < warpSize)
		for (int off = warpSize / 2; off > 0; off /= 2)
			sum += __shfl_down_sync(0xffffffffu, sum, off);
	if (tid == 0)
		out[blockIdx.x] = sum;
}

// Best times of one benchmark: MUSA (events and host wall) and its peer
// (host wall and, for POCL, profiled); a peer time of 0: no peer.
struct timing {
	double ev_ms, wall_ms;
	double peer_wall_ms, peer_dev_ms;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static void keep_min(double *best, double v)
{
	if (v > 0 && (*best == 0 || v < *best))
		*best = v;
}

// Between runs: long enough for the threads of the side that just ran to
// stop spinning and sleep (libgomp's spin before it sleeps is the longest,
// a few ms), so that each run starts with the other side idle.
#define SETTLE_US 20000

// One warm-up of each side, then BENCH_REPS rounds of one MUSA run and one
// peer run, so load from elsewhere on a shared machine hits both alike.
// peer(&wall, &dev) returns 0, or -1 on failure (the bench stops); a null
// peer is skipped.
template <typename F, typename P> static struct timing time_pair(F launch, P peer)
{
	musaEvent_t e0, e1;
	struct timing t = { 0, 0, 0, 0 };
	double pw, pd;
	CHECK(musaEventCreate(&e0));
	CHECK(musaEventCreate(&e1));
	launch();
	CHECK(musaDeviceSynchronize());
	if (peer(&pw, &pd))
		exit(1);
	for (int rep = 0; rep < BENCH_REPS; rep++) {
		double t0 = now_ms();
		CHECK(musaEventRecord(e0, 0));
		launch();
		CHECK(musaEventRecord(e1, 0));
		CHECK(musaStreamSynchronize(0));
		double wall = now_ms() - t0;
		float ms;
		CHECK(musaGetLastError());
		CHECK(musaEventElapsedTime(&ms, e0, e1));
		keep_min(&t.ev_ms, ms);
		keep_min(&t.wall_ms, wall);
		usleep(SETTLE_US);
		if (peer(&pw, &pd))
			exit(1);
		keep_min(&t.peer_wall_ms, pw);
		keep_min(&t.peer_dev_ms, pd);
		usleep(SETTLE_US);
	}
	CHECK(musaEventDestroy(e0));
	CHECK(musaEventDestroy(e1));
	return t;
}

// The POCL peer of kernel k, or none when OpenCL is not there.
static auto ocl_peer(struct bench_ocl *o, enum bench_ocl_kernel k)
{
	return [o, k](double *wall, double *dev) {
		*wall = *dev = 0;
		return o ? bench_ocl_run(o, k, wall, dev) : 0;
	};
}

static void ocl_check(struct bench_ocl *o, enum bench_ocl_kernel k)
{
	if (o && bench_ocl_check(o, k))
		exit(1);
}

// A latency row: MUSA's and its peer's best times in microseconds (a peer
// time of 0: no peer).
struct lat {
	double musa_us, peer_us;
};

#define LAT_ROUNDS 3       // alternating rounds, each side's best counting
#define LAT_ITERS  2000    // launch + sync pairs per round
#define LAT_BURST  10000   // async launches per round

static double launch_sync_us(void)
{
	double t0 = now_ms();
	for (int i = 0; i < LAT_ITERS; i++) {
		empty_kernel<<<1, 1>>>();
		CHECK(musaStreamSynchronize(0));
	}
	return (now_ms() - t0) / LAT_ITERS * 1e3;
}

// From the first launch to the end of the synchronize, per launch.
static double async_us(void)
{
	double t0 = now_ms();
	for (int i = 0; i < LAT_BURST; i++)
		empty_kernel<<<1, 1>>>();
	CHECK(musaDeviceSynchronize());
	CHECK(musaGetLastError());
	return (now_ms() - t0) / LAT_BURST * 1e3;
}

// Rodinia gaussian's kernels: the multipliers of the rows below row t, then
// the update of those rows (and of b).
__global__ void gauss_fan1(const float *a, float *m, int n, int t)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i >= n - 1 - t)
		return;
	int r = i + t + 1;
	m[r * n + t] = a[r * n + t] / a[t * n + t];
}

// x runs along a row (contiguous columns), y over the rows below row t.
__global__ void gauss_fan2(float *a, float *b, const float *m, int n, int t)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = blockIdx.y * blockDim.y + threadIdx.y;
	if (y >= n - 1 - t || x >= n - t)
		return;
	int r = y + t + 1, c = x + t;
	a[r * n + c] -= m[r * n + t] * a[t * n + c];
	if (x == 0)
		b[r] -= m[r * n + t] * b[t];
}

static void gauss_fill(float *a, float *b, int n)
{
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++)
			a[i * n + j] = bench_gauss_a(i, j, n);
		b[i] = bench_gauss_b(i);
	}
}

// Both sides from the same system, each side's best of LAT_ROUNDS
// alternating runs (ms); their b must agree to a relative 1e-3.
static struct lat bench_gauss(int cus)
{
	const int n = BENCH_GAUSS_N;
	size_t abytes = (size_t)n * n * sizeof(float), bbytes = (size_t)n * sizeof(float);
	float *ha = (float *)malloc(abytes), *hb = (float *)malloc(bbytes);
	float *pa = (float *)malloc(abytes), *pb = (float *)malloc(bbytes), *pm = (float *)calloc((size_t)n * n, sizeof(float));
	float *a, *b, *m;
	struct lat l = { 0, 0 };
	if (!ha || !hb || !pa || !pb || !pm)
		exit(1);
	gauss_fill(ha, hb, n);
	CHECK(musaMalloc(&a, abytes));
	CHECK(musaMalloc(&b, bbytes));
	CHECK(musaMalloc(&m, abytes));
	CHECK(musaMemset(m, 0, abytes));
	for (int rep = 0; rep <= LAT_ROUNDS; rep++) {   // round 0: the warm-up
		CHECK(musaMemcpy(a, ha, abytes, musaMemcpyHostToDevice));
		CHECK(musaMemcpy(b, hb, bbytes, musaMemcpyHostToDevice));
		usleep(SETTLE_US);
		double t0 = now_ms();
		for (int t = 0; t < n - 1; t++) {
			gauss_fan1<<<(n - 1 - t + 255) / 256, 256>>>(a, m, n, t);
			gauss_fan2<<<dim3((n - t + 31) / 32, (n - 1 - t + 7) / 8), dim3(32, 8)>>>(a, b, m, n, t);
		}
		CHECK(musaDeviceSynchronize());
		CHECK(musaGetLastError());
		double ms = now_ms() - t0;
		gauss_fill(pa, pb, n);
		usleep(SETTLE_US);
		double pms = bench_omp_gauss_ms(pa, pb, pm, n, cus);
		if (rep) {
			keep_min(&l.musa_us, ms * 1e3);
			keep_min(&l.peer_us, pms * 1e3);
		}
	}
	CHECK(musaMemcpy(hb, b, bbytes, musaMemcpyDeviceToHost));
	for (int i = 0; i < n; i++)
		if (fabsf(hb[i] - pb[i]) > 1e-3f * (fabsf(pb[i]) + 1.0f)) {
			fprintf(stderr, "gaussian: b[%d] is %g on MUSA, %g with OpenMP\n", i, hb[i], pb[i]);
			exit(1);
		}
	CHECK(musaFree(a));
	CHECK(musaFree(b));
	CHECK(musaFree(m));
	free(ha); free(hb); free(pa); free(pb); free(pm);
	return l;
}

static struct lat bench_launch(int cus)
{
	struct lat l = { 0, 0 };
	empty_kernel<<<1, 1>>>();
	CHECK(musaDeviceSynchronize());
	bench_omp_forkjoin_us(cus, 10);
	for (int rep = 0; rep < LAT_ROUNDS; rep++) {
		usleep(SETTLE_US);
		keep_min(&l.musa_us, launch_sync_us());
		usleep(SETTLE_US);
		keep_min(&l.peer_us, bench_omp_forkjoin_us(cus, LAT_ITERS));
	}
	return l;
}

static struct lat bench_async(struct bench_ocl *o)
{
	struct lat l = { 0, 0 };
	double us;
	for (int rep = 0; rep < LAT_ROUNDS; rep++) {
		usleep(SETTLE_US);
		keep_min(&l.musa_us, async_us());
		usleep(SETTLE_US);
		if (o && bench_ocl_burst) {
			if (bench_ocl_burst(o, LAT_BURST, &us))
				exit(1);
			keep_min(&l.peer_us, us);
		}
	}
	return l;
}

static void lat_row(const char *name, struct lat l, const char *peer)
{
	const char *unit = "us";
	if (l.musa_us > 1e4) {         // long rows in milliseconds
		unit = "ms";
		l.musa_us *= 1e-3;
		l.peer_us *= 1e-3;
	}
	printf("%-14s %-4s %9.2f   %-7s", name, unit, l.musa_us, peer);
	if (l.peer_us > 0)
		printf(" %9.2f   %8.2fx\n", l.peer_us, l.musa_us / l.peer_us);
	else
		printf(" %9s   %9s\n", "-", "-");
	if (csv)
		fprintf(csv, "%s,%s,,%.3f,%s,%.3f,,%.4f\n", name, unit, l.musa_us, l.peer_us > 0 ? peer : "",
			l.peer_us, l.peer_us > 0 ? l.peer_us / l.musa_us : 0.0);
}

static float *device_copy(const float *h, size_t bytes)
{
	float *d;
	CHECK(musaMalloc(&d, bytes));
	if (h)
		CHECK(musaMemcpy(d, h, bytes, musaMemcpyHostToDevice));
	return d;
}

// vectorAdd against the C loop on the same host arrays, then against POCL.
static void bench_vadd(struct timing *cloop, struct timing *pocl, int threads,
		       struct bench_ocl *o)
{
	const int n = BENCH_VADD_N;
	size_t bytes = (size_t)n * sizeof(float);
	float *ha = (float *)malloc(bytes), *hb = (float *)malloc(bytes), *hc = (float *)calloc(n, sizeof(float));
	if (!ha || !hb || !hc)
		exit(1);
	for (int i = 0; i < n; i++) {
		ha[i] = bench_vadd_a(i);
		hb[i] = bench_vadd_b(i);
	}
	float *a = device_copy(ha, bytes), *b = device_copy(hb, bytes), *c = device_copy(NULL, bytes);
	struct bench_cloop *l = bench_cloop_open(ha, hb, hc, n, BENCH_VADD_BLOCK, threads);
	if (!l)
		exit(1);
	auto launch = [&] { vadd<<<(n + BENCH_VADD_BLOCK - 1) / BENCH_VADD_BLOCK, BENCH_VADD_BLOCK>>>(a, b, c, n); };
	*cloop = time_pair(launch, [l](double *wall, double *dev) {
		*wall = bench_cloop_run(l);
		*dev = 0;
		return 0;
	});
	bench_cloop_close(l);
	if (bench_check_vadd("C loop", hc, n))
		exit(1);
	*pocl = time_pair(launch, ocl_peer(o, BENCH_OCL_VADD));
	ocl_check(o, BENCH_OCL_VADD);
	CHECK(musaMemcpy(hc, c, bytes, musaMemcpyDeviceToHost));
	if (bench_check_vadd("MUSA", hc, n))
		exit(1);
	CHECK(musaFree(a));
	CHECK(musaFree(b));
	CHECK(musaFree(c));
	free(ha); free(hb); free(hc);
}

static struct timing bench_mm(struct bench_ocl *o)
{
	const int n = BENCH_MM_N;
	size_t bytes = (size_t)n * n * sizeof(float);
	float *hA = (float *)malloc(bytes), *hB = (float *)malloc(bytes), *hC = (float *)malloc(bytes);
	if (!hA || !hB || !hC)
		exit(1);
	for (int i = 0; i < n * n; i++) {
		hA[i] = bench_mm_a(i);
		hB[i] = bench_mm_b(i);
	}
	float *A = device_copy(hA, bytes), *B = device_copy(hB, bytes), *C = device_copy(NULL, bytes);
	dim3 block(TILE, TILE), grid(n / TILE, n / TILE);
	struct timing t = time_pair([&] { sgemm_tiled<<<grid, block>>>(A, B, C, n); },
				    ocl_peer(o, BENCH_OCL_MM));
	ocl_check(o, BENCH_OCL_MM);
	CHECK(musaMemcpy(hC, C, bytes, musaMemcpyDeviceToHost));
	if (bench_check_mm("MUSA", hA, hB, hC, n))
		exit(1);
	CHECK(musaFree(A));
	CHECK(musaFree(B));
	CHECK(musaFree(C));
	free(hA); free(hB); free(hC);
	return t;
}

// Either reduction kernel; the peer is POCL's tree reduction either way.
static struct timing bench_red(struct bench_ocl *o, bool warp)
{
	const int n = BENCH_RED_N, groups = n / (2 * RED_BLOCK);
	size_t bytes = (size_t)n * sizeof(float), pbytes = (size_t)groups * sizeof(float);
	float *hin = (float *)malloc(bytes), *hp = (float *)malloc(pbytes);
	if (!hin || !hp)
		exit(1);
	for (int i = 0; i < n; i++)
		hin[i] = bench_red_in(i);
	float *in = device_copy(hin, bytes), *p = device_copy(NULL, pbytes);
	struct timing t = time_pair([&] {
		if (warp)
			reduce_warp<<<groups, RED_BLOCK>>>(in, p);
		else
			reduce<<<groups, RED_BLOCK>>>(in, p);
	}, ocl_peer(o, BENCH_OCL_RED));
	ocl_check(o, BENCH_OCL_RED);
	CHECK(musaMemcpy(hp, p, pbytes, musaMemcpyDeviceToHost));
	if (bench_check_red("MUSA", hp, groups))
		exit(1);
	CHECK(musaFree(in));
	CHECK(musaFree(p));
	free(hin); free(hp);
	return t;
}

// Copies and fills against the OpenMP memcpy / memset on the same buffers.
enum copy_kind { COPY_H2D, COPY_D2H, COPY_H2D_PINNED, COPY_D2H_PINNED, COPY_D2D, COPY_FILL,
		 COPY_KINDS };
static const char *const copy_names[COPY_KINDS] = { "H2D", "D2H", "H2D pin", "D2H pin", "D2D",
						     "memset" };

static void bench_copies(struct timing *t, int threads)
{
	const size_t n = BENCH_COPY_BYTES;
	unsigned char *h = (unsigned char *)malloc(n), *pin, *d0, *d1;
	if (!h)
		exit(1);
	CHECK(musaMallocHost(&pin, n));
	CHECK(musaMalloc(&d0, n));
	CHECK(musaMalloc(&d1, n));
	for (size_t i = 0; i < n; i++)
		h[i] = pin[i] = (unsigned char)(i * 7 + 3);
	for (int k = 0; k < COPY_KINDS; k++) {
		unsigned char *dst, *src;
		musaMemcpyKind dir = musaMemcpyDeviceToDevice;
		switch (k) {
		case COPY_H2D: dst = d0; src = h; dir = musaMemcpyHostToDevice; break;
		case COPY_D2H: dst = h; src = d0; dir = musaMemcpyDeviceToHost; break;
		case COPY_H2D_PINNED: dst = d1; src = pin; dir = musaMemcpyHostToDevice; break;
		case COPY_D2H_PINNED: dst = pin; src = d1; dir = musaMemcpyDeviceToHost; break;
		case COPY_D2D: dst = d1; src = d0; break;
		default: dst = d1; src = NULL; break;
		}
		t[k] = time_pair([&] {
			if (src)
				CHECK(musaMemcpyAsync(dst, src, n, dir, 0));
			else
				CHECK(musaMemsetAsync(dst, 0x5a, n, 0));
		}, [&](double *wall, double *dev) {
			*wall = bench_omp_copy_ms(dst, src, n, threads);
			*dev = 0;
			return 0;
		});
		// The peer last wrote dst: clear it, run the MUSA side once more
		// and check what it wrote.
		CHECK(musaDeviceSynchronize());
		memset(dst, 0, n);
		if (src)
			CHECK(musaMemcpy(dst, src, n, dir));
		else
			CHECK(musaMemset(dst, 0x5a, n));
		for (size_t i = 0; i < n; i += 4093)
			if (dst[i] != (src ? src[i] : 0x5a)) {
				fprintf(stderr, "%s: byte %zu is %u\n", copy_names[k], i, dst[i]);
				exit(1);
			}
	}
	CHECK(musaFree(d0));
	CHECK(musaFree(d1));
	CHECK(musaFreeHost(pin));
	free(h);
}

// Scaling: the child (--scaling-child) prints its best vectorAdd and
// matrixMul wall times; the parent runs it at cus=1 and cus=N.
static auto no_peer = [](double *wall, double *dev) { *wall = *dev = 0; return 0; };

static int scaling_child(void)
{
	const int n = BENCH_VADD_N, m = BENCH_MM_N;
	size_t vb = (size_t)n * sizeof(float), mb = (size_t)m * m * sizeof(float);
	float *a, *b, *c, *A, *B, *C;
	CHECK(musaMalloc(&a, vb));
	CHECK(musaMalloc(&b, vb));
	CHECK(musaMalloc(&c, vb));
	CHECK(musaMalloc(&A, mb));
	CHECK(musaMalloc(&B, mb));
	CHECK(musaMalloc(&C, mb));
	CHECK(musaMemset(a, 0, vb));
	CHECK(musaMemset(b, 0, vb));
	CHECK(musaMemset(A, 0, mb));
	CHECK(musaMemset(B, 0, mb));
	dim3 block(TILE, TILE), grid(m / TILE, m / TILE);
	struct timing v = time_pair([&] {
		vadd<<<(n + BENCH_VADD_BLOCK - 1) / BENCH_VADD_BLOCK, BENCH_VADD_BLOCK>>>(a, b, c, n);
	}, no_peer);
	struct timing mm = time_pair([&] { sgemm_tiled<<<grid, block>>>(A, B, C, m); }, no_peer);
	printf("%.6f %.6f\n", v.wall_ms, mm.wall_ms);
	return 0;
}

// The C loop's own scaling on the same vectorAdd, 1 thread against n: how
// far the memory system lets a memory-bound loop scale on this machine.
static double cloop_vadd_ms(int threads)
{
	const int n = BENCH_VADD_N;
	float *a = (float *)calloc(n, sizeof(float)), *b = (float *)calloc(n, sizeof(float)),
	      *c = (float *)calloc(n, sizeof(float));
	struct bench_cloop *l = a && b && c ? bench_cloop_open(a, b, c, n, BENCH_VADD_BLOCK, threads) : NULL;
	double best = 0;
	if (!l)
		exit(1);
	for (int i = 0; i < n; i++) {
		a[i] = bench_vadd_a(i);
		b[i] = bench_vadd_b(i);
		c[i] = 1.0f;
	}
	bench_cloop_run(l);
	for (int rep = 0; rep < BENCH_REPS; rep++)
		keep_min(&best, bench_cloop_run(l));
	bench_cloop_close(l);
	free(a); free(b); free(c);
	return best;
}

// Runs this program again as a scaling child on `cus` compute units (the
// rest of MUSA_SWDEV kept); 0 with both times, or -1.
static int scaling_run(int cus, double *vadd_ms, double *mm_ms)
{
	char self[4096], cmd[8192];
	const char *spec = getenv("MUSA_SWDEV");
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return -1;
	self[len] = '\0';
	snprintf(cmd, sizeof(cmd), "MUSA_SWDEV='%s%scus=%d' '%s' --scaling-child", spec ? spec : "",
		 spec && *spec ? "," : "", cus, self);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	int got = fscanf(p, "%lf %lf", vadd_ms, mm_ms);
	return pclose(p) == 0 && got == 2 ? 0 : -1;
}

static void host_cpu(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	snprintf(buf, len, "unknown CPU");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(buf, len, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
}

// Rates from milliseconds: bytes moved or flops per run.
static double gbs(double bytes, double ms) { return bytes / (ms * 1e-3) / 1e9; }

static void row(const char *name, const char *unit, double work, struct timing m, const char *peer)
{
	printf("%-10s %-7s %9.2f %9.2f   %-7s", name, unit, gbs(work, m.ev_ms), gbs(work, m.wall_ms), peer);
	if (m.peer_wall_ms > 0) {
		printf(" %9.2f", gbs(work, m.peer_wall_ms));
		if (m.peer_dev_ms > 0)
			printf(" (%8.2f)", gbs(work, m.peer_dev_ms));
		else
			printf(" %10s", "");
		printf("   %5.2fx\n", m.peer_wall_ms / m.wall_ms);
	} else {
		printf(" %9s %10s   %6s\n", "-", "", "-");
	}
	if (csv)
		fprintf(csv, "%s,%s,%.3f,%.3f,%s,%.3f,%.3f,%.4f\n", name, unit, gbs(work, m.ev_ms),
			gbs(work, m.wall_ms), m.peer_wall_ms > 0 ? peer : "",
			m.peer_wall_ms > 0 ? gbs(work, m.peer_wall_ms) : 0.0,
			m.peer_dev_ms > 0 ? gbs(work, m.peer_dev_ms) : 0.0,
			m.peer_wall_ms > 0 ? m.peer_wall_ms / m.wall_ms : 0.0);
}

int main(int argc, char **argv)
{
	musaDeviceProp p;
	char cpu[128], ocl_desc[384];
	if (argc == 3 && !strcmp(argv[1], "--csv")) {
		if (!(csv = fopen(argv[2], "w"))) {
			perror(argv[2]);
			return 1;
		}
		fprintf(csv, "benchmark,unit,musa_events,musa_wall,peer,peer_wall,peer_profiled,"
			"speed_vs_peer\n");
	} else if (argc == 2 && !strcmp(argv[1], "--scaling-child")) {
		return scaling_child();
	} else if (argc != 1) {
		fprintf(stderr, "usage: musa-bench [--csv FILE]\n");
		return 2;
	}
	CHECK(musaGetDeviceProperties(&p, 0));
	host_cpu(cpu, sizeof(cpu));
	printf("device: %s, %d compute units, warp %d\n", p.name, p.multiProcessorCount, p.warpSize);
	printf("host:   %s, %ld cores online\n", cpu, sysconf(_SC_NPROCESSORS_ONLN));

	// OpenCL kernels are built here, before anything is timed.
	struct bench_ocl *o = NULL;
	if (!bench_ocl_open)
		printf("POCL:   skipped (bench built without OpenCL; see tools/bench-deps.sh)\n");
	else if ((o = bench_ocl_open(p.multiProcessorCount, ocl_desc, sizeof(ocl_desc))))
		printf("POCL:   %s\n", ocl_desc);
	else
		printf("POCL:   failed (reason above); POCL columns skipped\n");
	printf("best of %d runs after a warm-up, MUSA and peer runs alternating;\n"
	       "every result checked on the host\n\n", BENCH_REPS);

	struct lat launch_t = bench_launch(p.multiProcessorCount), async_t = bench_async(o);
	struct lat gauss_t = bench_gauss(p.multiProcessorCount);
	printf("%-14s %-4s %9s   %-7s %9s   %9s\n", "latency", "unit", "MUSA", "peer", "peer",
	       "MUSA/peer");
	lat_row("launch+sync", launch_t, "OpenMP");
	lat_row("async launch", async_t, "POCL");
	lat_row("gaussian", gauss_t, "OpenMP");
	printf("(times: lower is better; launch+sync: an empty <<<1,1>>> kernel + stream sync\n"
	       " against an empty omp parallel region of %d threads; async: %d launches, then\n"
	       " one sync, per launch, against as many POCL enqueues + clFinish; gaussian:\n"
	       " %dx%d, %d kernels, against the same two loops per row in OpenMP)\n\n",
	       p.multiProcessorCount, LAT_BURST, BENCH_GAUSS_N, BENCH_GAUSS_N, 2 * (BENCH_GAUSS_N - 1));

	struct timing vadd_c, vadd_ocl, mm_t, red_t, redw_t, copy_t[COPY_KINDS];
	bench_copies(copy_t, p.multiProcessorCount);
	bench_vadd(&vadd_c, &vadd_ocl, p.multiProcessorCount, o);
	mm_t = bench_mm(o);
	red_t = bench_red(o, false);
	redw_t = bench_red(o, true);
	if (o)
		bench_ocl_close(o);

	const double vadd_bytes = 3.0 * BENCH_VADD_N * sizeof(float);
	const double mm_flop = 2.0 * BENCH_MM_N * BENCH_MM_N * BENCH_MM_N;
	printf("%-10s %-7s %9s %9s   %-7s %9s %10s   %6s\n", "", "", "MUSA", "MUSA", "peer", "peer",
	       "peer", "MUSA/");
	printf("%-10s %-7s %9s %9s   %-7s %9s %10s   %6s\n", "benchmark", "unit", "events", "wall", "",
	       "wall", "(profiled)", "peer");
	row("vectorAdd", "GB/s", vadd_bytes, vadd_c, "C loop");
	row("matrixMul", "GFLOP/s", mm_flop, mm_t, "POCL");
	row("reduction", "GB/s", (double)BENCH_RED_N * sizeof(float), red_t, "POCL");
	row("red. warp", "GB/s", (double)BENCH_RED_N * sizeof(float), redw_t, "POCL");
	row("vectorAdd", "GB/s", vadd_bytes, vadd_ocl, "POCL");
	for (int k = 0; k < COPY_KINDS; k++)
		row(copy_names[k], "GB/s", (double)BENCH_COPY_BYTES, copy_t[k],
		    k == COPY_FILL ? "memset" : "memcpy");
	printf("\nsizes: vectorAdd %d floats (blocks of %d), matrixMul %dx%d (tiles %dx%d),\n"
	       "       reduction %d floats (groups of %d threads, 2 loads each; red. warp:\n"
	       "       the last warp's values added by shuffles)\n",
	       BENCH_VADD_N, BENCH_VADD_BLOCK, BENCH_MM_N, BENCH_MM_N, TILE, TILE, BENCH_RED_N, RED_BLOCK);
	printf("       copies %u MiB (musaMemcpyAsync / musaMemsetAsync on stream 0;\n"
	       "       \"pin\": musaMallocHost memory), against %d OpenMP threads\n"
	       "       each memcpy/memset-ing one slice of the same buffers\n",
	       BENCH_COPY_BYTES >> 20, p.multiProcessorCount);

	int ncu = p.multiProcessorCount;
	double v1, m1, vn, mn;
	if (ncu > 1 && !scaling_run(1, &v1, &m1) && !scaling_run(ncu, &vn, &mn)) {
		char hdr[16];
		snprintf(hdr, sizeof(hdr), "cus=%d", ncu);
		printf("\n%-10s %-7s %9s %9s   %6s\n", "scaling", "unit", "cus=1", hdr, "ratio");
		const double rates[2][2] = { { gbs(vadd_bytes, v1), gbs(vadd_bytes, vn) },
					     { gbs(mm_flop, m1), gbs(mm_flop, mn) } };
		const char *names[2] = { "vectorAdd", "matrixMul" }, *units[2] = { "GB/s", "GFLOP/s" };
		for (int i = 0; i < 2; i++) {
			printf("%-10s %-7s %9.2f %9.2f   %5.2fx\n", names[i], units[i], rates[i][0],
			       rates[i][1], rates[i][1] / rates[i][0]);
			if (csv)
				fprintf(csv, "%s %s,%s,,%.3f,%s,%.3f,,%.4f\n", names[i], hdr, units[i],
					rates[i][1], "cus=1", rates[i][0], rates[i][1] / rates[i][0]);
		}
		double c1 = cloop_vadd_ms(1), cn = cloop_vadd_ms(ncu);
		printf("%-10s %-7s %9.2f %9.2f   %5.2fx\n", "C loop", "GB/s", gbs(vadd_bytes, c1),
		       gbs(vadd_bytes, cn), c1 / cn);
		if (csv)
			fprintf(csv, "C loop vectorAdd threads=%d,GB/s,,%.3f,threads=1,%.3f,,%.4f\n", ncu,
				gbs(vadd_bytes, cn), gbs(vadd_bytes, c1), c1 / cn);
		printf("(host wall; MUSA rows each in a process of its own with MUSA_SWDEV cus=\n"
		       " set; C loop: the vectorAdd peer with 1 thread and with %d, for the\n"
		       " scaling the memory system allows a memory-bound loop)\n", ncu);
	} else if (ncu > 1) {
		printf("\nscaling: skipped (the child runs failed)\n");
	}
	if (csv && fclose(csv)) {
		perror("csv");
		return 1;
	}
	return 0;
}
