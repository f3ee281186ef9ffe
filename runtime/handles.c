/* SPDX-License-Identifier: MIT */
/*
 * handles.c - registries of the streams and events the runtime created.
 * The driver's handles are pointers; keeping them here lets the runtime
 * reject a destroyed, reset or made-up handle with
 * musaErrorInvalidResourceHandle instead of passing a dangling pointer down.
 * A chained hash set keyed by the pointer whose bucket array doubles when
 * the chains would grow past two entries on average, so adding, finding
 * and removing cost O(1) however many handles live; calls only libc.
 */
#include <stdlib.h>

#include "rt.h"

#define RT_HANDLE_BUCKETS_MIN 256u

struct rt_handle {
	const void *h;
	int dev;
	struct rt_handle *next;
};

struct rt_handle_set {
	pthread_mutex_t lock;
	struct rt_handle **bucket;
	size_t nbuckets;    /* 0 or a power of two */
	size_t count;
};

struct rt_handle_set rt_streams = { .lock = PTHREAD_MUTEX_INITIALIZER };
struct rt_handle_set rt_events = { .lock = PTHREAD_MUTEX_INITIALIZER };

static size_t rt_handle_hash(const struct rt_handle_set *set, const void *h)
{
	uint64_t v = (uint64_t)(uintptr_t)h;

	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return (size_t)v & (set->nbuckets - 1);
}

/* Doubles the bucket array (or makes the first); set->lock held. A failed
 * allocation keeps the old array: chains only get longer. */
static void rt_handles_grow(struct rt_handle_set *set)
{
	size_t n = set->nbuckets ? set->nbuckets * 2 : RT_HANDLE_BUCKETS_MIN;
	struct rt_handle **nb = calloc(n, sizeof(*nb));
	struct rt_handle **old = set->bucket;
	size_t oldn = set->nbuckets;

	if (!nb)
		return;
	set->bucket = nb;
	set->nbuckets = n;
	for (size_t b = 0; b < oldn; b++) {
		while (old[b]) {
			struct rt_handle *e = old[b];
			size_t nbk = rt_handle_hash(set, e->h);

			old[b] = e->next;
			e->next = nb[nbk];
			nb[nbk] = e;
		}
	}
	free(old);
}

int rt_handles_add(struct rt_handle_set *set, const void *h, int dev)
{
	struct rt_handle *n = malloc(sizeof(*n));
	size_t b;

	if (!n)
		return -1;
	n->h = h;
	n->dev = dev;
	pthread_mutex_lock(&set->lock);
	if (set->count >= set->nbuckets * 2)
		rt_handles_grow(set);
	if (!set->nbuckets) {
		pthread_mutex_unlock(&set->lock);
		free(n);
		return -1;
	}
	b = rt_handle_hash(set, h);
	n->next = set->bucket[b];
	set->bucket[b] = n;
	set->count++;
	pthread_mutex_unlock(&set->lock);
	return 0;
}

int rt_handles_find(struct rt_handle_set *set, const void *h, int *dev)
{
	int found = 0;

	pthread_mutex_lock(&set->lock);
	for (struct rt_handle *n = set->nbuckets ? set->bucket[rt_handle_hash(set, h)] : NULL;
	     n; n = n->next) {
		if (n->h == h) {
			if (dev)
				*dev = n->dev;
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&set->lock);
	return found;
}

int rt_handles_remove(struct rt_handle_set *set, const void *h, int *dev)
{
	struct rt_handle *victim = NULL;

	pthread_mutex_lock(&set->lock);
	for (struct rt_handle **pp = set->nbuckets ? &set->bucket[rt_handle_hash(set, h)] : NULL;
	     pp && *pp; pp = &(*pp)->next) {
		if ((*pp)->h == h) {
			victim = *pp;
			*pp = victim->next;
			set->count--;
			break;
		}
	}
	pthread_mutex_unlock(&set->lock);
	if (!victim)
		return 0;
	if (dev)
		*dev = victim->dev;
	free(victim);
	return 1;
}

void rt_handles_drop_device(struct rt_handle_set *set, int dev)
{
	pthread_mutex_lock(&set->lock);
	for (size_t b = 0; b < set->nbuckets; b++) {
		struct rt_handle **pp = &set->bucket[b];

		while (*pp) {
			struct rt_handle *n = *pp;

			if (n->dev == dev) {
				*pp = n->next;
				set->count--;
				free(n);
			} else {
				pp = &n->next;
			}
		}
	}
	pthread_mutex_unlock(&set->lock);
}
