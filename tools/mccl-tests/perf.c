/* SPDX-License-Identifier: MIT */
/*
 * perf.c - mccl-tests: all_reduce_perf, all_gather_perf, broadcast_perf,
 * reduce_scatter_perf and sendrecv_perf (one source, MCCL_PERF_OP picks
 * the operation), with nccl-tests' options and columns: sizes from -b to
 * -e by factor -f, -g devices in this process (one rank each), -n timed
 * and -w warm-up iterations, -c 1 to check results, -d type, -o op, -r
 * root. Each size runs out of place and in place; time is the average per
 * iteration, algbw bytes / time, busbw algbw times the operation's factor
 * (2(n-1)/n for all-reduce, (n-1)/n for all-gather and reduce-scatter, 1
 * otherwise), #wrong the elements a check found wrong.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mccl.h"
#ifdef MCCL_PERF_MPI
#include <mpi.h>
#endif

enum { OP_ALLREDUCE, OP_ALLGATHER, OP_BROADCAST, OP_REDUCESCATTER, OP_SENDRECV };

#ifndef MCCL_PERF_OP
#define MCCL_PERF_OP OP_ALLREDUCE
#endif

#define MAXDEV 64

static const char *const type_names[] = { "int8", "uint8", "int32", "uint32", "int64", "uint64",
					  "half", "float", "double", "bfloat16" };
static const char *const op_names[] = { "sum", "prod", "max", "min", "avg" };

static size_t type_size(int t)
{
	static const size_t s[] = { 1, 1, 4, 4, 8, 8, 2, 4, 8, 2 };

	return s[t];
}

/* "1K", "256M", "8" -> bytes */
static int parse_size(const char *s, size_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': v *= 1024; end++; break;
	case 'M': v *= 1024 * 1024; end++; break;
	case 'G': v *= 1024.0 * 1024 * 1024; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define CHECK_MCCL(call)                                                              \
	do {                                                                          \
		mcclResult_t r_ = (call);                                             \
		if (r_ != mcclSuccess) {                                              \
			fprintf(stderr, "%s: %s (%s)\n", #call, mcclGetErrorString(r_),      \
				mcclGetLastError(NULL));                                      \
			exit(1);                                                      \
		}                                                                     \
	} while (0)
#define CHECK_MUSA(call)                                                              \
	do {                                                                          \
		musaError_t e_ = (call);                                              \
		if (e_ != musaSuccess) {                                              \
			fprintf(stderr, "%s: %s\n", #call, musaGetErrorString(e_));          \
			exit(1);                                                      \
		}                                                                     \
	} while (0)

struct bench {
	int n, type, op, root;
	int nlocal, base;          /* ranks in this process: base .. base + nlocal - 1 */
	int dev[MAXDEV];
	mcclComm_t comm[MAXDEV];
	musaStream_t st[MAXDEV];
	void *send[MAXDEV], *recv[MAXDEV];
	size_t cap;       /* bytes of each buffer */
};

/* Element counts of a size in bytes: what each rank sends and receives. */
static void counts(const struct bench *b, size_t bytes, size_t *count, size_t *sendc,
		   size_t *recvc)
{
	size_t e = bytes / type_size(b->type);

	switch (MCCL_PERF_OP) {
	case OP_ALLGATHER:
		*count = e / (size_t)b->n;
		*sendc = *count;
		*recvc = *count * (size_t)b->n;
		break;
	case OP_REDUCESCATTER:
		*count = e / (size_t)b->n;
		*sendc = *count * (size_t)b->n;
		*recvc = *count;
		break;
	default:
		*count = *sendc = *recvc = e;
		break;
	}
}

static void run_once(struct bench *b, size_t count, int in_place)
{
	CHECK_MCCL(mcclGroupStart());
	for (int i = 0; i < b->nlocal; i++) {
		int g = b->base + i;
		void *recv = b->recv[i];
		const void *send = b->send[i];

		if (in_place) {
			recv = b->send[i];
			if (MCCL_PERF_OP == OP_ALLGATHER)
				send = (char *)b->send[i] + (size_t)g * count * type_size(b->type);
			else if (MCCL_PERF_OP == OP_REDUCESCATTER)
				recv = (char *)b->send[i] + (size_t)g * count * type_size(b->type);
		}
		switch (MCCL_PERF_OP) {
		case OP_ALLREDUCE:
			CHECK_MCCL(mcclAllReduce(send, recv, count, b->type, b->op, b->comm[i], b->st[i]));
			break;
		case OP_ALLGATHER:
			CHECK_MCCL(mcclAllGather(send, recv, count, b->type, b->comm[i], b->st[i]));
			break;
		case OP_BROADCAST:
			CHECK_MCCL(mcclBroadcast(send, recv, count, b->type, b->root, b->comm[i], b->st[i]));
			break;
		case OP_REDUCESCATTER:
			CHECK_MCCL(mcclReduceScatter(send, recv, count, b->type, b->op, b->comm[i], b->st[i]));
			break;
		case OP_SENDRECV:
			CHECK_MCCL(mcclSend(send, count, b->type, (g + 1) % b->n, b->comm[i], b->st[i]));
			CHECK_MCCL(mcclRecv(recv, count, b->type, (g + b->n - 1) % b->n, b->comm[i],
				    b->st[i]));
			break;
		}
	}
	CHECK_MCCL(mcclGroupEnd());
}

static void sync_all(struct bench *b)
{
	for (int i = 0; i < b->nlocal; i++) {
		CHECK_MUSA(musaSetDevice(b->dev[i]));
		CHECK_MUSA(musaStreamSynchronize(b->st[i]));
	}
}

/* Fills rank i's send buffer with small integers (i + k) % 4 + 1, exact in
 * every type; an in-place all-gather's at rank i's block (of `count`). */
static void fill(struct bench *b, size_t elems, size_t count, int in_place)
{
	unsigned char *h = malloc(elems * type_size(b->type) + 1);

	for (int i = 0; i < b->nlocal; i++) {
		int g = b->base + i;

		for (size_t k = 0; k < elems; k++) {
			double v = (double)((g + (int)(k % 4)) % 4 + 1);
			unsigned char *p = h + k * type_size(b->type);

			switch (b->type) {
			case mcclInt8: case mcclUint8: *p = (unsigned char)v; break;
			case mcclInt32: case mcclUint32: { int32_t x = (int32_t)v; memcpy(p, &x, 4); break; }
			case mcclInt64: case mcclUint64: { int64_t x = (int64_t)v; memcpy(p, &x, 8); break; }
			case mcclFloat32: { float x = (float)v; memcpy(p, &x, 4); break; }
			case mcclFloat64: memcpy(p, &v, 8); break;
			case mcclFloat16: {
				/* 1..4 in half: exponent 15 or 16, mantissa bits */
				static const uint16_t hv[] = { 0, 0x3c00, 0x4000, 0x4200, 0x4400 };
				memcpy(p, &hv[(int)v], 2);
				break;
			}
			case mcclBfloat16: {
				float x = (float)v;
				uint32_t u;

				memcpy(&u, &x, 4);
				u >>= 16;
				memcpy(p, &u, 2);
				break;
			}
			}
		}
		CHECK_MUSA(musaSetDevice(b->dev[i]));
		CHECK_MUSA(musaMemcpy((char *)b->send[i] + (in_place && MCCL_PERF_OP == OP_ALLGATHER ?
						     (size_t)g * count * type_size(b->type) : 0),
			       h, elems * type_size(b->type), musaMemcpyHostToDevice));
	}
	free(h);
}

static double elem(const struct bench *b, const unsigned char *p)
{
	switch (b->type) {
	case mcclInt8: return (int8_t)*p;
	case mcclUint8: return *p;
	case mcclInt32: { int32_t x; memcpy(&x, p, 4); return x; }
	case mcclUint32: { uint32_t x; memcpy(&x, p, 4); return x; }
	case mcclInt64: { int64_t x; memcpy(&x, p, 8); return (double)x; }
	case mcclUint64: { uint64_t x; memcpy(&x, p, 8); return (double)x; }
	case mcclFloat32: { float x; memcpy(&x, p, 4); return x; }
	case mcclFloat64: { double x; memcpy(&x, p, 8); return x; }
	case mcclBfloat16: { uint32_t u = 0; float x; memcpy(&u, p, 2); u <<= 16; memcpy(&x, &u, 4); return x; }
	default: {
		uint16_t hbits;
		int e, m;

		memcpy(&hbits, p, 2);
		e = (hbits >> 10) & 0x1f;
		m = hbits & 0x3ff;
		return e ? ldexp(1.0 + m / 1024.0, e - 15) * (hbits & 0x8000 ? -1 : 1) : 0;
	}
	}
}

static double input(int rank, size_t k)
{
	return (double)((rank + (int)(k % 4)) % 4 + 1);
}

/* The elements of rank i's result that are wrong. */
static long long check(struct bench *b, size_t count, size_t recvc, int in_place)
{
	long long wrong = 0;
	unsigned char *h = malloc(recvc * type_size(b->type) + 1);

	for (int li = 0; li < b->nlocal; li++) {
		int i = b->base + li;
		const void *res = in_place ? b->send[li] : b->recv[li];

		if (in_place && MCCL_PERF_OP == OP_REDUCESCATTER)
			res = (char *)b->send[li] + (size_t)i * count * type_size(b->type);
		CHECK_MUSA(musaSetDevice(b->dev[li]));
		CHECK_MUSA(musaMemcpy(h, res, recvc * type_size(b->type), musaMemcpyDeviceToHost));
		for (size_t k = 0; k < recvc; k++) {
			double want = 0, got = elem(b, h + k * type_size(b->type));

			switch (MCCL_PERF_OP) {
			case OP_ALLREDUCE:
			case OP_REDUCESCATTER: {
				size_t kk = MCCL_PERF_OP == OP_REDUCESCATTER ? (size_t)i * count + k : k;

				want = b->op == mcclProd ? 1 : b->op == mcclMax ? -1e300 :
				       b->op == mcclMin ? 1e300 : 0;
				for (int q = 0; q < b->n; q++) {
					double v = input(q, kk);

					want = b->op == mcclProd ? want * v : b->op == mcclMax ?
					       (v > want ? v : want) : b->op == mcclMin ?
					       (v < want ? v : want) : want + v;
				}
				if (b->op == mcclAvg)
					want = b->type <= mcclUint64 ? floor(want / b->n) : want / b->n;
				break;
			}
			case OP_ALLGATHER:
				want = input((int)(k / count), k % count);
				break;
			case OP_BROADCAST:
				want = input(b->root, k);
				break;
			case OP_SENDRECV:
				want = input((i + b->n - 1) % b->n, k);
				break;
			}
			if (fabs(got - want) > 1e-3 * fabs(want))
				wrong++;
		}
	}
	free(h);
	return wrong;
}

static double busbw_factor(int n)
{
	switch (MCCL_PERF_OP) {
	case OP_ALLREDUCE: return 2.0 * (n - 1) / n;
	case OP_ALLGATHER:
	case OP_REDUCESCATTER: return (double)(n - 1) / n;
	default: return 1;
	}
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-b minbytes] [-e maxbytes] [-f stepfactor] [-g ndevices] "
		"[-n iters] [-w warmup] [-c 0|1] [-d type] [-o op] [-r root]\n"
		"types: int8 uint8 int32 uint32 int64 uint64 half float double bfloat16\n"
		"ops: sum prod max min avg\n", prog);
	exit(2);
}

#ifdef MCCL_PERF_MPI
/* The peer: MPI_Allreduce on the same buffers (types and ops MPI has). */
static MPI_Datatype mpi_type(int t)
{
	static const MPI_Datatype m[] = { MPI_INT8_T, MPI_UINT8_T, MPI_INT32_T, MPI_UINT32_T,
					  MPI_INT64_T, MPI_UINT64_T, MPI_DATATYPE_NULL, MPI_FLOAT,
					  MPI_DOUBLE, MPI_DATATYPE_NULL };

	return m[t];
}

static MPI_Op mpi_op(int op)
{
	static const MPI_Op m[] = { MPI_SUM, MPI_PROD, MPI_MAX, MPI_MIN, MPI_OP_NULL };

	return m[op];
}

static double mpi_peer(struct bench *b, size_t count, int in_place, int iters, int warmup)
{
	double t0;

	if (MCCL_PERF_OP != OP_ALLREDUCE || mpi_type(b->type) == MPI_DATATYPE_NULL ||
	    mpi_op(b->op) == MPI_OP_NULL)
		return -1;
	for (int k = 0; k < warmup + iters; k++) {
		if (k == warmup) {
			MPI_Barrier(MPI_COMM_WORLD);
			t0 = now();
		}
		MPI_Allreduce(in_place ? MPI_IN_PLACE : b->send[0], in_place ? b->send[0] : b->recv[0],
			      (int)count, mpi_type(b->type), mpi_op(b->op), MPI_COMM_WORLD);
	}
	t0 = (now() - t0) * 1e6 / iters;
	MPI_Allreduce(MPI_IN_PLACE, &t0, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
	return t0;
}
#endif

struct options {
	size_t min_bytes, max_bytes, step;
	int iterations, warmup, check;
	int me, world;             /* this process's MPI rank and the job's size */
};

static void parse_options(int argc, char **argv, struct bench *b, struct options *o)
{
	int opt;

	while ((opt = getopt(argc, argv, "b:e:f:g:n:w:c:d:o:r:h")) != -1) {
		switch (opt) {
		case 'b': if (parse_size(optarg, &o->min_bytes)) usage(argv[0]); break;
		case 'e': if (parse_size(optarg, &o->max_bytes)) usage(argv[0]); break;
		case 'f': o->step = strtoul(optarg, NULL, 10); if (o->step < 2) usage(argv[0]); break;
		case 'g': b->n = atoi(optarg); break;
		case 'n': o->iterations = atoi(optarg); break;
		case 'w': o->warmup = atoi(optarg); break;
		case 'c': o->check = atoi(optarg); break;
		case 'd': b->type = lookup(optarg, type_names, 10); break;
		case 'o': b->op = lookup(optarg, op_names, 5); break;
		case 'r': b->root = atoi(optarg); break;
		default: usage(argv[0]);
		}
	}
}

#ifdef MCCL_PERF_MPI
/* One rank per process, on the process's first device. */
static void init_ranks(struct bench *b, const struct options *o, const char *prog, int level)
{
	mcclUniqueId id;

	b->n = o->world;
	b->base = o->me;
	b->nlocal = 1;
	b->dev[0] = 0;
	if (b->type < 0 || b->op < 0 || o->iterations < 1 || o->warmup < 0 ||
	    o->min_bytes > o->max_bytes || b->root < 0 || b->root >= b->n || o->world > MAXDEV)
		usage(prog);
	if (level != MPI_THREAD_MULTIPLE) {
		fprintf(stderr, "%s: MPI has no MPI_THREAD_MULTIPLE\n", prog);
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	if (o->me == 0)
		CHECK_MCCL(mcclGetUniqueId(&id));
	MPI_Bcast(&id, sizeof(id), MPI_BYTE, 0, MPI_COMM_WORLD);
	CHECK_MUSA(musaSetDevice(0));
	CHECK_MCCL(mcclCommInitRank(&b->comm[0], o->world, id, o->me));
}
#else
/* Every rank in this process, rank i on device i. */
static void init_ranks(struct bench *b, const struct options *o, const char *prog, int ndev)
{
	b->nlocal = b->n;
	for (int i = 0; i < b->n && i < MAXDEV; i++)
		b->dev[i] = i;
	if (b->n < 1 || b->n > ndev || b->n > MAXDEV || b->type < 0 || b->op < 0 ||
	    o->iterations < 1 || o->warmup < 0 || o->min_bytes > o->max_bytes || b->root < 0 ||
	    b->root >= b->n) {
		fprintf(stderr, "%s: bad option (-g %d with %d devices; MUSA_SWDEV=count=N gives "
			"more)\n", prog, b->n, ndev);
		usage(prog);
	}
	CHECK_MCCL(mcclCommInitAll(b->comm, b->n, NULL));
}
#endif

static void print_header(const struct bench *b, const struct options *o, const char *prog)
{
	const char *tp = getenv("MCCL_TRANSPORT");

	printf("# %s: %d ranks, %d in this process, transport %s, %s, %s, %d iterations "
	       "(%d warm-up)\n", prog, b->n, b->nlocal, tp && *tp ? tp : "auto",
	       type_names[b->type], op_names[b->op], o->iterations, o->warmup);
	printf("#\n#                                                     out-of-place"
	       "                       in-place%s\n",
#ifdef MCCL_PERF_MPI
	       MCCL_PERF_OP == OP_ALLREDUCE ? "                        MPI_Allreduce (peer)" :
#endif
	       "");
	printf("#       size         count      type   redop    root     time   algbw   busbw"
	       " #wrong     time   algbw   busbw #wrong%s\n",
#ifdef MCCL_PERF_MPI
	       MCCL_PERF_OP == OP_ALLREDUCE ? "     time   busbw  ratio" :
#endif
	       "");
	printf("#        (B)    (elements)                               (us)  (GB/s)  (GB/s)"
	       "            (us)  (GB/s)  (GB/s)%s\n",
#ifdef MCCL_PERF_MPI
	       MCCL_PERF_OP == OP_ALLREDUCE ? "             (us)  (GB/s)  mccl/mpi" :
#endif
	       "");
}

/* One size, out of place or in place: the time per iteration in
 * microseconds (the slowest rank's), the wrong elements in *wrong. */
static double time_operation(struct bench *b, const struct options *o, size_t count,
			     size_t sendc, size_t recvc, int in_place, long long *wrong)
{
	double t0, us;

	*wrong = 0;
	if (o->check)
		fill(b, sendc, count, in_place);
	for (int k = 0; k < o->warmup; k++)
		run_once(b, count, in_place);
	sync_all(b);
	if (o->check) {
		fill(b, sendc, count, in_place);
		run_once(b, count, in_place);
		sync_all(b);
		*wrong = check(b, count, recvc, in_place);
	}
#ifdef MCCL_PERF_MPI
	MPI_Barrier(MPI_COMM_WORLD);
#endif
	t0 = now();
	for (int k = 0; k < o->iterations; k++)
		run_once(b, count, in_place);
	sync_all(b);
	us = (now() - t0) * 1e6 / o->iterations;
#ifdef MCCL_PERF_MPI
	MPI_Allreduce(MPI_IN_PLACE, &us, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
	MPI_Allreduce(MPI_IN_PLACE, wrong, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
#endif
	return us;
}

/* The row of one size: out of place, in place and, with MPI, the peer. */
static void run_size(struct bench *b, const struct options *o, size_t bytes, double factor)
{
	size_t count, sendc, recvc;
	double busbw_oop = 0;

	counts(b, bytes, &count, &sendc, &recvc);
	if (o->me == 0)
		printf("%12zu  %12zu  %8s  %6s  %6d", bytes, count, type_names[b->type],
		       MCCL_PERF_OP == OP_ALLREDUCE || MCCL_PERF_OP == OP_REDUCESCATTER ?
		       op_names[b->op] : "none",
		       MCCL_PERF_OP == OP_BROADCAST ? b->root : -1);
	for (int in_place = 0; in_place < 2; in_place++) {
		double us, algbw;
		long long wrong;

		if (in_place && MCCL_PERF_OP == OP_SENDRECV) {
			if (o->me == 0)
				printf("      N/A     N/A     N/A    N/A");
			continue;
		}
		us = time_operation(b, o, count, sendc, recvc, in_place, &wrong);
		algbw = (double)bytes / (us * 1e3);
		if (!in_place)
			busbw_oop = algbw * factor;
		if (o->me == 0)
			printf("  %7.2f  %6.2f  %6.2f  %5lld", us, algbw, algbw * factor,
			       o->check ? wrong : -1ll);
	}
#ifdef MCCL_PERF_MPI
	{
		double us = mpi_peer(b, count, 0, o->iterations, o->warmup);

		if (o->me == 0 && us >= 0) {
			double bw = (double)bytes / (us * 1e3) * factor;

			printf("  %7.2f  %6.2f  %6.2f", us, bw, bw > 0 ? busbw_oop / bw : 0);
		}
	}
#else
	(void)busbw_oop;
#endif
	if (o->me == 0) {
		printf("\n");
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	struct bench b = { .n = 1, .type = mcclFloat32, .op = mcclSum, .root = 0, .nlocal = 1 };
	struct options o = { .min_bytes = 32 << 20, .max_bytes = 32 << 20, .step = 2,
			     .iterations = 20, .warmup = 5, .check = 1, .me = 0, .world = 1 };
	int ndev = 0;
	double factor;
#ifdef MCCL_PERF_MPI
	int level = 0;

	MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &level);
	MPI_Comm_rank(MPI_COMM_WORLD, &o.me);
	MPI_Comm_size(MPI_COMM_WORLD, &o.world);
#endif

	parse_options(argc, argv, &b, &o);
	CHECK_MUSA(musaGetDeviceCount(&ndev));
#ifdef MCCL_PERF_MPI
	init_ranks(&b, &o, argv[0], level);
#else
	init_ranks(&b, &o, argv[0], ndev);
#endif
	b.cap = o.max_bytes + 64;   /* the largest buffer of any operation is `bytes` */
	for (int i = 0; i < b.nlocal; i++) {
		CHECK_MUSA(musaSetDevice(b.dev[i]));
		CHECK_MUSA(musaStreamCreate(&b.st[i]));
		CHECK_MUSA(musaMalloc(&b.send[i], b.cap));
		CHECK_MUSA(musaMalloc(&b.recv[i], b.cap));
	}
	if (o.me == 0)
		print_header(&b, &o, argv[0]);
	factor = busbw_factor(b.n);
	for (size_t bytes = o.min_bytes; bytes <= o.max_bytes; bytes = bytes * o.step) {
		run_size(&b, &o, bytes, factor);
		if (bytes == 0)
			break;
	}
	for (int i = 0; i < b.nlocal; i++) {
		musaSetDevice(b.dev[i]);
		musaFree(b.send[i]);
		musaFree(b.recv[i]);
		musaStreamDestroy(b.st[i]);
		mcclCommDestroy(b.comm[i]);
	}
#ifdef MCCL_PERF_MPI
	MPI_Finalize();
#endif
	return 0;
}
