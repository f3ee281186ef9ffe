/* SPDX-License-Identifier: MIT */
/*
 * bench.h - what the MUSA benchmarks (bench.mu) and their peers share: the
 * problem sizes, the input data, and the peers' entry points. The peers are
 * plain C (peer_cloop.c: a hand-written pthread loop; peer_ocl.c: the same
 * kernels in OpenCL, run by POCL), so every side computes on identical
 * inputs with identical work-group shapes and the ratios compare like with
 * like.
 */
#ifndef MUSA_BENCH_H
#define MUSA_BENCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* vectorAdd: c = a + b over VADD_N floats, one thread per element. */
#define BENCH_VADD_N      (1 << 24)
#define BENCH_VADD_BLOCK  256
/* matrixMul: C = A * B, square MM_N floats, MM_TILE x MM_TILE work-groups
 * with one tile of A and one of B in shared/local memory. */
#define BENCH_MM_N        512
#define BENCH_MM_TILE     16
/* reduction: each work-group of RED_BLOCK threads loads 2 * RED_BLOCK
 * floats (first add during the load), tree-reduces them in shared memory
 * and writes one partial sum; the host adds the partials. */
#define BENCH_RED_N       (1 << 24)
#define BENCH_RED_BLOCK   256

/* Gaussian elimination without pivoting of a GAUSS_N x GAUSS_N system,
 * Rodinia's shape: per row t, one kernel (or parallel loop) computes the
 * multipliers of the rows below, a second one updates those rows: 2 (N - 1)
 * small kernels, each waiting for the one before. */
#define BENCH_GAUSS_N     1024
static inline float bench_gauss_a(int i, int j, int n)
{
	return i == j ? (float)n : (float)((i * 7 + j * 3) % 10) / 10.0f;
}
static inline float bench_gauss_b(int i) { return (float)(i % 5); }

/* Copies and fills: bytes per run. */
#define BENCH_COPY_BYTES  (64u << 20)

/* Timed repetitions after one untimed warm-up run, each side's best one
 * counting; the MUSA runs and the peer runs alternate. */
#define BENCH_REPS        7

/* Input data. Values are small integers (or k/13, k/11 for matrixMul), so
 * a partial sum of a reduction group is exact in float and the check can
 * demand equality. */
static inline float bench_vadd_a(int i) { return (float)(i % 1000); }
static inline float bench_vadd_b(int i) { return (float)((i * 3) % 777); }
static inline float bench_mm_a(int i) { return (float)((i * 7) % 13) / 13.0f; }
static inline float bench_mm_b(int i) { return (float)((i * 5) % 11) / 11.0f; }
static inline float bench_red_in(int i) { return (float)((i * 17) % 100); }

/* Checks: 0 when right, else prints what differs and returns -1. */
int bench_check_vadd(const char *who, const float *c, int n);
int bench_check_mm(const char *who, const float *A, const float *B, const float *C, int n);
int bench_check_red(const char *who, const float *partial, int groups);

/* The hand-written C loop: c[i] = a[i] + b[i] over n elements with nthreads
 * persistent pthreads, each taking the next block of `block` elements as a
 * compute unit takes the next work-group. open starts the threads (NULL
 * when it cannot); run does the whole vector once and returns the time in
 * ms from releasing the threads to all of them done. */
struct bench_cloop;
struct bench_cloop *bench_cloop_open(const float *a, const float *b, float *c, int n,
				     int block, int nthreads);
double bench_cloop_run(struct bench_cloop *l);
void bench_cloop_close(struct bench_cloop *l);

/* The OpenCL peer: the same three kernels on the same inputs. open builds
 * them on the first CPU device (at most nthreads threads through
 * POCL_MAX_PTHREAD_COUNT unless already set), creates and fills the
 * buffers, and describes the device in desc; NULL with the reason printed
 * when any of that fails. run enqueues one kernel and waits for it:
 * *wall_ms is clock_gettime around clEnqueueNDRangeKernel + clFinish,
 * *dev_ms the command's CL_PROFILING_COMMAND_START..END (0 if unknown).
 * check reads the kernel's output back and checks it. run and check return
 * 0 or -1. Defined only when the bench is linked with OpenCL (bench.mu
 * holds weak references). */
enum bench_ocl_kernel { BENCH_OCL_VADD, BENCH_OCL_MM, BENCH_OCL_RED, BENCH_OCL_KERNELS };
struct bench_ocl;
struct bench_ocl *bench_ocl_open(int nthreads, char *desc, size_t len);
int bench_ocl_run(struct bench_ocl *o, enum bench_ocl_kernel k, double *wall_ms, double *dev_ms);
int bench_ocl_check(struct bench_ocl *o, enum bench_ocl_kernel k);
void bench_ocl_close(struct bench_ocl *o);
/* n enqueues of an empty one-work-item kernel, then clFinish: the time
 * per enqueue in *us_each, from the first enqueue to the finish. */
int bench_ocl_burst(struct bench_ocl *o, int n, double *us_each);

/* The OpenMP peer (peer_omp.c): the mean time of `iters` empty `parallel`
 * regions of nthreads threads, in microseconds. */
double bench_omp_forkjoin_us(int nthreads, int iters);
/* The Gaussian elimination on a (n x n, row-major), b and the multipliers
 * m (n x n) with nthreads threads, two parallel loops per row; returns the
 * time in ms. */
double bench_omp_gauss_ms(float *a, float *b, float *m, int n, int nthreads);

/* A copy (src non-NULL) or a fill with 0x5a (src NULL) of `bytes` by
 * nthreads OpenMP threads, one slice each; the time in ms. */
double bench_omp_copy_ms(void *dst, const void *src, size_t bytes, int nthreads);

#ifdef __cplusplus
}
#endif

#endif
