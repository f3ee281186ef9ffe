/* SPDX-License-Identifier: MIT */
/*
 * include.c - the user's headers that hold what mcc edits (`#include
 * "kernel.cuh"`, as many CUDA samples are laid out; a launch inside a
 * macro of a header; a barrier function a kernel calls). mcc rewrites the
 * text of the file it compiles, so such a header is put into that text in
 * place of its #include, between #line markers. Both passes then see it as
 * if it were written in the .mu, and diagnostics still name the header and
 * its lines.
 *
 * Which headers, and which #include lines, is the parse's decision
 * (front.cpp, from the AST and the preprocessor's record of the
 * directives it entered and skipped): this file only acts on the list.
 * May call libc and buf.c only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcc.h"

#define INCLUDE_DEPTH_MAX 64

struct expand {
	struct mcc_unit *u;
	struct mcc_buf *out;
	int line;               /* lines written to out so far */
	struct mcc_incl *incl;
	int nincl;
};

static void add_map(struct mcc_unit *u, int line, const char *file, int fline)
{
	u->srcmap = mcc_xrealloc(u->srcmap, (size_t)(u->nsrcmap + 1) * sizeof(*u->srcmap));
	u->srcmap[u->nsrcmap].line = line;
	u->srcmap[u->nsrcmap].file = mcc_strndup(file, strlen(file));
	u->srcmap[u->nsrcmap].fline = fline;
	u->nsrcmap++;
}

static void put_line_marker(struct expand *x, int fline, const char *file)
{
	mcc_buf_printf(x->out, "#line %d \"", fline);
	mcc_buf_put_cstr(x->out, file);
	mcc_buf_puts(x->out, "\"\n");
	x->line++;
	add_map(x->u, x->line + 1, file, fline);
}

static int is_pragma_once(const char *s, const char *e)
{
	const char *o;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= e || *s != '#')
		return 0;
	s++;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (e - s < 6 || memcmp(s, "pragma", 6) != 0)
		return 0;
	for (o = s + 6; o + 4 <= e; o++)
		if (!memcmp(o, "once", 4))
			return 1;
	return 0;
}

/* The first directive not yet acted on at line `line` of the file whose
 * real path is `real` (NULL: the file mcc compiles). */
static struct mcc_incl *directive_at(struct expand *x, const char *real, int line)
{
	int i;

	for (i = 0; i < x->nincl; i++) {
		struct mcc_incl *c = &x->incl[i];

		if (c->done || c->line != line || !c->from != !real || (real && strcmp(c->from, real)))
			continue;
		return c;
	}
	return NULL;
}

static void expand_text(struct expand *x, const char *path, const char *real, const char *text,
			size_t len, int depth);

/* Puts header c->hdr in place of its #include; returns whether it did. */
static int put_header(struct expand *x, const char *from, int fline, const struct mcc_incl *c,
		      int depth)
{
	char *text;
	size_t len;

	if (depth >= INCLUDE_DEPTH_MAX)
		return 0;
	text = mcc_read_file(c->real, &len);
	if (!text)
		return 0;
	put_line_marker(x, 1, c->hdr);
	expand_text(x, c->hdr, c->real, text, len, depth + 1);
	if (x->out->len && x->out->s[x->out->len - 1] != '\n') {
		mcc_buf_puts(x->out, "\n");
		x->line++;
	}
	put_line_marker(x, fline + 1, from);
	free(text);
	return 1;
}

static void expand_text(struct expand *x, const char *path, const char *real, const char *text,
			size_t len, int depth)
{
	const char *s = text, *end = text + len;
	int fline = 1;

	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n;
		int done = 0;
		struct mcc_incl *c;

		if (!e)
			e = end;
		n = (size_t)(e - s) + (e < end);
		if ((c = directive_at(x, real, fline)) != NULL) {
			c->done = 1;
			if (c->action == MCC_INCL_PUT) {
				done = put_header(x, path, fline, c, depth);
			} else if (c->action == MCC_INCL_SKIP) {
				mcc_buf_puts(x->out, "\n");   /* its guard skipped it */
				x->line++;
				done = 1;
			} else {
				/* no escapes in a header name: the path as it is */
				mcc_buf_puts(x->out, "#include \"");
				mcc_buf_puts(x->out, c->real);
				mcc_buf_puts(x->out, "\"\n");
				x->line++;
				done = 1;
			}
		} else if (depth > 0 && is_pragma_once(s, e)) {
			mcc_buf_puts(x->out, "\n");   /* put in once already */
			x->line++;
			done = 1;
		}
		if (!done) {
			mcc_buf_put(x->out, s, n);
			x->line += e < end;
		}
		s = e + (e < end);
		fline++;
	}
}

void mcc_expand_includes(struct mcc_unit *u, struct mcc_buf *src, struct mcc_incl *incl, int nincl)
{
	struct mcc_buf out = {0};
	struct expand x;

	memset(&x, 0, sizeof(x));
	x.u = u;
	x.out = &out;
	x.incl = incl;
	x.nincl = nincl;
	add_map(u, 1, u->path, 1);
	expand_text(&x, u->path, NULL, src->s, src->len, 0);
	if (!out.s)
		mcc_buf_put(&out, "", 0);
	mcc_buf_free(src);
	*src = out;
}

void mcc_incl_free(struct mcc_incl *incl, int nincl)
{
	int i;

	for (i = 0; i < nincl; i++) {
		free(incl[i].from);
		free(incl[i].hdr);
		free(incl[i].real);
	}
	free(incl);
}

void mcc_src_pos(const struct mcc_unit *u, int line, const char **file, int *fline)
{
	int i;

	*file = u->path;
	*fline = line;
	for (i = 0; i < u->nsrcmap; i++)
		if (u->srcmap[i].line <= line) {
			*file = u->srcmap[i].file;
			*fline = u->srcmap[i].fline + (line - u->srcmap[i].line);
		}
}
