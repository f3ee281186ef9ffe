/* SPDX-License-Identifier: MIT */
/*
 * mpi.c - MCCL's MPI transport (MCCL_TRANSPORT=mpi), the plugin
 * libmccl_mpi.so that libmccl loads from its own directory; built when
 * OpenMPI's mpicc is installed. For ranks on other machines, and on one
 * machine to simulate them.
 *
 * Joining splits MPI_COMM_WORLD by the unique id (a collective call: every
 * process of the job joins its communicators in the same order, as a job
 * with one communicator per process does) with the MCCL rank as the key,
 * and checks that the split holds exactly the clique. Operations run on
 * the stream's host-function thread, so MPI must have been initialized
 * with MPI_THREAD_MULTIPLE. Every transfer is a pair of non-blocking calls
 * completed by a loop that also watches for mcclCommAbort. Algorithms, as
 * NCCL picks them by size: all-reduce by a binomial tree to rank 0 and
 * back for up to 64 KiB, a ring (reduce-scatter, then all-gather) above;
 * broadcast and reduce by binomial trees; all-gather and reduce-scatter by
 * rings; sends and receives of a group all posted at once.
 * May call: MPI, libc, libmccl's reduce.c (linked in).
 */
#include <mpi.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../mccl_int.h"

#define TREE_MAX_BYTES (64u << 10)
#define TAG_COLL 0x4d43
#define TAG_P2P  0x4d44

struct mpi_rank {
	MPI_Comm comm;
	int rank, n;
	atomic_int aborted;
	unsigned char *tmp;         /* a receive area for reductions */
	size_t tmp_bytes;
};

static mcclResult_t mpi_join(const struct mccl_id *id, int nranks, int rank, void **out)
{
	struct mpi_rank *m;
	int inited = 0, level = 0, size = 0, me = -1;

	if (MPI_Initialized(&inited) != MPI_SUCCESS || !inited)
		return mcclInvalidUsage;
	MPI_Query_thread(&level);
	if (level != MPI_THREAD_MULTIPLE)
		return mcclInvalidUsage;
	m = calloc(1, sizeof(*m));
	if (!m)
		return mcclSystemError;
	if (MPI_Comm_split(MPI_COMM_WORLD, (int)((id->serial ^ id->nonce ^ id->pid) & 0x7fffffff),
			   rank, &m->comm) != MPI_SUCCESS) {
		free(m);
		return mcclSystemError;
	}
	MPI_Comm_set_errhandler(m->comm, MPI_ERRORS_RETURN);
	MPI_Comm_size(m->comm, &size);
	MPI_Comm_rank(m->comm, &me);
	if (size != nranks || me != rank) {
		MPI_Comm_free(&m->comm);
		free(m);
		return mcclInvalidArgument;
	}
	m->rank = rank;
	m->n = nranks;
	*out = m;
	return mcclSuccess;
}

static void mpi_abort(void *arg)
{
	atomic_store(&((struct mpi_rank *)arg)->aborted, 1);
}

static void mpi_leave(void *arg)
{
	struct mpi_rank *m = arg;

	MPI_Comm_free(&m->comm);
	free(m->tmp);
	free(m);
}

/* Completes requests, watching for an abort: 0, or -1. */
static int wait_all(struct mpi_rank *m, int n, MPI_Request *rq)
{
	for (;;) {
		int done = 0;

		if (MPI_Testall(n, rq, &done, MPI_STATUSES_IGNORE) != MPI_SUCCESS)
			return -1;
		if (done)
			return 0;
		if (atomic_load(&m->aborted)) {
			for (int i = 0; i < n; i++)
				if (rq[i] != MPI_REQUEST_NULL) {
					MPI_Cancel(&rq[i]);
					MPI_Request_free(&rq[i]);
				}
			return -1;
		}
		sched_yield();
	}
}

/* Sends to `to` while receiving from `from` (either may be -1: none). */
static int exchange(struct mpi_rank *m, const void *sbuf, size_t sbytes, int to, void *rbuf,
		    size_t rbytes, int from, int tag)
{
	MPI_Request rq[2] = { MPI_REQUEST_NULL, MPI_REQUEST_NULL };

	if (from >= 0 && MPI_Irecv(rbuf, (int)rbytes, MPI_BYTE, from, tag, m->comm, &rq[0]))
		return -1;
	if (to >= 0 && MPI_Isend(sbuf, (int)sbytes, MPI_BYTE, to, tag, m->comm, &rq[1]))
		return -1;
	return wait_all(m, 2, rq);
}

/* The rank's receive area for reductions, grown to `bytes`; NULL when out of memory. */
static unsigned char *receive_area(struct mpi_rank *m, size_t bytes)
{
	if (bytes > m->tmp_bytes) {
		unsigned char *t = realloc(m->tmp, bytes);

		if (!t)
			return NULL;
		m->tmp = t;
		m->tmp_bytes = bytes;
	}
	return m->tmp;
}

/* dst[b, e) = dst op src over the elements [b, e). */
static void accumulate(const struct mccl_desc *d, void *dst, const void *src, size_t b, size_t e,
		       const struct mccl_premul *pm)
{
	const void *in[2] = { dst, src };

	if (e > b)
		mccl_reduce(d->type, d->op == mcclAvg ? mcclSum : d->op, dst, in, 2, b, e, pm);
}

/* Reduces every rank's `buf` into rank `root`'s, a binomial tree; buf is
 * the partial result (already premultiplied by this rank's scalar). */
static int tree_reduce(struct mpi_rank *m, const struct mccl_desc *d, void *buf, int root,
		       const struct mccl_premul *pm)
{
	size_t bytes = d->count * mccl_type_size(d->type);
	int vr = (m->rank - root + m->n) % m->n;
	unsigned char *t = receive_area(m, bytes);

	if (!t)
		return -1;
	for (int mask = 1; mask < m->n; mask <<= 1) {
		if (vr & mask) {
			int to = ((vr - mask) + root) % m->n;

			return exchange(m, buf, bytes, to, NULL, 0, -1, TAG_COLL);
		}
		if (vr + mask < m->n) {
			int from = (vr + mask + root) % m->n;

			if (exchange(m, NULL, 0, -1, t, bytes, from, TAG_COLL))
				return -1;
			accumulate(d, buf, t, 0, d->count, pm);
		}
	}
	return 0;
}

static int tree_bcast(struct mpi_rank *m, void *buf, size_t bytes, int root)
{
	int vr = (m->rank - root + m->n) % m->n, mask = 1;

	while (mask < m->n && !(vr & mask))
		mask <<= 1;
	/* receive from the parent (the root has none) */
	if (vr && exchange(m, NULL, 0, -1, buf, bytes, ((vr - mask) + root) % m->n, TAG_COLL))
		return -1;
	for (mask >>= 1; mask > 0; mask >>= 1)
		if (vr + mask < m->n &&
		    exchange(m, buf, bytes, (vr + mask + root) % m->n, NULL, 0, -1, TAG_COLL))
			return -1;
	return 0;
}

/* Block q of n over count elements. */
static void block(size_t count, int n, int q, size_t *b, size_t *e)
{
	*b = count * (size_t)q / (size_t)n;
	*e = count * (size_t)(q + 1) / (size_t)n;
}

/* Ring reduce-scatter over buf: afterwards block (rank + 1) % n holds the
 * full reduction. */
static int ring_reduce_scatter(struct mpi_rank *m, const struct mccl_desc *d, unsigned char *buf,
			       const struct mccl_premul *pm)
{
	size_t es = mccl_type_size(d->type), big = d->count / (size_t)m->n + 1;
	int next = (m->rank + 1) % m->n, prev = (m->rank + m->n - 1) % m->n;
	unsigned char *t = receive_area(m, big * es);

	if (!t)
		return -1;
	for (int s = 0; s < m->n - 1; s++) {
		size_t sb, se, rb, re;
		int sq = (m->rank - s + m->n) % m->n, rq = (m->rank - s - 1 + m->n) % m->n;

		block(d->count, m->n, sq, &sb, &se);
		block(d->count, m->n, rq, &rb, &re);
		if (exchange(m, buf + sb * es, (se - sb) * es, next, t, (re - rb) * es, prev,
			     TAG_COLL))
			return -1;
		{
			const void *in[2] = { buf + rb * es, t };

			if (re > rb)
				mccl_reduce(d->type, d->op == mcclAvg ? mcclSum : d->op, buf + rb * es,
					    in, 2, 0, re - rb, pm);
		}
	}
	return 0;
}

/* Ring all-gather of blocks: rank r starts with block `first` valid. */
static int ring_all_gather(struct mpi_rank *m, unsigned char *buf, size_t count, size_t es,
			   int first)
{
	int next = (m->rank + 1) % m->n, prev = (m->rank + m->n - 1) % m->n;

	for (int s = 0; s < m->n - 1; s++) {
		size_t sb, se, rb, re;
		int sq = (first - s + m->n) % m->n, rq = (first - s - 1 + m->n) % m->n;

		block(count, m->n, sq, &sb, &se);
		block(count, m->n, rq, &rb, &re);
		if (exchange(m, buf + sb * es, (se - sb) * es, next, buf + rb * es, (re - rb) * es,
			     prev, TAG_COLL))
			return -1;
	}
	return 0;
}

/* The op as run between two partial results: premultiplying is done once
 * at the start; the rest of a pre-multiplied sum is a sum. */
static struct mccl_desc pairwise(const struct mccl_desc *d)
{
	struct mccl_desc p = *d;

	if (p.op == MCCL_OP_PREMUL)
		p.op = mcclSum;
	return p;
}

/* buf = buf * scalar for a pre-multiplied sum; an average divides at the end. */
static void premultiply(const struct mccl_desc *d, void *buf)
{
	struct mccl_premul pm;
	const void *in[1] = { buf };

	if (d->op != MCCL_OP_PREMUL)
		return;
	pm.scalar[0] = d->scalar;
	mccl_reduce(d->type, MCCL_OP_PREMUL, buf, in, 1, 0, d->count, &pm);
}

static void finish_avg(const struct mccl_desc *d, void *buf, int n, size_t b, size_t e)
{
	/* sum / n, through a reduction of one input whose op is avg with n
	 * inputs: reduce.c divides by its input count, so divide here */
	size_t es = mccl_type_size(d->type);
	unsigned char *p = buf;

	if (d->op != mcclAvg)
		return;
	for (size_t i = b; i < e; i++) {
		switch (d->type) {
		case mcclInt8: ((int8_t *)p)[i] = (int8_t)(((int8_t *)p)[i] / n); break;
		case mcclUint8: p[i] = (uint8_t)(p[i] / n); break;
		case mcclInt32: ((int32_t *)p)[i] /= n; break;
		case mcclUint32: ((uint32_t *)p)[i] /= (uint32_t)n; break;
		case mcclInt64: ((int64_t *)p)[i] /= n; break;
		case mcclUint64: ((uint64_t *)p)[i] /= (uint64_t)n; break;
		case mcclFloat32: ((float *)p)[i] /= (float)n; break;
		case mcclFloat64: ((double *)p)[i] /= (double)n; break;
		default: {
			/* 16-bit floats: the reduction of one input converts */
			struct mccl_premul pm;
			const void *in[1] = { p + i * es };

			pm.scalar[0] = 1.0 / n;
			mccl_reduce(d->type, MCCL_OP_PREMUL, p + i * es, in, 1, 0, 1, &pm);
			break;
		}
		}
	}
}

/* The op of a reduction that applies no scalar: the premultiplying is
 * done once, before the transfers. */
static const struct mccl_premul no_premul;

/* Every rank checks what every rank posted: the same kind, count, type,
 * root and op everywhere, else mcclInvalidUsage. */
static mcclResult_t check_posted(struct mpi_rank *m, const struct mccl_desc *d)
{
	struct mccl_desc *all = calloc((size_t)m->n, sizeof(*all));
	int bad = 0;

	if (!all)
		return mcclSystemError;
	if (MPI_Allgather(d, (int)sizeof(*d), MPI_BYTE, all, (int)sizeof(*d), MPI_BYTE, m->comm)) {
		free(all);
		return mcclRemoteError;
	}
	for (int q = 1; q < m->n; q++)
		if (all[q].kind != all[0].kind || all[q].count != all[0].count ||
		    all[q].type != all[0].type || all[q].root != all[0].root ||
		    (all[q].op < 0) != (all[0].op < 0) || (all[0].op >= 0 && all[q].op != all[0].op))
			bad = 1;
	free(all);
	return bad ? mcclInvalidUsage : mcclSuccess;
}

/* All-reduce: a binomial tree to rank 0 and back for small buffers, else
 * a ring reduce-scatter followed by a ring all-gather. */
static mcclResult_t all_reduce(struct mpi_rank *m, const struct mccl_desc *d, const void *send,
			       void *recv)
{
	struct mccl_desc p = pairwise(d);
	size_t es = mccl_type_size(d->type), bytes = d->count * es;
	int fail;

	if (recv != send)
		memcpy(recv, send, bytes);
	premultiply(d, recv);
	if (bytes <= TREE_MAX_BYTES || (size_t)m->n > d->count) {
		fail = tree_reduce(m, &p, recv, 0, &no_premul) ||
		       (m->rank == 0 ? (finish_avg(d, recv, m->n, 0, d->count), 0) : 0) ||
		       tree_bcast(m, recv, bytes, 0);
	} else {
		size_t b, e;
		int mine = (m->rank + 1) % m->n;

		fail = ring_reduce_scatter(m, &p, recv, &no_premul);
		block(d->count, m->n, mine, &b, &e);
		if (!fail)
			finish_avg(d, recv, m->n, b, e);
		fail = fail || ring_all_gather(m, recv, d->count, es, mine);
	}
	return fail ? mcclRemoteError : mcclSuccess;
}

/* Reduce to d->root by a binomial tree; the other ranks reduce in a
 * buffer of their own. */
static mcclResult_t reduce(struct mpi_rank *m, const struct mccl_desc *d, const void *send,
			   void *recv)
{
	struct mccl_desc p = pairwise(d);
	size_t bytes = d->count * mccl_type_size(d->type);
	unsigned char *w = m->rank == d->root ? recv : malloc(bytes ? bytes : 1);
	int fail;

	if (!w)
		return mcclSystemError;
	if (w != send)
		memcpy(w, send, bytes);
	premultiply(d, w);
	fail = tree_reduce(m, &p, w, d->root, &no_premul);
	if (m->rank == d->root)
		finish_avg(d, w, m->n, 0, d->count);
	else
		free(w);
	return fail ? mcclRemoteError : mcclSuccess;
}

/* Reduce-scatter: a ring over all n blocks, then each reduced block sent
 * to the rank that owns it. */
static mcclResult_t reduce_scatter(struct mpi_rank *m, const struct mccl_desc *d,
				   const void *send, void *recv)
{
	size_t es = mccl_type_size(d->type), bytes = d->count * es;
	size_t total = bytes * (size_t)m->n;
	unsigned char *w = malloc(total ? total : 1);
	struct mccl_desc full = pairwise(d), pre = *d;
	size_t b, e;
	int fail;

	if (!w)
		return mcclSystemError;
	memcpy(w, send, total);
	full.count = d->count * (size_t)m->n;
	pre.count = full.count;
	premultiply(&pre, w);
	/* the ring leaves block (rank + 1) reduced here; rotate so that
	 * each rank ends with its own block: rank r reduces block r by
	 * starting the ring one step earlier */
	fail = ring_reduce_scatter(m, &full, w, &no_premul);
	block(full.count, m->n, (m->rank + 1) % m->n, &b, &e);
	if (!fail) {
		/* send the reduced block to its owner */
		int owner = (m->rank + 1) % m->n, from = (m->rank + m->n - 1) % m->n;
		size_t ob, oe;

		block(full.count, m->n, m->rank, &ob, &oe);
		fail = exchange(m, w + b * es, (e - b) * es, owner, recv, (oe - ob) * es, from,
				TAG_COLL);
		if (!fail)
			finish_avg(d, recv, m->n, 0, d->count);
	}
	free(w);
	return fail ? mcclRemoteError : mcclSuccess;
}

static mcclResult_t mpi_collective(void *arg, const struct mccl_desc *d, const void *send,
				   void *recv)
{
	struct mpi_rank *m = arg;
	size_t bytes = d->count * mccl_type_size(d->type);
	mcclResult_t rc = check_posted(m, d);
	unsigned char *dst;

	if (rc != mcclSuccess)
		return rc;
	switch (d->kind) {
	case MCCL_K_ALLREDUCE:
		return all_reduce(m, d, send, recv);
	case MCCL_K_REDUCE:
		return reduce(m, d, send, recv);
	case MCCL_K_BROADCAST:
		if (m->rank == d->root && recv != send)
			memcpy(recv, send, bytes);
		return tree_bcast(m, recv, bytes, d->root) ? mcclRemoteError : mcclSuccess;
	case MCCL_K_ALLGATHER:
		dst = (unsigned char *)recv + (size_t)m->rank * bytes;
		if (dst != send)
			memcpy(dst, send, bytes);
		/* blocks of `count` elements: gather count * n as n blocks */
		return ring_all_gather(m, recv, d->count * (size_t)m->n, mccl_type_size(d->type),
				       m->rank) ? mcclRemoteError : mcclSuccess;
	case MCCL_K_REDUCESCATTER:
		return reduce_scatter(m, d, send, recv);
	}
	return mcclSuccess;
}

static mcclResult_t mpi_p2p(void *arg, struct mccl_p2p *ops, int nops)
{
	struct mpi_rank *m = arg;
	MPI_Request *rq = calloc((size_t)(nops ? nops : 1), sizeof(*rq));
	MPI_Status *st = calloc((size_t)(nops ? nops : 1), sizeof(*st));
	int bad = 0, fail = 0;

	if (!rq || !st) {
		free(rq);
		free(st);
		return mcclSystemError;
	}
	for (int i = 0; i < nops && !fail; i++) {
		/* a longer send than the receive fails it (MPI_ERR_TRUNCATE); a
		 * shorter one shows in the received count */
		if (ops[i].send)
			fail = MPI_Isend(ops[i].buf, (int)ops[i].bytes, MPI_BYTE, ops[i].peer, TAG_P2P,
					 m->comm, &rq[i]) != MPI_SUCCESS;
		else
			fail = MPI_Irecv(ops[i].buf, (int)ops[i].bytes, MPI_BYTE, ops[i].peer, TAG_P2P,
					 m->comm, &rq[i]) != MPI_SUCCESS;
	}
	for (;;) {
		int done = 0, rc;

		if (fail)
			break;
		rc = MPI_Testall(nops, rq, &done, st);
		if (rc == MPI_ERR_IN_STATUS) {
			for (int i = 0; i < nops; i++)
				if (st[i].MPI_ERROR == MPI_ERR_TRUNCATE)
					bad = 1;
			break;
		}
		if (rc != MPI_SUCCESS) {
			fail = 1;
			break;
		}
		if (done) {
			for (int i = 0; i < nops; i++) {
				int got = 0;

				if (ops[i].send)
					continue;
				MPI_Get_count(&st[i], MPI_BYTE, &got);
				if ((size_t)got != ops[i].bytes)
					bad = 1;
			}
			break;
		}
		if (atomic_load(&m->aborted)) {
			fail = 1;
			break;
		}
		sched_yield();
	}
	free(rq);
	free(st);
	if (fail)
		return mcclRemoteError;
	return bad ? mcclInvalidUsage : mcclSuccess;
}

__attribute__((visibility("default"))) const struct mccl_transport mccl_mpi_transport = {
	"mpi", mpi_join, mpi_collective, mpi_p2p, mpi_abort, mpi_leave,
};
