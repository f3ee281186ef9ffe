/* SPDX-License-Identifier: MIT */
/*
 * handle.c - the registry of live driver-API handles (contexts, streams,
 * events, modules, functions). A handle is followed only after it was found
 * here with the expected type, so a destroyed or made-up handle gets an error
 * instead of a use-after-free. Open addressing keyed by the pointer.
 *
 * A call that follows a handle outside the lock of its context (a sync or
 * query waiting on an event's timeline) holds a reference from lookup
 * (umd_handle_get) to the end of its use (umd_handle_put). Destroying such
 * a handle retires it: lookups fail at once, and its memory is freed by
 * whoever drops the last reference.
 * May call: libc.
 */
#include <pthread.h>
#include <stdlib.h>

#include "umd.h"

#define UMD_H_TOMB ((const void *)1)

struct umd_hslot {
	const void *key;   /* NULL: empty, UMD_H_TOMB: deleted */
	int type;
	unsigned int refs; /* calls following the handle now */
	int retired;       /* destroyed: invisible, freed by the last put */
};

static pthread_mutex_t umd_hlock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_hslot *umd_htab;
static size_t umd_hcap;     /* power of two */
static size_t umd_hused;    /* live + tombstones */
static size_t umd_hlive;

static size_t umd_hhash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x;
}

static struct umd_hslot *umd_hfind(const void *h)
{
	size_t mask = umd_hcap - 1;

	if (!umd_hcap)
		return NULL;
	for (size_t i = umd_hhash(h) & mask, n = 0; n < umd_hcap; i = (i + 1) & mask, n++) {
		if (umd_htab[i].key == h)
			return &umd_htab[i];
		if (!umd_htab[i].key)
			return NULL;
	}
	return NULL;
}

static int umd_hgrow(void)
{
	/* Mostly tombstones: rehash in place instead of doubling. */
	size_t ncap = !umd_hcap ? 256 : umd_hlive * 4 < umd_hcap ? umd_hcap : umd_hcap * 2;
	struct umd_hslot *nt = calloc(ncap, sizeof(*nt));

	if (!nt)
		return -1;
	for (size_t i = 0; i < umd_hcap; i++) {
		const void *k = umd_htab[i].key;
		size_t j;

		if (!k || k == UMD_H_TOMB)
			continue;
		for (j = umd_hhash(k) & (ncap - 1); nt[j].key; j = (j + 1) & (ncap - 1))
			;
		nt[j] = umd_htab[i];
	}
	free(umd_htab);
	umd_htab = nt;
	umd_hcap = ncap;
	umd_hused = 0;
	for (size_t i = 0; i < ncap; i++)
		umd_hused += nt[i].key != NULL;
	return 0;
}

int umd_handle_add(const void *h, enum umd_htype type)
{
	size_t i;
	int ret = -1;

	pthread_mutex_lock(&umd_hlock);
	if ((umd_hused + 1) * 2 > umd_hcap && umd_hgrow())
		goto out;
	for (i = umd_hhash(h) & (umd_hcap - 1);
	     umd_htab[i].key && umd_htab[i].key != UMD_H_TOMB;
	     i = (i + 1) & (umd_hcap - 1))
		;
	if (!umd_htab[i].key)
		umd_hused++;
	umd_htab[i].key = h;
	umd_htab[i].type = (int)type;
	umd_htab[i].refs = 0;
	umd_htab[i].retired = 0;
	umd_hlive++;
	ret = 0;
out:
	pthread_mutex_unlock(&umd_hlock);
	return ret;
}

void umd_handle_del(const void *h)
{
	struct umd_hslot *s;

	pthread_mutex_lock(&umd_hlock);
	s = umd_hfind(h);
	if (s) {
		s->key = UMD_H_TOMB;
		umd_hlive--;
	}
	pthread_mutex_unlock(&umd_hlock);
}

/* 1 when h is live with that type; take: and a reference is taken. */
static int umd_hlookup(const void *h, enum umd_htype type, int take)
{
	struct umd_hslot *s;
	int ok;

	if (!h || h == UMD_H_TOMB)
		return 0;
	pthread_mutex_lock(&umd_hlock);
	s = umd_hfind(h);
	ok = s && !s->retired && s->type == (int)type;
	if (ok && take)
		s->refs++;
	pthread_mutex_unlock(&umd_hlock);
	return ok;
}

int umd_handle_valid(const void *h, enum umd_htype type)
{
	return umd_hlookup(h, type, 0);
}

int umd_handle_get(const void *h, enum umd_htype type)
{
	return umd_hlookup(h, type, 1);
}

void umd_handle_put(const void *h)
{
	struct umd_hslot *s;
	int last = 0;

	pthread_mutex_lock(&umd_hlock);
	s = umd_hfind(h);
	if (s && s->refs && !--s->refs && s->retired) {
		s->key = UMD_H_TOMB;
		umd_hlive--;
		last = 1;
	}
	pthread_mutex_unlock(&umd_hlock);
	if (last)
		free((void *)h);
}

void umd_handle_retire(void *h)
{
	struct umd_hslot *s;
	int now = 1;

	pthread_mutex_lock(&umd_hlock);
	s = umd_hfind(h);
	if (s && s->refs) {
		s->retired = 1;
		now = 0;
	} else if (s) {
		s->key = UMD_H_TOMB;
		umd_hlive--;
	}
	pthread_mutex_unlock(&umd_hlock);
	if (now)
		free(h);
}
