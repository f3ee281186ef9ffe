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

#include "mccl.h"
#include "musa_runtime.h"

#define MAXR 4

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
