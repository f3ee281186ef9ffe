/* SPDX-License-Identifier: MIT */
/*
 * strmap.c - string-keyed hash map (open addressing, FNV-1a) for the name
 * maps, the user's definitions and the tallies. Entries are never removed:
 * a run only adds names. May call: buf.c, libc.
 */
#include <stdlib.h>
#include <string.h>

#include "musify.h"

static size_t hash(const char *s, size_t len)
{
	size_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static size_t slot(const struct strmap *m, const char *key, size_t len)
{
	size_t i = hash(key, len) & (m->cap - 1);

	while (m->e[i].key && (strncmp(m->e[i].key, key, len) || m->e[i].key[len]))
		i = (i + 1) & (m->cap - 1);
	return i;
}

struct strmap_entry *strmap_getn(const struct strmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	struct strmap_entry *e = &m->e[slot(m, key, len)];

	return e->key ? e : NULL;
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key)
{
	return strmap_getn(m, key, strlen(key));
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->e = xrealloc(NULL, m->cap * sizeof(*m->e));
	memset(m->e, 0, m->cap * sizeof(*m->e));
	for (size_t i = 0; i < old.cap; i++)
		if (old.e[i].key)
			m->e[slot(m, old.e[i].key, strlen(old.e[i].key))] = old.e[i];
	free(old.e);
}

struct strmap_entry *strmap_add(struct strmap *m, const char *key)
{
	size_t len = strlen(key);

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	struct strmap_entry *e = &m->e[slot(m, key, len)];

	if (!e->key) {
		e->key = xstrndup(key, len);
		m->n++;
	}
	return e;
}

struct strmap_entry *strmap_set(struct strmap *m, const char *key, const char *value)
{
	struct strmap_entry *e = strmap_add(m, key);

	free(e->value);
	e->value = value ? xstrdup(value) : NULL;
	return e;
}

static int by_key(const void *a, const void *b)
{
	const struct strmap_entry *x = *(struct strmap_entry *const *)a;
	const struct strmap_entry *y = *(struct strmap_entry *const *)b;

	return strcmp(x->key, y->key);
}

struct strmap_entry **strmap_sorted(const struct strmap *m)
{
	struct strmap_entry **v = xrealloc(NULL, (m->n + 1) * sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].key)
			v[n++] = &m->e[i];
	qsort(v, n, sizeof(*v), by_key);
	v[n] = NULL;
	return v;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->e[i].key);
		free(m->e[i].value);
	}
	free(m->e);
	memset(m, 0, sizeof(*m));
}
