/* SPDX-License-Identifier: MIT */
/*
 * handle.c - per-fd handle tables (the shim's idr): small integers from 1
 * naming objects of one kind. Callers hold the owning file's lock; this
 * file calls nothing else of the shim.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmd.h"

int kmd_handle_alloc(struct kmd_handles *t, void *obj, uint32_t *handle)
{
	uint32_t i;

	for (i = 0; i < t->cap; i++) {
		uint32_t s = (t->hint + i) % t->cap;

		if (!t->slots[s]) {
			t->slots[s] = obj;
			t->hint = s + 1;
			*handle = s + 1;
			return 0;
		}
	}
	{
		uint32_t cap = t->cap ? t->cap * 2 : 16;
		void **n;

		if (cap < t->cap || cap > (1u << 30))
			return -ENOMEM;
		n = realloc(t->slots, (size_t)cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + t->cap, 0, (size_t)(cap - t->cap) * sizeof(*n));
		t->slots = n;
		n[t->cap] = obj;
		*handle = t->cap + 1;
		t->hint = t->cap + 1;
		t->cap = cap;
	}
	return 0;
}

void *kmd_handle_get(const struct kmd_handles *t, uint32_t handle)
{
	if (handle == 0 || handle > t->cap)
		return NULL;
	return t->slots[handle - 1];
}

void *kmd_handle_remove(struct kmd_handles *t, uint32_t handle)
{
	void *obj = kmd_handle_get(t, handle);

	if (obj)
		t->slots[handle - 1] = NULL;
	return obj;
}

void *kmd_handle_pop(struct kmd_handles *t)
{
	for (uint32_t i = 0; i < t->cap; i++) {
		void *obj = t->slots[i];

		if (obj) {
			t->slots[i] = NULL;
			return obj;
		}
	}
	return NULL;
}

void kmd_handles_fini(struct kmd_handles *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = 0;
}
