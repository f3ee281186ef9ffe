/* SPDX-License-Identifier: MIT */
/*
 * handle.c - the registry of live driver-API handles (contexts, streams,
 * events, modules, functions, and the graph and array objects). A handle is
 * followed only after it was found here with the expected type, so a
 * destroyed or made-up handle gets an error instead of a use-after-free.
 * Open addressing keyed by the pointer.
 *
 * Contexts, streams, events and modules are counted objects (struct
 * umd_object first in their struct; a function counts as its module):
 * umd_handle_get finds one and takes a reference unless its count already
 * fell to zero (Linux's kref_get_unless_zero), both under the registry
 * lock, and the caller drops it with umd_handle_put. The lookup of an
 * object of a context takes a reference to that context first, so the
 * context outlives the call. Destroying such an object removes its handle
 * (lookups fail from then on) and drops the reference its creation took;
 * whoever drops the last one frees it (a context's last put wakes the
 * thread destroying it, which tears it down: context.c).
 * May call: libc.
 */
#include <pthread.h>
#include <stdlib.h>

#include "umd.h"

#define UMD_HANDLE_TOMBSTONE ((const void *)1)

struct umd_handle_slot {
	const void *key;   /* NULL: empty, UMD_HANDLE_TOMBSTONE: deleted */
	int type;
};

static pthread_mutex_t umd_handle_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_handle_slot *umd_handle_table;
static size_t umd_handle_capacity;  /* power of two */
static size_t umd_handle_used;      /* live + tombstones */
static size_t umd_handle_live;

void umd_object_init(struct umd_object *o, void (*release)(struct umd_object *o),
		     struct MUctx_st *ctx)
{
	atomic_init(&o->refs, 1);
	o->release = release;
	o->ctx = ctx;
}

void umd_object_get(struct umd_object *o)
{
	atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
}

/* Takes a reference unless the count is zero (its release is under way). */
static bool umd_object_get_unless_zero(struct umd_object *o)
{
	unsigned int n = atomic_load_explicit(&o->refs, memory_order_relaxed);

	do {
		if (!n)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&o->refs, &n, n + 1,
							memory_order_acquire,
							memory_order_relaxed));
	return true;
}

void umd_object_put(struct umd_object *o)
{
	if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1)
		o->release(o);
}

static size_t umd_handle_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x;
}

/* The slot of h, or NULL; umd_handle_lock held. */
static struct umd_handle_slot *umd_handle_find(const void *h)
{
	size_t mask = umd_handle_capacity - 1;

	if (!umd_handle_capacity || !h || h == UMD_HANDLE_TOMBSTONE)
		return NULL;
	for (size_t i = umd_handle_hash(h) & mask, n = 0; n < umd_handle_capacity;
	     i = (i + 1) & mask, n++) {
		if (umd_handle_table[i].key == h)
			return &umd_handle_table[i];
		if (!umd_handle_table[i].key)
			return NULL;
	}
	return NULL;
}

static int umd_handle_grow(void)
{
	/* Mostly tombstones: rehash in place instead of doubling. */
	size_t ncap = !umd_handle_capacity ? 256
		      : umd_handle_live * 4 < umd_handle_capacity ? umd_handle_capacity
								  : umd_handle_capacity * 2;
	struct umd_handle_slot *nt = calloc(ncap, sizeof(*nt));

	if (!nt)
		return -1;
	for (size_t i = 0; i < umd_handle_capacity; i++) {
		const void *k = umd_handle_table[i].key;
		size_t j;

		if (!k || k == UMD_HANDLE_TOMBSTONE)
			continue;
		for (j = umd_handle_hash(k) & (ncap - 1); nt[j].key; j = (j + 1) & (ncap - 1))
			;
		nt[j] = umd_handle_table[i];
	}
	free(umd_handle_table);
	umd_handle_table = nt;
	umd_handle_capacity = ncap;
	umd_handle_used = umd_handle_live;
	return 0;
}

int umd_handle_add(const void *h, enum umd_htype type)
{
	size_t i;
	int ret = -1;

	pthread_mutex_lock(&umd_handle_lock);
	if ((umd_handle_used + 1) * 2 > umd_handle_capacity && umd_handle_grow())
		goto out;
	for (i = umd_handle_hash(h) & (umd_handle_capacity - 1);
	     umd_handle_table[i].key && umd_handle_table[i].key != UMD_HANDLE_TOMBSTONE;
	     i = (i + 1) & (umd_handle_capacity - 1))
		;
	if (!umd_handle_table[i].key)
		umd_handle_used++;
	umd_handle_table[i].key = h;
	umd_handle_table[i].type = (int)type;
	umd_handle_live++;
	ret = 0;
out:
	pthread_mutex_unlock(&umd_handle_lock);
	return ret;
}

int umd_handle_del(const void *h)
{
	struct umd_handle_slot *s;

	pthread_mutex_lock(&umd_handle_lock);
	s = umd_handle_find(h);
	if (s) {
		s->key = UMD_HANDLE_TOMBSTONE;
		umd_handle_live--;
	}
	pthread_mutex_unlock(&umd_handle_lock);
	return s != NULL;
}

int umd_handle_valid(const void *h, enum umd_htype type)
{
	struct umd_handle_slot *s;
	int ok;

	pthread_mutex_lock(&umd_handle_lock);
	s = umd_handle_find(h);
	ok = s && s->type == (int)type;
	pthread_mutex_unlock(&umd_handle_lock);
	return ok;
}

/* The counted object behind a live handle: a function counts as its module. */
static struct umd_object *umd_handle_object(const void *h, enum umd_htype type)
{
	if (type == UMD_H_FUNC)
		return &((const struct MUfunc_st *)h)->mod->obj;
	return (struct umd_object *)h;
}

void *umd_handle_get(const void *h, enum umd_htype type)
{
	struct umd_handle_slot *s;
	struct umd_object *o, *owner = NULL, *undo = NULL;
	void *obj = NULL;

	pthread_mutex_lock(&umd_handle_lock);
	s = umd_handle_find(h);
	/* Registered: not freed yet (libmusa removes a handle before it drops
	 * the creation's reference); a count already at zero is a release
	 * under way, and is not taken. The context first: while its count
	 * is not zero its teardown has not begun, so the object is alive. */
	if (s && s->type == (int)type) {
		o = umd_handle_object(h, type);
		owner = o->ctx ? &o->ctx->obj : NULL;
		if (!owner || umd_object_get_unless_zero(owner)) {
			if (umd_object_get_unless_zero(o))
				obj = (void *)h;
			else
				undo = owner;
		}
	}
	pthread_mutex_unlock(&umd_handle_lock);
	if (undo)
		umd_object_put(undo);
	return obj;
}

void *umd_handle_get_in(const void *h, enum umd_htype type, struct MUctx_st *ctx)
{
	struct umd_handle_slot *s;
	struct umd_object *o;
	void *obj = NULL;

	pthread_mutex_lock(&umd_handle_lock);
	s = umd_handle_find(h);
	if (s && s->type == (int)type) {
		o = umd_handle_object(h, type);
		if (o->ctx == ctx && umd_object_get_unless_zero(o))
			obj = (void *)h;
	}
	pthread_mutex_unlock(&umd_handle_lock);
	return obj;
}

void umd_handle_put(struct umd_object *o)
{
	struct MUctx_st *ctx = o->ctx;

	umd_object_put(o);
	if (ctx)
		umd_object_put(&ctx->obj);
}
