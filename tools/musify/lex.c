/* SPDX-License-Identifier: MIT */
/*
 * lex.c - C and C++ tokens as the preprocessor sees them, for renaming
 * identifiers without touching anything else: comments (with
 * backslash-newlines), string and character literals with their encoding
 * prefixes and raw strings (R"d(...)d"), pp-numbers (1e-5f, 0x1p-3,
 * 1'000), preprocessor lines and the header names of #include and
 * __has_include. Every byte of the input belongs to exactly one token, so
 * concatenating the tokens gives the input back.
 * May call: libc only.
 */
#include <ctype.h>
#include <string.h>

#include "musify.h"

void lex_init(struct lexer *lx, const char *s, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->s = s;
	lx->len = len;
	lx->line = 1;
	lx->col = 1;
	lx->line_start = 1;
}

static int peek(const struct lexer *lx, size_t off)
{
	return lx->pos + off < lx->len ? (unsigned char)lx->s[lx->pos + off] : -1;
}

static void advance(struct lexer *lx, size_t n)
{
	while (n-- && lx->pos < lx->len) {
		if (lx->s[lx->pos++] == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
	}
}

/* Length of a backslash-newline at the current position (0 if none). */
static size_t splice_len(const struct lexer *lx)
{
	if (peek(lx, 0) != '\\')
		return 0;
	if (peek(lx, 1) == '\n')
		return 2;
	if (peek(lx, 1) == '\r' && peek(lx, 2) == '\n')
		return 3;
	return 0;
}

static int ident_char(int c)
{
	return c == '_' || c == '$' || isalnum(c) || c >= 0x80;
}

static void lex_space(struct lexer *lx)
{
	for (;;) {
		int c = peek(lx, 0);
		size_t sp = splice_len(lx);

		if (sp) {
			advance(lx, sp);
		} else if (c == '\n') {
			advance(lx, 1);
			lx->line_start = 1;
			lx->in_directive = 0;
			lx->want_header = 0;
			return;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			advance(lx, 1);
		} else {
			return;
		}
	}
}

static void lex_line_comment(struct lexer *lx)
{
	for (;;) {
		size_t sp = splice_len(lx);
		int c = peek(lx, 0);

		if (sp)
			advance(lx, sp);
		else if (c == '\n' || c < 0)
			return;
		else
			advance(lx, 1);
	}
}

static void lex_block_comment(struct lexer *lx)
{
	advance(lx, 2);
	while (peek(lx, 0) >= 0 && !(peek(lx, 0) == '*' && peek(lx, 1) == '/'))
		advance(lx, 1);
	advance(lx, 2);
}

/* A quoted literal from its opening quote; stops at an unescaped newline
 * so that a stray quote cannot swallow the rest of the file. */
static void lex_quoted(struct lexer *lx, int q)
{
	advance(lx, 1);
	for (;;) {
		int c = peek(lx, 0);

		if (c < 0 || c == '\n')
			return;
		if (c == '\\') {
			advance(lx, 2);
			continue;
		}
		advance(lx, 1);
		if (c == q)
			return;
	}
}

/* R"delim( ... )delim" from the opening quote. */
static void lex_raw(struct lexer *lx)
{
	size_t d0 = lx->pos + 1, dlen = 0;

	while (d0 + dlen < lx->len && lx->s[d0 + dlen] != '(' && dlen < 16 &&
	       !strchr(" )\\\t\n\"", lx->s[d0 + dlen]))
		dlen++;
	if (d0 + dlen >= lx->len || lx->s[d0 + dlen] != '(') {
		lex_quoted(lx, '"');  /* not a raw string after all */
		return;
	}
	advance(lx, 1 + dlen + 1);
	while (lx->pos < lx->len) {
		if (lx->s[lx->pos] == ')' && lx->pos + 1 + dlen < lx->len &&
		    !memcmp(lx->s + lx->pos + 1, lx->s + d0, dlen) && lx->s[lx->pos + 1 + dlen] == '"') {
			advance(lx, dlen + 2);
			return;
		}
		advance(lx, 1);
	}
}

static void lex_number(struct lexer *lx)
{
	for (;;) {
		int c = peek(lx, 0);

		if ((c == 'e' || c == 'E' || c == 'p' || c == 'P') &&
		    (peek(lx, 1) == '+' || peek(lx, 1) == '-'))
			advance(lx, 2);
		else if (c == '\'' && ident_char(peek(lx, 1)))
			advance(lx, 2);
		else if (ident_char(c) || c == '.')
			advance(lx, 1);
		else
			return;
	}
}

static void lex_header(struct lexer *lx, int close)
{
	advance(lx, 1);
	while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n' && peek(lx, 0) != close)
		advance(lx, 1);
	if (peek(lx, 0) == close)
		advance(lx, 1);
}

/* An identifier that is an encoding prefix of the literal after it. */
static int literal_prefix(const char *s, size_t n, int quote)
{
	static const char *const plain[] = { "u8", "u", "U", "L" };
	static const char *const raw[] = { "R", "u8R", "uR", "UR", "LR" };

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (strlen(plain[i]) == n && !memcmp(s, plain[i], n))
			return 1;
	if (quote == '"')
		for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
			if (strlen(raw[i]) == n && !memcmp(s, raw[i], n))
				return 2;
	return 0;
}

static void directive_word(struct lexer *lx, const char *s, size_t n)
{
	if (lx->directive_words++ == 0) {
		size_t k = n < sizeof(lx->directive) - 1 ? n : sizeof(lx->directive) - 1;

		memcpy(lx->directive, s, k);
		lx->directive[k] = 0;
		lx->want_header = !strcmp(lx->directive, "include") ||
				  !strcmp(lx->directive, "include_next") ||
				  !strcmp(lx->directive, "import");
		return;
	}
	lx->has_include = (n == 13 && !memcmp(s, "__has_include", 13)) ||
			  (n == 18 && !memcmp(s, "__has_include_next", 18));
}

void lex_next(struct lexer *lx, struct token *t)
{
	int c = peek(lx, 0);

	t->pos = lx->pos;
	t->line = lx->line;
	t->col = lx->col;
	t->in_directive = lx->in_directive;
	if (c < 0) {
		t->kind = TOK_EOF;
		t->len = 0;
		return;
	}
	if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n' ||
	    splice_len(lx)) {
		t->kind = TOK_SPACE;
		lex_space(lx);
		goto done;
	}
	if (c == '/' && peek(lx, 1) == '/') {
		t->kind = TOK_COMMENT;
		lex_line_comment(lx);
		goto done;
	}
	if (c == '/' && peek(lx, 1) == '*') {
		t->kind = TOK_COMMENT;
		lex_block_comment(lx);
		goto done;
	}
	if (c == '#' && lx->line_start) {
		t->kind = TOK_HASH;
		advance(lx, 1);
		lx->line_start = 0;
		lx->in_directive = 1;
		t->in_directive = 1;
		lx->directive_words = 0;
		lx->directive[0] = 0;
		goto done;
	}
	lx->line_start = 0;
	if (lx->in_directive && lx->want_header && (c == '<' || c == '"')) {
		t->kind = TOK_HEADER;
		lex_header(lx, c == '<' ? '>' : '"');
		lx->want_header = 0;
		goto done;
	}
	if (ident_char(c) && !isdigit(c)) {
		size_t n = 0;

		while (ident_char(peek(lx, n)))
			n++;
		int q = peek(lx, n), pre = (q == '"' || q == '\'') ? literal_prefix(lx->s + lx->pos, n, q) : 0;

		if (pre) {
			advance(lx, n);
			t->kind = q == '\'' ? TOK_CHAR : TOK_STRING;
			if (pre == 2)
				lex_raw(lx);
			else
				lex_quoted(lx, q);
			goto done;
		}
		t->kind = TOK_IDENT;
		if (lx->in_directive)
			directive_word(lx, lx->s + lx->pos, n);
		advance(lx, n);
		goto done;
	}
	if (isdigit(c) || (c == '.' && isdigit(peek(lx, 1)))) {
		t->kind = TOK_NUMBER;
		lex_number(lx);
		goto done;
	}
	if (c == '"' || c == '\'') {
		t->kind = c == '"' ? TOK_STRING : TOK_CHAR;
		lex_quoted(lx, c);
		goto done;
	}
	t->kind = TOK_PUNCT;
	advance(lx, 1);
	if (lx->in_directive && lx->has_include && c == '(') {
		lx->want_header = 1;
		lx->has_include = 0;
	}
done:
	t->len = lx->pos - t->pos;
}
