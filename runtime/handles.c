/* SPDX-License-Identifier: MIT */
/*
 * handles.c - registries of the streams and events the runtime created.
 * The driver's handles are pointers; keeping them here lets the runtime
 * reject a destroyed, reset or made-up handle with
 * musaErrorInvalidResourceHandle instead of passing a dangling pointer down.
 * A chained hash set keyed by the pointer; calls only libc.
 */
#include <stdlib.h>

#include "rt.h"

#define RT_HANDLE_BUCKETS 256u

struct rt_handle {
	const void *h;
	int dev;
	struct rt_handle *next;
};

struct rt_handle_set {
	pthread_mutex_t lock;
	struct rt_handle *bucket[RT_HANDLE_BUCKETS];
};

struct rt_handle_set rt_streams = { .lock = PTHREAD_MUTEX_INITIALIZER };
struct rt_handle_set rt_events = { .lock = PTHREAD_MUTEX_INITIALIZER };

static unsigned int rt_handle_hash(const void *h)
{
	uintptr_t v = (uintptr_t)h;

	v ^= v >> 17;
	v *= 0x9e3779b97f4a7c15ull;
	return (unsigned int)(v >> 40) % RT_HANDLE_BUCKETS;
}

int rt_handles_add(struct rt_handle_set *set, const void *h, int dev)
{
	struct rt_handle *n = malloc(sizeof(*n));
	unsigned int b = rt_handle_hash(h);

	if (!n)
		return -1;
	n->h = h;
	n->dev = dev;
	pthread_mutex_lock(&set->lock);
	n->next = set->bucket[b];
	set->bucket[b] = n;
	pthread_mutex_unlock(&set->lock);
	return 0;
}

int rt_handles_find(struct rt_handle_set *set, const void *h, int *dev)
{
	unsigned int b = rt_handle_hash(h);
	int found = 0;

	pthread_mutex_lock(&set->lock);
	for (struct rt_handle *n = set->bucket[b]; n; n = n->next) {
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
	unsigned int b = rt_handle_hash(h);
	struct rt_handle *victim = NULL;

	pthread_mutex_lock(&set->lock);
	for (struct rt_handle **pp = &set->bucket[b]; *pp; pp = &(*pp)->next) {
		if ((*pp)->h == h) {
			victim = *pp;
			*pp = victim->next;
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
	for (unsigned int b = 0; b < RT_HANDLE_BUCKETS; b++) {
		struct rt_handle **pp = &set->bucket[b];

		while (*pp) {
			struct rt_handle *n = *pp;

			if (n->dev == dev) {
				*pp = n->next;
				free(n);
			} else {
				pp = &n->next;
			}
		}
	}
	pthread_mutex_unlock(&set->lock);
}
