/* SPDX-License-Identifier: MIT */
/*
 * convert.c - one source file, token by token: identifiers the map names
 * are renamed, header names of #include lines follow the header map or
 * the renamed files of the tree, everything else is copied byte for byte.
 * Comments and literals change only with --all-text. CUDA-shaped names
 * with no MUSA counterpart that the user did not define are reported.
 * May call: lex.c, map.c, names.c, tree.c, report.c, strmap.c, buf.c, libc.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "musify.h"

static int word_char(int c)
{
	return c == '_' || isalnum(c) || c >= 0x80;
}

static int path_char(int c)
{
	return word_char(c) || c == '.' || c == '/' || c == '-';
}

/* The words CUDA and MUSA themselves, renamed in prose (--all-text). */
static const char *prose_word(const char *w, size_t n, int reverse)
{
	static const char *const words[][2] = {
		{ "CUDA", "MUSA" }, { "cuda", "musa" }, { "Cuda", "Musa" }, { "nvcc", "mcc" },
		{ "NVCC", "MCC" },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i][reverse]) == n && !memcmp(w, words[i][reverse], n))
			return words[i][!reverse];
	return NULL;
}

/* A file name of the tree that is renamed, by its old base name. */
static const char *renamed_base(const struct convert_ctx *c, const char *s, size_t n)
{
	const char *slash = memrchr(s, '/', n);
	size_t off = slash ? (size_t)(slash + 1 - s) : 0;
	struct strmap_entry *e = strmap_getn(&c->tree->by_base, s + off, n - off);

	if (!e)
		return NULL;
	const struct input_file *f = &c->tree->f[e->count - 1];

	return strcmp(f->new_base, e->key) ? f->new_base : NULL;
}

void convert_text_words(struct convert_ctx *c, const char *s, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len) {
		if (!word_char((unsigned char)s[i]) || (i && word_char((unsigned char)s[i - 1]))) {
			buf_putc(out, s[i++]);
			continue;
		}
		size_t w = i, p = i;
		const char *to;

		while (w < len && word_char((unsigned char)s[w]))
			w++;
		while (p < len && path_char((unsigned char)s[p]))
			p++;
		while (p > w && !word_char((unsigned char)s[p - 1]))
			p--;  /* a sentence's full stop is not part of a file name */
		if (p > w) {
			char *path = xstrndup(s + i, p - i);
			const char *hdr = map_header(c->map, path);
			const char *base = hdr ? NULL : renamed_base(c, path, p - i);

			free(path);
			if (hdr || base) {
				if (base) {
					const char *slash = memrchr(s + i, '/', p - i);

					if (slash)
						buf_put(out, s + i, (size_t)(slash + 1 - (s + i)));
				}
				buf_puts(out, hdr ? hdr : base);
				c->report->tally->ids++;
				i = p;
				continue;
			}
		}
		to = map_id(c->map, s + i, w - i);
		if (!to)
			to = prose_word(s + i, w - i, c->reverse);
		if (to) {
			buf_puts(out, to);
			c->report->tally->ids++;
		} else {
			buf_put(out, s + i, w - i);
		}
		i = w;
	}
}

/* The header name of an #include (with its delimiters) in the new tree. */
static void convert_header(struct convert_ctx *c, const struct input_file *f,
			   const struct token *t, struct buf *out)
{
	const char *text = f->text + t->pos;
	int quoted = text[0] == '"';
	size_t n = t->len >= 2 ? t->len - 2 : 0;
	char *name = xstrndup(text + 1, n);
	const struct input_file *user = quoted ? tree_resolve_include(c->tree, f, name, 1) : NULL;
	const char *hdr = user ? NULL : map_header(c->map, name);
	const char *slash = strrchr(name, '/');

	if (!user && !hdr)
		user = tree_resolve_include(c->tree, f, name, 0);
	if (user && strcmp(user->new_base, slash ? slash + 1 : name)) {
		buf_putc(out, text[0]);
		if (slash)
			buf_put(out, name, (size_t)(slash + 1 - name));
		buf_puts(out, user->new_base);
		buf_put(out, text + t->len - 1, 1);
		c->report->tally->includes++;
	} else if (hdr) {
		buf_putc(out, text[0]);
		buf_puts(out, hdr);
		buf_put(out, text + t->len - 1, 1);
		c->report->tally->includes++;
	} else {
		if (!user && !map_header_known(c->map, name) && names_header_foreign(name, c->reverse))
			report_unmapped(c->report, f->path, t->line, t->col, name, strlen(name));
		buf_put(out, text, t->len);
	}
	free(name);
}

/* Is the text after pos (blanks skipped) a `::`? */
static int scope_follows(const struct input_file *f, size_t pos)
{
	while (pos < f->len && (f->text[pos] == ' ' || f->text[pos] == '\t'))
		pos++;
	return pos + 1 < f->len && f->text[pos] == ':' && f->text[pos + 1] == ':';
}

static void convert_ident(struct convert_ctx *c, const struct input_file *f,
			  const struct token *t, struct buf *out)
{
	static const char *const cuda_namespaces[] = { "thrust", "cub", "cuda", "nvcuda" };
	const char *id = f->text + t->pos;
	const char *to = map_id(c->map, id, t->len);

	if (to) {
		buf_puts(out, to);
		c->report->tally->ids++;
		return;
	}
	buf_put(out, id, t->len);
	if (strmap_getn(c->userdefs, id, t->len) || map_is_known(c->map, id, t->len))
		return;
	if (!c->reverse && scope_follows(f, t->pos + t->len)) {
		for (size_t i = 0; i < sizeof(cuda_namespaces) / sizeof(cuda_namespaces[0]); i++) {
			if (strlen(cuda_namespaces[i]) == t->len && !memcmp(id, cuda_namespaces[i], t->len)) {
				char *ns = xasprintf("%.*s::", (int)t->len, id);

				report_unmapped(c->report, f->path, t->line, t->col, ns, strlen(ns));
				free(ns);
				return;
			}
		}
	}
	if (names_looks_foreign(id, t->len, c->reverse))
		report_unmapped(c->report, f->path, t->line, t->col, id, t->len);
}

void convert_source(struct convert_ctx *c, const struct input_file *f, struct buf *out)
{
	struct lexer lx;
	struct token t;

	lex_init(&lx, f->text, f->len);
	buf_put(out, "", 0);
	for (lex_next(&lx, &t); t.kind != TOK_EOF; lex_next(&lx, &t)) {
		switch (t.kind) {
		case TOK_IDENT:
			convert_ident(c, f, &t, out);
			break;
		case TOK_HEADER:
			convert_header(c, f, &t, out);
			break;
		case TOK_COMMENT:
		case TOK_STRING:
		case TOK_CHAR:
			if (c->all_text) {
				convert_text_words(c, f->text + t.pos, t.len, out);
				break;
			}
			/* fall through */
		default:
			buf_put(out, f->text + t.pos, t.len);
			break;
		}
	}
}
