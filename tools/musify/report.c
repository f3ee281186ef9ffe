/* SPDX-License-Identifier: MIT */
/*
 * report.c - what musify tells the user: a gcc-style warning for each
 * name it cannot map (once per file and name, at its first use), errors,
 * and a summary per input tree. -q keeps only the errors.
 * May call: strmap.c, buf.c, libc.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "musify.h"

void report_unmapped(struct report *r, const char *file, unsigned line, unsigned col,
		     const char *name, size_t len)
{
	char *n = xstrndup(name, len);
	char *key = xasprintf("%s\n%s", file, n);
	struct strmap_entry *seen = strmap_add(&r->seen, key);

	strmap_add(&r->tally->unmapped, n)->count++;
	if (!seen->count++ && !r->quiet)
		fprintf(stderr, "%s:%u:%u: warning: no %s counterpart for '%s'\n", file, line, col,
			r->reverse ? "CUDA" : "MUSA", n);
	free(key);
	free(n);
}

void report_error(struct report *r, const char *fmt, ...)
{
	va_list ap;

	fputs("musify: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	r->errors++;
}

unsigned long report_unmapped_total(const struct tally *t)
{
	return t->unmapped.n;
}

static int by_count(const void *a, const void *b)
{
	const struct strmap_entry *x = *(struct strmap_entry *const *)a;
	const struct strmap_entry *y = *(struct strmap_entry *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

void report_summary(struct report *r, const struct tally *t)
{
	struct strmap_entry **v;
	size_t n = 0;
	long uses = 0;

	if (r->quiet)
		return;
	fprintf(stderr,
		"musify: %s: %u source files (%u renamed) and %u build files converted, %u changed; "
		"%lu names and %lu includes renamed\n",
		t->root, t->files, t->renamed_files, t->build_files, t->changed_files, t->ids,
		t->includes);
	if (!t->unmapped.n)
		return;
	v = strmap_sorted(&t->unmapped);
	for (n = 0; v[n]; n++)
		uses += v[n]->count;
	qsort(v, n, sizeof(*v), by_count);
	fprintf(stderr, "musify: %s: %zu names without a %s counterpart (%ld uses):", t->root, n,
		r->reverse ? "CUDA" : "MUSA", uses);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s %s (%ld)", i ? "," : "", v[i]->key, v[i]->count);
	fputc('\n', stderr);
	free(v);
}
