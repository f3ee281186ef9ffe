/* SPDX-License-Identifier: MIT */
/*
 * syncobj.c - fences and syncobjs with the semantics of the Linux
 * drm_syncobj.c ioctls (CREATE, DESTROY, WAIT, TIMELINE_WAIT, RESET,
 * SIGNAL, TIMELINE_SIGNAL, QUERY, TRANSFER).
 *
 * Every syncobj is a timeline: an ordered list of (point, fence). Point 0
 * is the binary view: attaching at point 0 replaces the whole list, and
 * waiting on point 0 waits for the last attached fence (all of them).
 * A point p > 0 is signalled when the first fence at a point >= p and all
 * fences before it are signalled, as a dma_fence_chain link is. TRANSFER
 * moves such a point into another syncobj as one fence that depends on
 * all the fences the point stands for.
 *
 * One process-wide lock guards all fence state. Each blocked waiter has
 * a wait queue of its own (wait.c) and a test of what it waits for; a
 * change of fence state wakes only the waiters whose test now passes, so
 * a thread waiting for the end of a long run of launches sleeps through
 * the points before it. Waiters do not hold the lock while they wait;
 * with DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN they spin on their queue's word
 * while a core is free. Queues whose WAIT packet is not satisfied yet do not
 * sleep on that condition: they are parked here (kmd_syncobj_park) and
 * handed back to their command processors by whoever changes fence state,
 * so no thread is held by a waiting queue. Calls only kmd_copy_*_user()
 * and the allocations of alloc.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kmd.h"

/*
 * A thread blocked in an ioctl until fence state allows it to go on: it
 * is woken, and unlinked, by the first change after which ready(arg)
 * holds (any change when ready is NULL). Lives on the waiter's stack.
 */
struct sync_sleeper {
	struct sync_sleeper *prev, *next;  /* under sync_lock; NULL: unlinked */
	struct kmd_wq wq;
	bool (*ready)(void *arg);          /* called under sync_lock */
	void *arg;
};

static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t sync_once = PTHREAD_ONCE_INIT;
/* Blocked ioctl waiters, under sync_lock. */
static struct sync_sleeper sleepers = { .prev = &sleepers, .next = &sleepers };
/* Parked waiters (queues blocked on a WAIT packet), under sync_lock. */
static struct kmd_sync_waiter parked = { .prev = &parked, .next = &parked };

/* The parent's CP threads may have held the lock at fork(); they do not
 * exist in the child, so it starts from a free lock and no waiters. */
static void sync_atfork_child(void)
{
	pthread_mutex_init(&sync_lock, NULL);
	/* the other threads, and so their waits, did not survive the fork */
	sleepers.prev = sleepers.next = &sleepers;
	/* the parked queues belong to the parent's command processors */
	parked.prev = parked.next = &parked;
}

static void sync_init(void)
{
	pthread_atfork(NULL, NULL, sync_atfork_child);
}

static void sync_lock_acquire(void)
{
	pthread_once(&sync_once, sync_init);
	pthread_mutex_lock(&sync_lock);
}

static void sleeper_unlink(struct sync_sleeper *z)
{
	if (!z->next)
		return;
	z->prev->next = z->next;
	z->next->prev = z->prev;
	z->prev = z->next = NULL;
}

/* Waits, without sync_lock, until a change of fence state after which
 * ready(arg) holds (NULL: any change), or the deadline (absolute
 * CLOCK_MONOTONIC ns). The caller checked that it does not hold yet.
 * sync_lock held on entry and on return. */
static void sync_wait_unlocked(bool (*ready)(void *), void *arg, enum kmd_wait_mode mode,
			       int64_t deadline_ns)
{
	struct sync_sleeper z = { .ready = ready, .arg = arg };
	uint32_t ticket;

	kmd_wq_init(&z.wq);
	ticket = kmd_wq_ticket(&z.wq);
	z.next = &sleepers;
	z.prev = sleepers.prev;
	sleepers.prev->next = &z;
	sleepers.prev = &z;
	pthread_mutex_unlock(&sync_lock);
	kmd_wq_wait(&z.wq, ticket, mode, deadline_ns);
	pthread_mutex_lock(&sync_lock);
	sleeper_unlink(&z);
}

static void sync_wake_parked(void);

/* Fence state changed (sync_lock held): wakes the blocked ioctl waiters
 * whose wait is over and resumes the parked queues whose point has come. */
static void sync_changed(void)
{
	struct sync_sleeper *z = sleepers.next;

	while (z != &sleepers) {
		struct sync_sleeper *next = z->next;

		if (!z->ready || z->ready(z->arg)) {
			sleeper_unlink(z);
			kmd_wq_wake(&z->wq, 1);
		}
		z = next;
	}
	sync_wake_parked();
}

void kmd_sync_kick(void)
{
	sync_lock_acquire();
	sync_changed();
	pthread_mutex_unlock(&sync_lock);
}

/* Fences */

struct kmd_fence *kmd_fence_new(bool signalled)
{
	struct kmd_fence *fence = kmd_calloc(1, sizeof(*fence));

	if (fence) {
		atomic_init(&fence->refcount, 1);
		fence->signalled = signalled;
	}
	return fence;
}

static void fence_get(struct kmd_fence *fence)
{
	atomic_fetch_add(&fence->refcount, 1);
}

void kmd_fence_put(struct kmd_fence *fence)
{
	if (!fence || atomic_fetch_sub(&fence->refcount, 1) != 1)
		return;
	for (uint32_t i = 0; i < fence->ndeps; i++)
		kmd_fence_put(fence->deps[i]);
	free(fence->deps);
	free(fence);
}

/* sync_lock held. A composite fence latches once its parts are done. */
static bool fence_done(struct kmd_fence *fence)
{
	if (fence->signalled)
		return true;
	if (!fence->ndeps)
		return false;
	for (uint32_t i = 0; i < fence->ndeps; i++)
		if (!fence_done(fence->deps[i]))
			return false;
	fence->signalled = true;
	return true;
}

void kmd_fence_signal(struct kmd_fence *fence)
{
	sync_lock_acquire();
	fence->signalled = true;
	sync_changed();
	pthread_mutex_unlock(&sync_lock);
}

/* Syncobj state (sync_lock held) */

static void so_clear(struct kmd_syncobj *so)
{
	for (uint32_t i = 0; i < so->npts; i++)
		kmd_fence_put(so->pts[i].fence);
	so->npts = 0;
	so->base = 0;
}

/* Signalled fences at the front are folded into `base`; the last one stays
 * so the binary view keeps its fence. */
static void so_prune(struct kmd_syncobj *so)
{
	uint32_t n = 0;

	while (n + 1 < so->npts && fence_done(so->pts[n].fence)) {
		if (so->pts[n].point > so->base)
			so->base = so->pts[n].point;
		kmd_fence_put(so->pts[n].fence);
		n++;
	}
	if (n) {
		memmove(so->pts, so->pts + n, (so->npts - n) * sizeof(so->pts[0]));
		so->npts -= n;
	}
}

/* Room in pts for one more attach beside the reserved ones. */
static int so_make_room(struct kmd_syncobj *so)
{
	struct kmd_fence_point *n;
	uint32_t cap;

	if (so->npts + so->reserved < so->cap)
		return 0;
	cap = so->cap ? so->cap * 2 : 4;
	n = kmd_realloc(so->pts, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	so->pts = n;
	so->cap = cap;
	return 0;
}

/* Room in pts is there (so_make_room, or a reservation). */
static void so_attach_room(struct kmd_syncobj *so, uint64_t point, struct kmd_fence *fence)
{
	if (point == 0)
		so_clear(so);
	fence_get(fence);
	so->pts[so->npts].point = point;
	so->pts[so->npts].fence = fence;
	so->npts++;
	so_prune(so);
}

/* Nothing changes when there is no room and none can be made. */
static int so_attach_locked(struct kmd_syncobj *so, uint64_t point, struct kmd_fence *fence)
{
	int ret = so_make_room(so);

	if (!ret)
		so_attach_room(so, point, fence);
	return ret;
}

enum so_state { SO_UNSUBMITTED, SO_PENDING, SO_SIGNALLED };

static enum so_state so_state(const struct kmd_syncobj *so, uint64_t point)
{
	uint32_t i, last;

	if (point && point <= so->base)
		return SO_SIGNALLED;
	if (so->npts == 0)
		return SO_UNSUBMITTED;
	if (point == 0) {
		last = so->npts - 1;
	} else {
		for (i = 0; i < so->npts && so->pts[i].point < point; i++)
			;
		if (i == so->npts)
			return SO_UNSUBMITTED;
		last = i;
	}
	for (i = 0; i <= last; i++)
		if (!fence_done(so->pts[i].fence))
			return SO_PENDING;
	return SO_SIGNALLED;
}

static uint64_t so_value(const struct kmd_syncobj *so)
{
	uint64_t v = so->base;

	for (uint32_t i = 0; i < so->npts && fence_done(so->pts[i].fence); i++)
		if (so->pts[i].point > v)
			v = so->pts[i].point;
	return v;
}

static uint64_t so_last_submitted(const struct kmd_syncobj *so)
{
	return so->npts ? so->pts[so->npts - 1].point : so->base;
}

/* Syncobj objects */

struct kmd_syncobj *kmd_syncobj_lookup(struct kmd_file *f, uint32_t handle)
{
	struct kmd_syncobj *so = kmd_handle_get(&f->syncobjs, handle);

	if (so)
		atomic_fetch_add(&so->refcount, 1);
	return so;
}

void kmd_syncobj_put(struct kmd_syncobj *so)
{
	if (!so || atomic_fetch_sub(&so->refcount, 1) != 1)
		return;
	sync_lock_acquire();
	so_clear(so);
	pthread_mutex_unlock(&sync_lock);
	free(so->pts);
	free(so);
}

int kmd_syncobj_attach(struct kmd_syncobj *so, uint64_t point, struct kmd_fence *fence)
{
	int ret;

	sync_lock_acquire();
	ret = so_attach_locked(so, point, fence);
	sync_changed();  /* WAIT_FOR_SUBMIT waiters, signalled points */
	pthread_mutex_unlock(&sync_lock);
	return ret;
}

int kmd_syncobj_reserve(struct kmd_syncobj *so)
{
	int ret;

	sync_lock_acquire();
	ret = so_make_room(so);
	if (!ret)
		so->reserved++;
	pthread_mutex_unlock(&sync_lock);
	return ret;
}

void kmd_syncobj_unreserve(struct kmd_syncobj *so)
{
	sync_lock_acquire();
	so->reserved--;
	pthread_mutex_unlock(&sync_lock);
}

void kmd_syncobj_attach_reserved(struct kmd_syncobj *so, uint64_t point,
				 struct kmd_fence *fence)
{
	sync_lock_acquire();
	so->reserved--;
	so_attach_room(so, point, fence);
	sync_changed();  /* WAIT_FOR_SUBMIT waiters, signalled points */
	pthread_mutex_unlock(&sync_lock);
}

/* sync_lock held. O(parked waiters): only queues blocked on a point that
 * had not come when they reached it are parked. */
static void sync_wake_parked(void)
{
	struct kmd_sync_waiter *w = parked.next;

	while (w != &parked) {
		struct kmd_sync_waiter *next = w->next;

		if (atomic_load(w->stop) || so_state(w->so, w->point) == SO_SIGNALLED) {
			w->prev->next = w->next;
			w->next->prev = w->prev;
			w->prev = w->next = NULL;
			w->wake(w);
		}
		w = next;
	}
}

bool kmd_syncobj_park(struct kmd_syncobj *so, uint64_t point, struct kmd_sync_waiter *w)
{
	bool park;

	sync_lock_acquire();
	park = !atomic_load(w->stop) && so_state(so, point) != SO_SIGNALLED;
	if (park) {
		w->so = so;
		w->point = point;
		w->prev = parked.prev;
		w->next = &parked;
		parked.prev->next = w;
		parked.prev = w;
	}
	pthread_mutex_unlock(&sync_lock);
	return park;
}

bool kmd_syncobj_has_fence(struct kmd_syncobj *so, uint64_t point)
{
	bool ret;

	sync_lock_acquire();
	ret = so_state(so, point) != SO_UNSUBMITTED;
	pthread_mutex_unlock(&sync_lock);
	return ret;
}

void kmd_syncobj_release_all(struct kmd_file *f)
{
	struct kmd_syncobj *so;

	while ((so = kmd_handle_pop(&f->syncobjs)))
		kmd_syncobj_put(so);
}

/* Ioctl helpers */

/*
 * The kernel allocates these arrays with kmalloc_array(), which fails past
 * KMALLOC_MAX_SIZE (4 MiB): a larger count is ENOMEM there, and must not
 * make us allocate gigabytes on the caller's word (found by fuzz_ioctl).
 */
#define KMD_SYNCOBJ_MAX_ARRAY ((4u << 20) / sizeof(uint64_t))

/* Reads `count` handles from user memory and looks them up (+ref each). */
static int syncobj_array_find(struct kmd_file *f, uint64_t uhandles, uint32_t count,
			      struct kmd_syncobj ***out)
{
	struct kmd_syncobj **sos;
	uint32_t *handles;
	uint32_t i;
	int ret;

	if (count > KMD_SYNCOBJ_MAX_ARRAY)
		return -ENOMEM;
	handles = calloc(count, sizeof(*handles));
	sos = calloc(count, sizeof(*sos));
	if (!handles || !sos) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = kmd_copy_from_user(handles, uhandles, (size_t)count * sizeof(*handles));
	if (ret)
		goto err_free;
	pthread_mutex_lock(&f->lock);
	for (i = 0; i < count; i++) {
		sos[i] = kmd_syncobj_lookup(f, handles[i]);
		if (!sos[i]) {
			ret = -ENOENT;
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	if (ret) {
		while (i--)
			kmd_syncobj_put(sos[i]);
		goto err_free;
	}
	free(handles);
	*out = sos;
	return 0;

err_free:
	free(handles);
	free(sos);
	return ret;
}

/* The checks every syncobj array ioctl starts with (flags within `allowed`,
 * at least one handle), then syncobj_array_find. */
static int syncobj_array_args(struct kmd_file *f, uint32_t flags, uint32_t allowed,
			      uint64_t uhandles, uint32_t count, struct kmd_syncobj ***out)
{
	if ((flags & ~allowed) || count == 0)
		return -EINVAL;
	return syncobj_array_find(f, uhandles, count, out);
}

static void syncobj_array_free(struct kmd_syncobj **sos, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		kmd_syncobj_put(sos[i]);
	free(sos);
}

/* zero_ok: a NULL array stands for all-zero points (TIMELINE_SIGNAL). */
static int copy_points(uint64_t upoints, uint32_t count, bool zero_ok, uint64_t **out)
{
	uint64_t *pts = count > KMD_SYNCOBJ_MAX_ARRAY ? NULL : calloc(count, sizeof(*pts));
	int ret = 0;

	if (!pts)
		return -ENOMEM;
	if (upoints || !zero_ok)
		ret = kmd_copy_from_user(pts, upoints, (size_t)count * sizeof(*pts));
	if (ret) {
		free(pts);
		return ret;
	}
	*out = pts;
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* What an array wait waits for; first: the first ready index, ~0: none. */
struct array_wait {
	struct kmd_syncobj **sos;
	const uint64_t *points;
	uint32_t count;
	bool all, avail;
	uint32_t first;
};

/* Whether an array wait is over (sync_lock held); sets w->first. */
static bool array_wait_ready(void *arg)
{
	struct array_wait *w = arg;
	uint32_t ready = 0;

	w->first = ~0u;
	for (uint32_t i = 0; i < w->count; i++) {
		enum so_state s = so_state(w->sos[i], w->points ? w->points[i] : 0);

		if (s == SO_SIGNALLED || (w->avail && s == SO_PENDING)) {
			ready++;
			if (w->first == ~0u)
				w->first = i;
		}
	}
	return w->all ? ready == w->count : ready > 0;
}

/*
 * The wait of drm_syncobj_array_wait_timeout(): unsubmitted points are an
 * error unless WAIT_FOR_SUBMIT/WAIT_AVAILABLE; WAIT_AVAILABLE is satisfied
 * by submission alone; an absolute timeout in the past polls once.
 * first_signaled is what the kernel reports: without WAIT_ALL the first
 * ready index; with WAIT_ALL the first index that was ready on entry, or
 * ~0 when none was.
 */
static int syncobj_array_wait(struct kmd_syncobj **sos, const uint64_t *points, uint32_t count,
			      uint32_t flags, int64_t timeout_ns, uint32_t *first_out)
{
	bool all = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
	bool avail = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	bool for_submit = flags & (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
				   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE);
	enum kmd_wait_mode mode = flags & DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN ?
				  KMD_WAIT_ADAPTIVE : KMD_WAIT_BLOCK;
	struct array_wait w = { sos, points, count, all, avail, ~0u };
	uint32_t first_on_entry = ~0u;
	bool entry = true;
	int ret = 0;

	sync_lock_acquire();
	if (!for_submit) {
		for (uint32_t i = 0; i < count; i++) {
			if (so_state(sos[i], points ? points[i] : 0) == SO_UNSUBMITTED) {
				ret = -EINVAL;
				goto out;
			}
		}
	}
	for (;;) {
		bool done = array_wait_ready(&w);

		if (entry)
			first_on_entry = w.first;
		entry = false;
		if (done) {
			*first_out = all ? first_on_entry : w.first;
			break;
		}
		if (timeout_ns <= 0 || now_ns() >= timeout_ns) {
			ret = -ETIME;
			break;
		}
		sync_wait_unlocked(array_wait_ready, &w, mode, timeout_ns);
	}
out:
	pthread_mutex_unlock(&sync_lock);
	return ret;
}

/* Ioctls */

int kmd_ioctl_syncobj_create(struct kmd_file *f, void *data)
{
	struct drm_syncobj_create *a = data;
	struct kmd_syncobj *so;
	int ret;

	if (a->flags & ~DRM_SYNCOBJ_CREATE_SIGNALED)
		return -EINVAL;
	so = calloc(1, sizeof(*so));
	if (!so)
		return -ENOMEM;
	atomic_init(&so->refcount, 1);
	if (a->flags & DRM_SYNCOBJ_CREATE_SIGNALED) {
		struct kmd_fence *fence = kmd_fence_new(true);

		ret = fence ? kmd_syncobj_attach(so, 0, fence) : -ENOMEM;
		kmd_fence_put(fence);
		if (ret)
			goto err_put;
	}
	pthread_mutex_lock(&f->lock);
	ret = kmd_handle_alloc(&f->syncobjs, so, &a->handle);
	pthread_mutex_unlock(&f->lock);
	if (ret)
		goto err_put;
	return 0;

err_put:
	kmd_syncobj_put(so);
	return ret;
}

int kmd_ioctl_syncobj_destroy(struct kmd_file *f, void *data)
{
	struct drm_syncobj_destroy *a = data;
	struct kmd_syncobj *so;

	if (a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	kmd_rings_take_all(f);   /* what the rings hold was written before */
	so = kmd_handle_remove(&f->syncobjs, a->handle);
	pthread_mutex_unlock(&f->lock);
	if (!so)
		return -EINVAL;
	kmd_syncobj_put(so);
	return 0;
}

int kmd_ioctl_syncobj_wait(struct kmd_file *f, void *data)
{
	struct drm_syncobj_wait *a = data;
	struct kmd_syncobj **sos;
	int ret;

	ret = syncobj_array_args(f, a->flags, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
				 DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN,
				 a->handles, a->count_handles, &sos);
	if (ret)
		return ret;
	ret = syncobj_array_wait(sos, NULL, a->count_handles, a->flags, a->timeout_nsec,
				 &a->first_signaled);
	syncobj_array_free(sos, a->count_handles);
	return ret;
}

int kmd_ioctl_syncobj_timeline_wait(struct kmd_file *f, void *data)
{
	struct drm_syncobj_timeline_wait *a = data;
	struct kmd_syncobj **sos;
	uint64_t *points;
	int ret;

	ret = syncobj_array_args(f, a->flags, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE |
				 DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN,
				 a->handles, a->count_handles, &sos);
	if (ret)
		return ret;
	ret = copy_points(a->points, a->count_handles, false, &points);
	if (!ret) {
		ret = syncobj_array_wait(sos, points, a->count_handles, a->flags,
					 a->timeout_nsec, &a->first_signaled);
		free(points);
	}
	syncobj_array_free(sos, a->count_handles);
	return ret;
}

/* Attaches a signalled fence at each point (NULL points: point 0), or
 * clears each syncobj when `reset`. Room for every attach is made first,
 * so an -ENOMEM attaches nothing. */
static int syncobj_array_set(struct kmd_file *f, uint64_t uhandles, const uint64_t *points,
			     uint32_t count, bool reset)
{
	struct kmd_syncobj **sos;
	struct kmd_fence *fence = NULL;
	int ret;

	ret = syncobj_array_find(f, uhandles, count, &sos);
	if (ret)
		return ret;
	if (!reset && !(fence = kmd_fence_new(true))) {
		syncobj_array_free(sos, count);
		return -ENOMEM;
	}
	sync_lock_acquire();
	for (uint32_t i = 0; i < count && !reset; i++) {
		ret = so_make_room(sos[i]);
		if (ret) {
			while (i--)
				sos[i]->reserved--;
			pthread_mutex_unlock(&sync_lock);
			goto out;
		}
		sos[i]->reserved++;
	}
	for (uint32_t i = 0; i < count; i++) {
		if (reset) {
			so_clear(sos[i]);
		} else {
			sos[i]->reserved--;
			so_attach_room(sos[i], points ? points[i] : 0, fence);
		}
	}
	sync_changed();
	pthread_mutex_unlock(&sync_lock);
out:
	kmd_fence_put(fence);
	syncobj_array_free(sos, count);
	return ret;
}

int kmd_ioctl_syncobj_reset(struct kmd_file *f, void *data)
{
	struct drm_syncobj_array *a = data;

	if (a->pad || a->count_handles == 0)
		return -EINVAL;
	return syncobj_array_set(f, a->handles, NULL, a->count_handles, true);
}

int kmd_ioctl_syncobj_signal(struct kmd_file *f, void *data)
{
	struct drm_syncobj_array *a = data;

	if (a->pad || a->count_handles == 0)
		return -EINVAL;
	return syncobj_array_set(f, a->handles, NULL, a->count_handles, false);
}

int kmd_ioctl_syncobj_timeline_signal(struct kmd_file *f, void *data)
{
	struct drm_syncobj_timeline_array *a = data;
	uint64_t *points;
	int ret;

	if (a->flags || a->count_handles == 0)
		return -EINVAL;
	ret = copy_points(a->points, a->count_handles, true, &points);
	if (ret)
		return ret;
	ret = syncobj_array_set(f, a->handles, points, a->count_handles, false);
	free(points);
	return ret;
}

int kmd_ioctl_syncobj_query(struct kmd_file *f, void *data)
{
	struct drm_syncobj_timeline_array *a = data;
	struct kmd_syncobj **sos;
	uint64_t *points;
	int ret;

	ret = syncobj_array_args(f, a->flags, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED,
				 a->handles, a->count_handles, &sos);
	if (ret)
		return ret;
	points = calloc(a->count_handles, sizeof(*points));
	if (!points) {
		ret = -ENOMEM;
		goto out;
	}
	sync_lock_acquire();
	for (uint32_t i = 0; i < a->count_handles; i++)
		points[i] = (a->flags & DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED) ?
			    so_last_submitted(sos[i]) : so_value(sos[i]);
	pthread_mutex_unlock(&sync_lock);
	ret = kmd_copy_to_user(a->points, points, (size_t)a->count_handles * sizeof(*points));
	free(points);
out:
	syncobj_array_free(sos, a->count_handles);
	return ret;
}

/* drm_syncobj_find_fence()'s wait for a fence to appear under WAIT_FOR_SUBMIT. */
#define SYNC_WAIT_FOR_SUBMIT_NS 5000000000ll

/*
 * The fence that `point` of `so` stands for, with a reference: NULL when
 * it is signalled already (the caller attaches a signalled stub), else one
 * fence depending on every unsignalled fence up to the point. sync_lock
 * held; -EINVAL when no fence is attached at the point.
 */
static int so_point_fence(struct kmd_syncobj *so, uint64_t point, struct kmd_fence **out)
{
	struct kmd_fence *fence;
	uint32_t i, last, n = 0;

	*out = NULL;
	if (point && point <= so->base)
		return 0;
	if (so->npts == 0)
		return -EINVAL;
	if (point == 0) {
		last = so->npts - 1;
	} else {
		for (i = 0; i < so->npts && so->pts[i].point < point; i++)
			;
		if (i == so->npts)
			return -EINVAL;
		last = i;
	}
	for (i = 0; i <= last; i++)
		n += !fence_done(so->pts[i].fence);
	if (n == 0)
		return 0;
	fence = kmd_fence_new(false);
	if (!fence)
		return -ENOMEM;
	fence->deps = calloc(n, sizeof(*fence->deps));
	if (!fence->deps) {
		kmd_fence_put(fence);
		return -ENOMEM;
	}
	for (i = 0; i <= last; i++) {
		if (!fence_done(so->pts[i].fence)) {
			fence_get(so->pts[i].fence);
			fence->deps[fence->ndeps++] = so->pts[i].fence;
		}
	}
	*out = fence;
	return 0;
}

/*
 * As drm_syncobj_transfer_ioctl(): pad must be 0; dst_point 0 replaces the
 * destination's fence, any other adds a timeline point; an unknown
 * destination is ENOENT before the source is looked at; flags only matter
 * for WAIT_FOR_SUBMIT (wait up to 5 s for the source point, else ETIME).
 */
int kmd_ioctl_syncobj_transfer(struct kmd_file *f, void *data)
{
	struct drm_syncobj_transfer *a = data;
	struct kmd_syncobj *src, *dst;
	struct kmd_fence *fence = NULL;
	int64_t deadline_ns;
	int ret;

	if (a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	dst = kmd_syncobj_lookup(f, a->dst_handle);
	src = dst ? kmd_syncobj_lookup(f, a->src_handle) : NULL;
	pthread_mutex_unlock(&f->lock);
	if (!dst || !src) {
		kmd_syncobj_put(dst);
		return -ENOENT;
	}
	deadline_ns = now_ns() + SYNC_WAIT_FOR_SUBMIT_NS;

	sync_lock_acquire();
	while ((ret = so_point_fence(src, a->src_point, &fence)) == -EINVAL &&
	       (a->flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT)) {
		if (now_ns() >= deadline_ns) {
			ret = -ETIME;
			break;
		}
		sync_wait_unlocked(NULL, NULL, KMD_WAIT_BLOCK, deadline_ns);
	}
	if (!ret && !fence) {
		fence = kmd_fence_new(true);
		if (!fence)
			ret = -ENOMEM;
	}
	if (!ret)
		ret = so_attach_locked(dst, a->dst_point, fence);
	sync_changed();
	pthread_mutex_unlock(&sync_lock);
	kmd_fence_put(fence);
	kmd_syncobj_put(src);
	kmd_syncobj_put(dst);
	return ret;
}
