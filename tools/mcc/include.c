/* SPDX-License-Identifier: MIT */
/*
 * include.c - kernels defined in the user's headers (`#include
 * "kernel.cuh"`, as many CUDA samples are laid out): the scanner only sees
 * the text of the file it is given, so a header of the user's that defines
 * a __global__ function is put into that text in place of its #include,
 * between #line markers, before scanning. Both passes then see the kernel
 * as if it were written in the .mu, and diagnostics still name the header
 * and its lines.
 *
 * A header qualifies when it is found next to the including file (quoted
 * form) or in a -I directory of the command line, and names __global__.
 * Each is put in once per unit; a later #include of it becomes an empty
 * line, as its guard or #pragma once would make it. System headers and
 * headers without kernels stay #include lines.
 * May call libc and buf.c only.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mcc.h"

char **mcc_user_idirs;
int mcc_n_user_idirs;

#define INCLUDE_DEPTH_MAX 16

struct expand {
	struct mcc_unit *u;
	struct mcc_buf *out;
	int line;               /* lines written to out so far */
	char **seen;            /* real paths already put in */
	int nseen;
};

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The header `name` of an #include in file `from`, or NULL. */
static char *resolve(const char *from, const char *name, int quoted)
{
	char *p;
	int i;

	if (name[0] == '/')
		return is_file(name) ? mcc_strndup(name, strlen(name)) : NULL;
	if (quoted) {
		const char *slash = strrchr(from, '/');
		size_t dl = slash ? (size_t)(slash - from) + 1 : 0;

		p = malloc(dl + strlen(name) + 1);
		if (!p)
			return NULL;
		memcpy(p, from, dl);
		strcpy(p + dl, name);
		if (is_file(p))
			return p;
		free(p);
	}
	for (i = 0; i < mcc_n_user_idirs; i++) {
		size_t dl = strlen(mcc_user_idirs[i]);

		p = malloc(dl + strlen(name) + 2);
		if (!p)
			return NULL;
		sprintf(p, "%s/%s", mcc_user_idirs[i], name);
		if (is_file(p))
			return p;
		free(p);
	}
	return NULL;
}

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

/* Whether `text` names __global__ outside comments (roughly: anywhere). */
static int names_kernel(const char *text)
{
	return strstr(text, "__global__") != NULL;
}

/* The name of an `#include "x"` / `#include <x>` line, or NULL. */
static char *include_name(const char *s, const char *e, int *quoted)
{
	const char *p = s, *q;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= e || *p != '#')
		return NULL;
	p++;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (e - p < 7 || memcmp(p, "include", 7) != 0)
		return NULL;
	p += 7;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= e || (*p != '"' && *p != '<'))
		return NULL;
	*quoted = *p == '"';
	for (q = ++p; q < e && *q != (*quoted ? '"' : '>'); q++)
		;
	if (q >= e || q == p)
		return NULL;
	return mcc_strndup(p, (size_t)(q - p));
}

static int is_pragma_once(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= e || *s != '#')
		return 0;
	s++;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return e - s >= 11 && !memcmp(s, "pragma", 6) && strstr(s, "once") && strstr(s, "once") < e;
}

static void expand_text(struct expand *x, const char *path, const char *text, size_t len, int depth);

/* Puts header `hdr` (already resolved) in place of an #include; returns
 * whether it did. */
static int put_header(struct expand *x, const char *from, int fline, const char *hdr, int depth)
{
	char real[PATH_MAX], *text;
	size_t len;
	int i;

	if (!realpath(hdr, real))
		return 0;
	for (i = 0; i < x->nseen; i++)
		if (!strcmp(x->seen[i], real)) {
			mcc_buf_puts(x->out, "\n");   /* its guard would skip it */
			x->line++;
			return 1;
		}
	text = mcc_read_file(hdr, &len);
	if (!text)
		return 0;
	if (!names_kernel(text) || depth >= INCLUDE_DEPTH_MAX) {
		free(text);
		return 0;
	}
	x->seen = mcc_xrealloc(x->seen, (size_t)(x->nseen + 1) * sizeof(char *));
	x->seen[x->nseen++] = mcc_strndup(real, strlen(real));
	put_line_marker(x, 1, hdr);
	expand_text(x, hdr, text, len, depth + 1);
	if (x->out->len && x->out->s[x->out->len - 1] != '\n') {
		mcc_buf_puts(x->out, "\n");
		x->line++;
	}
	put_line_marker(x, fline + 1, from);
	free(text);
	return 1;
}

static void expand_text(struct expand *x, const char *path, const char *text, size_t len, int depth)
{
	const char *s = text, *end = text + len;
	int fline = 1, in_comment = 0;

	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s)), *p;
		size_t n;
		int quoted = 0, done = 0;
		char *name;

		if (!e)
			e = end;
		n = (size_t)(e - s) + (e < end);
		if (!in_comment && (name = include_name(s, e, &quoted)) != NULL) {
			char *hdr = resolve(path, name, quoted);

			if (hdr)
				done = put_header(x, path, fline, hdr, depth);
			free(hdr);
			free(name);
		} else if (!in_comment && depth > 0 && is_pragma_once(s, e)) {
			mcc_buf_puts(x->out, "\n");   /* put in once already */
			x->line++;
			done = 1;
		}
		if (!done) {
			mcc_buf_put(x->out, s, n);
			x->line += e < end;
		}
		/* block comments across lines: an #include inside one is text */
		for (p = s; p + 1 < e; p++) {
			if (!in_comment && p[0] == '/' && p[1] == '/')
				break;
			if (!in_comment && p[0] == '/' && p[1] == '*') {
				in_comment = 1;
				p++;
			} else if (in_comment && p[0] == '*' && p[1] == '/') {
				in_comment = 0;
				p++;
			}
		}
		s = e + (e < end);
		fline++;
	}
}

int mcc_expand_includes(struct mcc_unit *u, struct mcc_buf *src)
{
	struct mcc_buf out = {0};
	struct expand x;
	int i;

	if (!strstr(src->s, "#") || !strstr(src->s, "include"))
		return 0;
	memset(&x, 0, sizeof(x));
	x.u = u;
	x.out = &out;
	add_map(u, 1, u->path, 1);
	expand_text(&x, u->path, src->s, src->len, 0);
	for (i = 0; i < x.nseen; i++)
		free(x.seen[i]);
	free(x.seen);
	if (!out.s)
		mcc_buf_put(&out, "", 0);
	mcc_buf_free(src);
	*src = out;
	return 0;
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
