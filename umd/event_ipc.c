/* SPDX-License-Identifier: MIT */
/*
 * event_ipc.c - interprocess events (MU_EVENT_INTERPROCESS,
 * muIpcGetEventHandle, muIpcOpenEventHandle).
 *
 * Syncobjs are private to a device fd, so an interprocess event keeps its
 * state in a shared page (a memfd) instead: a record count and a completion
 * count. Recording bumps the record count and queues a host function on the
 * stream that raises the completion count to that record's number and wakes
 * futex waiters. The event is complete when the completion count reached
 * the record count seen by the query. muIpcGetEventHandle registers the
 * page's memfd with the IPC broker (ipc_broker.c), which makes the handle;
 * another process presents it to the creator's broker and gets the memfd
 * through the socket. Destroying the event revokes the export, so an old
 * handle no longer opens anything. A stream wait on such an event is a
 * host function that blocks its stream until completion.
 * The page hangs off its event (e->ipc) and lives as long as the event and
 * the host functions queued on it.
 * May call: hostfn.c, context.c, event.c, handle.c, ipc_broker.c, libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "musa_log.h"
#include "stream_private.h"

#define UMD_IPC_MAGIC 0x5645435049554d4dull   /* "MUIPCEV", in the page */
#define UMD_IPC_PAGE 4096u

struct umd_event_ipc_shared {
	uint64_t magic;
	_Atomic uint64_t recorded;
	_Atomic uint64_t completed;
	_Atomic uint32_t wake;     /* futex word, bumped on every completion */
};

/* The page of one event (e->ipc): the event and every queued job that
 * reads it hold a reference. */
struct umd_event_ipc_page {
	_Atomic int refs;
	int fd;
	struct umd_event_ipc_shared *sh;
};

_Static_assert(sizeof(struct umd_ipc_wire) <= sizeof(MUipcEventHandle), "handle size");

void umd_event_ipc_page_put(struct umd_event_ipc_page *pg)
{
	if (!pg || atomic_fetch_sub(&pg->refs, 1) != 1)
		return;
	munmap(pg->sh, UMD_IPC_PAGE);
	close(pg->fd);
	free(pg);
}

int umd_event_ipc_create(struct MUevent_st *e)
{
	struct umd_event_ipc_page *pg = calloc(1, sizeof(*pg));

	if (!pg)
		return -ENOMEM;
	pg->fd = memfd_create("musa-ipc-event", MFD_CLOEXEC);
	if (pg->fd < 0)
		goto err;
	(void)fchmod(pg->fd, 0600);  /* owner only, where the kernel allows it */
	if (ftruncate(pg->fd, UMD_IPC_PAGE))
		goto err_fd;
	pg->sh = mmap(NULL, UMD_IPC_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, pg->fd, 0);
	if (pg->sh == MAP_FAILED)
		goto err_fd;
	pg->sh->magic = UMD_IPC_MAGIC;
	atomic_init(&pg->refs, 1);
	e->ipc = pg;
	return 0;

err_fd:
	close(pg->fd);
err:
	free(pg);
	return -ENOMEM;
}

void umd_event_ipc_revoke(struct MUevent_st *e)
{
	if (e->ipc)
		umd_broker_revoke(e->ipc, UMD_IPC_KIND_EVENT);
}

static void umd_event_ipc_wake(struct umd_event_ipc_shared *sh)
{
	atomic_fetch_add(&sh->wake, 1);
	syscall(SYS_futex, &sh->wake, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

struct umd_event_ipc_job {
	struct umd_event_ipc_page *pg;
	uint64_t n;
};

/* Host function of a record: raises the completion count to n. */
static void umd_event_ipc_complete(void *arg)
{
	struct umd_event_ipc_job *j = arg;
	struct umd_event_ipc_shared *sh = j->pg->sh;
	uint64_t cur = atomic_load(&sh->completed);

	while (cur < j->n && !atomic_compare_exchange_weak(&sh->completed, &cur, j->n))
		;
	umd_event_ipc_wake(sh);
	umd_event_ipc_page_put(j->pg);
	free(j);
}

MUresult umd_event_ipc_record_locked(struct MUevent_st *e, struct MUstream_st *s)
{
	struct umd_event_ipc_page *pg = e->ipc;
	struct umd_event_ipc_job *j;
	struct umd_hostfn_call c = { .fn = umd_event_ipc_complete };
	MUresult r;

	CHECK(!pg, MUSA_ERROR_INVALID_HANDLE);
	j = malloc(sizeof(*j));
	if (!j)
		return MUSA_ERROR_OUT_OF_MEMORY;
	atomic_fetch_add(&pg->refs, 1);
	j->pg = pg;
	j->n = atomic_fetch_add(&pg->sh->recorded, 1) + 1;
	c.data = j;
	r = umd_hostfn_queue_locked(s, &c);
	if (r) {
		/* Not queued: count it as complete so nobody waits for it. */
		j->pg = pg;
		umd_event_ipc_complete(j);
	}
	return r;
}

static int umd_event_ipc_done(struct umd_event_ipc_shared *sh, uint64_t target)
{
	return atomic_load(&sh->completed) >= target;
}

MUresult umd_event_ipc_query(struct umd_event_ipc_page *pg)
{
	return umd_event_ipc_done(pg->sh, atomic_load(&pg->sh->recorded)) ? MUSA_SUCCESS
								     : MUSA_ERROR_NOT_READY;
}

/* Blocks until the completion count reaches target; 20 ms futex slices so
 * a fault of ctx (when given) ends the wait. */
static MUresult umd_event_ipc_wait(MUcontext ctx, struct umd_event_ipc_shared *sh, uint64_t target)
{
	struct timespec slice = { 0, 20000000 };

	for (;;) {
		uint32_t seq = atomic_load(&sh->wake);

		if (umd_event_ipc_done(sh, target))
			return MUSA_SUCCESS;
		syscall(SYS_futex, &sh->wake, FUTEX_WAIT, seq, &slice, NULL, 0);
		if (ctx && atomic_load(&ctx->sticky))
			return (MUresult)atomic_load(&ctx->sticky);
	}
}

MUresult umd_event_ipc_sync(MUcontext ctx, struct umd_event_ipc_page *pg)
{
	return umd_event_ipc_wait(ctx, pg->sh, atomic_load(&pg->sh->recorded));
}

/* Host function of a stream wait: blocks the stream until completion. */
static void umd_event_ipc_block(void *arg)
{
	struct umd_event_ipc_job *j = arg;

	umd_event_ipc_wait(NULL, j->pg->sh, j->n);
	umd_event_ipc_page_put(j->pg);
	free(j);
}

MUresult umd_event_ipc_stream_wait(struct MUstream_st *s, struct umd_event_ipc_page *pg)
{
	struct umd_hostfn_call c = { .fn = umd_event_ipc_block };
	struct umd_event_ipc_job *j;
	MUresult r;

	j = malloc(sizeof(*j));
	if (!j)
		return MUSA_ERROR_OUT_OF_MEMORY;
	j->n = atomic_load(&pg->sh->recorded);
	if (umd_event_ipc_done(pg->sh, j->n)) {
		free(j);
		return MUSA_SUCCESS;
	}
	atomic_fetch_add(&pg->refs, 1);
	j->pg = pg;
	c.data = j;
	pthread_mutex_lock(&s->ctx->lock);
	r = umd_hostfn_queue_locked(s, &c);
	pthread_mutex_unlock(&s->ctx->lock);
	if (r) {
		umd_event_ipc_page_put(pg);
		free(j);
	}
	return r;
}

UMD_API MUresult muIpcGetEventHandle(MUipcEventHandle *pHandle, MUevent event)
{
	struct umd_ipc_wire w;
	struct umd_event_ipc_page *pg;
	struct MUevent_st *e;
	MUresult r = umd_check_init();
	int ret;

	if (r)
		return r;
	CHECK(!pHandle, MUSA_ERROR_INVALID_VALUE);
	e = umd_handle_get(event, UMD_H_EVENT);
	CHECK(!e, MUSA_ERROR_INVALID_HANDLE);
	pg = e->ipc;
	ret = pg ? umd_broker_export(pg, UMD_IPC_KIND_EVENT, pg->fd, 0, UMD_IPC_PAGE, &w) : 0;
	umd_event_put(e);
	if (!pg)
		return MUSA_ERROR_INVALID_HANDLE;
	if (ret)
		return ret == -ENOMEM ? MUSA_ERROR_OUT_OF_MEMORY : MUSA_ERROR_OPERATING_SYSTEM;
	memset(pHandle, 0, sizeof(*pHandle));
	memcpy(pHandle->reserved, &w, sizeof(w));
	return MUSA_SUCCESS;
}

UMD_API MUresult muIpcOpenEventHandle(MUevent *phEvent, MUipcEventHandle handle)
{
	struct umd_event_ipc_page *pg;
	struct umd_ipc_wire w;
	uint64_t offset, size;
	struct stat st;
	MUevent ev;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!phEvent, MUSA_ERROR_INVALID_VALUE);
	CHECK(umd_ipc_wire_check(handle.reserved, sizeof(handle.reserved), UMD_IPC_KIND_EVENT, &w),
	      MUSA_ERROR_INVALID_VALUE);
	pg = calloc(1, sizeof(*pg));
	if (!pg)
		return MUSA_ERROR_OUT_OF_MEMORY;
	pg->fd = umd_broker_fetch(&w, &offset, &size);
	explicit_bzero(&w, sizeof(w));
	if (pg->fd < 0) {
		int err = pg->fd;

		free(pg);
		if (err == -ENOENT)
			return MUSA_ERROR_INVALID_HANDLE;  /* forged, stale, or the creator is gone */
		return err == -EMFILE || err == -ENFILE || err == -ENOMEM ?
			MUSA_ERROR_OUT_OF_MEMORY : MUSA_ERROR_OPERATING_SYSTEM;
	}
	if (offset || size != UMD_IPC_PAGE || fstat(pg->fd, &st) ||
	    st.st_size < (off_t)UMD_IPC_PAGE)
		goto err_stale;
	pg->sh = mmap(NULL, UMD_IPC_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, pg->fd, 0);
	if (pg->sh == MAP_FAILED)
		goto err_stale;
	if (pg->sh->magic != UMD_IPC_MAGIC) {
		munmap(pg->sh, UMD_IPC_PAGE);
		goto err_stale;
	}
	r = muEventCreate(&ev, MU_EVENT_DISABLE_TIMING | MU_EVENT_INTERPROCESS);
	if (r) {
		munmap(pg->sh, UMD_IPC_PAGE);
		close(pg->fd);
		free(pg);
		return r;
	}
	/* Swap the fresh page the event got for the shared one (nobody else
	 * knows the event yet). */
	atomic_init(&pg->refs, 1);
	umd_event_ipc_page_put(ev->ipc);
	ev->ipc = pg;
	*phEvent = ev;
	return MUSA_SUCCESS;

err_stale:
	close(pg->fd);
	free(pg);
	return MUSA_ERROR_INVALID_HANDLE;
}
