/* SPDX-License-Identifier: MIT */
/*
 * shm.c - MCCL's transport between processes of one machine: a POSIX
 * shared-memory segment per clique, named after its unique id, through
 * which the ranks stage their data. A process's device memory is its own
 * memory here, so every rank copies its part in, the ranks reduce disjoint
 * slices of what was staged, and every rank copies the result out, a chunk
 * at a time; sends and receives stream through one ring per ordered pair
 * of ranks. Also used between ranks of one process with
 * MCCL_TRANSPORT=shm (the tests run it so).
 *
 * Collectives of at least MCCL_IPC_MIN bytes skip the staging: each rank
 * exports its buffers with the stack's IPC memory handles (the handle of
 * the allocation and the offset into it), the others open them, and every
 * rank does its share reading and writing the others' buffers directly, as
 * ranks of one process do. Opened handles are kept (closing one waits for
 * the device, which a host function must not do) and closed when the
 * communicator goes, unless that happens in a host function: then they
 * stay mapped until the process ends. Memory without a handle (registered
 * host memory), a handle that does not open, or a full cache sends every
 * rank back to staging for that operation.
 *
 * The segment holds a process-shared, robust mutex and condition variable,
 * the barrier, each rank's process id and posted operation, the staging
 * slots and the rings. Every wait wakes at least every 50 ms to look for
 * an abort (mcclCommAbort in any rank) and for ranks whose process died:
 * either ends the wait with mcclRemoteError for everyone.
 * May call: libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mccl_int.h"
#include "musa.h"
#include "musa_runtime.h"

#define SHM_MAGIC 0x4d4853434c43434dull   /* "MCCLSHM" */
#define SHM_WAIT_NS 50000000l
#define SHM_MSGS 64
#define MCCL_IPC_MIN (256u << 10)
#define MCCL_IPC_CACHE 256

/* A rank's buffers for one collective, as IPC handles. */
struct shm_ipc {
	int32_t ok;                    /* exported every buffer it has */
	int32_t opened;                /* opened every other rank's */
	int32_t has_send, has_recv;
	musaIpcMemHandle_t send_h, recv_h;
	uint64_t send_off, recv_off;
};

struct shm_ring {
	_Atomic uint64_t wpos, rpos;   /* bytes written and read, ever */
	_Atomic uint64_t wmsg, rmsg;   /* messages begun by the sender, finished by the receiver */
	uint64_t size[SHM_MSGS];       /* each message's bytes */
	_Atomic uint32_t bad;          /* the receiver saw a size it did not expect */
	uint32_t pad;
};

struct shm_hdr {
	_Atomic uint64_t magic;        /* set last by the creator */
	uint32_t nranks;
	uint32_t joined;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	uint64_t gen;                  /* barrier */
	uint32_t count;
	uint64_t arrived[MCCL_MAX_RANKS]; /* the barrier generation each rank reached */
	_Atomic uint32_t aborted;
	int32_t pid[MCCL_MAX_RANKS];
	struct mccl_desc desc[MCCL_MAX_RANKS];
	struct shm_ipc ipc[MCCL_MAX_RANKS];
	uint64_t slot_bytes, pair_bytes;
	uint64_t slot_off, res_off, ring_off, pair_off;
};

struct mccl_shm {
	struct shm_hdr *h;
	size_t len;
	int nranks, rank;
	int dev;                       /* the rank's device, for the IPC calls */
	struct {
		musaIpcMemHandle_t h;
		void *p;
	} map[MCCL_IPC_CACHE];         /* other ranks' allocations opened so far */
	int nmap;
	char name[96];
};

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

static unsigned char *slot(struct mccl_shm *s, int q)
{
	return (unsigned char *)s->h + s->h->slot_off + (size_t)q * s->h->slot_bytes;
}

static unsigned char *res(struct mccl_shm *s)
{
	return (unsigned char *)s->h + s->h->res_off;
}

static struct shm_ring *ring(struct mccl_shm *s, int from, int to)
{
	return (struct shm_ring *)((unsigned char *)s->h + s->h->ring_off) +
	       (size_t)from * (size_t)s->nranks + (size_t)to;
}

static unsigned char *pair(struct mccl_shm *s, int from, int to)
{
	return (unsigned char *)s->h + s->h->pair_off +
	       ((size_t)from * (size_t)s->nranks + (size_t)to) * s->h->pair_bytes;
}

/* Locks the segment; a rank that died holding it aborts the clique. */
static void shm_lock(struct mccl_shm *s)
{
	if (pthread_mutex_lock(&s->h->lock) == EOWNERDEAD) {
		atomic_store(&s->h->aborted, 1);
		pthread_mutex_consistent(&s->h->lock);
	}
}

static void shm_unlock(struct mccl_shm *s)
{
	pthread_mutex_unlock(&s->h->lock);
}

static void shm_wake(struct mccl_shm *s)
{
	shm_lock(s);
	pthread_cond_broadcast(&s->h->cv);
	shm_unlock(s);
}

/* Whether process pid has ended (gone, or a zombie its parent has not
 * reaped yet). */
static int pid_ended(int pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	if (kill(pid, 0) != 0)
		return errno == ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* A timed wait (lock held); afterwards, a rank of `awaited` (a bit per
 * rank this one waits for) whose process is gone aborts the clique. Ranks
 * that did their part may have exited: they are not awaited. */
static void shm_wait(struct mccl_shm *s, uint64_t awaited)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += SHM_WAIT_NS;
	if (ts.tv_nsec >= 1000000000l) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000l;
	}
	if (pthread_cond_timedwait(&s->h->cv, &s->h->lock, &ts) == EOWNERDEAD) {
		atomic_store(&s->h->aborted, 1);
		pthread_mutex_consistent(&s->h->lock);
	}
	for (int q = 0; q < s->nranks; q++)
		if ((awaited >> q & 1) && s->h->pid[q] > 0 && pid_ended(s->h->pid[q])) {
			atomic_store(&s->h->aborted, 1);
			pthread_cond_broadcast(&s->h->cv);
		}
}

/* Every rank got here: 0; -1 once the clique is aborted. */
static int shm_barrier(struct mccl_shm *s)
{
	uint64_t g;
	int ret = 0;

	shm_lock(s);
	g = s->h->gen;
	s->h->arrived[s->rank] = g + 1;
	if (++s->h->count == (uint32_t)s->nranks) {
		s->h->count = 0;
		s->h->gen++;
		pthread_cond_broadcast(&s->h->cv);
	} else {
		while (s->h->gen == g && !atomic_load(&s->h->aborted)) {
			uint64_t awaited = 0;

			for (int q = 0; q < s->nranks; q++)
				if (s->h->arrived[q] != g + 1)
					awaited |= 1ull << q;
			shm_wait(s, awaited);
		}
		/* passed, even if a rank that also passed has exited since */
		ret = s->h->gen == g ? -1 : 0;
	}
	shm_unlock(s);
	return ret;
}

static void shm_name(const struct mccl_id *id, char *buf, size_t n)
{
	snprintf(buf, n, "/mccl-%u-%llu-%016llx", id->pid, (unsigned long long)id->serial,
		 (unsigned long long)id->nonce);
}

/* Creates and lays out the segment (the first rank to come). */
static int shm_create(struct mccl_shm *s, int fd)
{
	struct shm_hdr *h;
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	size_t n = (size_t)s->nranks, slot_bytes = 1u << 20, pair_bytes = n > 8 ? 64u << 10 : 256u << 10;
	size_t off = align_up(sizeof(*h), 4096);
	size_t slot_off = off, res_off = slot_off + n * slot_bytes;
	size_t ring_off = align_up(res_off + slot_bytes, 4096);
	size_t pair_off = align_up(ring_off + n * n * sizeof(struct shm_ring), 4096);

	s->len = pair_off + n * n * pair_bytes;
	if (ftruncate(fd, (off_t)s->len) != 0)
		return -1;
	h = mmap(NULL, s->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED)
		return -1;
	h->nranks = (uint32_t)s->nranks;
	h->slot_bytes = slot_bytes;
	h->pair_bytes = pair_bytes;
	h->slot_off = slot_off;
	h->res_off = res_off;
	h->ring_off = ring_off;
	h->pair_off = pair_off;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&h->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&h->cv, &ca);
	pthread_condattr_destroy(&ca);
	atomic_store_explicit(&h->magic, SHM_MAGIC, memory_order_release);
	s->h = h;
	return 0;
}

/* Opens the segment another rank created, once it is laid out. */
static int shm_open_existing(struct mccl_shm *s, int fd)
{
	struct stat st;
	struct shm_hdr *h;

	for (int tries = 0; tries < 6000; tries++) {
		if (fstat(fd, &st) == 0 && st.st_size > 0) {
			h = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (h == MAP_FAILED)
				return -1;
			while (atomic_load_explicit(&h->magic, memory_order_acquire) != SHM_MAGIC &&
			       tries++ < 6000)
				usleep(1000);
			if (h->nranks != (uint32_t)s->nranks) {
				munmap(h, (size_t)st.st_size);
				errno = EINVAL;
				return -1;
			}
			s->h = h;
			s->len = (size_t)st.st_size;
			return 0;
		}
		usleep(1000);
	}
	errno = ETIMEDOUT;
	return -1;
}

static mcclResult_t shm_join(const struct mccl_id *id, int nranks, int rank, void **out)
{
	struct mccl_shm *s = calloc(1, sizeof(*s));
	int fd, created = 0;

	if (!s)
		return mcclSystemError;
	s->nranks = nranks;
	s->rank = rank;
	if (musaGetDevice(&s->dev) != musaSuccess)
		s->dev = -1;
	shm_name(id, s->name, sizeof(s->name));
	fd = shm_open(s->name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd >= 0)
		created = 1;
	else if (errno == EEXIST)
		fd = shm_open(s->name, O_RDWR, 0600);
	if (fd < 0 || (created ? shm_create(s, fd) : shm_open_existing(s, fd))) {
		if (fd >= 0)
			close(fd);
		if (created)
			shm_unlink(s->name);
		free(s);
		return errno == EINVAL ? mcclInvalidArgument : mcclSystemError;
	}
	close(fd);
	shm_lock(s);
	if (s->h->pid[rank]) {
		shm_unlock(s);
		munmap(s->h, s->len);
		free(s);
		return mcclInvalidArgument;   /* the rank joined already */
	}
	s->h->pid[rank] = (int32_t)getpid();
	s->h->joined++;
	pthread_cond_broadcast(&s->h->cv);
	while (s->h->joined < (uint32_t)nranks && !atomic_load(&s->h->aborted))
		shm_wait(s, 0);   /* a rank that has not joined has no process to watch */
	shm_unlock(s);
	/* everyone has it open: the name can go */
	shm_unlink(s->name);
	if (atomic_load(&s->h->aborted)) {
		munmap(s->h, s->len);
		free(s);
		return mcclRemoteError;
	}
	*out = s;
	return mcclSuccess;
}

int mccl_shm_all_local(void *arg)
{
	struct mccl_shm *s = arg;

	for (int q = 0; q < s->nranks; q++)
		if (s->h->pid[q] != (int32_t)getpid())
			return 0;
	return 1;
}

static void shm_abort(void *arg)
{
	struct mccl_shm *s = arg;

	atomic_store(&s->h->aborted, 1);
	shm_wake(s);
}

static void shm_leave(void *arg)
{
	struct mccl_shm *s = arg;

	/* closing waits for the device: not from a stream's host function */
	if (!mccl_in_host_fn())
		for (int i = 0; i < s->nmap; i++)
			musaIpcCloseMemHandle(s->map[i].p);
	munmap(s->h, s->len);
	free(s);
}

/* Collectives */

static int descs_agree(struct mccl_shm *s)
{
	const struct mccl_desc *a = &s->h->desc[0];

	for (int q = 1; q < s->nranks; q++) {
		const struct mccl_desc *b = &s->h->desc[q];

		if (b->kind != a->kind || b->count != a->count || b->type != a->type ||
		    b->root != a->root || (b->op < 0) != (a->op < 0) ||
		    (a->op >= 0 && b->op != a->op))
			return 0;
	}
	return 1;
}

/* One chunk of a reduction: every rank staged m elements in its slot;
 * this rank reduces its sub-slice into the result area. */
static void reduce_chunk(struct mccl_shm *s, const struct mccl_desc *d, size_t m,
			 const struct mccl_premul *pm)
{
	const void *in[MCCL_MAX_RANKS];
	size_t b = m * (size_t)s->rank / (size_t)s->nranks;
	size_t e = m * (size_t)(s->rank + 1) / (size_t)s->nranks;

	for (int q = 0; q < s->nranks; q++)
		in[q] = slot(s, q);
	mccl_reduce(d->type, d->op, res(s), in, s->nranks, b, e, pm);
}

/* The IPC handle of the allocation holding p, and p's offset in it. */
static int ipc_export(const void *p, musaIpcMemHandle_t *h, uint64_t *off)
{
	MUdeviceptr base = 0;
	size_t size = 0;

	if (muMemGetAddressRange(&base, &size, (MUdeviceptr)(uintptr_t)p) != MUSA_SUCCESS)
		return -1;
	if (musaIpcGetMemHandle(h, (void *)(uintptr_t)base) != musaSuccess) {
		musaGetLastError();
		return -1;
	}
	*off = (uint64_t)((uintptr_t)p - base);
	return 0;
}

/* Another rank's allocation, opened once and kept; NULL when it cannot be. */
static void *ipc_open(struct mccl_shm *s, const musaIpcMemHandle_t *h)
{
	void *p;

	for (int i = 0; i < s->nmap; i++)
		if (!memcmp(&s->map[i].h, h, sizeof(*h)))
			return s->map[i].p;
	if (s->nmap == MCCL_IPC_CACHE)
		return NULL;
	if (musaIpcOpenMemHandle(&p, *h, musaIpcMemLazyEnablePeerAccess) != musaSuccess) {
		musaGetLastError();
		return NULL;
	}
	s->map[s->nmap].h = *h;
	s->map[s->nmap++].p = p;
	return p;
}

/*
 * The collective through the other ranks' buffers: 0 when done; 1 when
 * some rank could not export or open, and every rank stages instead; -1
 * when the clique was aborted.
 */
static int ipc_collective(struct mccl_shm *s, const struct mccl_desc *d, const void *send,
			  void *recv)
{
	struct shm_ipc *me = &s->h->ipc[s->rank];
	const void *sends[MCCL_MAX_RANKS];
	void *recvs[MCCL_MAX_RANKS];
	double scal[MCCL_MAX_RANKS];
	int all = 1, r = s->rank;

	if (s->dev >= 0)
		musaSetDevice(s->dev);
	me->has_send = send && !(d->kind == MCCL_K_BROADCAST && r != d->root);
	me->has_recv = recv && !(d->kind == MCCL_K_REDUCE && r != d->root);
	me->ok = (!me->has_send || !ipc_export(send, &me->send_h, &me->send_off)) &&
		 (!me->has_recv || !ipc_export(recv, &me->recv_h, &me->recv_off));
	me->opened = 0;
	if (shm_barrier(s))
		return -1;
	for (int q = 0; q < s->nranks; q++)
		all &= s->h->ipc[q].ok;
	if (!all)
		return 1;
	me->opened = 1;
	for (int q = 0; q < s->nranks; q++) {
		const struct shm_ipc *x = &s->h->ipc[q];
		char *p;

		scal[q] = s->h->desc[q].scalar;
		sends[q] = q == r ? send : NULL;
		recvs[q] = q == r ? recv : NULL;
		if (q == r)
			continue;
		if (x->has_send) {
			p = ipc_open(s, &x->send_h);
			me->opened &= p != NULL;
			sends[q] = p ? p + x->send_off : NULL;
		}
		if (x->has_recv) {
			p = ipc_open(s, &x->recv_h);
			me->opened &= p != NULL;
			recvs[q] = p ? p + x->recv_off : NULL;
		}
	}
	if (shm_barrier(s))
		return -1;
	for (int q = 0; q < s->nranks; q++)
		all &= s->h->ipc[q].opened;
	if (!all)
		return 1;
	mccl_share(d->kind, d->type, d->op, d->count, d->root, s->nranks, r, sends, recvs, scal);
	return shm_barrier(s) ? -1 : 0;
}

static mcclResult_t shm_collective(void *arg, const struct mccl_desc *d, const void *send,
				   void *recv)
{
	struct mccl_shm *s = arg;
	size_t es = mccl_type_size(d->type), per = s->h->slot_bytes / es, n = (size_t)s->nranks;
	int r = s->rank;
	struct mccl_premul pm;

	s->h->desc[r] = *d;
	if (shm_barrier(s))
		return mcclRemoteError;
	if (!descs_agree(s)) {
		shm_barrier(s);
		return mcclInvalidUsage;
	}
	for (int q = 0; q < s->nranks; q++)
		pm.scalar[q] = s->h->desc[q].scalar;
	/* every rank decides alike: they agree on the sizes */
	if ((d->kind == MCCL_K_ALLGATHER || d->kind == MCCL_K_REDUCESCATTER ? d->count * n :
	     d->count) * es >= MCCL_IPC_MIN) {
		int rc = ipc_collective(s, d, send, recv);

		if (rc < 0)
			return mcclRemoteError;
		if (rc == 0)
			return shm_barrier(s) ? mcclRemoteError : mcclSuccess;
	}
	switch (d->kind) {
	case MCCL_K_ALLREDUCE:
	case MCCL_K_REDUCE:
		for (size_t off = 0; off < d->count; off += per) {
			size_t m = d->count - off < per ? d->count - off : per;

			memcpy(slot(s, r), (const char *)send + off * es, m * es);
			if (shm_barrier(s))
				return mcclRemoteError;
			reduce_chunk(s, d, m, &pm);
			if (shm_barrier(s))
				return mcclRemoteError;
			if (d->kind == MCCL_K_ALLREDUCE || r == d->root)
				memcpy((char *)recv + off * es, res(s), m * es);
			if (shm_barrier(s))
				return mcclRemoteError;
		}
		break;
	case MCCL_K_REDUCESCATTER:
		for (size_t q = 0; q < n; q++)
			for (size_t off = 0; off < d->count; off += per) {
				size_t m = d->count - off < per ? d->count - off : per;

				memcpy(slot(s, r), (const char *)send + (q * d->count + off) * es,
				       m * es);
				if (shm_barrier(s))
					return mcclRemoteError;
				reduce_chunk(s, d, m, &pm);
				if (shm_barrier(s))
					return mcclRemoteError;
				if ((size_t)r == q)
					memcpy((char *)recv + off * es, res(s), m * es);
				if (shm_barrier(s))
					return mcclRemoteError;
			}
		break;
	case MCCL_K_BROADCAST:
		for (size_t off = 0; off < d->count; off += per) {
			size_t m = d->count - off < per ? d->count - off : per;

			if (r == d->root)
				memcpy(res(s), (const char *)send + off * es, m * es);
			if (shm_barrier(s))
				return mcclRemoteError;
			if ((char *)recv + off * es != (const char *)send + off * es || r != d->root)
				memcpy((char *)recv + off * es, res(s), m * es);
			if (shm_barrier(s))
				return mcclRemoteError;
		}
		break;
	case MCCL_K_ALLGATHER:
		for (size_t off = 0; off < d->count; off += per) {
			size_t m = d->count - off < per ? d->count - off : per;

			memcpy(slot(s, r), (const char *)send + off * es, m * es);
			if (shm_barrier(s))
				return mcclRemoteError;
			for (size_t q = 0; q < n; q++)
				memmove((char *)recv + (q * d->count + off) * es, slot(s, (int)q),
					m * es);
			if (shm_barrier(s))
				return mcclRemoteError;
		}
		break;
	}
	return shm_barrier(s) ? mcclRemoteError : mcclSuccess;
}

/* Sends and receives */

struct p2p_state {
	struct mccl_p2p *p;
	uint64_t done;      /* bytes moved */
	uint64_t want;      /* a receive: the bytes the sender's message has */
	int begun, over;
};

/* Moves what can move now for one operation; the bytes moved. */
static uint64_t p2p_step(struct mccl_shm *s, struct p2p_state *st)
{
	struct mccl_p2p *p = st->p;
	uint64_t cap = s->h->pair_bytes, moved = 0;

	if (p->send) {
		struct shm_ring *rg = ring(s, s->rank, p->peer);
		unsigned char *buf = pair(s, s->rank, p->peer);

		if (!st->begun) {
			uint64_t w = atomic_load(&rg->wmsg);

			if (w - atomic_load(&rg->rmsg) >= SHM_MSGS)
				return 0;
			rg->size[w % SHM_MSGS] = p->bytes;
			atomic_store(&rg->wmsg, w + 1);
			st->begun = 1;
			moved = 1;
		}
		while (st->done < p->bytes) {
			uint64_t wp = atomic_load(&rg->wpos), rp = atomic_load(&rg->rpos);
			uint64_t room = cap - (wp - rp), at = wp % cap, k = p->bytes - st->done;

			if (!room)
				break;
			if (k > room)
				k = room;
			if (k > cap - at)
				k = cap - at;
			memcpy(buf + at, (const char *)p->buf + st->done, k);
			atomic_store(&rg->wpos, wp + k);
			st->done += k;
			moved += k;
		}
		/* over once the receiver finished the message */
		if (st->done == p->bytes && atomic_load(&rg->rmsg) >= st->want)
			st->over = 1;
		return moved;
	}
	{
		struct shm_ring *rg = ring(s, p->peer, s->rank);
		unsigned char *buf = pair(s, p->peer, s->rank);

		if (!st->begun) {
			uint64_t m = atomic_load(&rg->rmsg);

			if (atomic_load(&rg->wmsg) == m)
				return 0;
			st->want = rg->size[m % SHM_MSGS];
			if (st->want != p->bytes) {
				atomic_store(&rg->bad, 1);
				p->error = 1;
			}
			st->begun = 1;
			moved = 1;
		}
		while (st->done < st->want) {
			uint64_t wp = atomic_load(&rg->wpos), rp = atomic_load(&rg->rpos);
			uint64_t avail = wp - rp, at = rp % cap, k = st->want - st->done;

			if (!avail)
				break;
			if (k > avail)
				k = avail;
			if (k > cap - at)
				k = cap - at;
			/* a longer message than expected is drained, not stored */
			if (st->done < p->bytes)
				memcpy((char *)p->buf + st->done, buf + at,
				       k < p->bytes - st->done ? k : p->bytes - st->done);
			atomic_store(&rg->rpos, rp + k);
			st->done += k;
			moved += k;
		}
		if (st->done == st->want) {
			atomic_fetch_add(&rg->rmsg, 1);
			st->over = 1;
			moved++;
		}
		return moved;
	}
}

/* Whether some operation could move now. */
static int p2p_ready(struct mccl_shm *s, const struct p2p_state *st, int nops)
{
	for (int i = 0; i < nops; i++) {
		const struct mccl_p2p *p = st[i].p;
		struct shm_ring *rg;

		if (st[i].over)
			continue;
		if (atomic_load(&s->h->aborted))
			return 1;
		if (p->send) {
			rg = ring(s, s->rank, p->peer);
			if (!st[i].begun ? atomic_load(&rg->wmsg) - atomic_load(&rg->rmsg) < SHM_MSGS :
			    st[i].done < p->bytes ?
			    atomic_load(&rg->wpos) - atomic_load(&rg->rpos) < s->h->pair_bytes :
			    atomic_load(&rg->rmsg) >= st[i].want)
				return 1;
		} else {
			rg = ring(s, p->peer, s->rank);
			if (!st[i].begun ? atomic_load(&rg->wmsg) != atomic_load(&rg->rmsg) :
			    atomic_load(&rg->wpos) != atomic_load(&rg->rpos))
				return 1;
		}
	}
	return 0;
}

static mcclResult_t shm_p2p(void *arg, struct mccl_p2p *ops, int nops)
{
	struct mccl_shm *s = arg;
	struct p2p_state *st = calloc((size_t)(nops ? nops : 1), sizeof(*st));
	int left = nops, bad = 0;

	if (!st)
		return mcclSystemError;
	/* a send is over once the receiver finished its message: `want` is
	 * the receiver's count of finished messages that shows it */
	for (int i = 0; i < nops; i++)
		st[i].p = &ops[i];
	for (;;) {
		int aborted = atomic_load(&s->h->aborted);
		uint64_t moved = 0;

		for (int i = 0; i < nops; i++) {
			int queued = 0;

			if (st[i].over)
				continue;
			/* one message at a time on a ring, in the group's order */
			for (int j = 0; j < i && !queued; j++)
				queued = ops[j].send == ops[i].send && ops[j].peer == ops[i].peer &&
					 (ops[j].send ? st[j].done < ops[j].bytes || !st[j].begun :
					  !st[j].over);
			if (queued)
				continue;
			if (ops[i].send && !st[i].begun) {
				struct shm_ring *rg = ring(s, s->rank, ops[i].peer);

				st[i].want = atomic_load(&rg->wmsg) + 1;
			}
			moved += p2p_step(s, &st[i]);
			if (st[i].over)
				left--;
		}
		if (!left || (aborted && !moved))
			break;   /* an abort ends it after one last look */
		if (moved) {
			shm_wake(s);
			continue;
		}
		/* looked at again under the lock, which every waker takes
		 * before it wakes: no wake-up is lost */
		shm_lock(s);
		if (!p2p_ready(s, st, nops)) {
			uint64_t awaited = 0;

			for (int i = 0; i < nops; i++)
				if (!st[i].over)
					awaited |= 1ull << ops[i].peer;
			shm_wait(s, awaited);
		}
		shm_unlock(s);
	}
	for (int i = 0; i < nops; i++)
		if (ops[i].send && atomic_load(&ring(s, s->rank, ops[i].peer)->bad))
			bad = 1;
		else if (!ops[i].send && ops[i].error)
			bad = 1;
	free(st);
	if (left)
		return mcclRemoteError;
	return bad ? mcclInvalidUsage : mcclSuccess;
}

const struct mccl_transport mccl_shm_transport = {
	"shm", shm_join, shm_collective, shm_p2p, shm_abort, shm_leave,
};
