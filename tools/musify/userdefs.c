/* SPDX-License-Identifier: MIT */
/*
 * userdefs.c - the names the converted files define themselves, so that a
 * user's `CUDA_CHECK` macro, `cudaCheck` function or `cudaStatus`
 * variable is neither reported as an unmapped CUDA name nor renamed.
 * A first pass over every input collects them: #define names, struct /
 * class / union / enum / namespace tags, enumerators, `using N =`, and
 * declarators recognised by their shape: a name after a type name (or
 * after `*`/`&` that follows one at the start of a declaration), followed
 * by `=`, `;`, `,`, `[`, `(`, `)`, `:` or `{`. It recognises what a
 * reader would, not all of C++; a miss only costs a warning.
 * May call: lex.c, names.c, strmap.c, buf.c, libc.
 */
#include <stdlib.h>
#include <string.h>

#include "musify.h"

struct tok {
	enum tok_kind kind;
	const char *s;
	size_t len;
	int directive;
};

static int is(const struct tok *t, const char *text)
{
	return t && t->len == strlen(text) && !memcmp(t->s, text, t->len);
}

static int punct(const struct tok *t, const char *set)
{
	return t && t->kind == TOK_PUNCT && strchr(set, t->s[0]);
}

/* Keywords that may name a type before a declarator. */
static int type_keyword(const struct tok *t)
{
	static const char *const kw[] = { "int", "char", "void", "float", "double", "long",
					  "short", "unsigned", "signed", "bool", "auto", "const",
					  "volatile", "constexpr" };

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (is(t, kw[i]))
			return 1;
	return 0;
}

/* A token that can end a declaration's type: a type name or keyword. */
static int type_end(const struct tok *t)
{
	return t && t->kind == TOK_IDENT && (!names_is_keyword(t->s, t->len) || type_keyword(t));
}

/* A token after which a declaration may start. */
static int decl_start(const struct tok *t)
{
	if (!t)
		return 1;
	if (t->kind == TOK_IDENT)
		return !is(t, "return") && !is(t, "case") && !is(t, "else") && !is(t, "goto") &&
		       !is(t, "throw") && !is(t, "sizeof") && !is(t, "co_return") &&
		       !is(t, "delete") && !is(t, "new");
	return punct(t, ";{}(,<>");
}

static void define(struct strmap *defs, const struct tok *t)
{
	char *name = xstrndup(t->s, t->len);

	strmap_add(defs, name);
	free(name);
}

void userdefs_scan(struct strmap *defs, const char *text, size_t len)
{
	struct tok *v = NULL;
	size_t n = 0, cap = 0;
	struct lexer lx;
	struct token t;
	/* brace depths at which an enum body is open */
	int depth = 0, enum_depth[64], nenum = 0, enum_pending = 0;
	/* a declarator list (int a = 1, *b;) is open at this paren depth */
	int parens = 0, list_parens = -1;

	lex_init(&lx, text, len);
	for (lex_next(&lx, &t); t.kind != TOK_EOF; lex_next(&lx, &t)) {
		if (t.kind == TOK_SPACE || t.kind == TOK_COMMENT)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = (struct tok){ t.kind, text + t.pos, t.len, t.in_directive };
	}
	for (size_t i = 0; i < n; i++) {
		struct tok *c = &v[i], *next = i + 1 < n ? &v[i + 1] : NULL;
		struct tok *p1 = i >= 1 ? &v[i - 1] : NULL, *p2 = i >= 2 ? &v[i - 2] : NULL;
		struct tok *p3 = i >= 3 ? &v[i - 3] : NULL;

		if (c->kind == TOK_HASH) {
			if (!next || !is(next, "define") || i + 2 >= n || v[i + 2].kind != TOK_IDENT)
				continue;
			define(defs, &v[i + 2]);
			/* a function-like macro's parameters: NAME( directly */
			if (i + 3 < n && punct(&v[i + 3], "(") &&
			    v[i + 3].s == v[i + 2].s + v[i + 2].len)
				for (size_t k = i + 4; k < n && v[k].directive && !punct(&v[k], ")"); k++)
					if (v[k].kind == TOK_IDENT)
						define(defs, &v[k]);
			continue;
		}
		if (c->directive)
			continue;
		if (punct(c, "{")) {
			depth++;
			list_parens = -1;
			if (enum_pending && nenum < 64)
				enum_depth[nenum++] = depth;
			enum_pending = 0;
			continue;
		}
		if (punct(c, "}")) {
			if (nenum && enum_depth[nenum - 1] == depth)
				nenum--;
			depth--;
			continue;
		}
		if (punct(c, "("))
			parens++;
		if (punct(c, ")"))
			parens--;
		if (punct(c, ";")) {
			enum_pending = 0;
			list_parens = -1;
		}
		if (c->kind != TOK_IDENT)
			continue;
		if (is(c, "enum"))
			enum_pending = 1;
		if ((is(c, "struct") || is(c, "class") || is(c, "union") || is(c, "enum") ||
		     (is(c, "namespace") && !is(p1, "using")) || is(c, "using")) &&
		    next && next->kind == TOK_IDENT && !names_is_keyword(next->s, next->len)) {
			define(defs, next);
			continue;
		}
		if (names_is_keyword(c->s, c->len))
			continue;
		/* enumerators: first name after { or , in an enum body */
		if (nenum && enum_depth[nenum - 1] == depth && punct(p1, "{,")) {
			define(defs, c);
			continue;
		}
		if (!punct(next, "=;,[():{") ||
		    (punct(next, ":") && i + 2 < n && punct(&v[i + 2], ":")))
			continue;  /* not a declarator; N:: is a scope */
		if (type_end(p1) ||
		    (punct(p1, "*&") && (type_end(p2) || punct(p2, "*&")) && decl_start(p3)) ||
		    (list_parens == parens &&
		     (punct(p1, ",") || (punct(p1, "*&") && punct(p2, ","))))) {
			define(defs, c);
			if (punct(next, "=,[;"))
				list_parens = parens;
		} else if (punct(p1, "*") && punct(p2, "(") && punct(next, ")")) {
			define(defs, c);  /* (*fnptr)(...) */
		}
	}
	free(v);
}
