/* SPDX-License-Identifier: MIT */
/*
 * handle.c - per-fd handle tables (the shim's idr): small integers from 1
 * naming objects of one kind. Callers hold the owning file's lock; this
 * file calls nothing else of the shim.
 *
 * Every operation is O(1) however many objects live: allocation takes the
 * first never-used slot while the array has one, then the head of a FIFO
 * of freed slots (a removed handle's slot joins its tail), and doubles the
 * array when both are exhausted. Both orders keep a freed number out of
 * use for as long as possible, so a stale handle is rarely a live one
 * again (as the cyclic search this replaces did).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmd.h"

#define KMD_HANDLES_MAX (1u << 30)

static int handles_grow(struct kmd_handles *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : 16;
	uint32_t *link;
	void **slots;

	if (cap > KMD_HANDLES_MAX)
		return -ENOMEM;
	slots = realloc(t->slots, (size_t)cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	t->slots = slots;
	link = realloc(t->link, (size_t)cap * sizeof(*link));
	if (!link)
		return -ENOMEM;   /* the larger slot array is kept; cap is not */
	t->link = link;
	memset(slots + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*slots));
	memset(link + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*link));
	t->cap = cap;
	return 0;
}

int kmd_handle_alloc(struct kmd_handles *t, void *obj, uint32_t *handle)
{
	uint32_t s;

	if (t->top == t->cap && !t->free_head) {
		int ret = handles_grow(t);

		if (ret)
			return ret;
	}
	if (t->top < t->cap) {
		s = t->top++;
	} else {
		s = t->free_head - 1;
		t->free_head = t->link[s];
		if (!t->free_head)
			t->free_tail = 0;
		t->link[s] = 0;
	}
	t->slots[s] = obj;
	*handle = s + 1;
	return 0;
}

void *kmd_handle_get(const struct kmd_handles *t, uint32_t handle)
{
	if (handle == 0 || handle > t->top)
		return NULL;
	return t->slots[handle - 1];
}

void *kmd_handle_remove(struct kmd_handles *t, uint32_t handle)
{
	void *obj = kmd_handle_get(t, handle);
	uint32_t s = handle - 1;

	if (!obj)
		return NULL;
	t->slots[s] = NULL;
	t->link[s] = 0;
	if (t->free_tail)
		t->link[t->free_tail - 1] = s + 1;
	else
		t->free_head = s + 1;
	t->free_tail = s + 1;
	return obj;
}

/* Teardown: scans down from where the last pop stopped, and once more from
 * the top when that finds nothing (objects added meanwhile), so popping
 * every object costs O(slots) in all. */
void *kmd_handle_pop(struct kmd_handles *t)
{
	for (int pass = 0; pass < 2; pass++) {
		if (pass || t->pop_at == 0 || t->pop_at > t->top)
			t->pop_at = t->top;
		while (t->pop_at > 0) {
			uint32_t h = t->pop_at;

			if (t->slots[h - 1])
				return kmd_handle_remove(t, h);
			t->pop_at--;
		}
	}
	return NULL;
}

void kmd_handles_fini(struct kmd_handles *t)
{
	free(t->slots);
	free(t->link);
	memset(t, 0, sizeof(*t));
}
