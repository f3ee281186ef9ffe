/* SPDX-License-Identifier: MIT */
/*
 * mccl_checks.h - what the MCCL tests share: the values rank r holds, the
 * result each reduction must give, and one rank's run through every kind
 * of operation (used by test_mccl.c's threads and processes and by the MPI
 * program mpi_ranks.c under mpirun).
 */
#ifndef MCCL_CHECKS_H
#define MCCL_CHECKS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mccl.h"
#include "musa_runtime.h"

#define MAXR 4

/* values: small integers, exact in every type */

static inline size_t tsize(int t)
{
	static const size_t s[] = { 1, 1, 4, 4, 8, 8, 2, 4, 8, 2 };

	return s[t];
}

static inline uint16_t half_of(double v)
{
	/* small non-negative integers, exactly */
	int e = 0;
	uint32_t m;

	if (v == 0)
		return 0;
	while (v >= 2) {
		v /= 2;
		e++;
	}
	m = (uint32_t)((v - 1) * 1024);
	return (uint16_t)(((uint32_t)(e + 15) << 10) | m);
}

static inline void put(int t, void *p, size_t i, double v)
{
	switch (t) {
	case mcclInt8: ((int8_t *)p)[i] = (int8_t)v; break;
	case mcclUint8: ((uint8_t *)p)[i] = (uint8_t)v; break;
	case mcclInt32: ((int32_t *)p)[i] = (int32_t)v; break;
	case mcclUint32: ((uint32_t *)p)[i] = (uint32_t)v; break;
	case mcclInt64: ((int64_t *)p)[i] = (int64_t)v; break;
	case mcclUint64: ((uint64_t *)p)[i] = (uint64_t)v; break;
	case mcclFloat16: ((uint16_t *)p)[i] = half_of(v); break;
	case mcclFloat32: ((float *)p)[i] = (float)v; break;
	case mcclFloat64: ((double *)p)[i] = v; break;
	case mcclBfloat16: {
		float f = (float)v;
		uint32_t x;

		memcpy(&x, &f, 4);
		((uint16_t *)p)[i] = (uint16_t)(x >> 16);
		break;
	}
	}
}

/* The value rank r holds at element i: 1..3, so products stay small. */
static inline double val(int r, size_t i)
{
	return (double)((r + 2 * (int)i) % 3 + 1);
}

static inline double expect(int op, int n, size_t i, int is_int, const double *scal)
{
	double acc = op == mcclProd ? 1 : op == mcclMax ? -1e9 : op == mcclMin ? 1e9 : 0;

	for (int r = 0; r < n; r++) {
		double v = val(r, i);

		switch (op) {
		case mcclSum: case mcclAvg: acc += v; break;
		case mcclProd: acc *= v; break;
		case mcclMax: acc = v > acc ? v : acc; break;
		case mcclMin: acc = v < acc ? v : acc; break;
		default: acc += v * scal[r]; break;
		}
	}
	if (op == mcclAvg)
		acc = is_int ? (double)((long long)acc / n) : acc / n;
	return acc;
}

/* One rank's run through every kind of operation; a bit per failed check. */
static inline int rank_work(mcclUniqueId id, int n, int rank, int dev)
{
	const size_t big = (3u << 20) + 5, count = 1001;   /* big: > one staging chunk */
	mcclComm_t comm;
	musaStream_t st;
	float *fs, *fd, *h;
	int32_t *is, *id_, *ih;
	double scal[MAXR] = { 2, 3, 4, 5 }, one[MAXR] = { 1, 1, 1, 1 };
	mcclRedOp_t pre;
	float f = (float)scal[rank];
	int bad = 0, got = -1;

	if (musaSetDevice(dev) != musaSuccess || mcclCommInitRank(&comm, n, id, rank) != mcclSuccess)
		return 1;
	mcclCommUserRank(comm, &got);
	bad |= (got != rank) << 1;
	musaStreamCreate(&st);
	musaMalloc((void **)&fs, big * 4);
	musaMalloc((void **)&fd, big * 4 * (size_t)n);
	musaMalloc((void **)&is, count * 4 * (size_t)n);
	musaMalloc((void **)&id_, count * 4 * (size_t)n);
	h = malloc(big * 4 * (size_t)n);
	ih = malloc(count * 4 * (size_t)n);
	for (size_t k = 0; k < big; k++)
		h[k] = (float)val(rank, k);
	musaMemcpy(fs, h, big * 4, musaMemcpyHostToDevice);
	for (size_t k = 0; k < count * (size_t)n; k++)
		ih[k] = (int32_t)val(rank, k);
	musaMemcpy(is, ih, count * 4 * (size_t)n, musaMemcpyHostToDevice);

	/* all-reduce, large */
	mcclAllReduce(fs, fd, big, mcclFloat32, mcclSum, comm, st);
	musaStreamSynchronize(st);
	musaMemcpy(h, fd, big * 4, musaMemcpyDeviceToHost);
	for (size_t k = 0; k < big; k++)
		if (h[k] != (float)expect(mcclSum, n, k, 0, one)) {
			bad |= 1 << 2;
			break;
		}
	/* pre-multiplied sum, host scalar */
	mcclRedOpCreatePreMulSum(&pre, &f, mcclFloat32, mcclScalarHostImmediate, comm);
	mcclAllReduce(fs, fd, count, mcclFloat32, pre, comm, st);
	musaStreamSynchronize(st);
	musaMemcpy(h, fd, count * 4, musaMemcpyDeviceToHost);
	for (size_t k = 0; k < count; k++)
		bad |= (h[k] != (float)expect(-1, n, k, 0, scal)) << 3;
	/* broadcast from the last rank, reduce (min) to rank 0 */
	mcclBroadcast(is, id_, count, mcclInt32, n - 1, comm, st);
	musaStreamSynchronize(st);
	musaMemcpy(ih, id_, count * 4, musaMemcpyDeviceToHost);
	for (size_t k = 0; k < count; k++)
		bad |= (ih[k] != (int32_t)val(n - 1, k)) << 4;
	mcclReduce(is, id_, count, mcclInt32, mcclMin, 0, comm, st);
	musaStreamSynchronize(st);
	if (rank == 0) {
		musaMemcpy(ih, id_, count * 4, musaMemcpyDeviceToHost);
		for (size_t k = 0; k < count; k++)
			bad |= (ih[k] != (int32_t)expect(mcclMin, n, k, 1, one)) << 5;
	}
	/* all-gather (large), reduce-scatter */
	mcclAllGather(fs, fd, big, mcclFloat32, comm, st);
	musaStreamSynchronize(st);
	musaMemcpy(h, fd, big * 4 * (size_t)n, musaMemcpyDeviceToHost);
	for (int q = 0; q < n; q++)
		for (size_t k = 0; k < big; k += 997)
			bad |= (h[(size_t)q * big + k] != (float)val(q, k)) << 6;
	mcclReduceScatter(is, id_, count, mcclInt32, mcclSum, comm, st);
	musaStreamSynchronize(st);
	musaMemcpy(ih, id_, count * 4, musaMemcpyDeviceToHost);
	for (size_t k = 0; k < count; k++) {
		int32_t want = 0;

		for (int q = 0; q < n; q++)
			want += (int32_t)val(q, (size_t)rank * count + k);
		bad |= (ih[k] != want) << 7;
	}
	/* a ring of sends and receives, large, and two messages to one peer */
	mcclGroupStart();
	mcclSend(fs, big, mcclFloat32, (rank + 1) % n, comm, st);
	mcclRecv(fd, big, mcclFloat32, (rank + n - 1) % n, comm, st);
	mcclSend(is, 7, mcclInt32, (rank + 1) % n, comm, st);
	mcclRecv(id_, 7, mcclInt32, (rank + n - 1) % n, comm, st);
	mcclGroupEnd();
	musaStreamSynchronize(st);
	musaMemcpy(h, fd, big * 4, musaMemcpyDeviceToHost);
	for (size_t k = 0; k < big; k += 13)
		bad |= (h[k] != (float)val((rank + n - 1) % n, k)) << 8;
	musaMemcpy(ih, id_, 7 * 4, musaMemcpyDeviceToHost);
	for (size_t k = 0; k < 7; k++)
		bad |= (ih[k] != (int32_t)val((rank + n - 1) % n, k)) << 9;
	/* every type and op, counts 0, 1 and 7 (no multiple of the ranks) */
	for (int t = 0; t < mcclNumTypes; t++)
		for (int op = 0; op < mcclNumOps; op++)
			for (size_t c = 0; c <= 7; c += c ? 6 : 1) {
				unsigned char hs[64], hd[64], w[64];

				for (size_t k = 0; k < c; k++) {
					put(t, hs, k, val(rank, k));
					put(t, w, k, expect(op, n, k, t <= mcclUint64, one));
				}
				musaMemcpy(is, hs, c * tsize(t), musaMemcpyHostToDevice);
				mcclAllReduce(is, id_, c, (mcclDataType_t)t, (mcclRedOp_t)op, comm, st);
				musaStreamSynchronize(st);
				musaMemcpy(hd, id_, c * tsize(t), musaMemcpyDeviceToHost);
				if (c && memcmp(hd, w, c * tsize(t)))
					bad |= 1 << 12;
			}
	{
		mcclResult_t e = mcclInternalError;

		mcclCommGetAsyncError(comm, &e);
		bad |= (e != mcclSuccess) << 10;
	}
	free(h);
	free(ih);
	musaFree(fs);
	musaFree(fd);
	musaFree(is);
	musaFree(id_);
	musaStreamDestroy(st);
	bad |= (mcclCommDestroy(comm) != mcclSuccess) << 11;
	return bad;
}


#endif /* MCCL_CHECKS_H */
