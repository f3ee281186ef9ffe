/* SPDX-License-Identifier: MIT */
/*
 * mccl.c - MCCL's communicators and operations (mccl.h, docs/mccl.md).
 *
 * A clique is the set of ranks of one unique id; each rank's communicator
 * belongs to one device. Every operation is a task queued on the caller's
 * stream as a host function (musaLaunchHostFunc): it runs when the work
 * before it on the stream is done and holds back the work after it until
 * it returns, so collectives are stream-ordered like kernels. A stream's
 * host functions run on a thread of their own, so the ranks' tasks meet:
 *
 *  - a collective posts itself, waits at the clique's barrier for every
 *    rank's task, checks that they agree (kind, count, type, op, root),
 *    does its rank's share (a slice of the elements for the reductions,
 *    its own receive buffer for broadcast and all-gather) reading and
 *    writing the other ranks' buffers directly, and waits at the barrier
 *    again, after which no rank touches another's buffers;
 *  - the sends and receives of a group (mcclGroupStart/End, or one call
 *    alone) are one task per communicator: its sends are posted to the
 *    (sender, receiver) mailboxes first, then its receives take the
 *    oldest send of their peer in order and copy it, and the task ends
 *    once its own sends were taken.
 *
 * Device memory of the software device is addressable by the process, so
 * ranks of one process (several devices: mcclCommInitAll, or one thread per
 * rank with mcclCommInitRank) copy directly. Ranks in other processes are
 * refused by mcclCommInitRank for now (docs/mccl.md).
 * May call: musa_runtime.h, libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "mccl_int.h"

#define MCCL_API __attribute__((visibility("default")))
#define MCCL_ID_MAGIC 0x4c43434du   /* "MCCL" */
#define MCCL_PREMUL_SLOTS 32

struct mccl_task {
	struct mcclComm *comm;
	int kind;
	const void *send;
	void *recv;
	size_t count;
	int type, op, root;
	double scalar;              /* a pre-multiplied sum's scalar, read at run time */
	const void *scalar_dev;     /* ... from device memory, or NULL */
	int scalar_type;
	struct mccl_p2p *p2p;
	int np2p;
};

struct mccl_clique {
	struct mccl_clique *next;   /* registry */
	struct mccl_id id;
	int nranks, joined, refs;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct mcclComm *ranks[MCCL_MAX_RANKS];
	uint64_t gen;               /* barrier */
	int count;
	struct mccl_task *posted[MCCL_MAX_RANKS];
	struct mccl_p2p *mail_head[MCCL_MAX_RANKS][MCCL_MAX_RANKS];
	struct mccl_p2p *mail_tail[MCCL_MAX_RANKS][MCCL_MAX_RANKS];
	int aborted;
};

struct mcclComm {
	struct mccl_clique *c;      /* ranks of this process; for shm, this rank alone */
	const struct mccl_transport *tp; /* ranks in other processes, or NULL */
	void *tpd;                  /* the transport's state of this rank */
	int rank, dev;
	atomic_int refs;            /* the user's, and one per queued task */
	_Atomic int async_error;
	int destroyed;
	struct {
		int used, type;
		double host;
		const void *dev;
	} premul[MCCL_PREMUL_SLOTS];
	/* the open group's sends and receives */
	struct mccl_p2p *pend;
	int npend, cap;
	musaStream_t pend_stream;
	struct mcclComm *group_next;
	int in_group;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mccl_clique *registry;
static atomic_ulong id_serial;
static __thread char last_error[256];
static __thread int group_depth;
static __thread struct mcclComm *group_comms;

static mcclResult_t fail(mcclResult_t r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static mcclResult_t fail(mcclResult_t r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return r;
}

/* The MPI plugin */

static const struct mccl_transport *mpi_transport;
static char mpi_error[256] = "not loaded";

/* libmccl_mpi.so.1 from this library's directory. */
static void load_mpi_transport(void)
{
	Dl_info di;
	char path[4096];
	const char *slash;
	void *h;

	if (!dladdr((void *)&load_mpi_transport, &di) || !di.dli_fname) {
		snprintf(mpi_error, sizeof(mpi_error), "cannot find libmccl's directory");
		return;
	}
	slash = strrchr(di.dli_fname, '/');
	snprintf(path, sizeof(path), "%.*slibmccl_mpi.so.1",
		 slash ? (int)(slash - di.dli_fname + 1) : 0, di.dli_fname);
	h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!h) {
		snprintf(mpi_error, sizeof(mpi_error), "%s (build with OpenMPI installed)",
			 dlerror());
		return;
	}
	mpi_transport = dlsym(h, MCCL_MPI_TRANSPORT);
	if (!mpi_transport)
		snprintf(mpi_error, sizeof(mpi_error), "libmccl_mpi.so.1 has no %s",
			 MCCL_MPI_TRANSPORT);
}

/* Cliques */

static struct mccl_clique *clique_new(const struct mccl_id *id, int nranks)
{
	struct mccl_clique *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->id = *id;
	c->nranks = nranks;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cv, NULL);
	return c;
}

static void clique_put(struct mccl_clique *c)
{
	struct mccl_clique **p;
	int last;

	pthread_mutex_lock(&registry_lock);
	last = --c->refs == 0;
	if (last)
		for (p = &registry; *p; p = &(*p)->next)
			if (*p == c) {
				*p = c->next;
				break;
			}
	pthread_mutex_unlock(&registry_lock);
	if (!last)
		return;
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cv);
	free(c);
}

/* Waits (clique lock held) until every rank got here; -1 once aborted. */
static int clique_barrier(struct mccl_clique *c)
{
	uint64_t g = c->gen;

	if (c->aborted)
		return -1;
	if (++c->count == c->nranks) {
		c->count = 0;
		c->gen++;
		pthread_cond_broadcast(&c->cv);
		return 0;
	}
	while (c->gen == g && !c->aborted)
		pthread_cond_wait(&c->cv, &c->lock);
	return c->gen == g ? -1 : 0;
}

/* Communicators */

static void comm_put(struct mcclComm *comm)
{
	if (atomic_fetch_sub(&comm->refs, 1) != 1)
		return;
	if (comm->tp)
		comm->tp->leave(comm->tpd);
	clique_put(comm->c);
	free(comm->pend);
	free(comm);
}

static void comm_error(struct mcclComm *comm, mcclResult_t r)
{
	int none = 0;

	atomic_compare_exchange_strong(&comm->async_error, &none, (int)r);
}

static struct mcclComm *comm_new(struct mccl_clique *c, int rank, int dev)
{
	struct mcclComm *comm = calloc(1, sizeof(*comm));

	if (!comm)
		return NULL;
	comm->c = c;
	comm->rank = rank;
	comm->dev = dev;
	atomic_init(&comm->refs, 1);
	atomic_init(&comm->async_error, 0);
	return comm;
}

/* A usable communicator, or the error the call returns. */
static mcclResult_t comm_check(const struct mcclComm *comm)
{
	if (!comm)
		return fail(mcclInvalidArgument, "communicator is NULL");
	if (comm->destroyed)
		return fail(mcclInvalidUsage, "communicator was destroyed");
	if (atomic_load(&((struct mcclComm *)comm)->async_error))
		return fail((mcclResult_t)atomic_load(&((struct mcclComm *)comm)->async_error),
			    "communicator has an error (mcclCommGetAsyncError)");
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclGetVersion(int *version)
{
	if (!version)
		return fail(mcclInvalidArgument, "version is NULL");
	*version = MCCL_VERSION_CODE;
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclGetUniqueId(mcclUniqueId *uniqueId)
{
	struct mccl_id id = { MCCL_ID_MAGIC, (uint32_t)getpid(), 0, 0 };

	if (!uniqueId)
		return fail(mcclInvalidArgument, "uniqueId is NULL");
	id.serial = atomic_fetch_add(&id_serial, 1) + 1;
	if (getrandom(&id.nonce, sizeof(id.nonce), 0) != (ssize_t)sizeof(id.nonce))
		id.nonce = (uint64_t)(uintptr_t)&id ^ (uint64_t)time(NULL);
	memset(uniqueId, 0, sizeof(*uniqueId));
	memcpy(uniqueId->internal, &id, sizeof(id));
	return mcclSuccess;
}

/*
 * MCCL_TRANSPORT: unset or "auto" copies directly between ranks of one
 * process and stages through shared memory between processes; "shm" puts
 * every rank that mcclCommInitRank joins on shared memory, "mpi" on MPI
 * (the plugin libmccl_mpi.so next to this library, for ranks on other
 * machines). The transport to join on: shared memory for auto too (ranks
 * that all turn out to be in this process then go direct), or NULL with
 * *err set.
 */
static const struct mccl_transport *pick_transport(mcclResult_t *err)
{
	const char *v = getenv("MCCL_TRANSPORT");

	*err = mcclSuccess;
	if (v && !strcmp(v, "mpi")) {
		static pthread_once_t once = PTHREAD_ONCE_INIT;
		const struct mccl_transport *mpi;

		pthread_once(&once, load_mpi_transport);
		mpi = mpi_transport;
		if (!mpi)
			*err = fail(mcclSystemError, "MCCL_TRANSPORT=mpi: %s", mpi_error);
		return mpi;
	}
	if (v && *v && strcmp(v, "auto") && strcmp(v, "shm"))
		fprintf(stderr, "mccl: warning: MCCL_TRANSPORT=%s: not auto, shm or mpi; using "
			"auto\n", v);
	return &mccl_shm_transport;
}

/* A rank on a transport between processes, with a clique of its own for
 * the bookkeeping. */
static mcclResult_t init_rank_transport(mcclComm_t *out, const struct mccl_transport *tp,
					int nranks, const struct mccl_id *id, int rank, int dev)
{
	struct mccl_clique *c = clique_new(id, nranks);
	struct mcclComm *comm = c ? comm_new(c, rank, dev) : NULL;
	mcclResult_t r;

	if (!comm) {
		free(c);
		return fail(mcclSystemError, "out of memory");
	}
	c->refs = 1;
	c->joined = nranks;
	c->ranks[rank] = comm;
	r = tp->join(id, nranks, rank, &comm->tpd);
	if (r) {
		free(comm);
		clique_put(c);
		return fail(r, r == mcclInvalidArgument ? "%s: rank %d joined already, or nranks "
			    "differs from the other ranks'" : r == mcclRemoteError ?
			    "%s: the clique was aborted while rank %d joined" :
			    r == mcclInvalidUsage ? "%s: rank %d: MPI is not initialized with "
			    "MPI_THREAD_MULTIPLE, or the ranks of MPI_COMM_WORLD did not all join" :
			    "%s: cannot set up rank %d", tp->name, rank);
	}
	comm->tp = tp;
	*out = comm;
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclCommInitRankConfig(mcclComm_t *out, int nranks, mcclUniqueId commId,
					     int rank, mcclConfig_t *config)
{
	struct mccl_id id;
	struct mccl_clique *c;
	struct mcclComm *comm;
	int dev;

	if (!out)
		return fail(mcclInvalidArgument, "comm is NULL");
	if (nranks < 1 || nranks > MCCL_MAX_RANKS)
		return fail(mcclInvalidArgument, "nranks %d is not 1..%d", nranks, MCCL_MAX_RANKS);
	if (rank < 0 || rank >= nranks)
		return fail(mcclInvalidArgument, "rank %d is not below nranks %d", rank, nranks);
	if (config && (config->magic != 0xcafebeef || config->size < sizeof(size_t)))
		return fail(mcclInvalidArgument, "config was not made by MCCL_CONFIG_INITIALIZER");
	memcpy(&id, commId.internal, sizeof(id));
	if (id.magic != MCCL_ID_MAGIC)
		return fail(mcclInvalidArgument, "commId was not made by mcclGetUniqueId");
	if (musaGetDevice(&dev) != musaSuccess)
		return fail(mcclUnhandledMusaError, "no current device");
	{
		mcclResult_t err;
		const struct mccl_transport *tp = pick_transport(&err);

		const char *v = getenv("MCCL_TRANSPORT");

		if (err)
			return err;
		err = init_rank_transport(out, tp, nranks, &id, rank, dev);
		/* auto: ranks that all turn out to be in this process meet
		 * again below and copy directly */
		if (err || tp != &mccl_shm_transport || (v && !strcmp(v, "shm")) ||
		    !mccl_shm_all_local((*out)->tpd))
			return err;
		comm = *out;
		comm->destroyed = 1;
		comm_put(comm);
		*out = NULL;
	}
	pthread_mutex_lock(&registry_lock);
	for (c = registry; c; c = c->next)
		if (!memcmp(&c->id, &id, sizeof(id)))
			break;
	if (!c) {
		c = clique_new(&id, nranks);
		if (!c) {
			pthread_mutex_unlock(&registry_lock);
			return fail(mcclSystemError, "out of memory");
		}
		c->next = registry;
		registry = c;
	}
	if (c->nranks != nranks || c->ranks[rank]) {
		pthread_mutex_unlock(&registry_lock);
		return fail(mcclInvalidArgument, c->nranks != nranks ?
			    "nranks differs from the other ranks'" : "rank %d joined already", rank);
	}
	comm = comm_new(c, rank, dev);
	if (!comm) {
		pthread_mutex_unlock(&registry_lock);
		return fail(mcclSystemError, "out of memory");
	}
	c->refs++;
	pthread_mutex_unlock(&registry_lock);
	/* every rank joins before any returns, as NCCL's initialization does */
	pthread_mutex_lock(&c->lock);
	c->ranks[rank] = comm;
	c->joined++;
	pthread_cond_broadcast(&c->cv);
	while (c->joined < nranks && !c->aborted)
		pthread_cond_wait(&c->cv, &c->lock);
	pthread_mutex_unlock(&c->lock);
	*out = comm;
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclCommInitRank(mcclComm_t *comm, int nranks, mcclUniqueId commId, int rank)
{
	return mcclCommInitRankConfig(comm, nranks, commId, rank, NULL);
}

MCCL_API mcclResult_t mcclCommInitAll(mcclComm_t *comms, int ndev, const int *devlist)
{
	struct mccl_clique *c;
	mcclUniqueId uid;
	struct mccl_id id;
	int count = 0;

	if (!comms)
		return fail(mcclInvalidArgument, "comm is NULL");
	if (ndev < 1 || ndev > MCCL_MAX_RANKS)
		return fail(mcclInvalidArgument, "ndev %d is not 1..%d", ndev, MCCL_MAX_RANKS);
	if (musaGetDeviceCount(&count) != musaSuccess)
		return fail(mcclUnhandledMusaError, "no device");
	for (int i = 0; i < ndev; i++) {
		int d = devlist ? devlist[i] : i;

		if (d < 0 || d >= count)
			return fail(mcclInvalidArgument, "device %d does not exist", d);
		for (int j = 0; j < i; j++)
			if ((devlist ? devlist[j] : j) == d)
				return fail(mcclInvalidUsage, "device %d is listed twice", d);
	}
	mcclGetUniqueId(&uid);
	memcpy(&id, uid.internal, sizeof(id));
	c = clique_new(&id, ndev);
	if (!c)
		return fail(mcclSystemError, "out of memory");
	for (int i = 0; i < ndev; i++) {
		c->ranks[i] = comm_new(c, i, devlist ? devlist[i] : i);
		if (!c->ranks[i]) {
			for (int j = 0; j < i; j++)
				free(c->ranks[j]);
			free(c);
			return fail(mcclSystemError, "out of memory");
		}
	}
	c->joined = c->refs = ndev;
	pthread_mutex_lock(&registry_lock);
	c->next = registry;
	registry = c;
	pthread_mutex_unlock(&registry_lock);
	for (int i = 0; i < ndev; i++)
		comms[i] = c->ranks[i];
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclCommFinalize(mcclComm_t comm)
{
	if (!comm)
		return fail(mcclInvalidArgument, "communicator is NULL");
	if (comm->destroyed)
		return fail(mcclInvalidUsage, "communicator was destroyed");
	/* queued operations finish in their streams; nothing else is held */
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclCommDestroy(mcclComm_t comm)
{
	if (!comm)
		return fail(mcclInvalidArgument, "communicator is NULL");
	if (comm->destroyed)
		return fail(mcclInvalidUsage, "communicator was destroyed");
	comm->destroyed = 1;
	pthread_mutex_lock(&comm->c->lock);
	if (comm->c->ranks[comm->rank] == comm)
		comm->c->ranks[comm->rank] = NULL;
	pthread_mutex_unlock(&comm->c->lock);
	comm_put(comm);
	return mcclSuccess;
}

/* Every rank's waits end, with mcclRemoteError for the others. */
MCCL_API mcclResult_t mcclCommAbort(mcclComm_t comm)
{
	struct mccl_clique *c;

	if (!comm)
		return fail(mcclInvalidArgument, "communicator is NULL");
	c = comm->c;
	if (comm->tp)
		comm->tp->abort(comm->tpd);
	pthread_mutex_lock(&c->lock);
	c->aborted = 1;
	for (int i = 0; i < c->nranks; i++)
		if (c->ranks[i] && c->ranks[i] != comm)
			comm_error(c->ranks[i], mcclRemoteError);
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->lock);
	if (comm->destroyed)
		return mcclSuccess;
	return mcclCommDestroy(comm);
}

MCCL_API const char *mcclGetErrorString(mcclResult_t r)
{
	switch (r) {
	case mcclSuccess: return "no error";
	case mcclUnhandledMusaError: return "unhandled musa error";
	case mcclSystemError: return "unhandled system error";
	case mcclInternalError: return "internal error";
	case mcclInvalidArgument: return "invalid argument";
	case mcclInvalidUsage: return "invalid usage";
	case mcclRemoteError: return "remote process exited or there was a network error";
	case mcclInProgress: return "MCCL operation in progress";
	default: return "unknown result code";
	}
}

MCCL_API const char *mcclGetLastError(mcclComm_t comm)
{
	(void)comm;
	return last_error;
}

MCCL_API mcclResult_t mcclCommGetAsyncError(mcclComm_t comm, mcclResult_t *asyncError)
{
	if (!comm || !asyncError)
		return fail(mcclInvalidArgument, "%s is NULL", comm ? "asyncError" : "communicator");
	*asyncError = (mcclResult_t)atomic_load(&comm->async_error);
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclCommCount(const mcclComm_t comm, int *count)
{
	if (!comm || !count)
		return fail(mcclInvalidArgument, "%s is NULL", comm ? "count" : "communicator");
	*count = comm->c->nranks;
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclCommMuDevice(const mcclComm_t comm, int *device)
{
	if (!comm || !device)
		return fail(mcclInvalidArgument, "%s is NULL", comm ? "device" : "communicator");
	*device = comm->dev;
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclCommUserRank(const mcclComm_t comm, int *rank)
{
	if (!comm || !rank)
		return fail(mcclInvalidArgument, "%s is NULL", comm ? "rank" : "communicator");
	*rank = comm->rank;
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclRedOpCreatePreMulSum(mcclRedOp_t *op, void *scalar,
					       mcclDataType_t datatype,
					       mcclScalarResidence_t residence, mcclComm_t comm)
{
	mcclResult_t r = comm_check(comm);

	if (r)
		return r;
	if (!op || !scalar)
		return fail(mcclInvalidArgument, "%s is NULL", op ? "scalar" : "op");
	if (!mccl_type_size(datatype))
		return fail(mcclInvalidArgument, "datatype %d is not an mcclDataType_t",
			    (int)datatype);
	if (residence != mcclScalarDevice && residence != mcclScalarHostImmediate)
		return fail(mcclInvalidArgument, "residence %d is not an mcclScalarResidence_t",
			    (int)residence);
	for (int i = 0; i < MCCL_PREMUL_SLOTS; i++) {
		if (comm->premul[i].used)
			continue;
		comm->premul[i].used = 1;
		comm->premul[i].type = datatype;
		comm->premul[i].dev = residence == mcclScalarDevice ? scalar : NULL;
		comm->premul[i].host = residence == mcclScalarHostImmediate ?
				       mccl_scalar_value(datatype, scalar) : 0;
		*op = (mcclRedOp_t)(mcclNumOps + i);
		return mcclSuccess;
	}
	return fail(mcclInvalidUsage, "more than %d pre-multiplied sums at once",
		    MCCL_PREMUL_SLOTS);
}

MCCL_API mcclResult_t mcclRedOpDestroy(mcclRedOp_t op, mcclComm_t comm)
{
	int i = (int)op - mcclNumOps;

	if (!comm)
		return fail(mcclInvalidArgument, "communicator is NULL");
	if (i < 0 || i >= MCCL_PREMUL_SLOTS || !comm->premul[i].used)
		return fail(mcclInvalidArgument, "op %d was not made by mcclRedOpCreatePreMulSum",
			    (int)op);
	comm->premul[i].used = 0;
	return mcclSuccess;
}

/* Running tasks */

static int tasks_agree(const struct mccl_clique *c)
{
	const struct mccl_task *a = c->posted[0];

	for (int q = 1; q < c->nranks; q++) {
		const struct mccl_task *b = c->posted[q];

		if (b->kind != a->kind || b->count != a->count || b->type != a->type ||
		    b->root != a->root || (b->op < 0) != (a->op < 0) ||
		    (a->op >= 0 && b->op != a->op))
			return 0;
	}
	return 1;
}

/* This rank's share of a collective every rank posted. */
static void collective_share(struct mccl_clique *c, struct mccl_task *t)
{
	const void *sends[MCCL_MAX_RANKS];
	void *recvs[MCCL_MAX_RANKS];
	double scal[MCCL_MAX_RANKS];

	for (int q = 0; q < c->nranks; q++) {
		sends[q] = c->posted[q]->send;
		recvs[q] = c->posted[q]->recv;
		scal[q] = c->posted[q]->scalar;
	}
	mccl_share(t->kind, t->type, t->op, t->count, t->root, c->nranks, t->comm->rank, sends,
		   recvs, scal);
}

static void run_collective(struct mccl_task *t)
{
	struct mccl_clique *c = t->comm->c;

	if (t->scalar_dev)
		t->scalar = mccl_scalar_value(t->scalar_type, t->scalar_dev);
	pthread_mutex_lock(&c->lock);
	c->posted[t->comm->rank] = t;
	if (clique_barrier(c)) {
		pthread_mutex_unlock(&c->lock);
		comm_error(t->comm, mcclRemoteError);
		return;
	}
	pthread_mutex_unlock(&c->lock);
	/* every rank sees the same tasks, so every rank decides the same */
	if (tasks_agree(c))
		collective_share(c, t);
	else
		comm_error(t->comm, mcclInvalidUsage);
	pthread_mutex_lock(&c->lock);
	if (clique_barrier(c))
		comm_error(t->comm, mcclRemoteError);
	pthread_mutex_unlock(&c->lock);
}

static void run_p2p(struct mccl_task *t)
{
	struct mccl_clique *c = t->comm->c;
	int r = t->comm->rank, bad = 0;

	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < t->np2p; i++) {
		struct mccl_p2p *p = &t->p2p[i];

		if (!p->send)
			continue;
		p->next = NULL;
		if (c->mail_tail[r][p->peer])
			c->mail_tail[r][p->peer]->next = p;
		else
			c->mail_head[r][p->peer] = p;
		c->mail_tail[r][p->peer] = p;
	}
	pthread_cond_broadcast(&c->cv);
	for (int i = 0; i < t->np2p && !c->aborted; i++) {
		struct mccl_p2p *p = &t->p2p[i], *s;

		if (p->send)
			continue;
		while (!(s = c->mail_head[p->peer][r]) && !c->aborted)
			pthread_cond_wait(&c->cv, &c->lock);
		if (!s)
			break;
		c->mail_head[p->peer][r] = s->next;
		if (!s->next)
			c->mail_tail[p->peer][r] = NULL;
		pthread_mutex_unlock(&c->lock);
		if (s->bytes != p->bytes)
			bad = s->error = 1;
		else if (p->bytes && s->buf != p->buf)
			memmove(p->buf, s->buf, p->bytes);
		pthread_mutex_lock(&c->lock);
		s->done = 1;
		pthread_cond_broadcast(&c->cv);
	}
	for (int i = 0; i < t->np2p; i++) {
		struct mccl_p2p *p = &t->p2p[i];

		if (!p->send)
			continue;
		while (!p->done && !c->aborted)
			pthread_cond_wait(&c->cv, &c->lock);
		bad |= p->error;
	}
	if (c->aborted)
		comm_error(t->comm, mcclRemoteError);
	pthread_mutex_unlock(&c->lock);
	if (bad)
		comm_error(t->comm, mcclInvalidUsage);
}

static __thread int in_host_fn;

int mccl_in_host_fn(void)
{
	return in_host_fn;
}

static void MUSART_CB task_run(void *arg)
{
	struct mccl_task *t = arg;

	in_host_fn = 1;
	if (t->comm->tp) {
		mcclResult_t r = mcclSuccess;

		if (t->kind == MCCL_K_P2P) {
			r = t->comm->tp->p2p(t->comm->tpd, t->p2p, t->np2p);
		} else if (!atomic_load(&t->comm->async_error)) {
			struct mccl_desc d = { t->kind, t->type, t->op, t->root, t->count,
					       t->scalar_dev ? mccl_scalar_value(t->scalar_type,
										 t->scalar_dev) :
							       t->scalar };

			r = t->comm->tp->collective(t->comm->tpd, &d, t->send, t->recv);
		}
		if (r)
			comm_error(t->comm, r);
	} else if (!atomic_load(&t->comm->async_error) || t->kind == MCCL_K_P2P) {
		if (t->kind == MCCL_K_P2P)
			run_p2p(t);
		else
			run_collective(t);
	}
	comm_put(t->comm);
	free(t->p2p);
	free(t);
	in_host_fn = 0;
}

/* Queues t on stream (the legacy stream of the comm's device for NULL). */
static mcclResult_t task_queue(struct mccl_task *t, musaStream_t stream)
{
	struct mcclComm *comm = t->comm;
	int cur = -1;
	musaError_t e;

	atomic_fetch_add(&comm->refs, 1);
	if (musaGetDevice(&cur) == musaSuccess && cur != comm->dev)
		musaSetDevice(comm->dev);
	e = musaLaunchHostFunc(stream, task_run, t);
	if (cur >= 0 && cur != comm->dev)
		musaSetDevice(cur);
	if (e != musaSuccess) {
		comm_put(comm);
		free(t->p2p);
		free(t);
		return fail(mcclUnhandledMusaError, "cannot queue on the stream: %s",
			    musaGetErrorString(e));
	}
	return mcclSuccess;
}

/* Argument checks */

/* A buffer the device can address (device, managed or registered memory). */
static mcclResult_t check_buf(const void *p, size_t bytes, const char *what)
{
	struct musaPointerAttributes a;

	if (!bytes)
		return mcclSuccess;
	if (!p)
		return fail(mcclInvalidArgument, "%s is NULL", what);
	if (musaPointerGetAttributes(&a, p) != musaSuccess) {
		musaGetLastError();
		return fail(mcclInvalidArgument, "%s is not memory the device can address", what);
	}
	if (a.type == musaMemoryTypeUnregistered)
		return fail(mcclInvalidArgument, "%s is host memory the device cannot address",
			    what);
	return mcclSuccess;
}

static mcclResult_t check_type(mcclDataType_t type)
{
	if (!mccl_type_size((int)type))
		return fail(mcclInvalidArgument, "datatype %d is not an mcclDataType_t", (int)type);
	return mcclSuccess;
}

/* The op of a task: an mcclRedOp_t, or MCCL_OP_PREMUL with its scalar. */
static mcclResult_t task_op(struct mccl_task *t, mcclRedOp_t op)
{
	int i = (int)op - mcclNumOps;

	if ((int)op >= 0 && op < mcclNumOps) {
		t->op = (int)op;
		return mcclSuccess;
	}
	if (i < 0 || i >= MCCL_PREMUL_SLOTS || !t->comm->premul[i].used)
		return fail(mcclInvalidArgument, "op %d is not an mcclRedOp_t of this "
			    "communicator", (int)op);
	t->op = MCCL_OP_PREMUL;
	t->scalar = t->comm->premul[i].host;
	t->scalar_dev = t->comm->premul[i].dev;
	t->scalar_type = t->comm->premul[i].type;
	return mcclSuccess;
}

static mcclResult_t collective(int kind, const void *send, size_t send_bytes, void *recv,
			       size_t recv_bytes, size_t count, mcclDataType_t type,
			       int op_used, mcclRedOp_t op, int root, mcclComm_t comm,
			       musaStream_t stream)
{
	struct mccl_task *t;
	mcclResult_t r;

	if ((r = comm_check(comm)) || (r = check_type(type)))
		return r;
	if (root < 0 || root >= comm->c->nranks)
		return fail(mcclInvalidArgument, "root %d is not a rank", root);
	if ((r = check_buf(send, send_bytes, "sendbuff")) ||
	    (r = check_buf(recv, recv_bytes, "recvbuff")))
		return r;
	t = calloc(1, sizeof(*t));
	if (!t)
		return fail(mcclSystemError, "out of memory");
	t->comm = comm;
	t->kind = kind;
	t->send = send;
	t->recv = recv;
	t->count = count;
	t->type = (int)type;
	t->root = root;
	t->op = mcclSum;
	if (op_used && (r = task_op(t, op))) {
		free(t);
		return r;
	}
	if (!count) {
		free(t);   /* nothing moves: no rank waits for it */
		return mcclSuccess;
	}
	return task_queue(t, stream);
}

MCCL_API mcclResult_t mcclAllReduce(const void *sendbuff, void *recvbuff, size_t count,
				    mcclDataType_t datatype, mcclRedOp_t op, mcclComm_t comm,
				    musaStream_t stream)
{
	size_t bytes = count * mccl_type_size(datatype);

	return collective(MCCL_K_ALLREDUCE, sendbuff, bytes, recvbuff, bytes, count, datatype, 1, op,
			  0, comm, stream);
}

MCCL_API mcclResult_t mcclReduce(const void *sendbuff, void *recvbuff, size_t count,
				 mcclDataType_t datatype, mcclRedOp_t op, int root, mcclComm_t comm,
				 musaStream_t stream)
{
	size_t bytes = count * mccl_type_size(datatype);
	int me = comm ? comm->rank : -1;

	return collective(MCCL_K_REDUCE, sendbuff, bytes, recvbuff, me == root ? bytes : 0, count,
			  datatype, 1, op, root, comm, stream);
}

MCCL_API mcclResult_t mcclBroadcast(const void *sendbuff, void *recvbuff, size_t count,
				    mcclDataType_t datatype, int root, mcclComm_t comm,
				    musaStream_t stream)
{
	size_t bytes = count * mccl_type_size(datatype);
	int me = comm ? comm->rank : -1;

	return collective(MCCL_K_BROADCAST, sendbuff, me == root ? bytes : 0, recvbuff, bytes, count,
			  datatype, 0, mcclSum, root, comm, stream);
}

MCCL_API mcclResult_t mcclBcast(void *buff, size_t count, mcclDataType_t datatype, int root,
				mcclComm_t comm, musaStream_t stream)
{
	return mcclBroadcast(buff, buff, count, datatype, root, comm, stream);
}

MCCL_API mcclResult_t mcclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount,
				    mcclDataType_t datatype, mcclComm_t comm, musaStream_t stream)
{
	size_t bytes = sendcount * mccl_type_size(datatype);
	size_t n = comm && !comm_check(comm) ? (size_t)comm->c->nranks : 1;

	return collective(MCCL_K_ALLGATHER, sendbuff, bytes, recvbuff, bytes * n, sendcount, datatype,
			  0, mcclSum, 0, comm, stream);
}

MCCL_API mcclResult_t mcclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount,
					mcclDataType_t datatype, mcclRedOp_t op, mcclComm_t comm,
					musaStream_t stream)
{
	size_t bytes = recvcount * mccl_type_size(datatype);
	size_t n = comm && !comm_check(comm) ? (size_t)comm->c->nranks : 1;

	return collective(MCCL_K_REDUCESCATTER, sendbuff, bytes * n, recvbuff, bytes, recvcount,
			  datatype, 1, op, 0, comm, stream);
}

/* Sends, receives and groups */

static mcclResult_t group_flush_comm(struct mcclComm *comm)
{
	struct mccl_task *t;
	mcclResult_t r;

	if (!comm->npend)
		return mcclSuccess;
	t = calloc(1, sizeof(*t));
	if (!t)
		return fail(mcclSystemError, "out of memory");
	t->comm = comm;
	t->kind = MCCL_K_P2P;
	t->p2p = comm->pend;
	t->np2p = comm->npend;
	comm->pend = NULL;
	comm->npend = comm->cap = 0;
	r = task_queue(t, comm->pend_stream);
	return r;
}

static mcclResult_t p2p(int send, void *buf, size_t count, mcclDataType_t type, int peer,
			mcclComm_t comm, musaStream_t stream)
{
	mcclResult_t r;
	struct mccl_p2p *p;

	if ((r = comm_check(comm)) || (r = check_type(type)))
		return r;
	if (peer < 0 || peer >= comm->c->nranks)
		return fail(mcclInvalidArgument, "peer %d is not a rank", peer);
	if ((r = check_buf(buf, count * mccl_type_size(type), send ? "sendbuff" : "recvbuff")))
		return r;
	if (comm->npend && comm->pend_stream != stream)
		return fail(mcclInvalidUsage, "sends and receives of one communicator in a "
			    "group must use one stream");
	if (comm->npend == comm->cap) {
		int cap = comm->cap ? comm->cap * 2 : 8;

		p = realloc(comm->pend, (size_t)cap * sizeof(*p));
		if (!p)
			return fail(mcclSystemError, "out of memory");
		comm->pend = p;
		comm->cap = cap;
	}
	p = &comm->pend[comm->npend++];
	memset(p, 0, sizeof(*p));
	p->send = send;
	p->peer = peer;
	p->buf = buf;
	p->bytes = count * mccl_type_size(type);
	comm->pend_stream = stream;
	if (!comm->in_group) {
		comm->in_group = 1;
		comm->group_next = group_comms;
		group_comms = comm;
	}
	if (group_depth)
		return mcclSuccess;
	/* alone: a group of one */
	group_comms = comm->group_next;
	comm->in_group = 0;
	return group_flush_comm(comm);
}

MCCL_API mcclResult_t mcclSend(const void *sendbuff, size_t count, mcclDataType_t datatype,
			       int peer, mcclComm_t comm, musaStream_t stream)
{
	return p2p(1, (void *)sendbuff, count, datatype, peer, comm, stream);
}

MCCL_API mcclResult_t mcclRecv(void *recvbuff, size_t count, mcclDataType_t datatype, int peer,
			       mcclComm_t comm, musaStream_t stream)
{
	return p2p(0, recvbuff, count, datatype, peer, comm, stream);
}

MCCL_API mcclResult_t mcclGroupStart(void)
{
	group_depth++;
	return mcclSuccess;
}

MCCL_API mcclResult_t mcclGroupEnd(void)
{
	mcclResult_t r = mcclSuccess, e;

	if (group_depth == 0)
		return fail(mcclInvalidUsage, "mcclGroupEnd without mcclGroupStart");
	if (--group_depth)
		return mcclSuccess;
	while (group_comms) {
		struct mcclComm *comm = group_comms;

		group_comms = comm->group_next;
		comm->in_group = 0;
		e = group_flush_comm(comm);
		if (!r)
			r = e;
	}
	return r;
}
