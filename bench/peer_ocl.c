/* SPDX-License-Identifier: MIT */
/*
 * peer_ocl.c - the OpenCL peer: vectorAdd, the tiled matrixMul and the
 * tree reduction of bench.mu written as OpenCL C kernels with the same
 * work-group shapes (__local tiles and barrier() where the MUSA kernels
 * use __shared__ and __syncthreads()), run through the ICD loader on the
 * first CPU device found (POCL's pthread device on Debian).
 *
 * Kernels are built and buffers filled once, in bench_ocl_open, outside any
 * timing; the bench then runs each kernel once untimed (POCL specializes
 * the work-group function for the local size at the first enqueue) and
 * BENCH_REPS timed runs, alternating with the MUSA runs. Every result is
 * read back and checked against the host reference.
 */
#define _GNU_SOURCE
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char ocl_src[] =
"#define TILE " STR(BENCH_MM_TILE) "\n"
"#define RED_BLOCK " STR(BENCH_RED_BLOCK) "\n"
"__kernel void empty(void)\n"
"{\n"
"}\n"
"__kernel void vadd(__global const float *a, __global const float *b,\n"
"		   __global float *c, int n)\n"
"{\n"
"	int i = get_global_id(0);\n"
"	if (i < n)\n"
"		c[i] = a[i] + b[i];\n"
"}\n"
"__kernel void sgemm_tiled(__global const float *A, __global const float *B,\n"
"			  __global float *C, int n)\n"
"{\n"
"	__local float As[TILE][TILE];\n"
"	__local float Bs[TILE][TILE];\n"
"	int tx = get_local_id(0), ty = get_local_id(1);\n"
"	int row = get_group_id(1) * TILE + ty, col = get_group_id(0) * TILE + tx;\n"
"	float acc = 0.0f;\n"
"	for (int t = 0; t < n / TILE; t++) {\n"
"		As[ty][tx] = A[row * n + t * TILE + tx];\n"
"		Bs[ty][tx] = B[(t * TILE + ty) * n + col];\n"
"		barrier(CLK_LOCAL_MEM_FENCE);\n"
"		for (int k = 0; k < TILE; k++)\n"
"			acc += As[ty][k] * Bs[k][tx];\n"
"		barrier(CLK_LOCAL_MEM_FENCE);\n"
"	}\n"
"	C[row * n + col] = acc;\n"
"}\n"
"__kernel void reduce(__global const float *in, __global float *out)\n"
"{\n"
"	__local float s[RED_BLOCK];\n"
"	int tid = get_local_id(0);\n"
"	int i = get_group_id(0) * (RED_BLOCK * 2) + tid;\n"
"	s[tid] = in[i] + in[i + RED_BLOCK];\n"
"	barrier(CLK_LOCAL_MEM_FENCE);\n"
"	for (int k = RED_BLOCK / 2; k > 0; k >>= 1) {\n"
"		if (tid < k)\n"
"			s[tid] += s[tid + k];\n"
"		barrier(CLK_LOCAL_MEM_FENCE);\n"
"	}\n"
"	if (tid == 0)\n"
"		out[get_group_id(0)] = s[0];\n"
"}\n";

/* One kernel: its buffers (inputs filled at open), its launch shape and
 * the host copies its check needs. */
struct ocl_job {
	const char *name;
	cl_kernel k;
	cl_mem in[2], out;
	float *host[2];                /* inputs, kept for the check */
	size_t out_bytes;
	cl_uint dims;
	size_t global[2], local[2];
};

struct bench_ocl {
	cl_context ctx;
	cl_command_queue q;
	cl_program prog;
	cl_device_id dev;
	struct ocl_job job[BENCH_OCL_KERNELS];
	cl_kernel empty;               /* one work-item, no arguments */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

/* The first CPU device of any platform. */
static int ocl_pick_device(cl_device_id *dev)
{
	cl_platform_id plats[8];
	cl_uint np = 0;

	if (clGetPlatformIDs(8, plats, &np) != CL_SUCCESS || np == 0) {
		fprintf(stderr, "OpenCL: no platform (is pocl-opencl-icd installed?)\n");
		return -1;
	}
	for (cl_uint i = 0; i < np && i < 8; i++) {
		cl_uint nd = 0;

		if (clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_CPU, 1, dev, &nd) == CL_SUCCESS && nd)
			return 0;
	}
	fprintf(stderr, "OpenCL: no CPU device\n");
	return -1;
}

/* An input buffer filled from f(i), i < n; the host copy stays in *host. */
static cl_mem ocl_input(struct bench_ocl *o, float (*f)(int), size_t n, float **host)
{
	cl_int err;
	cl_mem m;

	*host = malloc(n * sizeof(float));
	if (!*host)
		return NULL;
	for (size_t i = 0; i < n; i++)
		(*host)[i] = f((int)i);
	m = clCreateBuffer(o->ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * sizeof(float),
			   *host, &err);
	return err == CL_SUCCESS ? m : NULL;
}

/* Kernel, buffers and arguments of one job: (in0, [in1,] out[, n]), with
 * f1 NULL for a single input and n 0 for no size argument. */
static int ocl_job_init(struct bench_ocl *o, struct ocl_job *j, const char *name,
			float (*f0)(int), float (*f1)(int), size_t in_n, size_t out_n, int n)
{
	cl_int err;
	cl_uint arg = 0;

	j->name = name;
	j->k = clCreateKernel(o->prog, name, &err);
	if (err != CL_SUCCESS)
		return -1;
	j->in[0] = ocl_input(o, f0, in_n, &j->host[0]);
	if (!j->in[0])
		return -1;
	if (f1) {
		j->in[1] = ocl_input(o, f1, in_n, &j->host[1]);
		if (!j->in[1])
			return -1;
	}
	j->out_bytes = out_n * sizeof(float);
	j->out = clCreateBuffer(o->ctx, CL_MEM_WRITE_ONLY, j->out_bytes, NULL, &err);
	if (err != CL_SUCCESS)
		return -1;
	err = clSetKernelArg(j->k, arg++, sizeof(cl_mem), &j->in[0]);
	if (f1)
		err |= clSetKernelArg(j->k, arg++, sizeof(cl_mem), &j->in[1]);
	err |= clSetKernelArg(j->k, arg++, sizeof(cl_mem), &j->out);
	if (n)
		err |= clSetKernelArg(j->k, arg++, sizeof(n), &n);
	return err == CL_SUCCESS ? 0 : -1;
}

static int ocl_jobs_init(struct bench_ocl *o)
{
	const size_t vn = BENCH_VADD_N, mn = (size_t)BENCH_MM_N * BENCH_MM_N;
	const size_t groups = BENCH_RED_N / (2 * BENCH_RED_BLOCK);
	struct ocl_job *v = &o->job[BENCH_OCL_VADD], *m = &o->job[BENCH_OCL_MM];
	struct ocl_job *r = &o->job[BENCH_OCL_RED];

	if (ocl_job_init(o, v, "vadd", bench_vadd_a, bench_vadd_b, vn, vn, BENCH_VADD_N) ||
	    ocl_job_init(o, m, "sgemm_tiled", bench_mm_a, bench_mm_b, mn, mn, BENCH_MM_N) ||
	    ocl_job_init(o, r, "reduce", bench_red_in, NULL, BENCH_RED_N, groups, 0))
		return -1;
	v->dims = 1;
	v->global[0] = (vn + BENCH_VADD_BLOCK - 1) / BENCH_VADD_BLOCK * BENCH_VADD_BLOCK;
	v->local[0] = BENCH_VADD_BLOCK;
	m->dims = 2;
	m->global[0] = m->global[1] = BENCH_MM_N;
	m->local[0] = m->local[1] = BENCH_MM_TILE;
	r->dims = 1;
	r->global[0] = groups * BENCH_RED_BLOCK;
	r->local[0] = BENCH_RED_BLOCK;
	return 0;
}

struct bench_ocl *bench_ocl_open(int nthreads, char *desc, size_t len)
{
	struct bench_ocl *o = calloc(1, sizeof(*o));
	const char *src = ocl_src;
	char nthr[16], name[128] = "", version[128] = "";
	cl_int err;

	if (!o)
		return NULL;
	/* POCL's pthread device reads this when the platform is first
	 * queried: as many threads as compute units. */
	snprintf(nthr, sizeof(nthr), "%d", nthreads);
	setenv("POCL_MAX_PTHREAD_COUNT", nthr, 0);
	if (ocl_pick_device(&o->dev))
		goto err;
	clGetDeviceInfo(o->dev, CL_DEVICE_NAME, sizeof(name) - 1, name, NULL);
	clGetDeviceInfo(o->dev, CL_DEVICE_VERSION, sizeof(version) - 1, version, NULL);
	snprintf(desc, len, "%s, %s, POCL_MAX_PTHREAD_COUNT=%s", name, version,
		 getenv("POCL_MAX_PTHREAD_COUNT"));
	o->ctx = clCreateContext(NULL, 1, &o->dev, NULL, NULL, &err);
	if (err != CL_SUCCESS)
		goto err_cl;
	o->q = clCreateCommandQueue(o->ctx, o->dev, CL_QUEUE_PROFILING_ENABLE, &err);
	if (err != CL_SUCCESS)
		goto err_cl;
	o->prog = clCreateProgramWithSource(o->ctx, 1, &src, NULL, &err);
	if (err != CL_SUCCESS)
		goto err_cl;
	if (clBuildProgram(o->prog, 1, &o->dev, "-cl-std=CL1.2", NULL, NULL) != CL_SUCCESS) {
		char log[4096] = "";

		clGetProgramBuildInfo(o->prog, o->dev, CL_PROGRAM_BUILD_LOG, sizeof(log) - 1, log,
				      NULL);
		fprintf(stderr, "OpenCL: build failed:\n%s\n", log);
		goto err;
	}
	if (ocl_jobs_init(o))
		goto err_cl;
	o->empty = clCreateKernel(o->prog, "empty", &err);
	if (err != CL_SUCCESS)
		goto err_cl;
	return o;
err_cl:
	fprintf(stderr, "OpenCL: set-up failed\n");
err:
	bench_ocl_close(o);
	return NULL;
}

int bench_ocl_run(struct bench_ocl *o, enum bench_ocl_kernel k, double *wall_ms, double *dev_ms)
{
	struct ocl_job *j = &o->job[k];
	cl_ulong start = 0, end = 0;
	cl_event ev;
	double t0 = now_ms();

	if (clEnqueueNDRangeKernel(o->q, j->k, j->dims, NULL, j->global, j->local, 0, NULL, &ev) !=
	    CL_SUCCESS)
		goto fail;
	if (clFinish(o->q) != CL_SUCCESS) {
		clReleaseEvent(ev);
		goto fail;
	}
	*wall_ms = now_ms() - t0;
	*dev_ms = 0;
	if (clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof(start), &start, NULL) ==
	    CL_SUCCESS &&
	    clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof(end), &end, NULL) ==
	    CL_SUCCESS && end > start)
		*dev_ms = (double)(end - start) * 1e-6;
	clReleaseEvent(ev);
	return 0;
fail:
	fprintf(stderr, "OpenCL: %s failed to run\n", j->name);
	return -1;
}

int bench_ocl_burst(struct bench_ocl *o, int n, double *us_each)
{
	const size_t one = 1;
	double t0 = now_ms();

	for (int i = 0; i < n; i++)
		if (clEnqueueNDRangeKernel(o->q, o->empty, 1, NULL, &one, &one, 0, NULL, NULL) !=
		    CL_SUCCESS) {
			fprintf(stderr, "OpenCL: the empty kernel failed to enqueue\n");
			return -1;
		}
	if (clFinish(o->q) != CL_SUCCESS)
		return -1;
	*us_each = (now_ms() - t0) * 1e3 / n;
	return 0;
}

int bench_ocl_check(struct bench_ocl *o, enum bench_ocl_kernel k)
{
	struct ocl_job *j = &o->job[k];
	float *out = malloc(j->out_bytes);
	int rc = -1;

	if (!out)
		return -1;
	if (clEnqueueReadBuffer(o->q, j->out, CL_TRUE, 0, j->out_bytes, out, 0, NULL, NULL) !=
	    CL_SUCCESS) {
		fprintf(stderr, "OpenCL: reading the result of %s failed\n", j->name);
	} else if (k == BENCH_OCL_VADD) {
		rc = bench_check_vadd("POCL", out, BENCH_VADD_N);
	} else if (k == BENCH_OCL_MM) {
		rc = bench_check_mm("POCL", j->host[0], j->host[1], out, BENCH_MM_N);
	} else {
		rc = bench_check_red("POCL", out, (int)(j->out_bytes / sizeof(float)));
	}
	free(out);
	return rc;
}

void bench_ocl_close(struct bench_ocl *o)
{
	for (int i = 0; i < BENCH_OCL_KERNELS; i++) {
		struct ocl_job *j = &o->job[i];

		if (j->k)
			clReleaseKernel(j->k);
		for (int b = 0; b < 2; b++) {
			if (j->in[b])
				clReleaseMemObject(j->in[b]);
			free(j->host[b]);
		}
		if (j->out)
			clReleaseMemObject(j->out);
	}
	if (o->empty)
		clReleaseKernel(o->empty);
	if (o->prog)
		clReleaseProgram(o->prog);
	if (o->q)
		clReleaseCommandQueue(o->q);
	if (o->ctx)
		clReleaseContext(o->ctx);
	free(o);
}
