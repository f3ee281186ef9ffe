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

/* The transport between processes (shm.c). */
struct mccl_shm;
mcclResult_t mccl_shm_join(const struct mccl_id *id, int nranks, int rank, struct mccl_shm **out);
void mccl_shm_abort(struct mccl_shm *s);
void mccl_shm_leave(struct mccl_shm *s);
mcclResult_t mccl_shm_collective(struct mccl_shm *s, const struct mccl_desc *d, const void *send,
				 void *recv);
mcclResult_t mccl_shm_p2p(struct mccl_shm *s, struct mccl_p2p *ops, int nops);

size_t mccl_type_size(int type);
double mccl_scalar_value(int type, const void *p);
/* out[i] = op over in[0..n)[i] for i in [begin, end). */
void mccl_reduce(int type, int op, void *out, const void *const *in, int n, size_t begin,
		 size_t end, const struct mccl_premul *pm);

#endif /* MCCL_INT_H */
