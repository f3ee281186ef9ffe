/* SPDX-License-Identifier: MIT */
/*
 * edit.c - applying text edits to a scanned source while keeping every
 * line where it was, so the compiler's diagnostics point into the .mu.
 * May call libc and buf.c only.
 */
#include <stdlib.h>
#include <string.h>

#include "mcc.h"

void mcc_edit_add(struct mcc_edits *ed, size_t off, size_t len, const char *text)
{
	ed->e = mcc_xrealloc(ed->e, (size_t)(ed->n + 1) * sizeof(*ed->e));
	ed->e[ed->n].off = off;
	ed->e[ed->n].len = len;
	ed->e[ed->n].text = mcc_strndup(text, strlen(text));
	ed->e[ed->n].seq = ed->n;
	ed->n++;
}

static int edit_cmp(const void *a, const void *b)
{
	const struct mcc_edit *x = a, *y = b;

	/* at one offset: insertions first, in the order they were added */
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if ((x->len == 0) != (y->len == 0))
		return x->len == 0 ? -1 : 1;
	return x->seq - y->seq;
}

static size_t count_nl(const char *s, size_t n)
{
	size_t c = 0, i;

	for (i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

void mcc_edits_apply(const struct mcc_unit *u, struct mcc_edits *ed, struct mcc_buf *out)
{
	size_t pos = 0;
	int i;

	if (ed->n > 0)
		qsort(ed->e, (size_t)ed->n, sizeof(*ed->e), edit_cmp);
	for (i = 0; i < ed->n; i++) {
		const struct mcc_edit *e = &ed->e[i];
		size_t want, have;

		if (e->off < pos)
			continue;  /* nested in an earlier edit: already replaced */
		mcc_buf_put(out, u->src + pos, e->off - pos);
		mcc_buf_puts(out, e->text);
		want = count_nl(u->src + e->off, e->len);
		have = count_nl(e->text, strlen(e->text));
		for (; have < want; have++)
			mcc_buf_put(out, "\n", 1);
		pos = e->off + e->len;
	}
	mcc_buf_put(out, u->src + pos, u->len - pos);
}

void mcc_edits_free(struct mcc_edits *ed)
{
	int i;

	for (i = 0; i < ed->n; i++)
		free(ed->e[i].text);
	free(ed->e);
	ed->e = NULL;
	ed->n = 0;
}

void mcc_macro_newlines(const char *text, size_t n, struct mcc_buf *b)
{
	for (size_t i = 0; i < n; i++)
		if (text[i] == '\n')
			mcc_buf_puts(b, " \\\n");
}
