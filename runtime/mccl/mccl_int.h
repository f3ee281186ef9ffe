/* SPDX-License-Identifier: MIT */
/*
 * mccl_int.h - what the files of libmccl share.
 */
#ifndef MCCL_INT_H
#define MCCL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "mccl.h"

#define MCCL_MAX_RANKS 64
/* The reduction a pre-multiplied sum op (mcclRedOpCreatePreMulSum) runs. */
#define MCCL_OP_PREMUL (-1)

/* The scalars of a pre-multiplied sum, one per rank. */
struct mccl_premul {
	double scalar[MCCL_MAX_RANKS];
};

enum { MCCL_K_ALLREDUCE, MCCL_K_BROADCAST, MCCL_K_REDUCE, MCCL_K_ALLGATHER,
       MCCL_K_REDUCESCATTER, MCCL_K_P2P };

/* What mcclGetUniqueId puts in an id. */
struct mccl_id {
	uint32_t magic;
	uint32_t pid;
	uint64_t serial;
	uint64_t nonce;
};

/* One rank's view of a collective, for the ranks to compare. */
struct mccl_desc {
	int kind, type, op, root;
	size_t count;
	double scalar;              /* a pre-multiplied sum's scalar */
};

/* A send or receive of a group. */
struct mccl_p2p {
	int send;                   /* 1 send, 0 receive */
	int peer;
	void *buf;
	size_t bytes;
	int done;                   /* in process: a send taken by its receiver */
	int error;                  /* sizes disagreed */
	struct mccl_p2p *next;      /* in process: in its mailbox */
};

/*
 * A transport between processes: shared memory (shm.c, in libmccl) or MPI
 * (mpi.c, the plugin libmccl_mpi.so, which exports MCCL_MPI_TRANSPORT).
 * join blocks until every rank joined and returns the rank's state;
 * collective and p2p run on the stream's host-function thread; abort may
 * come from any thread and ends every wait of the clique.
 */
struct mccl_transport {
	const char *name;
	mcclResult_t (*join)(const struct mccl_id *id, int nranks, int rank, void **out);
	mcclResult_t (*collective)(void *t, const struct mccl_desc *d, const void *send,
				   void *recv);
	mcclResult_t (*p2p)(void *t, struct mccl_p2p *ops, int nops);
	void (*abort)(void *t);
	void (*leave)(void *t);
};

#define MCCL_MPI_TRANSPORT "mccl_mpi_transport"
extern const struct mccl_transport mccl_shm_transport;
/* Whether this thread runs an operation's host function (mccl.c). */
int mccl_in_host_fn(void);
/* Whether every rank of a joined shm clique is in this process. */
int mccl_shm_all_local(void *t);

size_t mccl_type_size(int type);
double mccl_scalar_value(int type, const void *p);
/* outs[0..nout)[i] = op over in[0..n)[i] for i in [begin, end): each
 * output written once per element, after every input was read. */
void mccl_reduce_to(int type, int op, void *const *outs, int nout, const void *const *in, int n,
		    size_t begin, size_t end, const struct mccl_premul *pm);
/* Rank r's share of a collective over buffers this process can address
 * (every rank's send and receive buffer, and pre-multiplied sums' scalars). */
void mccl_share(int kind, int type, int op, size_t count, int root, int n, int r,
		const void *const *sends, void *const *recvs, const double *scalars);
/* out[i] = op over in[0..n)[i] for i in [begin, end). */
void mccl_reduce(int type, int op, void *out, const void *const *in, int n, size_t begin,
		 size_t end, const struct mccl_premul *pm);

#endif /* MCCL_INT_H */
